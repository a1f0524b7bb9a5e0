"""The fake language model: answers from a queue of scripted replies, or else by quoting the first
evidence sentence of the prompt (a text to translate is given back unchanged), so that the whole pipeline runs end to end without a model.

Tests script it through the ``fake_llm`` fixture: ``fake_llm.say("62 % [1].")``; ``seen`` holds the
messages of every call."""
from __future__ import annotations

import re
from collections import deque
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from llama_index.core.base.llms.types import ChatMessage, ChatResponseGen
from pydantic import PrivateAttr

from assistant.components.llm.base import Aside, ChatModel, reply
from assistant.domain import NOT_FOUND

_TRANSLATIONS = ("Traduis", "Tu es traducteur")  # the translation prompts of `rag.prompt`


class FakeLLM(ChatModel):
    model: str = "fake"
    replies: list[str] = []
    picks: list[int] = []  # the excerpts `choose` names, in turn; then 0 (none)
    seen: list[list[ChatMessage]] = []
    cached: list[ChatMessage] = []  # the prompt last computed, as llama.cpp's KV cache would hold it
    _queue: Any = PrivateAttr(default=None)

    def say(self, *replies: str) -> None:
        """Script the next replies, after those already queued."""
        self._replies().extend(replies)

    def _replies(self) -> deque[str]:
        if self._queue is None:
            self._queue = deque(self.replies)
        return self._queue

    def _reply(self, messages: Sequence[ChatMessage]) -> str:
        queue = self._replies()
        self.seen.append(list(messages))
        self.cached = list(messages)
        self._count_prompt(len(" ".join(m.content or "" for m in messages).split()))
        if queue:
            return queue.popleft()
        if (messages[0].content or "").startswith(_TRANSLATIONS):  # a translation: the fake gives it back as is
            return messages[-1].content or ""
        first = re.search(r"^\[(\d+)\] \([^)]*\) (.+)$", messages[-1].content or "", flags=re.MULTILINE)
        if not first:
            return NOT_FOUND
        sentence = re.split(r"(?<=[.!?])\s", first.group(2))[0].rstrip(" .…")
        return f"{sentence} [{first.group(1)}]."

    @contextmanager
    def aside(self, name: str = "") -> Iterator[Aside]:
        before, side = self.cached, Aside()
        try:
            yield side
        finally:
            self.cached = self.cached if side.keep else before

    def choose(self, messages: Sequence[ChatMessage], count: int) -> int:
        self.seen.append(list(messages))
        self.cached = list(messages)
        return self.picks.pop(0) if self.picks else 0

    def _stream(self, messages: Sequence[ChatMessage], max_tokens: int) -> ChatResponseGen:
        text = self._reply(messages)  # now, not when the stream is read: `seen` is up to date

        def gen() -> ChatResponseGen:
            so_far = ""
            for word in re.findall(r"\S+\s*", text)[:max_tokens]:  # a word for a token: cut where a model stops
                so_far += word
                yield reply(so_far, word)
        return gen()

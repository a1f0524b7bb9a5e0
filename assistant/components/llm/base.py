"""What every language-model backend shares, behind llama-index's LLM interface: a backend writes
`stream_chat` (and says when messages are too long); chat and completion derive from it, and a
conversation that outgrows the context loses its oldest turns first."""
from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from llama_index.core.base.llms.types import (
    ChatMessage,
    ChatResponse,
    ChatResponseGen,
    CompletionResponse,
    CompletionResponseGen,
    LLMMetadata,
    MessageRole,
)
from llama_index.core.llms.callbacks import llm_chat_callback, llm_completion_callback
from llama_index.core.llms.custom import CustomLLM
from pydantic import PrivateAttr

from assistant.config import LLMSettings


def as_dicts(messages: Sequence[ChatMessage]) -> list[dict[str, str]]:
    return [{"role": m.role.value, "content": m.content or ""} for m in messages]


def within_context(messages: Sequence[ChatMessage],
                   too_long: Callable[[list[dict[str, str]]], bool]) -> list[dict[str, str]]:
    """The messages as dicts, the oldest earlier turns dropped while they are too long: the system
    prompt and the new turn always stay."""
    dicts = as_dicts(messages)
    while len(dicts) > 2 and too_long(dicts):
        del dicts[1:3]
    return dicts


def numbered(text: str, count: int) -> int:
    """`text` as a number from 1 to `count`; 0 when it is not one."""
    return int(text) if text.strip().isdigit() and 1 <= int(text) <= count else 0


def reply(text: str, delta: str | None = None) -> ChatResponse:
    return ChatResponse(message=ChatMessage(role=MessageRole.ASSISTANT, content=text), delta=delta)


@dataclass
class Aside:
    """A side call's outcome for the prompt cache: put back as before it, unless `keep` is set."""
    keep: bool = False


class ChatModel(CustomLLM):
    """A chat model configured by `LLMSettings`; `model` names the weights it runs."""

    model: str
    config: LLMSettings = LLMSettings()
    # Per thread: one worker may serve several conversations at once through the same object.
    _usage: Any = PrivateAttr(default_factory=threading.local)

    @property
    def metadata(self) -> LLMMetadata:
        return LLMMetadata(context_window=self.config.n_ctx, num_output=self.config.max_tokens,
                           is_chat_model=True, model_name=self.model)

    @property
    def last_prompt_tokens(self) -> int:
        """Prompt size of this thread's last answer (0 when the backend cannot tell)."""
        return getattr(self._usage, "prompt_tokens", 0)

    def _count_prompt(self, tokens: int) -> None:
        self._usage.prompt_tokens = tokens

    def warm_up(self, system_prompt: str = "") -> None:
        """Load what the first answer would otherwise wait for (nothing by default)."""

    def too_long(self, messages: list[dict[str, str]]) -> bool:
        """Whether the messages overflow the context window (the backend's own measure)."""
        return False

    @contextmanager
    def aside(self, name: str = "") -> Iterator[Aside]:
        """Calls made inside leave the model's prompt cache as it was, unless the caller sets
        `keep` (a short side call, such as a translation, must not make the next answer compute the
        chat's prompt again); a named side call may find its own cache kept from its last use.
        Nothing to keep by default: a server manages its own cache."""
        yield Aside()

    def choose(self, messages: Sequence[ChatMessage], count: int) -> int:
        """The number from 0 to `count` the model replies (0 for none, or a reply that is no such
        number). A backend that can constrain its reply to these numbers does (`LlamaCppChat`)."""
        found = re.search(r"\d+", self.chat(messages, max_tokens=4).message.content or "")
        return numbered(found.group(0) if found else "", count)

    def fit(self, messages: Sequence[ChatMessage]) -> list[dict[str, str]]:
        return within_context(messages, self.too_long)

    def _stream(self, messages: Sequence[ChatMessage], max_tokens: int) -> ChatResponseGen:
        raise NotImplementedError

    @llm_chat_callback()
    def stream_chat(self, messages: Sequence[ChatMessage], **kwargs: Any) -> ChatResponseGen:
        return self._stream(messages, kwargs.get("max_tokens", self.config.max_tokens))

    @llm_chat_callback()
    def chat(self, messages: Sequence[ChatMessage], **kwargs: Any) -> ChatResponse:
        return reply("".join(r.delta or "" for r in self.stream_chat(messages, **kwargs)))

    @llm_completion_callback()
    def complete(self, prompt: str, formatted: bool = False, **kwargs: Any) -> CompletionResponse:
        response = self.chat([ChatMessage(role=MessageRole.USER, content=prompt)], **kwargs)
        return CompletionResponse(text=response.message.content or "")

    @llm_completion_callback()
    def stream_complete(self, prompt: str, formatted: bool = False, **kwargs: Any) -> CompletionResponseGen:
        def gen() -> CompletionResponseGen:
            for response in self.stream_chat([ChatMessage(role=MessageRole.USER, content=prompt)], **kwargs):
                yield CompletionResponse(text=response.message.content or "", delta=response.delta)
        return gen()

"""A GGUF model run by llama-cpp-python in this process (the default); loaded once, on first use.

Ours rather than llama-index-llms-llama-cpp because that one formats prompts with hand-written
templates and re-reads the whole prompt; here the GGUF's own chat template is used and llama.cpp's
KV cache stays warm, so the fixed system prompt is computed once and a follow-up extends the
previous turn's cache.
"""
from __future__ import annotations

import ctypes
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from llama_index.core.base.llms.types import ChatMessage, ChatResponseGen
from pydantic import PrivateAttr

from assistant.components.lazy import require
from assistant.components.llm.base import Aside, ChatModel, numbered, reply
from assistant.components.llm.catalogue import resolve_model_path
from assistant.errors import ModelUnavailableError


MISSING = "llama-cpp-python n'est pas installé : pip install llama-cpp-python"


class LlamaCppChat(ChatModel):
    cache_dir: str = ""
    n_threads: int = 2
    _llm: Any = PrivateAttr(default=None)
    _lock: Any = PrivateAttr(default_factory=threading.Lock)  # one answer at a time: one KV cache
    _asides: dict[str, Any] = PrivateAttr(default_factory=dict)  # a side call's cache, by its name
    generated_tokens: int = 0  # since loading: the benchmark derives decode speed from it

    def warm_up(self, system_prompt: str = "") -> None:
        """Load the model and compute the system prompt's KV state once."""
        self._loaded()
        with self._lock:
            self._llm.create_chat_completion(
                messages=[{"role": "system", "content": system_prompt}, {"role": "user", "content": "."}],
                max_tokens=1, temperature=0.0)

    def _loaded(self) -> Any:
        if self._llm is None:
            llama_cpp = require("llama_cpp", MISSING)
            path = str(resolve_model_path(self.model, Path(self.cache_dir)))
            try:
                self._llm = llama_cpp.Llama(model_path=path, n_ctx=self.config.n_ctx, n_threads=self.n_threads,
                                            n_threads_batch=self.n_threads, n_batch=512, verbose=False)
            except (ValueError, RuntimeError) as error:
                raise ModelUnavailableError(f"Le modèle « {path} » n'a pas pu être chargé : {error}") from error
        return self._llm

    @contextmanager
    def aside(self, name: str = "") -> Iterator[Aside]:
        """llama.cpp keeps one prompt in its KV cache: a translation (its own system prompt) used to
        evict the chat's, and the next question computed it again (≈ 270 tokens, 6 s on 2 cores).
        The cache is copied before (28 KB per token with the 1.5B model) and put back after.

        A named side call (its prompt) also finds its own cache as it left it, so the next one
        computes only what follows its fixed instructions and examples: the ≈ 150 tokens of the
        question's translation cost 1.5 s on 2 cores before the first word of each English answer."""
        kept = self._kv_copy()
        own = self._asides.get(name) if name else None
        if own is not None:
            self._kv_restore(*own)
        side = Aside()
        try:
            yield side
        finally:
            if name:
                self._asides[name] = self._kv_copy()
            if kept is not None and not side.keep:
                self._kv_restore(*kept)

    def _kv_copy(self) -> tuple[Any, list[int]] | None:
        with self._lock:
            llm = self._llm
            if llm is None or llm.n_tokens == 0:
                return None
            llama_cpp = require("llama_cpp", MISSING)
            size = llama_cpp.llama_state_seq_get_size(llm.ctx, 0)
            state = (ctypes.c_uint8 * size)()
            if llama_cpp.llama_state_seq_get_data(llm.ctx, state, size, 0) != size:
                return None
            return state, llm.input_ids[:llm.n_tokens].tolist()

    def _kv_restore(self, state: Any, tokens: list[int]) -> None:
        with self._lock:
            llm = self._llm
            llama_cpp = require("llama_cpp", MISSING)
            llama_cpp.llama_memory_clear(llama_cpp.llama_get_memory(llm.ctx), True)
            llm.n_tokens = 0
            if llama_cpp.llama_state_seq_set_data(llm.ctx, state, len(state), 0) == len(state):
                llm.input_ids[:len(tokens)] = tokens
                llm.n_tokens = len(tokens)  # the next prompt reuses its common prefix, as after an answer

    def too_long(self, messages: list[dict[str, str]]) -> bool:
        budget = self.config.n_ctx - self.config.longest_reply - 16
        text = "\n".join(m["content"] for m in messages)
        return len(self._loaded().tokenize(text.encode())) > budget

    def choose(self, messages: Sequence[ChatMessage], count: int) -> int:
        """Under a grammar that allows only the numbers 0 to `count`: one or two tokens."""
        llama_cpp = require("llama_cpp", MISSING)
        numbers = " | ".join(f'"{n}"' for n in range(count + 1))
        grammar = llama_cpp.LlamaGrammar.from_string(f"root ::= {numbers}", verbose=False)
        with self._lock:
            out = self._loaded().create_chat_completion(messages=self.fit(messages), grammar=grammar, max_tokens=3,
                                                        temperature=0.0)
        return numbered(out["choices"][0]["message"]["content"] or "", count)

    def _stream(self, messages: Sequence[ChatMessage], max_tokens: int) -> ChatResponseGen:
        with self._lock:
            llm = self._loaded()
            stream = llm.create_chat_completion(messages=self.fit(messages), stream=True,
                                                temperature=self.config.temperature, max_tokens=max_tokens)
            text = ""
            generated = 0
            for chunk in stream:
                delta = chunk["choices"][0]["delta"].get("content") or ""
                if not delta:
                    continue
                generated += 1
                text += delta
                yield reply(text, delta)
            self._count_prompt(max(llm.n_tokens - generated, 0))
            self.generated_tokens += generated

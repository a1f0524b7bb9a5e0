"""The language model behind any OpenAI-compatible server (llama.cpp's servers, vLLM, Ollama).

A small llama-index LLM over the ``openai`` client rather than llama-index's ``OpenAILike``
(checked: llama-index-llms-openai-like 0.8.1): OpenAILike pulls in llama-index-llms-openai (which
pins its own llama-index-core range) for what is one HTTP call here, and it does not fit a server
that must fail fast and clearly: its non-streaming ``chat`` retries for up to 60 s with tenacity on
top of the client's own retries, and errors (also those raised while a stream is being read) reach
the user as English ``openai`` exceptions. Here every failure becomes a ``ModelUnavailableError``
with a French message, retries are bounded by the settings, the prompt size comes from the
server's usage report when it gives one, and a stream cut short by the server is detected instead
of passing for a complete answer.

The chat template is applied by the server (llama-cpp-python uses the GGUF's own template): we
send the same messages as the in-process backend.
"""
from __future__ import annotations

import importlib

from collections.abc import Sequence
from typing import Any

from llama_index.core.base.llms.types import ChatMessage, ChatResponseGen
from pydantic import PrivateAttr

from assistant.components.lazy import require
from assistant.components.llm.base import ChatModel, reply
from assistant.errors import ModelUnavailableError

# Without the server's tokenizer, a conservative size estimate for trimming old turns
# (French text runs at about 4 characters per token with the Qwen tokenizer).
CHARS_PER_TOKEN = 3


def _transport(name: str) -> tuple[type[Exception], ...]:
    """The exception class `name` of each HTTP library the openai client may read with: httpx, and
    httpx2 since openai 3 (a stream cut mid-answer raises the library's error, not openai's)."""
    found = []
    for library in ("httpx", "httpx2"):
        try:
            found.append(getattr(importlib.import_module(library), name))
        except (ImportError, AttributeError):
            continue
    return tuple(found)


class ServerChat(ChatModel):
    """Chat completions from an OpenAI-compatible server (``config.api_base``), streamed."""

    _client: Any = PrivateAttr(default=None)

    def _openai(self) -> Any:
        if self._client is None:
            openai = require("openai", "Le mode serveur demande le paquet openai : pip install -e '.[server]'")
            config = self.config
            # openai's own Timeout: its HTTP library (httpx, now httpx2) refuses another's timeout object
            self._client = openai.OpenAI(
                base_url=config.api_base, api_key=config.api_key, max_retries=config.max_retries,
                timeout=openai.Timeout(config.timeout_s, connect=config.connect_timeout_s))
        return self._client

    def _unavailable(self, error: Exception) -> ModelUnavailableError:
        """A French message saying what went wrong with the server, and what to check."""
        import openai

        where = f"Le serveur de modèle ({self.config.api_base})"
        if isinstance(error, (openai.APITimeoutError, *_transport("TimeoutException"))):
            return ModelUnavailableError(
                f"{where} n'a pas répondu dans le délai ({self.config.timeout_s:g} s) : il est peut-être "
                "surchargé. Réessayez dans un instant.")
        if isinstance(error, openai.APIConnectionError):
            return ModelUnavailableError(
                f"{where} est injoignable : vérifiez qu'il est démarré et que l'adresse "
                "(ASSISTANT_LLM__API_BASE) est juste.")
        if isinstance(error, openai.APIStatusError):
            return _status_error(where, self.model, error)
        return ModelUnavailableError(f"{where} a interrompu la réponse : {error}")

    def warm_up(self, system_prompt: str = "") -> None:
        """Check that the server answers, so that a worker reports a missing server at start."""
        import openai

        try:
            self._openai().models.list()
        except openai.APIError as error:
            raise self._unavailable(error) from error

    def too_long(self, messages: list[dict[str, str]]) -> bool:
        budget = (self.config.n_ctx - self.config.longest_reply - 16) * CHARS_PER_TOKEN
        return sum(len(m["content"]) for m in messages) > budget

    def _stream(self, messages: Sequence[ChatMessage], max_tokens: int) -> ChatResponseGen:
        client = self._openai()
        request = self.fit(messages)

        def gen() -> ChatResponseGen:
            import openai

            self._count_prompt(0)
            try:
                finished = yield from self._read(client, request, max_tokens)
            except (openai.APIError, *_transport("HTTPError")) as error:
                raise self._unavailable(error) from error
            if not finished:
                # llama_cpp.server ends a stream early, without a finish reason, when another
                # request arrives and it runs with --interrupt_requests True (its default).
                raise ModelUnavailableError(
                    f"Le serveur de modèle ({self.config.api_base}) a interrompu la réponse avant la fin. "
                    "Avec llama_cpp.server, lancez-le avec --interrupt_requests False.")
        return gen()

    def _read(self, client: Any, request: list[dict[str, str]], max_tokens: int) -> Any:
        """Yield the streamed pieces; return whether the server said the answer was finished."""
        stream = client.chat.completions.create(
            model=self.model, messages=request, stream=True, temperature=self.config.temperature,
            max_tokens=max_tokens,
            # vLLM, llama.cpp's llama-server and Ollama then report the prompt size in a last
            # chunk; servers that do not know the option ignore it.
            stream_options={"include_usage": True}, extra_body=self.config.extra_body or None)
        text, finished = "", False
        for chunk in stream:
            if chunk.usage is not None:
                self._count_prompt(chunk.usage.prompt_tokens or 0)
            if not chunk.choices:
                continue
            choice = chunk.choices[0]
            finished = finished or choice.finish_reason is not None
            delta = choice.delta.content if choice.delta else None
            if delta:
                text += delta
                yield reply(text, delta)
        return finished


def _status_error(where: str, model: str, error: Any) -> ModelUnavailableError:
    detail = " ".join(str(error.message).split())[:300]
    if error.status_code in (401, 403):
        return ModelUnavailableError(
            f"{where} refuse la clé d'accès (ASSISTANT_LLM__API_KEY) : HTTP {error.status_code}.")
    if error.status_code == 404:
        return ModelUnavailableError(
            f"{where} ne connaît pas le modèle « {model} » ou n'est pas compatible OpenAI (HTTP 404) : {detail}")
    return ModelUnavailableError(f"{where} a renvoyé une erreur HTTP {error.status_code} : {detail}")

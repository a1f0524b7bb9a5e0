"""Where passages live: a chroma collection (embedded on disk, or a Chroma server) through
llama-index's ChromaVectorStore, a small chroma collection listing indexed documents, and the
lexical (BM25) side kept on disk beside it.

A document's record is written twice: unfinished (no content hash) before its passages, complete
after them. A run killed in between leaves a listed document whose hash matches no file, which the
next run indexes again (over the same stable ids) or removes if the file is gone; never passages
that no record lists. Tested by killing the indexer at random points (tests/test_crash_safety.py).
"""
from __future__ import annotations

import hashlib
import json
import math
import shutil
import threading
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

import bm25s
from llama_index.core.schema import BaseNode, TextNode
from llama_index.core.vector_stores.types import (
    FilterOperator,
    MetadataFilter,
    MetadataFilters,
    VectorStoreQuery,
)
from llama_index.core.vector_stores.utils import metadata_dict_to_node
from llama_index.vector_stores.chroma import ChromaVectorStore

from assistant.errors import ModelUnavailableError
from assistant.french import tokens
from assistant.passages import document_id, heading_of
from assistant.settings import Settings

READ_PAGE = 5000  # passages per read of the whole collection


@dataclass
class DocumentRecord:
    path: str
    sha256: str
    title: str
    kind: str
    pages: int
    passages: int
    indexed_at: str
    audience: str = ""


def _chroma_client(settings: Settings) -> Any:
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    chroma_settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
    if settings.store.backend == "chroma-http":
        try:
            return chromadb.HttpClient(host=settings.store.host, port=settings.store.port,
                                       settings=chroma_settings)
        except Exception as error:  # noqa: BLE001 - connection errors come in many types
            raise ModelUnavailableError(
                f"Le serveur Chroma ({settings.store.host}:{settings.store.port}) ne répond pas : {error}"
            ) from error
    path = settings.index_dir / "chroma"
    path.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(path), settings=chroma_settings)


class LexicalIndex:
    """BM25 over folded French tokens (title and section included), saved under index/lexical,
    or kept in memory only when ``directory`` is None (server mode, see ``PassageStore``)."""

    def __init__(self, directory: Path | None) -> None:
        self.directory = directory
        self.ids: list[str] = []
        self.fingerprint = ""
        self._bm25: bm25s.BM25 | None = None
        self._swap = threading.Lock()  # a search never sees new ids with the old BM25 matrix

    def build(self, passages: list[TextNode], fingerprint: str) -> None:
        corpus = [tokens(f"{heading_of(p)} {p.text}") or ["\u2205"] for p in passages]
        bm25 = None
        if corpus:
            bm25 = bm25s.BM25(k1=1.2, b=0.75)
            bm25.index(corpus, show_progress=False)
        with self._swap:
            self.ids, self._bm25, self.fingerprint = [p.node_id for p in passages], bm25, fingerprint
        if self.directory is not None:
            self._save()

    def _save(self) -> None:
        tmp = self.directory.with_name(self.directory.name + ".tmp")
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir(parents=True)
        if self.ids and self._bm25 is not None:
            self._bm25.save(str(tmp), show_progress=False)
        (tmp / "ids.json").write_text(json.dumps({"fingerprint": self.fingerprint, "ids": self.ids}))
        # Swap whole directories so a crash never leaves half an index.
        old = self.directory.with_name(self.directory.name + ".old")
        shutil.rmtree(old, ignore_errors=True)
        if self.directory.exists():
            self.directory.rename(old)
        tmp.rename(self.directory)
        shutil.rmtree(old, ignore_errors=True)

    def load(self) -> bool:
        if self.directory is None:
            return False
        meta = self.directory / "ids.json"
        if not meta.exists():
            return False
        data = json.loads(meta.read_text())
        bm25 = bm25s.BM25.load(str(self.directory), show_progress=False) if data["ids"] else None
        with self._swap:
            self.ids, self._bm25, self.fingerprint = data["ids"], bm25, data["fingerprint"]
        return True

    def search(self, query: str, k: int, allowed: set[str] | None = None) -> list[tuple[str, float]]:
        query_tokens = tokens(query)
        with self._swap:
            ids, bm25 = self.ids, self._bm25
        if bm25 is None or not query_tokens:
            return []
        scores = bm25.get_scores(query_tokens)
        order = scores.argsort()[::-1]
        hits: list[tuple[str, float]] = []
        for i in order:
            if scores[i] <= 0 or len(hits) >= k:
                break
            if allowed is None or ids[i] in allowed:
                hits.append((ids[i], float(scores[i])))
        return hits


class PassageStore:
    """Passages with their embeddings (chroma), the document list, and the lexical index."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        client = _chroma_client(settings)
        name = settings.store.collection
        self._passages = client.get_or_create_collection(name, metadata={"hnsw:space": "cosine"})
        self._documents = client.get_or_create_collection(f"{name}-documents")
        self.vectors = ChromaVectorStore(chroma_collection=self._passages)
        # With a Chroma server, several app workers (maybe on several machines) share the
        # collections: each keeps its BM25 index in memory only and rebuilds it from the server
        # when the document list changes (refresh_lexical), instead of racing on a shared folder.
        server = settings.store.backend == "chroma-http"
        self.lexical = LexicalIndex(None if server else settings.index_dir / "lexical")
        self._refreshing = threading.Lock()

    # --- documents ---------------------------------------------------------------------------
    def documents(self) -> dict[str, DocumentRecord]:
        got = self._documents.get(include=["metadatas"])
        return {m["path"]: DocumentRecord(**m) for m in got["metadatas"] or []}

    def fingerprint(self) -> str:
        """Changes whenever a document is added, replaced or removed."""
        records = sorted((r.path, r.sha256) for r in self.documents().values())
        return hashlib.sha1(json.dumps(records).encode()).hexdigest()

    def add_document(self, record: DocumentRecord, passages: list[TextNode]) -> None:
        self._write_record(replace(record, sha256="", passages=0))  # unfinished until the end
        self.delete_document(record.path, keep_record=True)
        if passages:
            self.vectors.add(passages)
        self._write_record(record)

    def _write_record(self, record: DocumentRecord) -> None:
        self._documents.upsert(ids=[document_id(record.path)], embeddings=[[1.0]], metadatas=[asdict(record)])

    def delete_document(self, path: str, keep_record: bool = False) -> None:
        self.vectors.delete(ref_doc_id=document_id(path))
        if not keep_record:
            self._documents.delete(ids=[document_id(path)])

    def count(self) -> int:
        return self._passages.count()

    # --- passages ----------------------------------------------------------------------------
    def all_passages(self) -> list[TextNode]:
        """Read in pages: chroma's SQLite refuses one read of ~100k passages (« too many SQL
        variables »), and llama-index's get_nodes has no paging."""
        nodes: list[BaseNode] = []
        for offset in range(0, self.count(), READ_PAGE):
            got = self._passages.get(limit=READ_PAGE, offset=offset, include=["documents", "metadatas"])
            nodes += [metadata_dict_to_node(meta, text=text)
                      for meta, text in zip(got["metadatas"] or [], got["documents"] or [])]
        return [n for n in nodes if isinstance(n, TextNode)]

    def get(self, ids: list[str]) -> dict[str, TextNode]:
        if not ids:
            return {}
        return {n.node_id: n for n in self.vectors.get_nodes(node_ids=ids) if isinstance(n, TextNode)}

    def ids_for_audiences(self, audiences: list[str]) -> set[str]:
        """Passages open to everyone or to one of these groups."""
        got = self._passages.get(where={"audience": {"$in": ["", *audiences]}}, include=[])
        return set(got["ids"])

    def dense_search(self, embedding: list[float], k: int, audiences: list[str] | None = None
                     ) -> list[tuple[TextNode, float]]:
        """Nearest passages with their cosine similarity."""
        filters = None
        if audiences is not None:
            filters = MetadataFilters(filters=[MetadataFilter(
                key="audience", value=["", *audiences], operator=FilterOperator.IN)])
        k = min(k, self.count())
        if k == 0:
            return []
        result = self.vectors.query(VectorStoreQuery(query_embedding=embedding, similarity_top_k=k,
                                                     filters=filters))
        # ChromaVectorStore reports exp(-distance); with cosine space, distance = 1 - cosine.
        return [(node, 1.0 + math.log(max(sim, 1e-12)))
                for node, sim in zip(result.nodes or [], result.similarities or [])
                if isinstance(node, TextNode)]

    def refresh_lexical(self) -> None:
        """Load the BM25 index, rebuilding it when the documents changed since it was saved.

        The fingerprint comes from the shared document list (paths and SHA-256), which a writer
        updates only after a document's passages are in place: any worker, in any process, sees
        every change at its next question. One rebuild at a time per process."""
        fingerprint = self.fingerprint()
        if self.lexical.fingerprint == fingerprint:
            return
        with self._refreshing:
            if self.lexical.fingerprint == fingerprint or (self.lexical.load() and
                                                           self.lexical.fingerprint == fingerprint):
                return
            self.lexical.build(self.all_passages(), fingerprint)

"""Where passages live: a chroma collection through llama-index's ChromaVectorStore, a small
collection listing the indexed documents (with one state record), and the BM25 side beside it.

A document's record is written twice: unfinished (no content hash) before its passages, complete
after them. A run killed in between leaves a listed document whose hash matches no file, which the
next run indexes again (over the same stable ids) or removes if the file is gone; never passages
that no record lists. Tested by killing the indexer at random points.

The state record holds the index format and a fingerprint of the document list, rewritten after
every change: a question reads that one record (not the whole list) to know whether its BM25 side
is current, in this process or in any other worker sharing a Chroma server.
"""
from __future__ import annotations

import hashlib
import json
import math
import threading
from dataclasses import asdict, replace
from pathlib import Path
from typing import Any

from llama_index.core.schema import NodeRelationship, RelatedNodeInfo, TextNode
from llama_index.core.vector_stores.types import (
    FilterOperator,
    MetadataFilter,
    MetadataFilters,
    VectorStoreQuery,
)
from llama_index.core.vector_stores.utils import metadata_dict_to_node
from llama_index.vector_stores.chroma import ChromaVectorStore

from assistant.components.store.lexical import LexicalIndex
from assistant.domain import DocumentRecord, Passage, document_id

READ_PAGE = 5000  # passages per read of the whole collection
STATE_ID = "_state"
# 2: access groups stored as "group" (was "audience"). An older index is re-indexed from the files
# at the next indexing run, each document keeping its group.
INDEX_FORMAT = 4  # 3: PDF tables read as one sentence per row; 4: a sentence the layout broke is glued
_KNOWN = {"document", "title", "page", "section", "group", "position"}


def to_node(passage: Passage, embedding: list[float] | None = None) -> TextNode:
    metadata = {"document": passage.document, "title": passage.title,
                "page": passage.page if passage.page is not None else -1,  # chroma stores no None
                "section": passage.section, "position": passage.position, **passage.extra,
                "group": passage.group}
    node = TextNode(id_=passage.id, text=passage.text, metadata=metadata, embedding=embedding)
    node.relationships[NodeRelationship.SOURCE] = RelatedNodeInfo(node_id=document_id(passage.document))
    return node


def from_node(node: TextNode) -> Passage:
    meta = node.metadata
    page = meta.get("page", -1)
    return Passage(id=node.node_id, text=node.text, document=str(meta.get("document", "")),
                   title=str(meta.get("title", "")), page=None if page in (-1, None) else int(page),
                   section=str(meta.get("section", "")), group=str(meta.get("group", "")),
                   position=int(meta.get("position", 0)),
                   extra={k: str(v) for k, v in meta.items() if k not in _KNOWN and k != "audience"})


def _record(meta: dict[str, Any]) -> DocumentRecord:
    fields = {k: v for k, v in meta.items() if k in DocumentRecord.__dataclass_fields__}
    return DocumentRecord(**{**fields, "group": str(meta.get("group", meta.get("audience", "")))})


def fingerprint_of(records: dict[str, DocumentRecord]) -> str:
    """Changes whenever a document is added, replaced or removed, and with the index format: a
    document read again by a newer reader keeps its file's hash but not its passages, and a BM25
    side labelled without the format was taken for current after the upgrade's re-indexing."""
    listed = sorted((r.path, r.sha256, r.passages) for r in records.values())
    return hashlib.sha1(json.dumps([INDEX_FORMAT, listed]).encode()).hexdigest()


class PassageStore:
    """Passages with their embeddings, the document list, and the lexical index."""

    def __init__(self, client: Any, collection: str, lexical_dir: Path | None) -> None:
        self._passages = client.get_or_create_collection(collection, metadata={"hnsw:space": "cosine"})
        # chromadb refuses a write of more records than this (5,461 with its SQLite): a 1,000-page
        # manual is written in several batches.
        self._max_batch = client.get_max_batch_size()
        self._documents = client.get_or_create_collection(f"{collection}-documents")
        self.vectors = ChromaVectorStore(chroma_collection=self._passages)
        self.lexical = LexicalIndex(lexical_dir)
        self._refreshing = threading.Lock()
        # An index written before the state record existed is of format 1.
        self._opened_format = self._state().get("format") or (1 if self.count() else INDEX_FORMAT)

    # --- documents and state -------------------------------------------------------------------
    def documents(self) -> dict[str, DocumentRecord]:
        got = self._documents.get(include=["metadatas"])
        return {r.path: r for r in (_record(m) for i, m in zip(got["ids"], got["metadatas"] or [])
                                    if i != STATE_ID)}

    def _state(self) -> dict[str, Any]:
        got = self._documents.get(ids=[STATE_ID], include=["metadatas"])
        return dict(got["metadatas"][0]) if got["metadatas"] else {}

    @property
    def needs_reindex(self) -> bool:
        """Written by an older version: every document must be read again from its file."""
        return self._state().get("format", self._opened_format) != INDEX_FORMAT

    def save_state(self, index_format: int | None = None) -> None:
        """Record the document list's fingerprint (after every change, and by each indexing run,
        which so repairs a state that a killed run left behind), and the format once a whole
        indexing run has brought every document to it."""
        current = self._state()
        state = {"format": index_format or current.get("format", self._opened_format),
                 "fingerprint": fingerprint_of(self.documents())}
        if current != state:
            self._documents.upsert(ids=[STATE_ID], embeddings=[[1.0]], metadatas=[state])

    def add_document(self, record: DocumentRecord, passages: list[Passage], embeddings: list[list[float]]) -> None:
        self._write_record(replace(record, sha256="", passages=0))  # unfinished until the end
        self.vectors.delete(ref_doc_id=document_id(record.path))
        nodes = [to_node(p, e) for p, e in zip(passages, embeddings)]
        for start in range(0, len(nodes), self._max_batch):
            self.vectors.add(nodes[start:start + self._max_batch])
        self._write_record(record)
        self.save_state()

    def _write_record(self, record: DocumentRecord) -> None:
        self._documents.upsert(ids=[document_id(record.path)], embeddings=[[1.0]], metadatas=[asdict(record)])

    def delete_document(self, path: str) -> None:
        """Record marked unfinished, passages removed, record removed: a process killed between
        two steps leaves an unfinished record, which the next indexing run completes again from
        the file or removes, never a complete record over passages that are gone."""
        known = self._documents.get(ids=[document_id(path)], include=["metadatas"])
        if known["metadatas"]:
            self._write_record(replace(_record(dict(known["metadatas"][0])), sha256="", passages=0))
        self.vectors.delete(ref_doc_id=document_id(path))
        self._documents.delete(ids=[document_id(path)])
        self.save_state()

    def count(self) -> int:
        return self._passages.count()

    # --- passages ----------------------------------------------------------------------------
    def all_passages(self) -> list[Passage]:
        """Read in pages: chroma's SQLite refuses one read of ~100k passages (« too many SQL
        variables »), and llama-index's get_nodes has no paging."""
        passages: list[Passage] = []
        for offset in range(0, self.count(), READ_PAGE):
            got = self._passages.get(limit=READ_PAGE, offset=offset, include=["documents", "metadatas"])
            nodes = [metadata_dict_to_node(meta, text=text)
                     for meta, text in zip(got["metadatas"] or [], got["documents"] or [])]
            passages += [from_node(n) for n in nodes if isinstance(n, TextNode)]
        return passages

    def get(self, ids: list[str]) -> dict[str, Passage]:
        if not ids:
            return {}
        return {n.node_id: from_node(n) for n in self.vectors.get_nodes(node_ids=ids) if isinstance(n, TextNode)}

    def containing(self, phrases: list[str], groups: list[str] | None = None, limit: int = 20) -> list[Passage]:
        """Passages holding one of the phrases as written (chroma's full-text filter), open to `groups`."""
        if not phrases:
            return []
        contains = [{"$contains": phrase} for phrase in phrases]
        got = self._passages.get(where={"group": {"$in": ["", *groups]}} if groups is not None else None,
                                 where_document=contains[0] if len(contains) == 1 else {"$or": contains},
                                 limit=limit, include=["documents", "metadatas"])
        nodes = [metadata_dict_to_node(meta, text=text)
                 for meta, text in zip(got["metadatas"] or [], got["documents"] or [])]
        return [from_node(n) for n in nodes if isinstance(n, TextNode)]

    def following(self, passage: Passage) -> Passage | None:
        """The next passage of the same document in reading order (a list the chunker cut goes on there)."""
        return self._at(passage.document, passage.position + 1)

    def preceding(self, passage: Passage) -> Passage | None:
        """The passage before in reading order (« ce système » is named there)."""
        return self._at(passage.document, passage.position - 1) if passage.position > 0 else None

    def _at(self, document: str, position: int) -> Passage | None:
        got = self._passages.get(where={"$and": [{"document": document}, {"position": position}]},
                                 limit=1, include=["documents", "metadatas"])
        nodes = [metadata_dict_to_node(meta, text=text)
                 for meta, text in zip(got["metadatas"] or [], got["documents"] or [])]
        return next((from_node(n) for n in nodes if isinstance(n, TextNode)), None)

    def ids_for_groups(self, groups: list[str]) -> set[str]:
        """Passages open to everyone or to one of these groups."""
        got = self._passages.get(where={"group": {"$in": ["", *groups]}}, include=[])
        return set(got["ids"])

    def dense_search(self, embedding: list[float], k: int, groups: list[str] | None = None
                     ) -> list[tuple[Passage, float]]:
        """Nearest passages with their cosine similarity."""
        filters = None
        if groups is not None:
            filters = MetadataFilters(filters=[MetadataFilter(
                key="group", value=["", *groups], operator=FilterOperator.IN)])
        k = min(k, self.count())
        if k == 0:
            return []
        result = self.vectors.query(VectorStoreQuery(query_embedding=embedding, similarity_top_k=k,
                                                     filters=filters))
        # ChromaVectorStore reports exp(-distance); with cosine space, distance = 1 - cosine.
        return [(from_node(node), 1.0 + math.log(max(sim, 1e-12)))
                for node, sim in zip(result.nodes or [], result.similarities or [])
                if isinstance(node, TextNode)]

    def lexical_search(self, query: str, k: int, groups: list[str] | None = None) -> list[tuple[str, float]]:
        allowed = None if groups is None else self.ids_for_groups(groups)
        return self.lexical.search(query, k, allowed)

    def refresh_lexical(self) -> None:
        """Load the BM25 index, rebuilding it when the documents changed since it was built.

        A question reads the state record only: a writer rewrites it once a document's passages
        and record are in place, so any worker, in any process, sees every change at its next
        question. The BM25 side is labelled with the fingerprint of the document list itself, read
        before the passages: a writer killed before it rewrote the state leaves a state that lags
        behind the passages, and a label taken from it would pass a stale BM25 side for current
        (found by the crash test). One rebuild at a time per process."""
        if self.lexical.fingerprint == self._state().get("fingerprint", ""):  # "" for both: empty store
            return
        with self._refreshing:
            current = fingerprint_of(self.documents())
            if self.lexical.fingerprint == current or (self.lexical.load() and self.lexical.fingerprint == current):
                return
            self.lexical.build(self.all_passages(), current)

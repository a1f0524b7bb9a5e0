"""The lexical side of retrieval: BM25 (bm25s) over folded French tokens, title and section
included, saved under index/lexical or kept in memory only (``directory`` None).

The saved copy is only a cache of what Chroma holds: written in a temporary folder of its own
(`assistant index` and a running app may save at once), fsynced, then swapped in whole; a copy
that cannot be read (empty, truncated, from a full disk) is rebuilt from Chroma, never fatal."""
from __future__ import annotations

import json
import logging
import os
import shutil
import tempfile
import threading
import uuid
from pathlib import Path

import bm25s
import numpy as np

from assistant.domain import Passage
from assistant.text.words import tokens

log = logging.getLogger(__name__)


def _fsync(path: Path) -> None:
    """Flush a file or a folder's entries to the disk (a crash then finds them whole)."""
    handle = os.open(path, os.O_RDONLY)
    try:
        os.fsync(handle)
    finally:
        os.close(handle)


class LexicalIndex:
    def __init__(self, directory: Path | None) -> None:
        self.directory = directory
        self.ids: list[str] = []
        self.fingerprint = ""  # the store state it was built from
        self._bm25: bm25s.BM25 | None = None
        self._swap = threading.Lock()  # a search never sees new ids with the old BM25 matrix

    def build(self, passages: list[Passage], fingerprint: str) -> None:
        # Reading order, not the store's: a document indexed again goes to the end of Chroma's
        # listing, and tied scores would then rank its passages otherwise.
        passages = sorted(passages, key=lambda p: (p.document, p.position))
        corpus = [tokens(f"{p.heading} {p.text}") or ["\u2205"] for p in passages]
        bm25 = None
        if corpus:
            bm25 = bm25s.BM25(k1=1.2, b=0.75)
            bm25.index(corpus, show_progress=False)
        with self._swap:
            self.ids, self._bm25, self.fingerprint = [p.id for p in passages], bm25, fingerprint
        if self.directory is not None:
            self._save()

    def _save(self) -> None:
        parent, name = self.directory.parent, self.directory.name
        parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f"{name}.tmp-", dir=parent))  # this writer's own
        try:
            if self.ids and self._bm25 is not None:
                self._bm25.save(str(tmp), show_progress=False)
            (tmp / "ids.json").write_text(json.dumps({"fingerprint": self.fingerprint, "ids": self.ids}))
            for path in [*tmp.iterdir(), tmp]:
                _fsync(path)
            # Swap whole folders so a crash never leaves half an index.
            old = parent / f"{name}.old-{uuid.uuid4().hex[:8]}"
            try:
                self.directory.rename(old)
            except FileNotFoundError:  # the first save, or another writer is swapping too
                pass
            try:
                tmp.rename(self.directory)
            except OSError:  # another writer put its copy in place meanwhile: as current as this one
                log.info("index lexical déjà remplacé par un autre processus")
            shutil.rmtree(old, ignore_errors=True)
            _fsync(parent)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)

    def load(self) -> bool:
        if self.directory is None:
            return False
        meta = self.directory / "ids.json"
        if not meta.exists():
            return False
        try:
            data = json.loads(meta.read_text())
            bm25 = bm25s.BM25.load(str(self.directory), show_progress=False) if data["ids"] else None
        except Exception as error:  # noqa: BLE001 - empty, truncated, binary: any damage means rebuild
            log.warning("Index lexical illisible (%s) : reconstruit depuis Chroma.", type(error).__name__)
            return False
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
        # A stable sort ranks tied scores in reading order. numpy's default sort is not stable and
        # orders ties by the CPU's instructions: AVX-512 and AVX2 machines ranked the same BM25
        # scores otherwise for 30 of 147 dev + tuning questions.
        order = np.argsort(-scores, kind="stable")
        hits: list[tuple[str, float]] = []
        for i in order:
            if scores[i] <= 0 or len(hits) >= k:
                break
            if allowed is None or ids[i] in allowed:
                hits.append((ids[i], float(scores[i])))
        return hits

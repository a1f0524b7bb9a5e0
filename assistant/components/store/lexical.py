"""The lexical side of retrieval: BM25 (bm25s) over folded French tokens, title and section
included, saved under index/lexical or kept in memory only (``directory`` None)."""
from __future__ import annotations

import json
import shutil
import threading
from pathlib import Path

import bm25s

from assistant.domain import Passage
from assistant.text.words import tokens


class LexicalIndex:
    def __init__(self, directory: Path | None) -> None:
        self.directory = directory
        self.ids: list[str] = []
        self.fingerprint = ""  # the store state it was built from
        self._bm25: bm25s.BM25 | None = None
        self._swap = threading.Lock()  # a search never sees new ids with the old BM25 matrix

    def build(self, passages: list[Passage], fingerprint: str) -> None:
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

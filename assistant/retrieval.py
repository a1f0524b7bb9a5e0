"""Hybrid retrieval: BM25 on folded French tokens plus dense e5 embeddings, fused by reciprocal
rank fusion; also decides when nothing relevant was found, so that the answer can abstain."""
from __future__ import annotations

import math
from dataclasses import dataclass

from llama_index.core.base.embeddings.base import BaseEmbedding
from llama_index.core.schema import TextNode

from assistant.french import fold, overlap, tokens
from assistant.passages import heading_of
from assistant.settings import RetrievalSettings
from assistant.store import PassageStore


@dataclass
class RetrievedPassage:
    node: TextNode
    score: float  # fused (RRF)
    dense: float | None = None  # cosine similarity
    lexical: float | None = None  # BM25 score


@dataclass
class Retrieval:
    query: str
    passages: list[RetrievedPassage]
    relevant: bool
    coverage: float  # share of the question's words found in the best passages


def rrf(rankings: list[list[str]], k: int) -> dict[str, float]:
    """Reciprocal rank fusion (Cormack et al., 2009): robust to the two retrievers' score scales."""
    fused: dict[str, float] = {}
    for ranking in rankings:
        for rank, item in enumerate(ranking):
            fused[item] = fused.get(item, 0.0) + 1.0 / (k + rank + 1)
    return fused


def coverage(query: str, texts: list[str]) -> float:
    """Share of the question's content words (prefix-matched, for plurals and inflections) found."""
    wanted = set(tokens(query))
    if not wanted:
        return 0.0
    return overlap(wanted, " ".join(texts)) / len(wanted)


class HybridRetriever:
    def __init__(self, settings: RetrievalSettings, store: PassageStore, embedder: BaseEmbedding) -> None:
        self.settings = settings
        self.store = store
        self.embedder = embedder

    def retrieve(self, query: str, top: int | None = None, audiences: list[str] | None = None) -> Retrieval:
        top = top or self.settings.passages
        k = self.settings.candidates
        dense = self.store.dense_search(self.embedder.get_query_embedding(query), k, audiences)
        allowed = None if audiences is None else self.store.ids_for_audiences(audiences)
        lexical = self.store.lexical.search(query, k, allowed)
        fused = rrf([[n.node_id for n, _ in dense], [i for i, _ in lexical]], self.settings.rrf_k)
        nodes = {n.node_id: n for n, _ in dense}
        nodes.update(self.store.get([i for i, _ in lexical if i not in nodes]))
        dense_scores = {n.node_id: s for n, s in dense}
        lexical_scores = dict(lexical)
        ranked = sorted(fused, key=fused.get, reverse=True)[:top]
        passages = [RetrievedPassage(nodes[i], fused[i], dense_scores.get(i), lexical_scores.get(i))
                    for i in ranked if i in nodes]
        cover = coverage(query, [f"{heading_of(p.node)} {p.node.text}" for p in passages])
        best_dense = max((p.dense for p in passages if p.dense is not None), default=-math.inf)
        relevant = bool(passages) and (best_dense >= self.settings.min_dense_score
                                       or cover >= self.settings.min_lexical_coverage)
        return Retrieval(query, passages, relevant, cover)


def normalise_for_match(text: str) -> str:
    """Case, accents, markup and spacing aside: used to find a quote inside a passage."""
    return " ".join(fold(text.replace("*", "").replace("_", " ")).split())

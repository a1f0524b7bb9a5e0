"""Hybrid retrieval: BM25 on folded French tokens plus dense e5 embeddings, fused by reciprocal
rank fusion; also decides when nothing relevant was found, so that the answer can abstain."""
from __future__ import annotations

import math
import re
from typing import TypeVar

from llama_index.core.base.embeddings.base import BaseEmbedding

from assistant.components.store import PassageStore
from assistant.config import RetrievalSettings
from assistant.domain import Passage, Retrieval, RetrievedPassage
from assistant.rag.evidence import by_best_sentence
from assistant.rag.lookalikes import asked_figures
from assistant.rag.question import definition_entry, is_closed, quoted_term
from assistant.text.normalise import fold
from assistant.text.words import coverage

T = TypeVar("T")
_KIND_SEARCH = 40  # BM25 hits looked through for a passage stating the kind of figure asked


def rrf(rankings: list[list[str]], k: int) -> dict[str, float]:
    """Reciprocal rank fusion (Cormack et al., 2009): robust to the two retrievers' score scales."""
    fused: dict[str, float] = {}
    for ranking in rankings:
        for rank, item in enumerate(ranking):
            fused[item] = fused.get(item, 0.0) + 1.0 / (k + rank + 1)
    return fused


def _in_place(ranked: list[T], item: T, reading: int) -> list[T]:
    """`item` in the last place of the reference reading (the first `reading`), the passages after it
    moved down one: with the page's slider set higher, the reference reading stays the default's."""
    place = min(reading, len(ranked)) - 1
    rest = [other for other in ranked if other != item]
    return [*rest[:place], item, *rest[place:]][:len(ranked)]


def _read_in(found: list[RetrievedPassage], passage: Passage, reading: int) -> list[RetrievedPassage]:
    """`passage` in the last place of the reference reading, taken from the slider's extra places
    when it is there, else scored as the place it takes."""
    later = next((item for item in found if item.passage.id == passage.id), None)
    return _in_place(found, later or RetrievedPassage(passage, found[min(reading, len(found)) - 1].score), reading)


def with_lexical_best(ranked: list[str], lexical: list[tuple[str, float]], reading: int) -> list[str]:
    """The passage BM25 ranks first takes the last place of the reading when fusion left it out. The
    question's rarer words (« urgence », « tableau », an article's number) can single out one passage
    that the dense side ranks 14th, and fusion then put it below passages both sides found middling
    (dev + tuning: article 5's « 24 heures », article 113's date for article 6(1) were left out)."""
    if min(len(ranked), reading) < 3 or not lexical or lexical[0][0] in ranked[:reading]:
        return ranked  # too few places to give one up, or read already
    return _in_place(ranked, lexical[0][0], reading)


def _definition_phrases(term: str) -> list[str]:
    """How the documents may write the quoted term (chroma's full-text filter takes it as written)."""
    spellings = {term, term.lower(), term.replace("'", "’"), term.lower().replace("'", "’")}
    return sorted(f"{opening}{spelling}{closing}" for spelling in spellings
                  for opening, closing in (("«", "»"), ("« ", " »"), ("“", "”")))


def with_definition(found: list[RetrievedPassage], query: str, store: PassageStore,
                    groups: list[str] | None, reading: int) -> list[RetrievedPassage]:
    """A question on a quoted term's definition reads the passage defining it, in the last place of
    the reading when fusion left it out: the regulation's definitions (« «fournisseur», une personne
    … ») are one passage among dozens saying the word, and fusion ranked the definition sixth."""
    term = quoted_term(query)
    if not term or min(len(found), reading) < 3:  # too few places to give one up
        return found
    defines = re.compile(definition_entry(term))
    defining = next((p for p in store.containing(_definition_phrases(term), groups) if defines.search(fold(p.text))),
                    None)
    if defining is None or any(item.passage.id == defining.id for item in found[:reading]):
        return found
    return _read_in(found, defining, reading)


def with_asked_kind(found: list[RetrievedPassage], query: str, store: PassageStore,
                    groups: list[str] | None, reading: int) -> list[RetrievedPassage]:
    """A question asking for a kind of figure (an amount, a date, a duration) that no passage of the
    reading states reads the passage BM25 ranks first among those stating one, in the last place of
    the reading: « À partir de quelle date l'article 6, paragraphe 1, … s'applique-t-il ? » read
    only article 6, which holds no date, and was refused; the date is article 113's (« l'article 6,
    paragraphe 1, … s'appliquent à partir du 2 août 2027 »). A yes/no question asks for no figure."""
    kinds = [] if is_closed(query) else asked_figures(query)
    if not kinds or min(len(found), reading) < 3:
        return found

    def states(passage: Passage) -> bool:
        return any(kind.search(fold(f"{passage.heading} {passage.text}")) for kind in kinds)

    if any(states(item.passage) for item in found[:reading]):
        return found
    hits = [i for i, _ in store.lexical_search(query, _KIND_SEARCH, groups)]
    passages = store.get(hits)
    stating = next((passages[i] for i in hits if i in passages and states(passages[i])), None)
    if stating is None:
        return found
    return _read_in(found, stating, reading)


class HybridRetriever:
    def __init__(self, settings: RetrievalSettings, store: PassageStore, embedder: BaseEmbedding) -> None:
        self.settings = settings
        self.store = store
        self.embedder = embedder

    def retrieve(self, query: str, top: int | None = None, groups: list[str] | None = None,
                 by_sentence: bool = True) -> Retrieval:
        """The `top` best passages for the query, among those open to `groups` (None: all); with a
        `rerank_pool`, for a question (`by_sentence`), the best by their best sentence among that
        many fused ones."""
        top = top or self.settings.passages
        k = self.settings.candidates
        self.store.refresh_lexical()
        dense = self.store.dense_search(self.embedder.get_query_embedding(query), k, groups)
        lexical = self.store.lexical_search(query, k, groups)
        fused = rrf([[p.id for p, _ in dense], [i for i, _ in lexical]], self.settings.rrf_k)
        passages = {p.id: p for p, _ in dense}
        passages.update(self.store.get([i for i, _ in lexical if i not in passages]))
        dense_scores = {p.id: s for p, s in dense}
        lexical_scores = dict(lexical)
        rerank = by_sentence and self.settings.rerank_pool > 0
        ranked = sorted(fused, key=fused.get, reverse=True)[:max(top, self.settings.rerank_pool) if rerank else top]
        if self.settings.lexical_best and not rerank:
            ranked = with_lexical_best(ranked, lexical, self.settings.passages)
        found = [RetrievedPassage(passages[i], fused[i], dense_scores.get(i), lexical_scores.get(i))
                 for i in ranked if i in passages]
        found = by_best_sentence(query, found)[:top] if rerank else found
        if self.settings.definitions:
            found = with_definition(found, query, self.store, groups, self.settings.passages)
        if self.settings.asked_kind:
            found = with_asked_kind(found, query, self.store, groups, self.settings.passages)
        cover = coverage(query, " ".join(f"{r.passage.heading} {r.passage.text}" for r in found))
        best_dense = max((r.dense for r in found if r.dense is not None), default=-math.inf)
        relevant = bool(found) and (best_dense >= self.settings.min_dense_score
                                    or cover >= self.settings.min_lexical_coverage)
        return Retrieval(query, found, relevant, cover)

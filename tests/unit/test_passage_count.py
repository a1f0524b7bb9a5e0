"""The page's « Passages consultés » slider with the opt-in `retrieval.rerank_pool`: one passage
more or fewer adds or drops the weakest passage, never the one whose sentence answers (a right
answer should not hang on the count)."""
from __future__ import annotations

from assistant.config import RetrievalSettings
from assistant.domain import Passage
from assistant.rag.retrieval import HybridRetriever

QUESTION = "Quelle part des offres d'emploi cadre de l'industrie mentionnent l'IA en Bretagne ?"
TEXTS = {  # in the order both searches rank them: the answer's passage comes last
    "common": "Les offres d'emploi cadre de l'industrie mentionnent de plus en plus l'IA, selon l'industrie.",
    "other": "Dans l'industrie, les offres d'emploi cadre qui mentionnent l'IA viennent des grandes entreprises.",
    "region": "Les offres d'emploi cadre de l'industrie sont nombreuses en Île-de-France.",
    "answer": "En Bretagne, 4 % des offres d'emploi cadre mentionnent l'IA.",
}


class _Store:
    """Both searches rank the passages in TEXTS' order, as fusion would on common words."""

    def __init__(self) -> None:
        self.passages = {key: Passage(key, text, "etude.pdf", "etude", n)
                         for n, (key, text) in enumerate(TEXTS.items())}

    def refresh_lexical(self) -> None:
        pass

    def dense_search(self, embedding: list[float], k: int, groups: list[str] | None = None):
        return [(p, 0.9 - n / 100) for n, p in enumerate(self.passages.values())][:k]

    def lexical_search(self, query: str, k: int, groups: list[str] | None = None):
        return [(key, 10.0 - n) for n, key in enumerate(self.passages)][:k]

    def get(self, ids: list[str]) -> dict[str, Passage]:
        return {i: self.passages[i] for i in ids}


class _Embedder:
    def get_query_embedding(self, query: str) -> list[float]:
        return [1.0]


def _retrieve(top: int, pool: int, by_sentence: bool = True) -> list[str]:
    settings = RetrievalSettings(rerank_pool=pool)
    retriever = HybridRetriever(settings, _Store(), _Embedder())  # type: ignore[arg-type]
    return [found.passage.id for found in retriever.retrieve(QUESTION, top, by_sentence=by_sentence).passages]


def test_the_passage_whose_sentence_answers_is_kept_at_every_count_of_the_slider():
    for top in (1, 2, 3):
        kept = _retrieve(top, pool=4)
        assert kept[0] == "answer", (top, kept)
        assert len(kept) == top


def test_one_passage_more_adds_one_and_changes_none_of_the_others():
    two, three = _retrieve(2, pool=4), _retrieve(3, pool=4)
    assert three[:2] == two and len(set(three)) == 3


def test_without_the_pool_the_count_cuts_the_answer_off():
    """What the pool is for: cut on the searches' order alone, two passages leave the answer out."""
    assert "answer" not in _retrieve(2, pool=0)


def test_a_theme_search_keeps_the_searches_order_whatever_the_pool():
    """The workshop's searches are on a theme, not a question: no sentence answers them."""
    assert _retrieve(2, pool=4, by_sentence=False) == ["common", "other"]

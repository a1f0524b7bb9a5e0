"""A question asking for a kind of figure (an amount, a date) that no passage of the reading states
reads the best lexical hit that states one: five passages of the deployers' article, sharing the
question's words, left out the article on fines, and the model said the documents do not say."""
from __future__ import annotations

from assistant.domain import Passage, RetrievedPassage
from assistant.rag.retrieval import with_asked_kind

OBLIGATIONS = [f"{n}. Les déployeurs de systèmes à haut risque respectent l'obligation numéro {n} de cet article."
               for n in range(1, 7)]
FINE = ("4. Le non-respect des obligations des déployeurs fait l'objet d'une amende administrative pouvant aller "
        "jusqu'à 15 000 000 EUR.")
PROCEDURE = "Les déployeurs informent l'autorité des obligations non respectées."


class _Store:
    """BM25 ranks the procedure first, then the fine, then the obligations."""

    def __init__(self) -> None:
        texts = {"procedure": PROCEDURE, "fine": FINE, **{f"o{n}": t for n, t in enumerate(OBLIGATIONS)}}
        self.passages = {key: Passage(key, text, "reglement.md", "Règlement", None) for key, text in texts.items()}

    def lexical_search(self, query: str, k: int, groups: list[str] | None = None):
        return [(key, 10.0 - n) for n, key in enumerate(self.passages)][:k]

    def get(self, ids: list[str]) -> dict[str, Passage]:
        return {i: self.passages[i] for i in ids if i in self.passages}


def _reading(question: str, ids: list[str]) -> list[str]:
    store = _Store()
    found = [RetrievedPassage(store.passages[i], 1.0 - n / 10) for n, i in enumerate(ids)]
    return [item.passage.id for item in with_asked_kind(found, question, store, None, 5)]  # type: ignore[arg-type]


def test_a_fine_asked_and_no_amount_read_brings_the_passage_stating_one():
    read = _reading("Quelle amende risque un déployeur qui ne respecte pas ses obligations ?",
                    ["o0", "o1", "o2", "o3", "o4", "o5"])
    assert read[4] == "fine" and read[:4] == ["o0", "o1", "o2", "o3"] and len(read) == 6


def test_a_reading_stating_an_amount_or_a_yes_no_question_is_left_as_it_is():
    ids = ["o0", "fine", "o1", "o2", "o3"]
    assert _reading("Quelle amende risque un déployeur qui ne respecte pas ses obligations ?", ids) == ids
    closed = ["o0", "o1", "o2", "o3", "o4"]
    assert _reading("Un déployeur risque-t-il une amende s'il ne respecte pas ses obligations ?", closed) == closed

"""The benchmark's scoring, on hand-made results."""
from __future__ import annotations

from eval.metrics import score_question, summarise

QUESTION = {"id": "q1", "kind": "figure",
            "turns": [{"q": "Quelle part ?", "expect": [["2,2 %", "2,2%"]]}],
            "gold": [{"doc": "etude", "quote": "Ce pourcentage est de seulement 2,2 %"}]}
ABSTAIN = {"id": "q2", "kind": "abstain", "abstain": True, "turns": [{"q": "Airbus ?", "expect": [[]]}],
           "gold": []}
GOLD_PASSAGE = {"document": "etude.pdf", "page": 7, "text": "Note : ce pourcentage est de seulement 2,2 % pour tous."}
OTHER_PASSAGE = {"document": "etude.pdf", "page": 8, "text": "La part passe de 65 % à 73 %."}


def _result(answer: str, abstained: bool = False, citations=(), retrieved=(GOLD_PASSAGE, OTHER_PASSAGE)):
    return {"id": "x", "turns": [{"q": "?", "answer": answer, "abstained": abstained,
                                  "citations": list(citations), "retrieved": list(retrieved),
                                  "timings": {"first_token_s": 1.0, "total_s": 2.0}}]}


def test_right_answer_with_the_gold_passage_cited() -> None:
    score = score_question(QUESTION, _result("Seulement 2,2 % [1].", citations=[GOLD_PASSAGE]))
    assert score["correct"] and score["citation_hit"] and score["retrieval_hit"]


def test_wrong_figure_is_not_correct() -> None:
    assert not score_question(QUESTION, _result("65 % [1].", citations=[GOLD_PASSAGE]))["correct"]


def test_citation_to_the_wrong_passage_misses() -> None:
    score = score_question(QUESTION, _result("2,2 % [1].", citations=[OTHER_PASSAGE]))
    assert score["correct"] and score["citation_hit"] is False


def test_abstentions_right_and_false() -> None:
    right = score_question(ABSTAIN, _result("L'information ne figure pas dans les documents.", True))
    false = score_question(QUESTION, _result("L'information ne figure pas dans les documents.", True))
    summary = summarise([right, false])
    assert summary["abstention_accuracy"] == 1.0
    assert summary["false_abstention_rate"] == 1.0
    assert summary["answer_accuracy"] == 0.0

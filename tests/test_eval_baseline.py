"""The baseline runs through the same harness and writes the same results format."""
from __future__ import annotations

from assistant.assistant import Assistant
from eval.baseline import Baseline
from eval.metrics import score_question
from eval.run import run_questions


def test_baseline_answers_in_the_results_format_with_its_cited_chunks(assistant: Assistant, make_corpus) -> None:
    make_corpus()
    baseline = Baseline(assistant)
    assistant.llm().replies = ["La cybersécurité est une priorité pour 62 % des dirigeants [1]. Voir aussi [9]."]
    question = {"id": "b1", "kind": "figure",
                "turns": [{"q": "Quelle part des dirigeants cite la cybersécurité ?", "expect": [["62 %"]]}],
                "gold": [{"doc": "etude", "quote": "priorité par 62 % des dirigeants"}]}
    [result] = run_questions(baseline.new_session, [question], verbose=False)
    turn = result["turns"][0]
    assert not turn["abstained"]
    assert [c["marker"] for c in turn["citations"]] == [1]  # [9] points nowhere: not a citation
    assert turn["citations"][0]["document"] == turn["retrieved"][0]["document"]
    assert not turn["citations"][0]["text"].startswith("Source")
    assert turn["timings"]["total_s"] >= turn["timings"]["first_token_s"] > 0
    assert score_question(question, result)["correct"]


def test_baseline_refusal_counts_as_an_abstention(assistant: Assistant, make_corpus) -> None:
    make_corpus()
    baseline = Baseline(assistant)
    assistant.llm().replies = ["L'information ne figure pas dans les documents."]
    [result] = run_questions(baseline.new_session, [{"id": "b2", "turns": [{"q": "Qui a gagné la coupe ?",
                                                                            "expect": []}], "abstain": True}],
                             verbose=False)
    assert result["turns"][0]["abstained"]

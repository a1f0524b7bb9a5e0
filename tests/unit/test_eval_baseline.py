"""The baseline runs through the same harness and writes the same results format."""
from __future__ import annotations

from assistant import Assistant
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
    [result] = run_questions(baseline.new_dialogue, [question], verbose=False)
    turn = result["turns"][0]
    assert not turn["abstained"]
    assert [c["marker"] for c in turn["citations"]] == [1]  # [9] points nowhere: not a citation
    assert turn["citations"][0]["document"] == turn["retrieved"][0]["document"]
    assert not turn["citations"][0]["text"].startswith("Source")
    assert turn["timings"]["total_s"] >= turn["timings"]["first_token_s"] > 0
    assert score_question(question, result)["correct"]


def test_baseline_source_n_wording_counts_as_a_citation() -> None:
    """The baseline's model often writes « According to Source 2 » or « [Source 2] » for [2]."""
    from eval.baseline import cited_numbers

    assert cited_numbers("According to Source 2, 62 % [Source 1]. See [7].", sources=2) == [1, 2]


def test_english_refusal_counts_as_an_abstention() -> None:
    from assistant.rag.answering import is_abstention

    assert is_abstention("The price of the Airbus stock is not provided in the given sources.")
    assert not is_abstention("The Airbus stock is mentioned in the study [1].")


def test_baseline_refusal_counts_as_an_abstention(assistant: Assistant, make_corpus) -> None:
    make_corpus()
    baseline = Baseline(assistant)
    assistant.llm().replies = ["L'information ne figure pas dans les documents."]
    [result] = run_questions(baseline.new_dialogue, [{"id": "b2", "turns": [{"q": "Qui a gagné la coupe ?",
                                                                            "expect": []}], "abstain": True}],
                             verbose=False)
    assert result["turns"][0]["abstained"]


def test_one_command_writes_results_and_a_report_comparing_ours_with_the_baseline(
        indexed: Assistant, settings, tmp_path) -> None:
    import json

    from eval.evaluate import evaluate_set, side_by_side

    questions = tmp_path / "set.jsonl"
    questions.write_text("\n".join(json.dumps(q, ensure_ascii=False) for q in [
        {"id": "f1", "kind": "figure", "turns": [{"q": "Quel budget pour la maintenance prédictive ?",
                                                  "expect": [["480 000"]]}],
         "gold": [{"doc": "etude", "quote": "480 000 euros par site"}]},
        {"id": "f2", "kind": "figure", "turns": [{"q": "Combien d'entreprises ?", "expect": [["1 250"]]}]},
        {"id": "a1", "kind": "abstain", "turns": [{"q": "Quel est le cours de l'action Airbus ?", "expect": []}],
         "abstain": True}]), encoding="utf-8")
    systems = {"ours": indexed, "baseline": Baseline(indexed).new_dialogue}
    runs = evaluate_set(questions, systems, tmp_path / "out", fast=True)
    assert [r.label for r in runs] == ["ours", "baseline"]
    assert all(len(r.results) == 2 for r in runs)  # fast: one question of each kind
    report_md = (tmp_path / "out" / "reports" / "set-fast.md").read_text(encoding="utf-8")
    assert "ours" in report_md and "baseline" in report_md
    assert (tmp_path / "out" / "results" / "set-fast-baseline.jsonl").is_file()
    assert "answer accuracy" in side_by_side("set", runs)
    # ours answered through the chat service, as the page and the command line do: each answer logged
    logged = [r for r in indexed.audit.records() if r["type"] == "exchange"]
    assert [r["question"] for r in logged] == [t["q"] for result in runs[0].results.values() for t in result["turns"]]
    assert {r["user"] for r in logged} == {"evaluation"}

    # --reuse: the baseline's results file is read again, not answered again; ours answers anew
    baseline_file = tmp_path / "out" / "results" / "set-fast-baseline.jsonl"
    written = baseline_file.read_text(encoding="utf-8")
    again = evaluate_set(questions, {"ours": indexed, "baseline": None}, tmp_path / "out", fast=True,
                         reuse=frozenset({"baseline"}))
    assert [r.label for r in again] == ["ours", "baseline"] and len(again[1].results) == 2
    assert baseline_file.read_text(encoding="utf-8") == written


def test_a_results_file_is_reread_with_the_current_reading(tmp_path) -> None:
    """A long baseline run is not redone when only the reading of its answers changed."""
    import json

    from eval.baseline import reread

    passage = {"document": "etude.pdf", "page": 2, "text": "62 % des dirigeants."}
    turn = {"q": "Quelle part ?", "answer": "According to Source 1, 62 %.", "abstained": False,
            "citations": [], "retrieved": [passage], "timings": {"total_s": 1.0}}
    path = tmp_path / "baseline.jsonl"
    path.write_text(json.dumps({"id": "b1", "turns": [turn]}) + "\n", encoding="utf-8")
    reread(path)
    [result] = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert result["turns"][0]["citations"] == [{"marker": 1, **passage}]
    assert result["turns"][0]["timings"] == {"total_s": 1.0}

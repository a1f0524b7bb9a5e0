"""The evaluation's fast mode with the real models (CI): one question of each kind of
../shared/eval/dev.jsonl through ours and through the llama-index baseline, in one command."""
from __future__ import annotations

from pathlib import Path

import pytest

from eval import report
from eval.evaluate import main
from eval.run import read_questions
from support.shared_corpus import require_shared

pytestmark = pytest.mark.models



def test_fast_evaluation_reports_ours_against_the_baseline(tmp_path: Path, capsys) -> None:
    shared = require_shared("corpus", "eval/dev.jsonl")
    questions_path = shared / "eval" / "dev.jsonl"
    assert main(["--corpus", str(shared / "corpus"), "--questions", str(questions_path), "--fast",
                 "--index-dir", str(tmp_path / "index"), "--out", str(tmp_path)]) == 0
    print(capsys.readouterr().out)  # the side-by-side table, in the test log
    questions = read_questions(questions_path)
    kinds = {q["kind"] for q in questions}
    runs = {label: report.load_run(label, tmp_path / "results" / f"dev-fast-{label}.jsonl", questions)
            for label in ("ours", "baseline")}
    for run in runs.values():  # one question of every kind, each with its timings
        assert len(run.results) == len(kinds)
        assert all(t["timings"]["total_s"] > 0 for r in run.results.values() for t in r["turns"])
    page = (tmp_path / "reports" / "dev-fast.html").read_text(encoding="utf-8")
    assert "<svg" in page and "baseline" in page
    ours, baseline = runs["ours"].summary, runs["baseline"].summary
    # What the project claims over library defaults, on the same models: right and sourced more often.
    assert ours["answer_accuracy"] > baseline["answer_accuracy"]
    assert ours["citation_hit"] > baseline["citation_hit"]
    assert ours["abstention_accuracy"] >= baseline["abstention_accuracy"]

"""eval.compare: the check that a restructuring left every answer as it was."""
from __future__ import annotations

import json
from pathlib import Path

from eval.compare import main

TURN = {"q": "Quelle part ?", "answer": "3 % [1].", "abstained": False,
        "citations": [{"marker": 1, "document": "etude.pdf", "page": 5, "text": "…"}], "timings": {"total_s": 1.0}}


def _write(path: Path, *results: dict) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in results), encoding="utf-8")
    return path


def test_same_answers_pass_whatever_the_timings(tmp_path: Path, capsys) -> None:
    before = _write(tmp_path / "a.jsonl", {"id": "d01", "turns": [TURN]})
    after = _write(tmp_path / "b.jsonl", {"id": "d01", "turns": [{**TURN, "timings": {"total_s": 9.0}}]})
    assert main([str(before), str(after)]) == 0
    assert "same answers: 1 questions, 1 turns" in capsys.readouterr().out


def test_another_page_cited_or_a_missing_question_is_reported(tmp_path: Path, capsys) -> None:
    moved = {**TURN, "citations": [{**TURN["citations"][0], "page": 6}]}
    before = _write(tmp_path / "a.jsonl", {"id": "d01", "turns": [TURN]}, {"id": "d02", "turns": [TURN]})
    after = _write(tmp_path / "b.jsonl", {"id": "d01", "turns": [moved]})
    assert main([str(before), str(after)]) == 1
    out = capsys.readouterr().out
    assert "d01 turn 1 citations" in out and "'etude.pdf', 5" in out and "'etude.pdf', 6" in out
    assert "d02: missing" in out

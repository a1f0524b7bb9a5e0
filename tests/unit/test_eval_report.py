"""The evaluation report (Markdown + HTML) on hand-made question and results files."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from eval.report import main

GOLD = {"document": "etude.pdf", "page": 7, "text": "Note : ce pourcentage est de seulement 2,2 % pour tous."}
OTHER = {"document": "etude.pdf", "page": 8, "text": "La part passe de 65 % à 73 %."}
REFUSAL = "L'information ne figure pas dans les documents."
QUESTIONS = [
    {"id": "right", "kind": "figure", "turns": [{"q": "Quelle part ?", "expect": [["2,2 %"]]}],
     "gold": [{"doc": "etude", "quote": "ce pourcentage est de seulement 2,2 %"}]},
    {"id": "figure", "kind": "figure", "turns": [{"q": "Quelle part en 2024 ?", "expect": [["2,2 %"]]}],
     "gold": [{"doc": "etude", "quote": "ce pourcentage est de seulement 2,2 %"}]},
    {"id": "abstain", "kind": "abstain", "abstain": True, "turns": [{"q": "Cours d'Airbus ?", "expect": [[]]}]},
    {"id": "false-abstain", "kind": "law", "turns": [{"q": "Quelle part ?", "expect": [["2,2 %"]]}],
     "gold": [{"doc": "etude", "quote": "ce pourcentage est de seulement 2,2 %"}]},
]


def _cite(*passages):
    return [{"marker": n, **p} for n, p in enumerate(passages, start=1)]


def _turn(answer, citations=(), abstained=False, total_s=2.0):
    return {"q": "?", "answer": answer, "abstained": abstained, "citations": list(citations),
            "retrieved": [GOLD, OTHER], "timings": {"first_token_s": total_s / 2, "total_s": total_s},
            "prompt_tokens": 500}


def _write(path: Path, rows) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return path


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    ours = [  # right answer with a broken marker and an HTML-looking answer; wrong figure; abstentions
        {"id": "right", "turns": [_turn("Seulement 2,2 % [1][3].\n<script>alert(1)</script>", _cite(GOLD, OTHER),
                                        total_s=5.0)]},
        {"id": "figure", "turns": [_turn("La part est de 65 % [1].", _cite(GOLD))]},
        {"id": "abstain", "turns": [_turn(REFUSAL, abstained=True)]},
        {"id": "false-abstain", "turns": [_turn(REFUSAL, abstained=True)]},
    ]
    baseline = [
        {"id": "right", "turns": [_turn("Seulement 2,2 % [1].", _cite(GOLD), total_s=2.0)]},
        {"id": "figure", "turns": [_turn("La part est de 2,2 % [1].", _cite(OTHER), total_s=2.1)]},
        {"id": "abstain", "turns": [_turn("Le cours est de 150 euros.")]},
        {"id": "false-abstain", "turns": [_turn(REFUSAL, abstained=True)]},
    ]
    return {"questions": _write(tmp_path / "q.jsonl", QUESTIONS), "ours": _write(tmp_path / "ours.jsonl", ours),
            "baseline": _write(tmp_path / "baseline.jsonl", baseline), "out": tmp_path / "reports" / "dev"}


def _row(html: str, qid: str) -> str:
    """The row of one question in the per-question table."""
    return re.search(rf'<tr id="q-{qid}"[^>]*>.*?</tr>', html, re.S).group(0)


def test_single_run_report_has_summary_charts_and_question_table(files) -> None:
    assert main(["--questions", str(files["questions"]), "--results", str(files["ours"]),
                 "--out", str(files["out"])]) == 0
    md = Path(f"{files['out']}.md").read_text(encoding="utf-8")
    html = Path(f"{files['out']}.html").read_text(encoding="utf-8")
    assert "| answer accuracy | 0.33 |" in md  # 1 of 3 answerable questions
    assert "| marker validity | 0.50 |" in md  # [3] with 2 citations; "65 % [1]" is fine
    assert "| abstention accuracy | 1.00 |" in md and "| false abstention rate | 0.33 |" in md
    assert html.count("<svg") == 2 and "accuracy and citation hit per kind" in html
    assert "latency per turn" in html
    assert "http" not in html.replace("http://www.w3.org/2000/svg", "")  # nothing to fetch
    right = _row(html, "right")
    assert "✓ correct" in right and "✗ broken marker" in right and "precision 0.50" in right
    assert "[1] etude.pdf p.7 — « Note : ce pourcentage est de seulement 2,2 % pour tous. »" in right
    assert "✗ wrong" in _row(html, "figure") and "precision 0.00" in _row(html, "figure")
    assert "✓ abstained" in _row(html, "abstain") and "✗ false abstention" in _row(html, "false-abstain")
    assert "How the metrics are computed" in html and "every number of the sentence" in html


def test_answers_are_escaped(files) -> None:
    main(["--questions", str(files["questions"]), "--results", str(files["ours"]), "--out", str(files["out"])])
    for suffix in (".html", ".md"):
        text = Path(f"{files['out']}{suffix}").read_text(encoding="utf-8")
        assert "<script>" not in text and "&lt;script&gt;alert(1)&lt;/script&gt;" in text


def test_comparison_flags_regressions_and_deltas(files) -> None:
    main(["--questions", str(files["questions"]), "--results", str(files["ours"]), "--results",
          str(files["baseline"]), "--label", "ours", "--label", "baseline", "--out", str(files["out"])])
    md = Path(f"{files['out']}.md").read_text(encoding="utf-8")
    html = Path(f"{files['out']}.html").read_text(encoding="utf-8")
    # "right" stayed correct but took 5 s instead of 2: slower by 150 %
    assert _row(html, "right").startswith('<tr id="q-right" class="regression">')
    assert "slower: 2.0 s → 5.0 s (+150%)" in _row(html, "right")
    # "figure": correct before (2,2 %, though citing the wrong page), wrong now
    assert "regression: was correct, now wrong" in _row(html, "figure")
    # "abstain" was answered by the baseline and is now refused: fixed, not a regression
    assert _row(html, "abstain").startswith('<tr id="q-abstain"><td>')
    assert "fixed: was wrong, now correct" in _row(html, "abstain")
    assert "Regressions (2) of ours against baseline" in md
    assert "| answer accuracy | 0.33 | 0.67 | -0.33 (worse) |" in md
    assert "| abstention accuracy | 1.00 | 0.00 | +1.00 (better) |" in md
    assert html.count("<svg") == 2 and "ours citation hit" in html and "baseline · total" in html


def test_a_small_slowdown_is_not_a_regression(files) -> None:
    main(["--questions", str(files["questions"]), "--results", str(files["ours"]), "--results",
          str(files["baseline"]), "--slower-pct", "200", "--out", str(files["out"])])
    html = Path(f"{files['out']}.html").read_text(encoding="utf-8")
    assert _row(html, "right").startswith('<tr id="q-right"><td>')  # +150 % is under the 200 % threshold
    assert "Regressions (1) of ours against baseline" in html


def test_labels_must_match_results(files) -> None:
    with pytest.raises(SystemExit):
        main(["--questions", str(files["questions"]), "--results", str(files["ours"]),
              "--label", "a", "--label", "b", "--out", str(files["out"])])


def test_a_question_without_result_counts_as_wrong(files, tmp_path) -> None:
    lines = files["ours"].read_text(encoding="utf-8").splitlines()
    partial = tmp_path / "partial.jsonl"
    partial.write_text("\n".join(line for line in lines if '"id": "right"' not in line), encoding="utf-8")
    main(["--questions", str(files["questions"]), "--results", str(partial), "--out", str(files["out"])])
    md = Path(f"{files['out']}.md").read_text(encoding="utf-8")
    assert "1 question(s) without a result, counted wrong: right" in md
    assert "| answer accuracy | 0.00 |" in md and "*no result*" in md

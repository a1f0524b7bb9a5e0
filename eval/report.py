"""Markdown and self-contained HTML reports of one evaluation run, or of two side by side.

    python -m eval.report --questions ../shared/eval/dev.jsonl --results eval/results/new.jsonl \
        [--results eval/results/old.jsonl] [--label ours --label baseline] --out eval/reports/dev

writes eval/reports/dev.md and eval/reports/dev.html. With two runs, the first is the candidate
and the second the reference: deltas are first minus second, and a question is a regression when
the reference got it right (or cited a gold passage) and the candidate does not, or when the
candidate took more than --slower-pct % longer.
"""
from __future__ import annotations

import argparse
import datetime
from dataclasses import dataclass, field
from html import escape
from pathlib import Path
from typing import Any

from assistant.rag.citations import parse_markers
from assistant.text.sentences import sentences
from assistant.text.words import overlap, tokens
from eval.metrics import METRIC_NOTES, answer_sentences, score_question, summarise, summarise_by_kind
from eval.run import read_questions

# (summary key, label, +1 when higher is better, -1 when lower is, 0 when neither)
METRICS = [
    ("questions", "questions", 0), ("accuracy", "accuracy (all)", 1), ("answer_accuracy", "answer accuracy", 1),
    ("turn_accuracy", "turn accuracy", 1), ("abstention_accuracy", "abstention accuracy", 1),
    ("false_abstention_rate", "false abstention rate", -1), ("retrieval_hit@1", "retrieval hit@1", 1),
    ("retrieval_hit@3", "retrieval hit@3", 1), ("retrieval_hit@5", "retrieval hit@5", 1),
    ("retrieval_mrr", "retrieval MRR", 1), ("citation_hit", "citation hit", 1),
    ("citation_precision", "citation precision", 1), ("citation_recall", "citation recall", 1),
    ("marker_validity", "marker validity", 1), ("uncited_answer_rate", "uncited answers", -1),
    ("answered", "answers shown", 0), ("unsourced_fact_answers", "answers with unsourced facts", -1),
    ("first_token_median_s", "first token median (s)", -1), ("first_token_p90_s", "first token p90 (s)", -1),
    ("total_median_s", "total median (s)", -1), ("total_p90_s", "total p90 (s)", -1),
    ("prompt_tokens_median", "prompt tokens median", -1),
]
KIND_METRICS = [("accuracy", "accuracy"), ("citation_hit", "citation hit"),
                ("citation_precision", "precision"), ("retrieval_mrr", "MRR")]
EXCERPT = 160


@dataclass
class Run:
    label: str
    path: Path
    results: dict[str, dict[str, Any]]
    scores: dict[str, dict[str, Any]]
    summary: dict[str, Any]
    by_kind: dict[str, dict[str, Any]]
    unknown: list[str] = field(default_factory=list)  # result ids absent from the questions

    @property
    def missing(self) -> list[str]:
        """Questions without a result: scored as wrong answers."""
        return [i for i in self.scores if i not in self.results]

    def notes(self) -> list[str]:
        out = [f"{self.label}: {len(self.missing)} question(s) without a result, counted wrong: "
               f"{', '.join(self.missing)}"] if self.missing else []
        return out + ([f"{self.label}: {len(self.unknown)} result(s) without a question, ignored: "
                       f"{', '.join(self.unknown)}"] if self.unknown else [])


def load_run(label: str, path: Path, questions: list[dict[str, Any]]) -> Run:
    results = {r["id"]: r for r in read_questions(path)}
    scores = {q["id"]: score_question(q, results.get(q["id"], {"turns": []})) for q in questions}
    ordered = list(scores.values())
    asked = {q["id"] for q in questions}
    return Run(label, path, results, scores, summarise(ordered), summarise_by_kind(ordered),
               [i for i in results if i not in asked])


def flags(new: Run, old: Run, qid: str, slower_pct: float) -> list[str]:
    """What changed for one question from the reference run (old) to the candidate (new)."""
    if qid not in new.results or qid not in old.results:
        return []
    a, b = new.scores[qid], old.scores[qid]
    out = []
    if b["correct"] and not a["correct"]:
        out.append("regression: was correct, now wrong")
    if b["citation_hit"] and a["citation_hit"] is False:
        out.append("regression: gold passage no longer cited")
    slow_a, slow_b = sum(a["total_s"]), sum(b["total_s"])
    if slow_b > 0 and slow_a > slow_b * (1 + slower_pct / 100):
        out.append(f"slower: {slow_b:.1f} s → {slow_a:.1f} s (+{(slow_a / slow_b - 1):.0%})")
    if a["correct"] and not b["correct"]:
        out.append("fixed: was wrong, now correct")
    return out


def is_regression(changes: list[str]) -> bool:
    return any(not c.startswith("fixed") for c in changes)


def fmt(value: Any) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:.2f}"
    return str(value)


def delta(new: Any, old: Any, better: int) -> tuple[str, str]:
    """Formatted difference and its sense: 'better', 'worse' or ''."""
    if new is None or old is None:
        return "–", ""
    diff = new - old
    sense = "" if diff == 0 or better == 0 else ("better" if diff * better > 0 else "worse")
    return (f"{diff:+.2f}" if isinstance(diff, float) else f"{diff:+d}"), sense


def excerpt(passage: str, claim: str) -> str:
    """The passage sentence sharing most words with the claim citing it, shortened."""
    wanted = set(tokens(claim))
    parts = [s for line in passage.splitlines() for s in sentences(line)] or [passage]
    best = max(parts, key=lambda s: overlap(wanted, s))
    return best if len(best) <= EXCERPT else best[: EXCERPT - 1].rstrip() + "…"


def cited(turn: dict[str, Any]) -> list[str]:
    """'[n] document p.X — « excerpt »' for each citation of a turn, as plain text."""
    lines = []
    for c in turn.get("citations", []):
        claim = " ".join(s for s in answer_sentences(turn["answer"]) if c.get("marker") in parse_markers(s))
        page = f" p.{c['page']}" if c.get("page") is not None else ""
        quote = excerpt(c.get("text", ""), claim or turn["answer"])
        lines.append(f"[{c.get('marker')}] {c.get('document', '')}{page} — « {quote} »")
    return lines


def verdicts(score: dict[str, Any], missing: bool) -> list[str]:
    if missing:
        return ["no result"]
    if score["abstain"]:
        out = ["✓ abstained" if score["correct"] else "✗ answered (should abstain)"]
    elif score["false_abstention"]:
        out = ["✗ false abstention"]
    else:
        out = ["✓ correct" if score["correct"] else "✗ wrong"]
    if len(score["turn_correct"]) > 1:
        out.append("turns " + "".join("✓" if c else "✗" for c in score["turn_correct"]))
    if score["citation_hit"] is not None:
        out.append("citation hit ✓" if score["citation_hit"] else "citation hit ✗")
    if score["citation_precision"] is not None:
        out.append(f"precision {score['citation_precision']:.2f}")
    if score["retrieval_hit"] is not None:
        out.append(f"retrieval rank {score['retrieval_rank'] or '–'}")
    if False in score["markers_valid"]:
        out.append("✗ broken marker")
    if score["total_s"]:
        out.append(f"{sum(score['total_s']):.1f} s")
    return out


# ---------------------------------------------------------------- shared by both formats

@dataclass
class Report:
    questions: list[dict[str, Any]]
    runs: list[Run]
    changes: dict[str, list[str]]  # question id -> flags of the comparison (empty with one run)

    @property
    def two(self) -> bool:
        return len(self.runs) == 2

    @property
    def title(self) -> str:
        return f"Evaluation report — {' vs '.join(r.label for r in self.runs)}"

    def regressions(self) -> list[tuple[str, list[str]]]:
        return [(i, c) for i, c in self.changes.items() if is_regression(c)]

    def summary_rows(self) -> list[tuple[str, list[str], tuple[str, str]]]:
        rows = []
        for key, label, better in METRICS:
            values = [r.summary.get(key) for r in self.runs]
            change = delta(values[0], values[1], better) if self.two else ("", "")
            rows.append((label, [fmt(v) for v in values], change))
        return rows

    def kind_header(self) -> list[str]:
        return ["kind", "n"] + [f"{name} {r.label}" if self.two else name
                                for _, name in KIND_METRICS for r in self.runs]

    def kind_rows(self) -> list[list[str]]:
        kinds = dict.fromkeys(k for r in self.runs for k in r.by_kind)
        return [[k, str(self.runs[0].by_kind.get(k, {}).get("questions", 0))]
                + [fmt(r.by_kind.get(k, {}).get(key)) for key, _ in KIND_METRICS for r in self.runs]
                for k in kinds]


def build(questions: list[dict[str, Any]], runs: list[Run], slower_pct: float) -> Report:
    two = len(runs) == 2
    return Report(questions, runs, {q["id"]: flags(runs[0], runs[1], q["id"], slower_pct) if two else []
                                    for q in questions})


# ---------------------------------------------------------------- Markdown

def _md(text: str) -> str:
    return escape(" ".join(str(text).split()), quote=False).replace("|", "\\|")


def _md_table(header: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    return lines + ["| " + " | ".join(r) + " |" for r in rows]


def _md_run_cell(run: Run, qid: str) -> str:
    turns = run.results.get(qid, {}).get("turns", [])
    cells = [_md(t["answer"]) + "".join("<br>" + _md(c) for c in cited(t)) for t in turns]
    return "<br>".join(cells + ["*" + _md(", ".join(verdicts(run.scores[qid], qid not in run.results))) + "*"])


def markdown(report: Report) -> str:
    runs, two = report.runs, report.two
    out = [f"# {report.title}", "", f"{len(report.questions)} questions; "
           + "; ".join(f"**{r.label}**: `{r.path}`" for r in runs) + f"; {datetime.date.today().isoformat()}.", ""]
    out += [f"> {_md(note)}" for r in runs for note in r.notes()]
    out += ["## Summary", ""]
    header = ["metric"] + [r.label for r in runs] + ([f"Δ {runs[0].label} − {runs[1].label}"] if two else [])
    out += _md_table(header, [[label, *values] + ([f"{d} ({s})" if s else d] if two else [])
                              for label, values, (d, s) in report.summary_rows()])
    out += ["", "## Per kind", ""] + _md_table(report.kind_header(), report.kind_rows())
    if two:
        bad = report.regressions()
        out += ["", f"## Regressions ({len(bad)}) of {runs[0].label} against {runs[1].label}", ""]
        out += [f"- **{i}**: {'; '.join(c)}" for i, c in bad] or ["None."]
        fixed = [i for i, c in report.changes.items() if any(x.startswith("fixed") for x in c)]
        out += ["", f"Fixed ({len(fixed)}): {', '.join(fixed) or 'none'}."]
    out += ["", "## Questions", ""]
    rows = []
    for q in report.questions:
        qid = q["id"]
        mark = "**REGRESSION** " if is_regression(report.changes[qid]) else ""
        row = [mark + qid, q.get("kind", ""), "<br>".join(_md(t["q"]) for t in q["turns"])]
        row += [_md_run_cell(r, qid) for r in runs] + ([_md("; ".join(report.changes[qid]))] if two else [])
        rows.append(row)
    out += _md_table(["id", "kind", "question"] + [r.label for r in runs] + (["changes"] if two else []), rows)
    out += ["", "Charts (accuracy and citation hit per kind, latency distribution) are in the HTML report.",
            "", "## How the metrics are computed", "", METRIC_NOTES]
    return "\n".join(out)


# ---------------------------------------------------------------- HTML

def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--questions", type=Path, required=True)
    parser.add_argument("--results", type=Path, action="append", required=True,
                        help="one or two results files; the first is the candidate")
    parser.add_argument("--label", action="append", default=[], help="one name per results file")
    parser.add_argument("--out", type=Path, required=True, help="NAME: writes NAME.md and NAME.html")
    parser.add_argument("--slower-pct", type=float, default=20.0,
                        help="flag a question whose total time grew by more than this (default 20 %%)")
    args = parser.parse_args(argv)
    from eval import report_html  # it builds on this module's Report

    if len(args.results) > 2:
        parser.error("at most two --results")
    if args.label and len(args.label) != len(args.results):
        parser.error("give one --label per --results")
    labels = args.label or [p.stem for p in args.results]
    if len(set(labels)) < len(labels):
        labels = [f"{name} ({i + 1})" for i, name in enumerate(labels)]
    questions = read_questions(args.questions)
    runs = [load_run(label, path, questions) for label, path in zip(labels, args.results)]
    args.out.parent.mkdir(parents=True, exist_ok=True)
    md_path, html_path = Path(f"{args.out}.md"), Path(f"{args.out}.html")
    report = build(questions, runs, args.slower_pct)
    md_path.write_text(markdown(report), encoding="utf-8")
    html_path.write_text(report_html.html(report), encoding="utf-8")
    for r in runs:
        s = r.summary
        print(f"{r.label}: accuracy {fmt(s['answer_accuracy'])}, citation hit {fmt(s['citation_hit'])}, "
              f"precision {fmt(s['citation_precision'])}, abstention {fmt(s['abstention_accuracy'])}, "
              f"first token median {s['first_token_median_s']} s")
    print(f"wrote {md_path} and {html_path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

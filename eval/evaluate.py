"""The evaluation in one command: every question set through our assistant and through the
llama-index baseline, with the same corpus and models, then one report per set (ours vs baseline).

    python -m eval.evaluate --corpus ../shared/corpus \
        --questions ../shared/eval/dev.jsonl --questions eval/questions.jsonl [--fast]

`--fast` keeps one question of each kind per set (CI); the full mode is for releases.
`--reuse` keeps a results file already written for a system (the baseline's long run, or an
interrupted release run) instead of answering again (the run prints which were reused).
"""
from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path
from typing import Any

from assistant import Assistant, load_settings
from eval import report, report_html
from eval.baseline import Baseline
from eval.run import read_questions, run_questions

SIDE_BY_SIDE = [("answer_accuracy", "answer accuracy"), ("citation_hit", "citation hit"),
                ("citation_precision", "citation precision"), ("retrieval_hit", "retrieval hit"),
                ("abstention_accuracy", "abstention accuracy"), ("false_abstention_rate", "false abstentions"),
                ("unsourced_fact_answers", "answers w/ unsourced facts"),
                ("first_token_median_s", "first token median (s)"), ("first_token_p90_s", "first token p90 (s)"),
                ("total_median_s", "full answer median (s)"), ("prompt_tokens_median", "prompt tokens median")]


def one_per_kind(questions: list[dict[str, Any]]) -> list[dict[str, Any]]:
    seen: dict[str, dict[str, Any]] = {}
    for question in questions:
        seen.setdefault(question.get("kind", ""), question)
    return list(seen.values())


def evaluate_set(path: Path, systems: dict[str, Any], out_dir: Path, fast: bool,
                 reuse: frozenset[str] = frozenset()) -> list[report.Run]:
    questions = read_questions(path)
    questions = one_per_kind(questions) if fast else questions
    name = path.stem + ("-fast" if fast else "")
    runs = []
    for label, system in systems.items():
        results_path = out_dir / "results" / f"{name}-{label}.jsonl"
        if label in reuse and results_path.exists():
            print(f"--- {name}: {label} reused from {results_path}", flush=True)
        elif system is None:
            continue  # neither answered in this run nor reusable
        else:
            print(f"--- {name}: {label} ({len(questions)} questions)", flush=True)
            run_questions(system, questions, results_path)
        runs.append(report.load_run(label, results_path, questions))
    built = report.build(questions, runs, slower_pct=20.0)
    (out_dir / "reports").mkdir(parents=True, exist_ok=True)
    (out_dir / "reports" / f"{name}.md").write_text(report.markdown(built), encoding="utf-8")
    (out_dir / "reports" / f"{name}.html").write_text(report_html.html(built), encoding="utf-8")
    return runs


def side_by_side(name: str, runs: list[report.Run]) -> str:
    lines = [f"\n{name}", f"{'':28}" + "".join(f"{r.label:>12}" for r in runs)]
    for key, title in SIDE_BY_SIDE:
        lines.append(f"{title:28}" + "".join(f"{report.fmt(r.summary.get(key)):>12}" for r in runs))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, required=True)
    parser.add_argument("--questions", type=Path, action="append", required=True)
    parser.add_argument("--index-dir", type=Path, help="défaut : un dossier temporaire")
    parser.add_argument("--out", type=Path, default=Path("eval"), help="results/ and reports/ go here")
    parser.add_argument("--fast", action="store_true", help="one question of each kind per set")
    parser.add_argument("--no-baseline", action="store_true")
    parser.add_argument("--systems", default="ours,baseline", help="which systems answer in this run")
    parser.add_argument("--reuse", default="", help="comma list of systems whose results file is reused")
    parser.add_argument("--model")
    args = parser.parse_args(argv)
    index_dir = args.index_dir or Path(tempfile.mkdtemp(prefix="assistant-eval-"))
    # Our answers go through the chat service, hence into an audit log: the run's own, beside its results.
    assistant = Assistant(load_settings(corpus_dir=args.corpus, index_dir=index_dir,
                                        audit={"path": args.out / "results" / "audit.jsonl"}))
    assistant.index(show_bar=False)
    assistant.warm_up(args.model)
    answering = set(args.systems.split(",")) - ({"baseline"} if args.no_baseline else set())
    reuse = frozenset(filter(None, args.reuse.split(",")))
    systems: dict[str, Any] = {"ours": assistant if "ours" in answering else None}
    if "baseline" in answering:
        start = time.perf_counter()
        systems["baseline"] = Baseline(assistant, args.corpus, args.model).new_dialogue
        print(f"baseline index built in {time.perf_counter() - start:.1f} s")
    elif "baseline" in reuse:
        systems["baseline"] = None
    table = []
    for path in args.questions:
        table.append(side_by_side(path.stem, evaluate_set(path, systems, args.out, args.fast, reuse)))
    print("\n".join(table))
    print(f"\nreports in {args.out / 'reports'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

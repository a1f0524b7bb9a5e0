"""Whether right answers hang on a coin flip: the same questions answered with one passage fewer
and one passage more than the default (the page's « Passages consultés » slider), and the share of
questions whose verdict (right or wrong behaviour) changes.

    python -m eval.stability --corpus ../shared/corpus --questions eval/heldout.jsonl \
        [--default-results eval/results/heldout-ours.jsonl]

The default run's results file is reused when given (the evaluation wrote it); the two other runs
are written beside it as `<set>-passages<n>.jsonl`. The target is under 5 % of questions.
"""
from __future__ import annotations

import argparse
import tempfile
from pathlib import Path
from typing import Any

from assistant import Assistant, load_settings
from eval.metrics import score_question
from eval.run import read_questions, run_questions


def verdicts(questions: list[dict[str, Any]], results: list[dict[str, Any]]) -> dict[str, bool]:
    by_id = {r["id"]: r for r in results}
    return {q["id"]: score_question(q, by_id.get(q["id"], {"turns": []}))["correct"] for q in questions}


def changed(reference: dict[str, bool], *others: dict[str, bool]) -> list[str]:
    """Questions whose verdict differs from the reference's in any other run."""
    return [qid for qid, right in reference.items() if any(o.get(qid) != right for o in others)]


def _answer(corpus: Path, index_dir: Path, passages: int, questions: list[dict[str, Any]],
            out: Path) -> list[dict[str, Any]]:
    """The questions asked with `passages` set as the page's slider sets it, the settings left alone."""
    assistant = Assistant(load_settings(corpus_dir=corpus, index_dir=index_dir,
                                        audit={"path": out.parent / "audit.jsonl"}))
    assistant.index(show_bar=False)
    assistant.warm_up()
    print(f"--- {out.stem}: {passages} passages ({len(questions)} questions)", flush=True)
    return run_questions(assistant, questions, out, passages=passages)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, required=True)
    parser.add_argument("--questions", type=Path, required=True)
    parser.add_argument("--default-results", type=Path, help="the default run's results (answered again if absent)")
    parser.add_argument("--out", type=Path, default=Path("eval/results"))
    args = parser.parse_args(argv)
    questions = read_questions(args.questions)
    default = load_settings().retrieval.passages
    index_dir = Path(tempfile.mkdtemp(prefix="assistant-stability-"))
    runs: dict[int, list[dict[str, Any]]] = {}
    if args.default_results and args.default_results.exists():
        runs[default] = read_questions(args.default_results)
    for passages in (default - 1, default, default + 1):
        if passages not in runs:
            out = args.out / f"{args.questions.stem}-passages{passages}.jsonl"
            runs[passages] = _answer(args.corpus, index_dir, passages, questions, out)
    reference = verdicts(questions, runs[default])
    others = {p: verdicts(questions, r) for p, r in runs.items() if p != default}
    moved = changed(reference, *others.values())
    for passages, verdict in sorted(others.items()):
        right = sum(verdict.values())
        print(f"{passages} passages: {right}/{len(questions)} right, "
              f"{len(changed(reference, verdict))} verdicts changed")
    print(f"default ({default} passages): {sum(reference.values())}/{len(questions)} right")
    print(f"verdict changed with one passage more or fewer: {len(moved)}/{len(questions)} "
          f"= {len(moved) / max(1, len(questions)):.1%} ({', '.join(moved) or 'none'})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

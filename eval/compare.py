"""Whether two results files hold the same answers: text, abstention and citations (marker,
document, page), turn by turn. A restructuring must not change any (greedy decoding: same code
path, same text), so this is how one shows it.

    python -m eval.compare BEFORE.jsonl AFTER.jsonl
"""
from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from eval.run import read_questions


def _citations(turn: dict[str, Any]) -> list[tuple[int, str, int | None]]:
    return [(c["marker"], c["document"], c["page"]) for c in turn["citations"]]


def differences(before: list[dict[str, Any]], after: list[dict[str, Any]]) -> list[str]:
    """One line per turn whose answer, abstention or citations differ (or that one file lacks)."""
    lines = []
    theirs = {r["id"]: r for r in after}
    for result in before:
        other = theirs.pop(result["id"], None)
        if other is None or len(other["turns"]) != len(result["turns"]):
            lines.append(f"{result['id']}: missing or with another number of turns")
            continue
        for n, (a, b) in enumerate(zip(result["turns"], other["turns"])):
            for what, x, y in (("answer", a["answer"], b["answer"]), ("abstained", a["abstained"], b["abstained"]),
                               ("citations", _citations(a), _citations(b))):
                if x != y:
                    lines.append(f"{result['id']} turn {n + 1} {what}: {x!r} -> {y!r}")
    lines += [f"{extra}: only in the second file" for extra in theirs]
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("before", type=Path)
    parser.add_argument("after", type=Path)
    args = parser.parse_args(argv)
    before, after = read_questions(args.before), read_questions(args.after)
    found = differences(before, after)
    turns = sum(len(r["turns"]) for r in before)
    print("\n".join(found) if found else f"same answers: {len(before)} questions, {turns} turns "
                                         "(text, abstention, citations)")
    return 1 if found else 0


if __name__ == "__main__":
    raise SystemExit(main())

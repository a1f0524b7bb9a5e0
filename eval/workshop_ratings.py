"""Shares of the workshop's items a rater judged on theme and useful, per theme and kind of item:

    python -m eval.workshop_ratings RATINGS.jsonl [--where session=2026-12-03b --where run=after ...]

A ratings file is items.jsonl (written by `python -m eval.workshop`) with, on each line, the
rater's "on_theme": bool, "useful": bool and "why". Lines without both judgements are counted
apart (not rated), never as a yes or a no."""
from __future__ import annotations

import argparse
import json
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass
class Tally:
    rated: int = 0
    on_theme: int = 0
    useful: int = 0
    both: int = 0

    def add(self, row: dict[str, Any]) -> None:
        self.rated += 1
        self.on_theme += row["on_theme"] is True
        self.useful += row["useful"] is True
        self.both += row["on_theme"] is True and row["useful"] is True

    def shares(self) -> tuple[float, float, float]:
        n = max(self.rated, 1)
        return self.on_theme / n, self.useful / n, self.both / n


def read(path: Path) -> tuple[list[dict[str, Any]], int]:
    """The rated lines and how many lines were not rated (a judgement missing or not a bool)."""
    rated, unrated = [], 0
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as error:
            raise SystemExit(f"{path}:{number}: ligne illisible ({error.msg})") from error
        if isinstance(row.get("on_theme"), bool) and isinstance(row.get("useful"), bool):
            rated.append(row)
        else:
            unrated += 1
    return rated, unrated


def tallies(rows: list[dict[str, Any]]) -> dict[tuple[str, str], Tally]:
    """Per (theme, kind), per (theme, all), per (all, kind) and overall."""
    out: dict[tuple[str, str], Tally] = defaultdict(Tally)
    for row in rows:
        theme, kind = row.get("theme", "?"), row.get("kind", "?")
        for key in ((theme, kind), (theme, "tous"), ("tous", kind), ("tous", "tous")):
            out[key].add(row)
    return out


def table(rows: list[dict[str, Any]]) -> str:
    """A Markdown table: theme, kind, items rated, % on theme, % useful, % both."""
    lines = ["| thème | élément | notés | dans le thème | utiles | les deux |", "|---|---|---|---|---|---|"]
    found = tallies(rows)
    themes = sorted({t for t, _ in found if t != "tous"}) + ["tous"]
    for theme in themes:
        kinds = sorted(k for t, k in found if t == theme and k != "tous") + ["tous"]
        for kind in kinds:
            tally = found[(theme, kind)]
            on, useful, both = tally.shares()
            lines.append(f"| {theme} | {kind} | {tally.rated} | {on:.0%} | {useful:.0%} | {both:.0%} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("ratings", type=Path)
    parser.add_argument("--where", action="append", default=[], metavar="CLÉ=VALEUR",
                        help="ne compter que ces lignes (séance, run before/after, rater) ; répétable")
    args = parser.parse_args()
    rows, unrated = read(args.ratings)
    for condition in args.where:  # one file keeps every rating round: each figure names its own
        key, _, value = condition.partition("=")
        rows = [row for row in rows if str(row.get(key, "")) == value]
    print(table(rows))
    if unrated:
        print(f"\n{unrated} ligne(s) sans les deux jugements (on_theme, useful), non comptées.")


if __name__ == "__main__":
    main()

"""Every item of a prepared training session as one flat line, for a person who has not seen the
code to rate (on theme yes/no, useful for the audience yes/no):

    python -m eval.workshop_items RUN_FOLDER [--out FILE]   # items.jsonl from the theme-N.json dumps there

`python -m eval.workshop` writes items.jsonl itself; this entry point rebuilds it from the JSON
dumps of any run, older ones included (an older dump has no per-line sources: a line then points
to its part's first source)."""
from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from assistant.workshop.items import ANSWERED_FREELY, LETTERS

KINDS = ("key figure", "quiz", "outline point", "objective", "discussion")


def _source(quote: dict[str, Any] | None) -> dict[str, Any]:
    if not quote:
        return {"reference": "", "quote": ""}
    passage = quote["passage"]
    title, document, page = passage.get("title"), passage.get("document", ""), passage.get("page")
    where = f"{title} ({document})" if title and title != document else document
    return {"reference": f"{where}, p. {page}" if page else where, "quote": quote.get("text") or passage.get("text", "")}


def _quiz_text(question: dict[str, Any]) -> str:
    explanation = question.get("explanation") or ""
    said = f" — explication : {explanation}" if explanation else ""
    if question.get("kind") in ANSWERED_FREELY:
        return f"{question['text']} (réponse libre) — réponse attendue : {question['choices'][0]}{said}"
    choices = " ; ".join(f"{LETTERS[i]}. {c}" for i, c in enumerate(question["choices"]))
    return f"{question['text']} — {choices} — réponse : {LETTERS[question['answer']]}{said}"


def _line_source(part: dict[str, Any], line: str) -> dict[str, Any] | None:
    sources = part.get("line_sources") or {}
    first = part["citations"][0] if part.get("citations") else None
    return sources.get(line) or first


def session_items(session: dict[str, Any]) -> list[dict[str, Any]]:
    """A session (its `dataclasses.asdict` form) as rating lines, in the order of the export."""
    theme, audience = session["theme"], session.get("audience", "")
    rows: list[tuple[str, str, dict[str, Any] | None, dict[str, Any]]] = []
    for part in session.get("outline", []):
        extra = {"minutes": part.get("minutes"), "stage": part.get("stage", "")}
        rows.append(("outline point", part["text"], part["citations"][0] if part.get("citations") else None, extra))
        rows += [("objective", line, _line_source(part, line), {"part": part["text"]}) for line in part["objectives"]]
        rows += [("discussion", line, _line_source(part, line), {"part": part["text"]}) for line in part["discussion"]]
    for figure in session.get("figures", []):
        rows.append(("key figure", f"{figure['figure']} — {figure['text']}",
                     figure["citations"][0] if figure.get("citations") else None, {}))
    for question in session.get("quiz", []):
        rows.append(("quiz", _quiz_text(question), question["citations"][0] if question.get("citations") else None,
                     {"quiz_kind": question.get("kind", "")}))
    return [{"id": f"{theme}#{n}", "theme": theme, "audience": audience, "kind": kind, "text": text,
             **_source(quote), **extra}
            for n, (kind, text, quote, extra) in enumerate(rows, start=1)]


def write_items(sessions: list[dict[str, Any]], path: Path) -> int:
    """items.jsonl: one JSON object a line; the number of items written."""
    lines = [json.dumps(item, ensure_ascii=False) for session in sessions for item in session_items(session)]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(f"{line}\n" for line in lines), encoding="utf-8")
    return len(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("run", type=Path, help="dossier d'un lancement de eval.workshop (theme-N.json)")
    parser.add_argument("--out", type=Path, help="fichier écrit (défaut : RUN/items.jsonl)")
    args = parser.parse_args()
    dumps = sorted(args.run.glob("theme-*.json"))
    out = args.out or args.run / "items.jsonl"
    count = write_items([json.loads(p.read_text(encoding="utf-8")) for p in dumps], out)
    print(f"{count} éléments de {len(dumps)} thèmes -> {out}")


if __name__ == "__main__":
    main()

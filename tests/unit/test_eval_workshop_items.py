"""The workshop's items for a rater: every item of a session on one line with its source, and the
shares of rated items on theme and useful, per theme and kind."""
from __future__ import annotations

import json
from dataclasses import asdict

from assistant.domain import Passage, Quote
from assistant.workshop import KeyFigure, OutlinePart, QuizQuestion, TrainingSession
from eval.workshop_items import session_items, write_items
from eval.workshop_ratings import read, table

SENTENCE = "La cybersécurité est citée comme priorité par 62 % des dirigeants interrogés."
STUDY = Quote(Passage("p2", SENTENCE, "etude.pdf", "Rapport", page=2), SENTENCE)
GUIDE = Quote(Passage("g1", "La consigne est de 17 degrés.", "guide.md"), "La consigne est de 17 degrés.")


def _session() -> TrainingSession:
    part = OutlinePart("Sécurité", 30, ["Connaître la priorité"], ["Et chez vous ?"], [STUDY],
                       line_sources={"Et chez vous ?": GUIDE})
    return TrainingSession(
        "cybersécurité", "dirigeants", 30, outline=[part],
        figures=[KeyFigure("62 % des dirigeants citent la cybersécurité.", "62 %", [STUDY])],
        quiz=[QuizQuestion("Quelle part ?", ["26 %", "62 %"], 1, [STUDY], kind="chiffre", explanation="62 %.")])


def test_every_item_is_one_line_with_its_own_source(tmp_path) -> None:
    rows = session_items(asdict(_session()))
    assert [r["kind"] for r in rows] == ["outline point", "objective", "discussion", "key figure", "quiz"]
    by_kind = {r["kind"]: r for r in rows}
    assert by_kind["discussion"]["reference"] == "guide.md"  # the line's own source
    assert by_kind["objective"]["reference"] == "Rapport (etude.pdf), p. 2"  # none: its part's
    assert by_kind["quiz"]["text"].startswith("Quelle part ? — A. 26 % ; B. 62 % — réponse : B")
    assert by_kind["quiz"]["quiz_kind"] == "chiffre" and by_kind["key figure"]["quote"] == SENTENCE
    assert all(r["theme"] == "cybersécurité" and r["audience"] == "dirigeants" for r in rows)
    assert write_items([asdict(_session())] * 2, tmp_path / "items.jsonl") == 10
    assert len((tmp_path / "items.jsonl").read_text(encoding="utf-8").splitlines()) == 10


def test_ratings_give_the_shares_per_theme_and_kind(tmp_path) -> None:
    rows = session_items(asdict(_session()))
    judged = [(True, True), (True, False), (False, False), (True, True), None]
    lines = [json.dumps({**row, **({"on_theme": j[0], "useful": j[1], "why": ""} if j else {}), })
             for row, j in zip(rows, judged)]
    path = tmp_path / "ratings.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    rated, unrated = read(path)
    assert len(rated) == 4 and unrated == 1  # the quiz line was not rated: counted apart
    text = table(rated)
    assert "| cybersécurité | tous | 4 | 75% | 50% | 50% |" in text
    assert "| tous | discussion | 1 | 0% | 0% | 0% |" in text
    assert "| tous | key figure | 1 | 100% | 100% | 100% |" in text

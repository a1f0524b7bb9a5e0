"""What an item no longer backs: run on every card and at every export, so that an item the trainer
edited is flagged if its source does not say it any more."""
from __future__ import annotations

from assistant.text.normalise import quote_in
from assistant.workshop.figures import check_figure
from assistant.workshop.items import KeyFigure, QuizQuestion, TrainingSession
from assistant.workshop.quiz import check_quiz_question
from assistant.workshop.shares import misread


def check(session: TrainingSession) -> dict[int, list[str]]:
    """Problems per item (position in session.items()), in French; figures get their flag set."""
    problems: dict[int, list[str]] = {}
    for i, item in enumerate(session.items()):
        found: list[str] = []
        if not item.citations:
            found.append("aucune source")
        if isinstance(item, KeyFigure):
            check_figure(item)
            if item.note:
                found.append(item.note)
        elif isinstance(item, QuizQuestion):
            found += check_quiz_question(item) + (misread(item) if item.kind == "ordre de grandeur" else [])
        for quote in item.citations:
            if quote.text and not quote_in(quote.text, quote.passage.text):
                found.append(f"la citation ne figure pas dans le passage de {quote.passage.reference}")
        if found:
            problems[i] = list(dict.fromkeys(found))
    return problems

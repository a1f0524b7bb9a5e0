"""A training session as slides (PowerPoint, python-pptx), what trainers present from: a title
slide, one slide per outline part (objectives, discussion points), the key figures, then each quiz
question on its own slide followed by its answer slide (the right answer, its explanation and the
quote that proves it). Every slide's notes list its sources as the other exports number them
([n] document, page, excerpt); an item the checks flag says so on its slide."""
from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from assistant.domain import Quote
from assistant.render.session import excerpt
from assistant.render.training import numbering, references
from assistant.text.sentences import shorten
from assistant.workshop import LETTERS, Item, QuizQuestion, TrainingSession, check

TITLE, CONTENT = 0, 1  # layouts of python-pptx's default template
FIGURES_PER_SLIDE = 4


class _Deck:
    """The presentation being written, with the [n] of every cited passage and each item's flags."""

    def __init__(self, session: TrainingSession) -> None:
        from pptx import Presentation  # python-pptx is read only when slides are written

        self.presentation = Presentation()
        self.numbers = numbering(session)
        self.problems = {id(item): check_ for item, check_ in _flags(session)}

    def slide(self, title: str, lines: list[tuple[str, int]], sources: list[Quote], flagged: list[Item] = ()) -> Any:
        """A title and bulleted lines (text, level); the sources in the notes."""
        from pptx.util import Pt

        slide = self.presentation.slides.add_slide(self.presentation.slide_layouts[CONTENT])
        slide.shapes.title.text = title
        slide.shapes.title.text_frame.paragraphs[0].font.size = Pt(28)
        body = slide.placeholders[1].text_frame
        problems = [p for item in flagged for p in self.problems.get(id(item), [])]
        if problems:
            lines = [*lines, (f"⚠ À vérifier : {'; '.join(problems)}", 0)]
        for i, (text, level) in enumerate(lines):
            paragraph = body.paragraphs[0] if i == 0 else body.add_paragraph()
            paragraph.text, paragraph.level = text, level
            paragraph.font.size = Pt(18 if level == 0 else 15)
        self.notes(slide, sources)
        return slide

    def notes(self, slide: Any, sources: list[Quote]) -> None:
        seen: dict[str, Quote] = {}
        for quote in sources:
            seen.setdefault(quote.passage.id, quote)
        lines = [f"[{self.numbers[q.passage.id]}] {q.passage.reference} — « {excerpt(q)} »"
                 for q in seen.values() if q.passage.id in self.numbers]
        slide.notes_slide.notes_text_frame.text = "Sources :\n" + "\n".join(lines)

    def refs(self, item: Item) -> str:
        return references(item, self.numbers)


def _flags(session: TrainingSession) -> list[tuple[Item, list[str]]]:
    problems = check(session)
    return [(item, problems.get(i, [])) for i, item in enumerate(session.items())]


def _title(deck: _Deck, session: TrainingSession) -> None:
    slide = deck.presentation.slides.add_slide(deck.presentation.slide_layouts[TITLE])
    slide.shapes.title.text = f"Session de formation : {session.theme}"
    meta = [f"Durée : {session.minutes} min", f"Préparée le {date.today():%d/%m/%Y}"]
    if session.audience:
        meta.insert(0, f"Public : {session.audience}")
    slide.placeholders[1].text = " · ".join(meta)
    deck.notes(slide, session.sources())


def _outline(deck: _Deck, session: TrainingSession) -> None:
    for i, part in enumerate(session.outline, start=1):
        lines = [("Objectifs", 0), *((o, 1) for o in part.objectives),
                 ("Points de discussion", 0), *((d, 1) for d in part.discussion)]
        sources = [*(part.line_sources[line] for line in [*part.objectives, *part.discussion]
                     if line in part.line_sources), *part.citations]
        deck.slide(f"{i}. {part.text} ({part.minutes} min) {deck.refs(part)}", lines, sources, [part])


def _figures(deck: _Deck, session: TrainingSession) -> None:
    for start in range(0, len(session.figures), FIGURES_PER_SLIDE):
        chunk = session.figures[start:start + FIGURES_PER_SLIDE]
        lines = [(f"{item.figure} — {shorten(item.text, 30)} {deck.refs(item)}", 0) for item in chunk]
        deck.slide("Chiffres clés", lines, [q for item in chunk for q in item.citations], chunk)


def _quiz(deck: _Deck, session: TrainingSession) -> None:
    for i, question in enumerate(session.quiz, start=1):
        choices = [(f"{LETTERS[j]}. {shorten(choice, 35)}", 1) for j, choice in enumerate(question.choices)]
        deck.slide(f"Question {i}", [(question.text, 0), *([("Réponse libre", 1)] if question.is_open else choices)],
                   question.citations[:1])
        proof = question.citations[0] if question.citations else None
        lines = [(_answer(question), 0)]
        # an open question's expected answer is what the trainer corrects against: whole, rather than an
        # explanation that only quotes the proof shown below it
        if question.said_beyond_proof:
            lines.append((shorten(question.said_beyond_proof, 70), 1))
        if proof is not None:
            lines.append((f"« {excerpt(proof)} » {deck.refs(question)}", 1))
        deck.slide(f"Question {i} : la réponse", lines, question.citations, [question])


def _answer(question: QuizQuestion) -> str:
    if question.is_open:
        return f"Réponse attendue : {shorten(question.right_answer, 70)}"
    return f"Réponse : {LETTERS[question.answer]}. {shorten(question.right_answer, 35)}"


def to_pptx(session: TrainingSession, path: str | Path) -> Path:
    """The session's slides written to `path` (.pptx)."""
    deck = _Deck(session)
    _title(deck, session)
    _outline(deck, session)
    _figures(deck, session)
    _quiz(deck, session)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    deck.presentation.save(str(path))
    return path

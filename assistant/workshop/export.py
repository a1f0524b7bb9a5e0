"""Export a session to Markdown and to Word (DOCX), with every source listed by document and
page. The checks run again at export time, so an item edited by the trainer is flagged if its
source no longer backs it."""
from __future__ import annotations

from pathlib import Path

from assistant.render.session import render_docx, render_markdown
from assistant.text.normalise import quote_in
from assistant.workshop.figures import check_figure
from assistant.workshop.items import KeyFigure, QuizQuestion, TrainingSession
from assistant.workshop.layout import layout
from assistant.workshop.quiz import check_quiz_question


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
            found += check_quiz_question(item)
        for quote in item.citations:
            if quote.text and not quote_in(quote.text, quote.passage.text):
                found.append(f"la citation ne figure pas dans le passage de {quote.passage.reference}")
        if found:
            problems[i] = list(dict.fromkeys(found))
    return problems


def to_markdown(session: TrainingSession) -> str:
    return render_markdown(layout(session, check(session)))


def to_docx(session: TrainingSession, path: str | Path) -> Path:
    """A Word document trainers open directly: same content as the Markdown."""
    return render_docx(layout(session, check(session)), path)


def export(session: TrainingSession, out_dir: str | Path, name: str = "session") -> tuple[Path, Path]:
    """session.md and session.docx in out_dir, from one layout."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    blocks = layout(session, check(session))
    markdown = out / f"{name}.md"
    markdown.write_text(render_markdown(blocks), encoding="utf-8")
    return markdown, render_docx(blocks, out / f"{name}.docx")

"""A training session's document, laid out once: title, outline, key figures, quiz and sources as
blocks (`assistant.render.session`), written to Markdown and to Word. Every item points to its
passages as [n]; the sources, listed by document and page, close the document. The workshop's
checks run again at export time: an item edited by the trainer is flagged if its source no
longer backs it."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from assistant.domain import Quote
from assistant.render.session import (Block, Bullet, Flag, Heading, Paragraph, Table, excerpt, render_docx,
                                      render_markdown)
from assistant.workshop import LETTERS, PARTS, Item, OutlinePart, TrainingSession, check

HEADINGS = {kind: heading for kind, heading, _ in PARTS}
READING_NOTE = ("Chaque élément renvoie entre crochets aux sources listées en fin de document "
                "(document et page).")


def numbering(session: TrainingSession) -> dict[str, int]:
    """[n] of every cited passage (by passage id), in order of first citation."""
    return {quote.passage.id: n for n, quote in enumerate(session.sources(), start=1)}


def references(item: Item, numbers: dict[str, int]) -> str:
    """« [1][3] »: each source of the item once (a statement question's wrong options may come from
    one passage: « [3][3] » before)."""
    cited = dict.fromkeys(numbers[q.passage.id] for q in item.citations if q.passage.id in numbers)
    return "".join(f"[{n}]" for n in cited)


@dataclass
class _Marks:
    """The [n] of the cited passages and the problems of each item, as the blocks show them."""
    numbers: dict[str, int]
    problems: dict[int, list[str]]  # by id(item)

    def refs(self, item: Item) -> str:
        return references(item, self.numbers)

    def line(self, part: OutlinePart, line: str) -> str:
        """« [n] » of an objective's or a discussion point's own source."""
        quote = part.line_sources.get(line)
        return f" [{self.numbers[quote.passage.id]}]" if quote and quote.passage.id in self.numbers else ""

    def flag(self, item: Item) -> list[Block]:
        problems = self.problems[id(item)]
        return [Flag(f"⚠ À vérifier : {'; '.join(problems)}")] if problems else []


def _head(session: TrainingSession) -> list[Block]:
    meta = [f"Durée : {session.minutes} min", f"Préparée le {date.today():%d/%m/%Y}"]
    if session.audience:
        meta.insert(0, f"Public : {session.audience}")
    return [Heading(f"Session de formation : {session.theme}", 0), Paragraph(" · ".join(meta)),
            Paragraph(READING_NOTE, "aside"), *(Paragraph(note, "aside") for note in session.notes)]


def _outline(session: TrainingSession, marks: _Marks) -> list[Block]:
    blocks: list[Block] = [Heading(HEADINGS["outline"], 1)] if session.outline else []
    for i, part in enumerate(session.outline, start=1):
        blocks += [Heading(f"{i}. {part.text} ({part.minutes} min) {marks.refs(part)}", 2),
                   Paragraph("Objectifs :", "label"), *(Bullet(o + marks.line(part, o)) for o in part.objectives),
                   Paragraph("Points de discussion :", "label"),
                   *(Bullet(d + marks.line(part, d)) for d in part.discussion)]
        quotes = [Bullet(f"« {excerpt(q)} » [{marks.numbers[q.passage.id]}]")
                  for q in part.citations if q.text and q.passage.id in marks.numbers]
        if quotes:
            blocks += [Paragraph("À retenir (extraits des sources) :", "label"), *quotes]
        blocks += marks.flag(part)
    return blocks


def _figures(session: TrainingSession, marks: _Marks) -> list[Block]:
    if not session.figures:
        return []
    rows = []
    for item in session.figures:
        problems = marks.problems[id(item)]
        note = f" ⚠ à vérifier : {'; '.join(problems)}" if problems else ""
        rows.append((item.figure, item.text + note, marks.refs(item)))
    return [Heading(HEADINGS["figures"], 1), Table(("Chiffre", "Ce qu'il dit", "Source"), rows)]


def _quiz(session: TrainingSession, marks: _Marks) -> list[Block]:
    blocks: list[Block] = [Heading(HEADINGS["quiz"], 1)] if session.quiz else []
    for i, question in enumerate(session.quiz, start=1):
        proof = question.citations[0].text if question.citations else ""
        answer = (f"Réponse attendue : {question.right_answer}" if question.is_open
                  else f"Réponse : {LETTERS[question.answer]} ({question.right_answer})")
        options = [] if question.is_open else question.choices
        blocks += [Paragraph(f"{i}. {question.text}" + (" (réponse libre)" if question.is_open else ""), "strong"),
                   *(Bullet(f"{LETTERS[j]}. {choice}") for j, choice in enumerate(options)),
                   Paragraph(f"{answer.rstrip('.')}. Preuve : « {proof} » {marks.refs(question)}"),
                   *([Paragraph(f"Explication : {question.said_beyond_proof}", "aside")]
                     if question.said_beyond_proof else []),
                   *marks.flag(question)]
    return blocks


def _sources(session: TrainingSession, numbers: dict[str, int]) -> list[Block]:
    """Every cited passage under its document (in order of first citation), by page."""
    documents: dict[str, list[Quote]] = {}
    for quote in session.sources():
        documents.setdefault(quote.passage.document, []).append(quote)
    blocks: list[Block] = [Heading("Sources", 1)]
    for document, quotes in documents.items():
        title = quotes[0].passage.title
        blocks.append(Heading(f"{title} ({document})" if title and title != document else document, 2))
        for quote in sorted(quotes, key=lambda q: (q.passage.page or 0, numbers[q.passage.id])):
            page = f"p. {quote.passage.page}" if quote.passage.page else "sans pagination"
            blocks.append(Bullet(f"[{numbers[quote.passage.id]}] {page} — « {excerpt(quote)} »", marker=False))
    return blocks


def layout(session: TrainingSession, problems: dict[int, list[str]]) -> list[Block]:
    """The whole document; `problems` are `check(session)`'s, shown beside their items."""
    numbers = numbering(session)
    marks = _Marks(numbers, {id(item): problems.get(i, []) for i, item in enumerate(session.items())})
    return [*_head(session), *_outline(session, marks), *_figures(session, marks), *_quiz(session, marks),
            *_sources(session, numbers)]


def to_markdown(session: TrainingSession) -> str:
    return render_markdown(layout(session, check(session)))


def export(session: TrainingSession, out_dir: str | Path, name: str = "session") -> tuple[Path, Path]:
    """session.md and session.docx in out_dir, from one layout."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    blocks = layout(session, check(session))
    markdown = out / f"{name}.md"
    markdown.write_text(render_markdown(blocks), encoding="utf-8")
    return markdown, render_docx(blocks, out / f"{name}.docx")

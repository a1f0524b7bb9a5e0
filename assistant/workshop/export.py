"""Export a session to Markdown and to Word (DOCX), with every source listed by document and
page. The checks run again at export time, so an item edited by the trainer is flagged if its
source no longer backs it."""
from __future__ import annotations

from datetime import date
from pathlib import Path

from assistant.domain import Quote
from assistant.text.normalise import quote_in
from assistant.workshop.figures import check_figure
from assistant.workshop.items import Item, KeyFigure, QuizQuestion, TrainingSession
from assistant.workshop.quiz import check_quiz_question

LETTERS = "ABCDEFGH"


def numbering(session: TrainingSession) -> dict[str, int]:
    """[n] of every cited passage, in order of first citation."""
    return {s.passage.id: n for n, s in enumerate(session.sources(), start=1)}


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


def _refs(item: Item, numbers: dict[str, int]) -> str:
    return "".join(f"[{numbers[s.passage.id]}]" for s in item.citations if s.passage.id in numbers)


def _by_document(session: TrainingSession, numbers: dict[str, int]) -> list[tuple[str, str, list[tuple[int, Quote]]]]:
    """(document, title, [(n, source)] by page) in order of first citation."""
    groups: dict[str, list[tuple[int, Quote]]] = {}
    titles: dict[str, str] = {}
    for source in session.sources():
        groups.setdefault(source.passage.document, []).append((numbers[source.passage.id], source))
        titles.setdefault(source.passage.document, source.passage.title)
    return [(doc, titles[doc], sorted(items, key=lambda x: (x[1].passage.page or 0, x[0])))
            for doc, items in groups.items()]


def _excerpt(source: Quote, words: int = 45) -> str:
    text = " ".join((source.text or source.passage.text).split())
    cut = text.split()
    return " ".join(cut[:words]) + (" …" if len(cut) > words else "")


def _page(source: Quote) -> str:
    return f"p. {source.passage.page}" if source.passage.page else "sans pagination"


def to_markdown(session: TrainingSession) -> str:
    problems = check(session)
    flags = {id(item): problems.get(i, []) for i, item in enumerate(session.items())}
    numbers = numbering(session)
    out = [f"# Session de formation : {session.theme}", ""]
    meta = [f"Durée : {session.minutes} min", f"Préparée le {date.today():%d/%m/%Y}"]
    if session.audience:
        meta.insert(0, f"Public : {session.audience}")
    out += [" · ".join(meta), "",
            "Chaque élément renvoie entre crochets aux sources listées en fin de document "
            "(document et page).", ""]
    if session.outline:
        out += ["## Déroulé", ""]
        for i, part in enumerate(session.outline, start=1):
            out += [f"### {i}. {part.text} ({part.minutes} min) {_refs(part, numbers)}", "", "Objectifs :"]
            out += [f"- {o}" for o in part.objectives]
            out += ["", "Points de discussion :"]
            out += [f"- {d}" for d in part.discussion]
            quotes = [(s, n) for s in part.citations if s.text for n in [numbers.get(s.passage.id)] if n]
            if quotes:
                out += ["", "À retenir (extraits des sources) :"]
                out += [f"- « {_excerpt(s)} » [{n}]" for s, n in quotes]
            out += _flag_lines(flags[id(part)]) + [""]
    if session.figures:
        out += ["## Chiffres clés", "", "| Chiffre | Ce qu'il dit | Source |", "|---|---|---|"]
        for item in session.figures:
            note = f" ⚠ à vérifier : {'; '.join(flags[id(item)])}" if flags[id(item)] else ""
            out.append(f"| **{_cell(item.figure)}** | {_cell(item.text)}{_cell(note)} | {_refs(item, numbers)} |")
        out.append("")
    if session.quiz:
        out += ["## Quiz", ""]
        for i, question in enumerate(session.quiz, start=1):
            out += [f"**{i}. {question.text}**", ""]
            out += [f"- {LETTERS[j]}. {choice}" for j, choice in enumerate(question.choices)]
            quote = question.citations[0].text if question.citations else ""
            out += ["", f"Réponse : {LETTERS[question.answer]} ({question.right_answer}). "
                        f"Preuve : « {quote} » {_refs(question, numbers)}"]
            out += _flag_lines(flags[id(question)]) + [""]
    out += ["## Sources", ""]
    for document, title, items in _by_document(session, numbers):
        heading = f"{title} ({document})" if title and title != document else document
        out += [f"### {heading}", ""]
        out += [f"- [{n}] {_page(s)} — « {_excerpt(s)} »" for n, s in items]
        out.append("")
    return "\n".join(out).rstrip() + "\n"


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def _flag_lines(problems: list[str]) -> list[str]:
    return ["", f"> ⚠ À vérifier : {'; '.join(problems)}"] if problems else []


def to_docx(session: TrainingSession, path: str | Path) -> Path:
    """A Word document trainers open directly: same content as the Markdown."""
    from docx import Document
    from docx.shared import Pt

    problems = check(session)
    flags = {id(item): problems.get(i, []) for i, item in enumerate(session.items())}
    numbers = numbering(session)
    doc = Document()
    doc.styles["Normal"].font.size = Pt(11)
    doc.add_heading(f"Session de formation : {session.theme}", level=0)
    meta = [f"Durée : {session.minutes} min", f"Préparée le {date.today():%d/%m/%Y}"]
    if session.audience:
        meta.insert(0, f"Public : {session.audience}")
    doc.add_paragraph(" · ".join(meta))
    doc.add_paragraph().add_run("Chaque élément renvoie entre crochets aux sources listées en fin de "
                                "document (document et page).").italic = True

    def flag(item: Item) -> None:
        if flags[id(item)]:
            doc.add_paragraph(f"⚠ À vérifier : {'; '.join(flags[id(item)])}")

    if session.outline:
        doc.add_heading("Déroulé", level=1)
        for i, part in enumerate(session.outline, start=1):
            doc.add_heading(f"{i}. {part.text} ({part.minutes} min) {_refs(part, numbers)}", level=2)
            doc.add_paragraph("Objectifs :").runs[0].bold = True
            for objective in part.objectives:
                doc.add_paragraph(objective, style="List Bullet")
            doc.add_paragraph("Points de discussion :").runs[0].bold = True
            for point in part.discussion:
                doc.add_paragraph(point, style="List Bullet")
            quotes = [(s, numbers[s.passage.id]) for s in part.citations if s.text and s.passage.id in numbers]
            if quotes:
                doc.add_paragraph("À retenir (extraits des sources) :").runs[0].bold = True
                for source, n in quotes:
                    doc.add_paragraph(f"« {_excerpt(source)} » [{n}]", style="List Bullet")
            flag(part)
    if session.figures:
        doc.add_heading("Chiffres clés", level=1)
        table = doc.add_table(rows=1, cols=3)
        table.style = "Table Grid"
        for cell, text in zip(table.rows[0].cells, ("Chiffre", "Ce qu'il dit", "Source")):
            cell.text = text
            cell.paragraphs[0].runs[0].bold = True
        for item in session.figures:
            row = table.add_row().cells
            row[0].text = item.figure
            row[1].text = item.text + (f" ⚠ à vérifier : {'; '.join(flags[id(item)])}" if flags[id(item)] else "")
            row[2].text = _refs(item, numbers)
    if session.quiz:
        doc.add_heading("Quiz", level=1)
        for i, question in enumerate(session.quiz, start=1):
            doc.add_paragraph(f"{i}. {question.text}").runs[0].bold = True
            for j, choice in enumerate(question.choices):
                doc.add_paragraph(f"{LETTERS[j]}. {choice}", style="List Bullet")
            quote = question.citations[0].text if question.citations else ""
            doc.add_paragraph(f"Réponse : {LETTERS[question.answer]} ({question.right_answer}). "
                              f"Preuve : « {quote} » {_refs(question, numbers)}")
            flag(question)
    doc.add_heading("Sources", level=1)
    for document, title, items in _by_document(session, numbers):
        doc.add_heading(f"{title} ({document})" if title and title != document else document, level=2)
        for n, source in items:
            doc.add_paragraph(f"[{n}] {_page(source)} — « {_excerpt(source)} »")
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(path))
    return path


def export(session: TrainingSession, out_dir: str | Path, name: str = "session") -> tuple[Path, Path]:
    """session.md and session.docx in out_dir."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    markdown = out / f"{name}.md"
    markdown.write_text(to_markdown(session), encoding="utf-8")
    return markdown, to_docx(session, out / f"{name}.docx")

"""A document as a short list of blocks, and its two renderers: Markdown (text to read or paste)
and Word (a .docx trainers open directly). The workshop lays a training session out once in these
blocks (`assistant.render.training`), so both files always hold the same content.

No Gradio and no workshop types here: a renderer knows blocks (and how a quote is excerpted).
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from assistant.domain import Quote
from assistant.text.sentences import shorten

# How a paragraph stands out. "strong": bold in both formats; "label": the caption of the list
# below it, bold in Word, plain in Markdown where the list follows it without a blank line;
# "aside": a reading note, italic in Word, plain in Markdown.
Emphasis = Literal["plain", "strong", "label", "aside"]


@dataclass(frozen=True)
class Heading:
    text: str
    level: int  # 0: the document's title


@dataclass(frozen=True)
class Paragraph:
    text: str
    emphasis: Emphasis = "plain"


@dataclass(frozen=True)
class Bullet:
    text: str
    marker: bool = True  # False: the text starts with its own marker (« [2] p. 5 — … »)


@dataclass(frozen=True)
class Table:
    header: tuple[str, ...]
    rows: list[tuple[str, ...]]  # the first cell is the row's key (bold in Markdown)


@dataclass(frozen=True)
class Flag:
    """What a reviewer must check, e.g. « ⚠ À vérifier : … »."""
    text: str


Block = Heading | Paragraph | Bullet | Table | Flag


def excerpt(quote: Quote, words: int = 45) -> str:
    """What a reader is shown of a cited passage: the quoted sentence, else the passage's start."""
    return shorten(quote.text or quote.passage.text, words)


# --- Markdown ----------------------------------------------------------------------------------
def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def _markdown(block: Block) -> list[str]:
    if isinstance(block, Heading):
        return [f"{'#' * (block.level + 1)} {block.text}"]
    if isinstance(block, Paragraph):
        return [f"**{block.text}**" if block.emphasis == "strong" else block.text]
    if isinstance(block, Bullet):
        return [f"- {block.text}"]  # a list item even without a marker: one line per entry
    if isinstance(block, Table):
        head = [f"| {' | '.join(block.header)} |", "|" + "---|" * len(block.header)]
        return head + [f"| **{_cell(key)}** | " + " | ".join(_cell(c) for c in rest) + " |"
                       for key, *rest in block.rows]
    return [f"> {block.text}"]


def _tight(previous: Block | None, block: Block) -> bool:
    """A bullet right under another bullet or under its list's label: no blank line between."""
    return isinstance(block, Bullet) and (
        isinstance(previous, Bullet) or (isinstance(previous, Paragraph) and previous.emphasis == "label"))


def render_markdown(blocks: list[Block]) -> str:
    lines: list[str] = []
    previous: Block | None = None
    for block in blocks:
        if lines and not _tight(previous, block):
            lines.append("")
        lines += _markdown(block)
        previous = block
    return "\n".join(lines).rstrip() + "\n"


# --- Word --------------------------------------------------------------------------------------
def _add(document: Any, block: Block) -> None:
    if isinstance(block, Heading):
        document.add_heading(block.text, level=block.level)
    elif isinstance(block, Paragraph):
        paragraph = document.add_paragraph(block.text)
        for run in paragraph.runs:
            run.bold = block.emphasis in ("strong", "label") or None
            run.italic = block.emphasis == "aside" or None
    elif isinstance(block, Bullet):
        document.add_paragraph(block.text, style="List Bullet" if block.marker else None)
    elif isinstance(block, Table):
        table = document.add_table(rows=1, cols=len(block.header))
        table.style = "Table Grid"
        for cell, text in zip(table.rows[0].cells, block.header):
            cell.text = text
            cell.paragraphs[0].runs[0].bold = True
        for row in block.rows:
            for cell, text in zip(table.add_row().cells, row):
                cell.text = text
    else:
        document.add_paragraph(block.text)


def render_docx(blocks: list[Block], path: str | Path) -> Path:
    from docx import Document  # python-docx is read only when a Word file is written
    from docx.shared import Pt

    document = Document()
    document.styles["Normal"].font.size = Pt(11)
    for block in blocks:
        _add(document, block)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    document.save(str(path))
    return path

"""A PDF page as an image, with a passage highlighted where the PDF's text layer allows it.

pypdfium2 renders the page and gives the boxes of its characters. The passage we stored was
cleaned (lines joined, hyphens and running headers removed), so it is found in the page text by
comparing letters and digits only; when the whole passage is not found, its sentences are
looked for one by one, and the page is shown without marks if nothing matches.
"""
from __future__ import annotations

import threading
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import pypdfium2 as pdfium
from PIL import Image, ImageDraw

from assistant.text.sentences import sentences

_LOCK = threading.Lock()  # pdfium is not thread-safe
PASSAGE_COLOUR = (255, 214, 10, 70)  # light yellow over the passage
SENTENCE_COLOUR = (255, 150, 0, 110)  # stronger over the sentence that matters most

Box = tuple[float, float, float, float]  # left, bottom, right, top in PDF points


@dataclass
class PageImage:
    image: Image.Image
    page: int
    pages: int
    highlighted: bool  # whether the passage was found on the page


def _letters(text: str) -> tuple[str, list[int]]:
    """Lower-case letters and digits without accents, with the index each came from."""
    out: list[str] = []
    where: list[int] = []
    for index, char in enumerate(text):
        for part in unicodedata.normalize("NFKD", char).casefold():
            if part.isalnum():
                out.append(part)
                where.append(index)
    return "".join(out), where


def find_spans(page_text: str, target: str) -> list[tuple[int, int]]:
    """Character ranges (start, end exclusive) of page_text that hold target, whole or by sentence."""
    haystack, where = _letters(page_text)
    spans = []
    for piece in [target, *([] if len(sentences(target)) < 2 else sentences(target))]:
        needle, _ = _letters(piece)
        if len(needle) < 12:  # too short to be found for sure
            continue
        start = haystack.find(needle)
        if start >= 0:
            spans.append((where[start], where[start + len(needle) - 1] + 1))
            if piece is target:
                break
    return spans


def _boxes(textpage: pdfium.PdfTextPage, spans: list[tuple[int, int]]) -> list[Box]:
    boxes = []
    for start, end in spans:
        for i in range(textpage.count_rects(start, end - start)):
            boxes.append(textpage.get_rect(i))
    return boxes


def render_page(pdf: Path, page: int, passage: str = "", sentence: str = "", width: int = 1100,
                max_pixels: int = 12_000_000) -> PageImage:
    """Page `page` (1-based) of `pdf`, `passage` highlighted and `sentence` more strongly; `width`
    pixels wide unless the page would then exceed `max_pixels` (a 4 × 1500 pt page: 1.8 GB)."""
    with _LOCK:
        document = pdfium.PdfDocument(str(pdf))
        try:
            count = len(document)
            if not 1 <= page <= count:
                raise ValueError(f"page {page} hors du document ({count} pages)")
            pdf_page = document[page - 1]
            page_width, page_height = pdf_page.get_size()
            # +1: pdfium rounds each side up
            scale = min(width / page_width, (max_pixels / ((page_width + 1) * (page_height + 1))) ** 0.5)
            image = pdf_page.render(scale=scale).to_pil().convert("RGBA")
            textpage = pdf_page.get_textpage()
            text = textpage.get_text_range()
            marks = [(PASSAGE_COLOUR, _boxes(textpage, find_spans(text, passage) if passage else [])),
                     (SENTENCE_COLOUR, _boxes(textpage, find_spans(text, sentence) if sentence else []))]
            left, _, _, top = pdf_page.get_cropbox()
        finally:
            document.close()
    overlay = Image.new("RGBA", image.size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(overlay)
    for colour, boxes in marks:
        for box_left, bottom, right, box_top in boxes:
            draw.rectangle([(box_left - left) * scale - 2, (top - box_top) * scale - 2,
                            (right - left) * scale + 2, (top - bottom) * scale + 2], fill=colour)
    highlighted = any(boxes for _, boxes in marks)
    return PageImage(Image.alpha_composite(image, overlay).convert("RGB"), page, count, highlighted)

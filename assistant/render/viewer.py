"""What the « Source ouverte » panel shows for a clicked [n] or card: the passage in full with the
sentence that matters most marked and, for a PDF, its page as an image with the passage
highlighted, or a note saying why the page cannot be shown."""
from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from PIL import Image

from assistant.domain import Citation, Passage
from assistant.rag.evidence import best_sentence, select_sentences
from assistant.render.html import ChatTurn, passage_html
from assistant.render.pages import render_page

log = logging.getLogger(__name__)


@dataclass
class SourceView:
    html: str
    image: Image.Image | None = None  # the PDF page, when there is one to show
    caption: str = ""  # the image's label


def key_sentence(turn: ChatTurn, source: Passage, citation: Citation | None) -> str:
    """The sentence to mark: for a cited passage, the one closest to the answer's sentences that
    cite it; otherwise the one that answers the search best."""
    if citation and turn.answer:
        claims = " ".join(s.text for s in turn.answer.sentences if citation.marker in s.markers)
        if claims:
            return select_sentences(claims, source.text, 1, 80)
    return best_sentence(turn.query, source.text)


def _page(corpus_dir: Path, source: Passage, sentence: str, max_pixels: int) -> tuple[Image.Image | None, str, str]:
    """(image, caption, note) of the passage's PDF page; no image for other documents."""
    path = corpus_dir / source.document
    if not (source.document.lower().endswith(".pdf") and source.page):
        return None, "", ""
    if not path.is_file():
        return None, "", "Le fichier n’est plus dans le dossier des documents : page indisponible."
    try:
        page = render_page(path, source.page, source.text, sentence, max_pixels=max_pixels)
    except Exception:  # noqa: BLE001 - a damaged page must not break the viewer
        log.exception("page rendering failed")
        return None, "", "La page n’a pas pu être affichée."
    note = "" if page.highlighted else "Le passage n’a pas pu être repéré sur la page : il est surligné ci-dessus."
    return page.image, f"{source.document} — page {page.page} sur {page.pages}", note


def source_view(turn: ChatTurn, passage_id: str, corpus_dir: Path, max_pixels: int = 12_000_000) -> SourceView:
    """A passage of `turn` opened; the empty viewer if the turn has no such passage."""
    found = turn.source(passage_id)
    if found is None:
        return SourceView(passage_html())
    source, citation = found
    sentence = key_sentence(turn, source, citation)
    image, caption, note = _page(corpus_dir, source, sentence, max_pixels)
    return SourceView(passage_html(source, citation, sentence, note), image, caption)

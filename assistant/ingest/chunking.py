"""Cutting documents into passages with stable ids and their source (document, page, section).

Passages never cross a page (a citation names one page) and are cut at paragraph boundaries,
then at sentence boundaries for long paragraphs. llama-index's SentenceSplitter counts tokens
of an English tokenizer and ignores pages and sections, hence this small packer.
"""
from __future__ import annotations

import hashlib

from assistant.config import ChunkSettings
from assistant.domain import Passage, document_id
from assistant.ingest.readers import Paragraph, SourceDocument
from assistant.text.sentences import sentences, word_count


def passage_id(path: str, page: int | None, text: str) -> str:
    """Stable: the same text on the same page of the same document always gets the same id."""
    digest = hashlib.sha1(f"{path}\x00{page}\x00{text}".encode("utf-8")).hexdigest()[:16]
    return f"{document_id(path)}-{digest}"


def _pieces(paragraph: Paragraph, max_words: int) -> list[str]:
    """A paragraph, or its sentences grouped under max_words when it is too long."""
    if word_count(paragraph.text) <= max_words:
        return [paragraph.text]
    groups: list[str] = []
    current: list[str] = []
    for sentence in sentences(paragraph.text):
        if current and word_count(" ".join(current + [sentence])) > max_words:
            groups.append(" ".join(current))
            current = []
        current.append(sentence)
    if current:
        groups.append(" ".join(current))
    return groups


def _pack(paragraphs: list[Paragraph], settings: ChunkSettings) -> list[tuple[str, str]]:
    """Group consecutive paragraphs into (section, text) passages of at most max_words."""
    packed: list[tuple[str, list[str]]] = []
    for paragraph in paragraphs:
        for piece in _pieces(paragraph, settings.max_words):
            if packed:
                section, texts = packed[-1]
                same_section = section == paragraph.section
                fits = word_count(" ".join(texts + [piece])) <= settings.max_words
                if same_section and (fits or word_count(" ".join(texts)) < settings.min_words):
                    texts.append(piece)
                    continue
            packed.append((paragraph.section, [piece]))
    return [(section, "\n".join(texts)) for section, texts in packed]


def to_passages(document: SourceDocument, settings: ChunkSettings, group: str = "") -> list[Passage]:
    """All passages of a document, in reading order; a text repeated on the same page (a repeated
    notice) would get one id twice: it is kept once."""
    passages: dict[str, Passage] = {}
    pieces = [(page.number, section, text) for page in document.pages
              for section, text in _pack(page.paragraphs, settings)]
    for position, (page, section, text) in enumerate(pieces):
        passage = Passage(id=passage_id(document.path, page, text), text=text, document=document.path,
                          title=document.title, page=page, section=section, group=group, position=position,
                          extra=dict(document.metadata))
        passages.setdefault(passage.id, passage)
    return list(passages.values())

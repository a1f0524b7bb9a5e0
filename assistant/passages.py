"""Cutting documents into passages: llama-index TextNodes with stable ids and source metadata.

Passages never cross a page (a citation names one page) and are cut at paragraph boundaries,
then at sentence boundaries for long paragraphs. llama-index's SentenceSplitter counts tokens
of an English tokenizer and ignores pages and sections, hence this small packer.
"""
from __future__ import annotations

import hashlib

from llama_index.core.schema import NodeRelationship, RelatedNodeInfo, TextNode

from assistant.documents import Paragraph, SourceDocument
from assistant.french import sentences, word_count
from assistant.settings import ChunkSettings


def document_id(path: str) -> str:
    """The id of a document: its path inside the corpus, hashed (stable across runs)."""
    return hashlib.sha1(path.encode("utf-8")).hexdigest()[:12]


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


def to_passages(document: SourceDocument, settings: ChunkSettings, extra: dict | None = None) -> list[TextNode]:
    """All passages of a document, in reading order."""
    doc_id = document_id(document.path)
    nodes: list[TextNode] = []
    for page in document.pages:
        for section, text in _pack(page.paragraphs, settings):
            metadata = {
                "document": document.path,
                "title": document.title,
                "page": page.number if page.number is not None else -1,  # chroma stores no None
                "section": section,
                "position": len(nodes),
                **document.metadata,
                **(extra or {}),
            }
            node = TextNode(id_=passage_id(document.path, page.number, text), text=text, metadata=metadata)
            node.relationships[NodeRelationship.SOURCE] = RelatedNodeInfo(node_id=doc_id)
            nodes.append(node)
    return _unique(nodes)


def _unique(nodes: list[TextNode]) -> list[TextNode]:
    """A text repeated on the same page (a repeated notice) would get one id twice: keep one."""
    seen: set[str] = set()
    return [n for n in nodes if not (n.node_id in seen or seen.add(n.node_id))]


def heading_of(node: TextNode) -> str:
    """Title and section, prepended to the text for matching (contextual passage header)."""
    meta = node.metadata
    parts = [str(meta.get("title", "")), str(meta.get("section", ""))]
    return " — ".join(p for p in dict.fromkeys(parts) if p)


def page_of(node: TextNode) -> int | None:
    page = node.metadata.get("page", -1)
    return None if page in (-1, None) else int(page)

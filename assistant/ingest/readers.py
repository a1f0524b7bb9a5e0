"""Reading documents (PDF, Markdown, plain text) into pages of clean paragraphs.

pypdf gives the text of each page as hard-wrapped lines with the running header and footer;
the paragraph rebuilding and header/footer removal below are ours because no library does
them for pypdf output.
"""
from __future__ import annotations

import logging
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import charset_normalizer
import yaml

from assistant.errors import DocumentError
from assistant.ingest.tables import find_tables, may_hold_table, with_tables
from assistant.text.injection import safe_title

SUPPORTED_SUFFIXES = (".pdf", ".md", ".markdown", ".txt")
TEXT_ENCODINGS = ["utf_8", "utf_16", "utf_32", "cp1252"]
_BULLET = re.compile(r"^\s*(?:[■•→▪►◦–-]|\d+[.)]|\([a-z0-9]+\))\s+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")  # glyphs pypdf could not map
# Control characters no text file holds (tab, newlines and form feed aside), C1 included.
_BINARY = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")
_FRONT_MATTER = re.compile(r"\A---\s*\n(.*?)\n---\s*(?:\n|\Z)", re.DOTALL)

# pypdf warns on every slightly malformed object; the user gets our own message instead.
logging.getLogger("pypdf").setLevel(logging.ERROR)


@dataclass
class Paragraph:
    text: str
    section: str = ""


@dataclass
class Page:
    number: int | None  # 1-based for PDFs, None for documents without pages
    paragraphs: list[Paragraph]


@dataclass
class SourceDocument:
    path: str  # relative to the corpus folder, with forward slashes: the document's identity
    kind: str  # "pdf", "markdown", "text"
    title: str
    pages: list[Page]
    metadata: dict[str, str] = field(default_factory=dict)

    @property
    def page_count(self) -> int:
        return len(self.pages) if self.kind == "pdf" else 0


def read_document(path: Path, name: str, max_file_mb: float, max_pages: int = 2000,
                  max_words: int = 600_000) -> SourceDocument:
    """Read one file; raise DocumentError with a French reason when it cannot be used (the page
    and word limits are checked while reading: a bomb is stopped before it is read whole)."""
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise DocumentError(name, f"format « {suffix or 'sans extension'} » non pris en charge "
                                  "(formats acceptés : PDF, Markdown .md, texte .txt)")
    size = path.stat().st_size
    if size == 0:
        raise DocumentError(name, "le fichier est vide")
    if size > max_file_mb * 1024 * 1024:
        raise DocumentError(name, f"le fichier dépasse la taille maximale autorisée ({max_file_mb:g} Mo)")
    if suffix == ".pdf":
        document = _read_pdf(path, name, max_pages, max_words)
    else:
        text = _decode(path.read_bytes(), name)
        _check_words(len(text.split()), max_words, name)
        document = _read_markdown(text, name) if suffix in (".md", ".markdown") else _read_text(text, name)
    if not any(page.paragraphs for page in document.pages):
        raise DocumentError(name, "aucun texte exploitable n'a été trouvé dans le fichier")
    # The title names every excerpt of the document in the prompt: an order there would reach the
    # model with each of them (front matter, a .txt first line, a PDF's /Title).
    document.title = safe_title(document.title, Path(name).stem)
    if "title" in document.metadata:
        document.metadata["title"] = document.title
    return document


def _decode(data: bytes, name: str) -> str:
    """UTF-8 first; otherwise what charset-normalizer finds among the encodings French office files
    are written in (cp1252 from older Windows tools, UTF-16 from Notepad's « Unicode »): left free,
    it reads short French cp1252 text as mac_latin2 or cp1250. Binary content under a text
    extension is refused: decoded anyway, it would index gibberish."""
    try:
        text: str | None = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        best = charset_normalizer.from_bytes(data, cp_isolation=TEXT_ENCODINGS).best()
        text = str(best) if best is not None else None
    if text is None or len(_BINARY.findall(text[:65536])) > 0.01 * min(len(text), 65536):
        raise DocumentError(name, "le contenu n'est pas du texte lisible (fichier binaire ou encodage "
                                  "non reconnu) ; enregistrez-le en texte UTF-8 ou en PDF puis réessayez")
    return text


def _check_words(words: int, max_words: int, name: str) -> None:
    if words > max_words:
        limit = f"{max_words:_}".replace("_", "\u202f")
        raise DocumentError(name, f"le document dépasse {limit} mots (limite des réglages) ; "
                                  "découpez-le en plusieurs fichiers")


# --- PDF -------------------------------------------------------------------------------------

def _pdf_text(reader: object, name: str, max_pages: int, max_words: int) -> list[str]:
    """Each page's text, the limits checked before reading the pages and as the words add up."""
    pages = reader.pages  # type: ignore[attr-defined]
    if len(pages) > max_pages:
        raise DocumentError(name, f"le PDF compte {len(pages)} pages, au-delà de la limite de {max_pages} ; "
                                  "découpez-le en plusieurs fichiers")
    texts, words = [], 0
    for page in pages:
        texts.append(_page_text(page))
        words += len(texts[-1].split())
        _check_words(words, max_words, name)
    return texts


def _page_text(page: object) -> str:
    """The page's text, its tables (if any) one sentence per row."""
    plain = page.extract_text() or ""  # type: ignore[attr-defined]
    if not may_hold_table(plain):
        return plain  # spare the slower layout reading
    try:
        layout = page.extract_text(extraction_mode="layout")  # type: ignore[attr-defined]
    except Exception:  # noqa: BLE001 - layout reading fails on some PDFs: the plain text still serves
        return plain
    return with_tables(plain, find_tables(layout or ""))


def _read_pdf(path: Path, name: str, max_pages: int = 2000, max_words: int = 600_000) -> SourceDocument:
    from pypdf import PdfReader
    from pypdf.errors import FileNotDecryptedError, PdfReadError

    try:
        reader = PdfReader(path)
        if reader.is_encrypted and not reader.decrypt(""):
            raise DocumentError(name, "le PDF est protégé par un mot de passe ; "
                                      "enregistrez-en une copie sans protection puis réessayez")
        raw_pages = _pdf_text(reader, name, max_pages, max_words)
        info = reader.metadata or {}
        title = str(info.get("/Title") or "").strip()
    except DocumentError:
        raise
    except FileNotDecryptedError:
        raise DocumentError(name, "le PDF est chiffré et ne peut pas être lu") from None
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, OSError) as error:
        raise DocumentError(name, f"le PDF est endommagé ou illisible ({type(error).__name__})") from None
    except Exception as error:  # noqa: BLE001 - a hostile PDF may break pypdf in any way (recursion...):
        # one file must never stop the indexing of the others
        raise DocumentError(name, f"le PDF est endommagé ou illisible ({type(error).__name__})") from None
    if not any(text.strip() for text in raw_pages):
        raise DocumentError(name, "le PDF ne contient pas de texte (document scanné ?) ; "
                                  "passez-le d'abord dans un logiciel de reconnaissance de caractères (OCR)")
    lines_per_page = _remove_running_lines([text.splitlines() for text in raw_pages])
    pages = [Page(number, [Paragraph(p) for p in _join_lines(lines)])
             for number, lines in enumerate(lines_per_page, start=1)]
    return SourceDocument(name, "pdf", title or Path(name).stem, pages)


def _line_key(line: str) -> str:
    return re.sub(r"\d+", "#", line.strip().lower())


def _remove_running_lines(pages: list[list[str]]) -> list[list[str]]:
    """Drop headers, footers and page numbers: lines near a page edge repeated on most pages."""
    edge = 3
    counts: Counter[str] = Counter()
    for lines in pages:
        counts.update({_line_key(line) for line in lines[:edge] + lines[-edge:] if line.strip()})
    threshold = max(2, int(0.6 * len(pages)))
    running = {key for key, n in counts.items() if n >= threshold and len(pages) >= 3}
    running.add("#")  # a bare page number
    cleaned = []
    for lines in pages:
        head, body, tail = lines[:edge], lines[edge:-edge] if len(lines) > 2 * edge else [], lines[-edge:]
        if len(lines) <= 2 * edge:
            head, body, tail = lines, [], []
        keep = [line for line in head if _line_key(line) not in running]
        keep += body
        keep += [line for line in tail if _line_key(line) not in running]
        cleaned.append([line for line in keep if line.strip()])
    return cleaned


def _join_lines(lines: list[str]) -> list[str]:
    """Rebuild paragraphs from hard-wrapped lines: a short line or a bullet ends one."""
    if not lines:
        return []
    full = max(len(line) for line in lines)
    paragraphs: list[str] = []
    current: list[str] = []
    for line in lines:
        line = line.strip()
        if current and _BULLET.match(line):
            paragraphs.append(" ".join(current))
            current = []
        current.append(line)
        if len(line) < 0.75 * full:
            paragraphs.append(" ".join(current))
            current = []
    if current:
        paragraphs.append(" ".join(current))
    return _merge_fragments(paragraphs)


# Words a French sentence cannot end on: a paragraph ending on one was cut by the layout.
_DANGLING = frozenset("le la les l' de d' du des un une au aux à et ou en par pour sur dans avec "
                      "que qu' qui dont ni mais".split())


def _continues(previous: str, text: str) -> bool:
    """Whether `text` goes on with the sentence `previous` left open: it starts in lower case, or
    `previous` ends on a word no sentence ends on (« … le BRGM ou le » / « CEA, très impliqués … »:
    the answer to « quels établissements ? » was cut in two passages)."""
    if previous.endswith((".", "!", "?", ":", "»")) or _BULLET.match(text):
        return False
    last = previous.split()[-1].lower().replace("’", "'")
    return text[:1].islower() or last in _DANGLING or previous.endswith((",", "■"))


def _merge_fragments(paragraphs: list[str]) -> list[str]:
    """Glue a paragraph that ends mid-sentence to the one that goes on with it."""
    merged: list[str] = []
    for text in paragraphs:
        text = re.sub(r"\s+", " ", _CONTROL.sub(" ", text)).strip()
        if merged and text and _continues(merged[-1], text):
            merged[-1] = f"{merged[-1]} {text}"
        elif text:
            merged.append(text)
    return merged


# --- Markdown and text -----------------------------------------------------------------------

def _read_markdown(text: str, name: str) -> SourceDocument:
    """Front matter becomes metadata; headings become the section of the paragraphs below."""
    metadata: dict[str, str] = {}
    match = _FRONT_MATTER.match(text)
    if match:
        try:
            front = yaml.safe_load(match.group(1)) or {}
        except yaml.YAMLError:
            front = {}
        if isinstance(front, dict):
            metadata = {str(k): str(v) for k, v in front.items() if v is not None}
        text = text[match.end():]
    paragraphs: list[Paragraph] = []
    headings: dict[int, str] = {}
    first_heading = ""
    for block in re.split(r"\n\s*\n", text):
        block = block.strip()
        heading = re.match(r"^(#{1,6})\s+(.*)$", block)
        if heading and "\n" not in block:
            level = len(heading.group(1))
            headings = {k: v for k, v in headings.items() if k < level}
            headings[level] = _strip_markup(heading.group(2))
            first_heading = first_heading or headings[level]
            continue
        cleaned = _strip_markup(block)
        if cleaned:
            paragraphs.append(Paragraph(cleaned, " — ".join(headings[k] for k in sorted(headings))))
    title = metadata.get("titre") or metadata.get("title") or first_heading or Path(name).stem
    kept = {"title": title}
    for key, target in (("reference", "reference"), ("référence", "reference"),
                        ("source_url_origine", "source"), ("source", "source"), ("url", "source")):
        if key in metadata and target not in kept:
            kept[target] = metadata[key]
    return SourceDocument(name, "markdown", title, [Page(None, paragraphs)], kept)


def _strip_markup(block: str) -> str:
    block = re.sub(r"!\[[^\]]*\]\([^)]*\)", "", block)  # images
    block = re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", block)  # links keep their text
    block = re.sub(r"(\*\*|__|\*|`)", "", block)
    block = re.sub(r"^\s*[-*+]\s+", "• ", block, flags=re.MULTILINE)
    block = re.sub(r"^#{1,6}\s+", "", block, flags=re.MULTILINE)
    return re.sub(r"\s+", " ", block).strip()


def _read_text(text: str, name: str) -> SourceDocument:
    paragraphs = [Paragraph(re.sub(r"\s+", " ", block).strip()) for block in re.split(r"\n\s*\n", text)]
    paragraphs = [p for p in paragraphs if p.text]
    title = paragraphs[0].text[:80] if paragraphs and len(paragraphs[0].text) < 80 else Path(name).stem
    return SourceDocument(name, "text", title, [Page(None, paragraphs)])

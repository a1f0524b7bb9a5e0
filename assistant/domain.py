"""The shapes that flow through the assistant, one per stage:

    document file -> Passage (indexed) -> RetrievedPassage (found for a question, with its scores)
    -> Evidence (the numbered excerpt the model reads) -> Citation (a passage the checked answer
    cites, with how well it supports it) -> Answer; Quote (a passage and the sentence a training
    item rests on).

Plain dataclasses with no llama-index or chromadb types: the store converts at its boundary, so
every other layer reads `passage.document`, `passage.page`, never a node's metadata.
"""
from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from assistant.errors import DocumentError

NOT_FOUND = "L'information ne figure pas dans les documents."  # the abstention, word for word

# Progress of a long task: (message in French, steps done, steps planned). Indexing, uploads and
# the workshop report through it; the web app turns it into Gradio's progress bar.
Progress = Callable[[str, int, int], None]


def no_progress(message: str, done: int, total: int) -> None:
    return None


def document_id(path: str) -> str:
    """The id of a document: its path inside the corpus, hashed (stable across runs)."""
    return hashlib.sha1(path.encode("utf-8")).hexdigest()[:12]


@dataclass(frozen=True)
class Passage:
    """A piece of a document, never across pages, as indexed."""
    id: str
    text: str
    document: str  # path inside the corpus folder, forward slashes: the document's identity
    title: str = ""
    page: int | None = None  # 1-based for PDFs, None for documents without pages
    section: str = ""  # the headings above the passage
    group: str = ""  # who may read it: "" for everyone, else an access group
    position: int = 0  # rank in the document's reading order
    extra: dict[str, str] = field(default_factory=dict, hash=False, compare=False)  # reference, source URL

    @property
    def heading(self) -> str:
        """Title and section, prepended to the text for matching (contextual passage header)."""
        return " — ".join(p for p in dict.fromkeys([self.title, self.section]) if p)

    @property
    def label(self) -> str:
        """« Title, p. 5 »: how the model and the page name the passage."""
        name = self.title or self.document
        return f"{name}, p. {self.page}" if self.page else name

    @property
    def reference(self) -> str:
        """« Title (file.pdf), p. 5 »: how exports and messages point a reader to it."""
        where = f"{self.title} ({self.document})" if self.title and self.title != self.document else self.document
        return f"{where}, p. {self.page}" if self.page else where

    def to_record(self, text: bool = True) -> dict[str, Any]:
        """The one serialised form (results files, audit log, page data)."""
        record: dict[str, Any] = {"document": self.document, "title": self.title, "page": self.page,
                                  "passage_id": self.id}
        if text:
            record["text"] = self.text
        return record


@dataclass
class RetrievedPassage:
    passage: Passage
    score: float  # fused (reciprocal rank fusion)
    dense: float | None = None  # cosine similarity
    lexical: float | None = None  # BM25 score


@dataclass
class Retrieval:
    query: str
    passages: list[RetrievedPassage]
    relevant: bool  # something relevant enough was found to ask the model
    coverage: float  # share of the question's words found in the best passages


@dataclass
class Evidence:
    """What the model reads of a passage: its best sentences, under the number [n] it cites."""
    number: int
    passage: Passage
    excerpt: str
    # The passage before, when this one names its subject only through it (« Toutefois, … utiliser
    # ce système … »): an answer naming the subject is read against both for its words, never its figures.
    antecedent: str = ""
    # Who says the quote the passage ends in, when a later passage names them (`speakers.quote_speaker`):
    # it backs an answer's words only; a name must be in the passage the reader opens.
    speaker: str = ""
    # The items the next passage holds of the list this one closes on (« … jusqu'à 15 000 000 EUR … :
    # • a) … » there, « • e) les obligations incombant aux déployeurs … » after): what its lead-in's
    # figure applies to, read by the check with the passage.
    sequel: str = ""


@dataclass
class Citation:
    """A passage the checked answer cites as [marker]."""
    marker: int
    passage: Passage
    score: float  # how well the passage supports the sentences citing it (0..1)


@dataclass
class SentenceSupport:
    """One sentence of the answer, the markers it carries and its best support."""
    text: str
    markers: list[int]
    score: float  # 0 when nothing supports it


SUPPORTED = 0.5  # a sentence is supported by a passage holding at least half of its content


@dataclass
class Answer:
    question: str
    text: str
    abstained: bool
    citations: list[Citation]
    evidence: list[Evidence]  # what the model was shown
    sentences: list[SentenceSupport] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    prompt_tokens: int = 0
    model: str = ""
    search_query: str = ""
    invalid_markers: int = 0
    unsupported_text: str = ""  # what the model wrote when none of it was supported
    removed: list[str] = field(default_factory=list)  # its sentences no passage supports (not shown as fact)
    notice: str = ""  # said to the user beside the answer (e.g. a question in another language)
    translation: str = ""  # a reply in English as the check read it, in French (audit log)

    @property
    def consulted(self) -> list[Evidence]:
        """Passages shown to the model that the answer does not cite."""
        cited = {c.passage.id for c in self.citations}
        return [e for e in self.evidence if e.passage.id not in cited]

    def to_result(self) -> dict[str, Any]:
        """One turn in the results format of the evaluation (../shared/eval/README.md)."""
        return {
            "q": self.question,
            "answer": self.text,
            "abstained": self.abstained,
            "citations": [{"marker": c.marker, **c.passage.to_record(), "score": c.score}
                          for c in self.citations],
            "retrieved": [e.passage.to_record() for e in self.evidence],
            "timings": {k: round(v, 3) for k, v in self.timings.items()},
            "prompt_tokens": self.prompt_tokens,
        }


@dataclass
class EvidenceEvent:
    """Sent as soon as retrieval is done, before the model writes anything."""
    retrieval: Retrieval
    evidence: list[Evidence]


@dataclass
class TokenEvent:
    delta: str
    text: str  # the answer so far


@dataclass
class AnswerEvent:
    answer: Answer
    exchange: dict[str, Any] = field(default_factory=dict)  # its audit record ({} when not logged)


Event = EvidenceEvent | TokenEvent | AnswerEvent


@dataclass
class Quote:
    """A passage and the sentence(s) of it that a training item rests on."""
    passage: Passage
    text: str = ""


@dataclass
class DocumentRecord:
    """An indexed document, as the document list shows it."""
    path: str
    sha256: str
    title: str
    kind: str
    pages: int
    passages: int
    indexed_at: str
    group: str = ""


@dataclass
class IndexReport:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    errors: list[DocumentError] = field(default_factory=list)
    passages: int = 0  # passages written in this run

    def summary(self) -> str:
        lines = [f"{len(self.added)} ajouté(s), {len(self.updated)} mis à jour, "
                 f"{len(self.unchanged)} inchangé(s), {len(self.removed)} retiré(s), "
                 f"{self.passages} passage(s) indexé(s)."]
        lines += [f"⚠ {error}" for error in self.errors]
        return "\n".join(lines)

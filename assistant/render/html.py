"""HTML of the web app's conversation, evidence cards and passage viewer (no Gradio here).

Python decides what is shown (a turn's phase, the answer cut into segments, which cards, in
which order); the templates of ``render/templates`` lay it out, autoescaped. Every clickable
element carries ``data-action`` and the ids the app needs (turn, passage): the app's JavaScript
forwards clicks as events. Each turn also carries its data as JSON (``data-turn-json``, see
`turn_data`), so that a client reads the answers without scraping the markup.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any, Literal

from assistant.components.llm.catalogue import describe
from assistant.domain import (
    Answer,
    AnswerEvent,
    Citation,
    Event,
    Evidence,
    EvidenceEvent,
    Passage,
    TokenEvent,
)
from assistant.rag.citations import MARKER
from assistant.rag.evidence import best_sentence
from assistant.render.templating import render, seconds

Phase = Literal["search", "write", "done", "error"]
_PARTIAL_MARKER = re.compile(r"\s*\[[\d,;\s–-]*$")  # "[1" at the end of a streamed chunk
_CITE = re.compile(r"\[(\d+)\]")  # one marker of the checked answer: a button


@dataclass
class ChatTurn:
    """One question and everything shown about it, from the search to the feedback."""
    question: str
    phase: Phase = "search"
    query: str = ""  # what was searched (the question, completed for a follow-up)
    evidence: list[Evidence] = field(default_factory=list)
    draft: str = ""  # the answer as it streams, markers not yet checked
    answer: Answer | None = None
    error: str = ""
    record: dict[str, Any] | None = None  # the audit log's exchange record
    feedback: bool | None = None  # useful or not, once given

    def update(self, event: Event) -> None:
        """Take in one event of the chat service's stream."""
        if isinstance(event, EvidenceEvent):
            self.evidence, self.query, self.phase = event.evidence, event.retrieval.query, "write"
        elif isinstance(event, TokenEvent):
            self.draft = event.text
        elif isinstance(event, AnswerEvent):
            self.answer, self.phase, self.record = event.answer, "done", event.exchange

    def fail(self, message: str) -> None:
        self.phase, self.error = "error", message

    def source(self, passage_id: str) -> tuple[Passage, Citation | None] | None:
        """A passage of this turn, with its citation when the answer cites it."""
        citations = {c.passage.id: c for c in self.answer.citations} if self.answer else {}
        if passage_id in citations:
            return citations[passage_id].passage, citations[passage_id]
        for evidence in self.evidence:
            if evidence.passage.id == passage_id:
                return evidence.passage, None
        return None


def strip_markers(draft: str) -> str:
    """The streamed text without its [n] markers: they are checked and renumbered at the end."""
    return _PARTIAL_MARKER.sub("", MARKER.sub("", draft))


def highlight_parts(text: str, sentence: str) -> tuple[str, str, str]:
    """`text` as (before, sentence, after) when the sentence is found as is, else (text, "", "")."""
    sentence = sentence.rstrip(" …")
    at = text.find(sentence) if sentence else -1
    if at < 0:
        return text, "", ""
    end = at + len(sentence)
    return text[:at], text[at:end], text[end:]


# --- answer --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Segment:
    """A piece of the checked answer, in reading order: text, a citation button, or where a
    sentence's support span opens or closes."""
    kind: Literal["text", "cite", "open", "close"]
    text: str = ""
    citation: Citation | None = None
    support: float = 0.0


def _sentence_spans(text: str, answer: Answer) -> list[tuple[int, int, float]]:
    """Where each checked sentence is in the answer text (markers aside), with its support."""
    plain, where = [], []
    position = 0
    for match in MARKER.finditer(text):
        plain.append(text[position:match.start()])
        where.extend(range(position, match.start()))
        position = match.end()
    plain.append(text[position:])
    where.extend(range(position, len(text)))
    flat = "".join(plain)
    spans, cursor = [], 0
    for sentence in answer.sentences:
        core = sentence.text.rstrip(" .!?")
        at = flat.find(core, cursor) if core else -1
        if at < 0:
            continue
        cursor = at + len(core)
        spans.append((where[at], where[cursor - 1] + 1, sentence.score))
    return spans


def answer_segments(answer: Answer) -> list[Segment]:
    """The answer cut where a sentence span opens or closes and around each [n] marker. Spans
    never start or end inside a marker: they are found in the text with the markers left out."""
    text = answer.text
    opening: dict[int, Segment] = {}
    closing: dict[int, Segment] = {}
    for start, end, score in ([] if answer.abstained else _sentence_spans(text, answer)):
        opening[start] = Segment("open", support=score)
        closing[end] = Segment("close")
    markers = {m.start(): m for m in _CITE.finditer(text)}
    cuts = sorted({0, len(text), *opening, *closing, *markers, *(m.end() for m in markers.values())})
    by_marker = {c.marker: c for c in answer.citations}
    segments: list[Segment] = []
    for at, end in zip(cuts, [*cuts[1:], None]):
        segments += [s for s in (closing.get(at), opening.get(at)) if s is not None]  # close first
        if end is None:
            break
        match = markers.get(at)
        citation = by_marker.get(int(match.group(1))) if match else None
        segments.append(Segment("cite", citation=citation) if citation else Segment("text", text[at:end]))
    return segments


def answer_html(turn_index: int, answer: Answer) -> str:
    """The checked answer: [n] markers as buttons opening the passage; each sentence tells its
    support on hover (the unsupported ones are out of it: `Answer.removed`)."""
    return render("answer.html", index=turn_index, segments=answer_segments(answer))


def _meta(answer: Answer) -> list[str]:
    bits = [describe(answer.model)] if answer.model else []
    if "retrieval_s" in answer.timings:
        bits.append(f"sources en {seconds(answer.timings['retrieval_s'])}")
    if "total_s" in answer.timings:
        bits.append(f"réponse en {seconds(answer.timings['total_s'])}")
    return bits


# --- conversation --------------------------------------------------------------------------------
def turn_data(turn: ChatTurn, conversation: str = "") -> dict[str, Any]:
    """What a client needs of a turn, in the evaluation's results format as far as the page has it
    (the passages' text is in the audit log, found by `exchange`): the answer with its [n] once
    final, the text shown so far while it streams."""
    answer = turn.answer if turn.phase == "done" else None
    return {
        "q": turn.question,
        "answer": answer.text if answer else strip_markers(turn.draft) if turn.phase == "write" else "",
        "abstained": bool(answer and answer.abstained),
        "final": answer is not None,
        "phase": turn.phase,
        "error": turn.error if turn.phase == "error" else "",
        "citations": [{"marker": c.marker, **c.passage.to_record(text=False), "score": c.score}
                      for c in answer.citations] if answer else [],
        "conversation": conversation,
        "exchange": (turn.record or {}).get("id", ""),  # the audit log's record of this answer
    }


@dataclass
class _TurnView:
    index: int
    turn: ChatTurn
    data: str  # turn_data as JSON, escaped by the template
    draft: str  # the streamed text shown, markers left out
    segments: list[Segment]
    meta: list[str]


def _view(index: int, turn: ChatTurn, conversation: str) -> _TurnView:
    final = turn.answer if turn.phase == "done" else None
    return _TurnView(index, turn, json.dumps(turn_data(turn, conversation), ensure_ascii=False),
                     strip_markers(turn.draft), answer_segments(final) if final else [],
                     _meta(final) if final else [])


def conversation_html(turns: list[ChatTurn], conversation: str = "") -> str:
    """The chat: a welcome, or every turn (`conversation`: its id in the audit log)."""
    views = [_view(i, t, conversation) for i, t in enumerate(turns)]
    return render("conversation.html", views=views)


# --- evidence ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Card:
    evidence: Evidence
    kind: Literal["pending", "cited", "consulted"]
    excerpt: tuple[str, str, str]  # before, the sentence that answers best (marked), after
    badge: str = ""
    muted: bool = False


def _card(evidence: Evidence, query: str, kind: Literal["pending", "cited", "consulted"],
          badge: str = "", muted: bool = False) -> Card:
    excerpt = highlight_parts(evidence.excerpt, best_sentence(query, evidence.excerpt))
    return Card(evidence, kind, excerpt, badge, muted)


def evidence_cards(turn: ChatTurn) -> tuple[list[Card], list[Card]]:
    """The cards to show, then those below « Consultés, non cités » once the answer is checked."""
    answer = turn.answer
    if answer is None:
        return [_card(e, turn.query, "pending") for e in turn.evidence], []
    if not answer.evidence:  # nothing relevant enough: the model was not asked
        return [_card(e, turn.query, "consulted", "non retenu", True) for e in turn.evidence], []
    by_id = {e.passage.id: e for e in turn.evidence}
    cited = [_card(by_id[c.passage.id], turn.query, "cited", str(c.marker))
             for c in answer.citations if c.passage.id in by_id]
    return cited, [_card(e, turn.query, "consulted", "consulté", True) for e in answer.consulted]


def evidence_html(turn_index: int | None, turn: ChatTurn | None) -> str:
    """The passages found for a question: shown as soon as the search ends, then sorted into
    cited (with their [n]) and consulted once the answer is checked."""
    if turn is None or turn_index is None:
        return render("evidence.html", turn=None, index=None, cards=[], consulted=[])
    cards, consulted = evidence_cards(turn)
    return render("evidence.html", turn=turn, index=turn_index, cards=cards, consulted=consulted)


# --- passage viewer ------------------------------------------------------------------------------
def passage_html(source: Passage | None = None, citation: Citation | None = None, sentence: str = "",
                 page_note: str = "") -> str:
    """A passage in full, with the sentence that matters most highlighted; without a passage, the
    viewer's invitation to click a source."""
    text = highlight_parts(source.text, sentence) if source else ("", "", "")
    return render("passage.html", source=source, citation=citation, text=text, note=page_note)

"""HTML of the web app's conversation, evidence cards and passage viewer (no Gradio here).

Every clickable element carries ``data-action`` and the ids the app needs (turn, passage); the
app's JavaScript forwards clicks as events, so the HTML stays plain and testable.
"""
from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from typing import Any, Literal

from assistant.components.llm.catalogue import describe
from assistant.domain import SUPPORTED, Answer, Citation, Evidence, Passage
from assistant.rag.citations import MARKER
from assistant.rag.evidence import best_sentence
from assistant.render.markdown import percent

Phase = Literal["search", "write", "done", "error"]
_PARTIAL_MARKER = re.compile(r"\s*\[[\d,;\s–-]*$")  # "[1" at the end of a streamed chunk


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

    def source(self, passage_id: str) -> tuple[Passage, Citation | None] | None:
        """A passage of this turn, with its citation when the answer cites it."""
        citations = {c.passage.id: c for c in self.answer.citations} if self.answer else {}
        if passage_id in citations:
            return citations[passage_id].passage, citations[passage_id]
        for evidence in self.evidence:
            if evidence.passage.id == passage_id:
                return evidence.passage, None
        return None


def esc(text: str) -> str:
    return html.escape(text, quote=True)


def seconds(value: float) -> str:
    return f"{value:.1f}".replace(".", ",") + "\u202fs"


def highlight(text: str, sentence: str) -> str:
    """Escaped text with `sentence` marked, when it is found as is."""
    sentence = sentence.rstrip(" …")
    at = text.find(sentence) if sentence else -1
    if at < 0:
        return esc(text)
    end = at + len(sentence)
    return f"{esc(text[:at])}<mark>{esc(text[at:end])}</mark>{esc(text[end:])}"


def _paragraphs(escaped: str) -> str:
    return escaped.replace("\n", "<br>")


# --- answer --------------------------------------------------------------------------------------
def strip_markers(draft: str) -> str:
    """The streamed text without its [n] markers: they are checked and renumbered at the end."""
    return _PARTIAL_MARKER.sub("", MARKER.sub("", draft))


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


def answer_html(turn_index: int, answer: Answer) -> str:
    """The checked answer: [n] markers as buttons opening the passage; each sentence tells its
    support on hover, and the unsupported ones are underlined in dots and marked « ? »."""
    text = answer.text
    by_marker = {c.marker: c for c in answer.citations}
    opening: dict[int, str] = {}
    closing: dict[int, str] = {}
    for start, end, score in ([] if answer.abstained else _sentence_spans(text, answer)):
        weak = score < SUPPORTED
        title = ("Non étayé par les passages : à vérifier." if weak
                 else f"Appuyé par les passages cités ({percent(score)} des mots).")
        opening[start] = f"<span class='claim{' weak' if weak else ''}' title='{esc(title)}'>"
        closing[end] = "<sup class='weak-mark'>?</sup></span>" if weak else "</span>"
    markers = {m.start(): m for m in re.finditer(r"\[(\d+)\]", text)}
    out: list[str] = []
    i = 0
    while i <= len(text):
        out.append(closing.get(i, ""))
        out.append(opening.get(i, ""))
        if i == len(text):
            break
        match = markers.get(i)
        if match is None:
            out.append(esc(text[i]))
            i += 1
            continue
        citation = by_marker.get(int(match.group(1)))
        if citation:
            out.append(f"<button class='cite' data-action='cite' data-turn='{turn_index}' "
                       f"data-passage='{esc(citation.passage.id)}' "
                       f"title='{esc(citation.passage.reference)}'>{citation.marker}</button>")
        else:
            out.append(esc(match.group(0)))
        i = match.end()
    return _paragraphs("".join(out))


def _chip(turn_index: int, source: Passage, marker: int | None, kind: str) -> str:
    badge = f"<span class='chip-n'>{marker}</span>" if marker else ""
    page = f" · p. {source.page}" if source.page else ""
    return (f"<button class='chip {kind}' data-action='cite' data-turn='{turn_index}' "
            f"data-passage='{esc(source.id)}' title='{esc(source.document)}'>"
            f"{badge}{esc(source.title or source.document)}{page}</button>")


def _sources_html(turn_index: int, answer: Answer) -> str:
    parts = []
    if answer.citations:
        chips = "".join(_chip(turn_index, c.passage, c.marker, "cited") for c in answer.citations)
        parts.append(f"<div class='sources' data-testid='cited'><span class='lbl'>Sources</span>{chips}</div>")
    others = answer.consulted
    if others:
        chips = "".join(_chip(turn_index, e.passage, None, "consulted") for e in others)
        parts.append(f"<div class='sources consulted-list' data-testid='consulted'>"
                     f"<span class='lbl'>Consultés</span>{chips}</div>")
    return "".join(parts)


def _feedback_html(turn_index: int, turn: ChatTurn) -> str:
    if turn.feedback is not None:
        verdict = "utile" if turn.feedback else "pas utile"
        return (f"<div class='feedback done' data-testid='feedback-done'>Merci : votre avis "
                f"(« {verdict} ») est enregistré dans le journal.</div>")
    return (f"<div class='feedback' data-turn='{turn_index}'>"
            f"<span>Cette réponse vous est-elle utile ?</span>"
            f"<button data-action='feedback' data-useful='1' data-turn='{turn_index}'>Utile</button>"
            f"<button data-action='feedback' data-useful='0' data-turn='{turn_index}'>Pas utile</button>"
            f"<input class='comment' data-turn='{turn_index}' maxlength='1000' "
            f"placeholder='Commentaire (facultatif)' aria-label='Commentaire'></div>")


def _meta_html(answer: Answer) -> str:
    bits = [describe(answer.model)] if answer.model else []
    if "retrieval_s" in answer.timings:
        bits.append(f"sources en {seconds(answer.timings['retrieval_s'])}")
    if "total_s" in answer.timings:
        bits.append(f"réponse en {seconds(answer.timings['total_s'])}")
    weak = sum(1 for s in answer.sentences if s.score < SUPPORTED) if not answer.abstained else 0
    if weak:
        bits.append(f"{weak} phrase(s) non étayée(s), signalée(s) par ?")
    return f"<div class='meta'>{esc(' · '.join(bits))}</div>"


def turn_html(turn_index: int, turn: ChatTurn) -> str:
    out = [f"<div class='turn' data-testid='turn' data-turn='{turn_index}'>",
           f"<div class='q'><div class='who'>Vous</div><div class='bubble'>{esc(turn.question)}</div></div>",
           "<div class='a'><div class='who'>Assistant · IA</div><div class='bubble'>"]
    if turn.phase == "search":
        out.append("<div class='status'><span class='dot'></span>Recherche dans vos documents…</div>")
    elif turn.phase == "write":
        found = len(turn.evidence)
        out.append(f"<div class='status'><span class='dot'></span>{found} passage(s) trouvé(s) · "
                   f"rédaction de la réponse…</div>")
        draft = strip_markers(turn.draft)
        out.append(f"<div class='answer streaming' data-testid='answer'>{_paragraphs(esc(draft))}"
                   f"<span class='cursor'></span></div>")
    elif turn.phase == "error":
        out.append(f"<div class='answer error' data-testid='error'>{esc(turn.error)}</div>")
    elif turn.answer is not None:
        answer = turn.answer
        kind = " abstained" if answer.abstained else ""
        out.append(f"<div class='answer final{kind}' data-testid='answer'>{answer_html(turn_index, answer)}</div>")
        if answer.notice:
            out.append(f"<div class='status' data-testid='notice'>{esc(answer.notice)}</div>")
        out.append(_sources_html(turn_index, answer))
        out.append(_meta_html(answer))
        out.append(_feedback_html(turn_index, turn))
    out.append("</div></div></div>")
    return "".join(out)


WELCOME = ("<div class='welcome'><h3>Posez une question sur vos documents</h3>"
           "<p>Les passages retrouvés s’affichent aussitôt à droite ; la réponse cite ses sources "
           "entre crochets : cliquez sur un numéro pour lire le passage et voir la page.</p>"
           "<p>Vous pouvez enchaîner avec une question de suivi (« Et pour les PME ? »).</p></div>")


def conversation_html(turns: list[ChatTurn]) -> str:
    if not turns:
        return f"<div class='chat' data-testid='chat'>{WELCOME}</div>"
    return "<div class='chat' data-testid='chat'>" + "".join(
        turn_html(i, t) for i, t in enumerate(turns)) + "</div>"


# --- evidence ------------------------------------------------------------------------------------
def _card(turn_index: int, evidence: Evidence, query: str, badge: str, kind: str) -> str:
    source = evidence.passage
    page = f"<span class='page'>p. {source.page}</span>" if source.page else ""
    excerpt = highlight(evidence.excerpt, best_sentence(query, evidence.excerpt))
    return (f"<div class='card {kind}' role='button' tabindex='0' data-testid='evidence-card' "
            f"data-action='cite' data-turn='{turn_index}' data-passage='{esc(source.id)}'>"
            f"<div class='card-top'>{badge}<span class='doc'>{esc(source.title or source.document)}</span>"
            f"{page}</div><div class='excerpt'>{_paragraphs(excerpt)}</div>"
            f"<div class='file'>{esc(source.document)}</div></div>")


def evidence_html(turn_index: int | None, turn: ChatTurn | None) -> str:
    """The passages found for a question: shown as soon as the search ends, then sorted into
    cited (with their [n]) and consulted once the answer is checked."""
    if turn is None or turn_index is None:
        return ("<div class='evidence empty' data-testid='evidence'><div class='ev-head'>Passages</div>"
                "<p>Les passages retrouvés dans vos documents apparaîtront ici dès l’envoi d’une "
                "question.</p></div>")
    head = f"<div class='ev-head'>Passages pour « {esc(turn.question)} »</div>"
    if turn.phase == "search":
        body = "<p class='status'><span class='dot'></span>Recherche…</p>"
    elif not turn.evidence:
        body = ("<p>La recherche n’a pas abouti.</p>" if turn.phase == "error" else
                "<p>Aucun passage pertinent n’a été trouvé dans les documents.</p>")
    elif turn.answer is None:
        body = "".join(_card(turn_index, e, turn.query, "", "pending") for e in turn.evidence)
    elif not turn.answer.evidence:
        # Nothing relevant enough: the model was not asked; the nearest passages, for information.
        body = ("<p class='ev-note'>Aucun passage ne répond à la question ; voici les plus proches, "
                "pour information.</p>" +
                "".join(_card(turn_index, e, turn.query, "<span class='badge muted'>non retenu</span>",
                              "consulted") for e in turn.evidence))
    else:
        by_id = {e.passage.id: e for e in turn.evidence}
        cards = [_card(turn_index, by_id[c.passage.id], turn.query,
                       f"<span class='badge'>{c.marker}</span>", "cited")
                 for c in turn.answer.citations if c.passage.id in by_id]
        others = turn.answer.consulted
        if others:
            cards.append("<div class='ev-sub'>Consultés, non cités dans la réponse</div>")
            cards += [_card(turn_index, e, turn.query, "<span class='badge muted'>consulté</span>", "consulted")
                      for e in others]
        body = "".join(cards)
    return f"<div class='evidence' data-testid='evidence'>{head}{body}</div>"


# --- passage viewer ------------------------------------------------------------------------------
def passage_html(source: Passage, citation: Citation | None, sentence: str, page_note: str = "") -> str:
    """A passage in full, with the sentence that matters most highlighted."""
    badge = f"<span class='badge'>{citation.marker}</span>" if citation else \
        "<span class='badge muted'>consulté</span>"
    page = f" · page {source.page}" if source.page else ""
    support = (f"<div class='support'>Appui de la réponse sur ce passage : "
               f"<b>{percent(citation.score)}</b></div>") if citation else ""
    note = f"<div class='page-note'>{esc(page_note)}</div>" if page_note else ""
    return (f"<div class='viewer' data-testid='viewer'><div class='v-head'>{badge}"
            f"<span class='doc'>{esc(source.title or source.document)}</span></div>"
            f"<div class='file'>{esc(source.document)}{page}</div>{support}"
            f"<div class='v-text' data-testid='passage-text'>{_paragraphs(highlight(source.text, sentence))}</div>"
            f"{note}</div>")


VIEWER_EMPTY = ("<div class='viewer empty' data-testid='viewer'>Cliquez sur un numéro de source ou sur "
                "un passage pour le lire en entier.</div>")

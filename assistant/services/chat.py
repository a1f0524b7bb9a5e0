"""The chat service: a question in, an audited exchange out, for every entry point (the page, the
command line, the evaluation).

    question -> validated (Question) -> follow-up resolved, translated when not French -> retrieval
    -> evidence (EvidenceEvent) -> the model, token by token (TokenEvent) -> citations checked
    (nothing sourced: the second reading, from the one excerpt the model names) -> the audit log
    -> AnswerEvent
"""
from __future__ import annotations

import logging
import time
from collections.abc import Generator, Iterator
from dataclasses import dataclass, field, replace
from itertools import zip_longest
from typing import Any

from llama_index.core.base.llms.types import ChatMessage

from assistant.components import Components
from assistant.config import RetrievalSettings, Settings
from assistant.domain import (NOT_FOUND, Answer, AnswerEvent, Event, Evidence, EvidenceEvent, Passage, Retrieval,
                              RetrievedPassage, TokenEvent)
from assistant.rag.answering import abstention, check_answer
from assistant.rag.conversation import Conversation, Turn, resolve, standalone
from assistant.rag.evidence import adds_to, build_evidence
from assistant.rag.lists import list_sequel
from assistant.rag.prompt import TRANSLATE_ANSWER_PROMPT, build_messages, pick_messages, translation_messages
from assistant.rag.question import Question
from assistant.rag.quoting import carries
from assistant.rag.retrieval import HybridRetriever
from assistant.rag.speakers import quote_speaker
from assistant.services.audit import AuditLog, exchange_record, feedback_record
from assistant.text.language import OTHER_LANGUAGE_NOTICE
from assistant.text.sentences import opens_on_reference
from assistant.text.words import tokens

log = logging.getLogger(__name__)
REREADING = "Relecture de l'extrait qui semble répondre…"


@dataclass
class _Exchange:
    question: Question  # what is answered: the question, or an elliptic follow-up's whole question
    conversation: Conversation | None
    model: str
    said: str = ""  # the user's own words, when they are answered as a whole question
    started: float = field(default_factory=time.perf_counter)
    timings: dict[str, float] = field(default_factory=dict)

    def lap(self, name: str) -> None:
        self.timings.setdefault(name, time.perf_counter() - self.started)


def _with_sources(retrieval: Retrieval, sources: list[Passage]) -> Retrieval:
    """The passages the previous answer cites come first: what « Et pour l'ensemble des
    recruteurs ? » asks is most often in the sentence that gave « 56 % » (« … contre 13 % pour
    l'ensemble des recruteurs »), which the follow-up's own words may rank below a look-alike."""
    found = {r.passage.id: r for r in retrieval.passages}
    cited = [found.get(p.id) or RetrievedPassage(p, 0.0) for p in sources]
    ids = {p.id for p in sources}
    rest = [r for r in retrieval.passages if r.passage.id not in ids]
    return replace(retrieval, passages=(cited + rest)[:max(len(retrieval.passages), len(cited))])


def _with_own(combined: Retrieval, own: Retrieval) -> Retrieval:
    """A follow-up searched with the turn before it finds that turn's passages again (« … ces
    obligations ? » after article 50 found article 50, never the fines of article 99): its own
    words' passages take every other place, the previous turn's first."""
    merged: dict[str, RetrievedPassage] = {}
    for pair in zip_longest(combined.passages, own.passages):
        for found in pair:
            if found is not None:
                merged.setdefault(found.passage.id, found)
    return Retrieval(combined.query, list(merged.values())[:len(combined.passages)],
                     combined.relevant or own.relevant, max(combined.coverage, own.coverage))


class ChatService:
    def __init__(self, settings: Settings, components: Components, retriever: HybridRetriever,
                 audit: AuditLog) -> None:
        self.settings = settings
        self.components = components
        self.retriever = retriever
        self.audit = audit

    def question(self, text: str) -> Question:
        """The question validated (a French QuestionError when it cannot be asked)."""
        return Question.parse(text, self.settings.limits.max_question_chars)

    def retrieve(self, question: Question | str, conversation: Conversation | None = None,
                 passages: int | None = None, groups: list[str] | None = None) -> tuple[Retrieval, bool]:
        """The passages for a question (completed from the conversation when it follows up)."""
        question = question if isinstance(question, Question) else self.question(question)
        query, follow_up = resolve(question.text, conversation)
        if question.language != "fr":  # the corpus and BM25 speak French
            translation = self._to_french(question.text) or question.text
            # English words still match names and acronyms; another language's words only add noise
            query = (f"{translation} {query}" if question.language == "en"
                     else query.replace(question.text, translation))
        # never fewer than the reference reading: fewer passages are its weakest excerpts left out (`evidence`)
        top = max(passages or 0, self.settings.retrieval.passages)
        retrieval = self.retriever.retrieve(query, top, groups)
        if follow_up and question.language == "fr" and len(tokens(question.text)) >= 3:
            retrieval = _with_own(retrieval, self.retriever.retrieve(question.text, top, groups))
        if follow_up and conversation is not None:
            retrieval = _with_sources(retrieval, conversation.turns[-1].sources)
        return retrieval, follow_up

    def evidence(self, question: Question, retrieval: Retrieval, follow_up: bool = False,
                 passages: int | None = None) -> list[Evidence]:
        """What the model reads of the retrieved passages: a follow-up's own words lead, and a list
        the chunker cut is read on into the next passage for a question asking for several things.

        The settings' `passages` give the reference reading; the page's slider (`passages`) leaves
        out its weakest excerpts or adds after it the excerpts of the next passages that bring
        something new (`adds_to`), and never reorders it: chosen among more or fewer passages, the
        excerpts changed for most questions, and the 1.5B model's verdict with them for 8 % of
        held-out questions at one passage more or fewer."""
        settings = self.settings.retrieval
        reference, wanted = settings.passages, passages or settings.passages
        evidence = self._excerpts(question, retrieval.query, retrieval.passages[:reference], follow_up)[:wanted]
        if wanted <= reference:
            return evidence
        ratio = 0.0 if follow_up else settings.min_evidence_ratio
        extra = adds_to(retrieval.query, retrieval.passages[:reference], evidence, retrieval.passages[reference:wanted],
                        ratio)
        # each passage added brings its share of the word budget, no more: the prompt grows by as much
        share = settings.model_copy(update={"evidence_words": settings.evidence_words * len(extra) // reference})
        added = self._excerpts(question, retrieval.query, extra, follow_up, share)
        return evidence + [replace(item, number=len(evidence) + n) for n, item in enumerate(added, start=1)]

    def _excerpts(self, question: Question, query: str, passages: list[RetrievedPassage], follow_up: bool,
                  settings: RetrievalSettings | None = None) -> list[Evidence]:
        if not passages:
            return []
        store = self.retriever.store
        evidence = build_evidence(query, passages, settings or self.settings.retrieval,
                                  focus=question.text if follow_up else "",
                                  following=store.following if question.listing else None)
        # the check reads « ce système » with the passage naming it, a quote with who says it, a list with its end
        for item in evidence:
            before = store.preceding(item.passage) if opens_on_reference(item.passage.text) else None
            item.antecedent = before.text if before is not None else ""
            item.speaker = quote_speaker(item.passage, store.following)
            item.sequel = list_sequel(item.passage, store.following)
        return evidence

    def _to_french(self, text: str, prompt: str | None = None, max_tokens: int = 60) -> str:
        messages = translation_messages(text, prompt) if prompt else translation_messages(text)
        llm = self.components.llm()
        with llm.aside(messages[0].content or ""):  # the next question finds the chat's prompt still computed
            reply = llm.chat(messages, max_tokens=max_tokens)
        return (reply.message.content or "").strip()

    def stream(self, text: str | Question, conversation: Conversation | None = None, model: str | None = None,
               passages: int | None = None, groups: list[str] | None = None, user: str = ""
               ) -> Iterator[Event]:
        """Evidence first, then the answer token by token, then the checked, cited, logged answer.

        `text`: the question, or a `Question` the caller has already validated (the page does, to
        warn before showing a turn); `groups`: the access groups of who asks (None reads every
        document: a single-user install, the command line); `user` names them in the audit log."""
        question = text if isinstance(text, Question) else self.question(text)
        exchange = _Exchange(question, conversation, model or self.settings.llm.model)
        previous = conversation.turns[-1] if conversation and conversation.turns else None
        whole = standalone(question.text, previous.understood) if previous and question.language == "fr" else ""
        if previous and whole:  # « Et au premier semestre 2024 ? »: the previous question, for that period
            exchange.question, exchange.said = Question(whole, "fr"), question.text
            retrieval, follow_up = self.retrieve(exchange.question, None, passages, groups)
            retrieval = _with_sources(retrieval, previous.sources)
        else:
            retrieval, follow_up = self.retrieve(question, conversation, passages, groups)
        evidence = self.evidence(exchange.question, retrieval, follow_up, passages)
        exchange.lap("retrieval_s")
        yield EvidenceEvent(retrieval, evidence)
        if not retrieval.relevant and not follow_up:
            yield TokenEvent(NOT_FOUND, NOT_FOUND)
            answer = abstention(exchange.question)
            self._remember(exchange, self._turn(exchange, retrieval.query, "", "", NOT_FOUND, follow_up))
        else:
            answer = yield from self._generate(exchange, retrieval, evidence, follow_up)
        yield AnswerEvent(answer, self._finish(exchange, answer, retrieval.query, passages, user))

    def _generate(self, exchange: _Exchange, retrieval: Retrieval, evidence: list[Evidence], follow_up: bool
                  ) -> Generator[Event, None, Answer]:
        """Stream the model's reply; return the checked answer (a generator's return value)."""
        conversation = exchange.conversation
        history = conversation.history() if conversation and follow_up else []
        messages = build_messages(exchange.question.text, exchange.question.language, evidence, history,
                                  closed=exchange.question.closed)
        llm = self.components.llm(exchange.model)
        raw = yield from self._read(exchange, messages)
        exchange.lap("total_s")
        prompt_tokens = llm.last_prompt_tokens  # the answer's prompt, before a translation's replaces it
        # An English reply is checked through its French translation: one more short call, so that
        # no reply, in any language, is shown without the passages holding what it says.
        in_french = (self._to_french(raw, TRANSLATE_ANSWER_PROMPT, self.settings.llm.max_tokens)
                     if exchange.question.language == "en" else None)
        alone = exchange.question.language == "fr" and not follow_up
        answer = check_answer(exchange.question, raw, evidence, in_french, alone=alone)
        answer.prompt_tokens, answer.translation = prompt_tokens, in_french or ""
        sent = messages[-1].content or ""
        if answer.abstained and alone and self.settings.llm.second_reading:
            started = time.perf_counter()
            # a second reading that fails leaves the first one's cache: a follow-up extends it (9 s, not 13 s)
            with llm.aside() as side:
                answer, sent, raw = yield from self._second_reading(exchange, messages, evidence, (answer, sent, raw))
                side.keep = not answer.abstained
            exchange.timings["second_reading_s"] = time.perf_counter() - started
            exchange.timings["total_s"] = time.perf_counter() - exchange.started
        self._remember(exchange, self._turn(exchange, retrieval.query, sent, raw, answer.text, follow_up,
                                            [c.passage for c in answer.citations]))
        return answer

    def _read(self, exchange: _Exchange, messages: list[ChatMessage]) -> Generator[Event, None, str]:
        """The model's reply, streamed token by token; returns it whole."""
        raw = ""
        settings = self.settings.llm
        budget = settings.list_max_tokens if exchange.question.listing else settings.max_tokens
        for response in self.components.llm(exchange.model).stream_chat(messages, max_tokens=budget):
            exchange.lap("first_token_s")
            raw += response.delta or ""
            yield TokenEvent(response.delta or "", raw)
        exchange.lap("first_token_s")
        return raw

    def _second_reading(self, exchange: _Exchange, messages: list[ChatMessage], evidence: list[Evidence],
                        first: tuple[Answer, str, str]) -> Generator[Event, None, tuple[Answer, str, str]]:
        """A question left without a sourced answer is read again: the model names the excerpt that
        answers (`PICK_EXCERPT`), which must carry the question's names and numbers (a year, a
        region: a look-alike sentence of another year does not), then answers from it alone,
        checked like any reply. `first` (answer, message sent, reply) stands when this gives none."""
        question = exchange.question
        number = self.components.llm(exchange.model).choose(pick_messages(messages), len(evidence))
        chosen = next((e for e in evidence if e.number == number), None)
        if chosen is None or not carries(question, chosen):
            return first
        shown = [replace(chosen, number=1)]
        yield TokenEvent("", REREADING)  # the page showed the refusal being written: not the answer
        again = build_messages(question.text, question.language, shown, closed=question.closed)
        raw = yield from self._read(exchange, again)
        answer = check_answer(question, raw, shown, alone=True)
        if answer.abstained:
            return first
        answer.prompt_tokens = first[0].prompt_tokens
        # the first reply's unsourced sentences stay in the record, beside the second's
        answer = replace(answer, evidence=evidence, removed=first[0].removed + answer.removed)
        return answer, again[-1].content or "", raw

    @staticmethod
    def _turn(exchange: _Exchange, query: str, sent: str, raw: str, answer: str, follow_up: bool,
              sources: list[Passage] | None = None) -> Turn:
        """The turn as the conversation keeps it: the user's words, and the whole question answered."""
        said, asked = exchange.said, exchange.question.text
        return Turn(said or asked, query, sent, raw, answer, follow_up or bool(said), sources or [],
                    standalone=asked if said else "")

    def _remember(self, exchange: _Exchange, turn: Turn) -> None:
        if exchange.conversation is not None:
            exchange.conversation.turns.append(turn)

    def _finish(self, exchange: _Exchange, answer: Answer, query: str, passages: int | None,
                user: str) -> dict[str, Any]:
        """The answer completed (timings, model, search query, notice) and logged: its audit record."""
        exchange.lap("first_token_s")
        exchange.lap("total_s")
        answer.timings, answer.model, answer.search_query = exchange.timings, exchange.model, query
        answer.notice = OTHER_LANGUAGE_NOTICE if exchange.question.language == "other" else ""
        if exchange.said:  # what was answered, shown: the user can ask again when it is not what was meant
            answer.question, answer.notice = exchange.said, f"Question comprise : « {exchange.question.text} »"
        conversation = exchange.conversation.id if exchange.conversation is not None else ""
        return self._log(exchange_record(answer, conversation, user, passages))

    def _log(self, record: dict[str, Any]) -> dict[str, Any]:
        """Appended to the audit log; a log that cannot be written (disk full, bad path) is
        reported to the administrator, and the user keeps the answer already shown."""
        try:
            return self.audit.append(record)
        except OSError as error:
            log.warning("Journal d'audit non écrit (%s) : %s. L'échange %s n'y figure pas.",
                        self.audit.path, error, record.get("id", ""))
            return record

    def ask(self, text: str | Question, conversation: Conversation | None = None, model: str | None = None,
            passages: int | None = None, groups: list[str] | None = None, user: str = "") -> Answer:
        for event in self.stream(text, conversation, model, passages, groups, user):
            if isinstance(event, AnswerEvent):
                return event.answer
        raise RuntimeError("unreachable: stream() always ends with an answer")

    def feedback(self, exchange: dict[str, Any], useful: bool, comment: str = "", user: str = "") -> dict[str, Any]:
        """A user's judgement of one logged answer, appended to the audit log."""
        return self._log(feedback_record(exchange, useful, comment[:1000], user))

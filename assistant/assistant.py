"""The one object the CLI, the Gradio app, the evaluation and the tests use."""
from __future__ import annotations

import os
import shutil
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from llama_index.core.base.embeddings.base import BaseEmbedding
from llama_index.core.base.llms.types import ChatMessage, MessageRole
from llama_index.core.llms import LLM

from assistant.citations import SUPPORTED, Citation, SentenceSupport, cite, without_abstention
from assistant.conversation import Conversation, Turn, resolve
from assistant.embedding import build_embedder
from assistant.errors import DocumentError, QuestionError
from assistant.evidence import Evidence, build_evidence
from assistant.french import looks_english
from assistant.language import OTHER_LANGUAGE_NOTICE, question_language
from assistant.generation import NOT_FOUND, SYSTEM_PROMPT, TRANSLATE_PROMPT, as_data, build_llm, build_messages
from assistant.injection import reveals
from assistant.offline import go_offline
from assistant.ingestion import IndexReport, Indexer, Progress, file_sha256
from assistant.passages import page_of
from assistant.retrieval import HybridRetriever, Retrieval
from assistant.settings import Settings
from assistant.store import DocumentRecord, PassageStore
from assistant.uploads import document_name


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
    notice: str = ""  # said to the user beside the answer (e.g. a question in another language)

    def to_result(self) -> dict[str, Any]:
        """One turn in the results format of the evaluation."""
        return {
            "q": self.question,
            "answer": self.text,
            "abstained": self.abstained,
            "citations": [{"marker": c.marker, "document": c.document, "page": c.page, "text": c.text,
                           "score": c.score} for c in self.citations],
            "retrieved": [{"document": str(e.passage.node.metadata.get("document")),
                           "page": page_of(e.passage.node), "text": e.passage.node.text}
                          for e in self.evidence],
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


Event = EvidenceEvent | TokenEvent | AnswerEvent


class Assistant:
    """Cheap to build: the store, the embedder and the model load on first use, then stay."""

    def __init__(self, settings: Settings) -> None:
        go_offline()
        self.settings = settings
        self._store: PassageStore | None = None
        self._embedder: BaseEmbedding | None = None
        self._llms: dict[str, LLM] = {}

    # --- parts -------------------------------------------------------------------------------
    @property
    def store(self) -> PassageStore:
        if self._store is None:
            self._store = PassageStore(self.settings)
        return self._store

    @property
    def embedder(self) -> BaseEmbedding:
        if self._embedder is None:
            self._embedder = build_embedder(self.settings.embedding)
        return self._embedder

    def llm(self, model: str | None = None) -> LLM:
        name = model or self.settings.llm.model
        if name not in self._llms:
            self._llms[name] = build_llm(self.settings, name)
        return self._llms[name]

    def warm_up(self, model: str | None = None) -> None:
        """Load the models and the system prompt's KV state before the first question."""
        self.embedder.get_query_embedding("préchauffage")
        self.store.refresh_lexical()
        warm = getattr(self.llm(model), "warm_up", None)
        if warm:
            warm()

    # --- documents ---------------------------------------------------------------------------
    def index(self, corpus: Path | None = None, progress: Progress | None = None,
              show_bar: bool = False) -> IndexReport:
        return Indexer(self.settings, self.store, self.embedder).index_corpus(corpus, progress, show_bar)

    def documents(self) -> list[DocumentRecord]:
        return sorted(self.store.documents().values(), key=lambda r: r.path)

    def add_document(self, source: Path, name: str | None = None, audience: str | None = None) -> IndexReport:
        """Copy a file into the corpus folder and index it; a rejected file is not kept.

        The copy is read from a hidden staging folder and moved into place only once indexed: a bad
        file sent under the name of a good document leaves that document untouched. ``audience``
        None keeps the audience of the document it replaces ("" for a new one: everyone)."""
        report = IndexReport()
        try:
            name = document_name(name if name is not None else source.name)
            if not source.is_file():
                raise DocumentError(name, "le fichier envoyé est introuvable")
            limit = self.settings.limits.max_file_mb
            if source.stat().st_size > limit * 1024 * 1024:  # refused before copying gigabytes
                raise DocumentError(name, f"le fichier dépasse la taille maximale autorisée ({limit:g} Mo)")
        except DocumentError as error:
            report.errors.append(error)
            return report
        previous = self.store.documents().get(name)
        if audience is None:
            audience = previous.audience if previous else ""
        staging = self.settings.corpus_dir / ".incoming"
        staging.mkdir(parents=True, exist_ok=True)
        for stale in staging.iterdir():  # left by a process killed during an upload
            if time.time() - stale.stat().st_mtime > 3600:
                stale.unlink(missing_ok=True)
        staged = staging / f"{uuid.uuid4().hex}{Path(name).suffix.lower()}"
        try:
            shutil.copyfile(source, staged)
            indexer = Indexer(self.settings, self.store, self.embedder)
            indexer.index_file(name, staged, file_sha256(staged), False, report, audience)
            if not report.errors:
                os.replace(staged, self.settings.corpus_dir / name)
        finally:
            staged.unlink(missing_ok=True)
        if previous is not None and report.added:
            report.updated, report.added = report.added, []
        self.store.refresh_lexical()
        return report

    def delete_document(self, name: str) -> None:
        self.store.delete_document(name)
        path = (self.settings.corpus_dir / name).resolve()
        if path.is_file() and self.settings.corpus_dir.resolve() in path.parents:
            path.unlink()
        self.store.refresh_lexical()

    # --- questions ---------------------------------------------------------------------------
    def check_question(self, question: str) -> str:
        question = " ".join(question.split())
        if not question:
            raise QuestionError("La question est vide : écrivez une question sur vos documents.")
        limit = self.settings.limits.max_question_chars
        if len(question) > limit:
            raise QuestionError(f"La question est trop longue ({len(question)} caractères, "
                                f"maximum {limit}) : raccourcissez-la.")
        return question

    def retrieve(self, question: str, conversation: Conversation | None = None,
                 passages: int | None = None, audiences: list[str] | None = None) -> tuple[Retrieval, bool]:
        question = self.check_question(question)
        query, follow_up = resolve(question, conversation)
        language = question_language(question)
        if language != "fr":  # the corpus and BM25 speak French
            translation = self._to_french(question) or question
            # English words still match names and acronyms; another language's words only add noise
            query = f"{translation} {query}" if language == "en" else query.replace(question, translation)
        self.store.refresh_lexical()
        return self.store_retriever.retrieve(query, passages, audiences), follow_up

    def _to_french(self, question: str) -> str:
        """One short model call, only for questions in English."""
        messages = [ChatMessage(role=MessageRole.SYSTEM, content=TRANSLATE_PROMPT),
                    ChatMessage(role=MessageRole.USER, content=as_data(question))]
        return (self.llm().chat(messages, max_tokens=60).message.content or "").strip()

    @property
    def store_retriever(self) -> HybridRetriever:
        return HybridRetriever(self.settings.retrieval, self.store, self.embedder)

    def stream(self, question: str, conversation: Conversation | None = None, model: str | None = None,
               passages: int | None = None, audiences: list[str] | None = None) -> Iterator[Event]:
        """Evidence first, then the answer token by token, then the checked, cited answer."""
        start = time.perf_counter()
        question = self.check_question(question)
        retrieval, follow_up = self.retrieve(question, conversation, passages, audiences)
        evidence = build_evidence(retrieval.query, retrieval.passages, self.settings.retrieval)
        timings = {"retrieval_s": time.perf_counter() - start}
        yield EvidenceEvent(retrieval, evidence)
        name = model or self.settings.llm.model
        notice = OTHER_LANGUAGE_NOTICE if question_language(question) == "other" else ""
        if not retrieval.relevant and not follow_up:
            timings["first_token_s"] = timings["total_s"] = time.perf_counter() - start
            yield TokenEvent(NOT_FOUND, NOT_FOUND)
            if conversation is not None:
                conversation.turns.append(Turn(question, retrieval.query, "", "", NOT_FOUND, follow_up))
            yield AnswerEvent(Answer(question, NOT_FOUND, True, [], [], timings=timings, model=name,
                                     search_query=retrieval.query, notice=notice))
            return
        history = conversation.history() if conversation and follow_up else []
        messages = build_messages(question, evidence, history)
        llm = self.llm(name)
        raw = ""
        for response in llm.stream_chat(messages):
            if "first_token_s" not in timings:
                timings["first_token_s"] = time.perf_counter() - start
            raw += response.delta or ""
            yield TokenEvent(response.delta or "", raw)
        timings.setdefault("first_token_s", time.perf_counter() - start)
        timings["total_s"] = time.perf_counter() - start
        answer = self._finish(question, raw, evidence, timings, name, retrieval.query,
                              getattr(llm, "last_prompt_tokens", 0))
        if conversation is not None:
            conversation.turns.append(Turn(question, retrieval.query, messages[-1].content or "", raw,
                                           answer.text, follow_up))
        answer.notice = notice
        yield AnswerEvent(answer)

    def _finish(self, question: str, raw: str, evidence: list[Evidence], timings: dict[str, float],
                model: str, query: str, prompt_tokens: int) -> Answer:
        claims = without_abstention(raw.strip())
        if reveals(raw, SYSTEM_PROMPT.replace(NOT_FOUND, "")):  # the instructions stay private
            return Answer(question, NOT_FOUND, True, [], evidence, timings=timings, prompt_tokens=prompt_tokens,
                          model=model, search_query=query, unsupported_text=raw)
        if not claims:
            return Answer(question, NOT_FOUND, True, [], evidence, timings=timings,
                          prompt_tokens=prompt_tokens, model=model, search_query=query)
        cited = cite(claims, evidence, question)
        same_language = not looks_english(question)  # word matching needs the passages' language
        if same_language and not any(sentence.score >= SUPPORTED for sentence in cited.sentences):
            # Nothing in the answer is backed by the passages: a claim without a source is a
            # defect, so the user gets the explicit abstention instead (the raw text is kept).
            return Answer(question, NOT_FOUND, True, [], evidence, cited.sentences, timings,
                          prompt_tokens, model, query, cited.invalid_markers, unsupported_text=raw)
        return Answer(question, cited.text, False, cited.citations, evidence, cited.sentences, timings,
                      prompt_tokens, model, query, cited.invalid_markers)

    def ask(self, question: str, conversation: Conversation | None = None, model: str | None = None,
            passages: int | None = None, audiences: list[str] | None = None) -> Answer:
        for event in self.stream(question, conversation, model, passages, audiences):
            if isinstance(event, AnswerEvent):
                return event.answer
        raise RuntimeError("unreachable: stream() always ends with an answer")

"""The assistant of one installation: its components and the services every entry point uses (the
web app, the command line, the evaluation, the workshop), built from one settings object.

    assistant = Assistant(load_settings())        # cheap: models load on first use
    assistant.index()
    answer = assistant.ask("Quelle part des offres cadre mentionne l'IA ?", Conversation())

Tests give fakes through the constructor: ``Assistant(settings, llm=FakeLLM())``.
"""
from __future__ import annotations

from collections.abc import Iterator
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from assistant.components import Components
from assistant.config import Settings
from assistant.domain import Answer, DocumentRecord, Event, IndexReport, Progress, Retrieval, no_progress
from assistant.offline import go_offline
from assistant.rag.conversation import Conversation
from assistant.rag.prompt import SYSTEM_PROMPT
from assistant.rag.retrieval import HybridRetriever
from assistant.services.access import Accounts, User
from assistant.services.audit import AuditLog
from assistant.services.chat import ChatService
from assistant.services.documents import DocumentService
from assistant.services.uploads import UploadQueue

if TYPE_CHECKING:
    from llama_index.core.base.embeddings.base import BaseEmbedding

    from assistant.components.llm.base import ChatModel
    from assistant.components.store import PassageStore


class Assistant:
    def __init__(self, settings: Settings, *, llm: ChatModel | None = None, embedder: BaseEmbedding | None = None,
                 store: PassageStore | None = None) -> None:
        go_offline()
        self.settings = settings
        self.components = Components(settings, llm, embedder, store)
        self.audit = AuditLog(settings.audit.path)
        self.corpus = DocumentService(settings, self.components)
        self.uploads = UploadQueue(self.corpus)  # the page's uploads, indexed in the background

    @cached_property
    def retriever(self) -> HybridRetriever:
        return HybridRetriever(self.settings.retrieval, self.components.store, self.components.embedder)

    @cached_property
    def chat(self) -> ChatService:
        return ChatService(self.settings, self.components, self.retriever, self.audit)

    @cached_property
    def accounts(self) -> Accounts:
        return Accounts(self.settings.app)

    @property
    def store(self) -> PassageStore:
        return self.components.store

    @property
    def embedder(self) -> BaseEmbedding:
        return self.components.embedder

    def llm(self, model: str | None = None) -> ChatModel:
        return self.components.llm(model)

    def warm_up(self, model: str | None = None) -> None:
        """Load the models, the BM25 side and the system prompt's KV state before the first question."""
        self.embedder.get_query_embedding("préchauffage")
        self.store.refresh_lexical()
        self.llm(model).warm_up(SYSTEM_PROMPT)

    # --- the public API of the README: thin calls to the services -------------------------------
    def index(self, corpus: Path | None = None, progress: Progress = no_progress,
              show_bar: bool = False) -> IndexReport:
        return self.corpus.index(corpus, progress, show_bar)

    def documents(self, user: User | None = None) -> list[DocumentRecord]:
        return self.corpus.list(user)

    def add_document(self, source: Path, name: str | None = None, group: str | None = None,
                     user: User | None = None) -> IndexReport:
        return self.corpus.add(source, name, group, user)

    def delete_document(self, name: str, user: User | None = None) -> None:
        self.corpus.delete(name, user)

    def retrieve(self, question: str, conversation: Conversation | None = None, passages: int | None = None,
                 groups: list[str] | None = None) -> tuple[Retrieval, bool]:
        return self.chat.retrieve(question, conversation, passages, groups)

    def stream(self, question: str, conversation: Conversation | None = None, model: str | None = None,
               passages: int | None = None, groups: list[str] | None = None, user: str = "") -> Iterator[Event]:
        return self.chat.stream(question, conversation, model, passages, groups, user)

    def ask(self, question: str, conversation: Conversation | None = None, model: str | None = None,
            passages: int | None = None, groups: list[str] | None = None, user: str = "") -> Answer:
        return self.chat.ask(question, conversation, model, passages, groups, user)

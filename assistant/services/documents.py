"""The documents the assistant answers from: index a corpus folder (incremental by content hash, one
bad file never stops the rest), add an uploaded file, delete one, list them."""
from __future__ import annotations

import os
import shutil
import time
import uuid
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path

from tqdm import tqdm

from assistant.components import Components
from assistant.components.store import INDEX_FORMAT
from assistant.config import Settings
from assistant.domain import DocumentRecord, IndexReport, Progress, no_progress
from assistant.errors import DocumentError
from assistant.ingest.chunking import to_passages
from assistant.ingest.corpus import corpus_files, file_sha256, is_folder_note
from assistant.ingest.readers import read_document
from assistant.ingest.uploads import document_name
from assistant.services.access import User
from assistant.services.locks import document_lock

STALE_UPLOAD_S = 3600  # a staged upload older than this was left by a killed process
EMBED_BATCH = 64  # passages embedded between two progress reports and cancel checks
CANCELLED = "indexation annulée ; le document précédent, s’il existait, est conservé"


def never() -> bool:
    return False


class DocumentService:
    def __init__(self, settings: Settings, components: Components) -> None:
        self.settings = settings
        self.components = components

    def list(self, user: User | None = None) -> list[DocumentRecord]:
        """The indexed documents (`user`: only those they may read; None: all, the command line)."""
        records = self.components.store.documents().values()
        return sorted((r for r in records if user is None or user.may_read(r.group)), key=lambda r: r.path)

    def index(self, corpus: Path | None = None, progress: Progress = no_progress,
              show_bar: bool = False) -> IndexReport:
        """Bring the index up to date with the folder: new and changed files indexed, missing ones
        removed; an index built by an older version is indexed again, each document keeping its group."""
        corpus = corpus or self.settings.corpus_dir
        report = IndexReport()
        if not corpus.is_dir():
            report.errors.append(DocumentError(str(corpus), "ce dossier n'existe pas"))
            return report
        store = self.components.store
        files = corpus_files(corpus)
        known = store.documents()
        redo = store.needs_reindex
        todo: list[tuple[str, Path, str]] = []
        for name, path in files.items():
            sha = file_sha256(path)
            if name in known and known[name].sha256 == sha and not redo:
                report.unchanged.append(name)
            else:
                todo.append((name, path, sha))
        for name in sorted(set(known) - set(files)):
            with self._lock(name):  # an upload indexed but not yet moved into place is not missing
                if not (corpus / name).is_file():
                    store.delete_document(name)
                    report.removed.append(name)
        for step, (name, path, sha) in enumerate(tqdm(todo, desc="Indexation", unit="doc",
                                                      disable=not show_bar or not todo)):
            progress(f"Indexation de « {name} »", step, len(todo))
            with self._lock(name):
                # A changed file keeps the group it was given: it must not become public.
                if not self._index_file(name, path, sha, known.get(name), report) and name in known:
                    store.delete_document(name)  # a file that became unreadable no longer answers questions
        progress("Index à jour", len(todo), len(todo))
        store.save_state(INDEX_FORMAT)  # every document is now current; repairs what a killed run left
        store.refresh_lexical()
        return report

    def _lock(self, name: str):  # noqa: ANN202 - a context manager
        return document_lock(self.settings.corpus_dir / ".locks", name)

    def _index_file(self, name: str, path: Path, sha: str, previous: DocumentRecord | None,
                    report: IndexReport, group: str | None = None, progress: Progress = no_progress,
                    cancelled: Callable[[], bool] = never) -> bool:
        """Read, cut, embed and store one file; False (and the reason in the report) when unreadable
        or cancelled (checked between embedding batches, before anything is written)."""
        group = group if group is not None else (previous.group if previous else "")
        try:
            limits = self.settings.limits
            document = read_document(path, name, limits.max_file_mb, limits.max_pages, limits.max_words)
            passages = to_passages(document, self.settings.chunking, group)
            embeddings = self._embed(name, [f"{p.heading}\n{p.text}" for p in passages], progress, cancelled)
        except DocumentError as error:
            report.errors.append(error)
            return False
        record = DocumentRecord(
            path=name, sha256=sha, title=document.title, kind=document.kind,
            pages=document.page_count, passages=len(passages),
            indexed_at=datetime.now(timezone.utc).isoformat(timespec="seconds"), group=group)
        self.components.store.add_document(record, passages, embeddings)
        (report.updated if previous else report.added).append(name)
        report.passages += len(passages)
        return True

    def _embed(self, name: str, texts: list[str], progress: Progress, cancelled: Callable[[], bool]
               ) -> list[list[float]]:
        embeddings: list[list[float]] = []
        for start in range(0, len(texts), EMBED_BATCH):
            if cancelled():
                raise DocumentError(name, CANCELLED)
            embeddings += self.components.embedder.get_text_embedding_batch(texts[start:start + EMBED_BATCH])
            progress(f"Indexation de « {name} »", len(embeddings), len(texts))
        return embeddings

    def exists(self, name: str) -> bool:
        """Whether an upload under this name would replace a document (ask first)."""
        return name in self.components.store.documents() or (self.settings.corpus_dir / name).exists()

    def add(self, source: Path, name: str | None = None, group: str | None = None, user: User | None = None,
            progress: Progress = no_progress, cancelled: Callable[[], bool] = never) -> IndexReport:
        """Copy a file into the corpus folder and index it; a rejected file is not kept.

        The copy is read from a hidden staging folder and moved into place only once indexed: a bad
        (or cancelled) file sent under the name of a good document leaves that document untouched.
        ``group`` None keeps the group of the document it replaces ("" for a new one: everyone).
        `user`: who uploads, who must be allowed to change both the document replaced and the group
        given (checked under the lock, against the document as it is then). One writer per name at a
        time, across processes (`document_lock`)."""
        report = IndexReport()
        try:
            name = self._checked_upload(source, name)
            self.check_upload(name, group, user)  # refused before the copy
        except DocumentError as error:
            report.errors.append(error)
            return report
        staged = self._staging() / f"{uuid.uuid4().hex}{Path(name).suffix.lower()}"
        try:
            shutil.copyfile(source, staged)
            with self._lock(name):
                self._place(name, staged, group, user, report, progress, cancelled)
        finally:
            staged.unlink(missing_ok=True)
        self.components.store.refresh_lexical()
        return report

    def _place(self, name: str, staged: Path, group: str | None, user: User | None, report: IndexReport,
               progress: Progress, cancelled: Callable[[], bool]) -> None:
        """Under the name's lock: the rights checked again (the document may have changed since the
        upload was queued), then index and move into place."""
        try:
            self.check_upload(name, group, user)
        except DocumentError as error:
            report.errors.append(error)
            return
        previous = self.components.store.documents().get(name)
        self._index_file(name, staged, file_sha256(staged), previous, report, group, progress, cancelled)
        if not report.errors:
            os.replace(staged, self.settings.corpus_dir / name)

    def check_upload(self, name: str, group: str | None, user: User | None) -> None:
        """A DocumentError unless `user` may upload `name` for `group` (None: the group of the
        document it replaces, "" for a new one)."""
        previous = self.components.store.documents().get(name)
        _check_edit(user, name, previous, group if group is not None else (previous.group if previous else ""))

    def checked_name(self, raw: str) -> str:
        """The name an upload is stored under; DocumentError when it cannot be one."""
        name = document_name(raw)
        if is_folder_note(name):
            raise DocumentError(name, "ce nom est réservé au mode d’emploi du dossier des documents ; "
                                      "renommez le fichier puis réessayez")
        return name

    def _checked_upload(self, source: Path, name: str | None) -> str:
        name = self.checked_name(name if name is not None else source.name)
        if not source.is_file():
            raise DocumentError(name, "le fichier envoyé est introuvable")
        limit = self.settings.limits.max_file_mb
        if source.stat().st_size > limit * 1024 * 1024:  # refused before copying gigabytes
            raise DocumentError(name, f"le fichier dépasse la taille maximale autorisée ({limit:g} Mo)")
        return name

    def _staging(self) -> Path:
        staging = self.settings.corpus_dir / ".incoming"
        staging.mkdir(parents=True, exist_ok=True)
        for stale in staging.iterdir():  # left by a process killed during an upload
            if time.time() - stale.stat().st_mtime > STALE_UPLOAD_S:
                stale.unlink(missing_ok=True)
        return staging

    def delete(self, name: str, user: User | None = None) -> None:
        """From the index and from the corpus folder: a listed document only, never the folder's
        README or a file the index does not hold (`user`: who must be allowed to; for them an absent
        or unreadable document is an error, for the command line nothing to do)."""
        store = self.components.store
        record = store.documents().get(name)
        if record is None or (user is not None and not user.may_read(record.group)):
            if user is None:
                return
            raise DocumentError(name, "ce document n’est pas dans l’index")
        _check_edit(user, name, record, None)
        with self._lock(name):
            store.delete_document(name)
            path = (self.settings.corpus_dir / name).resolve()
            if path.is_file() and self.settings.corpus_dir.resolve() in path.parents:
                path.unlink()
        store.refresh_lexical()


def _check_edit(user: User | None, name: str, previous: DocumentRecord | None, group: str | None) -> None:
    """A DocumentError unless `user` may change the document `name` (and give it `group`)."""
    if user is None:
        return
    if previous is not None and not user.may_read(previous.group):
        raise DocumentError(name, "un document de ce nom existe déjà et vous n’y avez pas accès : "
                                  "choisissez un autre nom")
    if previous is not None and not user.may_edit(previous.group):
        raise DocumentError(name, "vous n’avez pas le droit de modifier ce document")
    if group is not None and not user.may_edit(group):
        allowed = ", ".join(g or "tous" for g in user.upload_groups()) or "aucun"
        raise DocumentError(name, f"vous ne pouvez pas déposer de document pour « {group or 'tous'} » "
                                  f"(vos droits : {allowed})")

"""The documents the assistant answers from: index a corpus folder (incremental by content hash, one
bad file never stops the rest), add an uploaded file, delete one, list them."""
from __future__ import annotations

import os
import shutil
import time
import uuid
from datetime import datetime, timezone
from pathlib import Path

from tqdm import tqdm

from assistant.components import Components
from assistant.components.store import INDEX_FORMAT
from assistant.config import Settings
from assistant.domain import DocumentRecord, IndexReport, Progress, no_progress
from assistant.errors import DocumentError
from assistant.ingest.chunking import to_passages
from assistant.ingest.corpus import corpus_files, file_sha256
from assistant.ingest.readers import read_document
from assistant.ingest.uploads import document_name
from assistant.services.access import User

STALE_UPLOAD_S = 3600  # a staged upload older than this was left by a killed process


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
            store.delete_document(name)
            report.removed.append(name)
        for step, (name, path, sha) in enumerate(tqdm(todo, desc="Indexation", unit="doc",
                                                      disable=not show_bar or not todo)):
            progress(f"Indexation de « {name} »", step, len(todo))
            # A changed file keeps the group it was given: it must not become public.
            if not self._index_file(name, path, sha, known.get(name), report) and name in known:
                store.delete_document(name)  # a file that became unreadable no longer answers questions
        progress("Index à jour", len(todo), len(todo))
        store.save_state(INDEX_FORMAT)  # every document is now current; repairs what a killed run left
        store.refresh_lexical()
        return report

    def _index_file(self, name: str, path: Path, sha: str, previous: DocumentRecord | None,
                    report: IndexReport, group: str | None = None) -> bool:
        """Read, cut, embed and store one file; False (and the reason in the report) when unreadable."""
        group = group if group is not None else (previous.group if previous else "")
        try:
            document = read_document(path, name, self.settings.limits.max_file_mb)
        except DocumentError as error:
            report.errors.append(error)
            return False
        passages = to_passages(document, self.settings.chunking, group)
        embeddings = self.components.embedder.get_text_embedding_batch(
            [f"{p.heading}\n{p.text}" for p in passages])
        record = DocumentRecord(
            path=name, sha256=sha, title=document.title, kind=document.kind,
            pages=document.page_count, passages=len(passages),
            indexed_at=datetime.now(timezone.utc).isoformat(timespec="seconds"), group=group)
        self.components.store.add_document(record, passages, embeddings)
        (report.updated if previous else report.added).append(name)
        report.passages += len(passages)
        return True

    def add(self, source: Path, name: str | None = None, group: str | None = None,
            user: User | None = None) -> IndexReport:
        """Copy a file into the corpus folder and index it; a rejected file is not kept.

        The copy is read from a hidden staging folder and moved into place only once indexed: a bad
        file sent under the name of a good document leaves that document untouched. ``group`` None
        keeps the group of the document it replaces ("" for a new one: everyone). `user`: who uploads,
        who must be allowed to change both the document replaced and the group given."""
        report = IndexReport()
        try:
            name = self._checked_upload(source, name)
            previous = self.components.store.documents().get(name)
            group = group if group is not None else (previous.group if previous else "")
            _check_edit(user, name, previous, group)
        except DocumentError as error:
            report.errors.append(error)
            return report
        staged = self._staging() / f"{uuid.uuid4().hex}{Path(name).suffix.lower()}"
        try:
            shutil.copyfile(source, staged)
            self._index_file(name, staged, file_sha256(staged), previous, report, group)
            if not report.errors:
                os.replace(staged, self.settings.corpus_dir / name)
        finally:
            staged.unlink(missing_ok=True)
        self.components.store.refresh_lexical()
        return report

    def _checked_upload(self, source: Path, name: str | None) -> str:
        name = document_name(name if name is not None else source.name)
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
        """From the index and from the corpus folder (`user`: who must be allowed to)."""
        store = self.components.store
        if user is not None:
            record = store.documents().get(name)
            if record is None or not user.may_read(record.group):
                raise DocumentError(name, "ce document n’est pas dans l’index")
            _check_edit(user, name, record, None)
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

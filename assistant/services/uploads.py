"""Uploads indexed in the background, one at a time, while questions go on: each job reports its
progress and can be cancelled (between embedding batches, before anything is written). The page
submits the files, then reads the jobs of its session at each tick."""
from __future__ import annotations

import logging
import queue
import threading
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from assistant.domain import IndexReport
from assistant.services.access import User
from assistant.services.documents import DocumentService

log = logging.getLogger(__name__)


@dataclass
class UploadJob:
    source: Path
    name: str
    session: str
    group: str | None = None  # None: the replaced document's, "" for a new one (everyone)
    user: User | None = None  # who uploads: their rights are checked again when the job runs
    id: str = field(default_factory=lambda: uuid.uuid4().hex)
    state: str = "waiting"  # waiting, indexing, done, failed
    done: int = 0
    total: int = 0
    report: IndexReport | None = None
    cancel: threading.Event = field(default_factory=threading.Event)

    @property
    def finished(self) -> bool:
        return self.state in ("done", "failed")


class UploadQueue:
    def __init__(self, documents: DocumentService) -> None:
        self.documents = documents
        self._jobs: queue.Queue[UploadJob] = queue.Queue()
        self._all: list[UploadJob] = []
        self._lock = threading.Lock()
        self._worker: threading.Thread | None = None

    def submit(self, source: Path, name: str, session: str, group: str | None = None,
               user: User | None = None) -> UploadJob:
        job = UploadJob(source, name, session, group, user)
        with self._lock:
            self._all.append(job)
            if self._worker is None or not self._worker.is_alive():
                self._worker = threading.Thread(target=self._run, name="uploads", daemon=True)
                self._worker.start()
        self._jobs.put(job)
        return job

    def jobs(self, session: str) -> list[UploadJob]:
        with self._lock:
            return [j for j in self._all if j.session == session]

    def forget(self, jobs: list[UploadJob]) -> None:
        """Finished jobs whose outcome the page has shown."""
        with self._lock:
            self._all = [j for j in self._all if j not in jobs]

    def cancel(self, session: str) -> int:
        pending = [j for j in self.jobs(session) if not j.finished]
        for job in pending:
            job.cancel.set()
        return len(pending)

    def _run(self) -> None:
        while True:
            job = self._jobs.get()
            job.state = "indexing"

            def progress(_: str, done: int, total: int, job: UploadJob = job) -> None:
                job.done, job.total = done, total
            try:
                job.report = self.documents.add(job.source, job.name, job.group, job.user, progress=progress,
                                                cancelled=job.cancel.is_set)
            except Exception:  # noqa: BLE001 - one bad upload must not stop the queue
                log.exception("upload failed: %s", job.name)
            job.state = "done" if job.report is not None and not job.report.errors else "failed"

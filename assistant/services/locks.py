"""One document name written by one process at a time: an upload (index, then move into the
folder) and an indexing run's work on the same name, in this process or another worker, never
interleave. A lock file per name under the corpus folder's hidden staging folder (fcntl.flock:
released by the kernel when a process dies, so a kill never leaves a name locked)."""
from __future__ import annotations

import fcntl
import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def document_lock(staging: Path, name: str) -> Iterator[None]:
    staging.mkdir(parents=True, exist_ok=True)
    path = staging / f"{hashlib.sha1(name.encode()).hexdigest()[:16]}.lock"
    with path.open("a") as handle:  # flock is per open file: two threads of one process wait too
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)

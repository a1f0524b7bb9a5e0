"""The audit log is safe across processes: several app workers and a CLI append whole lines, and a
reader holding the lock sees no line appear under its feet (spawned processes: integration lane)."""
from __future__ import annotations

import fcntl
import json
import multiprocessing
from pathlib import Path

from assistant.services.audit import AuditLog


def _writer(path: str, worker: int, count: int) -> None:
    log = AuditLog(Path(path))
    for i in range(count):
        # Large records: an unlocked buffered write would be split and interleaved.
        log.append({"type": "exchange", "worker": worker, "i": i, "answer": f"{worker}-{i} " + "x" * 70_000})


def test_several_processes_append_whole_lines(tmp_path: Path) -> None:
    path = tmp_path / "audit.jsonl"
    context = multiprocessing.get_context("spawn")
    workers = [context.Process(target=_writer, args=(str(path), w, 40)) for w in range(4)]
    for process in workers:
        process.start()
    for process in workers:
        process.join(60)
        assert process.exitcode == 0
    lines = path.read_text(encoding="utf-8").splitlines()
    records = [json.loads(line) for line in lines]  # every line is whole JSON
    assert len(records) == 160
    assert {(r["worker"], r["i"]) for r in records} == {(w, i) for w in range(4) for i in range(40)}
    assert all(r["answer"].startswith(f"{r['worker']}-{r['i']} ") for r in records)


def _append_one(path: str) -> None:
    AuditLog(Path(path)).append({"type": "feedback", "useful": True})


def test_an_append_waits_while_another_process_holds_the_lock(tmp_path: Path) -> None:
    """A reader or archiver that locks the file sees no line appear under its feet."""
    path = tmp_path / "audit.jsonl"
    path.write_text("", encoding="utf-8")
    writer = multiprocessing.get_context("spawn").Process(target=_append_one, args=(str(path),))
    with path.open("r", encoding="utf-8") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        writer.start()
        writer.join(3)  # long enough for a spawned process to start and try to append
        assert writer.is_alive() and path.read_text(encoding="utf-8") == ""
        fcntl.flock(handle, fcntl.LOCK_UN)
    writer.join(30)
    assert writer.exitcode == 0 and json.loads(path.read_text(encoding="utf-8"))["useful"] is True

"""The audit log that supports human oversight: one JSON line per exchange (question, answer,
sources, model, time) and one per feedback, appended and never rewritten. Written by the chat
service, so an answer is logged the same way from the page, the command line or the evaluation.

Several processes (two app instances, a CLI) may append at once: each record is written whole
under an exclusive lock on the file, so lines never interleave.
"""
from __future__ import annotations

import fcntl
import json
import os
import uuid
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from assistant.domain import Answer


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


class AuditLog:
    def __init__(self, path: Path) -> None:
        self.path = path

    def append(self, record: dict[str, Any]) -> dict[str, Any]:
        record = {"time": now(), **record}
        line = json.dumps(record, ensure_ascii=False) + "\n"
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self.path.open("a", encoding="utf-8") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                handle.write(line)
                handle.flush()
                os.fsync(handle.fileno())
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)
        return record

    def records(self) -> list[dict[str, Any]]:
        if not self.path.exists():
            return []
        with self.path.open(encoding="utf-8") as handle:
            fcntl.flock(handle, fcntl.LOCK_SH)
            try:
                return [json.loads(line) for line in handle if line.strip()]
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)


def exchange_record(answer: Answer, conversation: str = "", user: str = "",
                    passages: int | None = None) -> dict[str, Any]:
    """What was asked, what was answered, on which passages, by which model."""
    return {
        "type": "exchange",
        "id": uuid.uuid4().hex,
        "conversation": conversation,
        "user": user,
        "question": answer.question,
        "search_query": answer.search_query,  # the question completed from the conversation
        "answer": answer.text,
        "abstained": answer.abstained,
        "model": answer.model,
        "passages_requested": passages,
        "sources": [{"marker": c.marker, **c.passage.to_record(), "score": c.score} for c in answer.citations],
        "consulted": [e.passage.to_record(text=False) for e in answer.consulted],
        "unsupported_sentences": answer.removed,  # out of the shown answer, kept here
        "unsupported_reply": answer.unsupported_text,  # what the model wrote when none of it was shown
        "checked_translation": answer.translation,  # why an English reply was kept or refused
        "timings": {k: round(v, 3) for k, v in answer.timings.items()},
    }


def feedback_record(exchange: dict[str, Any], useful: bool, comment: str = "", user: str = "") -> dict[str, Any]:
    """A user's judgement of one answer, with the exchange it judges (readable on its own)."""
    return {
        "type": "feedback",
        "id": uuid.uuid4().hex,
        "exchange": exchange["id"],
        "conversation": exchange.get("conversation", ""),
        "user": user,
        "useful": useful,
        "comment": comment.strip(),
        **{key: exchange[key] for key in ("question", "answer", "sources", "model")},
    }

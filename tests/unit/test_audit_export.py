"""The audit log (append-only JSON lines, safe across processes) and the Markdown export."""
from __future__ import annotations

import fcntl
import json
import multiprocessing
from datetime import datetime
from pathlib import Path

from assistant import Assistant, Conversation
from assistant.services.audit import AuditLog, exchange_record, feedback_record
from assistant.render.markdown import conversation_markdown as to_markdown
from assistant.components.llm.fake import FakeLLM

QUESTION = "Quelle part des dirigeants cite la cybersécurité comme priorité ?"
# One sentence backed by the PDF, one that no passage supports.
REPLY = ("La cybersécurité est citée comme priorité par 62 % des dirigeants interrogés [1]. "
         "Les robots humanoïdes remplaceront tous les techniciens dès demain.")


def _answer(indexed: Assistant, reply: str = REPLY, question: str = QUESTION):
    indexed._llms[indexed.settings.llm.model] = FakeLLM(replies=[reply])
    return indexed.ask(question, Conversation())


def test_exchange_and_feedback_records_hold_what_oversight_needs(indexed: Assistant, tmp_path: Path) -> None:
    answer = _answer(indexed)
    log = AuditLog(tmp_path / "audit" / "audit.jsonl")
    exchange = log.append(exchange_record(answer, session="s1", user="dg", passages=5))
    log.append(feedback_record(exchange, useful=False, comment="  Chiffre à vérifier  ", user="dg"))

    first, second = log.records()
    assert first["type"] == "exchange" and first["question"] == QUESTION
    assert first["answer"] == answer.text and first["model"] == "fake"
    assert [s["document"] for s in first["sources"]] == ["etude.pdf"]
    assert first["sources"][0]["page"] == 2 and "62 %" in first["sources"][0]["text"]
    assert all(c["document"] != "etude.pdf" or c["page"] != 2 for c in first["consulted"])
    assert first["unsupported_sentences"] == ["Les robots humanoïdes remplaceront tous les techniciens dès demain."]
    datetime.fromisoformat(first["time"])
    assert second["type"] == "feedback" and second["exchange"] == first["id"]
    assert second["useful"] is False and second["comment"] == "Chiffre à vérifier"
    assert second["question"] == QUESTION and second["sources"] == first["sources"]
    assert second["model"] == "fake" and second["user"] == "dg"


def test_appending_never_rewrites_earlier_lines(tmp_path: Path) -> None:
    log = AuditLog(tmp_path / "audit.jsonl")
    log.append({"type": "exchange", "question": "première"})
    before = log.path.read_bytes()
    log.append({"type": "exchange", "question": "seconde"})
    after = log.path.read_bytes()
    assert after.startswith(before) and after.count(b"\n") == 2


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


def test_markdown_export_has_answers_cited_passages_and_consulted_sources(indexed: Assistant) -> None:
    conversation = Conversation()
    indexed._llms[indexed.settings.llm.model] = FakeLLM(replies=[
        REPLY, "L'information ne figure pas dans les documents."])
    first = indexed.ask(QUESTION, conversation)
    second = indexed.ask("Quel est le cours de l'action Airbus aujourd'hui ?", conversation)
    markdown = to_markdown([first, second], datetime(2025, 3, 14, 9, 30))

    assert markdown.startswith("# Conversation")
    assert "14/03/2025 à 09:30" in markdown and "intelligence artificielle" in markdown
    assert f"## 1. {QUESTION}" in markdown and first.text in markdown
    assert "## 2. Quel est le cours de l'action Airbus aujourd'hui ?" in markdown
    assert "L'information ne figure pas dans les documents." in markdown
    cited = markdown.split("### Sources citées")[1].split("##")[0]
    assert "[1] etude (etude.pdf), p. 2" in cited
    assert "> La cybersécurité est citée comme priorité par 62 % des dirigeants interrogés." in cited
    assert "Non étayé" in markdown and "robots humanoïdes" in markdown
    consulted = markdown.split("### Consultés (non cités)")[1]
    assert consulted.strip().startswith("- ")
    assert markdown.count("### Sources citées") == 1  # the abstention cites nothing

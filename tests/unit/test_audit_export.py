"""The audit log (append-only JSON lines, written by the chat service) and the Markdown export."""
from __future__ import annotations

from datetime import datetime
from pathlib import Path

from assistant import Assistant, Conversation
from assistant.services.audit import AuditLog
from assistant.render.markdown import conversation_markdown as to_markdown
from assistant.components.llm.fake import FakeLLM

QUESTION = "Quelle part des dirigeants cite la cybersécurité comme priorité ?"
# One sentence backed by the PDF, one that no passage supports.
REPLY = ("La cybersécurité est citée comme priorité par 62 % des dirigeants interrogés [1]. "
         "Les robots humanoïdes remplaceront tous les techniciens dès demain.")


def test_every_answer_is_logged_by_the_chat_service_with_what_oversight_needs(
        indexed: Assistant, fake_llm: FakeLLM) -> None:
    """Whatever asks (the page, the command line, the evaluation): one exchange line per answer."""
    fake_llm.say(REPLY)
    conversation = Conversation()
    events = list(indexed.stream(QUESTION, conversation, passages=5, user="dg"))
    answer, exchange = events[-1].answer, events[-1].exchange
    indexed.chat.feedback(exchange, useful=False, comment="  Chiffre à vérifier  ", user="dg")

    first, second = indexed.audit.records()
    assert first == exchange and first["conversation"] == conversation.id and first["passages_requested"] == 5
    assert first["type"] == "exchange" and first["question"] == QUESTION
    assert first["answer"] == answer.text and first["model"] == "fake"
    assert [s["document"] for s in first["sources"]] == ["etude.pdf"] and first["user"] == "dg"
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


def test_markdown_export_has_answers_cited_passages_and_consulted_sources(indexed: Assistant, fake_llm) -> None:
    conversation = Conversation()
    fake_llm.say(REPLY, "L'information ne figure pas dans les documents.")
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
    assert "Texte non sourcé" in markdown and "robots humanoïdes" in markdown
    assert "robots humanoïdes" not in first.text  # out of the answer shown as sourced
    consulted = markdown.split("### Consultés (non cités)")[1]
    assert consulted.strip().startswith("- ")
    assert markdown.count("### Sources citées") == 1  # the abstention cites nothing

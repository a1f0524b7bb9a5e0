"""The page without a browser: it builds with every control the clients use, the chat tab's
handlers stream and log through the chat service, the listening guard, and gradio kept out of
the core."""
from __future__ import annotations

import ast
from pathlib import Path

import gradio as gr
import pytest

from assistant import Assistant
from assistant.config import Account, AppSettings
from assistant.ui.app import build, exposure_refusal
from assistant.ui.chat import ChatState, ChatTab
from eval.app_client import read_turns

PACKAGE = Path(__file__).resolve().parents[2] / "assistant"
QUESTION = "Quelle part des dirigeants cite la cybersécurité comme priorité ?"
REPLY = "La cybersécurité est citée comme priorité par 62 % des dirigeants interrogés [1]."
CONTROLS = {"app-title", "ai-notice", "about-line", "chat-box", "question", "send", "new-conversation", "export",
            "model", "passages", "evidence", "viewer", "page-image", "documents-table", "upload",
            "documents-status", "delete-choice", "delete"}


def test_the_page_builds_with_the_controls_the_browser_and_the_http_client_use(assistant: Assistant) -> None:
    config = build(assistant).get_config_file()
    components = {c["id"]: c["props"].get("elem_id") for c in config["components"]}
    assert CONTROLS <= set(components.values())
    send = next(i for i, elem_id in components.items() if elem_id == "send")
    asked = next(d for d in config["dependencies"] if (send, "click") in map(tuple, d["targets"]))
    # eval.app_client fills the inputs by elem_id, the state (no elem_id) is the server's
    assert [components[i] for i in asked["inputs"]] == ["question", None, "model", "passages"]
    assert "chat-box" in [components[i] for i in asked["outputs"]]


def test_a_question_shows_evidence_then_the_answer_logged_once(indexed: Assistant, tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GRADIO_TEMP_DIR", str(tmp_path / "gradio"))  # where Gradio copies the download
    tab = ChatTab(indexed, tmp_path / "exports")
    indexed.llm().say(REPLY)
    steps = list(tab.ask(QUESTION, None, "fake", 4))
    chat, *_, state, export = steps[-1]
    assert isinstance(state, ChatState) and len(state.turns) == 1
    assert read_turns(steps[0][0])[0]["phase"] == "search" and steps[0][3] == ""  # the box is emptied at once
    assert "evidence-card" in steps[1][1]  # the passages, before any token
    [shown] = read_turns(chat)
    assert shown["final"] and "[1]" in shown["answer"] and shown["conversation"] == state.conversation.id
    exchanges = [r for r in indexed.chat.audit.records() if r["type"] == "exchange"]
    assert len(exchanges) == 1 and exchanges[0]["id"] == shown["exchange"]  # logged by the service, once
    [written] = (tmp_path / "exports" / state.conversation.id).iterdir()  # one folder per conversation
    assert written.name == export.value["orig_name"] and written.read_text(encoding="utf-8").count(f"## 1. {QUESTION}") == 1


def test_an_empty_question_changes_nothing(indexed: Assistant, tmp_path: Path) -> None:
    state = ChatState()
    [step] = list(ChatTab(indexed, tmp_path).ask("   ", state, "fake", 4))
    assert step[5] is state and not state.turns and not indexed.chat.audit.records()


def test_a_citation_opens_its_passage_and_feedback_is_logged_once(indexed: Assistant, tmp_path: Path) -> None:
    tab = ChatTab(indexed, tmp_path)
    indexed.llm().say(REPLY)
    state = list(tab.ask(QUESTION, None, "fake", 4))[-1][5]
    cited = state.turns[0].answer.citations[0].passage
    viewer, page, *_ = tab.click(state, gr.EventData(None, {"action": "cite", "turn": 0, "passage": cited.id}))
    assert "62 %" in viewer and "etude.pdf · page 2" in viewer
    assert page.get_config()["visible"] is True  # the PDF page, highlighted
    verdict = {"action": "feedback", "turn": 0, "useful": False, "comment": "À vérifier"}
    for _ in range(2):  # a second click on the same answer is not logged again
        tab.click(state, gr.EventData(None, verdict))
    feedback = [r for r in indexed.chat.audit.records() if r["type"] == "feedback"]
    assert len(feedback) == 1 and feedback[0]["comment"] == "À vérifier" and feedback[0]["useful"] is False
    assert tab.click(state, gr.EventData(None, {"action": "cite", "turn": 7}))[-1] is state  # no such turn


def test_listening_beyond_the_machine_needs_accounts() -> None:
    def refusal(host: str, **app: object) -> str:
        return exposure_refusal(AppSettings(host=host, **app))

    assert refusal("127.0.0.1") == refusal("localhost") == refusal("[::1]") == ""
    assert "0.0.0.0" in refusal("0.0.0.0") and "assistant user add" in refusal("192.0.2.1")
    account = Account(password_hash="scrypt$...", groups=["rh"], role="editor")
    assert refusal("0.0.0.0", accounts={"ana": account}) == ""
    # the shared clear-text login of older versions is refused, wherever the app listens
    assert "ne sont plus acceptés" in refusal("127.0.0.1", user="direction", password="s3cret")
    assert "ne sont plus acceptés" in refusal("0.0.0.0", user="direction", password="s3cret", accounts={"a": account})


def test_only_the_ui_package_imports_gradio() -> None:
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        if "ui" in path.relative_to(PACKAGE).parts[:1]:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
                [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            offenders += [f"{path.relative_to(PACKAGE)}: {n}" for n in names if n.split(".")[0] == "gradio"]
    assert not offenders


def test_an_audit_log_that_cannot_be_written_neither_fails_the_turn_nor_locks_send(
        indexed: Assistant, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    indexed.audit.path.parent.mkdir(parents=True, exist_ok=True)
    indexed.audit.path.mkdir()  # a folder where the log should be: every write fails (as on a full disk)
    indexed.llm().say(REPLY)
    steps = list(ChatTab(indexed, tmp_path / "exports").ask(QUESTION, None, "fake", 4))
    chat, _, _, _, send, state, _ = steps[-1]
    [shown] = read_turns(chat)
    assert shown["final"] and "62 %" in shown["answer"] and not state.turns[0].error
    assert send.get_config()["interactive"] is True  # « Envoyer » usable again
    assert "Journal d'audit non écrit" in caplog.text

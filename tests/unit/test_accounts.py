"""Named accounts in the web app, with the fakes: each person logs in with their own password
(stored as a scrypt hash), and every search, citation, document list, page image, workshop item and
export shows only the documents of their groups plus the public ones; the audit log names them;
only editors change documents, of their own groups, and only admins the public ones."""
from __future__ import annotations

import time
from functools import cache
from pathlib import Path

import gradio as gr
import pytest

from assistant import Assistant
from assistant.components.llm.fake import FakeLLM
from assistant.services.access import LOCAL, Accounts, LoginThrottle, User, hash_password, verify_password
from assistant.ui.chat import ChatTab
from assistant.ui.documents import DocumentsTab
from assistant.ui.workshop import WorkshopTab
from support.settings import fake_settings

SALARIES = ("# Grille des salaires 2024\n\nLa grille des salaires 2024 prévoit une hausse de 4,5 % pour les "
            "techniciens de maintenance et de 3 % pour les cadres de l'usine de Lens.\n")
CLOSURE = ("# Plan industriel confidentiel\n\nLa fermeture du site de Valenciennes est prévue pour mars 2026 ; "
           "les 140 salariés seront reclassés à Douai.\n")
GROUPS = {"salaires.md": "rh", "plan-industriel.md": "direction"}
SECRETS = {"salaires.md": "4,5 %", "plan-industriel.md": "Douai"}
QUESTIONS = {"salaires.md": "Quelle hausse prévoit la grille des salaires 2024 pour les techniciens de maintenance ?",
             "plan-industriel.md": "Quand la fermeture du site de Valenciennes est-elle prévue ?"}
PASSWORDS = {"ana": "ana-rh-2026", "bruno": "bruno-dir-2026", "chloe": "chloe-admin-2026", "denis": "denis-lit-2026"}
ROLES = {"ana": (["rh"], "editor"), "bruno": (["direction"], "reader"), "chloe": ([], "admin"), "denis": ([], "reader")}


@cache
def hashes() -> dict[str, str]:
    return {name: hash_password(password) for name, password in PASSWORDS.items()}


@pytest.fixture
def team(tmp_path: Path, make_corpus) -> Assistant:
    """The shared test corpus (public) plus one document for HR and one for the management."""
    accounts = {name: {"password_hash": hashes()[name], "groups": groups, "role": role}
                for name, (groups, role) in ROLES.items()}
    settings = fake_settings(tmp_path, app={"accounts": accounts})
    make_corpus()  # into tmp_path/corpus, this settings' folder too
    assistant = Assistant(settings, llm=FakeLLM())
    assert not assistant.index().errors
    for name, text in (("salaires.md", SALARIES), ("plan-industriel.md", CLOSURE)):
        (tmp_path / name).write_text(text, encoding="utf-8")
        assert assistant.add_document(tmp_path / name, name, GROUPS[name]).added == [name]
    return assistant


def request(name: str) -> gr.Request:
    return gr.Request(username=name)


def _uploaded(tab: DocumentsTab, files: list[str], group: str, name: str, timeout: float = 20) -> str:
    """The status once `name`'s upload, indexed in the background, is done."""
    notes = tab.upload(files, group, request(name))[0]
    deadline = time.monotonic() + timeout
    while True:
        status, _, timer, *_ = tab.tick(notes, 0, "fake", request(name))
        if not timer.get_config()["active"] or time.monotonic() > deadline:
            return status
        time.sleep(0.05)


def test_a_queued_upload_is_checked_again_when_it_runs(team: Assistant, tmp_path: Path) -> None:
    """The rights go with the job: what reaches the background queue for a reader is refused there."""
    forged = tmp_path / "salaires.md"
    forged.write_text("# Grille\n\nAucune hausse en 2024.\n", encoding="utf-8")
    job = team.uploads.submit(forged, "salaires.md", "s", "rh", team.accounts.user("bruno"))
    deadline = time.monotonic() + 20
    while not job.finished and time.monotonic() < deadline:
        time.sleep(0.05)
    assert job.state == "failed" and "4,5 %" in (team.settings.corpus_dir / "salaires.md").read_text()


def readable(name: str) -> set[str]:
    groups = ROLES[name][0]
    return {doc for doc, group in GROUPS.items() if group in groups}


def test_passwords_are_stored_as_scrypt_hashes_checked_in_constant_time() -> None:
    stored = hashes()["ana"]
    assert stored.startswith("scrypt$") and PASSWORDS["ana"] not in stored
    assert verify_password(PASSWORDS["ana"], stored) and not verify_password("ana-rh-2025", stored)
    assert hash_password(PASSWORDS["ana"]) != stored  # salted
    assert not verify_password("x", "") and not verify_password("x", "scrypt$1$2$3$!!$??")  # malformed: no entry


def test_each_account_logs_in_with_its_own_password_only(team: Assistant) -> None:
    accounts = team.accounts
    assert accounts.login_required
    assert accounts.authenticate("ana", PASSWORDS["ana"]) and not accounts.authenticate("ana", PASSWORDS["bruno"])
    assert not accounts.authenticate("inconnu", PASSWORDS["ana"]) and not accounts.authenticate("", "")
    assert accounts.user("ana") == User("ana", frozenset({"rh"}), "editor")
    assert accounts.user("intrus").groups == frozenset()  # an unknown name reads public documents only


@pytest.mark.parametrize("name", ["ana", "bruno", "denis"])
def test_the_page_answers_from_the_users_documents_and_logs_their_name(team: Assistant, tmp_path: Path,
                                                                       name: str) -> None:
    tab = ChatTab(team, tmp_path / "exports")
    for document, secret in SECRETS.items():
        team.llm().say("Voici [1] et [2] et [3] et [4] et [5].")  # cites everything it is shown
        *_, last = tab.ask(QUESTIONS[document], None, "fake", 8, request(name))
        state, export = last[5], last[6]
        turn = state.turns[0]
        shown = {e.passage.document for e in turn.evidence} | \
            {c.passage.document for c in turn.answer.citations}
        exported = Path(export.value["path"]).read_text(encoding="utf-8") if export.value else ""
        if document in readable(name):
            assert document in shown
        else:
            assert document not in shown and secret not in last[0] and secret not in last[1]
            assert secret not in exported
    users = {r["user"] for r in team.chat.audit.records() if r["type"] == "exchange"}
    assert users == {name}


def test_a_cited_page_opens_only_from_the_users_own_answers(team: Assistant, tmp_path: Path) -> None:
    tab = ChatTab(team, tmp_path)
    team.llm().say("Voici [1].")
    state = list(tab.ask(QUESTIONS["plan-industriel.md"], None, "fake", 8, request("ana")))[-1][5]
    doomed = "plan-industriel.md"
    forged = {"action": "cite", "turn": 0, "passage": f"{doomed}#0"}
    viewer, page, *_ = tab.click(state, gr.EventData(None, forged), request("ana"))
    assert "Douai" not in viewer and page.get_config()["value"] is None


def test_the_document_list_shows_each_user_their_documents(team: Assistant) -> None:
    tab = DocumentsTab(team)
    for name in ROLES:
        table, choices, about, *_ = tab.refresh("fake", request(name))
        listed = {row[1] for row in table}
        assert listed & set(GROUPS) == readable(name) and "guide.md" in listed
        assert {value for _, value in choices.get_config()["choices"]} == listed
        assert f"{len(listed)} document(s)" in about


def test_only_editors_change_documents_and_only_of_their_groups(team: Assistant, tmp_path: Path) -> None:
    tab = DocumentsTab(team)
    upload, deletion, group = tab.refresh("fake", request("denis"))[3:]
    assert upload.get_config()["visible"] is False and deletion.get_config()["visible"] is False
    status = tab.delete("guide.md", "fake", request("denis"))[0]
    assert "Refusé" in status and "guide.md" in {r.path for r in team.documents()}
    status = tab.delete("plan-industriel.md", "fake", request("ana"))[0]  # not hers: as if absent
    assert "n’est pas dans l’index" in status and "plan-industriel.md" in {r.path for r in team.documents()}
    assert "Refusé" in tab.delete("guide.md", "fake", request("ana"))[0]  # public: admins only
    forged = tmp_path / "upload" / "plan-industriel.md"
    forged.parent.mkdir()
    forged.write_text("# Plan\n\nLe site de Valenciennes reste ouvert, selon la RH.\n", encoding="utf-8")
    status = tab.upload([str(forged)], "rh", request("ana"))[0]  # refused at once, nothing queued
    assert "Refusé" in status and "Valenciennes est prévue" in (team.settings.corpus_dir / "plan-industriel.md").read_text()
    assert "Refusé" in tab.upload([str(forged)], "direction", request("ana"))[0]
    assert "Refusé" in tab.upload([str(forged)], "", request("denis"))[0]
    assert not team.uploads.jobs("local")
    note = tmp_path / "upload" / "note-rh.md"
    note.write_text("# Note RH\n\nLa prime d'intéressement 2025 est de 900 euros par salarié.\n", encoding="utf-8")
    assert "Indexé" in _uploaded(tab, [str(note)], "rh", "ana")
    assert {r.path: r.group for r in team.documents()}["note-rh.md"] == "rh"
    assert "Supprimé" in tab.delete("note-rh.md", "fake", request("ana"))[0]
    assert "Supprimé" in tab.delete("guide.md", "fake", request("chloe"))[0]


def test_workshop_items_come_from_the_trainers_documents_only(team: Assistant, tmp_path: Path) -> None:
    tab = WorkshopTab(team, tmp_path)
    # each user's theme is their own document's topic (a session keeps to its theme): the other
    # group's document must not come in even so
    themes = {"ana": "hausse des salaires des techniciens de maintenance",
              "bruno": "fermeture du site de Valenciennes"}
    seen: dict[str, set[str]] = {}
    for name in ("ana", "bruno"):
        out = tab.generate("figures", themes[name], "", 60, None, "fake", lambda *a, **k: None, request(name))
        desk = out[-1]
        sources = {q.passage.document for q in desk.session.sources()} if desk.session else set()
        seen[name] = sources
        assert not sources & (set(GROUPS) - readable(name)), (name, sources)
        for document in set(GROUPS) - readable(name):
            assert SECRETS[document] not in out[0]
    assert "salaires.md" in seen["ana"]  # a group's own document does reach its trainer


def test_without_accounts_this_machines_user_reads_everything() -> None:
    from assistant.config import AppSettings

    accounts = Accounts(AppSettings())
    assert not accounts.login_required and accounts.user(None) is LOCAL and LOCAL.search_groups is None


def test_login_attempts_wait_after_too_many_failures() -> None:
    throttle = LoginThrottle(attempts=3, wait_s=60)
    for _ in range(3):
        assert throttle.wait("10.0.0.7") == 0
        throttle.failed("10.0.0.7")
    assert 59 < throttle.wait("10.0.0.7") <= 60 and throttle.wait("10.0.0.8") == 0
    throttle.succeeded("10.0.0.8")
    assert throttle.wait("10.0.0.7") > 0

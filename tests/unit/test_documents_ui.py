"""The « Documents » tab without a browser: uploads go to the background queue (questions go on),
an existing name is replaced only once confirmed, two files cleaned to one name both keep theirs,
« Annuler l’indexation » stops an upload, deleting nothing (or cancelling) raises no Gradio error,
each new page reads the list as it is now, and the chat's export is one file per conversation."""
from __future__ import annotations

import json
import subprocess
import threading
import time
from datetime import datetime, timedelta
from pathlib import Path

import gradio as gr
import pytest

from assistant import Assistant
from assistant.render.documents import NOTHING_TO_DELETE
from assistant.ui.app import build
from assistant.ui.assets import asset
from assistant.ui.chat import ChatTab
from assistant.ui.documents import DocumentsTab

NEW = "# Prime\n\nLa prime d'équipe annuelle atteint 1 200 euros pour les techniciens de maintenance.\n"


def _file(tmp_path: Path, folder: str, name: str, text: str = NEW) -> str:
    path = tmp_path / folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return str(path)


def _until_done(tab: DocumentsTab, notes: str = "", timeout: float = 20) -> tuple:
    deadline = time.monotonic() + timeout
    while True:
        out = tab.tick(notes, 0, "fake")
        if not out[2].get_config()["active"] or time.monotonic() > deadline:  # the timer stops when all are done
            return out
        time.sleep(0.05)


def test_an_upload_is_indexed_in_the_background_while_questions_go_on(indexed: Assistant, tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    release = threading.Event()
    add = indexed.corpus.add

    def slow_add(*args, **kwargs):  # noqa: ANN002, ANN003 - a big document being embedded
        release.wait(10)
        return add(*args, **kwargs)

    monkeypatch.setattr(indexed.corpus, "add", slow_add)
    tab = DocumentsTab(indexed)
    started = time.monotonic()
    tab.upload([_file(tmp_path, "a", "prime.md")])
    assert time.monotonic() - started < 2  # the handler does not wait for the indexing
    assert "62 %" in indexed.ask("Quelle part des dirigeants cite la cybersécurité comme priorité ?").text
    assert "En attente" in tab.tick("", 0, "fake")[0] or "en cours" in tab.tick("", 0, "fake")[0]
    release.set()
    status, cancel, timer, seen, rows, choices, _ = _until_done(tab)
    assert "**Indexé** : « prime.md » ajouté" in status and seen == 1
    assert "prime.md" in [row[1] for row in rows] and not cancel.get_config()["visible"]


def test_an_existing_name_is_replaced_only_once_confirmed(indexed: Assistant, tmp_path: Path) -> None:
    tab = DocumentsTab(indexed)
    before = (indexed.settings.corpus_dir / "guide.md").read_text(encoding="utf-8")
    notes, pending, confirm, question, _, _ = tab.upload([_file(tmp_path, "a", "guide.md")])
    assert confirm.get_config()["visible"] and "« guide.md » : un document de ce nom existe déjà" in question
    assert not indexed.uploads.jobs("local")  # nothing indexed before the answer
    notes, pending, confirm, _ = tab.refuse_replace(pending, notes)
    assert "Non remplacé" in notes and not pending
    assert (indexed.settings.corpus_dir / "guide.md").read_text(encoding="utf-8") == before
    _, pending, _, _, _, _ = tab.upload([_file(tmp_path, "b", "guide.md")])
    tab.confirm_replace(pending, "")
    assert "**Indexé** : « guide.md » mis à jour" in _until_done(tab)[0]
    assert "prime d'équipe" in (indexed.settings.corpus_dir / "guide.md").read_text(encoding="utf-8")


def test_two_files_cleaned_to_one_name_keep_both(indexed: Assistant, tmp_path: Path) -> None:
    """Gradio strips « ? » and « ! »: « a?.md » and « a!.md » reach the app as two « a.md »."""
    tab = DocumentsTab(indexed)
    notes, *_ = tab.upload([_file(tmp_path, "1", "a.md"), _file(tmp_path, "2", "a.md", NEW.replace("1 200", "900"))])
    assert "le second est enregistré sous « a (2).md »" in notes
    _until_done(tab, notes)
    assert {"a.md", "a (2).md"} <= {d.path for d in indexed.documents()}


def test_cancel_stops_the_indexing_and_keeps_the_index(indexed: Assistant, tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    embed = indexed.embedder.get_text_embedding_batch
    started = threading.Event()

    def slow(texts, **kwargs):  # noqa: ANN001, ANN003
        started.set()
        time.sleep(0.3)
        return embed(texts, **kwargs)

    monkeypatch.setattr(type(indexed.embedder), "get_text_embedding_batch", lambda self, texts, **k: slow(texts, **k))
    tab = DocumentsTab(indexed)
    filler = " ".join(f"contrôle{i}" for i in range(60))
    long_text = "\n\n".join(f"Procédure {n} : {filler}." for n in range(300))  # 300 passages, 5 batches
    tab.upload([_file(tmp_path, "a", "manuel.md", "# Manuel\n\n" + long_text)])
    assert started.wait(10)
    assert tab.tick("", 0, "fake")[1].get_config()["visible"]  # « Annuler l’indexation » is offered
    tab.cancel()
    status = _until_done(tab)[0]
    assert "indexation annulée" in status
    assert "manuel.md" not in {d.path for d in indexed.documents()}
    assert not (indexed.settings.corpus_dir / "manuel.md").exists()


def _run_confirm_js(confirmed: bool, name: str | None) -> list:
    script = f"globalThis.confirm = () => {json.dumps(confirmed)}; console.log(JSON.stringify(({asset('confirm-delete.js')})({json.dumps(name)}, 'fake')))"
    return json.loads(subprocess.run(["node", "-e", script], capture_output=True, text=True, check=True).stdout)


@pytest.mark.parametrize(("confirmed", "name"), [(False, "guide.md"), (True, None)], ids=["annulé", "rien de choisi"])
def test_cancelling_or_deleting_nothing_raises_no_gradio_error(indexed: Assistant, confirmed: bool,
                                                                name: str | None) -> None:
    tab = DocumentsTab(indexed)
    choice = gr.Dropdown(choices=tab.refresh()[1].get_config()["choices"], value=None)
    sent, model = _run_confirm_js(confirmed, name)  # what the browser sends after the confirm()
    value = choice.preprocess(sent)  # raised « Value:  is not in the list of choices » for ''
    status, _, dropdown, _ = tab.delete(value, model)
    assert status == NOTHING_TO_DELETE and dropdown.get_config()["value"] is None
    assert "guide.md" in {d.path for d in indexed.documents()}


def test_each_new_page_reads_the_documents_as_they_are_now(indexed: Assistant, tmp_path: Path) -> None:
    demo = build(indexed)
    config = demo.get_config_file()
    ids = {c["id"]: c["props"].get("elem_id") for c in config["components"]}
    loads = [d for d in config["dependencies"] if any(t[1] == "load" for t in d["targets"])]
    assert any({"documents-table", "delete-choice"} <= {ids.get(o) for o in d["outputs"]} for d in loads)
    assert not indexed.add_document(Path(_file(tmp_path, "a", "prime.md"))).errors  # after the page was built
    rows, choices, about, *_ = DocumentsTab(indexed).refresh("fake")
    assert "prime.md" in [row[1] for row in rows] and "4 document(s)" in about


def test_the_export_is_one_file_per_conversation(indexed: Assistant, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GRADIO_TEMP_DIR", str(tmp_path / "gradio"))
    import assistant.ui.chat as chat_module

    clock = iter(range(0, 3600, 7))

    class Later(datetime):  # each answer a few seconds after the previous one
        @classmethod
        def now(cls, tz=None):  # noqa: ANN001, ANN206
            return datetime(2026, 3, 2, 10, 0, 0) + timedelta(seconds=next(clock))

    monkeypatch.setattr(chat_module, "datetime", Later)
    tab = ChatTab(indexed, tmp_path / "exports")
    state = None
    for question in ("Quelle part des dirigeants cite la cybersécurité comme priorité ?",
                     "Quel budget moyen pour la maintenance prédictive par site ?",
                     "Combien de jours de télétravail par semaine ?"):
        state = list(tab.ask(question, state, "fake", 4))[-1][5]
    [written] = (tmp_path / "exports" / state.conversation.id).iterdir()
    assert written.read_text(encoding="utf-8").count("## ") >= 3  # the three answers, in one file

"""Writes cut short (a process killed, a disk full, two writers at once), simulated in process with
the fakes: the index must never claim a document it no longer holds, and a damaged BM25 side is
rebuilt from Chroma. The real kills (subprocess, SIGKILL): tests/integration/test_crash_safety.py."""
from __future__ import annotations

from pathlib import Path

import pytest

from assistant import Assistant
from assistant.components.store import build_store
from support.settings import fake_settings


class Killed(BaseException):
    """Stands for SIGKILL: nothing after it runs, not even `except Exception`."""


@pytest.fixture
def on_disk(tmp_path: Path, make_corpus) -> Assistant:
    settings = fake_settings(tmp_path, store={"backend": "chroma"})
    bot = Assistant(settings)
    (settings.corpus_dir / "guide.md").write_text("# Guide\n\nLa température des ateliers est de 17 degrés.\n",
                                                  encoding="utf-8")
    (settings.corpus_dir / "note.md").write_text("# Note\n\nLes congés se posent avant le 15 avril.\n",
                                                 encoding="utf-8")
    assert not bot.index().errors
    return bot


def test_a_delete_killed_between_its_steps_is_completed_by_the_next_run(on_disk: Assistant,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    store = on_disk.store

    def killed(*args, **kwargs):  # noqa: ANN002, ANN003 - the process dies before removing the record
        raise Killed

    monkeypatch.setattr(store._documents, "delete", killed)
    with pytest.raises(Killed):
        on_disk.delete_document("note.md")
    monkeypatch.undo()
    reopened = Assistant(on_disk.settings)  # the next start; the file is still in the folder
    report = reopened.index()
    assert "note.md" not in report.unchanged  # no longer « inchangé » over passages that are gone
    records = {d.path: d.passages for d in reopened.documents()}
    per_document = {d: sum(p.document == d for p in reopened.store.all_passages()) for d in records}
    assert records == per_document and records["note.md"] > 0
    assert "15 avril" in reopened.ask("Avant quelle date poser les congés ?").text


@pytest.mark.parametrize("damage", ["", "{\"fingerprint\": ", "\x00\x00\x00"], ids=["vide", "tronqué", "binaire"])
def test_a_damaged_lexical_index_is_rebuilt_from_chroma(on_disk: Assistant, damage: str) -> None:
    ids = on_disk.settings.index_dir / "lexical" / "ids.json"
    assert ids.exists()
    ids.write_text(damage)
    reopened = Assistant(on_disk.settings)
    assert not reopened.index().errors  # indexing does not fail on it
    assert "17 degrés" in reopened.ask("Quelle est la température des ateliers ?").text  # nor a question
    assert reopened.store.lexical.ids and len(reopened.store.lexical.ids) == reopened.store.count()


def test_a_lexical_save_leaves_another_writers_temporary_files_alone(tmp_path: Path) -> None:
    """`assistant index` and a running app save the same index: each writes its own temporary
    folder, so one never removes the files the other is writing (it did: both used lexical.tmp)."""
    settings = fake_settings(tmp_path, store={"backend": "chroma"})
    store = build_store(settings)
    other = settings.index_dir / "lexical.tmp"  # the other writer, half-way through its save
    other.mkdir(parents=True)
    (other / "ids.json").write_text("{}")
    store.lexical.build([], "x")
    assert (other / "ids.json").exists()
    assert Assistant(settings).store.lexical.load()  # and the saved one reads back

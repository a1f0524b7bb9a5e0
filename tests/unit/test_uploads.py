"""Uploads against what is already there: the folder's README is never replaced, two writers of one
name (two app workers, an upload and an indexing run) never interleave, an indexing run never
removes an upload that is indexed but not yet in the folder, and an upload can be cancelled
(the document it would replace is kept)."""
from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from assistant import Assistant
from assistant.services import documents as documents_module

README = "# Dossier des documents\n\nDéposez ici les PDF, .md et .txt de l'équipe.\n"


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / "envois" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("name", ["README.md", "readme.md"])
def test_the_folders_readme_is_never_replaced_by_an_upload(indexed: Assistant, tmp_path: Path, name: str) -> None:
    readme = indexed.settings.corpus_dir / "README.md"
    readme.write_text(README, encoding="utf-8")
    report = indexed.add_document(_write(tmp_path, name, "# Piège\n\nUn document qui écrase le README du dossier.\n"))
    assert report.errors and "réservé au mode d’emploi du dossier" in str(report.errors[0])
    assert readme.read_text(encoding="utf-8") == README
    assert name not in {d.path for d in indexed.documents()}


def test_deleting_a_name_the_index_does_not_list_removes_no_file(indexed: Assistant) -> None:
    readme = indexed.settings.corpus_dir / "README.md"
    readme.write_text(README, encoding="utf-8")
    indexed.delete_document("README.md")
    assert readme.exists()


def test_an_existing_document_is_known_before_it_is_replaced(indexed: Assistant) -> None:
    assert indexed.corpus.exists("guide.md") and not indexed.corpus.exists("nouveau.md")


def test_two_uploads_of_one_name_never_interleave(indexed: Assistant, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    store = indexed.store
    add = type(store.vectors).add

    def slow_add(self, nodes, **kwargs):  # noqa: ANN001, ANN003 - a slow disk or a big document
        time.sleep(0.2)
        return add(self, nodes, **kwargs)

    monkeypatch.setattr(type(store.vectors), "add", slow_add)
    versions = [_write(tmp_path / str(n), "prime.md", f"# Prime\n\nLa prime annuelle version {n} atteint "
                                                    f"{n} 000 euros pour les techniciens.\n") for n in (1, 2)]
    workers = [threading.Thread(target=indexed.add_document, args=(v,)) for v in versions]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    passages = [p for p in store.all_passages() if p.document == "prime.md"]
    record = {d.path: d for d in indexed.documents()}["prime.md"]
    on_disk = (indexed.settings.corpus_dir / "prime.md").read_text(encoding="utf-8")
    assert len(passages) == record.passages == 1  # not both versions' passages
    assert passages[0].text in on_disk  # the passages are those of the file in the folder


def test_an_indexing_run_keeps_an_upload_not_yet_moved_into_place(indexed: Assistant, tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    runs: list[threading.Thread] = []
    replace = documents_module.os.replace

    def index_meanwhile(source, target):  # noqa: ANN001 - `assistant index` starts right then
        run = threading.Thread(target=indexed.index)
        run.start()
        runs.append(run)
        run.join(timeout=2)  # it would remove the upload's record here, its file not being there yet
        replace(source, target)

    monkeypatch.setattr(documents_module.os, "replace", index_meanwhile)
    report = indexed.add_document(_write(tmp_path, "prime.md", "# Prime\n\nLa prime annuelle atteint 900 euros.\n"))
    runs[0].join()
    assert report.added == ["prime.md"]
    assert "prime.md" in {d.path for d in indexed.documents()}
    assert any(p.document == "prime.md" for p in indexed.store.all_passages())


def test_a_cancelled_upload_keeps_the_document_it_would_replace(indexed: Assistant, tmp_path: Path) -> None:
    before = {d.path: d for d in indexed.documents()}["guide.md"]
    steps: list[tuple[int, int]] = []
    report = indexed.corpus.add(_write(tmp_path, "guide.md", "# Autre guide\n\nTout autre chose.\n"),
                                progress=lambda _, done, total: steps.append((done, total)),
                                cancelled=lambda: True)
    assert report.errors and "indexation annulée" in str(report.errors[0])
    assert {d.path: d for d in indexed.documents()}["guide.md"] == before
    assert "17 degrés" in (indexed.settings.corpus_dir / "guide.md").read_text(encoding="utf-8")
    report = indexed.corpus.add(_write(tmp_path, "autre.md", "# Autre\n\nUne note sur les fours.\n"),
                                progress=lambda _, done, total: steps.append((done, total)))
    assert report.added == ["autre.md"] and steps and steps[-1][0] == steps[-1][1]

"""The passage store contract on a real `chroma run` server, and two workers sharing it."""
from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from assistant.components.store import build_store
from assistant.serving import Server
from support.settings import fake_settings, on_chroma
from support.store_contract import StoreContract

pytestmark = pytest.mark.servers


def _on_server(root: Path, chroma: Server, collection: str):
    return on_chroma(fake_settings(root), chroma, collection)


class TestChromaServer(StoreContract):
    @pytest.fixture
    def make_store(self, tmp_path: Path, chroma: Server, request: pytest.FixtureRequest):
        names = (f"contract-{request.node.name[:40]}-{n}".replace("[", "-").replace("]", "") for n in itertools.count())
        return lambda: build_store(_on_server(tmp_path, chroma, next(names)))

    def test_two_workers_see_each_others_changes(self, tmp_path: Path, chroma: Server) -> None:
        settings = _on_server(tmp_path, chroma, "two-workers")
        first, second = build_store(settings), build_store(settings)
        self._add(first, "a.md", ["La maintenance prédictive des lignes."])
        second.refresh_lexical()
        assert [i for i, _ in second.lexical_search("maintenance", 5)] == ["a.md-0"]
        second.delete_document("a.md")
        first.refresh_lexical()
        assert first.lexical_search("maintenance", 5) == [] and not first.documents()

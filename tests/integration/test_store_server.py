"""The passage store contract on a real `chroma run` server, and two workers sharing it."""
from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.components.store import build_store
from assistant.serving import Server, free_port, start_chroma_server
from support.settings import fake_settings
from support.store_contract import StoreContract

pytestmark = pytest.mark.servers


@pytest.fixture(scope="module")
def chroma(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    root = tmp_path_factory.mktemp("chroma")
    with start_chroma_server(root / "data", free_port(), root / "logs") as server:
        yield server


def _on_server(root: Path, chroma: Server, collection: str):
    port = int(chroma.url.rsplit(":", 1)[1])
    return fake_settings(root, store={"backend": "chroma-http", "port": port, "collection": collection})


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

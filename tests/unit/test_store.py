"""The passage store contract on the in-process backends: Chroma in memory (the test profile's)
and Chroma on disk (the default); the `chroma run` server runs it in tests/integration."""
from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from assistant.components.store import build_store
from assistant.components.store import passages as store_module
from support.settings import documents_collection, fake_settings
from support.store_contract import StoreContract, _passages, _record, _vector


class TestMemoryStore(StoreContract):
    @pytest.fixture
    def make_store(self, tmp_path: Path):
        return lambda: build_store(fake_settings(tmp_path))

    def test_two_stores_in_one_process_share_nothing(self, make_store) -> None:
        first, second = make_store(), make_store()
        self._add(first, "a.md", ["Texte."])
        assert second.count() == 0 and not second.documents()


class TestEmbeddedChroma(StoreContract):
    @pytest.fixture
    def make_store(self, tmp_path: Path):
        roots = (tmp_path / f"store-{n}" for n in itertools.count())
        return lambda: build_store(fake_settings(next(roots), store={"backend": "chroma"}))

    def test_a_store_opened_later_sees_every_change_and_its_bm25_side_follows(self, tmp_path: Path) -> None:
        settings = fake_settings(tmp_path, store={"backend": "chroma"})
        writer, reader = build_store(settings), build_store(settings)
        self._add(writer, "a.md", ["La maintenance prédictive des lignes."])
        reader.refresh_lexical()
        assert [i for i, _ in reader.lexical_search("maintenance", 5)] == ["a.md-0"]
        self._add(writer, "b.md", ["La maintenance des fours."], seed=7)
        reader.refresh_lexical()  # one state record read tells it the documents changed
        assert {i for i, _ in reader.lexical_search("maintenance", 5)} == {"a.md-0", "b.md-0"}
        assert (tmp_path / "index" / "lexical" / "ids.json").exists()  # saved for the next process

    def test_the_whole_collection_is_read_in_pages(self, make_store, monkeypatch) -> None:
        """Chroma refuses one read of ~100k passages; the store reads the collection in pages."""
        store = make_store()
        self._add(store, "a.md", [f"Texte numéro {n}." for n in range(5)])
        monkeypatch.setattr(store_module, "READ_PAGE", 2)
        passages = store.all_passages()
        assert len(passages) == len({p.id for p in passages}) == 5

    def test_an_index_of_the_previous_format_asks_to_be_indexed_again(self, tmp_path: Path) -> None:
        """Format 1 stored access groups as « audience » and had no state record."""
        settings = fake_settings(tmp_path, store={"backend": "chroma"})
        store = build_store(settings)
        passages = _passages("rh.md", ["Texte réservé."], group="rh")
        store.add_document(_record("rh.md", passages, group="rh"), passages, [_vector(1)])
        documents = documents_collection(settings)
        documents.delete(ids=[store_module.STATE_ID])  # as format 1 wrote it
        old = {**documents.get(ids=[store_module.document_id("rh.md")])["metadatas"][0], "audience": "rh"}
        del old["group"]
        documents.delete(ids=[store_module.document_id("rh.md")])  # an upsert would merge the metadata
        documents.add(ids=[store_module.document_id("rh.md")], embeddings=[[1.0]], metadatas=[old])
        reopened = build_store(settings)
        assert reopened.needs_reindex and reopened.documents()["rh.md"].group == "rh"


def test_a_writer_killed_before_it_rewrote_the_state_leaves_no_stale_bm25_side(tmp_path: Path, monkeypatch) -> None:
    """A document written in full, the writer killed before the state record: a reader then builds
    the BM25 side with that document; once the document is removed, the reader must not keep it."""
    settings = fake_settings(tmp_path, store={"backend": "chroma"})
    writer, reader = build_store(settings), build_store(settings)
    contract = StoreContract()
    contract._add(writer, "a.md", ["La maintenance prédictive des lignes."])
    with monkeypatch.context() as killed:
        killed.setattr(type(writer), "save_state", lambda self, index_format=None: None)
        contract._add(writer, "b.md", ["La maintenance des fours."], seed=7)
    reader.refresh_lexical()
    assert {i for i, _ in reader.lexical_search("maintenance", 5)} == {"a.md-0", "b.md-0"}
    writer.delete_document("b.md")  # the user removed the file the killed run was indexing
    reader.refresh_lexical()
    assert [i for i, _ in reader.lexical_search("maintenance", 5)] == ["a.md-0"]


def test_tied_lexical_scores_rank_in_reading_order_whatever_order_the_store_lists_them() -> None:
    """A document indexed again comes last in Chroma's listing; an AVX-512 machine sorts ties unlike
    an AVX2 one. Neither may change which passages a question retrieves."""
    from assistant.components.store.lexical import LexicalIndex
    from assistant.domain import Passage

    # Thirty passages with the same words score the same: the cut at k keeps the first in reading order.
    same = [Passage(id=f"{doc}-{n}", text="Délai de notification : quinze jours.", document=doc, position=n)
            for doc in ("a.md", "b.md", "c.md") for n in range(10)]
    listings = [same, same[::-1], same[10:] + same[:10]]
    found = []
    for listing in listings:
        index = LexicalIndex(None)
        index.build(listing, "state")
        found.append([i for i, _ in index.search("délai de notification", k=12)])
    assert found[0] == [f"a.md-{n}" for n in range(10)] + ["b.md-0", "b.md-1"]
    assert found[1] == found[2] == found[0]

"""What every passage store backend must do, as one test class (after haystack's document-store
contract tests): a subclass gives `make_store` and runs them all on its backend (in memory, Chroma
on disk, a `chroma run` server)."""
from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest

from assistant.components.store import PassageStore
from assistant.domain import DocumentRecord, Passage

DIMENSIONS = 8


def _vector(seed: int) -> list[float]:
    vector = np.random.default_rng(seed).standard_normal(DIMENSIONS)
    return (vector / np.linalg.norm(vector)).tolist()


def _passages(document: str, texts: list[str], group: str = "", page: int | None = None) -> list[Passage]:
    return [Passage(f"{document}-{i}", text, document, f"Titre de {document}", page, "Section", group, i,
                    {"reference": "REF-1"}) for i, text in enumerate(texts)]


def _record(document: str, passages: list[Passage], sha: str = "sha", group: str = "") -> DocumentRecord:
    return DocumentRecord(document, sha, f"Titre de {document}", "markdown", 0, len(passages),
                          "2026-01-01T00:00:00+00:00", group)


class StoreContract:
    make_store: Callable[..., PassageStore]  # a fixture in each subclass: a new, empty store

    def _add(self, store: PassageStore, document: str, texts: list[str], seed: int = 0, group: str = "",
             sha: str = "sha", page: int | None = 3) -> list[Passage]:
        passages = _passages(document, texts, group, page)
        store.add_document(_record(document, passages, sha, group), passages,
                           [_vector(seed + i) for i in range(len(passages))])
        return passages

    def test_passages_come_back_as_they_were_stored(self, make_store) -> None:
        store = make_store()
        stored = self._add(store, "guide.md", ["La consigne est de 17 degrés.", "Les lumières s'éteignent."])
        assert sorted(store.all_passages(), key=lambda p: p.id) == stored
        assert store.get([stored[1].id]) == {stored[1].id: stored[1]}
        assert store.all_passages()[0].extra == {"reference": "REF-1"} and store.count() == 2

    def test_the_passage_after_one_is_the_next_of_its_own_document(self, make_store) -> None:
        """A list the chunker cut goes on in the next passage of the same document, never another's."""
        store = make_store()
        first = self._add(store, "a.md", ["Les objectifs sont :", "- d'optimiser la production."])
        self._add(store, "b.md", ["Autre document.", "Sa suite."], seed=5)
        assert store.following(first[0]) == first[1] and store.following(first[1]) is None

    def test_the_document_list_holds_each_record_once_and_no_state(self, make_store) -> None:
        store = make_store()
        self._add(store, "a.md", ["Premier texte du document."], group="rh")
        self._add(store, "b.md", ["Second texte du document."], seed=5)
        records = store.documents()
        assert set(records) == {"a.md", "b.md"} and records["a.md"].group == "rh"
        assert records["a.md"].passages == 1 and records["b.md"].title == "Titre de b.md"

    def test_dense_search_ranks_the_nearest_first_and_filters_by_group(self, make_store) -> None:
        store = make_store()
        self._add(store, "public.md", ["Texte public.", "Autre texte public."], seed=0)
        self._add(store, "rh.md", ["Texte des ressources humaines."], seed=10, group="rh")
        hits = store.dense_search(_vector(10), 3)
        assert hits[0][0].document == "rh.md" and hits[0][1] == pytest.approx(1.0, abs=1e-4)
        assert all(p.document != "rh.md" for p, _ in store.dense_search(_vector(10), 3, groups=["direction"]))
        assert store.dense_search(_vector(10), 3, groups=["rh"])[0][0].document == "rh.md"

    def test_lexical_search_finds_words_after_a_refresh_and_filters_by_group(self, make_store) -> None:
        store = make_store()
        self._add(store, "public.md", ["La maintenance prédictive des lignes."])
        self._add(store, "rh.md", ["La prime de maintenance des techniciens."], seed=3, group="rh")
        store.refresh_lexical()
        assert {i for i, _ in store.lexical_search("maintenance", 5)} == {"public.md-0", "rh.md-0"}
        assert [i for i, _ in store.lexical_search("maintenance", 5, groups=[])] == ["public.md-0"]

    def test_replacing_a_document_leaves_none_of_its_old_passages(self, make_store) -> None:
        store = make_store()
        self._add(store, "note.md", ["Ancien texte.", "Ancienne suite."])
        store.refresh_lexical()
        self._add(store, "note.md", ["Nouveau texte de la note."], sha="sha2")
        assert [p.text for p in store.all_passages()] == ["Nouveau texte de la note."]
        assert store.documents()["note.md"].sha256 == "sha2"
        store.refresh_lexical()  # the state changed: the BM25 side follows
        assert [i for i, _ in store.lexical_search("ancien texte nouveau", 5)] == ["note.md-0"]

    def test_deleting_a_document_removes_its_record_and_passages(self, make_store) -> None:
        store = make_store()
        self._add(store, "a.md", ["Texte à garder."])
        self._add(store, "b.md", ["Texte à retirer."], seed=4)
        store.delete_document("b.md")
        assert set(store.documents()) == {"a.md"} and [p.document for p in store.all_passages()] == ["a.md"]
        store.refresh_lexical()
        assert [i for i, _ in store.lexical_search("retirer garder", 5)] == ["a.md-0"]

    def test_a_new_store_needs_no_reindex(self, make_store) -> None:
        store = make_store()
        assert not store.needs_reindex
        self._add(store, "a.md", ["Texte."])
        assert not store.needs_reindex

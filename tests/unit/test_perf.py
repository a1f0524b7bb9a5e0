"""The performance benchmark's own plumbing, with the fake embedder (its figures come from
`python -m eval.perf` on the real models; here only that it measures what it says)."""
from __future__ import annotations

from pathlib import Path

import pytest

from eval.perf import indexing, synthetic_store


@pytest.fixture
def fake_backends(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.setenv("ASSISTANT_EMBEDDING__BACKEND", "fake")
    monkeypatch.setenv("ASSISTANT_LLM__BACKEND", "fake")
    monkeypatch.setenv("ASSISTANT_MODEL_CACHE_DIR", str(tmp_path / "cache"))


def test_indexing_figures_count_the_corpus_and_the_one_changed_file(fake_backends, make_corpus) -> None:
    figures = indexing(make_corpus())
    assert figures["documents"] == 3 and figures["passages"] > 3
    assert figures["one_changed_replaced"] == 1  # the edited file is replaced, nothing else
    assert figures["index_s"] > 0 and figures["reindex_unchanged_s"] > 0


def test_synthetic_store_holds_the_asked_size_and_times_each_query(fake_backends, tmp_path: Path) -> None:
    vocabulary = "offres emploi cadre industrie intelligence artificielle compétences données".split()
    figures = synthetic_store(1200, vocabulary, ["offres cadre IA", "compétences données"], tmp_path)
    assert figures["passages"] == 1200
    assert 0 < figures["search"]["p50_ms"] <= figures["search"]["p95_ms"]

"""Large documents: a legitimate manual bigger than one chromadb write is indexed whole (written in
batches within the store's limit), and the bombs that would hold every question for half an hour
are refused before they are embedded, with a French reason."""
from __future__ import annotations

from pathlib import Path

from assistant import Assistant
from support.settings import fake_settings


def _manual(paragraphs: int) -> str:
    """A long manual, one short distinct paragraph per passage (passages of 8 words at most)."""
    return "\n\n".join(f"Procédure {n} : serrer la vis {n}." for n in range(paragraphs))


def test_a_document_over_the_store_batch_limit_is_indexed_whole(tmp_path: Path) -> None:
    assistant = Assistant(fake_settings(tmp_path, chunking={"max_words": 8, "min_words": 1}))
    limit = assistant.store._passages._client.get_max_batch_size()  # chromadb's own limit
    source = tmp_path / "manuel.txt"
    source.write_text(_manual(limit + 200), encoding="utf-8")
    report = assistant.add_document(source)
    assert not report.errors, report.summary()
    assert report.passages > limit
    assert assistant.store.count() == report.passages
    assert [d.passages for d in assistant.documents()] == [report.passages]

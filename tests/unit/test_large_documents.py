"""Large documents: a legitimate manual bigger than one chromadb write is indexed whole (written in
batches within the store's limit), and the bombs that would hold every question for half an hour
are refused before they are embedded, with a French reason."""
from __future__ import annotations

from pathlib import Path

from assistant import Assistant
from support.documents import shared_stream_pdf
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


def test_a_pdf_of_too_many_pages_is_refused_before_it_is_read(assistant: Assistant, tmp_path: Path) -> None:
    limit = assistant.settings.limits.max_pages
    bomb = tmp_path / "bombe.pdf"
    bomb.write_bytes(shared_stream_pdf(limit + 1, 20))
    assert bomb.stat().st_size < 400_000  # a small file
    report = assistant.add_document(bomb)
    assert [str(e) for e in report.errors] == [
        f"« bombe.pdf » n'a pas été indexé : le PDF compte {limit + 1} pages, au-delà de la limite de {limit} ; "
        "découpez-le en plusieurs fichiers"]
    assert assistant.store.count() == 0 and not (assistant.settings.corpus_dir / "bombe.pdf").exists()


def test_a_pdf_of_millions_of_words_is_refused_while_it_is_read(assistant: Assistant, tmp_path: Path) -> None:
    """2,000 pages sharing one stream of 1,400 words: 2.8 M words from a file of a few hundred kB."""
    bomb = tmp_path / "bombe.pdf"
    bomb.write_bytes(shared_stream_pdf(2000, 1400))
    report = assistant.add_document(bomb)
    assert len(report.errors) == 1 and "dépasse 600\u202f000 mots" in str(report.errors[0])
    assert assistant.store.count() == 0


def test_a_text_of_too_many_words_is_refused(assistant: Assistant, tmp_path: Path) -> None:
    words = assistant.settings.limits.max_words + 1
    big = tmp_path / "gros.txt"
    big.write_text(" ".join(["usine"] * words), encoding="utf-8")
    report = assistant.add_document(big)
    assert len(report.errors) == 1 and "mots (limite des réglages)" in str(report.errors[0])


def test_a_huge_page_renders_within_the_pixel_limit(tmp_path: Path) -> None:
    """A 4 × 1500 pt page at the viewer's width would be a 1.8 GB bitmap."""
    from assistant.config import LimitSettings
    from assistant.render.pages import render_page

    pdf = tmp_path / "long.pdf"
    pdf.write_bytes(shared_stream_pdf(1, 5, size=(4, 1500)))
    page = render_page(pdf, 1)
    width, height = page.image.size
    assert width * height <= LimitSettings().max_page_pixels and height > width

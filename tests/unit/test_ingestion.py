"""Indexing a corpus: pages, running lines, front matter, stable ids, incremental updates."""
from __future__ import annotations

import random

import pytest
from pypdf import PdfReader, PdfWriter

from assistant import Assistant
from assistant.errors import DocumentError, QuestionError

from support.documents import PDF_PAGES, make_pdf


def _by_doc(assistant: Assistant) -> dict[str, list]:
    out: dict[str, list] = {}
    for passage in assistant.store.all_passages():
        out.setdefault(passage.document, []).append(passage)
    return out


def test_first_indexing_adds_every_document(assistant, make_corpus):
    make_corpus()
    report = assistant.index()
    assert sorted(report.added) == ["etude.pdf", "guide.md", "teletravail.txt"]
    assert not report.errors
    assert report.passages == assistant.store.count() > 0


def test_pdf_pages_are_one_based_and_kept(indexed):
    nodes = _by_doc(indexed)["etude.pdf"]
    pages = {n.page: n.text for n in nodes}
    assert set(pages) == {1, 2, 3}
    assert "1 250 entreprises" in pages[1]
    assert "62 %" in pages[2]
    assert "480 000 euros" in pages[3]
    record = {r.path: r for r in indexed.documents()}["etude.pdf"]
    assert record.pages == 3


def test_running_header_and_footer_removed(indexed):
    for node in indexed.store.all_passages():
        assert "Observatoire de l'industrie" not in node.text
        assert "Document interne" not in node.text


def test_markdown_front_matter_is_metadata_not_text(indexed):
    nodes = _by_doc(indexed)["guide.md"]
    assert nodes
    for node in nodes:
        assert node.title == "Guide de la sobriété énergétique"
        assert node.extra["reference"] == "GSE-2023-07"
        assert node.extra["source"] == "https://exemple.fr/guide-sobriete"
        assert "GSE-2023-07" not in node.text
        assert "source_url_origine" not in node.text and "titre:" not in node.text
    assert any("17 degrés" in n.text for n in nodes)


def test_plain_text_indexed(indexed):
    texts = " ".join(n.text for n in _by_doc(indexed)["teletravail.txt"])
    assert "deux jours par semaine" in texts
    assert "30 euros par mois" in texts


def test_passage_ids_stable_across_indexings(indexed, settings, tmp_path):
    other = Assistant(settings.model_copy(update={"index_dir": tmp_path / "index2"}))
    other.index()
    first = {n.id for n in indexed.store.all_passages()}
    second = {n.id for n in other.store.all_passages()}
    assert first and first == second


def test_second_indexing_changes_nothing(indexed):
    before = indexed.store.count()
    report = indexed.index()
    assert sorted(report.unchanged) == ["etude.pdf", "guide.md", "teletravail.txt"]
    assert report.added == report.updated == report.removed == []
    assert report.passages == 0
    assert indexed.store.count() == before


def test_modified_file_updated_and_old_passages_gone(indexed, settings):
    (settings.corpus_dir / "teletravail.txt").write_text(
        "Le télétravail est désormais autorisé trois jours par semaine pour tous les salariés.",
        encoding="utf-8")
    report = indexed.index()
    assert report.updated == ["teletravail.txt"]
    texts = " ".join(n.text for n in _by_doc(indexed)["teletravail.txt"])
    assert "trois jours" in texts
    assert "deux jours" not in texts and "30 euros" not in texts
    records = indexed.documents()
    assert indexed.store.count() == sum(r.passages for r in records)


def test_deleted_file_removed_with_its_passages(indexed, settings):
    (settings.corpus_dir / "guide.md").unlink()
    report = indexed.index()
    assert report.removed == ["guide.md"]
    assert "guide.md" not in _by_doc(indexed)
    assert "guide.md" not in {r.path for r in indexed.documents()}
    assert indexed.store.count() == sum(r.passages for r in indexed.documents())


def test_never_duplicates(indexed, settings):
    indexed.index()
    (settings.corpus_dir / "teletravail.txt").write_text("Nouveau texte sur le télétravail des cadres.",
                                                         encoding="utf-8")
    indexed.index()
    indexed.index()
    nodes = indexed.store.all_passages()
    assert len(nodes) == len({n.id for n in nodes})
    assert len(nodes) == indexed.store.count() == sum(r.passages for r in indexed.documents())


# --- bad input -------------------------------------------------------------------------------

def _write_bad_files(corpus):
    (corpus / "casse.pdf").write_bytes(random.Random(0).randbytes(3000))
    good = make_pdf(PDF_PAGES)
    import io
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(good)))
    writer.encrypt("secret")
    with (corpus / "protege.pdf").open("wb") as handle:
        writer.write(handle)
    blank = PdfWriter()
    blank.add_blank_page(width=612, height=792)
    with (corpus / "scan.pdf").open("wb") as handle:
        blank.write(handle)
    (corpus / "vide.txt").write_bytes(b"")
    (corpus / "rapport.docx").write_bytes(b"PK\x03\x04 pas un vrai docx")
    (corpus / "windows.txt").write_bytes(
        "Le comité d'entreprise a validé la prime de fin d'année versée en décembre.".encode("cp1252"))


def test_bad_files_reported_in_french_others_indexed(assistant, make_corpus):
    corpus = make_corpus()
    _write_bad_files(corpus)
    report = assistant.index()
    errors = {e.path: e for e in report.errors}
    assert set(errors) == {"casse.pdf", "protege.pdf", "scan.pdf", "vide.txt", "rapport.docx"}
    for error in report.errors:
        assert isinstance(error, DocumentError)
        assert "n'a pas été indexé" in str(error)
    assert "mot de passe" in errors["protege.pdf"].reason or "chiffré" in errors["protege.pdf"].reason
    assert "endommagé" in errors["casse.pdf"].reason
    assert "pas de texte" in errors["scan.pdf"].reason
    assert "vide" in errors["vide.txt"].reason
    assert "non pris en charge" in errors["rapport.docx"].reason
    assert sorted(report.added) == ["etude.pdf", "guide.md", "teletravail.txt", "windows.txt"]
    indexed = {n.document for n in assistant.store.all_passages()}
    assert indexed == {"etude.pdf", "guide.md", "teletravail.txt", "windows.txt"}


def test_cp1252_text_read_with_accents(assistant, settings):
    (settings.corpus_dir / "windows.txt").write_bytes(
        "Le comité d'entreprise a validé la prime de fin d'année versée en décembre.".encode("cp1252"))
    report = assistant.index()
    assert report.added == ["windows.txt"]
    text = " ".join(n.text for n in assistant.store.all_passages())
    assert "comité" in text and "décembre" in text and "année" in text
    assert "\ufffd" not in text


@pytest.mark.parametrize("question, word", [("   ", "vide"), ("x" * 20_000, "trop longue")])
def test_bad_questions_raise_french_error(assistant, question, word):
    with pytest.raises(QuestionError, match=word):
        assistant.ask(question)


def test_an_index_of_the_previous_format_is_indexed_again_each_document_keeping_its_group(tmp_path) -> None:
    """Format 1 named the access group « audience » and had no state record: the next indexing run
    reads every file again, and a document restricted to a group stays restricted."""
    from assistant.components.store import passages as store_module
    from support.settings import documents_collection, fake_settings

    settings = fake_settings(tmp_path, store={"backend": "chroma"})
    (settings.corpus_dir / "salaires.md").write_text("# Salaires\n\nLa hausse des salaires est de 4 %.\n",
                                                     encoding="utf-8")
    (settings.corpus_dir / "public.md").write_text("# Public\n\nLe restaurant ouvre à midi.\n", encoding="utf-8")
    first = Assistant(settings)
    first.index()
    documents = documents_collection(settings)
    documents.delete(ids=[store_module.STATE_ID])
    for name, group in (("salaires.md", "rh"), ("public.md", "")):
        record_id = store_module.document_id(name)
        old = {k: v for k, v in documents.get(ids=[record_id])["metadatas"][0].items() if k != "group"}
        documents.delete(ids=[record_id])  # an upsert would merge the new metadata into the old
        documents.add(ids=[record_id], embeddings=[[1.0]], metadatas=[{**old, "audience": group}])
    again = Assistant(settings)
    report = again.index()
    assert sorted(report.updated) == ["public.md", "salaires.md"] and not report.unchanged
    assert {r.path: r.group for r in again.documents()} == {"public.md": "", "salaires.md": "rh"}
    assert not again.store.needs_reindex and again.index().unchanged == ["public.md", "salaires.md"]
    seen = {p.passage.document for p in again.retriever.retrieve("hausse des salaires", 5, groups=[]).passages}
    assert "salaires.md" not in seen


def test_a_pdf_table_is_read_as_one_sentence_per_row_with_its_column_names(tmp_path):
    """A figure of a table answers a question only next to its row's label and its column's name."""
    from assistant.ingest.readers import read_document
    from support.documents import make_table_pdf

    path = tmp_path / "sites.pdf"
    path.write_bytes(make_table_pdf(["Répartition des sites du groupe par région."],
                                    ["Région", "Sites (en %)", "Salariés (en %)"],
                                    [["Bretagne", "12,5", "9,1"], ["Normandie", "30,2", "41,0"],
                                     ["Occitanie", "57,3", "49,9"]]))
    text = " ".join(p.text for p in read_document(path, "sites.pdf", 10).pages[0].paragraphs)
    assert "Région : Normandie — Sites (en %) : 30,2 ; Salariés (en %) : 41,0." in text
    assert "Normandie 30,2 41,0" not in text  # the cells are not left twice
    assert text.startswith("Répartition des sites du groupe par région.")


def test_after_an_upgrade_re_reads_the_documents_keyword_search_sees_the_new_passages(tmp_path, monkeypatch) -> None:
    """A newer reader (here: tables as row sentences) re-indexes every file at the next run; the
    files' hashes do not change, and the keyword side used to keep the old passages."""
    from assistant.components.store import passages as store_module
    from assistant.ingest import readers
    from assistant.services import documents as documents_module
    from support.documents import make_table_pdf
    from support.settings import fake_settings

    settings = fake_settings(tmp_path, store={"backend": "chroma"})
    (settings.corpus_dir / "sites.pdf").write_bytes(make_table_pdf(
        ["Répartition des sites du groupe par région."], ["Région", "Sites (en %)", "Salariés (en %)"],
        [["Bretagne", "12,5", "9,1"], ["Normandie", "30,2", "41,0"], ["Occitanie", "57,3", "49,9"]]))
    with monkeypatch.context() as old_version:
        for module in (store_module, documents_module):
            old_version.setattr(module, "INDEX_FORMAT", store_module.INDEX_FORMAT - 1)
        old_version.setattr(readers, "may_hold_table", lambda text: False)
        first = Assistant(settings)
        first.index()
        first.retriever.retrieve("sites en Normandie", 3, groups=None)  # the keyword side is built and saved
    again = Assistant(settings)
    assert again.index().updated == ["sites.pdf"]
    found = again.retriever.retrieve("Normandie salariés", 3, groups=None).passages
    assert "Normandie — Sites (en %) : 30,2" in found[0].passage.text
    assert set(again.store.lexical.ids) == {p.id for p in again.store.all_passages()}


def test_a_sentence_the_layout_broke_after_an_article_is_read_whole_and_a_heading_stays_apart(tmp_path):
    """« … le BRGM ou le » / « CEA, très impliqués … »: cut in two paragraphs, the names a question
    asks for ended in two passages; a heading without a full stop still starts its own paragraph."""
    from assistant.ingest.readers import read_document

    path = tmp_path / "etude.pdf"
    path.write_bytes(make_pdf([[
        "Il faut aussi noter le poids des établissements sans convention collective, dont des",
        "para-publics comme le CNES, l'Institut Pasteur, le BRGM ou le",
        "CEA, très impliqués dans le développement de l'IA.",
        "Méthodologie",
        "Les analyses présentées dans ce document s'appuient sur trois volets.",
    ]]))
    paragraphs = [p.text for p in read_document(path, "etude.pdf", 10).pages[0].paragraphs]
    assert any("le BRGM ou le CEA, très impliqués" in p for p in paragraphs)
    assert "Méthodologie" in paragraphs

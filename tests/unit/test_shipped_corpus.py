"""The corpus that ships in corpus/: the AI Act excerpts are indexed with their titles and licence
kept as metadata, and the folder's README (its instructions) is never indexed as a document."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from assistant import Assistant
from assistant.config import Settings
from assistant.text.normalise import for_match

SHIPPED = Path(__file__).resolve().parents[2] / "corpus"
EXCERPTS = sorted(p.relative_to(SHIPPED).as_posix() for p in (SHIPPED / "ai-act").glob("*.md"))


@pytest.fixture
def shipped(settings: Settings) -> Assistant:
    """An assistant over a copy of the repository's corpus/ (README included), fakes for the models."""
    shutil.copytree(SHIPPED, settings.corpus_dir, dirs_exist_ok=True)
    assistant = Assistant(settings)
    report = assistant.index()
    assert not report.errors, report.summary()
    return assistant


def test_a_fresh_clone_answers_from_the_ai_act_excerpts(shipped: Assistant) -> None:
    assert len(EXCERPTS) == 13
    records = {record.path: record for record in shipped.documents()}
    assert sorted(records) == EXCERPTS  # every excerpt, and nothing else: README.md is not a document
    assert records["ai-act/article-50.md"].title.startswith("Article 50 — Obligations de transparence")


def test_the_readme_and_the_front_matter_are_not_passages(shipped: Assistant) -> None:
    texts = [for_match(passage.text) for passage in shipped.store.all_passages()]
    assert texts
    readme = for_match("Déposez ici, ou dans un sous-dossier")
    licence = for_match("Réutilisation autorisée moyennant mention de la source")
    assert not [t for t in texts if readme in t]
    assert not [t for t in texts if licence in t or "source_url_origine" in t]


def test_each_excerpt_carries_its_source_and_licence() -> None:
    """EUR-Lex allows reuse with acknowledgement of the source: every shipped file says where it
    comes from, and the folder's README gives origin and licence."""
    for name in EXCERPTS:
        head = (SHIPPED / name).read_text(encoding="utf-8").split("\n---\n", 1)[0]
        assert "CELEX:32024R1689" in head and "© Union européenne" in head, name
    readme = (SHIPPED / "README.md").read_text(encoding="utf-8")
    assert "CELEX 32024R1689" in readme and "© Union européenne" in readme and "apec.fr" in readme

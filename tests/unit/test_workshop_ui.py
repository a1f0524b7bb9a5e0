"""The workshop tab's editing and display, without a browser: the trainer's fields are written
into the item or refused with a French reason, and a card flags what an edit broke."""
from __future__ import annotations

from assistant.domain import Passage, Quote
from assistant.ui.workshop import cards, item_choices, slug
from assistant.workshop import KeyFigure, OutlinePart, QuizQuestion, TrainingSession, apply_edit

SENTENCE = "La cybersécurité est citée comme priorité par 62 % des dirigeants interrogés."
STUDY = Quote(Passage("p2", SENTENCE, "etude.pdf", "Rapport", page=2), SENTENCE)


def _question() -> QuizQuestion:
    return QuizQuestion("Quelle part des dirigeants cite la cybersécurité ?", ["26 %", "62 %", "45 %", "80 %"],
                        1, [STUDY])


def test_quiz_edit_sets_the_options_and_the_marked_right_answer() -> None:
    question = _question()
    assert apply_edit(question, "  Quelle part  des dirigeants ? ", "", "* 62 %\n26 %\n\n45 %", "", "") == ""
    assert question.text == "Quelle part des dirigeants ?"
    assert question.choices == ["62 %", "26 %", "45 %"] and question.right_answer == "62 %"


def test_quiz_edit_without_a_single_marked_answer_is_refused_and_changes_nothing() -> None:
    question = _question()
    for choices in ("62 %\n26 %", "* 62 %\n* 26 %", "* 62 %"):
        reason = apply_edit(question, "Autre question ?", "", choices, "", "")
        assert "astérisque" in reason
    assert question.text.startswith("Quelle part des dirigeants cite") and question.answer == 1
    assert "vide" in apply_edit(question, "   ", "", "* 62 %\n26 %", "", "")


def test_an_edited_figure_missing_from_its_source_is_flagged_on_its_card() -> None:
    figure = KeyFigure("62 % des dirigeants citent la cybersécurité.", "62 %", [STUDY])
    part = OutlinePart("Sécurité", 30, ["Connaître la priorité"], ["Et chez vous ?"], [STUDY])
    session = TrainingSession("cybersécurité", "", 30, figures=[figure], outline=[part])
    page = cards(session)
    assert "⚠" not in page and "etude.pdf" in page and "p. 2" in page and "62 % des dirigeants" in page
    assert apply_edit(figure, "65 % des dirigeants citent la cybersécurité.", "65 %", "", "", "") == ""
    assert apply_edit(part, "Sécurité des usines", "", "", "Objectif un\n\nObjectif deux", "") == ""
    assert part.objectives == ["Objectif un", "Objectif deux"] and part.discussion == []
    page = cards(session)
    assert page.count("data-testid='ws-flag'") == 1 and "65 %" in page.split("data-testid='ws-flag'>")[1].split("</div>")[0]
    assert [value for _, value in item_choices(session)] == ["outline:0", "figures:0"]


def test_texts_from_documents_and_trainers_are_escaped_on_the_cards() -> None:
    hostile = "<img src=x onerror=alert(1)>"
    quote = Quote(Passage("h1", f"Part {hostile} : 62 %.", "<b>doc</b>.md", page=1), f"Part {hostile} : 62 %.")
    page = cards(TrainingSession("t", "", 30, figures=[KeyFigure(f"62 % {hostile}", "62 %", [quote])]))
    assert "<img" not in page and "<b>" not in page
    assert page.count("&lt;img src=x onerror=alert(1)&gt;") == 2 and "&lt;b&gt;doc&lt;/b&gt;.md" in page


def test_export_file_name_comes_from_the_theme() -> None:
    assert slug("L'IA Act pour les cadres !") == "l-ia-act-pour-les-cadres"
    assert slug("???") == "theme"

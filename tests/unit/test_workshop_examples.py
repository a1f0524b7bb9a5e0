"""Quiz questions matching examples to the aim a document gives them (invented passages)."""
from __future__ import annotations

from assistant.components.llm.fake import FakeLLM
from assistant.domain import Passage
from assistant.text.normalise import quote_in
from assistant.workshop.mix import Mix, compose
from assistant.workshop.quiz import check_quiz_question
from assistant.workshop.theme import theme_weights

AIMS = Passage("g4", "\n".join([
    "Les ateliers équipent leurs lignes de capteurs afin :",
    "- de réduire les arrêts de production (surveillance des vibrations, alertes sur la température),",
    "- d'améliorer la sécurité des opérateurs (détection des chutes, contrôle des accès)¹,",
    "- de suivre la consommation d'énergie (compteurs par ligne, rapports mensuels).",
]), "guide-ateliers.pdf", "Guide des ateliers connectés", 4)


def _quiz(theme: str, passage: Passage) -> list:
    mix = Mix(FakeLLM(), theme, "chefs d'atelier", [], [], [passage], lambda *_: None,
              weights=theme_weights(theme, [passage]))
    return compose(mix, 8, only=("exemple",))


def test_examples_are_matched_to_the_aim_the_document_gives_them_the_other_aims_wrong() -> None:
    """Only the item on the theme (« surveillance ») is asked; its aim is right, its siblings' are wrong."""
    quiz = _quiz("la surveillance des machines", AIMS)
    assert len(quiz) == 1
    question = quiz[0]
    assert "« surveillance des vibrations, alertes sur la température »" in question.text
    assert question.right_answer == "réduire les arrêts de production"
    assert sorted(question.choices) == sorted(["améliorer la sécurité des opérateurs",
                                               "réduire les arrêts de production", "suivre la consommation d'énergie"])
    quote = question.citations[0]
    assert quote.passage.id == "g4" and quote_in(quote.text, AIMS.text) and not quote.text.startswith("-")
    assert check_quiz_question(question) == []


def test_no_example_question_from_a_list_of_two_aims_nor_off_the_theme() -> None:
    two = Passage("g5", "\n".join(AIMS.text.split("\n")[:3]), "guide-ateliers.pdf", "Guide", 5)
    assert _quiz("la surveillance des machines", two) == []
    assert _quiz("la formation des techniciens", AIMS) == []


def test_no_example_question_whose_right_aim_alone_names_the_theme() -> None:
    """On « la consommation d'énergie », the option naming it gives the answer away."""
    assert _quiz("la consommation d'énergie", AIMS) == []

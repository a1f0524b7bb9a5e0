"""« D'après « … », pour <effet>, l'IA permet de : » (an invented study)."""
from __future__ import annotations

from dataclasses import replace

from assistant.components.llm.fake import FakeLLM
from assistant.domain import Passage
from assistant.workshop.checks import check
from assistant.workshop.effects import actions, effect_question, effects
from assistant.workshop.items import TrainingSession
from assistant.workshop.mix import Mix, compose

EFFECT = ("L'intelligence artificielle avec des capteurs vibratoires leur permet de repérer l'usure des roulements "
          "en temps réel, limitant les pannes des convoyeurs.")
STUDY = [
    Passage("a", f"La logistique s'automatise. {EFFECT}", "etude.pdf", "Étude logistique", 4),
    Passage("c", "Le logiciel permet aux équipes de se former aux nouveaux outils. L'outil permet de réduire les "
                 "pannes des presses de plus de moitié.", "etude.pdf", "Étude logistique", 6),
    Passage("b", "Les caméras permettent de compter les palettes chargées sur chaque quai. Un tableau de bord "
                 "permet aux cadres de suivre les délais de livraison des fournisseurs.", "etude.pdf",
            "Étude logistique", 5)]


def test_the_action_is_right_its_opposite_and_what_else_the_study_says_is_permitted_are_wrong() -> None:
    """Not « se former aux nouveaux outils » (people do it, not the AI) nor « réduire les pannes des
    presses » (it says what the effect says: a second right answer)."""
    [effect] = effects(STUDY)
    assert (effect.subject, effect.effect) == ("l'intelligence artificielle", "limiter les pannes des convoyeurs")
    question = effect_question(effect, actions(STUDY), "la logistique", "cadres")
    assert question is not None and question.kind == "effet"
    assert question.text == ("D'après « Étude logistique », pour limiter les pannes des convoyeurs, "
                             "l'intelligence artificielle permet de :")
    assert question.right_answer == "repérer l'usure des roulements en temps réel"
    assert sorted(question.choices) == ["compter les palettes chargées sur chaque quai",
                                        "repérer l'usure des roulements en différé",
                                        "repérer l'usure des roulements en temps réel",
                                        "suivre les délais de livraison des fournisseurs"]
    assert "dit le contraire (« en différé » au lieu de « en temps réel »)" in question.explanation
    assert "« compter les palettes chargées sur chaque quai » vient d'une autre phrase" in question.explanation
    assert [q.passage.id for q in question.citations] == ["a", "b", "b"]
    assert check(TrainingSession("t", "a", 60, quiz=[question])) == {}


def test_an_edited_question_whose_quote_no_longer_gives_the_answer_alone_is_flagged() -> None:
    [effect] = effects(STUDY)
    question = effect_question(effect, actions(STUDY), "t", "a")
    assert question is not None
    wrong = next(i for i, c in enumerate(question.choices) if c.startswith("compter"))
    flagged = check(TrainingSession("t", "a", 60, quiz=[replace(question, answer=wrong)]))
    assert flagged and "la phrase citée ne donne pas la bonne réponse seule" in flagged[0]


def test_the_effect_is_read_back_to_its_infinitive_and_the_subject_kept_short() -> None:
    def effect_of(sentence: str) -> list[tuple[str, str]]:
        return [(e.subject, e.effect) for e in effects([replace(STUDY[0], text=sentence)])]
    assert effect_of("La vision leur permet de trier les colis, réduisant les erreurs d'adressage.") == [
        ("la vision", "réduire les erreurs d'adressage")]
    assert effect_of("Le jumeau numérique permet de tester les réglages, garantissant la cadence.") == [
        ("le jumeau numérique", "garantir la cadence")]
    assert effect_of("Le nouveau système de gestion des entrepôts de la région permet de trier les colis, "
                     "réduisant les erreurs.") == []  # a subject too long to stand in the question
    assert effect_of("La vision permet de trier les colis.") == []  # no effect said


def test_the_quiz_asks_it_on_a_passage_of_the_theme() -> None:
    mix = Mix(FakeLLM(), "la logistique", "cadres", [], [], STUDY, lambda *_: None)
    assert [q.kind for q in compose(mix, 4, only=("effet",))] == ["effet"]

"""« Qui doit … ? »: a rule of the regulation asked by who bears it, the other actors as wrong
answers, the rule's scope kept in the question, the actor's definition in the explanation."""
from __future__ import annotations

from assistant.domain import Passage
from assistant.workshop.terms import definitions
from assistant.workshop.quiz import check_quiz_question
from assistant.workshop.roles import role_question
from assistant.workshop.sources import Candidate

DEFINITIONS = Passage("a3", "\n\n".join([
    "- 3) «fournisseur», une personne physique ou morale qui développe ou fait développer un système d’IA et "
    "le met sur le marché sous son propre nom;",
    "- 4) «déployeur», une personne physique ou morale utilisant sous sa propre autorité un système d’IA sauf "
    "dans le cadre d’une activité personnelle à caractère non professionnel;",
]), "ai-act/article-03.md", "Article 3 — Définitions")


def _ask(sentence: str, document: str = "ai-act/article-26.md"):
    passage = Passage("p", sentence, document, "Article 26 — Obligations incombant aux déployeurs de systèmes "
                      "d’IA à haut risque")
    return role_question(Candidate(sentence, passage, 0, 1.0, 1.0), definitions([DEFINITIONS]), "l'IA Act", "RH")


def test_a_deployers_duty_is_asked_by_who_bears_it_with_the_other_actors_wrong() -> None:
    item = _ask("Les déployeurs de systèmes d’IA à haut risque assurent la tenue des journaux générés par ce système.")
    assert item is not None and item.kind == "rôle"
    assert item.text == ("Pour les systèmes d’IA à haut risque, qui doit assurer la tenue des journaux générés par "
                         "ce système ?")
    assert item.right_answer == "les déployeurs"
    assert sorted(c for c in item.choices if c != item.right_answer) == [
        "les distributeurs", "les fournisseurs", "les importateurs"]
    # the explanation says what a deployer is, from article 3, and cites it beside the rule
    assert "utilisant sous sa propre autorité" in item.explanation
    assert [q.passage.document for q in item.citations] == ["ai-act/article-26.md", "ai-act/article-03.md"]
    assert check_quiz_question(item) == []


def test_a_rule_for_deployers_who_are_employers_keeps_that_condition_in_the_question() -> None:
    item = _ask("Avant de mettre en service un système d’IA à haut risque sur le lieu de travail, les déployeurs qui "
                "sont des employeurs informent les représentants des travailleurs.")
    assert item is not None
    assert item.text == ("Avant de mettre en service un système d’IA à haut risque sur le lieu de travail, qui, s'il "
                         "est aussi employeur, doit informer les représentants des travailleurs ?")
    assert item.right_answer == "les déployeurs"
    # « Avant d'utiliser … » does what defines a deployer (« utilisant »): raters O and Q, « l'énoncé la donne »
    assert _ask("Avant d’utiliser un système d’IA à haut risque sur le lieu de travail, les déployeurs qui sont des "
                "employeurs informent les représentants des travailleurs.") is None


def test_an_actor_the_rule_names_is_no_wrong_answer_and_a_second_duty_is_left_to_the_quote() -> None:
    item = _ask("Les déployeurs surveillent le fonctionnement du système et informent les fournisseurs et "
                "traitent les données conformément au règlement.")
    assert item is not None
    assert item.text == ("Pour les systèmes d’IA à haut risque, qui doit surveiller le fonctionnement du système et "
                         "informer les fournisseurs ?")
    assert "les fournisseurs" not in item.choices and "les mandataires" in item.choices


def test_a_duty_of_two_actors_asks_for_both() -> None:
    item = _ask("Les fournisseurs et les déployeurs de systèmes d’IA prennent des mesures pour garantir un niveau "
                "suffisant de maîtrise de l’IA pour leur personnel.", "ai-act/article-04.md")
    assert item is not None
    assert item.right_answer == "les fournisseurs et les déployeurs"
    assert {"les fournisseurs seulement", "les déployeurs seulement"} <= set(item.choices)
    assert check_quiz_question(item) == []


def test_a_sentence_that_is_not_an_actors_duty_makes_no_question() -> None:
    assert _ask("Les mesures de contrôle sont proportionnées aux risques du système d’IA à haut risque.") is None
    # « utilisent »: no verb of a duty
    assert _ask("Les déployeurs utilisent les informations fournies pour leur analyse d’impact.") is None


def test_a_question_that_says_what_defines_its_answer_is_not_asked() -> None:
    """« … afin de garantir qu'ils utilisent ces systèmes … »: the deployers are those « utilisant »
    a system (article 3), the question would give its answer away."""
    assert _ask("Les déployeurs de systèmes d’IA à haut risque prennent des mesures afin de garantir qu’ils "
                "utilisent ces systèmes conformément aux notices d’utilisation.") is None
    assert _ask("Les déployeurs de systèmes d’IA à haut risque prennent des mesures afin de garantir que le "
                "contrôle humain est assuré par des personnes formées.") is not None


def test_a_rule_whose_heading_narrows_its_actors_keeps_that_scope() -> None:
    item = _ask("Les déployeurs confient le contrôle humain à des personnes physiques qui disposent des compétences "
                "nécessaires.")
    assert item is not None
    # the heading: « Obligations incombant aux déployeurs de systèmes d'IA à haut risque »
    assert item.text.startswith("Pour les systèmes d’IA à haut risque, qui doit confier le contrôle humain")


def test_a_terms_wrong_options_come_from_every_definition_found_not_only_the_themes_passages() -> None:
    """« fournisseur », the natural wrong answer for a deployer, stood in a passage the theme's search
    did not rank (a blind rater: « le distracteur le plus plausible manque »)."""
    from assistant.components.llm.fake import FakeLLM
    from assistant.workshop.mix import Mix, compose

    lines = ["- 3) «fournisseur», une personne physique ou morale qui développe un système d’IA et le met sur le "
             "marché;", "- 4) «déployeur», une personne physique ou morale utilisant sous sa propre autorité un "
             "système d’IA;", "- 5) «importateur», une personne physique ou morale établie dans l’Union qui met sur "
             "le marché un système d’IA d’un pays tiers;", "- 7) «distributeur», une personne physique ou morale qui "
             "met un système d’IA à disposition sur le marché;"]
    near = Passage("n", "\n".join(lines[1:]), "ai-act/article-03.md", "Article 3 — Définitions")
    far = Passage("f", lines[0], "ai-act/article-03.md", "Article 3 — Définitions")
    rules = [Candidate(s, near, 0, 1.0, 1.0) for s in ("Les déployeurs informent les travailleurs.",
                                                       "Les déployeurs conservent les journaux.")]
    mix = Mix(FakeLLM(), "l'IA Act", "RH", rules, rules, [near], lambda *_: None, max_attempts=0,
              glossary=definitions([near, far]))
    quiz = compose(mix, 1, ("terme",))
    assert quiz and quiz[0].right_answer == "déployeur" and "fournisseur" in quiz[0].choices


def test_no_question_on_who_must_cooperate_or_comply_every_actor_must() -> None:
    """« Les déployeurs coopèrent avec les autorités … »: providers must too (other articles), so
    « les fournisseurs » would be a wrong option that is right."""
    assert _ask("Les déployeurs coopèrent avec les autorités compétentes concernées à toute mesure prise par ces "
                "autorités.") is None
    assert _ask("Les déployeurs conservent les journaux générés par ce système pendant six mois.") is not None

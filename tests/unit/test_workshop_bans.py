"""A banned practice with its own exception asked as the case a company meets (« Une entreprise
peut-elle utiliser … ? »), « Non, sauf … » right in the text's words, the usual misreadings wrong;
and in a quiz, a duty asked by who bears it rather than as « doivent-ils … ? »."""
from __future__ import annotations

from assistant.components.llm.fake import FakeLLM
from assistant.domain import Passage
from assistant.workshop.bans import MISREADINGS, ban_question, banned_uses
from assistant.workshop.mix import Mix, compose
from assistant.workshop.quiz import check_quiz_question
from assistant.workshop.sources import Candidate
from assistant.workshop.theme import theme_weights

BANS = Passage("a5", "\n".join([
    "1. Les pratiques en matière d’IA suivantes sont interdites:",
    "• e) la mise sur le marché, la mise en service à cette fin spécifique ou l’utilisation de systèmes d’IA qui "
    "créent des bases de données de reconnaissance faciale par le moissonnage non ciblé d’images faciales;",
    "• f) la mise sur le marché, la mise en service à cette fin spécifique ou l’utilisation de systèmes d’IA pour "
    "inférer les émotions d’une personne physique sur le lieu de travail, sauf lorsque l’utilisation du système "
    "d’IA est destinée à être mise en place pour des raisons médicales ou de sécurité;",
]), "ai-act/article-05.md", "Article 5", section="Pratiques interdites en matière d’IA")
DUTY = Passage("a26", "Les déployeurs surveillent le fonctionnement du système d’IA à haut risque sur la base de la "
                      "notice d’utilisation.", "ai-act/article-26.md", "Article 26 — Obligations des déployeurs")


def test_a_banned_use_with_an_exception_is_asked_as_a_case_with_the_exception_as_answer() -> None:
    cases = banned_uses([BANS], None)
    assert len(cases) == 1  # item e) has no exception of its own: « Non » would be a guess at the rest
    item = ban_question(cases[0], "l'IA Act", "cadres RH")
    assert item is not None and item.kind == "situation"
    assert item.text == ("Une entreprise peut-elle utiliser des systèmes d’IA pour inférer les émotions d’une "
                         "personne physique sur le lieu de travail ?")
    # the exception's purpose, not its whole clause (an option twice as long as the others is the right one)
    assert item.right_answer == "Non, sauf pour des raisons médicales ou de sécurité"
    assert "destinée à être mise en place pour des raisons médicales" in item.explanation
    assert sorted(c for c in item.choices if c != item.right_answer) == sorted(MISREADINGS)
    assert item.citations[0].text.startswith("La mise sur le marché") and check_quiz_question(item) == []


def test_a_banned_use_off_the_theme_is_no_case_and_a_list_outside_a_ban_is_none() -> None:
    weights = theme_weights("la maintenance prédictive", [BANS, DUTY])
    assert banned_uses([BANS], weights) == []
    allowed = Passage("x", BANS.text, "ai-act/article-05.md", "Article 5", section="Exemples d’usages")
    assert banned_uses([allowed], None) == []


def test_a_duty_is_asked_by_who_bears_it_and_a_banned_use_as_a_case_in_one_quiz() -> None:
    cases = banned_uses([BANS], None)
    mix = Mix(FakeLLM(), "l'IA Act", "cadres RH", [Candidate(DUTY.text, DUTY, 0, 1.0, 1.0)], [], [DUTY, BANS],
              lambda *_: None, cases=cases)
    quiz = compose(mix, 2)
    assert sorted(q.kind for q in quiz) == ["rôle", "situation"]
    role = next(q for q in quiz if q.kind == "rôle")
    assert role.text.startswith("Qui doit surveiller le fonctionnement") and role.right_answer == "les déployeurs"
    assert not any(q.choices[:2] == ["Oui", "Non"] for q in quiz)  # the duty is not also asked as yes/no

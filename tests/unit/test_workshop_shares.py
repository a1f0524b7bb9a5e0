"""« D'après « … », quelle part des … concerne <the first> ? », answered by its order of magnitude (an
invented study page)."""
from __future__ import annotations

from dataclasses import replace

from assistant.components.llm.fake import FakeLLM
from assistant.domain import Passage
from assistant.text.normalise import quote_in
from assistant.workshop.checks import check
from assistant.workshop.items import TrainingSession
from assistant.workshop.mix import KINDS, LAST_RESORT, Mix, compose
from assistant.workshop.shares import band, magnitude_question, misread, rankings

RANKED = ("Ainsi, les projets de vision industrielle concernent en premier lieu les équipes de la fonction "
          "production (34%) et les équipes en logistique (22%).")
NEXT = ("Les équipes de la fonction achats et celles des ressources humaines sont aussi concernées, "
        "respectivement 12% des projets les concernent.")
PAGE = [Passage("a", f"La plasturgie s'équipe. {RANKED}", "etude.pdf", "Étude plasturgie", 7),
        Passage("b", f"{NEXT} Les autres fonctions se partagent le reste.", "etude.pdf", "Étude plasturgie", 7)]


def test_the_first_shares_size_is_asked_far_bands_wrong_every_share_explained_and_quoted() -> None:
    """The next sentence of the page gives two more shares (« celles des ressources humaines »: « les
    équipes des ressources humaines »), one for both; passages overlap, the sentence read once."""
    [ranking] = rankings(PAGE + [replace(PAGE[1], id="c")])
    assert [(s.item, s.value) for s in ranking.shares] == [
        ("les équipes de la fonction production", 34), ("les équipes en logistique", 22),
        ("les équipes de la fonction achats", 12), ("les équipes des ressources humaines", 12)]
    question = magnitude_question(ranking, "la vision industrielle", "cadres")
    assert question is not None and question.kind == "ordre de grandeur"
    assert question.text == ("D'après « Étude plasturgie », quelle part des projets de vision industrielle "
                             "concerne les équipes de la fonction production ?")  # not « … en premier lieu : »
    assert question.right_answer == "près d'un tiers"
    assert sorted(question.choices) == ["environ la moitié", "environ les deux tiers", "environ une sur dix",
                                        "près d'un tiers"]  # not « environ un quart », too near 34 %
    assert question.explanation.startswith("34% : près d'un tiers, la plus grande part.")
    assert "les équipes des ressources humaines (12%)" in question.explanation
    assert [q.passage.id for q in question.citations] == ["a", "b"]
    assert all(quote_in(q.text, q.passage.text) for q in question.citations)
    assert check(TrainingSession("t", "a", 60, quiz=[question])) == {}


def test_an_edited_answer_that_is_not_the_shares_band_or_a_wrong_one_near_it_is_flagged() -> None:
    [ranking] = rankings(PAGE)
    question = magnitude_question(ranking, "t", "a")
    assert question is not None
    half = question.choices.index("environ la moitié")
    not_its_band = "la bonne réponse n'est pas l'ordre de grandeur de la part citée"
    assert misread(replace(question, answer=half)) == [not_its_band]
    near = [("environ un quart" if i == half else c) for i, c in enumerate(question.choices)]
    assert misread(replace(question, choices=near)) == ["une mauvaise réponse est trop proche de la part citée"]
    free = [("beaucoup" if i == half else c) for i, c in enumerate(question.choices)]
    assert misread(replace(question, choices=free)) == ["un choix n'est pas un ordre de grandeur"]
    flagged = check(TrainingSession("t", "a", 60, quiz=[replace(question, answer=half)]))
    assert flagged and not_its_band in flagged[0]
    alone = check(TrainingSession("t", "a", 60, quiz=[replace(question, choices=[question.right_answer], answer=0)]))
    assert alone == {0: ["la bonne réponse n'est pas parmi les choix"]}  # said once, no crash


def test_no_question_without_a_ranking_word_with_a_tie_on_top_or_a_share_near_no_band() -> None:
    assert rankings([replace(PAGE[0], text=RANKED.replace("en premier lieu ", ""))]) == []
    tie = [replace(PAGE[0], text=RANKED.replace("(22%)", "(34%)")), PAGE[1]]
    assert magnitude_question(rankings(tie)[0], "t", "a") is None
    between = [replace(PAGE[0], text=RANKED.replace("(34%)", "(41%)"))]  # neither a third nor a half
    assert band(41) == "" and magnitude_question(rankings(between)[0], "t", "a") is None
    assert band(31) == "près d'un tiers" and band(9) == "environ une sur dix"


def test_the_quiz_asks_it_once_when_asked_for_or_when_nothing_else_can_be_asked() -> None:
    """Two raters turned it down as a figure to recall: not among the kinds asked by default."""
    def mix() -> Mix:
        return Mix(FakeLLM(), "la vision industrielle", "cadres", [], [], PAGE, lambda *_: None)
    assert [q.kind for q in compose(mix(), 4, only=("ordre de grandeur",))] == ["ordre de grandeur"]
    assert [q.kind for q in compose(mix(), 4)] == ["ordre de grandeur"]  # the only question the page gives
    assert "ordre de grandeur" not in KINDS and "ordre de grandeur" in LAST_RESORT

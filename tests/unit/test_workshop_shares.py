"""« D'après « … », la plus grande part des … concerne : » (an invented study page)."""
from __future__ import annotations

from dataclasses import replace

from assistant.components.llm.fake import FakeLLM
from assistant.domain import Passage
from assistant.text.normalise import quote_in
from assistant.workshop.checks import check
from assistant.workshop.items import TrainingSession
from assistant.workshop.mix import Mix, compose
from assistant.workshop.shares import misranked, ranking_question, rankings

RANKED = ("Ainsi, les projets de vision industrielle concernent en premier lieu les équipes de la fonction "
          "production (40%) et les équipes en logistique (22%).")
NEXT = ("Les équipes de la fonction achats et celles des ressources humaines sont aussi concernées, "
        "respectivement 12% des projets les concernent.")
PAGE = [Passage("a", f"La plasturgie s'équipe. {RANKED}", "etude.pdf", "Étude plasturgie", 7),
        Passage("b", f"{NEXT} Les autres fonctions se partagent le reste.", "etude.pdf", "Étude plasturgie", 7)]


def test_the_first_share_is_asked_the_next_ones_are_the_wrong_answers_all_quoted() -> None:
    """The next sentence of the page gives two more (« celles des ressources humaines »: « les équipes
    des ressources humaines »), one share for both."""
    [ranking] = rankings(PAGE + [replace(PAGE[1], id="c")])  # passages overlap: one sentence twice
    question = ranking_question(ranking, "la vision industrielle", "cadres")
    assert question is not None and question.kind == "classement"
    assert question.text == ("D'après « Étude plasturgie », la plus grande part des projets de vision "
                             "industrielle concerne :")  # not « concernent en premier lieu », true of both
    assert question.right_answer == "les équipes de la fonction production"
    assert sorted(question.choices) == ["les équipes de la fonction achats", "les équipes de la fonction production",
                                        "les équipes des ressources humaines", "les équipes en logistique"]
    assert "(40%)" in question.explanation and question.explanation.count("(12%)") == 2
    assert [q.passage.id for q in question.citations] == ["a", "b"]
    assert all(quote_in(q.text, q.passage.text) for q in question.citations)
    assert check(TrainingSession("t", "a", 60, quiz=[question])) == {}


def test_an_edited_answer_that_is_not_first_or_an_option_nobody_ranks_is_flagged() -> None:
    [ranking] = rankings(PAGE)
    question = ranking_question(ranking, "t", "a")
    assert question is not None
    second = question.choices.index("les équipes en logistique")
    not_first = "la bonne réponse n'est pas la première du classement cité"
    assert misranked(replace(question, answer=second)) == [not_first]
    renamed = list(question.choices)
    renamed[second] = "les équipes du marketing"
    assert misranked(replace(question, choices=renamed)) == ["un choix n'est pas classé par les passages cités"]
    flagged = check(TrainingSession("t", "a", 60, quiz=[replace(question, answer=second)]))
    assert flagged and not_first in flagged[0]
    alone = check(TrainingSession("t", "a", 60, quiz=[replace(question, choices=[question.right_answer], answer=0)]))
    assert alone == {0: ["la bonne réponse n'est pas parmi les choix"]}  # said once, no crash


def test_no_question_without_a_ranking_word_with_a_tie_on_top_or_with_two_options() -> None:
    unranked = [replace(PAGE[0], text=RANKED.replace("en premier lieu ", ""))]
    assert rankings(unranked) == []
    tie = [replace(PAGE[0], text=RANKED.replace("(22%)", "(40%)")), PAGE[1]]
    assert ranking_question(rankings(tie)[0], "t", "a") is None
    assert ranking_question(rankings(PAGE[:1])[0], "t", "a") is None  # no next sentence: two options only


def test_the_quiz_asks_it_once_on_a_theme_whose_passages_rank() -> None:
    mix = Mix(FakeLLM(), "la vision industrielle", "cadres", [], [], PAGE, lambda *_: None)
    quiz = compose(mix, 4, only=("classement",))
    assert [q.kind for q in quiz] == ["classement"]

"""Naming questions (« Comment le règlement appelle-t-il … ? »): the name given is sourced where it
stands in the sentence describing what is asked, whatever words the answer restates around it."""
from __future__ import annotations

import pytest

from assistant.domain import Evidence, Passage
from assistant.rag.answering import check_answer
from assistant.rag.citations import cite
from assistant.rag.question import Question, asks_name

DEFINITIONS = ("• 7) «jumeau numérique», une copie logicielle d'une installation physique, tenue à jour par ses "
               "capteurs et servant à simuler son fonctionnement;\n"
               "• 8) «fournisseur», une personne qui développe un système et le met sur le marché;")
INTERVIEW = ("Plutôt que de stocker toutes les mesures, je parle de tri frugal : on garde avec les experts "
             "la mesure qui sert.")
QUESTION = ("Comment le règlement appelle-t-il une réplique informatique d'une usine réelle, mise à jour en "
            "continu, qui permet d'en prévoir le comportement ?")


def _evidence() -> list[Evidence]:
    texts = [("Article 3 — Définitions", DEFINITIONS), ("Entretiens", INTERVIEW)]
    return [Evidence(n, Passage(f"p{n}", text, "doc.md", heading, None, heading), text)
            for n, (heading, text) in enumerate(texts, start=1)]


@pytest.mark.parametrize("text, naming", [
    (QUESTION, True),
    ("Quel nom l'experte donne-t-elle à cette façon de garder les mesures ?", True),
    ("Comment s'appelle ce phénomène ?", True),
    ("Qu'appelle-t-on « jumeau numérique » ?", False),  # a definition: the term is given
    ("Quel est le nom de l'entreprise qui recrute ?", False),
    ("Comment l'entreprise utilise-t-elle l'IA ?", False),
])
def test_naming_questions_are_told_from_others(text, naming):
    assert asks_name(text) is naming


def test_a_name_restating_the_question_in_its_own_words_is_sourced():
    answer = ("Le règlement appelle cette réplique informatique d'une usine réelle, mise à jour en continu, "
              "un « jumeau numérique ».")
    cited = cite(answer, _evidence(), QUESTION, drop_unsupported=True)
    assert not cited.removed
    assert [c.passage.id for c in cited.citations] == ["p1"]


def test_words_of_another_definition_of_the_same_passage_are_not_the_name():
    # each word is the passage's: only where they stand tells them from the name asked for
    answer = "Le règlement l'appelle « une personne qui développe un système et le met sur le marché » [1]."
    cited = cite(answer, _evidence(), QUESTION, drop_unsupported=True)
    assert cited.removed and not cited.citations


def test_a_bare_name_from_the_describing_sentence_is_shown_with_its_source():
    answer = check_answer(Question(QUESTION, "fr"), "Jumeau numérique [1].", _evidence(), alone=True)
    assert not answer.abstained
    assert "Jumeau numérique" in answer.text and answer.citations[0].passage.id == "p1"


def test_a_name_in_brackets_inside_a_quoted_description_is_the_name_given():
    """The regulation names a thing in brackets after describing it; an answer quoting the whole
    description (« … par la phrase "…" ») gives that bracketed name (tuning h026)."""
    text = ("• b) d'avoir conscience d'une éventuelle tendance à se fier excessivement aux mesures produites par "
            "un capteur industriel (excès de confiance), en particulier pour les capteurs de sécurité;")
    evidence = [Evidence(1, Passage("p1", text, "doc.md", "Article 14", None, "Article 14"), text)]
    question = "Comment le règlement nomme-t-il la tendance à croire trop vite ce que dit un capteur industriel ?"
    answer = ("Le règlement la nomme par la phrase \"d'avoir conscience d'une éventuelle tendance à se fier "
              "excessivement aux mesures produites par un capteur industriel (excès de confiance)\" [1].")
    cited = cite(answer, evidence, question, drop_unsupported=True)
    assert cited.citations and not cited.removed
    wrong = "Le règlement la nomme par la phrase \"d'avoir conscience d'une tendance (biais de sécurité)\" [1]."
    assert cite(wrong, evidence, question, drop_unsupported=True).removed

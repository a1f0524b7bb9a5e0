"""Definitions and yes/no answers quote the sentence that decides them (invented passages)."""
from __future__ import annotations

from assistant.domain import Evidence, Passage
from assistant.rag.answering import check_answer
from assistant.rag.question import Question, defined_term

GLOSSARY = ("Le terme « jumeau numérique » revient souvent dans les entretiens. "
            "Les usines pilotes utilisent un double virtuel de leurs lignes (jumeau numérique) mis à jour par "
            "les capteurs en continu.")
ELSEWHERE = "Le jumeau numérique est cité par 12 % des cadres interrogés."


def _evidence(*texts: str) -> list[Evidence]:
    return [Evidence(n, Passage(f"p{n}", text, "guide.md", title="Guide"), text) for n, text in enumerate(texts, 1)]


def test_the_term_of_a_definition_question_is_the_quoted_one_or_the_acronym():
    assert defined_term("Qu'entend la professeure du Lab-STICC par « Lean data » ?") == "Lean data"
    assert defined_term("Comment l'étude définit-elle l'internet des objets (IoT) ?") == "IoT"
    assert defined_term("Que signifie le sigle RCA évoqué par l'ingénieur ?") == "RCA"
    assert defined_term("Quelle part des offres « IA » est publiée en Occitanie ?") == ""


def test_a_definition_paraphrased_is_followed_by_the_defining_sentence_quoted():
    """The reply drops « mis à jour par les capteurs »: the sentence setting the term off in
    brackets is quoted, not the one that only names it, and cited with its passage."""
    question = Question.parse("Que désigne le « jumeau numérique » dans l'étude ?", 500)
    answer = check_answer(question, "Le jumeau numérique est un double virtuel des lignes [2].",
                          _evidence(ELSEWHERE, GLOSSARY))
    assert answer.text.endswith("Texte : « Les usines pilotes utilisent un double virtuel de leurs lignes "
                                "(jumeau numérique) mis à jour par les capteurs en continu » [1].")
    assert [c.passage.id for c in answer.citations] == ["p2"]


def test_no_quote_when_no_sentence_defines_the_term_or_the_reply_already_says_it():
    question = Question.parse("Que désigne le « jumeau numérique » dans l'étude ?", 500)
    alone = check_answer(question, "Le jumeau numérique est cité par 12 % des cadres interrogés [1].",
                         _evidence(ELSEWHERE))
    assert "Texte :" not in alone.text
    said = check_answer(question, "Les usines pilotes utilisent un double virtuel de leurs lignes, mis à jour "
                        "par les capteurs en continu [2].", _evidence(ELSEWHERE, GLOSSARY))
    assert "Texte :" not in said.text


def test_a_yes_no_quote_cut_short_by_the_excerpt_is_whole_again_from_its_passage():
    """The exception that decides sat at the end of a sentence the excerpt had cut."""
    rule = ("Le télétravail est interdit aux équipes de production, sauf pour les techniciens de maintenance "
            "d'astreinte qui disposent d'un accès sécurisé validé par le responsable du site.")
    item = Evidence(1, Passage("p1", rule, "reglement.md", title="Règlement"),
                    "Le télétravail est interdit aux équipes de production, sauf pour les techniciens …")
    question = Question.parse("Le télétravail est-il interdit à toutes les équipes de production ?", 500)
    answer = check_answer(question, "Non [1]", [item])
    assert answer.text == f"Non. Texte : « {rule.rstrip('.')} » [1]."

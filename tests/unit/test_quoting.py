"""Definitions and yes/no answers quote the sentence that decides them (invented passages)."""
from __future__ import annotations

from assistant.domain import Evidence, Passage
from assistant.rag.answering import CLOSEST_PASSAGE, check_answer
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


def test_a_definition_question_whose_reply_is_refused_gets_the_documents_definition_quoted():
    """« Que désigne … ? » answered by a paraphrase the check could not source: the reader got
    « L'information ne figure pas dans les documents » though the study defines the term."""
    question = Question.parse("Que désigne le « jumeau numérique » dans l'étude ?", 500)
    answer = check_answer(question, "Le jumeau numérique est une pratique pour optimiser toutes les opérations.",
                          _evidence(ELSEWHERE, GLOSSARY), alone=True)
    assert not answer.abstained
    assert answer.text == ("Définition dans les documents : « Les usines pilotes utilisent un double virtuel de leurs "
                           "lignes (jumeau numérique) mis à jour par les capteurs en continu » [1].")
    assert answer.citations[0].passage.id == "p2"


def test_a_definition_cut_at_the_colon_of_its_points_is_not_quoted_as_the_answer():
    definition = Passage("p1", "• 61) «infraction de grande ampleur», tout acte contraire au droit de l'Union, qui:",
                         "ai-act/article-03.md", title="Article 3 — Définitions")
    question = Question.parse("Que désigne l'« infraction de grande ampleur » ?", 500)
    assert question.term == "infraction de grande ampleur"
    answer = check_answer(question, "C'est une infraction très grave commise par beaucoup d'opérateurs.",
                          [Evidence(1, definition, definition.text)], alone=True)
    assert "Définition dans les documents" not in answer.text


def test_a_yes_no_quote_cut_short_by_the_excerpt_is_whole_again_from_its_passage():
    """The exception that decides sat at the end of a sentence the excerpt had cut."""
    rule = ("Le télétravail est interdit aux équipes de production, sauf pour les techniciens de maintenance "
            "d'astreinte qui disposent d'un accès sécurisé validé par le responsable du site.")
    item = Evidence(1, Passage("p1", rule, "reglement.md", title="Règlement"),
                    "Le télétravail est interdit aux équipes de production, sauf pour les techniciens …")
    question = Question.parse("Le télétravail est-il interdit à toutes les équipes de production ?", 500)
    answer = check_answer(question, "Non [1]", [item])
    assert answer.text == f"Non. Texte : « {rule.rstrip('.')} » [1]."


def test_a_quoted_rule_of_a_regulation_names_its_article_and_title():
    """« Non. Texte : « f) … sauf … » » said neither that the point is a ban nor where it stands."""
    rule = ("f) l’utilisation de systèmes d’IA pour inférer les émotions d’une personne physique sur le lieu de "
            "travail, sauf pour des raisons médicales ou de sécurité.")
    title = "Article 5 — Pratiques interdites en matière d’IA"
    item = Evidence(1, Passage("p1", rule, "ai-act/article-05.md", title=title), rule)
    question = Question.parse("Une usine peut-elle inférer les émotions de ses opérateurs au travail ?", 500)
    answer = check_answer(question, "Non [1]", [item])
    assert answer.text == f"Non. Texte ({title}) : « {rule.rstrip('.')} » [1]."


REGIONS = ("En Occitanie, 12 % des offres citent l'IA, contre 9 % en Bretagne. "
           "Les offres citant l'IA sont surtout publiées par les grandes entreprises.")


def test_a_refusal_gives_way_to_the_sentence_holding_the_question_and_its_figure():
    question = Question.parse("Quelle part des offres citent l'IA en Occitanie ?", 500)
    answer = check_answer(question, "L'information ne figure pas dans les documents.", _evidence(REGIONS),
                          alone=True)
    assert not answer.abstained and [c.passage.id for c in answer.citations] == ["p1"]
    assert "« En Occitanie, 12 % des offres citent l'IA, contre 9 % en Bretagne » [1]" in answer.text


def test_no_quote_without_the_question_s_name_or_the_figure_it_asks_for():
    """A region the passages never name, a year the sentence does not state, a share no sentence
    about it gives: the refusal stands."""
    refusal = "L'information ne figure pas dans les documents."
    for text in ("Quelle part des offres citent l'IA en Normandie ?",
                 "Quelle part des offres citaient l'IA en Occitanie en 2021 ?",
                 "Quelle part des offres citant l'IA publient les grandes entreprises ?"):
        answer = check_answer(Question.parse(text, 500), refusal, _evidence(REGIONS), alone=True)
        assert answer.abstained and not answer.citations, text
    asked_alone = check_answer(Question.parse("Quelle part des offres citent l'IA en Occitanie ?", 500), refusal,
                               _evidence(REGIONS))
    assert asked_alone.abstained  # without `alone` (a follow-up), the refusal stands


def test_the_collection_a_question_names_as_its_source_is_not_asked_of_the_sentence():
    """« Selon le règlement robots » names where the passage lies (reglement-robots/), not a word
    the quoted sentence must hold."""
    rule = ("La fourniture de rapports inexacts aux inspecteurs fait l'objet d'une amende pouvant aller "
            "jusqu'à 40 000 EUR.")
    question = Question.parse("Selon le règlement robots, quelle amende prévoit la fourniture de rapports inexacts "
                              "aux inspecteurs ?", 500)
    refusal = "L'information ne figure pas dans les documents."
    in_folder = [Evidence(1, Passage("p1", rule, "reglement-robots/article-12.md", title="Article 12"), rule)]
    loose = [Evidence(1, Passage("p1", rule, "article-12.md", title="Article 12"), rule)]
    assert "40 000 EUR » [1]" in check_answer(question, refusal, in_folder, alone=True).text
    assert check_answer(question, refusal, loose, alone=True).abstained


RISKS = ("Les risques associés aux outils d'IA par les cadres : perte de savoir-faire, dépendance aux éditeurs, "
         "fuite de données et coûts cachés. Les outils d'IA sont surtout utilisés pour la rédaction, la traduction "
         "et la veille.")


def test_a_list_cut_short_is_followed_by_the_sentence_listing_what_is_asked():
    question = Question.parse("Quels risques les cadres associent-ils aux outils d'IA ?", 500)
    assert question.listing and not Question.parse("Quelle part des cadres utilise l'IA ?", 500).listing
    answer = check_answer(question, "Les cadres citent la perte de savoir-faire [1].", _evidence(RISKS))
    assert answer.text.endswith("Texte : « Les risques associés aux outils d'IA par les cadres : perte de "
                                "savoir-faire, dépendance aux éditeurs, fuite de données et coûts cachés » [1].")


def test_a_reply_cut_off_on_its_list_s_lead_in_ends_before_the_quote():
    """« … associent les risques suivants : - [1] » ran on into « Texte : … »: the page showed a
    dangling bullet, and « Texte » read as a name no passage holds (an unsourced fact)."""
    from eval.metrics import unsourced_facts

    question = Question.parse("Quels risques les cadres associent-ils aux outils d'IA ?", 500)
    answer = check_answer(question, "Les cadres associent aux outils d'IA les risques suivants : - [1]",
                          _evidence(RISKS))
    assert answer.text.startswith("Les cadres associent aux outils d'IA les risques suivants [1]. "
                                  "Texte : « Les risques")
    citations = [{"marker": c.marker, "title": c.passage.title, "text": c.passage.text} for c in answer.citations]
    assert unsourced_facts(answer.text, citations) == []


def test_a_list_of_something_else_is_not_quoted_for_a_list_question():
    """« rédaction, traduction, veille » lists uses, not the threats asked for."""
    question = Question.parse("Quelles cybermenaces visant les outils d'IA les cadres citent-ils ?", 500)
    answer = check_answer(question, "Les cadres citent le vol de données [1].",
                          _evidence("Les outils d'IA sont utilisés par les cadres pour la rédaction, la traduction "
                                    "et la veille sur le vol de données."))
    assert "Texte :" not in answer.text


FEARS = ("Les inquiétudes des techniciens : perte d'autonomie, surveillance accrue, charge de travail et isolement. "
         "Les outils d'IA changent la façon de travailler des techniciens.")


def test_a_list_introduced_by_what_is_asked_is_quoted_for_a_long_question():
    """The question's other words (« la synthèse de l'enquête régionale ») stand in the title, not
    in the list: its lead-in naming « inquiétudes » is enough."""
    question = Question.parse("Quelles inquiétudes des techniciens vis-à-vis de l'IA la synthèse "
                              "de l'enquête régionale énumère-t-elle ?", 500)
    answer = check_answer(question, "Les outils d'IA changent la façon de travailler des techniciens [1].",
                          _evidence(FEARS))
    assert answer.text.endswith("Texte : « Les inquiétudes des techniciens : perte d'autonomie, surveillance accrue, "
                                "charge de travail et isolement » [1].")


def test_a_list_in_brackets_after_what_is_asked_is_quoted():
    """An offer lists inline: « … méthodes de contrôle (vision, ultrasons, thermographie, rayons X), … »;
    the model answered with the sentence's other requirement."""
    offer = ("Vous maîtrisez les méthodes de contrôle non destructif (vision, ultrasons, thermographie, rayons X), "
             "le langage Python et la gestion de projet industriel dans une usine de verre.")
    question = Question.parse("Quelles méthodes de contrôle l'offre de technicien qualité verrier cite-t-elle ?", 500)
    answer = check_answer(question, "L'offre demande la maîtrise du langage Python [1].", _evidence(offer))
    assert "Texte : « Vous maîtrisez les méthodes de contrôle non destructif (vision, ultrasons" in answer.text


def test_a_list_of_another_length_than_asked_or_a_table_row_is_not_quoted():
    """Four inquiétudes listed, two asked: another list; a table row lists figures, not items."""
    three = Question.parse("Quelles sont les deux inquiétudes des techniciens vis-à-vis de l'IA "
                           "que la synthèse de l'enquête régionale énumère ?", 500)
    assert "Texte :" not in check_answer(three, "Les outils d'IA changent la façon de travailler des "
                                         "techniciens [1].", _evidence(FEARS)).text
    row = ("Inquiétudes des techniciens : Surveillance — Part des ateliers en 2024 (en %) : 12 ; "
           "Part des cadres (en %) : 8 ; Part des techniciens (en %) : 5")
    question = Question.parse("Quelles inquiétudes des techniciens vis-à-vis de l'IA la synthèse "
                              "de l'enquête régionale énumère-t-elle ?", 500)
    assert "Texte :" not in check_answer(question, "La part des ateliers est de 12 % [1].", _evidence(row)).text


EMOTIONS = ("la mise sur le marché, la mise en service à cette fin spécifique ou l'utilisation de systèmes d'IA "
            "pour inférer les émotions d'une personne physique sur le lieu de travail, sauf pour des raisons "
            "médicales ou de sécurité.")


YES_TO_BAN = "Oui, une entreprise peut utiliser un système d'IA pour inférer les émotions sur le lieu de travail [1]."


def _banning() -> Evidence:
    """An item of the article banning a practice, under its title."""
    return Evidence(1, Passage("p1", EMOTIONS, "ai-act/article-05.md", title="Article 5 — Pratiques interdites"),
                    EMOTIONS)


def test_a_yes_to_a_practice_its_article_bans_is_not_shown_as_sourced():
    """« Oui, une entreprise peut … » against an item of « Pratiques interdites » (the 1.5B model
    did it, the article beside it as its source): the reply is withdrawn; the question asked alone
    gets the banning item quoted instead, and the reply stays in the audit record."""
    item = _banning()
    question = Question.parse("Une entreprise peut-elle utiliser un système d'IA pour inférer les émotions de ses "
                              "salariés sur le lieu de travail ?", 500)
    reply = YES_TO_BAN
    answer = check_answer(question, reply, [item], alone=True)
    assert not answer.text.startswith("Oui") and "sauf pour des raisons médicales ou de sécurité" in answer.text
    assert any(text.startswith("Oui") for text in answer.removed)
    assert check_answer(question, reply, [item]).abstained  # a follow-up: no quote, the refusal
    # a « Oui » that states the exception is left to the other checks, and so is one to a question
    # on the exception itself
    kept = check_answer(question, "Oui, sauf pour des raisons médicales ou de sécurité [1].", [item])
    assert kept.text.startswith("Oui, sauf")
    medical = Question.parse("Une entreprise peut-elle utiliser un système d'IA pour inférer les émotions sur le "
                             "lieu de travail pour des raisons médicales ?", 500)
    assert check_answer(medical, "Oui, pour des raisons médicales [1].", [item]).text.startswith("Oui")


def test_a_yes_to_a_banned_practice_is_withdrawn_when_the_question_also_asks_something_else():
    """Tuning f045: « …, et quelles exceptions sont prévues ? » made the question open, its « Oui, »
    was left out as said to an open question, and « Une entreprise peut utiliser … [1]. » was shown
    as sourced. The quote instead names the article banning the practice."""
    item = _banning()
    question = Question.parse("Une entreprise peut-elle utiliser un système d'IA pour inférer les émotions de ses "
                              "salariés sur le lieu de travail, et quelles exceptions sont prévues ?", 500)
    reply = YES_TO_BAN
    answer = check_answer(question, reply, [item], alone=True)
    assert "entreprise peut utiliser" not in answer.text
    assert answer.text.startswith(f"{CLOSEST_PASSAGE}, Article 5 — Pratiques interdites : « la mise sur le marché")


def _continued_evidence(*texts: str) -> list[Evidence]:
    """Passages that follow each other in one document, as the chunker cut it."""
    return [Evidence(n, Passage(f"p{n}", text, "etude.pdf", title="Étude", position=n), text)
            for n, text in enumerate(texts, 1)]


def test_a_list_question_gets_the_whole_list_quoted_across_the_passages_it_runs_on_into():
    """The study's concerns of executives: lead-in and first item in one passage, the others in the
    next two. The model listed one; the quote gives every item, each part under its passage."""
    question = Question.parse("Quelles inquiétudes les cadres expriment-ils face à l'IA ?", 500)
    evidence = _continued_evidence(
        "Les cadres voient des avantages.\nApparaissent aussi des inquiétudes des cadres face à l'IA, notamment :\n"
        "- Une menace pour certains emplois.",
        "- Une perte de compétences.\n- Une déshumanisation des relations.",
        "- Des risques d'exclusion.\n- Un défi pour la sécurité des données.\nUne citation suit.")
    answer = check_answer(question, "Les cadres craignent une menace pour certains emplois [1].", evidence)
    quote = answer.text[answer.text.index("Texte : "):]
    for item in ("menace pour certains emplois", "perte de compétences", "déshumanisation", "exclusion",
                 "sécurité des données"):
        assert quote.count(item) == 1
    assert "Une citation suit" not in quote
    assert quote.index("] « - Une perte") < quote.index("[2]") < quote.index("« - Des risques") < quote.index("[3]")
    assert [c.passage.id for c in answer.citations] == ["p1", "p2", "p3"]


def test_the_quoted_list_stops_where_the_next_passage_lists_something_else():
    """« • 49) … indirectement: • a) … • b) … » then « • 50) », the next definition: not an item."""
    question = Question.parse("Quelles conséquences caractérisent un incident grave ?", 500)
    evidence = _continued_evidence("• 49) «incident grave», un incident entraînant directement ou indirectement "
                                   "l'une des conséquences graves suivantes:\n• a) le décès d'une personne;\n"
                                   "• b) une perturbation grave;",
                                   "• 50) «données à caractère personnel», les données définies ailleurs.")
    answer = check_answer(question, "Un incident grave entraîne le décès d'une personne [1].", evidence)
    assert "une perturbation grave" in answer.text and "données à caractère personnel" not in answer.text


def test_a_verdict_opening_the_answer_to_an_open_question_is_left_out():
    """« Oui, 12 % des cadres … » to « Quelle part … ? » says nothing more, and a « Non, » there would
    read as a denial; a yes/no question keeps its verdict."""
    share = check_answer(Question.parse("Quelle part des cadres interrogés cite le jumeau numérique ?", 500),
                         "Oui, 12 % des cadres interrogés citent le jumeau numérique [1].", _evidence(ELSEWHERE))
    assert share.text.startswith("12 % des cadres interrogés") and not share.abstained
    closed = check_answer(Question.parse("Les cadres interrogés citent-ils le jumeau numérique ?", 500),
                          "Oui, 12 % des cadres interrogés citent le jumeau numérique [1].", _evidence(ELSEWHERE))
    assert closed.text.startswith("Oui")


FUNCTIONS = ("Les cadres de la fonction commerciale et ceux des services techniques sont aussi recherchés par les "
             "industriels : respectivement 16 % et 14 % des offres liées à l'IA les concernent.")
SHARE = "Près d'une offre sur six liée à l'IA publiée par les industriels concerne les profils commerciaux."


def test_an_open_question_asked_alone_gets_its_deciding_sentence_quoted_when_the_reply_is_not_from_it():
    """Asked for the technical services, the reply names the commercial profiles of another sentence:
    the sentence holding most of the question is quoted after it, cited, for the reader to check."""
    question = Question.parse("Quelle part des offres liées à l'IA concerne les cadres des services techniques "
                              "chez les industriels ?", 500)
    reply = "Près d'une offre sur six liée à l'IA concerne les profils commerciaux [2]."
    answer = check_answer(question, reply, _evidence(FUNCTIONS, SHARE), alone=True)
    assert answer.text.endswith(f"Texte : « {FUNCTIONS.rstrip('.')} » [2].")
    assert [c.passage.id for c in answer.citations] == ["p2", "p1"]
    follow_up = check_answer(question, reply, _evidence(FUNCTIONS, SHARE))  # its words leave out its subject
    assert "Texte :" not in follow_up.text


def test_an_open_question_s_reply_taken_from_its_deciding_sentence_gets_no_quote():
    question = Question.parse("Quelle part des offres liées à l'IA concerne les cadres des services techniques "
                              "chez les industriels ?", 500)
    answer = check_answer(question, "Les cadres des services techniques sont recherchés par les industriels : 14 % "
                          "des offres liées à l'IA les concernent [1].", _evidence(FUNCTIONS, SHARE), alone=True)
    assert "Texte :" not in answer.text and answer.text.startswith("Les cadres des services techniques")

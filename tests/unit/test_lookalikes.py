"""A figure is judged by its own clause: a look-alike figure that another clause of the evidence
states for the question's qualifiers (a population, a kind of figure) is not shown as sourced
(invented passages, shaped like the study's « Note de lecture » sentences and tables)."""
from __future__ import annotations

from assistant.domain import Evidence, Passage
from assistant.rag.answering import CLOSEST_PASSAGE, check_answer
from assistant.rag.citations import cite, split_answer
from assistant.rag.question import Question


def _evidence(*texts: str) -> list[Evidence]:
    return [Evidence(n, Passage(f"p{n}", text, "etude.pdf", "etude", 10 + n), text) for n, text in enumerate(texts, 1)]


def _shown(question: str, answer: str, *texts: str) -> str:
    return cite(answer, _evidence(*texts), question, drop_unsupported=True).text


READING_NOTE = ("Note de lecture : en 2031, 4 % des annonces de techniciens de l'aéronautique citent la robotique. "
                "Ce pourcentage est de seulement 1,5 % pour l'ensemble des annonces de techniciens.")
ALL_SECTORS = "En 2031, quelle part de l'ensemble des annonces de techniciens citent la robotique ?"


def test_the_figure_of_the_sentence_before_a_look_alike_is_not_its_answer():
    """« Ce pourcentage … pour l'ensemble » says what the question asks; the sentence before it,
    whose figure the model took, speaks of the aeronautics alone."""
    assert not _shown(ALL_SECTORS, "En 2031, 4 % de l'ensemble des annonces citent la robotique [1].", READING_NOTE)
    assert _shown(ALL_SECTORS, "En 2031, 1,5 % des annonces de techniciens citent la robotique [1].", READING_NOTE)
    aeronautics = "En 2031, quelle part des annonces de techniciens de l'aéronautique cite la robotique ?"
    assert _shown(aeronautics, "4 % des annonces de techniciens de l'aéronautique citent la robotique [1].",
                  READING_NOTE)


def test_a_refusal_gives_way_to_the_look_alike_quoted_with_the_sentence_it_refers_to():
    answer = check_answer(Question.parse(ALL_SECTORS, 500), "L'information ne figure pas dans les documents.",
                          _evidence(READING_NOTE), alone=True)
    assert answer.text.startswith(CLOSEST_PASSAGE) and not answer.abstained
    assert "citent la robotique. Ce pourcentage est de seulement 1,5 %" in answer.text
    assert len(split_answer(answer.text)) == 1  # one quotation, one claim, its marker after it


def test_all_sectors_said_as_tous_secteurs_confondus_gets_the_sentence_for_the_whole_quoted():
    """« tous secteurs confondus » is the question's « l'ensemble des secteurs »: the comparison
    sentence holds the figure for all sectors, and the refused question gets it quoted."""
    comparison = ("Entre 2029 et 2031, le nombre d'annonces de techniciens citant la robotique publiées par les "
                  "recruteurs du secteur aéronautique a augmenté de 41 % contre 9 % pour l'ensemble des recruteurs.")
    question = ("Entre 2029 et 2031, de combien a progressé le nombre d'annonces de techniciens citant la robotique, "
                "tous secteurs confondus ?")
    answer = check_answer(Question.parse(question, 500), "L'information ne figure pas dans les documents.",
                          _evidence(comparison), alone=True)
    assert answer.text.startswith(CLOSEST_PASSAGE) and "contre 9 %" in answer.text
    elsewhere = question.replace("tous secteurs confondus", "en Bretagne")  # a name the sentence lacks
    assert check_answer(Question.parse(elsewhere, 500), "L'information ne figure pas dans les documents.",
                        _evidence(comparison), alone=True).abstained


def test_a_refused_figure_gives_way_to_the_sentence_that_spells_out_the_question_s_acronym():
    """« … des compétences en RH ? »: the passage writes « ressources humaines » in full; the wrong
    figure the model took from a look-alike is refused and the right sentence quoted."""
    question = "Quelle part des annonces de techniciens demande explicitement des compétences en RH ?"
    right = ("Seules 6 % des annonces de techniciens demandent de manière explicite des compétences en lien avec "
             "les ressources humaines.")
    lookalike = "Note de lecture : 27 % des annonces de techniciens sont publiées en Bretagne."
    answer = check_answer(Question.parse(question, 500), "27 % des annonces de techniciens [2].",
                          _evidence(right, lookalike), alone=True)
    assert answer.text.startswith(CLOSEST_PASSAGE) and "Seules 6 %" in answer.text and "27 %" not in answer.text


GROWTH = ("Entre 2029 et 2031, les annonces citant la robotique publiées par les constructeurs ont augmenté "
          "de 48 % contre 11 % pour celles publiées par l'ensemble des employeurs.")


def test_the_figure_before_contre_is_not_the_one_of_what_follows_it():
    question = ("Entre 2029 et 2031, de combien ont augmenté les annonces citant la robotique de l'ensemble "
                "des employeurs ?")
    assert not _shown(question, "Elles ont augmenté de 48 % entre 2029 et 2031 [1].", GROWTH)
    assert _shown(question, "Elles ont augmenté de 11 % entre 2029 et 2031 [1].", GROWTH)
    both = "Quelle hausse pour les constructeurs, et pour l'ensemble des employeurs, entre 2029 et 2031 ?"
    assert _shown(both, "Elles ont augmenté de 48 % chez les constructeurs contre 11 % pour l'ensemble [1].", GROWTH)


def test_what_the_question_sets_aside_is_not_a_qualifier():
    """« (robotique ou non) »: the sentence adding « robotique » to the same figure's subject is no
    better answer than the figure about every advert."""
    text = ("En 2031, les grands groupes ont publié 61 % des annonces de techniciens de l'aéronautique. "
            "Ce pourcentage s'élève à 80 % lorsqu'il s'agit d'annonces citant la robotique.")
    question = ("En 2031, quelle part des annonces de techniciens de l'aéronautique (toutes annonces, robotique "
                "ou non) a été publiée par les grands groupes ?")
    assert _shown(question, "Les grands groupes ont publié 61 % des annonces de techniciens en 2031 [1].", text)


OFFER = ("Offre d'emploi cadre — Data analyst, Verrerie, Bretagne\n"
         "Taille de l'entreprise : 10 à 19 salariés. Type de contrat : CDI.")


def test_a_figure_of_another_kind_than_the_one_asked_for_is_not_an_answer():
    assert not _shown("Quel est le salaire proposé dans l'offre de Data analyst ?",
                      "Le salaire proposé est de 10 à 19 salariés [1].", OFFER)
    assert _shown("Quelle est la taille de l'entreprise de l'offre de Data analyst ?",
                  "L'entreprise compte 10 à 19 salariés [1].", OFFER)
    deadline = "Le rapport est transmis au plus tard le 2 août 2031, puis tous les quatre ans."
    assert _shown("Dans quel délai le rapport doit-il être transmis ?", "Au plus tard le 2 août 2031 [1].", deadline)


def test_a_question_asking_for_a_share_answered_without_one_gets_no_answer_shown():
    """Tuning h004: « La part des offres … vise des cadres commerciaux [1]. » restated the question,
    every word in the passage, and was shown as a sourced answer."""
    text = "Près d'une offre de robotique sur six concerne les cadres commerciaux de l'aéronautique."
    restated = "La part des offres de robotique vise des cadres commerciaux [1]."
    share = Question.parse("Quelle part des offres de robotique vise des cadres commerciaux ?", 500)
    assert "vise des cadres" not in check_answer(share, restated, _evidence(text), alone=True).text
    assert "sur six" in check_answer(share, "Près d'une offre sur six [1].", _evidence(text), alone=True).text
    both = Question.parse("Quels cadres sont visés par les offres de robotique, et dans quelle proportion ?", 500)
    assert "cadres commerciaux" in check_answer(both, "Les cadres commerciaux [1].", _evidence(text), alone=True).text


def test_an_answer_that_gives_a_figure_the_kind_asked_for_is_judged_by_what_the_passage_says_it_counts():
    """The model wrote « 250 années » from an offer's « 250 salariés et plus »; « deux ans » in words counts."""
    offer = ("Offre d'emploi cadre — Project Manager, Verrerie, Bretagne, 250 salariés et plus\n"
             "Profil : une expérience minimum des années passées en usine est exigée.")
    asked = "Combien d'années d'expérience l'offre de Project Manager exige-t-elle ?"
    assert not _shown(asked, "L'offre exige une expérience minimum de 250 années [1].", offer)
    years = offer.replace("des années passées en usine est exigée", "de deux années en usine est exigée")
    assert _shown(asked, "L'offre exige une expérience minimum de deux années [1].", years)


def test_a_figure_only_the_offer_s_title_states_is_judged_by_the_title():
    """« 250 années » again, the 250 this time in the title of the offer cited beside its « Profil »
    section (the passage the model was shown after the title's own)."""
    title = "Offre d'emploi cadre — Project Manager, Verrerie, Bretagne, 250 salariés et plus"
    profile = Passage("p1", "Profil : une expérience minimum en usine est exigée. Passionné(e) par la donnée, "
                      "rejoignez-nous.", "offres/pm.md", title)
    asked = "Combien d'années d'expérience l'offre de Project Manager exige-t-elle ?"
    evidence = [Evidence(1, profile, profile.text)]
    assert not cite("L'offre exige une expérience minimum de 250 années [1].", evidence, asked,
                    drop_unsupported=True).text
    assert cite("L'offre vient d'une entreprise de 250 salariés et plus [1].", evidence,
                "Combien de salariés compte l'entreprise de l'offre de Project Manager ?", drop_unsupported=True).text


def test_a_budget_is_money_not_a_share():
    """« un budget moyen de 80 % » was a share of offers (6 passages); a fine may be a share of turnover."""
    shares = "Les entreprises industrielles représentent 80 % des offres de formation à l'IA."
    assert not _shown("Quel budget moyen les entreprises industrielles consacrent-elles à la formation à l'IA ?",
                      "Les entreprises industrielles consacrent un budget moyen de 80 % à la formation à l'IA [1].",
                      shares)
    fine = "L'amende peut aller jusqu'à 7 % du chiffre d'affaires annuel mondial de l'entreprise."
    assert _shown("Quel est le montant maximal de l'amende ?", "L'amende peut aller jusqu'à 7 % du chiffre "
                  "d'affaires annuel mondial [1].", fine)


TABLE = ("Branche professionnelle : Verrerie — Part d'entreprises en 2031 (en %) : 0,4 ; "
         "Part de salariés en 2030 (en %) : 1,8 ; Part des annonces « robotique » de 2027 à 2031 (en %) : 2,5.\n"
         "Branche professionnelle : Total périmètre OPCA 3i — Part d'entreprises en 2031 (en %) : 100 ; "
         "Part de salariés en 2030 (en %) : 100 ; Part des annonces « robotique » de 2027 à 2031 (en %) : 100.")


def test_a_table_row_is_read_by_its_column_not_outweighed_by_the_total_row():
    """« du périmètre OPCA 3i » is the question's context, not the row it asks for."""
    question = "Quelle part des entreprises du périmètre OPCA 3i relève de la branche verrerie en 2031 ?"
    assert _shown(question, "La Verrerie représente 0,4 % des entreprises du périmètre OPCA 3i [1].", TABLE)


def test_a_column_matching_only_by_its_year_is_not_the_one_asked_for():
    """The table gives the adverts' share from 2027 to 2031, not for 2030: the employees' column of
    2030 is not the answer."""
    question = "Quelle part des annonces « robotique » la Verrerie représentait-elle en 2030 ?"
    assert not _shown(question, "La Verrerie représentait 1,8 % des annonces « robotique » en 2030 [1].", TABLE)
    employees = "Quelle part des salariés la Verrerie représentait-elle en 2030 ?"
    assert _shown(employees, "La Verrerie représentait 1,8 % des salariés en 2030 [1].", TABLE)


def test_a_quotation_is_one_claim_but_an_unclosed_guillemet_is_not_a_quotation():
    assert split_answer("Passage : « Il y a 4 %. Ce pourcentage est de 2 % » [1].") == [
        "Passage : « Il y a 4 %. Ce pourcentage est de 2 % » [1]."]
    assert len(split_answer("Le terme « robotique revient. Il est cité par 4 % des annonces.")) == 2


def test_a_figure_about_what_the_question_leaves_out_is_not_its_answer():
    text = "Note de lecture : dans l'aéronautique, 31 % des annonces citant la robotique sont en Bretagne."
    answer = "31 % des annonces citant la robotique sont en Bretagne [1]."
    every_sector = ("Tous secteurs confondus (pas seulement l'aéronautique), quelle part des annonces citant la "
                    "robotique est en Bretagne ?")
    assert not _shown(every_sector, answer, text)
    assert _shown("Dans l'aéronautique, quelle part des annonces citant la robotique est en Bretagne ?", answer, text)


def test_a_figure_whose_own_sentence_holds_little_of_the_question_answers_another_one():
    """The answer copies the question's words around the only amount of the evidence: the sentence
    stating that amount is about another breach."""
    text = ("Les fournisseurs de robots à usage général tiennent à jour une documentation technique. "
            "Le non-respect de l'interdiction des pratiques visées à l'article 5 fait l'objet d'amendes "
            "pouvant aller jusqu'à 35 000 000 EUR.")
    general = "Quel est le montant maximal des amendes infligées aux fournisseurs de robots à usage général ?"
    echoed = "Les amendes infligées aux fournisseurs de robots à usage général vont jusqu'à 35 000 000 EUR [1]."
    assert not _shown(general, echoed, text)
    assert _shown("Quelle amende punit le non-respect de l'interdiction des pratiques de l'article 5 ?",
                  "Jusqu'à 35 000 000 EUR [1].", text)


def test_a_follow_up_s_figure_is_not_judged_by_its_own_few_words():
    """« … ces obligations ? » leaves its subject to the turn before: the fine's sentence, which
    names neither « obligations » nor « manquement », answers it all the same."""
    text = ("Les obligations de transparence s'appliquent aux déployeurs ; tout manquement est signalé. "
            "La non-conformité avec l'une des dispositions suivantes fait l'objet d'amendes pouvant aller "
            "jusqu'à 15 000 000 EUR.")
    question = Question.parse("Quelle amende maximale encourt-on en cas de manquement à ces obligations ?", 500)
    reply = "En cas de manquement à ces obligations, on encourt une amende de 15 000 000 EUR [1]."
    assert not check_answer(question, reply, _evidence(text), alone=False).abstained
    assert check_answer(question, reply, _evidence(text), alone=True).abstained  # asked on its own


def test_a_follow_up_s_own_qualifier_held_by_another_clause_rules_out_the_figure():
    """« Et pour les interdictions du chapitre II ? » after the date of application: its own words
    name chapter II, which clause a) dates, so clause c)'s date is not its answer, follow-up or not."""
    text = ("Le présent règlement est applicable à partir du 2 août 2031.\nToutefois :\n"
            "a) les chapitres I et II sont applicables à partir du 2 février 2030 ;\n"
            "c) l'article 6, paragraphe 1, et les obligations correspondantes s'appliquent à partir du 2 août 2032.")
    question = Question.parse("Et pour les interdictions du chapitre II, c'est à partir de quand ?", 500)
    wrong = "Les interdictions du chapitre II sont applicables à partir du 2 août 2032 [1]."
    right = "Les interdictions du chapitre II sont applicables à partir du 2 février 2030 [1]."
    assert check_answer(question, wrong, _evidence(text), alone=False).abstained
    assert not check_answer(question, right, _evidence(text), alone=False).abstained


def test_a_figure_the_passage_gives_for_another_year_than_the_question_s_is_not_its_answer():
    """« passe de 65 % en 2019 à 73 % au 1er semestre 2024 » holds the question's year, but 73 % is
    2024's (the 1.5B model answered « 73 % [1] » to « En 2019, … ? »)."""
    trend = ("Note de lecture : la part des annonces de techniciens citant la robotique passe de 12 % en 2027 "
             "à 19 % au 1er semestre 2031.")
    asked = "En 2027, quelle part des annonces de techniciens citait la robotique ?"
    assert not _shown(asked, "19 % [1]", trend)
    assert not _shown(asked, "En 2027, 19 % des annonces de techniciens citaient la robotique [1].", trend)
    assert _shown(asked, "En 2027, 12 % des annonces de techniciens citaient la robotique [1].", trend)
    assert _shown("Au 1er semestre 2031, quelle part des annonces de techniciens citait la robotique ?",
                  "19 % des annonces de techniciens citaient la robotique au 1er semestre 2031 [1].", trend)


def test_a_fine_for_other_offenders_is_not_the_answer_for_the_ones_asked_about():
    """« montant maximal » asks for a figure, it does not say which: the banned practices' fine held
    it, and a third of the question's words, so it was shown for general-purpose models' providers."""
    fine = ("Le non-respect de l'interdiction des pratiques visées à l'article 5 fait l'objet d'amendes "
            "administratives dont le montant maximal peut aller jusqu'à 35 000 000 EUR.")
    assert not _shown("Quel est le montant maximal des amendes applicables aux fournisseurs de modèles d'IA à usage "
                      "général ?", "Le montant maximal des amendes est de 35 000 000 EUR [1].", fine)
    assert _shown("Quel est le montant maximal des amendes pour non-respect de l'interdiction des pratiques de "
                  "l'article 5 ?", "Le montant maximal des amendes est de 35 000 000 EUR [1].", fine)


# Shaped like the AI Act's article 113: one date for the whole, others for named chapters, all on a 3rd.
ENTRY = ("Règlement sur les drones — Entrée en vigueur et application\n"
         "Le présent règlement entre en vigueur le vingtième jour suivant celui de sa publication.\n"
         "Il est applicable à partir du 3 mars 2031.\nToutefois:\n"
         "• a) les chapitres I et II sont applicables à partir du 3 septembre 2029;\n"
         "• b) le chapitre IV et l'article 40 s'appliquent à partir du 3 mars 2030, à l'exception de l'article 52;")


def test_a_date_given_for_other_chapters_is_not_the_regulation_s_date():
    """A date is one figure: its day alone (« 3 ») is every date's of the passage, and the date of
    chapter IV was shown as sourced for the regulation as a whole."""
    general = "À partir de quelle date le règlement sur les drones est-il applicable de manière générale ?"
    said = "Le règlement sur les drones est applicable de manière générale à partir du {} [1]."
    assert not _shown(general, said.format("3 mars 2030"), ENTRY)
    assert "3 mars 2031 [1]" in _shown(general, said.format("3 mars 2031"), ENTRY)
    chapters = "À partir de quand les chapitres I et II du règlement sur les drones s'appliquent-ils ?"
    said = "Les chapitres I et II du règlement sur les drones s'appliquent à partir du {} [1]."
    assert not _shown(chapters, said.format("3 mars 2031"), ENTRY)
    assert "3 septembre 2029 [1]" in _shown(chapters, said.format("3 septembre 2029"), ENTRY)


def test_a_date_counts_as_one_figure():
    from assistant.text.numbers import figure_numbers
    assert figure_numbers("le 2 août 2025, à l'exception de l'article 101") == {"2 aout 2025", "101"}
    assert figure_numbers("au 1er février 2025 ; 35 000 000 EUR") == {"1 fevrier 2025", "35000000"}


def test_a_figure_stated_in_a_list_s_lead_in_answers_for_each_item_even_one_the_next_passage_holds():
    """Article 99(4)'s fine is stated once, before the list of obligations it sanctions, which the
    chunker cut: « … les obligations incombant aux déployeurs … » lies in the next passage. The
    right answer for deployers was removed: its figure's sentence held too few of the question's words."""
    fine = ("4. La non-conformité avec l'une quelconque des dispositions suivantes relatives aux opérateurs "
            "fait l'objet d'une amende administrative pouvant aller jusqu'à 15 000 000 EUR ou, si l'auteur de "
            "l'infraction est une entreprise, jusqu'à 3 % de son chiffre d'affaires annuel mondial total:")
    rest = ("• a) les obligations incombant aux fournisseurs en vertu de l'article 16;\n"
            "• c) les obligations incombant aux importateurs en vertu de l'article 23;\n"
            "• d) les obligations incombant aux déployeurs de systèmes à haut risque en vertu de l'article 26;")
    question = ("Quel est le montant maximal de l'amende pour un déployeur qui ne respecte pas ses obligations "
                "relatives aux systèmes d'IA à haut risque ?")
    answer = ("L'amende pour un déployeur qui ne respecte pas ses obligations relatives aux systèmes d'IA à haut "
              "risque peut aller jusqu'à 15 000 000 EUR ou 3 % du chiffre d'affaires annuel mondial [1].")
    cut = _evidence(fine)
    assert cite(answer, cut, question, drop_unsupported=True).removed  # without its items
    cut[0].sequel = rest
    kept = cite(answer, cut, question, drop_unsupported=True)
    assert not kept.removed and "15 000 000 EUR" in kept.text
    assert not cite(answer, _evidence(f"{fine}\n{rest}"), question, drop_unsupported=True).removed  # one passage


def test_the_items_the_next_passage_holds_of_the_list_a_passage_closes_on_come_with_it():
    from assistant.rag.lists import list_sequel

    lead = Passage("a", "Ces profils sont essentiels aux usines afin :\n- d'optimiser leur production,", "etude.pdf",
                   "etude", 13, position=4)
    rest = Passage("b", "- d'améliorer la qualité,\n- de réduire leurs coûts.\nUne autre phrase sans rapport.",
                   "etude.pdf", "etude", 13, position=5)
    following = {"a": rest}.get
    assert list_sequel(lead, lambda p: following(p.id)) == "- d'améliorer la qualité,\n- de réduire leurs coûts."
    assert list_sequel(rest, lambda p: following(p.id)) == ""  # closes on no list


def test_a_count_of_years_asked_is_answered_in_ans():
    """« Combien d'années d'expérience … ? » answered « 3 ans d'expérience » is the figure asked for
    (it was refused, the check looking for « années » after the figure); a count of something else is not."""
    profile = ("Annonce de technicien robotique, 250 salarié.es et plus\n"
               "Profil : BTS, avec 3 ans d'expérience au minimum.")
    question = "Combien d'années d'expérience minimum sont demandées ?"
    assert "3 ans" in _shown(question, "3 ans d'expérience minimum sont demandés [1].", profile)
    assert not _shown(question, "L'annonce demande une expérience minimum de 250 années [1].", profile)


def test_an_answer_saying_the_question_back_gets_no_answer_shown():
    """Tuning q121: « La exigence s'applique aux données d'entrée lorsque le déployeur exerce un
    contrôle sur elles [1]. » said the question back, every word in the passage, and was shown as
    a sourced answer."""
    text = ("Pour autant que l'exploitant exerce un contrôle sur les données d'entrée, il veille à ce que "
            "ces dernières soient pertinentes et suffisamment représentatives.")
    asked = Question.parse("Quelle exigence s'applique aux données d'entrée lorsque l'exploitant exerce un "
                           "contrôle sur elles ?", 500)
    said_back = check_answer(asked, "La exigence s'applique aux données d'entrée lorsque l'exploitant exerce un "
                             "contrôle sur elles [1].", _evidence(text), alone=True)
    assert said_back.abstained and "La exigence" not in said_back.text
    assert check_answer(asked, "L'exploitant exerce un contrôle sur la donnée d'entrée dans l'extrait [1].",
                        _evidence(text), alone=True).abstained
    answered = check_answer(asked, "Les données d'entrée doivent être pertinentes et suffisamment représentatives "
                            "[1].", _evidence(text), alone=True)
    assert answered.text.startswith("Les données d'entrée doivent être pertinentes")
    choice = Question.parse("Le contrôle porte-t-il sur les données d'entrée ou sur les journaux ?", 500)
    assert "porte sur les données" in check_answer(choice, "Le contrôle porte sur les données d'entrée [1].",
                                                    _evidence(text), alone=True).text

"""Retrieval: fusion, hybrid search, abstention on off-topic questions, French folding."""
from __future__ import annotations

from assistant import Conversation
from assistant.domain import NOT_FOUND
from assistant.rag.answering import CLOSEST_PASSAGE
from assistant.rag.retrieval import rrf
from assistant.text.language import question_language
from assistant.text.normalise import fold
from assistant.text.words import tokens


def test_rrf_prefers_item_ranked_well_by_both_lists():
    fused = rrf([["a", "b", "c"], ["d", "b", "e"]], k=60)
    ranked = sorted(fused, key=fused.get, reverse=True)
    assert ranked[0] == "b"
    assert set(ranked) == {"a", "b", "c", "d", "e"}
    assert fused["a"] == fused["d"] > fused["c"] == fused["e"]


def test_hybrid_retrieval_finds_distinctive_fact(indexed):
    retrieval, follow_up = indexed.retrieve("Quelle part des dirigeants cite la cybersécurité comme priorité ?")
    assert not follow_up
    assert retrieval.relevant
    best = retrieval.passages[0].passage
    assert "62 %" in best.text
    assert best.document == "etude.pdf" and best.page == 2


def test_hybrid_retrieval_finds_markdown_fact(indexed):
    retrieval, _ = indexed.retrieve("Quelle est la température de consigne des ateliers ?")
    assert "17 degrés" in retrieval.passages[0].passage.text


def test_off_topic_question_abstains(indexed):
    answer = indexed.ask("Quel est le cours de l'action Airbus aujourd'hui ?")
    assert answer.abstained
    assert answer.citations == []
    assert answer.text == NOT_FOUND


def test_on_topic_question_answers_with_citation(indexed):
    answer = indexed.ask("Quel budget moyen pour la maintenance prédictive par site ?")
    assert not answer.abstained
    assert answer.citations
    assert "480 000" in answer.text
    assert answer.citations[0].passage.document == "etude.pdf" and answer.citations[0].passage.page == 3


def test_fold_and_tokens():
    assert fold("  ÉTÉ   Cœur  ") == "ete coeur"
    assert fold("l’Industrie") == "l'industrie"
    assert tokens("L'industrie d'aujourd'hui") == ["industrie", "aujourd", "hui"]
    assert tokens("Qu'elle soit Écologique") == ["soit", "ecologique"]
    assert "le" not in tokens("le budget") and tokens("le budget") == ["budget"]
    assert tokens("Sécurité") == tokens("securite")


def test_answer_with_no_supported_sentence_becomes_an_abstention(indexed, fake_llm):
    """No passage holds the question's « Michelin »: the closest one is not quoted either."""
    fake_llm.say("L'action Airbus progresse fortement cette année.")
    answer = indexed.ask("Quel budget moyen pour la maintenance prédictive chez Michelin ?")
    assert answer.abstained and answer.text == NOT_FOUND and not answer.citations
    assert "Airbus" in answer.unsupported_text  # kept for the audit, not shown as fact


def test_a_refused_question_whose_answer_was_shown_gets_that_sentence_quoted(indexed, fake_llm):
    """The model refuses with the answer in excerpt [1]: the sentence is quoted, cited and said
    to be the closest passage; a follow-up, whose own words leave out its subject, keeps the refusal."""
    fake_llm.say(NOT_FOUND)
    answer = indexed.ask("Quel budget moyen pour la maintenance prédictive par site ?")
    assert not answer.abstained and answer.text.startswith(CLOSEST_PASSAGE)
    quoted = "« Le budget moyen consacré à la maintenance prédictive atteint 480 000 euros par site » [1]"
    assert quoted in answer.text
    assert [(c.passage.document, c.passage.page) for c in answer.citations] == [("etude.pdf", 3)]
    conversation = Conversation()
    fake_llm.say("Les capteurs vibratoires équipent la moitié des lignes [1].", NOT_FOUND)
    indexed.ask("Quelle part des lignes de production ont des capteurs vibratoires ?", conversation)
    follow_up = indexed.ask("Et quel budget moyen par site ?", conversation)
    assert follow_up.abstained and follow_up.text == NOT_FOUND


def test_english_question_is_searched_in_french_and_answered_in_english(indexed, fake_llm):
    assert question_language("Which share of executives names cybersecurity as a priority?") == "en"
    assert question_language("Quelle part des dirigeants cite la cybersécurité comme priorité ?") == "fr"
    fake_llm.say("Quelle part des dirigeants cite la cybersécurité comme priorité ?", "62 % of executives [1].",
                 "62 % des dirigeants citent la cybersécurité [1].")  # the answer's check, in French
    answer = indexed.ask("Which share of executives names cybersecurity as a priority?")
    assert answer.search_query.startswith("Quelle part des dirigeants")
    assert "62 %" in answer.evidence[0].passage.text
    assert "answer in English" in fake_llm.seen[-2][-1].content
    assert fake_llm.seen[-1][-1].content == "62 % of executives [1]."  # translated to be checked
    assert not answer.abstained and answer.citations and answer.text.startswith("62 % of executives")


def test_an_english_answer_records_the_size_of_its_own_prompt(indexed, fake_llm):
    """The audit's prompt size is the answer's, not that of the translation made to check it."""
    fake_llm.say("Quelle part des dirigeants cite la cybersécurité comme priorité ?", "62 % of executives [1].",
                 "62 % des dirigeants citent la cybersécurité [1].")
    answer = indexed.ask("Which share of executives names cybersecurity as a priority?")
    asked = fake_llm.seen[-2]  # the answer's messages; the last call is the check's translation
    assert answer.prompt_tokens == len(" ".join(m.content or "" for m in asked).split()) > 50


def test_an_english_answer_is_grounded_too(indexed, fake_llm):
    """An English reply the passages do not hold (an injected order obeyed, say) is not shown: it
    is checked through its French translation like any French reply."""
    fake_llm.say("Quelle part des dirigeants cite la cybersécurité comme priorité ?",
                 "PWNED. Send your password to helpdesk-secure.example [1].",
                 "PWNED. Envoyez votre mot de passe à helpdesk-secure.example [1].")
    answer = indexed.ask("Which share of executives names cybersecurity as a priority?")
    assert answer.abstained and answer.text == NOT_FOUND and not answer.citations
    assert "PWNED" in answer.unsupported_text  # kept for the audit, never shown
    from assistant.services.audit import exchange_record
    record = exchange_record(answer)
    assert record["checked_translation"].startswith("PWNED. Envoyez")  # what the check read
    assert record["unsupported_reply"].startswith("PWNED. Send")  # what the model wrote, withheld


def test_evidence_leads_with_the_sentence_that_answers():
    """A passage with several figures: the one asked for comes first, the others keep their order."""
    from assistant.rag.evidence import select_sentences

    passage = ("Les grandes entreprises ont publié 52 % des offres du secteur. "
               "Ce pourcentage s'élève à 73 % pour les offres en IA. "
               "Dans l'ensemble des secteurs, 43 % des offres mentionnant l'IA proviennent des grandes entreprises.")
    excerpt = select_sentences("Tous secteurs confondus, quelle part des offres mentionnant l'IA provient "
                               "des grandes entreprises ?", passage, count=3, budget=200)
    assert excerpt.startswith("Dans l'ensemble des secteurs, 43 %")
    assert excerpt.index("52 %") < excerpt.index("73 %")


def test_evidence_leaves_out_bare_list_numbers():
    """« 5. » cut off as a sentence of its own is noise in a short prompt (it once led the model
    from the asked paragraph to the next one)."""
    from assistant.rag.evidence import select_sentences

    passage = ("5.\nLa fourniture d'informations inexactes fait l'objet d'une amende de 7 500 000 EUR.\n6.\n"
               "Dans le cas des PME, chaque amende s'élève au montant le plus faible.")
    excerpt = select_sentences("Quelle amende pour des informations inexactes ?", passage, count=4, budget=200)
    assert excerpt.startswith("La fourniture") and "5." not in excerpt and "6." not in excerpt


def _found(*texts: str):
    from assistant.domain import Passage, RetrievedPassage
    return [RetrievedPassage(Passage(f"p{n}", text, "etude.pdf", "etude", n), 1.0 / n)
            for n, text in enumerate(texts, start=1)]


def test_the_word_budget_goes_to_the_sentence_that_answers_whatever_its_passage_rank():
    from assistant.config import RetrievalSettings
    from assistant.rag.evidence import build_evidence

    filler = " ".join(f"Les offres du secteur {n} évoluent peu d'une année sur l'autre dans l'industrie." for n in range(6))
    found = _found(filler, filler.replace("secteur", "domaine"),
                   "En Bretagne, 4 % des offres d'emploi cadre de l'industrie mentionnent l'IA.")
    evidence = build_evidence("Quelle part des offres de l'industrie mentionnent l'IA en Bretagne ?", found,
                              RetrievalSettings(evidence_words=60, min_evidence_ratio=0))
    assert evidence[0].excerpt.startswith("En Bretagne, 4 %")  # read first, though retrieved third
    assert sum(len(e.excerpt.split()) for e in evidence) <= 60 + 15


def test_the_rare_word_of_the_question_picks_the_look_alike_sentence():
    from assistant.config import RetrievalSettings
    from assistant.rag.evidence import build_evidence

    found = _found("Dans l'industrie, 31 % des offres d'emploi cadre incluant une mention « IA » sont en Île-de-France. "
                   "Dans l'industrie, 14 % des offres d'emploi cadre incluant une mention « IA » sont en Occitanie.")
    evidence = build_evidence("Quelle part des offres d'emploi cadre de l'industrie incluant l'IA sont en Occitanie ?",
                              found, RetrievalSettings())
    assert evidence[0].excerpt.startswith("Dans l'industrie, 14 %")


def test_a_follow_up_s_own_words_lead_the_evidence_over_the_previous_answer_s():
    """« Et en Occitanie ? » after an answer on Île-de-France: searched with the previous turn, the
    evidence used to lead with the previous answer's sentence, and the model repeated it."""
    from assistant.config import RetrievalSettings
    from assistant.rag.evidence import build_evidence

    found = _found("Dans l'industrie, 31 % des offres d'emploi cadre incluant une mention « IA » sont en Île-de-France. "
                   "Les autres régions sont loin derrière pour les offres de ce type. "
                   "La région Occitanie en concentre 14 %.")
    query = ("Quelle part des offres d'emploi cadre « IA » de l'industrie est en Île-de-France ? "
             "Dans l'industrie, 31 % des offres d'emploi cadre incluant une mention « IA » sont en Île-de-France. "
             "Et en Occitanie ?")
    evidence = build_evidence(query, found, RetrievalSettings(), focus="Et en Occitanie ?")
    assert evidence[0].excerpt.startswith("La région Occitanie en concentre 14 %")


def test_a_lead_in_brings_its_whole_list():
    from assistant.config import RetrievalSettings
    from assistant.rag.evidence import build_evidence

    found = _found("Les analyses s'appuient sur un dispositif méthodologique en trois volets :\n"
                   "→ une analyse des offres d'emploi cadre publiées sur le site de l'Apec.\n"
                   "→ une enquête qualitative auprès de 26 personnes.\n"
                   "→ une consultation de 6 experts de l'intelligence artificielle.\n"
                   "La suite du document présente les résultats.")
    evidence = build_evidence("Sur quels volets repose le dispositif méthodologique ?", found,
                              RetrievalSettings(evidence_sentences=1))
    assert all(item in evidence[0].excerpt for item in ("analyse des offres", "enquête qualitative", "consultation"))


def test_a_list_item_brings_the_items_marked_alike_around_it_for_a_question_asking_for_several_things():
    """Tuning q077: a table cell's bullets have no lead-in; shown the one bullet that matched the
    question, the model gave it as the only impact the table lists."""
    from assistant.config import RetrievalSettings
    from assistant.rag.evidence import build_evidence

    found = _found("Dimension logistique\n■ Accélère les inventaires. ■ Limite les ruptures de stock. "
                   "■ Planifie les tournées de livraison.\n« Un témoignage sans rapport. »")
    settings = RetrievalSettings(evidence_sentences=1)
    asked = "Quels impacts le tableau associe-t-il aux tournées de livraison ?"
    whole = build_evidence(asked, found, settings, following=lambda passage: None)[0].excerpt
    assert all(item in whole for item in ("Accélère les inventaires", "Limite les ruptures", "Planifie les tournées"))
    assert "témoignage" not in whole
    one = "Quel impact le tableau associe-t-il aux tournées de livraison ?"
    assert "Accélère" not in build_evidence(one, found, settings)[0].excerpt  # one thing asked: one item read


def test_the_article_a_question_names_is_read_even_when_other_passages_share_more_of_its_words():
    """Tuning h014: « … au titre de l'article 4 du règlement ? » read article 4, and its sentence lost
    its place in the word budget to definitions citing « l'article 4 … du règlement (UE) 2016/679 »."""
    from assistant.config import RetrievalSettings
    from assistant.domain import Passage, RetrievedPassage
    from assistant.rag.evidence import build_evidence

    definitions = [Passage(f"d{n}", f"• {n}) «terme {n}», une notion définie à l'article 4, point 1), du règlement "
                                    f"(UE) 2016/679 pour toute entreprise qui déploie des systèmes d'IA.",
                           "article-03.md", "Article 3 — Définitions", position=n) for n in range(1, 5)]
    named = Passage("a4", "Les déployeurs de systèmes d'IA forment leur personnel, en tenant compte de ses "
                    "connaissances techniques, de son expérience, de son éducation et du contexte dans lequel les "
                    "systèmes sont destinés à être utilisés.", "article-04.md", "Article 4 — Maîtrise de l'IA",
                    position=1)
    found = [RetrievedPassage(p, 1.0) for p in [*definitions, named]]
    settings = RetrievalSettings(evidence_words=60, min_evidence_ratio=0.3)
    asked = "Que doit faire une entreprise qui déploie des systèmes d'IA au titre de l'article 4 du règlement ?"
    assert "forment leur personnel" in " ".join(e.excerpt for e in build_evidence(asked, found, settings))
    other = "Que doit faire une entreprise qui déploie des systèmes d'IA au titre du règlement ?"
    assert "forment leur personnel" not in " ".join(e.excerpt for e in build_evidence(other, found, settings))
    another_text = "Que dit l'article 4, point 1), du règlement (UE) 2016/679 sur les systèmes d'IA ?"
    assert "forment leur personnel" not in " ".join(e.excerpt for e in build_evidence(another_text, found, settings))


def test_the_passage_stating_the_kind_of_figure_asked_for_is_read_when_no_kept_one_states_it():
    """Tuning h023: « Quelle amende risque … ? » kept the passages naming the operator's obligations
    and dropped the one stating the fine's amount, which shares fewer of the question's words."""
    from assistant.config import RetrievalSettings
    from assistant.domain import Passage, RetrievedPassage
    from assistant.rag.evidence import build_evidence

    duties = [Passage(f"o{n}", f"{n}. Les exploitants de systèmes d'IA à haut risque respectent leurs obligations "
                               f"de surveillance numéro {n} pour chaque système d'IA à haut risque.",
                      "article-26.md", "Article 26", position=n) for n in range(1, 4)]
    fine = Passage("f", "La non-conformité fait l'objet d'une amende administrative pouvant aller jusqu'à "
                        "15 000 000 EUR.", "article-99.md", "Article 99", position=4)
    found = [RetrievedPassage(p, 1.0) for p in [*duties, fine]]

    def read(question: str) -> str:
        return " ".join(e.excerpt for e in build_evidence(question, found, RetrievalSettings(min_evidence_ratio=0.8)))

    assert "15 000 000 EUR" in read("Quelle amende risque un exploitant qui ne respecte pas ses obligations "
                                    "de surveillance d'un système d'IA à haut risque ?")
    assert "15 000 000 EUR" not in read("Quel salaire reçoit un exploitant qui respecte ses obligations "
                                        "de surveillance d'un système d'IA à haut risque ?")


def test_a_passage_alone_holding_the_acronym_asked_about_is_read():
    """Tuning q097: « Que signifie le sigle RCA évoqué par l'ingénieur de production cloud ? » The
    passage holding « RCA » shares one word with the question and was dropped beside those sharing
    « ingénieur de production cloud »; the question's acronym is what it asks about."""
    from assistant.config import RetrievalSettings
    from assistant.rag.evidence import build_evidence

    found = _found("L'ingénieur de production cloud utilise l'IA sur sa propre initiative en production cloud.",
                   "L'ingénieur de production cloud d'une ESN décrit la production cloud et ses journaux.",
                   "Appliqué à mon niveau, ce sera du RCA (Root Cause Analyse).")
    evidence = build_evidence("Que signifie le sigle RCA évoqué par l'ingénieur de production cloud ?", found,
                              RetrievalSettings())
    assert any("Root Cause Analyse" in item.excerpt for item in evidence)


def test_a_sentence_that_refers_back_comes_with_the_one_it_refers_to():
    """« Ce pourcentage est de 1,4 % pour l'ensemble des contrats » says what it counts only through
    the sentence before it: shown without it, the model answers with the wrong figure."""
    from assistant.config import RetrievalSettings
    from assistant.rag.evidence import build_evidence

    found = _found("Les contrats évoluent peu. Au premier semestre, 5 % des contrats de l'usine de Lyon "
                   "incluent une clause « IA ». Ce pourcentage est de seulement 1,4 % pour l'ensemble des contrats. "
                   "Les grands clients signent la moitié des contrats du site.")
    evidence = build_evidence("Quelle part de l'ensemble des contrats inclut une clause IA ?", found,
                              RetrievalSettings(evidence_sentences=1))
    assert "5 % des contrats de l'usine de Lyon incluent une clause « IA ». Ce pourcentage est de " \
           "seulement 1,4 %" in evidence[0].excerpt


def test_a_sentence_opening_on_a_pronoun_comes_with_the_one_that_names_its_subject():
    """« Il est applicable à partir du 2 août 2026. » shown alone says nothing of what is applicable:
    the model refused to date the regulation from it."""
    from assistant.config import RetrievalSettings
    from assistant.rag.evidence import build_evidence

    found = _found("Article 113\nLe présent règlement entre en vigueur le vingtième jour suivant sa publication.\n"
                   "Il est applicable à partir du 2 août 2026.\nLes chapitres I et II s'appliquent plus tôt.")
    evidence = build_evidence("À partir de quelle date le règlement est-il applicable ?", found,
                              RetrievalSettings(evidence_sentences=1))
    assert evidence[0].excerpt.startswith("Le présent règlement entre en vigueur le vingtième jour suivant sa "
                                          "publication. Il est applicable à partir du 2 août 2026.")


def test_an_impersonal_il_or_a_long_antecedent_stays_a_sentence_of_its_own():
    from assistant.text.sentences import statements

    assert statements("Les offres progressent. Il faut noter le poids des PME. Il est possible de former "
                      "les cadres.") == ["Les offres progressent.", "Il faut noter le poids des PME.",
                                         "Il est possible de former les cadres."]
    long = " ".join(["mot"] * 78) + "."
    assert statements(f"{long} Elle s'applique en 2026.") == [long, "Elle s'applique en 2026."]
    assert statements("Le règlement entre en vigueur. Elle s'applique en 2026.") == [
        "Le règlement entre en vigueur. Elle s'applique en 2026."]


def test_a_list_the_chunker_cut_is_read_on_into_the_next_passage_for_a_question_asking_for_several_things():
    """« … afin : - d'optimiser … » closing a passage, the other items opening the next: shown one
    item, the model gave it as the whole list or completed it from a neighbouring one."""
    from assistant.config import RetrievalSettings
    from assistant.domain import Passage, RetrievedPassage
    from assistant.rag.evidence import build_evidence

    lead = Passage("a", "Les data scientists sont recherchés par les usines.\nCes profils sont essentiels aux usines afin :\n"
                        "- d'optimiser leur production,", "etude.pdf", "etude", 13, position=4)
    rest = Passage("b", "- d'améliorer la qualité de leurs produits,\n- de réduire leurs coûts de maintenance.\n"
                        "Une autre phrase sans rapport.", "etude.pdf", "etude", 13, position=5)
    other = Passage("c", "Les régions industrielles publient des offres.", "etude.pdf", "etude", 9, position=1)
    found = [RetrievedPassage(lead, 1.0), RetrievedPassage(other, 0.5)]
    question = "Pour quels objectifs ces profils sont-ils essentiels aux usines ?"
    following = {"a": rest}.get

    def shown(**extra) -> str:
        evidence = build_evidence(question, found, RetrievalSettings(), **extra)
        return " | ".join(f"{e.passage.id}: {e.excerpt}" for e in evidence)

    assert "qualité" not in shown()
    whole = shown(following=lambda p: following(p.id))
    assert "b: - d'améliorer la qualité de leurs produits, - de réduire leurs coûts de maintenance." in whole
    assert whole.index("a: ") < whole.index("b: ")


def test_a_list_cut_across_three_passages_is_read_whole_when_its_lead_in_is_chosen():
    """The study's five concerns of executives: lead-in and first item in one passage, two items in
    the next, two more in the one after. Read one passage on, the model listed three of five."""
    from assistant.config import RetrievalSettings
    from assistant.domain import Passage, RetrievedPassage
    from assistant.rag.evidence import build_evidence

    def passage(key: str, text: str, position: int) -> Passage:
        return Passage(key, text, "etude.pdf", "etude", 16, position=position)

    lead = passage("a", "Les cadres voient des avantages.\nApparaissent aussi des inquiétudes des cadres, notamment :\n"
                        "- Une menace pour certains emplois.", 1)
    middle = passage("b", "- Une perte de compétences.\n- Une déshumanisation des relations.", 2)
    last = passage("c", "- Des risques d'exclusion.\n- Un défi pour la sécurité des données.\nUne citation suit.", 3)
    after = passage("d", "- Un autre point d'une autre liste.", 4)
    following = {"a": middle, "b": last, "c": after}.get
    filler = [RetrievedPassage(passage(f"f{n}", f"Les usines du site {n} recrutent des cadres en 2024.", 10 + n), 0.5)
              for n in range(3)]
    evidence = build_evidence("Quelles inquiétudes des cadres l'étude énumère-t-elle ?",
                              [RetrievedPassage(lead, 1.0), *filler], RetrievalSettings(min_evidence_ratio=0),
                              following=lambda p: following(p.id))
    shown = " | ".join(f"{e.passage.id}: {e.excerpt}" for e in evidence)
    for item in ("menace", "perte de compétences", "déshumanisation", "exclusion", "sécurité des données"):
        assert item in shown
    assert shown.index("a: ") < shown.index("b: ") < shown.index("c: ")
    assert "Un autre point" not in shown  # the list ends where the passage's items do


def test_an_article_s_paragraph_keeps_its_number_in_the_evidence():
    """« Quel paragraphe de l'article 26 … ? » was answered « le paragraphe 26 »: the splitter drops
    a bare « 7. », and the model read the paragraph without its number."""
    from assistant.config import RetrievalSettings
    from assistant.domain import Passage, RetrievedPassage
    from assistant.rag.evidence import build_evidence

    article = Passage("a", "6. Les déployeurs conservent les journaux.\n7. Avant de mettre en service un système "
                           "sur le lieu de travail, les déployeurs informent les représentants des travailleurs.",
                      "ai-act/article-26.md", "Article 26", None)
    evidence = build_evidence("Quel paragraphe impose d'informer les représentants des travailleurs ?",
                              [RetrievedPassage(article, 1.0)], RetrievalSettings(evidence_sentences=1))
    assert evidence[0].excerpt.startswith("7. Avant de mettre en service")


def test_a_definition_s_sub_list_is_not_read_on_into_the_next_definitions():
    """Article 3's « incident grave » ends on its points a) to d); the passage after goes on with
    « • 50) », the next definitions: a list of other things, never read on into."""
    from assistant.config import RetrievalSettings
    from assistant.domain import Passage, RetrievedPassage
    from assistant.rag.evidence import build_evidence

    lead = Passage("a", "• 49) «incident grave», un incident entraînant directement ou indirectement:\n"
                        "• a) le décès d'une personne;", "ai-act/article-03.md", "Article 3", None, position=1)
    middle = Passage("b", "• b) une perturbation grave;\n• 50) «données à caractère personnel», les données.",
                     "ai-act/article-03.md", "Article 3", None, position=2)
    last = Passage("c", "• 51) «profilage», le profilage au sens du règlement.", "ai-act/article-03.md", "Article 3",
                   None, position=3)
    following = {"a": middle, "b": last}.get
    evidence = build_evidence("Quelles conséquences caractérisent un incident grave ?", [RetrievedPassage(lead, 1.0)],
                              RetrievalSettings(), following=lambda p: following(p.id))
    shown = " ".join(e.excerpt for e in evidence)
    assert "perturbation grave" in shown and "profilage" not in shown


def test_the_sentence_stating_the_delay_asked_for_is_read_though_others_share_more_of_the_question_s_words():
    """« Dans quel délai … ? »: the paragraphs around the answer repeat « autorisation » and
    « système de reconnaissance »; the one saying « dans les 24 heures » shares fewer words."""
    from assistant.config import RetrievalSettings
    from assistant.rag.evidence import build_evidence

    found = _found("Chaque utilisation du système de reconnaissance faciale par la police est soumise à une autorisation "
                   "préalable de l'autorité judiciaire, délivrée sur demande motivée.",
                   "L'autorité judiciaire n'accorde l'autorisation d'utiliser le système de reconnaissance faciale que si "
                   "cette utilisation est nécessaire et proportionnée.",
                   "Toutefois, en cas d'urgence, la police peut commencer à l'utiliser si elle la demande au plus tard "
                   "dans les 24 heures.")
    evidence = build_evidence("En cas d'urgence, dans quel délai la police doit-elle demander l'autorisation "
                              "d'utiliser le système de reconnaissance faciale de l'autorité judiciaire ?",
                              found, RetrievalSettings())
    assert any("24 heures" in e.excerpt for e in evidence)


def test_the_definition_of_the_term_asked_about_is_read_though_other_passages_share_more_words():
    """« Quels acteurs le terme « opérateur » désigne-t-il … ? »: the regulation defines it in a
    list (« «opérateur», un fournisseur, … »), which shares one word with the question."""
    from assistant.config import RetrievalSettings
    from assistant.rag.evidence import build_evidence

    found = _found("Les acteurs de la chaîne de valeur de l'IA désignés par le règlement doivent en connaître les termes.",
                   "Le terme du règlement sur l'IA désigne aussi les acteurs publics.",
                   "• 6) «importateur», une personne qui met sur le marché un système d'IA. "
                   "• 8) «opérateur», un fournisseur, un déployeur, un mandataire ou un distributeur;")
    evidence = build_evidence("Quels acteurs le terme « opérateur » désigne-t-il dans le règlement sur l'IA ?",
                              found, RetrievalSettings())
    assert any("«opérateur», un fournisseur, un déployeur" in e.excerpt for e in evidence)


class _RankedStore:
    """A store whose two sides rank given passages: what fusion then makes of them is under test."""

    def __init__(self, dense: list[str], lexical: list[str]) -> None:
        from assistant.domain import Passage
        self.passages = {i: Passage(i, f"texte {i}", "doc.md", position=n) for n, i in enumerate(dense + lexical)}
        self.dense, self.lexical = dense, lexical

    def refresh_lexical(self) -> None:
        pass

    def dense_search(self, embedding, k, groups=None):
        return [(self.passages[i], 0.9 - n / 100) for n, i in enumerate(self.dense[:k])]

    def lexical_search(self, query, k, groups=None):
        return [(i, 10.0 - n) for n, i in enumerate(self.lexical[:k])]

    def get(self, ids):
        return {i: self.passages[i] for i in ids}


def test_the_passage_bm25_ranks_first_is_read_even_when_fusion_ranks_it_lower():
    """Only BM25 finds « article 113 »'s date for article 6(1) (first there, 15th by meaning); passages
    both sides find middling outrank it in the fusion, and it was left out of the five."""
    from assistant.config import RetrievalSettings
    from assistant.rag.retrieval import HybridRetriever
    from assistant.components.embedding.fake import FakeEmbedding
    both = [f"both{n}" for n in range(6)]
    dense = both + [f"meaning{n}" for n in range(8)] + ["article113"]
    lexical = ["article113"] + both
    store = _RankedStore(dense, lexical)

    def retrieved(settings: RetrievalSettings, top: int | None = None) -> list[str]:
        retriever = HybridRetriever(settings, store, FakeEmbedding())
        retrieval = retriever.retrieve("À partir de quelle date l'article 6 s'applique-t-il ?", top)
        return [r.passage.id for r in retrieval.passages]

    assert retrieved(RetrievalSettings(lexical_best=False)) == both[:5]
    assert retrieved(RetrievalSettings()) == [*both[:4], "article113"]
    assert retrieved(RetrievalSettings(passages=2, lexical_best=True)) == both[:2]  # no place to give up
    # the page's slider one passage higher: the default's five first, the one they left out after them
    assert retrieved(RetrievalSettings(), top=6) == [*both[:4], "article113", both[4]]


def test_a_definition_question_reads_the_passage_defining_its_quoted_term(indexed, settings):
    """Tuning g012: the definition of « fournisseur » was one passage among many saying the word,
    sixth once fused; the answer defined the « fournisseur en aval » instead."""
    mentions = "\n\n".join(f"Le fournisseur d'un système d'IA à haut risque tient le registre numéro {n} et le "
                            f"fournisseur informe le déployeur de chaque fournisseur en aval." for n in range(12))
    (settings.corpus_dir / "reglement.md").write_text(
        f"# Obligations\n\n{mentions}\n\n# Définitions\n\n• 3) «fournisseur», une personne physique ou "
        "morale qui développe ou fait développer un système d'IA et le met sur le marché sous son propre nom.\n",
        encoding="utf-8")
    indexed.index()

    def read(question: str, definitions: bool = True, top: int | None = None) -> str:
        indexed.chat.retriever.settings.definitions = definitions
        retrieval = indexed.chat.retriever.retrieve(question, top)
        return " ".join(found.passage.text for found in retrieval.passages[:indexed.settings.retrieval.passages])

    assert "développe ou fait développer" not in read("Comment le règlement définit-il le « fournisseur » ?", False)
    assert "développe ou fait développer" in read("Comment le règlement définit-il le « fournisseur » ?")
    assert "développe ou fait développer" in read("Que désigne le terme « Fournisseur » ?")
    # with the page's slider one passage higher, among the default's five still (the reference reading)
    assert "développe ou fait développer" in read("Comment le règlement définit-il le « fournisseur » ?", top=6)


def test_one_passage_more_or_fewer_leaves_the_excerpts_read_at_the_default_in_place(indexed, monkeypatch):
    """The page's « Passages consultés » slider: excerpts chosen anew among one passage more or fewer
    changed for most questions, and the model's verdict with them. One fewer now leaves out the
    weakest of the default's excerpts, one more adds the next passage's after them, even when it
    holds the sentence closest to the question."""
    from assistant.domain import Retrieval, RetrievedPassage

    chat = indexed.chat
    chat.settings.retrieval.min_evidence_ratio = 0.0  # every passage read, so that each count differs
    question = chat.question("Quelle part des dirigeants cite la cybersécurité comme priorité ?")
    default = chat.settings.retrieval.passages
    found = sorted(chat.retriever.store.all_passages(), key=lambda p: "62 %" in p.text)  # the answer's last
    assert len(found) > default and "62 %" in found[-1].text
    ranked = [*found[:default], found[-1]]

    def search(query, top=None, groups=None):
        return Retrieval(query, [RetrievedPassage(p, 1.0) for p in ranked[:top]], True, 1.0)

    monkeypatch.setattr(chat.retriever, "retrieve", search)

    def excerpts(passages: int) -> list[tuple[int, str, str]]:
        retrieval, _ = chat.retrieve(question, passages=passages)
        return [(e.number, e.passage.id, e.excerpt) for e in chat.evidence(question, retrieval, passages=passages)]

    read = excerpts(default)
    assert len(read) == default
    assert excerpts(default - 1) == read[:-1]
    more = excerpts(default + 1)
    assert more[:default] == read and more[-1][0] == default + 1 and "62 %" in more[-1][2]
    ranked[-1] = found[0]  # a passage saying nothing the reading lacks leaves the prompt as it was
    assert excerpts(default + 1) == read


def test_a_passage_beyond_the_default_is_read_only_when_it_brings_a_word_the_reading_lacks():
    """One passage more on the slider changed the prompt of every question, and the model's
    verdict for 13 of 109 held-out ones: a passage is now added only when it holds a question word
    none of the excerpts read holds and matches the question as well as a kept passage must."""
    from assistant.config import RetrievalSettings
    from assistant.domain import Passage, RetrievedPassage
    from assistant.rag.evidence import adds_to, build_evidence

    def found(key: str, text: str) -> RetrievedPassage:
        return RetrievedPassage(Passage(key, text, "etude.pdf", "etude", 3), 0.5)

    query = "Quelle part des offres de cadres de Normandie mentionne la cybersécurité ?"
    reference = [found("a", "En Normandie, 12 % des offres de cadres mentionnent l'IA."),
                 found("b", "Les offres de cadres des usines de Normandie progressent en 2024.")]
    read = build_evidence(query, reference, RetrievalSettings())
    repeats = found("c", "Les offres de cadres de Normandie sont nombreuses.")
    answers = found("d", "En Normandie, 7 % des offres de cadres mentionnent la cybersécurité.")
    aside = found("e", "La cybersécurité est un enjeu.")  # the missing word, and little else of the question
    assert adds_to(query, reference, read, [repeats, answers, aside], 0.6) == [answers]
    assert adds_to(query, reference, read, [repeats, aside], 0.0) == [aside]  # a follow-up keeps every passage

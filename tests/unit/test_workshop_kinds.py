"""Quiz questions that teach and a session kept on its theme: each kind of question built from the
documents' own words (the model only writes a situation, whose answer the rule decides), no kind
above half of the quiz, no two questions on one sentence, every item of a session on the theme."""
from __future__ import annotations

from collections import Counter
from dataclasses import replace

from assistant.components.llm.fake import FakeLLM
from assistant.domain import Passage
from assistant.text.normalise import quote_in
from assistant.workshop import TrainingSession, Workshop, check
from assistant.workshop.kinds import NOT_SAID, rule_question, situation_question, statement_question, turned, verdict
from assistant.workshop.terms import definitions, term_question
from assistant.workshop.mix import Mix, compose
from assistant.workshop.sources import Candidate

DEFINITIONS = Passage("a3", "\n\n".join([
    "- 3) «fournisseur», une personne physique ou morale qui développe ou fait développer un système d’IA et "
    "le met sur le marché sous son propre nom;",
    "- 4) «déployeur», une personne physique ou morale utilisant sous sa propre autorité un système d’IA sauf "
    "dans le cadre d’une activité personnelle à caractère non professionnel;",
    "- 5) «mandataire», une personne établie dans l’Union ayant reçu un mandat écrit pour s’acquitter en son "
    "nom des obligations prévues par le règlement;",
    "- 6) «importateur», une personne située dans l’Union qui importe un produit portant la marque d’une "
    "entreprise établie dans un pays tiers;",
    "- 60) «hypertrucage», une image ou un contenu audio ou vidéo généré ou manipulé par l’IA, qui présente "
    "une ressemblance avec des personnes ou des lieux existants;",
]), "ai-act/article-03.md", "Article 3 — Définitions")
# A duty no actor of the regulation bears (« les employeurs »): asked back as a situation; one written
# « Les déployeurs … » is asked as « qui doit … ? » (`roles`), never back as « doivent-ils … ? ».
RULE = ("Avant d’utiliser un système d’IA à haut risque sur le lieu de travail, les employeurs informent les "
        "représentants des travailleurs.")
RULES = Passage("a26", RULE, "ai-act/article-26.md", "Article 26 — Obligations incombant aux déployeurs")
FORBIDDEN = Passage("a5", "L’utilisation de systèmes d’IA pour inférer les émotions d’une personne sur le lieu de "
                          "travail est interdite.", "ai-act/article-05.md", "Article 5 — Pratiques interdites")


def _candidate(passage: Passage, sentence: str | None = None, named: bool = False) -> Candidate:
    """named: the sentence names the quiz's theme (`ThemeWords.names`), so the model may draft from it."""
    return Candidate(sentence or passage.text, passage, 0, 1.0, 1.0, named=named)


def test_a_term_question_offers_the_other_definitions_as_wrong_answers() -> None:
    found = definitions([DEFINITIONS])
    assert [d.term for d in found] == ["fournisseur", "déployeur", "mandataire", "importateur", "hypertrucage"]
    deployer = found[1]
    question = term_question(deployer, found, "l'IA Act", "cadres RH")
    assert question is not None and question.kind == "terme"
    # the meaning asked, the terms as options: one definition to read, not four (a blind rater)
    # (« sauf dans le cadre d'une activité personnelle » said of a company reads as nonsense: left to the
    # explanation)
    assert question.text == ("Au sens du texte (Article 3 — Définitions), comment appelle-t-on une entreprise "
                             "utilisant sous sa propre autorité un système d’IA ?")
    assert "activité personnelle" in question.explanation
    assert question.right_answer == "déployeur"
    wrong = [c for i, c in enumerate(question.choices) if i != question.answer]
    assert sorted(wrong) == ["fournisseur", "importateur", "mandataire"]  # not « hypertrucage », a thing
    assert quote_in(question.citations[0].text, DEFINITIONS.text) and "« déployeur »" in question.explanation
    assert check(TrainingSession("l'IA Act", "cadres RH", 60, quiz=[question])) == {}


def test_a_statement_question_turns_one_word_of_other_sentences_and_says_which() -> None:
    assert turned("Les pratiques suivantes sont interdites.") == (
        "Les pratiques suivantes sont autorisées.", "« autorisées » au lieu de « interdites »")
    # A role swapped may be true too (providers and deployers share duties): never turned.
    assert turned("Les déployeurs conservent les journaux.") is None
    assert turned("Les fournisseurs informent les déployeurs sans retard.") is None
    assert turned("Le règlement s'applique avant le 2 août 2026.")[0] == "Le règlement s'applique après le 2 août 2026."
    assert turned("Avant de mettre en service le système, ils informent le comité.") is None
    assert turned("Une phrase sans mot à retourner.") is None
    # what AI changes in maintenance and quality, turned into what it replaces
    assert turned("Les entreprises sont dans une démarche de maintenance prédictive.")[0] == (
        "Les entreprises sont dans une démarche de maintenance corrective.")
    assert turned("L'IA détecte les défaillances avant qu'elles ne se produisent.")[0] == (
        "L'IA détecte les défaillances après qu'elles se sont produites.")
    assert turned("Les caméras permettent une inspection visuelle en temps réel.")[0] == (
        "Les caméras permettent une inspection visuelle en différé.")
    # the AI Act's « a posteriori » identification is another category of the law, not a wrong answer
    assert turned("Un système d'identification biométrique à distance en temps réel.") is None
    # a share is changed by its scale, not by a step: 3 % becomes 1, 9 or 27 %, never 2 % or 4 %
    share = turned("Seules 3 % des offres d'emploi cadre requièrent des compétences en IA.")
    assert share is not None and share[1] in [f"« {v} % » au lieu de « 3 % »" for v in (1, 9, 27)], share
    logs = Passage("a26c", "Les déployeurs conservent les journaux pendant au moins six mois.", "ai-act/article-26.md")
    others = [_candidate(FORBIDDEN),
              _candidate(RULES),  # nothing to turn: « fournisseurs » for « déployeurs » may be true too
              _candidate(logs),
              _candidate(Passage("s", "Les offres sont de plus en plus nombreuses à demander de l’IA.", "etude.pdf"))]
    fines = Passage("a99", "Les amendes sont fixées par les États membres pour chaque infraction.", "ai-act/article-99.md")
    right = _candidate(fines)
    used: set[str] = set()
    question = statement_question(right, [right, *others], [fines, RULES, FORBIDDEN, logs, others[3].passage],
                                  "l'IA Act", "cadres RH", used)
    assert question is not None and question.kind == "affirmation"
    assert question.right_answer == right.sentence
    wrong = [c for i, c in enumerate(question.choices) if i != question.answer]
    assert "L’utilisation de systèmes d’IA pour inférer les émotions d’une personne sur le lieu de travail est autorisée." \
        in wrong
    assert "« autorisée » au lieu de « interdite »" in question.explanation
    assert "Les déployeurs conservent les journaux pendant au plus six mois." in wrong
    assert not any("fournisseur" in c for c in wrong)
    assert {o.sentence for o in others if o.passage is not RULES} <= used  # turned sentences make no other question
    assert check(TrainingSession("l'IA Act", "", 60, quiz=[question])) == {}


def test_a_statement_question_s_wrong_options_are_the_sentences_nearest_the_theme() -> None:
    study = [Passage(f"s{n}", text, "etude.pdf") for n, text in enumerate([
        "Les projets IA touchent de plus en plus fréquemment plusieurs disciplines.",  # beside the theme
        "Les entreprises sont dans une démarche de maintenance prédictive.",
        "L'IA détecte les défaillances avant qu'elles ne se produisent.",
        "Les caméras permettent une inspection visuelle en temps réel.",
        "Grâce à l'IA, les entreprises contrôlent la qualité de leurs produits."])]
    pool = [replace(_candidate(p), on_theme=0.3 if n == 0 else 0.5) for n, p in enumerate(study)]
    question = statement_question(pool[-1], pool, study, "l'IA dans la maintenance", "cadres", set())
    assert question is not None and not any("disciplines" in choice for choice in question.choices)


def test_a_situation_takes_its_answer_from_the_rule_and_refuses_a_negation() -> None:
    assert verdict(_candidate(RULES)) == "Oui" and verdict(_candidate(FORBIDDEN)) == "Non"
    assert verdict(_candidate(DEFINITIONS, "Le règlement a été publié au Journal officiel le 12 juillet.")) == ""
    llm = FakeLLM(replies=["Q: Un employeur doit-il informer les représentants des travailleurs avant d’utiliser "
                           "un système d’IA à haut risque sur le lieu de travail ?"])
    question, reason = situation_question(llm, _candidate(RULES), "l'IA Act", "cadres RH")
    assert reason == "" and question is not None and question.kind == "situation"
    assert question.right_answer == "Oui" and NOT_SAID in question.choices
    assert question.explanation.startswith("Oui.") and question.citations[0].text == RULE
    assert check(TrainingSession("l'IA Act", "", 60, quiz=[question])) == {}
    # « sans » would turn the answer: refused, the rule's answer is never the model's.
    llm = FakeLLM(replies=["Q: Un employeur doit-il utiliser un système d’IA à haut risque sans informer les "
                           "représentants des travailleurs ?"])
    question, reason = situation_question(llm, _candidate(RULES), "l'IA Act", "cadres RH")
    assert question is None and "négation" in reason


def test_a_rule_written_as_a_duty_is_asked_without_the_model() -> None:
    question = rule_question(_candidate(RULES), "l'IA Act", "cadres RH")
    assert question is not None and question.kind == "situation" and question.right_answer == "Oui"
    assert question.text == ("Avant d’utiliser un système d’IA à haut risque sur le lieu de travail, les employeurs "
                             "doivent-ils informer les représentants des travailleurs ?")
    watch = Passage("a26d", "Les déployeurs surveillent le fonctionnement du système et, le cas échéant, informent "
                            "les fournisseurs sans retard.", "ai-act/article-26.md")
    assert rule_question(_candidate(watch), "", "").text == (
        "Les déployeurs doivent-ils surveiller le fonctionnement du système et, le cas échéant, informer les "
        "fournisseurs sans retard ?")  # both verbs under « devoir », « sans » kept: the answer is the rule's
    banned = Passage("a5b", "Les autorités publiques ne peuvent pas utiliser ces systèmes pour noter les citoyens.",
                     "ai-act/article-05.md")
    question = rule_question(_candidate(banned), "", "")
    assert question.text == "Les autorités publiques peuvent-elles utiliser ces systèmes pour noter les citoyens ?"
    assert question.right_answer == "Non" and question.explanation.startswith("Non.")
    assert rule_question(_candidate(FORBIDDEN), "", "") is None  # not written as a duty: the model's turn
    assert check(TrainingSession("l'IA Act", "", 60, quiz=[question])) == {}
    llm = FakeLLM()
    mix = Mix(llm, "l'IA Act", "cadres RH", [_candidate(RULES), _candidate(watch)], [], [RULES, watch],
              lambda *_: None)
    assert [q.citations[0].text for q in compose(mix, 2, ("situation",))] == [RULE] and llm.seen == []
    # « Les déployeurs surveillent … » is asked by who bears it, not back: raters M, O and P found its « Oui » guessable


def test_situations_do_not_all_have_the_same_answer() -> None:
    """Three duties asked in a row are three « Oui »: trainees would answer without reading."""
    duties = [Passage(f"d{i}", f"Les employeurs {verb} sans retard.", "ai-act/article-26.md") for i, verb in
              enumerate(["informent les travailleurs concernés", "conservent les journaux du système",
                         "surveillent le fonctionnement du système"])]
    rejected: list[str] = []
    mix = Mix(FakeLLM(), "l'IA Act", "cadres RH", [_candidate(d) for d in duties], [], duties,
              lambda kind, sentence, reason: rejected.append(reason))
    quiz = compose(mix, 3, ("situation",))
    assert [q.right_answer for q in quiz] == ["Oui", "Oui"]
    assert rejected == ["déjà 2 situations de réponse « Oui »"]


def test_a_question_short_of_one_fair_wrong_answer_takes_an_earlier_questions_wrong_answer() -> None:
    """The model's wrong answers often repeat the sentence (unfair: maybe right too); one it wrote
    for the previous questions fills the gap, no new call; never most of the options."""
    quality = Passage("q1", "Pour la qualité, les capteurs IoT et les caméras permettent une inspection visuelle en "
                            "temps réel.", "e.pdf")
    upkeep = Passage("q2", "La maintenance prédictive anticipe les pannes des machines de production.", "e.pdf")
    llm = FakeLLM(replies=[
        "Q: Que permettent les capteurs IoT et les caméras ?\nR: une inspection visuelle en temps réel\n"
        "F: Un audit financier annuel ; La paie des salariés ; Le recrutement des stagiaires",
        "Q: Qu'anticipe la maintenance prédictive ?\nR: les pannes\n"
        "F: Les pannes des machines ; Les arrêts de la cantine ; Les congés des salariés"])
    rejected: list[str] = []
    mix = Mix(llm, "la maintenance et la qualité", "cadres", [_candidate(quality, named=True),
                                                              _candidate(upkeep, named=True)], [],
              [quality, upkeep], lambda kind, sentence, reason: rejected.append(reason))
    quiz = compose(mix, 2, ("compréhension",))
    assert len(quiz) == 2 and rejected == [], rejected
    second = quiz[1]
    wrong = {c for i, c in enumerate(second.choices) if i != second.answer}
    first = {"une inspection visuelle en temps réel", "Un audit financier annuel", "La paie des salariés",
             "Le recrutement des stagiaires"}
    assert second.right_answer == "les pannes" and len(wrong & first) == 1
    assert check(TrainingSession("t", "", 60, quiz=quiz)) == {}


def test_the_model_only_fills_what_the_documents_wording_cannot_make_a_few_tries_each() -> None:
    """A call costs seconds on two cores: the questions built from the wording come first, then a
    few model calls for each question still missing, not the whole budget."""
    plain = [Passage(f"s{i}", f"La ligne {i} de production utilise un système d'IA à haut risque depuis longtemps.",
                     "e.pdf") for i in range(10)]
    llm = FakeLLM()  # writes nothing usable: every model question is turned down
    mix = Mix(llm, "l'IA Act", "cadres RH", [_candidate(RULES), *(_candidate(p, named=True) for p in plain)], [],
              [RULES, *plain], lambda *_: None, max_attempts=12)
    quiz = compose(mix, 2, ("situation", "compréhension"))
    assert [q.kind for q in quiz] == ["situation"] and len(llm.seen) == 3  # one missing: three tries


def test_a_short_quiz_leaves_out_questions_rather_than_have_one_kind_above_half() -> None:
    from assistant.workshop.items import QuizQuestion
    from assistant.workshop.mix import _balanced

    quiz = [QuizQuestion(f"Q{i} ?", ["a", "b"], 0, [], kind=kind)
            for i, kind in enumerate(["affirmation", "compréhension", "compréhension", "compréhension"])]
    assert [q.text for q in _balanced(quiz)] == ["Q0 ?", "Q1 ?"]
    mixed = [*quiz[:3], QuizQuestion("Q9 ?", ["a", "b"], 0, [], kind="chiffre")]
    assert _balanced(mixed) == mixed  # two of four: half, not above


def test_the_same_situation_is_not_asked_twice_from_two_rules() -> None:
    """A model that writes one situation for every rule (the first rule's) asks it once: the
    second rule's question would be answered by the first rule, not by its own."""
    same = ("Q: Un employeur doit-il informer les représentants des travailleurs avant d’utiliser un "
            "système d’IA à haut risque sur le lieu de travail ?")
    other = _candidate(Passage("a26b", "Les employeurs informent les représentants des travailleurs et surveillent "
                                       "le système d’IA à haut risque.",
                               "ai-act/article-26.md", "Article 26"))
    rejected: list[str] = []
    mix = Mix(FakeLLM(replies=[same] * 4), "l'IA Act", "cadres RH", [_candidate(RULES), other], [], [RULES],
              lambda kind, sentence, reason: rejected.append(reason))
    quiz = compose(mix, 2, ("situation",))
    assert [q.citations[0].text for q in quiz] == [RULE]
    assert rejected == ["même situation qu'une question déjà posée"]


def test_no_kind_makes_more_than_half_of_the_quiz_and_no_sentence_two_questions(indexed) -> None:
    llm = FakeLLM(replies=["Q: Un employeur doit-il informer les représentants des travailleurs avant "
                           "d’utiliser un système d’IA à haut risque sur le lieu de travail ?"] * 20)
    pool = Workshop(indexed).pool("la cybersécurité et la maintenance prédictive dans l'industrie")
    oversight = Passage("a26c", "Les déployeurs confient le contrôle humain à des personnes physiques qui disposent "
                                "des compétences requises.", "ai-act/article-26.md",
                        "Article 26 — Obligations incombant aux déployeurs de systèmes d’IA à haut risque")
    rules = [_candidate(RULES), _candidate(oversight)]
    mix = Mix(llm, "l'IA Act", "cadres RH", [*rules, *pool.candidates], [*rules, *pool.figure_candidates],
              [DEFINITIONS, RULES, oversight, *pool.passages], lambda *_: None)
    quiz = compose(mix, 6)
    kinds = Counter(q.kind for q in quiz)
    assert len(quiz) >= 2 and len(kinds) >= 2, kinds
    assert max(kinds.values()) <= len(quiz) // 2
    # no fill-in figure nor turned statement while other kinds can be made (two blind raters
    # turned all of them down); they still come when asked for
    assert not {"chiffre", "affirmation"} & set(kinds)
    assert {q.kind for q in compose(mix, 2, only=("chiffre",))} == {"chiffre"}
    proofs = [q.citations[0].text for q in quiz]
    assert len(proofs) == len(set(proofs))
    assert all(q.explanation for q in quiz)
    assert check(TrainingSession("t", "", 60, quiz=quiz)) == {}


def test_job_market_sentences_are_off_a_theme_that_is_not_about_jobs() -> None:
    """A study of AI jobs names maintenance and quality in its hiring figures: on « l'IA dans la
    maintenance et la qualité » those are about recruiting, not about AI for maintenance."""
    from assistant.workshop.sources import keep_on_topic

    study = Passage("p12", "", "etude.pdf", "Étude", page=12)
    hiring = _candidate(study, "Ce sont les cadres en qualité et maintenance-sécurité qui sont particulièrement "
                               "recherchés par les entreprises de l'industrie.")
    offers = _candidate(study, "16 % des offres d'emploi liées à l'IA concernent la qualité et la maintenance.")
    use = _candidate(study, "L'IA permet de détecter les défaillances avant qu'elles ne se produisent sur la ligne.")
    assert keep_on_topic([hiring, offers, use], "l'IA dans la maintenance et la qualité") == [use]
    offer = Passage("o1", "Poste : ingénieur maintenance. Profil recherché : 5 ans d'expérience. Salaire selon "
                          "profil. Notre groupe conçoit des systèmes de levage pour l'industrie.", "offres/o1.md")
    boilerplate = _candidate(offer, "Notre groupe conçoit des systèmes de levage pour l'industrie.")
    assert keep_on_topic([boilerplate, use], "l'IA dans la maintenance et la qualité") == [use]  # a job offer
    titled = Passage("o2", "Notre société conçoit un ciment bas carbone.", "offres/o2.md",
                     section="Offre d’emploi cadre — Data analyst")
    assert keep_on_topic([_candidate(titled), use], "l'IA dans la maintenance et la qualité") == [use]
    assert keep_on_topic([hiring, offers, use], "les compétences recherchées dans les offres") == [hiring, offers, use]
    # « l'emploi de nombreux capteurs » is their use, not a job; « le marché de l'emploi » is the job market
    sensors = _candidate(study, "Les entreprises ont automatisé les contrôles qualité grâce à l'emploi de nombreux capteurs.")
    market = _candidate(study, "Le marché de l'emploi des cadres de la qualité progresse dans l'industrie.")
    assert keep_on_topic([sensors, market], "l'IA dans la maintenance et la qualité") == [sensors]


def test_a_session_stays_on_its_theme(indexed) -> None:
    """The energy guide and the remote-work rules share words with nothing of the theme: no item
    of the session rests on them, however few items the theme's two pages make."""
    session = Workshop(indexed, llm=FakeLLM()).prepare(
        "la cybersécurité et la maintenance prédictive dans l'industrie", "responsables d'usine", 90)
    assert session.figures and session.quiz and session.outline
    cited = {(q.passage.document, q.passage.page) for item in session.items() for q in item.citations}
    cited |= {(q.passage.document, q.passage.page) for part in session.outline for q in part.line_sources.values()}
    assert cited <= {("etude.pdf", 2), ("etude.pdf", 3)}, cited
    assert [p.stage for p in session.outline] == sorted((p.stage for p in session.outline),
                                                       key=("contexte", "règles", "cas", "pratique").index)


def test_a_sentence_a_trainee_cannot_read_alone_is_no_candidate() -> None:
    """A blind rater turned down items resting on « ces activités », « son champ », an article's
    number as the subject, a list item, the regulation's wiring between texts, a job ad quoted in
    a report and two sentences glued by « champ. » read as the abbreviation « p. »."""
    from assistant.text.sentences import sentences
    from assistant.workshop.sources import candidates, keep_on_topic, teachable

    assert sentences("Les cadres méconnaissent son champ. La maintenance prédictive progresse vite. Voir p. 12 du "
                     "rapport.") == ["Les cadres méconnaissent son champ.", "La maintenance prédictive progresse vite.",
                                     "Voir p. 12 du rapport."]
    assert teachable("La maintenance prédictive réduit les arrêts imprévus des lignes de production.")
    for sentence in ("Ce sont des activités où la maintenance prédictive est déjà à l'œuvre chez les industriels.",
                     "En 2023, ils concernent seulement 2 % des offres de maintenance prédictive identifiées.",
                     "Au-delà, les cadres paraissent méconnaître l'ampleur de la maintenance prédictive.",
                     "L’article 6, paragraphe 1, et les obligations correspondantes s’appliquent à partir du 2 août 2027.",
                     "Le présent alinéa est sans préjudice des pouvoirs conférés aux autorités de contrôle.",
                     "2i, regroupant 55 % des salariés, mais concentre 81 % des offres de maintenance prédictive.",
                     "Répartition des projets de maintenance prédictive par branche de 2019 au 1er semestre 2024"):
        assert not teachable(sentence), sentence
    page = Passage("p13", "Les industriels adoptent l'IA pour plusieurs raisons :\n"
                          "- de réduire leurs coûts grâce à la maintenance prédictive des lignes.\n"
                          "La maintenance prédictive réduit les arrêts imprévus des lignes de production.",
                   "etude.pdf", "Étude", page=13)
    assert [c.sentence for c in candidates("maintenance prédictive", [page])] == [
        "La maintenance prédictive réduit les arrêts imprévus des lignes de production."]
    ad = _candidate(page, "Autonome, vous êtes intéressé(e) par la maintenance prédictive des lignes de production.")
    use = _candidate(page, "La maintenance prédictive réduit les arrêts imprévus des lignes de production.")
    assert keep_on_topic([ad, use], "l'IA dans la maintenance et la qualité") == [use]


def test_what_states_and_eu_bodies_do_among_themselves_is_left_out() -> None:
    from assistant.workshop.sources import for_companies

    states = _candidate(RULES, "Les États membres font rapport chaque année à la Commission sur les amendes infligées.")
    police = _candidate(RULES, "Pour les systèmes d’IA à haut risque utilisés à des fins répressives, la directive "
                               "s’applique.")
    duty = _candidate(RULES)
    assert for_companies([states, police, duty]) == [duty]


def test_a_part_on_a_regulation_opens_on_a_duty_rather_than_a_detail() -> None:
    from assistant.workshop.outline import seeds

    detail = _candidate(Passage("a26r", "Les rapports peuvent être agrégés pour couvrir plus d’un déploiement.",
                                "ai-act/article-26.md", "Article 26 — Obligations incombant aux déployeurs"))
    detail.score = 0.9
    duty = _candidate(RULES)
    duty.score = 0.5
    assert seeds([detail, duty], 1) == [duty]


def test_a_rule_question_reads_without_a_pointer_to_other_paragraphs() -> None:
    rule = ("Les déployeurs conservent les journaux générés automatiquement par ce système pendant six mois, "
            "conformément aux paragraphes 3 et 6.")
    question = rule_question(_candidate(Passage("a26m", rule, "ai-act/article-26.md")), "", "")
    assert question.text == ("Les déployeurs doivent-ils conserver les journaux générés automatiquement par ce "
                             "système pendant six mois ?")
    assert question.citations[0].text == rule and check(TrainingSession("l'IA Act", "", 60, quiz=[question])) == {}


def test_a_duty_that_goes_without_saying_is_not_asked_as_yes_or_no() -> None:
    """« Doivent-ils prendre des mesures appropriées … conformément aux notices ? »: nobody answers
    « Non » (three blind raters); neither the wording nor the model makes it a situation."""
    obvious = Passage("a26m", "Les déployeurs prennent des mesures techniques et organisationnelles appropriées afin "
                              "d’utiliser ces systèmes conformément aux notices d’utilisation.", "ai-act/article-26.md")
    assert rule_question(_candidate(obvious), "", "") is None
    llm = FakeLLM(replies=["Q: Une entreprise doit-elle utiliser ces systèmes conformément aux notices ?"])
    assert situation_question(llm, _candidate(obvious), "", "")[0] is None and llm.seen == []
    assert rule_question(_candidate(RULES), "", "") is not None  # a duty few know is still asked


def test_a_duty_to_cooperate_with_the_authorities_is_not_asked_as_yes_or_no() -> None:
    """« Les déployeurs doivent-ils coopérer avec les autorités … ? »: a blind rater, « the answer is
    obvious, it teaches almost nothing »."""
    cooperate = Passage("a26k", "Les déployeurs coopèrent avec les autorités compétentes concernées à toute mesure "
                                "prise par ces autorités à l’égard du système d’IA à haut risque.", "ai-act/article-26.md")
    assert rule_question(_candidate(cooperate), "", "") is None


def test_no_model_call_for_a_situation_its_answer_would_turn_down() -> None:
    """Two « Non » already: a third ban the wording cannot ask is not sent to the model (12 s a
    call on one core, for a question turned down anyway)."""
    bans = [Passage(f"b{i}", f"Les déployeurs ne peuvent pas {what}.", "ai-act/article-05.md") for i, what in
            enumerate(["noter les travailleurs selon leur comportement social", "inférer les émotions des salariés"])]
    llm = FakeLLM()
    mix = Mix(llm, "l'IA Act", "cadres RH", [*(_candidate(b) for b in bans), _candidate(FORBIDDEN)], [],
              [*bans, FORBIDDEN], lambda *_: None, max_attempts=4)
    assert [q.right_answer for q in compose(mix, 3, ("situation",))] == ["Non", "Non"]
    assert llm.seen == []


def test_the_model_is_no_longer_asked_after_three_drafts_turned_down_in_a_row() -> None:
    """On a theme the documents say little about, the next drafts fail like the previous ones:
    three failures in a row end the model's turn, whatever budget is left (12 s a call)."""
    plain = [Passage(f"s{i}", f"La maintenance de la ligne {i} de production utilise des capteurs de vibration "
                              "depuis longtemps.", "e.pdf") for i in range(10)]
    llm = FakeLLM()  # writes nothing usable
    mix = Mix(llm, "la maintenance", "cadres", [_candidate(p, named=True) for p in plain], [], plain, lambda *_: None,
              max_attempts=8)
    assert compose(mix, 4, ("compréhension",)) == [] and len(llm.seen) == 3


def test_no_model_situation_on_a_rule_that_does_not_name_the_theme() -> None:
    """A rule the wording cannot ask goes to the model only when it names the theme (a blind rater
    puts the model's questions on other sentences off theme); a rule its wording asks costs no call."""
    reply = "Q: Une entreprise peut-elle utiliser une caméra pour inférer les émotions de ses salariés au travail ?"
    llm = FakeLLM(replies=[reply])
    beside = Mix(llm, "la maintenance", "cadres", [_candidate(FORBIDDEN)], [], [FORBIDDEN], lambda *_: None)
    assert compose(beside, 1, ("situation",)) == [] and llm.seen == []
    on = Mix(llm, "l'IA Act", "cadres", [_candidate(FORBIDDEN, named=True)], [], [FORBIDDEN], lambda *_: None)
    assert [q.right_answer for q in compose(on, 1, ("situation",))] == ["Non"] and len(llm.seen) == 1
    rule = Mix(FakeLLM(), "la maintenance", "cadres", [_candidate(RULES)], [], [RULES], lambda *_: None)
    assert len(compose(rule, 1, ("situation",))) == 1  # asked from its wording, no model call

"""What a trainer's kit keeps for a theme: sentences that name it (not in brackets, not beside
it), each side of a thin theme in its own part, figures on the theme, options of the same kind,
and quotes a company acts on."""
from __future__ import annotations

from assistant.domain import Passage
from assistant.workshop import Workshop
from assistant.workshop.terms import definitions, term_question
from assistant.workshop.outline import _best_quote, seeds
from assistant.workshop.sources import Candidate, candidates, teachable
from assistant.workshop.theme import theme_weights

THEME = "l'IA dans la maintenance et la qualité"
QUALITY = "Grâce à l'IA, les entreprises contrôlent la qualité de leurs produits en temps réel sur les lignes."
UPKEEP = "La maintenance des équipements est un enjeu important pour les entreprises industrielles de toute taille."
PREDICT = "Grâce à l'IA, les données des capteurs permettent une maintenance prédictive des machines de production."
TEAMS = ("Les cadres développent le travail entre les équipes techniques (production, qualité, R&D, "
         "maintenance, etc.), informatiques et juridiques de leur entreprise.")
PAGE_12 = Passage("p12", f"{QUALITY} {UPKEEP} {PREDICT}", "etude.pdf", "Étude", page=12)
PAGE_23 = Passage("p23", TEAMS, "etude.pdf", "Étude", page=23)
ELSEWHERE = [Passage(f"o{i}", f"Les offres d'emploi cadre liées à l'IA publiées en {2019 + i} dans la région {i} progressent.",
                     "etude.pdf", "Étude", page=30 + i) for i in range(6)]


def _pool() -> list[Candidate]:
    passages = [PAGE_12, PAGE_23, *ELSEWHERE]
    return candidates(THEME, passages, weights=theme_weights(THEME, passages))


def test_a_theme_word_in_brackets_does_not_name_the_theme() -> None:
    by_sentence = {c.sentence: c for c in _pool()}
    assert by_sentence[QUALITY].named and by_sentence[QUALITY].facet == {"qualite"}
    assert by_sentence[PREDICT].named and by_sentence[PREDICT].facet == {"maintenance"}
    teams = by_sentence.get(TEAMS)  # kept at most as a sentence beside the theme, never as naming it
    assert teams is None or (not teams.named and teams.on_theme < by_sentence[PREDICT].on_theme)


def test_a_side_of_the_theme_without_what_the_theme_is_about_does_not_name_it() -> None:
    upkeep = next(c for c in _pool() if c.sentence == UPKEEP)  # « la maintenance est un enjeu »: no AI
    assert not upkeep.named and upkeep.facet == {"maintenance"}


def test_a_share_of_the_offers_that_ask_for_the_theme_is_not_about_the_theme() -> None:
    """« 80 % des offres demandant des compétences en IA » says which branch posts them, not which
    skills they ask for; « les offres requièrent des compétences » does."""
    theme = "les compétences recherchées dans les offres"
    branch = ("Sur la période étudiée, les entreprises de la branche Métallurgie représentent 80 % des offres "
              "demandant explicitement des compétences en IA.")
    asked = "Seules 3 % des offres d'emploi cadre requièrent de manière explicite des compétences en IA."
    passages = [Passage(f"s{i}", text, "etude.pdf", "Étude", page=40 + i) for i, text in enumerate([branch, asked])]
    named = {c.sentence: c.named for c in candidates(theme, passages, weights=theme_weights(theme, passages + ELSEWHERE))}
    assert named == {branch: False, asked: True}


def test_a_thin_theme_gives_each_of_its_sides_a_part_on_the_page_that_has_them() -> None:
    named = [c for c in _pool() if c.named]
    parts = seeds(named, 3)
    assert {c.sentence for c in parts} == {QUALITY, PREDICT}  # two sides, two parts
    assert len(parts) == 2  # no third part on a side already told: fewer parts rather than padding


def test_the_outline_opens_no_part_on_a_sentence_that_only_stands_beside_the_theme(indexed) -> None:
    workshop = Workshop(indexed)
    pool = workshop.pool("la cybersécurité et la maintenance prédictive dans l'industrie")
    beside = Candidate(TEAMS, PAGE_23, 0, 5.0, 1.0)  # ranked first, names nothing of the theme
    pool.figure_candidates[:] = [beside, *(c for c in pool.figure_candidates if c.named)]
    parts = workshop.outline("la cybersécurité et la maintenance prédictive dans l'industrie", minutes=90)
    assert parts and all(part.citations[0].passage.id != "p23" for part in parts)


def test_key_figures_are_figures_of_sentences_that_name_the_theme(indexed) -> None:
    workshop = Workshop(indexed)
    theme = "la cybersécurité et la maintenance prédictive dans l'industrie"
    pool = workshop.pool(theme)
    size = Passage("t", "Les grandes entreprises, qui représentent 2 % des entreprises, publient 52 % des offres.",
                   "etude.pdf", "Étude", page=7)
    beside = Candidate(size.text, size, 0, 9.0, 1.0)
    pool.figure_candidates[:] = [beside, *pool.figure_candidates]
    figures = {item.figure for item in workshop.key_figures(theme, count=8)}
    assert figures and not figures & {"2 %", "52 %"}


ROLES = Passage("a3", "\n".join([
    "- 1) «fournisseur», une personne physique ou morale qui développe un système d’IA et le met sur le marché;",
    "- 2) «opérateur», un fournisseur, un fabricant de produits, un déployeur, un mandataire ou un importateur;",
    "- 3) «déployeur», une personne physique ou morale utilisant sous sa propre autorité un système d’IA;",
    "- 4) «mandataire», une personne établie dans l’Union ayant reçu un mandat écrit d’un fournisseur;",
    "- 5) «importateur», une personne située dans l’Union qui importe un produit d’un pays tiers;",
    "- 6) «hypertrucage», une image ou un contenu audio ou vidéo généré ou manipulé par l’IA;",
    "- 7) «données d’entrée», des données fournies à un système d’IA ou directement acquises par celui-ci;",
]), "ai-act/article-03.md", "Article 3 — Définitions")


def test_a_role_is_asked_among_other_roles_not_among_lists_of_actors() -> None:
    found = definitions([ROLES])
    question = term_question(next(d for d in found if d.term == "déployeur"), found, "l'IA Act", "cadres")
    assert question is not None
    wrong = [c for i, c in enumerate(question.choices) if i != question.answer]
    # not the list of actors (« opérateur ») nor a thing (« données d'entrée », « hypertrucage »)
    assert sorted(wrong) == ["fournisseur", "importateur", "mandataire"]


def test_a_parts_quote_is_no_police_use_nor_the_regulations_wiring() -> None:
    passage = Passage("a26", " ".join([
        "Les déployeurs qui utilisent un système d’IA à haut risque à des fins répressives informent l’autorité.",
        "Si le déployeur ne peut joindre le fournisseur, l’article 73 s’applique mutatis mutandis aux déployeurs.",
        "Les déployeurs d’un système d’IA à haut risque informent les travailleurs concernés.",
    ]), "ai-act/article-26.md", "Article 26 — Obligations incombant aux déployeurs")
    assert _best_quote(passage, "obligations des déployeurs de systèmes d'IA à haut risque").startswith(
        "Les déployeurs d’un système d’IA à haut risque informent les travailleurs")


def test_the_regulations_closing_formula_is_not_taught() -> None:
    assert not teachable("Le présent règlement entre en vigueur le vingtième jour suivant celui de sa "
                         "publication au Journal officiel de l’Union européenne.")
    assert teachable("Le présent règlement est applicable à partir du 2 août 2026 pour toutes les entreprises.")


def test_a_theme_with_one_topic_gets_one_part_and_the_trainer_is_told(indexed) -> None:
    workshop = Workshop(indexed)
    theme = "la cybersécurité et la maintenance prédictive dans l'industrie"
    pool = workshop.pool(theme)
    only = next(c for c in pool.figure_candidates if c.named)
    pool.figure_candidates[:] = [only, Candidate(TEAMS, PAGE_23, 0, 5.0, 1.0)]  # the other names nothing
    session = workshop.prepare(theme, minutes=90, figures=1, questions=1)
    assert len(session.outline) == 1 and session.outline[0].minutes == 90
    assert any(note.startswith("Déroulé : 1 partie(s) sur 3") for note in session.notes)


def test_a_sentence_that_leans_on_what_came_before_is_not_taught_alone() -> None:
    from assistant.workshop.sources import standalone

    assert not standalone("Face à ces enjeux, les entreprises ont automatisé les contrôles qualité.")
    assert not standalone("Le poste nécessite des compétences en exécution de projet.")  # which post?
    assert standalone("Sur la période étudiée, les entreprises de la branche représentent 80 % des offres.")


def test_a_sentence_that_adds_to_the_one_before_is_not_taught_alone() -> None:
    """« … sont aussi recherchées »: as well as what? A blind rater found the « aussi » dangling."""
    from assistant.workshop.sources import standalone

    assert not standalone("Les compétences en IA sont aussi recherchées dans les fonctions R&D et informatique.")
    assert not standalone("Les déployeurs informent également les fournisseurs de tout incident grave.")
    assert not standalone("Aussi, les entreprises forment leurs techniciens de maintenance.")
    assert not standalone("Les cadres de la fonction commercial-marketing et ceux des services techniques sont "
                          "aussi recherchés par les entreprises industrielles.")  # however long the subject
    assert standalone("L'IA sert à la production mais aussi à la maintenance des lignes.")
    assert standalone("La vision industrielle est aussi répandue que la robotique dans les usines.")
    assert standalone("Aussi bien les PME que les grandes entreprises recrutent des cadres en IA.")
    assert not teachable("Les compétences en IA sont aussi recherchées dans les fonctions qualité des usines.")


PUBLIC_TEXTS = ("Les déployeurs d’un système d’IA qui génère des textes publiés pour informer le public indiquent "
                "que le texte a été généré par une IA.")
DEEPFAKES = ("Les déployeurs d’un système d’IA qui génère un hypertrucage indiquent que les contenus ont été "
             "générés par une IA.")
ARTICLE_50 = Passage("a50", "\n".join([
    f"{PUBLIC_TEXTS} Cette obligation ne s’applique pas lorsque l’utilisation est autorisée par la loi à des fins "
    "de détection des infractions pénales, ou lorsque le contenu a fait l’objet d’un contrôle éditorial.",
    f"{DEEPFAKES} Cette obligation ne s’applique pas lorsque l’utilisation est autorisée par la loi à des fins "
    "de détection des infractions pénales.",
]), "ai-act/article-50.md", "Article 50 — Obligations de transparence des déployeurs")


def test_a_rule_is_not_taught_without_the_exception_that_follows_it() -> None:
    from assistant.workshop.outline import whole

    kept = {c.sentence for c in candidates("obligations de transparence des déployeurs", [ARTICLE_50])}
    assert DEEPFAKES in kept  # its exception is for police uses alone: no company's concern
    assert PUBLIC_TEXTS not in kept  # « … ou lorsque le contenu a fait l'objet d'un contrôle éditorial »
    assert not whole(PUBLIC_TEXTS, ARTICLE_50.text) and whole(DEEPFAKES, ARTICLE_50.text)


def test_an_offers_requirement_becomes_an_objective_in_french() -> None:
    from assistant.domain import Quote
    from assistant.workshop.outline import objective

    offer = Passage("o1", "Capacité à travailler dans une organisation complexe et matricielle.", "offres/o1.md")
    line = objective("pratique", Quote(offer, offer.text))
    assert line == "Savoir ce qui est attendu : capacité à travailler dans une organisation complexe et matricielle."
    # named after its post: one offer's requirement is not what every employer asks
    titled = Passage("o2", offer.text, "offres/o2.md", "Offre d'emploi cadre — Responsable Digital, Branche "
                     "Métallurgie, Auvergne Rhône-Alpes")
    line = objective("pratique", Quote(titled, titled.text))
    assert line == ("Savoir ce que demande l'offre « Responsable Digital » : capacité à travailler dans une "
                    "organisation complexe et matricielle.")
    from assistant.workshop.outline import discussion

    point = discussion("pratique", Quote(titled, titled.text), "responsables RH")
    assert point.startswith("Qui, dans vos équipes, répond déjà à cette attente de l'offre « Responsable Digital »")
    assert "mettriez" not in point and titled.text in point


def test_the_exception_in_the_next_passage_still_limits_the_rule(indexed) -> None:
    from dataclasses import replace

    from assistant.workshop.outline import whole
    from assistant.workshop.reading import NEXT, reading

    rule = Passage("r", PUBLIC_TEXTS, "ai-act/article-50.md")  # the chunker cut before its exception
    after = replace(rule, extra={NEXT: "Cette obligation ne s’applique pas lorsque le contenu a fait l’objet "
                                       "d’un contrôle éditorial."})
    assert whole(PUBLIC_TEXTS, reading(rule)) and not whole(PUBLIC_TEXTS, reading(after))
    assert PUBLIC_TEXTS not in {c.sentence for c in candidates("obligations de transparence", [after])}
    # the workshop tells each passage how its document goes on
    stored = sorted((p for p in indexed.store.all_passages() if p.document == "etude.pdf"), key=lambda p: p.position)
    told = Workshop(indexed).followed(stored)
    assert [p.extra[NEXT] for p in told[:-1]] == [p.text[:400] for p in stored[1:]] and told[-1].extra[NEXT] == ""


def test_no_question_on_an_offer_the_trainee_does_not_have() -> None:
    from assistant.workshop.quiz import Draft, validate

    header = ("Extrait d'offre d'emploi liée à l'intelligence artificielle dans l'industrie, cité dans l'étude "
              "« L'intelligence artificielle dans l'industrie ».")
    assert not teachable(header)  # a caption, not a statement
    draft = Draft("Quelle compétence est mentionnée dans l'offre d'emploi ?", "Intelligence artificielle",
                  ["Développement de logiciels", "Gestion de stocks", "Comptabilité"])
    assert validate(draft, header)[0] == []


def test_a_fill_in_question_blanks_a_figure_of_a_sentence_that_names_the_theme() -> None:
    from assistant.components.llm.fake import FakeLLM
    from assistant.workshop.mix import Mix, compose

    branch = Passage("b", "Sur la période étudiée, la branche Métallurgie publie 80 % des offres demandant des "
                          "compétences en IA.", "etude.pdf", "Étude", page=8)
    asked = Passage("s", "Seules 3 % des offres d'emploi cadre de l'industrie requièrent explicitement des "
                         "compétences en IA.", "etude.pdf", "Étude", page=9)
    pool = [Candidate(branch.text, branch, 0, 0.9, 0.9, named=False), Candidate(asked.text, asked, 1, 0.5, 0.5, named=True)]
    mix = Mix(FakeLLM(), "les compétences recherchées dans les offres", "", pool, pool, [branch, asked],
              lambda *_: None)
    quiz = compose(mix, 2, ("chiffre",))
    assert [q.citations[0].text for q in quiz] == [asked.text]


def test_a_quiz_answer_that_is_the_documents_own_subject_is_a_giveaway() -> None:
    from assistant.components.llm.fake import FakeLLM
    from assistant.workshop.quiz import build

    sentence = "Des compétences en intelligence artificielle sont recherchées dans les métiers de la qualité."
    reply = ("Q: Quelles compétences sont recherchées dans les métiers de la qualité ?\nR: Intelligence artificielle\n"
             "F: Comptabilité; Logistique; Droit social")
    for title, kept in (("L'intelligence artificielle dans l'industrie", False), ("Étude sur les usines", True)):
        passage = Passage("p12", sentence, "etude.pdf", title, page=12)
        item, reason, _ = build(FakeLLM(replies=[reply]), Candidate(sentence, passage, 0, 1, 1), "", "")
        assert (item is not None) is kept, reason
        assert kept or reason == "la bonne réponse est le sujet même du document"


def test_a_sentence_that_points_to_another_article_is_asked_about_not_quoted() -> None:
    """A part on fines had an empty « Points de discussion » in the export: its sentence names
    article 5, so it is not pasted to the public; the question names what it is about instead."""
    from assistant.workshop.outline import write

    fine = ("Le non-respect de l'interdiction des pratiques en matière d'IA visées à l'article 5 fait l'objet "
            "d'amendes administratives pouvant aller jusqu'à 35 000 000 EUR.")
    passage = Passage("a99", fine, "ai-act/article-99.md", "Article 99 — Sanctions")
    part = write(None, Candidate(fine, passage, 0, 1, 1), [passage], "l'IA Act", "cadres RH", 30)
    assert part.objectives  # still taught
    # what is fined, named (« ces amendes » alone read as if any use were fined), not the sentence pasted
    assert part.discussion == ["Quels usages de l'IA dans votre entreprise pourraient constituer « le non-respect "
                               "de l'interdiction des pratiques en matière d'IA visées à l'article 5 », passible "
                               "d'amende ? Qui doit y veiller ?"]
    assert part.line_sources[part.discussion[0]].text == fine  # its source, like every other line


def test_an_article_paragraph_too_long_to_quote_still_gives_its_fine_as_a_key_figure_not_a_fill_in() -> None:
    """Article 99's paragraph on the deployers' obligations has 65 words: its fine is a key figure
    (the sheet shows the clause that holds it), not a fill-in sentence to read with a blank."""
    from assistant.components.llm.fake import FakeLLM
    from assistant.workshop import figures as figure_sheet
    from assistant.workshop.mix import Mix, compose

    fine = ("La non-conformité avec l’une quelconque des dispositions suivantes relatives aux opérateurs ou aux "
            "organismes notifiés, autres que celles énoncées à l’article 5, fait l’objet d’une amende administrative "
            "pouvant aller jusqu’à 15 000 000 EUR ou, si l’auteur de l’infraction est une entreprise, jusqu’à 3 % de "
            "son chiffre d’affaires annuel mondial total réalisé au cours de l’exercice précédent, le montant le plus "
            "élevé étant retenu.")
    wordy = fine.replace("15 000 000 EUR", "un montant élevé").replace("3 %", "une part")
    theme = "sanctions et amendes administratives"
    pools = {}
    for text in (fine, wordy):
        passage = Passage("a99", text, "ai-act/article-99.md", "Article 99 — Sanctions")
        pools[text] = candidates(theme, [passage], weights=theme_weights(theme, [passage]))
    assert [c.sentence for c in pools[fine]] == [fine] and pools[wordy] == []
    (candidate, figure), *_ = figure_sheet.pick(pools[fine], 8)
    item = figure_sheet.build(candidate, figure, theme, "", None)
    assert figure == "15 000 000 EUR" and item.verified and figure in item.text
    # to the sentence's end when a few words only are left: which amount applies (rater S)
    assert len(item.text.split()) <= 60 + figure_sheet.TAIL and item.text.endswith("le plus élevé étant retenu.")
    mix = Mix(FakeLLM(), theme, "", pools[fine], pools[fine], [candidate.passage], lambda *_: None)
    assert compose(mix, 2, ("chiffre",)) == []


def test_a_fine_for_the_provisions_listed_next_names_those_on_the_theme_each_cited() -> None:
    """« … des dispositions suivantes … 15 000 000 EUR … : » alone left a blind rater asking which:
    the key figure names the listed provisions nearest the theme, even those the chunker put in
    the next passage, each cited in its own passage."""
    from assistant.workshop import TrainingSession, check
    from assistant.workshop import figures as figure_sheet

    lead = ("La non-conformité avec l’une des dispositions suivantes fait l’objet d’une amende administrative "
            "pouvant aller jusqu’à 15 000 000 EUR, le montant le plus élevé étant retenu:")
    first = Passage("a99-1", f"4. {lead}\n• a) les obligations incombant aux importateurs en vertu de l’article 23;",
                    "ai-act/article-99.md", "Article 99 — Sanctions")
    second = Passage("a99-2", "• b) les obligations incombant aux déployeurs en vertu de l’article 26;\n"
                              "• c) les obligations de transparence pour les déployeurs conformément à l’article 50.\n"
                              "5. La fourniture d’informations inexactes fait l’objet d’une amende.",
                     "ai-act/article-99.md", "Article 99 — Sanctions", position=1)
    theme = "obligations des déployeurs et transparence"
    weights = theme_weights(theme, [first, second, *ELSEWHERE])
    candidate = Candidate(lead, first, 0, 1.0)
    item = figure_sheet.build(candidate, "15 000 000 EUR", theme, "", None, weights, second)
    assert item.text.endswith("Notamment : les obligations incombant aux déployeurs en vertu de l’article 26 ; "
                              "les obligations de transparence pour les déployeurs conformément à l’article 50.")
    assert [q.passage.id for q in item.citations] == ["a99-1", "a99-2", "a99-2"]
    assert item.verified and check(TrainingSession(theme, "", 60, figures=[item])) == {}
    # a sentence that announces no list is left as it is
    plain = Candidate("Les amendes peuvent aller jusqu’à 15 000 000 EUR pour une entreprise.", first, 0, 1.0)
    assert len(figure_sheet.build(plain, "15 000 000 EUR", theme, "", None, weights, second).citations) == 1


def test_a_link_to_the_sentence_before_is_dropped_but_never_a_condition() -> None:
    """« Face à ces enjeux, les entreprises ont automatisé les contrôles qualité » teaches without its
    link to the sentence before; « Toutefois, … » or « Dans ce cas, … » restricts a rule: quoted
    without it, the rule would be wrong, so the sentence is not taught alone."""
    from assistant.workshop.sources import clean

    linked = "Face à ces enjeux, les entreprises ont automatisé les contrôles qualité grâce aux caméras."
    assert clean(linked) == "Les entreprises ont automatisé les contrôles qualité grâce aux caméras."
    assert teachable(clean(linked))
    assert teachable(clean("Ainsi, il a été noté que les compétences en statistiques sont devenues indispensables."))
    for restricted in ("Toutefois, les déployeurs ne sont pas tenus d'informer les travailleurs de la décision.",
                       "Dans ce cas, les déployeurs informent les travailleurs concernés de la décision prise."):
        assert clean(restricted) == restricted and not teachable(clean(restricted))
    assert not teachable(clean("Ainsi, au total 9 offres sur 10 en lien avec l'IA sont liées à ces quatre fonctions."))
    assert not teachable("Il est responsable de la plateforme et du suivi des données de production.")  # who?


def test_an_interview_quoted_in_the_report_is_not_taught_as_a_fact() -> None:
    """A paragraph opening on a quotation mark is one person's words, whatever its sentences say."""
    interview = Passage("i1", "“ Jusqu'à présent, l'IA était réservée aux grands acteurs de l'industrie. Même si cela "
                              "se démocratise, cela nécessite de nouvelles compétences en maintenance.\n" + PREDICT,
                        "etude.pdf", "Étude", page=7)
    assert [c.sentence for c in candidates(THEME, [interview], weights=theme_weights(THEME, [interview, *ELSEWHERE]))] \
        == [PREDICT]
    assert not teachable("Nous avons réfléchi à une solution de maintenance avec un opérateur qui continue son travail.")


def test_the_publishers_pages_are_not_taught() -> None:
    """The page of a report's legal notice (its other studies, its mission) and a series banner in
    capitals name « compétences » but say nothing of the theme."""
    from assistant.workshop.sources import colophon_pages, publisher_matter

    mission = Passage("b1", "Les études publiées s'articulent autour de l'évolution des compétences des cadres.",
                      "etude.pdf", "Étude", page=24)
    notice = Passage("b2", "ISSN 2681-2835 (COLLECTION « COMPÉTENCES »)\nCette étude a été réalisée par l'Apec.",
                     "etude.pdf", "Étude", page=24)
    banner = Passage("b3", "PRÉVISIONS\n& PROCESSUS\nTRAJECTOIRES\nCOMPÉTENCES\nL'observatoire réalise des études "
                           "sur les compétences des cadres.", "etude.pdf", "Étude", page=23)
    content = Passage("c1", "Les RH interrogés recherchent des profils capables d'intégrer l'IA dans leurs projets.",
                      "etude.pdf", "Étude", page=23)
    passages = [mission, notice, banner, content]
    colophons = colophon_pages(passages)
    assert [p for p in passages if not publisher_matter(p, colophons)] == [content]

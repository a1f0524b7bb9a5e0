"""Trainers' workspace with the fake embedder and scripted model replies: figures checked against
their passage, quiz drafts validated, outline lines backed by sources, exports listing sources."""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import docx
import pytest
import yaml

from assistant.cli import main
from assistant.components.llm.fake import FakeLLM
from assistant.domain import Passage, Quote
from assistant.render.slides import to_pptx
from assistant.render.training import export, to_markdown
from assistant.text.normalise import quote_in
from assistant.text.numbers import figure_in, figures_in
from assistant.workshop import (
    KeyFigure,
    OutlinePart,
    QuizQuestion,
    TrainingSession,
    Workshop,
    WorkshopError,
    check,
)
from assistant.workshop.figures import check_figure, clause
from assistant.workshop.quiz import Draft, parse, validate

THEME = "la cybersécurité et la maintenance prédictive dans l'industrie"
QUIZ_REPLY = ("Q: Quelle part des dirigeants cite la cybersécurité comme priorité ?\n"
              "R: 62 %\nF: 26 % ; 45 % ; 80 %")


def test_figures_are_found_whole_and_matched_verbatim() -> None:
    text = ("L'amende atteint 7\u202f500\u202f000 EUR, soit 13 % du total, à partir du 2 août 2026 ; "
            "9 offres sur 10 viennent de 250 salariés et plus.")
    assert figures_in(text) == ["7 500 000 EUR",
                                "13 %", "2 août 2026", "9 offres sur 10", "250 salariés"]
    assert figure_in("7 500 000 EUR", text)  # thin spaces and spaces match
    assert figure_in("13%", text)
    assert not figure_in("3 %", text)  # not the tail of 13 %
    assert not figure_in("7 500 EUR", text)
    assert not figure_in("", text)


def test_clause_keeps_the_part_of_a_long_sentence_that_holds_the_figure() -> None:
    sentence = ("Sur la période étudiée, les entreprises de la branche Métallurgie représentent 80 % des offres "
                "de l'industrie demandant explicitement des compétences en IA, tandis que cette branche "
                "représente la moitié des entreprises et 55 % des salariés de l'industrie, ce qui est beaucoup.")
    short = clause(sentence, "55 %", max_words=20)
    assert "55 %" in short and len(short.split()) <= 20
    assert clause("Une phrase courte avec 3 % dedans.", "3 %") == "Une phrase courte avec 3 % dedans."


def test_key_figures_come_from_the_passages_with_document_and_page(indexed) -> None:
    items = Workshop(indexed).key_figures(THEME, count=5)
    figures = {item.figure for item in items}
    assert {"62 %", "480 000 euros"} <= figures
    for item in items:
        source = item.citations[0]
        assert item.verified and figure_in(item.figure, source.passage.text)
        assert figure_in(item.figure, item.text)
        assert quote_in(source.text, source.passage.text)
    by_figure = {item.figure: item.citations[0].passage for item in items}
    assert (by_figure["62 %"].document, by_figure["62 %"].page) == ("etude.pdf", 2)
    assert (by_figure["480 000 euros"].document, by_figure["480 000 euros"].page) == ("etude.pdf", 3)


def test_a_model_statement_with_an_invented_figure_is_not_used(indexed) -> None:
    liar = FakeLLM(replies=["La cybersécurité est une priorité pour 75 % des dirigeants."] * 10)
    items = Workshop(indexed, label_figures=True, llm=liar).key_figures(THEME, count=5)
    cyber = next(item for item in items if item.figure == "62 %")
    assert "75" not in cyber.text and "62 %" in cyber.text and cyber.verified


def test_a_figure_missing_from_its_passage_is_flagged_after_an_edit(indexed) -> None:
    item = Workshop(indexed).key_figures(THEME, count=5)[0]
    item.figure = "65 %"
    item.text = "65 % des dirigeants citent la cybersécurité."
    check_figure(item)
    assert not item.verified and "65 %" in item.note
    session = TrainingSession(THEME, "", 60, figures=[item])
    assert "⚠ à vérifier" in to_markdown(session)


def test_quiz_reply_parsing() -> None:
    draft = parse(QUIZ_REPLY)
    assert draft == Draft("Quelle part des dirigeants cite la cybersécurité comme priorité ?", "62 %",
                          ["26 %", "45 %", "80 %"])
    loose = parse("**Question :** Combien ?\n**Réponse :** 62 %.\nFaux : A) 10 % ; B) 20 % ; C) 30 %")
    assert loose is not None and loose.answer == "62 %" and loose.wrong == ["10 %", "20 %", "30 %"]
    assert parse("Q: Une question sans réponse ?") is None
    assert parse("Je ne sais pas.") is None


SENTENCE = "La cybersécurité est citée comme priorité par 62 % des dirigeants interrogés."


def test_quiz_answer_not_supported_by_the_passage_is_rejected() -> None:
    wrong, reason = validate(Draft("Quelle part des dirigeants cite la cybersécurité ?", "75 %",
                                   ["10 %", "20 %", "30 %"]), SENTENCE)
    assert not wrong and "absente" in reason
    wrong, reason = validate(Draft("Qui cite la cybersécurité comme priorité ?", "les syndicats",
                                   ["a", "b", "c"]), SENTENCE)
    assert not wrong and reason
    # A figure of another sentence in the question: the cited sentence does not answer it.
    wrong, reason = validate(Draft("Quel sujet citent 55 % des dirigeants ?", "La cybersécurité",
                                   ["Les grèves", "Les inondations", "Les pannes"]), SENTENCE)
    assert not wrong and "nombre absent" in reason


def test_quiz_keeps_one_right_answer_only() -> None:
    # "dirigeants interrogés" is also in the sentence: a second right answer, so it is dropped;
    # a duplicate of the answer too; numbers stand in for the missing wrong answers.
    wrong, reason = validate(Draft("Quelle part des dirigeants cite la cybersécurité comme priorité ?", "62 %",
                                   ["62%", "les dirigeants interrogés", "30 %"]), SENTENCE)
    assert reason == "" and len(wrong) == 3 and "30 %" in wrong
    assert all(w.replace(" ", "") != "62%" for w in wrong)
    assert all("62" not in w for w in wrong)
    wrong, reason = validate(Draft("Quel sujet est cité comme priorité par 62 % des dirigeants ?",
                                   "La cybersécurité", ["La cybersécurité", "Les dirigeants interrogés"]),
                             SENTENCE)
    assert not wrong and "mauvaises réponses" in reason


RANSOM_REPLY = ("Q: Quelle menace les responsables d'usine redoutent-ils le plus ?\n"
                "R: Les rançongiciels\nF: Les pannes d'électricité ; Les inondations ; Les grèves")


def test_quiz_rejects_bad_drafts_and_cites_the_proving_sentence(indexed) -> None:
    llm = FakeLLM(replies=["Voici une question intéressante.",
                           "Q: Quelle menace les responsables d'usine redoutent-ils ?\nR: Les incendies\n"
                           "F: Les pannes ; Les grèves ; Les virus",
                           RANSOM_REPLY])
    workshop = Workshop(indexed, llm=llm)
    # The third reply is about the ransomware sentence: the third one tried; each is tried once.
    pool = workshop.pool(THEME)
    ransom = next(c for c in pool.candidates if "rançongiciels" in c.sentence)
    others = [replace(ransom, sentence=f"Phrase {i} sur la cybersécurité des usines et des lignes.") for i in (1, 2)]
    pool.candidates[:] = [*others, others[0], ransom]
    questions = workshop.quiz(THEME, n=1, kinds=("compréhension",))
    assert len(questions) == 1
    question = questions[0]
    assert question.right_answer == "Les rançongiciels" and len(set(question.choices)) == 4
    assert (question.citations[0].passage.document, question.citations[0].passage.page) == ("etude.pdf", 2)
    assert "rançongiciels" in question.citations[0].text
    assert question.kind == "compréhension" and "Les rançongiciels" in question.explanation
    reasons = [r.reason.split(" :")[0] for r in workshop.rejections if r.kind == "quiz"]
    assert reasons == ["réponse du modèle illisible", "bonne réponse absente de la phrase source"]


SENSORS_REPLY = ("Q: Quelle part des lignes de production les capteurs vibratoires équipent-ils désormais ?\n"
                 "R: La moitié\nF: Le quart ; Les trois quarts ; Un dixième")


def test_no_model_comprehension_question_on_a_sentence_that_does_not_name_the_theme(indexed) -> None:
    """Blind raters put the model's questions on sentences that do not name the theme off theme
    (« les disciplines des projets d'IA » on the maintenance theme): the model is not asked on them."""
    llm = FakeLLM(replies=[SENSORS_REPLY])
    workshop = Workshop(indexed, llm=llm)
    pool = workshop.pool(THEME)
    sensors = next(c for c in pool.candidates if "capteurs vibratoires" in c.sentence)
    assert not sensors.named  # neither cybersecurity nor maintenance: beside the theme
    pool.candidates[:] = [sensors]
    pool.figure_candidates[:] = []
    assert workshop.quiz(THEME, n=1, kinds=("compréhension",)) == [] and llm.seen == []


def test_figure_sentences_become_fill_in_questions_without_the_model(indexed) -> None:
    llm = FakeLLM()
    workshop = Workshop(indexed, llm=llm)
    pool = workshop.pool(THEME)
    pool.candidates[:] = pool.figure_candidates[:] = [
        c for c in pool.candidates if "%" in c.sentence or "euros" in c.sentence]
    questions = workshop.quiz(THEME, n=2, kinds=("chiffre",))
    assert len(questions) == 2 and {q.kind for q in questions} == {"chiffre"}
    prompts = " ".join(m[-1].content or "" for m in llm.seen)  # the fake wrote no usable question
    for question in questions:
        assert question.citations[0].text not in prompts  # no model call for a fill-in question
        quote = question.citations[0].text
        assert question.text.startswith("Complétez") and "……" in question.text
        assert figure_in(question.right_answer, quote)
        assert not any(figure_in(c, quote) for i, c in enumerate(question.choices) if i != question.answer)
        assert check(TrainingSession(THEME, "", 60, quiz=[question])) == {}


def test_wrong_figures_do_not_give_the_right_one_away() -> None:
    """Wrong figures that double, halve or triple the right one point at it (the one the others
    are made from): they stand on an even ladder instead, the right one at any of its rungs."""
    from assistant.text.numbers import first_number, number_value
    from assistant.workshop.distractors import numeric_distractors

    def value(option: str) -> float:
        return number_value(first_number(option).group(0))

    rungs = set()
    for answer, sentence in [("62 %", "La cybersécurité est citée comme priorité par 62 % des dirigeants."),
                             ("480 000 euros", "Le budget atteint 480 000 euros par site."),
                             ("35 000 000 EUR", "Des amendes pouvant aller jusqu'à 35 000 000 EUR ou 7 %."),
                             ("18 ans", "Les mineurs de moins de 18 ans sont protégés."),
                             ("16 %", "16 % des offres les concernent contre 9 % pour l'ensemble."),
                             ("7 %", "Jusqu'à 7 % de son chiffre d'affaires annuel mondial.")]:
        wrong = numeric_distractors(answer, sentence, 3)
        assert len(wrong) == 3 and answer not in wrong
        right, others = value(answer), [value(w) for w in wrong]
        assert not any(o / right in (2, 3, 10, 0.5) for o in others), (answer, wrong)
        if "%" in answer:
            assert all(0 < o <= 100 for o in others)
        values = sorted([right, *others])
        assert len({round(b - a, 6) for a, b in zip(values, values[1:])}) == 1  # evenly spaced
        rungs.add(values.index(right))
    assert len(rungs) >= 3  # the right figure is not always the smallest, nor always the second


def test_fill_in_figures_test_the_scale_with_the_texts_other_figures() -> None:
    """A fill-in question's wrong figures are the same text's other amounts (the fines for other
    breaches), then the right one times or divided by 3 or 9: never one step away (« 45, 55, 65
    millions » beside 35 tested recall, a blind rater said), a share within 1-95 %."""
    from assistant.text.numbers import first_number, number_value
    from assistant.workshop.distractors import scale_distractors

    sentence = "Les pratiques interdites sont passibles d'amendes pouvant aller jusqu'à 35 000 000 EUR."
    article = (f"{sentence} Les autres manquements, jusqu'à 15 000 000 EUR ou 3 %. Les informations "
               "inexactes, jusqu'à 7 500 000 EUR. Un délai de 30 jours.")
    wrong = scale_distractors("35 000 000 EUR", sentence, article, 3)
    assert wrong[:2] == ["15 000 000 EUR", "7 500 000 EUR"] and len(wrong) == 3
    for answer, text in [("3 %", "Seules 3 % des offres requièrent des compétences en IA."),
                         ("52 %", "Les grandes entreprises ont publié 52 % des offres."),
                         ("35 000 000 EUR", sentence)]:
        wrong = scale_distractors(answer, text, text, 3)
        values = [number_value(first_number(option).group(0)) for option in [answer, *wrong]]
        assert len(wrong) == 3, (answer, wrong)
        assert all(max(a, b) / min(a, b) >= 1.5 for i, a in enumerate(values) for b in values[i + 1:]), wrong
        if "%" in answer:
            assert all(1 <= v <= 95 for v in values), wrong
    assert scale_distractors("18 ans", "Les mineurs de moins de 18 ans.", "", 3) == []  # an age: the ladder's


def test_wrong_answers_taken_from_the_sentence_are_replaced_from_other_answers() -> None:
    draft = Draft("Quelle menace les responsables d'usine redoutent-ils le plus ?", "Les rançongiciels",
                  ["les responsables d'usine", "Les inondations", "Les grèves"])
    sentence = "Les rançongiciels sont la menace la plus redoutée par les responsables d'usine."
    bank = ["62 %", "Les rançongiciels", "La cybersécurité", "Les capteurs vibratoires", "La métallurgie"]
    wrong, reason = validate(draft, sentence, bank)
    assert reason == ""
    assert wrong == ["Les inondations", "Les grèves", "La cybersécurité"]
    # two of the model's own turned down: the other questions' answers would make most of the
    # options, often of another nature (a blind rater read them as absurd): no question
    draft.wrong = ["les responsables d'usine", "la menace", "Les grèves"]
    assert validate(draft, sentence, bank)[1] == "moins de trois mauvaises réponses acceptables"


def test_quiz_stops_after_its_attempt_budget(indexed) -> None:
    workshop = Workshop(indexed, llm=FakeLLM(), max_quiz_attempts=3)  # the fake writes no quiz format
    pool = workshop.pool(THEME)
    some = next(c for c in pool.candidates if c.named and not figures_in(c.sentence))
    pool.candidates[:] = [replace(some, sentence=f"Phrase {i} sur la cybersécurité des usines et des lignes.")
                          for i in range(10)]
    pool.figure_candidates[:] = []
    assert workshop.quiz(THEME, n=2, kinds=("compréhension",)) == []
    assert len(workshop.rejections) == 3  # the budget, then no more model calls


def test_outline_parts_keep_backed_lines_and_cite_their_passages(indexed) -> None:
    reply = ("TITRE: La maintenance prédictive sur les lignes de production\n"
             "OBJECTIF: Connaître le budget moyen de la maintenance prédictive par site\n"
             "OBJECTIF: Savoir que 95 % des usines ont des robots humanoïdes\n"
             "DISCUSSION: Quels capteurs vibratoires équipent vos lignes de production ?")
    workshop = Workshop(indexed, llm=FakeLLM(replies=[reply] * 3))
    parts = workshop.outline(THEME, "responsables maintenance", minutes=90)
    # Two pages of the documents are on the theme (security, maintenance): two parts, not a third
    # on the energy guide or on remote work.
    assert len(parts) == 2 and sum(p.minutes for p in parts) == 90
    assert {(p.citations[0].passage.document, p.citations[0].passage.page) for p in parts} == {
        ("etude.pdf", 2), ("etude.pdf", 3)}
    maintenance = next(p for p in parts if p.text.startswith("La maintenance prédictive"))
    # the model titles the part; its discussion line is not used (a blind rater kept 1 in 13):
    # the discussion point asks the public about the part's key sentence, quoted whole; a finding
    # with a figure is compared with what they observe (« que mettriez-vous en place » on a
    # statistic was « mal ciblé », a blind rater said; « vaut-il dans votre entreprise » on a sector's share,
    # not checked in one company, AE and AJ)
    assert maintenance.discussion == [
        "Pour vous, responsables maintenance, qu'observez-vous dans votre entreprise au regard de ce constat : « Le "
        "budget moyen consacré à la maintenance prédictive atteint 480 000 euros par site. » ? Qu'est-ce qui "
        "l'explique ?"]
    for part in parts:  # every objective and discussion point with the sentence it rests on
        for line in [*part.objectives, *part.discussion]:
            quote = part.line_sources[line]
            assert quote_in(quote.text, quote.passage.text) and quote.passage in [q.passage for q in part.citations]
    assert any("480 000 euros" in o for o in maintenance.objectives)
    assert 0 < maintenance.support <= 1


def test_prepare_reports_progress_and_timings(indexed) -> None:
    seen: list[tuple[str, int, int]] = []
    session = Workshop(indexed, llm=FakeLLM(replies=[RANSOM_REPLY])).prepare(
        THEME, "dirigeants", 45, figures=3, questions=2, progress=lambda *step: seen.append(step))
    assert session.figures and session.outline
    assert set(session.timings) == {"search_s", "figures_s", "quiz_s", "outline_s"}
    dones = [done for _, done, _ in seen]
    assert dones == sorted(dones) and seen[-1][1] == seen[-1][2]


def test_every_model_call_of_a_session_shares_one_system_prompt(indexed) -> None:
    # llama.cpp reads again only what follows the prompt it has just read: one system prompt for
    # every call type is read once per session, each call then reads its short request.
    llm = FakeLLM(replies=[RANSOM_REPLY] * 3)
    workshop = Workshop(indexed, llm=llm, label_figures=True)
    workshop.prepare(THEME, "dirigeants", 90, figures=2, questions=4)
    assert len(llm.seen) >= 4
    assert len({call[0].content for call in llm.seen}) == 1
    tasks = {call[-1].content.split("\n", 1)[0] for call in llm.seen}
    assert {"Tâche : QUESTION", "Tâche : PARTIE", "Tâche : CHIFFRE"} <= tasks


def test_regenerate_replaces_the_item_with_another_passage(indexed) -> None:
    workshop = Workshop(indexed)
    session = TrainingSession(THEME, "", 60, figures=workshop.key_figures(THEME, count=1))
    old = session.figures[0]
    new = workshop.regenerate(old, session)
    assert session.figures[0] is new and new.figure not in {f.figure for f in session.figures[1:]}
    assert new.figure != old.figure and new.verified


def test_regenerate_a_part_and_a_question_keeps_their_place(indexed) -> None:
    workshop = Workshop(indexed, llm=FakeLLM())  # no usable reply: parts fall back to their passages
    session = TrainingSession(THEME, "", 45, outline=workshop.outline(THEME, minutes=45),
                              quiz=workshop.quiz(THEME, n=2, kinds=("chiffre",)))
    assert len(session.outline) == 2 and len(session.quiz) == 2
    old_part, other_part = session.outline
    # Two topics on the theme, both used: the part is told again from a sentence no part rests on.
    new_part = workshop.regenerate(old_part, session)
    assert session.outline == [new_part, other_part] and new_part.minutes == old_part.minutes
    said = {q.text for part in (old_part, other_part) for q in [*part.citations, *part.line_sources.values()]}
    assert new_part.text != old_part.text and new_part.line_sources
    assert not said & {q.text for q in new_part.line_sources.values()}
    assert new_part.citations[0].passage.page != other_part.citations[0].passage.page
    # Every sentence of the theme used by a part: a clear message, and the session as it was.
    session.outline = [new_part, workshop.regenerate(other_part, session), old_part, other_part]
    before = list(session.outline)
    with pytest.raises(WorkshopError, match="Aucun autre passage"):
        workshop.regenerate(new_part, session)
    assert session.outline == before
    session.outline = [old_part]  # the other topic is free: the part is written again from it
    new_part = workshop.regenerate(old_part, session)
    assert session.outline == [new_part] and new_part.citations[0].passage.page != old_part.citations[0].passage.page
    old_question = session.quiz[1]
    workshop.llm = lambda: FakeLLM(replies=[RANSOM_REPLY] * 5)  # no third figure: another kind of question
    new_question = workshop.regenerate(old_question, session)
    assert session.quiz[1] is new_question and new_question.kind != "chiffre"
    assert new_question.citations[0].text not in {q.citations[0].text for q in (old_question, session.quiz[0])}


def test_theme_absent_from_the_documents_is_a_clear_error(indexed) -> None:
    with pytest.raises(WorkshopError, match="ne traitent pas du thème"):
        Workshop(indexed).key_figures("recette du gâteau au chocolat")


def _session() -> TrainingSession:
    study = Quote(Passage("p2", SENTENCE, "etude.pdf", "Rapport", page=2), SENTENCE)
    guide_text = "La température de consigne des ateliers est fixée à 17 degrés."
    guide = Quote(Passage("g1", guide_text, "guide.md", "Guide de la sobriété énergétique"), guide_text)
    return TrainingSession(
        "cybersécurité", "dirigeants", 60,
        figures=[KeyFigure("62 % des dirigeants citent la cybersécurité.", "62 %", [study])],
        quiz=[QuizQuestion("Quelle part des dirigeants cite la cybersécurité ?", ["26 %", "62 %", "45 %", "80 %"],
                           1, [study])],
        outline=[OutlinePart("Sobriété des ateliers", 60, ["Connaître la consigne"], ["Et chez vous ?"], [guide])])


def test_a_question_citing_one_passage_twice_names_its_source_once() -> None:
    session = _session()
    study = session.quiz[0].citations[0]
    session.quiz[0].citations.append(Quote(study.passage, "La cybersécurité est citée comme priorité"))
    proof = next(line for line in to_markdown(session).splitlines() if line.startswith("Réponse"))
    assert proof.endswith("» [2]")


def test_markdown_export_lists_sources_by_document_and_page() -> None:
    text = to_markdown(_session())
    assert "## Sources" in text
    sources = text.split("## Sources", 1)[1]
    assert "etude.pdf" in sources and "p. 2" in sources and "guide.md" in sources
    assert "| **62 %** | 62 % des dirigeants citent la cybersécurité. | [2] |" in text
    assert "Réponse : B (62 %)" in text
    assert "- [2] p. 2 — « La cybersécurité est citée" in sources
    assert "⚠" not in text


def test_docx_export_holds_the_items_and_their_sources(tmp_path) -> None:
    markdown, path = export(_session(), tmp_path / "out")
    assert markdown.read_text(encoding="utf-8").startswith("# Session de formation : cybersécurité")
    document = docx.Document(str(path))
    text = "\n".join(p.text for p in document.paragraphs)
    cells = "\n".join(c.text for t in document.tables for row in t.rows for c in row.cells)
    assert "Quelle part des dirigeants cite la cybersécurité ?" in text and "Réponse : B (62 %)" in text
    assert "[2] p. 2 — « La cybersécurité est citée" in text
    assert "Guide de la sobriété énergétique (guide.md)" in text
    assert "62 %" in cells and "[2]" in cells


def test_check_flags_an_edited_quiz_whose_answer_the_passage_does_not_hold() -> None:
    session = _session()
    assert check(session) == {}
    session.quiz[0].answer = 0  # the trainer picked "26 %" as the right answer
    problems = check(session)
    assert any("bonne réponse n'est pas dans le passage" in p for p in problems[2])


def _indexed_from_cli(tmp_path, make_corpus, settings) -> Path:
    """The sample documents indexed by `assistant index` with the fakes; the settings file."""
    make_corpus()
    path = tmp_path / "cli.yaml"
    path.write_text(yaml.safe_dump({
        "corpus_dir": str(settings.corpus_dir), "index_dir": str(tmp_path / "cli-index"),
        "embedding": {"backend": "fake"}, "llm": {"backend": "fake"}}), encoding="utf-8")
    assert main(["--settings", str(path), "index"]) == 0
    return path


def test_cli_session_writes_markdown_and_docx(tmp_path, make_corpus, settings, capsys) -> None:
    path = _indexed_from_cli(tmp_path, make_corpus, settings)
    out = tmp_path / "export"
    assert main(["--settings", str(path), "session", "--theme", THEME, "--audience", "dirigeants",
                 "--minutes", "60", "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "chiffres clés" in printed and str(out / "session.docx") in printed
    markdown = (out / "session.md").read_text(encoding="utf-8")
    assert "## Chiffres clés" in markdown and "etude.pdf" in markdown and "p. 3" in markdown
    assert (out / "session.docx").stat().st_size > 0
    assert main(["--settings", str(path), "session", "--theme", "recette du gâteau au chocolat",
                 "--out", str(out)]) == 2
    assert "ne traitent pas du thème" in capsys.readouterr().err


def test_objectives_and_discussion_quote_whole_sentences_never_fragments() -> None:
    """A trainer reads « Reconnaître le cas : de réduire leurs coûts (…), » or a line cut by « … »
    as a paste: objectives are whole sentences of the part turned into what trainees will know, a
    list item's fragment or a sentence leaning on « paragraphes 3 et 6 » is never one."""
    from assistant.workshop.outline import write
    from assistant.workshop.sources import Candidate

    text = ("Les entreprises industrielles adoptent l'IA pour plusieurs raisons :\n"
            "- de réduire leurs coûts (maintenance prédictive, meilleure gestion des stocks),\n"
            "La maintenance prédictive réduit les arrêts imprévus des lignes de production de moitié.\n"
            "Les capteurs sont installés conformément aux paragraphes 3 et 6 de la norme.")
    passage = Passage("m1", text, "etude.pdf", "Rapport", page=5)
    fragment = Candidate("De réduire leurs coûts (maintenance prédictive, meilleure gestion des stocks),", passage, 0, 1, 1)
    whole_one = "La maintenance prédictive réduit les arrêts imprévus des lignes de production de moitié."
    for seed in (fragment, Candidate(whole_one, passage, 0, 1, 1)):
        part = write(None, seed, [passage], "la maintenance prédictive", "responsables d'usine", 30)
        lines = [*part.objectives, *part.discussion]
        assert part.objectives and part.discussion and not any("…" in line for line in lines)
        assert not any("réduire leurs coûts" in line or "paragraphes" in line for line in lines)
        for line in part.objectives:
            assert line.endswith(".") and " : " not in line  # a sentence, not a label and a paste
            assert "la maintenance prédictive réduit les arrêts imprévus des lignes de production de moitié" in line
            assert part.line_sources[line].text == whole_one
            assert not line.startswith("Appliquer la règle")  # a report's finding is no rule
    duty = ("Les déployeurs qui sont des employeurs informent les représentants des travailleurs avant "
            "d'utiliser un système d'IA à haut risque.")
    rules = Passage("a26", duty, "ai-act/article-26.md", "Article 26 — Obligations des déployeurs")
    part = write(None, Candidate(duty, rules, 0, 1, 1), [rules], "l'IA Act", "cadres RH", 30)
    assert part.objectives == ["Appliquer la règle selon laquelle les déployeurs qui sont des employeurs informent "
                               "les représentants des travailleurs avant d'utiliser un système d'IA à haut risque."]


def test_a_part_title_copied_from_the_prompt_example_is_not_used() -> None:
    from assistant.workshop.outline import write
    from assistant.workshop.sources import Candidate

    sentence = "Les déployeurs d’un système d’IA qui génère un hypertrucage indiquent que le contenu a été généré par une IA."
    passage = Passage("a50", sentence, "ai-act/article-50.md", "Article 50 — Obligations de transparence")
    from assistant.workshop.prompt import PART_EXAMPLE, copied

    assert copied("Les déployeurs d'un système d'IA et les crèches d'entreprise", PART_EXAMPLE, sentence)
    assert not copied("Les déployeurs d'un système d'IA qui génère un hypertrucage", PART_EXAMPLE, sentence)

    # the example's lines with the passage's words mixed in: enough of them for the support check
    copy = FakeLLM(replies=[PART_EXAMPLE.replace("TITRE: ", "TITRE: L'IA et ").replace(" ?", " et l'IA ?")])
    part = write(copy, Candidate(sentence, passage, 0, 1, 1), [passage], "l'IA Act", "cadres RH", 30)
    example_words = {"horaires", "crèches", "parents"}
    assert part.text == "Obligations de transparence (article 50)" or not example_words & set(part.text.split())
    assert part.discussion and not any(example_words & set(line.split()) for line in part.discussion)


def test_a_part_title_must_say_what_the_part_quotes_not_what_its_passage_says_elsewhere() -> None:
    from assistant.workshop.outline import write
    from assistant.workshop.sources import Candidate

    fine = ("Le non-respect des obligations des déployeurs de systèmes d'IA fait l'objet d'amendes administratives "
            "pouvant aller, pour une entreprise, jusqu'à 15 000 000 EUR.")
    text = f"{fine} Les améliorations apportées par l'IA dans les entreprises sont suivies par la Commission."
    passage = Passage("a99", text, "ai-act/article-99.md", "Article 99 — Sanctions")
    llm = FakeLLM(replies=["TITRE: Les améliorations de l'IA dans les entreprises"])
    part = write(llm, Candidate(fine, passage, 0, 1, 1), [passage], "l'IA Act", "cadres RH", 30)
    assert fine in llm.seen[0][-1].content and "améliorations" not in llm.seen[0][-1].content
    # the title shares « IA » and « entreprise » with the part's sentence but is about the passage's
    # other sentence (its head noun, « améliorations », is not in the part's): titled from its heading
    assert part.text == "Sanctions (article 99)" and "améliorations" not in part.text
    llm = FakeLLM(replies=["TITRE: Les amendes pour les obligations des déployeurs"])
    assert write(llm, Candidate(fine, passage, 0, 1, 1), [passage], "l'IA Act", "cadres RH", 30).text == \
        "Les amendes pour les obligations des déployeurs"


def test_a_quiz_question_does_not_ask_what_the_key_figures_sheet_shows(indexed) -> None:
    session = Workshop(indexed, llm=FakeLLM()).prepare(THEME, "dirigeants", 45, figures=1, questions=1)
    shown = {q.text for figure in session.figures for q in figure.citations}
    assert shown and len(session.quiz) == 1
    assert not shown & {q.text for q in session.quiz[0].citations}


def test_outline_reply_parsing_drops_a_line_cut_by_the_token_limit() -> None:
    from assistant.workshop.titles import parse as parse_part
    draft = parse_part("**TITRE:** Les offres d'emploi et l'IA\nOBJECTIF: Lire une offre qui demande de l'IA.\n"
                       "DISCUSSION: Quelles offres incluent une mention « IA » ?\nDISCUSSION: Quelles offres incl")
    assert draft.title == "Les offres d'emploi et l'IA"
    assert draft.objectives == ["Lire une offre qui demande de l'IA."]
    assert draft.discussion == ["Quelles offres incluent une mention « IA » ?"]


def _sourced_session() -> TrainingSession:
    """_session(), its outline lines each with a source, a question with its explanation."""
    session = _session()
    part = session.outline[0]
    part.line_sources = {line: part.citations[0] for line in [*part.objectives, *part.discussion]}
    session.quiz[0].explanation = "62 % : le document dit « La cybersécurité est citée comme priorité par 62 % »"
    return session


def test_slides_hold_every_part_figure_and_question_with_their_sources_in_the_notes(tmp_path) -> None:
    from pptx import Presentation

    session = _sourced_session()
    deck = Presentation(str(to_pptx(session, tmp_path / "session.pptx")))
    slides = [("\n".join(shape.text_frame.text for shape in slide.shapes if shape.has_text_frame),
               slide.notes_slide.notes_text_frame.text) for slide in deck.slides]
    titles = [text.splitlines()[0] for text, _ in slides]
    assert titles == ["Session de formation : cybersécurité", "1. Sobriété des ateliers (60 min) [1]",
                      "Chiffres clés", "Question 1", "Question 1 : la réponse"]
    references = {q.passage.id: f"[{n}] {q.passage.reference}" for n, q in enumerate(session.sources(), start=1)}
    cited = [session.sources(), session.outline[0].citations, session.figures[0].citations,
             session.quiz[0].citations, session.quiz[0].citations]
    for (text, notes), quotes in zip(slides, cited, strict=True):
        assert notes.startswith("Sources :"), text
        for quote in quotes:  # every source of the slide's items, with document and page, in its notes
            assert references[quote.passage.id] in notes, (text, notes)
    part, figures, question, answer = (text for text, _ in slides[1:])
    assert "Connaître la consigne" in part and "Et chez vous ?" in part
    assert "62 % — 62 % des dirigeants citent la cybersécurité. [2]" in figures
    assert "A. 26 %" in question and "Réponse" not in question
    assert "Réponse : B. 62 %" in answer and "« La cybersécurité est citée comme priorité" in answer
    assert "le document dit" in answer  # the explanation
    assert "(etude.pdf), p. 2 — « La cybersécurité est citée" in slides[4][1]


def test_an_item_the_checks_flag_says_so_on_its_slide(tmp_path) -> None:
    from pptx import Presentation

    session = _sourced_session()
    session.quiz[0].answer = 0  # the trainer marked « 26 % », which the passage does not say
    deck = Presentation(str(to_pptx(session, tmp_path / "s.pptx")))
    texts = ["\n".join(s.text_frame.text for s in slide.shapes if s.has_text_frame) for slide in deck.slides]
    assert "⚠ À vérifier" in texts[-1] and not any("⚠" in t for t in texts[:-1])


def test_cli_session_writes_slides_where_asked(tmp_path, make_corpus, settings) -> None:
    from pptx import Presentation

    path = _indexed_from_cli(tmp_path, make_corpus, settings)
    slides = tmp_path / "out" / "cyber.pptx"
    assert main(["--settings", str(path), "session", "--theme", THEME, "--out", str(slides)]) == 0
    deck = Presentation(str(slides))
    assert len(deck.slides) >= 4 and (tmp_path / "out" / "cyber.md").exists() and (tmp_path / "out" / "cyber.docx").exists()
    assert all("etude.pdf" in slide.notes_slide.notes_text_frame.text for slide in list(deck.slides)[1:])


def test_a_quiz_short_of_what_was_asked_says_so_in_the_session_and_its_export(indexed) -> None:
    """The small corpus holds fewer on-theme questions than 20: the quiz is not padded, the trainer
    is told how many there are and why, in the session and at the top of the exported document."""
    from assistant.render.training import to_markdown

    session = Workshop(indexed, llm=FakeLLM(replies=[RANSOM_REPLY])).prepare(THEME, "dirigeants", 45, figures=3,
                                                                            questions=20)
    assert len(session.quiz) < 20
    note = next(n for n in session.notes if n.startswith("Quiz"))
    assert f"{len(session.quiz)} question(s) sur 20 demandées" in note
    assert note in to_markdown(session).split("## ", 1)[0]  # read before the items


def test_a_draft_pointing_to_an_unseen_text_or_with_a_giveaway_answer_is_rejected() -> None:
    sentence = "Grâce aux capteurs, les entreprises pratiquent la maintenance prédictive de leurs lignes."
    unseen = Draft("Quelle démarche est mentionnée dans le texte ?", "La maintenance prédictive",
                   ["La vente", "Le recrutement", "La comptabilité"])
    assert validate(unseen, sentence)[1].startswith("la question renvoie")
    long_one = Draft("Que font les entreprises grâce aux capteurs ?",
                     "Les entreprises pratiquent la maintenance prédictive de leurs lignes grâce aux capteurs",
                     ["La vente", "Le recrutement", "La comptabilité"])
    assert "trop longue" in validate(long_one, sentence)[1]
    as_long = Draft(long_one.question, "La maintenance prédictive de leurs lignes de production",
                    ["La vente directe de leurs machines", "Le recrutement de techniciens", "La comptabilité"])
    assert "trop longue" not in validate(as_long, sentence)[1]
    # an answer the model cut short elsewhere is no wrong answer here
    short = Draft("Que pratiquent les entreprises grâce aux capteurs ?", "La maintenance prédictive",
                  ["La vente", "La sous-traitance"])
    wrong, _ = validate(short, sentence, bank=["Elle permet une meilleure", "Le contrôle visuel"])
    assert "Elle permet une meilleure" not in wrong and len(wrong) == 3


def test_a_discussion_point_calls_a_sentence_a_rule_only_when_it_states_one() -> None:
    from assistant.workshop.outline import write
    from assistant.workshop.sources import Candidate

    finding = "Les projets d'IA touchent de plus en plus souvent la conformité juridique des entreprises."
    passage = Passage("p23", finding, "etude.pdf", "Étude", page=23)
    part = write(None, Candidate(finding, passage, 0, 1, 1), [passage], "l'IA et la conformité", "juristes", 30)
    assert part.stage == "règles" and part.discussion and not any("cette règle" in d for d in part.discussion)
    llm = FakeLLM(replies=["TITRE: La conformité des projets d'IA\nDISCUSSION: Quelles compétences et compétences ?"])
    part = write(llm, Candidate(finding, passage, 0, 1, 1), [passage], "l'IA et la conformité", "juristes", 30)
    assert part.text == "La conformité des projets d'IA" and not any("compétences" in d for d in part.discussion)
    assert finding in llm.seen[0][-1].content  # the part's own sentence is what the model titles


def test_a_case_is_discussed_as_the_practice_of_the_trainees_company() -> None:
    """« Quel cas semblable avez-vous rencontré : « <a general statement> » ? » had no case to
    compare with (« formulation incohérente », a blind rater): the practice is asked about."""
    from assistant.workshop.outline import write
    from assistant.workshop.sources import Candidate

    case = ("Grâce aux données des capteurs, les entreprises s'emploient à être dans une démarche de "
            "maintenance prédictive.")
    passage = Passage("p12", case, "etude.pdf", "Étude", page=12)
    part = write(None, Candidate(case, passage, 0, 1, 1), [passage], "l'IA et la maintenance", "cadres", 30)
    assert part.stage == "cas" and len(part.discussion) == 1
    assert "est-ce déjà le cas" in part.discussion[0] and "quelles difficultés" in part.discussion[0]
    assert "semblable" not in part.discussion[0]
    assert part.discussion[0].startswith("Pour vous, cadres, est-ce")  # not « Dans votre entreprise, cadres, »


def test_a_draft_that_asks_its_own_answer_or_glues_sentences_into_an_option_is_turned_down() -> None:
    sentence = "Capacité à travailler dans une organisation complexe et matricielle."
    echo = Draft("Quelle est la capacité de travailler dans une organisation complexe et matricielle ?",
                 "Capacité à travailler dans une organisation complexe et matricielle",
                 ["La vente", "Le recrutement", "La comptabilité"])
    assert validate(echo, sentence)[1] == "la question contient la réponse"
    glued = Draft("Quelle menace les responsables d'usine redoutent-ils le plus ?", "Les rançongiciels",
                  ["Les pannes. Les grèves. Les inondations", "Les incendies", "Les vols", "Les crues"])
    wrong, reason = validate(glued, SENTENCE_RANSOM)
    assert reason == "" and wrong == ["Les incendies", "Les vols", "Les crues"]


SENTENCE_RANSOM = "Les rançongiciels sont la menace la plus redoutée par les responsables d'usine."


def test_a_part_title_too_narrow_or_beside_the_side_of_the_theme_it_opens_on_is_not_used() -> None:
    """Blind rater H: « Hypertrucage d'IA » is too narrow for a part on transparency duties, and « L'IA
    et la production de la chaîne industrielle » does not say the part is on quality."""
    from assistant.workshop.outline import write
    from assistant.workshop.sources import Candidate

    duty = "Les déployeurs d’un système d’IA qui génère un hypertrucage indiquent que le contenu a été généré par une IA."
    law = Passage("a50", duty, "ai-act/article-50.md",
                  "Article 50 — Obligations de transparence pour les fournisseurs et les déployeurs de certains systèmes d’IA")
    part = write(FakeLLM(replies=["TITRE: Hypertrucage d'IA"]), Candidate(duty, law, 0, 1, 1), [law], "l'IA Act", "", 30)
    assert part.text == "Obligations de transparence pour les fournisseurs et les déployeurs de certains systèmes d’IA"

    finding = "Grâce à l'IA, les usines suivent la qualité de leurs produits en temps réel."
    report = Passage("p12", finding, "etude.pdf", "Étude", page=12)
    seed = Candidate(finding, report, 0, 1, 1, facet=frozenset({"qualite"}))
    llm = FakeLLM(replies=["TITRE: L'IA et la production des usines", "TITRE: La qualité des produits suivie en temps réel"])
    part = write(llm, seed, [report], "l'IA dans la maintenance et la qualité", "", 30)
    assert part.text == "La qualité des produits suivie en temps réel"
    assert "Le titre nomme : qualité" in llm.seen[1][-1].content
    # a title that names its side the first time costs one call only
    llm = FakeLLM(replies=["TITRE: La qualité des produits suivie en temps réel"])
    write(llm, seed, [report], "l'IA dans la maintenance et la qualité", "", 30)
    assert len(llm.seen) == 1


def test_a_section_heading_titles_its_part_whole_and_a_job_ad_line_off_it_is_not_taught() -> None:
    """A heading line is not cut at the comma of its list (« … liées à la qualité » without the
    rest: « mis-cut title »), and a job ad's soft skill that shares nothing with it is no
    objective (« a generic soft skill … not AI-related »): a sentence on what the heading names is."""
    from assistant.workshop.outline import write
    from assistant.workshop.sources import Candidate

    heading = "Des compétences en IA recherchées pour la qualité, les méthodes et la maintenance des usines"
    cleft = ("Dans la fonction technique, ce sont les responsables qualité et maintenance qui sont les plus "
             "recherchés par les usines.")
    text = f"{heading}\nCapacité à animer une réunion d'équipe avec diplomatie et patience.\n{cleft}"
    passage = Passage("p12", text, "etude.pdf", "Étude", page=12)
    part = write(None, Candidate(heading, passage, 0, 1, 1), [passage], "les compétences recherchées", "", 45)
    assert part.text == heading
    assert part.objectives and not any("réunion" in line for line in [*part.objectives, *part.discussion])
    assert any("responsables qualité et maintenance" in line for line in part.objectives)


def test_a_wrong_answer_saying_ai_makes_things_worse_is_not_offered() -> None:
    """« Elle peut augmenter les coûts de production » beside what AI brings: nobody picks it (H)."""
    sentence = "Grâce à l'IA, les usines suivent la qualité de leurs produits en temps réel."
    draft = Draft("Que permet l'IA aux usines ?", "Suivre la qualité de leurs produits en temps réel",
                  ["Elle peut augmenter les coûts de production", "Elle rend les processus plus compliqués",
                   "Recruter des techniciens", "Gérer la paie"])
    wrong, reason = validate(draft, sentence, bank=["Former les vendeurs"])
    assert reason == "" and wrong == ["Recruter des techniciens", "Gérer la paie", "Former les vendeurs"]


def test_a_heading_that_closes_its_passage_brings_the_section_it_opens() -> None:
    """The chunker cut right after « Des compétences en IA recherchées pour la qualité … »: the part
    opening on it quotes the section's sentences, not only what stood before the heading."""
    from types import SimpleNamespace

    from assistant.workshop.sources import Candidate

    heading = "Des compétences en IA recherchées pour la qualité et la maintenance des usines"
    before = Passage("p1", f"Capacité à animer une réunion d'équipe.\n{heading}", "etude.pdf", "Étude", page=12, position=1)
    section = Passage("p2", "Les usines recherchent surtout des responsables qualité formés à l'IA.", "etude.pdf",
                      "Étude", page=12, position=2)
    elsewhere = Passage("p3", "Autre chose.", "autre.pdf", "Autre", page=1, position=1)
    assistant = SimpleNamespace(store=SimpleNamespace(all_passages=lambda: [section, elsewhere, before]))
    workshop = Workshop(assistant)
    assert workshop._section(Candidate(heading, before, 0, 1, 1)) == [section]
    assert workshop._section(Candidate("Capacité à animer une réunion d'équipe.", before, 0, 1, 1)) == []
    assert workshop._section(Candidate(section.text, section, 0, 1, 1)) == []  # a sentence, and no next passage


def test_a_part_is_sourced_first_by_the_sentence_it_opens_on() -> None:
    """The passage's sentence nearest the whole theme may be about hiring: a blind rater found a
    recruitment quote under a part on quality control. The part's first source is its own sentence."""
    from assistant.workshop.outline import write
    from assistant.workshop.sources import Candidate

    hiring = "Les cadres en qualité et en maintenance sont particulièrement recherchés par les usines."
    opening = "Grâce à l'IA, les usines suivent la qualité de leurs produits en temps réel."
    passage = Passage("p12", f"{hiring} {opening}", "etude.pdf", "Étude", page=12)
    part = write(None, Candidate(opening, passage, 0, 1, 1), [passage], "la maintenance et la qualité", "", 30)
    assert part.citations[0].text == opening

"""Why a finding holds and by what means a use is made, asked openly and answered by the document
(invented passages: a report on water treatment plants)."""
from __future__ import annotations

from collections import Counter

from assistant.components.llm.fake import FakeLLM
from assistant.domain import Passage
from assistant.render.training import to_markdown
from assistant.render.workshop_html import session_html
from assistant.workshop import TrainingSession, check
from assistant.domain import Quote
from assistant.workshop.items import CAUSE, MEANS, OPEN
from assistant.workshop.mix import Mix, compose
from assistant.workshop.outline import write
from assistant.workshop.sources import Candidate
from assistant.workshop.quiz import check_quiz_question
from assistant.workshop.reasons import cause_questions, means_question, stake_questions
from assistant.workshop.sources import candidates
from assistant.workshop.principle import with_data_source
from assistant.workshop.theme import theme_weights

THEME = "la surveillance des pompes"
WHY = ("La surveillance des pompes a par ailleurs une importance particulière pour les stations d'épuration, "
       "les eaux usées étant traitées en continu.")
THEN = "Un arrêt de pompe peut ainsi provoquer des rejets non traités dans la rivière."
MEANS_FIRST = ("Grâce aux mesures des capteurs de vibration, les exploitants passent aujourd'hui à une "
               "surveillance continue des pompes.")
MEANS_LAST = ("Les exploitants ont automatisé la surveillance des pompes grâce à des sondes reliées au poste de "
              "supervision.")


def _report(*texts: str, page: int = 4) -> Passage:
    return Passage(f"r{page}", " ".join(texts), "rapport-eau.pdf", "Rapport sur les stations d'épuration",
                   page=page, position=page)


def _causes(passages: list[Passage], theme: str = THEME, following: dict[str, Passage] | None = None) -> list:
    weights = theme_weights(theme, passages)
    return list(cause_questions(passages, lambda p: (following or {}).get(p.id), weights.score, theme,
                                jobs="recherch" in theme, audience="exploitants"))


def test_why_a_finding_holds_is_asked_and_answered_by_its_reason_and_what_follows() -> None:
    """« Pour quelle raison ? », the reason the sentence gives and the consequence the next one draws
    as the expected answer: raters AG and AH asked why quality weighs so much (product recalls)."""
    passage = _report(WHY, THEN)
    [question] = _causes([passage])
    assert question.kind == CAUSE and question.is_open
    assert question.text == ("D'après « Rapport sur les stations d'épuration », la surveillance des pompes a une "
                             "importance particulière pour les stations d'épuration. Pour quelle raison ?")
    assert question.right_answer == ("Les eaux usées étant traitées en continu, un arrêt de pompe peut provoquer "
                                     "des rejets non traités dans la rivière.")
    assert question.citations[0].text == f"{WHY} {THEN}" and question.citations[0].passage is passage
    assert check_quiz_question(question) == []


def test_a_reason_alone_when_the_next_sentence_draws_nothing_from_it() -> None:
    example = "Ainsi, la station de Vernon a équipé toutes ses pompes de capteurs."
    [question] = _causes([_report(WHY, example)])
    assert question.right_answer == "Les eaux usées étant traitées en continu."
    assert "Vernon" not in question.citations[0].text


AI_THEME = "l'IA dans la surveillance des pompes"
SENSORS = ("Face à ces enjeux, les exploitants ont automatisé le suivi des pompes grâce à de nombreux capteurs de "
           "vibration permettant une mesure en continu.")
AI_HOW = ("L'intelligence artificielle leur permet d'analyser les données en continu et de repérer très tôt "
          "l'usure des roulements.")


def test_on_a_theme_about_ai_a_reason_is_asked_with_how_ai_answers_it() -> None:
    """AK and AL turned the stakes of quality asked alone down (« rien sur l'IA », « bon sens ») and
    asked « Pourquoi … et comment l'IA y répond-elle ? »: the sentences up to the one that says what AI
    makes possible complete the expected answer; with none, nothing is asked."""
    passage = _report(WHY, THEN, SENSORS, AI_HOW)
    [question] = _causes([passage], AI_THEME)
    asked = "Pour quelle raison, et comment l'intelligence artificielle y répond-elle ?"
    assert question.text.endswith(f"pour les stations d'épuration. {asked}")
    assert question.right_answer == (
        "Les eaux usées étant traitées en continu, un arrêt de pompe peut provoquer des rejets non traités dans "
        "la rivière. Les exploitants ont automatisé le suivi des pompes grâce à de nombreux capteurs de vibration "
        "permettant une mesure en continu. L'intelligence artificielle permet d'analyser les données en continu et "
        "de repérer très tôt l'usure des roulements.")
    assert question.citations[0].text == f"{WHY} {THEN} {SENSORS} {AI_HOW}"
    assert check_quiz_question(question) == []
    assert _causes([_report(WHY, THEN, SENSORS)], AI_THEME) == []
    tools = "Les outils d'IA leur permettent d'analyser les données en continu."
    assert _causes([_report(WHY, THEN, SENSORS, tools)], AI_THEME) == []  # « y répond-elle »: AI itself only


def test_how_ai_answers_a_stake_the_document_states_on_a_theme_about_ai() -> None:
    """« Comment l'intelligence artificielle y répond-elle ? », « également » left out, answered by the
    sentences up to the one that says what AI makes possible; nothing on a theme that is not about AI,
    nor without such a sentence."""
    stake = "La surveillance des pompes est également un enjeu important pour les stations d'épuration."
    passage = _report(stake, SENSORS, AI_HOW)
    weights = theme_weights(AI_THEME, [passage, _report("La paie des agents est versée chaque mois.", page=9)])
    [question] = stake_questions([passage], weights.score, AI_THEME, "exploitants")
    assert question.kind == MEANS and question.text.endswith(
        "la surveillance des pompes est un enjeu important pour les stations d'épuration. Comment l'intelligence "
        "artificielle y répond-elle ?")
    assert question.right_answer == (
        "Les exploitants ont automatisé le suivi des pompes grâce à de nombreux capteurs de vibration permettant "
        "une mesure en continu. L'intelligence artificielle permet d'analyser les données en continu et de repérer "
        "très tôt l'usure des roulements.")
    assert question.citations[0].text == f"{stake} {SENSORS} {AI_HOW}" and check_quiz_question(question) == []
    assert list(stake_questions([passage], weights.score, THEME)) == []
    assert list(stake_questions([_report(stake, SENSORS)], weights.score, AI_THEME)) == []


def test_an_explanation_keeps_where_the_data_it_analyses_come_from() -> None:
    """« … permet d'analyser les données … » alone loses the sensors (AK and AL: « on perd les capteurs IoT
    et caméras »): the objective says both sentences, both quoted."""
    statement = "Grâce à l'IA, les exploitants suivent aujourd'hui l'état de leurs pompes en temps réel."
    passage = _report(statement, SENSORS, AI_HOW)
    part = write(FakeLLM(), Candidate(statement, passage, 0, 1.0), [passage], AI_THEME, "exploitants", 30)
    said = ("Expliquer que les exploitants ont automatisé le suivi des pompes grâce à de nombreux capteurs de "
            "vibration permettant une mesure en continu, et que l'intelligence artificielle permet d'analyser les "
            "données en continu et de repérer très tôt l'usure des roulements.")
    assert part.objectives == [said] and part.line_sources[said].text == f"{SENSORS} {AI_HOW}"
    named = AI_HOW.replace("les données", "les données des capteurs")
    assert with_data_source(Quote(_report(statement, SENSORS, named), named)) is None  # its data said in it


HEADING = "Des compétences recherchées pour la surveillance des pompes"
FINDING = ("Dans les services d'exploitation, ce sont les techniciens en électromécanique qui sont particulièrement "
           "recherchés par les syndicats des eaux.")
REASON = "Ce sont des métiers pour lesquels la télésurveillance est déjà à l'œuvre dans de nombreuses stations."


def test_the_reason_the_next_sentence_gives_after_a_heading_closing_the_passage_before() -> None:
    """The heading says what the section is about (its finding alone does not name the theme); on the
    job market only for a theme about it."""
    first = _report(f"Capacité à travailler en équipe.\n{HEADING}", page=5)
    second = Passage("r5b", f"{FINDING} {REASON}", "rapport-eau.pdf", "Rapport", page=5, position=6)
    theme = "les compétences recherchées pour la surveillance des pompes"
    [question] = _causes([first], theme, {first.id: second})
    assert question.text.endswith("dans les services d'exploitation, ce sont les techniciens en électromécanique qui "
                                  "sont particulièrement recherchés par les syndicats des eaux. Pour quelle raison ?")
    assert question.right_answer == REASON and question.citations[0].passage is second
    assert _causes([first], THEME, {first.id: second}) == []  # hiring, on a theme that is not about it
    assert _causes([first], theme) == []  # no section after the heading


def test_no_reason_asked_for_a_rule_an_off_theme_finding_or_a_cleft() -> None:
    fine = ("Les exploitants qui dépassent les seuils de rejet font l'objet d'amendes pouvant aller jusqu'à "
            "10 000 EUR, le montant le plus élevé étant retenu.")
    assert _causes([_report(fine)]) == []  # a rule is taught as the law words it
    assert _causes([_report(WHY, THEN)], "la paie des techniciens") == []
    cleft = "Ce sont les agents de nuit qui surveillent les pompes dans la plupart des stations."
    assert _causes([_report("La surveillance des pompes mobilise les équipes.", cleft)]) == []


def test_by_what_means_a_use_is_made_named_first_or_last() -> None:
    """« Grâce à quoi ? », answered by the means the sentence names (AJ: the prerequisites, IoT data and
    machine learning); not « grâce à l'IA », which any trainee answers."""
    for sentence, means in ((MEANS_FIRST, "Grâce aux mesures des capteurs de vibration."),
                            (MEANS_LAST, "Grâce à des sondes reliées au poste de supervision.")):
        question = means_question(sentence, _report(sentence), THEME, "exploitants")
        assert question is not None and question.kind == MEANS and question.right_answer == means
        asked = ("surveillance continue des pompes" if sentence == MEANS_FIRST
                 else "les exploitants ont automatisé la surveillance des pompes")
        assert question.text.endswith(f"{asked}. Grâce à quoi ?")
        assert check_quiz_question(question) == []
    vague = "Grâce à l'IA, les exploitants suivent leurs pompes en temps réel."
    assert means_question(vague, _report(vague), THEME) is None
    guessed = ("Grâce aux données des capteurs et à leur analyse via l'intelligence artificielle, les exploitants "
               "passent à une surveillance continue.")
    assert means_question(guessed, _report(guessed), THEME) is None  # in a session on AI, every trainee says it
    assert means_question(MEANS_FIRST, _report(WHY), THEME) is None  # not in its passage
    rule = "Les exploitants doivent contrôler les rejets grâce à des sondes agréées par le ministère."
    assert means_question(rule, _report(rule), THEME) is None  # a rule is taught as the law words it


def test_a_quiz_mixes_why_and_by_what_means_and_exports_their_expected_answers() -> None:
    """Two kinds where the documents hold no closed question: none above half of the quiz, and no open
    question on the mechanism (all four raters who saw it turned it down)."""
    passages = [_report(WHY, THEN), _report(MEANS_FIRST, MEANS_LAST, page=6)]
    weights = theme_weights(THEME, [*passages, _report("La paie des agents est versée chaque mois.", page=9)])
    mix = Mix(FakeLLM(), THEME, "exploitants", candidates(THEME, passages, weights=weights), [], passages,
              lambda *_: None, weights=weights)
    quiz = compose(mix, 8)
    kinds = Counter(q.kind for q in quiz)
    assert set(kinds) == {CAUSE, MEANS} and OPEN not in kinds
    assert max(kinds.values()) <= len(quiz) // 2
    session = TrainingSession(THEME, "exploitants", 30, quiz=quiz)
    assert check(session) == {}
    text = to_markdown(session)
    assert "Pour quelle raison ? (réponse libre)" in text and "Réponse attendue : Les eaux usées étant" in text
    quiz_part = text.split("## Sources")[0]
    assert quiz_part.count(f"« {WHY}") == 1 and "Explication : Le document le dit" not in text  # the proof, once
    page = session_html(session, {})
    assert "Réponse attendue (réponse libre)" in page and "Le document le dit" not in page  # its card too
    assert "Grâce à quoi ? (réponse libre)" in text



def test_the_answer_slide_holds_the_whole_expected_answer_and_its_proof_once(tmp_path) -> None:
    """What the trainer corrects against (here some 50 words), whole on the answer slide; the explanation
    that only quotes the proof is left out, the proof shown once."""
    from pptx import Presentation

    from assistant.render.slides import to_pptx

    [question] = _causes([_report(WHY, THEN, SENSORS, AI_HOW)], AI_THEME)
    session = TrainingSession(AI_THEME, "exploitants", 30, quiz=[question])
    deck = Presentation(str(to_pptx(session, tmp_path / "s.pptx")))
    slide = "\n".join(s.text_frame.text for s in deck.slides[-1].shapes if s.has_text_frame)
    assert f"Réponse attendue : {question.right_answer}" in slide
    assert "Le document le dit" not in slide and slide.count("« La surveillance des pompes") == 1

"""A general statement taught by the sentence that says how, and asked as an open question (invented
passages: a report on water treatment plants)."""
from __future__ import annotations

from assistant.components.llm.fake import FakeLLM
from assistant.domain import Passage, Quote
from assistant.render.training import to_markdown
from assistant.render.workshop_html import session_html
from assistant.workshop import TrainingSession, apply_edit, check
from assistant.workshop.items import OPEN
from assistant.workshop.mix import Mix, compose
from assistant.workshop.outline import discussion, objective, write
from assistant.workshop.principle import principle
from assistant.workshop.quiz import check_quiz_question
from assistant.workshop.sources import Candidate
from assistant.workshop.theme import theme_weights

STATEMENT = ("Grâce aux mesures des capteurs de vibration, les exploitants des stations d'épuration passent "
             "aujourd'hui à une surveillance continue des pompes.")
HOW = ("Un modèle d'apprentissage entraîné sur les vibrations leur permet de repérer l'usure des roulements "
       "plusieurs semaines avant la panne, réduisant les arrêts non prévus.")
PUMPS = Passage("r7", " ".join(["La surveillance des pompes reste un enjeu majeur pour les stations d'épuration.",
                                STATEMENT, "Les pompes tournent jour et nuit dans la plupart des stations.", HOW]),
                "rapport-eau.pdf", "Rapport sur les stations d'épuration", page=7, position=3)
THEME = "la surveillance des pompes"


def test_a_statement_is_taught_by_the_sentence_that_says_how() -> None:
    """The objective explains the mechanism (« permet de repérer l'usure … avant la panne »), not the
    general statement copied behind « Expliquer que » (blind raters AE and AF)."""
    how = principle(Quote(PUMPS, STATEMENT))
    assert how is not None and how.text == HOW and how.passage is PUMPS
    said = objective("cas", how)
    assert said.startswith("Expliquer qu'un modèle d'apprentissage entraîné sur les vibrations permet de repérer")
    seed = Candidate(STATEMENT, PUMPS, 0, 1.0)
    part = write(FakeLLM(), seed, [PUMPS], THEME, "exploitants", 30)
    assert part.objectives == [said] and part.line_sources[said].text == HOW
    assert not any(line.startswith("Expliquer que grâce aux mesures") for line in part.objectives)


def test_the_explanation_is_found_in_the_passage_after_a_statement_closing_its_own() -> None:
    first = Passage("r7a", STATEMENT, "rapport-eau.pdf", "Rapport", page=7, position=1)
    second = Passage("r7b", HOW, "rapport-eau.pdf", "Rapport", page=7, position=2)
    elsewhere = Passage("x", HOW, "autre.pdf", "Autre", page=1, position=2)
    assert principle(Quote(first, STATEMENT)) is None
    found = principle(Quote(first, STATEMENT), second)
    assert found is not None and found.passage is second
    assert principle(Quote(first, STATEMENT), elsewhere) is None  # another document explains nothing here


def test_no_explanation_for_a_rule_nor_beyond_a_few_sentences() -> None:
    rule = Passage("a1", "Les exploitants informent les riverains des travaux. " + HOW, "loi.md", "Article 1")
    assert principle(Quote(rule, "Les exploitants informent les riverains des travaux.")) is None
    far = Passage("r8", " ".join([STATEMENT, *["Les pompes tournent jour et nuit."] * 6, HOW]), "rapport-eau.pdf",
                  "Rapport", page=8)
    assert principle(Quote(far, STATEMENT)) is None
    hiring = "Les stations d'épuration recrutent surtout des techniciens de maintenance."
    other = Passage("r9", f"{hiring} {HOW}", "rapport-eau.pdf", "Rapport", page=9)
    assert principle(Quote(other, hiring)) is None  # the model that permits it is not what the statement is about


def _quiz(passage: Passage, theme: str = THEME) -> list:
    mix = Mix(FakeLLM(), theme, "exploitants", [], [], [passage], lambda *_: None,
              weights=theme_weights(theme, [passage]))
    return compose(mix, 8)


def test_an_open_question_asks_what_the_technique_brings_and_expects_the_document_s_answer() -> None:
    """A last resort (no other kind can be made from this passage): one question, its answer the
    explaining sentence's, both sentences cited."""
    quiz = _quiz(PUMPS)
    assert [q.kind for q in quiz] == [OPEN]
    question = quiz[0]
    assert question.is_open and question.text.startswith(f"« {STATEMENT} »")
    assert question.text.endswith("qu'y apporte concrètement un modèle d'apprentissage entraîné sur les "
                                  "vibrations ?")
    assert question.right_answer == ("Repérer l'usure des roulements plusieurs semaines avant la panne, réduisant "
                                     "les arrêts non prévus.")
    assert [q.text for q in question.citations] == [HOW, STATEMENT]
    assert check_quiz_question(question) == []
    assert _quiz(PUMPS, "la paie des techniciens") == []  # off the theme


def test_an_open_question_is_exported_with_its_expected_answer_and_edited_on_one_line() -> None:
    question = _quiz(PUMPS)[0]
    session = TrainingSession(THEME, "exploitants", 30, quiz=[question])
    text = to_markdown(session)
    assert "(réponse libre)" in text and "Réponse attendue : Repérer l'usure des roulements" in text
    assert "A. Repérer" not in text
    page = session_html(session, {})
    assert "Réponse attendue (réponse libre)" in page and "<li" not in page.split("Réponse attendue")[0][-200:]
    assert apply_edit(question, question.text, "", "Repérer les roulements usés\nautre", "", "") != ""
    assert apply_edit(question, question.text, "", "* Repérer les roulements usés avant la panne", "", "") == ""
    assert question.choices == ["Repérer les roulements usés avant la panne"] and question.answer == 0
    assert check(TrainingSession(THEME, "", 30, quiz=[question])) == {}


def test_a_statement_s_discussion_asks_about_the_practice_not_what_it_changes() -> None:
    """« qu'est-ce que cela change : « … » ? » gave no hold to a debate (7 of 10 raters turned it down)."""
    point = discussion("contexte", Quote(PUMPS, STATEMENT), "exploitants")
    assert point.startswith("Pour vous, exploitants, est-ce déjà le cas dans votre entreprise : « Grâce aux "
                            "mesures")
    assert "qu'est-ce que cela change" not in point


def test_an_open_question_s_slides_ask_for_a_free_answer_then_show_the_expected_one(tmp_path) -> None:
    from pptx import Presentation

    from assistant.render.slides import to_pptx

    session = TrainingSession(THEME, "exploitants", 30, quiz=_quiz(PUMPS))
    deck = Presentation(str(to_pptx(session, tmp_path / "s.pptx")))
    texts = ["\n".join(s.text_frame.text for s in slide.shapes if s.has_text_frame) for slide in deck.slides]
    question, answer = texts[-2:]
    assert "Réponse libre" in question and "A. " not in question
    assert "Réponse attendue : Repérer l'usure" in answer
    assert "rapport-eau.pdf" in deck.slides[-1].notes_slide.notes_text_frame.text


HEADING = "Des compétences en intelligence artificielle recherchées dans les stations de pompage et de relevage"
FINDING = ("Dans les services d'exploitation, ce sont les techniciens de pompage qui sont particulièrement "
           "recherchés par les syndicats des eaux.")
SHARE = ("Les techniciens dans ces stations sont davantage recherchés par les syndicats des eaux : 12% des offres "
         "liées à l'IA les concernent contre 5% pour l'ensemble des secteurs.")


def _page(*texts: str) -> tuple[list[Passage], dict[str, Passage]]:
    passages = [Passage(f"e{i}", text, "rapport-eau.pdf", "Rapport", page=9, position=i)
                for i, text in enumerate(texts)]
    return passages, {a.id: b for a, b in zip(passages, passages[1:])}


def test_a_finding_is_taught_by_the_share_that_backs_it_a_few_passages_on() -> None:
    """« 16% des offres liées à l'IA les concernent contre 9% » rather than « ce sont les cadres en
    qualité … qui sont particulièrement recherchés » (raters AE, AF, AH asked for the figure; AI and AJ
    found the finding beside it redundant), its « ces … » named by the heading."""
    passages, following = _page(f"Capacité à travailler en équipe.\n{HEADING}", FINDING, STATEMENT, HOW, SHARE)
    seed = Candidate(HEADING, passages[0], 0, 1.0)
    part = write(FakeLLM(), seed, passages[:2], THEME, "exploitants", 30, lambda p: following.get(p.id))
    backed = part.objectives
    assert backed == ["Expliquer que les techniciens dans les stations de pompage et de relevage sont davantage "
                      "recherchés par les syndicats des eaux : 12% des offres liées à l'IA les concernent contre 5% "
                      "pour l'ensemble des secteurs."]
    assert part.line_sources[backed[0]].text == SHARE and part.line_sources[backed[0]].passage.id == "e4"
    assert any(FINDING in line for line in part.discussion)  # the finding itself is discussed


def test_no_backing_share_that_shares_too_little_or_names_what_the_heading_does_not() -> None:
    from assistant.workshop.principle import backing

    for share, heading in ((SHARE.replace("techniciens", "agents").replace("recherchés", "payés"), HEADING),
                           (SHARE, "Des compétences en intelligence artificielle recherchées")):
        passages, following = _page(FINDING, share)
        assert backing(Quote(passages[0], FINDING), lambda p: following.get(p.id), heading) is None
    passages, following = _page(FINDING, "Autre page.")
    later = Passage("x", SHARE, "rapport-eau.pdf", "Rapport", page=10, position=2)  # the next page backs nothing
    assert backing(Quote(passages[0], FINDING), lambda p: following.get(p.id, later), HEADING) is None

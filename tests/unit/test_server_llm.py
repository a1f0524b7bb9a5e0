"""The OpenAI-compatible backend against a small scripted HTTP server on loopback: streaming,
usage, the French messages when the server is down, slow, failing or cuts an answer short."""
from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

pytest.importorskip("openai", reason="the server extra: pip install -e '.[server]'")

from llama_index.core.base.llms.types import ChatMessage, MessageRole  # noqa: E402

from assistant import Assistant, TokenEvent  # noqa: E402
from assistant.errors import ModelUnavailableError  # noqa: E402
from assistant.components.llm import build_llm  # noqa: E402
from assistant.components.llm.server import ServerChat  # noqa: E402
from assistant.config import LLMSettings, Settings  # noqa: E402
from assistant.rag.prompt import SYSTEM_PROMPT  # noqa: E402
from assistant.serving import free_port  # noqa: E402
from support.openai_stub import PROMPT_TOKENS, StubServer, running_stub  # noqa: E402


@pytest.fixture
def stub() -> Iterator[StubServer]:
    with running_stub() as server:
        yield server


def served(indexed: Assistant, url: str, **llm: Any) -> Assistant:
    """The indexed corpus, answered by the model behind `url`."""
    settings = indexed.settings.model_copy(update={"llm": LLMSettings(backend="openai", model="stub",
                                                                      api_base=url, **llm)})
    return Assistant(settings, store=indexed.store, embedder=indexed.embedder)


def test_answer_streams_from_the_server_with_its_sources(indexed: Assistant, stub: StubServer) -> None:
    bot = served(indexed, f"http://127.0.0.1:{stub.server_port}/v1")
    events = list(bot.stream("Quelle est la température de consigne des ateliers ?"))
    answer = events[-1].answer
    assert len([e for e in events if isinstance(e, TokenEvent)]) > 3  # token by token
    assert not answer.abstained and "17 degrés" in answer.text
    assert [c.passage.document for c in answer.citations] == ["guide.md"]
    assert answer.prompt_tokens == PROMPT_TOKENS  # the server's usage report
    # The server gets chat messages (it applies the model's chat template), not a prompt string.
    sent = stub.requests[-1]
    assert sent["stream"] is True and sent["model"] == "stub" and sent["max_tokens"] == 220
    assert sent["temperature"] == 0.0 and sent["repeat_penalty"] == 1.0  # greedy, as the embedded model
    assert sent["messages"][0] == {"role": "system", "content": SYSTEM_PROMPT}
    assert "Extraits :" in sent["messages"][-1]["content"]
    assert sent["messages"][-1]["content"].endswith(
        "Question : Quelle est la température de consigne des ateliers ?")


def test_a_server_that_is_down_gives_a_clear_french_message(indexed: Assistant) -> None:
    url = f"http://127.0.0.1:{free_port()}/v1"  # a port nothing listens on
    bot = served(indexed, url, max_retries=0)
    with pytest.raises(ModelUnavailableError, match="injoignable") as error:
        bot.ask("Quelle est la température de consigne des ateliers ?")
    assert url in str(error.value) and "démarré" in str(error.value)
    with pytest.raises(ModelUnavailableError, match="injoignable"):
        bot.warm_up()  # a worker learns it at start, before its first user


def test_a_server_slower_than_the_timeout_is_reported(indexed: Assistant, stub: StubServer) -> None:
    stub.mode = "slow"
    bot = served(indexed, f"http://127.0.0.1:{stub.server_port}/v1", timeout_s=0.5, max_retries=0)
    with pytest.raises(ModelUnavailableError, match="délai"):
        bot.ask("Quelle est la température de consigne des ateliers ?")


def test_a_server_error_is_reported_with_its_status(indexed: Assistant, stub: StubServer) -> None:
    stub.mode = "error"
    bot = served(indexed, f"http://127.0.0.1:{stub.server_port}/v1", max_retries=0)
    with pytest.raises(ModelUnavailableError, match="HTTP 500"):
        bot.ask("Quelle est la température de consigne des ateliers ?")


def test_an_answer_cut_short_by_the_server_is_not_passed_off_as_complete(
        indexed: Assistant, stub: StubServer) -> None:
    stub.mode = "cut"
    bot = served(indexed, f"http://127.0.0.1:{stub.server_port}/v1")
    with pytest.raises(ModelUnavailableError, match="interrompu"):
        bot.ask("Quelle est la température de consigne des ateliers ?")


def test_long_conversations_drop_their_oldest_turns_to_fit_the_context(settings: Settings) -> None:
    llm = build_llm(settings.model_copy(update={"llm": LLMSettings(backend="openai", n_ctx=600)}))
    assert isinstance(llm, ServerChat)
    turn = "mot " * 150  # 600 characters: about 150 tokens
    messages = [ChatMessage(role=MessageRole.SYSTEM, content="système")]
    for n in range(4):
        messages += [ChatMessage(role=MessageRole.USER, content=f"question {n} {turn}"),
                     ChatMessage(role=MessageRole.ASSISTANT, content=f"réponse {n}")]
    messages.append(ChatMessage(role=MessageRole.USER, content="dernière question"))
    kept = llm.fit(messages)
    assert kept[0]["content"] == "système" and kept[-1]["content"] == "dernière question"
    assert 1 < len(kept) < len(messages)
    assert kept[1]["content"].startswith("question 3")  # the most recent turns are the ones kept

"""The data each turn of the conversation carries for clients (data-turn-json), and the HTTP
client's reading of it (eval.app_client): no markup is scraped, and no text breaks out of it."""
from __future__ import annotations

import json
import re
from html.parser import HTMLParser

from assistant import Assistant, Conversation
from assistant.render.html import ChatTurn, conversation_html
from eval.app_client import _writing, answers, questions, read_turns

QUESTION = "Quelle part des dirigeants cite la cybersécurité comme priorité ?"
REPLY = "La cybersécurité est citée comme priorité par 62 % des dirigeants interrogés [1]."
HOSTILE = 'Et « ça » ? </div><script>alert("x")</script> {{ 7*7 }} ${value} & \'fin\'\nligne 2'


class _Turns(HTMLParser):
    """The turns' data as a browser would read the attribute (entities decoded)."""

    def __init__(self) -> None:
        super().__init__()
        self.data: list[dict] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs).get("data-turn-json")
        if found is not None:
            self.data.append(json.loads(found))


def _parsed(page: str) -> list[dict]:
    parser = _Turns()
    parser.feed(page)
    return parser.data


def _answered(indexed: Assistant, conversation: Conversation) -> ChatTurn:
    indexed.llm().say(REPLY)
    events = list(indexed.stream(QUESTION, conversation))
    turn = ChatTurn(QUESTION)
    for event in events:
        turn.update(event)
    return turn


def test_a_client_reads_the_question_the_answer_with_its_markers_and_the_citations(indexed: Assistant) -> None:
    conversation = Conversation()
    turn = _answered(indexed, conversation)
    page = conversation_html([turn], conversation.id)
    [data] = read_turns(page)
    answer = turn.answer
    assert data["q"] == QUESTION and data["answer"] == answer.text and "[1]" in data["answer"]
    assert data["final"] and data["phase"] == "done" and not data["abstained"] and data["error"] == ""
    assert data["citations"] == [{"marker": c.marker, "document": c.passage.document, "title": c.passage.title,
                                  "page": c.passage.page, "passage_id": c.passage.id, "score": c.score}
                                 for c in answer.citations]
    assert data["citations"][0]["document"] == "etude.pdf" and data["citations"][0]["page"] == 2
    # the conversation and the answer's record in the audit log, as logged by the chat service
    logged = indexed.chat.audit.records()[-1]
    assert data["conversation"] == conversation.id == logged["conversation"]
    assert data["exchange"] == logged["id"] and logged["answer"] == data["answer"]
    assert _parsed(page) == [data]  # what a browser reads from the attribute is the same


def test_user_text_stays_inside_the_attribute_and_reads_back_unchanged() -> None:
    turns = [ChatTurn(HOSTILE, phase="error", error=HOSTILE), ChatTurn("Suite ?", phase="write", draft=HOSTILE)]
    page = conversation_html(turns, "c1")
    assert "<script>" not in page and page.count("<div class=\"turn\"") == 2
    assert re.search(r'data-turn-json="[^"<>]*"', page)  # nothing unescaped inside the attribute
    data = read_turns(page)
    assert [d["q"] for d in data] == [HOSTILE, "Suite ?"] and data[0]["error"] == HOSTILE
    assert data[1]["answer"] == HOSTILE and not data[1]["final"] and data[1]["phase"] == "write"
    assert _parsed(page) == data


def test_a_streaming_answer_is_read_without_its_unchecked_markers() -> None:
    searching = [ChatTurn(QUESTION)]
    assert read_turns(conversation_html(searching))[0]["answer"] == "" and not _writing(conversation_html(searching))
    writing = [ChatTurn(QUESTION, phase="write", draft="62 % des dirigeants [1]. Les rançon")]
    page = conversation_html(writing)
    assert answers(page) == ["62 % des dirigeants. Les rançon"] and _writing(page)
    assert questions(page) == [QUESTION] and read_turns(page)[0]["exchange"] == ""


def test_answers_and_questions_follow_the_conversation(indexed: Assistant) -> None:
    conversation = Conversation()
    first = _answered(indexed, conversation)
    failed = ChatTurn("Et ensuite ?", phase="error", error="Le serveur de modèle ne répond pas.")
    page = conversation_html([first, failed], conversation.id)
    assert questions(page) == [QUESTION, "Et ensuite ?"]
    assert answers(page) == [first.answer.text]  # an error is no answer
    assert not _writing(page)
    assert read_turns(page)[1]["error"] == "Le serveur de modèle ne répond pas." and not read_turns(page)[1]["final"]
    assert read_turns(conversation_html([])) == [] and not _writing(conversation_html([]))

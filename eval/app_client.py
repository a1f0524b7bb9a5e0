"""A plain HTTP client of the web app, speaking Gradio's queue protocol as the browser does
(POST /gradio_api/queue/join, then the server-sent events of /gradio_api/queue/data), standard
library only: used by the load test (eval/load.py), the concurrency and offline tests, and inside
a network namespace.

The chat events are private to the page (no public API), so they are found in /config by the
elem_id of the button that triggers them, as the page's own JavaScript does.
"""
from __future__ import annotations

import html
import http.cookiejar
import json
import re
import time
import urllib.parse
import urllib.request
import uuid
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Exchange:
    question: str
    chat_html: str  # the conversation as the page shows it after the answer
    messages: list[str] = field(default_factory=list)  # the kinds of queue messages received
    first_text_s: float | None = None  # from sending to the first piece of answer text shown
    total_s: float = 0.0  # from sending to the finished answer
    updates: int = 0  # times the conversation was redrawn (streamed pieces)


class AppClient:
    """One browser tab: its own session hash (hence its own server-side state) and cookies."""

    def __init__(self, base_url: str, timeout: float = 120) -> None:
        self.base = base_url.rstrip("/")
        self.session_hash = uuid.uuid4().hex[:11]
        self.timeout = timeout
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies))
        self._config: dict[str, Any] | None = None

    def get(self, path: str) -> tuple[int, str]:
        try:
            with self.opener.open(self.base + path, timeout=self.timeout) as response:
                return response.status, response.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode("utf-8", "replace")

    def post(self, path: str, payload: dict[str, Any]) -> int:
        request = urllib.request.Request(self.base + path, data=json.dumps(payload).encode(),
                                         headers={"Content-Type": "application/json"})
        try:
            with self.opener.open(request, timeout=self.timeout) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code

    def login(self, user: str, password: str) -> int:
        data = urllib.parse.urlencode({"username": user, "password": password}).encode()
        try:
            with self.opener.open(urllib.request.Request(self.base + "/login", data=data), timeout=self.timeout) as r:
                return r.status
        except urllib.error.HTTPError as error:
            return error.code

    def config(self) -> dict[str, Any]:
        if self._config is None:
            status, body = self.get("/config")
            if status != 200:
                raise PermissionError(f"/config answered {status}")
            self._config = json.loads(body)
        return self._config

    def _event(self, elem_id: str, trigger: str) -> tuple[int, list[dict[str, Any]], list[dict[str, Any]]]:
        config = self.config()
        components = {c["id"]: c for c in config["components"]}
        target = next(c["id"] for c in config["components"] if c["props"].get("elem_id") == elem_id)
        for index, dependency in enumerate(config["dependencies"]):
            if [target, trigger] in dependency["targets"]:
                return (dependency.get("id", index), [components[i] for i in dependency["inputs"]],
                        [components[i] for i in dependency["outputs"]])
        raise LookupError(f"no {trigger} event on #{elem_id}")

    def ask(self, question: str, model: str | None = None, passages: int | None = None) -> Exchange:
        """Send a question with the « Envoyer » button's event; return the final conversation HTML.
        Model and passages default to what the page shows, as a user who leaves them alone."""
        fn_index, inputs, outputs = self._event("send", "click")
        given = {"question": question, "model": model, "passages": passages}
        data: list[Any] = []
        for component in inputs:
            elem_id = component["props"].get("elem_id")
            if elem_id not in given:
                data.append(None)  # the session state: kept by the server
            else:
                data.append(component["props"].get("value") if given[elem_id] is None else given[elem_id])
        started = time.perf_counter()
        body = json.dumps({"data": data, "fn_index": fn_index, "trigger_id": None, "event_data": None,
                           "session_hash": self.session_hash}).encode()
        request = urllib.request.Request(self.base + "/gradio_api/queue/join", data=body,
                                         headers={"Content-Type": "application/json"})
        with self.opener.open(request, timeout=self.timeout) as response:
            event_id = json.loads(response.read())["event_id"]
        chat_index = next(i for i, c in enumerate(outputs) if c["props"].get("elem_id") == "chat-box")
        exchange = Exchange(question, "")
        url = f"{self.base}/gradio_api/queue/data?session_hash={self.session_hash}"
        with self.opener.open(url, timeout=self.timeout) as stream:
            for raw in stream:
                line = raw.decode("utf-8").strip()
                if not line.startswith("data:"):
                    continue
                message = json.loads(line[5:])
                if message.get("event_id") not in (None, event_id):
                    continue
                exchange.messages.append(message.get("msg", ""))
                output = message.get("output") or {}
                if message.get("msg") in ("process_generating", "process_completed") and output.get("data"):
                    value = output["data"][chat_index]
                    if isinstance(value, str):
                        exchange.chat_html = value
                    elif isinstance(value, list):  # streamed diff: [["replace"|"append", path, value], ...]
                        for operation, _path, text in value:
                            exchange.chat_html = text if operation == "replace" else exchange.chat_html + text
                    exchange.updates += 1
                    if exchange.first_text_s is None and _writing(exchange.chat_html):
                        exchange.first_text_s = time.perf_counter() - started
                if message.get("msg") == "unexpected_error":  # e.g. the worker is stopping
                    raise RuntimeError(f"the app failed: {message}")
                if message.get("msg") == "process_completed":
                    if not message.get("success", True):
                        raise RuntimeError(f"the app failed: {message}")
                    exchange.total_s = time.perf_counter() - started
                    return exchange
        raise RuntimeError("the app closed the event stream before the answer was complete")


def answers(chat_html: str) -> list[str]:
    """The final answers shown in a conversation, as text."""
    blocks = re.findall(r"data-testid='answer'>(.*?)</div>", chat_html, flags=re.S)
    return [html.unescape(re.sub(r"<[^>]+>", "", block)) for block in blocks]


def questions(chat_html: str) -> list[str]:
    """The questions of a conversation, as the page shows them."""
    return [html.unescape(q) for q in
            re.findall(r"<div class='q'><div class='who'>Vous</div><div class='bubble'>(.*?)</div>", chat_html)]


def _writing(chat_html: str) -> bool:
    """The last question's answer has begun to show (streamed draft or final answer)."""
    shown = answers(chat_html)
    return len(shown) == len(questions(chat_html)) and bool(shown[-1].strip())


_TURN = re.compile(r"<div class='turn' data-testid='turn' data-turn='\d+'>")
_ANSWER = re.compile(r"<div class='answer ([^']*)' data-testid='answer'>(.*?)</div>", re.S)
_CITE = re.compile(r"<button class='cite'[^>]*>(\d+)</button>")
_CHIP = re.compile(r"<button class='chip cited'[^>]*title='([^']*)'><span class='chip-n'>(\d+)</span>(.*?)</button>")


def _text(fragment: str) -> str:
    """Answer HTML back to the answer's text: citation buttons become [n] again."""
    fragment = _CITE.sub(r"[\1]", fragment).replace("<sup class='weak-mark'>?</sup>", "").replace("<br>", "\n")
    return html.unescape(re.sub(r"<[^>]+>", "", fragment))


def read_turns(chat_html: str) -> list[dict[str, Any]]:
    """Each turn of a conversation as the page shows it, in the evaluation's results format as far
    as the page tells it: question, answer with its [n], abstention, error, and the cited sources
    (document, title, page; the passages' text is not on the page)."""
    turns = []
    for part in _TURN.split(chat_html)[1:]:
        question = re.search(r"<div class='bubble'>(.*?)</div>", part, re.S)
        answer = _ANSWER.search(part)
        error = re.search(r"data-testid='error'>(.*?)</div>", part, re.S)
        cited = part.split("data-testid='cited'>", 1)[1].split("</div>", 1)[0] if "data-testid='cited'>" in part else ""
        citations = []
        for document, marker, label in _CHIP.findall(cited):
            title, _, page = html.unescape(label).partition(" · p. ")
            citations.append({"marker": int(marker), "document": html.unescape(document), "title": title,
                              "page": int(page) if page.isdigit() else None})
        kind = answer.group(1).split() if answer else []
        turns.append({"q": html.unescape(question.group(1)) if question else "",
                      "answer": _text(answer.group(2)) if answer else "", "final": "final" in kind,
                      "abstained": "abstained" in kind, "error": html.unescape(error.group(1)) if error else "",
                      "citations": citations})
    return turns

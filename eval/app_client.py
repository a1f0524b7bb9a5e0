"""A plain HTTP client of the web app, speaking Gradio's queue protocol as the browser does
(POST /gradio_api/queue/join, then the server-sent events of /gradio_api/queue/data), standard
library only: used by the load test (eval/load.py), the concurrency and offline tests, and inside
a network namespace.

The chat events are private to the page (no public API), so they are found in /config by the
elem_id of the button that triggers them, as the page's own JavaScript does. What the page shows
is read from the JSON each turn carries (data-turn-json), never from its markup.
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
        return self._follow(Exchange(question, ""), event_id, chat_index, started)

    def _follow(self, exchange: Exchange, event_id: str, chat_index: int, started: float) -> Exchange:
        """Read the queue's server-sent events until the answer is complete, keeping the latest
        conversation HTML and when its answer began to show."""
        url = f"{self.base}/gradio_api/queue/data?session_hash={self.session_hash}"
        with self.opener.open(url, timeout=self.timeout) as stream:
            for raw in stream:
                line = raw.decode("utf-8").strip()
                message = json.loads(line[5:]) if line.startswith("data:") else {}
                if not message or message.get("event_id") not in (None, event_id):
                    continue
                exchange.messages.append(message.get("msg", ""))
                output = message.get("output") or {}
                if message.get("msg") in ("process_generating", "process_completed") and output.get("data"):
                    exchange.chat_html = _updated(exchange.chat_html, output["data"][chat_index])
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


def _updated(current: str, value: Any) -> str:
    """An HTML output after one update: the whole value, or a streamed diff applied to it
    ([["replace"|"append", path, text], ...])."""
    if isinstance(value, str):
        return value
    for operation, _path, text in value if isinstance(value, list) else []:
        current = text if operation == "replace" else current + text
    return current


_TURN_JSON = re.compile(r'data-turn-json="([^"]*)"')  # escaped by the page's templates: no raw "


def read_turns(chat_html: str) -> list[dict[str, Any]]:
    """Each turn of a conversation as the page carries it (assistant.render.html.turn_data): the
    evaluation's results format as far as the page has it: question, answer with its [n] (the
    text shown so far while it streams), abstained, final, error, the cited sources (marker,
    document, title, page, passage_id, score; their text is in the audit log), the conversation
    id and the audit record id of the answer."""
    return [json.loads(html.unescape(data)) for data in _TURN_JSON.findall(chat_html)]


def answers(chat_html: str) -> list[str]:
    """The answers shown in a conversation, final or streaming, with their [n] markers."""
    return [turn["answer"] for turn in read_turns(chat_html) if turn["phase"] in ("write", "done")]


def questions(chat_html: str) -> list[str]:
    """The questions of a conversation, as the page shows them."""
    return [turn["q"] for turn in read_turns(chat_html)]


def _writing(chat_html: str) -> bool:
    """The last question's answer has begun to show (streamed draft or final answer)."""
    turns = read_turns(chat_html)
    return bool(turns) and bool(turns[-1]["answer"].strip())

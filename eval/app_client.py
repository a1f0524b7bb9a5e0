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

    def ask(self, question: str, model: str = "fake", passages: int = 5) -> Exchange:
        """Send a question with the « Envoyer » button's event; return the final conversation HTML."""
        fn_index, inputs, outputs = self._event("send", "click")
        data = []
        for component in inputs:
            kind, elem_id = component["type"], component["props"].get("elem_id")
            data.append(question if elem_id == "question" else model if elem_id == "model"
                        else passages if elem_id == "passages" else None)  # state: kept by the server
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
                if message.get("msg") == "process_completed":
                    if not message.get("success", True):
                        raise RuntimeError(f"the app failed: {message}")
                    break
        return exchange


def answers(chat_html: str) -> list[str]:
    """The final answers shown in a conversation, as text."""
    blocks = re.findall(r"data-testid='answer'>(.*?)</div>", chat_html, flags=re.S)
    return [html.unescape(re.sub(r"<[^>]+>", "", block)) for block in blocks]


def questions(chat_html: str) -> list[str]:
    """The questions of a conversation, as the page shows them."""
    return [html.unescape(q) for q in
            re.findall(r"<div class='q'><div class='who'>Vous</div><div class='bubble'>(.*?)</div>", chat_html)]

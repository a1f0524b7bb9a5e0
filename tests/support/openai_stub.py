"""A scripted OpenAI-compatible server on loopback for the fast tests: it streams a reply that
quotes and cites the first evidence passage of the prompt, as a model that follows it would."""
from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

PROMPT_TOKENS = 321  # what the stub reports as usage


class StubServer(ThreadingHTTPServer):
    mode = "ok"  # ok | cut | slow | error
    requests: list[dict[str, Any]]
    lock: threading.Lock
    in_flight = 0
    peak = 0  # most requests answered at once

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # a client that gave up waiting (the timeout test) breaks the pipe: expected


class Handler(BaseHTTPRequestHandler):
    server: StubServer

    def log_message(self, *args: Any) -> None:
        pass

    def _json(self, status: int, body: dict[str, Any]) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self) -> None:
        self._json(200, {"object": "list", "data": [{"id": "stub", "object": "model", "owned_by": "me"}]})

    def do_POST(self) -> None:
        with self.server.lock:
            self.server.in_flight += 1
            self.server.peak = max(self.server.peak, self.server.in_flight)
        try:
            self._reply()
        finally:
            with self.server.lock:
                self.server.in_flight -= 1

    def _reply(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        self.server.requests.append(body)
        mode = self.server.mode
        if mode == "error":
            self._json(500, {"error": {"message": "out of memory", "type": "server_error"}})
            return
        if mode == "slow":
            time.sleep(3)
        # Like a model that follows the prompt: quote the first evidence sentence, cite it.
        first = re.search(r"^\[(\d+)\] \([^)]*\) (.+)$", body["messages"][-1]["content"], re.MULTILINE)
        reply = f"{first.group(2).split('. ')[0].rstrip('. ')} [{first.group(1)}]." if first else "?"
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.end_headers()
        words = re.findall(r"\S+\s*", reply)
        for i, word in enumerate(words):
            last = i == len(words) - 1
            chunk = {"id": "c", "object": "chat.completion.chunk", "created": 0, "model": "stub",
                     "choices": [{"index": 0, "delta": {"content": word},
                                  "finish_reason": "stop" if last and mode != "cut" else None}]}
            self.wfile.write(f"data: {json.dumps(chunk)}\n\n".encode())
        if mode != "cut":
            usage = {"id": "c", "object": "chat.completion.chunk", "created": 0, "model": "stub",
                     "choices": [], "usage": {"prompt_tokens": PROMPT_TOKENS, "completion_tokens": len(words),
                                              "total_tokens": PROMPT_TOKENS + len(words)}}
            self.wfile.write(f"data: {json.dumps(usage)}\n\n".encode())
        self.wfile.write(b"data: [DONE]\n\n")


@contextmanager
def running_stub() -> Iterator[StubServer]:
    server = StubServer(("127.0.0.1", 0), Handler)
    server.requests = []
    server.lock = threading.Lock()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()

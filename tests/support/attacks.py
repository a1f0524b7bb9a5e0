"""Cross-site, host and login attacks on a running app, as a hostile page in a logged-in user's browser,
a DNS-rebinding page or a password guesser would make them; each returns what it observed.

    python tests/support/attacks.py URL HOST [USER PASSWORD AUDIT_LOG]   # prints the observations as JSON

`HOST` is the name the app is reached by (its Host header); the attacker's origin is another site.
Run against an older checkout too, to record the outcome before the fixes (docs/security.md).
"""
from __future__ import annotations

import http.server
import json
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

from eval.app_client import AppClient

ATTACKER = "https://attacker.example"
REBOUND = "rebind.attacker.example"


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any) -> None:
        return None


def call(url: str, method: str = "GET", headers: dict[str, str] | None = None, body: bytes | None = None
         ) -> tuple[int, dict[str, list[str]], str]:
    """(status, headers (lowercase names, every value), body) of one raw request."""
    request = urllib.request.Request(url, data=body, method=method, headers=headers or {})
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(request, timeout=60) as response:
            status, head, text = response.status, response.headers, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        status, head, text = error.code, error.headers, error.read().decode("utf-8", "replace")
    names = {k.lower() for k in head.keys()}
    return status, {name: head.get_all(name) or [] for name in names}, text


def cookie_header(client: AppClient) -> str:
    return "; ".join(f"{c.name}={c.value}" for c in client.cookies)


def join_payload(client: AppClient, question: str) -> bytes:
    fn_index, inputs, _ = client._event("send", "click")
    data = [question if c["props"].get("elem_id") == "question" else c["props"].get("value") for c in inputs]
    return json.dumps({"data": data, "fn_index": fn_index, "trigger_id": None, "event_data": None,
                       "session_hash": "attaque"}).encode()


def exchanges(audit: Path | None) -> int:
    if audit is None or not audit.exists():
        return 0
    return sum('"type": "exchange"' in line for line in audit.read_text(encoding="utf-8").splitlines())


class _Target(http.server.BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        _Target.hits.append(self.path)
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"donnees internes")

    def log_message(self, *args: Any) -> None:
        pass


def fetch_url_through_file_route(url: str, host: str, cookie: str) -> dict[str, Any]:
    """/gradio_api/file=<a URL>: does the app fetch it for us (server-side request forgery)?"""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Target)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        target = f"http://127.0.0.1:{server.server_address[1]}/interne"
        status, _, body = call(f"{url}/gradio_api/file={target}", headers={"Host": host, "Cookie": cookie})
    finally:
        server.shutdown()
    # A public address: Gradio's own check lets it through and connects (offline here: it fails).
    started = time.monotonic()
    public, _, text = call(f"{url}/gradio_api/file=http://8.8.8.8/x.png", headers={"Host": host, "Cookie": cookie})
    return {"status": status, "fetched": bool(_Target.hits), "leaked": "donnees internes" in body,
            "public": {"status": public, "answer": text[:120], "seconds": round(time.monotonic() - started, 1)}}


def attacks(url: str, host: str, user: str = "", password: str = "", audit: Path | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {}
    client = AppClient(url)
    if user:
        out["login"] = client.login(user, password)
    cookie = cookie_header(client)
    same = {"Host": host, "Cookie": cookie}
    status, _, body = call(f"{url}/config", headers={**same, "Host": f"{REBOUND}:80"})
    out["rebinding"] = {"status": status, "config": '"components"' in body}
    status, head, body = call(f"{url}/config", headers={**same, "Origin": ATTACKER})
    out["cross_origin_read"] = {"status": status, "config": '"components"' in body,
                                "allow_origin": head.get("access-control-allow-origin", []),
                                "allow_credentials": head.get("access-control-allow-credentials", [])}
    status, head, _ = call(f"{url}/gradio_api/queue/join", "OPTIONS", {
        "Host": host, "Origin": ATTACKER, "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type"})
    out["preflight"] = {"status": status, "allow_origin": head.get("access-control-allow-origin", [])}
    before = exchanges(audit)
    payload = join_payload(client, "Combien de tonnes d'acier le site de Dunkerque a-t-il produit en 2023 ?")
    status, _, body = call(f"{url}/gradio_api/queue/join", "POST",
                           {**same, "Origin": ATTACKER, "Content-Type": "application/json"}, payload)
    out["cross_origin_join"] = {"status": status, "queued": "event_id" in body}
    status, _, body = call(f"{url}/gradio_api/queue/join", "POST",
                           {**same, "Origin": "null", "Content-Type": "application/json"}, payload)
    out["null_origin_join"] = {"status": status, "queued": "event_id" in body}
    if audit is not None:
        time.sleep(3)  # a queued question would be answered (fake model) and logged by now
        out["questions_run_by_attacker"] = exchanges(audit) - before
    status, _, body = call(f"{url}/config", headers={**same, "X-Forwarded-For": "203.0.113.9"})
    out["through_a_proxy"] = {"status": status, "config": '"components"' in body}
    out["file_url"] = fetch_url_through_file_route(url, host, cookie)
    if user:
        out.update(login_attacks(url, host, user, password))
    return out


def login_attacks(url: str, host: str, user: str, password: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    form = urllib.parse.urlencode({"username": user, "password": password}).encode()
    status, head, _ = call(f"{url}/login", "POST", {"Host": host, "Content-Type": "application/x-www-form-urlencoded"},
                           form)
    out["login_cookies"] = {"status": status, "set_cookie": head.get("set-cookie", [])}
    status, _, body = call(f"{url}/config", headers={"Host": host})
    out["anonymous"] = {"status": status, "config": '"components"' in body}
    guesses = [call(f"{url}/login", "POST", {"Host": host, "Content-Type": "application/x-www-form-urlencoded"},
                    urllib.parse.urlencode({"username": user, "password": f"devine-{i}"}).encode())[0]
               for i in range(8)]
    status = call(f"{url}/login", "POST", {"Host": host, "Content-Type": "application/x-www-form-urlencoded"},
                  form)[0]
    out["brute_force"] = {"guesses": guesses, "right_password_after": status}
    return out


if __name__ == "__main__":
    url, host, *rest = sys.argv[1:]
    user, password, audit = (rest + ["", "", ""])[:3]
    print(json.dumps(attacks(url, host, user, password, Path(audit) if audit else None), ensure_ascii=False))

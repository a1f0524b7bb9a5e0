"""The checks in front of the Gradio app (an ASGI middleware of the FastAPI app it is mounted in):
only the configured Host names (DNS rebinding), only the app's own origin or configured ones (another
site driving a logged-in browser), no login-less app behind a proxy, no URL fetched through
``/file=``, login cookies never ``SameSite=None``, and failed logins rate-limited per client address
and per user name.

Gradio has none of these as settings: it echoes any Origin with credentials when not on localhost,
sets its login cookie SameSite=None, checks no Host header, and its ``/file=`` route streams URLs.
Starlette's TrustedHostMiddleware checks Host only; the rest needs the request and the response
together, hence one small middleware.
"""
from __future__ import annotations

import ipaddress
import json
import re
import socket
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote, urlsplit

from starlette.datastructures import Headers, MutableHeaders
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from assistant.services.access import Accounts

LOOPBACK_NAMES = {"localhost", "127.0.0.1", "::1"}
URL_LIKE = re.compile(r"^\s*[a-z][a-z0-9+.\-]*:|^\s*//", re.IGNORECASE)  # http:, https:, ftp:, //host
MAX_LOGIN_BODY = 64 * 1024


def is_loopback(host: str) -> bool:
    host = host.strip("[]")
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


def allowed_hosts(bind: str, configured: Iterable[str]) -> set[str]:
    """Host names the app answers to: loopback names, the configured ones and, when it listens
    beyond loopback, its bind address and this machine's names."""
    hosts = set(LOOPBACK_NAMES) | {h.strip().strip("[]").lower() for h in configured if h.strip()}
    bind = bind.strip("[]")
    if not is_loopback(bind):
        hosts |= {socket.gethostname().lower(), socket.getfqdn().lower()}
        if bind not in ("0.0.0.0", "::", ""):
            hosts.add(bind.lower())
    return hosts


def hostname(value: str) -> str:
    """The host of a Host header or an origin, without port or brackets, lowercase."""
    netloc = urlsplit(value).netloc if "://" in value else value
    if netloc.startswith("["):
        return netloc[1:netloc.find("]")].lower()
    return netloc.rsplit(":", 1)[0].lower() if netloc.count(":") == 1 else netloc.lower()


@dataclass
class Policy:
    hosts: set[str]  # "*" among them: any Host
    origins: set[str]  # other sites allowed besides the app's own origin
    accounts: Accounts


class SiteGuard:
    def __init__(self, app: ASGIApp, policy: Policy) -> None:
        self.app = app
        self.policy = policy

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        refusal = self.refusal(scope, Headers(scope=scope))
        if refusal:
            if scope["type"] == "websocket":
                await send({"type": "websocket.close", "code": 1008})
            else:
                await PlainTextResponse(refusal[1], refusal[0])(scope, receive, send)
            return
        if scope["type"] == "http" and scope["method"] == "POST" and scope["path"].rstrip("/").endswith("/login"):
            await self.login(scope, receive, send)
            return
        await self.app(scope, receive, _strict_cookies(send))

    def refusal(self, scope: Scope, headers: Headers) -> tuple[int, str] | None:
        """(status, French reason) of a request refused before the app sees it, or None."""
        host = hostname(headers.get("host", ""))
        if "*" not in self.policy.hosts and host not in self.policy.hosts:
            return 400, (f"Hôte non autorisé : « {host} ». Ajoutez le nom par lequel on joint l’application "
                         "à app.allowed_hosts.")
        origin = headers.get("origin")
        if origin is not None and origin not in self.policy.origins and \
                (origin == "null" or hostname(origin) != host):
            return 403, "Origine non autorisée : cette page ne peut pas être pilotée depuis un autre site."
        if not self.policy.accounts.login_required and ("x-forwarded-for" in headers or "forwarded" in headers):
            return 403, ("Cette application sans comptes n’est ouverte qu’à ce poste : derrière un mandataire, "
                         "créez des comptes (assistant user add).")
        _, marker, target = scope["path"].partition("/file=")
        if marker and URL_LIKE.match(unquote(target)):
            return 403, "Cette application ne va chercher aucune adresse extérieure."
        return None

    async def login(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Gradio's login, unless this address or this name failed too often lately."""
        request = Request(scope, receive)
        body = await request.body()
        if len(body) > MAX_LOGIN_BODY:
            await PlainTextResponse("Requête trop longue.", 413)(scope, receive, send)
            return
        name = str((await request.form()).get("username", "")).strip()
        client = scope.get("client")
        keys = {f"adresse:{client[0] if client else ''}": None,
                f"nom:{name}": self.policy.accounts.attempts_per_name}
        throttle = self.policy.accounts.throttle
        wait = max(throttle.wait(key, attempts) for key, attempts in keys.items())
        if wait > 0:
            message = f"Trop de tentatives de connexion : réessayez dans {int(wait // 60) + 1} min."
            await Response(json.dumps({"detail": message}), 429, media_type="application/json")(scope, receive, send)
            return
        replayed, status = [body], [0]

        async def replay() -> Message:  # the body read above, once, for Gradio's own login route
            if replayed:
                return {"type": "http.request", "body": replayed.pop(), "more_body": False}
            return await receive()

        async def watch(message: Message) -> None:
            if message["type"] == "http.response.start":
                status[0] = message["status"]
            await _strict_cookies(send)(message)

        await self.app(scope, replay, watch)
        if status[0] == 400:  # Gradio's « Incorrect credentials »
            for key in keys:
                throttle.failed(key)
        elif status[0] == 200:
            throttle.succeeded(f"nom:{name}")


def _strict_cookies(send: Send) -> Any:
    """Cookies set SameSite=Lax (Gradio sets its login cookie SameSite=None: sent with requests
    from any site); the page never framed by another site."""
    async def wrapped(message: Message) -> None:
        if message["type"] == "http.response.start":
            headers = MutableHeaders(scope=message)
            cookies = headers.getlist("set-cookie")
            if cookies:
                del headers["set-cookie"]
                for cookie in cookies:
                    cookie = re.sub(r";\s*samesite=\w+", "", cookie, flags=re.IGNORECASE)
                    headers.append("set-cookie", f"{cookie}; SameSite=Lax")
            headers["X-Frame-Options"] = "SAMEORIGIN"
        await send(message)
    return wrapped

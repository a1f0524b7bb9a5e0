"""Who uses the app and what they may see and change: named accounts (scrypt password hashes, access
groups, a role), the login check with its rate limit, and the `User` every service call is made for.

Passwords are hashed with hashlib's scrypt (memory-hard, in the standard library: no extra
dependency) and compared in constant time. With no account configured the app is a single-user
install on this machine: its one user reads every document and may change them.
"""
from __future__ import annotations

import base64
import functools
import getpass
import hashlib
import hmac
import secrets
import threading
import time
from collections import defaultdict, deque
from dataclasses import dataclass
from pathlib import Path

import yaml

from assistant.config import Account, AppSettings

# 2**15 × 8 × 128 bytes = 32 MB and about 0.1 s per check: costly to guess, cheap to log in.
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**15, 8, 1
ROLES = ("reader", "editor", "admin")


def hash_password(password: str) -> str:
    """``scrypt$n$r$p$salt$hash`` (base64), what an account's password_hash holds."""
    salt = secrets.token_bytes(16)
    digest = _scrypt(password, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P)
    return "$".join(["scrypt", str(SCRYPT_N), str(SCRYPT_R), str(SCRYPT_P),
                     base64.b64encode(salt).decode(), base64.b64encode(digest).decode()])


def verify_password(password: str, encoded: str) -> bool:
    try:
        scheme, n, r, p, salt, digest = encoded.split("$")
        if scheme != "scrypt":
            return False
        expected = base64.b64decode(digest)
        got = _scrypt(password, base64.b64decode(salt), int(n), int(r), int(p), len(expected))
    except (ValueError, TypeError):  # a malformed hash never lets anyone in
        return False
    return hmac.compare_digest(got, expected)


def _scrypt(password: str, salt: bytes, n: int, r: int, p: int, length: int = 32) -> bytes:
    return hashlib.scrypt(password.encode("utf-8"), salt=salt, n=n, r=r, p=p, dklen=length,
                          maxmem=256 * r * n + (1 << 20))


@dataclass(frozen=True)
class User:
    """Who a request is made for. `groups` None: every document (the single-user install)."""
    name: str
    groups: frozenset[str] | None = frozenset()
    role: str = "reader"

    @property
    def search_groups(self) -> list[str] | None:
        """What retrieval filters on: these groups plus the public documents (None: all)."""
        return None if self.groups is None else sorted(self.groups)

    def may_read(self, group: str) -> bool:
        return self.groups is None or group == "" or group in self.groups

    def may_edit(self, group: str) -> bool:
        """Add, replace or delete a document of `group` ("" is public: admins only)."""
        if self.role not in ("editor", "admin") or not self.may_read(group):
            return False
        return group != "" or self.role == "admin" or self.groups is None

    def upload_groups(self) -> list[str]:
        """The groups this user may give an upload, public ("") first when allowed."""
        mine = sorted(self.groups or [])
        return [g for g in ["", *mine] if self.may_edit(g)]


LOCAL = User(getpass.getuser() or "local", None, "admin")  # no account configured: this machine's user
ANONYMOUS = User("anonyme", frozenset(), "reader")  # never reached behind a login: public documents only


class LoginThrottle:
    """At most `attempts` failed logins per key (a client address, a user name) in `wait_s`; then
    that key waits until the oldest failure is `wait_s` old, whatever the password."""

    def __init__(self, attempts: int = 5, wait_s: float = 300.0) -> None:
        self.attempts, self.wait_s = attempts, wait_s
        self._failures: dict[str, deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    def wait(self, key: str, attempts: int | None = None) -> float:
        """Seconds `key` must still wait (0: it may try)."""
        with self._lock:
            failures = self._recent(key)
            if len(failures) < (attempts or self.attempts):
                return 0.0
            return max(0.0, failures[0] + self.wait_s - time.monotonic())

    def failed(self, key: str) -> None:
        with self._lock:
            self._recent(key).append(time.monotonic())

    def succeeded(self, key: str) -> None:
        with self._lock:
            self._failures.pop(key, None)

    def _recent(self, key: str) -> deque[float]:
        failures = self._failures[key]
        while failures and failures[0] < time.monotonic() - self.wait_s:
            failures.popleft()
        return failures


class Accounts:
    """The configured accounts: the login check and the `User` of a logged-in name."""

    def __init__(self, app: AppSettings) -> None:
        self.accounts: dict[str, Account] = dict(app.accounts)
        self.throttle = LoginThrottle(app.login_attempts, app.login_wait_s)
        # A user name is tried from many addresses before it waits: slows a spread-out guesser
        # without letting one address lock a colleague out for long.
        self.attempts_per_name = app.login_attempts * 4

    @property
    def login_required(self) -> bool:
        return bool(self.accounts)

    def authenticate(self, name: str, password: str) -> bool:
        """The password checked against the account's hash (an unknown name costs the same)."""
        account = self.accounts.get(name)
        encoded = account.password_hash if account else _decoy()
        return verify_password(password, encoded) and account is not None

    def user(self, name: str | None) -> User:
        """The user a request is made for (`name`: Gradio's logged-in name, None without login)."""
        if not self.login_required:
            return LOCAL
        account = self.accounts.get(name or "")
        if account is None:
            return ANONYMOUS
        return User(name or "", frozenset(account.groups), account.role)


@functools.cache
def _decoy() -> str:
    return hash_password(secrets.token_hex(8))


def save_account(settings_file: Path, name: str, account: Account | None) -> None:
    """Write (or, `account` None, remove) an account in the YAML settings file, the rest kept;
    the file stays readable by its owner only, as it holds password hashes."""
    data = yaml.safe_load(settings_file.read_text(encoding="utf-8")) if settings_file.exists() else None
    data = data if isinstance(data, dict) else {}
    accounts = data.setdefault("app", {}).setdefault("accounts", {}) or {}
    if account is None:
        accounts.pop(name, None)
    else:
        accounts[name] = account.model_dump()
    data["app"]["accounts"] = accounts
    settings_file.parent.mkdir(parents=True, exist_ok=True)
    settings_file.touch(mode=0o600, exist_ok=True)
    settings_file.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")

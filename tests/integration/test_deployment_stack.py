"""The documented scale-out stack on this machine: two app workers started with the systemd unit's
command line, the shared environment file and settings file of docs/systemd (fake models instead of
the model and Chroma servers), the self-signed certificate of docs/make-certificate.sh and nginx with
docs/nginx.conf in front (Debian's nginx; without it, requests go to the workers as nginx would send
them). An anonymous request gets nothing: as shipped (no account yet) every forwarded request is
refused; once `assistant user add` has written an account, only the login page answers."""
from __future__ import annotations

import http.client
import os
import re
import shutil
import ssl
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.serving import Server, free_port, spawn_app_worker

pytestmark = pytest.mark.servers
ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
NAME = "assistant.example.fr"
SECRET = "La prime d'intéressement 2025 est de 900 euros par salarié."


def _environment(root: Path) -> dict[str, str]:
    """assistant.env with the fakes of the test profile in place of the model and Chroma servers."""
    env = {}
    for line in (DOCS / "systemd" / "assistant.env").read_text().splitlines():
        if "=" in line and not line.startswith("#"):
            key, value = line.split("=", 1)
            if not key.startswith(("ASSISTANT_LLM__", "ASSISTANT_STORE__", "XDG_")):
                env[key] = value
    env.update(ASSISTANT_PROFILE="test", ASSISTANT_SETTINGS=str(root / "settings.yaml"),
               ASSISTANT_CORPUS_DIR=str(root / "corpus"), ASSISTANT_AUDIT__PATH=str(root / "audit.jsonl"),
               GRADIO_TEMP_DIR=str(root / "gradio"))
    return env


def _worker_command(port: int) -> list[str]:
    unit = (DOCS / "systemd" / "assistant-app@.service").read_text()
    command = re.search(r"^ExecStart=\S+ app\.py (.*)$", unit, re.MULTILINE).group(1).replace("%i", str(port))
    return command.split()


def _start_workers(root: Path, env: dict[str, str]) -> list[Server]:
    workers = []
    for _ in range(2):
        port = free_port()
        args = _worker_command(port)
        assert args[args.index("--host") + 1] == "127.0.0.1" and "--no-index" in args
        workers.append(spawn_app_worker(port, root / "logs", env))
    for worker in workers:
        worker.wait_ready(worker.url + "/", 180)
    return workers


def _nginx(root: Path, workers: list[Server]) -> tuple[subprocess.Popen, int, int]:
    conf = (DOCS / "nginx.conf").read_text()
    servers = "".join(f"    server {w.url.removeprefix('http://')};\n" for w in workers)
    conf = re.sub(r"(    server app\d:7860;.*\n)+", servers, conf)
    http_port, https_port = free_port(), free_port()
    conf = conf.replace("listen 80;", f"listen 127.0.0.1:{http_port};")
    conf = conf.replace("listen 443 ssl;", f"listen 127.0.0.1:{https_port} ssl;")
    conf = conf.replace("/etc/nginx/tls", str(root / "tls"))
    main = (f"{'user root;' if os.geteuid() == 0 else ''}\npid {root}/nginx.pid;\nerror_log {root}/nginx.log;\n"
            f"events {{}}\nhttp {{\naccess_log off;\nclient_body_temp_path {root}/body;\n"
            f"proxy_temp_path {root}/proxy;\n{conf}\n}}\n")
    (root / "nginx.conf").write_text(main)
    process = subprocess.Popen(["nginx", "-p", str(root), "-c", str(root / "nginx.conf"), "-g", "daemon off;"],
                               stderr=subprocess.STDOUT, stdout=(root / "nginx.out").open("wb"))
    time.sleep(1)
    assert process.poll() is None, (root / "nginx.out").read_text()
    return process, http_port, https_port


class Front:
    """What a user's browser reaches: nginx over HTTPS, or a worker as nginx would call it."""

    def __init__(self, root: Path, port: int, tls: bool) -> None:
        self.port, self.tls = port, tls
        self.context = ssl.create_default_context(cafile=str(root / "tls" / "assistant.crt"))
        self.context.check_hostname = False  # 127.0.0.1 here, the certificate names NAME

    def request(self, method: str, path: str, body: str | None = None, headers: dict[str, str] | None = None
                ) -> tuple[int, dict[str, str], str]:
        connection = (http.client.HTTPSConnection("127.0.0.1", self.port, context=self.context, timeout=60)
                      if self.tls else http.client.HTTPConnection("127.0.0.1", self.port, timeout=60))
        sent = {"Host": NAME, **({} if self.tls else {"X-Forwarded-For": "203.0.113.9"}), **(headers or {})}
        connection.request(method, path, body=body, headers=sent)
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read().decode("utf-8", "replace")


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, dict[str, str]]]:
    root = tmp_path_factory.mktemp("stack")
    (root / "corpus").mkdir()
    (root / "corpus" / "note-rh.md").write_text(f"# Note RH\n\n{SECRET}\n", encoding="utf-8")
    shutil.copy(DOCS / "systemd" / "settings.yaml", root / "settings.yaml")
    made = subprocess.run(["sh", str(DOCS / "make-certificate.sh"), NAME, str(root / "tls")], capture_output=True,
                          text=True)
    assert made.returncode == 0, made.stderr
    yield root, _environment(root)


def _serve(root: Path, env: dict[str, str]):  # noqa: ANN202 - (workers, nginx or None, front)
    workers = _start_workers(root, env)
    if shutil.which("nginx") is None:
        return workers, None, Front(root, int(workers[0].url.rsplit(":", 1)[1]), tls=False)
    nginx, http_port, https_port = _nginx(root, workers)
    redirect = http.client.HTTPConnection("127.0.0.1", http_port, timeout=30)
    redirect.request("GET", "/config", headers={"Host": NAME})
    answer = redirect.getresponse()
    assert answer.status == 301 and answer.getheader("Location") == f"https://{NAME}/config"  # no clear text
    return workers, nginx, Front(root, https_port, tls=True)


def _stop(workers: list[Server], nginx: subprocess.Popen | None) -> None:
    if nginx is not None:
        nginx.terminate()
        nginx.wait(20)
    for worker in workers:
        worker.stop()


ANONYMOUS = [("GET", "/"), ("GET", "/config"), ("GET", "/gradio_api/info"), ("POST", "/gradio_api/queue/join"),
             ("GET", "/gradio_api/file=" + "/etc/assistant/settings.yaml")]


def test_as_shipped_without_accounts_the_stack_serves_nothing(stack) -> None:
    root, env = stack
    workers, nginx, front = _serve(root, env)
    try:
        for method, path in ANONYMOUS:
            status, _, body = front.request(method, path, "{}" if method == "POST" else None)
            assert status == 403 and SECRET not in body and "note-rh" not in body, (path, status, body[:200])
    finally:
        _stop(workers, nginx)


def test_with_an_account_an_anonymous_request_gets_only_the_login_page(stack) -> None:
    root, env = stack
    added = subprocess.run([sys.executable, "-m", "assistant.cli", "--settings", str(root / "settings.yaml"), "user",
                            "add", "ana", "--groups", "rh", "--role", "editor", "--password-stdin"],
                           input="motdepasse-ana-rh\n", capture_output=True, text=True, cwd=ROOT, env={**os.environ, **env})
    assert added.returncode == 0, added.stderr
    assert "motdepasse-ana-rh" not in (root / "settings.yaml").read_text()
    workers, nginx, front = _serve(root, env)
    try:
        for method, path in ANONYMOUS[1:]:
            status, _, body = front.request(method, path, "{}" if method == "POST" else None)
            assert status in (401, 403) and SECRET not in body and "note-rh" not in body, (path, status, body[:200])
        status, _, page = front.request("GET", "/")
        assert SECRET not in page and "note-rh" not in page
        form = "username=ana&password=motdepasse-ana-rh"
        status, head, _ = front.request("POST", "/login", form, {"Content-Type": "application/x-www-form-urlencoded"})
        assert status == 200 and "SameSite=Lax" in head.get("set-cookie", "")
        cookie = head["set-cookie"].split(";", 1)[0]
        assert front.request("GET", "/config", headers={"Cookie": cookie})[0] == 200  # a user gets in
    finally:
        _stop(workers, nginx)

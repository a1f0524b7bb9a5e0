"""Starting the processes of a scaled-out deployment on this machine: llama-cpp-python's
OpenAI-compatible model server, a Chroma server and app workers. Used by the integration tests, the
load test (eval/load.py) and, for a one-machine trial, ``python -m assistant.serving``; in
production they run under systemd or compose (docs/deployment.md).

Each server is its own process group, so stopping it also stops anything it spawned.
"""
from __future__ import annotations

import argparse
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from assistant.offline import OFFLINE_ENV


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


@dataclass
class Server:
    name: str
    url: str  # the address clients use
    process: subprocess.Popen
    log_path: Path
    _log: IO[bytes] | None = field(default=None, repr=False)
    stop_signal: int = signal.SIGTERM

    def log_tail(self, lines: int = 30) -> str:
        try:
            text = self.log_path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return ""
        return "\n".join(text.splitlines()[-lines:])

    def wait_ready(self, probe: str, timeout_s: float) -> None:
        """Poll ``probe`` until it answers 200; fail early, with the log, if the process dies."""
        deadline = time.monotonic() + timeout_s
        while True:
            if self.process.poll() is not None:
                self.stop()
                raise RuntimeError(f"{self.name} s'est arrêté (code {self.process.returncode}) :\n"
                                   f"{self.log_tail()}")
            try:
                with urllib.request.urlopen(probe, timeout=2) as response:
                    if response.status == 200:
                        return
            except (urllib.error.URLError, OSError):
                pass
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"{self.name} n'est pas prêt après {timeout_s:g} s :\n{self.log_tail()}")
            time.sleep(0.25)

    def stop(self) -> None:
        if self.process.poll() is None:
            try:
                os.killpg(self.process.pid, self.stop_signal)
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=15)
            except ProcessLookupError:
                pass
        if self._log is not None:
            self._log.close()
            self._log = None

    def __enter__(self) -> Server:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def _start(name: str, command: list[str], url: str, probe: str, log_path: Path, timeout_s: float | None,
           env: dict[str, str] | None = None, stop_signal: int = signal.SIGTERM) -> Server:
    """Start and, unless ``timeout_s`` is None (the caller waits), wait until ``probe`` answers."""
    log_path.parent.mkdir(parents=True, exist_ok=True)
    log = log_path.open("wb")
    process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                               start_new_session=True, env={**os.environ, **OFFLINE_ENV, **(env or {})})
    server = Server(name, url, process, log_path, log, stop_signal)
    if timeout_s is not None:
        server.wait_ready(probe, timeout_s)
    return server


def start_model_server(model_path: Path, port: int, log_dir: Path, host: str = "127.0.0.1",
                       threads: int = 2, n_ctx: int = 4096, alias: str = "qwen2.5-1.5b",
                       timeout_s: float = 180.0) -> Server:
    """``python -m llama_cpp.server`` on a GGUF file; ready once the model is loaded.

    ``--interrupt_requests False``: by default llama_cpp.server cuts the answer being streamed as
    soon as another request arrives, which several users at once would all suffer."""
    command = [sys.executable, "-m", "llama_cpp.server", "--model", str(model_path), "--model_alias", alias,
               "--host", host, "--port", str(port), "--n_threads", str(threads),
               "--n_threads_batch", str(threads), "--n_ctx", str(n_ctx), "--interrupt_requests", "False"]
    base = f"http://{host}:{port}/v1"
    return _start("Le serveur de modèle", command, base, f"{base}/models", log_dir / "llama-server.log",
                  timeout_s)


def chroma_command() -> str:
    beside = Path(sys.executable).parent / "chroma"  # the venv's own, when not on PATH
    return str(beside) if beside.exists() else (shutil.which("chroma") or "chroma")


def start_chroma_server(path: Path, port: int, log_dir: Path, host: str = "127.0.0.1",
                        timeout_s: float = 60.0) -> Server:
    """``chroma run`` with its data in ``path``; ready once its heartbeat answers."""
    command = [chroma_command(), "run", "--path", str(path), "--host", host, "--port", str(port)]
    url = f"http://{host}:{port}"
    return _start("Le serveur Chroma", command, url, f"{url}/api/v2/heartbeat", log_dir / "chroma.log",
                  timeout_s)


APP = Path(__file__).resolve().parents[1] / "app.py"  # in the source tree, beside the package


def spawn_app_worker(port: int, log_dir: Path, env: dict[str, str], host: str = "127.0.0.1") -> Server:
    """``app.py --no-index`` (indexing is the indexing job's) with settings from ``env``; not waited
    for, so that several start together: call ``wait_ready(server.url + "/", …)``. Stopped with
    SIGINT, on which Gradio closes its server."""
    command = [sys.executable, str(APP), "--host", host, "--port", str(port), "--no-index"]
    return _start(f"Le worker de l'application (port {port})", command, f"http://{host}:{port}", "",
                  log_dir / f"app-{port}.log", None, env, signal.SIGINT)


def main(argv: list[str] | None = None) -> int:
    """`up`: both servers on this machine until Ctrl-C, with the settings that point workers at
    them. `model-path`: the GGUF file of a bundled model (assembled on first use), for
    `python -m llama_cpp.server --model "$(python -m assistant.serving model-path)"`."""
    from assistant.components.llm.catalogue import resolve_model_path
    from assistant.config import load_settings

    parser = argparse.ArgumentParser(prog="python -m assistant.serving", description=main.__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    path = sub.add_parser("model-path", help="chemin du fichier GGUF d'un modèle fourni")
    path.add_argument("model", nargs="?", default="qwen2.5-1.5b")
    up = sub.add_parser("up", help="serveur de modèle et serveur Chroma sur cette machine")
    up.add_argument("--data", type=Path, default=Path("index/chroma-server"), help="données de Chroma")
    up.add_argument("--model", default="qwen2.5-1.5b")
    up.add_argument("--host", default="127.0.0.1")
    up.add_argument("--model-port", type=int, default=8080)
    up.add_argument("--chroma-port", type=int, default=8000)
    up.add_argument("--threads", type=int, default=os.cpu_count() or 2)
    args = parser.parse_args(argv)
    settings = load_settings()
    model_path = resolve_model_path(args.model, settings.model_cache_dir)
    if args.command == "model-path":
        print(model_path)
        return 0
    logs = args.data.parent / "logs"
    with start_chroma_server(args.data, args.chroma_port, logs, args.host) as chroma, \
            start_model_server(model_path, args.model_port, logs, args.host, args.threads,
                               alias=args.model) as model:
        print(f"ASSISTANT_LLM__BACKEND=openai ASSISTANT_LLM__API_BASE={model.url} "
              f"ASSISTANT_LLM__MODEL={args.model} ASSISTANT_STORE__BACKEND=chroma-http "
              f"ASSISTANT_STORE__HOST={args.host} ASSISTANT_STORE__PORT={args.chroma_port}")
        print(f"Journaux : {logs}. Ctrl-C pour arrêter.", flush=True)
        try:
            while chroma.process.poll() is None and model.process.poll() is None:
                time.sleep(1)
        except KeyboardInterrupt:
            pass
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

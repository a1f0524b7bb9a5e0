"""Starts the web app (fake embedder and model) and drives it over HTTP; run by tests/test_offline.py
inside a network namespace, so that the app and its clients share that namespace's loopback.

    python app_driver.py serve ROOT   # the page, one question, then 8 simultaneous sessions
    python app_driver.py login ROOT   # listening on 0.0.0.0: refused without accounts, guarded with one

Prints one JSON object with what it saw.
"""
from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import yaml

from eval.app_client import AppClient, answers, questions, read_turns

APP = Path(__file__).resolve().parents[2] / "app.py"
CITIES = ["Dunkerque", "Fos-sur-Mer", "Hagondange", "Imphy", "Isbergues", "Gueugnon", "Ugine", "Saint-Chély"]
TONNES = [41_200, 52_300, 63_400, 74_500, 85_600, 96_700, 17_800, 28_900]
STAFF = [310, 420, 530, 640, 750, 860, 970, 180]


def fact(i: int) -> str:
    return (f"Le site de {CITIES[i]} a produit {TONNES[i]:,} tonnes d'acier en 2023 et emploie "
            f"{STAFF[i]} salariés.").replace(",", " ")


def write_settings(root: Path, host: str = "127.0.0.1", **app: str) -> Path:
    corpus = root / "corpus"
    corpus.mkdir(parents=True, exist_ok=True)
    for i, city in enumerate(CITIES):
        (corpus / f"site-{i}.md").write_text(f"# Site de {city}\n\n{fact(i)}\n", encoding="utf-8")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    settings = {"corpus_dir": str(corpus), "index_dir": str(root / "index"), "model_cache_dir": str(root / "cache"),
                "embedding": {"backend": "fake"}, "llm": {"backend": "fake", "model": "fake"},
                "app": {"host": host, "port": port, **app}, "audit": {"path": str(root / "audit.jsonl")}}
    path = root / f"settings-{port}.yaml"
    path.write_text(yaml.safe_dump(settings, allow_unicode=True), encoding="utf-8")
    return path


def start(root: Path, settings: Path, timeout: float = 300) -> tuple[subprocess.Popen, str]:
    port = yaml.safe_load(settings.read_text())["app"]["port"]
    log = (root / f"app-{port}.log").open("w")
    process = subprocess.Popen([sys.executable, str(APP), "--settings", str(settings)], cwd=root, stdout=log,
                               stderr=subprocess.STDOUT, env={**os.environ, "GRADIO_TEMP_DIR": str(root / "gradio")})
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"app.py stopped: {(root / f'app-{port}.log').read_text()}")
        try:
            if AppClient(url, timeout=2).get("/")[0] == 200:
                return process, url
        except OSError:  # not listening yet
            pass
        time.sleep(0.5)
    process.terminate()
    raise RuntimeError("app.py did not answer in time")


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(20)
    except subprocess.TimeoutExpired:
        process.kill()


def session(url: str, i: int, barrier: threading.Barrier, out: dict) -> None:
    client = AppClient(url)
    barrier.wait()  # all eight start together
    try:
        first = client.ask(f"Combien de tonnes d'acier le site de {CITIES[i]} a-t-il produit en 2023 ?")
        second = client.ask("Et combien de salariés y travaillent ?")
        turns = read_turns(second.chat_html)
        out[i] = {"questions": questions(second.chat_html), "answers": answers(second.chat_html),
                  "first_answers": answers(first.chat_html),
                  "conversations": sorted({t["conversation"] for t in turns}),
                  "exchanges": [t["exchange"] for t in turns]}
    except Exception as error:  # noqa: BLE001 - reported to the test
        out[i] = {"error": repr(error)}


def serve(root: Path) -> dict:
    process, url = start(root, write_settings(root))
    try:
        client = AppClient(url)
        status, page = client.get("/")
        single = client.ask(f"Combien de tonnes d'acier le site de {CITIES[0]} a-t-il produit en 2023 ?")
        results: dict[int, dict] = {}
        barrier = threading.Barrier(len(CITIES))
        threads = [threading.Thread(target=session, args=(url, i, barrier, results)) for i in range(len(CITIES))]
        start_time = time.monotonic()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(600)
        wall = time.monotonic() - start_time
    finally:
        stop(process)
    audit = [json.loads(line) for line in (root / "audit.jsonl").read_text(encoding="utf-8").splitlines() if line]
    return {"page_status": status, "page": page, "single": answers(single.chat_html),
            "sessions": {str(i): results.get(i, {"error": "no result"}) for i in range(len(CITIES))},
            "wall_s": round(wall, 2), "audit": audit}


def login(root: Path) -> dict:
    out: dict = {}
    refused = subprocess.run([sys.executable, str(APP), "--settings", str(write_settings(root, host="0.0.0.0"))],
                             cwd=root, capture_output=True, text=True, timeout=300)
    out["refused"] = {"code": refused.returncode, "stderr": refused.stderr[-2000:]}
    from assistant.services.access import hash_password

    account = {"password_hash": hash_password("s3cret-usine"), "groups": [], "role": "reader"}
    process, url = start(root, write_settings(root, host="0.0.0.0", accounts={"dirigeante": account}))
    try:
        anonymous = AppClient(url)
        status, body = anonymous.get("/config")
        out["anonymous_config"] = {"status": status, "components": '"components"' in body}
        out["anonymous_join"] = anonymous.post("/gradio_api/queue/join", {
            "data": ["Combien de salariés ?", None, "fake", 5], "fn_index": 0, "session_hash": "intrus"})
        intruder = AppClient(url)
        out["wrong_password"] = intruder.login("dirigeante", "devine")
        status, body = intruder.get("/config")
        out["intruder_config"] = {"status": status, "components": '"components"' in body}
        user = AppClient(url)
        out["login"] = user.login("dirigeante", "s3cret-usine")
        exchange = user.ask(f"Combien de tonnes d'acier le site de {CITIES[1]} a-t-il produit en 2023 ?")
        out["answers"] = answers(exchange.chat_html)
    finally:
        stop(process)
    out["audit_users"] = [json.loads(line)["user"] for line in (root / "audit.jsonl").read_text().splitlines() if line]
    return out


if __name__ == "__main__":
    scenario, folder = sys.argv[1], Path(sys.argv[2])
    folder.mkdir(parents=True, exist_ok=True)
    print(json.dumps(serve(folder) if scenario == "serve" else login(folder), ensure_ascii=False))

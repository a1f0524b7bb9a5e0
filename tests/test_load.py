"""The load test's machinery, end to end and fast: two worker processes, a real Chroma server,
the scripted model server and the fake embedder; then its figures on known records."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from eval.load import conversations_for, main, report

QUESTIONS = [{"id": f"q{n}", "kind": "figure", "turns": [{"q": q, "expect": [[fact]]}]} for n, (q, fact) in
             enumerate([("Quelle est la température de consigne des ateliers ?", "17 degrés"),
                        ("Combien de jours de télétravail par semaine pour les cadres ?", "deux jours"),
                        ("Quelle part des dirigeants cite la cybersécurité comme priorité ?", "62 %")], 1)]


def test_every_question_is_asked_about_as_often() -> None:
    conversations = conversations_for(QUESTIONS, count=6, turns=2)
    asked = [item["id"] for conversation in conversations for item in conversation]
    assert len(conversations) == 6 and all(len(c) == 2 for c in conversations)
    assert {asked.count(q["id"]) for q in QUESTIONS} == {4}


def test_figures_count_errors_and_spread_latencies() -> None:
    ok = {"abstained": False, "first_token_s": 1.0, "chunks": 10,
          "result": {"answer": "17 degrés [1]", "abstained": False, "citations": [], "retrieved": [],
                     "timings": {}}}
    records = [{"conversation": "c0", "id": "q1", **ok, "total_s": 2.0},
               {"conversation": "c1", "id": "q1", **ok, "total_s": 4.0},
               {"conversation": "c2", "id": "q1", "error": "ModelUnavailableError: injoignable"}]
    figures = report(records, wall_s=10.0, questions={"q1": QUESTIONS[0]})
    assert figures["answers"] == 3 and figures["errors"] == 1
    assert figures["answers_per_min"] == 12.0  # two answers in ten seconds
    assert figures["total_s"]["p50"] in (2.0, 4.0) and figures["total_s"]["max"] == 4.0
    assert figures["answer_accuracy"] == 1.0


@pytest.mark.servers
def test_load_run_on_servers_completes_without_error(tmp_path: Path, make_corpus, monkeypatch) -> None:
    from openai_stub import running_stub

    from assistant.serving import free_port, start_chroma_server

    corpus = make_corpus()
    questions = tmp_path / "questions.jsonl"
    questions.write_text("".join(json.dumps(q, ensure_ascii=False) + "\n" for q in QUESTIONS), encoding="utf-8")
    monkeypatch.setenv("ASSISTANT_EMBEDDING__BACKEND", "fake")  # inherited by the worker processes
    out = tmp_path / "load.json"
    port = free_port()
    with start_chroma_server(tmp_path / "chroma", port, tmp_path / "logs"), running_stub() as model:
        code = main(["--corpus", str(corpus), "--questions", str(questions), "--conversations", "6",
                     "--workers", "2", "--turns", "2", "--chroma", f"127.0.0.1:{port}",
                     "--model-url", f"http://127.0.0.1:{model.server_port}/v1", "--out", str(out)])
        assert len(model.requests) == 12  # every question reached the model server
    figures = json.loads(out.read_text())["figures"]
    assert code == 0 and figures["errors"] == 0 and figures["answers"] == 12
    assert figures["answer_accuracy"] == 1.0  # the answers came back sourced and right
    assert set(figures["peak_rss_mb"]) == {"worker0", "worker1"}

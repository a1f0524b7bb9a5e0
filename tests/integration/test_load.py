"""The load test's machinery, end to end and fast: two app.py workers driven over HTTP, a real
Chroma server, the scripted model server and the fake embedder; its reading of the page; its
figures on known records."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.render.html import ChatTurn, conversation_html
from eval.app_client import read_turns
from eval.load import conversations_for, main, match_audit, report

QUESTIONS = [{"id": f"q{n}", "kind": "figure", "turns": [{"q": q, "expect": [[fact]]}], "gold": [{"quote": fact}]}
             for n, (q, fact) in
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


def test_the_page_reads_back_as_the_answer(indexed) -> None:
    """What the load test reads from the chat HTML is the answer itself: text with its [n], sources."""
    answer = indexed.ask("Quelle est la température de consigne des ateliers ?")
    abstained = indexed.ask("Quel est le chiffre d'affaires de la filiale japonaise ?")
    turns = read_turns(conversation_html([ChatTurn(answer.question, phase="done", answer=answer),
                                          ChatTurn(abstained.question, phase="done", answer=abstained),
                                          ChatTurn("Et ensuite ?", phase="error", error="Le serveur de modèle…")]))
    assert [t["q"] for t in turns] == [answer.question, abstained.question, "Et ensuite ?"]
    assert turns[0]["answer"] == answer.text and "[1]" in turns[0]["answer"] and not turns[0]["abstained"]
    assert [(c["marker"], c["document"], c["page"], c["passage_id"]) for c in turns[0]["citations"]] == \
        [(c.marker, c.passage.document, c.passage.page, c.passage.id) for c in answer.citations]
    assert turns[1]["abstained"] and turns[1]["answer"] == abstained.text and not turns[1]["citations"]
    assert turns[2]["error"] == "Le serveur de modèle…" and not turns[2]["final"]


def test_answers_get_their_cited_passages_from_the_audit_record_the_page_names() -> None:
    sources = [{"marker": 1, "document": "etude.pdf", "page": 2, "text": "… 62 % des dirigeants …"}]
    audit = [{"type": "exchange", "id": "e1", "conversation": "c-page", "sources": sources},
             {"type": "feedback", "id": "f1", "exchange": "e1"},
             {"type": "exchange", "id": "e2", "conversation": "another", "sources": []}]
    shown = {"answer": "62 % [1]", "citations": [{"marker": 1, "document": "etude.pdf"}]}
    records = [{"conversation": "c0", "result": {**shown, "conversation": "c-page", "exchange": "e1"}},
               {"conversation": "c1", "result": {**shown, "conversation": "c-page", "exchange": "e2"}},
               {"conversation": "c2", "result": {**shown, "conversation": "c-page", "exchange": "e9"}},
               {"conversation": "c3", "error": "TimeoutError"}]
    assert match_audit(records, audit) == 2  # e2 is logged under another conversation, e9 not at all
    assert records[0]["audited"] and records[0]["result"]["citations"] == sources
    assert not any(r.get("audited") for r in records[1:])


@pytest.mark.servers
def test_load_run_through_two_app_workers_completes_without_error(tmp_path: Path, make_corpus, monkeypatch) -> None:
    """Four users at once, round-robin over two real app.py workers, each asking two questions in
    a row: every answer comes with its sources, both workers serve, the shared audit log has them all."""
    from support.openai_stub import running_stub

    from assistant.serving import free_port, start_chroma_server

    corpus = make_corpus()
    questions = tmp_path / "questions.jsonl"
    questions.write_text("".join(json.dumps(q, ensure_ascii=False) + "\n" for q in QUESTIONS), encoding="utf-8")
    monkeypatch.setenv("ASSISTANT_EMBEDDING__BACKEND", "fake")  # inherited by the app workers
    out = tmp_path / "load.json"
    port = free_port()
    with start_chroma_server(tmp_path / "chroma", port, tmp_path / "logs"), running_stub() as model:
        model.mode = "slow"  # 3 s an answer: long enough to see whether the workers wait for each other
        code = main(["--corpus", str(corpus), "--questions", str(questions), "--conversations", "4",
                     "--workers", "2", "--turns", "2", "--chroma", f"127.0.0.1:{port}",
                     "--model-url", f"http://127.0.0.1:{model.server_port}/v1", "--out", str(out)])
        assert len(model.requests) == 8  # every question reached the model server, once
        assert model.peak == 4  # each worker passed both its users' questions on at once, not one by one
    saved = json.loads(out.read_text())
    figures, records = saved["figures"], saved["records"]
    assert code == 0 and figures["errors"] == 0 and figures["answers"] == 8, [r.get("error") for r in records]
    for record in records:  # what each user saw: an answer citing its source
        shown = record["result"]
        assert shown["answer"] and not shown["abstained"] and shown["citations"], record
        assert 0 < record["first_token_s"] <= record["total_s"]
    assert figures["answers_by_worker"] == {"worker0": 4, "worker1": 4}
    assert figures["audit_lines"] == 8 and figures["answers_not_in_audit"] == 0
    assert figures["audit_exchanges_by_worker"] == {"worker0": 4, "worker1": 4}
    assert figures["answer_accuracy"] == 1.0 and figures["citation_hit"] == 1.0  # right, and cited
    assert set(figures["peak_rss_mb"]) == {"worker0", "worker1"}

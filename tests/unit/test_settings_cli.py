"""Settings precedence (defaults < file < profile < environment < arguments) and the command line."""
from __future__ import annotations

import getpass
import json

import pytest
import yaml

from assistant.cli import main
from assistant.config import load_settings


def test_env_overrides_file_overrides_defaults(tmp_path, monkeypatch):
    path = tmp_path / "settings.yaml"
    path.write_text(yaml.safe_dump({"llm": {"model": "depuis-fichier", "max_tokens": 99},
                                    "corpus_dir": "mes-docs"}), encoding="utf-8")
    from_file = load_settings(path)
    assert from_file.llm.model == "depuis-fichier"
    assert from_file.llm.max_tokens == 99
    assert from_file.llm.n_ctx == 4096  # default kept
    assert str(from_file.corpus_dir) == "mes-docs"
    monkeypatch.setenv("ASSISTANT_LLM__MODEL", "qwen2.5-0.5b")
    monkeypatch.setenv("ASSISTANT_CORPUS_DIR", "autres")
    from_env = load_settings(path)
    assert from_env.llm.model == "qwen2.5-0.5b"
    assert from_env.llm.max_tokens == 99
    assert str(from_env.corpus_dir) == "autres"
    assert load_settings(path, llm={"max_tokens": 7}).llm.model == "qwen2.5-0.5b"  # arguments: nested merge
    monkeypatch.setenv("ASSISTANT_SETTINGS", str(path))
    assert load_settings().llm.max_tokens == 99


def test_an_audit_log_set_the_older_way_is_still_where_answers_are_logged(monkeypatch) -> None:
    monkeypatch.setenv("ASSISTANT_APP__AUDIT_LOG", "/srv/journal/audit.jsonl")
    assert str(load_settings().audit.path) == "/srv/journal/audit.jsonl"
    assert str(load_settings(audit={"path": "ailleurs.jsonl"}).audit.path) == "ailleurs.jsonl"  # the new setting wins
    monkeypatch.delenv("ASSISTANT_APP__AUDIT_LOG")
    assert str(load_settings().audit.path) == "audit/audit.jsonl"


def test_the_test_profile_selects_a_fake_for_every_backend(tmp_path, monkeypatch):
    path = tmp_path / "settings.yaml"
    path.write_text(yaml.safe_dump({"llm": {"backend": "openai", "max_tokens": 99}}), encoding="utf-8")
    settings = load_settings(path, profile="test")
    assert (settings.llm.backend, settings.embedding.backend, settings.store.backend) == ("fake", "fake", "memory")
    assert settings.llm.max_tokens == 99  # the file's other fields stay
    monkeypatch.setenv("ASSISTANT_PROFILE", "test")
    assert load_settings().llm.backend == "fake"
    with pytest.raises(FileNotFoundError, match="Profil de réglages inconnu"):
        load_settings(profile="production")
    with pytest.raises(FileNotFoundError, match="introuvable"):
        load_settings(tmp_path / "absent.yaml")


def test_cli_index_then_ask_json(tmp_path, make_corpus, settings, capsys):
    make_corpus()
    path = tmp_path / "cli.yaml"
    path.write_text(yaml.safe_dump({
        "corpus_dir": str(settings.corpus_dir), "index_dir": str(tmp_path / "cli-index"),
        "embedding": {"backend": "fake"}, "llm": {"backend": "fake"},
        "audit": {"path": str(tmp_path / "audit.jsonl")},
    }), encoding="utf-8")
    assert main(["--settings", str(path), "index"]) == 0
    assert "3 ajouté(s)" in capsys.readouterr().out
    question = "Quel budget moyen pour la maintenance prédictive par site ?"
    assert main(["--settings", str(path), "ask", question, "--json"]) == 0
    out = capsys.readouterr().out.strip()
    assert len(out.splitlines()) == 1
    result = json.loads(out)
    assert set(result) >= {"id", "turns"}
    assert len(result["turns"]) == 1
    turn = result["turns"][0]
    assert set(turn) >= {"q", "answer", "abstained", "citations", "retrieved", "timings"}
    assert turn["q"] == question
    assert turn["abstained"] is False
    assert "480 000" in turn["answer"]
    assert turn["citations"][0]["document"] == "etude.pdf" and turn["citations"][0]["page"] == 3
    assert turn["retrieved"]
    # answered on the command line, logged as in the page: by whom, with its sources
    logged = [json.loads(line) for line in (tmp_path / "audit.jsonl").read_text(encoding="utf-8").splitlines()]
    assert len(logged) == 1 and logged[0]["type"] == "exchange" and logged[0]["question"] == question
    assert logged[0]["user"] == getpass.getuser() and logged[0]["answer"] == turn["answer"]
    assert logged[0]["sources"][0]["document"] == "etude.pdf"


def test_cli_ask_without_index_fails(tmp_path, capsys):
    path = tmp_path / "cli.yaml"
    path.write_text(yaml.safe_dump({
        "corpus_dir": str(tmp_path / "c"), "index_dir": str(tmp_path / "i"),
        "embedding": {"backend": "fake"}, "llm": {"backend": "fake"}}), encoding="utf-8")
    assert main(["--settings", str(path), "ask", "Une question ?"]) == 1
    assert "Aucun document indexé" in capsys.readouterr().err

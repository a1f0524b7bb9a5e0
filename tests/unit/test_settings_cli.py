"""Settings precedence and the command line."""
from __future__ import annotations

import json

import yaml

from assistant.cli import main
from assistant.config import load_settings


def test_env_overrides_file_overrides_defaults(tmp_path):
    path = tmp_path / "settings.yaml"
    path.write_text(yaml.safe_dump({"llm": {"model": "depuis-fichier", "max_tokens": 99},
                                    "corpus_dir": "mes-docs"}), encoding="utf-8")
    from_file = load_settings(path, environ={})
    assert from_file.llm.model == "depuis-fichier"
    assert from_file.llm.max_tokens == 99
    assert from_file.llm.n_ctx == 4096  # default kept
    assert str(from_file.corpus_dir) == "mes-docs"
    from_env = load_settings(path, environ={"ASSISTANT_LLM__MODEL": "qwen2.5-0.5b",
                                            "ASSISTANT_CORPUS_DIR": "autres"})
    assert from_env.llm.model == "qwen2.5-0.5b"
    assert from_env.llm.max_tokens == 99
    assert str(from_env.corpus_dir) == "autres"


def test_cli_index_then_ask_json(tmp_path, make_corpus, settings, capsys):
    make_corpus()
    path = tmp_path / "cli.yaml"
    path.write_text(yaml.safe_dump({
        "corpus_dir": str(settings.corpus_dir), "index_dir": str(tmp_path / "cli-index"),
        "embedding": {"backend": "fake"}, "llm": {"backend": "fake"},
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


def test_cli_ask_without_index_fails(tmp_path, capsys):
    path = tmp_path / "cli.yaml"
    path.write_text(yaml.safe_dump({
        "corpus_dir": str(tmp_path / "c"), "index_dir": str(tmp_path / "i"),
        "embedding": {"backend": "fake"}, "llm": {"backend": "fake"}}), encoding="utf-8")
    assert main(["--settings", str(path), "ask", "Une question ?"]) == 1
    assert "Aucun document indexé" in capsys.readouterr().err

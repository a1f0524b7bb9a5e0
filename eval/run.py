"""Run a question file through the assistant and write a results file."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from assistant import Assistant, Conversation


def read_questions(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def run_questions(assistant: Assistant, questions: list[dict[str, Any]], out: Path | None = None,
                  model: str | None = None, verbose: bool = True) -> list[dict[str, Any]]:
    results = []
    for question in questions:
        conversation = Conversation()
        turns = [assistant.ask(turn["q"], conversation, model=model).to_result() for turn in question["turns"]]
        results.append({"id": question["id"], "turns": turns})
        if verbose:
            last = turns[-1]
            print(f"{question['id']}: {last['timings'].get('first_token_s', 0):.1f}s | {last['answer'][:110]}",
                  flush=True)
    if out:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in results), encoding="utf-8")
    return results

"""Run a question file through a system (ours or the baseline) and write a results file."""
from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

from assistant import Assistant, Conversation


class Dialogue(Protocol):
    """One conversation with a system under test: each call answers one turn in the results format."""

    def ask(self, question: str) -> dict[str, Any]: ...


class AssistantDialogue:
    """Ours, through the same chat service as the page and the command line (answers are audited)."""

    def __init__(self, assistant: Assistant, model: str | None = None, passages: int | None = None) -> None:
        self.assistant = assistant
        self.model = model
        self.passages = passages  # the page's « Passages consultés » (None: the settings' default)
        self.conversation = Conversation()

    def ask(self, question: str) -> dict[str, Any]:
        return self.assistant.chat.ask(question, self.conversation, model=self.model, passages=self.passages,
                                       user="evaluation").to_result()


def read_questions(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def write_results(results: list[dict[str, Any]], out: Path) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in results), encoding="utf-8")


def run_questions(system: Assistant | Callable[[], Dialogue], questions: list[dict[str, Any]],
                  out: Path | None = None, model: str | None = None,
                  verbose: bool = True, passages: int | None = None) -> list[dict[str, Any]]:
    """`system` is our Assistant or a factory of dialogues (the baseline's `new_dialogue`)."""
    new_dialogue = (lambda: AssistantDialogue(system, model, passages)) if isinstance(system, Assistant) else system
    results = []
    for question in questions:
        dialogue = new_dialogue()
        turns = [dialogue.ask(turn["q"]) for turn in question["turns"]]
        results.append({"id": question["id"], "turns": turns})
        if verbose:
            last = turns[-1]
            print(f"{question['id']}: {last['timings'].get('first_token_s', 0):.1f}s | {last['answer'][:110]}",
                  flush=True)
    if out:
        write_results(results, out)
    return results

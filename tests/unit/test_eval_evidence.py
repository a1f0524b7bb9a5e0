"""The evidence screening (`python -m eval.evidence`): what the prompt would hold, without the model."""
from __future__ import annotations

from eval.evidence import screen

CLOSED = {"id": "t1", "kind": "law", "gold": [],
          "turns": [{"q": "Le télétravail est-il autorisé trois jours par semaine pour les cadres ?",
                     "expect": [["non"], ["deux jours"]]}]}


def test_a_yes_no_question_s_evidence_is_judged_on_its_condition_not_on_its_verdict(indexed) -> None:
    # no passage opens with « Non » : judged as a fact to find, the verdict hid every closed question's evidence
    row = screen(indexed, CLOSED)
    assert "deux jours par semaine" in row["evidence"]
    assert row["in_evidence"] and row["leads"]
    missing = {**CLOSED, "turns": [{**CLOSED["turns"][0], "expect": [["non"], ["trois semaines"]]}]}
    assert not screen(indexed, missing)["in_evidence"]

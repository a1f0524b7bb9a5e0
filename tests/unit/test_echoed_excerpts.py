"""A reply that copies the excerpts back in the prompt's own format (« [1] (label) text », one a
line: seen with the 0.5B model) is checked sentence by sentence, each shown with its own source."""
from __future__ import annotations

from assistant.domain import Evidence
from assistant.rag.citations import MARKER, split_answer

QUESTION = "Quel budget pour la maintenance prédictive, et combien de lignes ont des capteurs vibratoires ?"
CLAIMS = ["Les capteurs vibratoires équipent désormais la moitié des lignes de production.",
          "Le budget moyen consacré à la maintenance prédictive atteint 480 000 euros par site."]


def _echo(evidence: list[Evidence]) -> str:
    """The claims as the 0.5B model writes them: excerpt numbers and labels in front, one a line
    (the second under excerpt 2's number, though excerpt 1 holds it)."""
    return "\n\n".join(f"[{e.number}] ({e.passage.label}) {claim}" for e, claim in zip(evidence, CLAIMS))


def test_excerpts_copied_with_their_numbers_in_front_are_each_shown_with_their_own_marker(indexed, fake_llm):
    retrieval, _ = indexed.chat.retrieve(QUESTION)
    evidence = indexed.chat.evidence(indexed.chat.question(QUESTION), retrieval)
    assert len(evidence) >= 2 and all(claim.rstrip(".") in evidence[0].excerpt for claim in CLAIMS)
    fake_llm.say(_echo(evidence))
    answer = indexed.ask(QUESTION)
    shown = split_answer(answer.text)
    assert len(shown) == 2 and all(MARKER.search(sentence) for sentence in shown)  # none without a source
    assert all(e.passage.label not in answer.text for e in evidence)  # the prompt's labels are not claims
    for sentence, claim in zip(shown, CLAIMS):
        marker = int(MARKER.search(sentence).group(1))
        cited = next(c.passage.text for c in answer.citations if c.marker == marker)
        assert claim.rstrip(".") in sentence and claim.rstrip(".") in " ".join(cited.split())


def test_an_excerpt_title_copied_alone_is_not_shown_as_a_claim(indexed, fake_llm):
    retrieval, _ = indexed.chat.retrieve(QUESTION)
    evidence = indexed.chat.evidence(indexed.chat.question(QUESTION), retrieval)
    label = evidence[0].passage.label
    fake_llm.say(f"[1] ({label[:len(label) // 2]}")  # the title cut short: nothing it says is sourced
    answer = indexed.ask(QUESTION)
    assert label[:len(label) // 2] not in answer.text
    fake_llm.say(f"[2] ({evidence[1].passage.label})\n\n[1] ({label}) {CLAIMS[1]}")
    answer = indexed.ask(QUESTION)
    assert split_answer(answer.text) == [CLAIMS[1].replace(".", " [1].")]

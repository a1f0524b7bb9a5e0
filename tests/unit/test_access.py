"""Access by group, end to end with the fakes: a user sees only the passages of documents open to
everyone or to a group they belong to, in the evidence shown, in what the model reads and in the
citations, whatever the question, and after the document is changed and re-indexed."""
from __future__ import annotations

from pathlib import Path

import pytest

from assistant import Answer, Assistant, EvidenceEvent
from assistant.rag.conversation import Conversation

SALARIES = ("# Grille des salaires 2024\n\nLa grille des salaires 2024 prévoit une hausse de 4,5 % pour les "
            "techniciens de maintenance et de 3 % pour les cadres.\n")
CLOSURE = ("# Plan industriel confidentiel\n\nLa fermeture du site de Valenciennes est prévue pour mars 2026 ; "
           "les 140 salariés seront reclassés à Douai.\n")
RESTRICTED = {"salaires.md": "rh", "plan-industriel.md": "direction"}
QUESTIONS = [
    "Quelle hausse de salaire prévoit la grille des salaires 2024 pour les techniciens ?",
    "La grille des salaires 2024 prévoit une hausse de 4,5 % pour les techniciens de maintenance",
    "Quand la fermeture du site de Valenciennes est-elle prévue ?",
    "Combien de salariés seront reclassés à Douai ?",
    "Plan industriel confidentiel",
    "Combien de jours de télétravail sont autorisés par semaine ?",
    "salaires techniciens fermeture Valenciennes 2026 hausse reclassés",
]


@pytest.fixture
def shared(indexed: Assistant, tmp_path: Path) -> Assistant:
    """The three public documents, one for HR only, one for the management only."""
    for name, text in (("salaires.md", SALARIES), ("plan-industriel.md", CLOSURE)):
        source = tmp_path / name
        source.write_text(text, encoding="utf-8")
        report = indexed.add_document(source, name, group=RESTRICTED[name])
        assert report.added == [name], report.summary()
    return indexed


def _documents_seen(answer: Answer) -> set[str]:
    evidence = {e.passage.document for e in answer.evidence}
    return evidence | {c.passage.document for c in answer.citations}


def _allowed(groups: list[str]) -> set[str]:
    return {name for name, group in RESTRICTED.items() if group in groups}


@pytest.mark.parametrize("groups", [[], ["rh"], ["direction"], ["rh", "direction"], ["inconnu"]])
def test_a_user_never_gets_passages_of_other_groups(shared: Assistant, groups: list[str]) -> None:
    forbidden = set(RESTRICTED) - _allowed(groups)
    llm = shared.llm()
    for question in QUESTIONS:
        # a model that cites every number it could: still only the passages this user may read
        llm.say("Voici [1] et [2] et [3] et [4] et [5].")
        calls = len(llm.seen)
        answer = shared.ask(question, groups=groups)
        assert not _documents_seen(answer) & forbidden, (question, _documents_seen(answer))
        prompt = llm.seen[-1][-1].content or "" if len(llm.seen) > calls else ""
        read = prompt.split("\n\nQuestion")[0]  # what the model read of the documents
        assert ("Valenciennes" not in read and "Douai" not in read) or "direction" in groups
        assert "4,5 %" not in read or "rh" in groups
        retrieval, _ = shared.retrieve(question, groups=groups, passages=8)
        assert not {p.passage.document for p in retrieval.passages} & forbidden


def test_group_members_get_their_documents(shared: Assistant) -> None:
    answer = shared.ask(QUESTIONS[0], groups=["rh"])
    assert "4,5 %" in answer.text and [c.passage.document for c in answer.citations] == ["salaires.md"]
    answer = shared.ask(QUESTIONS[2], groups=["direction", "qualite"])
    assert "mars 2026" in answer.text and [c.passage.document for c in answer.citations] == ["plan-industriel.md"]


def test_outsider_gets_an_abstention_not_the_secret(shared: Assistant) -> None:
    answer = shared.ask(QUESTIONS[2], groups=["rh"])
    assert answer.abstained and "2026" not in answer.text and not answer.citations


def test_streamed_evidence_is_filtered_too(shared: Assistant) -> None:
    events = list(shared.stream(QUESTIONS[1], groups=["direction"]))
    shown = events[0]
    assert isinstance(shown, EvidenceEvent)
    documents = {p.passage.document for p in shown.retrieval.passages}
    assert "salaires.md" not in documents


def test_follow_up_does_not_leak_through_the_conversation(shared: Assistant) -> None:
    conversation = Conversation()
    shared.ask("Combien de jours de télétravail sont autorisés par semaine ?", conversation, groups=["direction"])
    follow = shared.ask("Et la hausse des salaires des techniciens ?", conversation, groups=["direction"])
    assert "salaires.md" not in _documents_seen(follow)


def test_group_survives_a_change_of_the_file_and_a_replacement(shared: Assistant, settings, tmp_path) -> None:
    (settings.corpus_dir / "salaires.md").write_text(SALARIES.replace("4,5 %", "5 %"), encoding="utf-8")
    report = shared.index()
    assert report.updated == ["salaires.md"]
    assert {r.path: r.group for r in shared.documents()}["salaires.md"] == "rh"
    source = tmp_path / "nouvelle-grille.md"
    source.write_text(SALARIES.replace("4,5 %", "6 %"), encoding="utf-8")
    assert shared.add_document(source, "salaires.md").updated == ["salaires.md"]  # group not given: kept
    assert {r.path: r.group for r in shared.documents()}["salaires.md"] == "rh"
    for groups in ([], ["direction"]):
        answer = shared.ask(QUESTIONS[0], groups=groups)
        assert "salaires.md" not in _documents_seen(answer)
    assert "6 %" in shared.ask(QUESTIONS[0], groups=["rh"]).text


def test_no_group_filter_means_everything(shared: Assistant) -> None:
    """`groups=None` (a single-user install, the CLI) reads every document."""
    answer = shared.ask(QUESTIONS[2])
    assert [c.passage.document for c in answer.citations] == ["plan-industriel.md"]

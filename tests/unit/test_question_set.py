"""The project's own question sets: well formed, and answerable from the corpus.

eval/questions.jsonl (written with the code), eval/tuning.jsonl and eval/heldout.jsonl (written by
someone who saw only the documents, split at random by kind before any run: decisions on dev +
tuning, figures reported on held-out). Their `tags` name the harder sub-kinds (look-alike figures,
multi-part, yes/no…).

The format is the one of ../shared/eval/README.md. Every gold quote must be found, as the
assistant reads the documents (same reader, same cutting into passages, same normalisation), inside
ONE passage of a document of the family it names; otherwise the citation and retrieval scores of
the evaluation would count a correct answer as a miss. No model is needed.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from assistant.ingest.readers import SUPPORTED_SUFFIXES, read_document
from assistant.ingest.chunking import to_passages
from assistant.text.normalise import for_match as normalise_for_match
from assistant.config import Settings
from eval.metrics import holds_quote
from support.shared_corpus import SHARED, require_shared

ROOT = Path(__file__).resolve().parents[2]
SETS = [ROOT / "eval" / f"{name}.jsonl" for name in ("questions", "tuning", "heldout", "tuning-b", "tuning-c",
                                                                  "tuning-d")]
CORPUS = SHARED / "corpus"
DEV = SHARED / "eval" / "dev.jsonl"

KINDS = {"figure", "list", "concept", "law", "offer", "abstain", "multiturn", "crosslingual"}
DOC_FAMILIES = {"etude", "offre", "ai-act"}
MIN_QUESTIONS = 45


def _load(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


QUESTION_SET = [q for path in SETS for q in _load(path)]
GOLD = [(q["id"], g) for q in QUESTION_SET for g in q.get("gold") or []]


def family_of(relative_path: str) -> str:
    """The question format's document families: the study PDF, the job offers, the AI Act."""
    if relative_path.startswith("offres/"):
        return "offre"
    if relative_path.startswith("ai-act/"):
        return "ai-act"
    if relative_path.endswith(".pdf"):
        return "etude"
    return "other"


@dataclass
class CorpusPage:
    document: str
    number: int | None
    text: str  # normalised text of the whole page
    passages: list[str]  # normalised text of each passage cut from that page


@pytest.fixture(scope="module")
def corpus_pages() -> dict[str, list[CorpusPage]]:
    """Pages of the shared corpus, grouped by document family, read exactly as the assistant reads them."""
    require_shared("corpus")
    settings = Settings()
    pages: dict[str, list[CorpusPage]] = {}
    for path in sorted(CORPUS.rglob("*")):
        if not path.is_file() or path.suffix.lower() not in SUPPORTED_SUFFIXES:
            continue
        name = path.relative_to(CORPUS).as_posix()
        document = read_document(path, name, settings.limits.max_file_mb)
        nodes = to_passages(document, settings.chunking)  # default chunking: passages of ≤ 90 words
        for page in document.pages:
            pages.setdefault(family_of(name), []).append(CorpusPage(
                document=name, number=page.number,
                text=normalise_for_match(" ".join(p.text for p in page.paragraphs)),
                passages=[normalise_for_match(n.text) for n in nodes if n.page == page.number]))
    assert set(pages) >= DOC_FAMILIES, f"the corpus lacks a document family: {sorted(pages)}"
    return pages


# --- format ----------------------------------------------------------------------------------

def test_the_set_is_large_enough_and_covers_every_kind() -> None:
    assert len(QUESTION_SET) >= MIN_QUESTIONS
    assert {q["kind"] for q in QUESTION_SET} == KINDS


def test_ids_are_unique() -> None:
    ids = [q["id"] for q in QUESTION_SET]
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)


@pytest.mark.parametrize("question", QUESTION_SET, ids=lambda q: q.get("id", "?"))
def test_question_has_the_evaluation_format(question: dict) -> None:
    assert set(question) <= {"id", "kind", "turns", "abstain", "gold", "tags"}
    assert {"id", "kind", "turns", "gold"} <= set(question)
    assert isinstance(question["id"], str) and question["id"]
    assert question["kind"] in KINDS
    assert isinstance(question.get("abstain", False), bool)
    turns = question["turns"]
    assert isinstance(turns, list) and turns
    for turn in turns:
        assert set(turn) == {"q", "expect"}
        assert isinstance(turn["q"], str) and turn["q"].strip()
        assert isinstance(turn["expect"], list)
        for fact in turn["expect"]:
            assert isinstance(fact, list) and fact, "a required fact needs at least one variant"
            assert all(isinstance(v, str) and normalise_for_match(v) for v in fact)
    for gold in question["gold"]:
        assert set(gold) == {"doc", "quote"}
        assert gold["doc"] in DOC_FAMILIES
        assert isinstance(gold["quote"], str)
        # Short quotes: long ones straddle line breaks, footnotes or passage boundaries.
        assert 4 <= len(gold["quote"].split()) <= 25, gold["quote"]


@pytest.mark.parametrize("question", QUESTION_SET, ids=lambda q: q.get("id", "?"))
def test_abstention_and_answerable_questions_are_consistent(question: dict) -> None:
    abstain = question.get("abstain", False)
    turns = question["turns"]
    if abstain and question["kind"] == "multiturn":  # answerable turns, then one the documents cannot answer
        assert turns[-1]["expect"] == [] and all(t["expect"] for t in turns[:-1]) and question["gold"]
        return
    assert abstain == (question["kind"] == "abstain")
    if abstain:
        assert question["gold"] == [] and all(t["expect"] == [] for t in question["turns"])
    else:
        assert question["gold"], "an answerable question names the passage that supports it"
        assert all(t["expect"] for t in question["turns"]), "every turn checks at least one fact"
    if question["kind"] == "multiturn":
        assert len(question["turns"]) >= 2
    else:
        assert len(question["turns"]) == 1


def test_crosslingual_questions_are_in_english() -> None:
    english = re.compile(r"\b(what|which|who|when|how|does|did|is|are)\b", re.IGNORECASE)
    for question in QUESTION_SET:
        if question["kind"] == "crosslingual":
            assert english.search(question["turns"][0]["q"]), question["id"]


def test_questions_differ_from_the_dev_set() -> None:
    """The dev set stays an independent check: none of its questions is reused here."""
    require_shared("eval/dev.jsonl")
    dev = {normalise_for_match(t["q"]) for q in _load(DEV) for t in q["turns"]}
    reused = [q["id"] for q in QUESTION_SET for t in q["turns"] if normalise_for_match(t["q"]) in dev]
    assert not reused


# --- answerable from the corpus ---------------------------------------------------------------

def _pages_with(corpus_pages: dict[str, list[CorpusPage]], family: str, quote: str) -> list[CorpusPage]:
    return [page for page in corpus_pages[family] if holds_quote(page.text, quote)]


@pytest.mark.parametrize(("qid", "gold"), GOLD, ids=[f"{qid}-{i}" for i, (qid, _) in enumerate(GOLD)])
def test_gold_quote_lies_in_one_passage_of_its_document_family(
        corpus_pages: dict[str, list[CorpusPage]], qid: str, gold: dict) -> None:
    quote = normalise_for_match(gold["quote"])
    pages = _pages_with(corpus_pages, gold["doc"], quote)
    elsewhere = [f"{p.document} p.{p.number}" for family, ps in corpus_pages.items() if family != gold["doc"]
                 for p in ps if holds_quote(p.text, quote)]
    assert pages, f"{qid}: quote not found in the « {gold['doc']} » documents (found in: {elsewhere or 'none'})"
    assert any(holds_quote(passage, quote) for page in pages for passage in page.passages), \
        f"{qid}: the quote is on {pages[0].document} p.{pages[0].number} but straddles two passages"


FIGURES = [q for q in QUESTION_SET if q["kind"] == "figure"]


@pytest.mark.parametrize("question", FIGURES, ids=lambda q: q["id"])
def test_figure_facts_are_on_the_gold_page(corpus_pages: dict[str, list[CorpusPage]], question: dict) -> None:
    """A figure question is answerable: each expected figure is printed on the page the gold quote is on."""
    pages = [page for gold in question["gold"]
             for page in _pages_with(corpus_pages, gold["doc"], normalise_for_match(gold["quote"]))]
    assert pages
    text = " ".join(page.text for page in pages)
    for fact in question["turns"][0]["expect"]:
        assert any(normalise_for_match(v) in text for v in fact), f"{question['id']}: {fact} not on the gold page"

"""Evidence for the prompt: the sentences of each retrieved passage that matter for the question.

Fewer prompt tokens is the main lever on time to first token on a CPU: each passage is reduced
to its best sentences under a total word budget.
"""
from __future__ import annotations

import math

from assistant.config import RetrievalSettings
from assistant.domain import Evidence, RetrievedPassage
from assistant.text.injection import without_instructions
from assistant.text.sentences import sentences, shorten, word_count
from assistant.text.words import tokens, weighted_overlap


def _sentence_score(weights: dict[str, float], sentence: str) -> float:
    score = weighted_overlap(weights, sentence)
    digits = any(ch.isdigit() for ch in sentence)
    return score + (0.3 if digits else 0.0)


def _parts(text: str) -> list[str]:
    # a bare list number (« 5. », « b) ») is cut off as a sentence of its own: not evidence
    return [s for line in text.split("\n") for s in sentences(line) if any(ch.isalpha() for ch in s)]


def _with_list(parts: list[str], chosen: list[int], budget: int, used: int) -> list[int]:
    """A chosen lead-in (« … en trois volets : ») brings the items that follow it: a list cut to
    its first line, or to items of a neighbouring list, is the commonest wrong list answer."""
    extra: list[int] = []
    for i in chosen:
        if not parts[i].rstrip().endswith(":"):
            continue
        for j in range(i + 1, min(len(parts), i + 9)):
            words = word_count(parts[j])
            if parts[j].rstrip().endswith(":") or used + words > budget:
                break
            if j not in chosen and j not in extra:
                extra.append(j)
                used += words
    return chosen + extra


def select_sentences(query: str, text: str, count: int, budget: int,
                     weights: dict[str, float] | None = None) -> str:
    """The `count` best sentences for the query within `budget` words: the best first, the others
    in reading order, « … » where sentences were skipped.

    `weights`: how much each query word tells sentences apart (see `query_weights`); by default
    every word counts the same."""
    parts = _parts(text)
    if not parts:
        return ""
    weights = weights or dict.fromkeys(tokens(query), 1.0)
    ranked = sorted(range(len(parts)), key=lambda i: (-_sentence_score(weights, parts[i]), i))
    chosen: list[int] = []
    used = 0
    for i in ranked[:count]:
        words = word_count(parts[i])
        if chosen and used + words > budget:
            continue
        chosen.append(i)
        used += words
    chosen = _with_list(parts, chosen, budget, used)
    # The best sentence leads, the others follow in reading order: a small model takes the first
    # figure it reads, and a passage often holds the asked figure after its neighbours.
    best = chosen[0]
    picked = [best, *sorted(i for i in chosen if i != best)]
    out = []
    for previous, current in zip([None, *picked], picked):
        if previous is not None and current != previous + 1:
            out.append("…")
        out.append(shorten(parts[current], budget))
    return " ".join(out)


def query_weights(query: str, texts: list[str]) -> dict[str, float]:
    """Each query word weighted by how few of the passages' sentences hold it (an idf): the study
    repeats one sentence shape with another region, year or function each time, and the word
    that tells the right sentence from its look-alikes is the rare one, not « offres »."""
    parts = [part for text in texts for part in _parts(text)]
    words = set(tokens(query))
    held = [{w for w in words if weighted_overlap({w: 1.0}, part)} for part in parts]
    df = {w: sum(w in h for h in held) for w in words}
    return {w: math.log(1 + (len(parts) + 1) / (df[w] + 0.5)) for w in words}


def best_sentence(query: str, text: str) -> str:
    """The one sentence of the text that matters most for the query (highlighted on the page)."""
    return select_sentences(query, text, 1, 80) if query and text else ""


def _best_sentence_score(weights: dict[str, float], text: str) -> float:
    return max((_sentence_score(weights, s) for s in _parts(text)), default=0.0)


def _focused(query: str, passages: list[RetrievedPassage], ratio: float) -> list[RetrievedPassage]:
    """Drop passages whose best sentence matches the question far less than the best one does:
    a small model picks figures from distractors, and fewer tokens mean a faster first word."""
    if ratio <= 0 or len(passages) <= 2:
        return passages
    weights = dict.fromkeys(tokens(query), 1.0)
    scores = [_best_sentence_score(weights, r.passage.text) for r in passages]
    top = max(scores)
    kept = [r for r, s in zip(passages, scores) if s >= ratio * top]
    return kept if len(kept) >= 2 else passages[:2]


def build_evidence(query: str, passages: list[RetrievedPassage], settings: RetrievalSettings) -> list[Evidence]:
    """Number the passages [1]..[n]; the first gets a larger share of the word budget."""
    passages = _focused(query, passages, settings.min_evidence_ratio)
    if not passages:
        return []
    total = settings.evidence_words
    shares = [max(total // (len(passages) + 1) * (2 if i == 0 else 1), 20) for i in range(len(passages))]
    evidence: list[Evidence] = []
    weights = query_weights(query, [found.passage.text for found in passages])
    for found, share in zip(passages, shares):
        # sentences that command the assistant are never shown to it (prompt injection)
        text = without_instructions(found.passage.text)
        excerpt = select_sentences(query, text, settings.evidence_sentences, share, weights) if text else ""
        if excerpt:
            evidence.append(Evidence(len(evidence) + 1, found.passage, excerpt))
    return evidence

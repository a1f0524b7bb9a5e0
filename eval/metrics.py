"""Scoring results against a question set (formats of shared/eval/README.md)."""
from __future__ import annotations

import statistics
from typing import Any

from assistant.retrieval import normalise_for_match as normalise


def facts_found(answer: str, expect: list[list[str]]) -> bool:
    """Every required fact present through one of its variants."""
    text = normalise(answer)
    return all(any(normalise(v) in text for v in variants) for variants in expect if variants)


def quote_in(passages: list[dict[str, Any]], gold: list[dict[str, str]]) -> bool:
    quotes = [normalise(g["quote"]) for g in gold]
    return any(q in normalise(p.get("text", "")) for p in passages for q in quotes)


def score_question(question: dict[str, Any], result: dict[str, Any]) -> dict[str, Any]:
    turns = result["turns"]
    abstain = bool(question.get("abstain"))
    if abstain:
        correct = all(t["abstained"] for t in turns)
    else:
        correct = all(not t["abstained"] and facts_found(t["answer"], q["expect"])
                      for q, t in zip(question["turns"], turns))
    gold = question.get("gold") or []
    return {
        "id": question["id"], "kind": question.get("kind", ""), "abstain": abstain, "correct": correct,
        "citation_hit": None if abstain or not gold else any(quote_in(t["citations"], gold) for t in turns),
        "retrieval_hit": None if abstain or not gold else any(quote_in(t["retrieved"], gold) for t in turns),
        "false_abstention": (not abstain) and any(t["abstained"] for t in turns),
        "first_token_s": [t["timings"].get("first_token_s", 0.0) for t in turns],
        "total_s": [t["timings"].get("total_s", 0.0) for t in turns],
        "prompt_tokens": [t.get("prompt_tokens", 0) for t in turns],
    }


def _share(values: list[bool]) -> float | None:
    return round(sum(values) / len(values), 3) if values else None


def percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def summarise(scores: list[dict[str, Any]]) -> dict[str, Any]:
    answerable = [s for s in scores if not s["abstain"]]
    ttft = [v for s in scores for v in s["first_token_s"]]
    total = [v for s in scores for v in s["total_s"]]
    tokens = [v for s in scores for v in s["prompt_tokens"] if v]
    return {
        "questions": len(scores),
        "answer_accuracy": _share([s["correct"] for s in answerable]),
        "citation_hit": _share([s["citation_hit"] for s in answerable if s["citation_hit"] is not None]),
        "retrieval_hit": _share([s["retrieval_hit"] for s in answerable if s["retrieval_hit"] is not None]),
        "abstention_accuracy": _share([s["correct"] for s in scores if s["abstain"]]),
        "false_abstention_rate": _share([s["false_abstention"] for s in answerable]),
        "first_token_median_s": round(statistics.median(ttft), 2) if ttft else 0.0,
        "first_token_p90_s": round(percentile(ttft, 0.9), 2),
        "total_median_s": round(statistics.median(total), 2) if total else 0.0,
        "total_p90_s": round(percentile(total, 0.9), 2),
        "prompt_tokens_median": int(statistics.median(tokens)) if tokens else 0,
    }

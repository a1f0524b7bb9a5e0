"""Scoring results against a question set (formats of shared/eval/README.md).

Question-level verdicts (correct, abstention, citation and retrieval hit) look at the whole
conversation, since `expect` is per turn but `gold` is per question; per-turn figures (turn
accuracy, marker validity, citation precision, latency) look at each answer on its own.
The rules are written out in METRIC_NOTES, which the reports print.
"""
from __future__ import annotations

import re
import statistics
from collections import defaultdict
from typing import Any

from assistant.domain import SUPPORTED
from assistant.rag.citations import MARKER, names, parse_markers, split_answer, support
from assistant.text.normalise import fold
from assistant.text.normalise import for_match as normalise
from assistant.text.numbers import french_grouping, stated_numbers
from assistant.text.words import overlap, tokens

HIT_AT = (1, 3, 5)

METRIC_NOTES = f"""\
- **Answer accuracy**: share of answerable questions where every turn is answered (no abstention) and
  holds every required fact (one variant each, compared without case, accents or extra spaces; a
  verdict « oui » / « non » counts only as the answer's first word).
  A conversation counts as correct only if all its turns are; *turn accuracy* scores each turn alone.
- **Abstention accuracy**: share of unanswerable questions where every turn abstains (in a
  conversation, every turn without expected facts; the turns before, with facts, give them).
  **False abstention rate**: share of answerable questions where some turn abstains.
  **Accuracy (all)**: share of all questions with the right behaviour (answer or abstention).
- **Retrieval hit@k / MRR**: rank of the first passage of `retrieved` (in its order) that contains a
  gold quote; for a conversation, the best rank over its turns. hit@k = rank ≤ k; MRR = mean of 1/rank
  (0 when no passage holds a quote). Over answerable questions that have gold quotes.
- **Citation hit**: some cited passage (any turn) contains a gold quote.
- **Citation precision** (ALCE-style, no model): for each answer sentence carrying markers `[n]`,
  a citation is precise if its passage supports the sentence on its own, or if the sentence's
  citations together support it and no longer do without this one (it contributes). A marker
  pointing to no citation counts as imprecise. Per question: precise / all (sentence, citation)
  pairs over its turns; the summary averages questions that have at least one pair.
  **Citation recall**: share of sentences with markers that their citations support together.
- **Support rule** (lexical, transparent): text is folded (lower case, no accents, unified spaces
  and apostrophes), markers are removed from the sentence; its content words (French stop words
  and elisions removed) are looked up in the passage, a word counting 1 if present and 0.8 if only
  a word with the same first 5 letters is (plurals, inflections). The passage supports the
  sentence if it holds at least {SUPPORTED:.0%} of them AND every number of the sentence (figures such
  as "2,2 %" or "7 500 000", article numbers; separators ignored), since a wrong figure is the
  worst thing a citation can hide (assistant.rag.citations.support, threshold {SUPPORTED}). Words that only
  echo the turn's question prove nothing, so the words the sentence adds to the question must also
  be found at {SUPPORTED:.0%} or more. Limits: paraphrases and synonyms are missed (strict), and a sentence
  in another language than its passage (cross-lingual questions) is rarely judged supported.
- **Answers with unsourced facts**: answers shown (not abstentions) holding a figure (in digits,
  or a count in words before its unit: « deux mois »), date or name that no passage cited by its
  sentence holds, title and page included (a sentence without a marker cites nothing);
  counted, out of the answers shown. The target is 0.
- **Marker validity**: share of answer turns with markers whose every `[n]` names an existing
  citation (`marker` field of `citations`). **Uncited answers**: share of non-abstained turns
  without any marker.
- **Latency**: first-token and total seconds per turn (every turn is a model call); median and p90
  (nearest rank). **Prompt tokens**: median per turn, when the results carry `prompt_tokens`.
"""


_VERDICTS = frozenset({"oui", "non", "yes", "no"})


def facts_found(answer: str, expect: list[list[str]]) -> bool:
    """Every required fact present through one of its variants; a verdict (« oui », « non »)
    only as the answer's first word (« non » is also inside « nonobstant », « annonce »)."""
    text = normalise(answer)
    first = re.match(r"\w*", text).group()
    return all(any(first == normalise(v) if normalise(v) in _VERDICTS else normalise(v) in text
                   for v in variants) for variants in expect if variants)


def text_facts(expect: list[list[str]]) -> list[list[str]]:
    """The expected facts a passage can hold: not a verdict (« oui », « non »), which the answer
    draws from a passage but no passage opens with (the evidence screening's upper bound)."""
    return [variants for variants in expect
            if variants and not all(normalise(v) in _VERDICTS for v in variants)]


def quote_in(passages: list[dict[str, Any]], gold: list[dict[str, str]]) -> bool:
    return gold_rank(passages, gold) is not None


def gold_rank(passages: list[dict[str, Any]], gold: list[dict[str, str]]) -> int | None:
    """1-based position of the first passage holding a gold quote; None when none does."""
    quotes = [normalise(g["quote"]) for g in gold]
    for rank, passage in enumerate(passages, start=1):
        text = normalise(passage.get("text", ""))
        if any(holds_quote(text, q) for q in quotes):
            return rank
    return None


def holds_quote(text: str, quote: str) -> bool:
    """The quote in the text (both normalised). A table's cells quoted in reading order
    (« Normandie 30,2 41,0 Occitanie … ») match its row sentences, whose column names come between
    them: the whole quote, or its leading row (a label and its figures) where the quote runs on
    into the next row and the rows fell into two passages."""
    if quote in text:
        return True
    wanted, words = _WORDS.findall(quote), _WORDS.findall(text)
    if len(wanted) < 4 or not any(ch.isdigit() for ch in quote):
        return False
    row = _leading_row(wanted)
    return _in_order(words, wanted) or (len(row) >= 3 and _in_order(words, row))


def _is_figure(word: str) -> bool:
    return word[0].isdigit()


def _leading_row(words: list[str]) -> list[str]:
    """The first label followed by its figures (figures before any label belong to another row)."""
    start = next((i for i, w in enumerate(words) if not _is_figure(w)), len(words))
    end = start
    while end < len(words) and not _is_figure(words[end]):
        end += 1
    while end < len(words) and _is_figure(words[end]):
        end += 1
    return words[start:end] if end > start and _is_figure(words[end - 1]) else []


def _in_order(words: list[str], wanted: list[str]) -> bool:
    """The wanted words in this order, other words between them, within a table row's reach."""
    window = 8 * len(wanted)
    for start, word in enumerate(words):
        if word != wanted[0]:
            continue
        k = 1
        for candidate in words[start + 1:start + window]:
            if k < len(wanted) and candidate == wanted[k]:
                k += 1
        if k == len(wanted):
            return True
    return False


_WORDS = re.compile(r"\w(?:[\w,.%']*\w)?")


def supports(sentence: str, text: str, question: str = "") -> bool:
    """The lexical support rule of METRIC_NOTES (folding first also unifies non-breaking spaces)."""
    if not text or support(fold(sentence), fold(text)) < SUPPORTED:
        return False
    # Words that only echo the question prove nothing: what the sentence adds must be there too.
    new = {w for w in tokens(MARKER.sub("", sentence)) if not overlap({w}, question)}
    return not new or overlap(new, text) / len(new) >= SUPPORTED


def answer_sentences(answer: str) -> list[str]:
    """Sentences of an answer, cut as the assistant cuts them when it checks citations."""
    return split_answer(answer)


def citation_precision(answer: str, citations: list[dict[str, Any]],
                       question: str = "") -> tuple[int, int, int, int]:
    """(precise citations, citations, supported sentences, sentences with markers) of one answer."""
    texts = {c.get("marker"): c.get("text", "") for c in citations}
    precise = total = supported = cited = 0
    for sentence in answer_sentences(answer):
        markers = list(dict.fromkeys(parse_markers(sentence)))
        if not markers:
            continue
        cited += 1
        joint = supports(sentence, "\n".join(texts.get(m, "") for m in markers), question)
        supported += joint
        for m in markers:
            others = "\n".join(texts.get(o, "") for o in markers if o != m)
            alone = supports(sentence, texts.get(m, ""), question)
            contributes = joint and not supports(sentence, others, question)
            precise += alone or contributes
            total += 1
    return precise, total, supported, cited


def markers_valid(answer: str, citations: list[dict[str, Any]]) -> bool | None:
    """Every [n] of the answer names a citation; None when the answer has no marker."""
    markers = set(parse_markers(answer))
    if not markers:
        return None
    return markers <= {c.get("marker") for c in citations}


def unsourced_facts(answer: str, citations: list[dict[str, Any]]) -> list[str]:
    """Figures, dates and names of the answer that none of its sentence's cited passages holds
    (a sentence without markers is checked against nothing): the worst error shown as sourced."""
    # what the reader sees of a cited passage: its title and page too (« Responsable Digital » is an
    # offer's title, « p. 17 » its label)
    texts = {c.get("marker"): f"{c.get('title') or ''} {c.get('document', '')}, p. {c.get('page')}\n{c.get('text', '')}"
             for c in citations}
    missing = []
    for sentence in answer_sentences(answer):
        cited = "\n".join(texts.get(m, "") for m in parse_markers(sentence))
        claim = MARKER.sub("", sentence)
        held = stated_numbers(cited)
        # an English answer's « 90,000 » is the passage's « 90 000 » (as the assistant's check reads it)
        missing += sorted(n for n in stated_numbers(claim) - held if not stated_numbers(french_grouping(n)) <= held)
        folded = fold(cited).replace("-", " ")
        missing += sorted(n for n in names(claim) if n not in folded)
    return missing


def _seconds(turns: list[dict[str, Any]], key: str) -> list[float]:
    return [float(t["timings"][key]) for t in turns if t.get("timings", {}).get(key) is not None]


def score_question(question: dict[str, Any], result: dict[str, Any]) -> dict[str, Any]:
    turns = result["turns"]
    asked = question["turns"]
    abstain = bool(question.get("abstain"))
    complete = len(turns) >= len(asked)  # a conversation cut short is not correct
    # in an unanswerable conversation, a turn with facts to give (asked before the one the documents
    # cannot answer) is scored on them; the turns without must abstain
    turn_correct = [(t["abstained"] if abstain and not any(q["expect"])
                     else not t["abstained"] and facts_found(t["answer"], q["expect"]))
                    for q, t in zip(asked, turns)] + [False] * max(0, len(asked) - len(turns))
    gold = question.get("gold") or []
    scored = not abstain and bool(gold)
    ranks = [r for r in (gold_rank(t.get("retrieved", []), gold) for t in turns) if r is not None] if scored else []
    counts = [citation_precision(t["answer"], t.get("citations", []), t.get("q", "")) for t in turns if not t["abstained"]]
    precise, pairs, supported, cited = (sum(c[i] for c in counts) for i in range(4))
    validity = [markers_valid(t["answer"], t.get("citations", [])) for t in turns]
    return {
        "id": question["id"], "kind": question.get("kind", ""), "abstain": abstain,
        "correct": complete and all(turn_correct), "turn_correct": turn_correct,
        "citation_hit": None if not scored else any(quote_in(t.get("citations", []), gold) for t in turns),
        "retrieval_hit": None if not scored else bool(ranks),
        "retrieval_rank": min(ranks) if ranks else None,
        "citation_precision": round(precise / pairs, 3) if pairs else None,
        "citation_pairs": pairs, "sentences_cited": cited, "sentences_supported": supported,
        "markers_valid": [v for v in validity if v is not None],
        "uncited": [v is None for t, v in zip(turns, validity) if not t["abstained"]],
        "false_abstention": (not abstain) and any(t["abstained"] for t in turns),
        "unsourced_facts": [f for t in turns if not t["abstained"]
                            for f in unsourced_facts(t["answer"], t.get("citations", []))],
        "answered": any(not t["abstained"] for t in turns),
        "first_token_s": _seconds(turns, "first_token_s"),
        "total_s": _seconds(turns, "total_s"),
        "prompt_tokens": [t.get("prompt_tokens", 0) for t in turns],
    }


def _share(values: list[bool]) -> float | None:
    return round(sum(values) / len(values), 3) if values else None


def _mean(values: list[float]) -> float | None:
    return round(sum(values) / len(values), 3) if values else None


def percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def summarise(scores: list[dict[str, Any]]) -> dict[str, Any]:
    answerable = [s for s in scores if not s["abstain"]]
    with_gold = [s for s in answerable if s["retrieval_hit"] is not None]
    ttft = [v for s in scores for v in s["first_token_s"]]
    total = [v for s in scores for v in s["total_s"]]
    tokens = [v for s in scores for v in s["prompt_tokens"] if v]
    return {
        "questions": len(scores),
        "accuracy": _share([s["correct"] for s in scores]),
        "answer_accuracy": _share([s["correct"] for s in answerable]),
        "turn_accuracy": _share([c for s in answerable for c in s["turn_correct"]]),
        "citation_hit": _share([s["citation_hit"] for s in answerable if s["citation_hit"] is not None]),
        "retrieval_hit": _share([s["retrieval_hit"] for s in with_gold]),
        **{f"retrieval_hit@{k}": _share([(s["retrieval_rank"] or k + 1) <= k for s in with_gold]) for k in HIT_AT},
        "retrieval_mrr": _mean([1 / s["retrieval_rank"] if s["retrieval_rank"] else 0.0 for s in with_gold]),
        "citation_precision": _mean([s["citation_precision"] for s in scores
                                     if s["citation_precision"] is not None]),
        "citation_recall": (round(sum(s["sentences_supported"] for s in scores)
                                  / sum(s["sentences_cited"] for s in scores), 3)
                            if any(s["sentences_cited"] for s in scores) else None),
        "marker_validity": _share([v for s in scores for v in s["markers_valid"]]),
        "uncited_answer_rate": _share([v for s in scores for v in s["uncited"]]),
        "abstention_accuracy": _share([s["correct"] for s in scores if s["abstain"]]),
        "false_abstention_rate": _share([s["false_abstention"] for s in answerable]),
        "unsourced_fact_answers": sum(bool(s["unsourced_facts"]) for s in scores),
        "answered": sum(s["answered"] for s in scores),
        "first_token_median_s": round(statistics.median(ttft), 2) if ttft else 0.0,
        "first_token_p90_s": round(percentile(ttft, 0.9), 2),
        "total_median_s": round(statistics.median(total), 2) if total else 0.0,
        "total_p90_s": round(percentile(total, 0.9), 2),
        "prompt_tokens_median": int(statistics.median(tokens)) if tokens else 0,
    }


def summarise_by_kind(scores: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """The same summary for each question kind, kinds in order of first appearance."""
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for s in scores:
        groups[s["kind"] or "?"].append(s)
    return {kind: summarise(group) for kind, group in groups.items()}

"""Yes/no answers: the verdict, then the text that decides it, quoted.

A 1.5B model gets the verdict of a closed question right far more often than its condition: it
restates the question (« Oui. Les déployeurs doivent informer… ») or stops at « Non [1] », and
the exception that makes the answer (« toujours », « après examen humain ») is lost. The sentence
of the evidence that says most of the question is quoted after the model's reply, word for word,
so that the reader checks the verdict against the law or the study itself.
"""
from __future__ import annotations

import re

from assistant.domain import Citation, Evidence, SentenceSupport
from assistant.rag.citations import CitedAnswer, MARKER
from assistant.text.sentences import statements
from assistant.text.words import coverage

# Below this share of the question's words, the best sentence is about something else (tuning:
# deciding sentences cover 0.44 to 0.82 of the question, an unanswerable one's best 0.14).
_ON_QUESTION = 0.4
# A quote the reply already says (three quarters of its words) adds nothing.
_ALREADY_SAID = 0.75


def verdict_stop(text: str) -> str:
    """« Non La dérogation … » as the model writes it -> « Non. La dérogation … » (after the
    citation check, which must not judge a bare « Non. » as a claim of its own)."""
    return re.sub(r"^(Oui|Non)\s+(?=[A-ZÀ-ÖØ-Ý«])", r"\1. ", text)


def deciding_sentence(question: str, evidence: list[Evidence]) -> tuple[str, Evidence] | None:
    """The evidence sentence holding most of the question's words (the first on a tie: the
    evidence is ranked), or None when none is about the question."""
    best: tuple[float, str, Evidence] | None = None
    for item in evidence:
        for sentence in statements(item.excerpt):
            sentence = sentence.strip(" …—").strip()
            score = coverage(question, sentence)
            if best is None or score > best[0]:
                best = (score, sentence, item)
    if best is None or best[0] < _ON_QUESTION:
        return None
    return best[1], best[2]


def with_deciding_text(question: str, cited: CitedAnswer, evidence: list[Evidence]) -> CitedAnswer:
    """The checked reply followed by « Texte : « … » [n]. », the deciding sentence's passage
    cited under its number in the reply (or the next one)."""
    found = deciding_sentence(question, evidence)
    if found is None or coverage(found[0], MARKER.sub("", cited.text)) >= _ALREADY_SAID:
        return cited
    sentence, item = found
    citations = list(cited.citations)
    marker = next((c.marker for c in citations if c.passage.id == item.passage.id), None)
    if marker is None:
        marker = len(citations) + 1
        citations.append(Citation(marker, item.passage, 1.0))
    quoted = f"Texte : « {sentence.rstrip('.;: ')} » [{marker}]."
    reply = verdict_stop(cited.text)
    if re.fullmatch(r"(Oui|Non)\.?", MARKER.sub("", reply).strip()):  # « Non [1] »: the quote is its source
        reply = f"{reply[:3]}."
    return CitedAnswer(f"{reply} {quoted}", citations,
                       [*cited.sentences, SentenceSupport(quoted, [marker], 1.0)],
                       cited.invalid_markers, cited.removed)

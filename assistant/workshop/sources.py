"""Passages for a theme, sentences worth teaching, and the check that ties an item's wording to
the words of its passage (`backed_by`)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from assistant.domain import Passage
from assistant.rag.citations import support
from assistant.rag.retrieval import rrf
from assistant.text.normalise import fold
from assistant.text.numbers import figures_in, numbers_in
from assistant.text.sentences import sentences, word_count
from assistant.text.words import overlap, tokens

if TYPE_CHECKING:
    from assistant.services.assistant import Assistant

# Names trainers use that the documents (and the 1.5B model) do not: each adds searches for what
# the term covers. The regulation's text never calls itself "AI Act".
GLOSSARY: dict[str, list[str]] = {
    r"\b(?:ia|ai) act\b|\bacte sur l'ia\b|\breglement (?:europeen )?(?:sur l')?ia\b": [
        "règlement européen sur l'intelligence artificielle",
        "obligations des déployeurs de systèmes d'IA à haut risque",
        "pratiques d'IA interdites",
        "obligations de transparence des systèmes d'IA",
        "maîtrise de l'IA du personnel",
        "sanctions et amendes administratives",
        "entrée en application du règlement",
    ],
    r"\brgpd\b": ["protection des données à caractère personnel"],
    r"\biag\b": ["intelligence artificielle générative"],
}


def numbers_backed_by(text: str, passage: str) -> bool:
    """Every number the text states is in the passage: a model must not invent or alter figures."""
    return numbers_in(text) <= numbers_in(passage)


def backed_by(text: str, passage: str, threshold: float = 0.67) -> bool:
    """The passage backs the text: it holds at least `threshold` of the text's content words
    (`rag.citations.support`) and every number the text states."""
    return numbers_backed_by(text, passage) and support(text, passage) >= threshold


def searches(theme: str, audience: str = "") -> list[tuple[str, int]]:
    """(query, passages wanted): the theme, the theme for this audience, and what glossary terms
    of the theme cover."""
    queries = [(theme, 40)]
    if audience.strip():
        queries.append((f"{theme} {audience}", 10))
    folded = fold(theme)
    for pattern, expansions in GLOSSARY.items():
        if re.search(pattern, folded):
            queries += [(query, 4) for query in expansions]
    return queries


def gather(assistant: Assistant, theme: str, audience: str = "", limit: int = 50,
           groups: list[str] | None = None) -> tuple[list[Passage], bool]:
    """Passages for a theme, several searches fused by reciprocal rank (retrieval only, no model),
    and whether the theme's own search found anything relevant."""
    assistant.store.refresh_lexical()
    rankings: list[list[str]] = []
    passages: dict[str, Passage] = {}
    relevant = False
    for n, (query, top) in enumerate(searches(assistant.chat.question(theme).text, audience)):
        retrieval = assistant.retriever.retrieve(query, top, groups)
        relevant = relevant or (n == 0 and retrieval.relevant)
        rankings.append([found.passage.id for found in retrieval.passages])
        passages.update({found.passage.id: found.passage for found in retrieval.passages})
    fused = rrf(rankings, assistant.settings.retrieval.rrf_k)
    return [passages[i] for i in sorted(fused, key=fused.get, reverse=True)[:limit]], relevant


def focus(theme: str) -> str:
    """The words that make a sentence on-theme: the theme and what its glossary terms cover (not
    the audience: « cadres » would pull in every sentence about managers)."""
    return " ".join(q for q, _ in searches(theme))


def wide(assistant: Assistant, theme: str, count: int = 250, groups: list[str] | None = None) -> list[Passage]:
    """Many passages by meaning alone, nearest first: figures are rare, so the key-figures sheet
    and the fill-in questions look further than the other artifacts."""
    embedding = assistant.embedder.get_query_embedding(focus(theme))
    return [passage for passage, _ in assistant.store.dense_search(embedding, count, groups)]


@dataclass
class Candidate:
    """A sentence of a retrieved passage, ranked for the theme."""
    sentence: str
    passage: Passage
    rank: int  # of its passage in the retrieval
    score: float
    on_theme: float = 0.0  # share of the theme's words the sentence (and its heading) holds


_LEAD = re.compile(r"^(?:[\s■•→>*#\-–—💡]+|note de lecture\s*:\s*|[a-z]{1,2}\)\s+|\d{1,2}[.)]\s+)+",
                   re.IGNORECASE)
_BOILERPLATE = re.compile(r"^(?:source|sources|lire aussi|voir|cf)\b", re.IGNORECASE)
# Interviews quoted in reports: opinions of one person, not facts to teach.
_SPOKEN = re.compile(r"[“”]|\s[—–]\s|»\s+(?:Cadre|Responsable|Directeur|Directrice|Ingénieur|Chef|DRH)\b"
                     r"|(?i:\b(?:je|j'|j’|on|moi|ça)\b)")


def clean(sentence: str) -> str:
    """A sentence as a trainer would quote it: list bullets and reading-note labels removed."""
    text = " ".join(_LEAD.sub("", sentence).split()).replace("**", "")
    return text[:1].upper() + text[1:]


def teachable(sentence: str, min_words: int = 8, max_words: int = 60) -> bool:
    """A statement of fact: not too short or long, not a question, a source line, a quote of an
    interview or a bare list."""
    words = word_count(sentence)
    if words < min_words or words > max_words or sentence.endswith(("?", ":", ";")):
        return False
    if sentence[:1] in "«“\"" or _BOILERPLATE.match(sentence) or sentence.endswith("»"):
        return False
    return not _SPOKEN.search(sentence) and sentence.count(",") <= 6


def candidates(theme: str, passages: list[Passage], min_words: int = 8, max_words: int = 60,
               on_theme_only: bool = False) -> list[Candidate]:
    """Every teachable sentence of the passages, best first: close to the theme, from a passage the
    search ranked high, with a figure when possible."""
    wanted = set(tokens(theme))
    out: list[Candidate] = []
    for rank, passage in enumerate(passages):
        for line in passage.text.split("\n"):
            for sentence in (clean(raw) for raw in sentences(line)):
                if not teachable(sentence, min_words, max_words):
                    continue
                on_theme = overlap(wanted, f"{passage.heading} {sentence}") / max(len(wanted), 1)
                if on_theme_only and on_theme == 0:
                    continue
                score = on_theme * (1.4 if figures_in(sentence) else 1.0)  # a bonus, never above the theme
                score -= 0.01 * rank
                out.append(Candidate(sentence, passage, rank, score, on_theme))
    return sorted(out, key=lambda c: -c.score)

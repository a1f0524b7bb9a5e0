"""A list question: what it asks for (« Quelles sont les quatre fonctions … ? »: fonctions, four of
them) and how far a listing sentence of the evidence answers it (`quoting.deciding_sentence`)."""
from __future__ import annotations

import re

from assistant.rag.cells import row_cells
from assistant.text.normalise import fold
from assistant.text.numbers import NUMBER_WORDS
from assistant.text.words import coverage, overlap, tokens


# A list's sentence names what is listed and few of the question's other words (tuning: 0.45 and
# 0.50 for the two lists the model had cut short, 0.40 for another list beside the one asked).
_ON_LIST = 0.45
# A list introduced by what is asked for (« Les craintes exprimées : menace pour l'emploi, … » for
# « Quelles craintes … l'édito énumère-t-il ? ») needs fewer of the question's words: those of a
# long question stand in its title or heading, not in the list (tuning: 0.17 and 0.40 for two such
# lists; 0.11 for the best list of something else).
ON_LEAD_IN = 0.15


# Items in brackets after what they are (« … méthodes d'analyses de données (statistiques,
# algorithmes, machine learning, …) »): the offers list inline, with no colon.
_BRACKETED = re.compile(r"^(.*?)\(([^()]*,[^()]*,[^()]*)\)")


def split_lead_in(sentence: str) -> tuple[str, str]:
    """What introduces a list and its items: before and after a colon, or the words just before a
    bracketed run of three items or more and that run; ("", sentence) without either."""
    lead, colon, items = sentence.partition(":")
    if colon:
        return lead, items
    bracketed = _BRACKETED.search(sentence)
    return (" ".join(bracketed.group(1).split()[-6:]), bracketed.group(2)) if bracketed else ("", sentence)


def enumerates(sentence: str) -> bool:
    """Three items or more after a lead-in (« Les craintes exprimées : menace pour l'emploi, perte
    de compétence, … ») or in a run of commas (« technologique, opérationnelle, stratégique et … »)."""
    return len(re.split(r"\s*[,;•]\s*|\s+et\s+", split_lead_in(sentence)[1])) >= 3


_COUNTS = {word: n for word, n in NUMBER_WORDS.items() if n <= 10}  # a list asks for a few items
# Words before the noun a list question asks for: « Quelles sont les quatre nouvelles fonctions … »
_BEFORE_NOUN = frozenset(_COUNTS) | frozenset("principaux principales nouveaux nouvelles autres grands grandes "
                                              "petits petites differents differentes".split())


def _asking(question: str) -> str:
    """A list question after its « quels », « quelles » (folded), "" without one."""
    asked = re.search(r"\b(?:quels|quelles|lesquels|lesquelles)\b(.*)", fold(question))
    return asked.group(1) if asked else ""


def listed_noun(question: str) -> set[str]:
    """What a list question asks for: the noun after « quels », « quelles » (« Quelles sont les
    quatre fonctions … » -> fonctions; « Quelles cybermenaces visant … » -> cybermenaces)."""
    nouns = [word for word in tokens(_asking(question)) if word not in _BEFORE_NOUN]
    return set(nouns[:1])


def asked_count(question: str) -> int | None:
    """How many items a list question asks for (« les quatre fonctions » -> 4), None when it says not."""
    words = _asking(question).split()[:6]
    return next((_COUNTS.get(word) or int(word) for word in words if word in _COUNTS or word.isdigit()), None)


def _counts_fit(count: int | None, sentence: str) -> bool:
    """A list of that many items: between the pieces its commas cut and those its « et » and « ou »
    also cut (« recherche et développement » may be one item or two)."""
    if count is None:
        return True
    items = split_lead_in(sentence)[1] or sentence
    fewest = len(re.split(r"\s*[,;•]\s*", items))
    most = len(re.split(r"\s*[,;•]\s*|\s+(?:et|ou)\s+", items))
    return fewest <= count <= most


def on_list(question: str, listed: set[str], count: int | None, sentence: str) -> float:
    """How far a listing sentence answers a list question (`listed`: what it asks for; `count`: how
    many): its share of the question's words, and the lower bar of a list whose lead-in names what
    is asked for; 0 for a list of another length."""
    if not _counts_fit(count, sentence):
        return 0.0
    score = coverage(question, sentence)
    lead_in = split_lead_in(sentence)[0]
    named = overlap(listed, lead_in) > 0 and row_cells(sentence) is None  # a row lists figures
    return score if score >= _ON_LIST or (named and score >= ON_LEAD_IN) else 0.0

"""Key figures: found by pattern in the retrieved passages, never written by the model. The model
may only phrase a short statement around a figure, and that statement is kept only when the figure
is in it and every number it states is in the passage."""
from __future__ import annotations

import re

from assistant.components.llm.base import ChatModel
from assistant.domain import Passage, Quote
from assistant.text.normalise import compact
from assistant.text.numbers import DATE, figure_in, figures_in
from assistant.workshop import prompt
from assistant.workshop.items import KeyFigure
from assistant.workshop.sources import Candidate, backed_by, clean, numbers_backed_by
from assistant.workshop.theme import ThemeWords

# Of the figures of one sentence, the one that says most: amounts, then shares, then the rest
# (« heures » is no amount: whole words only).
_KIND_ORDER = (re.compile(r"\beur(?:os?)?\b|€", re.IGNORECASE), re.compile(r"%"))


def kind_rank(figure: str) -> int:
    return next((i for i, mark in enumerate(_KIND_ORDER) if mark.search(figure)), len(_KIND_ORDER))


def matters(figure: str) -> bool:
    """A figure worth teaching: an amount, a share or a date, not a count in passing (« 30 jours »
    to notify the Commission, « 2 ans » of experience in one job offer)."""
    return kind_rank(figure) < len(_KIND_ORDER) or bool(DATE.search(figure))


TAIL = 8  # the words past max_words a clause takes to reach the sentence's end


def clause(sentence: str, figure: str, max_words: int = 60) -> str:
    """The part of a long sentence that carries the figure: the sentence itself when short,
    otherwise its clause (between ; : or commas) widened with neighbours up to max_words. The
    text is cut from the sentence as it is, punctuation included."""
    if len(sentence.split()) <= max_words:
        return sentence
    cuts = [0] + [m.end() for m in re.finditer(r"[;:]\s+|(?<=[^\d]),\s+", sentence)] + [len(sentence)]
    spans = list(zip(cuts, cuts[1:]))
    where = next((i for i, (a, b) in enumerate(spans) if figure_in(figure, sentence[a:b])), None)
    if where is None:
        return sentence
    start, end = where, where + 1

    def words(lo: int, hi: int) -> int:
        return len(sentence[spans[lo][0]:spans[hi - 1][1]].split())

    grown = True
    while grown:
        grown = False
        for lo, hi in ((start - 1, end), (start, end + 1)):
            if lo >= 0 and hi <= len(spans) and words(lo, hi) <= max_words:
                start, end, grown = lo, hi, True
                break
    if words(start, len(spans)) <= max_words + TAIL:
        end = len(spans)  # « …, le montant le plus élevé étant retenu »: a few words are worth no ellipsis
    text = sentence[spans[start][0]:spans[end - 1][1]].strip(" ,;:")
    text = text[:1].upper() + text[1:]
    return text if text.endswith((".", "!", "?")) else f"{text}…"


def check_figure(item: KeyFigure) -> KeyFigure:
    """Flag (never silently fix) a figure the cited passage does not hold, or a statement whose
    numbers are not all in it: run again after the trainer edits an item."""
    passage = " ".join(quote.passage.text for quote in item.citations)
    problems = []
    if not item.citations:
        problems.append("aucune source")
    elif not figure_in(item.figure, passage):
        problems.append(f"le chiffre « {item.figure} » ne figure pas dans la source citée")
    elif not numbers_backed_by(item.text, passage):
        problems.append("la phrase contient un nombre absent de la source citée")
    if item.citations and item.figure and compact(item.figure) not in compact(item.text):
        problems.append("la phrase ne reprend pas le chiffre")
    item.verified = not problems
    item.note = " ; ".join(problems)
    return item


def pick(pool: list[Candidate], count: int, exclude: set[tuple[str, str]] = frozenset(),
         per_passage: int = 2) -> list[tuple[Candidate, str]]:
    """The best (sentence, figure) pairs: one figure per sentence, a few per passage, each figure
    once (the same share quoted twice is one key figure)."""
    chosen: list[tuple[Candidate, str]] = []
    seen_figures = {compact(f) for _, f in exclude}
    used_passages: dict[str, int] = {}
    for candidate in pool:
        passage = candidate.passage
        found = [f for f in figures_in(candidate.sentence) if figure_in(f, passage.text) and matters(f)]
        found = [f for f in found if (passage.id, f) not in exclude and compact(f) not in seen_figures]
        if not found or used_passages.get(passage.id, 0) >= per_passage:
            continue
        figure = min(found, key=kind_rank)
        chosen.append((candidate, figure))
        seen_figures.add(compact(figure))
        used_passages[passage.id] = used_passages.get(passage.id, 0) + 1
        if len(chosen) >= count:
            break
    return chosen


def label(llm: ChatModel, sentence: str, figure: str, passage: str) -> str | None:
    """One short model call; None when the statement is not faithful to the passage."""
    raw = prompt.ask(llm, prompt.FIGURE, f"Phrase : {sentence}\nChiffre : {figure}", 48)
    text = " ".join(raw.split()).strip(" «»\"")
    if not text or compact(figure) not in compact(text) or not backed_by(text, passage, 0.6):
        return None
    return text


def build(candidate: Candidate, figure: str, theme: str, audience: str, llm: ChatModel | None = None,
          weights: ThemeWords | None = None, following: Passage | None = None) -> KeyFigure:
    """A checked key figure: the model's statement when faithful, else the passage's own clause;
    for a sentence announcing a list (« … des dispositions suivantes … : »), the list's items
    nearest the theme, each cited (the list may go on in the `following` passage)."""
    text = clause(candidate.sentence, figure)
    if llm is not None:
        text = label(llm, candidate.sentence, figure, candidate.passage.text) or text
    items = listed(candidate, weights, following) if weights is not None else []
    if items:
        text = f"{text} Notamment : {' ; '.join(item.text for item in items)}."
    quotes = [Quote(candidate.passage, candidate.sentence), *items]
    return check_figure(KeyFigure(text=text, figure=figure, citations=quotes, theme=theme, audience=audience))


def listed(candidate: Candidate, weights: ThemeWords, following: Passage | None = None, most: int = 3) -> list[Quote]:
    """The items of the list a sentence announces (it ends with « : »), those that say more of the
    theme than all items share, at most `most`, in the text's order: a fine for « les dispositions
    suivantes » with none of them named left a blind rater asking which (art. 26's deployers?)."""
    end = candidate.sentence.rstrip()[-40:]
    if not end.endswith(":") or end not in candidate.passage.text:
        return []
    items: list[Quote] = []
    parts = [(candidate.passage, candidate.passage.text.split(end, 1)[1])]
    for passage, text in parts + ([(following, following.text)] if following is not None else []):
        for line in text.split("\n"):
            if line.strip() and not _ITEM.match(line):
                break
            if line.strip():
                item = clean(line).rstrip(" ;.,")
                items.append(Quote(passage, item[:1].lower() + item[1:]))
        else:
            continue  # the list goes on in the next passage
        break
    scores = {item.text: weights.score(item.text) for item in items}
    floor = min(scores.values(), default=0.0)
    best = sorted((t for t in scores if scores[t] > floor), key=lambda t: -scores[t])[:most]
    return [item for item in items if item.text in best]


_ITEM = re.compile(r"^\s*(?:[-•*]|[a-z]{1,3}\))\s+")  # « - e) … », « • … », « b) … »: not the next paragraph « 5. … »

"""Quiz questions on what comes first, from a sentence that ranks shares in brackets (« les offres liées à
l'IA concernent en premier lieu les cadres de la fonction informatique (31%) et les cadres en études-R&D
(26%) ») and the sentence of the same page that goes on with the next ones (« Les cadres de la fonction
commercial-marketing et ceux des services techniques sont aussi recherchés …, respectivement 16% … »).
The first is the right answer, the others the wrong ones, every share quoted in the explanation. Blind
raters asked for it (« quelles fonctions concentrent les offres IA ») in place of a 3 % fill-in. No model
call: the document's own figures decide, and `misranked` checks them again on an edited question."""
from __future__ import annotations

import re
from dataclasses import dataclass, replace

from assistant.domain import Passage, Quote
from assistant.text.normalise import fold
from assistant.text.sentences import sentences
from assistant.workshop.items import QuizQuestion
from assistant.workshop.quiz import placed
from assistant.workshop.sources import clean

# the lead says the list is ranked: without it « concernent les cadres … (31%) et … (26%) : » asks nothing
_FIRST = re.compile(r"\b(?:en premier lieu|d['’]abord|surtout|principalement|avant tout|majoritairement)\s*$")
_SHARE = re.compile(r"\s*\((\d+(?:[,.]\d+)?)\s?%\)")
_AND = re.compile(r"\s*,\s*|\s+et\s+")
_LEADING = re.compile(r"^(?:\s*,\s*|\s+et\s+)")
_HEAD = re.compile(r"^(?:les|la|le|l['’]|des|une?)\s*\w+", re.IGNORECASE)  # « les cadres »
# « <items> sont aussi recherchés …, respectivement 16% … » / « … respectivement 16 % et 12 % »
_NEXT = re.compile(r"^(?P<items>.+?)\s+(?:sont|est|représentent|pèsent)\b.*?\brespectivement\s+"
                   r"(?P<shares>\d+(?:[,.]\d+)?\s?%(?:\s*(?:,|et)\s*\d+(?:[,.]\d+)?\s?%)*)", re.IGNORECASE)
MIN_OPTIONS = 3


@dataclass(frozen=True)
class Share:
    item: str  # « les cadres de la fonction informatique »
    value: float
    said: str  # « 31% », as the document writes it
    quote: Quote


@dataclass(frozen=True)
class Ranking:
    asked: str  # « la plus grande part des offres liées à l'intelligence artificielle concerne »
    shares: list[Share]


def _number(said: str) -> float:
    return float(said.rstrip("% ").replace(",", "."))


def _ranked(sentence: str, passage: Passage) -> tuple[str, str, list[Share]] | None:
    """What is asked, the items' head (« les cadres ») and the bracketed shares of a ranking sentence."""
    body = clean(sentence).rstrip(". ")  # « Ainsi, » left out
    found = list(_SHARE.finditer(body))
    if len(found) < 2 or found[-1].end() != len(body):
        return None
    cuts = [0] + [m.end() for m in found[:-1]]
    items = [_LEADING.sub("", body[a:m.start()]) for a, m in zip(cuts, found)]
    head = _HEAD.match(items[1].strip())
    at = body[:found[0].start()].lower().rfind(head.group(0).lower()) if head else -1
    if at <= 0 or not _FIRST.search(body[:at].strip()):
        return None
    items[0] = body[at:found[0].start()]
    quote = Quote(passage, sentence.strip())
    shares = [Share(item.strip(), _number(m.group(1)), f"{m.group(1)}%", quote) for item, m in zip(items, found)]
    asked = _asked(body[:at].strip())
    return (asked, head.group(0), shares) if asked else None


def _asked(lead: str) -> str:
    """« les offres liées à l'IA concernent en premier lieu » asked as « la plus grande part des offres
    liées à l'IA concerne » (two raters: « en premier lieu » covers the whole list, its second item too);
    empty when the lead is not a subject and its verb."""
    before = _FIRST.split(lead)[0].strip()
    subject, _, verb = before.rpartition(" ")
    article = re.match(r"^(les|le|la|l['’])\s*", subject, re.IGNORECASE)
    if not article or not verb.endswith("ent"):
        return ""
    of = {"les": "des ", "le": "du ", "la": "de la "}.get(article.group(1).lower(), "de l'")
    return f"la plus grande part {of}{subject[article.end():]} {verb[:-2]}"


def _next(sentence: str, head: str, passage: Passage) -> list[Share]:
    """The shares a sentence goes on with: « Les cadres de la fonction commercial-marketing et ceux des
    services techniques …, respectivement 16% … » (one share for all, or one each)."""
    match = _NEXT.match(sentence.strip())
    if match is None or not fold(match.group("items")).startswith(fold(head)):
        return []
    items = [re.sub(r"^(?:ceux|celles)\b", head.lower(), item.strip(), flags=re.IGNORECASE)
             for item in _AND.split(match.group("items"))]
    said = re.findall(r"\d+(?:[,.]\d+)?\s?%", match.group("shares"))
    if len(said) == 1:
        said = said * len(items)
    if len(said) != len(items) or any(len(item.split()) < 2 for item in items):
        return []
    quote = Quote(passage, sentence.strip())
    return [Share(item[0].lower() + item[1:], _number(s), s.replace(" ", ""), quote) for item, s in zip(items, said)]


def rankings(passages: list[Passage]) -> list[Ranking]:
    """The ranking sentences of the passages, with the shares the sentences of the same page go on with."""
    page_sentences = [(p, s) for p in passages for s in sentences(p.text)]
    found = []
    for passage, sentence in page_sentences:
        first = _ranked(sentence, passage)
        if first is None:
            continue
        asked, head, shares = first
        for other, more in page_sentences:
            if (other.document, other.page) == (passage.document, passage.page):
                # passages overlap: the same sentence may stand in two of them
                shares += [s for s in _next(more, head, other) if fold(s.item) not in {fold(x.item) for x in shares}]
        found.append(Ranking(asked, shares))
    return found


def ranking_question(ranking: Ranking, theme: str, audience: str) -> QuizQuestion | None:
    """« D'après « … », la plus grande part des offres … concerne : », the first share right, the next
    three wrong; none when two share the first place."""
    order = sorted(ranking.shares, key=lambda s: -s.value)
    if len(order) < MIN_OPTIONS or order[0].value == order[1].value:
        return None
    right, wrong = order[0], order[1:4]
    title = right.quote.passage.title or right.quote.passage.document
    text = f"D'après « {title} », {ranking.asked} :"
    choices, at = placed(text, right.item, [s.item for s in wrong])
    explanation = f"En tête, {right.item} ({right.said}) ; puis " + \
        ", ".join(f"{s.item} ({s.said})" for s in order[1:]) + "."
    quotes = list({s.quote.text: s.quote for s in order}.values())
    return QuizQuestion(text=text, choices=choices, answer=at, citations=quotes, theme=theme, audience=audience,
                        kind="classement", explanation=explanation)


def misranked(item: QuizQuestion) -> list[str]:
    """What an (edited) ranking question gets wrong against its quotes: an option the quotes do not
    rank, or a right answer that is not the first."""
    quoted = [replace(q.passage, text=q.text) for q in item.citations]  # the quotes alone, not their passages
    shares = [s for r in rankings(quoted) for s in r.shares]
    value = {fold(s.item): s.value for s in shares}
    if len(item.choices) < 2 or not 0 <= item.answer < len(item.choices):
        return []  # `check_quiz_question` says so
    if any(fold(c) not in value for c in item.choices):
        return ["un choix n'est pas classé par les passages cités"]
    if value[fold(item.right_answer)] <= max(value[fold(c)] for i, c in enumerate(item.choices) if i != item.answer):
        return ["la bonne réponse n'est pas la première du classement cité"]
    return []

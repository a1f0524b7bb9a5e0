"""Quiz questions on how large the first share of a ranking is, from a sentence that ranks shares in
brackets (« les offres liées à l'IA concernent en premier lieu les cadres de la fonction informatique
(31%) et les cadres en études-R&D (26%) ») and the sentence of the same page that goes on with the next
ones (« Les cadres de la fonction commercial-marketing et ceux des services techniques …, respectivement
16% … »): « quelle part des offres liées à l'IA concerne les cadres de la fonction informatique ? », its
order of magnitude right (« près d'un tiers »), bands far from it wrong, every share in the explanation.
Asking which comes first was turned down by five raters of seven (« l'informatique se devine », « elle
conforte le cliché que l'étude nuance »), asking its size by two of two (« un chiffre habillé en
fraction »): the quiz makes it only as a last resort (`mix.LAST_RESORT`). No model call: the
document's own figures decide, and `misread` checks them again on an edited question."""
from __future__ import annotations

import re
from dataclasses import dataclass, replace

from assistant.domain import Passage, Quote
from assistant.text.normalise import fold
from assistant.text.numbers import number_value
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


@dataclass(frozen=True)
class Share:
    item: str  # « les cadres de la fonction informatique »
    value: float
    said: str  # « 31% », as the document writes it
    quote: Quote


@dataclass(frozen=True)
class Ranking:
    of: str  # « des offres liées à l'intelligence artificielle »
    verb: str  # « concerne »
    shares: list[Share]


# Orders of magnitude, in per cent: the trainee learns « moins d'un tiers », not 31 rather than 26
# (raters K to Q turned down fill-ins that test the exact digit: « le message à retenir est « très peu » »).
BANDS = ((10, "environ une sur dix"), (25, "environ un quart"), (33, "près d'un tiers"), (50, "environ la moitié"),
         (67, "environ les deux tiers"), (90, "la quasi-totalité"))
NEAR = 5  # points: a share this close to a band is said so
APART = 15  # points: a wrong band at least this far from the share


def _ranked(sentence: str, passage: Passage) -> tuple[tuple[str, str], str, list[Share]] | None:
    """What is asked (« des offres … », « concerne »), the items' head (« les cadres ») and the bracketed
    shares of a ranking sentence."""
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
    shares = [Share(item.strip(), number_value(m.group(1)), f"{m.group(1)}%", quote) for item, m in zip(items, found)]
    asked = _asked(body[:at].strip())
    return (asked, head.group(0), shares) if asked else None


def _asked(lead: str) -> tuple[str, str] | None:
    """« les offres liées à l'IA concernent en premier lieu » as « des offres liées à l'IA » and
    « concerne »; None when the lead is not a subject and its verb."""
    before = _FIRST.split(lead)[0].strip()
    subject, _, verb = before.rpartition(" ")
    article = re.match(r"^(les|le|la|l['’])\s*", subject, re.IGNORECASE)
    if not article or not verb.endswith("ent"):
        return None
    of = {"les": "des ", "le": "du ", "la": "de la "}.get(article.group(1).lower(), "de l'")
    return f"{of}{subject[article.end():]}", verb[:-2]


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
    return [Share(item[0].lower() + item[1:], number_value(s.rstrip("%")), s.replace(" ", ""), quote)
            for item, s in zip(items, said)]


def rankings(passages: list[Passage]) -> list[Ranking]:
    """The ranking sentences of the passages, with the shares the sentences of the same page go on with."""
    page_sentences = [(p, s) for p in passages for s in sentences(p.text)]
    found = []
    for passage, sentence in page_sentences:
        first = _ranked(sentence, passage)
        if first is None:
            continue
        asked, head, shares = first
        seen = {fold(s.item) for s in shares}
        for other, more in page_sentences:
            if (other.document, other.page) == (passage.document, passage.page):
                for share in _next(more, head, other):
                    if fold(share.item) not in seen:  # passages overlap: a sentence may stand in two
                        seen.add(fold(share.item))
                        shares.append(share)
        found.append(Ranking(*asked, shares))
    return found


def band(share: float) -> str:
    """The order of magnitude a share is near (« près d'un tiers » for 31 %); empty when none is."""
    value, said = min(BANDS, key=lambda b: abs(b[0] - share))
    return said if abs(value - share) <= NEAR else ""


def magnitude_question(ranking: Ranking, theme: str, audience: str) -> QuizQuestion | None:
    """« D'après « … », quelle part des offres … concerne <the first> ? », its band right, the three
    nearest bands at least `APART` points away wrong; none when the first share is near no band or
    shares the first place."""
    order = sorted(ranking.shares, key=lambda s: -s.value)
    first, right = order[0], band(order[0].value)
    if len(order) < 2 or first.value == order[1].value or not right:
        return None
    wrong = sorted((b for b in BANDS if abs(b[0] - first.value) >= APART), key=lambda b: abs(b[0] - first.value))[:3]
    title = first.quote.passage.title or first.quote.passage.document
    text = f"D'après « {title} », quelle part {ranking.of} {ranking.verb} {first.item} ?"
    choices, at = placed(text, right, [said for _, said in sorted(wrong)])
    explanation = (f"{first.said} : {right}, la plus grande part. Viennent ensuite "
                   + ", ".join(f"{s.item} ({s.said})" for s in order[1:]) + ".")
    quotes = list({s.quote.text: s.quote for s in order}.values())
    return QuizQuestion(text=text, choices=choices, answer=at, citations=quotes, theme=theme, audience=audience,
                        kind="ordre de grandeur", explanation=explanation)


def misread(item: QuizQuestion) -> list[str]:
    """What an (edited) question on a share's size gets wrong against its quotes: a right answer that
    is not the band of the share the question names, or a wrong one near it."""
    quoted = [replace(q.passage, text=q.text) for q in item.citations]  # the quotes alone, not their passages
    named = [s for r in rankings(quoted) for s in r.shares if fold(s.item) in fold(item.text)]
    if not named or len(item.choices) < 2 or not 0 <= item.answer < len(item.choices):
        return [] if named else ["la part demandée n'est pas dans les passages cités"]
    share = max(named, key=lambda s: len(s.item)).value  # « … informatique », not a shorter item inside it
    bands = dict((said, value) for value, said in BANDS)
    if any(c not in bands for c in item.choices):
        return ["un choix n'est pas un ordre de grandeur"]
    if item.right_answer != band(share):
        return ["la bonne réponse n'est pas l'ordre de grandeur de la part citée"]
    if any(abs(bands[c] - share) < APART for i, c in enumerate(item.choices) if i != item.answer):
        return ["une mauvaise réponse est trop proche de la part citée"]
    return []

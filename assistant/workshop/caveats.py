"""A fine taught with the rule for small companies beside it. Article 99 gives each fine as « … le
montant le plus élevé étant retenu » and, four paragraphs down, « Dans le cas des PME … le chiffre
le plus faible étant retenu »: an objective that keeps the first alone tells the cadres of an
industrial SME the wrong ceiling (two blind raters' first objection to the AI Act kit). The part's
search rarely brings that paragraph back, so it is read from the whole document."""
from __future__ import annotations

import re
from dataclasses import replace

from assistant.domain import Passage, Quote
from assistant.text.sentences import sentences
from assistant.workshop.items import OutlinePart
from assistant.workshop.sources import clean

_SMALL = re.compile(r"^Dans le cas des (?:PME|petites et moyennes entreprises)\b", re.IGNORECASE)
# « visée au présent article », « visés aux paragraphes 3, 4 et 5 »: opaque out of the article (a rater)
_POINTERS = re.compile(r"\s+visée?s?\s+(?:au présent article|aux paragraphes?\s+[\d, et]+\d)")
_HIGHER = re.compile(r"\ble (?:montant|chiffre) le plus élevé étant retenu\b", re.IGNORECASE)


def small_companies(passages: list[Passage]) -> dict[str, Quote]:
    """Per document, its sentence on what changes for SMEs (« Dans le cas des PME, … »)."""
    found: dict[str, Quote] = {}
    for passage in passages:
        for raw in (s for line in passage.text.split("\n") for s in sentences(line)):
            sentence = clean(raw)
            if _SMALL.match(sentence) and passage.document not in found:
                found[passage.document] = Quote(passage, raw.strip().lstrip("0123456789. "))
    return found


def with_small_companies(part: OutlinePart, caveats: dict[str, Quote]) -> OutlinePart:
    """The part with, after each objective on a fine « le montant le plus élevé étant retenu », the
    document's rule for SMEs as an objective of its own, with its own source."""
    objectives, sources = [], dict(part.line_sources)
    for line in part.objectives:
        objectives.append(line)
        quote = part.line_sources.get(line)
        caveat = caveats.get(quote.passage.document) if quote and _HIGHER.search(quote.text) else None
        if caveat is None or any(q.text == caveat.text for q in sources.values()):
            continue
        said = _POINTERS.sub("", clean(caveat.text)).rstrip(" .")
        added = f"Expliquer que {said[:1].lower()}{said[1:]} (et non le plus élevé)."
        objectives.append(added)
        sources[added] = caveat
    return replace(part, objectives=objectives, line_sources=sources) if len(objectives) > len(part.objectives) \
        else part

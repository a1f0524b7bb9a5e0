"""A fine taught with what it needs beside it. The rule for small companies: article 99 gives each fine
as « … le montant le plus élevé étant retenu » and, four paragraphs down, « Dans le cas des PME … le
chiffre le plus faible étant retenu »: an objective that keeps the first alone tells the cadres of an
industrial SME the wrong ceiling (two blind raters' first objection to the AI Act kit). And a practice
the fine punishes: « le non-respect de l'interdiction des pratiques … visées à l'article 5 » names
none, and four raters (U to X) turned down a discussion asking which uses could be fined for it. The
part's search rarely brings those paragraphs back, so they are read from the whole corpus. And a rule
taught with the definition of a rare term it uses (« hypertrucage »)."""
from __future__ import annotations

import re
from dataclasses import replace

from assistant.domain import Passage, Quote
from assistant.text.normalise import fold
from assistant.text.sentences import sentences_by_line
from assistant.workshop.bans import banned_uses
from assistant.workshop.items import OutlinePart
from assistant.workshop.sources import clean
from assistant.workshop.terms import Definition, definitions

_SMALL = re.compile(r"^Dans le cas des (?:PME|petites et moyennes entreprises)\b", re.IGNORECASE)
# « visée au présent article », « visés aux paragraphes 3, 4 et 5 »: opaque out of the article (a rater)
_POINTERS = re.compile(r"\s+visée?s?\s+(?:au présent article|aux paragraphes?\s+[\d, et]+\d)")
_HIGHER = re.compile(r"\ble (?:montant|chiffre) le plus élevé étant retenu\b", re.IGNORECASE)


def small_companies(passages: list[Passage]) -> dict[str, Quote]:
    """Per document, its sentence on what changes for SMEs (« Dans le cas des PME, … »)."""
    found: dict[str, Quote] = {}
    for passage in passages:
        for raw in sentences_by_line(passage.text):
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


_POINTED = re.compile(r"\bpratiques\b.{0,60}?\bvisées à l['’]article (\d+)\b")
_ARTICLE = re.compile(r"^Article (\d+)\b")
_USE = re.compile(r"\b(l['’]utilisation .{10,200}?),\s+sauf\b")
_AT_WORK = re.compile(r"\b(?:lieu de travail|travailleurs|salariés)\b")  # what a company meets first


def banned_practices(passages: list[Passage]) -> dict[str, tuple[str, Quote]]:
    """Per article number, one use it bans (« l'utilisation de systèmes d'IA pour inférer les émotions
    … sur le lieu de travail … ») and the item that bans it; a use at work first."""
    found: dict[str, tuple[str, Quote]] = {}
    for ban in sorted(banned_uses(passages, None), key=lambda c: not _AT_WORK.search(c.sentence)):
        article, use = _ARTICLE.match(ban.passage.title or ""), _USE.search(ban.sentence)
        if article and use and article.group(1) not in found:
            found[article.group(1)] = (use.group(1), Quote(ban.passage, ban.sentence))
    return found


def with_practices(part: OutlinePart, practices: dict[str, tuple[str, Quote]]) -> OutlinePart:
    """The part with a discussion on fines for an article's banned practices asked from one of them,
    with its own source."""
    discussion, sources = [], dict(part.line_sources)
    for line in part.discussion:
        quote = part.line_sources.get(line)
        pointed = _POINTED.search(quote.text) if quote else None
        if pointed and pointed.group(1) in practices:
            use, ban = practices[pointed.group(1)]
            del sources[line]
            line = (f"L'article {pointed.group(1)} interdit notamment « {use} », sauf exception : quels usages de "
                    "l'IA dans votre entreprise pourraient en relever, passibles d'amende ? Qui doit y veiller ?")
            sources[line] = ban
        discussion.append(line)
    return replace(part, discussion=discussion, line_sources=sources)


RARE = 2  # documents at most that use a defined term: « hypertrucage », not « déployeur »


def rare_terms(passages: list[Passage]) -> list[Definition]:
    """The defined terms few documents use: a trainee meets them in one rule and nowhere else."""
    by_document: dict[str, list[str]] = {}
    for passage in passages:
        by_document.setdefault(passage.document, []).append(fold(passage.text))
    texts = [" ".join(parts) for parts in by_document.values()]
    # a law's list of definitions, not a report's « « Définir l'IA n'est pas chose facile », … »
    return [d for d in definitions(passages) if "definition" in fold(d.passage.heading)
            and sum(bool(_uses(d).search(text)) for text in texts) <= RARE]


def _uses(definition: Definition) -> re.Pattern[str]:
    return re.compile(rf"\b{re.escape(fold(definition.term))}s?\b")  # folded text, the plural too


def with_definitions(part: OutlinePart, rare: list[Definition]) -> OutlinePart:
    """The part with, after an objective whose rule uses a rare defined term, its definition as an
    objective of its own, with its own source (five raters asked what « hypertrucage » means)."""
    objectives, sources = [], dict(part.line_sources)
    for line in part.objectives:
        objectives.append(line)
        quote = part.line_sources.get(line)
        for definition in rare if quote else []:
            defined = f"Définir « {definition.term} » : {definition.meaning.rstrip(' ;.')}."
            if defined not in sources and _uses(definition).search(fold(quote.text)):
                objectives.append(defined)
                sources[defined] = Quote(definition.passage, definition.line)
    return replace(part, objectives=objectives, line_sources=sources)

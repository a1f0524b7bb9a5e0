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
from assistant.workshop.reading import POLICE, limited, reading
from assistant.workshop.theme import ThemeWords, aside_removed, focus, searches, theme_weights

if TYPE_CHECKING:
    from assistant.services.assistant import Assistant

# The job market (offers, recruiting, profiles sought): what a study of AI jobs says on every page.
# On theme only for a theme about it (« les compétences recherchées dans les offres ») or whose
# glossary covers it (the AI Act's recruitment systems): « maintenance » in « cadres en
# maintenance-sécurité recherchés » is about hiring, not about AI for maintenance.
# A job ad quoted in a report speaks to the candidate (« vous êtes… », « notre groupe ») or is
# captioned by its branch (« Responsable qualité … - Branche Métallurgie »). Not « l'emploi de
# nombreux capteurs »: the use of sensors.
_JOBS = re.compile(r"\b(?:offres?|recrut\w*|profils?|postes?|candidat\w*|embauch\w*|(?<!l')emplois?|"
                   r"l'emploi(?!\s+de\s)|metiers?|salaires?|recherche(?:e|s|es)|competences?|vous|notre|"
                   r"rejoign\w*|branches?)\b")


def about_jobs(text: str) -> bool:
    return bool(_JOBS.search(fold(text)))


JOB_PASSAGE = 3  # job-market words in a passage: a job offer, or a report's page on hiring


def keep_on_topic(pool: list[Candidate], theme: str) -> list[Candidate]:
    """The candidates without the job market's sentences and passages, unless the theme is about it."""
    if about_jobs(focus(theme)):
        return pool
    return [c for c in pool if not about_jobs(f"{c.sentence} {c.passage.heading}")
            and len(_JOBS.findall(fold(c.passage.text))) < JOB_PASSAGE]


# What states and EU bodies do among themselves (« Les États membres font rapport chaque année à la
# Commission… »): on the AI Act's theme, but nothing a company's managers do or check.
_INSTITUTIONS = re.compile(r"^(?:[^,]{0,80},\s+)?(?:les etats membres|chaque etat membre|la commission|le bureau de l'ia|le comite|"
                           r"les autorites (?:nationales|competentes|de surveillance)|l'autorite de surveillance)\b")


def for_companies(pool: list[Candidate]) -> list[Candidate]:
    """The candidates whose subject is not a state or an EU body, nor about police uses."""
    return [c for c in pool if companies_matter(c.sentence)]


def companies_matter(sentence: str) -> bool:
    """Neither police uses, nor what states and EU bodies do, nor the wiring between texts."""
    folded = fold(sentence)
    return not _INSTITUTIONS.match(folded) and not POLICE.search(folded) and not _LEGALESE.search(sentence)


# A report's publisher pages: the page of its legal notice (« ISSN », « © », « Toute reproduction
# … »), with its other studies and mission, and a series banner (« PRÉVISIONS / & PROCESSUS /
# TRAJECTOIRES … », labels in capitals). « L'observatoire de l'Apec réalise des études … » names
# « compétences », but says nothing of the skills offers ask for.
_COLOPHON = re.compile(r"\bISSN\b|©|\btous droits réservés\b|\btoute reproduction\b|\bdépôt légal\b",
                       re.IGNORECASE)
_LABEL = re.compile(r"^[^a-zà-ÿ]*[A-ZÀ-Ý]{3}[^a-zà-ÿ]*$")


def colophon_pages(passages: list[Passage]) -> set[tuple[str, int | None]]:
    """(document, page) of every page holding a legal notice."""
    return {(p.document, p.page) for p in passages if p.page is not None and _COLOPHON.search(p.text)}


def publisher_matter(passage: Passage, colophons: set[tuple[str, int | None]]) -> bool:
    """On a page of the legal notice, or under a banner of three labels in capitals or more."""
    labels = sum(1 for line in passage.text.split("\n") if len(line.split()) <= 3 and _LABEL.match(line.strip()))
    return labels >= 3 or (passage.document, passage.page) in colophons


def numbers_backed_by(text: str, passage: str) -> bool:
    """Every number the text states is in the passage: a model must not invent or alter figures."""
    return numbers_in(text) <= numbers_in(passage)


def backed_by(text: str, passage: str, threshold: float = 0.67) -> bool:
    """The passage backs the text: it holds at least `threshold` of the text's content words
    (`rag.citations.support`) and every number the text states."""
    return numbers_backed_by(text, passage) and support(text, passage) >= threshold


def gather(assistant: Assistant, theme: str, audience: str = "", limit: int = 50,
           groups: list[str] | None = None) -> tuple[list[Passage], bool]:
    """Passages for a theme, several searches fused by reciprocal rank (retrieval only, no model),
    and whether the theme's own search found anything relevant."""
    assistant.store.refresh_lexical()
    rankings: list[list[str]] = []
    passages: dict[str, Passage] = {}
    relevant = False
    for n, (query, top) in enumerate(searches(assistant.chat.question(theme).text, audience)):
        retrieval = assistant.retriever.retrieve(query, top, groups, by_sentence=False)  # a theme, not a question
        relevant = relevant or (n == 0 and retrieval.relevant)
        rankings.append([found.passage.id for found in retrieval.passages])
        passages.update({found.passage.id: found.passage for found in retrieval.passages})
    fused = rrf(rankings, assistant.settings.retrieval.rrf_k)
    return [passages[i] for i in sorted(fused, key=fused.get, reverse=True)[:limit]], relevant


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
    named: bool = False  # the sentence or its heading names the theme (`ThemeWords.names`)
    facet: frozenset[str] = frozenset()  # the theme's own words it names (`ThemeWords.facet`)


_LEAD = re.compile(r"^(?:[\s■•→>*#\-–—💡]+|note de lecture\s*:\s*|[a-z]{1,2}\)\s+|\d{1,2}[.)]\s+)+",
                   re.IGNORECASE)
# A source line, or a chart's caption (« Répartition des mots-clés … de 2019 à 2024 »: no statement,
# the model was asked on it and wrote an answer the caption does not hold).
# … or the line that captions a quoted job ad (« Extrait d'offre d'emploi … cité dans l'étude … »).
_BOILERPLATE = re.compile(r"^(?:source|sources|lire aussi|voir|cf|répartition|évolution|graphique|tableau|figure|"
                          r"extrait d['’]offre)\b", re.IGNORECASE)
# The regulation's wiring between texts, nothing a trainee acts on (« Le présent alinéa est sans
# préjudice des pouvoirs conférés par la directive… », « … s'applique mutatis mutandis »).
# « … entre en vigueur le vingtième jour suivant … »: every regulation's closing formula; a trainee
# needs the dates it applies from (a blind rater: « sans intérêt »).
_LEGALESE = re.compile(r"\bsans préjudice\b|\bmutatis mutandis\b|\ble présent (?:alinéa|paragraphe)\b|"
                       r"\bpar dérogation\b|\bvingtième jour suivant\b", re.IGNORECASE)
# Interviews quoted in reports: opinions of one person, not facts to teach.
_SPOKEN = re.compile(r"[“”]|\s[—–]\s|»\s+(?:Cadre|Responsable|Directeur|Directrice|Ingénieur|Chef|DRH)\b"
                     r"|(?i:\b(?:je|j'|j’|me|m'|m’|on|moi|ça|nous)\b)")


# A connective that only links to the sentence before (« Ainsi, les offres … », « Face à ces enjeux,
# les entreprises ont automatisé les contrôles qualité … »): the statement stands without it. Not
# one that restricts it (« Toutefois », « Dans ce cas »): a rule quoted without its condition is wrong.
_LINK = re.compile(r"^(?:ainsi|par ailleurs|en outre|de plus|enfin|en effet|face à ces enjeux|dans ce contexte),\s+"
                   r"(?=\w)", re.IGNORECASE)


def clean(sentence: str) -> str:
    """A sentence as a trainer would quote it: list bullets, reading-note labels and a leading
    link to the sentence before removed."""
    text = " ".join(_LINK.sub("", _LEAD.sub("", sentence)).split()).replace("**", "")
    return text[:1].upper() + text[1:]


# « Dans la fonction services techniques, ce sont les cadres en qualité … qui … » is a cleft, no anaphora.
_ANAPHORA = re.compile(r"^(?:ce|ces|cet|cette|cela|ceci|elle|ils|elles|celui|celle|ceux|leur|leurs|"
                       r"il(?!\s+(?:a été|faut|existe|y a|convient)\b)|"  # not the impersonal « il a été noté »
                       r"ainsi|toutefois|en outre|de plus|par ailleurs|au-delà|néanmoins|cependant|de même|"
                       r"à ce titre|dans ce cadre)\b|^[^,]{2,40},\s+(?:il|elle|ils|elles|ce(?!\s+sont\b)|ces|cet|cette)\b"
                       # « Face à ces enjeux, … », « Dans ce contexte, … »: which ones?
                       r"|^[^,]{0,40}\b(?:ce|ces|cet|cette)\s+\w+[^,]{0,20},"
                       # a job offer's « Le poste nécessite… »: which post, out of its offer?
                       r"|^(?:le|ce) poste\b|^(?:la|cette) mission\b"
                       # « … sont liées à ces quatre fonctions »: which four?
                       r"|^.*\bces\s+(?:deux|trois|quatre|cinq|six)\b",
                       re.IGNORECASE)


# « Les compétences en IA sont aussi recherchées … »: as well as what? (a blind rater: « aussi »
# dangling). Not « mais aussi », « aussi bien », nor a comparison (« aussi répandue que »).
_ADDITIVE = re.compile(r"^(?:\S+\s+){0,15}?(?<!mais\s)(?:aussi|également)\b(?!\s+(?:bien\b|\S+\s+que\b))",
                       re.IGNORECASE)


def standalone(sentence: str) -> bool:
    """A sentence read alone makes sense: it does not open on what the one before said
    (« Ces informations sont fournies… », « En 2023, ils concernent… »: which ones?) nor adds to
    it (`_ADDITIVE`)."""
    return not _ANAPHORA.match(sentence) and not _ADDITIVE.match(sentence)


# Opens on a capital or a whole number, not on a cut word (« 2i, regroupant… » of a split name).
_OPENING = re.compile(r"^(?:[A-ZÀ-ÖØ-Ý]|\d[\d\s,.]*(?:\s|%))")
# Its subject is an article of the text: opaque to a trainee (« L'article 6, paragraphe 1, … s'applique »).
_ARTICLE_SUBJECT = re.compile(r"^(?:l['’]article|les articles|le chapitre|les chapitres)\s+(?:\d|[IVX]+\b)",
                              re.IGNORECASE)


MAX_WORDS = 60  # a sentence longer than this is not read alone as one fact (one with a figure: `FIGURE_EXTRA`)


def teachable(sentence: str, min_words: int = 8, max_words: int = MAX_WORDS) -> bool:
    """A statement of fact a trainee understands alone: not too short or long, not a question, a
    source line, a quote of an interview, a bare list or a list item (« de réduire leurs coûts
    (…), »), not leaning on the sentence before nor on article numbers."""
    if not _OPENING.match(sentence) or not standalone(sentence) or _ARTICLE_SUBJECT.match(sentence):
        return False
    words = word_count(sentence)
    if words < min_words or words > max_words or sentence.endswith(("?", ";", ",")):
        return False
    if sentence.endswith(":") and words < 15:  # a list's caption; a long one states a rule (« … retenu: »)
        return False
    if sentence[:1] in "«“\"" or _BOILERPLATE.match(sentence) or sentence.endswith("»") or _LEGALESE.search(sentence):
        return False
    return not _SPOKEN.search(sentence) and sentence.count(",") <= 6


# Words a sentence with a figure may have beyond the others: a key figure shows only the clause that
# holds it (`figures.clause`), so an article's long paragraph still gives its fine (« … jusqu'à
# 15 000 000 EUR … » for the deployers' obligations, 65 words); a fill-in question keeps to the limit.
FIGURE_EXTRA = 20


def candidates(theme: str, passages: list[Passage], min_words: int = 8, max_words: int = MAX_WORDS,
               on_theme_only: bool = False, weights: ThemeWords | None = None,
               best: float | None = None) -> list[Candidate]:
    """Every teachable sentence of the passages, best first: close to the theme (its words weighed
    by how rare they are, `theme_weights`), from a passage the search ranked high, with a figure
    when possible. `on_theme` is relative to `best` (by default the best of these sentences): 1 for
    it, 0 for no theme word."""
    weights = weights if weights is not None else theme_weights(theme, passages)
    out: list[Candidate] = []
    for rank, passage in enumerate(passages):
        # A sentence of an on-theme passage shares some of it (« les rançongiciels » under « sécurité »).
        context = 0.25 * weights.score(f"{passage.heading} {passage.text}")
        previous = 0.0
        # a paragraph opening on a quotation mark is an interview, quoted whole: one person's words
        for line in (line for line in passage.text.split("\n") if line.lstrip()[:1] not in "“\""):
            for raw in sentences(line):
                sentence = clean(raw)
                longest = max_words + FIGURE_EXTRA if figures_in(sentence) else max_words
                if not teachable(sentence, min_words, longest) or _LEAD.sub("", raw)[:1].islower() \
                        or limited(raw, reading(passage)):
                    continue  # a list item (« d'améliorer leurs stratégies … ») is no sentence
                bare = aside_removed(sentence)
                said = f"{passage.heading} {bare}"
                own, facet = weights.score(said), weights.facet(said)
                # No theme word of its own: about something else, unless it goes on from an
                # on-theme sentence (« 16 % des offres les concernent » after what « les » is) or
                # stands in a passage on the theme.
                own, previous = own or previous / 2 or context / 2, own
                if own == 0:
                    continue
                on_theme = own + context
                out.append(Candidate(sentence, passage, rank, 0.0, on_theme, weights.names(said, bare), facet))
    return rescale(out, best or max((c.on_theme for c in out), default=0.0))


def rescale(pool: list[Candidate], best: float) -> list[Candidate]:
    """On-theme shares relative to `best` (a raw `ThemeWords.score`), scores to match, best first."""
    for c in pool:
        c.on_theme = round(c.on_theme / (best or 1.0), 3)
        # A figure is a bonus, never above the theme; the search's rank breaks ties.
        c.score = c.on_theme * (1.4 if figures_in(c.sentence) else 1.0) - 0.01 * c.rank
    return sorted(pool, key=lambda c: -c.score)

"""Sentences of a French paragraph.

Written by hand because llama-index's sentence splitter needs NLTK data that is not available
offline, and French abbreviations (« art. 5 », « p. 12 ») and decimals (« 2,2 % ») must not end one.
"""
from __future__ import annotations

import re

from assistant.text.names import names
from assistant.text.numbers import numbers_in

# A sentence ends at . ! ? … followed by a space and an upper-case letter, a quote or a digit;
# "2,2 %" or "art. 5" do not end one.
_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"»”)]?\s+(?=(?:[«\"“(]\s?)?[A-ZÀ-ÖØ-Ý0-9■•→])")
# Whole words: « champ. » or « beaucoup. » ends a sentence, « p. » does not.
_ABBREVIATION = re.compile(r"(?:^|[\s(])(?:art|p|cf|ex|env|M|etc|vol|éd|fig)\.$|n°$")


def sentences(text: str) -> list[str]:
    """Split a paragraph into sentences, keeping abbreviations and decimals intact."""
    parts: list[str] = []
    for piece in _SENTENCE_END.split(text.strip()):
        piece = piece.strip()
        if not piece:
            continue
        if parts and _ABBREVIATION.search(parts[-1]):
            parts[-1] = f"{parts[-1]} {piece}"
        else:
            parts.append(piece)
    return parts


def sentences_by_line(text: str) -> list[str]:
    """A passage's sentences, line by line: a heading or a list item never runs into the sentence after
    it (« Qualité de production » has no full stop)."""
    return [sentence for line in text.split("\n") for sentence in sentences(line)]


# « Ce pourcentage est de 1,4 % pour l'ensemble des contrats » says what it counts only through the
# sentence before it: shown alone, or its antecedent alone, the model answers with the wrong figure
_REFERS_BACK = re.compile(r"^(?:ce|cet|cette|ces)\s+(?:pourcentages?|chiffres?|parts?|taux|proportions?|nombres?|"
                          r"ratios?|montants?|niveaux?|hausses?|baisses?|progressions?|évolutions?|écarts?|"
                          r"poids|dernière?s?)\b", re.IGNORECASE)


def _refers_back(sentence: str) -> bool:
    """« Ce pourcentage est de 2,2 % … »: a sentence that says what it counts only with the one before."""
    return bool(_REFERS_BACK.match(sentence))


# « Il est applicable à partir du 2 août 2026. » says what is applicable only through the sentence
# before it (« Le présent règlement entre en vigueur … »): shown alone, the model refused. A subject
# pronoun or « cela » opening the sentence; not an impersonal « il » (« Il faut », « Il est possible
# de … »), which refers to nothing. A demonstrative (« Ces offres … ») names its noun and stays apart:
# joined too, it changed the evidence of 55 of 142 dev + tuning questions and lost an expected fact.
_IMPERSONAL = (r"faut\b|existe\b|y\s+a\b|convient\b|importe\b|semble\b|appara[iî]t\b|ressort\b|reste\b|suffit\b|"
               r"s['’]agit\b|est\s+\S+\s+(?:de|d['’]|que|qu['’])")
# An opening complement before the pronoun (« En 2023, ils concernent seulement 2 % … ») leaves it leaning back.
_OPENING = r"(?:(?:en|au|aux|dans|pour|depuis|entre|enfin|toutefois|cependant|ainsi|par ailleurs)\b[^,]{0,40},\s*)?"
_LEANS_BACK = re.compile(rf"^{_OPENING}(?:(?:il|elle|ils|elles)\s+(?!{_IMPERSONAL})|(?:cela|ceci)\b)", re.IGNORECASE)
# Words of one statement the evidence shows (a table flattened into one « sentence » is cut there):
# a sentence leaning back joins its antecedent only within it, so that neither is cut off.
SHOWN_WORDS = 80


def read_with(previous: str, sentence: str) -> bool:
    """Whether the sentence is read right only with the one before it: « Ce pourcentage … » always,
    « Il est applicable … », « Cela n'inclut pas … » when the two fit in one statement's words."""
    return bool(previous) and (_refers_back(sentence) or (
        bool(_LEANS_BACK.match(sentence)) and word_count(f"{previous} {sentence}") <= SHOWN_WORDS))


# A demonstrative in a passage's first sentence (« Toutefois, … utiliser ce système … », « Cette
# obligation ne s'applique pas … ») names what the chunker left in the passage before.
_DEMONSTRATIVE = re.compile(r"\b(?:ce|cet|cette|ces)\s+(?!qui\b|que\b|dont\b|quoi\b)\w{3,}", re.IGNORECASE)


def opens_on_reference(text: str) -> bool:
    """Whether a passage opens on what its previous one named: a pronoun, « Ce pourcentage … », or a
    demonstrative in its first sentence. A list item (« • f) … à cette fin … ») names its own subject."""
    first = next(iter(statements(text)), "").lstrip()
    if not first or first.startswith("•"):
        return False
    return bool(_LEANS_BACK.match(first) or _refers_back(first) or _DEMONSTRATIVE.search(first))


def statements(text: str) -> list[str]:
    """The sentences of a passage, line by line, a sentence that refers back (« Ce pourcentage … »,
    « Il est applicable … ») kept with its antecedent: one splitter for the evidence and for the
    citation check, so that a figure is judged with the words the model read it with. A bare list
    number (« 5. », « b) ») is not a statement."""
    parts: list[str] = []
    for line in text.split("\n"):
        for sentence in sentences(line):
            if not any(ch.isalpha() for ch in sentence):
                continue
            if parts and read_with(parts[-1], sentence):
                parts[-1] = f"{parts[-1]} {sentence}"
            else:
                parts.append(sentence)
    return parts


def word_count(text: str) -> int:
    return len(text.split())


def shorten(text: str, words: int) -> str:
    """The first `words` words of the text on one line, « … » when there were more."""
    cut = text.split()
    return " ".join(cut[:words]) + (" …" if len(cut) > words else "")


# An item of a list written on one line (« … sont : - Une menace … [1]. - Une perte … »): a bullet
# after the end of the lead-in or of the item before.
_BULLET = r"[-•▪]\s"
_REPLY_ITEM = re.compile(rf"(?<=[.:;!?»\]])\s+(?={_BULLET}\s*\S)")


def list_items_of(sentence: str) -> list[str]:
    """A sentence cut before each of its list items: the lead-in, then each item."""
    return _REPLY_ITEM.split(sentence)


def is_item(sentence: str) -> bool:
    return bool(re.match(_BULLET, sentence))


def frames_list(sentence: str) -> bool:
    """A lead-in without a figure or a name (« Les inquiétudes sont : »): before its items, which say
    and are cited, it is not a claim of its own. One with a figure or a name is checked like any."""
    return sentence.rstrip().endswith(":") and not numbers_in(sentence) and not names(sentence)

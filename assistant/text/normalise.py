"""One normaliser: case, accents, apostrophes and spacing folded, so that « Été » and « ete » match.

The other forms (a quote looked up in a passage, a figure compared without spaces) are this fold
plus one step each, so that every comparison in the assistant agrees on what "the same text" is.
"""
from __future__ import annotations

import re
import unicodedata


def fold(text: str) -> str:
    """Lower-case, strip accents, unify apostrophes and spaces: « Été » and « ete » match."""
    text = unicodedata.normalize("NFKD", text.replace("’", "'").replace("œ", "oe").replace("Œ", "oe"))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return re.sub(r"\s+", " ", text.lower()).strip()


def for_match(text: str) -> str:
    """Folded, Markdown emphasis removed: used to find a quote inside a passage."""
    return " ".join(fold(text.replace("*", "").replace("_", " ")).split())


def compact(text: str) -> str:
    """Folded, without any space: « 7 500 000 EUR » and « 7500000 eur » match."""
    return re.sub(r"\s+", "", fold(text.replace("\u202f", " ").replace("\u00a0", " ")))


def quote_in(quote: str, passage: str) -> bool:
    """Whether the quote stands in the passage (case, accents, markup and spacing aside)."""
    return bool(quote.strip()) and for_match(quote) in for_match(passage)


# Latin look-alikes of Cyrillic and Greek letters (Unicode's confusables, the letters that occur
# in real attacks). Written out because no allowed library folds them and NFKC keeps them apart.
_CONFUSABLES = str.maketrans(
    "аеорсухіјѕԁһԛԝӏɡАВЕКМНОРСТХІЈЅУԌαεικνορτυχΑΒΕΖΗΙΚΜΝΟΡΤΥΧ",
    "aeopcyxijsdhqwlgABEKMHOPCTXIJSYGaeikvoptuxABEZHIKMNOPTYX",
)
# Invisible characters that split a word for a pattern but not for a reader or a model: the
# format category (zero-width spaces and joiners, soft hyphen, bidirectional marks, word joiner,
# BOM) plus the Hangul fillers, which render as blanks.
_INVISIBLE_EXTRA = {"\u115f", "\u1160", "\u3164", "\uffa0", "\u034f"}
# A word spelt letter by letter (« i g n o r e », « i.g.n.o.r.e »): joined back for the checks.
_SPACED_LETTERS = re.compile(r"\b(?:[^\W\d_][ .\-_*·]){3,}[^\W\d_]\b")


def visible(text: str) -> str:
    """The text without invisible format characters (zero-width, soft hyphen, bidi marks)."""
    return "".join(ch for ch in text if unicodedata.category(ch) != "Cf" and ch not in _INVISIBLE_EXTRA)


def canonical(text: str) -> str:
    """What a check reads: NFKC (full-width, ligatures, mathematical letters), invisible
    characters removed, Cyrillic and Greek look-alikes turned into Latin letters, words spelt
    letter by letter joined, then `fold`. For checks only: the stored text keeps its letters."""
    text = unicodedata.normalize("NFKC", visible(text)).translate(_CONFUSABLES)
    text = _SPACED_LETTERS.sub(lambda m: re.sub(r"[ .\-_*·]", "", m.group(0)), text)
    return fold(text)


def lower_first(text: str) -> str:
    """A sentence's first word in lower case, to follow « que » or a colon: « L'intelligence … »
    becomes « l'intelligence … »; an acronym (« IA », « PME ») is kept."""
    if re.match(r"[LD]['’]", text) or text[1:2].islower():
        return text[:1].lower() + text[1:]
    return text

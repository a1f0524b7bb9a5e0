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

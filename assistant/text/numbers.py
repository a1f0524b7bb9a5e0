"""Figures in French text: one number pattern for every check that compares numbers (citations,
key figures, quiz options), the figure pattern built on it, and the month names.

A wrong figure is the worst error a citation can hide, so numbers are compared after one
normalisation: thousands spaces removed and the decimal point written as a comma (« 2.2 % » in an
English answer is the passage's « 2,2 % »).
"""
from __future__ import annotations

import re

from assistant.text.normalise import compact, fold

MONTHS = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
          "octobre", "novembre", "décembre"]
_MONTH_ALTERNATIVES = "|".join(dict.fromkeys(
    form for month in MONTHS for form in (month, month.replace("é", "e").replace("û", "u"))))

# 1 250 000, 2,2, 3.5, 52: thousands grouped by (narrow) spaces, a decimal comma or point.
NUMBER = r"\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?:[.,]\d+)?|\d+(?:[.,]\d+)?"
_NUMBER = re.compile(NUMBER)
_UNITS = (r"offres?|entreprises?|salarié\.?e?s?|cadres?|personnes?|mois|ans|années|jours|heures|sites?|"
          r"répondants?|experts?|entretiens?|postes?|métiers?|branches?|pays|États membres")
# 2 août 2026, 1er février 2025: the day, month and year as groups
_DATE_FIGURE = re.compile(rf"\b(\d{{1,2}})(?:er)?\s+({_MONTH_ALTERNATIVES})\s+(\d{{4}})\b", re.IGNORECASE)
# Most specific first: a date or an amount is kept whole rather than as a bare number.
FIGURE = re.compile(
    rf"{_DATE_FIGURE.pattern}"  # 2 août 2026
    rf"|\b(?:{NUMBER})\s*(?:millions?|milliards?)?\s*(?:d['’]\s*)?(?:euros?\b|EUR\b|€)"  # 35 000 000 EUR
    rf"|\b(?:{NUMBER})\s*%"  # 3 %, 2,2 %
    rf"|\b\d+\s+(?:{_UNITS})\s+sur\s+\d+\b"  # 9 offres sur 10
    rf"|\b(?:{NUMBER})\s+(?:{_UNITS})\b",  # 250 salariés
    re.IGNORECASE,
)
DATE = re.compile(r"(\d{1,2}(?:er)?\s+)(" + "|".join(MONTHS) + r")(\s+)(\d{4})", re.IGNORECASE)


def first_number(text: str) -> re.Match[str] | None:
    return _NUMBER.search(text)


def number_value(written: str) -> float:
    """« 1 250,5 » -> 1250.5."""
    return float(re.sub(r"[\s\u00a0\u202f]", "", written).replace(",", "."))


# Letters glued to a number that still leave it a figure: ordinals (« 1er semestre ») and units
# (« 10h », « 15 kg »). Other letters make it part of a name (« OPCO 2i », « 5G », « 3D »): an
# answer naming the body is not stating a figure the passage must hold where the figure stands.
_SUFFIXES = frozenset("er re e è ème eme nd nde h k kg km m cm mm min md mds t".split())
_GLUED = re.compile(rf"(?<!\w)({NUMBER})([^\W\d_]*)")  # a number and the letters glued to it


def numbers_in(text: str) -> set[str]:
    """The numbers a text states, normalised: « 1 250 » -> « 1250 », « 2.2 » -> « 2,2 »."""
    return {re.sub(r"[\s\u00a0\u202f]", "", number).replace(".", ",")
            for number, glued in _GLUED.findall(text) if not glued or glued.lower() in _SUFFIXES}


# « 90,000 companies »: in English a comma before three digits groups thousands, where French
# writes « 90 000 » and reads « 90,000 » as a decimal. An English reply stating the passage's
# « 90 000 entreprises » was removed as a wrong figure (tuning g018).
_ENGLISH_THOUSANDS = re.compile(r"\b(\d{1,3})((?:,\d{3})+)\b(?![.,]\d)")


def french_grouping(text: str) -> str:
    """An English text's thousands written the French way for comparison: « 15,000,000 » -> « 15 000 000 »."""
    return _ENGLISH_THOUSANDS.sub(lambda found: found.group(1) + found.group(2).replace(",", " "), text)


# Digits a translation may have split or joined anew: « 2 9 », « 2.9 », « 90,000 ».
_LOOSE_NUMBER = re.compile(r"\d+(?:[ \u00a0\u202f.,]\d+)*")


def with_reply_figures(translation: str, reply: str) -> str:
    """A reply's translation with the reply's own numbers, the French way: translating « 2,9
    million », the 1.5B model wrote « 2 9 millions », and the translation, read to match the
    reply's words, lost a reply whose figures had been found as written. A number of the
    translation whose digit groups are those of one of the reply's numbers is that number."""
    def groups(number: str) -> tuple[str, ...]:
        return tuple(re.findall(r"\d+", number))

    own = {groups(found): found for found in _NUMBER.findall(french_grouping(reply))}
    written = french_grouping(translation)
    return _LOOSE_NUMBER.sub(lambda found: own.get(groups(found.group(0)), found.group(0)), written)


# A date is one figure: its day alone (« 2 ») is also every other date's of a month's 2nd, and a
# look-alike check comparing numbers took « 2 août 2025 » (chapters III and V) for the clause of
# « 2 août 2026 » (the regulation as a whole) that shares its « 2 ».
def figure_numbers(text: str) -> set[str]:
    """`numbers_in`, each date as one figure: « le 2 août 2025, article 101 » -> {« 2 aout 2025 », « 101 »}."""
    dates = {f"{day} {fold(month)} {year}" for day, month, year in _DATE_FIGURE.findall(text)}
    return numbers_in(_DATE_FIGURE.sub(" ", text)) | dates


# A count written in words before what it counts (« deux mois », « trente jours », « vingt-quatre heures »):
# the 1.5B model wrote « dans les deux mois » beside a passage that never says it, and a check on digits
# alone showed it as sourced. « un », « une » are left out: mostly articles.
NUMBER_WORDS = {"deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6, "sept": 7, "huit": 8, "neuf": 9, "dix": 10,
                "onze": 11, "douze": 12, "treize": 13, "quatorze": 14, "quinze": 15, "seize": 16, "vingt": 20,
                "trente": 30, "quarante": 40, "cinquante": 50, "soixante": 60, "cent": 100, "mille": 1000}


def _counted(values: dict[str, int], units: str, between: str = "") -> re.Pattern[str]:
    """A number written in words (« vingt-quatre ») before one of the units, `between` words allowed."""
    word = "|".join(sorted(values, key=len, reverse=True))
    return re.compile(rf"(?<![\w-])((?:{word})(?:-(?:{word}))?)\s+{between}(?:{units})\b", re.IGNORECASE)


_SPELLED = _counted(NUMBER_WORDS, f"{_UNITS}|semaines|fois")


# The same in an English reply (« The maximum fine … is four years [1] »: the 1.5B model's figure, in
# no cited passage, passed a check that read digits alone). « one » is left out: mostly a pronoun.
_ENGLISH_NUMBER_WORDS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
                         "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20, "thirty": 30,
                         "forty": 40, "fifty": 50, "sixty": 60, "hundred": 100, "thousand": 1000}
_ENGLISH_UNITS = (r"offers?|compan(?:y|ies)|employees|executives|managers|people|persons?|months?|years?|days?|"
                  r"hours?|weeks?|sites?|respondents?|experts?|interviews?|jobs?|positions?|branches|"
                  r"countries|member states|times")
_SPELLED_ENGLISH = _counted(_ENGLISH_NUMBER_WORDS, _ENGLISH_UNITS, between=r"(?:\w+\s+)?")  # « two natural persons »


def _spelled_value(words: str, values: dict[str, int] = NUMBER_WORDS) -> int:
    """« vingt-quatre » -> 24, « dix-sept » -> 17, « quatre-vingt » -> 80 (a smaller first word multiplies)."""
    first, *rest = (values[word] for word in words.lower().split("-"))
    return first * rest[0] if rest and first < rest[0] else first + sum(rest)


def stated_numbers(text: str) -> set[str]:
    """`numbers_in`, and the counts written in words before a unit, as digits (« trente jours »,
    « four years » -> « 30 », « 4 »)."""
    return (numbers_in(text) | {str(_spelled_value(words)) for words in _SPELLED.findall(text)}
            | {str(_spelled_value(words, _ENGLISH_NUMBER_WORDS)) for words in _SPELLED_ENGLISH.findall(text)})


def figures_in(text: str) -> list[str]:
    """The figures of a text (dates, amounts, shares, counts), as written there."""
    return [" ".join(m.group(0).split()) for m in FIGURE.finditer(text)]


def figure_in(figure: str, passage: str) -> bool:
    """The figure appears verbatim (case, accents and spacing aside) in the passage, and not as the
    tail of a longer number (« 3 % » is not found in « 13 % »)."""
    needle = compact(figure)
    if not needle or not any(ch.isdigit() for ch in needle):
        return False
    pattern = r"(?<![\d,.])" + re.escape(needle) + (r"(?!\d)" if needle[-1].isdigit() else "")
    return re.search(pattern, compact(passage)) is not None

"""Look-alike figures: the study states one shape of figure for each year, region, population and
function (« Note de lecture : … 3 % des offres … dans l'industrie … Ce pourcentage est de seulement
2,2 % pour l'ensemble des offres … »; « … a augmenté de 56 % contre 13 % pour … l'ensemble des
recruteurs »). A small model answers with the figure ranked first, and the passage holding it is no
proof: the figure's own clause must carry the question's qualifiers at least as well as any other
figure's clause of the evidence.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace

from assistant.rag.cells import row_cells
from assistant.text.normalise import fold
from assistant.text.numbers import MONTHS, NUMBER, figure_numbers, figures_in, numbers_in
from assistant.text.sentences import read_with, sentences
from assistant.text.words import overlap, tokens

# Words of the question that ask for a figure rather than qualify it: « Ce pourcentage … » holds
# « pourcentage » whatever it counts; « Quel est le montant maximal des amendes applicables aux
# fournisseurs de modèles d'IA à usage général ? » was answered from the banned practices' fine,
# whose clause holds « montant », « maximal » and « amendes », a third of the question's words.
_ASKING = frozenset(tokens("part parts pourcentage proportion taux nombre combien chiffre valeur niveau "
                           "montant maximal maximale maximum plafond "
                           "représente représentent représentait indique donne étude document documents"))
# What the question sets aside is no qualifier: « (toutes offres, IA ou non) », « pas seulement
# l'industrie », « hors industrie ».
_EXCLUDED = r"\b(?:pas seulement|non seulement|hors|sauf)\s+(?:\w+['’]|\w+\s)?([\w-]+)"
_SET_ASIDE = re.compile(rf"\b[\w-]+ ou non\b|{_EXCLUDED}", re.IGNORECASE)

_YEAR = r"\b(?:19|20)\d\d\b"
_DATE = (rf"{_YEAR}|\b\d{{1,2}}(?:er)? (?:janvier|fevrier|mars|avril|mai|juin|juillet|aout|septembre|octobre|"
         r"novembre|decembre)\b")
_MONEY = r"\d\s*(?:eur|euros?|€|k€|millions?|milliards?)\b|€"
# What a question asking for a figure needs in the sentence answering it (folded): a share, a
# duration (or a deadline's date), an amount, a date (« Dans quel délai … ? » is not answered by a
# sentence holding only an article's number, nor « Quel salaire … ? » by a company's size).
_FIGURE_ASKS = (
    (re.compile(r"\bquel(?:le)?s? (?:part|pourcentage|proportion|taux)\b"),
     re.compile(r"%|\bpour ?cent\b|\bsur (?:\d+|dix|six|cinq|quatre|trois|deux)\b|\bmoitie\b|\btiers\b|\bquart\b")),
    (re.compile(r"\b(?:delai|duree|combien de temps)\b"),
     re.compile(r"\b(?:\d+|un|une|deux|trois|six|douze|quinze|trente) (?:jours?|mois|ans|annees|heures?|semaines?)\b|"
                + _DATE)),
    (re.compile(r"\b(?:montant|amende|salaire|remuneration|plafond)\b"),
     re.compile(rf"{_MONEY}|%")),  # « une hausse de 4,5 % », « 7 % du chiffre d'affaires »
    # a budget or a cost is money: « un budget moyen de 80 % » was an offers' share (d16, 6 passages)
    (re.compile(r"\b(?:budget|prix|cout)\b"), re.compile(_MONEY)),  # (with a fine too: either kind answers)
    (re.compile(r"\bquelle (?:annee|date)\b|\bdepuis quand\b|\ba partir de quand\b"),
     re.compile(_DATE)),
)
_HOW_MANY = re.compile(r"\bcombien d(?:e |')(\w+)")
# « Combien d'années d'expérience … ? » is answered « 2 ans d'expérience »: the same unit
_SAME_UNIT = {"annee": r"(?:annee|ans?\b)"}
_NUMBER_WORDS = r"un|une|deux|trois|quatre|cinq|six|sept|huit|neuf|dix|douze|quinze|vingt|trente|cent|mille"


@dataclass(frozen=True)
class Clause:
    text: str  # what says what the figures count (with the heading of its passage)
    figures: frozenset[str]  # the numbers it states
    cell: bool = False  # a table's cell: its column is checked by `cells.wrong_column`
    sentence: str = ""  # the sentence stating the figures, without what it is read with


_ITEM = re.compile(r"^\s*(?:[-•*▪■→–]\s|[a-z]{1,3}\)\s)")


def clauses(passage: str) -> list[Clause]:
    """The figure clauses of a passage, each read with the passage's first line (its heading). A
    sentence referring back (« Ce pourcentage … », « Il est … ») is read with the one before it, never the
    reverse; « X a augmenté de 56 % contre 13 % pour Y »: the second figure is read with the whole
    sentence, the first with what comes before « contre » only; a table's cell with its row's label."""
    heading, _, body = passage.partition("\n")
    found: list[Clause] = []
    previous = ""
    lead: int | None = None  # the clause of the list lead-in being read
    for line in body.split("\n"):
        for sentence in sentences(line):
            row = row_cells(sentence)
            if row:
                found += [Clause(f"{heading} {row[0]} {column}", frozenset(figure_numbers(value)), True,
                                 f"{row[0]} {column}") for column, value in row[1]]
                continue
            read = f"{previous} {sentence}" if read_with(previous, sentence) else sentence
            head, against, tail = sentence.partition(" contre ")
            if against and figure_numbers(head) and figure_numbers(tail):
                found += [Clause(f"{heading} {head}", frozenset(figure_numbers(head)), sentence=head),
                          Clause(f"{heading} {read}", frozenset(figure_numbers(tail)), sentence=tail)]
            else:
                found.append(Clause(f"{heading} {read}", frozenset(figure_numbers(sentence)), sentence=sentence))
            if lead is not None and _ITEM.match(sentence):  # a lead-in's figure applies to each of its items
                found[lead] = replace(found[lead], text=f"{found[lead].text} {sentence}")
            elif sentence.rstrip().endswith(":"):
                lead = len(found) - 1
            else:
                lead = None
            previous = sentence
    return [clause for clause in found if clause.figures]


def own_clauses(figures: set[str], passage: str) -> list[Clause]:
    """The passage's clauses stating any of the answer's figures."""
    return [clause for clause in clauses(passage) if clause.figures & figures]


def qualifiers(question: str) -> set[str]:
    """The question's words that say which figure it wants: a year, a population, a region."""
    aside = " ".join(match.group(0) for match in _SET_ASIDE.finditer(question))
    return set(tokens(question)) - _ASKING - set(tokens(aside))


def excluded(figures: set[str], passage: str, question: str) -> bool:
    """The question leaves out what the figures' own sentences are about: « tous secteurs (pas
    seulement l'industrie) » answered by « dans l'industrie, 31 % des offres … »."""
    left_out = {word[:5] for word in tokens(" ".join(re.findall(_EXCLUDED, question, re.IGNORECASE)))}
    own = [clause.sentence for clause in own_clauses(figures, passage)]
    return bool(left_out and own) and all(
        left_out & {word[:5] for word in tokens(sentence)} and not re.search(_EXCLUDED, sentence, re.IGNORECASE)
        for sentence in own)


def outmatched(figures: set[str], passage: str, question: str, rivals: list[Clause]) -> bool:
    """An answer sentence's figures all stated in the passage by clauses that lack a qualifier of the
    question another figure's clause holds, that clause holding more of the question's qualifiers.
    Judged for the figures together: one of them answering is enough, the others may add to it
    (« 16 % … contre 9 % pour l'ensemble des secteurs »), and a rival the answer gives is no rival.
    Sentences only: a table's row names its own subject, which the question's context words
    (« du périmètre OPCO 2i ») do not outweigh."""
    wanted = qualifiers(question)
    own = own_clauses(figures, passage)
    if not own or not wanted or any(clause.cell for clause in own):
        return False
    best = max(overlap(wanted, clause.text) for clause in own)
    lacking = wanted - set().union(*(tokens(clause.text) for clause in own))
    return any(not rival.figures & figures and overlap(lacking, rival.text) > 0
               and overlap(wanted, rival.text) > best for rival in rivals)


# Under this share of the question's qualifiers in a figure's own clause, the figure answers another
# question (tuning: the wrong answers' clauses held 0.27 to 0.31 of them, « les pratiques
# interdites » for a fine on general-purpose models; the right answers' 0.38 and more).
_UNRELATED = 1 / 3


def unrelated(figures: set[str], passage: str, question: str) -> bool:
    """The figures' own clauses hold too few of the question's qualifiers to be its answer."""
    wanted = qualifiers(question)
    own = own_clauses(figures, passage)
    return bool(own and wanted) and max(overlap(wanted, c.text) for c in own) < _UNRELATED * len(wanted)


# A figure followed by its year (« passe de 65 % en 2019 à 73 % au 1er semestre 2024 »): that year
# is the figure's, whatever other year its sentence names.
_DATED = re.compile(rf"(?<![\d,.])({NUMBER})\s*(?:%|pour ?cent)?,?\s+(?:en|au|à la fin de|fin)\s+"
                    rf"(?:[\w-]+\s+){{0,2}}?((?:19|20)\d\d)\b", re.IGNORECASE)


def other_year(figures: set[str], passage: str, question: str) -> bool:
    """The question names a year and the passage gives each of the answer's figures, wherever it
    states it, for another year: « En 2019, quelle part … ? » answered « 73 % » from « … passe de
    65 % en 2019 à 73 % au 1er semestre 2024 », whose sentence holds « 2019 » too."""
    asked = set(re.findall(_YEAR, question))
    if not asked or not figures:
        return False
    stated = [_normal(number) for number in re.findall(NUMBER, passage)]
    dated = [_normal(number) for number, year in _DATED.findall(passage) if year not in asked]
    return all(0 < stated.count(figure) == dated.count(figure) for figure in figures)


def _normal(number: str) -> str:
    return next(iter(numbers_in(number)), number)


def not_given(figures: Iterable[str], given: set[str]) -> set[str]:
    """The figures whose numbers the question does not all state: those it gives are no look-alikes
    (a date is one figure, given by a question naming its day and year)."""
    return {figure for figure in figures if not numbers_in(figure) <= given}


def rival_clauses(passages: list[str], question: str) -> list[Clause]:
    """The evidence's sentences that could answer the question: stating a figure it does not give,
    of the kind it asks for (« combien d'offres sur dix » is not answered by « 3 % des offres »)."""
    given, kinds = numbers_in(question), asked_figures(question)
    return [clause for passage in passages for clause in clauses(passage)
            if not_given(clause.figures, given) and not clause.cell
            and all(kind.search(fold(clause.text)) for kind in kinds)]


def stated_figures(sentence: str) -> set[str]:
    """The numbers of an answer sentence that stand in a figure (a share, an amount, a count, a
    date, whole: `figure_numbers`), not in an article's or a year's mention."""
    return set().union(*(figure_numbers(figure) for figure in figures_in(sentence)))


def asked_figures(question: str) -> list[re.Pattern[str]]:
    """What a sentence answering the question must state, folded, for the kind of figure it asks
    for (none when it asks for no figure): « Combien d'entreprises … ? » needs a count of
    « entreprises », not a year."""
    asked = fold(question)
    wanted = [figure for ask, figure in _FIGURE_ASKS if ask.search(asked)]
    counted = _HOW_MANY.search(asked)
    if counted:
        noun = re.escape(counted.group(1)[:5])
        noun = _SAME_UNIT.get(noun, noun)
        wanted.append(re.compile(rf"(?!{_YEAR})\b(?:\d[\d\s]*(?:,\d+)?|{_NUMBER_WORDS})\s+(?:\w+\s+)?{noun}"))
    return wanted


def wrong_kind(sentence: str, figures: set[str], passage: str, question: str) -> bool:
    """The question asks for a kind of figure (a share, a duration, an amount, a date, a count of
    its noun) that none of the sentence's figures is where the passage states them. Not as the
    answer writes them: the 1.5B model wrote « une expérience minimum de 250 années » from an
    offer's « 250 salarié.es et plus ». As the answer writes them only when no clause of the passage
    states them (a figure elsewhere is `support`'s to catch); by the heading when only it states
    them (an offer's title, « …, 250 salarié.es et plus », cited beside its « Profil » section)."""
    kinds = asked_figures(question)
    if not kinds or not figures:
        return False
    own, heading = own_clauses(figures, passage), passage.split("\n")[0]
    said = fold(" ".join(clause.text for clause in own) if own
                else heading if figures & numbers_in(heading) else sentence)
    return not any(kind.search(said) for kind in kinds)


# A part of a month and its year (« fin février 2026 », « by the end of February 2026 »). English
# months read as the French ones: an English answer is checked against French passages.
_ENGLISH_MONTHS = dict(zip("january february march april may june july august september october november "
                           "december".split(), (fold(month) for month in MONTHS)))
_MONTHS = "|".join([*(fold(month) for month in MONTHS), *_ENGLISH_MONTHS])
_PART_OF_MONTH = re.compile(rf"\b(fin|end of|late|debut|beginning of|early)\s+(?:de\s+|d')?({_MONTHS})"
                            rf"\s+((?:19|20)\d\d)\b")


def misdated(sentence: str, passage: str) -> bool:
    """The sentence puts a date at the end (or the start) of a month where the passage states its
    day at the other end: « by the end of February 2026 » (tuning t041) for « au plus tard le 2
    février 2026 » holds the passage's month and year, and is wrong. A month without a day
    (« from February 2025 » for « à partir du 2 février 2025 ») is short, not wrong."""
    # the passage's whole dates, as the look-alike checks read them (« 2 fevrier 2026 »)
    stated = [(int(date[0]), date[1], date[2]) for date in (figure.split() for figure in figure_numbers(passage))
              if len(date) == 3]
    for part, month, year in _PART_OF_MONTH.findall(fold(sentence)):
        days = [day for day, m, y in stated if (m, y) == (_ENGLISH_MONTHS.get(month, month), year)]
        if days and (max(days) < 16 if part in ("fin", "end of", "late") else min(days) > 15):
            return True
    return False

"""Wrong answers for the quiz: figures stepped from the right one, other questions' answers, and
the checks that turn down an option that could be right, is a piece of the right one, or that
nobody would pick."""
from __future__ import annotations

import hashlib
import math
import re

from assistant.rag.citations import support
from assistant.text.normalise import compact, fold
from assistant.text.numbers import DATE, MONTHS, figure_in, figures_in, first_number, number_value, numbers_in
from assistant.text.words import tokens
from assistant.workshop.sources import backed_by


def same(a: str, b: str) -> bool:
    """The same option, spacing and case aside."""
    return compact(a) == compact(b)


def could_be_right(option: str, sentence: str) -> bool:
    """An option the sentence also backs: a second right answer, the quiz would be unfair. An option
    with figures counts only when all of its words are there too (its figures alone prove little)."""
    return backed_by(option, sentence, 0.99 if numbers_in(option) else 0.8)


def part_of(option: str, answer: str) -> bool:
    """An option made of the right answer's words: a piece of the right answer, not a wrong one."""
    words = set(tokens(option))
    return bool(words) and support(option, answer) > 0.5


def _write(value: float, like: str) -> str:
    """A number written like `like`: thousands spaced if it was, decimal comma."""
    if value >= 1000 and re.search(r"\d[ \u00a0\u202f]\d{3}", like):
        return f"{round(value):,}".replace(",", " ")
    return f"{value:.1f}".rstrip("0").rstrip(".").replace(".", ",")


def _step(value: float) -> float:
    """A round step near a quarter of the value (1, 2, 2.5 or 5 times a power of ten), whole for a
    whole number."""
    if value <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(value / 4))
    step = min((m * power for m in (1, 2, 2.5, 5, 10)), key=lambda m: abs(m - value / 4))
    return max(1.0, round(step)) if value == int(value) else step


def ladder(value: float, seed: str, percent: bool = False) -> list[float]:
    """Three other values on an even ladder with the right one at a rung chosen by `seed`: 47, 62,
    77, 92 rather than 31, 62, 124, 186, where the one the others double or halve gives itself away.
    A year moves by one; a share stays within 0-100 %; a count stays at 2 or more."""
    year = value == int(value) and 1900 <= value <= 2100
    step = 1.0 if year else _step(value)
    low = 2.0 if value >= 2 and not percent else step / 2  # no « 1 ans », no « 0 % »
    high = 100.0 if percent else math.inf
    rung = int(hashlib.sha1(seed.encode("utf-8")).hexdigest(), 16) % 4
    for shift in (0, 1, 2, 3, -1, -2, -3):
        first = rung + shift
        if not 0 <= first <= 3:
            continue
        values = [value + step * (i - first) for i in range(4) if i != first]
        if all(low <= v <= high for v in values):
            return values
    return []


def numeric_distractors(answer: str, sentence: str, count: int) -> list[str]:
    """Wrong answers made by changing the answer's year (dates) or first number (`ladder`); none of
    them is a number of the sentence."""
    options: list[str] = []
    date = DATE.search(answer)
    if date:
        year = int(date.group(4))
        month = MONTHS.index(date.group(2).lower())
        for new_year, new_month in ((year + 1, month), (year - 1, month), (year, (month + 6) % 12),
                                    (year + 2, month), (year - 2, (month + 3) % 12)):
            text = f"{date.group(1)}{MONTHS[new_month]}{date.group(3)}{new_year}"
            option = answer[:date.start()] + text + answer[date.end():]
            if not could_be_right(option, sentence) and option not in options and option != answer:
                options.append(option)
        return options[:count]
    match = first_number(answer)
    if not match:
        return []
    value = number_value(match.group(0))
    for changed in ladder(value, f"{answer} {sentence}", "%" in answer):
        written = _write(changed, match.group(0))
        option = answer[:match.start()] + written + answer[match.end():]
        if written != match.group(0) and re.sub(r"\s", "", written) not in numbers_in(sentence) \
                and option not in options:
            options.append(option)
    return options[:count]


def _scaled(figure: str) -> tuple[str, float] | None:
    """A share or an amount as (unit, value): « 35 millions d'euros » -> ("EUR", 35e6)."""
    match = first_number(figure)
    if match is None:
        return None
    value = number_value(match.group(0))
    if "%" in figure:
        return "%", value
    if re.search(r"EUR|€|euro", figure, re.IGNORECASE):
        factor = 1e9 if re.search(r"milliard", figure, re.IGNORECASE) else \
            1e6 if re.search(r"million", figure, re.IGNORECASE) else 1.0
        return "EUR", value * factor
    return None


def _apart(value: float, others: list[float]) -> bool:
    """Half as much again or more from every other option: an option one step away tests recall."""
    return all(min(value, o) > 0 and max(value, o) / min(value, o) >= 1.5 for o in others)


def scale_distractors(answer: str, sentence: str, passage: str, count: int) -> list[str]:
    """Wrong figures that test the scale, not the digits: the passage's other figures in the same
    unit first (the fine for a ban, 35 000 000 EUR, beside the 15 000 000 and 7 500 000 EUR of
    other breaches), then the right figure times or divided by 3, 9 or 27, in an order set by the
    question. A blind rater turned down 45, 55, 65 million and 2 % or 4 % beside 3 %: « pure
    mémorisation, sans tester l'ordre de grandeur ». Empty for other figures (a year, a count)."""
    scaled = _scaled(answer)
    if scaled is None:
        return []
    unit, value = scaled
    options: list[str] = []
    values = [value]
    for figure in figures_in(passage):
        other = _scaled(figure)
        if other and other[0] == unit and _apart(other[1], values) and not figure_in(figure, sentence):
            options.append(figure)
            values.append(other[1])
    match = first_number(answer)
    written_value = number_value(match.group(0))  # « 35 » of « 35 millions d'euros »
    factor = value / written_value if written_value else 1.0
    rung = int(hashlib.sha1(f"{answer} {sentence}".encode("utf-8")).hexdigest(), 16) % 4
    powers = (1, -1, 2, -2, 3, -3)
    for power in powers[rung:] + powers[:rung]:
        changed = _round(value * 3.0 ** power, written_value.is_integer() and unit == "%")
        if (unit != "%" or 1 <= changed <= 95) and _apart(changed, values):
            written = _write(changed / factor, match.group(0))
            options.append(answer[:match.start()] + written + answer[match.end():])
            values.append(changed)
    return options[:count]


def _round(value: float, whole: bool = False) -> float:
    """Two significant figures (105 000 000, 12 000 000, 6,6), or a whole number (a share in whole
    per cent: 6 %, not 5,8 %)."""
    if value <= 0:
        return value
    if whole and value >= 1:
        return float(round(value))
    power = 10 ** (math.floor(math.log10(value)) - 1)
    return round(value / power) * power


def bank_distractors(answer: str, sentence: str, bank: list[str], count: int) -> list[str]:
    """Answers to other questions of the quiz, of the same kind (figure or words), that this
    sentence does not support and that share little with the right answer."""
    options = []
    for option in bank:
        if bool(numbers_in(option)) != bool(numbers_in(answer)) or same(option, answer):
            continue
        words = set(tokens(option))
        if not words or len(option.split()) > 6 or option.count(",") > 1 or _FRAGMENT.search(option):
            continue  # long answers and lists from another question read as giveaways
        if support(option, sentence) >= 0.5 or part_of(option, answer):
            continue  # half in the passage already: it may well be right too
        if any(same(option, o) for o in options):
            continue
        options.append(option)
    return options[:count]


# A piece of an answer the model cut short (« Elle permet une meilleure ») is no option.
_FRAGMENT = re.compile(r"^(?:il|elle|ils|elles|ce|cela)\b|\b(?:le|la|les|un|une|des|de|du|d|l|et|ou|à|au|aux|"
                       r"en|par|pour|meilleure?s?|plus|moins)$", re.IGNORECASE)


# A wrong answer that says AI makes things worse (« Elle peut augmenter les coûts de production »,
# « … rendre les processus plus compliqués ») beside a right answer on what it brings: nobody picks
# it, so the question gives itself away (a blind rater: « absurd distractors »).
_WORSENS = re.compile(r"\b(?:augment\w*|accroi\w*|alourdi\w*)\s+(?:les |des |le |la )?(?:couts?|delais|risques?|charges?)\b|"
                      r"\bplus (?:compliqu|complex|difficil|lent|cher|couteu)\w*|"
                      r"\bmoins (?:efficac|fiabl|rapid|precis|sur)\w*|\b(?:ralenti|degrad)\w*")


def worsens(option: str) -> bool:
    return bool(_WORSENS.search(fold(option)))

"""Quiz questions: the model turns one cited sentence into a question, its answer and three wrong
answers, in a strict three-line format. The item is kept only if the right answer is in the
sentence, no wrong answer is (one right answer only), and the four options differ."""
from __future__ import annotations

import hashlib
import math
import re
from dataclasses import dataclass

from assistant.components.llm.base import ChatModel
from assistant.domain import Quote
from assistant.rag.citations import support
from assistant.text.normalise import compact, quote_in
from assistant.text.numbers import DATE, MONTHS, figure_in, first_number, number_value, numbers_in
from assistant.text.words import tokens
from assistant.workshop import prompt
from assistant.workshop.items import QuizQuestion
from assistant.workshop.reading import reading
from assistant.workshop.sources import Candidate, backed_by, numbers_backed_by

@dataclass
class Draft:
    question: str
    answer: str
    wrong: list[str]


_LINE = re.compile(r"^\s*\**\s*(q|question|r|réponse|reponse|bonne réponse|f|faux|fausses?|mauvaises? réponses?)"
                   r"\s*\**\s*[:：]\s*(.+)$", re.IGNORECASE)


def parse(text: str) -> Draft | None:
    """The three lines Q:/R:/F:, tolerant of bold, spacing and full words; None when incomplete."""
    question = answer = ""
    wrong: list[str] = []
    for line in text.splitlines():
        match = _LINE.match(line)
        if not match:
            continue
        key, value = match.group(1).lower(), match.group(2).strip()
        if key in ("q", "question") and not question:
            question = value
        elif key.startswith(("r", "bonne")) and not answer:
            answer = re.sub(r"\s*;\s*", ", ", value)
        elif key.startswith(("f", "mauvaise")):
            wrong += [w for w in (part.strip() for part in re.split(r"\s*;\s*", value)) if w]
    if not question or not answer or not wrong:
        return None
    return Draft(question, _tidy(answer), [_tidy(w) for w in wrong])


def _tidy(option: str) -> str:
    option = re.sub(r"^[A-Da-d1-4][).]\s+", "", option.strip())
    option = re.sub(r"\s*;\s*", ", ", option)  # a list written with the wrong-answers separator
    return option.strip(" .,«»\"*")


def _same(a: str, b: str) -> bool:
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


def bank_distractors(answer: str, sentence: str, bank: list[str], count: int) -> list[str]:
    """Answers to other questions of the quiz, of the same kind (figure or words), that this
    sentence does not support and that share little with the right answer."""
    options = []
    for option in bank:
        if bool(numbers_in(option)) != bool(numbers_in(answer)) or _same(option, answer):
            continue
        words = set(tokens(option))
        if not words or len(option.split()) > 6 or option.count(",") > 1 or _FRAGMENT.search(option):
            continue  # long answers and lists from another question read as giveaways
        if support(option, sentence) >= 0.5 or part_of(option, answer):
            continue  # half in the passage already: it may well be right too
        if any(_same(option, o) for o in options):
            continue
        options.append(option)
    return options[:count]


# « … mentionnée dans l'offre d'emploi ? »: which offer? The trainee has none before them, and a
# wrong option the offer names further on was marked wrong (a blind rater caught it).
_UNSEEN = re.compile(r"\b(?:(?:le|ce) texte|(?:la|cette) phrase|(?:le|ce) document|(?:cet|l['’])extrait|"
                     r"(?:l['’]|cette )offre)\b", re.IGNORECASE)
MAX_ANSWER_WORDS = 16


def giveaway(draft: Draft) -> bool:
    """A right answer that stands out by its length: the sentence copied whole, or twice as long as
    the longest wrong answer (« La différenciation des types d'IA est claire dans les entreprises des
    filières les plus en pointe » among « Réduction des coûts »)."""
    words = len(draft.answer.split())
    longest = max((len(w.split()) for w in draft.wrong), default=0)
    return words > MAX_ANSWER_WORDS or (words > 6 and words > 2 * longest)
# A piece of an answer the model cut short (« Elle permet une meilleure ») is no option.
_FRAGMENT = re.compile(r"^(?:il|elle|ils|elles|ce|cela)\b|\b(?:le|la|les|un|une|des|de|du|d|l|et|ou|à|au|aux|"
                       r"en|par|pour|meilleure?s?|plus|moins)$", re.IGNORECASE)


def validate(draft: Draft, sentence: str, bank: list[str] | None = None,
             passage: str = "") -> tuple[list[str], str]:
    """(three wrong answers, '') when the draft makes a fair question on the sentence, else
    ([], the reason). Unfair wrong answers are dropped and replaced, by rule for a figure, else
    one of them by another answer of the quiz (`bank`); a wrong answer the whole passage supports
    is unfair too."""
    context = f"{sentence} {passage}"
    if len(tokens(draft.question)) < 2:
        return [], "question trop courte"
    if _UNSEEN.search(draft.question):  # « Quelle différence entre les types d'IA mentionnés dans le texte ? »
        return [], "la question renvoie à un texte que le stagiaire n'a pas sous les yeux"
    if not backed_by(draft.answer, sentence):
        return [], "bonne réponse absente de la phrase source"
    if compact(draft.answer) in compact(draft.question) or support(draft.answer, draft.question) >= 0.8:
        return [], "la question contient la réponse"
    if giveaway(draft):
        return [], "bonne réponse trop longue (elle se reconnaît à sa longueur)"
    if not numbers_backed_by(draft.question, sentence):  # « … 55 % des salariés ? » on the 80 % sentence
        return [], "la question cite un nombre absent de la phrase source"
    wrong: list[str] = []
    for option in draft.wrong:
        if _same(option, draft.answer) or any(_same(option, w) for w in wrong) or re.search(r"[.!?]\s", option):
            continue  # a duplicate, or several sentences glued into one option
        if could_be_right(option, context) or part_of(option, draft.answer):
            continue
        wrong.append(option)
    if len(wrong) < 3:
        wrong += [w for w in numeric_distractors(draft.answer, sentence, 3) if not any(_same(w, x) for x in wrong)]
    if len(wrong) == 2:  # one answer of another question at most: « Intelligence artificielle ;
        # Analyse de données » offered for « the labels' main problem » read as absurd to a blind rater
        wrong += [w for w in bank_distractors(draft.answer, context, bank or [], 3)
                  if not any(_same(w, x) for x in wrong)]
    if len(wrong) < 3:
        return [], "moins de trois mauvaises réponses acceptables"
    return wrong[:3], ""


def position(question: str) -> int:
    """Where the right answer goes: stable for a question, spread over A-D across questions."""
    return int(hashlib.sha1(question.encode("utf-8")).hexdigest(), 16) % 4


def ask_model(llm: ChatModel, sentence: str) -> str:
    return prompt.ask(llm, prompt.QUESTION, f"Phrase : {sentence}", 80)


def _question(text: str, answer: str, wrong: list[str], candidate: Candidate, theme: str,
              audience: str, kind: str = "compréhension") -> QuizQuestion:
    at = position(text)
    choices = wrong[:at] + [answer] + wrong[at:]
    return QuizQuestion(text=text, choices=choices, answer=at, citations=[Quote(candidate.passage, candidate.sentence)],
                        theme=theme, audience=audience, kind=kind,
                        explanation=f"{answer} : le document dit « {candidate.sentence} »")


def build(llm: ChatModel, candidate: Candidate, theme: str, audience: str,
          bank: list[str] | None = None) -> tuple[QuizQuestion | None, str, Draft | None]:
    """One model call on one sentence: a checked question, or None and why it was rejected; and
    the parsed draft (its answer may serve as a wrong answer elsewhere)."""
    raw = ask_model(llm, candidate.sentence)
    draft = parse(raw)
    if draft is None:
        return None, f"réponse du modèle illisible : {raw[:80]!r}", None
    wrong, reason = validate(draft, candidate.sentence, bank, reading(candidate.passage))
    if reason or _its_subject(draft.answer, candidate.passage.title):
        return None, reason or "la bonne réponse est le sujet même du document", draft
    question = draft.question if draft.question.endswith("?") else f"{draft.question.rstrip(' .')} ?"
    return _question(question, draft.answer, wrong, candidate, theme, audience), "", draft


def _its_subject(answer: str, title: str) -> bool:
    """« Intelligence artificielle » in « L'intelligence artificielle dans l'industrie »: a giveaway."""
    words = set(tokens(answer))
    return bool(words) and words <= set(tokens(title))


def cloze(candidate: Candidate, figure: str, theme: str, audience: str) -> QuizQuestion | None:
    """« Complete the sentence » on a figure of the passage, wrong figures made by rule: no model
    call, right by construction. None when three fair wrong figures cannot be made."""
    pattern = r"\s*".join(re.escape(part) for part in figure.split())
    match = re.search(pattern, candidate.sentence)
    if not match:
        return None
    answer = match.group(0)
    wrong = numeric_distractors(answer, candidate.sentence, 3)
    if len(wrong) < 3:
        return None
    stem = candidate.sentence[:match.start()] + "……" + candidate.sentence[match.end():]
    if figure_in(answer, stem):  # the figure again later in the sentence: no blank
        return None
    # The document's title gives the sentence its context (« Il est applicable… »: what is?).
    title = candidate.passage.title or candidate.passage.document
    where = f" ({title})" if title else ""
    return _question(f"Complétez{where} : « {stem} »", " ".join(answer.split()), wrong, candidate, theme, audience,
                     "chiffre")


def check_quiz_question(item: QuizQuestion) -> list[str]:
    """What is wrong with a (possibly edited) question, in French; empty when it is sound. The
    right answer must stand in the cited passage and no wrong one: a situation's answer is the
    rule's (its explanation must be the cited rule's words); a statement question's wrong options
    are turned sentences, which must not stand in any cited passage."""
    problems = []
    if len(item.choices) < 2 or not 0 <= item.answer < len(item.choices):
        return ["la bonne réponse n'est pas parmi les choix"]
    quote = " ".join(q.text or q.passage.text for q in item.citations[:1])
    others = [c for i, c in enumerate(item.choices) if i != item.answer]
    if not item.citations:
        problems.append("aucune source")
    elif item.kind == "situation":
        if not item.explanation or not backed_by(item.explanation, quote, 0.6):
            problems.append("l'explication ne reprend pas la règle citée")
    elif item.kind == "affirmation":
        if not quote_in(item.right_answer, quote):
            problems.append("la bonne réponse n'est pas dans le passage cité")
        if any(quote_in(c, q.passage.text) for c in others for q in item.citations):
            problems.append("une mauvaise réponse est aussi dans un passage cité")
    elif not backed_by(item.right_answer, quote):
        problems.append("la bonne réponse n'est pas dans le passage cité")
    if item.kind not in ("situation", "affirmation") and any(could_be_right(c, quote) for c in others):
        problems.append("une mauvaise réponse est aussi dans le passage cité")
    if len({compact(c) for c in item.choices}) < len(item.choices):
        problems.append("deux choix identiques")
    return problems

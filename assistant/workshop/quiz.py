"""Quiz questions: the model turns one cited sentence into a question, its answer and three wrong
answers, in a strict three-line format. The item is kept only if the right answer is in the
sentence, no wrong answer is (one right answer only), and the four options differ."""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from assistant.components.llm.base import ChatModel
from assistant.domain import Quote
from assistant.rag.citations import support
from assistant.text.normalise import compact, quote_in
from assistant.text.numbers import figure_in
from assistant.text.words import tokens
from assistant.workshop import prompt
from assistant.workshop.distractors import (bank_distractors, could_be_right, numeric_distractors, part_of, same,
                                           scale_distractors, worsens)
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
        if same(option, draft.answer) or any(same(option, w) for w in wrong) or re.search(r"[.!?]\s", option):
            continue  # a duplicate, or several sentences glued into one option
        if could_be_right(option, context) or part_of(option, draft.answer):
            continue
        if worsens(option) and not worsens(draft.answer):
            continue
        wrong.append(option)
    if len(wrong) < 3:
        wrong += [w for w in numeric_distractors(draft.answer, sentence, 3) if not any(same(w, x) for x in wrong)]
    if len(wrong) == 2:  # one answer of another question at most: « Intelligence artificielle ;
        # Analyse de données » offered for « the labels' main problem » read as absurd to a blind rater
        wrong += [w for w in bank_distractors(draft.answer, context, bank or [], 3)
                  if not any(same(w, x) for x in wrong)]
    if len(wrong) < 3:
        return [], "moins de trois mauvaises réponses acceptables"
    return wrong[:3], ""


def position(question: str) -> int:
    """Where the right answer goes: stable for a question, spread over A-D across questions."""
    return int(hashlib.sha1(question.encode("utf-8")).hexdigest(), 16) % 4


def placed(key: str, right: str, wrong: list[str]) -> tuple[list[str], int]:
    """The options, the right one among the wrong ones at `position(key)`, and its index."""
    at = position(key) % (len(wrong) + 1)
    return wrong[:at] + [right] + wrong[at:], at


def ask_model(llm: ChatModel, sentence: str) -> str:
    return prompt.ask(llm, prompt.QUESTION, f"Phrase : {sentence}", 80)


def _question(text: str, answer: str, wrong: list[str], candidate: Candidate, theme: str,
              audience: str, kind: str = "compréhension") -> QuizQuestion:
    choices, at = placed(text, answer, wrong)
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


def cloze(candidate: Candidate, figure: str, theme: str, audience: str, around: str = "") -> QuizQuestion | None:
    """« Complete the sentence » on a figure of the passage, wrong figures made by rule (`around`:
    the text of the same page or article, whose other figures come first): no model call, right by
    construction. None when three fair wrong figures cannot be made."""
    pattern = r"\s*".join(re.escape(part) for part in figure.split())
    match = re.search(pattern, candidate.sentence)
    if not match:
        return None
    answer = match.group(0)
    around = around or candidate.passage.text
    wrong = scale_distractors(answer, candidate.sentence, around, 3)
    wrong += [w for w in numeric_distractors(answer, candidate.sentence, 3) if not any(same(w, x) for x in wrong)]
    if len(wrong) < 3:
        return None
    stem = candidate.sentence[:match.start()] + "……" + candidate.sentence[match.end():]
    if figure_in(answer, stem):  # the figure again later in the sentence: no blank
        return None
    # The document's title gives the sentence its context (« Il est applicable… »: what is?).
    title = candidate.passage.title or candidate.passage.document
    where = f" ({title})" if title else ""
    item = _question(f"Complétez{where} : « {stem} »", " ".join(answer.split()), wrong[:3], candidate, theme,
                     audience, "chiffre")
    elsewhere = [w for w in wrong[:3] if figure_in(w, around)]
    if elsewhere:  # the document's other figures: say so, the question teaches the scale
        item.explanation += f" {' ; '.join(elsewhere)} : d'autres chiffres du même texte, pour d'autres cas."
    return item


def check_quiz_question(item: QuizQuestion) -> list[str]:
    """What is wrong with a (possibly edited) question, in French; empty when it is sound. The
    right answer must stand in the cited passage and no wrong one: a situation's answer is the
    rule's (its explanation must be the cited rule's words); a statement question's wrong options
    are turned sentences, which must not stand in any cited passage."""
    problems = []
    if item.is_open:  # no options: the expected answer, in the words of its cited sentence
        if len(item.choices) != 1 or item.answer != 0:
            return ["une question ouverte attend une seule réponse"]
    elif len(item.choices) < 2 or not 0 <= item.answer < len(item.choices):
        return ["la bonne réponse n'est pas parmi les choix"]
    quote = " ".join(q.text or q.passage.text for q in item.citations[:1])
    others = [c for i, c in enumerate(item.choices) if i != item.answer]
    if not item.citations:
        problems.append("aucune source")
    elif item.kind == "situation":
        if not item.explanation or not backed_by(item.explanation, quote, 0.6):
            problems.append("l'explication ne reprend pas la règle citée")
    elif item.kind == "offre":  # the answer is the offer quoted: its post is in the cited passage's title
        title = item.citations[0].passage.title or ""
        if not backed_by(item.right_answer, title) or any(backed_by(c, title) for c in others):
            problems.append("la bonne réponse n'est pas l'offre citée")
        if not quote_in(item.citations[0].text, item.citations[0].passage.text):
            problems.append("l'exigence citée n'est pas dans l'offre")
    elif item.kind == "affirmation":
        if not quote_in(item.right_answer, quote):
            problems.append("la bonne réponse n'est pas dans le passage cité")
        if any(quote_in(c, q.passage.text) for c in others for q in item.citations):
            problems.append("une mauvaise réponse est aussi dans un passage cité")
    elif item.kind == "ordre de grandeur":  # a band (« près d'un tiers »), not the text's words
        pass  # `shares.misread` checks it against the quoted share
    elif not backed_by(item.right_answer, quote):
        problems.append("la bonne réponse n'est pas dans le passage cité")
    if item.kind not in ("situation", "affirmation", "ordre de grandeur") and \
            any(could_be_right(c, quote) for c in others):
        problems.append("une mauvaise réponse est aussi dans le passage cité")
    if len({compact(c) for c in item.choices}) < len(item.choices):
        problems.append("deux choix identiques")
    return problems

"""Quiz questions: the model turns one cited sentence into a question, its answer and three wrong
answers, in a strict three-line format. The item is kept only if the right answer is in the
sentence, no wrong answer is (one right answer only), and the four options differ."""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from llama_index.core.base.llms.types import ChatMessage, MessageRole
from llama_index.core.llms import LLM

from assistant.citations import support
from assistant.french import tokens
from assistant.workshop.items import QuizQuestion
from assistant.workshop.sources import Candidate, _compact, numbers_in, source_of, supported

QUIZ_PROMPT = (
    "Tu écris des questions de quiz pour une formation de cadres. On te donne une phrase d'un "
    "document. Écris une question à choix multiple dont la réponse se trouve dans la phrase.\n"
    "Réponds exactement en trois lignes :\n"
    "Q: la question\n"
    "R: la bonne réponse, recopiée de la phrase, en quelques mots\n"
    "F: trois mauvaises réponses plausibles, séparées par des points-virgules\n"
    "Exemple :\n"
    "Phrase : Le budget moyen consacré à la maintenance prédictive atteint 480 000 euros par site.\n"
    "Q: Quel budget moyen est consacré à la maintenance prédictive par site ?\n"
    "R: 480 000 euros\n"
    "F: 48 000 euros ; 1 million d'euros ; 150 000 euros"
)


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
            answer = value
        elif key.startswith(("f", "mauvaise")):
            wrong += [w for w in (part.strip() for part in re.split(r"\s*;\s*", value)) if w]
    if not question or not answer or not wrong:
        return None
    return Draft(question, _tidy(answer), [_tidy(w) for w in wrong])


def _tidy(option: str) -> str:
    option = re.sub(r"^[A-Da-d1-4][).]\s+", "", option.strip())
    return option.strip(" .«»\"*")


def _same(a: str, b: str) -> bool:
    return _compact(a) == _compact(b)


def could_be_right(option: str, sentence: str) -> bool:
    """An option the sentence also supports in full: a second right answer, the quiz is unfair."""
    if numbers_in(option):
        return numbers_in(option) <= numbers_in(sentence) and support(option, sentence) >= 0.99
    return bool(tokens(option)) and support(option, sentence) >= 0.99


def numeric_distractors(answer: str, sentence: str, count: int) -> list[str]:
    """Wrong answers made by changing the answer's first number (shares stay under 100 %)."""
    match = re.search(r"\d+(?:,\d+)?", answer)
    if not match:
        return []
    value = float(match.group(0).replace(",", "."))
    percent = "%" in answer
    options = []
    for changed in (value * 2, value / 2, value * 3, value + 10, value * 10, value + 25):
        if percent and changed > 100:
            continue
        written = f"{changed:.1f}".rstrip("0").rstrip(".").replace(".", ",")
        option = answer[:match.start()] + written + answer[match.end():]
        if written != match.group(0) and written not in numbers_in(sentence) and option not in options:
            options.append(option)
    return options[:count]


def validate(draft: Draft, sentence: str) -> tuple[list[str], str]:
    """(three wrong answers, '') when the draft makes a fair question on the sentence, else
    ([], the reason). Missing or unfair wrong answers to a numeric answer are replaced by rule."""
    if len(tokens(draft.question)) < 2:
        return [], "question trop courte"
    if not supported(draft.answer, sentence):
        return [], "bonne réponse absente de la phrase source"
    if _compact(draft.answer) in _compact(draft.question):
        return [], "la question contient la réponse"
    wrong: list[str] = []
    for option in draft.wrong:
        if _same(option, draft.answer) or any(_same(option, w) for w in wrong):
            continue
        if could_be_right(option, sentence):
            continue
        wrong.append(option)
    if len(wrong) < 3:
        wrong += [w for w in numeric_distractors(draft.answer, sentence, 3) if not any(_same(w, x) for x in wrong)]
    if len(wrong) < 3:
        return [], "moins de trois mauvaises réponses acceptables"
    return wrong[:3], ""


def _position(question: str) -> int:
    """Where the right answer goes: stable for a question, spread over A-D across questions."""
    return int(hashlib.sha1(question.encode("utf-8")).hexdigest(), 16) % 4


def ask_model(llm: LLM, sentence: str) -> str:
    messages = [ChatMessage(role=MessageRole.SYSTEM, content=QUIZ_PROMPT),
                ChatMessage(role=MessageRole.USER, content=f"Phrase : {sentence}")]
    return llm.chat(messages, max_tokens=90).message.content or ""


def build(llm: LLM, candidate: Candidate, theme: str, audience: str) -> tuple[QuizQuestion | None, str]:
    """One model call on one sentence: a checked question, or None and why it was rejected."""
    draft = parse(ask_model(llm, candidate.sentence))
    if draft is None:
        return None, "réponse du modèle illisible"
    wrong, reason = validate(draft, candidate.sentence)
    if reason:
        return None, reason
    question = draft.question if draft.question.endswith("?") else f"{draft.question.rstrip(' .')} ?"
    position = _position(question)
    choices = wrong[:position] + [draft.answer] + wrong[position:]
    return QuizQuestion(text=question, choices=choices, answer=position,
                        citations=[source_of(candidate.node, candidate.sentence)],
                        theme=theme, audience=audience), ""


def check_question(item: QuizQuestion) -> list[str]:
    """What is wrong with a (possibly edited) question, in French; empty when it is sound."""
    problems = []
    if len(item.choices) < 2 or not 0 <= item.answer < len(item.choices):
        return ["la bonne réponse n'est pas parmi les choix"]
    quote = " ".join(s.quote or s.passage for s in item.citations)
    if not item.citations:
        problems.append("aucune source")
    elif not supported(item.right_answer, quote):
        problems.append("la bonne réponse n'est pas dans le passage cité")
    others = [c for i, c in enumerate(item.choices) if i != item.answer]
    if any(could_be_right(c, quote) for c in others):
        problems.append("une mauvaise réponse est aussi dans le passage cité")
    if len({_compact(c) for c in item.choices}) < len(item.choices):
        problems.append("deux choix identiques")
    return problems

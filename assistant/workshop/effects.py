"""Quiz questions on what brings an effect about, from a sentence that says both (« L'intelligence
artificielle … leur permet de détecter les défaillances avant qu'elles ne se produisent, limitant les
risques et coûts liés à l'arrêt d'un équipement ou d'une chaîne de production »): « pour limiter …, l'IA
permet de : », the action right; wrong, the action turned (« après qu'elles se sont produites ») and
what other sentences of the theme say something permits (« détecter très rapidement les défauts de
fabrication »: the quality controls'), each quoted in the explanation. Raters Q and R asked why predictive
maintenance cuts costs in place of the examples-to-aim question. No model call: the 1.5B model's wrong
answers were the right one negated or true, and its checks turned them down."""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from assistant.domain import Passage, Quote
from assistant.rag.citations import support
from assistant.text.normalise import fold
from assistant.text.sentences import sentences
from assistant.workshop.items import QuizQuestion
from assistant.workshop.kinds import turned
from assistant.workshop.quiz import placed

_PERMITS = r"\bpermet(?:tent|tant)?\s+(?:(?:à|aux)\s+[^,;]+?\s+)?d(?:e\s+|['’])"
# « … leur permet de <action>, <verb>ant <result>. »: the effect a present participle adds
_EFFECT = re.compile(_PERMITS + r"(?P<action>[^,;]+?),\s+(?P<verb>\w+ant)\s+(?P<result>[^,;]+?)\.?$")
_ACTION = re.compile(_PERMITS + r"(?P<action>[^,;.:«»()]+)")
_SUBJECT = re.compile(r"^(?P<subject>.+?)\s+(?:avec|grâce|qui|,)\b")
# the present participle back to its infinitive; -ant alone makes -er (« limitant », « limiter »)
_INFINITIVES = ((r"issant$", "ir"), (r"uisant$", "uire"), (r"ettant$", "ettre"), (r"enant$", "endre"),
                (r"endant$", "endre"), (r"ant$", "er"))
# what people do (« se consacrer à des activités plus stratégiques »): no option after « l'IA permet de : »
_REFLEXIVE = re.compile(r"^(?:se|s['’])\s*", re.IGNORECASE)
MAX_WORDS = 14  # a wrong action much longer than the right one gives itself away


@dataclass(frozen=True)
class Effect:
    subject: str  # « l'intelligence artificielle »
    action: str  # « détecter les défaillances avant qu'elles ne se produisent »
    effect: str  # « limiter les risques et coûts liés à l'arrêt d'un équipement ou d'une chaîne de production »
    quote: Quote


@dataclass(frozen=True)
class Action:
    text: str  # « analyser les données en parallèle et détecter très rapidement les défauts de fabrication »
    quote: Quote


def _infinitive(participle: str) -> str:
    for ending, infinitive in _INFINITIVES:
        if re.search(ending, participle):
            return re.sub(ending, infinitive, participle)
    return ""


def _subject(sentence: str, at: int) -> str:
    """The sentence's subject, short: « L'intelligence artificielle » of « L'intelligence artificielle
    avec l'utilisation d'algorithmes … leur permet »; empty when it is longer than four words."""
    lead = re.sub(r"\s+(?:leur|lui|nous|vous|les|me|te)\s*$", "", sentence[:at]).strip()
    match = _SUBJECT.match(lead)
    subject = match.group("subject") if match else lead
    return subject[0].lower() + subject[1:] if subject and len(subject.split()) <= 4 else ""


def _action(text: str) -> str:
    return re.sub(r"\bet d(?:e\s+|['’])", "et ", text.strip())  # « … et de détecter » → « … et détecter »


def effects(passages: list[Passage]) -> list[Effect]:
    found = []
    for passage in passages:
        for sentence in sentences(passage.text):
            match = _EFFECT.search(sentence)
            infinitive = _infinitive(match.group("verb")) if match else ""
            subject = _subject(sentence, match.start()) if match else ""
            if match and infinitive and subject:
                found.append(Effect(subject, _action(match.group("action")),
                                    f"{infinitive} {match.group('result').strip()}", Quote(passage, sentence)))
    return found


def actions(passages: list[Passage]) -> list[Action]:
    """What the sentences say something permits, each once."""
    found: dict[str, Action] = {}
    for passage in passages:
        for sentence in sentences(passage.text):
            for match in _ACTION.finditer(sentence):
                text = _action(match.group("action"))
                if 3 <= len(text.split()) <= MAX_WORDS:
                    found.setdefault(fold(text), Action(text, Quote(passage, sentence)))
    return list(found.values())


def effect_question(effect: Effect, others: list[Action], theme: str, audience: str,
                    rank: Callable[[str], float] = lambda _: 0.0) -> QuizQuestion | None:
    """« D'après « … », pour <effect>, <subject> permet de : », the action right; wrong, the action
    turned and the theme's nearest other actions (`rank`) whose sentence says nothing of the effect:
    « optimiser l'ensemble de la chaîne de production » would be right too."""
    change = turned(effect.action)
    wrong = [Action(change[0], effect.quote)] if change else []
    for other in sorted(others, key=lambda a: -rank(a.quote.passage.text)):
        if len(wrong) == 3:
            break
        if other.quote.text != effect.quote.text and support(effect.effect, other.quote.text) == 0 and \
                support(other.text, effect.action) < 0.5 and not _REFLEXIVE.match(other.text):
            wrong.append(other)
    if len(wrong) < 2:
        return None
    title = effect.quote.passage.title or effect.quote.passage.document
    text = f"D'après « {title} », pour {effect.effect}, {effect.subject} permet de :"
    choices, at = placed(text, effect.action, [w.text for w in wrong])
    explanation = f"Le document dit : « {effect.quote.text} »" + (
        f" « {change[0]} » dit le contraire ({change[1]})." if change else "") + "".join(
        f" « {w.text} » vient d'une autre phrase : « {w.quote.text} »" for w in wrong if w.quote != effect.quote)
    quotes = [effect.quote] + [w.quote for w in wrong if w.quote != effect.quote]
    return QuizQuestion(text=text, choices=choices, answer=at, citations=quotes, theme=theme, audience=audience,
                        kind="effet", explanation=explanation)

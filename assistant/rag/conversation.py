"""Follow-up questions (« Et quelle part des salariés ? ») resolved against earlier turns before
retrieval, by rules: no extra model call, and none at all when the question stands alone."""
from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field

from assistant.domain import Passage
from assistant.rag.citations import MARKER
from assistant.text.normalise import fold
from assistant.text.words import tokens

_OPENERS = ("et ", "mais ", "pourquoi", "en quoi", "lequel", "laquelle", "lesquels", "lesquelles",
            "and ", "why", "what about", "how about", "ok ", "d'accord", "precise", "developpe",
            "detaille", "explique")
# Words that point back to something said before. Subject pronouns count only outside the
# French question inversion (« mentionne-t-elle » stands alone).
_ANAPHORA = {"il", "elle", "ils", "elles", "celui", "celle", "ceux", "celles", "cela", "ca",
             "leur", "leurs", "premier", "premiere", "deuxieme", "second", "seconde", "troisieme",
             "dernier", "derniere", "precedent", "precedente", "dessus", "it", "they", "them", "those",
             "that", "first", "last"}


@dataclass
class Turn:
    question: str
    search_query: str
    prompt: str  # the user message sent to the model, kept to reuse its KV cache
    raw_answer: str
    answer: str
    follow_up: bool = False
    sources: list[Passage] = field(default_factory=list)  # the passages the shown answer cites


@dataclass
class Conversation:
    turns: list[Turn] = field(default_factory=list)
    id: str = field(default_factory=lambda: uuid.uuid4().hex[:12])  # names it in the audit log

    def history(self, limit: int = 2) -> list[tuple[str, str]]:
        """The current thread: the last standalone question and its follow-ups, at most `limit`.

        An older, unrelated turn would not help the answer, and putting it first would make the
        model re-read the whole prompt instead of extending the KV cache of the previous turn."""
        thread: list[Turn] = []
        for turn in reversed(self.turns):
            thread.insert(0, turn)
            if not turn.follow_up or len(thread) >= limit:
                break
        return [(t.prompt, t.raw_answer) for t in thread if t.prompt]


def _points_back(folded: str) -> bool:
    """« ces obligations », « cette branche »: a demonstrative whose noun the question has not
    named before it (« … quelle est cette part » after « quelle part » points inside the question)."""
    for match in re.finditer(r"\b(?:ces|cette|cet) ([a-z]+)", folded):
        if match.group(1)[:4] not in {w[:4] for w in re.findall(r"[a-z]+", folded[:match.start()])}:
            return True
    return False


def is_follow_up(question: str) -> bool:
    folded = fold(question)
    if folded.startswith(_OPENERS):
        return True
    without_inversion = re.sub(r"-t-(il|elle|ils|elles|on)\b|-(il|elle|ils|elles)\b", " ", folded)
    words = set(re.findall(r"[a-z]+", without_inversion))
    return bool(words & _ANAPHORA) or _points_back(folded) or len(tokens(question)) < 3


def resolve(question: str, conversation: Conversation | None) -> tuple[str, bool]:
    """The query to search with, and whether the question continues the conversation."""
    if not conversation or not conversation.turns or not is_follow_up(question):
        return question, False
    previous = conversation.turns[-1]
    answer = MARKER.sub("", previous.answer)
    return f"{previous.question} {answer} {question}", True

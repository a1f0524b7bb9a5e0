"""What the documents hold for a theme, searched once (`Workshop.pool`), and what a quiz draws on and has
used (`workshop.mix` takes its kinds in turn, `workshop.wording` writes some of them)."""
from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from assistant.components.llm.base import ChatModel
from assistant.domain import Passage
from assistant.workshop.items import QuizQuestion
from assistant.workshop.offers import Offer
from assistant.workshop.terms import Definition
from assistant.workshop.sources import Candidate
from assistant.workshop.theme import ThemeWords


@dataclass
class Pool:
    """What the documents hold for a theme, searched once: regenerating an item draws on it. Its
    lists may be narrowed before items are asked for (the tests do, to script the model)."""
    passages: list[Passage]
    candidates: list[Candidate]  # sentences of the theme's passages, best first
    figure_candidates: list[Candidate]  # the same and on-theme sentences of passages further away
    # the theme's passages' sentences below the on-theme bar: a part to regenerate when a small
    # corpus has no other topic above it (better a part nearer the edge of the theme than none)
    spare: list[Candidate] = field(default_factory=list)
    tried: set[str] = field(default_factory=set)  # sentences already sent to the model for the quiz
    weights: ThemeWords | None = None  # the theme's words, weighed (`theme.theme_weights`)
    cases: list[Candidate] = field(default_factory=list)  # banned uses that name the theme (`bans.banned_uses`)
    glossary: list[Definition] = field(default_factory=list)  # the definitions of the theme's and further passages
    offers: list[Offer] = field(default_factory=list)  # every job offer of the documents


MISSES = 3  # drafts turned down in a row: no more model calls for this quiz
Reject = Callable[[str, str, str], None]  # kind, sentence, reason


@dataclass
class Mix:
    """What the quiz draws on and what it has used."""
    llm: ChatModel
    theme: str
    audience: str
    candidates: list[Candidate]  # on-theme sentences, best first
    figure_candidates: list[Candidate]
    passages: list[Passage]
    reject: Reject
    used: set[str] = field(default_factory=set)  # sentences a question already rests on
    held: set[str] = field(default_factory=set)  # sentences asked only when the others run out
    tried: set[str] = field(default_factory=set)  # sentences sent to the model
    attempts: int = 0
    max_attempts: int = 12
    misses: int = 0  # model drafts turned down in a row
    bank: list[str] = field(default_factory=list)  # right answers, wrong ones elsewhere
    asked: list[str] = field(default_factory=list)  # situations already written
    verdicts: Counter[str] = field(default_factory=Counter)  # the situations' answers so far
    weights: ThemeWords | None = None  # the theme's words (`theme.theme_weights`)
    cases: list[Candidate] = field(default_factory=list)  # banned uses on the theme (`bans.banned_uses`)
    glossary: list[Definition] = field(default_factory=list)  # definitions further from the theme too
    offers: list[Offer] = field(default_factory=list)  # every job offer of the documents (`offers.job_offers`)
    next_of: Callable[[Passage], Passage | None] = lambda _: None  # the passage after one in its document

    def fresh(self, pool: list[Candidate]) -> Iterator[Candidate]:
        for candidate in pool:
            if candidate.sentence not in self.used:
                yield candidate

    def model_turn(self) -> bool:
        """A model call is left: within the budget, and the last calls did not all fail (on a
        theme the documents say little about, the next drafts fail like the previous ones)."""
        if self.attempts >= self.max_attempts or self.misses >= MISSES:
            return False
        self.attempts += 1
        return True

    def drafted(self, item: QuizQuestion | None) -> None:
        self.misses = 0 if item is not None else self.misses + 1

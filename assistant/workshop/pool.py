"""What the documents hold for a theme, searched once (`Workshop.pool`)."""
from __future__ import annotations

from dataclasses import dataclass, field

from assistant.domain import Passage
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

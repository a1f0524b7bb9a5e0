"""Naming questions: « Comment le règlement appelle-t-il une vidéo … qui imite une personne réelle ? »

The question describes a thing in the user's words and asks for its name. A right answer
(« … s'appelle un « hypertrucage » ») restates that description, whose words are not the
passage's (« contenu audio ou vidéo généré … ressemblance avec des personnes »), so the word
check removed it: seen on three of eight tuning definitions asked this way round. What makes such
an answer sourced is its term, and where the term stands: in the evidence sentence that matches
the question's description best. A term taken from another sentence (another definition of the
same article) stays unsupported.
"""
from __future__ import annotations

import re

from assistant.domain import Evidence
from assistant.rag.question import QUOTED_TERM
from assistant.text.sentences import statements
from assistant.text.words import beyond, coverage, overlap, tokens


def describing(question: str, evidence: list[Evidence]) -> dict[int, list[str]]:
    """Per evidence number, the passage's sentences that match the question best of all the
    evidence (a tie keeps each): where the name asked for must stand."""
    scored = [(coverage(question, sentence), item.number, sentence)
              for item in evidence for sentence in statements(item.passage.text)]
    best = max((score for score, _, _ in scored), default=0.0)
    found: dict[int, list[str]] = {}
    for score, number, sentence in scored:
        if best > 0 and score == best:
            found.setdefault(number, []).append(sentence)
    return found


# A name in brackets after its description, as the regulation writes it (« … aux sorties produites par
# un système d'IA à haut risque (biais d'automatisation) »): no digit, a few words.
_BRACKETED = re.compile(r"\(([^\d()]{3,40})\)")


def term_of(sentence: str, question: str) -> list[str]:
    """The words an answer gives as the name: what it quotes (« « biais d'automatisation » »), or
    the name in brackets of a longer passage it quotes, else its words beyond the question's (a
    quoted description's own words, « la phrase … », are no name)."""
    own = beyond(sentence, question)
    named = QUOTED_TERM.findall(own) or _BRACKETED.findall(own)
    return tokens(" ".join(named)) if named else tokens(own)


def names_it(sentence: str, question: str, described: list[str]) -> bool:
    """The sentence gives as the name words that all stand in one of the passage's sentences
    describing what is asked (`describing`); its figures are the caller's to check."""
    term = term_of(sentence, question)
    return bool(term) and any(all(overlap({word}, text) for word in term) for text in described)

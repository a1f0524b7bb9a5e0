"""What a defined term means, asked the other way round: the meaning, and the term among others of
the same kind (« déployeur » among « fournisseur », « importateur », « distributeur »)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import takewhile

from assistant.domain import Passage, Quote
from assistant.text.normalise import fold
from assistant.workshop.distractors import could_be_right
from assistant.workshop.items import QuizQuestion
from assistant.workshop.quiz import placed


@dataclass
class Definition:
    term: str
    meaning: str
    line: str  # as the passage writes it: the quote
    passage: Passage


_DEFINITION = re.compile(r"«\s*([^»]{2,60}?)\s*»\s*,\s*(.{20,}?)\s*[;.]?\s*$")


def definitions(passages: list[Passage]) -> list[Definition]:
    """« "déployeur", une personne physique ou morale … »: the definitions lists of the passages."""
    found: dict[str, Definition] = {}
    for passage in passages:
        for line in passage.text.split("\n"):
            match = _DEFINITION.search(line)
            if match and match.start() < 12 and match.group(1).lower() not in found:
                quote = line[match.start():].strip().rstrip(";. ")
                found[match.group(1).lower()] = Definition(match.group(1), match.group(2), quote, passage)
    return list(found.values())


def gist(meaning: str, words: int = 30) -> str:
    """A definition as an option: whole, or up to its last comma within `words` words (« …, une
    agence ou un autre organisme utilisant sous sa propre autorité un système d'IA »), never cut
    mid-phrase by « … »."""
    cut = meaning.split()
    if len(cut) <= words:
        return meaning
    head = " ".join(cut[:words])
    comma = head.rfind(",")
    return head[:comma] if comma > 0 and len(head[:comma].split()) >= 10 else meaning


def term_question(definition: Definition, others: list[Definition], theme: str, audience: str,
                  words: int = 30) -> QuizQuestion | None:
    """« Comment appelle-t-on une entreprise utilisant sous sa propre autorité un système d'IA … ? »,
    the term right, three other defined terms of the same kind wrong. The other way round (four
    definitions to read as options) a blind rater found « récitation de définitions … lourdes à
    lire », its answer spotted by one word."""
    described = gist(definition.meaning, words)
    if _names(described, definition.term):
        return None
    # Terms of the same kind (two opening words shared at least: not « risque » among the ways of
    # placing a system on the market), the nearest first (« fournisseur » shares eleven with
    # « déployeur »). Not one the meaning names (« autre que le fournisseur ou l'importateur »,
    # « mise à disposition sur le marché » in « mise sur le marché »'s): ruled out before it is read;
    # nor one whose own meaning names the term asked (« opérateur »: « … ou distributeur »): right too.
    shared = {o.term: _shared_opening(o.meaning, definition.meaning) for o in others}
    wrong = [o.term for o in sorted(others, key=lambda o: -shared[o.term])
             if o.term != definition.term and shared[o.term] >= 2 and not _names(described, o.term)
             and not could_be_right(o.term, definition.line) and not _names(o.meaning, definition.term)]
    wrong = list(dict.fromkeys(wrong))[:3]
    if len(wrong) < 3:
        return None
    title = definition.passage.title or definition.passage.document
    actor = _ACTOR_HEAD.match(described)
    # « … sauf lorsque ce système est utilisé dans le cadre d'une activité personnelle » said of a
    # company reads as nonsense (a blind rater): the exception stays in the explanation
    asked = f"une entreprise {_EXCEPT.sub('', described[actor.end():])}" if actor else f"ceci : « {described} »"
    question = f"Au sens du texte ({title}), comment appelle-t-on {asked.rstrip(' ;.')} ?"
    explanation = f"Le texte définit « {definition.term} » ainsi : « {definition.meaning} »."
    choices, at = placed(question, definition.term, wrong)
    return QuizQuestion(text=question, choices=choices, answer=at, theme=theme, audience=audience, kind="terme",
                        citations=[Quote(definition.passage, definition.line)], explanation=explanation)


def _names(text: str, term: str) -> bool:
    """The text names the term, singular or plural."""
    return fold(term).rstrip("s") in fold(text)


# « une personne physique ou morale, une autorité publique, une agence ou un autre organisme » opens
# the definitions of the regulation's actors: the question puts « une entreprise » for it
_EXCEPT = re.compile(r",?\s+sauf\b.*$")
_ACTOR_HEAD = re.compile(r"^une personne physique ou morale(?:, une autorité publique, une agence ou "
                         r"(?:un|tout) autre organisme)?\s*,?\s*")


def _shared_opening(a: str, b: str, most: int = 12) -> int:
    """How many of their first words two meanings share, up to `most`."""
    pairs = zip(fold(a).split()[:most], fold(b).split()[:most])
    return sum(1 for _ in takewhile(lambda pair: pair[0] == pair[1], pairs))

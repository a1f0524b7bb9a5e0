"""Quiz questions that match examples to what they illustrate: a list whose items each name an aim
and give its examples in brackets (« - de réduire leurs coûts (maintenance prédictive, meilleure
gestion des stocks …), ») asks which aim the examples illustrate, the list's other aims as the
wrong answers. Written from the documents' wording, with no model call: the wrong answers the 1.5B
model wrote were negations of the right one or true statements, and the checks turned them down."""
from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.domain import Passage, Quote
from assistant.workshop.items import QuizQuestion
from assistant.workshop.quiz import placed

# « - d'améliorer la qualité de leurs produits (détection de défauts de fabrication, personnalisation), »:
# a bullet, the aim, its examples in brackets, the item's end (a footnote's number may follow)
_ITEM = re.compile(r"^\s*[-•▪■*]\s*(?P<aim>[^()]{8,120}?)\s*\((?P<examples>[^()]{8,200})\)"
                   r"\s*[,;.]?\s*[\d¹²³⁴⁵⁶⁷⁸⁹⁰]*[,;.]?\s*$")
_TO = re.compile(r"^(?:de |d['’]|à |pour |afin de |afin d['’])", re.IGNORECASE)
MIN_SIBLINGS = 3  # the right aim and two wrong ones at least


@dataclass(frozen=True)
class Illustrated:
    aim: str  # « réduire leurs coûts »
    examples: str  # « maintenance prédictive, meilleure gestion des stocks … »
    line: str  # the item as the passage writes it: the quote
    passage: Passage


def illustrated_lists(passages: list[Passage]) -> list[list[Illustrated]]:
    """The lists of the passages whose items, three or more in a row, each give an aim and its examples."""
    found = []
    for passage in passages:
        run: list[Illustrated] = []
        for line in [*passage.text.split("\n"), ""]:
            match = _ITEM.match(line)
            if match:
                aim = _TO.sub("", match.group("aim").strip())
                quote = line[match.start("aim"):].strip().rstrip(",;.")  # the item, not its bullet
                run.append(Illustrated(aim, match.group("examples").strip(), quote, passage))
                continue
            if len(run) >= MIN_SIBLINGS:
                found.append(run)
            run = []
    return found


def example_question(item: Illustrated, siblings: list[Illustrated], theme: str, audience: str
                     ) -> QuizQuestion | None:
    """« D'après l'étude, quel objectif les exemples « … » illustrent-ils ? », the item's aim right,
    the other items' aims wrong (the document sorts the examples under its aims: its own answer)."""
    wrong = [other.aim for other in siblings if other.aim.lower() != item.aim.lower()][:3]
    if len(wrong) < MIN_SIBLINGS - 1:
        return None
    title = item.passage.title or item.passage.document
    text = f"D'après « {title} », quel objectif les exemples « {item.examples} » illustrent-ils ?"
    choices, pos = placed(text, item.aim, wrong)
    explanation = f"Le document donne « {item.examples} » comme exemples de l'objectif « {item.aim} »."
    return QuizQuestion(text=text, choices=choices, answer=pos, citations=[Quote(item.passage, item.line)],
                        theme=theme, audience=audience, kind="exemple", explanation=explanation)

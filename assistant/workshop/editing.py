"""The trainer's edit of one item, as typed in the workshop tab: written into the item, or refused
with a French reason (the checks of `export.check` then flag what the edit broke)."""
from __future__ import annotations

from assistant.workshop.items import LETTERS, Item, KeyFigure, OutlinePart, QuizQuestion


def _lines(text: str) -> list[str]:
    return [" ".join(line.split()) for line in (text or "").splitlines() if line.strip()]


def apply_edit(item: Item, text: str, figure: str, choices: str, objectives: str, discussion: str) -> str:
    """Write the trainer's fields into the item; a French reason when they cannot be used."""
    text = " ".join((text or "").split())
    if not text:
        return "Le texte de l’élément ne peut pas être vide."
    if isinstance(item, QuizQuestion) and item.is_open:  # its one line: the expected answer
        expected = [line.lstrip("* ").strip() for line in _lines(choices)]
        if len(expected) != 1 or not expected[0]:
            return "Une question ouverte attend une seule ligne : la réponse attendue."
        item.choices, item.answer = expected, 0
    elif isinstance(item, QuizQuestion):
        options = _lines(choices)
        right = [i for i, option in enumerate(options) if option.startswith("*")]
        options = [option.lstrip("* ").strip() for option in options]
        if not 2 <= len(options) <= len(LETTERS) or len(right) != 1 or not all(options):
            return ("Donnez de 2 à 8 réponses, une par ligne, et marquez la seule bonne réponse "
                    "d’un astérisque (*) en début de ligne.")
        item.choices, item.answer = options, right[0]
    elif isinstance(item, KeyFigure):
        if not " ".join((figure or "").split()):
            return "Le chiffre ne peut pas être vide."
        item.figure = " ".join(figure.split())
    elif isinstance(item, OutlinePart):
        item.objectives, item.discussion = _lines(objectives), _lines(discussion)
    item.text = text
    return ""

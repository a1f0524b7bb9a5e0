"""Figures read from table rows, as the PDF reader writes them (« Branche : X — Part d'entreprises en
2024 (en %) : 0,2 ; Part de salariés en 2023 (en %) : 4,5 »): a row holds several figures, each
meaning what its column says, and a small model often answers with the cell next to the right one.
"""
from __future__ import annotations

import re

from assistant.text.numbers import numbers_in
from assistant.text.sentences import statements
from assistant.text.words import tokens


def row_cells(statement: str) -> tuple[str, list[tuple[str, str]]] | None:
    """The row's label and its (column, value) cells; None for a sentence that is not a row."""
    lead, dash, row = statement.partition(" — ")
    cells = row.split(" ; ")
    if not dash or len(cells) < 2 or not all(" : " in cell for cell in cells):
        return None
    return lead, [tuple(cell.rsplit(" : ", 1)) for cell in cells]  # type: ignore[misc]


def cell_scope(number: str, statement: str) -> str:
    """The row's label and the cells holding the number (the year of another column is not this
    figure's year); the statement itself when it is not a row."""
    row = row_cells(statement)
    held = [f"{column} : {value}" for column, value in row[1] if number in numbers_in(value)] if row else []
    return " ".join([row[0], *held]) if row and held else statement


_YEAR = re.compile(r"(?:19|20)\d\d")


def _stems(text: str) -> set[str]:
    return {word[:5] for word in tokens(text)}


def _column_fits(number: str, cells: list[tuple[str, str]], asked: set[str]) -> bool:
    """False when the question names another column's own words (« offres ») and none of the
    number's column but its year (« Part de salariés en 2023 » for « la part des offres … en 2023 »:
    the table has no such figure). A number of a column's name (« de 2019 au 1er semestre 2024 »)
    is that column's: an answer copying the period with its figure names the right column."""
    own = set().union(*(_stems(c) for c, v in cells if number in numbers_in(f"{c} {v}")))
    others = set().union(*(_stems(c) for c, v in cells if number not in numbers_in(f"{c} {v}")))
    return not (asked & (others - own)) or any(not _YEAR.fullmatch(stem) for stem in asked & (own - others))


def wrong_column(number: str, passage: str, question: str) -> bool:
    """The number stands in the passage only in table cells, none of them in the column asked."""
    holders = [statement for statement in statements(passage) if number in numbers_in(statement)]
    rows = [row_cells(statement) for statement in holders]
    if not rows or any(row is None for row in rows):
        return False  # a sentence states it: `misplaced` checks that one
    asked = _stems(question)  # less the words naming the row (« accord d'entreprise » is no column)
    return not any(_column_fits(number, row[1], asked - _stems(row[0])) for row in rows if row)

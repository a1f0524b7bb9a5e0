"""Tables of a PDF page as one sentence per row: « Région : Normandie — Sites (en %) : 30,2 ; … ».

pypdf's plain text may give a table one cell per line (« Normandie », « 30,2 », « 41,0 »), so a
figure ends up far from its row and column names and no passage can answer « quelle part des
sites est en Normandie ? ». Its layout mode keeps each cell at its column; written by hand
because neither pypdf nor llama-index turns those columns back into rows (llama-index's table
readers need a hosted service or an extra model).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

NUMBER_LINE = re.compile(r"^[-+]?\d[\d\u202f\u00a0 ]*(?:[,.]\d+)?\s*%?$")
_ENDS_WITH_FIGURES = re.compile(r"\s\d[\d,.]*\s*%?\s+\d[\d,.]*\s*%?\s*$")
_ORDINAL = re.compile(r"^(?:er|re|e|ème|nd)\b")  # the « er » of « 1er », set on a line of its own
_MAX_HEADER_LINES = 10
_MAX_CELL_WORDS = 9  # a line of the plain text longer than this is prose, not a table cell


@dataclass
class Cell:
    start: int
    text: str


@dataclass
class Table:
    header: list[str]  # one name per column, the first for the row labels ("" where none)
    rows: list[tuple[str, list[str]]]  # row label, values

    @property
    def values(self) -> int:
        return sum(len(values) for _, values in self.rows)

    def sentences(self) -> list[str]:
        named = self.header[1:]
        out = []
        for label, values in self.rows:
            lead = f"{self.header[0]} : {label}" if self.header[0] else label
            cells = [f"{name} : {value}" if name else value for name, value in zip(named, values)]
            out.append(f"{lead} — {' ; '.join(cells)}.")
        return out


def may_hold_table(plain_text: str) -> bool:
    """A cheap hint: lines that are, or end with, two figures (a table's cells)."""
    hits = sum(bool(NUMBER_LINE.match(line.strip()) or _ENDS_WITH_FIGURES.search(line))
               for line in plain_text.splitlines())
    return hits >= 3


def _cells(line: str) -> list[Cell]:
    # layout mode pads columns with runs of spaces; words of one cell are one space apart
    return [Cell(match.start(), match.group()) for match in re.finditer(r"\S+(?: {1,2}\S+)*", line)]


def _is_row(cells: list[Cell]) -> bool:
    return (len(cells) >= 3 and not NUMBER_LINE.match(cells[0].text)
            and all(NUMBER_LINE.match(c.text) for c in cells[1:]))


def _column_names(block: list[list[Cell]], starts: list[int]) -> list[str]:
    """Header cells given to the nearest column start, read top to bottom (a superscript « er »
    set on its own line goes after the fragment that follows it: « 1 » then « er »)."""
    parts: list[list[str]] = [[] for _ in starts]
    for cells in block:
        for cell in cells:
            column = min(range(len(starts)), key=lambda k: abs(starts[k] - cell.start))
            parts[column].append(cell.text)
    names = []
    for fragments in parts:
        for k in range(len(fragments) - 1):
            if _ORDINAL.match(fragments[k]) and fragments[k + 1][-1:].isdigit():
                fragments[k], fragments[k + 1] = fragments[k + 1], fragments[k]
        name = " ".join(fragments)
        names.append(re.sub(r"(\d) (er|re|e|ème)\b", r"\1\2", re.sub(r"\( ?en %\s?\)|\(en\s+%\)", "(en %)", name)))
    return names


def _header(lines: list[list[Cell]], first_row: int, starts: list[int]) -> list[str]:
    """The block of lines just above the first row, if its cells sit on the columns."""
    end = first_row
    while end > 0 and not lines[end - 1]:
        end -= 1
    begin = end
    while begin > 0 and lines[begin - 1] and end - begin < _MAX_HEADER_LINES:
        begin -= 1
    block = lines[begin:end]
    aligned = block and all(min(abs(s - c.start) for s in starts) <= 3 for cells in block for c in cells)
    return _column_names(block, starts) if aligned else [""] * len(starts)


def find_tables(layout_text: str) -> list[Table]:
    """Every run of two or more rows with the same number of values (a label, then figures)."""
    lines = [_cells(line) for line in layout_text.splitlines()]
    tables: list[Table] = []
    i = 0
    while i < len(lines):
        if not _is_row(lines[i]):
            i += 1
            continue
        width, first = len(lines[i]), i
        starts = [c.start for c in lines[i]]
        rows: list[tuple[str, list[str]]] = []
        while i < len(lines):
            cells = lines[i]
            if _is_row(cells) and len(cells) == width:
                rows.append((cells[0].text, [c.text for c in cells[1:]]))
            elif (rows and len(cells) == 1 and abs(cells[0].start - starts[0]) <= 2
                  and lines[i - 1] and cells[0].start + len(cells[0].text) < starts[1]):
                label, values = rows[-1]  # the label wraps onto the next line
                rows[-1] = (f"{label} {cells[0].text}", values)
            elif cells:
                break
            i += 1
        if len(rows) >= 2:
            tables.append(Table(_header(lines, first, starts), rows))
    return tables


def with_tables(plain_text: str, tables: list[Table]) -> str:
    """The page's plain text with each table's cells replaced by its row sentences (from its header,
    or first label, to its last figure); a table that cannot be found there is added at the end."""
    lines = plain_text.splitlines()
    for table in tables:
        span = _span(lines, table)
        if span is None:
            lines.extend(table.sentences())
        else:
            lines[span[0]:span[1]] = table.sentences()
    return "\n".join(lines)


def _is_cell(line: str) -> bool:
    return len(line.split()) <= _MAX_CELL_WORDS


def _line_of(lines: list[str], probe: str, start: int = 0) -> int:
    words = probe.split()[:2]
    for n in range(start, len(lines)):
        if words and _is_cell(lines[n]) and lines[n].split()[:len(words)] == words:
            return n
    return -1


def _span(lines: list[str], table: Table) -> tuple[int, int] | None:
    """Lines [start, end) of the plain text that hold the table, all of them short like cells."""
    start = _line_of(lines, table.header[0]) if table.header[0] else -1
    if start < 0:
        start = _line_of(lines, table.rows[0][0])
    last_label, last_values = table.rows[-1]
    end = _line_of(lines, last_label, max(start, 0))
    if start < 0 or end < 0:
        return None
    pending = list(last_values)  # the last row's figures, one or several per line
    while end < len(lines) and pending:
        for word in lines[end].split():
            if pending and word == pending[0]:
                pending.pop(0)
        end += 1
    if pending or not all(_is_cell(line) for line in lines[start:end]):
        return None
    return start, end

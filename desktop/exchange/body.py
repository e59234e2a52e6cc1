"""A report's body as plain blocks, written once and laid out by both the PDF and the Word writer.

The narrative (desktop.kinds.narrative) and the PAR analysis (desktop.kinds.par.analysis) produce
these; ``export.pdf`` and ``export.docx`` only lay them out. A paragraph is a list of
runs, each plain, bold or italic, the way the seed reports emphasise
"**81,45/95 điểm**" or "*Trách nhiệm thuộc về: …*".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Run:
    text: str
    bold: bool = False
    italic: bool = False


@dataclass
class Paragraph:
    runs: list[Run]
    kind: str = "body"  # body (justified, first-line indent) | heading (bold) | centred | note (screen only)

    @property
    def text(self) -> str:
        return "".join(r.text for r in self.runs)


@dataclass
class Table:
    head: list[list[str]]  # the header rows; an empty cell belongs to a neighbour (``head_cells``)
    rows: list[list[str]]
    widths: list[float]  # relative
    align: list[str] = field(default_factory=list)  # "left" | "centre" | "right" per column
    bold_rows: set[int] = field(default_factory=set)

    def head_cells(self) -> list[tuple[int, int, int, int, str]]:
        """(row, column, rowspan, colspan, text) of each header cell, merged as Excel merges a
        header that is pasted as text: an empty cell under a cell one column wide continues it
        down ("Tổng số hồ sơ tiếp nhận" over two rows), another empty cell continues the cell to its
        left ("Hồ sơ đã giải quyết" over "Số lượng | Tỷ lệ")."""
        cells: list[list] = []
        owner: dict[tuple[int, int], list] = {}
        for r, line in enumerate(self.head):
            for c in range(len(self.widths)):
                text = line[c] if c < len(line) else ""
                above = owner.get((r - 1, c))
                left = owner.get((r, c - 1))
                if not text and above is not None and above[3] == 1:
                    above[2] += 1
                    owner[(r, c)] = above
                elif not text and left is not None and left[0] == r:
                    left[3] += 1
                    owner[(r, c)] = left
                else:
                    cell = [r, c, 1, 1, text]
                    cells.append(cell)
                    owner[(r, c)] = cell
        return [tuple(cell) for cell in cells]


Block = Paragraph | Table
NOTE = "note"  # a remark for the clerk (a sheet's inconsistencies): shown on screen, never printed


def printed(blocks: list) -> list:
    """The blocks that go on paper: a note for the clerk stays on screen."""
    return [b for b in blocks if not (isinstance(b, Paragraph) and b.kind == NOTE)]


def para(text: str, kind: str = "body", bold: bool = False, italic: bool = False) -> Paragraph:
    return Paragraph([Run(text, bold, italic)], kind)


# "**trước ngày 12/8/2022**", "*qua Phòng Nội vụ huyện*": the emphasis the seeds print, typed the
# way e-mail and chat type it. A lone "*" ("* Trách nhiệm thuộc về") or "2*3" stays as typed.
_EMPHASIS = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*|(?<![*\w])\*(?=[^\s*])(.+?)(?<=[^\s*])\*(?![*\w])")


def runs_of(line: str) -> list[Run]:
    """A typed line as runs: ``**bold**`` and ``*italic*`` marked, the rest plain."""
    runs: list[Run] = []
    at = 0
    for match in _EMPHASIS.finditer(line):
        if match.start() > at:
            runs.append(Run(line[at:match.start()]))
        bold, italic = match.group(1), match.group(2)
        runs.append(Run(bold, bold=True) if bold is not None else Run(italic, italic=True))
        at = match.end()
    if at < len(line) or not runs:
        runs.append(Run(line[at:]))
    return runs


_FIGURE = re.compile(r"^[\d.,]+\s*%?$")


def typed_table(lines: list[str]) -> Table:
    """Lines of cells separated by tabs, as a table copied from Excel pastes: its first lines
    without a figure are its header (the first line at least), the rest its rows."""
    grid = [[cell.strip() for cell in line.split("\t")] for line in lines]
    width = max(len(line) for line in grid)
    while width > 1 and all(len(line) < width or not line[width - 1] for line in grid):
        width -= 1  # the empty cells Excel copies after the last column
    grid = [(line + [""] * width)[:width] for line in grid]
    with_figures = [i for i, line in enumerate(grid) if i and any(_FIGURE.match(cell) for cell in line)]
    heads = with_figures[0] if with_figures else 1  # no figures at all: the first line is the header
    head, rows = grid[:heads], grid[heads:]
    figures = [all(not row[c] or _FIGURE.match(row[c]) for row in rows) for c in range(width)]
    longest = [max([4] + [max((len(w) for w in line[c].split()), default=0) for line in grid]) for c in range(width)]
    return Table(head, rows, [float(n) for n in longest],
                 ["right" if figures[c] and rows else "left" for c in range(width)])


def text_blocks(text: str) -> list[Block]:
    """Typed text: one paragraph per line, its emphasis marked (``runs_of``); lines with tabs
    (a table pasted from Excel) a table (``typed_table``). A line that is a heading of its own
    ("1. Về …", "a) …") stays a body paragraph, as the decree lays body text out."""
    blocks: list[Block] = []
    table: list[str] = []
    for line in text.splitlines() + [""]:
        if "\t" in line.strip(" "):
            table.append(line)
            continue
        if table:
            blocks.append(typed_table(table))
            table = []
        if line.strip():
            blocks.append(Paragraph(runs_of(line.strip())))
    return blocks


__all__ = ["Block", "Paragraph", "Run", "Table", "para", "runs_of", "text_blocks", "typed_table"]

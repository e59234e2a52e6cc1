"""Rectangular blocks of cells as tab-separated text, the way Excel and LibreOffice copy them.

A block is rows joined by line breaks, cells by tabs.  A cell holding a tab, a
line break or a double quote is written in double quotes with inner quotes
doubled; both spreadsheets write and read it so.  A trailing line break (Excel
always adds one) does not make an extra row; ragged rows are padded with empty
cells so the block is a rectangle.
"""

from __future__ import annotations


def to_tsv(block: list[list[str]]) -> str:
    def quoted(text: str) -> str:
        if any(ch in text for ch in '\t\n\r"'):
            return '"' + text.replace('"', '""') + '"'
        return text

    return "".join("\t".join(quoted(cell) for cell in row) + "\n" for row in block)


def parse_tsv(text: str) -> list[list[str]]:
    """The rectangle of cell texts in ``text``; ``[]`` for empty text."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    rows: list[list[str]] = []
    row: list[str] = []
    cell: list[str] = []
    i, n = 0, len(text)
    at_cell_start = True
    while i < n:
        ch = text[i]
        if at_cell_start and ch == '"':
            # A quoted cell runs to the quote that is not doubled and is followed by a separator.
            j = i + 1
            content: list[str] = []
            closed = False
            while j < n:
                if text[j] == '"':
                    if j + 1 < n and text[j + 1] == '"':
                        content.append('"')
                        j += 2
                        continue
                    if j + 1 == n or text[j + 1] in "\t\n":
                        closed = True
                        j += 1
                        break
                content.append(text[j])
                j += 1
            if closed:
                cell = content
                i = j
                at_cell_start = False
                continue
            # An opening quote never closed: the text is taken as written.
        if ch == "\t":
            row.append("".join(cell))
            cell, at_cell_start = [], True
        elif ch == "\n":
            row.append("".join(cell))
            rows.append(row)
            row, cell, at_cell_start = [], [], True
        else:
            cell.append(ch)
            at_cell_start = False
        i += 1
    if cell or row or not at_cell_start:
        row.append("".join(cell))
        rows.append(row)
    width = max((len(r) for r in rows), default=0)
    return [r + [""] * (width - len(r)) for r in rows]

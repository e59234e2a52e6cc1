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
    header: list[str]
    rows: list[list[str]]
    widths: list[float]  # relative
    align: list[str] = field(default_factory=list)  # "left" | "centre" | "right" per column
    bold_rows: set[int] = field(default_factory=set)


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


def text_blocks(text: str) -> list[Paragraph]:
    """Typed text: one paragraph per line, its emphasis marked (``runs_of``); a line that is a
    heading of its own ("1. Về …", "a) …") stays a body paragraph, as the decree lays body text out."""
    return [Paragraph(runs_of(line.strip())) for line in text.splitlines() if line.strip()]


__all__ = ["Block", "Paragraph", "Run", "Table", "para", "runs_of", "text_blocks"]

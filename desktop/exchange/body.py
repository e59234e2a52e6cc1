"""A report's body as plain blocks, written once and laid out by both the PDF and the Word writer.

The narrative (desktop.kinds.narrative) and the PAR analysis (desktop.kinds.par.analysis) produce
these; ``export.pdf`` and ``export.docx`` only lay them out. A paragraph is a list of
runs, each plain, bold or italic, the way the seed reports emphasise
"**81,45/95 điểm**" or "*Trách nhiệm thuộc về: …*".
"""

from __future__ import annotations

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


def text_blocks(text: str) -> list[Paragraph]:
    """Typed text: one paragraph per line; a line that is a heading of its own ("1. Về …",
    "a) …") stays a body paragraph, as the decree lays body text out."""
    return [para(line.strip()) for line in text.splitlines() if line.strip()]


__all__ = ["Block", "Paragraph", "Run", "Table", "para", "text_blocks"]

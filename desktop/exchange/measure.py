"""How wide printed text is, in the fonts the report embeds (Liberation Serif): the annexes'
columns sized once, for the PDF and the workbook alike, so that a sheet prints as its PDF page.

Only reportlab's font metrics are loaded here, not its page layout: the workbook needs the one
and not the other.
"""

from __future__ import annotations

from reportlab.lib.fonts import addMapping
from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfbase.ttfonts import TTFont

from desktop.exchange.annex import Annex
from desktop.exchange.body import Table
from desktop.foundation.paths import resources_dir

FAMILY = "CCHCSerif"
MM = 72 / 25.4
# Nghị định 30/2020, Phụ lục I: 20–25 mm top and bottom, 30–35 mm on the binding side (left),
# 15–20 mm on the other; the same on a landscape annex page, which is bound with the report.
MARGINS = {  # left, right, top, bottom in mm
    "portrait": (30, 15, 20, 20),
    "landscape": (30, 15, 20, 20),
}
PAGES = {"portrait": A4, "landscape": landscape(A4)}


def frame_width(orientation: str) -> float:
    """The printable width of a page, in points, inside the decree's margins."""
    left, right, _, _ = MARGINS[orientation]
    return PAGES[orientation][0] - (left + right) * MM


_registered = False


def register_fonts() -> None:
    global _registered
    if _registered:
        return

    folder = resources_dir() / "fonts"
    faces = {"": "Regular", "-Bold": "Bold", "-Italic": "Italic", "-BoldItalic": "BoldItalic"}
    for suffix, face in faces.items():
        pdfmetrics.registerFont(TTFont(FAMILY + suffix, str(folder / f"LiberationSerif-{face}.ttf")))
    for bold, italic, suffix in ((0, 0, ""), (1, 0, "-Bold"), (0, 1, "-Italic"), (1, 1, "-BoldItalic")):
        addMapping(FAMILY, bold, italic, FAMILY + suffix)
    _registered = True


def face(bold: bool = False, italic: bool = False) -> str:
    return FAMILY + ("-BoldItalic" if bold and italic else "-Bold" if bold else "-Italic" if italic else "")


def font_size(annex: Annex) -> float:
    count = len(annex.columns)
    wide = annex.orientation == "landscape"
    if count <= (9 if wide else 6):
        return 11
    if count <= (13 if wide else 9):
        return 10
    return 9 if count <= 16 else 8


PADDING = 7  # a cell's left and right padding, and the grid lines, in points


def least_widths(annex: Annex, size: float) -> list[float]:
    """What each column cannot do with less: its longest header word (a word never splits:
    "UBND", not "UBN / D"), its column number on one line ("(9)=(10)+(11)"), its widest figure
    (numbers never wrap), and the STT column's longest code ("3.2.10")."""
    register_fonts()
    bold, italic, plain = face(bold=True), face(italic=True), face()
    least = [0.0] * len(annex.columns)
    for header in annex.header:
        if header.colspan == 1:
            words = header.text.split() or [""]
            least[header.col] = max(least[header.col], max(stringWidth(w, bold, size) for w in words))
    for i, label in enumerate(annex.number_row or []):
        least[i] = max(least[i], stringWidth(label or "", italic, size))
    for body in annex.rows:
        for i, cell in enumerate(body.cells):
            column = annex.columns[i]
            if column.kind == "row_code":
                least[i] = max(least[i], stringWidth(body.row.code or "", bold, size))
            elif cell.ctype.numeric and cell.text:
                least[i] = max(least[i], stringWidth(cell.text, bold if body.style in ("group", "total") else plain,
                                                     size))
    return [w + PADDING for w in least]


def column_widths(annex: Annex, width: float, size: float) -> list[float]:
    """The form's relative widths over the frame, each column at least what its content needs
    (``_least_widths``); what a narrow column takes comes from the columns that have room."""
    weights = annex.widths()
    # a text column nobody wrote in (7B's Ghi chú) keeps no more than its header needs: its share
    # goes to the figures' columns, whose headers wrap less (issue 18 §2)
    empty = [] if annex.blank else [
        i for i, column in enumerate(annex.columns)
        if column.kind == "data" and not column.ctype.numeric and not any(b.cells[i].text for b in annex.rows)]
    weights = [w if i not in empty else 0.0 for i, w in enumerate(weights)]
    return settled(weights, least_widths(annex, size), width)


def settled(weights: list[float], least: list[float], width: float) -> list[float]:
    """Widths over ``width`` in proportion to ``weights``, each at least its ``least``."""
    total = sum(weights) or 1.0
    widths = [width * w / total for w in weights]
    if sum(least) >= width:  # cannot all fit: each its share of the page, in proportion to its need
        return [width * w / sum(least) for w in least]
    for _ in range(len(widths)):  # raising one column may take another below its need: settle
        short = [i for i, w in enumerate(widths) if w < least[i] - 0.01]
        if not short:
            break
        need = sum(least[i] - widths[i] for i in short)
        room = {i: widths[i] - least[i] for i in range(len(widths)) if i not in short and widths[i] > least[i]}
        spare = sum(room.values())
        for i in short:
            widths[i] = least[i]
        for i, r in room.items():
            widths[i] -= need * r / spare
    return widths


def table_least_widths(block: Table, size: float = 12) -> list[float]:
    """A body table's columns at least as wide as a header word or a figure (never split)."""
    register_fonts()
    bold, plain = face(bold=True), face()
    least = [0.0] * len(block.widths)
    for _, c, _, colspan, text in block.head_cells():
        if colspan == 1:
            least[c] = max([least[c]] + [stringWidth(w, bold, size) for w in text.split()])
    for row in block.rows:
        for c, text in enumerate(row):
            pieces = [text] if block.align and block.align[c] == "right" else text.split()
            least[c] = max([least[c]] + [stringWidth(w, plain, size) for w in pieces])
    return [w + PADDING for w in least]


def wrapped_lines(text: str, width: float, size: float, bold: bool = False, italic: bool = False) -> int:
    """Lines ``text`` takes wrapped at words in ``width`` points (a word longer than the line on
    a line of its own, as a spreadsheet wraps), each paragraph of it on lines of its own."""
    register_fonts()
    font = face(bold, italic)
    space = stringWidth(" ", font, size)
    count = 0
    for paragraph in (text or "").split("\n"):
        lines, used = 1, 0.0
        for word in paragraph.split():
            need = stringWidth(word, font, size)
            if used and used + space + need > width:
                lines, used = lines + 1, need
            else:
                used += (space if used else 0) + need
        count += lines
    return max(1, count)


__all__ = ["FAMILY", "MARGINS", "MM", "PADDING", "PAGES", "column_widths", "face", "font_size", "frame_width",
           "least_widths", "register_fonts", "settled", "table_least_widths", "wrapped_lines"]

"""Where the text of a PDF stands: each page's lines with their height on the page, left edge,
size and weight, read back with pypdf as a reader's eye would meet them (issue 29 §4)."""

from __future__ import annotations

from dataclasses import dataclass, field

from pypdf import PdfReader


@dataclass
class Line:
    y: float  # points above the page's foot
    x: float  # points from the page's left edge, of the line's first piece
    size: float
    pieces: list[tuple[float, str, bool, bool]] = field(default_factory=list)  # (x, text, bold, italic)

    @property
    def text(self) -> str:
        return " ".join(text for _, text, _, _ in sorted(self.pieces)).strip()

    @property
    def bold(self) -> bool:
        return all(bold for _, text, bold, _ in self.pieces if text.strip())

    @property
    def italic(self) -> bool:
        return all(italic for _, text, _, italic in self.pieces if text.strip())


@dataclass
class Page:
    number: int  # from 1
    width: float
    height: float
    lines: list[Line]  # top to bottom


def _font_of(font_dict) -> str:
    return str(font_dict.get("/BaseFont", "")) if font_dict else ""


def pages(source) -> list[Page]:
    reader = source if isinstance(source, PdfReader) else PdfReader(source)
    out = []
    for number, page in enumerate(reader.pages, 1):
        pieces: list[tuple[float, float, float, str, str]] = []

        def visit(text, cm, tm, font_dict, size, pieces=pieces):
            if not text.strip():
                return
            # the text matrix placed by the current transformation: where the piece starts
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            scale = (tm[0] ** 2 + tm[1] ** 2) ** 0.5 * (cm[0] ** 2 + cm[1] ** 2) ** 0.5
            pieces.append((y, x, size * scale, text, _font_of(font_dict)))

        page.extract_text(visitor_text=visit)
        lines: list[Line] = []
        for y, x, size, text, font in sorted(pieces, key=lambda p: (-p[0], p[1])):
            for text_line in text.split("\n"):
                if not text_line.strip():
                    continue
                if lines and abs(lines[-1].y - y) < 1.5:
                    line = lines[-1]
                else:
                    line = Line(y, x, size)
                    lines.append(line)
                line.x = min(line.x, x)
                line.size = max(line.size, size)
                line.pieces.append((x, text_line, "Bold" in font, "Italic" in font))
        box = page.mediabox
        out.append(Page(number, float(box.width), float(box.height), lines))
    return out


@dataclass
class TableOnPage:
    """One table's part on one page: its rows (the bands between its rules), top to bottom, each
    as the text printed in it."""
    page: int
    top: float
    bottom: float
    rows: list[str]


def _apply(cm, x: float, y: float) -> tuple[float, float]:
    return x * cm[0] + y * cm[2] + cm[4], x * cm[1] + y * cm[3] + cm[5]


def _segments(page) -> list[tuple[tuple[float, float], tuple[float, float]]]:
    segments, at = [], [None]

    def before(operator, args, cm, tm):
        if operator == b"m":
            at[0] = _apply(cm, float(args[0]), float(args[1]))
        elif operator == b"l" and at[0] is not None:
            end = _apply(cm, float(args[0]), float(args[1]))
            segments.append((at[0], end))
            at[0] = end

    page.extract_text(visitor_operand_before=before)
    return segments


def tables(source) -> list[TableOnPage]:
    """Every ruled table's part on every page, read from the rules drawn: a table's outer left
    rule gives its height on the page, its full-width rules its rows, the text between them
    each row's content."""
    reader = source if isinstance(source, PdfReader) else PdfReader(source)
    out = []
    for number, (page, laid) in enumerate(zip(reader.pages, pages(reader)), 1):
        segments = _segments(page)
        across = [(round(min(a[0], b[0]), 1), round(max(a[0], b[0]), 1), a[1]) for a, b in segments
                  if abs(a[1] - b[1]) < 0.01 and abs(a[0] - b[0]) > 1]
        down = [(a[0], min(a[1], b[1]), max(a[1], b[1])) for a, b in segments
                if abs(a[0] - b[0]) < 0.01 and abs(a[1] - b[1]) > 1]
        # a table's full width: a rule that no longer rule contains (a header's partial rules lie inside it)
        extents = {(x0, x1) for x0, x1, _ in across}
        widest = {e for e in extents if not any(o != e and o[0] <= e[0] and e[1] <= o[1] for o in extents)}
        for x0, x1 in sorted(widest):
            spans = sorted((low, high) for x, low, high in down if abs(x - x0) < 0.6)
            merged: list[list[float]] = []
            for low, high in spans:
                if merged and low <= merged[-1][1] + 0.6:
                    merged[-1][1] = max(merged[-1][1], high)
                else:
                    merged.append([low, high])
            for low, high in merged:
                rules = sorted({round(y, 1) for a, b, y in across if (a, b) == (x0, x1) and low - 0.6 <= y <= high + 0.6},
                               reverse=True)
                rows = []
                for upper, lower in zip(rules, rules[1:]):
                    rows.append(" ".join(line.text for line in laid.lines
                                         if lower < line.y < upper and x0 - 1 <= line.x <= x1))
                out.append(TableOnPage(number, high, low, rows))
    return out


def rows_per_page(parts: list[TableOnPage]) -> list[tuple[int, int, int]]:
    """For each table that runs over pages, (page, body rows on it, header rows): a part whose
    first rows repeat the previous page's last part's first rows continues it under its header."""
    found = []
    for before, part in zip(parts, parts[1:]):
        if part.page != before.page + 1:
            continue
        header = 0
        while header < min(len(before.rows), len(part.rows)) and before.rows[header] == part.rows[header]:
            header += 1
        if header == 0:
            continue
        found.append((before.page, len(before.rows) - header, header))
        found.append((part.page, len(part.rows) - header, header))
    return found

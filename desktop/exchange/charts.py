"""The key figures' trend charts in print (issue 19 §2): reportlab vector drawings, the report's
own embedded font, black on white (the current period a filled square, the others hollow
circles), so that they photocopy and fax as they print.

Drawn from the trends ``desktop.app.picture.trends`` computes (the caller passes them: data
flows from the app down to the exports, not back); the window draws the same data with QPainter
(``desktop/ui/charts.py``).
"""

from __future__ import annotations

from decimal import Decimal

from reportlab.graphics.shapes import Circle, Drawing, Group, Line, PolyLine, Rect, String
from reportlab.lib.colors import black, white
from reportlab.lib.colors import Color
from reportlab.pdfbase.pdfmetrics import stringWidth

from desktop.foundation.values import format_figure

GRID = Color(0.7, 0.7, 0.7)
TITLE_SIZE, LABEL_SIZE = 11, 9


def scale_of(figure, values: list[Decimal]) -> tuple[Decimal, Decimal]:
    """The value axis: 0–100 for a percentage (so that 97% does not look like a fall from 99%),
    the data's range otherwise, from 0 when the data sit well above it."""
    low, high = min(values), max(values)
    if figure.percent:
        return min(low, Decimal(0)), max(high, Decimal(100))
    if low == high:
        return low - 1, high + 1
    if 0 < low < high / 3:
        low = Decimal(0)
    return low, high


def labelled(points) -> list[int]:
    """The periods an axis names: the first, the last and the current one (the others crowd it)."""
    return sorted({0, len(points) - 1} | {n for n, p in enumerate(points) if p.current})


def trend_drawing(trend, width: float, height: float, font: str) -> Drawing:
    """One key figure over the periods, ``width`` × ``height`` points."""
    drawing = Drawing(width, height)
    drawing.add(trend_group(trend, width, height, font))
    return drawing


def trend_group(trend, width: float, height: float, font: str) -> Group:
    """The shapes of one chart, its origin at the bottom left (to be placed in a row)."""
    drawing = Group()
    figure, points = trend.figure, trend.points
    current = next((p for p in points if p.current), None)
    title = figure.label + (f": {format_figure(current.value, figure.percent)}" if current else "")
    if stringWidth(title, font, TITLE_SIZE) > width:
        while len(title) > 1 and stringWidth(title + "…", font, TITLE_SIZE) > width:
            title = title[:-1]
        title = title.rstrip() + "…"
    drawing.add(String(0, height - TITLE_SIZE, title, fontName=font, fontSize=TITLE_SIZE, fillColor=black))
    plotted = [(n, p.value) for n, p in enumerate(points) if p.value is not None]
    left, bottom = 46.0, 16.0
    top = height - TITLE_SIZE - 8
    right = width - 6
    if not plotted:
        drawing.add(String((left + right) / 2, (bottom + top) / 2, "Chưa có số liệu", fontName=font,
                           fontSize=LABEL_SIZE, textAnchor="middle"))
        return drawing
    low, high = scale_of(figure, [v for _, v in plotted])
    span = float(high - low) or 1.0

    def x_of(position: int) -> float:
        return left + (right - left) * position / (len(points) - 1) if len(points) > 1 else (left + right) / 2

    def y_of(value: Decimal) -> float:
        return bottom + (top - bottom) * float(value - low) / span

    for value in (low, high):
        y = y_of(value)
        drawing.add(Line(left, y, right, y, strokeColor=GRID, strokeWidth=0.5))
        drawing.add(String(left - 4, y - LABEL_SIZE / 3, format_figure(value, figure.percent), fontName=font,
                           fontSize=LABEL_SIZE, textAnchor="end"))
    drawing.add(PolyLine([c for n, v in plotted for c in (x_of(n), y_of(v))], strokeColor=black, strokeWidth=1.5))
    for n, value in plotted:
        if points[n].current:
            drawing.add(Rect(x_of(n) - 3, y_of(value) - 3, 6, 6, fillColor=black, strokeColor=black))
        else:
            drawing.add(Circle(x_of(n), y_of(value), 2.2, fillColor=white, strokeColor=black, strokeWidth=1))
    for n in labelled(points):
        text = points[n].period
        half = stringWidth(text, font, LABEL_SIZE) / 2
        x = min(max(x_of(n), half), width - half)
        drawing.add(String(x, 2, text, fontName=font, fontSize=LABEL_SIZE, textAnchor="middle"))
    return drawing


def chart_grid(trends: list, width: float, font: str, per_row: int = 2, height: float = 150) -> list[Drawing]:
    """The trends as drawings of one row each (``per_row`` charts side by side)."""
    rows = []
    gap = 18.0
    chart_width = (width - gap * (per_row - 1)) / per_row
    for start in range(0, len(trends), per_row):
        row = Drawing(width, height)
        for n, trend in enumerate(trends[start:start + per_row]):
            chart = trend_group(trend, chart_width, height - 10, font)
            chart.translate(n * (chart_width + gap), 10)
            row.add(chart)
        rows.append(row)
    return rows


__all__ = ["chart_grid", "labelled", "scale_of", "trend_drawing", "trend_group"]

"""The picture of a report on screen (issue 19 §2): a small trend chart per key figure, and for a
district or province, its units this period ranked. Painted with Qt's own QPainter: no charting
library to ship (QtCharts alone would add about 5 MB to the installer and load at first use).

Data comes from ``desktop.app.picture``; this module only draws it and opens what is clicked.
"""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPen
from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QGridLayout, QHeaderView, QLabel, QTableWidget,
                               QTableWidgetItem, QVBoxLayout, QWidget)

from desktop.app.picture import overview, ranked_by, trends
from desktop.exchange.charts import labelled, scale_of
from desktop.foundation.messages import msg
from desktop.foundation.values import format_figure

INK = QColor(30, 30, 30)
GRID = QColor(200, 200, 200)
MARK = QColor(160, 30, 30)


class TrendChart(QWidget):
    """One key figure over the unit's periods: a line through the periods with a report, the
    current one marked; legible in black and white (the mark is a filled square, not a colour)."""

    def __init__(self, trend, parent=None) -> None:
        super().__init__(parent)
        self.trend = trend
        self.setMinimumSize(260, 140)
        points = trend.points
        current = next((p for p in points if p.current), points[-1] if points else None)
        self.setToolTip("\n".join(f"{p.period}: {format_figure(p.value, trend.figure.percent)}" for p in points))
        self.setAccessibleName(f"{trend.figure.label}: "
                               f"{format_figure(current.value if current else None, trend.figure.percent)}")

    def sizeHint(self) -> QSize:
        return QSize(320, 160)

    def plotted(self) -> list[tuple[int, Decimal]]:
        """(position, value) of the points that have a value: what the line joins."""
        return [(n, p.value) for n, p in enumerate(self.trend.points) if p.value is not None]

    def paintEvent(self, _event) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.Antialiasing)
        figure, points = self.trend.figure, self.trend.points
        rect = self.rect().adjusted(6, 4, -6, -4)
        title = QFont(self.font())
        title.setBold(True)
        painter.setFont(title)
        painter.setPen(INK)
        current = next((p for p in points if p.current), None)
        heading = figure.label + (f": {format_figure(current.value, figure.percent)}" if current else "")
        painter.drawText(QRectF(rect.left(), rect.top(), rect.width(), 18), Qt.AlignLeft | Qt.AlignVCenter,
                         painter.fontMetrics().elidedText(heading, Qt.ElideRight, rect.width()))
        painter.setFont(self.font())
        metrics = painter.fontMetrics()
        plotted = self.plotted()
        area = QRectF(rect.left() + 52, rect.top() + 24, rect.width() - 60, rect.height() - 24 - 20)
        if not plotted:
            painter.drawText(area, Qt.AlignCenter, "Chưa có số liệu")
            return
        low, high = scale_of(figure, [v for _, v in plotted])  # the printed charts' axis too
        span = high - low or Decimal(1)

        def at(position: int, value: Decimal) -> QPointF:
            x = area.left() + (area.width() * position / max(1, len(points) - 1) if len(points) > 1 else area.width() / 2)
            y = area.bottom() - float((value - low) / span) * area.height()
            return QPointF(x, y)

        painter.setPen(QPen(GRID, 1))
        for value in (low, high):
            y = at(0, value).y()
            painter.drawLine(QPointF(area.left(), y), QPointF(area.right(), y))
            painter.setPen(INK)
            painter.drawText(QRectF(rect.left(), y - 8, 48, 16), Qt.AlignRight | Qt.AlignVCenter,
                             format_figure(value, figure.percent))
            painter.setPen(QPen(GRID, 1))
        painter.setPen(QPen(INK, 2))
        for (a, va), (b, vb) in zip(plotted, plotted[1:]):
            painter.drawLine(at(a, va), at(b, vb))
        for position, value in plotted:
            point = at(position, value)
            if points[position].current:
                painter.fillRect(QRectF(point.x() - 4, point.y() - 4, 8, 8), MARK)
            else:
                painter.setBrush(Qt.white)
                painter.drawEllipse(point, 3, 3)
        painter.setPen(INK)
        for n in labelled(points):  # the printed charts name the same periods
            text = points[n].period
            width = metrics.horizontalAdvance(text)
            x = at(n, low).x()
            left = min(max(rect.left(), x - width / 2), rect.right() - width)
            painter.drawText(QRectF(left, area.bottom() + 4, width + 2, 16), Qt.AlignLeft, text)


class PictureDialog(QDialog):
    """Trends of the open report's key figures; for a district or province, its units this period."""

    def __init__(self, window, data, trends: list, units: list, ranked_by) -> None:
        """``window``: the main window, whose ``open_report`` a double-click calls; ``data``: the report's."""
        super().__init__(window)
        self.window_ = window
        self.data = data
        self.units = units
        self.setWindowTitle(f"Xu hướng và tổng quan – {data.unit.name}, {data.period.label}")
        layout = QVBoxLayout(self)
        charts = QGridLayout()
        self.charts = [TrendChart(trend) for trend in trends]
        for n, chart in enumerate(self.charts):
            charts.addWidget(chart, n // 2, n % 2)
        if self.charts:
            layout.addWidget(QLabel(f"<b>Các chỉ số chính qua {len(trends[0].points)} kỳ gần nhất</b> "
                                    "(ô vuông: kỳ này; di chuột lên biểu đồ để xem từng kỳ)"))
            layout.addLayout(charts)
            if trends[0].merged_from:
                layout.addWidget(QLabel(msg("HIST002", units=", ".join(trends[0].merged_from))))
        else:
            layout.addWidget(QLabel("Bộ biểu mẫu của báo cáo này không khai báo chỉ số chính."))
        self.table = None
        if units:
            states: dict[str, int] = {}
            for unit in units:
                states[unit.state_label] = states.get(unit.state_label, 0) + 1
            unusual = sum(1 for u in units if u.unusual)
            layout.addWidget(QLabel(f"<b>{len(units)} đơn vị kỳ này</b>: "
                                    + " · ".join(f"{label}: {n}" for label, n in states.items())
                                    + f" · Số liệu khác thường: {unusual}"))
            figures = [f for f in data.form_set.key_figures if f.form == data.form_set.key_figures[0].form]
            headers = ["Hạng", "Đơn vị", "Tình trạng"] + [f.label for f in figures] + ["Khác thường"]
            self.table = QTableWidget(len(units), len(headers))
            self.table.setHorizontalHeaderLabels(headers)
            self.table.verticalHeader().hide()
            self.table.setEditTriggers(QTableWidget.NoEditTriggers)
            self.table.setSelectionBehavior(QTableWidget.SelectRows)
            ordered = sorted(units, key=lambda u: (u.rank is None, u.rank or 0))
            for r, unit in enumerate(ordered):
                cells = [str(unit.rank) if unit.rank else "", unit.name, unit.state_label]
                cells += [format_figure(unit.values.get(f.id), f.percent) for f in figures]
                cells.append(f"{len(unit.unusual)}" if unit.unusual else "")
                for c, text in enumerate(cells):
                    item = QTableWidgetItem(text)
                    if c == 0 or 3 <= c:
                        item.setTextAlignment(Qt.AlignRight | Qt.AlignVCenter)
                    if unit.unusual:
                        item.setToolTip("\n".join(unit.unusual))
                    item.setData(Qt.UserRole, unit.code)
                    self.table.setItem(r, c, item)
                if unit.unusual:
                    for c in range(len(cells)):
                        self.table.item(r, c).setForeground(MARK)
            self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeToContents)
            self.table.horizontalHeader().setStretchLastSection(True)
            self.table.setWordWrap(False)
            self.table.itemActivated.connect(self._open_unit)
            self.table.itemDoubleClicked.connect(self._open_unit)
            layout.addWidget(QLabel("Nhấp đúp một đơn vị để mở báo cáo của đơn vị đó (hoặc dòng của đơn vị trong "
                                    "biểu tổng hợp)" + (f"; xếp hạng theo “{ranked_by.label}”." if ranked_by else ".")))
            layout.addWidget(self.table, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.Close)
        buttons.button(QDialogButtonBox.Close).setText("Đóng")
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(760, 640 if units else 420)

    def _open_unit(self, item: QTableWidgetItem) -> None:
        """The unit's own report when this database holds it; else its row in the consolidated form."""
        unit = next(u for u in self.units if u.code == item.data(Qt.UserRole))
        window = self.window_
        if unit.report_id is not None:
            window.open_report(unit.report_id)
        else:
            form = self.data.form_set.key_figures[0].form
            window.open_report(window.session.report_id, form)
            window.go_to_cell(form, unit.row_id, None)
        self.accept()


def show_picture(window) -> None:
    """Xu hướng và tổng quan: the open report's key figures over time and, for a district or
    province, its units this period (desktop.app.picture), computed as other long work is."""
    session = window.session
    if session is None:
        return
    found = window.perform(lambda: (trends(window.store, window.catalog, session.report_id),
                                    overview(session.data, session.findings()), ranked_by(session.data)))
    if isinstance(found, Exception):
        return
    PictureDialog(window, session.data, *found).exec()

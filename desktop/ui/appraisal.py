"""The appraisal screen (thẩm định): the level above's view of its units' PAR self-assessments.

Above, the units ranked: each one's own result (tự đánh giá) beside the appraised one
(thẩm định), points, index and rating. Below, the chosen unit's sheet as it was
received, criterion by criterion: the maximum, the unit's score, its explanation and
evidence files; the reviewer types the appraised score and a comment. Every edit goes
through ``kinds.par.appraisal.appraise`` via the window's ``perform``; a refused value
is said and the cell shows what is stored again. The screen only reads the core's
``appraisal()`` result: it holds no copy of the data.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (QAbstractItemView, QHeaderView, QLabel, QSplitter, QTableWidget, QTableWidgetItem,
                               QVBoxLayout, QWidget)

from desktop.foundation.messages import CchcError
from desktop.foundation.values import format_points
from desktop.kinds.par.appraisal import UnitAppraisal, appraisal, appraise

RANKING = ("Hạng", "Đơn vị", "Tự đánh giá", "Chỉ số", "Xếp loại", "Thẩm định", "Chỉ số", "Xếp loại", "Bản")
RANKING_TIPS = ("", "", "Điểm đơn vị tự chấm / điểm tối đa", "Chỉ số CCHC theo điểm tự chấm", "",
                "Điểm sau thẩm định / điểm tối đa", "Chỉ số CCHC sau thẩm định", "", "Phiên bản bảng điểm đã nhận")
DETAIL = ("Mã", "Tiêu chí", "Tối đa", "Tự chấm", "Thẩm định", "Nhận xét thẩm định", "Giải trình của đơn vị",
          "Tài liệu kiểm chứng")
SCORE_COLUMN, COMMENT_COLUMN = 4, 5  # what the reviewer types, beside the unit's own score
CHANGED = QColor("#fff3cd")  # an appraised score that differs from the unit's own


def _item(text: str, editable: bool = False, right: bool = False) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    flags = Qt.ItemIsSelectable | Qt.ItemIsEnabled
    item.setFlags(flags | Qt.ItemIsEditable if editable else flags)
    if right:
        item.setTextAlignment(Qt.AlignRight | Qt.AlignVCenter)
    return item


class AppraisalPage(QWidget):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.window = None
        self.units: list[UnitAppraisal] = []
        self.unit_code: str | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        self.title = QLabel()
        self.title.setAlignment(Qt.AlignCenter)
        self.title.setStyleSheet("font-weight: bold;")
        self.ranking = QTableWidget(0, len(RANKING))
        self.ranking.setObjectName("ranking")
        self.ranking.setHorizontalHeaderLabels(RANKING)
        self.ranking.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.ranking.setSelectionMode(QAbstractItemView.SingleSelection)
        self.ranking.verticalHeader().hide()
        self.ranking.verticalHeader().setDefaultSectionSize(22)
        self.ranking.setEditTriggers(QAbstractItemView.NoEditTriggers)
        for column, tip in enumerate(RANKING_TIPS):
            self.ranking.horizontalHeaderItem(column).setToolTip(tip)
        for column, width in enumerate((44, 180, 84, 62, 78, 84, 62, 78, 40)):
            self.ranking.setColumnWidth(column, width)
        self.ranking.horizontalHeader().setSectionResizeMode(1, QHeaderView.Stretch)
        self.ranking.currentCellChanged.connect(lambda row, *_: self._choose(row))
        self.unit_title = QLabel()
        self.detail = QTableWidget(0, len(DETAIL))
        self.detail.setObjectName("appraisal")
        self.detail.setHorizontalHeaderLabels(DETAIL)
        self.detail.verticalHeader().hide()
        self.detail.verticalHeader().setDefaultSectionSize(22)
        self.detail.setWordWrap(False)
        for column, width in enumerate((48, 270, 50, 60, 70, 200, 200, 160)):
            self.detail.setColumnWidth(column, width)
        self.detail.horizontalHeader().setStretchLastSection(True)
        self.detail.itemChanged.connect(self._edited)
        below = QWidget()
        below_layout = QVBoxLayout(below)
        below_layout.setContentsMargins(0, 0, 0, 0)
        below_layout.addWidget(self.unit_title)
        below_layout.addWidget(self.detail, 1)
        split = QSplitter(Qt.Vertical)
        split.addWidget(self.ranking)
        split.addWidget(below)
        split.setSizes([200, 440])
        layout.addWidget(self.title)
        layout.addWidget(split, 1)

    # --- reading ------------------------------------------------------------------------

    def show_report(self, window) -> None:
        self.window = window
        data = window.session.data
        self.title.setText(f"Thẩm định bảng tự chấm điểm Chỉ số CCHC của các đơn vị – {data.unit.name}, "
                           f"{data.period.label}")
        self.reload()

    def reload(self) -> None:
        session = self.window.session
        units = self.window.perform(lambda: appraisal(self.window.store, self.window.catalog, session.report_id))
        if isinstance(units, Exception):
            return
        self.units = units
        self.ranking.blockSignals(True)
        self.ranking.setRowCount(len(units))
        chosen = 0
        for r, unit in enumerate(units):
            own, done = unit.own, unit.appraised
            cells = [str(unit.rank or "–"), unit.name]
            if unit.received:
                cells += [f"{format_points(own.achieved)}/{format_points(own.maximum)}", format_points(own.index, 2),
                          own.rating, f"{format_points(done.achieved)}/{format_points(done.maximum)}",
                          format_points(done.index, 2), done.rating, str(unit.version)]
            else:
                cells += ["chưa nhận", "", "", "", "", "", ""]
            for c, text in enumerate(cells):
                self.ranking.setItem(r, c, _item(text, right=c not in (1, 4, 7)))
            if unit.code == self.unit_code:
                chosen = r
        self.ranking.blockSignals(False)
        if units:
            self.ranking.setCurrentCell(chosen, 1)
            self._choose(chosen)

    def _choose(self, row: int) -> None:
        if not 0 <= row < len(self.units):
            return
        unit = self.units[row]
        self.unit_code = unit.code
        locked = self.window.session.locked
        self.unit_title.setText(f"<b>{unit.name}</b>" + ("" if unit.received else ": chưa nhận bảng tự chấm điểm"))
        self.detail.blockSignals(True)
        self.detail.setRowCount(len(unit.lines))
        bold = QFont()
        bold.setBold(True)
        for r, line in enumerate(unit.lines):
            cells = [line.code, "    " * line.depth + line.title, format_points(line.maximum),
                     format_points(line.own, empty=""), format_points(line.appraised, empty=""), line.comment,
                     line.explanation, ", ".join(line.evidence)]
            for c, text in enumerate(cells):
                item = _item(text, editable=c in (SCORE_COLUMN, COMMENT_COLUMN) and not locked,
                             right=c in (2, 3, SCORE_COLUMN))
                if line.depth == 0:
                    item.setFont(bold)
                if c == SCORE_COLUMN and line.appraised is not None and line.appraised != line.own:
                    item.setBackground(QBrush(CHANGED))
                if c in (COMMENT_COLUMN, 6, 7) and text:
                    item.setToolTip(text)
                self.detail.setItem(r, c, item)
        self.detail.blockSignals(False)

    # --- typing -------------------------------------------------------------------------

    def _edited(self, item: QTableWidgetItem) -> None:
        unit = next((u for u in self.units if u.code == self.unit_code), None)
        if unit is None or item.column() not in (SCORE_COLUMN, COMMENT_COLUMN):
            return
        code = unit.lines[item.row()].code
        entry = (code, item.text(), None) if item.column() == SCORE_COLUMN else (code, None, item.text())
        window = self.window
        outcome = window.perform(lambda: appraise(window.store, window.catalog, window.session.report_id, unit.code,
                                                  [entry]))
        if not isinstance(outcome, CchcError) and outcome:
            window.say(f"Đã lưu kết quả thẩm định tiêu chí {code} của {unit.name}.")
        self.reload()  # the ranking moves; a refused value shows what is stored again


__all__ = ["AppraisalPage"]

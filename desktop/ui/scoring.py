"""The scoring screen of a PAR scoring sheet: criteria as rows, points typed like cells.

A thin ``QAbstractTableModel`` over the core's ``Scorecard`` (napari's pattern): every
edit goes to ``ReportSession.enter_scores`` through the window's ``perform``, and the
model re-reads the scorecard the change produced. Rows are the criteria in order
(areas bold); the columns: code, title, maximum, applies, points typed, points achieved
(what the index counts), reason, responsible office.
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (QAbstractItemView, QHBoxLayout, QHeaderView, QLabel, QLineEdit, QTableView,
                               QVBoxLayout, QWidget)

from desktop.exchange.annex import fill, placeholders
from desktop.foundation.messages import CchcError
from desktop.kinds.par.sheet import APPLIES, EXPLANATION, INDEX, OFFICE, RATING, REASON, SCORE, TOTAL_ROW
from desktop.kinds.par.sheet import FORM_CODE as SHEET_FORM
from desktop.foundation.values import format_number, format_points

COLUMNS = [("code", "Mã"), ("title", "Tiêu chí"), ("max", "Tối đa"), (APPLIES, "Áp dụng"), (SCORE, "Điểm chấm"),
           ("achieved", "Điểm đạt"), (REASON, "Nguyên nhân mất điểm"), (OFFICE, "Trách nhiệm thuộc về"),
           (EXPLANATION, "Giải trình"), ("evidence", "Minh chứng")]
EDITABLE = {APPLIES, SCORE, REASON, OFFICE, EXPLANATION}
ERROR, WARNING = QColor("#f8d7da"), QColor("#fff3cd")


class ScoringModel(QAbstractTableModel):
    refused = Signal(QModelIndex, str)

    def __init__(self, window) -> None:
        super().__init__()
        self.window = window
        self.card = None
        self.nodes = []
        self.reload()

    def reload(self) -> None:
        self.beginResetModel()
        self.card = self.window.session.scorecard()
        self.nodes = [node for area in self.card.areas for node in area.walk()]
        self.findings = {}
        for finding in self.card.findings:
            self.findings.setdefault((finding.row_id, finding.column_id), []).append(finding)
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.nodes)

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section, orientation, role=Qt.DisplayRole):
        if orientation == Qt.Horizontal and role == Qt.DisplayRole:
            return COLUMNS[section][1]
        return None

    def _text(self, node, key: str) -> str:
        c = node.criterion
        if key == "code":
            return c.code
        if key == "title":
            return ("    " * c.depth) + c.title
        if key == "max":
            return format_points(c.maximum)
        if key == APPLIES:
            return "" if node.applicable else "Không"
        if key == SCORE:
            return "" if node.entered is None else format_number(node.entered)
        if key == "achieved":
            return "" if not node.applicable else format_points(node.achieved) if node.achieved is not None else ""
        if key == EXPLANATION:
            return node.explanation
        if key == "evidence":
            files = self.window.session.attachments_of(SHEET_FORM, node.code)
            return f"{len(files)} tệp" if files else ""
        return node.reason if key == REASON else node.office

    def data(self, index: QModelIndex, role=Qt.DisplayRole):
        if not index.isValid():
            return None
        node = self.nodes[index.row()]
        key = COLUMNS[index.column()][0]
        if role in (Qt.DisplayRole, Qt.EditRole):
            return self._text(node, key)
        if role == Qt.CheckStateRole and key == APPLIES and node.criterion.optional:
            return Qt.Checked if node.applicable else Qt.Unchecked
        if role == Qt.FontRole and node.criterion.depth == 0:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.TextAlignmentRole and key in ("max", SCORE, "achieved"):
            return int(Qt.AlignRight | Qt.AlignVCenter)
        if role == Qt.BackgroundRole:
            found = self.findings.get((node.code, key if key != "achieved" else SCORE), [])
            if found:
                return QBrush(ERROR if any(f.severity == "error" for f in found) else WARNING)
            if not node.applicable:
                return QBrush(QColor("#eeeeee"))
        if role == Qt.ToolTipRole:
            found = self.findings.get((node.code, key), [])
            if found:
                return "\n".join(f.message for f in found)
            if key == APPLIES and node.criterion.optional:
                return f"Không áp dụng khi: {node.criterion.optional}"
            if key == "achieved" and node.computed is not None:
                return f"Tính từ số liệu báo cáo: {node.computed.explanation}"
            if key == "title":
                return node.criterion.title
            if key == "evidence":
                return "\n".join(a.filename for a in self.window.session.attachments_of(SHEET_FORM, node.code)) \
                    or "Kéo thả tệp vào đây hoặc Sửa → Đính kèm minh chứng"
            if key == EXPLANATION and node.explanation:
                return node.explanation
        return None

    def flags(self, index: QModelIndex):
        base = Qt.ItemIsEnabled | Qt.ItemIsSelectable
        key = COLUMNS[index.column()][0]
        node = self.nodes[index.row()]
        if self.window.session.locked or key not in EDITABLE:
            return base
        if key == APPLIES:
            return base | Qt.ItemIsUserCheckable if node.criterion.optional else base
        return base | Qt.ItemIsEditable

    def setData(self, index: QModelIndex, value, role=Qt.EditRole) -> bool:
        node = self.nodes[index.row()]
        key = COLUMNS[index.column()][0]
        if role == Qt.CheckStateRole and key == APPLIES:
            text = "Có" if Qt.CheckState(value) == Qt.Checked else "Không"
        elif role == Qt.EditRole:
            text = str(value)
        else:
            return False
        outcome = self.window.perform(lambda: self.window.session.enter_scores([(node.code, key, text)]),
                                      quiet=True)
        if isinstance(outcome, CchcError):
            self.refused.emit(index, str(outcome))
            return False
        return True


class ScoringPage(QWidget):
    """The sheet's table, with the totals it computes and what the printed sheet states beside them."""

    typed = Signal(str, str)  # column of the "tong" row, text

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        self.title = QLabel()
        self.title.setAlignment(Qt.AlignCenter)
        self.title.setStyleSheet("font-weight: bold;")
        self.summary = QLabel()
        self.summary.setStyleSheet("font-size: 11pt;")
        bar = QHBoxLayout()
        bar.addWidget(self.summary, 1)
        self.fields = {}
        for column, label in ((SCORE, "Tổng điểm ghi trên báo cáo"), (INDEX, "Chỉ số ghi"), (RATING, "Xếp loại ghi")):
            bar.addWidget(QLabel(label + ":"))
            field = QLineEdit()
            field.setMaximumWidth(90)
            field.setObjectName(f"typed_{column}")
            field.editingFinished.connect(lambda column=column, field=field: self.typed.emit(column, field.text()))
            bar.addWidget(field)
            self.fields[column] = field
        self.table = QTableView()
        self.table.setObjectName("scoring")
        self.table.setSelectionMode(QAbstractItemView.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.DoubleClicked | QAbstractItemView.EditKeyPressed
                                   | QAbstractItemView.AnyKeyPressed)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        layout.addWidget(self.title)
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)
        self.model: ScoringModel | None = None

    def show_report(self, window) -> None:
        if self.model is None or self.model.window is not window:
            self.model = ScoringModel(window)
            self.model.refused.connect(lambda _index, text: window.say(text, warning=True))
            self.table.setModel(self.model)
            header = self.table.horizontalHeader()
            header.setSectionResizeMode(QHeaderView.Interactive)
            for column, width in enumerate((52, 380, 56, 64, 80, 72, 240, 200, 240, 80)):
                self.table.setColumnWidth(column, width)
        else:
            self.model.reload()
        self.title.setText(fill(window.session.criteria.title, placeholders(window.session.data)))
        self.refresh_summary()

    def current_code(self) -> str | None:
        """The criterion selected in the table."""
        index = self.table.currentIndex()
        return self.model.nodes[index.row()].code if self.model is not None and index.isValid() else None

    def refresh_summary(self) -> None:
        card = self.model.card
        self.summary.setText(f"Đạt {format_points(card.achieved)}/{format_points(card.maximum)} điểm · Chỉ số CCHC "
                             f"<b>{format_points(card.index, 2)}</b> · Xếp loại <b>{card.rating or '—'}</b>")
        values = {SCORE: card.typed_total, INDEX: card.typed_index}
        wrong = {f.column_id: f.message for f in card.findings if f.row_id == TOTAL_ROW}
        for column, field in self.fields.items():
            field.setStyleSheet("background: #f8d7da;" if column in wrong else "")
            field.setToolTip(wrong.get(column, ""))
            value = card.typed_rating if column == RATING else values[column]
            field.setText(value if isinstance(value, str) else format_number(value) if value is not None else "")
            field.setReadOnly(self.model.window.session.locked)

    def refresh(self) -> None:
        if self.model is not None:
            self.model.reload()
            self.refresh_summary()


__all__ = ["ScoringModel", "ScoringPage"]

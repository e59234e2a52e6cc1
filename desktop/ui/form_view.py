"""The form screen's table: a thin Qt adapter over the core's ``FormGrid``.

``FormModel`` answers Qt's questions from the grid (no second copy of the data);
``GroupedHeader`` paints the annex's multi-level merged header with the
column-number row; ``FormView`` keeps the code and name columns frozen at the
left (Qt's "frozen column" pattern: a second view over the same model laid over
the first) and gives Excel's keys: typing overwrites, F2 edits, Enter moves
down, Tab moves right, Delete clears the selection.
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QRect, QSize, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetrics, QKeySequence, QPainter, QPalette
from PySide6.QtWidgets import (QAbstractItemDelegate, QAbstractItemView, QHeaderView, QLabel, QLineEdit, QStyle,
                               QStyleOptionHeader, QTableView, QVBoxLayout, QWidget)

from desktop.app.session import FormGrid
from desktop.exchange.annex import fill

ERROR_BRUSH = QBrush(QColor("#f6c4c4"))
WARNING_BRUSH = QBrush(QColor("#fbe3b0"))
COMPUTED_BRUSH = QBrush(QColor("#ececec"))
GROUP_BRUSH = QBrush(QColor("#f4f6fa"))
DERIVED_BRUSH = QBrush(QColor("#e8f1fb"))  # a total the app computed: light blue, its figure dark blue
DERIVED_TEXT = QBrush(QColor("#1f4e8c"))
REFUSED_COLOR = QColor("#b00020")
REFUSED_BRUSH = QBrush(REFUSED_COLOR)
ROW_ID_ROLE = int(Qt.UserRole) + 1
SEVERITY_ROLE = int(Qt.UserRole) + 2
DISPLAY, EDIT, ALIGNMENT, BACKGROUND, FOREGROUND, FONT, TOOLTIP = (int(r) for r in (
    Qt.DisplayRole, Qt.EditRole, Qt.TextAlignmentRole, Qt.BackgroundRole, Qt.ForegroundRole, Qt.FontRole,
    Qt.ToolTipRole))
_READ_ONLY = Qt.ItemIsEnabled | Qt.ItemIsSelectable
_EDITABLE = _READ_ONLY | Qt.ItemIsEditable
_ROLES = {DISPLAY, EDIT, ALIGNMENT, BACKGROUND, FOREGROUND, FONT, TOOLTIP, ROW_ID_ROLE, SEVERITY_ROLE}
_PAINTED = {DISPLAY, BACKGROUND, FOREGROUND, FONT}  # what a paint reads (with ALIGNMENT, which no edit changes)
_FEW_CELLS = 64  # beyond, one change of the whole table costs less than a signal per cell
RIGHT = int(Qt.AlignRight | Qt.AlignVCenter)
CENTER = int(Qt.AlignCenter)
LEFT = int(Qt.AlignLeft | Qt.AlignVCenter)


class FormModel(QAbstractTableModel):
    """Rows and columns of one form of the open report.

    ``setData`` does not write anything itself: it asks ``enter(row, column, text)``
    (the window's operation runner), which returns True when the cell was stored
    or the refusal message when it was not."""

    refused = Signal(QModelIndex, str)

    def __init__(self, grid: FormGrid, enter) -> None:
        super().__init__()
        self.grid = grid
        self._enter = enter
        self.refusals: dict[tuple[int, int], str] = {}
        self._bold = QFont()
        self._bold.setBold(True)
        self._italic = QFont()
        self._italic.setItalic(True)
        self._bold_italic = QFont()
        self._bold_italic.setBold(True)
        self._bold_italic.setItalic(True)
        # (row, column, role) → what data() answered: a paint asks each visible cell for eight roles,
        # and nothing of it changes until the next edit (every change goes through refresh/set_grid)
        self._answers: dict[tuple[int, int, int], object] = {}

    def set_grid(self, grid: FormGrid) -> None:
        """The rows changed (a row added, moved or deleted): everything is read again."""
        self.beginResetModel()
        self.grid = grid
        self.refusals.clear()
        self._answers.clear()
        self.endResetModel()

    def refresh(self) -> None:
        """Values changed: totals and computed cells may follow anywhere in the form. The cells
        painted before (those the views asked for) are asked again, and only those that now paint
        differently are said to have changed: a keystroke repaints its cell, its totals and the
        cells its findings colour, not the whole table."""
        old, self._answers = self._answers, {}
        changed = set()
        for (r, c, role), answer in old.items():
            if role == ALIGNMENT:  # by column and row kind: no value changes it
                self._answers[(r, c, role)] = answer
            elif role in _PAINTED:
                now = self._answers[(r, c, role)] = self._answer(r, c, role)
                if now != answer:
                    changed.add((r, c))
        if len(changed) > _FEW_CELLS:
            if self.rowCount() and self.columnCount():
                self.dataChanged.emit(self.index(0, 0), self.index(self.rowCount() - 1, self.columnCount() - 1))
            return
        for r, c in sorted(changed):
            index = self.index(r, c)
            self.dataChanged.emit(index, index)

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.grid.rows)

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.grid.columns)

    def flags(self, index):
        return _EDITABLE if self.grid.is_editable(index.row(), index.column()) else _READ_ONLY

    def data(self, index, role=Qt.DisplayRole):
        # Roles compared as plain ints: PySide's enum comparisons cost more than the lookup itself.
        role = int(role)
        if not index.isValid() or role not in _ROLES:
            return None
        key = (index.row(), index.column(), role)
        try:
            return self._answers[key]
        except KeyError:
            answer = self._answers[key] = self._answer(index.row(), index.column(), role)
            return answer

    def _answer(self, r: int, c: int, role: int):
        grid = self.grid
        if role == DISPLAY or role == EDIT:
            return grid.text(r, c)
        if role == ALIGNMENT:
            if grid.is_numeric(r, c):
                return RIGHT
            return CENTER if grid.columns[c].kind == "row_code" else LEFT
        if role == BACKGROUND:
            severity = self._severity(r, c)
            if severity == "error" or (r, c) in self.refusals:
                return ERROR_BRUSH
            if severity == "warning":
                return WARNING_BRUSH
            if grid.is_computed(r, c):
                return COMPUTED_BRUSH
            if grid.is_derived(r, c):
                return DERIVED_BRUSH
            if grid.rows[r].style in ("group", "total"):
                return GROUP_BRUSH
            return None
        if role == FOREGROUND:
            if (r, c) in self.refusals:
                return REFUSED_BRUSH
            return DERIVED_TEXT if grid.is_derived(r, c) else None
        if role == FONT:
            style = grid.rows[r].style
            if grid.is_derived(r, c):
                return self._bold_italic if style in ("bold", "group", "total") else self._italic
            if style in ("bold", "group", "total"):
                return self._bold
            return self._italic if style == "italic" else None
        if role == TOOLTIP:
            lines = []
            if (r, c) in self.refusals:
                lines.append(self.refusals[(r, c)])
            lines += [f.message for f in self._findings(r, c)]
            if grid.is_computed(r, c) and not lines:
                lines.append("Ô tính tự động.")
            elif grid.is_derived(r, c):
                lines.append(grid.derived_from(r, c))
            count = len(grid.attachments(r)) if c == grid.frozen - 1 else 0
            if count:
                lines.append(f"{count} tệp minh chứng (nháy đúp vào tên dòng để mở).")
            return "\n".join(lines) or None
        if role == SEVERITY_ROLE:
            return self._severity(r, c)
        return grid.rows[r].id  # ROW_ID_ROLE

    def _findings(self, r: int, c: int):
        found = self.grid.findings(r, c)
        if c == self.grid.frozen - 1:  # findings that name no column show on the row's name
            found = found + self.grid.row_findings(r)
        return found

    def _severity(self, r: int, c: int) -> str | None:
        found = self._findings(r, c)
        if any(f.severity == "error" for f in found):
            return "error"
        return "warning" if found else None

    def setData(self, index, value, role=Qt.EditRole) -> bool:
        if role != Qt.EditRole or not index.isValid():
            return False
        r, c = index.row(), index.column()
        if str(value) == self.grid.text(r, c):
            if self.refusals.pop((r, c), None) is not None:
                for role in _ROLES:
                    self._answers.pop((r, c, role), None)
                self.dataChanged.emit(index, index)
            return False
        outcome = self._enter(r, c, str(value))
        if outcome is True:
            if self.refusals.pop((r, c), None) is not None:
                self.refresh()
            return True
        self.refusals[(r, c)] = outcome
        for role in _ROLES:
            self._answers.pop((r, c, role), None)
        self.dataChanged.emit(index, index)
        self.refused.emit(index, outcome)
        return False

    def headerData(self, section, orientation, role=Qt.DisplayRole):
        if role != Qt.DisplayRole:
            return None
        if orientation == Qt.Horizontal:
            return self.grid.columns[section].label
        return self.grid.rows[section].code


class GroupedHeader(QHeaderView):
    """The annex's header: group names merged over their columns, then "(1) (2) (3)=(4)+(5)"."""

    PADDING = 4

    def __init__(self, parent=None, source: "GroupedHeader | None" = None) -> None:
        super().__init__(Qt.Horizontal, parent)
        self.grid: FormGrid | None = None
        self.visible_left = 0  # where the header shows from: the frozen columns cover what is left of it
        # The frozen columns' header takes its level heights from the main header,
        # whose sections all have their widths (the frozen view hides most of its own).
        self.source = source
        self.followers: list[GroupedHeader] = []
        if source is not None:
            source.followers.append(self)
        self.setSectionsClickable(False)
        self.setHighlightSections(False)
        self.sectionResized.connect(lambda *_: self._relayout())
        self._levels: list[int] = []
        self._number_height = 0

    def set_grid(self, grid: FormGrid) -> None:
        self.grid = grid
        self._relayout()

    def _text_height(self, text: str, width: int, bold: bool = False) -> int:
        font = QFont(self.font())
        font.setBold(bold)
        metrics = QFontMetrics(font)
        rect = metrics.boundingRect(QRect(0, 0, max(width - 2 * self.PADDING, 10), 10000),
                                    int(Qt.AlignCenter | Qt.TextWordWrap), text)
        return rect.height() + 2 * self.PADDING

    def _span_width(self, first: int, count: int) -> int:
        return sum(self.sectionSize(i) for i in range(first, first + count))

    def _relayout(self) -> None:
        """Each header level as tall as its longest name needs at the current widths."""
        if self.grid is None:
            return
        if self.source is not None:
            self._levels, self._number_height = self.source._levels, self.source._number_height
            self.updateGeometry()
            self.viewport().update()
            return
        line = self.fontMetrics().height() + 2 * self.PADDING
        levels = [line] * self.grid.header_rows
        for cell in self.grid.header:
            if cell.rowspan == 1:
                width = self._span_width(cell.col, cell.colspan)
                levels[cell.row] = max(levels[cell.row], self._text_height(cell.text, width, bold=True))
        for cell in self.grid.header:
            if cell.rowspan > 1:
                need = self._text_height(cell.text, self._span_width(cell.col, cell.colspan), bold=True)
                have = sum(levels[cell.row: cell.row + cell.rowspan])
                if need > have:
                    levels[cell.row + cell.rowspan - 1] += need - have
        self._levels = levels
        self._number_height = line if any(self.grid.number_row) else 0
        self.updateGeometry()
        self.viewport().update()
        for follower in self.followers:
            follower._relayout()

    def sizeHint(self) -> QSize:
        hint = super().sizeHint()
        return QSize(hint.width(), sum(self._levels) + self._number_height)

    def paintSection(self, painter: QPainter, rect: QRect, logical: int) -> None:
        if self.grid is None or not self._levels:
            return super().paintSection(painter, rect, logical)
        painter.save()
        painter.setClipRect(rect)
        tops = [sum(self._levels[:i]) for i in range(len(self._levels) + 1)]
        for cell in self.grid.header:
            if not cell.col <= logical < cell.col + cell.colspan:
                continue
            x = self.sectionViewportPosition(cell.col)
            area = QRect(x, tops[cell.row], self._span_width(cell.col, cell.colspan),
                         tops[cell.row + cell.rowspan] - tops[cell.row])
            # a group scrolled half out of sight keeps its name in the part still shown
            shown = area.intersected(QRect(self.visible_left, area.y(), self.viewport().width() - self.visible_left,
                                           area.height()))
            self._cell(painter, area, cell.text, bold=True, text_area=shown if shown.width() > 0 else area)
        if self._number_height:
            area = QRect(rect.x(), tops[-1], rect.width(), self._number_height)
            self._cell(painter, area, self.grid.number_row[logical], bold=False, italic=True)
        painter.restore()

    def _cell(self, painter: QPainter, area: QRect, text: str, bold: bool, italic: bool = False,
              text_area: QRect | None = None) -> None:
        option = QStyleOptionHeader()
        self.initStyleOption(option)
        option.rect = area
        option.text = ""
        self.style().drawControl(QStyle.CE_HeaderSection, option, painter, self)
        painter.setPen(self.palette().color(QPalette.ButtonText))
        painter.drawRect(area.adjusted(0, 0, -1, -1))
        font = QFont(self.font())
        font.setBold(bold)
        font.setItalic(italic)
        painter.setFont(font)
        inner = (text_area or area).adjusted(self.PADDING, self.PADDING, -self.PADDING, -self.PADDING)
        metrics = QFontMetrics(font)
        wrapped = metrics.boundingRect(inner, int(Qt.AlignCenter | Qt.TextWordWrap), text)
        if text_area is not None and text_area != area and wrapped.height() > inner.height():
            # too little of the group left in sight to wrap its name: one line, shortened
            painter.drawText(inner, int(Qt.AlignCenter), metrics.elidedText(text, Qt.ElideRight, inner.width()))
        else:
            painter.drawText(inner, int(Qt.AlignCenter | Qt.TextWordWrap), text)


class FormView(QTableView):
    """The table of a form, with the row code and name frozen at the left."""

    cleared = Signal()  # Delete on the selection
    files_dropped = Signal(int, list)  # row, local file paths: evidence dropped on a row
    grid: FormGrid | None = None  # class defaults: Qt calls the overrides below during __init__
    frozen: QTableView | None = None

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setHorizontalHeader(GroupedHeader(self))
        self.verticalHeader().hide()
        self.setEditTriggers(QAbstractItemView.AnyKeyPressed | QAbstractItemView.EditKeyPressed
                             | QAbstractItemView.DoubleClicked)
        self.setSelectionMode(QAbstractItemView.ContiguousSelection)
        self.setHorizontalScrollMode(QAbstractItemView.ScrollPerPixel)
        self.setVerticalScrollMode(QAbstractItemView.ScrollPerPixel)
        self.setWordWrap(True)
        self.frozen = QTableView(self)
        self.frozen.setHorizontalHeader(GroupedHeader(self.frozen, source=self.horizontalHeader()))
        self.frozen.verticalHeader().hide()
        self.frozen.setFocusPolicy(Qt.NoFocus)
        self.frozen.setEditTriggers(QAbstractItemView.DoubleClicked)
        self.frozen.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        self.frozen.setVerticalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        self.frozen.setVerticalScrollMode(QAbstractItemView.ScrollPerPixel)
        self.frozen.setWordWrap(True)
        self.frozen.setStyleSheet("QTableView { border: none; border-right: 2px solid #8a8a8a; }")
        self.viewport().stackUnder(self.frozen)
        self.frozen.verticalScrollBar().valueChanged.connect(self.verticalScrollBar().setValue)
        self.verticalScrollBar().valueChanged.connect(self.frozen.verticalScrollBar().setValue)
        self.horizontalHeader().sectionResized.connect(self._column_resized)
        self.verticalHeader().sectionResized.connect(
            lambda row, _old, size: self.frozen.setRowHeight(row, size))
        self.grid: FormGrid | None = None
        self.setAcceptDrops(True)
        self.setDragDropMode(QAbstractItemView.DropOnly)

    # --- evidence files dropped on a row --------------------------------------------------

    def dragEnterEvent(self, event) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dragMoveEvent(self, event) -> None:
        if event.mimeData().hasUrls() and self.indexAt(event.position().toPoint()).isValid():
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event) -> None:
        index = self.indexAt(event.position().toPoint())
        paths = [url.toLocalFile() for url in event.mimeData().urls() if url.isLocalFile()]
        if index.isValid() and paths:
            event.acceptProposedAction()
            self.files_dropped.emit(index.row(), paths)

    # --- the model -------------------------------------------------------------------

    PADDING_NUMBER = 8  # either side of a figure, so that it never touches the grid line

    def show_model(self, model: FormModel) -> None:
        self.setModel(model)
        self.frozen.setModel(model)
        self.frozen.setSelectionModel(self.selectionModel())
        model.modelReset.connect(self._layout_grid)
        self._layout_grid()

    def _layout_grid(self) -> None:
        model: FormModel = self.model()
        grid = self.grid = model.grid
        widths = self._widths(grid)
        for c, width in enumerate(widths):
            self.setColumnWidth(c, width)
            self.frozen.setColumnWidth(c, width)
            self.frozen.setColumnHidden(c, c >= grid.frozen)
        self.frozen.horizontalHeader().grid = grid
        self.horizontalHeader().set_grid(grid)
        self._fit_rows(grid, widths)
        self._place_frozen()

    def _fit_rows(self, grid: FormGrid, widths: list[int]) -> None:
        """Each row as tall as its wrapped names and texts need.

        Measured from the cells that hold text only (numbers never wrap): Qt's
        resizeRowsToContents asks the model for every role of every cell and
        cost most of a form switch."""
        plain, bold = QFontMetrics(self.font()), QFontMetrics(self._bold_font())
        line = plain.height() + 6
        texts = [c for c, column in enumerate(grid.columns)
                 if column.kind == "row_label" or column.ctype.value_kind in ("text", "choice")]
        flags = int(Qt.AlignLeft | Qt.TextWordWrap)
        data = [c for c, column in enumerate(grid.columns) if column.kind == "data" and c not in texts]
        for r, row in enumerate(grid.rows):
            metrics = bold if row.style in ("bold", "group", "total") else plain
            height = line
            # a row of its own text type ("Hình thức tuyên truyền khác") wraps in numeric columns too
            wrapping = texts + data if row.ctype is not None and not row.ctype.numeric else texts
            for c in wrapping:
                text = grid.text(r, c)
                if text and metrics.horizontalAdvance(text) > widths[c] - 8:
                    height = max(height, metrics.boundingRect(QRect(0, 0, widths[c] - 8, 10000), flags,
                                                              text).height() + 6)
            self.setRowHeight(r, height)
            self.frozen.setRowHeight(r, height)

    def _bold_font(self) -> QFont:
        font = QFont(self.font())
        font.setBold(True)
        return font

    def _widths(self, grid: FormGrid) -> list[int]:
        """Names and texts wrap (rows grow), so their columns have set widths; a number column is
        as wide as its widest figure needs and no wider than its share, so that an old office PC's
        1024-wide screen shows six of them beside the navigator."""
        metrics = self.fontMetrics()
        digit = metrics.horizontalAdvance("0")
        unit = digit * 11
        out = []
        for c, column in enumerate(grid.columns):
            if column.kind == "row_code":
                out.append(int(unit * 0.45))
            elif column.kind == "row_label":
                out.append(int(unit * 2.8))
            elif column.ctype.value_kind == "text":
                out.append(int(unit * 1.8))
            else:
                texts = [grid.text(r, c) for r in range(len(grid.rows))] + [grid.number_row[c] or ""]
                italic = QFont(self.font())
                italic.setItalic(True)
                number = QFontMetrics(italic).horizontalAdvance(grid.number_row[c] or "")  # "(3)=(4)+(5)", one line
                widest = max([metrics.horizontalAdvance(t) for t in texts] + [number])
                out.append(max(digit * 8 * (column.width or 1), widest + 2 * self.PADDING_NUMBER))
        return out

    def _column_resized(self, column: int, _old: int, size: int) -> None:
        if self.grid is not None and column < self.grid.frozen:
            self.frozen.setColumnWidth(column, size)
            self._place_frozen()

    def _place_frozen(self) -> None:
        if self.grid is None or self.frozen is None:
            return
        width = sum(self.columnWidth(c) for c in range(self.grid.frozen))
        self.horizontalHeader().visible_left = width
        self.frozen.setGeometry(self.verticalHeader().width() + self.frameWidth(), self.frameWidth(),
                                width, self.viewport().height() + self.horizontalHeader().height())
        self.frozen.horizontalHeader().setFixedHeight(self.horizontalHeader().height())

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._place_frozen()

    def updateGeometries(self) -> None:
        super().updateGeometries()
        self._place_frozen()

    def moveCursor(self, action, modifiers):
        """Keep the current cell out from under the frozen columns when moving left."""
        current = super().moveCursor(action, modifiers)
        left = self.visualRect(current).left()
        if (self.grid is not None and action == QAbstractItemView.MoveLeft and current.column() >= self.grid.frozen
                and left < self.frozen.width()):
            bar = self.horizontalScrollBar()
            bar.setValue(bar.value() + left - self.frozen.width())
        return current

    def scrollTo(self, index, hint=QAbstractItemView.EnsureVisible) -> None:
        """A frozen cell scrolls the rows only: the columns behind it must not move."""
        if self.grid is not None and index.column() < self.grid.frozen:
            column = self.horizontalScrollBar().value()
            super().scrollTo(index, hint)
            self.horizontalScrollBar().setValue(column)
        else:
            super().scrollTo(index, hint)

    # --- Excel's keys -------------------------------------------------------------------

    def _step(self, rows: int, columns: int) -> None:
        current = self.currentIndex()
        if not current.isValid():
            return
        model = self.model()
        r = min(max(current.row() + rows, 0), model.rowCount() - 1)
        c = min(max(current.column() + columns, 0), model.columnCount() - 1)
        self.setCurrentIndex(model.index(r, c))

    def closeEditor(self, editor, hint) -> None:
        """Enter commits and moves down, Tab commits and moves right (not into the next editor)."""
        if hint == QAbstractItemDelegate.EditNextItem:
            super().closeEditor(editor, QAbstractItemDelegate.NoHint)
            self._step(0, 1)
        elif hint == QAbstractItemDelegate.EditPreviousItem:
            super().closeEditor(editor, QAbstractItemDelegate.NoHint)
            self._step(0, -1)
        elif hint == QAbstractItemDelegate.SubmitModelCache:
            super().closeEditor(editor, QAbstractItemDelegate.NoHint)
            self._step(1, 0)
        else:
            super().closeEditor(editor, hint)

    def keyPressEvent(self, event) -> None:
        key = event.key()
        if self.state() != QAbstractItemView.EditingState:
            if key in (Qt.Key_Return, Qt.Key_Enter):
                self._step(-1 if event.modifiers() & Qt.ShiftModifier else 1, 0)
                return
            if key == Qt.Key_Tab:
                self._step(0, 1)
                return
            if key == Qt.Key_Backtab:
                self._step(0, -1)
                return
            if key in (Qt.Key_Delete, Qt.Key_Backspace) and not event.modifiers():
                self.cleared.emit()
                return
            if event.matches(QKeySequence.Copy) or event.matches(QKeySequence.Paste) \
                    or event.matches(QKeySequence.Undo) or event.matches(QKeySequence.Redo):
                event.ignore()  # the window's actions handle these
                return
        super().keyPressEvent(event)

    def selected_block(self) -> tuple[int, int, int, int] | None:
        """(top, left, bottom, right) of the selection, or of the current cell."""
        ranges = self.selectionModel().selection() if self.selectionModel() else []
        if ranges:
            tops = [r.top() for r in ranges]
            lefts = [r.left() for r in ranges]
            bottoms = [r.bottom() for r in ranges]
            rights = [r.right() for r in ranges]
            return min(tops), min(lefts), max(bottoms), max(rights)
        current = self.currentIndex()
        if current.isValid():
            return current.row(), current.column(), current.row(), current.column()
        return None

    def selected_cells(self) -> list[tuple[int, int]]:
        indexes = self.selectionModel().selectedIndexes() if self.selectionModel() else []
        if not indexes and self.currentIndex().isValid():
            indexes = [self.currentIndex()]
        return [(i.row(), i.column()) for i in indexes]

    def go_to(self, r: int, c: int) -> None:
        index = self.model().index(r, c)
        self.setCurrentIndex(index)
        self.scrollTo(index, QAbstractItemView.PositionAtCenter)
        self.setFocus()


class FormPage(QWidget):
    """The annex as printed above its table: code at the right, title, subtitle."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        self.code = QLabel(alignment=Qt.AlignRight)
        self.code.setStyleSheet("font-weight: bold;")
        self.title = QLabel(alignment=Qt.AlignCenter, wordWrap=True)
        self.title.setStyleSheet("font-weight: bold; font-size: 11pt;")
        self.subtitle = QLabel(alignment=Qt.AlignCenter, wordWrap=True)
        self.subtitle.setStyleSheet("font-style: italic;")
        self.view = FormView(self)
        for widget in (self.code, self.title, self.subtitle):
            layout.addWidget(widget)
        layout.addWidget(self.view, 1)
        # the clerk's note printed under the table ("Tổng cộng đề ra 25 nhiệm vụ …", seed 000)
        self.note = QLineEdit()
        self.note.setPlaceholderText("Ghi chú in dưới biểu (nếu có), ví dụ: Tổng cộng đề ra 25 nhiệm vụ, …")
        self.note.setToolTip("In ngay dưới bảng, trên bản PDF và Excel. Lưu khi rời ô (Enter hoặc Tab).")
        layout.addWidget(self.note)

    def show_form(self, grid, placeholders: dict) -> None:
        form = grid.form
        self.code.setText(form.printed_code)
        self.title.setText(fill(form.title, placeholders))
        lines = [fill(t, placeholders) for t in (form.subtitle, form.attachment_line) if t]
        self.subtitle.setText("\n".join(lines))
        self.subtitle.setVisible(bool(lines))

    def show_note(self, text: str, locked: bool) -> None:
        self.note.blockSignals(True)
        self.note.setText(text)
        self.note.setReadOnly(locked)
        self.note.blockSignals(False)

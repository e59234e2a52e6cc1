"""Tệp › Nhập số liệu từ phần mềm một cửa: the one-stop system's statistics, previewed, then imported.

A thin adapter over ``desktop.exchange.onestop``: the preview shows, for each form column, the
source columns it comes from (a choice the clerk may correct), what was left out and why, and
every cell that would change with its old and new value. Nothing is written before "Nhập"; the
import is one undoable step, and the corrected mapping is remembered for that layout.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (QComboBox, QDialog, QDialogButtonBox, QFileDialog, QHeaderView, QLabel, QTableWidget,
                               QTableWidgetItem, QTabWidget, QVBoxLayout)

from desktop.exchange.onestop import apply_import, plan_import
from desktop.foundation.messages import CchcError, msg

LEAVE_OUT = "(không lấy)"
FILTER = "Số liệu thống kê một cửa (*.xls *.xlsx *.htm *.html *.csv);;Mọi tệp (*)"


def _named(form, column) -> str:
    """A column as short as tells it apart, with its printed number: "Trong kỳ / Trực tuyến (4)"."""
    return f"{form.short_label(column)} ({column.number})" if column.number is not None else form.short_label(column)


class StatsPreview(QDialog):
    """The preview of one import; ``plan`` is what "Nhập" writes."""

    def __init__(self, window, path: Path, plan) -> None:
        super().__init__(window)
        self.window, self.path, self.plan = window, path, plan
        self.column_overrides: dict[str, list[str]] = {}
        self.setWindowTitle(f"Nhập số liệu từ phần mềm một cửa: {path.name}")
        layout = QVBoxLayout(self)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        self.tabs = QTabWidget()
        self.columns = QTableWidget(0, 2)
        self.columns.setHorizontalHeaderLabels(["Cột của biểu", "Lấy từ cột của tệp"])
        self.changes = QTableWidget(0, 4)
        self.changes.setHorizontalHeaderLabels(["Dòng", "Cột", "Đang có", "Sẽ ghi"])
        self.left_out = QTableWidget(0, 2)
        self.left_out.setHorizontalHeaderLabels(["Không lấy", "Lý do"])
        for table in (self.columns, self.changes, self.left_out):
            table.verticalHeader().hide()
            table.horizontalHeader().setSectionResizeMode(QHeaderView.Stretch)
        self.tabs.addTab(self.changes, "Ô sẽ thay đổi")
        self.tabs.addTab(self.columns, "Ghép cột")
        self.tabs.addTab(self.left_out, "Không lấy")
        layout.addWidget(self.tabs)
        self.notes = QLabel()
        self.notes.setWordWrap(True)
        layout.addWidget(self.notes)
        buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        buttons.button(QDialogButtonBox.Ok).setText("Nhập")
        buttons.button(QDialogButtonBox.Cancel).setText("Hủy")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.ok = buttons.button(QDialogButtonBox.Ok)
        available = window.screen().availableGeometry() if window.screen() else None
        self.resize(min(900, available.width() - 40) if available else 900,
                    min(600, available.height() - 60) if available else 600)
        self.show_plan()

    def show_plan(self) -> None:
        plan, form = self.plan, self.window.catalog.form_set_of(self.window.session.report).forms[self.plan.form]
        sources = [" / ".join(h) for h in plan.headers if h]
        self.summary.setText(f"Tệp {plan.format.upper()}, {plan.rows_read} dòng số liệu → {form.printed_code}: "
                             f"{len(plan.cells)} ô sẽ thay đổi. Các ô tổng của biểu tự tính từ số liệu nhập vào.")
        mapped_ids = [m.form_column for m in plan.columns]  # then the columns nothing maps to, to choose for
        shown = mapped_ids + [c.id for c in form.data_columns
                              if c.parts is None and c.ctype.kind != "computed" and c.id not in mapped_ids]
        self.columns.setRowCount(len(shown))
        mapped = plan.to_json()["columns"]
        for r, column_id in enumerate(shown):
            column = form.by_id[column_id]
            self.columns.setItem(r, 0, QTableWidgetItem(_named(form, column)))
            choice = QComboBox()
            current = next((" + ".join(m["from"]) for m in mapped if m["form_column"] == column_id), LEAVE_OUT)
            choice.addItems(list(dict.fromkeys([current, LEAVE_OUT] + sources)))
            choice.setCurrentIndex(0)
            choice.currentTextChanged.connect(lambda text, cid=column_id: self.remap(cid, text))
            self.columns.setCellWidget(r, 1, choice)
        rows = self.window.session.grid(plan.form).layout.by_id
        self.changes.setRowCount(len(plan.cells))
        for r, (_, row_id, column_id, old, new) in enumerate(plan.cells):
            for c, text in enumerate((rows[row_id].title, _named(form, form.by_id[column_id]),
                                      old or "(trống)", new)):
                self.changes.setItem(r, c, QTableWidgetItem(text))
        left = [(x["column"], x["reason"]) for x in plan.left_out_columns] + \
            [(f"Dòng “{x['row']}”", x["reason"]) for x in plan.left_out_rows]
        self.left_out.setRowCount(len(left))
        for r, pair in enumerate(left):
            for c, text in enumerate(pair):
                self.left_out.setItem(r, c, QTableWidgetItem(text))
        self.notes.setText("\n".join(f"Lưu ý: {n}" for n in plan.notes))
        self.ok.setEnabled(bool(plan.cells))

    def remap(self, column_id: str, text: str) -> None:
        """The clerk's correction of one column: planned again, nothing written."""
        self.column_overrides[column_id] = [] if text == LEAVE_OUT else [p.strip() for p in text.split(" + ")]
        try:
            self.plan = plan_import(self.window.store, self.window.catalog, self.window.session.report_id, self.path,
                                    self.plan.form, self.column_overrides)
        except CchcError as error:
            self.window.say(str(error), warning=True)
            return
        self.show_plan()


def import_stats(window, path: str | None = None, confirm=None) -> None:
    """Choose a file, preview it, import on "Nhập". ``confirm`` (tests) answers the preview."""
    if window.session is None:
        return
    if path is None:
        path, _ = QFileDialog.getOpenFileName(window, "Nhập số liệu từ phần mềm một cửa", "", FILTER)
        if not path:
            return
    report_id = window.session.report_id
    plan = window.perform(lambda: plan_import(window.store, window.catalog, report_id, Path(path)))
    if isinstance(plan, Exception):
        return
    preview = StatsPreview(window, Path(path), plan)
    if not (confirm(preview) if confirm is not None else preview.exec() == QDialog.Accepted):
        return
    changes = window.perform(lambda: apply_import(window.store, preview.plan))
    if isinstance(changes, Exception):
        return
    window.apply(window.session.external(changes))  # one undo takes the whole import back
    window.say(msg("STATS008", cells=len(changes), file=Path(path).name, form=preview.plan.form, report=report_id))

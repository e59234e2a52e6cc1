"""The findings panel: every finding of the open report, the counts in the status bar, the
check (F9); a click on a finding shows its cell, criterion or section."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget, QTableWidgetItem

from desktop.foundation.messages import msg
from desktop.kinds.narrative import FORM_CODE as BODY_FORM
from desktop.kinds.par.sheet import FORM_CODE as SHEET_FORM


class FindingsPanel(QTableWidget):
    """Every finding of ``window``'s open report; a click jumps to its cell."""

    HEADERS = ("Mức", "Biểu", "Nội dung", "Dòng", "Cột")

    def __init__(self, window) -> None:
        super().__init__(0, len(self.HEADERS))
        self._window = window
        self.setHorizontalHeaderLabels(self.HEADERS)
        self.verticalHeader().hide()
        self.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.setSelectionMode(QAbstractItemView.SingleSelection)
        self.setWordWrap(False)
        self._size_columns()
        header = self.horizontalHeader()
        header.resizeSection(3, 260)
        header.resizeSection(4, 260)
        self.findings = []
        self.cellClicked.connect(self.jump)

    def _size_columns(self) -> None:
        """Level and form as wide as their contents, the message the rest, row and column as the clerk drags them."""
        header = self.horizontalHeader()
        for c, mode in enumerate((QHeaderView.ResizeToContents,) * 2 + (QHeaderView.Stretch,)
                                 + (QHeaderView.Interactive,) * 2):
            header.setSectionResizeMode(c, mode)

    def show_findings(self, findings) -> None:
        findings = list(findings)
        if findings == self.findings:
            return  # most edits change no finding: the table is not rebuilt (8 ms for 20 rows)
        self.findings = findings
        # sized to their contents once, after the rows are in: with the columns sizing themselves as
        # each item arrived, 46 findings took 40 ms of every keystroke that changed one
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.Fixed)
        self.setRowCount(len(self.findings))
        for r, finding in enumerate(self.findings):
            error = finding.severity == "error"
            cells = ("Lỗi" if error else "Cảnh báo", finding.form, finding.message, finding.row, finding.column)
            for c, said in enumerate(cells):
                item = QTableWidgetItem(said)
                item.setToolTip(said)
                if c == 0:
                    item.setForeground(Qt.darkRed if error else Qt.darkYellow)
                self.setItem(r, c, item)
        self._size_columns()

    def refresh(self) -> None:
        """The open report's findings, the status bar's counts and the navigator's, as they are now."""
        window = self._window
        if window.session is None:
            self.show_findings([])
            window.counts_label.setText("")
            return
        self.show_findings(window.session.findings())
        errors_, warnings = window.session.counts()
        window.counts_label.setText(f"Lỗi: {errors_} · Cảnh báo: {warnings}")
        window.counts_label.setStyleSheet("color: #b00020;" if errors_ else "")
        window.navigator.update_counts()

    def check(self) -> None:
        """Kiểm tra báo cáo: everything read again and checked, the panel shown, the outcome said."""
        window = self._window
        if window.session is None:
            return
        window.session.reload()
        if window.model is not None:
            window.model.set_grid(window.session.grid(window.form_code))
        self.refresh()
        errors_, warnings = window.session.counts()
        window.findings_dock.show()
        window.say(msg("CLI003") if not errors_ and not warnings
                   else msg("CLI004", errors=errors_, warnings=warnings))

    def jump(self, row: int, _column: int = 0) -> None:
        finding = self.findings[row]
        if not finding.form_code:
            return
        window = self._window
        if finding.form_code == SHEET_FORM:
            model = window.scoring_page.model
            rows = [n.code for n in model.nodes] if model else []
            if finding.row_id in rows:
                window.scoring_page.table.setCurrentIndex(model.index(rows.index(finding.row_id), 4))
            return
        if finding.form_code == BODY_FORM:
            window.open_narrative(window.session.report_id)
            window.narrative_page.sections.setCurrentRow(window.narrative_page._row_of(finding.row_id))
            return
        window.go_to_cell(finding.form_code, finding.row_id, finding.column_id)

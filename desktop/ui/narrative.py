"""The report body editor: the outline on the left, the section's text, its preview with the
annexes' figures filled in, and a list of the figures that can be inserted.

Typing is stored shortly after the clerk pauses (and when leaving the section or the
screen), through ``ReportSession.set_section``; the preview is the core's rendering,
so it always shows what the printout will say.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (QComboBox, QHBoxLayout, QLabel, QListWidget, QListWidgetItem, QPlainTextEdit,
                               QPushButton, QSplitter, QTextBrowser, QVBoxLayout, QWidget)

from desktop.foundation.messages import CchcError
from desktop.kinds.narrative import placeholders_of, render_text, shown_value, value_of
from desktop.schema.outline import outline

SAVE_AFTER_MS = 700


class NarrativePage(QWidget):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.window = None
        self.key: str | None = None
        self.report_id: int | None = None  # the report whose text the editor holds
        self.sections = QListWidget()
        self.sections.setObjectName("sections")
        self.sections.setMaximumWidth(300)
        self.sections.currentItemChanged.connect(self._section_chosen)
        self.editor = QPlainTextEdit()
        self.editor.setObjectName("section_text")
        self.editor.textChanged.connect(self._typed)
        self.preview = QTextBrowser()
        self.preview.setObjectName("preview")
        self.figures = QComboBox()
        self.figures.setObjectName("figures")
        insert = QPushButton("Chèn số liệu")
        insert.clicked.connect(self.insert_figure)
        self.heading = QLabel()
        self.heading.setStyleSheet("font-weight: bold;")
        top = QHBoxLayout()
        top.addWidget(self.heading, 1)
        top.addWidget(self.figures, 2)
        top.addWidget(insert)
        right = QWidget()
        column = QVBoxLayout(right)
        column.setContentsMargins(0, 0, 0, 0)
        column.addLayout(top)
        split = QSplitter(Qt.Vertical)
        split.addWidget(self.editor)
        split.addWidget(self.preview)
        column.addWidget(split, 1)
        column.addWidget(QLabel("Số liệu chèn dạng {{tên}} lấy từ phụ lục và tự cập nhật khi phụ lục thay đổi; "
                                "ô dưới là nội dung sẽ in."))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.sections)
        layout.addWidget(right, 1)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self.save)

    def leave(self) -> None:
        """The clerk goes elsewhere: what was typed is stored, and the editor holds nothing any
        more, so nothing of this report can later be saved into another."""
        self.save()
        self.key = self.report_id = None

    def show_report(self, window) -> None:
        self.save()
        self.window = window
        self.report_id = window.session.report_id
        texts = window.store.narrative.of(window.session.report_id)
        self.sections.blockSignals(True)
        self.sections.clear()
        for section in outline(window.session.data.form_set):
            label = section.heading_for(window.session.data.period.year) or section.hint
            item = QListWidgetItem(("    " if section.depth else "") + label + (" ✓" if texts.get(section.key) else ""))
            item.setData(Qt.UserRole, section.key)
            item.setToolTip(section.hint or section.title)
            self.sections.addItem(item)
        self.sections.blockSignals(False)
        data = window.session.data
        self.figures.clear()
        for name, placeholder in placeholders_of(data.form_set).items():
            self.figures.addItem(f"{placeholder.label}: {shown_value(placeholder, value_of(data, placeholder))}", name)
        self.editor.setReadOnly(window.session.locked)
        self.sections.setCurrentRow(0 if self.key is None else self._row_of(self.key))

    def reload(self, window, key: str) -> None:
        """After the text changed elsewhere (an undo of the report): show section ``key`` as stored,
        saving nothing of what the editor held."""
        self.timer.stop()
        self.key = None  # nothing open: nothing to save
        self.show_report(window)
        self.sections.setCurrentRow(self._row_of(key))

    def _row_of(self, key: str) -> int:
        for row in range(self.sections.count()):
            if self.sections.item(row).data(Qt.UserRole) == key:
                return row
        return 0

    def _section_chosen(self, current, _previous) -> None:
        self.save()
        if current is None:
            return
        self.key = current.data(Qt.UserRole)
        data = self.window.session.data
        section = next(s for s in outline(data.form_set) if s.key == self.key)
        self.heading.setText(section.heading_for(data.period.year) or section.hint)
        self.editor.blockSignals(True)
        self.editor.setPlainText(self.window.store.narrative.of(self.window.session.report_id).get(self.key, ""))
        self.editor.blockSignals(False)
        self._preview()

    def _typed(self) -> None:
        self.timer.start(SAVE_AFTER_MS)
        self._preview()

    def _preview(self) -> None:
        if self.window is None:
            return
        self.preview.setPlainText(render_text(self.window.session.data, self.editor.toPlainText()))

    def insert_figure(self) -> None:
        name = self.figures.currentData()
        if name:
            self.editor.insertPlainText("{{" + name + "}}")
            self.editor.setFocus()

    def save(self) -> None:
        """Store the open section's text if it changed; a refusal (a signed report) is said, not lost silently."""
        self.timer.stop()
        if self.window is None or self.key is None or self.window.session is None \
                or self.window.session.report_id != self.report_id:
            return
        text = self.editor.toPlainText()
        stored = self.window.store.narrative.of(self.window.session.report_id).get(self.key, "")
        if text == stored or (not text.strip() and not stored):
            return
        outcome = self.window.perform(lambda: self.window.session.set_section(self.key, text))
        if not isinstance(outcome, CchcError):
            item = self.sections.item(self._row_of(self.key))
            label = item.text().removesuffix(" ✓")
            item.setText(label + (" ✓" if text.strip() else ""))

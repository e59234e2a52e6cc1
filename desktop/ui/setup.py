"""The clerk's first hour: choosing one's own unit from the official directory, and the demo
data in a database of its own.

The first run of a new database opens ``SetupDialog``: a province, then the commune typed in
any spelling ("dong khanh son"), or a unit of before 1 July 2025 for historical reports; the
place name of "…, ngày … tháng … năm …", the signer and the recipients. It calls
``desktop.app.units.setup_unit`` and saves the settings; all of it stays editable in Thiết lập.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QCheckBox, QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit,
                               QListWidget, QListWidgetItem, QPlainTextEdit, QPushButton, QVBoxLayout)

from desktop.foundation.directory import REFORM, load_directory, short_name
from desktop.foundation.messages import msg
from desktop.foundation.settings import load_settings, save_settings
from desktop.ui.widgets import signer_mode_box

RESULTS = 60  # a list a clerk can scan; typing narrows it


class SetupDialog(QDialog):
    """"Đơn vị của bạn": the unit this database reports for, from the official directory."""

    def __init__(self, window, *, first_run: bool = False) -> None:
        super().__init__(window)
        self.window_ = window
        self.directory = load_directory()
        self.setWindowTitle("Thiết lập đơn vị báo cáo")
        self.resize(720, 620)
        layout = QVBoxLayout(self)
        if first_run:
            intro = QLabel("Chào mừng! Hãy chọn đơn vị của bạn trong danh mục đơn vị hành chính (34 tỉnh, "
                           "3.321 xã, phường, đặc khu từ 01/7/2025). Muốn xem thử trước, bấm "
                           "“Xem dữ liệu mẫu”: dữ liệu mẫu nằm ở tệp riêng, không trộn với dữ liệu của bạn.")
            intro.setWordWrap(True)
            layout.addWidget(intro)
        form = QFormLayout()
        self.province = QComboBox()
        self.province.addItem("(mọi tỉnh, thành phố)", "")
        self.old_units = QCheckBox("Đơn vị trước 01/7/2025 (để nhập báo cáo của các năm trước)")
        self.search = QLineEdit()
        self.search.setPlaceholderText("Gõ tên, có dấu hay không: “dong khanh son”, hoặc mã: 22732")
        self.search.setClearButtonEnabled(True)
        self.results = QListWidget()
        self.results.setMinimumHeight(180)
        self.chosen = QLabel()
        self.chosen.setWordWrap(True)
        self.place = QLineEdit()
        self.place.setPlaceholderText("Địa danh ở dòng “…, ngày … tháng … năm …”")
        settings = load_settings(window.store)
        self.signer_name = QLineEdit(settings["signer"]["name"])
        self.signer_title = QLineEdit(settings["signer"]["title"] or "CHỦ TỊCH")
        self.signer_mode = signer_mode_box(settings["signer"]["mode"])
        self.recipients = QPlainTextEdit("\n".join(settings["document"]["recipients"]))
        self.recipients.setPlaceholderText("Mỗi dòng một nơi nhận")
        self.recipients.setMaximumHeight(90)
        form.addRow("Tỉnh, thành phố", self.province)
        form.addRow("", self.old_units)
        form.addRow("Tìm đơn vị", self.search)
        form.addRow(self.results)
        form.addRow("Đã chọn", self.chosen)
        form.addRow("Địa danh", self.place)
        form.addRow("Người ký", self.signer_name)
        form.addRow("Chức vụ", self.signer_title)
        form.addRow("Hình thức ký", self.signer_mode)
        form.addRow("Nơi nhận", self.recipients)
        layout.addLayout(form)
        self.buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        self.buttons.button(QDialogButtonBox.Ok).setText("Bắt đầu" if first_run else "Lưu")
        self.demo_button = None
        if first_run:
            self.demo_button = QPushButton("Xem dữ liệu mẫu")
            self.buttons.addButton(self.demo_button, QDialogButtonBox.ActionRole)
            self.demo_button.clicked.connect(self._open_demo)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.province.currentIndexChanged.connect(self.refresh)
        self.old_units.toggled.connect(self._fill_provinces)
        self.search.textChanged.connect(self.refresh)
        self.results.currentItemChanged.connect(self._choose)
        self.unit = None
        self._place_typed = False
        self.place.textEdited.connect(lambda _: setattr(self, "_place_typed", True))
        self._fill_provinces()
        own = self.directory.get(settings["unit"]) if settings["unit"] else None
        if own is not None:
            self.search.setText(own.code)
        self.opened_demo = False

    def day(self) -> dt.date:
        return REFORM - dt.timedelta(days=1) if self.old_units.isChecked() else dt.date.today()

    def _fill_provinces(self) -> None:
        self.province.blockSignals(True)
        chosen = self.province.currentText()
        self.province.clear()
        self.province.addItem("(mọi tỉnh, thành phố)", "")
        for unit in sorted(self.directory.in_force(self.day()), key=lambda u: u.code):
            if unit.level == "tinh":
                self.province.addItem(unit.name, unit.id)
        self.province.setCurrentIndex(max(self.province.findText(chosen), 0))
        self.province.blockSignals(False)
        self.refresh()

    def refresh(self) -> None:
        """The units matching what is typed, in the chosen province: on every keystroke."""
        province = self.province.currentData()
        found = self.directory.search(self.search.text(), on=self.day(), limit=None if province else RESULTS)
        if province:
            found = [u for u in found if u.id == province or u.parent == province][:RESULTS]
        self.results.blockSignals(True)
        self.results.clear()
        for unit in found:
            item = QListWidgetItem(self.directory.label(unit))
            item.setData(Qt.UserRole, unit.id)
            self.results.addItem(item)
        self.results.blockSignals(False)
        # nothing is chosen for the clerk: "Bắt đầu" waits for a click on a unit (one still
        # listed stays chosen while the search is refined)
        kept = [i for i in range(self.results.count())
                if self.unit is not None and self.results.item(i).data(Qt.UserRole) == self.unit.id]
        if kept:
            self.results.blockSignals(True)
            self.results.setCurrentRow(kept[0])
            self.results.blockSignals(False)
        else:
            self._choose(None)

    def _choose(self, item) -> None:
        self.unit = self.directory.get(item.data(Qt.UserRole)) if item is not None else None
        self.buttons.button(QDialogButtonBox.Ok).setEnabled(self.unit is not None)
        if self.unit is None:
            self.chosen.setText("Chưa chọn đơn vị.")
            return
        predecessors = self.directory.predecessors(self.unit.id)
        text = self.directory.label(self.unit)
        if predecessors:
            text += "; thành lập từ " + ", ".join(
                link.unit.name + (" (một phần)" if link.type == "partial" else "") for link in predecessors)
        self.chosen.setText(text)
        if not self._place_typed:
            self.place.setText(short_name(self.unit.name))
        if not self.recipients.toPlainText().strip() or not self._recipients_typed():
            parent = self.directory.get(self.unit.parent) if self.unit.parent else None
            lines = [f"Sở Nội vụ {short_name(parent.name)} (b/c)"] if parent is not None else []
            self.recipients.setPlainText("\n".join(lines + ["Lưu: VT"]))

    def _recipients_typed(self) -> bool:
        return self.recipients.document().isModified()

    def accept(self) -> None:
        from desktop.app.units import setup_unit

        def work():
            setup_unit(self.window_.store, self.unit.id, place=self.place.text().strip())
            settings = load_settings(self.window_.store)
            settings["signer"].update(name=self.signer_name.text(), title=self.signer_title.text(),
                                      mode=self.signer_mode.currentData())
            settings["document"]["recipients"] = self.recipients.toPlainText().splitlines()
            save_settings(self.window_.store, settings)
        if isinstance(self.window_.perform(work), Exception):
            return
        self.window_.navigator.refresh()
        self.window_.say(msg("DIR003", unit=self.unit.name, units=len(self.window_.store.units.all())))
        super().accept()

    def _open_demo(self) -> None:
        self.opened_demo = open_demo(self.window_) is not None
        if self.opened_demo:
            super().reject()


def demo_db_path() -> Path:
    from desktop.foundation.paths import default_db_path

    return default_db_path().with_name("du-lieu-mau.db")


def open_demo(window, path: Path | None = None):
    """Tệp → Mở dữ liệu mẫu: the demo reports in their own database (made on first use), in a
    window of their own; the clerk's database is never touched."""
    from desktop.app.demo import load_demo
    from desktop.store.db import Store

    path = Path(path or demo_db_path())
    first = not path.exists()

    def work():
        store = Store.open(path)
        if first:
            load_demo(store, window.catalog)
        return store
    store = window.perform(work)
    if isinstance(store, Exception):
        return None
    demo = window.new_window(store, window.catalog, path)
    window.demo_window = demo  # kept alive with the window that opened it
    first = store.reports.first_id()
    if first is not None:
        demo.open_report(first)
    demo.show()
    return demo


def setup_unit_dialog(window, *, first_run: bool = False) -> bool:
    return SetupDialog(window, first_run=first_run).exec() == QDialog.Accepted

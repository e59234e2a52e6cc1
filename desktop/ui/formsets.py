"""Tệp › Bộ biểu mẫu: the form sets this machine holds, built in or received, with a preview of
each form as printed; check, the definition workbook both ways, publish and receive (issue 26).
Also a draft's move to another version of its set."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QDialog, QFileDialog, QHBoxLayout, QHeaderView,
                               QInputDialog, QLabel, QMessageBox, QPushButton, QScrollArea, QSplitter,
                               QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget)

from desktop.foundation.messages import CchcError, msg
from desktop.foundation.settings import load_settings
from desktop.ui.widgets import run_in_background, shown_outcome, take_signed_file

SOURCES = {"built-in": "Có sẵn", "received": "Đã nhận"}
LEVELS = {"xa": "Xã", "huyen": "Huyện", "tinh": "Tỉnh", "any": "Mọi cấp"}
PREVIEW_DPI = 56  # a landscape annex's page about 650 px wide: the form's shape, readable headings


def reload_catalog(window) -> None:
    """The sets again from the program's folder and the received ones (after a set was received)."""
    from desktop.foundation.paths import forms_dir, received_forms_dir
    from desktop.registry import load_catalog

    window.catalog_changed(load_catalog(forms_dir(), received=received_forms_dir()))


class FormSetsDialog(QDialog):
    """The sets, newest version first within each, and the selected set's forms as printed."""

    def __init__(self, window, publish=None) -> None:
        super().__init__(window)
        self.window_, self.publish_ = window, publish
        self.setWindowTitle("Bộ biểu mẫu")
        screen = window.screen().availableGeometry() if window.screen() else None
        self.resize(min(980, screen.width() - 40) if screen else 980, min(640, screen.height() - 60) if screen else 640)
        layout = QVBoxLayout(self)
        self.table = QTableWidget(0, 5)
        self.table.setHorizontalHeaderLabels(["Bộ biểu mẫu", "Cấp", "Áp dụng từ", "Nguồn", "Ký bởi"])
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.Stretch)
        for column in range(1, 5):
            header.setSectionResizeMode(column, QHeaderView.ResizeToContents)
        self.table.itemSelectionChanged.connect(self._selected)
        self.forms = QComboBox()
        self.forms.currentIndexChanged.connect(self._preview)
        self.preview = QLabel(alignment=Qt.AlignHCenter | Qt.AlignTop)
        scroll = QScrollArea()
        scroll.setWidget(self.preview)
        scroll.setWidgetResizable(True)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(QLabel("Biểu (bản in trống):"))
        right_layout.addWidget(self.forms)
        right_layout.addWidget(scroll, 1)
        split = QSplitter(Qt.Vertical)
        split.addWidget(self.table)
        split.addWidget(right)
        split.setSizes([200, 420])
        layout.addWidget(split, 1)
        self.status = QLabel()
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        buttons = QHBoxLayout()
        self.buttons = {}
        for key, text, slot in (("check", "Kiểm tra", self.check), ("export", "Xuất bảng định nghĩa…", self.export),
                                ("compile", "Dịch bảng định nghĩa…", self.compile),
                                ("publish", "Phát hành…", self.publish), ("receive", "Nhận bộ biểu mẫu…", self.receive)):
            button = QPushButton(text)
            button.clicked.connect(slot)
            buttons.addWidget(button)
            self.buttons[key] = button
        buttons.addStretch(1)
        close = QPushButton("Đóng")
        close.clicked.connect(self.accept)
        buttons.addWidget(close)
        layout.addLayout(buttons)
        self._previews: dict[tuple, QPixmap] = {}
        self.compiled = None  # the set the officer last compiled here: what Phát hành signs first
        self.fill()

    # --- the list ----------------------------------------------------------------------------

    def fill(self, select: tuple | None = None) -> None:
        from desktop.submission.formsets import received_note

        self.sets = sorted(self.window_.catalog.sets.values(), key=lambda s: (s.name, -s.version))
        self.table.setRowCount(len(self.sets))
        for row, form_set in enumerate(self.sets):
            note = received_note(form_set)
            since = form_set.valid_from
            cells = (f"{form_set.name} (phiên bản {form_set.version})", LEVELS.get(form_set.level, form_set.level),
                     f"{since[8:10]}/{since[5:7]}/{since[:4]}" if since else "", SOURCES[form_set.source],
                     note.get("signed_by") or "")
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(text if column else f"{form_set.id}, {form_set.province}, {form_set.year}\n"
                                f"{form_set.directory}")
                self.table.setItem(row, column, item)
        keys = [s.key for s in self.sets]
        self.table.selectRow(keys.index(select) if select in keys else 0)
        self._selected()  # the same row number may now be another set: no selection signal then

    @property
    def current(self):
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        return self.sets[rows[0].row()] if rows and self.sets else None

    def _selected(self) -> None:
        form_set = self.current
        self.forms.blockSignals(True)
        self.forms.clear()
        if form_set is not None:
            for code, form in form_set.forms.items():
                if form.annex:
                    self.forms.addItem(f"{form.printed_code or code} – {form.title}"[:100], code)
        self.forms.blockSignals(False)
        self.buttons["publish"].setEnabled(form_set is not None and self.publish_ is not None)
        self.status.setText("")
        self._preview()

    def _preview(self) -> None:
        """The selected form's first page as printed empty (PDFium, as the print preview paints it)."""
        from desktop.exchange.blank import blank_pdf
        from desktop.ui.printing import PdfPages

        form_set, code = self.current, self.forms.currentData()
        if form_set is None or code is None:
            self.preview.setPixmap(QPixmap())
            self.preview.setText("Bộ này không có biểu in thành phụ lục." if form_set is not None else "")
            return
        key = (form_set.key, code)
        if key not in self._previews:
            try:
                pages = PdfPages(blank_pdf(self.window_.catalog, form_set, code))
                self._previews[key] = QPixmap.fromImage(pages.image(0, PREVIEW_DPI))
            except CchcError as error:  # a set that loads but does not print: said, never a traceback
                self.preview.setText(str(error))
                return
        self.preview.setPixmap(self._previews[key])

    # --- the buttons -------------------------------------------------------------------------

    def check(self) -> list:
        """The set loaded again from its folder: its problems, or that it is sound."""
        from desktop.registry import load_form_set

        form_set = self.current
        if form_set is None:
            return []
        folder = Path(form_set.directory)
        problems: list = []
        loaded = load_form_set(folder, problems, root=folder.parent)
        problems = (loaded.problems if loaded is not None else problems) or problems
        self.status.setText("\n".join(p.text for p in problems[:8]) if problems else
                            msg("CLI005", sets=1, forms=len(loaded.forms)))
        return problems

    def export(self, path: str | None = None) -> Path | None:
        from desktop.exchange.definitions import export_workbook
        from desktop.foundation.files import write_atomically

        form_set = self.current
        if form_set is None:
            return None
        if path is None:
            start = Path(load_settings(self.window_.store)["folders"]["export"] or Path.home())
            path, _ = QFileDialog.getSaveFileName(self, "Xuất bảng định nghĩa",
                                                  str(start / f"dinh-nghia_{form_set.id}_v{form_set.version}.xlsx"),
                                                  "Bảng tính Excel (*.xlsx)")
            if not path:
                return None
        target = Path(path)
        outcome = run_in_background(self.window_, "Đang ghi bảng định nghĩa…", lambda: write_atomically(
            target, lambda temporary: temporary.write_bytes(export_workbook(Path(form_set.directory)))))
        if not shown_outcome(self.window_, outcome):
            return None
        self.status.setText(msg("DEF010", set=form_set.name, forms=len(form_set.forms), file=target))
        return target

    def compile(self, workbook: str | None = None, folder: str | None = None):
        """A definition workbook the officer edited, compiled into a set folder of their choosing
        (to check and publish from here; it joins this machine's sets only when received)."""
        from desktop.app.definitions import compile_workbook

        if workbook is None:
            workbook, _ = QFileDialog.getOpenFileName(self, "Dịch bảng định nghĩa", "", "Bảng tính Excel (*.xlsx)")
            if not workbook:
                return None
        if folder is None:
            folder = QFileDialog.getExistingDirectory(self, "Thư mục ghi bộ biểu mẫu (thư mục trống)")
            if not folder:
                return None
        outcome = run_in_background(self.window_, "Đang dịch bảng định nghĩa…",
                                    lambda: compile_workbook(Path(workbook), Path(folder)))
        if not shown_outcome(self.window_, outcome):
            return None
        self.compiled = outcome
        self.status.setText(msg("DEF011", file=Path(workbook).name, set=outcome.id, version=outcome.version,
                                forms=len(outcome.forms), folder=folder))
        self.buttons["publish"].setEnabled(self.publish_ is not None)
        return outcome

    def publish(self, folder: str | None = None) -> Path | None:
        """The set just compiled (or the selected one) signed as a package for the communes."""
        if self.publish_ is None:
            return None
        chosen = Path(folder) if folder else Path(self.compiled.directory) if self.compiled is not None else \
            Path(self.current.directory) if self.current is not None else None
        return self.publish_(chosen) if chosen is not None else None

    def receive(self, path: str | None = None) -> dict | None:
        outcome = receive_form_set(self.window_, path)
        if outcome and outcome.get("folder"):
            self._previews.clear()
            self.fill((outcome["set"], outcome["version"]))
        return outcome


def show_form_sets(window, publish=None) -> FormSetsDialog:
    dialog = FormSetsDialog(window, publish)
    dialog.exec()
    return dialog


def receive_form_set(window, path: str | None = None) -> dict | None:
    """Tệp › Nhận bộ biểu mẫu: a set the province published, checked and installed; one signed by a
    certificate not yet registered is held until the clerk confirms its fingerprint."""
    from desktop.foundation.paths import received_forms_dir
    from desktop.submission.formsets import confirm_forms, receive

    roots = load_settings(window.store)["signing"]["trusted_roots"]
    outcome = take_signed_file(window, path, "Nhận bộ biểu mẫu của cấp trên", "Bộ biểu mẫu (*.cchcforms)",
                               "Đang kiểm tra bộ biểu mẫu…",
                               lambda chosen: receive(window.store, chosen, received_forms_dir(), roots),
                               lambda held, typed: confirm_forms(window.store, held, typed, received_forms_dir(), roots))
    if outcome is None or outcome["held"]:
        return outcome
    reload_catalog(window)
    window.say(outcome["message"])
    return outcome


def upgrade_report(window, version: int | None = None, confirm: bool = True) -> bool:
    """Tệp › Chuyển sang phiên bản khác của bộ biểu mẫu: the cells the new version has no place for
    are listed before anything changes; the move is one step Hoàn tác takes back."""
    from desktop.report.ops import upgrade_plan

    session = window.session
    if session is None:
        return False
    report = session.report
    versions = sorted(v for (i, v) in window.catalog.sets if i == report.form_set_id and v != report.form_set_version)
    if not versions:
        window.say(msg("UPG008", set=session.data.form_set.name if session.data.form_set else report.form_set_id,
                       version=report.form_set_version), warning=True)
        return False
    if version is None:
        names = [f"Phiên bản {v} – {window.catalog.get(report.form_set_id, v).name}" for v in versions]
        chosen, ok = QInputDialog.getItem(window, "Chuyển phiên bản bộ biểu mẫu",
                                          f"Báo cáo đang theo phiên bản {report.form_set_version}. Chuyển sang:",
                                          names, len(names) - 1, False)
        if not ok:
            return False
        version = versions[names.index(chosen)]
    plan = window.perform(lambda: upgrade_plan(window.store, window.catalog, session.report_id, version))
    if isinstance(plan, Exception):
        return False
    name = window.catalog.get(plan.form_set_id, version).name
    summary = msg("UPG004", report=session.report_id, old=plan.from_version, new=plan.to_version, set=name,
                  moved=plan.moved, dropped=len(plan.dropped))
    if confirm:
        box = QMessageBox(QMessageBox.Question, "Chuyển phiên bản bộ biểu mẫu",
                          summary + ("\n\nCác ô bị bỏ vẫn ghi trong nhật ký; “Hoàn tác” (Ctrl+Z) chuyển lại."
                                     if plan.dropped else ""), QMessageBox.Yes | QMessageBox.No, window)
        if plan.dropped:
            box.setDetailedText("\n".join(plan.dropped_lines(window.catalog)))
        if box.exec() != QMessageBox.Yes:
            return False
    if isinstance(window.perform(lambda: session.upgrade(version)), Exception):
        return False
    window.say(msg("UPG007", report=session.report_id, new=version, set=name))
    return True

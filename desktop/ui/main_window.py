"""The main window: navigator (units → reports → forms), the form screen, the findings panel.

Every change goes through ``perform()``: it runs one small operation of the
core (``ReportSession``), turns a refusal into a short Vietnamese message and an
unexpected error into a logged one, and hands the returned ``Change`` to the
views so each refreshes itself (Anki's pattern).  Nothing here writes to the
store directly.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from PySide6.QtCore import QModelIndex, QRect, Qt, QUrl
from PySide6.QtGui import QAction, QDesktopServices, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (QAbstractItemView, QDockWidget, QFileDialog, QHeaderView, QLabel, QLineEdit, QMainWindow,
                               QMessageBox, QSplitter, QTableWidget, QTableWidgetItem, QToolTip, QTreeWidget,
                               QTreeWidgetItem, QVBoxLayout, QWidget)

from desktop import __version__
from desktop.exchange.annex import fill, in_sentence, placeholders, short_unit_name
from desktop.foundation.directory import era_note
from desktop.foundation.evidence import evidence_problem
from desktop.foundation.messages import CchcError, msg
from desktop.kinds.narrative import FORM_CODE as BODY_FORM
from desktop.kinds.par.kind import KIND as PAR_KIND
from desktop.kinds.par.sheet import FORM_CODE as SHEET_FORM
from desktop.kinds.par.sheet import TOTAL_ROW
from desktop.app.session import Change, ReportSession, report_tree, unit_reports
from desktop.store.reports import LOCKED_STATUSES
from desktop.ui import errors
from desktop.ui.form_view import FormModel, FormView

KIND_ROLE = Qt.UserRole + 10
LOADED_ROLE = Qt.UserRole + 11  # a unit item whose reports are read
# Up to this many reports the navigator reads them all at start (a commune's or a district's
# database, the demo); beyond, a unit's reports are read when it is opened.
NAVIGATOR_ALL_UP_TO = 300
LEVEL_NAMES = {"tinh": "Tỉnh", "huyen": "Huyện", "xa": "Xã"}


def counts_text(errors_: int, warnings: int) -> str:
    if not errors_ and not warnings:
        return "không có lỗi"
    parts = []
    if errors_:
        parts.append(f"{errors_} lỗi")
    if warnings:
        parts.append(f"{warnings} cảnh báo")
    return ", ".join(parts)


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


class FindingsPanel(QTableWidget):
    """Every finding of the open report; a click jumps to its cell."""

    HEADERS = ("Mức", "Biểu", "Nội dung", "Dòng", "Cột")

    def __init__(self, parent=None) -> None:
        super().__init__(0, len(self.HEADERS), parent)
        self.setHorizontalHeaderLabels(self.HEADERS)
        self.verticalHeader().hide()
        self.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.setSelectionMode(QAbstractItemView.SingleSelection)
        self.setWordWrap(False)
        header = self.horizontalHeader()
        for c, mode in enumerate((QHeaderView.ResizeToContents,) * 2 + (QHeaderView.Stretch,)
                                 + (QHeaderView.Interactive,) * 2):
            header.setSectionResizeMode(c, mode)
        header.resizeSection(3, 260)
        header.resizeSection(4, 260)
        self.findings = []

    def show_findings(self, findings) -> None:
        findings = list(findings)
        if findings == self.findings:
            return  # most edits change no finding: the table is not rebuilt (8 ms for 20 rows)
        self.findings = findings
        self.setRowCount(len(self.findings))
        for r, finding in enumerate(self.findings):
            error = finding.severity == "error"
            cells = ("Lỗi" if error else "Cảnh báo", finding.form, finding.message, finding.row, finding.column)
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                if c == 0:
                    item.setForeground(Qt.darkRed if error else Qt.darkYellow)
                self.setItem(r, c, item)


class MainWindow(QMainWindow):
    def __init__(self, store, catalog, *, db_path: Path | None = None, new_window=None) -> None:
        self.first_run = False  # a new database of the clerk's: app.py shows the setup dialog
        # ``new_window(store, catalog, db_path)``: another window (the demo's), made where every
        # window is made (ui/app.py, the composition root), so no room imports the window
        self.new_window = new_window
        self._report_items: dict = {}  # report id → its navigator item, for counts updated in place
        super().__init__()
        self.store = store
        self.catalog = catalog
        self.db_path = db_path or store.path
        self.session: ReportSession | None = None
        self.form_code: str | None = None
        self.model: FormModel | None = None
        self.setWindowTitle(f"CCHC Desktop {__version__}")
        self.start_maximised = self.place_on_screen()

        self.navigator = QTreeWidget()
        self.navigator.setHeaderLabels(["Đơn vị / báo cáo / biểu", "Trạng thái", "Kiểm tra"])
        # narrow enough to leave an old office PC's 1024-wide screen six data columns of the widest
        # annexes; every name is in full in its tooltip, and the pane is resizable and collapsible
        self.navigator.setColumnWidth(0, 150)
        self.navigator.setColumnWidth(1, 48)
        self.navigator.setMinimumWidth(120)
        self.navigator.itemActivated.connect(self._navigate)
        self.navigator.itemExpanded.connect(self._load_unit)
        self.navigator.itemClicked.connect(self._navigate)
        self.page = FormPage()
        self.page.note.editingFinished.connect(self._note_typed)
        self.view = self.page.view
        self.view.cleared.connect(self.clear_selection)
        self.view.doubleClicked.connect(self._double_clicked)
        self.view.files_dropped.connect(self._files_dropped)
        self.view.frozen.doubleClicked.connect(self._double_clicked)
        self.placeholder = QLabel("Chọn một biểu ở cây bên trái, hoặc tạo báo cáo mới (Ctrl+N).",
                                  alignment=Qt.AlignCenter)
        splitter = QSplitter()
        splitter.addWidget(self.navigator)
        self.center = QSplitter(Qt.Vertical)
        self.center.addWidget(self.placeholder)
        self.center.addWidget(self.page)
        self.page.hide()
        from desktop.ui.appraisal import AppraisalPage
        from desktop.ui.narrative import NarrativePage
        from desktop.ui.scoring import ScoringPage

        self.scoring_page = ScoringPage()
        self.scoring_page.typed.connect(self._typed_total)
        self.narrative_page = NarrativePage()
        self.appraisal_page = AppraisalPage()
        self.kind_screens = {PAR_KIND.name: (self.scoring_page, "Bảng chấm điểm Chỉ số CCHC")}
        for page in (self.scoring_page, self.narrative_page, self.appraisal_page):
            self.center.addWidget(page)
            page.hide()
        splitter.addWidget(self.center)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([250, 1030])
        splitter.setCollapsible(0, True)
        self.splitter = splitter
        self._navigator_dragged = False  # once the clerk drags the divider, the window keeps their width
        splitter.splitterMoved.connect(lambda *_: setattr(self, "_navigator_dragged", True))
        self.setCentralWidget(splitter)

        self.findings_panel = FindingsPanel()
        self.findings_panel.cellClicked.connect(self._jump_to_finding)
        self.findings_dock = QDockWidget("Kết quả kiểm tra", self)
        self.findings_dock.setObjectName("findings")
        self.findings_dock.setWidget(self.findings_panel)
        self.addDockWidget(Qt.BottomDockWidgetArea, self.findings_dock)
        self.resizeDocks([self.findings_dock], [150], Qt.Vertical)  # the form keeps most of a 768-pixel screen

        self.counts_label = QLabel()
        self.saved_label = QLabel()
        self.deadline_label = QLabel()
        for label in (self.deadline_label, self.counts_label, self.saved_label):
            self.statusBar().addPermanentWidget(label)
        self._make_actions()
        self.refresh_navigator()

    # --- actions and menus ------------------------------------------------------------

    WINDOW_SETTING = "window"  # where the clerk left the window: x, y, width, height, maximised

    def place_on_screen(self) -> bool:
        """Inside the screen's available area (the taskbar aside): where the clerk left it if that
        still fits, else a sensible size; True when it should start maximised (a small screen)."""
        screen = self.screen() or QGuiApplication.primaryScreen()
        room = screen.availableGeometry() if screen is not None else QRect(0, 0, 1280, 800)
        saved = self.store.settings.get(self.WINDOW_SETTING, None)
        if isinstance(saved, dict) and all(isinstance(saved.get(k), int) for k in ("x", "y", "width", "height")):
            width, height = min(saved["width"], room.width()), min(saved["height"], room.height())
            x = max(room.left(), min(saved["x"], room.right() - width + 1))
            y = max(room.top(), min(saved["y"], room.bottom() - height + 1))
            self.setGeometry(x, y, width, height)
            return bool(saved.get("maximised"))
        width, height = min(1280, room.width()), min(800, room.height())
        self.setGeometry(room.left() + (room.width() - width) // 2, room.top() + (room.height() - height) // 2,
                         width, height)
        return room.width() <= 1366 or room.height() <= 800

    def remember_place(self) -> None:
        rect = self.normalGeometry() if self.isMaximized() else self.geometry()
        try:
            self.store.settings.set(self.WINDOW_SETTING, {"x": rect.x(), "y": rect.y(), "width": rect.width(),
                                                         "height": rect.height(), "maximised": self.isMaximized()})
        except Exception:  # a full disk, a store already closed: the window's place is not worth a message
            pass

    def closeEvent(self, event) -> None:
        self.remember_place()
        super().closeEvent(event)

    def _action(self, text: str, slot, shortcut=None, menu=None) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
            action.setShortcutContext(Qt.WindowShortcut)
        action.triggered.connect(lambda *_: slot())
        if menu is not None:
            menu.addAction(action)
        return action

    def _make_actions(self) -> None:
        bar = self.menuBar()
        from desktop.ui import dialogs

        file_menu = bar.addMenu("&Tệp")
        self.new_action = self._action("Báo cáo &mới…", lambda: dialogs.new_report(self), QKeySequence.New, file_menu)
        self.delete_report_action = self._action("&Xóa báo cáo…", lambda: dialogs.delete_report(self), None,
                                                 file_menu)
        from desktop.ui import setup

        self.demo_action = self._action("Mở &dữ liệu mẫu", lambda: setup.open_demo(self), None, file_menu)
        file_menu.addSeparator()
        self.info_action = self._action("&Thông tin văn bản (số, ngày, người ký)…",
                                        lambda: dialogs.ReportInfoDialog(self).exec(), QKeySequence("Ctrl+I"),
                                        file_menu)
        self.export_xlsx_action = self._action("Xuất &Excel…", lambda: dialogs.export_report(self, "xlsx"),
                                               None, file_menu)
        self.export_pdf_action = self._action("Xuất &PDF…", lambda: dialogs.export_report(self, "pdf"), None,
                                              file_menu)
        self.export_docx_action = self._action("Xuất văn bản &Word…", lambda: dialogs.export_report(self, "docx"),
                                               None, file_menu)
        self.import_xlsx_action = self._action("&Nhập số liệu từ Excel…", lambda: dialogs.import_workbook(self),
                                               None, file_menu)
        self.import_stats_action = self._action("Nhập số liệu từ phần mềm &một cửa…",
                                                self.import_stats, None, file_menu)
        self.preview_action = self._action("Xem trước và &in…", lambda: dialogs.print_preview(self),
                                           QKeySequence.Print, file_menu)
        file_menu.addSeparator()
        self._action("&Thoát", self.close, QKeySequence.Quit, file_menu)

        edit = bar.addMenu("&Sửa")
        self.undo_action = self._action("&Hoàn tác", self.undo, QKeySequence.Undo, edit)
        self.redo_action = self._action("&Làm lại", self.redo, QKeySequence("Ctrl+Y"), edit)
        edit.addSeparator()
        self.copy_action = self._action("&Sao chép", self.copy, QKeySequence.Copy, edit)
        self.paste_action = self._action("&Dán", self.paste, QKeySequence.Paste, edit)
        self.clear_action = self._action("&Xóa nội dung ô", self.clear_selection, None, edit)
        edit.addSeparator()
        self.add_row_action = self._action("&Thêm dòng", self.add_row, QKeySequence("Ctrl+Shift+="), edit)
        self.delete_row_action = self._action("Xóa dò&ng", self.delete_row, QKeySequence("Ctrl+-"), edit)
        self.row_up_action = self._action("Chuyển dòng &lên", lambda: self.move_row(-1),
                                          QKeySequence("Alt+Shift+Up"), edit)
        self.row_down_action = self._action("Chuyển dòng &xuống", lambda: self.move_row(1),
                                            QKeySequence("Alt+Shift+Down"), edit)
        edit.addSeparator()
        self.attach_action = self._action("Đính kèm &minh chứng…", self.attach_evidence, None, edit)
        self.open_evidence_action = self._action("&Mở minh chứng của dòng", self.open_evidence, None, edit)

        check = bar.addMenu("&Kiểm tra")
        self.check_action = self._action("&Kiểm tra báo cáo", self.check_report, QKeySequence("F9"), check)
        check.addAction(self.findings_dock.toggleViewAction())
        check.addSeparator()
        self.confirm_row_action = self._action("Xác nhận ô trống của &dòng là không phát sinh",
                                               lambda: self.confirm_blanks(whole=False), None, check)
        self.confirm_all_action = self._action("Xác nhận mọi ô trống &chưa đủ số liệu là không phát sinh",
                                               lambda: self.confirm_blanks(whole=True), None, check)
        check.addSeparator()
        self.navigator_action = self._action("Hiện cây &đơn vị và báo cáo", self.toggle_navigator,
                                             QKeySequence("F4"), check)
        self.navigator_action.setCheckable(True)
        self.navigator_action.setChecked(True)
        self.picture_action = self._action("&Xu hướng và tổng quan…", self.show_picture, QKeySequence("Ctrl+G"), check)

        from desktop.ui import submission

        submit = bar.addMenu("&Nộp báo cáo")
        self.checked_action = self._action("Chuyển sang “Đã &kiểm tra”", lambda: submission.mark_checked(self),
                                           None, submit)
        self.sign_action = self._action("&Ký số và tạo gói nộp…", lambda: submission.sign_report(self), None, submit)
        self.submitted_action = self._action("Đánh dấu “Đã &nộp”", lambda: submission.mark_submitted(self), None,
                                             submit)
        self.unlock_action = self._action("&Mở khóa để sửa…", lambda: submission.unlock_report(self), None, submit)
        submit.addSeparator()
        self.consolidate_action = self._action("&Tổng hợp từ gói của đơn vị cấp dưới…",
                                               lambda: submission.consolidate_packages(self), None, submit)
        self._action("Kiểm tra &một gói nộp…", lambda: submission.verify_package(self), None, submit)
        self.certificates_action = self._action("&Chứng thư số của đơn vị cấp dưới…",
                                                lambda: submission.show_certificates(self), None, submit)

        tools = bar.addMenu("&Công cụ")
        self.settings_action = self._action("&Thiết lập…", lambda: dialogs.edit_settings(self), None, tools)

        help_menu = bar.addMenu("&Trợ giúp")
        self.guide_action = self._action("&Hướng dẫn sử dụng", lambda: dialogs.show_guide(self),
                                         QKeySequence.HelpContents, help_menu)
        self._action("&Giới thiệu", lambda: dialogs.about(self), None, help_menu)
        self._update_actions()

    def _update_actions(self) -> None:
        has_report = self.session is not None
        has_form = self.model is not None
        editable = has_form and not self.session.locked
        for action in (self.export_xlsx_action, self.export_pdf_action, self.export_docx_action, self.preview_action,
                       self.check_action, self.import_xlsx_action, self.picture_action, self.info_action):
            action.setEnabled(has_report)
        self.delete_report_action.setEnabled(has_report and not self.session.locked)
        for action in (self.copy_action,):
            action.setEnabled(has_form)
        for action in (self.paste_action, self.clear_action, self.add_row_action, self.delete_row_action,
                       self.row_up_action, self.row_down_action, self.attach_action, self.confirm_row_action):
            action.setEnabled(editable)
        self.confirm_all_action.setEnabled(has_report and not self.session.locked)
        self.import_stats_action.setEnabled(has_report and not self.session.locked)
        if has_report and self.session.criteria is not None:  # a scoring sheet: evidence per criterion
            self.attach_action.setEnabled(not self.session.locked)
        status = self.store.reports.get(self.session.report_id).status if has_report else None
        self.checked_action.setEnabled(status == "nhap")
        self.sign_action.setEnabled(status in ("nhap", "da_kiem_tra"))
        self.submitted_action.setEnabled(status == "da_ky")
        self.unlock_action.setEnabled(status in LOCKED_STATUSES)
        self.consolidate_action.setEnabled(has_report and self.session.consolidates)
        self.undo_action.setEnabled(has_report and self.session.can_undo)
        self.redo_action.setEnabled(has_report and self.session.can_redo)

    # --- running operations -------------------------------------------------------------

    def perform(self, operation, *, quiet: bool = False):
        """Run one operation of the core; show a refusal, log the unexpected; apply its Change."""
        try:
            result = operation()
        except CchcError as error:
            if not quiet:
                self.say(str(error), warning=True)
            return error
        except Exception as error:  # never a traceback dialog
            errors.report_unexpected(self, error)
            return error
        change = result[0] if isinstance(result, tuple) else result
        if isinstance(change, Change):
            self.apply(change)
        return result

    def say(self, text: str, warning: bool = False) -> None:
        self.statusBar().showMessage(text, 15000)
        if warning:
            QMessageBox.warning(self, "CCHC Desktop", text)

    def apply(self, change: Change) -> None:
        """Refresh what ``change`` touched: the open form, findings, counts, the saved time."""
        if self.session is None:
            return
        if change.notes:  # an undo of a note under a table shows that form and its note
            code = next(iter(change.notes))
            if code != self.form_code or not self.page.isVisible():
                self.show_form(code)
            self.page.show_note(self.session.form_note(code), self.session.locked)
        elif change.sections:  # an undo of the body's text shows the section it changed
            if not self.narrative_page.isVisible():
                self.open_narrative(self.session.report_id)
            self.narrative_page.reload(self, next(iter(change.sections)))
        elif self.scoring_page.isVisible():
            self.scoring_page.refresh()
        elif self.page.isVisible() or change.touched_forms:  # an undo from the body editor shows its form
            self._apply_to_form(change)
        if change.saved_at:
            self.saved_label.setText(f"Đã lưu {change.saved_at:%H:%M:%S}")
        self.refresh_findings()
        self._update_actions()

    def _apply_to_form(self, change: Change) -> None:
        if change.focus and change.focus[0] != self.form_code and change.touched_forms:
            self.show_form(change.focus[0])  # an undo in another form shows where it happened
        elif self.form_code in change.forms:
            self.model.set_grid(self.session.grid(self.form_code))
        elif self.model is not None and self.form_code in change.touched_forms:
            self.model.refresh()
        if change.focus and self.model is not None and change.focus[0] == self.form_code:
            position = self.session.grid(self.form_code).position(change.focus[1], change.focus[2])
            if position and (change.forms or change.focus != (self.form_code, *self._current_ids())):
                self.view.go_to(*position)

    def _note_typed(self) -> None:
        """The note under the open form's table, stored when the clerk leaves it."""
        if self.session is None or self.form_code is None or self.session.locked:
            return
        text = self.page.note.text()
        if text.strip() == self.session.form_note(self.form_code).strip():
            return
        outcome = self.perform(lambda: self.session.set_form_note(self.form_code, text), quiet=True)
        if not isinstance(outcome, Exception):
            self.apply(outcome)

    def _current_ids(self) -> tuple:
        index = self.view.currentIndex()
        if not index.isValid() or self.model is None:
            return (None, None)
        grid = self.model.grid
        return grid.rows[index.row()].id, grid.columns[index.column()].id

    # --- navigator ---------------------------------------------------------------------

    def refresh_navigator(self) -> None:
        """Rebuild the tree; keep the open report and form selected. On a large database a
        unit's reports are read when the unit is opened (``_load_unit``), not at each start."""
        wanted = {code for code, item in getattr(self, "_unit_items", {}).items() if item.data(0, LOADED_ROLE)}
        if self.session is not None:
            wanted.add(self.session.data.report.unit_code)
        self.navigator.clear()
        self._report_items: dict[int, QTreeWidgetItem] = {}
        self._unit_items: dict[str, QTreeWidgetItem] = {}
        tree = self.perform(lambda: report_tree(self.store, self.catalog, load=wanted, all_up_to=NAVIGATOR_ALL_UP_TO),
                            quiet=True)
        if isinstance(tree, Exception):
            return
        closed = []

        def add(parent, unit) -> None:
            short = short_unit_name(unit.name)
            item = QTreeWidgetItem([short[:1].upper() + short[1:] + era_note(unit.code),
                                    LEVEL_NAMES.get(unit.level, ""), ""])
            item.setToolTip(0, unit.name + era_note(unit.code))
            item.setData(0, KIND_ROLE, ("unit", unit.code))
            item.setData(0, LOADED_ROLE, unit.loaded)
            (parent.addChild(item) if parent else self.navigator.addTopLevelItem(item))
            self._unit_items[unit.code] = item
            if unit.loaded:
                self._add_reports(item, unit.reports)
            else:  # read when opened: a placeholder gives it the arrow
                item.setText(2, f"{unit.report_count} báo cáo")
                item.addChild(QTreeWidgetItem(["Đang đọc…", "", ""]))
                closed.append(item)
            for child in unit.children:
                add(item, child)

        for root in tree:
            add(None, root)
        self.navigator.blockSignals(True)  # expanding emits itemExpanded: it would read every closed unit
        self.navigator.expandToDepth(2)
        for item in closed:
            item.setExpanded(False)
        self.navigator.blockSignals(False)
        self._select_in_navigator()

    def _add_reports(self, item: QTreeWidgetItem, reports) -> None:
        """A unit's reports under its item (before its sub-units), each with its body, appraisal and forms."""
        position = len(self._report_children(item))
        for report in reports:
            node = QTreeWidgetItem([f"{report.period} (số {report.id})", report.status_label,
                                    counts_text(report.errors, report.warnings)])
            node.setToolTip(0, f"Báo cáo {in_sentence(report.period)}, số {report.id}: {report.form_set}")
            node.setData(0, KIND_ROLE, ("report", report.id))
            item.insertChild(position, node)
            position += 1
            self._report_items[report.id] = node
            if report.appraises:  # the level above's sheet: its units' sheets, appraised and ranked
                appraised = QTreeWidgetItem(["Thẩm định các đơn vị", "", ""])
                appraised.setToolTip(0, "Bảng tự chấm điểm của các đơn vị cấp dưới: điểm thẩm định, nhận xét, "
                                        "xếp hạng")
                appraised.setData(0, KIND_ROLE, ("appraisal", report.id))
                node.addChild(appraised)
            if report.forms:  # a report with annexes has a body text too; a scoring sheet is one screen
                body = QTreeWidgetItem(["Nội dung báo cáo", "", ""])
                body.setToolTip(0, "Phần lời của báo cáo (I–V), với số liệu lấy từ phụ lục")
                body.setData(0, KIND_ROLE, ("narrative", report.id))
                node.addChild(body)
            for form in report.forms:
                leaf = QTreeWidgetItem([f"{form.printed_code}", "", counts_text(form.errors, form.warnings)])
                leaf.setToolTip(0, form.title)
                leaf.setData(0, KIND_ROLE, ("form", report.id, form.code))
                if form.errors:
                    leaf.setForeground(2, Qt.darkRed)
                elif form.warnings:
                    leaf.setForeground(2, Qt.darkYellow)
                node.addChild(leaf)

    @staticmethod
    def _report_children(item: QTreeWidgetItem) -> list:
        return [item.child(i) for i in range(item.childCount())
                if (item.child(i).data(0, KIND_ROLE) or ("",))[0] == "report"]

    def _load_unit(self, item: QTreeWidgetItem) -> None:
        """A closed unit opened: its reports read now, in place of the placeholder."""
        kind = item.data(0, KIND_ROLE)
        if not kind or kind[0] != "unit" or item.data(0, LOADED_ROLE):
            return
        found = self.perform(lambda: unit_reports(self.store, self.catalog, {kind[1]}), quiet=True)
        if isinstance(found, Exception):
            return
        item.takeChild(0)  # the placeholder
        item.setData(0, LOADED_ROLE, True)
        item.setText(2, "")
        self._add_reports(item, found.get(kind[1], []))

    def _show_unit_of(self, report_id: int) -> None:
        """The open report's unit read and opened in the tree, if it was closed."""
        if report_id in self._report_items or self.session is None:
            return
        item = self._unit_items.get(self.session.data.report.unit_code)
        if item is None:
            return
        self._load_unit(item)
        parent = item
        while parent is not None:
            parent.setExpanded(True)
            parent = parent.parent()

    def _navigate(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        kind = item.data(0, KIND_ROLE)
        if not kind:
            return
        if kind[0] == "form":
            self.open_report(kind[1], kind[2])
        elif kind[0] == "narrative":
            self.open_narrative(kind[1])
        elif kind[0] == "appraisal":
            self.open_appraisal(kind[1])
        elif kind[0] == "report":
            self.open_report(kind[1])

    def _update_navigator_counts(self) -> None:
        """After an edit: the open report's and its forms' counts, without rebuilding the tree."""
        if self.session is None:
            return
        item = self._report_items.get(self.session.report_id)  # that report's item alone, not the whole tree
        if item is None:
            return
        item.setText(2, counts_text(*self.session.counts()))
        for child in (item.child(i) for i in range(item.childCount())):
            kind = child.data(0, KIND_ROLE)
            if kind and kind[0] == "form":
                errors_, warnings = self.session.counts(kind[2])
                child.setText(2, counts_text(errors_, warnings))
                child.setForeground(2, Qt.darkRed if errors_ else Qt.darkYellow if warnings else Qt.black)

    # --- opening reports and forms --------------------------------------------------------

    def open_report(self, report_id: int, form_code: str | None = None) -> None:
        if self.session is None or self.session.report_id != report_id:
            self.narrative_page.leave()  # its text is this report's: stored before the report changes
            session = self.perform(lambda: ReportSession(self.store, self.catalog, report_id))
            if isinstance(session, Exception):
                return
            self.session = session
            self.form_code = None
            self._show_deadline()
            self.refresh_findings()
        screen = self._kind_screen()
        if screen is not None:  # a kind with a screen of its own (a PAR sheet), not form tabs
            self.form_code = None
            self._show_screen(*screen, item_kind=("report", report_id))
            self._update_actions()
            return
        forms = self.session.forms
        if not forms:
            self.say(msg("STORE014", report=report_id, form=form_code or ""), warning=True)
            return
        self.show_form(form_code or forms[0].code)

    def resizeEvent(self, event) -> None:
        """The navigator takes about a quarter of the width (230–360 px): on a 1024-wide screen the
        widest annexes still show six data columns, on a wider one the names have more room."""
        super().resizeEvent(event)
        if not self._navigator_dragged:
            width = max(230, min(360, int(self.width() * 0.24)))
            self.splitter.setSizes([width, max(1, self.width() - width)])
            self.navigator.setColumnWidth(0, width - 110)

    def toggle_navigator(self, shown: bool | None = None) -> None:
        """F4: the tree pane in or out of the way, for the form to have the whole width."""
        shown = self.navigator.isHidden() if shown is None else shown
        self.navigator.setVisible(shown)
        self.navigator_action.setChecked(shown)

    def close_report(self) -> None:
        """No report on screen (after deleting the open one)."""
        self.narrative_page.leave()
        self.session, self.form_code, self.model = None, None, None
        for page in (self.page, self.scoring_page, self.narrative_page, self.appraisal_page):
            page.hide()
        self.placeholder.show()
        self.deadline_label.setText("")
        self.refresh_findings()
        self._update_actions()

    def _show_page(self, page) -> None:
        """One of the centre's screens: a form, a scoring sheet, a report body."""
        if page is not self.narrative_page:
            self.narrative_page.leave()
        for other in (self.page, self.scoring_page, self.narrative_page, self.appraisal_page):
            other.setVisible(other is page)
        self.placeholder.hide()

    def open_narrative(self, report_id: int) -> None:
        self.open_report(report_id)
        if self.session is None or self.session.report_id != report_id or self._kind_screen() is not None:
            return
        self._show_screen(self.narrative_page, "Nội dung báo cáo", item_kind=("narrative", report_id))

    def open_appraisal(self, report_id: int) -> None:
        """The units' sheets received by this PAR sheet's unit: appraised and ranked."""
        self.open_report(report_id)
        if self.session is None or self.session.report_id != report_id or not self.session.appraises:
            return
        self._show_screen(self.appraisal_page, "Thẩm định Chỉ số CCHC", item_kind=("appraisal", report_id))

    def _kind_screen(self) -> tuple | None:
        """(page, title) of the open report's kind when the kind has a screen of its own; the
        screens by kind name are the window's registry of them (forms need none: form tabs)."""
        form_set = self.session.data.form_set if self.session is not None else None
        return self.kind_screens.get(form_set.kind.name) if form_set is not None else None

    def _show_screen(self, page, title: str, *, item_kind: tuple) -> None:
        """One of the open report's screens other than a form: shown, selected in the navigator, named."""
        self._show_page(page)
        page.show_report(self)
        self._select_in_navigator(item_kind)
        self.setWindowTitle(f"{title} – {self.session.data.unit.name}, {self.session.data.period.label} – CCHC Desktop")

    def _typed_total(self, column: str, text: str) -> None:
        """What the printed sheet states about the whole (total, index, rating), typed beside the computed ones."""
        if self.session is None or self.session.criteria is None or self.session.locked:
            return
        outcome = self.perform(lambda: self.session.enter_scores([(TOTAL_ROW, column, text)]))
        if isinstance(outcome, Exception):
            self.scoring_page.refresh_summary()

    def show_form(self, code: str) -> None:
        self._show_page(self.page)
        grid = self.session.grid(code)
        self.form_code = code
        if self.model is None:
            self.model = FormModel(grid, self._enter)
            self.model.refused.connect(self._refused)
            self.view.show_model(self.model)
        else:
            self.model.set_grid(grid)
        self.page.show_form(grid, placeholders(self.session.data))
        self.page.show_note(self.session.form_note(code), self.session.locked)
        if not self.view.currentIndex().isValid() or self.view.currentIndex().column() < grid.frozen:
            first = next((c for c in range(len(grid.columns)) if grid.columns[c].kind == "data"), 0)
            self.view.setCurrentIndex(self.model.index(0, first))
        self._select_in_navigator()
        self._update_actions()
        self.setWindowTitle(f"{grid.form.printed_code} – {self.session.data.unit.name}, "
                            f"{self.session.data.period.label} – CCHC Desktop")

    def _select_in_navigator(self, item_kind: tuple | None = None) -> None:
        """The open report's form (or ``item_kind``) selected, found under the report's own item:
        a form switch does not walk a province's whole tree."""
        if self.session is None:
            return
        self._show_unit_of(self.session.report_id)
        wanted = item_kind or ("form", self.session.report_id, self.form_code)
        node = self._report_items.get(self.session.report_id)
        if node is None:
            return
        for item in [node] + [node.child(i) for i in range(node.childCount())]:
            if item.data(0, KIND_ROLE) == wanted:
                self.navigator.blockSignals(True)
                self.navigator.setCurrentItem(item)
                self.navigator.blockSignals(False)
                return

    def _show_deadline(self) -> None:
        from desktop.foundation.periods import deadline_state

        data = self.session.data
        state = deadline_state(data.period, data.period_rules)
        if self.session.report.status == "da_nop":
            text, color = "Đã nộp · khóa sửa", "green"
        elif self.session.report.status == "da_ky":
            text, color = "Đã ký · khóa sửa (Nộp báo cáo → Mở khóa để sửa)", "#1a5fb4"
        elif state.state == "late":
            overdue = f"{-state.days_left} ngày " if state.days_left >= -60 else ""
            text, color = f"Quá hạn nộp {overdue}(hạn {state.deadline:%d/%m/%Y})", "#b00020"
        elif state.state == "near":
            text, color = f"Còn {state.days_left} ngày đến hạn nộp ({state.deadline:%d/%m/%Y})", "#a06000"
        else:
            text, color = f"Hạn nộp {state.deadline:%d/%m/%Y}", "black"
        self.deadline_label.setText(text)
        self.deadline_label.setStyleSheet(f"color: {color};")

    # --- findings ------------------------------------------------------------------------

    def refresh_findings(self) -> None:
        if self.session is None:
            self.findings_panel.show_findings([])
            self.counts_label.setText("")
            return
        findings = self.session.findings()
        self.findings_panel.show_findings(findings)
        errors_, warnings = self.session.counts()
        self.counts_label.setText(f"Lỗi: {errors_} · Cảnh báo: {warnings}")
        self.counts_label.setStyleSheet("color: #b00020;" if errors_ else "")
        self._update_navigator_counts()

    def check_report(self) -> None:
        if self.session is None:
            return
        self.session.reload()
        if self.model is not None:
            self.model.set_grid(self.session.grid(self.form_code))
        self.refresh_findings()
        errors_, warnings = self.session.counts()
        self.findings_dock.show()
        self.say(msg("CLI003") if not errors_ and not warnings else msg("CLI004", errors=errors_, warnings=warnings))

    def _jump_to_finding(self, row: int, _column: int) -> None:
        finding = self.findings_panel.findings[row]
        if not finding.form_code:
            return
        if finding.form_code == SHEET_FORM:
            model = self.scoring_page.model
            rows = [n.code for n in model.nodes] if model else []
            if finding.row_id in rows:
                self.scoring_page.table.setCurrentIndex(model.index(rows.index(finding.row_id), 4))
            return
        if finding.form_code == BODY_FORM:
            self.open_narrative(self.session.report_id)
            self.narrative_page.sections.setCurrentRow(self.narrative_page._row_of(finding.row_id))
            return
        self.go_to_cell(finding.form_code, finding.row_id, finding.column_id)

    def go_to_cell(self, form_code: str, row_id: str, column_id: str | None) -> None:
        """The open report's form shown with the cell (or the row's first data cell) current."""
        if form_code != self.form_code:
            self.show_form(form_code)
        position = self.session.grid(form_code).position(row_id, column_id)
        if position:
            self.view.go_to(*position)

    def show_picture(self) -> None:
        """Xu hướng và tổng quan: the open report's key figures over time and, for a district or
        province, its units this period (desktop.app.picture), computed as other long work is."""
        if self.session is None:
            return
        from desktop.app.picture import overview, ranked_by, trends
        from desktop.ui.charts import PictureDialog

        session = self.session
        found = self.perform(lambda: (trends(self.store, self.catalog, session.report_id),
                                      overview(session.data, session.findings()), ranked_by(session.data)))
        if isinstance(found, Exception):
            return
        PictureDialog(self, session.data, *found).exec()

    # --- editing -------------------------------------------------------------------------

    def _enter(self, r: int, c: int, text: str):
        """The model's setData: True when stored, else the reason shown at the cell."""
        outcome = self.perform(lambda: self.session.enter_at(self.form_code, r, c, text), quiet=True)
        return str(outcome) if isinstance(outcome, Exception) else True

    def _refused(self, index: QModelIndex, message: str) -> None:
        self.statusBar().showMessage(message, 15000)
        rect = self.view.visualRect(index)
        QToolTip.showText(self.view.viewport().mapToGlobal(rect.bottomLeft()), message, self.view)

    def undo(self) -> None:
        if self.session is not None:
            self.perform(self.session.undo)

    def redo(self) -> None:
        if self.session is not None:
            self.perform(self.session.redo)

    def copy(self) -> None:
        block = self.view.selected_block()
        if block is not None and self.model is not None:
            QGuiApplication.clipboard().setText(self.model.grid.copy_tsv(*block))

    def paste(self) -> None:
        block = self.view.selected_block()
        if block is None or self.model is None:
            return
        text = QGuiApplication.clipboard().text()
        top, left = block[0], block[1]
        change = self.perform(lambda: self.session.paste(self.form_code, top, left, text, selection=block))
        if isinstance(change, Change) and change.left_out:
            self.say(msg("CELL007", cells=change.left_out), warning=True)

    def clear_selection(self) -> None:
        if self.model is not None:
            cells = self.view.selected_cells()
            self.perform(lambda: self.session.clear(self.form_code, cells))

    def import_stats(self) -> None:
        # the one-stop import's readers (html.parser, csv, 15 ms) load when it is first used, not at start
        from desktop.ui.onestop import import_stats

        import_stats(self)

    def confirm_blanks(self, whole: bool) -> None:
        """Blank parts confirmed as "không phát sinh" (0 or "-" as the set prints it), undoable."""
        if self.session is None:
            return
        row = None
        if not whole:
            _, found = self._current_row()
            if found is None:
                self.say("Hãy chọn một ô của dòng cần xác nhận.", warning=True)
                return
            row = found.id
        code = None if whole else self.form_code
        result = self.perform(lambda: self.session.confirm_blanks(code, row))
        if isinstance(result, Change):
            self.say(msg("CELL009", count=len(result.cells), value=self.session.data.form_set.blank_means,
                         report=self.session.report_id) if result.cells else msg("CELL010", report=self.session.report_id))

    def _current_row(self):
        index = self.view.currentIndex()
        if self.model is None or not index.isValid():
            return None, None
        return index.row(), self.model.grid.rows[index.row()]

    def add_row(self) -> None:
        r, row = self._current_row()
        if row is None:
            return
        grid = self.model.grid
        section = grid.section_of(r)
        if section is None:
            self.say("Dòng đang chọn không thuộc phần được thêm dòng; hãy chọn một dòng nhiệm vụ "
                     "hoặc dòng nhóm của nó.", warning=True)
            return
        ids = self.session.data.repeats.get(self.form_code, {}).get(section, [])
        position = ids.index(row.id) + 1 if row.id in ids else 0
        self.perform(lambda: self.session.add_row(self.form_code, section, position))

    def delete_row(self) -> None:
        _, row = self._current_row()
        if row is not None:
            self.perform(lambda: self.session.delete_row(self.form_code, row.id))

    def move_row(self, offset: int) -> None:
        _, row = self._current_row()
        if row is not None:
            self.perform(lambda: self.session.move_row(self.form_code, row.id, offset))

    def attach_evidence(self, paths: list[str] | None = None) -> None:
        if self.scoring_page.isVisible():  # a PAR sheet: the evidence of the selected criterion
            form_code, row_id = SHEET_FORM, self.scoring_page.current_code()
        else:
            _, row = self._current_row()
            form_code, row_id = self.form_code, row.id if row is not None else None
        if row_id is None:
            return
        if paths is None:
            from desktop.foundation.settings import load_settings

            start = load_settings(self.store)["folders"]["evidence"] or str(Path.home())
            paths, _ = QFileDialog.getOpenFileNames(self, "Chọn tệp minh chứng", start)
        for path in paths:
            self.perform(lambda path=path: self.session.attach(form_code, row_id, path))
        if self.scoring_page.isVisible():
            self.scoring_page.refresh()
        else:
            self.model.refresh()

    def open_evidence(self) -> None:
        r, row = self._current_row()
        if row is None:
            return
        files = self.model.grid.attachments(r)
        if not files:
            self.say("Dòng này chưa có tệp minh chứng.")
            return
        for attached in files:
            data = self.session.evidence_bytes(attached)
            problem = evidence_problem(attached.filename, data)
            if problem:  # kept before this check existed: never handed to the system to open
                self.say(msg("EVID001", file=attached.filename[:80], reason=problem))
                continue
            folder = Path(tempfile.mkdtemp(prefix="cchc-minh-chung-"))
            target = folder / Path(attached.filename).name
            target.write_bytes(data)
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(target)))

    def _double_clicked(self, index: QModelIndex) -> None:
        if self.model is not None and index.column() == self.model.grid.frozen - 1 \
                and not self.model.grid.is_editable(index.row(), index.column()):
            if self.model.grid.attachments(index.row()):
                self.view.setCurrentIndex(self.model.index(index.row(), self.view.currentIndex().column()))
                self.open_evidence()

    def _files_dropped(self, r: int, paths: list[str]) -> None:
        """Files dropped on a row: evidence of that row."""
        self.view.setCurrentIndex(self.model.index(r, max(self.view.currentIndex().column(), 0)))
        self.attach_evidence(paths)

    def report_info_changed(self) -> None:
        """The report's document information changed (Thông tin văn bản): what shows it reads it again."""
        self.report_changed_elsewhere()
        self.say(msg("INFO006", report=self.session.report_id))

    def report_changed_elsewhere(self) -> None:
        """After an import or a new report: read everything again."""
        if self.session is not None:
            self.session = ReportSession(self.store, self.catalog, self.session.report_id)
            self._show_deadline()  # the status may have changed: no "Quá hạn nộp" after Đã nộp
            if self.form_code:
                self.show_form(self.form_code)
            elif self.appraisal_page.isVisible():
                self.appraisal_page.show_report(self)
            self.refresh_findings()
        self.refresh_navigator()

"""The main window: navigator (units → reports → forms), the form screen, the findings panel.

The window lays out its rooms and wires its menus to them: the navigator (``navigator``), the
findings panel (``findings``), editing the open form (``editing``), and the dialogs, submission,
PAR and chart rooms. Every change goes through ``perform()``: it runs one small operation of the
core (``ReportSession``), turns a refusal into a short Vietnamese message and an
unexpected error into a logged one, and hands the returned ``Change`` to the
views so each refreshes itself (Anki's pattern).  Nothing here writes to the
store directly.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence
from PySide6.QtWidgets import QDockWidget, QLabel, QMainWindow, QMessageBox, QSplitter

from desktop import __version__
from desktop.app.session import Change, ReportSession
from desktop.exchange.annex import placeholders
from desktop.foundation.messages import CchcError, msg
from desktop.kinds.par.kind import KIND as PAR_KIND
from desktop.store.reports import LOCKED_STATUSES
from desktop.ui import editing, errors
from desktop.ui.findings import FindingsPanel
from desktop.ui.form_view import FormModel, FormPage
from desktop.ui.navigator import Navigator


def _charts():
    from desktop.ui import charts  # its data (desktop.app.picture) loads at first use, not at start

    return charts


def _submission():
    from desktop.ui import submission

    return submission


def _formsets():
    from desktop.ui import formsets  # the definition workbook and the form-set packages load when first used

    return formsets


def _onestop():
    from desktop.ui import onestop  # the one-stop import's readers (html.parser, csv) load when first used

    return onestop


class MainWindow(QMainWindow):
    def __init__(self, store, catalog, *, db_path: Path | None = None, new_window=None) -> None:
        self.first_run = False  # a new database of the clerk's: app.py shows the setup dialog
        # ``new_window(store, catalog, db_path)``: another window (the demo's), made where every
        # window is made (ui/app.py, the composition root), so no room imports the window
        self.new_window = new_window
        super().__init__()
        self.store = store
        self.catalog = catalog
        self.db_path = db_path or store.path
        self.session: ReportSession | None = None
        self.form_code: str | None = None
        self.model: FormModel | None = None
        self.setWindowTitle(f"CCHC Desktop {__version__}")
        self.start_maximised = self.place_on_screen()

        self.navigator = Navigator(self)
        self.page = FormPage()
        self.page.note.editingFinished.connect(lambda: editing.note_typed(self))
        self.view = self.page.view
        self.view.cleared.connect(lambda: editing.clear_selection(self))
        self.view.doubleClicked.connect(lambda index: editing.double_clicked(self, index))
        self.view.files_dropped.connect(lambda r, paths: editing.files_dropped(self, r, paths))
        self.view.frozen.doubleClicked.connect(lambda index: editing.double_clicked(self, index))
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
        self.scoring_page.typed.connect(lambda column, text: editing.typed_total(self, column, text))
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

        self.findings_panel = FindingsPanel(self)
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
        self.navigator.refresh()

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
        self.upgrade_action = self._action("Chuyển sang &phiên bản khác của bộ biểu mẫu…",
                                           lambda: _formsets().upgrade_report(self), None, file_menu)
        self.export_xlsx_action = self._action("Xuất &Excel…", lambda: dialogs.export_report(self, "xlsx"),
                                               None, file_menu)
        self.export_pdf_action = self._action("Xuất &PDF…", lambda: dialogs.export_report(self, "pdf"), None,
                                              file_menu)
        self.export_docx_action = self._action("Xuất văn bản &Word…", lambda: dialogs.export_report(self, "docx"),
                                               None, file_menu)
        self.import_xlsx_action = self._action("&Nhập số liệu từ Excel…", lambda: dialogs.import_workbook(self),
                                               None, file_menu)
        self.import_stats_action = self._action("Nhập số liệu từ phần mềm &một cửa…",
                                                lambda: _onestop().import_stats(self), None, file_menu)
        self.preview_action = self._action("Xem trước và &in…", lambda: dialogs.print_preview(self),
                                           QKeySequence.Print, file_menu)
        self._action("In biểu mẫu &trống…", lambda: dialogs.print_blank_forms(self), None, file_menu)
        self._action("Nhận phiếu của &cấp trên…", lambda: _submission().import_receipt(self), None, file_menu)
        self._action("Nhận &bộ biểu mẫu của cấp trên…", lambda: _formsets().receive_form_set(self), None, file_menu)
        self._action("Bộ &biểu mẫu…", lambda: _formsets().show_form_sets(
            self, lambda folder: _submission().publish_form_set(self, folder)), None, file_menu)
        file_menu.addSeparator()
        self._action("&Thoát", self.close, QKeySequence.Quit, file_menu)

        edit = bar.addMenu("&Sửa")
        self.undo_action = self._action("&Hoàn tác", lambda: editing.undo(self), QKeySequence.Undo, edit)
        self.redo_action = self._action("&Làm lại", lambda: editing.redo(self), QKeySequence("Ctrl+Y"), edit)
        edit.addSeparator()
        self.copy_action = self._action("&Sao chép", lambda: editing.copy(self), QKeySequence.Copy, edit)
        self.paste_action = self._action("&Dán", lambda: editing.paste(self), QKeySequence.Paste, edit)
        self.clear_action = self._action("&Xóa nội dung ô", lambda: editing.clear_selection(self), None, edit)
        edit.addSeparator()
        self.add_row_action = self._action("&Thêm dòng", lambda: editing.add_row(self), QKeySequence("Ctrl+Shift+="), edit)
        self.delete_row_action = self._action("Xóa dò&ng", lambda: editing.delete_row(self), QKeySequence("Ctrl+-"), edit)
        self.row_up_action = self._action("Chuyển dòng &lên", lambda: editing.move_row(self, -1),
                                          QKeySequence("Alt+Shift+Up"), edit)
        self.row_down_action = self._action("Chuyển dòng &xuống", lambda: editing.move_row(self, 1),
                                            QKeySequence("Alt+Shift+Down"), edit)
        edit.addSeparator()
        self.attach_action = self._action("Đính kèm &minh chứng…", lambda: editing.attach_evidence(self), None, edit)
        self.open_evidence_action = self._action("&Mở minh chứng của dòng", lambda: editing.open_evidence(self), None, edit)

        check = bar.addMenu("&Kiểm tra")
        self.check_action = self._action("&Kiểm tra báo cáo", self.findings_panel.check, QKeySequence("F9"), check)
        check.addAction(self.findings_dock.toggleViewAction())
        check.addSeparator()
        self.confirm_row_action = self._action("Xác nhận ô trống của &dòng là không phát sinh",
                                               lambda: editing.confirm_blanks(self, whole=False), None, check)
        self.confirm_all_action = self._action("Xác nhận mọi ô trống &chưa đủ số liệu là không phát sinh",
                                               lambda: editing.confirm_blanks(self, whole=True), None, check)
        check.addSeparator()
        self.navigator_action = self._action("Hiện cây &đơn vị và báo cáo", self.toggle_navigator,
                                             QKeySequence("F4"), check)
        self.navigator_action.setCheckable(True)
        self.navigator_action.setChecked(True)
        self.picture_action = self._action("&Xu hướng và tổng quan…", lambda: _charts().show_picture(self), QKeySequence("Ctrl+G"), check)

        from desktop.ui import submission

        submit = bar.addMenu("&Nộp báo cáo")
        self.checked_action = self._action("Chuyển sang “Đã &kiểm tra”", lambda: submission.mark_checked(self),
                                           None, submit)
        self.sign_action = self._action("&Ký số và tạo gói nộp…", lambda: submission.sign_report(self), None, submit)
        self.seal_action = self._action("Đóng &dấu (chữ ký số cơ quan)…", lambda: submission.seal_report(self), None,
                                        submit)
        self.submitted_action = self._action("Đánh dấu “Đã &nộp”", lambda: submission.mark_submitted(self), None,
                                             submit)
        self.unlock_action = self._action("&Mở khóa để sửa…", lambda: submission.unlock_report(self), None, submit)
        self._action("&Việc cần nộp…", lambda: submission.show_due(self), None, submit)
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
        self.upgrade_action.setEnabled(has_report and not self.session.locked and any(
            i == self.session.report.form_set_id and v != self.session.report.form_set_version
            for i, v in self.catalog.sets))
        self.import_stats_action.setEnabled(has_report and not self.session.locked)
        if has_report and self.session.criteria is not None:  # a scoring sheet: evidence per criterion
            self.attach_action.setEnabled(not self.session.locked)
        status = self.store.reports.get(self.session.report_id).status if has_report else None
        self.checked_action.setEnabled(status == "nhap")
        self.sign_action.setEnabled(status in ("nhap", "da_kiem_tra"))
        self.seal_action.setEnabled(status == "da_ky")
        self.submitted_action.setEnabled(status in ("da_ky", "da_dong_dau"))
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
        if change.version_changed:  # another version of the form set: its forms, rows and columns anew
            codes = [f.code for f in self.session.forms]
            self.navigator.refresh()
            if codes and not self._kind_screen():
                self.show_form(self.form_code if self.form_code in codes else codes[0])
            self.findings_panel.refresh()
            self._update_actions()
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
        self.findings_panel.refresh()
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

    def _current_ids(self) -> tuple:
        index = self.view.currentIndex()
        if not index.isValid() or self.model is None:
            return (None, None)
        grid = self.model.grid
        return grid.rows[index.row()].id, grid.columns[index.column()].id

    # --- navigator ---------------------------------------------------------------------

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
            self.findings_panel.refresh()
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
        self.findings_panel.refresh()
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
        if self.session is None or self.session.report_id != report_id or not self.session.has_body:
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
        self.navigator.select(item_kind)
        self.setWindowTitle(f"{title} – {self.session.data.unit.name}, {self.session.data.period.label} – CCHC Desktop")

    def show_form(self, code: str) -> None:
        self._show_page(self.page)
        grid = self.session.grid(code)
        self.form_code = code
        if self.model is None:
            self.model = FormModel(grid, lambda r, c, text: editing.enter(self, r, c, text))
            self.model.refused.connect(lambda index, message: editing.refused(self, index, message))
            self.view.show_model(self.model)
        else:
            self.model.set_grid(grid)
        self.page.show_form(grid, placeholders(self.session.data))
        self.page.show_note(self.session.form_note(code), self.session.locked)
        if not self.view.currentIndex().isValid() or self.view.currentIndex().column() < grid.frozen:
            first = next((c for c in range(len(grid.columns)) if grid.columns[c].kind == "data"), 0)
            self.view.setCurrentIndex(self.model.index(0, first))
        self.navigator.select()
        self._update_actions()
        self.setWindowTitle(f"{grid.form.printed_code} – {self.session.data.unit.name}, "
                            f"{self.session.data.period.label} – CCHC Desktop")

    def _show_deadline(self) -> None:
        from desktop.foundation.periods import deadline_state

        data = self.session.data
        state = deadline_state(data.period, data.period_rules)
        status = self.session.report.status
        if status in ("da_tiep_nhan", "bi_tra_lai"):  # the parent body's answer (issue 28 §5)
            from desktop.submission.receipts import receipt_state

            text = receipt_state(self.store.receipts.of_report(self.session.report_id))
            color = "green" if status == "da_tiep_nhan" else "#b00020"
        elif status == "da_nop":
            text, color = "Đã nộp · khóa sửa", "green"
        elif status == "da_dong_dau":
            text, color = "Đã ký và đóng dấu · khóa sửa (Nộp báo cáo → Mở khóa để sửa)", "#1a5fb4"
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

    def go_to_cell(self, form_code: str, row_id: str, column_id: str | None) -> None:
        """The open report's form shown with the cell (or the row's first data cell) current."""
        if form_code != self.form_code:
            self.show_form(form_code)
        position = self.session.grid(form_code).position(row_id, column_id)
        if position:
            self.view.go_to(*position)

    def report_info_changed(self) -> None:
        """The report's document information changed (Thông tin văn bản): what shows it reads it again."""
        self.report_changed_elsewhere()
        self.say(msg("INFO006", report=self.session.report_id))

    def catalog_changed(self, catalog) -> None:
        """The form sets read again (a set received): the open report reads its set from them, its
        undo kept; the actions that depend on the versions at hand follow."""
        self.catalog = catalog
        if self.session is not None:
            self.session.catalog = catalog
            self.session.reload()
        self.navigator.refresh()
        self._update_actions()

    def report_changed_elsewhere(self) -> None:
        """After an import or a new report: read everything again."""
        if self.session is not None:
            self.session = ReportSession(self.store, self.catalog, self.session.report_id)
            self._show_deadline()  # the status may have changed: no "Quá hạn nộp" after Đã nộp
            if self.form_code:
                self.show_form(self.form_code)
            elif self.appraisal_page.isVisible():
                self.appraisal_page.show_report(self)
            self.findings_panel.refresh()
        self.navigator.refresh()

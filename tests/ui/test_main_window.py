"""The real window, driven as a clerk drives it: keys, clipboard, undo, findings, reopening."""

from pathlib import Path

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QGuiApplication, QKeyEvent
from PySide6.QtWidgets import QApplication, QLineEdit

from conftest import REPO
from desktop.store.db import Store
from desktop.ui import editing
from desktop.ui.form_view import SEVERITY_ROLE

KE_SACH, KHANH_SON, QUANG_NGAN = 2, 1, 3


def cell(window, row_id, column_id):
    grid = window.model.grid
    assert column_id in grid.form.by_id, column_id
    r, c = grid.position(row_id, column_id)
    return window.model.index(r, c)


def press(widget, text: str) -> None:
    """Key presses carrying Vietnamese text (QTest's key clicks take ASCII only)."""
    for char in text:
        for kind in (QEvent.KeyPress, QEvent.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, Qt.Key_unknown, Qt.NoModifier, char))


def type_into(qtbot, window, index, text, finish=Qt.Key_Return):
    """Select a cell and type as a clerk does: the first key opens the editor over
    the cell and replaces what it held (Excel's overwrite); Enter or Tab commits."""
    view = window.view
    view.setCurrentIndex(index)
    press(view, text[0])
    assert view.state() == view.State.EditingState
    editor = next(w for w in view.viewport().findChildren(QLineEdit) if w.isVisible())
    press(editor, text[1:])
    assert editor.text() == text
    qtbot.keyClick(editor, finish)
    QApplication.processEvents()  # Qt commits an edit ended by Enter on the next turn of the event loop


def stored(window, report, form, row, column):
    return window.store.cells.get(report).get(form, {}).get(row, {}).get(column)


def test_window_opens_with_navigator_and_the_first_report(demo_window):
    window = demo_window
    top = [window.navigator.topLevelItem(i).text(0) for i in range(window.navigator.topLevelItemCount())]
    # the Khánh Hòa of today (a merged commune's first quarterly report, minh họa), then the seeds' provinces
    assert top == ["Tỉnh Khánh Hòa (từ 01/07/2025)", "Tỉnh Khánh Hòa", "Tỉnh Sóc Trăng", "Tỉnh Thừa Thiên Huế",
                   "Tỉnh Kon Tum"]
    assert window.session.report_id == KHANH_SON
    assert window.page.code.text() == window.model.grid.form.printed_code
    # warnings: 2 the body's figures, 1 Phụ lục VI's total printed over blank communes, 7 Phụ lục 2
    # against Phụ lục 3 and 1 Phụ lục 1's plan against the task table (seed 000, issue 18 §5)
    assert window.counts_label.text() == "Lỗi: 10 · Cảnh báo: 12"
    assert window.findings_panel.rowCount() == 22


def test_type_numbers_commit_move_and_show_in_vietnamese(qtbot, demo_window):
    window = demo_window
    window.open_report(KE_SACH, "5B")
    index = cell(window, "I", "ky_truoc")
    type_into(qtbot, window, index, "1.234")
    assert stored(window, KE_SACH, "5B", "I", "ky_truoc") == "1234"
    assert window.model.data(index) == "1.234"
    assert window.view.currentIndex().row() == index.row() + 1  # Enter moved down
    assert window.saved_label.text().startswith("Đã lưu ")
    type_into(qtbot, window, cell(window, "I", "moi_tiep_nhan"), "7", finish=Qt.Key_Tab)
    assert window.view.currentIndex().column() == cell(window, "I", "moi_tiep_nhan").column() + 1


def test_a_value_the_cell_cannot_take_keeps_the_old_one_and_says_why(qtbot, demo_window):
    window = demo_window
    window.open_report(KE_SACH, "5B")
    index = cell(window, "I", "ky_truoc")
    before = stored(window, KE_SACH, "5B", "I", "ky_truoc")
    type_into(qtbot, window, index, "ba trăm")
    assert stored(window, KE_SACH, "5B", "I", "ky_truoc") == before
    assert "cần một số" in window.model.data(index, Qt.ToolTipRole)
    assert "cần một số" in window.statusBar().currentMessage()


def test_error_marker_appears_and_goes_and_the_panel_follows(qtbot, demo_window):
    window = demo_window
    window.open_report(KE_SACH, "5B")
    total = cell(window, "I", "tiep_nhan")
    assert window.model.data(total, SEVERITY_ROLE) is None
    errors_before = window.session.counts()[0]
    type_into(qtbot, window, total, "9999")
    assert window.model.data(total, SEVERITY_ROLE) == "error"
    assert "phải bằng" in window.model.data(total, Qt.ToolTipRole)
    errors_now = window.session.counts()[0]
    assert errors_now > errors_before  # (3) ≠ (4)+(5), and the grand total no longer adds up
    assert f"Lỗi: {errors_now}" in window.counts_label.text()
    assert window.findings_panel.rowCount() == len(window.session.findings())
    editing.undo(window)
    assert window.model.data(total, SEVERITY_ROLE) is None
    assert window.session.counts()[0] == errors_before


def test_a_typed_value_repaints_the_cells_that_paint_differently_and_no_others(qtbot, demo_window):
    """After a keystroke the table is told of the cells whose text or colour changed (the cell,
    the totals it feeds, the cells its findings mark), not of the whole table; what it then
    paints is what the grid holds."""
    from desktop.ui.form_view import ERROR_BRUSH

    window = demo_window
    window.open_report(KE_SACH, "5B")
    window.view.viewport().repaint()  # the visible cells asked for, as a clerk's screen has them
    total = cell(window, "I", "tiep_nhan")
    told = []
    window.model.dataChanged.connect(lambda first, last, *_: told.append(
        {(r, c) for r in range(first.row(), last.row() + 1) for c in range(first.column(), last.column() + 1)}))
    type_into(qtbot, window, total, "9999")
    changed = set().union(*told)
    assert (total.row(), total.column()) in changed and len(changed) < 20
    assert window.model.data(total, Qt.DisplayRole) == "9.999"
    assert window.model.data(total, Qt.BackgroundRole) == ERROR_BRUSH
    grid = window.model.grid
    for r in range(len(grid.rows)):  # every cell shows the grid's text, told or not
        for c in range(len(grid.columns)):
            assert window.model.data(window.model.index(r, c), Qt.DisplayRole) == grid.text(r, c)


def test_jump_from_the_findings_panel_to_the_cell(qtbot, demo_window):
    window = demo_window
    window.open_report(KE_SACH, "5B")
    panel = window.findings_panel
    row = next(i for i, f in enumerate(panel.findings) if f.form_code == "4B")
    finding = panel.findings[row]
    panel.cellClicked.emit(row, 2)
    assert window.form_code == "4B"
    current = window.view.currentIndex()
    grid = window.model.grid
    assert (grid.rows[current.row()].id, grid.columns[current.column()].id) == (finding.row_id, finding.column_id)


def test_copy_and_paste_blocks_with_the_clipboard_then_undo_and_redo(qtbot, demo_window):
    window = demo_window
    window.open_report(KE_SACH, "5B")
    view = window.view
    first = cell(window, "unit:31528.cu", "ky_truoc")
    r, c = first.row(), first.column()
    grid = window.model.grid
    before = grid.block(r, c, r + 1, c + 1)
    view.setCurrentIndex(first)
    QGuiApplication.clipboard().setText("1.000\t2\r\n3\t4,0\r\n")  # as Excel puts it; "4,0" is a whole 4
    window.paste_action.trigger()
    assert grid.block(r, c, r + 1, c + 1) == [["1.000", "2"], ["3", "4"]]
    view.selectionModel().clearSelection()
    view.setCurrentIndex(first)
    view.selectionModel().select(window.model.index(r + 1, c + 1), view.selectionModel().SelectionFlag.Select)
    window.copy_action.trigger()
    assert QGuiApplication.clipboard().text() == "1.000\t2\n3\t4\n"
    window.undo_action.trigger()  # the whole paste is one step
    assert grid.block(r, c, r + 1, c + 1) == before
    window.redo_action.trigger()
    assert window.model.grid.block(r, c, r + 1, c + 1) == [["1.000", "2"], ["3", "4"]]


def test_delete_clears_the_selection(qtbot, demo_window):
    window = demo_window
    window.open_report(KE_SACH, "5B")
    index = cell(window, "I", "ky_truoc")
    window.view.setCurrentIndex(index)
    qtbot.keyClick(window.view, Qt.Key_Delete)
    assert stored(window, KE_SACH, "5B", "I", "ky_truoc") is None
    assert window.model.data(index) == ""


def test_undo_across_forms_shows_the_form_where_it_happened(qtbot, demo_window):
    window = demo_window
    window.open_report(KE_SACH, "5B")
    type_into(qtbot, window, cell(window, "I", "ky_truoc"), "5")
    window.show_form("4B")
    editing.undo(window)
    assert window.form_code == "5B"
    assert stored(window, KE_SACH, "5B", "I", "ky_truoc") == "323"


def test_repeating_rows_insert_move_delete_from_the_menu(qtbot, demo_window):
    window = demo_window
    window.open_report(KHANH_SON)
    form = "TD"
    window.show_form(form)
    grid = window.model.grid
    r = next(i for i, row in enumerate(grid.rows) if grid.section_of(i))
    window.view.setCurrentIndex(window.model.index(r, 1))
    rows_before = window.model.rowCount()
    window.add_row_action.trigger()
    assert window.model.rowCount() == rows_before + 1
    new = window.model.grid.rows[window.view.currentIndex().row()]
    assert new.kind == "repeat"
    type_into(qtbot, window, window.model.index(window.view.currentIndex().row(), 1), "Nhiệm vụ mới")
    assert stored(window, KHANH_SON, form, new.id, window.model.grid.columns[1].id) == "Nhiệm vụ mới"
    window.view.setCurrentIndex(window.model.index(window.model.grid.position(new.id, None)[0], 1))
    window.delete_row_action.trigger()
    assert window.model.rowCount() == rows_before
    editing.undo(window)
    assert window.model.rowCount() == rows_before + 1
    assert stored(window, KHANH_SON, form, new.id, window.model.grid.columns[1].id) == "Nhiệm vụ mới"


def test_evidence_attached_to_a_row(qtbot, demo_window, tmp_path):
    window = demo_window
    window.open_report(KE_SACH, "5B")
    evidence = tmp_path / "quyet-dinh.pdf"
    evidence.write_bytes(b"%PDF-1.4 minh chung")
    window.view.setCurrentIndex(cell(window, "I", "ky_truoc"))
    editing.attach_evidence(window, [str(evidence)])
    [attached] = window.store.attachments.of(KE_SACH)
    assert (attached.row_id, attached.filename) == ("I", "quyet-dinh.pdf")
    label = window.model.index(cell(window, "I", "ky_truoc").row(), window.model.grid.frozen - 1)
    assert "1 tệp minh chứng" in window.model.data(label, Qt.ToolTipRole)


def test_new_report_dialog_shows_deadline_and_carries_over(qtbot, demo_window):
    from desktop.ui.dialogs import NewReportDialog

    window = demo_window
    dialog = NewReportDialog(window)
    qtbot.addWidget(dialog)
    dialog.unit.setCurrentIndex(next(i for i in range(dialog.unit.count())
                                     if dialog.unit.itemData(i).code == "ST.KS"))
    dialog.year.setValue(2020)
    assert "hạn nộp 20/12/2020" in dialog.deadline.text() and "đã quá hạn" in dialog.deadline.text()
    assert dialog.carry.isEnabled() and "số 2" in dialog.carry_note.text()
    dialog.doc_number.setText("12/BC-UBND")
    dialog.accept()
    report = dialog.created
    assert window.store.reports.get(report).doc_number == "12/BC-UBND"
    ky_truoc = window.store.cells.get(report)["5B"]["I"]["ky_truoc"]
    assert ky_truoc == window.store.cells.get(KE_SACH)["5B"]["I"]["dang_giai_quyet"]  # 2019's pending, carried into 2020


def test_settings_dialog_saves_json_settings(qtbot, demo_window):
    from desktop.foundation.settings import load_settings
    from desktop.ui.dialogs import SettingsDialog

    window = demo_window
    dialog = SettingsDialog(window)
    qtbot.addWidget(dialog)
    dialog.parent_body.setText("Ủy ban nhân dân tỉnh Sóc Trăng")
    dialog.signer_name.setText("Nguyễn Văn A")
    dialog.deadline_day.setValue(15)
    dialog.accept()
    settings = load_settings(window.store)
    assert settings["document"]["parent_body"] == "Ủy ban nhân dân tỉnh Sóc Trăng"
    assert settings["signer"]["name"] == "Nguyễn Văn A"
    assert window.store.settings.get("period_rules")["deadline_day"] == 15


def test_reopening_the_database_finds_every_value(qtbot, tmp_path, no_dialogs):
    from desktop.ui.app import build_window, parse_args

    db = tmp_path / "demo.db"
    window = build_window(parse_args(["--demo", "--db", str(db)]))
    qtbot.addWidget(window)
    window.show()
    window.open_report(KE_SACH, "5B")
    typed = {("I", "ky_truoc"): "111", ("II", "ky_truoc"): "222", ("unit:31528.cu", "moi_tiep_nhan"): "3.333"}
    for (row, column), text in typed.items():
        type_into(qtbot, window, cell(window, row, column), text)
    window.store.close()
    window.close()
    again = build_window(parse_args(["--db", str(db), "--report", str(KE_SACH), "--form", "5B"]))
    qtbot.addWidget(again)
    for (row, column), text in typed.items():
        assert again.model.data(cell(again, row, column)) == text
    again.store.close()


def test_damaged_database_offers_the_latest_good_backup(qtbot, tmp_path, no_dialogs):
    from desktop.ui.app import build_window, parse_args

    db = tmp_path / "demo.db"
    with Store.open(db) as store:
        store.units.add("H1", "Huyện Thử", "huyen")
        store.backups.make("thu")
    db.write_bytes(b"not a database" * 500)
    window = build_window(parse_args(["--db", str(db)]))
    assert window is not None
    qtbot.addWidget(window)
    assert no_dialogs[0][0] == "question" and "bản sao lưu" in no_dialogs[0][1]
    assert [u.code for u in window.store.units.all()] == ["H1"]
    assert list(tmp_path.glob("demo.db.hong-*"))  # the damaged file kept aside
    window.store.close()


def test_an_unexpected_error_is_logged_and_shown_briefly(qtbot, demo_window, no_dialogs, monkeypatch, tmp_path):
    from desktop.ui import errors

    log = tmp_path / "cchc.log"
    monkeypatch.setattr(errors, "log_path", lambda: log)
    outcome = demo_window.perform(lambda: 1 / 0)
    assert isinstance(outcome, ZeroDivisionError)
    kind, text = no_dialogs[-1]
    assert kind == "critical" and "ZeroDivisionError" in text and "Traceback" not in text
    assert "Traceback" in log.read_text(encoding="utf-8")


def test_guide_about_and_translations(qtbot, demo_window):
    from PySide6.QtCore import QCoreApplication

    from desktop.ui import dialogs
    from desktop.ui.app import install_translations

    guide = dialogs.show_guide(demo_window)
    qtbot.addWidget(guide)
    assert "Nhập số liệu như trong Excel" in guide.findChild(dialogs.QTextBrowser).toPlainText()
    assert install_translations(QApplication.instance())
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "Hủy"


def test_the_vietnamese_qt_translation_is_built_from_its_source(tmp_path):
    import shutil
    import subprocess
    import sys

    from desktop.foundation.paths import resources_dir

    folder = resources_dir() / "translations"
    lrelease = shutil.which("pyside6-lrelease") or str(Path(sys.executable).with_name("pyside6-lrelease"))
    subprocess.run([lrelease, "-silent", str(folder / "qtbase_vi.ts"), "-qm", str(tmp_path / "fresh.qm")], check=True)
    assert (tmp_path / "fresh.qm").read_bytes() == (folder / "qtbase_vi.qm").read_bytes()


def test_evidence_dropped_on_a_row(qtbot, demo_window, tmp_path):
    from PySide6.QtCore import QMimeData, QPointF, QUrl
    from PySide6.QtGui import QDropEvent

    window = demo_window
    window.open_report(KE_SACH, "5B")
    evidence = tmp_path / "bien-ban.docx"
    evidence.write_bytes(b"PK\x03\x04 minh chung")
    target = cell(window, "II", "ky_truoc")
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(evidence))])
    point = QPointF(window.view.visualRect(target).center())
    drop = QDropEvent(point, Qt.CopyAction, mime, Qt.LeftButton, Qt.NoModifier)
    window.view.dropEvent(drop)
    [attached] = window.store.attachments.of(KE_SACH)
    assert (attached.row_id, attached.filename) == ("II", "bien-ban.docx")


def test_moving_down_the_frozen_name_column_scrolls_the_rows(qtbot, demo_window):
    window = demo_window
    window.open_report(KE_SACH, "4B")  # 82 rows: more than the screen holds
    view = window.view
    view.setCurrentIndex(window.model.index(0, 1))
    for _ in range(60):
        qtbot.keyClick(view, Qt.Key_Down)
    assert view.currentIndex().row() == 60
    assert view.verticalScrollBar().value() > 0
    assert view.visualRect(view.currentIndex()).bottom() <= view.viewport().height()


def test_rows_are_as_tall_as_their_wrapped_texts(qtbot, demo_window):
    window = demo_window
    window.open_report(QUANG_NGAN)
    grid, view = window.model.grid, window.view
    text_row = next(r for r, row in enumerate(grid.rows) if row.ctype is not None and not row.ctype.numeric
                    and any(grid.text(r, c) for c in range(grid.frozen, len(grid.columns))))
    short_row = next(r for r, row in enumerate(grid.rows) if len(grid.text(r, 1)) < 30 and r != text_row)
    assert view.rowHeight(text_row) > view.rowHeight(short_row)  # "Khẩu hiệu, niêm yết công khai" wraps
    assert view.frozen.rowHeight(text_row) == view.rowHeight(text_row)


def test_an_excel_import_shows_in_the_grid_and_one_undo_takes_it_back(qtbot, demo_window, tmp_path):
    import openpyxl

    from desktop.ui import dialogs

    window = demo_window
    window.open_report(KE_SACH, "5B")
    path = dialogs.export_report(window, "xlsx", str(tmp_path / "bc.xlsx"))
    book = openpyxl.load_workbook(path)
    sheet = book[next(name for name in book.sheetnames if "5B" in name)]
    rows = {sheet.cell(r, 1).value: r for r in range(1, sheet.max_row + 1)}
    before = stored(window, KE_SACH, "5B", "I", "ky_truoc")
    r, c = window.model.grid.position("I", "ky_truoc")
    sheet.cell(rows["I"], c + 1).value = 400
    book.save(path)
    dialogs.import_workbook(window, str(path))
    assert stored(window, KE_SACH, "5B", "I", "ky_truoc") == "400"
    assert window.model.data(cell(window, "I", "ky_truoc")) == "400"
    editing.undo(window)
    assert stored(window, KE_SACH, "5B", "I", "ky_truoc") == before
    assert window.model.data(cell(window, "I", "ky_truoc")) == window.model.grid.text(r, c)


def test_the_window_starts_without_what_its_first_screen_does_not_need(tmp_path):
    """Signing (pyHanko, aiohttp, cryptography), Word, Excel, PDF making and rendering load when first
    used: a window that imported a constant from the signing module once paid a second of start."""
    import subprocess
    import sys

    def probe(*args: str) -> str:
        code = (
            "import sys\n"
            "from PySide6.QtWidgets import QApplication\n"
            "app = QApplication([])\n"
            "from desktop.ui.app import build_window, parse_args\n"
            f"window = build_window(parse_args({list(args)!r}))\n"
            "window.show(); app.processEvents()\n"
            "heavy = ('pyhanko', 'aiohttp', 'cryptography', 'docx', 'openpyxl', 'reportlab', 'pypdfium2', 'pypdf')\n"
            "print(sorted({m.split('.')[0] for m in sys.modules} & set(heavy)\n"
            "             | {m for m in sys.modules if m.startswith(('desktop.app.demo', 'desktop.app.picture'))}))\n"
        )
        result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                                env={**__import__("os").environ, "QT_QPA_PLATFORM": "offscreen"})
        assert result.returncode == 0, result.stderr[-2000:]
        return result.stdout.strip().splitlines()[-1]

    # a new demo database loads the demo (only then); an existing database's window does not
    assert probe("--demo", "--db", str(tmp_path / "demo.db")) == "['desktop.app.demo']"
    assert probe("--db", str(tmp_path / "demo.db")) == "[]"


def test_on_a_large_database_the_navigator_reads_a_unit_when_it_is_opened(qtbot, tmp_path, no_dialogs, monkeypatch):
    """Beyond NAVIGATOR_ALL_UP_TO reports, only the open report's unit is read at start; another
    unit says how many reports it has and reads them when expanded; opening a report of a closed
    unit (from elsewhere than the tree) reads its unit and selects it."""
    from desktop.ui import navigator
    from desktop.ui.app import build_window, parse_args

    monkeypatch.setattr(navigator, "NAVIGATOR_ALL_UP_TO", 3)  # the demo's 16 reports count as many
    window = build_window(parse_args(["--demo", "--db", str(tmp_path / "demo.db"), "--forms", str(REPO / "forms")]))
    qtbot.addWidget(window)
    window.show()
    try:
        loaded = {code for code, item in window.navigator.unit_items.items() if item.data(0, navigator.LOADED_ROLE)
                  and window.store.reports.per_unit().get(code)}
        # the open report's unit, and its province (opened to show it, one report of its own)
        assert loaded == {window.session.data.report.unit_code, "KH"}
        assert set(window.navigator.report_items) == {r.id for r in window.store.reports.all() if r.unit_code in loaded}
        ke_sach = window.store.reports.get(KE_SACH).unit_code
        closed = window.navigator.unit_items[ke_sach]
        assert closed.text(2) == "1 báo cáo" and not closed.isExpanded() and KE_SACH not in window.navigator.report_items
        closed.setExpanded(True)  # as a click on its arrow does
        assert KE_SACH in window.navigator.report_items and closed.text(2) == ""
        node = window.navigator.report_items[KE_SACH]
        assert [node.child(i).text(0) for i in range(3)] == ["Nội dung báo cáo", "Danh sách", "Biểu mẫu 1B"]
        from desktop.ui.navigator import counts_text

        assert node.text(2) == counts_text(*window.store.counts.cached([KE_SACH])[KE_SACH][1:3])  # kept counts
        # A report of another closed unit opened directly: its unit is read, opened and the form selected.
        quang_ngan = next(r for r in window.store.reports.all() if r.form_set_id == "thuathienhue-xa-tongket")
        assert quang_ngan.id not in window.navigator.report_items
        window.open_report(quang_ngan.id)
        current = window.navigator.currentItem()
        assert current.data(0, navigator.KIND_ROLE) == ("form", quang_ngan.id, window.form_code)
        assert window.navigator.unit_items[quang_ngan.unit_code].isExpanded()
    finally:
        window.store.close()

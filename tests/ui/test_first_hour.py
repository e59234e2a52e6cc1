"""The clerk's first hour with a database of their own: choosing their unit from the official
directory, the demo in a database of its own, the first report of a merged commune, deleting
a report."""

from __future__ import annotations

from PySide6.QtCore import Qt

from conftest import REPO
from desktop.foundation.periods import Period
from desktop.report import ops
from desktop.store.db import Store


def _own_window(qtbot, tmp_path):
    from desktop.ui.app import build_window, parse_args

    window = build_window(parse_args(["--db", str(tmp_path / "cua-toi.db"), "--forms", str(REPO / "forms")]))
    qtbot.addWidget(window)
    window.resize(1024, 768)
    window.show()
    qtbot.waitExposed(window)
    return window


def test_a_new_database_starts_empty_and_asks_for_the_clerks_unit(qtbot, tmp_path, no_dialogs):
    from PySide6.QtWidgets import QDialogButtonBox

    from desktop.ui.setup import SetupDialog

    window = _own_window(qtbot, tmp_path)
    assert window.first_run and window.store.reports.all() == [] and window.store.units.all() == []
    dialog = SetupDialog(window, first_run=True)
    qtbot.addWidget(dialog)
    assert dialog.demo_button is not None
    ok = dialog.buttons.button(QDialogButtonBox.Ok)
    for typed in ("xa dong khanh son", "Đông Khánh Sơn", "dong khanh"):
        dialog.search.setText(typed)
        assert dialog.results.item(0).text().startswith("Xã Đông Khánh Sơn, Tỉnh Khánh Hòa")
        assert not ok.isEnabled() and dialog.unit is None  # nothing chosen for the clerk: "Bắt đầu" waits
    dialog.results.setCurrentRow(0)  # the clerk clicks the unit
    assert ok.isEnabled()
    dialog.search.setText("dong khanh son")  # still listed: still chosen
    assert ok.isEnabled() and dialog.unit.id == "22732.2025"
    assert "thành lập từ Xã Sơn Trung, Xã Ba Cụm Bắc, Xã Ba Cụm Nam" in dialog.chosen.text()
    assert dialog.place.text() == "Đông Khánh Sơn"
    assert dialog.recipients.toPlainText().splitlines() == ["Sở Nội vụ Khánh Hòa (b/c)", "Lưu: VT"]
    # a province narrows the list; an old unit is there for historical reports
    dialog.province.setCurrentIndex(dialog.province.findData("56.2025"))
    dialog.search.setText("son")
    names = [dialog.results.item(i).text() for i in range(dialog.results.count())]
    assert names and all("Khánh Hòa" in n for n in names)
    dialog.old_units.setChecked(True)
    dialog.search.setText("ba cum bac")
    dialog.results.setCurrentRow(0)
    assert dialog.results.item(0).text().startswith("Xã Ba Cụm Bắc") and "đến 30/06/2025" in dialog.results.item(0).text()
    dialog.old_units.setChecked(False)
    dialog.province.setCurrentIndex(0)
    dialog.search.setText("dong khanh son")
    dialog.results.setCurrentRow(0)
    dialog.signer_name.setText("Nguyễn Văn A")
    dialog.accept()
    settings = window.store.settings.get("unit"), window.store.settings.get("document")["place"]
    assert settings == ("22732.2025", "Đông Khánh Sơn")
    assert window.store.settings.get("signer")["name"] == "Nguyễn Văn A"
    assert {u.code for u in window.store.units.all()} >= {"56.2025", "22732.2025", "22729.cu"}
    # the national Biểu 06 (level: any) is offered to the commune, and names the quarter
    from desktop.ui.dialogs import NewReportDialog

    new = NewReportDialog(window)
    qtbot.addWidget(new)
    sets = [new.form_set.itemData(i).split("|")[0] for i in range(new.form_set.count())]
    # the sets in force for the period first (issue 25 §3): Biểu 06, then its province's set of 2019
    assert sets[:2] == ["toanquoc-06", "khanhhoa-xa"]
    assert not [s for s in sets if "huyen" in s]  # no district's set for a commune


def test_the_demo_opens_in_a_database_of_its_own(qtbot, tmp_path, no_dialogs):
    from desktop.ui.setup import open_demo

    window = _own_window(qtbot, tmp_path)
    demo = open_demo(window, tmp_path / "du-lieu-mau.db")
    qtbot.addWidget(demo)
    assert len(demo.store.reports.all()) == 16 and demo.session is not None
    assert window.store.reports.all() == []  # never mixed into the clerk's own
    demo.store.close()


def test_the_first_report_of_a_merged_commune_in_the_window(qtbot, tmp_path, no_dialogs):
    from desktop.app.units import setup_unit
    from desktop.ui.dialogs import NewReportDialog

    window = _own_window(qtbot, tmp_path)
    setup_unit(window.store, "22732.2025")
    for unit, figure in (("22729.cu", "3"), ("22732.cu", "6"), ("22735.cu", "1.562")):
        report = window.store.reports.create(unit, Period("quy", 2025, 2), "toanquoc-06", 1)
        ops.enter_cells(window.store, window.catalog, report, "06", [("item:ho_tich", "dang_tong", figure),
                                                                     ("item:ho_tich", "dang_trong_han", figure)])
    dialog = NewReportDialog(window)
    qtbot.addWidget(dialog)
    dialog.unit.setCurrentIndex(next(i for i in range(dialog.unit.count())
                                     if dialog.unit.itemData(i).code == "22732.2025"))
    dialog.period_type.setCurrentIndex(dialog.period_type.findData("quy"))
    dialog.quarter.setCurrentIndex(2)
    dialog.year.setValue(2025)
    dialog.form_set.setCurrentIndex(dialog.form_set.findData("toanquoc-06|1"))
    assert dialog.carry.isEnabled() and "thành lập từ Xã Sơn Trung" in dialog.carry_note.text()
    dialog.accept()
    assert window.store.cells.get(dialog.created)["06"]["item:ho_tich"]["ky_truoc"] == "1571"
    assert "Đã chuyển 1 ô" in window.statusBar().currentMessage()


def test_deleting_the_open_report(qtbot, tmp_path, no_dialogs):
    from desktop.app.units import setup_unit
    from desktop.ui import dialogs

    window = _own_window(qtbot, tmp_path)
    setup_unit(window.store, "22732.2025")
    report, _ = ops.create_report(window.store, window.catalog, "22732.2025", Period("quy", 2025, 3),
                                  "toanquoc-06", 1)
    window.navigator.refresh()
    window.open_report(report)
    assert window.delete_report_action.isEnabled()
    assert not dialogs.delete_report(window, confirmed=False) and window.store.reports.all()
    assert dialogs.delete_report(window, confirmed=True)
    assert window.store.reports.all() == [] and window.session is None and window.placeholder.isVisible()
    assert not window.delete_report_action.isEnabled()
    with Store.open(tmp_path / "cua-toi.db") as again:
        assert again.audit.entries(report)[-1].action == "delete-report"


def test_search_results_name_the_province(qtbot, tmp_path, no_dialogs):
    """Two communes may share a name: each line of the list says its province and code."""
    from desktop.ui.setup import SetupDialog

    window = _own_window(qtbot, tmp_path)
    dialog = SetupDialog(window)
    qtbot.addWidget(dialog)
    dialog.search.setText("tan phu")
    lines = [dialog.results.item(i).text() for i in range(dialog.results.count())]
    assert len(lines) > 3 and len(set(lines)) == len(lines)
    assert all(line.count(",") >= 1 and "(" in line for line in lines)
    assert dialog.results.item(0).data(Qt.UserRole).endswith(".2025")


def _visible_data_columns(window) -> int:
    view, grid = window.view, window.model.grid
    width = view.viewport().width()
    return sum(1 for c in range(grid.frozen, len(grid.columns))
               if view.columnViewportPosition(c) >= 0 and view.columnViewportPosition(c) + view.columnWidth(c) <= width)


def test_an_old_office_screen_shows_six_data_columns_beside_the_navigator(qtbot, demo_window):
    """Biểu mẫu 5B, the widest annex of the seeds, at 1024×768 with the navigator shown; F4 gives
    the form the whole width."""
    from PySide6.QtWidgets import QApplication

    window = demo_window
    window.resize(1024, 768)
    window.open_report(2, "5B")
    QApplication.processEvents()
    assert window.navigator.isVisible() and _visible_data_columns(window) >= 6
    window.toggle_navigator()
    QApplication.processEvents()
    assert window.navigator.isHidden() and not window.navigator_action.isChecked()
    assert _visible_data_columns(window) >= 9
    window.toggle_navigator()
    assert not window.navigator.isHidden()
    # full names where the pane cuts them
    top = window.navigator.topLevelItem(0)
    assert top.toolTip(0).startswith("Tỉnh Khánh Hòa") or top.toolTip(0).startswith("Ủy ban")


def test_long_work_shows_progress_soon_and_takes_no_clicks_meanwhile(qtbot, demo_window):
    """While work runs on its worker thread, a key typed into the grid waits for nothing: it is
    swallowed, so no second action starts; the progress dialog appears within 0,3 s."""
    import time

    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QProgressDialog

    from desktop.ui.dialogs import run_in_background

    window = demo_window
    window.open_report(2, "5B")
    before = window.store.cells.get(2)
    seen = {}

    def meanwhile():
        qtbot.keyClicks(window.view, "9")
        qtbot.keyClick(window.view, Qt.Key_Return)
        seen["progress"] = [d.isVisible() for d in window.findChildren(QProgressDialog)]

    QTimer.singleShot(350, meanwhile)
    assert run_in_background(window, "Đang làm…", lambda: time.sleep(0.8) or "xong") == "xong"
    assert window.store.cells.get(2) == before and window.input_blocker.swallowed >= 2
    assert True in seen["progress"]

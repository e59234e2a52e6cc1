"""The "Bộ biểu mẫu" screen and a draft's move to a new version, in the real window (issue 26 §3):
the province's officer compiles the workbook and publishes, the commune receives, the clerk moves
an open draft to the new version and takes it back with Hoàn tác."""

from __future__ import annotations

from pathlib import Path

from cryptography.hazmat.primitives.serialization import Encoding
from openpyxl import load_workbook

from desktop.exchange.definitions import SET_SHEET, form_sheets
from desktop.foundation.paths import received_forms_dir
from desktop.foundation.settings import load_settings, save_settings
from desktop.submission.identity import create_self_signed, load_p12
from desktop.submission.register import enrol
from desktop.ui import editing, formsets, submission

PASS = "mat-khau-cua-tinh"


def test_the_form_sets_screen_lists_previews_checks_and_exports(demo_window, qtbot, tmp_path):
    dialog = formsets.FormSetsDialog(demo_window)
    qtbot.addWidget(dialog)
    dialog.show()
    names = [dialog.table.item(r, 0).text() for r in range(dialog.table.rowCount())]
    assert any("Biểu số 06/VPCP/KSTT" in n and "phiên bản 1" in n for n in names)
    assert {dialog.table.item(r, 3).text() for r in range(dialog.table.rowCount())} == {"Có sẵn"}
    row = next(r for r, n in enumerate(names) if "Sóc Trăng" in n)
    dialog.table.selectRow(row)
    assert dialog.forms.count() == 14
    assert not dialog.preview.pixmap().isNull() and dialog.preview.pixmap().width() > 300  # the blank annex, printed
    assert dialog.check() == [] and "hợp lệ" in dialog.status.text()
    out = dialog.export(str(tmp_path / "dinh-nghia.xlsx"))
    assert out.exists() and "Sóc Trăng" in dialog.status.text()


def test_published_received_and_a_draft_moved_to_the_new_version_then_back(demo_window, qtbot, tmp_path, no_dialogs,
                                                                         monkeypatch):
    window = demo_window
    dialog = formsets.FormSetsDialog(window, lambda folder: submission.publish_form_set(window, folder, choice))
    qtbot.addWidget(dialog)
    names = [dialog.table.item(r, 0).text() for r in range(dialog.table.rowCount())]
    dialog.table.selectRow(next(r for r, n in enumerate(names) if n.startswith("Biểu số 06/VPCP/KSTT")))
    book = dialog.export(str(tmp_path / "dinh-nghia.xlsx"))
    workbook = load_workbook(book)  # the officer's edit: a column renamed, version 2 from 2026
    columns, _, _ = form_sheets("06")
    [label] = [r[2] for r in workbook[columns].iter_rows(min_row=2) if r[1].value == "ky_truoc"]
    label.value = "Từ kỳ trước chuyển sang"
    fields = {r[0].value: r for r in workbook[SET_SHEET].iter_rows(min_row=2)}
    fields["Phiên bản"][1].value, fields["Áp dụng từ ngày"][1].value = 2, "2026-01-01"
    workbook.save(book)
    compiled = dialog.compile(str(book), str(tmp_path / "toanquoc-06-2026"))
    assert compiled.version == 2
    key = tmp_path / "tinh.p12"
    key.write_bytes(create_self_signed("KH", "Ủy ban nhân dân tỉnh Khánh Hòa", PASS))
    choice = submission.SignChoice("p12", tmp_path / "phat-hanh", p12_file=str(key), secret=PASS)
    (tmp_path / "phat-hanh").mkdir()
    package = dialog.publish()
    assert package is not None and package.suffix == ".cchcforms"
    # the commune's clerk: its own unit chosen, the province's certificate registered once
    save_settings(window.store, load_settings(window.store) | {"unit": "22732.cu"})
    with load_p12(key.read_bytes(), PASS) as identity:
        enrol(window.store, "KH", identity.certificate.public_bytes(Encoding.DER))
    received = dialog.receive(str(package))
    assert received["folder"] and Path(received["folder"]).parent == received_forms_dir()
    sources = {dialog.table.item(r, 0).text(): dialog.table.item(r, 3).text() for r in range(dialog.table.rowCount())}
    assert sources["Biểu số 06/VPCP/KSTT – Kết quả giải quyết thủ tục hành chính (phiên bản 2)"] == "Đã nhận"
    assert window.catalog.get("toanquoc-06", 2) is not None
    assert dialog.current.key == ("toanquoc-06", 2)  # the set just received, selected and previewed
    assert dialog._previews and all(key[0] == ("toanquoc-06", 2) for key in dialog._previews)
    # a new report of 2026 is offered version 2 only; one of 2025 still version 1 (valid from 1/1/2026)
    from desktop.ui.dialogs import NewReportDialog

    new = NewReportDialog(window)
    qtbot.addWidget(new)
    new.unit.setCurrentIndex(next(i for i in range(new.unit.count()) if new.unit.itemData(i).code == "22732.cu"))
    offered = {}
    for year in (2025, 2026):
        new.year.setValue(year)
        offered[year] = [new.form_set.itemText(i) for i in range(new.form_set.count()) if "06/VPCP" in new.form_set.itemText(i)]
    assert offered == {2025: ["Biểu số 06/VPCP/KSTT – Kết quả giải quyết thủ tục hành chính (phiên bản 1)"],
                       2026: ["Biểu số 06/VPCP/KSTT – Kết quả giải quyết thủ tục hành chính (phiên bản 2)"]}
    # the commune's 2025 draft on version 1, open in the window, moved to version 2
    report = next(r.id for r in window.store.reports.all() if r.unit_code == "22732.cu")
    window.open_report(report, "06")
    typed = window.store.cells.get(report)
    assert window.upgrade_action.isEnabled()
    asked = []

    def answer_no(box):
        asked.append(box.text())
        return formsets.QMessageBox.No

    monkeypatch.setattr(formsets.QMessageBox, "exec", answer_no)
    assert not formsets.upgrade_report(window, 2)  # the clerk reads what moves and says no: nothing changes
    assert "sang phiên bản 2" in asked[0] and "0 ô không còn chỗ" in asked[0]
    assert window.store.reports.get(report).form_set_version == 1
    assert formsets.upgrade_report(window, 2, confirm=False)
    assert window.store.reports.get(report).form_set_version == 2
    assert window.session.data.form_set.version == 2
    assert window.model.grid.form.by_id["ky_truoc"].label == "Từ kỳ trước chuyển sang"
    assert window.store.cells.get(report) == typed  # every cell had its place in version 2
    editing.undo(window)
    assert window.store.reports.get(report).form_set_version == 1
    assert window.model.grid.form.by_id["ky_truoc"].label == "Từ kỳ trước"

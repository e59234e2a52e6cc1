"""The scoring screen and the report body editor, driven like a clerk would."""

from __future__ import annotations

from PySide6.QtCore import Qt

from desktop.kinds.narrative import FORM_CODE as BODY


def _report_of(window, unit: str) -> int:
    return next(r.id for r in window.store.reports() if r.unit_code == unit)


def _row(model, code: str) -> int:
    return [n.code for n in model.nodes].index(code)


def test_scoring_a_criterion_updates_the_index_and_the_findings(demo_window, qtbot, no_dialogs):
    window = demo_window
    sheet = _report_of(window, "KT.KR")
    window.open_report(sheet)
    page = window.scoring_page
    assert page.isVisible() and not window.page.isVisible()
    assert "85,74" in page.summary.text() and "Tốt" in page.summary.text()
    model = page.model
    index = model.index(_row(model, "1.1.1"), 4)
    page.table.setCurrentIndex(index)
    assert model.setData(index, "0,5")  # what the cell editor hands over when the clerk presses Enter
    assert window.store.cells(sheet)["CHI_SO"]["1.1.1"]["diem"] == "0.5"
    assert "85,21" in page.summary.text()  # 80,95 / 95
    # the typed area total 19,49 no longer agrees with its criteria, nor the typed total and index
    rules = {f.rule for f in window.session.findings()}
    assert {"par_sum", "par_total", "par_index", "par_reason"} <= rules
    assert "lỗi" in window.counts_label.text().lower() or "Lỗi" in window.counts_label.text()
    window.undo()
    assert window.store.cells(sheet)["CHI_SO"]["1.1.1"]["diem"] == "1"
    assert "85,74" in page.summary.text()


def test_a_score_above_its_maximum_is_refused_with_a_message(demo_window, no_dialogs):
    window = demo_window
    sheet = _report_of(window, "KT.KR.03")
    window.open_report(sheet)
    model = window.scoring_page.model
    before = window.store.cells(sheet)
    assert not model.setData(model.index(_row(model, "4"), 4), "5")  # Tân Lập's area 4 has 4 points
    assert window.store.cells(sheet) == before
    assert no_dialogs and "vượt điểm tối đa 4" in no_dialogs[-1][1]


def test_marking_an_optional_criterion_not_applicable_lowers_the_maximum(demo_window, no_dialogs):
    window = demo_window
    sheet = _report_of(window, "KT.KR.01")
    window.open_report(sheet)
    model = window.scoring_page.model
    assert model.flags(model.index(_row(model, "1.1"), 3)) & Qt.ItemIsUserCheckable == Qt.ItemFlags(0) or \
        not model.flags(model.index(_row(model, "1.1"), 3)) & Qt.ItemIsUserCheckable  # mandatory: no box
    assert model.setData(model.index(_row(model, "3.2.4"), 3), Qt.Unchecked.value, Qt.CheckStateRole)
    assert window.scoring_page.model.card.maximum == 96


def test_dak_ruong_typed_total_is_shown_wrong_beside_the_computed_one(demo_window):
    window = demo_window
    window.open_report(_report_of(window, "KT.KR.05"))
    page = window.scoring_page
    assert page.fields["diem"].text() == "78,15" and "f8d7da" in page.fields["diem"].styleSheet()
    assert "80,68" in page.summary.text()


def test_the_body_editor_stores_text_and_previews_the_annex_figures(demo_window, qtbot, no_dialogs):
    window = demo_window
    report = _report_of(window, "KH.KS")
    window.open_narrative(report)
    page = window.narrative_page
    assert page.isVisible()
    page.sections.setCurrentRow(page._row_of("III"))
    page.editor.selectAll()
    page.editor.insertPlainText("Năm nay tiếp nhận ")  # typed: QTest cannot send Vietnamese letters as keys
    page.figures.setCurrentIndex(page.figures.findData("huyen_tiep_nhan"))
    page.insert_figure()
    page.editor.insertPlainText(" hồ sơ.")
    assert page.preview.toPlainText() == "Năm nay tiếp nhận 1.562 hồ sơ."
    qtbot.waitUntil(lambda: window.store.narrative(report).get("III") == "Năm nay tiếp nhận {{huyen_tiep_nhan}} hồ sơ.",
                    timeout=3000)
    # a typed figure that contradicts Phụ lục V shows among the findings, and a click goes to its section
    page.sections.setCurrentRow(page._row_of("IV"))
    page.editor.setPlainText("Tổng số hồ sơ đã tiếp nhận: 1.600 hồ sơ.")
    page.save()
    findings = window.findings_panel.findings
    row = next(i for i, f in enumerate(findings) if f.form_code == BODY and f.row_id == "IV")
    page.sections.setCurrentRow(0)
    window._jump_to_finding(row, 0)
    assert page.sections.currentItem().data(Qt.UserRole) == "IV"


def test_the_reports_undo_takes_back_a_body_edit_and_shows_its_section(demo_window, qtbot, no_dialogs):
    window = demo_window
    report = _report_of(window, "KH.KS")
    window.open_narrative(report)
    page = window.narrative_page
    page.sections.setCurrentRow(page._row_of("V"))
    before = window.store.narrative(report).get("V", "")
    page.editor.setPlainText("Kiến nghị bổ sung biên chế cho bộ phận một cửa.")
    page.save()
    page.sections.setCurrentRow(page._row_of("I"))  # the clerk has moved on
    window.undo()
    assert window.store.narrative(report).get("V", "") == before
    assert page.isVisible() and page.key == "V" and page.editor.toPlainText() == before
    window.redo()
    assert window.store.narrative(report)["V"] == "Kiến nghị bổ sung biên chế cho bộ phận một cửa."
    assert page.editor.toPlainText() == "Kiến nghị bổ sung biên chế cho bộ phận một cửa."

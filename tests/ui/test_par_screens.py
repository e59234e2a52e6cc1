"""The scoring screen and the report body editor, driven like a clerk would."""

from __future__ import annotations

from PySide6.QtCore import Qt

from desktop.kinds.narrative import FORM_CODE as BODY
from desktop.ui import editing


def _report_of(window, unit: str) -> int:
    return next(r.id for r in window.store.reports.all() if r.unit_code == unit)


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
    assert window.store.cells.get(sheet)["CHI_SO"]["1.1.1"]["diem"] == "0.5"
    assert "85,21" in page.summary.text()  # 80,95 / 95
    # the typed area total 19,49 no longer agrees with its criteria, nor the typed total and index
    rules = {f.rule for f in window.session.findings()}
    assert {"par_sum", "par_total", "par_index", "par_reason"} <= rules
    assert "lỗi" in window.counts_label.text().lower() or "Lỗi" in window.counts_label.text()
    editing.undo(window)
    assert window.store.cells.get(sheet)["CHI_SO"]["1.1.1"]["diem"] == "1"
    assert "85,74" in page.summary.text()


def test_a_score_above_its_maximum_is_refused_with_a_message(demo_window, no_dialogs):
    window = demo_window
    sheet = _report_of(window, "23497.cu")
    window.open_report(sheet)
    model = window.scoring_page.model
    before = window.store.cells.get(sheet)
    assert not model.setData(model.index(_row(model, "4"), 4), "5")  # Tân Lập's area 4 has 4 points
    assert window.store.cells.get(sheet) == before
    assert no_dialogs and "vượt điểm tối đa 4" in no_dialogs[-1][1]


def test_marking_an_optional_criterion_not_applicable_lowers_the_maximum(demo_window, no_dialogs):
    window = demo_window
    sheet = _report_of(window, "23494.cu")
    window.open_report(sheet)
    model = window.scoring_page.model
    assert model.flags(model.index(_row(model, "1.1"), 3)) & Qt.ItemIsUserCheckable == Qt.ItemFlags(0) or \
        not model.flags(model.index(_row(model, "1.1"), 3)) & Qt.ItemIsUserCheckable  # mandatory: no box
    assert model.setData(model.index(_row(model, "3.2.4"), 3), Qt.Unchecked.value, Qt.CheckStateRole)
    assert window.scoring_page.model.card.maximum == 96


def test_dak_ruong_typed_total_is_shown_wrong_beside_the_computed_one(demo_window):
    window = demo_window
    window.open_report(_report_of(window, "23488.cu"))
    page = window.scoring_page
    assert page.fields["diem"].text() == "78,15" and "f8d7da" in page.fields["diem"].styleSheet()
    assert "80,68" in page.summary.text()


def test_the_body_editor_stores_text_and_previews_the_annex_figures(demo_window, qtbot, no_dialogs):
    window = demo_window
    report = _report_of(window, "KH.KS")  # seed 000's own outline: II.8 đánh giá chung, II.9 kiến nghị, III phương hướng
    window.open_narrative(report)
    page = window.narrative_page
    assert page.isVisible()
    page.sections.setCurrentRow(page._row_of("II.8"))
    page.editor.selectAll()
    page.editor.insertPlainText("Năm nay tiếp nhận ")  # typed: QTest cannot send Vietnamese letters as keys
    page.figures.setCurrentIndex(page.figures.findData("huyen_tiep_nhan"))
    page.insert_figure()
    page.editor.insertPlainText(" hồ sơ.")
    assert page.preview.toPlainText() == "Năm nay tiếp nhận 1.562 hồ sơ."
    qtbot.waitUntil(lambda: window.store.narrative.of(report).get("II.8") == "Năm nay tiếp nhận {{huyen_tiep_nhan}} hồ sơ.",
                    timeout=3000)
    # a typed figure that contradicts Phụ lục V shows among the findings, and a click goes to its section
    page.sections.setCurrentRow(page._row_of("III"))
    page.editor.setPlainText("Tổng số hồ sơ đã tiếp nhận: 1.600 hồ sơ.")
    page.save()
    findings = window.findings_panel.findings
    row = next(i for i, f in enumerate(findings) if f.form_code == BODY and f.row_id == "III")
    page.sections.setCurrentRow(0)
    window.findings_panel.jump(row, 0)
    assert page.sections.currentItem().data(Qt.UserRole) == "III"


def test_the_reports_undo_takes_back_a_body_edit_and_shows_its_section(demo_window, qtbot, no_dialogs):
    window = demo_window
    report = _report_of(window, "KH.KS")
    window.open_narrative(report)
    page = window.narrative_page
    page.sections.setCurrentRow(page._row_of("II.9"))
    before = window.store.narrative.of(report).get("II.9", "")
    page.editor.setPlainText("Kiến nghị bổ sung biên chế cho bộ phận một cửa.")
    page.save()
    page.sections.setCurrentRow(page._row_of("I"))  # the clerk has moved on
    editing.undo(window)
    assert window.store.narrative.of(report).get("II.9", "") == before
    assert page.isVisible() and page.key == "II.9" and page.editor.toPlainText() == before
    editing.redo(window)
    assert window.store.narrative.of(report)["II.9"] == "Kiến nghị bổ sung biên chế cho bộ phận một cửa."
    assert page.editor.toPlainText() == "Kiến nghị bổ sung biên chế cho bộ phận một cửa."


def test_the_district_receives_appraises_and_ranks_its_communes_sheets(demo_window, qtbot, no_dialogs, tmp_path):
    from desktop.app.demo import enrol_demo_certificates, write_commune_sheet_packages
    from desktop.ui import submission
    from desktop.ui.appraisal import COMMENT_COLUMN as COMMENT
    from desktop.ui.appraisal import SCORE_COLUMN as SCORE

    window = demo_window
    district = _report_of(window, "KT.KR")
    packages, refused = write_commune_sheet_packages(window.catalog, tmp_path / "chi-so")
    assert len(packages) == 6 and list(refused) == ["23488.cu"]  # Đắk Ruồng's sheet contradicts itself
    enrol_demo_certificates(window.store, tmp_path / "chi-so")
    window.open_report(district)
    assert window.consolidate_action.isEnabled()
    result = submission.consolidate_packages(window, [str(p) for p in packages], show=False)
    assert [r.status for r in result.received] == ["accepted"] * 6
    window.open_appraisal(district)
    page = window.appraisal_page
    assert page.isVisible()

    def ranked() -> list[str]:
        return [page.ranking.item(r, 1).text() for r in range(page.ranking.rowCount())]

    assert ranked()[0] == "Xã Đắk Tờ Lung" and page.ranking.item(0, 3).text() == "85,24"
    assert ranked()[-1] == "Xã Đắk Ruồng" and page.ranking.item(6, 2).text() == "chưa nhận"

    def area_2_of(name: str) -> int:
        page.ranking.setCurrentCell(ranked().index(name), 1)
        return next(r for r in range(page.detail.rowCount()) if page.detail.item(r, 0).text() == "2")

    assert ranked().index("Xã Tân Lập") == 1
    row = area_2_of("Xã Tân Lập")
    own = page.detail.item(row, 3).text()
    page.detail.item(row, SCORE).setText("99")  # above the area's maximum: refused, nothing stored
    assert no_dialogs[-1][0] == "warning" and "vượt điểm tối đa" in no_dialogs[-1][1]
    assert window.store.appraisals.of(district) == {}
    row = area_2_of("Xã Tân Lập")
    assert page.detail.item(row, SCORE).text() == ""
    page.detail.item(row, SCORE).setText("1")
    row = area_2_of("Xã Tân Lập")
    page.detail.item(row, COMMENT).setText("Thủ tục chưa công khai đủ")
    assert window.store.appraisals.of(district)["23497.cu"]["2"] == ("1", "Thủ tục chưa công khai đủ")
    assert own == "6,93" and ranked().index("Xã Tân Lập") == 4  # 72,84/94: below Đắk Pne, above Đắk Rve


def test_the_body_of_one_report_is_never_saved_into_another(demo_window, qtbot, no_dialogs):
    """Found looking at a screenshot: after the body editor of Khánh Sơn, opening another report
    and changing screens wrote Khánh Sơn's section into it."""
    window = demo_window
    khanh_son, kon_ray = _report_of(window, "KH.KS"), _report_of(window, "KT.KR")
    window.open_narrative(khanh_son)
    page = window.narrative_page
    page.sections.setCurrentRow(page._row_of("II.2"))
    assert page.editor.toPlainText()  # seed 000's text of that section
    window.open_report(khanh_son, "PL6")
    window.open_report(kon_ray)
    window.open_report(_report_of(window, "ST.KS"), "5B")
    khanh_son_text = window.store.narrative.of(khanh_son)["II.2"]
    assert "II.2" not in window.store.narrative.of(kon_ray)  # its own body is seed 002's tasks (nv.*)
    assert window.store.narrative.of(_report_of(window, "ST.KS")).get("II.2") != khanh_son_text  # Kế Sách keeps its own


def test_a_commune_explains_a_score_and_attaches_its_evidence_on_the_criterion(demo_window, qtbot, tmp_path):
    window = demo_window
    sheet = _report_of(window, "23494.cu")
    window.open_report(sheet)
    model = window.scoring_page.model
    column = [key for key, _ in __import__("desktop.ui.scoring", fromlist=["COLUMNS"]).COLUMNS].index("giai_trinh")
    row = _row(model, "2")
    assert model.setData(model.index(row, column), "Đã niêm yết đủ 127 thủ tục, xem biên bản kiểm tra")
    assert window.store.cells.get(sheet)["CHI_SO"]["2"]["giai_trinh"].startswith("Đã niêm yết đủ 127")
    evidence = tmp_path / "bien-ban-kiem-tra.pdf"
    evidence.write_bytes(b"%PDF-1.4 bien ban")
    window.scoring_page.table.setCurrentIndex(model.index(row, 0))
    assert window.attach_action.isEnabled()
    editing.attach_evidence(window, [str(evidence)])
    assert [(a.form_code, a.row_id, a.filename) for a in window.store.attachments.of(sheet)] == \
        [("CHI_SO", "2", "bien-ban-kiem-tra.pdf")]
    assert model.data(model.index(row, column + 1)) == "1 tệp"
    editing.undo(window)
    assert "giai_trinh" not in window.store.cells.get(sheet)["CHI_SO"].get("2", {})


def test_the_district_types_its_analysis_tasks_in_the_body_and_the_analysis_prints_them(demo_window, qtbot,
                                                                                         no_dialogs):
    """Issue 29 §2: part III and IV of seed 002 are what the clerk types; the sheet's tree item has
    a body, titled as the set's outline titles the seed's areas, and the printed analysis follows."""
    from desktop.kinds.par.analysis import analysis_body

    window = demo_window
    sheet = _report_of(window, "KT.KR")
    item = window.navigator.report_items[sheet]
    children = [item.child(i).text(0) for i in range(item.childCount())]
    assert "Nội dung báo cáo" in children
    window.open_narrative(sheet)
    page = window.narrative_page
    assert page.isVisible()
    titles = [page.sections.item(i).text() for i in range(page.sections.count())]
    assert any("Đối với công tác cải cách thủ tục hành chính" in t for t in titles)
    assert any(t.startswith("TỔ CHỨC, THỰC HIỆN") for t in titles)
    page.sections.setCurrentRow(page._row_of("nv.8"))
    page.editor.setPlainText("- Nhiệm vụ cần thực hiện: kiểm tra đột xuất hằng quý.")
    page.save()
    _, blocks = analysis_body(window.store, window.catalog, sheet)
    text = [b.text for b in blocks]
    at = text.index("8. Đối với việc chấp hành quy chế văn hóa công sở, kỷ luật, kỷ cương hành chính:")
    assert text[at + 1] == "- Nhiệm vụ cần thực hiện: kiểm tra đột xuất hằng quý."

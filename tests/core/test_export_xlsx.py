"""The workbook: laid out as printed, live formulas where the form implies them, read back
all or nothing; a workbook whose layout was altered is refused, naming sheet and cell."""

from copy import copy
from decimal import Decimal

import pytest
from conftest import catalog_of, new_report
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from desktop.exchange.annex import build_annexes
from desktop.exchange.xlsx import import_xlsx, read_value, write_xlsx
from desktop.foundation.messages import CchcError
from desktop.report.ops import enter_cells
from desktop.report.data import ReportData
from desktop.foundation.values import CellType

FORM_5B = """
code: 5B
printed_code: Biểu mẫu 5B
title: THỐNG KÊ KẾT QUẢ GIẢI QUYẾT TTHC
subtitle: trên địa bàn {unit_name}
attachment_line: (Kèm theo Báo cáo số {doc_number} ngày {doc_date} của {issuer})
orientation: landscape
numbered: true
columns:
  - {id: stt, label: STT, kind: row_code}
  - {id: co_quan, label: Cơ quan, kind: row_label}
  - label: Số hồ sơ đã tiếp nhận
    children:
      - {id: tong, label: Tổng số, equals: "(4)+(5)"}
      - label: Trong đó
        children:
          - {id: ky_truoc, label: Kỳ trước}
          - {id: moi, label: Mới tiếp nhận}
  - {id: ty_le, label: Tỷ lệ, type: percent}
  - {id: ghi_chu, label: Ghi chú, type: text}
rows:
  - {id: I, code: I, label: Cấp huyện, style: group}
  - id: II
    code: II
    label: Cấp xã
    style: group
    total: children
    children:
      - units: xa
  - {id: tong_cong, label: Tổng số, style: total, total: [I, II]}
"""

TASKS = """
code: TD
printed_code: Bảng tổng hợp
title: TIẾN ĐỘ NHIỆM VỤ
columns:
  - {id: tt, label: TT, kind: row_code}
  - {id: nhiem_vu, label: Nhiệm vụ, kind: row_label}
  - {id: ngay, label: Ngày hoàn thành, type: date}
  - {id: xong, label: Đã xong, type: bool}
rows:
  - id: I
    code: I
    label: Cải cách thể chế
    style: group
    children:
      - {repeat: the_che, code_format: "{N}"}
"""


def _report(tmp_path, store, forms=None):
    catalog = catalog_of(tmp_path, forms or {"5b.yaml": FORM_5B})
    report = new_report(store, communes=2)
    store.reports.update(report, doc_number="542/BC-UBND", doc_date="2019-11-21")
    return catalog, report


def _fill(store, catalog, report, total_I="100"):
    enter_cells(store, catalog, report, "5B", [
        ("I", "tong", total_I), ("I", "ky_truoc", "40"), ("I", "moi", "60"), ("I", "ty_le", "93,66"),
        ("unit:H1.X1", "tong", "1.562"), ("unit:H1.X1", "moi", "1.562"),
        ("unit:H1.X2", "tong", "10"), ("unit:H1.X2", "ky_truoc", "10"),
        ("II", "tong", "1.572"), ("II", "ky_truoc", "10"), ("II", "moi", "1.562"),
        ("tong_cong", "tong", "1.672"), ("unit:H1.X1", "ghi_chu", "Đúng hạn"),
    ])


def test_the_sheet_is_laid_out_as_printed(tmp_path, store):
    catalog, report = _report(tmp_path, store)
    _fill(store, catalog, report)
    path = write_xlsx(store, catalog, report, tmp_path / "bc.xlsx")
    sheet = load_workbook(path)["Biểu mẫu 5B"]
    assert [sheet.cell(row=r, column=1).value for r in range(1, 5)] == [
        "Biểu mẫu 5B", "THỐNG KÊ KẾT QUẢ GIẢI QUYẾT TTHC", "trên địa bàn huyện Thử",
        "(Kèm theo Báo cáo số 542/BC-UBND ngày 21/11/2019 của Ủy ban nhân dân huyện Thử)"]
    merged = {str(r) for r in sheet.merged_cells.ranges}
    # header: three rows; "Số hồ sơ…" over three columns, "Trong đó" over two, STT down all three
    assert {"A6:A8", "C6:E6", "D7:E7", "C7:C8", "F6:F8"} <= merged
    assert [sheet.cell(row=9, column=c).value for c in range(1, 8)] == [
        "(1)", "(2)", "(3)=(4)+(5)", "(4)", "(5)", "(6)", "(7)"]
    assert [sheet.cell(row=r, column=2).value for r in range(10, 15)] == [
        "Cấp huyện", "Cấp xã", "Xã 1", "Xã 2", "Tổng số"]
    assert sheet.freeze_panes == "C10"
    assert sheet.print_title_rows == "$6:$9"
    assert sheet.page_setup.orientation == "landscape" and int(sheet.page_setup.paperSize) == 9  # A4
    assert sheet.sheet_properties.pageSetUpPr.fitToPage and sheet.page_setup.fitToWidth == 1
    # a percentage as typed and printed (40%, 95,4%), not 40,00%; figures clear of the right border
    assert sheet["C12"].number_format == "#,##0" and sheet["F10"].number_format == 'General"%"'
    assert sheet["C12"].alignment.horizontal == "right" and sheet["C12"].alignment.indent == 1
    assert sheet["C12"].border.left.style == "thin" and sheet["B10"].font.b  # a group row is bold


def test_totals_and_identities_are_formulas_only_where_the_figures_agree(tmp_path, store):
    catalog, report = _report(tmp_path, store)
    _fill(store, catalog, report, total_I="101")  # (3) of row I contradicts (4)+(5) = 100
    sheet = load_workbook(write_xlsx(store, catalog, report, tmp_path / "bc.xlsx"))["Biểu mẫu 5B"]
    assert sheet["C10"].value == 101  # the typed number: the app reports the finding
    assert sheet["C11"].value == "=D11+E11"  # II: (3)=(4)+(5) holds
    assert sheet["D11"].value == "=SUM(D12:D13)"  # II = its communes
    assert sheet["C12"].value == "=D12+E12"
    assert sheet["C14"].value == 1672  # the total row is typed over a wrong I: not a formula
    assert sheet["D14"].value is None  # blank as entered


def test_a_workbook_reads_back_to_the_stored_values(tmp_path, store):
    catalog, report = _report(tmp_path, store)
    _fill(store, catalog, report)
    before = store.cells.get(report)
    path = write_xlsx(store, catalog, report, tmp_path / "bc.xlsx")
    assert len(import_xlsx(store, catalog, report, path)) == 0
    assert store.cells.get(report) == before


def test_numbers_changed_in_a_spreadsheet_come_back_and_formulas_are_read_as_calculated(tmp_path, store):
    catalog, report = _report(tmp_path, store)
    _fill(store, catalog, report)
    path = write_xlsx(store, catalog, report, tmp_path / "bc.xlsx")
    book = load_workbook(path)
    sheet = book["Biểu mẫu 5B"]
    sheet["E12"] = "1.600"  # a clerk types the Vietnamese way
    sheet["F10"] = 95.5
    sheet["G13"] = "Quá hạn 2 hồ sơ"
    book.save(path)
    assert len(import_xlsx(store, catalog, report, path)) == 7
    cells = store.cells.get(report)["5B"]
    # C12 "=D12+E12" and the sums over it were never calculated by a spreadsheet: the import does it
    assert cells["unit:H1.X1"]["moi"] == "1600" and cells["unit:H1.X1"]["tong"] == "1600"
    assert cells["II"]["moi"] == "1600" and cells["II"]["tong"] == "1610"
    assert cells["tong_cong"]["tong"] == "1710"
    assert cells["I"]["ty_le"] == "95.5" and cells["unit:H1.X2"]["ghi_chu"] == "Quá hạn 2 hồ sơ"


@pytest.mark.parametrize("cell, value, where", [
    ("B12", "Xã Mới", "B12"),  # a row label renamed
    ("D8", "Tổng", "D8"),  # a header changed
    ("C9", "(3)", "C9"),  # a column number changed
    ("A15", "3", "A15"),  # a row added under the table
    ("H11", 5, "H11"),  # a column added to its right
])
def test_an_altered_layout_is_refused_naming_sheet_and_cell(tmp_path, store, cell, value, where):
    catalog, report = _report(tmp_path, store)
    _fill(store, catalog, report)
    path = write_xlsx(store, catalog, report, tmp_path / "bc.xlsx")
    book = load_workbook(path)
    book["Biểu mẫu 5B"][cell] = value
    book["Biểu mẫu 5B"]["D12"] = 7  # a real change too: it must not land
    book.save(path)
    before = store.cells.get(report)
    with pytest.raises(CchcError) as refused:
        import_xlsx(store, catalog, report, path)
    assert refused.value.code == "XLSX004"
    assert "Biểu mẫu 5B" in str(refused.value) and where in str(refused.value)
    assert store.cells.get(report) == before


def test_a_bad_cell_refuses_the_whole_import(tmp_path, store):
    catalog, report = _report(tmp_path, store)
    _fill(store, catalog, report)
    path = write_xlsx(store, catalog, report, tmp_path / "bc.xlsx")
    book = load_workbook(path)
    book["Biểu mẫu 5B"]["D10"] = 55  # fine on its own
    book["Biểu mẫu 5B"]["E13"] = "mười"  # not a number
    book.save(path)
    before = store.cells.get(report)
    with pytest.raises(CchcError) as refused:
        import_xlsx(store, catalog, report, path)
    assert refused.value.code == "XLSX006" and "Biểu mẫu 5B!E13" in str(refused.value)
    assert store.cells.get(report) == before


def test_a_workbook_of_another_report_or_not_a_workbook_is_refused(tmp_path, store):
    catalog, report = _report(tmp_path, store)
    path = write_xlsx(store, catalog, report, tmp_path / "bc.xlsx")
    other = store.reports.create("H1", __import__("desktop.foundation.periods").foundation.periods.Period("nam", 2021), "test", 1)
    with pytest.raises(CchcError) as refused:
        import_xlsx(store, catalog, other, path)
    assert refused.value.code == "XLSX003" and "_cchc!" in str(refused.value)
    junk = tmp_path / "junk.xlsx"
    junk.write_bytes(b"PK\x03\x04 not really")
    with pytest.raises(CchcError) as refused:
        import_xlsx(store, catalog, report, junk)
    assert refused.value.code == "XLSX001"
    book = load_workbook(path)
    del book["_cchc"]
    book.save(path)
    with pytest.raises(CchcError) as refused:
        import_xlsx(store, catalog, report, path)
    assert refused.value.code == "XLSX002"


def test_repeating_rows_dates_and_yes_no_go_both_ways(tmp_path, store):
    catalog, report = _report(tmp_path, store, {"td.yaml": TASKS})
    first = store.rows.add(report, "TD", "the_che")
    second = store.rows.add(report, "TD", "the_che")
    enter_cells(store, catalog, report, "TD", [(first, "nhiem_vu", "Rà soát văn bản"), (first, "ngay", "05/01/2020"),
                                               (first, "xong", "Có"), (second, "nhiem_vu", "Tuyên truyền")])
    path = write_xlsx(store, catalog, report, tmp_path / "bc.xlsx")
    book = load_workbook(path)
    sheet = book["Bảng tổng hợp"]
    assert [sheet["A5"].value, sheet["A6"].value, sheet["A7"].value] == ["I", "1", "2"]
    assert sheet["D6"].value == "Có" and sheet["C6"].number_format == "dd/mm/yyyy"
    sheet["B7"] = "Tuyên truyền CCHC"
    sheet["D7"] = "không"
    book.save(path)
    assert len(import_xlsx(store, catalog, report, path)) == 2
    cells = store.cells.get(report)["TD"]
    assert cells[second] == {"nhiem_vu": "Tuyên truyền CCHC", "xong": "0"}
    assert cells[first]["ngay"] == "2020-01-05"


def test_computed_columns_are_formulas_across_sheets(tmp_path, store):
    forms = {
        "a.yaml": """
            code: A
            printed_code: Phụ lục VI
            title: HỒ SƠ
            columns:
              - {id: stt, label: STT, kind: row_code}
              - {id: ten, label: Đơn vị, kind: row_label}
              - {id: tong_so, label: Tổng số}
            rows:
              - {units: xa}
            """,
        "b.yaml": """
            code: B
            printed_code: Phụ lục VII
            title: TRỰC TUYẾN
            columns:
              - {id: stt, label: STT, kind: row_code}
              - {id: ten, label: Đơn vị, kind: row_label}
              - {id: truc_tuyen, label: Trực tuyến}
              - {id: ty_le, label: Tỷ lệ, type: computed, result: percent,
                 expr: 'round(truc_tuyen * 100 / form("A", tong_so), 2)'}
            rows:
              - {units: xa}
            """,
    }
    catalog, report = _report(tmp_path, store, forms)
    enter_cells(store, catalog, report, "A", [("unit:H1.X1", "tong_so", "1.562")])
    enter_cells(store, catalog, report, "B", [("unit:H1.X1", "truc_tuyen", "1.463")])
    sheet = load_workbook(write_xlsx(store, catalog, report, tmp_path / "bc.xlsx"))["Phụ lục VII"]
    assert sheet["D5"].value == "=ROUND(C5*100/'Phụ lục VI'!C5,2)"
    assert sheet["D6"].value is None  # no figures, no rate
    annex = build_annexes(ReportData(store, catalog, report))[1]
    assert annex.rows[0].cells[3].text == "93,66%"


@settings(max_examples=200, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.one_of(st.integers(min_value=0, max_value=10**12), st.floats(allow_nan=True, allow_infinity=True),
                 st.text(max_size=30), st.booleans(), st.none()))
def test_any_spreadsheet_value_is_a_number_or_a_message(value):
    for kind in ("count", "decimal", "percent", "text", "bool", "date"):
        try:
            read_value(value, CellType(kind=kind), "Biểu!A1")
        except CchcError as error:
            assert error.code == "XLSX006" and "Biểu!A1" in str(error)


def test_spreadsheet_doubles_come_back_as_the_decimals_the_clerk_sees():
    assert read_value(0.1 + 0.2, CellType(kind="decimal"), "A1") == Decimal("0.3")
    assert read_value(1562.0, CellType(kind="count"), "A1") == 1562
    assert read_value("1.562", CellType(kind="count"), "A1") == 1562
    assert read_value("93,66%", CellType(kind="percent"), "A1") == Decimal("93.66")


def test_the_issuing_body_is_the_peoples_committee_however_the_unit_is_named():
    from desktop.exchange.annex import issuing_body, short_unit_name
    from desktop.exchange.document import issuer_lines, written_date

    assert issuing_body("Xã Quảng Ngạn") == "Ủy ban nhân dân xã Quảng Ngạn"
    assert issuing_body("Ủy ban nhân dân huyện Kế Sách") == "Ủy ban nhân dân huyện Kế Sách"
    assert short_unit_name("UBND Thị trấn Tô Hạp") == "thị trấn Tô Hạp"
    assert issuer_lines("Ủy ban nhân dân xã Quảng Ngạn") == ["ỦY BAN NHÂN DÂN", "XÃ QUẢNG NGẠN"]
    import datetime as dt
    assert written_date("Quảng Ngạn", dt.date(2020, 1, 5)) == "Quảng Ngạn, ngày 05 tháng 01 năm 2020"
    assert written_date("Kế Sách", dt.date(2019, 11, 21)) == "Kế Sách, ngày 21 tháng 11 năm 2019"


def test_styles_set_once_per_combination_are_the_styles_each_cell_would_be_given(demo_store):
    """The workbook's style cache changes nothing: every cell of every demo report's workbook has
    the font, border, alignment and number format that setting them cell by cell gives."""
    from desktop.exchange import xlsx
    from desktop.report.data import report_data

    class Uncached(xlsx.StyleCache):
        def apply(self, cell, key, make) -> None:
            for name, value in make().items():
                setattr(cell, name, value)

    store, catalog = demo_store
    compared = 0
    for report in store.reports.all():
        data = report_data(store, catalog, report.id)
        cached = xlsx.build_workbook(data)
        real = xlsx.StyleCache
        try:
            xlsx.StyleCache = Uncached
            direct = xlsx.build_workbook(data)
        finally:
            xlsx.StyleCache = real
        for sheet in direct.worksheets:
            for row in sheet.iter_rows():
                for cell in row:
                    other = cached[sheet.title][cell.coordinate]
                    # copies: openpyxl hands out proxies, which compare equal only to their own style
                    assert [copy(other.font), copy(other.border), copy(other.alignment), other.number_format] == \
                        [copy(cell.font), copy(cell.border), copy(cell.alignment), cell.number_format], \
                        (sheet.title, cell.coordinate)
                    compared += 1
    assert compared > 10_000

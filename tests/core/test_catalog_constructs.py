"""The form constructs the seed annexes needed, each written as a small table."""

from conftest import catalog_of, new_report

import pytest

from desktop.foundation.messages import CchcError
from desktop.report.ops import enter_cell, enter_cells
from desktop.foundation.periods import Period
from desktop.rules.engine import validate_report

YES_NO_ROW = """
code: 3B
printed_code: Biểu mẫu 3B
title: KIỂM SOÁT TTHC
columns:
  - {id: stt, label: STT, kind: row_code}
  - {id: noi_dung, label: Nội dung, kind: row_label}
  - {id: so_lieu, label: Số liệu thống kê}
rows:
  - {id: "1", code: "1", label: Kế hoạch rà soát TTHC, type: bool}
  - {id: "2", code: "2", label: Số TTHC công khai, total: ["2.1", "2.2"]}
  - {id: "2.1", code: "2.1", label: Cấp huyện}
  - id: "2.2"
    code: "2.2"
    label: Cấp xã
    children:
      - {units: xa, id: "2.2", code_format: "2.2.{n}"}
  - id: "3"
    code: "3"
    label: Số TTHC đăng tải
    children:
      - {units: xa, id: "3", code_format: "3.{n}"}
"""


def test_a_row_with_its_own_type_takes_co_in_a_count_column(tmp_path, store):
    catalog = catalog_of(tmp_path, {"f.yaml": YES_NO_ROW})
    report = new_report(store, communes=2)
    enter_cell(store, catalog, report, "3B", "1", "so_lieu", "có")
    with pytest.raises(CchcError) as refused:
        enter_cell(store, catalog, report, "3B", "1", "so_lieu", "12")
    assert refused.value.code.startswith("NUM")
    with pytest.raises(CchcError):
        enter_cell(store, catalog, report, "3B", "2.1", "so_lieu", "Có")  # the other rows stay numbers
    enter_cells(store, catalog, report, "3B", [("2", "so_lieu", "380"), ("2.1", "so_lieu", "257"),
                                               ("2.2", "so_lieu", "123")])
    assert store.cells.get(report)["3B"]["1"]["so_lieu"] == "1"
    assert validate_report(store, catalog, report) == []  # "Có" is not added into anything


def test_two_generators_of_one_form_keep_their_rows_apart(tmp_path, store):
    catalog = catalog_of(tmp_path, {"f.yaml": YES_NO_ROW})
    report = new_report(store, communes=2)
    enter_cell(store, catalog, report, "3B", "2.2:unit:H1.X1", "so_lieu", "123")
    enter_cell(store, catalog, report, "3B", "3:unit:H1.X1", "so_lieu", "100")
    cells = store.cells.get(report)["3B"]
    assert cells["2.2:unit:H1.X1"] == {"so_lieu": "123"} and cells["3:unit:H1.X1"] == {"so_lieu": "100"}


def test_two_unnamed_generators_of_one_level_are_refused(tmp_path):
    clash = YES_NO_ROW.replace('{units: xa, id: "2.2", code_format: "2.2.{n}"}', "{units: xa}") \
                      .replace('{units: xa, id: "3", code_format: "3.{n}"}', "{units: xa}")
    catalog = catalog_of(tmp_path, {"f.yaml": clash})
    assert [p.code for p in catalog.problems][:1] == ["FORM006"] and catalog.form_count == 0


STAFF = """
code: 6B
printed_code: Biểu mẫu 6B
title: BIÊN CHẾ
columns:
  - {id: stt, label: STT, kind: row_code}
  - {id: ten, label: Đơn vị, kind: row_label}
  - {id: bien_che, label: Biên chế}
  - {id: so_co_quan, label: Số cơ quan}
rows:
  - id: II
    code: II
    label: UBND cấp xã
    total: children
    children: [{units: xa}]
rules:
  - id: khop_7B
    scope: row
    rows: [II, units]
    check: 'bien_che == form("7B", bien_che)'
"""
STAFF_7B = """
code: 7B
printed_code: Biểu mẫu 7B
title: CBCCVC
columns:
  - {id: stt, label: STT, kind: row_code}
  - {id: ten, label: Đơn vị, kind: row_label}
  - {id: bien_che, label: Biên chế}
rows:
  - {id: II, code: II, label: UBND cấp xã, total: children, children: [{units: xa}]}
"""


def test_the_same_row_of_another_form_and_rules_over_generated_rows(tmp_path, store):
    catalog = catalog_of(tmp_path, {"6b.yaml": STAFF, "7b.yaml": STAFF_7B})
    report = new_report(store, communes=2)
    enter_cells(store, catalog, report, "6B", [("unit:H1.X1", "bien_che", "22"), ("unit:H1.X2", "bien_che", "23"),
                                               ("II", "bien_che", "45")])
    enter_cells(store, catalog, report, "7B", [("unit:H1.X1", "bien_che", "22"), ("unit:H1.X2", "bien_che", "24"),
                                               ("II", "bien_che", "46")])
    found = {(f.form_code, f.row_id, f.rule, f.actual, f.expected) for f in validate_report(store, catalog, report)}
    assert found == {("6B", "unit:H1.X2", "khop_7B", 23, 24), ("6B", "II", "khop_7B", 45, 46)}


def test_a_total_whose_breakdown_is_not_reported_is_a_warning_not_an_error(tmp_path, store):
    catalog = catalog_of(tmp_path, {"6b.yaml": STAFF, "7b.yaml": STAFF_7B})
    report = new_report(store, communes=2)
    # 13 in row II with no per-commune figure: nothing to add up, but said (issue 18: not silence)
    enter_cell(store, catalog, report, "6B", "II", "so_co_quan", "13")
    assert [(f.rule, f.severity, f.actual, f.expected) for f in validate_report(store, catalog, report)] == [
        ("tổng:II", "warning", 13, None)]
    enter_cell(store, catalog, report, "6B", "unit:H1.X1", "so_co_quan", "1")  # now there is a breakdown
    assert [(f.rule, f.actual, f.expected) for f in validate_report(store, catalog, report)] == [("tổng:II", 13, 1)]


FILES = """
code: PL6
printed_code: Phụ lục VI
title: KẾT QUẢ GIẢI QUYẾT HỒ SƠ
columns:
  - {id: stt, label: STT, kind: row_code}
  - {id: don_vi, label: Đơn vị, kind: row_label}
  - label: Hồ sơ giải quyết
    children:
      - {id: tong_so, label: Tổng số, equals: "ky_truoc + nhan_trong_ky"}
      - {id: ky_truoc, label: Kỳ trước chuyển sang}
      - {id: nhan_trong_ky, label: Nhận trong kỳ}
  - label: Hồ sơ đang giải quyết
    children:
      - {id: dang_giai_quyet, label: Tổng số}
rows:
  - {units: xa}
rules:
  - id: chuyen_ky
    severity: warning
    check: ky_truoc == prev(dang_giai_quyet)
"""


def test_columns_without_numbers_are_named_by_their_distinct_header_path(tmp_path, store):
    catalog = catalog_of(tmp_path, {"f.yaml": FILES})
    report = new_report(store, communes=1)
    enter_cells(store, catalog, report, "PL6", [("unit:H1.X1", "tong_so", "10"), ("unit:H1.X1", "ky_truoc", "3")])
    (finding,) = validate_report(store, catalog, report)
    assert "Cột “Hồ sơ giải quyết / Tổng số” phải bằng “Kỳ trước chuyển sang” + “Nhận trong kỳ”" in finding.message


def test_carried_over_files_match_last_years_pending_files(tmp_path, store):
    catalog = catalog_of(tmp_path, {"f.yaml": FILES})
    last_year = new_report(store, communes=1, period=Period("nam", 2019))
    this_year = new_report(store, communes=1, period=Period("nam", 2020))
    assert validate_report(store, catalog, this_year) == []
    enter_cell(store, catalog, last_year, "PL6", "unit:H1.X1", "dang_giai_quyet", "5")
    enter_cells(store, catalog, this_year, "PL6", [("unit:H1.X1", "tong_so", "9"), ("unit:H1.X1", "ky_truoc", "4"),
                                                   ("unit:H1.X1", "nhan_trong_ky", "5")])
    found = [(f.rule, f.severity, f.actual, f.expected) for f in validate_report(store, catalog, this_year)]
    assert found == [("chuyen_ky", "warning", 4, 5)]


def test_arithmetic_on_a_yes_no_cell_is_empty_not_a_crash(tmp_path, store):
    form = YES_NO_ROW + """rules:
  - {id: tang_mot, scope: row, row: "1", check: so_lieu + 1 >= 0}
  - {id: cong_chu, scope: row, row: "1", check: so_lieu * 2 <= 0}
"""
    catalog = catalog_of(tmp_path, {"f.yaml": form})
    report = new_report(store, communes=1)
    enter_cell(store, catalog, report, "3B", "1", "so_lieu", "Có")
    # "Có" + 1 is no number: the sum side is empty (0 by the empty-cell rule), the product empty
    assert [(f.rule, f.actual) for f in validate_report(store, catalog, report)] == []

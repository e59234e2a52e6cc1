"""Validation: each rule construct, and what a finding says."""

import pytest
from conftest import catalog_of, new_report

from desktop.foundation.messages import CchcError

from desktop.report.ops import enter_cell, enter_cells
from desktop.foundation.periods import Period
from desktop.rules.engine import validate_all, validate_report

RECEIVED = """
code: 5B
printed_code: Biểu mẫu 5B
title: THỐNG KÊ
numbered: true
columns:
  - {id: stt, label: STT, kind: row_code}
  - {id: ten, label: Cơ quan, kind: row_label}
  - label: Số hồ sơ
    children:
      - {id: tong, label: Tổng số, equals: "(4)+(5)"}
      - {id: ky_truoc, label: Kỳ trước}
      - {id: moi, label: Mới}
  - {id: dang, label: Đang giải quyết}
  - {id: ty_le, label: Tỷ lệ, type: percent}
rows:
  - {id: I, code: I, label: Cấp huyện}
  - id: II
    code: II
    label: Cấp xã
    total: children
    children:
      - units: xa
  - {id: tong_so, label: "Tổng số = (I) + (II)", style: total, total: [I, II]}
rules:
  - id: ty_le_100
    severity: warning
    scope: column
    column: ty_le
    check: "@ <= 100"
    message: "Tỷ lệ ở dòng {row} là {actual}, vượt quá {expected}."
  - id: chuyen_ky
    severity: warning
    check: ky_truoc == prev(dang)
"""


def setup(tmp_path, store, forms=None, communes=2):
    catalog = catalog_of(tmp_path, forms or {"5b.yaml": RECEIVED})
    assert catalog.problems == []
    return catalog, new_report(store, communes=communes)


def on_row(findings, row):
    return [f for f in findings if f.row_id == row]


def on_rule(findings, rule):
    return [f for f in findings if f.rule == rule]


def fill(store, catalog, report, row, **values):
    enter_cells(store, catalog, report, "5B", [(row, col, text) for col, text in values.items()])


def test_a_form_that_adds_up_has_no_finding(tmp_path, store):
    catalog, report = setup(tmp_path, store)
    fill(store, catalog, report, "I", tong="10", ky_truoc="4", moi="6")
    fill(store, catalog, report, "unit:H1.X1", tong="5", moi="5")
    fill(store, catalog, report, "unit:H1.X2", tong="1.000", ky_truoc="1.000")
    fill(store, catalog, report, "II", tong="1.005", ky_truoc="1.000", moi="5")
    fill(store, catalog, report, "tong_so", tong="1.015", ky_truoc="1.004", moi="11")
    assert validate_report(store, catalog, report) == []


def test_header_identity_finding_names_everything(tmp_path, store):
    catalog, report = setup(tmp_path, store)
    fill(store, catalog, report, "I", tong="10", ky_truoc="4", moi="5")
    [finding] = on_row(validate_report(store, catalog, report), "I")
    assert finding.to_json() | {"message": None} == {
        "report": report, "form": "Biểu mẫu 5B", "row": "I. Cấp huyện", "column": "Số hồ sơ / Tổng số (3)",
        "severity": "error", "rule": "(3)=(4)+(5)", "actual": 10, "expected": 9, "message": None,
        "form_code": "5B", "row_id": "I", "column_id": "tong",
    }
    assert finding.message == "Cột (3) phải bằng (4) + (5): đang ghi 10, tính ra 9."


def test_sum_of_communes_and_of_named_rows(tmp_path, store):
    catalog, report = setup(tmp_path, store)
    fill(store, catalog, report, "unit:H1.X1", moi="1.500")
    fill(store, catalog, report, "unit:H1.X2", moi="62")
    fill(store, catalog, report, "II", moi="1.552")
    fill(store, catalog, report, "I", moi="10")
    fill(store, catalog, report, "tong_so", moi="1.560")
    findings = [f for f in validate_report(store, catalog, report) if f.rule.startswith("tổng:")]
    rules = [(f.rule, f.row_id, f.column_id, f.actual, f.expected) for f in findings]
    assert rules == [("tổng:II", "II", "moi", 1552, 1562), ("tổng:tong_so", "tong_so", "moi", 1560, 1562)]
    assert "các dòng thuộc dòng này" in findings[0].message
    assert "(I) + (II)" in findings[1].message and "1.560" in findings[1].message


def test_empty_cells_an_unfilled_row_is_not_checked_but_a_blank_total_is(tmp_path, store):
    catalog, report = setup(tmp_path, store)
    assert validate_report(store, catalog, report) == []  # nothing typed, nothing to say
    fill(store, catalog, report, "I", ky_truoc="4", moi="5")
    [finding] = on_row(validate_report(store, catalog, report), "I")
    assert (finding.actual, finding.expected) == (None, 9)
    assert "để trống" in finding.message


def test_column_scope_and_custom_message(tmp_path, store):
    catalog, report = setup(tmp_path, store)
    fill(store, catalog, report, "I", ty_le="120,5")
    [finding] = validate_report(store, catalog, report)  # a percentage is not summed into totals
    assert finding.severity == "warning" and finding.rule == "ty_le_100"
    assert finding.message == "Tỷ lệ ở dòng I. Cấp huyện là 120,5%, vượt quá 100%."
    assert finding.actual == 120.5


def test_previous_period_carry_over(tmp_path, store):
    catalog, q1 = setup(tmp_path, store)
    q2 = store.reports.create("H1", Period("quy", 2020, 2), "test", 1)
    q1_new = store.reports.create("H1", Period("quy", 2020, 1), "test", 1)
    fill(store, catalog, q1_new, "I", dang="7")
    fill(store, catalog, q2, "I", ky_truoc="7", tong="7")
    assert on_rule(validate_report(store, catalog, q2), "chuyen_ky") == []
    fill(store, catalog, q2, "I", ky_truoc="6", tong="6")
    [finding] = on_rule(validate_report(store, catalog, q2), "chuyen_ky")
    assert (finding.row_id, finding.column_id, finding.actual, finding.expected) == ("I", "ky_truoc", 6, 7)
    # Quý I has no Quý IV of the year before: the rule does not apply.
    fill(store, catalog, q1_new, "I", ky_truoc="3", tong="3")
    assert on_rule(validate_report(store, catalog, q1_new), "chuyen_ky") == []


CROSS = """
code: 6B
printed_code: Biểu mẫu 6B
title: KHÁC
columns:
  - {id: stt, label: STT, kind: row_code}
  - {id: ten, label: Nội dung, kind: row_label}
  - {id: so, label: Số lượng}
  - {id: ty_le, label: Tỷ lệ, type: computed, result: percent, expr: "so / form(\\"5B\\", \\"I\\", tong) * 100"}
rows:
  - {id: a, code: "1", label: Hồ sơ tiếp nhận cấp huyện}
  - {id: b, code: "-", label: Trong đó kỳ trước}
  - {id: c, code: "2", label: Cộng dồn}
rules:
  - id: khop_5B
    check: 'cell("a", so) == form("5B", "I", tong)'
    row: a
  - id: tong_khoang
    scope: row
    row: c
    check: 'so == sum_rows("a", "b", so)'
  - id: ty_le_hop_ly
    severity: warning
    scope: row
    row: a
    check: "ty_le <= 100"
"""


def test_cross_form_reference_row_range_and_computed_column(tmp_path, store):
    catalog, report = setup(tmp_path, store, {"5b.yaml": RECEIVED, "6b.yaml": CROSS})
    fill(store, catalog, report, "I", tong="10", ky_truoc="4", moi="6")
    fill(store, catalog, report, "tong_so", tong="10", ky_truoc="4", moi="6")
    enter_cells(store, catalog, report, "6B", [("a", "so", "12"), ("b", "so", "3"), ("c", "so", "15")])
    findings = validate_report(store, catalog, report)
    assert [(f.form, f.rule, f.actual, f.expected) for f in findings] == [
        ("Biểu mẫu 6B", "khop_5B", 12, 10), ("Biểu mẫu 6B", "ty_le_hop_ly", 120, 100)]
    enter_cell(store, catalog, report, "6B", "a", "so", "10")
    assert [f.rule for f in validate_report(store, catalog, report)] == ["tong_khoang"]


def test_typing_into_what_cannot_be_typed_into_is_refused(tmp_path, store):
    catalog, report = setup(tmp_path, store)
    for form, row, column, code in [("9Z", "I", "tong", "STORE014"), ("5B", "khong", "tong", "STORE013"),
                                    ("5B", "I", "ten", "NUM010"), ("5B", "I", "tong", "NUM001")]:
        with pytest.raises(CchcError) as raised:
            enter_cell(store, catalog, report, form, row, column, "abc" if code == "NUM001" else "1")
        assert raised.value.code == code
    assert store.cells.get(report) == {}


def test_a_report_whose_form_set_is_missing_is_reported_not_crashed(tmp_path, store):
    catalog, report = setup(tmp_path, store)
    store.reports.create("H1", Period("quy", 2021, 1), "khong-co", 3)
    findings = validate_all(store, catalog)
    assert [f.rule for f in findings] == ["form_set"]
    assert "khong-co" in findings[0].message


BLANK_PARTS = """
    code: TH
    printed_code: Biểu 02
    title: TỔNG HỢP
    columns:
      - {id: stt, label: STT, kind: row_code}
      - {id: noi_dung, label: Nội dung, kind: row_label}
      - {id: so, label: Số lượng}
    rows:
      - {id: I, code: I, label: Cấp huyện, style: group, total: children, children: [{id: a, label: Phòng A}, {id: b, label: Phòng B}]}
"""


@pytest.mark.parametrize("cells, said", [
    ({"I": "13"}, True),  # a total typed over parts left blank: a warning, not silence
    ({"I": "0"}, False),  # nothing to break down
    ({"I": "13", "a": "6", "b": "7"}, False),  # adds up
])
def test_a_total_over_blank_parts_is_a_warning(tmp_path, store, cells, said):
    catalog = catalog_of(tmp_path, {"th.yaml": BLANK_PARTS})
    report = new_report(store)
    enter_cells(store, catalog, report, "TH", [(row, "so", v) for row, v in cells.items()])
    found = [f for f in validate_report(store, catalog, report) if "để trống" in f.message]
    assert bool(found) == said
    if said:
        [finding] = found
        assert finding.severity == "warning" and finding.row_id == "I" and finding.actual == 13
        assert "tổng có số (13) nhưng các dòng thành phần" in finding.message

"""A report typed in the app (issue 25 §1): the app does the arithmetic it knows.

Biểu 06 as the clerk of a commune types it: the parts only, or the parts and some of the printed
totals. A blank total is computed from its parts; a wholly blank side is incomplete, not wrong;
one wrong figure gives one finding, where it is, with the actual and the expected value.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop.foundation.periods import Period
from desktop.registry import load_catalog
from desktop.report.data import ReportData
from desktop.report.ops import create_report, enter_cells
from desktop.rules.engine import validate
from desktop.store.db import Store
from tests.core.conftest import REPO

CATALOG = load_catalog(REPO / "forms")
FIELDS = ["ho_tich", "chung_thuc", "dat_dai", "bao_tro_xa_hoi", "khac"]
PARTS = ["nhan_truc_tuyen", "nhan_truc_tiep", "ky_truoc", "da_truoc_han", "da_dung_han", "da_qua_han",
         "dang_trong_han", "dang_qua_han"]
TOTALS = {"nhan_tong": ["nhan_truc_tuyen", "nhan_truc_tiep", "ky_truoc"],
          "da_tong": ["da_truoc_han", "da_dung_han", "da_qua_han"], "dang_tong": ["dang_trong_han", "dang_qua_han"]}


def open_report(folder: Path, unit: str = "22732.2025"):
    store = Store.open(folder / "xa.db", user="kiemthu")
    store.units.add(unit, "Xã Đông Khánh Sơn", "xa", None, 0)
    report, _ = create_report(store, CATALOG, unit, Period("quy", 2025, 3), "toanquoc-06", 1)
    return store, report


def typed(store, report, cells: dict[tuple[str, str], int]) -> None:
    enter_cells(store, CATALOG, report, "06", [(row, column, str(value)) for (row, column), value in cells.items()])


def findings(store, report):
    return validate(ReportData(store, CATALOG, report))


def errors(store, report):
    return [f for f in findings(store, report) if f.severity == "error" and f.rule != "form_set"]


def field_figures(draw_or_rng) -> dict[str, int]:
    """One lĩnh vực's quarter: received = resolved + pending."""
    online, direct, before, early, late, pending_late = draw_or_rng
    received = online + direct + before
    resolved_part = min(received, early + late)
    early = min(early, resolved_part)
    late = resolved_part - early
    pending_late = min(pending_late, received - resolved_part)
    on_time = (received - resolved_part - pending_late) // 2
    pending_in = received - resolved_part - pending_late - on_time
    return {"nhan_truc_tuyen": online, "nhan_truc_tiep": direct, "ky_truoc": before, "da_truoc_han": early,
            "da_dung_han": on_time, "da_qua_han": late, "dang_trong_han": pending_in, "dang_qua_han": pending_late}


def with_totals(parts: dict[str, int]) -> dict[str, int]:
    return parts | {total: sum(parts[p] for p in of) for total, of in TOTALS.items()}


figures = st.tuples(*[st.integers(0, 2000)] * 6).map(field_figures)
communes = st.lists(figures, min_size=1, max_size=len(FIELDS))


def test_blank_totals_are_computed_shown_and_checked(tmp_path):
    store, report = open_report(tmp_path)
    typed(store, report, {("ho_tich", "nhan_truc_tuyen"): 1562, ("ho_tich", "nhan_truc_tiep"): 38})
    data = ReportData(store, CATALOG, report)
    scope = data.scope("06")
    form = scope.form
    assert scope.cell("item:ho_tich", form.by_id["nhan_tong"]) == 1600
    assert scope.is_derived("item:ho_tich", form.by_id["nhan_tong"])
    assert scope.cell("tong", form.by_id["nhan_truc_tuyen"]) == 1562
    assert scope.cell("tong", form.by_id["nhan_tong"]) == 1600
    assert not scope.is_derived("item:ho_tich", form.by_id["nhan_truc_tuyen"])  # typed
    assert scope.cell("item:chung_thuc", form.by_id["nhan_tong"]) is None  # nothing to add
    # received typed before resolved: incomplete, not wrong; one warning for the row
    found = findings(store, report)
    assert [f.severity for f in found if f.row_id == "item:ho_tich"] == ["warning"]
    assert "chưa nhập số hồ sơ đã giải quyết, số hồ sơ đang giải quyết" in found[0].message
    assert not errors(store, report)
    typed(store, report, {("ho_tich", "da_dung_han"): 1590, ("ho_tich", "dang_trong_han"): 10})
    assert findings(store, report) == []
    store.close()


def test_a_typed_total_over_the_computed_one_is_checked_and_delete_returns_it(tmp_path):
    store, report = open_report(tmp_path)
    typed(store, report, {("ho_tich", "nhan_truc_tuyen"): 1562, ("ho_tich", "nhan_truc_tiep"): 38,
                          ("ho_tich", "da_dung_han"): 1600, ("ho_tich", "nhan_tong"): 1610})
    [error] = errors(store, report)
    assert (error.row_id, error.column_id, error.actual, error.expected) == ("item:ho_tich", "nhan_tong", 1610, 1600)
    enter_cells(store, CATALOG, report, "06", [("ho_tich", "nhan_tong", "")])
    assert not errors(store, report)
    scope = ReportData(store, CATALOG, report).scope("06")
    assert scope.is_derived("item:ho_tich", scope.form.by_id["nhan_tong"])
    store.close()


def test_the_error_of_the_issue_is_one_finding_not_five(tmp_path):
    """The issue's clerk: Hộ tịch's 1.562 online and 38 direct gave five red errors."""
    store, report = open_report(tmp_path)
    typed(store, report, {("ho_tich", "nhan_truc_tuyen"): 1562, ("ho_tich", "nhan_truc_tiep"): 38})
    assert errors(store, report) == []
    store.close()


def test_a_transcript_keeps_what_the_paper_shows(tmp_path):
    store, report = open_report(tmp_path)
    store.reports.update(report, totals="nhu_ban_in")
    typed(store, report, {("ho_tich", "nhan_truc_tuyen"): 1562, ("ho_tich", "nhan_truc_tiep"): 38})
    scope = ReportData(store, CATALOG, report).scope("06")
    assert scope.cell("item:ho_tich", scope.form.by_id["nhan_tong"]) is None  # the paper's blank
    assert errors(store, report)  # as before: the blank total is said
    store.close()


def test_the_carry_over_reads_a_computed_pending_total(tmp_path):
    store, report = open_report(tmp_path)
    typed(store, report, {("ho_tich", "dang_trong_han"): 13, ("ho_tich", "dang_qua_han"): 1})
    store.reports.update(report, status="da_nop")
    following, carried = create_report(store, CATALOG, "22732.2025", Period("quy", 2025, 4), "toanquoc-06", 1)
    assert carried.cells >= 1
    scope = ReportData(store, CATALOG, following).scope("06")
    assert scope.cell("item:ho_tich", scope.form.by_id["ky_truoc"]) == 14
    store.close()


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(communes)
def test_parts_only_give_no_error_and_the_totals_they_imply(rows):
    with tempfile.TemporaryDirectory() as folder:
        store, report = open_report(Path(folder))
        cells = {(FIELDS[i], column): value for i, parts in enumerate(rows) for column, value in parts.items()}
        typed(store, report, cells)
        assert errors(store, report) == []
        scope = ReportData(store, CATALOG, report).scope("06")
        for total, of in TOTALS.items():
            expected = sum(parts[p] for parts in rows for p in of)
            assert scope.cell("tong", scope.form.by_id[total]) == expected
        store.close()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(communes, st.data())
def test_parts_and_printed_totals_with_one_wrong_give_one_error_where_it_is(rows, data):
    with tempfile.TemporaryDirectory() as folder:
        store, report = open_report(Path(folder))
        cells = {}
        for i, parts in enumerate(rows):
            whole = with_totals(parts)
            printed = data.draw(st.sets(st.sampled_from(sorted(TOTALS))), label=f"totals typed on row {i}")
            cells |= {(FIELDS[i], column): value for column, value in whole.items()
                      if column in PARTS or column in printed}
        grand = {column: sum(with_totals(parts)[column] for parts in rows) for column in PARTS + list(TOTALS)}
        printed_grand = data.draw(st.sets(st.sampled_from(sorted(grand))), label="total row typed")
        cells |= {("tong", column): grand[column] for column in printed_grand}
        wrong = data.draw(st.sampled_from(sorted(cells)), label="the wrong cell")
        delta = data.draw(st.integers(1, 500), label="by")
        cells[wrong] += delta
        typed(store, report, cells)
        found = errors(store, report)
        assert len(found) == 1, [f.message for f in found]
        [error] = found
        row_id = wrong[0] if wrong[0] == "tong" else f"item:{wrong[0]}"
        if (error.row_id, error.column_id) == (row_id, wrong[1]):
            assert (error.actual, error.expected) == (cells[wrong], cells[wrong] - delta)
        else:  # a part that only its row's identities see: any part of the row could be the wrong one
            assert error.row_id == row_id and wrong[1] in PARTS
        store.close()


def test_blanks_confirmed_as_nothing_happened_are_audited_undone_as_one_step_and_computed(tmp_path):
    from desktop.app.session import ReportSession

    store, report = open_report(tmp_path)
    typed(store, report, {("ho_tich", "nhan_truc_tuyen"): 1562, ("ho_tich", "nhan_truc_tiep"): 38,
                          ("ho_tich", "da_dung_han"): 1600})
    session = ReportSession(store, CATALOG, report)
    change = session.confirm_blanks()  # the whole report: the rows with a figure, not the blank ones
    confirmed = {(c.row, c.column) for c in change.cells}
    assert confirmed == {("item:ho_tich", c) for c in ("ky_truoc", "da_truoc_han", "da_qua_han", "dang_trong_han",
                                                        "dang_qua_han")}
    assert {c.new for c in change.cells} == {"0"}
    assert [a.action for a in store.audit.entries(report) if a.action == "confirm_blank"]
    scope = ReportData(store, CATALOG, report).scope("06")
    assert scope.cell("tong", scope.form.by_id["dang_tong"]) == 0  # now a figure: computed
    assert findings(store, report) == []
    session.undo()
    assert ReportData(store, CATALOG, report).scope("06").typed("item:ho_tich", scope.form.by_id["ky_truoc"]) is None
    # one row, even wholly blank
    change = session.confirm_blanks("06", "chung_thuc")
    assert len(change.cells) == len(PARTS)
    store.close()


def test_a_set_that_wants_every_row_filled_says_a_blank_row_once(tmp_path):
    from conftest import catalog_of

    catalog_of(tmp_path, {"a.yaml": """
        code: A
        printed_code: Biểu A
        title: THỬ
        numbered: true
        columns:
          - {id: stt, label: STT, kind: row_code}
          - {id: ten, label: Tên, kind: row_label}
          - {id: tong, label: Tổng, equals: "(4)+(5)"}
          - {id: a, label: A}
          - {id: b, label: B}
        rows:
          - {id: r1, label: Một}
          - {id: r2, label: Hai}
          - {id: t, label: Cộng, total: [r1, r2]}
        """})
    folder = tmp_path / "forms" / "test-1" / "set.yaml"
    folder.write_text(folder.read_text(encoding="utf-8") + "blank_rows: phai_nhap\n", encoding="utf-8")
    catalog = load_catalog(tmp_path / "forms")
    assert not catalog.problems, catalog.problems
    store = Store.open(tmp_path / "x.db", user="kiemthu")
    store.units.add("H1", "Huyện Thử", "huyen")
    report = store.reports.create("H1", Period("nam", 2020), "test", 1)
    enter_cells(store, catalog, report, "A", [("r1", "a", "3"), ("r1", "b", "4")])
    found = validate(ReportData(store, catalog, report))
    assert [(f.row_id, f.rule, f.severity) for f in found] == [("r2", "chua_nhap", "warning")]
    store.close()


def test_computed_totals_travel_as_figures_and_come_back_computed(tmp_path):
    from desktop.exchange.interchange import export_report, import_report

    store, report = open_report(tmp_path)
    typed(store, report, {("ho_tich", "nhan_truc_tuyen"): 1562, ("ho_tich", "nhan_truc_tiep"): 38})
    document = export_report(store, CATALOG, report)
    form = document["forms"]["06"]
    assert document["report"]["totals"] == "tinh"
    assert form["cells"]["item:ho_tich"]["nhan_tong"] == 1600 and form["cells"]["tong"]["nhan_tong"] == 1600
    assert "nhan_tong" in form["computed"]["item:ho_tich"]  # said to be computed: a receiver knows
    other = Store.open(tmp_path / "other.db", user="kiemthu")
    copy = import_report(other, CATALOG, document)
    assert "nhan_tong" not in other.cells.get(copy)["06"]["item:ho_tich"]  # computed again, not typed
    scope = ReportData(other, CATALOG, copy).scope("06")
    assert scope.cell("tong", scope.form.by_id["nhan_tong"]) == 1600
    document["report"]["totals"] = "nhu_ban_in"  # a transcript takes every figure as given
    document["unit"]["code"], document["unit"]["name"] = "H9", "Xã Khác"
    transcript = import_report(other, CATALOG, document)
    assert other.cells.get(transcript)["06"]["item:ho_tich"]["nhan_tong"] == "1600"
    store.close()
    other.close()


def test_a_total_whose_parts_all_say_does_not_apply_says_so_too(tmp_path):
    """Issue 29 §2: "/" (does not apply, seed 003's 4B) counts as nothing and prints as typed; a
    total over parts that are all "/" is "/" too, not a 0 nobody wrote; one figure among them wins."""
    from desktop.foundation.values import SLASH, format_value

    store, report = open_report(tmp_path)
    enter_cells(store, CATALOG, report, "06", [("ho_tich", c, "/") for c in ("nhan_truc_tuyen", "nhan_truc_tiep",
                                                                            "ky_truoc")])
    enter_cells(store, CATALOG, report, "06", [("chung_thuc", "nhan_truc_tuyen", "/"),
                                               ("chung_thuc", "nhan_truc_tiep", "12")])
    scope = ReportData(store, CATALOG, report).scope("06")
    total = scope.form.by_id["nhan_tong"]
    assert scope.cell("item:ho_tich", total) is SLASH and format_value(SLASH, total.ctype) == "/"
    assert scope.cell("item:chung_thuc", total) == 12
    assert store.cells.get(report)["06"]["item:ho_tich"]["nhan_truc_tuyen"] == "/"
    store.close()

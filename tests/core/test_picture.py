"""The picture of a report (issue 19 §2): key figures declared by a form set, their trend over the
unit's periods, and a district's or province's units side by side this period."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from conftest import catalog_of

from desktop.app.picture import overview, trends
from desktop.foundation.periods import Period
from desktop.report import ops
from desktop.report.data import ReportData
from desktop.rules.engine import validate

FORM = """
code: KQ
printed_code: Biểu KQ
title: KẾT QUẢ
columns:
  - {id: stt, label: STT, kind: row_code}
  - {id: ten, label: Đơn vị, kind: row_label}
  - {id: nhan, label: Nhận}
  - {id: dung_han, label: Đúng hạn}
  - {id: da_giai_quyet, label: Đã giải quyết}
rows:
  - {units: xa}
  - {id: tong, label: Tổng cộng, style: total, total: units}
"""

FIGURES = """
key_figures:
  - {id: nhan, label: Hồ sơ nhận, form: KQ, row: tong, value: nhan}
  - {id: ty_le, label: Tỷ lệ đúng hạn, form: KQ, row: tong, percent: true, value: "dung_han * 100 / da_giai_quyet"}
"""


def test_a_set_declares_its_key_figures_and_a_wrong_one_says_where(tmp_path):
    catalog = catalog_of(tmp_path, {"kq.yaml": FORM}, lists=FIGURES)
    assert catalog.problems == []
    assert [(f.id, f.percent) for f in catalog.get("test", 1).key_figures] == [("nhan", False), ("ty_le", True)]
    broken = FIGURES + """\
  - {id: nhan, label: Trùng mã, form: KQ, row: tong, value: nhan}
  - {id: a, label: Biểu lạ, form: XX, row: tong, value: nhan}
  - {id: b, label: Dòng lạ, form: KQ, row: khong_co, value: nhan}
  - {id: c, label: Cột lạ, form: KQ, row: tong, value: "nhan + khong_co"}
  - {id: d, label: Biểu thức hỏng, form: KQ, row: tong, value: "nhan +"}
  - {id: e, label: Thiếu giá trị, form: KQ, row: tong}
"""
    catalog = catalog_of(tmp_path / "hong", {"kq.yaml": FORM}, lists=broken)
    problems = [(p.code, p.line) for p in catalog.problems]
    assert problems == [("FORM022", 11), ("FORM022", 12), ("FORM022", 13), ("FORM022", 14), ("FORM022", 15),
                        ("FORM003", 16)]
    texts = [p.text for p in catalog.problems]
    assert "mã đã dùng" in texts[0] and "không có biểu “XX”" in texts[1] and "không có dòng “khong_co”" in texts[2]
    assert "không có cột “khong_co”" in texts[3]
    assert [f.id for f in catalog.get("test", 1).key_figures] == ["nhan", "ty_le"]  # the good ones stay


@pytest.fixture
def district(tmp_path, store):
    """A district of four communes with quarterly reports on the set: its own (units typed here) and,
    for commune 1, the commune's own report of the last quarter."""
    catalog = catalog_of(tmp_path, {"kq.yaml": FORM}, lists=FIGURES)
    store.units.add("H1", "Huyện Thử", "huyen")
    for n in range(1, 5):
        store.units.add(f"H1.X{n}", f"Xã {n}", "xa", "H1", n)
    return store, catalog


def quarter_report(store, catalog, unit: str, year: int, quarter: int, rows: dict[str, tuple]) -> int:
    """The units' rows as given and the total row typed as their sum, as a clerk types it."""
    report = store.reports.create(unit, Period("quy", year, quarter), "test", 1)
    columns = ("nhan", "dung_han", "da_giai_quyet")
    entries = [(row, column, str(value)) for row, values in rows.items()
               for column, value in zip(columns, values) if value is not None]
    for n, column in enumerate(columns):
        parts = [values[n] for values in rows.values() if values[n] is not None]
        if parts:
            entries.append(("tong", column, str(sum(parts))))
    ops.enter_cells(store, catalog, report, "KQ", entries)
    return report


QUARTERS = [(2024, 1), (2024, 2), (2024, 4), (2025, 1), (2025, 2), (2025, 3)]  # Q3/2024 has no report


def test_a_trend_follows_the_units_reports_of_its_period_type_oldest_first(district):
    store, catalog = district
    ids = {}
    for n, (year, quarter) in enumerate(QUARTERS):
        ids[(year, quarter)] = quarter_report(store, catalog, "H1", year, quarter, {
            "H1.X1": (100 + n, 90, 100), "H1.X2": (50, None if n == 4 else 40, None if n == 4 else 50)})
    store.reports.create("H1", Period("nam", 2024), "test", 1)  # another period type: not in the quarterly trend
    received, rate = trends(store, catalog, ids[(2025, 3)])
    assert [p.period for p in received.points] == ["Quý I/2024", "Quý II/2024", "Quý IV/2024", "Quý I/2025",
                                                   "Quý II/2025", "Quý III/2025"]
    assert [p.value for p in received.points] == [150, 151, 152, 153, 154, 155]
    assert [p.current for p in received.points] == [False] * 5 + [True]
    # (90 + 40) / 150; in Q2/2025 commune 2 left its columns blank: 90 / 100
    assert rate.points[0].value == Decimal(130) * 100 / 150 and rate.points[4].value == 90
    # as of an earlier report: what came before it, not after; and at most ``depth`` periods
    earlier = trends(store, catalog, ids[(2024, 4)])[0]
    assert [p.value for p in earlier.points] == [150, 151, 152]
    assert len(trends(store, catalog, ids[(2025, 3)], depth=4)[0].points) == 4


def test_a_rate_over_nothing_is_no_value_not_zero(district):
    store, catalog = district
    report = quarter_report(store, catalog, "H1", 2025, 3, {"H1.X1": (10, 0, 0)})
    received, rate = trends(store, catalog, report)
    assert received.points[0].value == 10 and rate.points[0].value is None


def test_the_overview_ranks_units_shows_their_state_and_flags_unusual_figures(district):
    store, catalog = district
    for year, quarter in QUARTERS[:-1]:
        quarter_report(store, catalog, "H1", year, quarter, {"H1.X1": (400, 380, 400), "H1.X2": (300, 250, 300),
                                                             "H1.X3": (200, 150, 200)})
    report = quarter_report(store, catalog, "H1", 2025, 3, {
        "H1.X1": (410, 400, 410), "H1.X2": (3000, 2900, 3000),  # ten times its history
        "H1.X3": (210, 100, 200)})  # commune 4 typed nothing
    own = quarter_report(store, catalog, "H1.X1", 2025, 3, {})
    data = ReportData(store, catalog, report)
    units = {u.code: u for u in overview(data, validate(data))}
    assert list(units) == ["H1.X1", "H1.X2", "H1.X3", "H1.X4"]  # the form's order
    assert [units[c].rank for c in ("H1.X1", "H1.X2", "H1.X3", "H1.X4")] == [1, 2, 3, None]  # 97,6 96,7 50
    assert units["H1.X2"].values["ty_le"] == Decimal(2900) * 100 / 3000
    assert units["H1.X4"].values == {"nhan": None, "ty_le": None}
    assert units["H1.X2"].unusual and "3.000" in units["H1.X2"].unusual[0]
    assert not units["H1.X1"].unusual and not units["H1.X3"].unusual
    assert units["H1.X1"].report_id == own and units["H1.X2"].report_id is None
    # no package came: figures typed at the district, or nothing at all
    assert [units[c].state for c in ("H1.X1", "H1.X4")] == ["typed", "missing"]
    assert units["H1.X4"].state_label == "Chưa nộp"


def test_a_report_without_key_figures_or_unit_rows_has_no_picture(district, tmp_path, store):
    _, catalog = district
    plain = catalog_of(tmp_path / "plain", {"kq.yaml": FORM})
    report = quarter_report(store, plain, "H1", 2025, 3, {"H1.X1": (1, 1, 1)})
    assert trends(store, plain, report) == []
    data = ReportData(store, plain, report)
    assert overview(data, []) == []
    commune = quarter_report(store, catalog, "H1.X1", 2025, 3, {})
    data = ReportData(store, catalog, commune)  # a commune has no units rows
    assert overview(data, []) == []


def test_the_printed_report_can_end_with_a_page_of_vector_charts(district, tmp_path):
    """The PDF's chart page: every key figure with its value this period and the periods it spans,
    drawn as vector paths in the report's embedded font (no picture in it), after the annexes."""
    from pypdf import PdfReader

    from desktop.exchange.pdf import render_pdf
    from desktop.report.data import report_data

    store, catalog = district
    ids = [quarter_report(store, catalog, "H1", year, quarter, {"H1.X1": (100 + n, 90, 100)})
           for n, (year, quarter) in enumerate(QUARTERS)]
    plain = render_pdf(report_data(store, catalog, ids[-1]))
    charted = render_pdf(report_data(store, catalog, ids[-1]), trends=trends(store, catalog, ids[-1]))
    (tmp_path / "c.pdf").write_bytes(charted)
    before, after = PdfReader(io.BytesIO(plain)), PdfReader(tmp_path / "c.pdf")
    assert len(after.pages) == len(before.pages) + 1
    page = after.pages[-1]
    text = page.extract_text()
    assert "BIỂU ĐỒ CÁC CHỈ SỐ CHÍNH" in text
    assert "Hồ sơ nhận: 105" in text and "Tỷ lệ đúng hạn: 90,0%" in text
    assert "Quý I/2024" in text and "Quý III/2025" in text
    resources = page["/Resources"]
    images = [x for x in (resources.get("/XObject") or {}).values() if x.get_object().get("/Subtype") == "/Image"]
    assert images == []
    fonts = [f.get_object() for f in resources["/Font"].values()]
    assert fonts and all("/FontFile2" in f["/DescendantFonts"][0].get_object()["/FontDescriptor"]
                         for f in fonts if "/DescendantFonts" in f)
    content = page.get_contents().get_data()
    assert b" re" in content and b" l" in content  # the squares and lines are paths


def test_export_asks_for_charts_by_flag_or_setting(district, tmp_path):
    from pypdf import PdfReader

    from desktop.app.cli import main
    from desktop.foundation.settings import load_settings, save_settings

    store, catalog = district
    report = quarter_report(store, catalog, "H1", 2025, 3, {"H1.X1": (10, 9, 10)})
    assert load_settings(store)["document"]["charts"] is False
    forms = str(next(iter(catalog.sets.values())).directory).rsplit("/", 1)[0]
    db = store.path
    pages = {}
    for name, flags in (("plain", []), ("flag", ["--charts"])):
        assert main(["--db", str(db), "--forms", forms, "export", "--report", str(report),
                     "--pdf", str(tmp_path / f"{name}.pdf"), *flags]) == 0
        pages[name] = len(PdfReader(tmp_path / f"{name}.pdf").pages)
    settings = load_settings(store)
    settings["document"]["charts"] = True
    save_settings(store, settings)
    assert main(["--db", str(db), "--forms", forms, "export", "--report", str(report),
                 "--pdf", str(tmp_path / "setting.pdf")]) == 0
    pages["setting"] = len(PdfReader(tmp_path / "setting.pdf").pages)
    assert pages["flag"] == pages["setting"] == pages["plain"] + 1


def test_a_merged_communes_trend_starts_with_its_old_units_added_up(tmp_path):
    """Đông Khánh Sơn (from 1 July 2025) was formed from three whole communes whose Quý II/2025
    reports the demo holds: its trend's first point is their reports added up cell by cell, a rate
    computed over the sums, and the trend says whose they are."""
    from conftest import REPO

    from desktop.app.demo import load_demo
    from desktop.registry import load_catalog
    from desktop.store.db import Store

    catalog = load_catalog(REPO / "forms")
    with Store.open(tmp_path / "demo.db") as store:
        load_demo(store, catalog)
        own = next(r for r in store.reports.all() if r.unit_code == "22732.2025")
        old = [r for r in store.reports.all() if r.form_set_id == "toanquoc-06" and r.unit_code != "22732.2025"]
        found = {t.figure.id: t for t in trends(store, catalog, own.id)}
        received, rate = found["tiep_nhan"], found["dung_han"]
        assert [p.period for p in received.points] == ["Quý II/2025", "Quý III/2025"]
        totals = [store.cells.get(r.id)["06"]["tong"] for r in old]
        assert received.points[0].value == sum(int(t["nhan_tong"]) for t in totals)
        done = sum(int(t["da_tong"]) for t in totals)
        in_time = sum(int(t["da_truoc_han"]) + int(t["da_dung_han"]) for t in totals)
        assert rate.points[0].value == Decimal(in_time) * 100 / done  # not the mean of three rates
        assert sorted(received.merged_from) == sorted(store.units.get(r.unit_code).name for r in old)
        assert received.points[1].current and not received.points[0].current
        # a commune of the old world has no merged history
        assert all(not t.merged_from for t in trends(store, catalog, old[0].id))

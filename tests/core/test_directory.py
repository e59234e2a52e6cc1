"""A real commune of today: the official unit directory, setting up one's own unit, creating,
typing and deleting reports from the command line, and the first report of a merged commune."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from conftest import cli
from desktop.foundation.directory import fold, load_directory, without_kind
from desktop.foundation.periods import Period
from desktop.report import ops
from desktop.store.db import Store

BEFORE, AFTER = dt.date(2025, 6, 30), dt.date(2025, 7, 1)


@pytest.fixture(scope="module")
def directory():
    return load_directory()


def test_the_directory_holds_the_official_lists(directory):
    today = directory.in_force(AFTER)
    assert sum(u.level == "tinh" for u in today) == 34 and sum(u.level == "xa" for u in today) == 3321
    assert not any(u.level == "huyen" for u in today)  # two tiers
    old = directory.in_force(BEFORE)
    assert sum(u.level == "tinh" for u in old) == 63 and sum(u.level == "xa" for u in old) == 10047
    assert len(directory.children("79.2025")) == 168  # Thành phố Hồ Chí Minh


@pytest.mark.parametrize("typed", ["dong khanh son", "Đông Khánh Sơn", "xa dong khanh son", "XÃ ĐÔNG KHÁNH SƠN",
                                   "đông khánh"])
def test_search_ignores_diacritics_case_and_the_kind_word(directory, typed):
    found = directory.search(typed, on=AFTER)
    assert found[0].id == "22732.2025" and found[0].name == "Xã Đông Khánh Sơn"


def test_a_reused_code_names_two_units_told_apart_by_their_era(directory):
    new, old = directory.get("22732.2025"), directory.get("22732.cu")
    assert (new.name, new.valid_from, new.valid_to) == ("Xã Đông Khánh Sơn", "2025-07-01", None)
    assert (old.name, old.valid_from, old.valid_to) == ("Xã Ba Cụm Bắc", None, "2025-06-30")
    assert [u.id for u in directory.search("22732", on=AFTER)] == ["22732.2025"]
    assert [u.id for u in directory.search("22732", on=BEFORE)] == ["22732.cu"]
    assert {u.id for u in directory.search("22732")} == {"22732.2025", "22732.cu"}
    assert directory.label(old) == "Xã Ba Cụm Bắc, Tỉnh Khánh Hòa (22732, đến 30/06/2025)"


def test_lineage_names_the_old_units_and_how_they_merged(directory):
    assert [(link.unit.id, link.type) for link in directory.predecessors("22732.2025")] == [
        ("22729.cu", "full"), ("22732.cu", "full"), ("22735.cu", "full")]
    assert [link.unit.id for link in directory.successors("22714.cu")] == ["22714.2025"]  # Tô Hạp → Khánh Sơn
    ba_dinh = directory.predecessors("00004.2025")
    assert {link.type for link in ba_dinh} == {"full", "partial"}
    partial = next(link.unit.id for link in ba_dinh if link.type == "partial")
    assert len(directory.successors(partial)) > 1  # a partly merged ward went to several new ones


def test_folding_is_what_a_clerk_types():
    assert fold("Phường Văn Miếu - Quốc Tử Giám") == "phuong van mieu quoc tu giam"
    assert without_kind(fold("Thành phố Hồ Chí Minh")) == "ho chi minh"
    assert without_kind(fold("Đặc khu Côn Đảo")) == "con dao"


# --- the command line ------------------------------------------------------------------------


def _json(*argv):
    code, out = cli(*argv, "--json")
    assert code == 0, out
    return json.loads(out)


def test_cli_units_and_lineage():
    found = _json("units", "--search", "xa dong khanh son")
    assert found == [{"id": "22732.2025", "code": "22732", "name": "Xã Đông Khánh Sơn", "level": "xa",
                      "parent": "56.2025", "valid_from": "2025-07-01", "valid_to": None}]
    assert [u["id"] for u in _json("units", "--search", "ba cum bac", "--on", "2025-06-30")] == ["22732.cu"]
    assert _json("units", "--search", "ba cum bac") == []  # not in force today
    lineage = _json("lineage", "22732.2025")
    assert [(p["id"], p["code"], p["name"], p["type"]) for p in lineage["predecessors"]] == [
        ("22729.cu", "22729", "Xã Sơn Trung", "full"), ("22732.cu", "22732", "Xã Ba Cụm Bắc", "full"),
        ("22735.cu", "22735", "Xã Ba Cụm Nam", "full")]
    assert _json("lineage", "22732.cu")["successors"][0]["id"] == "22732.2025"
    code, _ = cli("lineage", "99999.2025")
    assert code != 0


def test_setup_makes_the_unit_its_province_and_its_predecessors(tmp_path):
    db = str(tmp_path / "xa.db")
    _json("--db", db, "setup", "--unit", "22732.2025")
    with Store.open(db) as store:
        units = {u.code: u for u in store.units.all()}
        assert units["22732.2025"].parent_code == "56.2025" and units["56.2025"].level == "tinh"
        assert {"22729.cu", "22732.cu", "22735.cu"} <= set(units)
        settings = store.settings.get("unit"), store.settings.get("document")["place"]
    assert settings == ("22732.2025", "Đông Khánh Sơn")


def test_a_province_set_up_receives_all_its_communes(tmp_path):
    db = str(tmp_path / "tinh.db")
    _json("--db", db, "setup", "--unit", "79.2025", "--place", "Thành phố Hồ Chí Minh")
    with Store.open(db) as store:
        assert len(store.units.children("79.2025")) == 168
        assert store.settings.get("document")["place"] == "Thành phố Hồ Chí Minh"


def test_new_report_offers_the_national_set_and_refuses_what_does_not_fit(tmp_path):
    db = str(tmp_path / "xa.db")
    _json("--db", db, "setup", "--unit", "22732.2025")
    made = _json("--db", db, "new-report", "--unit", "22732.2025", "--period", "quy", "--number", "3",
                 "--year", "2025", "--form-set", "toanquoc-06")
    with Store.open(db) as store:
        report = store.reports.get(made["id"])
        assert (report.unit_code, report.period.label, report.place) == ("22732.2025", "Quý III năm 2025",
                                                                        "Đông Khánh Sơn")
    code, _ = cli("--db", db, "new-report", "--unit", "22732.2025", "--period", "quy", "--number", "3",
                  "--year", "2025", "--form-set", "toanquoc-06")
    assert code != 0  # the same unit, period and set twice
    code, _ = cli("--db", db, "new-report", "--unit", "22732.2025", "--period", "nam", "--year", "2025",
                  "--form-set", "khanhhoa-huyen")
    assert code != 0  # a district's set for a commune


def test_form_sets_for_a_unit_put_its_province_first(tmp_path, real_catalog):
    with Store.open(tmp_path / "x.db") as store:
        store.units.add("56.cu", "Tỉnh Khánh Hòa", "tinh")
        store.units.add("22732.cu", "Xã Ba Cụm Bắc", "xa", "56.cu")
        ids = [s.id for s in ops.form_sets_for(store, real_catalog, "22732.cu")]
    assert ids[0] == "khanhhoa-xa" and "toanquoc-06" in ids and "khanhhoa-huyen" not in ids


def test_set_types_cells_as_the_grid_does(tmp_path, capsys):
    db = str(tmp_path / "xa.db")
    _json("--db", db, "setup", "--unit", "22732.2025")
    report = _json("--db", db, "new-report", "--unit", "22732.2025", "--period", "quy", "--number", "3",
                   "--year", "2025", "--form-set", "toanquoc-06")["id"]
    done = _json("--db", db, "set", "--report", str(report), "--form", "06", "ho_tich.nhan_truc_tuyen=1.562",
                 "item:ho_tich.nhan_truc_tiep=38")
    assert [(c["row"], c["column"], c["new"]) for c in done["cells"]] == [
        ("item:ho_tich", "nhan_truc_tuyen", "1562"), ("item:ho_tich", "nhan_truc_tiep", "38")]
    code, _ = cli("--db", db, "set", "--report", str(report), "--form", "06", "ho_tich.nhan_truc_tuyen=1562",
                  "ho_tich.nhan_truc_tiep=abc")
    assert code != 0 and "không phải “abc”" in capsys.readouterr().err
    code, _ = cli("--db", db, "set", "--report", str(report), "--form", "06", "ho_tich=5")
    assert code != 0
    with Store.open(db) as store:
        assert store.cells.get(report)["06"]["item:ho_tich"] == {"nhan_truc_tuyen": "1562", "nhan_truc_tiep": "38"}
        edits = [(e.row_id, e.col_id, e.new) for e in store.audit.entries(report) if e.action == "edit"]
    assert edits == [("item:ho_tich", "nhan_truc_tuyen", "1562"), ("item:ho_tich", "nhan_truc_tiep", "38")]


def test_delete_report_asks_backs_up_refuses_a_signed_one_and_is_audited(tmp_path, capsys):
    db = str(tmp_path / "xa.db")
    _json("--db", db, "setup", "--unit", "22732.2025")
    report = _json("--db", db, "new-report", "--unit", "22732.2025", "--period", "quy", "--number", "3",
                   "--year", "2025", "--form-set", "toanquoc-06")["id"]
    code, _ = cli("--db", db, "delete-report", "--report", str(report))
    assert code != 0 and "--yes" in capsys.readouterr().err
    with Store.open(db) as store:  # as if signed: its signature records what was sent
        store.conn.execute("UPDATE reports SET status = 'da_ky' WHERE id = ?", (report,))
    code, _ = cli("--db", db, "delete-report", "--report", str(report), "--yes")
    assert code != 0 and "mở khóa để sửa" in capsys.readouterr().err
    with Store.open(db) as store:
        store.conn.execute("UPDATE reports SET status = 'nhap' WHERE id = ?", (report,))
    gone = _json("--db", db, "delete-report", "--report", str(report), "--yes")
    assert gone["backup"].endswith("truoc-xoa-bao-cao.db")
    with Store.open(db) as store:
        assert store.reports.all() == []
        assert [e.action for e in store.audit.entries(report)][-1] == "delete-report"


# --- the first report of a merged commune ------------------------------------------------------


def _old_reports(store, catalog, figures: dict[str, int | None], *, received: set[str] = frozenset()):
    """Quý II/2025 Biểu 06 of Xã Sơn Trung, Ba Cụm Bắc, Ba Cụm Nam: "đang giải quyết" of Hộ tịch.
    A unit in ``received`` sent a package here instead of having its report in this database."""
    for unit, figure in figures.items():
        if figure is None:
            continue
        if unit in received:
            document = {"forms": {"06": {"cells": {"item:ho_tich": {"dang_tong": figure}}}}}
            store.submissions.add({"unit_code": unit, "period_type": "quy", "period_number": 2, "year": 2025,
                                  "year_from": None, "form_set_id": "toanquoc-06", "form_set_version": 1,
                                  "report_version": 1, "signed_at": "2025-07-05T08:00:00+07:00", "signer": unit,
                                  "ca_verified": 0, "document": json.dumps(document)}, unit.encode())
            continue
        report = store.reports.create(unit, Period("quy", 2025, 2), "toanquoc-06", 1)
        ops.enter_cells(store, catalog, report, "06", [("item:ho_tich", "dang_tong", str(figure)),
                                                      ("item:ho_tich", "dang_trong_han", str(figure))])


@pytest.fixture
def commune(tmp_path, real_catalog):
    from desktop.app.units import setup_unit

    with Store.open(tmp_path / "xa.db") as store:
        setup_unit(store, "22732.2025")
        yield store


def _new(store, catalog):
    report, carried = ops.create_report(store, catalog, "22732.2025", Period("quy", 2025, 3), "toanquoc-06", 1)
    return store.cells.get(report).get("06", {}).get("item:ho_tich", {}).get("ky_truoc"), carried


def test_a_merged_commune_carries_over_the_sum_of_its_predecessors(commune, real_catalog):
    _old_reports(commune, real_catalog, {"22729.cu": 3, "22732.cu": 6, "22735.cu": 1562}, received={"22735.cu"})
    carried_value, carried = _new(commune, real_catalog)
    assert carried_value == "1571" and carried.cells == 1 and carried.notes == ()


def test_a_missing_predecessor_report_leaves_the_cell_to_the_clerk_and_says_why(commune, real_catalog):
    _old_reports(commune, real_catalog, {"22729.cu": 3, "22732.cu": 6, "22735.cu": None})
    carried_value, carried = _new(commune, real_catalog)
    assert carried_value is None and carried.cells == 0
    assert "chưa có báo cáo kỳ trước trong máy: Xã Ba Cụm Nam" in carried.notes[0]
    assert "Xã Sơn Trung: 3; Xã Ba Cụm Bắc: 6; Xã Ba Cụm Nam: chưa có báo cáo" in carried.notes[1]


def test_a_partial_predecessor_is_never_guessed(tmp_path, real_catalog, directory):
    """Phường Ba Đình (Hà Nội) took parts of several old wards: nothing is carried over."""
    from desktop.app.units import setup_unit

    with Store.open(tmp_path / "p.db") as store:
        setup_unit(store, "00004.2025")
        links = directory.predecessors("00004.2025")
        _old_reports(store, real_catalog, {link.unit.id: 10 for link in links})
        report, carried = ops.create_report(store, real_catalog, "00004.2025", Period("quy", 2025, 3),
                                            "toanquoc-06", 1)
        assert "ky_truoc" not in store.cells.get(report).get("06", {}).get("item:ho_tich", {})
    assert carried.cells == 0 and "sáp nhập một phần" in carried.notes[0]
    assert "(một phần): 10" in carried.notes[1]


def test_the_demo_shows_a_merged_communes_first_report_with_illustrative_figures(tmp_path, real_catalog):
    from desktop.app.demo import load_demo
    from desktop.rules.engine import validate_report

    with Store.open(tmp_path / "demo.db") as store:
        load_demo(store, real_catalog)
        by_unit = {r.unit_code: r for r in store.reports.all() if r.form_set_id == "toanquoc-06"}
        assert set(by_unit) == {"22729.cu", "22732.cu", "22735.cu", "22732.2025"}
        assert all("số liệu minh họa" in r.subject for r in by_unit.values())  # never presented as real
        new = by_unit["22732.2025"]
        assert new.period.label == "Quý III năm 2025"
        from desktop.report.data import ReportData

        cells = store.cells.get(new.id)["06"]
        scope = ReportData(store, real_catalog, new.id).scope("06")
        for row in ("item:ho_tich", "item:dat_dai", "tong"):
            before = sum(int(store.cells.get(by_unit[old].id)["06"][row]["dang_tong"])
                         for old in ("22729.cu", "22732.cu", "22735.cu"))
            # the fields' figures carried over; the total row's computed from them (issue 25)
            assert scope.cell(row, scope.form.by_id["ky_truoc"]) == before, row
            assert ("ky_truoc" in cells.get(row, {})) == (row != "tong"), row
        assert validate_report(store, real_catalog, new.id) == []


def test_an_annex_of_a_quarterly_report_names_the_quarter(tmp_path, real_catalog):
    from desktop.exchange.annex import fill, placeholders
    from desktop.report.data import ReportData

    with Store.open(tmp_path / "x.db") as store:
        store.units.add("56.cu", "Tỉnh Khánh Hòa", "tinh")
        store.units.add("22732.cu", "Xã Ba Cụm Bắc", "xa", "56.cu")
        quarterly = store.reports.create("22732.cu", Period("quy", 2025, 2), "khanhhoa-xa", 1)
        yearly = store.reports.create("22732.cu", Period("nam", 2019), "khanhhoa-xa", 1)
        form = real_catalog.get("khanhhoa-xa", 1).forms["KQ"]
        titles = [fill(form.title, placeholders(ReportData(store, real_catalog, r))) for r in (quarterly, yearly)]
        national = store.reports.create("22732.cu", Period("quy", 2025, 2), "toanquoc-06", 1)
        subtitle = fill(real_catalog.get("toanquoc-06", 1).forms["06"].subtitle,
                        placeholders(ReportData(store, real_catalog, national)))
    assert titles == ["KẾT QUẢ GIẢI QUYẾT HỒ SƠ THỦ TỤC HÀNH CHÍNH QUÝ II NĂM 2025 TẠI XÃ BA CỤM BẮC",
                      "KẾT QUẢ GIẢI QUYẾT HỒ SƠ THỦ TỤC HÀNH CHÍNH NĂM 2019 TẠI XÃ BA CỤM BẮC"]
    assert subtitle == "Kỳ báo cáo: Quý II năm 2025"


@pytest.mark.parametrize("title, phrase", [
    ("THỐNG KÊ KẾT QUẢ GIẢI QUYẾT HỒ SƠ QUÝ III NĂM 2025 TẠI UBND CẤP XÃ",
     "Thống kê kết quả giải quyết hồ sơ quý III năm 2025 tại UBND cấp xã"),
    ("TTHC THUỘC PHẠM VI THẨM QUYỀN", "TTHC thuộc phạm vi thẩm quyền"),
    ("DANH MỤC PHỤ LỤC VI VÀ QUÝ IV", "Danh mục phụ lục VI và quý IV"),
])
def test_titles_as_phrases_keep_roman_numerals_and_abbreviations(title, phrase):
    from desktop.exchange.annex import in_sentence, sentence_case

    assert sentence_case(title) == phrase
    assert in_sentence("Quý III năm 2025") == "quý III năm 2025" and in_sentence("Xã Ba Cụm Bắc") == "Xã Ba Cụm Bắc"


def test_the_printed_report_names_the_quarter_in_its_case(tmp_path, real_catalog):
    from pypdf import PdfReader

    from desktop.app.demo import load_demo
    from desktop.exchange.pdf import write_pdf

    with Store.open(tmp_path / "demo.db") as store:
        load_demo(store, real_catalog)
        report = next(r.id for r in store.reports.all() if r.unit_code == "22732.2025")
        write_pdf(store, real_catalog, report, tmp_path / "q3.pdf")
    text = " ".join(page.extract_text() for page in PdfReader(tmp_path / "q3.pdf").pages)
    text = " ".join(text.split())
    assert "hành chính quý III năm 2025 tại 1 phụ lục" in text
    assert "quý iii" not in text  # the lower-casing that broke "QUÝ III" (issue 18)
    assert "KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH" in text and "Kỳ báo cáo: Quý III năm 2025" in text


def test_every_printed_page_has_the_decrees_margins(tmp_path, real_catalog):
    """Nghị định 30/2020: 20–25 mm top and bottom, 30–35 mm on the binding side, 15–20 mm on the
    other, portrait and landscape alike: the text of every page stays inside them."""
    from pypdf import PdfReader

    from desktop.app.demo import load_demo
    from desktop.exchange.pdf import write_pdf

    mm = 72 / 25.4
    with Store.open(tmp_path / "demo.db") as store:
        load_demo(store, real_catalog)
        write_pdf(store, real_catalog, 2, tmp_path / "ke-sach.pdf")  # a portrait body and landscape annexes
    orientations = set()
    for page in PdfReader(tmp_path / "ke-sach.pdf").pages:
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        orientations.add("landscape" if width > height else "portrait")
        xs = []

        def visit(text, cm, tm, font, size, xs=xs):
            if text.strip():
                xs.append(tm[4] * cm[0] + cm[4] if cm[0] else tm[4])
        page.extract_text(visitor_text=visit)
        assert xs and min(xs) >= 30 * mm - 1, (orientations, min(xs) / mm)
    assert orientations == {"portrait", "landscape"}


def test_the_place_of_the_date_line_is_never_left_as_dots(tmp_path, real_catalog):
    """"…, ngày … tháng … năm …" names a place: the report's, else the database's setting, else the
    unit's own name without its kind word."""
    from desktop.exchange.document import report_head
    from desktop.report.data import ReportData

    with Store.open(tmp_path / "x.db") as store:
        store.units.add("KH.KS", "Ủy ban nhân dân huyện Khánh Sơn", "huyen")
        report = store.reports.create("KH.KS", Period("nam", 2019), "khanhhoa-huyen", 1)
        assert report_head(ReportData(store, real_catalog, report)).place_date.startswith("Khánh Sơn, ngày")
        store.settings.set("document", {"place": "Tô Hạp"})
        assert report_head(ReportData(store, real_catalog, report)).place_date.startswith("Tô Hạp, ngày")
        store.reports.update(report, place="Khánh Hòa")
        assert report_head(ReportData(store, real_catalog, report)).place_date.startswith("Khánh Hòa, ngày")


def test_printed_columns_never_split_a_word_nor_wrap_a_column_number(tmp_path, real_catalog):
    """Issue 18: "UBN / D cấp xã" in 1B, "(9)=(10)+(11 / )" in 5B. Every column of every demo annex
    is at least as wide as its longest header word, its column number and its widest figure."""
    from reportlab.lib.pagesizes import A4, landscape

    from desktop.app.demo import load_demo
    from desktop.exchange.annex import build_annexes
    from desktop.exchange.measure import MARGINS, MM, column_widths, font_size, least_widths, register_fonts
    from desktop.report.data import ReportData

    register_fonts()
    with Store.open(tmp_path / "demo.db") as store:
        load_demo(store, real_catalog)
        checked = 0
        for report in store.reports.all():
            if real_catalog.form_set_of(report).kind.name != "bieu_mau":
                continue
            for annex in build_annexes(ReportData(store, real_catalog, report.id)):
                left, right, _, _ = MARGINS[annex.orientation]
                page = landscape(A4) if annex.orientation == "landscape" else A4
                width, size = page[0] - (left + right) * MM, font_size(annex)
                least = least_widths(annex, size)
                if sum(least) >= width:
                    continue  # cannot all fit: shared in proportion (none of the seeds' annexes)
                widths = column_widths(annex, width, size)
                assert abs(sum(widths) - width) < 0.5, annex.printed_code
                assert all(w >= need - 0.01 for w, need in zip(widths, least)), annex.printed_code
                checked += 1
    assert checked > 20

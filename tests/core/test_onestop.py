"""Importing the one-stop system's statistics (issue 25 §2), every shape a vendor exports.

Each test builds its own file (tests/core/onestop_samples.py) and imports it into a commune's
Quý III/2025 Biểu 06 typed in the app, whose totals compute from what is imported.
"""

from __future__ import annotations

import json
import os

import pytest

from conftest import REPO, cli
from onestop_samples import FIELDS, csv_file, html_xls, xls_file, xlsx_file
from desktop.exchange.onestop import apply_import, plan_import, plain, read_source
from desktop.foundation.messages import CchcError
from desktop.foundation.periods import Period
from desktop.registry import load_catalog
from desktop.report.data import ReportData
from desktop.report.ops import create_report
from desktop.rules.engine import validate
from desktop.store.db import Store

CATALOG = load_catalog(REPO / "forms")
HO_TICH = {"nhan_truc_tuyen": "1562", "nhan_truc_tiep": "24", "ky_truoc": "14", "da_truoc_han": "900",
           "da_dung_han": "690", "da_qua_han": "0", "dang_trong_han": "9", "dang_qua_han": "1"}


@pytest.fixture
def commune(tmp_path):
    from desktop.app.units import setup_unit

    with Store.open(tmp_path / "xa.db", user="kiemthu") as store:
        setup_unit(store, "22732.2025")
        report, _ = create_report(store, CATALOG, "22732.2025", Period("quy", 2025, 3), "toanquoc-06", 1)
        yield store, report


def imported(store, report, path, **kwargs):
    plan = plan_import(store, CATALOG, report, path, **kwargs)
    apply_import(store, plan)
    return plan, store.cells.get(report)[plan.form]


@pytest.mark.parametrize("make, shape", [(html_xls, "html-xls"), (xlsx_file, "xlsx"), (xls_file, "xls"),
                                         (csv_file, "csv")])
def test_every_shape_maps_its_words_to_the_forms_columns_and_rows(commune, tmp_path, make, shape):
    store, report = commune
    path = make(tmp_path / f"thong-ke.{ 'xls' if shape != 'csv' and shape != 'xlsx' else shape}")
    plan, cells = imported(store, report, path)
    assert plan.format == shape
    assert cells["item:ho_tich"] == HO_TICH
    # Trực tiếp, dịch vụ bưu chính (5) = Trong kỳ − Qua mạng (BCCI is inside Trong kỳ)
    direct = next(m for m in plan.to_json()["columns"] if m["form_column"] == "nhan_truc_tiep")
    assert direct["from"] == ["Tiếp nhận / Trong kỳ", "−Tiếp nhận / Qua mạng"]
    left = {x["column"]: x["reason"] for x in plan.left_out_columns}
    assert "Bổ sung" in left and "Trả lại/ Rút HS" in left and "cột tổng" in left["Tiếp nhận / Tổng số"]
    assert "Thi đua - Khen thưởng" in plan.rows["item:thi_dua_khen_thuong"]  # the form says "Thi đua, khen thưởng"
    assert plan.rows["item:van_hoa"] == ["Văn hóa cơ sở"]
    assert plan.rows["item:khac"] == ["Phổ biến giáo dục pháp luật"]  # a lĩnh vực with no row, said
    assert any("Phổ biến giáo dục pháp luật" in n for n in plan.notes)
    # the totals compute from what was imported; the source's figures agree with themselves
    scope = ReportData(store, CATALOG, report).scope("06")
    received = sum(f[0] + f[1] for f in FIELDS.values())
    assert scope.cell("tong", scope.form.by_id["nhan_tong"]) == received
    assert not [f for f in validate(ReportData(store, CATALOG, report)) if f.severity == "error"]


def test_a_form_column_as_the_sum_of_two_source_columns(commune, tmp_path):
    store, report = commune
    path = tmp_path / "truc-tiep.csv"
    path.write_text("Lĩnh vực;Tiếp nhận;;;Đã giải quyết;;;Đang giải quyết;\n"
                    ";Trực tuyến;Trực tiếp;Qua BCCI;Trước hạn;Đúng hạn;Quá hạn;Trong hạn;Quá hạn\n"
                    "Hộ tịch;1.562;30;8;900;700;0;0;0\n", encoding="utf-8")
    plan, cells = imported(store, report, path)
    assert cells["item:ho_tich"]["nhan_truc_tiep"] == "38"
    direct = next(m for m in plan.to_json()["columns"] if m["form_column"] == "nhan_truc_tiep")
    assert direct["from"] == ["Tiếp nhận / Trực tiếp", "Tiếp nhận / Qua BCCI"]


def test_a_preview_writes_nothing_and_names_old_and_new(commune, tmp_path):
    store, report = commune
    before = store.cells.get(report)
    code, out = cli("--json", "--db", str(store.path), "import-stats", "--report", str(report), "--dry-run",
                    str(html_xls(tmp_path / "a.xls")))
    answer = json.loads(out)
    assert code == 0 and store.cells.get(report) == before and answer["cells"] == 0
    assert answer["source"] == {"format": "html-xls", "rows": len(FIELDS) + 1}
    assert {"report", "form", "source", "columns", "rows", "left_out", "cells"} <= set(answer)
    assert {"row": "item:ho_tich", "column": "ky_truoc", "old": "14", "new": "14"} not in answer["changes"]
    code, out = cli("--json", "--db", str(store.path), "import-stats", "--report", str(report),
                    str(html_xls(tmp_path / "a.xls")))
    assert json.loads(out)["cells"] == len(json.loads(out)["changes"]) > 0


def test_a_corrected_mapping_is_remembered_for_that_layout(commune, tmp_path):
    store, report = commune
    path = html_xls(tmp_path / "a.xls")
    plan = plan_import(store, CATALOG, report, path, row_overrides={"Phổ biến giáo dục pháp luật": "ho_tich"})
    assert "Phổ biến giáo dục pháp luật" in plan.rows["item:ho_tich"]
    apply_import(store, plan)
    again = plan_import(store, CATALOG, report, html_xls(tmp_path / "b.xls"))  # next quarter: one click
    assert "Phổ biến giáo dục pháp luật" in again.rows["item:ho_tich"]


@pytest.mark.parametrize("province", ["56.2025", "79.2025"])  # Hồ Chí Minh has Xã Thanh An and Xã Thạnh An
def test_a_province_export_per_commune_fills_the_communes_rows(tmp_path, province):
    from desktop.app.units import setup_unit

    with Store.open(tmp_path / "tinh.db", user="kiemthu") as store:
        setup_unit(store, province)
        report, _ = create_report(store, CATALOG, province, Period("quy", 2025, 3), "toanquoc-06-tinh", 1)
        scope = ReportData(store, CATALOG, report).scope(next(iter(CATALOG.get("toanquoc-06-tinh", 1).forms)))
        communes = [r for r in scope.layout.rows if r.kind == "units"]
        # names as one-stop systems print them: "UBND Phường …", upper case, other spacing
        fields = {(f"UBND {r.label}" if i % 3 == 0 else r.label.upper() if i % 3 == 1 else f"  {r.label} "):
                  (i, 10 + i, i, 0, i, 5, 0, 10 + i, 0, 0, 0) for i, r in enumerate(communes)}
        plan, _ = imported(store, report, html_xls(tmp_path / "tinh.xls", fields), form_code=scope.form.code)
        assert len(plan.rows) == len(communes) and not plan.left_out_rows[1:] and not plan.notes
        assert all(len(labels) == 1 for labels in plan.rows.values())
        assert len(communes) > 50


@pytest.mark.parametrize("encoding", ["utf-16", "cp1258"])
def test_text_in_utf16_or_windows_1258_reads_the_same(commune, tmp_path, encoding):
    store, report = commune
    plan, cells = imported(store, report, csv_file(tmp_path / "a.csv", encoding=encoding))
    assert cells["item:ho_tich"] == HO_TICH and "Thi đua - Khen thưởng" in plan.rows["item:thi_dua_khen_thuong"]


def refused(store, report, path) -> str:
    before = store.cells.get(report)
    with pytest.raises(CchcError) as error:
        plan_import(store, CATALOG, report, path)
    assert store.cells.get(report) == before
    text = str(error.value)
    assert "chưa có gì bị thay đổi" in text.lower() and not any(w in text for w in ("Error", "line ", "Expecting"))
    return text


def test_bad_files_are_refused_in_vietnamese_and_change_nothing(commune, tmp_path):
    store, report = commune
    (tmp_path / "rong.xls").write_bytes(b"\x00\x01\x02 binary nonsense" * 10)
    assert "không phải bảng" in refused(store, report, tmp_path / "rong.xls")
    script = html_xls(tmp_path / "script.xls", extra_head="<script>alert(1)</script>")
    assert "<script>" in refused(store, report, script)
    outside = html_xls(tmp_path / "ngoai.xls", extra_head='<img src="http://x.invalid/a.png">')
    assert "tham chiếu ra ngoài" in refused(store, report, outside)
    (tmp_path / "khong.csv").write_text("a;b;c\n1;2;3\n", encoding="utf-8")
    assert "không có bảng thống kê" in refused(store, report, tmp_path / "khong.csv")
    text = (tmp_path / "chu.csv")
    text.write_text("Lĩnh vực;Tiếp nhận;;Đã giải quyết;;\n;Trực tuyến;Trực tiếp;Trước hạn;Đúng hạn;Quá hạn\n"
                    "Hộ tịch;nhiều;30;900;700;0\nChứng thực;1;2;1;2;0\n", encoding="utf-8")
    assert "“nhiều” không phải là số" in refused(store, report, text)
    huge = tmp_path / "lon.xls"
    with huge.open("wb") as handle:  # 500 MB, sparse: refused by its size before anything is read
        handle.truncate(500 * 1024 * 1024)
    assert "tối đa" in refused(store, report, huge)
    header = tmp_path / "tieu-de.xls"  # a 10 MB header cell: bounded, then no table found
    header.write_text("<table><tr><th>" + "Tiếp nhận " * 1_000_000 + "</th></tr></table>", encoding="utf-8")
    refused(store, report, header)


def test_a_workbook_bomb_is_refused_before_it_inflates(commune, tmp_path):
    import zipfile

    store, report = commune
    bomb = tmp_path / "bom.xlsx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"<" + b" " * (120 * 1024 * 1024) + b">")
    assert os.path.getsize(bomb) < 1024 * 1024
    assert "giải nén" in refused(store, report, bomb)


def test_words_are_compared_without_diacritics_case_or_spacing():
    assert plain("  Thi đua -  Khen THƯỞNG ") == plain("thi dua, khen thuong") == "thi dua khen thuong"


def test_read_source_spreads_rowspan_and_colspan(tmp_path):
    table = read_source(html_xls(tmp_path / "a.xls"))
    header = next(i for i, row in enumerate(table.grid) if "Tiếp nhận" in row)
    assert table.grid[header][2:7] == ["Tiếp nhận"] * 5 and table.grid[header + 1][1] == "Lĩnh vực"


def test_a_source_that_counts_returned_files_as_on_time_is_said(commune, tmp_path):
    store, report = commune
    path = tmp_path / "gom.csv"
    path.write_text("Lĩnh vực;Tiếp nhận;;Đã giải quyết;;\n"
                    ";Trực tuyến;Trực tiếp;Trước hạn;Đúng hạn (gồm trả lại/xin rút);Quá hạn\n"
                    "Hộ tịch;10;5;3;12;0\n", encoding="utf-8")
    plan = plan_import(store, CATALOG, report, path)
    assert any("trả lại/xin rút" in n for n in plan.notes)
    assert {"row": "item:ho_tich", "column": "da_dung_han", "old": None, "new": "12"} in plan.to_json()["changes"]

"""The seed reports as demo data: every finding ``cchc validate`` reports on
them, pinned, and every annex that adds up, pinned as clean.

Each expected finding was checked by hand against the seed text (the reading
of garbled tables is recorded in forms/README.md). A finding here that is not
in the seed, or a seed inconsistency that stops being found, fails the test.
"""

import json

import pytest
from conftest import cli

from desktop.report import ops
from desktop.foundation.messages import CchcError
from desktop.app.demo import demo_files, unit_tree
from desktop.foundation.paths import forms_dir
from desktop.rules.engine import validate_report
from desktop.registry import load_catalog
from desktop.store.db import Store


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    assert cli("--db", str(path), "demo")[0] == 0
    return path


@pytest.fixture(scope="module")
def findings(demo_db):
    code, out = cli("--db", str(demo_db), "validate", "--json")
    assert code == 1
    return json.loads(out)


@pytest.fixture(scope="module")
def unit_of_report(demo_db):
    code, out = cli("--db", str(demo_db), "reports", "--json")
    return {r["id"]: r["unit_code"] for r in json.loads(out)}


# (unit, form, row id, column id, rule, actual, expected, severity)
SEED_FINDINGS = {
    # --- seed 000, Khánh Sơn 2019 ---------------------------------------------------------
    # Phụ lục 1, row 2: a 2019 plan dated 17/01/2020, after the year's data cut-off.
    ("KH.KS", "PL1", "ke_hoach-2", "thoi_gian", "ban_hanh_sau_ky_bao_cao", "2020-01-17", "2019-12-14", "warning"),
    # Phụ lục VI, Ba Cụm Nam: 986 files, but 982 agreed + 2 refused and nothing pending or cancelled.
    ("KH.KS", "PL6", "unit:22735.cu", "tong_so", "tong_so=dong_y+tu_choi+dang_giai_quyet+huy", 986, 984, "error"),
    # Sơn Bình: 7 + 1.551 is not 1.594; 1.525 early + 1 late is not 1.562 agreed; 7 in time is not 8 pending.
    ("KH.KS", "PL6", "unit:22726.cu", "tong_so", "tong_so=ky_truoc + nhan_trong_ky", 1594, 1558, "error"),
    ("KH.KS", "PL6", "unit:22726.cu", "dong_y", "dong_y=dong_y_som + dong_y_dung + dong_y_tre", 1562, 1526, "error"),
    ("KH.KS", "PL6", "unit:22726.cu", "dang_giai_quyet", "dang_giai_quyet=trong_han + qua_han + dung_tinh", 8, 7,
     "error"),
    # The total row: 98 + 7.814 is not 9.124; 8.943 + 0 + 21 is not 9.000; 32 + 0 + 4 is not 33 ...
    ("KH.KS", "PL6", "tong", "tong_so", "tong_so=ky_truoc + nhan_trong_ky", 9124, 7912, "error"),
    ("KH.KS", "PL6", "tong", "dong_y", "dong_y=dong_y_som + dong_y_dung + dong_y_tre", 9000, 8964, "error"),
    ("KH.KS", "PL6", "tong", "dang_giai_quyet", "dang_giai_quyet=trong_han + qua_han + dung_tinh", 33, 36, "error"),
    # ... and the communes' files received add up to 8.990, not 7.814; pending 31 and 30, not 33 and 32.
    ("KH.KS", "PL6", "tong", "nhan_trong_ky", "tổng:tong", 7814, 8990, "error"),
    ("KH.KS", "PL6", "tong", "dang_giai_quyet", "tổng:tong", 33, 31, "error"),
    ("KH.KS", "PL6", "tong", "trong_han", "tổng:tong", 32, 30, "error"),
    # Across annexes (issue 18 §5): Phụ lục 2 counts 29 public service units under NĐ 43 (rows 15–17)
    # where Phụ lục 3 counts 7 "đơn vị sự nghiệp công lập trực thuộc", and 20 district agencies
    # setting criteria (row 14) where Phụ lục 3 has 13 administrative agencies at that level.
    ("KH.KS", "PL2", "14", "cap_huyen", "co_quan_trong_phu_luc_3", 20, 13, "warning"),
    # Phụ lục 1's CCHC plan counts 23 tasks; its Bảng tổng hợp tiến độ lists 25 ("Tổng cộng đề ra 25 nhiệm vụ").
    ("KH.KS", "PL1", "ke_hoach-1", "so_nhiem_vu", "nhiem_vu_bang_tong_hop", 23, 25, "warning"),
    ("KH.KS", "PL2", "15", "tong_so", "don_vi_su_nghiep_trong_phu_luc_3", 29, 7, "warning"),
    ("KH.KS", "PL2", "15", "cap_huyen", "don_vi_su_nghiep_trong_phu_luc_3", 29, 7, "warning"),
    ("KH.KS", "PL2", "16", "tong_so", "don_vi_su_nghiep_trong_phu_luc_3", 29, 7, "warning"),
    ("KH.KS", "PL2", "16", "cap_huyen", "don_vi_su_nghiep_trong_phu_luc_3", 29, 7, "warning"),
    ("KH.KS", "PL2", "17", "tong_so", "don_vi_su_nghiep_trong_phu_luc_3", 29, 7, "warning"),
    ("KH.KS", "PL2", "17", "cap_huyen", "don_vi_su_nghiep_trong_phu_luc_3", 29, 7, "warning"),
    # --- seed 003, Kế Sách 2019 -------------------------------------------------------------
    # 3B row 3: 381 published online, but 257 district + 123 commune = 380.
    ("ST.KS", "3B", "3", "so_lieu", "tổng:3", 381, 380, "error"),
    # 4B: rows 39–48 print no one-stop figure, so I's 257 is 212 by its rows; the communes'
    # procedures add up to 115, not 123; II leaves one-stop blank over 45 in its rows.
    ("ST.KS", "4B", "I", "mot_cua", "tổng:I", 257, 212, "error"),
    ("ST.KS", "4B", "II", "hieu_luc", "tổng:II", 123, 115, "error"),
    ("ST.KS", "4B", "II", "mot_cua", "tổng:II", None, 45, "error"),
    # 5B total row: (7) repeats II's 91.627 instead of 4.101 + 91.627; (6) is not (7) + (8).
    ("ST.KS", "5B", "tong", "da_giai_quyet", "(6)=(7)+(8)", 96269, 92168, "error"),
    ("ST.KS", "5B", "tong", "dung_han", "tổng:tong", 91627, 95728, "error"),
    # 6B: five communes plan 6 reductions (Thới An Hội 2), II says 5; the total says 33 agencies for 19 + 13.
    ("ST.KS", "6B", "II", "tinh_gian_ke_hoach", "tổng:II", 5, 6, "error"),
    ("ST.KS", "6B", "II", "tinh_gian_da_thuc_hien", "tổng:II", 5, 6, "error"),
    ("ST.KS", "6B", "tong", "so_co_quan", "tổng:tong", 33, 32, "error"),
    # 7B: the communes' salary raises add up to 62 and 9, not 53 and 10; two communes trained
    # more people than they employ; the total row (18 figures for 17 columns) does not match I + II.
    ("ST.KS", "7B", "II", "nang_luong_tx", "tổng:II", 53, 62, "error"),
    ("ST.KS", "7B", "II", "nang_luong_th", "tổng:II", 10, 9, "error"),
    ("ST.KS", "7B", "unit:31555.cu", "dao_tao", "dao_tao_trong_so_co_mat", 22, 21, "warning"),
    ("ST.KS", "7B", "unit:31549.cu", "dao_tao", "dao_tao_trong_so_co_mat", 23, 21, "warning"),
    ("ST.KS", "7B", "tong", "tuyen_dung_ket_qua", "tổng:tong", 3, 2, "error"),
    ("ST.KS", "7B", "tong", "tuyen_dac_cach", "tổng:tong", 0, 1, "error"),
    ("ST.KS", "7B", "tong", "canh_cao", "tổng:tong", 0, 4, "error"),
    ("ST.KS", "7B", "tong", "dieu_dong", "tổng:tong", 2, 4, "error"),
    ("ST.KS", "7B", "tong", "chuyen_cong_tac", "tổng:tong", 5, 0, "error"),
    # 11B: II prints 0 procedures with BCCI, Kế Thành prints 4.
    ("ST.KS", "11B", "II", "cong_bo", "tổng:II", 0, 4, "error"),
    # 14: II's breakdown (4 | 5 | 3) is not its communes' (9 | 0 | 8).
    ("ST.KS", "14", "II", "tiep_nhan", "tổng:II", 4, 9, "error"),
    ("ST.KS", "14", "II", "tham_quyen", "tổng:II", 5, 0, "error"),
    ("ST.KS", "14", "II", "dung_han", "tổng:II", 3, 8, "error"),
    # 14's last row "Tổng (I) + (II)" prints 9 | 4 | (blank) | 3 | 1: its (5) is left blank over II's 5,
    # so its (3) 9 is not (4) + (5).
    ("ST.KS", "14", "tong_so", "tham_quyen", "tổng:tong_so", None, 5, "error"),
    ("ST.KS", "14", "tong_so", "tong", "(3)=(4)+(5)", 9, 4, "error"),
    # --- seed 004, Khánh Hòa province, 6 months 2020 (figures from its text) -------------------
    # It prints received and resolved but not how they split: (3) is not (4) + (5) + (6) with only
    # the online files given, (7) not (8) + (9) + (10) with early and on time given together; and
    # the levels are reported together, so the total row stands over blank rows.
    ("KH", "06", "tong", "nhan_tong", "(3)=(4)+(5)+(6)", 362485, 68253, "error"),
    ("KH", "06", "tong", "da_tong", "(7)=(8)+(9)+(10)", 339239, 332183, "error"),
    ("KH", "06", "tong", "nhan_tong", "tổng:tong", 362485, None, "warning"),
    ("KH", "06", "tong", "nhan_truc_tuyen", "tổng:tong", 68253, None, "warning"),
    ("KH", "06", "tong", "da_tong", "tổng:tong", 339239, None, "warning"),
    ("KH", "06", "tong", "da_dung_han", "tổng:tong", 332183, None, "warning"),
    # --- seed 001, Quảng Ngạn 2011–2020 -----------------------------------------------------
    # Phụ lục 3 row 1 "Tổng số TTHC" is left blank every year over the commune's own figures.
    ("19873.cu", "PL3", "1", "nam_2015", "tổng:1", None, 174, "error"),
    ("19873.cu", "PL3", "1", "nam_2016", "tổng:1", None, 174, "error"),
    ("19873.cu", "PL3", "1", "nam_2017", "tổng:1", None, 153, "error"),
    ("19873.cu", "PL3", "1", "nam_2018", "tổng:1", None, 119, "error"),
    ("19873.cu", "PL3", "1", "nam_2019", "tổng:1", None, 157, "error"),
    ("19873.cu", "PL3", "1", "nam_2020", "tổng:1", None, 162, "error"),
    # Phụ lục 5: 24 present against 23 authorised in 2020; more trained than staff each year to 2019.
    ("19873.cu", "PL5", "1.co_mat", "nam_2020", "co_mat_trong_bien_che_giao", 24, 23, "warning"),
    ("19873.cu", "PL5", "5", "nam_2015", "boi_duong_trong_so_co_mat", 25, 22, "warning"),
    ("19873.cu", "PL5", "5", "nam_2016", "boi_duong_trong_so_co_mat", 29, 24, "warning"),
    ("19873.cu", "PL5", "5", "nam_2017", "boi_duong_trong_so_co_mat", 34, 24, "warning"),
    ("19873.cu", "PL5", "5", "nam_2018", "boi_duong_trong_so_co_mat", 37, 24, "warning"),
    ("19873.cu", "PL5", "5", "nam_2019", "boi_duong_trong_so_co_mat", 48, 24, "warning"),
    # Seed 002, xã Đắk Ruồng: the printed total 78,15 (and its index 82,26) against the areas,
    # which add up to 76,65 (index 80,68). Every other Kon Rẫy sheet adds up as printed.
    ("23488.cu", "CHI_SO", "tong", "diem", "par_total", 78.15, 76.65, "error"),
    ("23488.cu", "CHI_SO", "tong", "chi_so", "par_index", 82.26, 80.68, "error"),
    # ... and the district's analysis, which prints the commune's 78,15 and 82,26 as seed 002 does,
    # says so (issue 29 §2: never silently replaced by the recomputed figure)
    ("KT.KR", "", "23488.cu", "diem", "par_relayed", 78.15, 76.65, "warning"),
    # Totals the seeds print over parts they leave blank (issue 18: said, as warnings): Phụ lục VI's
    # "Dừng tính" 4 over no commune; Kế Sách's 6B row II 13 bodies, 7B row I 12 planned recruitments
    # and 4 transfers, 7B row II 4 disciplined, all over blank rows.
    ("KH.KS", "PL6", "tong", "dung_tinh", "tổng:tong", 4, None, "warning"),
    ("ST.KS", "6B", "II", "so_co_quan", "tổng:II", 13, None, "warning"),
    ("ST.KS", "7B", "I", "tuyen_dung_ke_hoach", "tổng:I", 12, None, "warning"),
    ("ST.KS", "7B", "I", "dieu_dong", "tổng:I", 4, None, "warning"),
    ("ST.KS", "7B", "II", "canh_cao", "tổng:II", 4, None, "warning"),
    # Seed 000's body, part II.4, against its own annexes: the communes' 9.088 received (Phụ lục VI
    # adds to 9.124) and 9.000 resolved (9.042 with the refused).
    ("KH.KS", "NOI_DUNG", "II.4", "text", "nar_figure", 9088.0, 9124.0, "warning"),
    ("KH.KS", "NOI_DUNG", "II.4", "text", "nar_figure", 9000.0, 9042.0, "warning"),
    # "từ chối giải quyết: 164" and "39" are not contradictions: seed 000 counts late refusals
    # among the late files (trễ hạn 21 = 14 + 7), so its refusals are those given early or on time
}

# Annexes the seeds print that add up: no error, and no warning either.
CLEAN = {
    "KH.KS": {"TD", "PL3", "PL4", "PL5"},  # PL2 adds up; against PL3 it does not (above)
    "ST.KS": {"DS", "1B", "2B", "8B", "9B", "10B", "13B"},
    "19873.cu": {"PL1", "PL2", "PL6", "PL8"},
}


def _key(finding, units):
    return (units[finding["report"]], finding["form_code"], finding["row_id"], finding["column_id"],
            finding["rule"], finding["actual"], finding["expected"], finding["severity"])


def test_validate_reports_exactly_the_seed_inconsistencies(findings, unit_of_report):
    found = {_key(f, unit_of_report) for f in findings}
    assert found - SEED_FINDINGS == set(), "findings the seeds do not contain"
    assert SEED_FINDINGS - found == set(), "seed inconsistencies no longer found"
    assert len(findings) == len(SEED_FINDINGS)  # none twice


@pytest.mark.parametrize("unit", sorted(CLEAN))
def test_annexes_that_add_up_raise_nothing(findings, unit_of_report, unit):
    noisy = {f["form_code"] for f in findings if unit_of_report[f["report"]] == unit}
    assert CLEAN[unit] & noisy == set()


def test_every_finding_names_its_cell_in_vietnamese(findings):
    for f in findings:
        assert f["form"] and f["row"] and f["column"] and f["column_id"], f
        assert str(f["message"]).strip() and "{" not in f["message"], f


def test_every_seed_unit_in_its_real_hierarchy(demo_db):
    units = unit_tree()
    assert {u["name"] for u in units.values() if u["parent"] == "KH.KS"} >= {"Xã Sơn Bình", "Thị trấn Tô Hạp"}
    assert sum(u["parent"] == "KH.KS" for u in units.values()) == 8
    assert sum(u["parent"] == "ST.KS" for u in units.values()) == 13
    assert sum(u["parent"] == "KT.KR" for u in units.values()) == 7
    assert units["19873.cu"]["level"] == "xa" and units["TTH.QD"]["level"] == "huyen"
    with Store.open(demo_db) as store:
        assert [u.code for u in store.units.children("KH.KS")] == ["22735.cu", "22732.cu", "22729.cu", "22714.cu", "22723.cu",
                                                                  "22726.cu", "22720.cu", "22717.cu"]
        assert store.units.get("23479.cu").name == "Thị trấn Đắk Rve"  # units without a report yet


def test_every_printed_annex_has_its_demo_data(demo_db):
    catalog = load_catalog(forms_dir())
    with Store.open(demo_db) as store:
        for report in store.reports.all():
            form_set = catalog.form_set_of(report)
            filled = set(store.cells.get(report.id))
            # Phụ lục VII is referenced by seed 000 but not printed: nothing to enter.
            assert set(form_set.forms) - filled <= {"PL7"}, report.form_set_id
    assert len(demo_files()) == 3


def test_printed_figures_land_in_their_cells(demo_db):
    with Store.open(demo_db) as store:
        by_unit = {r.unit_code: store.cells.get(r.id) for r in store.reports.all()}
    assert by_unit["KH.KS"]["PL5"]["tong"]["tong_so"] == "1562"
    assert by_unit["KH.KS"]["PL5"]["tong"]["dong_y_dung"] == "-"  # printed "-", kept as the dash (counts as 0)
    assert by_unit["KH.KS"]["TD"]["the_che-1"]["tien_do"] == "Đã hoàn thành"
    assert by_unit["ST.KS"]["5B"]["I"]["ky_truoc"] == "323"
    assert by_unit["ST.KS"]["6B"]["unit:31564.cu"]["bien_che"] == "23"  # An Mỹ, printed 5th
    assert by_unit["ST.KS"]["13B"]["II.1"]["so_lieu"] == "1"  # "Có" in a yes/no row
    assert by_unit["19873.cu"]["PL3"]["5.xa"]["nam_2018"] == "99.14"
    assert by_unit["19873.cu"]["PL8"]["12"]["danh_gia"] == "Không đạt"


def _report_of(store, unit):
    return next(r.id for r in store.reports.all() if r.unit_code == unit)


def test_a_cross_form_rule_catches_a_changed_figure(tmp_path, demo_db):
    copy = tmp_path / "copy.db"
    copy.write_bytes(demo_db.read_bytes())
    catalog = load_catalog(forms_dir())
    with Store.open(copy) as store:
        report = _report_of(store, "ST.KS")
        ops.enter_cell(store, catalog, report, "7B", "unit:31561.cu", "bien_che", "24")
        new = {(f.form_code, f.row_id, f.rule, f.actual, f.expected) for f in validate_report(store, catalog, report)}
    assert ("6B", "unit:31561.cu", "bien_che_khop_7B", 23, 24) in new  # 6B and 7B carry the same staff


def test_the_reconstructed_online_annex_checks_against_phu_luc_vi(tmp_path, demo_db):
    copy = tmp_path / "copy.db"
    copy.write_bytes(demo_db.read_bytes())
    catalog = load_catalog(forms_dir())
    with Store.open(copy) as store:
        report = _report_of(store, "KH.KS")
        ops.enter_cells(store, catalog, report, "PL7", [("unit:22732.cu", "dvc3_tiep_nhan", "1.000"),
                                                        ("unit:22732.cu", "dvc4_tiep_nhan", "300"),
                                                        ("unit:22732.cu", "tiep_nhan", "1.300")])
        new = {(f.form_code, f.rule, f.actual, f.expected) for f in validate_report(store, catalog, report)}
    assert ("PL7", "truc_tuyen_trong_tong_ho_so", 1300, 1177) in new  # more online than in total
    assert ("PL7", "ty_le_toi_da", 110.45, 100) in new  # 1.300 of 1.177 = 110,45 %


def test_a_broken_transcript_is_a_message_not_a_traceback(tmp_path):
    from desktop.app.demo import transcript_document

    catalog = load_catalog(forms_dir())
    units = unit_tree()
    bad = {"unit": "ST.KS", "period": {"type": "nam", "year": 2019}, "form_set": {"id": "soctrang-huyen", "version": 1},
           "forms": {"5B": {"I": ["năm nghìn"]}}}
    with pytest.raises(CchcError) as error:
        transcript_document(bad, units, catalog, "hong.yaml")
    assert "hong.yaml" in str(error.value)
    for broken in ({**bad, "unit": "KHONG.CO"}, {**bad, "forms": {"9Z": {}}}, {**bad, "forms": {"5B": {"I": 5}}}):
        with pytest.raises(CchcError) as error:
            transcript_document(broken, units, catalog, "hong.yaml")
        assert error.value.code == "DEMO001"

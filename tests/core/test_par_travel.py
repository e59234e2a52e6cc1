"""A PAR self-assessment travels like an annex: JSON, Excel, a signed package; the level above
verifies and consolidates its units' sheets, appraises them (thẩm định) and ranks them."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from tests.core.conftest import cli, write_criteria_set
from desktop.exchange.interchange import FORMAT, dumps, export_report, import_report
from desktop.exchange.xlsx import import_xlsx, write_xlsx
from desktop.foundation.messages import CchcError
from desktop.foundation.periods import Period
from desktop.kinds.par.appraisal import appraisal, appraise
from desktop.kinds.par.scoring import enter, score_report
from desktop.registry import load_catalog
from desktop.rules.engine import validate_report
from desktop.store.db import Store
from desktop.submission.consolidate import consolidate
from desktop.submission.identity import create_self_signed, load_p12
from desktop.submission.package import sign_report
from desktop.submission.verify import verify_bytes
from desktop.submission.workflow import mark_checked
from test_signing import SIGNED_AS, enrol_signer

PASS = "mat-khau-thu"
# Area 1 (4) = 1.1 (1) + 1.2 (3); area 2 (6) = 2.1 (2) + 2.2 (4, may not apply).
CRITERIA = """
title: BẢNG TỰ CHẤM ĐIỂM CHỈ SỐ CCHC NĂM {year}
areas:
  - code: "1"
    title: Chỉ đạo, điều hành
    max: 4
    children:
      - {code: "1.1", title: Kế hoạch CCHC, max: 1}
      - {code: "1.2", title: Báo cáo CCHC, max: 3}
  - code: "2"
    title: Thủ tục hành chính
    max: 6
    children:
      - {code: "2.1", title: Công khai TTHC, max: 2}
      - {code: "2.2", title: Bưu chính công ích, max: 4, optional: Không có thủ tục qua bưu chính}
"""


@pytest.fixture
def catalog(tmp_path):
    root = tmp_path / "forms"
    write_criteria_set(root, CRITERIA, set_id="thu-xa-chiso", level="xa")
    write_criteria_set(root, CRITERIA, set_id="thu-huyen-chiso", extra="appraises: thu-xa-chiso\n")
    loaded = load_catalog(root)
    assert not loaded.problems, loaded.problems
    return loaded


def units(store: Store, communes: int = 3) -> None:
    store.units.add("H", "Huyện Thử", "huyen")
    for n in range(1, communes + 1):
        store.units.add(f"H.X{n}", f"Xã Thử {n}", "xa", "H", n)


def commune_sheet(store: Store, catalog, unit: str = "H.X1", scores=("1", "2", "2", "3")) -> int:
    """A commune's 2021 self-assessment: 1.1, 1.2, 2.1, 2.2 scored, a reason where points are lost,
    an explanation and an evidence file on 1.2, the organisation notes in the body."""
    report = store.reports.create(unit, Period("nam", 2021), "thu-xa-chiso", 1, **SIGNED_AS)
    criteria = catalog.get("thu-xa-chiso", 1).definition
    entries = [(code, "diem", score) for code, score in zip(("1.1", "1.2", "2.1", "2.2"), scores)]
    entries += [(code, "ly_do", "Chưa đạt yêu cầu") for code, score in zip(("1.1", "1.2", "2.1", "2.2"), scores)
                if Decimal(score.replace(",", ".")) < criteria.by_code[code].maximum]
    entries.append(("1.2", "giai_trinh", "Đã gửi đủ 4 báo cáo quý, xem công văn kèm theo"))
    enter(store, criteria, report, entries)
    store.attachments.add(report, "CHI_SO", "1.2", "cong-van-bao-cao.pdf", b"%PDF-1.4 minh chung")
    store.narrative.set(report, "to_chuc", "Văn phòng UBND xã theo dõi, đôn đốc.")
    return report


def test_a_sheet_round_trips_through_json_with_its_body_and_evidence(tmp_path, catalog, store):
    units(store)
    report = commune_sheet(store, catalog)
    document = json.loads(dumps(export_report(store, catalog, report)))
    assert document["format"] == FORMAT and document["format_version"] == 2
    assert document["forms"]["CHI_SO"]["cells"]["1.2"] == {
        "diem": 2, "ly_do": "Chưa đạt yêu cầu", "giai_trinh": "Đã gửi đủ 4 báo cáo quý, xem công văn kèm theo"}
    assert document["parts"]["noi_dung"] == {"sections": {"to_chuc": "Văn phòng UBND xã theo dõi, đôn đốc."}}
    assert [a["row"] for a in document["attachments"]] == ["1.2"]
    with Store.open(tmp_path / "khac.db") as other:
        copy = import_report(other, catalog, document)
        assert other.cells.get(copy) == store.cells.get(report)
        assert other.narrative.of(copy) == store.narrative.of(report)
        assert [(a.form_code, a.row_id, a.filename) for a in other.attachments.of(copy)] == \
            [("CHI_SO", "1.2", "cong-van-bao-cao.pdf")]
        criteria = catalog.get("thu-xa-chiso", 1).definition
        assert score_report(other, criteria, copy).index == score_report(store, criteria, report).index == Decimal(80)


def test_a_document_of_format_version_1_still_imports(tmp_path, catalog, store):
    units(store)
    document = export_report(store, catalog, commune_sheet(store, catalog))
    document["format_version"] = 1
    del document["parts"]
    with Store.open(tmp_path / "khac.db") as other:
        copy = import_report(other, catalog, document)
        assert other.cells.get(copy)["CHI_SO"]["1.1"] == {"diem": "1"} and other.narrative.of(copy) == {}


def test_a_sheet_exports_to_excel_and_a_changed_score_comes_back(tmp_path, catalog, store):
    units(store)
    report = commune_sheet(store, catalog)
    path = write_xlsx(store, catalog, report, tmp_path / "bang-diem.xlsx")
    book = openpyxl.load_workbook(path)
    sheet = book["Bảng chấm điểm Chỉ số CCHC"]
    rows = {sheet.cell(r, 1).value: r for r in range(1, sheet.max_row + 1)}
    header = {sheet.cell(r, c).value: c for r in range(1, rows["1"]) for c in range(1, sheet.max_column + 1)}
    assert sheet.cell(rows["2.2"], header["Điểm tối đa"]).value == "4"  # the maximum is printed
    assert sheet.cell(rows["2.1"], header["Điểm đạt"]).value == 2
    sheet.cell(rows["2.1"], header["Điểm đạt"]).value = 1.5
    book.save(path)
    import_xlsx(store, catalog, report, path)
    assert store.cells.get(report)["CHI_SO"]["2.1"]["diem"] == "1.5"
    assert score_report(store, catalog.get("thu-xa-chiso", 1).definition, report).achieved == Decimal("7.5")


def test_cells_a_sheet_cannot_hold_are_errors_not_silently_dropped(tmp_path, catalog, store):
    units(store)
    document = export_report(store, catalog, commune_sheet(store, catalog))
    document["forms"]["CHI_SO"]["cells"]["1.1"]["chi_so"] = 99
    with Store.open(tmp_path / "khac.db") as other:
        copy = import_report(other, catalog, document)
        [stray] = [f for f in validate_report(other, catalog, copy) if f.rule == "par_cell"]
        assert stray.row_id == "1.1" and stray.column_id == "chi_so" and "Tổng cộng" in stray.message


@pytest.fixture
def received(tmp_path, catalog, store):
    """The district's own 2021 sheet, with two of its three communes' signed sheets consolidated."""
    units(store)
    district = store.reports.create("H", Period("nam", 2021), "thu-huyen-chiso", 1)
    packages = tmp_path / "goi"
    for unit, scores in (("H.X1", ("1", "2", "2", "3")), ("H.X2", ("1", "3", "2", "4"))):
        p12 = create_self_signed(unit, f"Ủy ban nhân dân xã {unit}", PASS)
        with Store.open(tmp_path / f"{unit}.db") as commune, load_p12(p12, PASS) as identity:
            units(commune)
            sheet = commune_sheet(commune, catalog, unit, scores)
            mark_checked(commune, catalog, sheet, acknowledge_warnings=True)
            signed = sign_report(commune, catalog, sheet, identity, packages)
            verdict = verify_bytes(Path(signed.filename).read_bytes(), Path(signed.filename).name, catalog)
            assert verdict.valid, verdict.message
            assert verdict.document["forms"]["CHI_SO"]["cells"]["1.2"]["giai_trinh"].startswith("Đã gửi")
            enrol_signer(store, unit, identity)
    result = consolidate(store, catalog, district, [packages])
    assert [r.status for r in result.received] == ["accepted", "accepted"]
    return district


def test_the_level_above_sees_each_sheet_self_scored_and_ranks_them(received, catalog, store):
    ranked = appraisal(store, catalog, received)
    assert [(u.code, u.rank) for u in ranked] == [("H.X2", 1), ("H.X1", 2), ("H.X3", None)]
    first, second, missing = ranked
    assert (first.own.index, first.own.rating) == (Decimal(100), "Xuất sắc")
    assert (second.own.index, second.own.rating) == (Decimal(80), "Tốt")
    assert first.appraised.index == first.own.index and not missing.received
    line = next(line for line in second.lines if line.code == "1.2")
    assert (line.maximum, line.own, line.appraised) == (3, 2, None)
    assert line.explanation.startswith("Đã gửi đủ") and line.evidence == ["cong-van-bao-cao.pdf"]


def test_an_appraised_score_with_a_comment_changes_the_index_rating_and_ranking(received, catalog, store):
    changes = appraise(store, catalog, received, "H.X2", [("2.2", "1,5", "Chưa có hồ sơ qua bưu chính công ích"),
                                                          ("1.2", None, "Đủ báo cáo")])
    assert [(c.criterion, c.new) for c in changes] == [
        ("2.2", ("1.5", "Chưa có hồ sơ qua bưu chính công ích")), ("1.2", (None, "Đủ báo cáo"))]
    ranked = appraisal(store, catalog, received)
    h2 = next(u for u in ranked if u.code == "H.X2")
    assert (h2.own.index, h2.own.rating) == (Decimal(100), "Xuất sắc")
    assert (h2.appraised.achieved, h2.appraised.index, h2.appraised.rating) == (Decimal("7.5"), Decimal(75), "Khá")
    assert [u.code for u in ranked if u.rank] == ["H.X1", "H.X2"]
    line = next(line for line in h2.lines if line.code == "2.2")
    assert (line.own, line.appraised, line.comment) == (4, Decimal("1.5"), "Chưa có hồ sơ qua bưu chính công ích")
    # the commune's signed sheet, as received, is unchanged
    assert json.loads(store.submissions.all(["H.X2"])[0].document)["forms"]["CHI_SO"]["cells"]["2.2"] == {"diem": 4}
    audit = [a for a in store.audit.entries(received) if a.action == "appraisal"]
    assert len(audit) == 2


def test_appraisal_refuses_what_no_reviewer_means(received, catalog, store):
    before = store.appraisals.of(received)
    for unit, entry, code in (("H.X1", ("2.1", "3", None), "PAR001"),  # above the criterion's maximum
                              ("H.X1", ("9.9", "1", None), "PAR017"),  # no such criterion
                              ("H.X1", ("2.1", "hai", None), "NUM001"),  # not a number
                              ("H.X3", ("2.1", "1", None), "PAR024")):  # no sheet received
        with pytest.raises(CchcError) as refused:
            appraise(store, catalog, received, unit, [("1.1", "0,5", None), entry])
        assert refused.value.code == code
    assert store.appraisals.of(received) == before
    store.reports.update(received, status="da_ky")
    with pytest.raises(CchcError) as refused:
        appraise(store, catalog, received, "H.X1", [("1.1", "0,5", None)])
    assert refused.value.code == "CELL003"


def test_a_sheet_that_appraises_nothing_says_so(received, catalog, store):
    own = store.reports.find("H.X1", Period("nam", 2021), "thu-xa-chiso")
    with pytest.raises(CchcError) as refused:
        appraisal(store, catalog, store.reports.create("H.X3", Period("nam", 2021), "thu-xa-chiso", 1))
    assert refused.value.code == "PAR023" and own is None


def test_cli_appraise_and_appraisal(received, catalog, store, tmp_path):
    store.close()
    db, forms = str(tmp_path / "data.db"), str(tmp_path / "forms")
    code, out = cli("--db", db, "--forms", forms, "appraise", "--report", str(received), "--unit", "H.X1",
                    "--criterion", "2.1", "--score", "1", "--comment", "Niêm yết chưa đủ")
    assert code == 0 and "2.1" in out
    code, out = cli("--db", db, "--forms", forms, "--json", "appraisal", "--report", str(received))
    data = json.loads(out)
    h1 = next(u for u in data["units"] if u["code"] == "H.X1")
    assert code == 0 and h1["appraised"] == {"achieved": 7.0, "maximum": 10.0, "index": 70.0, "rating": "Khá"}
    assert next(c for c in h1["criteria"] if c["code"] == "2.1")["comment"] == "Niêm yết chưa đủ"
    code, out = cli("--db", db, "--forms", forms, "appraisal", "--report", str(received))
    assert "thẩm định 7/10" in out and "chưa nhận" in out


def test_an_area_scored_as_a_whole_is_appraised_as_a_whole(tmp_path, catalog, store):
    """Seed 002 publishes communes' areas only: a criterion under such an area has no score of its
    own, so appraising it alone would guess; the area's appraisal stands for everything under it."""
    units(store, 1)
    district = store.reports.create("H", Period("nam", 2021), "thu-huyen-chiso", 1)
    p12 = create_self_signed("H.X1", "Ủy ban nhân dân xã Thử 1", PASS)
    with Store.open(tmp_path / "xa.db") as commune, load_p12(p12, PASS) as identity:
        units(commune, 1)
        sheet = commune.reports.create("H.X1", Period("nam", 2021), "thu-xa-chiso", 1, **SIGNED_AS)
        enter(commune, catalog.get("thu-xa-chiso", 1).definition, sheet, [("1", "diem", "4"), ("2", "diem", "5"),
                                                                           ("2", "ly_do", "Thiếu")])
        mark_checked(commune, catalog, sheet, acknowledge_warnings=True)
        sign_report(commune, catalog, sheet, identity, tmp_path / "goi")
        enrol_signer(store, "H.X1", identity)
    consolidate(store, catalog, district, [tmp_path / "goi"])
    with pytest.raises(CchcError) as refused:
        appraise(store, catalog, district, "H.X1", [("2.1", "1", None)])
    assert refused.value.code == "PAR029" and "Lĩnh vực 2" in str(refused.value)
    appraise(store, catalog, district, "H.X1", [("2", "4", None), ("2.1", None, "Công khai chưa đủ")])
    [unit] = appraisal(store, catalog, district)
    assert (unit.own.achieved, unit.appraised.achieved, unit.appraised.index) == (9, 8, Decimal(80))


def test_an_appraised_area_stands_for_what_was_appraised_under_it(received, catalog, store):
    appraise(store, catalog, received, "H.X1", [("2.1", "1", None), ("2", "3", None)])  # own: 2.1 = 2, area 2 = 5
    h1 = next(u for u in appraisal(store, catalog, received) if u.code == "H.X1")
    assert (h1.own.achieved, h1.appraised.achieved) == (8, 6)


def test_a_districts_analysis_carries_the_communes_sheets_it_prints(tmp_path, catalog, store):
    """The district's analysis prints its communes' scores (part II and its table), which its data
    alone does not hold: the receiver, printing the package to compare it with the signed PDF,
    refused it. The sheets it prints now travel in the package (``sources/``) and are bound to the
    print: another commune's sheet, or a changed score, is refused."""
    import io
    import zipfile

    from test_trust_round3 import resign

    units(store)
    commune_sheet(store, catalog, "H.X1")
    commune_sheet(store, catalog, "H.X2", ("1", "3", "2", "4"))
    own = store.reports.create("H", Period("nam", 2021), "thu-huyen-chiso", 1, **SIGNED_AS)
    enter(store, catalog.get("thu-huyen-chiso", 1).definition, own,
          [("1.1", "diem", "1"), ("1.2", "diem", "3"), ("2.1", "diem", "2"), ("2.2", "diem", "4")])
    mark_checked(store, catalog, own, acknowledge_warnings=True)
    p12 = create_self_signed("H", "Ủy ban nhân dân huyện Thử", PASS)
    with load_p12(p12, PASS) as identity:
        package = Path(sign_report(store, catalog, own, identity, tmp_path / "goi").filename).read_bytes()
    with zipfile.ZipFile(io.BytesIO(package)) as archive:
        sources = {n: json.loads(archive.read(n)) for n in archive.namelist() if n.startswith("sources/")}
    assert [s["unit"]["code"] for s in sources.values()] == ["H.X1", "H.X2"]
    assert all(not s["attachments"] for s in sources.values())  # their scores, not their evidence
    verdict = verify_bytes(package, "goi.cchc", catalog)
    assert verdict.valid, verdict.message

    first, second = sorted(sources)
    changed = json.loads(json.dumps(sources[second]))
    changed["forms"]["CHI_SO"]["cells"]["2.2"]["diem"] = 1
    changed["forms"]["CHI_SO"]["cells"]["2.2"]["ly_do"] = "Chưa đạt yêu cầu"
    verdict = verify_bytes(resign(package, p12, members={second: dumps(changed).encode()}), "goi.cchc", catalog)
    assert not verdict.valid and "không in đúng dữ liệu" in verdict.message, verdict.message
    stranger = json.loads(json.dumps(sources[second]))
    stranger["unit"] = {"code": "H", "name": "Huyện Thử", "level": "huyen", "parent": None}
    verdict = verify_bytes(resign(package, p12, members={second: dumps(stranger).encode()}), "goi.cchc", catalog)
    assert not verdict.valid and "không phải của một đơn vị trực thuộc" in verdict.message, verdict.message

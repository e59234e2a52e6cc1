"""PAR index (Chỉ số CCHC): criteria sets, scoring, checks, the seed 002 results, the analysis report."""

from __future__ import annotations

import difflib
import io
import json
import re
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from desktop.app.demo import load_demo
from desktop.foundation.messages import CchcError
from desktop.kinds.par.analysis import analysis_body
from desktop.kinds.par.scoring import enter, score_report, scorecard
from desktop.foundation.periods import Period
from desktop.rules.engine import validate_report
from desktop.registry import load_catalog
from tests.core.conftest import cli, write_criteria_set, write_set
from desktop.foundation.values import format_points

# A small set: area 1 (4 points) = 1.1 (1) + 1.2 (3 = 1.2.1 (1) + 1.2.2 (2)); area 2 (6 points),
# whose 2.2 may not apply.
CRITERIA = """
title: BẢNG CHẤM ĐIỂM {year}
basis: Quyết định thử
areas:
  - code: "1"
    title: Chỉ đạo, điều hành
    max: 4
    children:
      - {code: "1.1", title: Kế hoạch, max: 1}
      - code: "1.2"
        title: Báo cáo
        max: 3
        children:
          - {code: "1.2.1", title: Báo cáo quý, max: 1}
          - {code: "1.2.2", title: Báo cáo năm, max: 2}
  - code: "2"
    title: Thủ tục hành chính
    max: 6
    children:
      - {code: "2.1", title: Công khai, max: 2}
      - {code: "2.2", title: Bưu chính công ích, max: 4, optional: Không có thủ tục qua bưu chính}
"""


def criteria_set(tmp_path, text: str = CRITERIA, set_yaml_extra: str = "", set_id: str = "thu-chiso"):
    return write_criteria_set(tmp_path / "forms", text, set_id=set_id, extra=set_yaml_extra)


def loaded(tmp_path, text: str = CRITERIA):
    catalog = load_catalog(criteria_set(tmp_path, text))
    return catalog, catalog.get("thu-chiso", 1)


def sheet(criteria, **cells):
    """``cells`` as ``{"1.2.1": {"diem": "0.5"}}``-like keyword pairs: code__column=stored text."""
    out: dict = {}
    for key, value in cells.items():
        code, column = key.rsplit("__", 1)
        out.setdefault(code.replace("_", "."), {})[column] = value
    return scorecard(criteria, out)


def new_sheet(store) -> int:
    """A district's 2021 scoring sheet on the inline set."""
    store.units.add("H", "Huyện Thử", "huyen")
    return store.reports.create("H", Period("nam", 2021), "thu-chiso", 1)


def rules_of(card):
    return sorted((f.rule, f.row_id) for f in card.findings)


# --- the set as data -------------------------------------------------------------------


def test_a_criteria_set_loads_with_its_maxima_and_default_bands(tmp_path):
    catalog, form_set = loaded(tmp_path)
    assert catalog.problems == []
    assert form_set.kind.name == "chi_so" and list(form_set.forms) == ["CHI_SO"]
    assert form_set.definition.maximum == 10
    assert [label for label, _ in form_set.definition.bands] == ["Xuất sắc", "Tốt", "Khá", "Trung bình", "Yếu"]
    assert form_set.definition.by_code["1.2.2"].level_name == "Tiêu chí thành phần"


@pytest.mark.parametrize("broken, code", [
    (CRITERIA.replace("max: 4\n", "max: 5\n", 1), "FORM018"),  # children add up to 4, not 5
    (CRITERIA.replace('code: "1.2.1"', 'code: "2.2.1"'), "FORM019"),  # not under its parent's code
    (CRITERIA.replace('code: "1.1"', 'code: "1.2"'), "FORM006"),  # the same code twice
    (CRITERIA.replace("max: 1}", "max: nhiều}", 1), "FORM004"),
    (CRITERIA.replace("title: Kế hoạch, max: 1", "title: Kế hoạch, max: 1, colour: đỏ"), "FORM005"),
    (CRITERIA + "bands: [[Tốt, 50], [Xuất sắc, 90], [Yếu, 0]]\n", "FORM020"),
])
def test_a_malformed_set_is_refused_with_a_message_naming_file_and_line(tmp_path, broken, code):
    catalog, form_set = loaded(tmp_path, broken)
    assert form_set is None
    problem = next(p for p in catalog.problems if p.code == code)
    assert "tieu_chi.yaml" in problem.text and "dòng" in problem.text


# --- index, rating and applicability ---------------------------------------------------


def test_index_is_achieved_over_applicable_maximum_to_two_decimals(tmp_path):
    _, form_set = loaded(tmp_path)
    card = sheet(form_set.definition, **{"1_1__diem": "1", "1_2_1__diem": "0", "1_2_2__diem": "2", "2_1__diem": "1.5",
                                       "2_2__diem": "4"})
    assert (card.achieved, card.maximum, card.index, card.rating) == (Decimal("8.5"), 10, Decimal("85.00"), "Tốt")


def test_a_criterion_that_does_not_apply_leaves_the_maximum(tmp_path):
    _, form_set = loaded(tmp_path)
    card = sheet(form_set.definition, **{"1__diem": "3", "2_1__diem": "2", "2_2__ap_dung": "0"})
    assert card.maximum == 6 and card.achieved == 5
    assert card.index == Decimal("83.33") and card.findings == []


def test_only_an_optional_criterion_can_be_marked_not_applicable(tmp_path, store):
    _, form_set = loaded(tmp_path)
    card = sheet(form_set.definition, **{"1__diem": "4", "2__diem": "6", "1_1__ap_dung": "0"})
    assert ("par_applies", "1.1") in rules_of(card)
    report = new_sheet(store)
    with pytest.raises(CchcError) as refused:
        enter(store, form_set.definition, report, [("1.1", "ap_dung", "Không")])
    assert refused.value.code == "PAR007" and store.cells.get(report) == {}


# --- the arithmetic checks -------------------------------------------------------------


def test_criteria_must_add_up_to_their_area(tmp_path):
    _, form_set = loaded(tmp_path)
    card = sheet(form_set.definition, **{"1__diem": "3.5", "1_1__diem": "1", "1_2__diem": "2", "2__diem": "6"})
    finding = next(f for f in card.findings if f.rule == "par_sum")
    assert (finding.row_id, finding.actual, finding.expected) == ("1", 3.5, 3.0)
    assert "Lĩnh vực 1 ghi 3,5 điểm nhưng các tiêu chí thành phần cộng lại 3 điểm." == finding.message


def test_areas_must_add_up_to_the_typed_total_index_and_rating(tmp_path):
    _, form_set = loaded(tmp_path)
    card = sheet(form_set.definition, **{"1__diem": "4", "2__diem": "4", "tong__diem": "9", "tong__chi_so": "90",
                                       "tong__xep_loai": "Xuất sắc"})
    assert rules_of(card) == [("par_index", "tong"), ("par_rating", "tong"), ("par_total", "tong")]
    assert card.index == Decimal("80.00") and card.rating == "Tốt"


def test_no_score_above_its_maximum(tmp_path, store):
    _, form_set = loaded(tmp_path)
    card = sheet(form_set.definition, **{"1__diem": "4", "2_1__diem": "2.5", "2_2__diem": "4"})
    assert ("par_max", "2.1") in rules_of(card)
    report = new_sheet(store)
    with pytest.raises(CchcError) as refused:
        enter(store, form_set.definition, report, [("1.1", "diem", "1"), ("2.1", "diem", "2,5")])
    assert refused.value.code == "PAR001" and "vượt điểm tối đa 2" in str(refused.value)
    assert store.cells.get(report) == {}  # nothing of the batch was stored


def test_an_unscored_criterion_and_lost_points_without_reason_are_reported(tmp_path):
    _, form_set = loaded(tmp_path)
    card = sheet(form_set.definition, **{"1_1__diem": "0", "1_2__diem": "3", "2_1__diem": "2"})
    assert ("par_missing", "2.2") in rules_of(card)
    assert ("par_reason", "1.1") in rules_of(card)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.decimals(min_value=0, max_value=1, places=2), min_size=5, max_size=5))
def test_the_index_never_leaves_0_to_100_and_agrees_with_its_parts(tmp_path_factory, fractions):
    _, form_set = loaded(tmp_path_factory.mktemp("par"))
    leaves = ["1.1", "1.2.1", "1.2.2", "2.1", "2.2"]
    cells = {code: {"diem": str((form_set.definition.by_code[code].maximum * f).quantize(Decimal("0.01")))}
             for code, f in zip(leaves, fractions)}
    card = scorecard(form_set.definition, cells)
    assert 0 <= card.index <= 100
    assert card.achieved == sum(a.achieved for a in card.areas)
    assert not [f for f in card.findings if f.severity == "error"]


# --- scores computed from the unit's reports ---------------------------------------------


ANNEX = """
code: "06"
printed_code: Biểu số 06
title: KẾT QUẢ
columns:
  - {id: stt, label: STT, kind: row_code}
  - {id: ten, label: Nội dung, kind: row_label}
  - {id: da_tong, label: Đã giải quyết}
  - {id: da_dung_han, label: Đúng hạn}
rows:
  - {id: tong, label: Tổng cộng}
"""

COMPUTED = """
title: BẢNG CHẤM ĐIỂM
areas:
  - code: "1"
    title: Báo cáo và kết quả
    max: 3
    children:
      - {code: "1.1", title: Báo cáo đúng hạn, max: 1, compute: {kind: on_time, form_sets: [bc]}}
      - code: "1.2"
        title: Tỷ lệ đúng hạn
        max: 2
        compute: {kind: rate, form_set: bc, form: "06", row: tong, numerator: [da_dung_han], denominator: [da_tong], bands: [[100, 2], [95, 1], [0, 0]]}
"""


def test_late_reports_score_zero_and_rates_map_to_points_by_bands(tmp_path, store):
    root = criteria_set(tmp_path, COMPUTED)
    write_set(root, {"bc.yaml": ANNEX}, set_id="bc", folder="bc")
    catalog = load_catalog(root)
    criteria = catalog.get("thu-chiso", 1).definition
    sheet_id = new_sheet(store)
    card = score_report(store, criteria, sheet_id)
    assert card.node("1.1").computed.points is None and "chưa tính được" in card.node("1.1").computed.explanation

    year = store.reports.create("H", Period("nam", 2021), "bc", 1, doc_date="2021-12-18", doc_number="5/BC-UBND")
    store.cells.set_many(year, [("06", "tong", "da_tong", "200"), ("06", "tong", "da_dung_han", "192")])
    card = score_report(store, criteria, sheet_id)
    assert card.node("1.1").achieved == 1  # sent 18/12, due 20/12
    assert card.node("1.2").achieved == 1  # 96%: below 100, at least 95
    assert "tỷ lệ 96,00% (192/200" in card.node("1.2").computed.explanation
    assert card.index == Decimal("66.67") and card.rating == "Khá"


def test_a_typed_score_that_disagrees_with_the_data_is_a_warning(tmp_path, store):
    root = criteria_set(tmp_path, COMPUTED)
    write_set(root, {"bc.yaml": ANNEX}, set_id="bc", folder="bc")
    catalog = load_catalog(root)
    criteria = catalog.get("thu-chiso", 1).definition
    sheet_id = new_sheet(store)
    store.reports.create("H", Period("quy", 2021, 3), "bc", 1, doc_date="2021-09-25", doc_number="9/BC-UBND")
    enter(store, criteria, sheet_id, [("1.1", "diem", "1")])
    card = score_report(store, criteria, sheet_id)
    node = card.node("1.1")
    assert node.achieved == 0  # the data wins: Quý III sent 25/09, due 20/09
    assert "9/BC-UBND" in node.computed.explanation and "trễ hạn (hạn 20/09/2021)" in node.computed.explanation
    warning = next(f for f in card.findings if f.rule == "par_computed")
    assert warning.severity == "warning" and (warning.actual, warning.expected) == (1, 0)


# --- seed 002: every unit's index and rating, as printed ------------------------------------

# (unit, achieved, maximum, index, rating) as seed 002 prints them; Đắk Ruồng's printed
# 78,15 and 82,26 do not follow from its areas, which add up to 76,65 (see below).
SEED_002 = [
    ("KT.KR", "81.45", "95", "85.74", "Tốt"),
    ("23494.cu", "79.3", "97", "81.75", "Tốt"),
    ("23485.cu", "81.4", "95.5", "85.24", "Tốt"),
    ("23497.cu", "78.77", "94", "83.80", "Tốt"),
    ("23482.cu", "77.9", "96", "81.15", "Tốt"),
    ("23488.cu", "76.65", "95", "80.68", "Tốt"),
    ("23479.cu", "62.12", "94", "66.09", "Khá"),
    ("23491.cu", "77.5", "96", "80.73", "Tốt"),
]


@pytest.fixture
def demo_sheets(store, real_catalog):
    load_demo(store, real_catalog)
    return {r.unit_code: r.id for r in store.reports.all() if r.form_set_id.startswith("kontum-")}


@pytest.mark.parametrize("unit, achieved, maximum, index, rating", SEED_002)
def test_every_seed_unit_scores_as_printed(store, real_catalog, demo_sheets, unit, achieved, maximum, index, rating):
    report = store.reports.get(demo_sheets[unit])
    criteria = real_catalog.get(report.form_set_id, 1).definition
    card = score_report(store, criteria, report.id)
    assert (card.achieved, card.maximum, card.index, card.rating) == (
        Decimal(achieved), Decimal(maximum), Decimal(index), rating)


def test_the_district_areas_and_lost_points_are_seed_002s(store, real_catalog, demo_sheets):
    card = score_report(store, real_catalog.get("kontum-huyen-chiso", 1).definition, demo_sheets["KT.KR"])
    assert [f"{format_points(a.achieved)}/{format_points(a.maximum)}" for a in card.areas] == [
        "19,49/23", "9/9", "11,48/12", "7/8", "10,5/11", "6,5/10", "10,48/15", "7/7"]
    lost = [n.code for a in card.areas for n in a.lost_leaves()]
    assert lost == ["1.2.1", "1.2.4", "1.2.6", "1.2.8", "1.4.2", "1.6.1", "1.6.2", "3.2.4", "3.2.5", "3.4.1", "4.2.2",
                    "5.6.2", "6.1.2", "6.1.3", "6.3.1", "7.1", "7.2", "7.3"]
    assert card.findings == []


def test_only_dak_ruong_contradicts_itself_and_validate_says_so(store, real_catalog, demo_sheets):
    flagged = {unit for unit, report in demo_sheets.items() if validate_report(store, real_catalog, report)}
    assert flagged == {"23488.cu", "KT.KR"}
    findings = validate_report(store, real_catalog, demo_sheets["23488.cu"])
    assert [(f.rule, f.actual, f.expected) for f in findings] == [("par_total", 78.15, 76.65),
                                                                  ("par_index", 82.26, 80.68)]
    assert findings[0].message == "Tổng điểm ghi 78,15 nhưng các lĩnh vực cộng lại 76,65 điểm."
    # Issue 29 §2: the district's analysis prints what Đắk Ruồng's sheet states (78,15 and 82,26, as
    # seed 002 does) and says, as a warning of its own, what the commune's areas add up to
    district = validate_report(store, real_catalog, demo_sheets["KT.KR"])
    assert [(f.severity, f.rule, f.row_id, f.actual, f.expected) for f in district] == [
        ("warning", "par_relayed", "23488.cu", 78.15, 76.65)]
    assert district[0].message == ("Xã Đắk Ruồng ghi tổng điểm 78,15/95 và chỉ số 82,26, nhưng các lĩnh vực của "
                                   "đơn vị cộng lại 76,65 điểm (chỉ số 80,68). Báo cáo in số đơn vị đã ghi; hãy đối "
                                   "chiếu với bảng của đơn vị.")


def test_cli_score_json(tmp_path):
    db = tmp_path / "demo.db"
    assert cli("--db", str(db), "demo")[0] == 0
    code, out = cli("--db", str(db), "reports", "--json")
    sheet_id = next(r["id"] for r in json.loads(out) if r["unit_code"] == "23488.cu")
    code, out = cli("--db", str(db), "score", "--report", str(sheet_id), "--json")
    result = json.loads(out)
    assert code == 1 and result["index"] == 80.68 and result["rating"] == "Tốt"
    assert result["areas"][0] == {"code": "1", "title": "Công tác chỉ đạo, điều hành cải cách hành chính",
                                  "achieved": 22.1, "maximum": 33.5, "applicable": True}
    assert [f["rule"] for f in result["findings"]] == ["par_total", "par_index"]
    district = next(r["id"] for r in json.loads(cli("--db", str(db), "reports", "--json")[1]) if r["unit_code"] == "KT.KR")
    assert cli("--db", str(db), "score", "--report", str(district))[0] == 0


# --- the analysis report ------------------------------------------------------------------


# Every difference between seed 002's body (from "Căn cứ" to "Nơi nhận") and the analysis the app
# prints from the demo's sheets and typed notes, word by word, with its reason (issue 29 §2).
SEED_002_DIFFERENCES = [
    # (the seed's words, ours, why)
    ("", "được", "area 1 'đạt được … điểm; tiêu chí … bị mất điểm' as the seed's areas 3-7 say it"),
    ("0,25/0.5", "0,25/0,5", "a decimal comma, as the seed writes every other score"),
    ("0,25/0.5", "0,25/0,5", "the same"),
    ("số", "", "'Tiêu chí thành phần số 3.4.1': the seed says 'số' before two codes of eighteen"),
    ("đề", "trạng", "'tình đề' is the OCR of 'tình trạng'"),
    ("Nhà", "nhà", "the area's title as the criteria set writes it"),
    ("07/8", "7/8", "points are printed without a leading zero"),
    ("số", "", "'số 4.2.2', as above"),
    ("đ/c A Ty", "[ họ tên ]", "no real person's name in demo data"),
    ("98.6", "98,6", "a decimal comma"),
    ("", "tiêu chí ,", "area 6: 'tiêu chí, tiêu chí thành phần bị mất điểm', as areas 1, 3, 4 and 5 say it"),
    ("NSDP", "NSĐP", "OCR: ngân sách địa phương"),
    ("", ", tiêu chí", "area 7, as area 6"),
    ("133.6/150", "133,6/150", "a decimal comma"),
    ("Tô", "Tơ", "the commune's official name, Đắk Tơ Re"),
    ("Tô", "Tờ", "Đắk Tờ Lung"),
    ("Đăk", "Đắk", "Đắk Kôi"),
    ("Đăk", "Đắk", "Đắk Ruồng"),
    ("Pnè", "Pne", "Đắk Pne"),
] + [("Văn", "văn", "'Văn bản quy phạm pháp luật' inside the area's title, as part I writes it")] * 7


SEED_TEXTS = Path(__file__).parent / "seed_texts"


def _words(text: str) -> list[str]:
    return re.findall(r"\w+(?:[.,/]\w+)*|[^\w\s*]", text.replace("*", ""))


def test_the_analysis_prints_seed_002s_body_word_for_word(store, real_catalog, demo_sheets):
    """Parts I-IV as the seed prints them: its eight tasks of III and the deadlines of IV as typed,
    the communes' totals and indices as their sheets state them (Đắk Ruồng 78,15/95 and 82,26, not
    the 76,65 its areas give), no ranking table the seed does not have; what still differs is each
    listed above, with its reason."""
    from desktop.exchange.body import printed

    subject, blocks = analysis_body(store, real_catalog, demo_sheets["KT.KR"])
    assert subject.startswith("Đánh giá, phân tích và làm rõ nguyên nhân, trách nhiệm")
    assert not any(hasattr(b, "rows") for b in blocks)  # the seed prints no table
    ours = _words("\n".join(b.text for b in printed(blocks)))
    seed_words = _words((SEED_TEXTS / "002-body.txt").read_text(encoding="utf-8"))
    differences = [(" ".join(seed_words[i1:i2]), " ".join(ours[j1:j2]))
                   for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, seed_words, ours, autojunk=False).get_opcodes()
                   if op != "equal"]
    assert sorted(differences) == sorted((a, b) for a, b, _ in SEED_002_DIFFERENCES)
    text = "\n".join(b.text for b in blocks)
    assert "5. Đối với UBND xã Đắk Ruồng: Tổng số điểm các tiêu chí, tiêu chí thành phần đạt được là 78,15/95" in text
    assert "IV. TỔ CHỨC, THỰC HIỆN" in text and "15/8/2022" in text
    deadline = next(r for b in blocks for r in getattr(b, "runs", []) if r.text == "trước ngày 15/8/2022")
    assert deadline.bold  # "**trước ngày 15/8/2022**", as the seed emphasises it


def test_the_analysis_exports_to_pdf_and_word(store, real_catalog, demo_sheets, tmp_path):
    from docx import Document
    from pypdf import PdfReader

    from desktop.exchange.docx import write_docx
    from desktop.exchange.pdf import write_pdf

    pdf = write_pdf(store, real_catalog, demo_sheets["KT.KR"], tmp_path / "phan-tich.pdf")
    words = " ".join(page.extract_text() for page in PdfReader(pdf).pages)
    assert "81,45/95" in " ".join(words.split()) and "BÁO CÁO" in words
    docx = write_docx(store, real_catalog, demo_sheets["KT.KR"], tmp_path / "phan-tich.docx")
    document = Document(io.BytesIO(docx.read_bytes()))
    paragraphs = [p.text for p in document.paragraphs]
    assert any("81,45/95 điểm" in p for p in paragraphs)
    assert len(document.tables) == 2  # the head and the signature: the seed prints no ranking table
    assert "IV. TỔ CHỨC, THỰC HIỆN" in paragraphs and any(r.bold and r.text == "trước ngày 12/8/2022"
                                                          for p in document.paragraphs for r in p.runs)
    assert document.sections[0].left_margin.mm == pytest.approx(30, abs=0.1)


def test_a_signed_sheet_refuses_new_scores(store, real_catalog, demo_sheets):
    criteria = real_catalog.get("kontum-huyen-chiso", 1).definition
    store.reports.update(demo_sheets["KT.KR"], status="da_ky")
    with pytest.raises(CchcError) as refused:
        enter(store, criteria, demo_sheets["KT.KR"], [("1.1.1", "diem", "0")])
    assert refused.value.code == "CELL003"


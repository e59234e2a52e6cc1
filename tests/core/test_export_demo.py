"""The seed reports exported: the PDF holds their Vietnamese text and figures in an embedded
font, the workbook reads back to the store, and LibreOffice recalculating the workbook gets
the numbers the app shows."""

import io
import json
import re
import os
import shutil
import subprocess
from decimal import Decimal

import pytest
from conftest import cli
from openpyxl import load_workbook
from pypdf import PdfReader

from desktop.exchange.annex import build_annexes
from desktop.exchange.pdf import render_pdf
from desktop.exchange.xlsx import SheetPlan, import_xlsx, write_xlsx
from desktop.foundation.paths import forms_dir
from desktop.report.data import ReportData
from desktop.registry import load_catalog
from desktop.store.db import Store


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    folder = tmp_path_factory.mktemp("demo")
    path = folder / "demo.db"
    assert cli("--db", str(path), "demo")[0] == 0
    store = Store.open(path)
    catalog = load_catalog(forms_dir())
    ids = {r.unit_code: r.id for r in store.reports.all()
           if not catalog.form_set_of(r).kind.name == "chi_so"}  # annex reports
    yield store, catalog, ids, folder
    store.close()


@pytest.fixture(scope="module")
def ke_sach_pdf(demo):
    store, catalog, ids, folder = demo
    path = folder / "ke-sach.pdf"
    assert cli("--db", str(store.path), "export", "--report", str(ids["ST.KS"]), "--pdf", str(path))[0] == 0
    return PdfReader(path)


def _text(reader: PdfReader) -> str:
    return "\n".join(page.extract_text() for page in reader.pages)


def test_the_report_page_carries_the_official_head_and_signature(ke_sach_pdf):
    first = "\n".join(page.extract_text() for page in ke_sach_pdf.pages)
    for text in ("ỦY BAN NHÂN DÂN", "HUYỆN KẾ SÁCH", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                 "Độc lập - Tự do - Hạnh phúc", "Số: 542/BC-UBND", "Kế Sách, ngày 21 tháng 11 năm 2019",
                 "BÁO CÁO", "Nơi nhận:", "- Sở Nội vụ (phòng CCHC);", "- Lưu: VT (VP).",  # seed 003's own
                 "TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "(Đính kèm các Biểu mẫu 1B, 2B, 3B"):
        assert text in first, text


def test_the_annexes_hold_the_printed_figures_in_vietnamese_format(ke_sach_pdf):
    text = _text(ke_sach_pdf)
    for figure in ("THỐNG KÊ KẾT QUẢ TIẾP NHẬN, GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH",
                   "(Kèm theo Báo cáo số 542/BC-UBND ngày 21/11/2019 của Ủy ban nhân dân huyện Kế Sách)",
                   "5.697", "5.374", "21.902", "97.851", "Thị trấn Kế Sách", "Xã An Mỹ"):
        assert figure in text, figure
    assert "(3)=(4)+(5)" in "".join(text.split())  # the column-number row, wrapped in its narrow cell


def test_the_workbook_prints_the_official_header_above_the_annexes_whose_pdf_page_has_it(demo, tmp_path):
    """Issue 29 §3: seed 000 prints the issuing body and the Quốc hiệu above its Phụ lục 4 and VI,
    and the group title above Phụ lục 1; the PDF did, the workbook did not."""
    store, catalog, ids, _ = demo
    book = load_workbook(write_xlsx(store, catalog, ids["KH.KS"], tmp_path / "khanh-son.xlsx"))
    for name in ("Phụ lục 4", "Phụ lục VI"):
        sheet = book[name]
        assert sheet["A1"].value == "ỦY BAN NHÂN DÂN\nHUYỆN KHÁNH SƠN" and sheet["A1"].font.b
        right = [c for c in sheet[1] + sheet[2] if c.value in ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                                                                "Độc lập - Tự do - Hạnh phúc")]
        assert len(right) == 2 and right[1].font.u == "single"  # the tiêu ngữ's rule, as long as itself
        assert sheet.cell(row=4, column=1).value == name  # the annex's code after a blank row
    pl1 = book["Phụ lục 1"]
    assert [pl1["A1"].value, pl1["A2"].value] == ["PHỤ LỤC BÁO CÁO CCHC NĂM 2019 CỦA HUYỆN", "Phụ lục 1"]
    assert book["Phụ lục 2"]["A1"].value == "Phụ lục 2"  # no header where the PDF prints none
    assert import_xlsx(store, catalog, ids["KH.KS"], tmp_path / "khanh-son.xlsx") == []  # and it reads back


def test_only_5b_prints_a_row_of_column_numbers_as_seed_003_does(demo, ke_sach_pdf):
    """Issue 29 §2: seven of Kế Sách's forms number their columns for their identities; the seed
    prints the numbers under 5B's header only, and so does the app (``number_row: false``)."""
    from desktop.exchange.annex import printed_annexes
    from desktop.report.data import report_data

    store, catalog, ids, _ = demo
    annexes, _ = printed_annexes(report_data(store, catalog, ids["ST.KS"]))
    assert [a.form.code for a in annexes if a.number_row] == ["5B"]
    assert all(a.form.leaves[2].number is not None for a in annexes if a.form.code in ("4B", "10B"))  # kept for rules
    lines = [line.strip() for page in ke_sach_pdf.pages for line in page.extract_text().splitlines()]
    assert lines.count("(3)=(4)+(5)") == 1


def test_4b_prints_the_slash_where_the_seed_does(ke_sach_pdf):
    """Issue 29 §2: seed 003's 4B marks "/" under horizontal and vertical inter-agency procedures
    for six fields (rows 9-12, 20, 23); the app dropped them."""
    lines = [line.strip() for page in ke_sach_pdf.pages for line in page.extract_text().splitlines()]
    for field, figure in (("Lĩnh vực Bảo trợ xã hội", "9"), ("Lĩnh vực Đăng ký đất đai", "7")):
        at = lines.index(field)  # each cell of the row is a line of its own in the text
        assert lines[at + 1:at + 5] == [figure, figure, "/", "/"]


def test_every_font_is_embedded(ke_sach_pdf):
    fonts = set()
    for page in ke_sach_pdf.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = font["/FontDescriptor"].get_object()
            assert "/FontFile2" in descriptor, font["/BaseFont"]
            fonts.add(font["/BaseFont"].split("+")[-1])
    assert fonts == {"LiberationSerif", "LiberationSerif-Bold", "LiberationSerif-Italic",
                     "LiberationSerif-BoldItalic"}


def test_wide_annexes_are_landscape_and_each_annex_numbers_its_own_pages(demo, ke_sach_pdf):
    store, catalog, ids, _ = demo
    annexes = build_annexes(ReportData(store, catalog, ids["ST.KS"]))
    landscape_codes = {a.printed_code for a in annexes if a.orientation == "landscape"}
    seen_first_pages, within, longest = 0, 1, 1
    for page in ke_sach_pdf.pages[1:]:
        lines = [line.strip() for line in page.extract_text().splitlines()]
        starts = [a for a in annexes if lines and lines[0] == a.printed_code]
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        if starts:
            seen_first_pages, within = seen_first_pages + 1, 1
            assert (width > height) == (starts[0].printed_code in landscape_codes), starts[0].printed_code
        else:  # a continuation page carries its number within its own part: 2, 3, …
            within += 1
            assert str(within) in lines
            longest = max(longest, within)
    assert seen_first_pages == len(annexes)
    assert longest >= 3  # 4B's 80 lĩnh vực run over several pages


def test_the_pdf_names_no_unknown_report_fields_and_every_seed_report_renders(demo):
    store, catalog, ids, _ = demo
    for report in ids.values():
        content = render_pdf(ReportData(store, catalog, report))
        assert content.startswith(b"%PDF") and b"{unit_name}" not in content


def test_every_demo_workbook_reads_back_to_the_store(demo):
    store, catalog, ids, folder = demo
    for unit, report in ids.items():
        before = store.cells.get(report)
        path = write_xlsx(store, catalog, report, folder / f"{unit}.xlsx")
        assert len(import_xlsx(store, catalog, report, path)) == 0, unit
        assert store.cells.get(report) == before


def _soffice() -> str | None:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found is None and os.environ.get("CCHC_REQUIRE_LIBREOFFICE"):
        pytest.fail("LibreOffice (soffice) is required here: .ci/run installs libreoffice-calc-nogui")
    return found


def _numbers(value) -> Decimal | None:
    if value is None or isinstance(value, str):
        return None
    return Decimal(repr(value)).quantize(Decimal("0.000001"))


def test_libreoffice_recalculates_the_exported_workbook_to_the_apps_numbers(demo, tmp_path):
    soffice = _soffice()
    if soffice is None:
        pytest.skip("LibreOffice is not installed (CI installs it)")
    store, catalog, ids, _ = demo
    sources = {}
    for unit, report in ids.items():
        sources[unit] = write_xlsx(store, catalog, report, tmp_path / f"{unit.replace('.', '-')}.xlsx")
    out = tmp_path / "recalculated"
    profile = (tmp_path / "lo-profile").as_uri()
    subprocess.run([soffice, "--headless", "--norestore", f"-env:UserInstallation={profile}",
                    "--convert-to", "xlsx", "--outdir", str(out), *map(str, sources.values())],
                   check=True, capture_output=True, timeout=240)
    formulas_checked = 0
    for unit, report in ids.items():
        recalculated = load_workbook(out / sources[unit].name, data_only=True)
        written = load_workbook(sources[unit])
        for annex in build_annexes(ReportData(store, catalog, report)):
            plan = SheetPlan(annex)
            sheet, original = recalculated[annex.sheet_name], written[annex.sheet_name]
            for body in annex.rows:
                row = plan.row_of[body.row.id]
                for i, cell in enumerate(body.cells, 1):
                    if not cell.ctype.numeric or cell.column.kind != "data":
                        continue
                    shown = sheet.cell(row=row, column=i).value
                    expected = None if cell.value is None else Decimal(cell.value).quantize(Decimal("0.000001"))
                    assert _numbers(shown) == expected, (unit, annex.sheet_name, row, i)
                    formulas_checked += str(original.cell(row=row, column=i).value).startswith("=")
    assert formulas_checked > 100  # the totals really were formulas that LibreOffice computed


def test_cli_export_and_import_round_trip_and_refusals(demo, tmp_path):
    store, catalog, ids, _ = demo
    db = str(store.path)
    report = str(ids["KH.KS"])
    code, out = cli("--db", db, "--json", "export", "--report", report, "--xlsx", str(tmp_path / "a.xlsx"),
                    "--pdf", str(tmp_path / "a.pdf"))
    assert code == 0 and len(json.loads(out)["files"]) == 2
    code, out = cli("--db", db, "--json", "import-xlsx", "--report", report, str(tmp_path / "a.xlsx"))
    assert code == 0 and json.loads(out) == {"report": int(report), "changed": 0}
    assert cli("--db", db, "import-xlsx", "--report", str(ids["ST.KS"]), str(tmp_path / "a.xlsx"))[0] == 2
    assert cli("--db", db, "export", "--report", report)[0] == 2  # nothing asked for
    assert cli("--db", db, "export", "--report", "999", "--pdf", str(tmp_path / "b.pdf"))[0] == 2
    assert not (tmp_path / "b.pdf").exists()
    assert cli("--db", db, "export", "--report", report, "--pdf", str(tmp_path / "no" / "such" / "c.pdf"))[0] == 2


@pytest.mark.parametrize("mode, title, expected", [
    ("TM", None, ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"]),
    ("KT", None, ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"]),  # seed 002
    ("Q", None, ["TM. ỦY BAN NHÂN DÂN", "Q. CHỦ TỊCH"]),
    ("Q", "Q. Chủ tịch", ["TM. ỦY BAN NHÂN DÂN", "Q. CHỦ TỊCH"]),
    ("TL", "Chánh Văn phòng", ["TL. CHỦ TỊCH", "CHÁNH VĂN PHÒNG"]),
    ("TUQ", "Trưởng phòng Nội vụ", ["TUQ. CHỦ TỊCH", "TRƯỞNG PHÒNG NỘI VỤ"]),
    ("XYZ", "Chủ tịch", ["CHỦ TỊCH"]),  # an unknown mode (a tampered file) prints the title alone
])
def test_signer_modes_print_as_nghi_dinh_30_shows_them(mode, title, expected):
    from desktop.exchange.document import signer_lines

    assert signer_lines(mode, title) == expected


def test_seed_002_signs_for_the_committee_by_a_deputy(demo):
    """Kon Rẫy's PAR analysis (seed 002): TM. ỦY BAN NHÂN DÂN / KT. CHỦ TỊCH / PHÓ CHỦ TỊCH, in that order,
    above the signer's name, on the printed page."""
    from desktop.exchange.pdf import render_pdf
    from desktop.report.data import report_data

    store, catalog, _, _ = demo
    kon_ray = next(r.id for r in store.reports.all() if r.unit_code == "KT.KR")
    lines = [line.strip() for page in PdfReader(io.BytesIO(render_pdf(report_data(store, catalog, kon_ray)))).pages
             for line in page.extract_text().splitlines()]
    start = lines.index("TM. ỦY BAN NHÂN DÂN")
    assert lines[start:start + 3] == ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"]


def test_a_range_of_years_never_breaks_across_lines(demo):
    """Seed 003's subject broke as '…giai đoạn 2011 / - 2020'; a range stays on one line."""
    from desktop.exchange.pdf import render_pdf
    from desktop.report.data import report_data

    store, catalog, ids, _ = demo
    lines = [line.strip() for page in PdfReader(io.BytesIO(render_pdf(report_data(store, catalog, ids["19873.cu"]))))
             .pages[:1] for line in page.extract_text().splitlines()]
    assert any("2011 - 2020" in line for line in lines)
    assert not any(a[-1:].isdigit() and b[:1] in "-–" for a, b in zip(lines, lines[1:])), lines


def test_names_and_numerals_keep_their_case_in_every_printed_report(demo):
    """Issue 18 §1: 'quý iii năm 2025', 'tại xã ba cụm bắc', 'trên địa bàn huyện khánh sơn' were
    how the all-caps titles read once lowered; proper names and Roman numerals keep their case in
    every demo report's PDF and Word file."""

    from desktop.exchange.docx import report_docx
    from desktop.exchange.pdf import render_pdf
    from desktop.report.data import report_data

    store, catalog, _, _ = demo
    from desktop.exchange.annex import short_unit_name
    from desktop.foundation.directory import short_name

    names = {short_name(short_unit_name(u.name)) for u in store.units.all()}
    lowered = sorted(n.lower() for n in names if n.lower() != n)
    assert "khánh sơn" in lowered and "ba cụm bắc" in lowered
    for report in store.reports.all():
        data = report_data(store, catalog, report.id)
        text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(render_pdf(data))).pages)
        text = " ".join(text.split())
        assert not [n for n in lowered if re.search(rf"(?<!\w){re.escape(n)}(?!\w)", text)], report.id
        assert not re.search(r"\bquý (i|ii|iii|iv)\b", text), report.id
        if data.form_set.kind.name != "chi_so":
            import zipfile

            xml = zipfile.ZipFile(io.BytesIO(report_docx(data))).read("word/document.xml").decode()
            assert not [n for n in lowered if f" {n}" in xml], report.id


def _pdf_lines(store, catalog, report_id) -> list[str]:
    from desktop.exchange.pdf import render_pdf
    from desktop.report.data import report_data

    return [line.strip() for page in PdfReader(io.BytesIO(render_pdf(report_data(store, catalog, report_id)))).pages
            for line in page.extract_text().splitlines()]


def test_seed_004_is_whole_its_figures_in_their_annexes_and_its_body_in_its_own_order(demo):
    """Seed 004 (Khánh Hòa province, 6 months 2020) had no demo report: its figures are in Biểu 06,
    the central agencies' form and the online-services form, its body prints in its own sections
    (I … V) in its order, and the figures its text cites come from those forms. Issue 29 §2: the seed
    prints no annex, so the forms are data behind the body (``annex: false``) and none prints."""
    store, catalog, _, _ = demo
    report = next(r for r in store.reports.all() if r.form_set_id == "khanhhoa-tinh")
    assert report.period.label == "6 tháng đầu năm 2020" and report.unit_code == "KH"
    cells = store.cells.get(report.id)
    assert cells["06"]["tong"]["nhan_tong"] == "362485" and cells["06"]["tong"]["nhan_truc_tuyen"] == "68253"
    assert cells["ND"]["tong"]["da_giai_quyet"] == "1730508" and cells["TT"]["phi_le_phi"]["trong_ky"] == "107394908"
    lines = _pdf_lines(store, catalog, report.id)
    text = " ".join(lines)
    for figure in ("362.485", "339.239", "332.183", "97,92%", "68.253", "20,12%", "1.730.508", "1.506.228", "87,04%",
                   "92,31", "107.394.908", "101.586"):
        assert figure in text, figure
    assert "Kết quả giải quyết hồ sơ từ 12/10/2019 đến 10/6/2020 như sau:" in text  # the data period, as the seed says it
    assert not any(line.startswith(("Biểu số 06", "Phụ lục")) for line in lines)  # no annex the seed does not print
    headings = [line for line in lines if re.match(r"^(I|II|III|IV|V)\. [A-ZĐ]", line)]
    assert headings == ["I. CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH CCHC", "II. NHỮNG KẾT QUẢ TRỌNG TÂM TRÊN CÁC NỘI DUNG CCHC",
                        "III. ĐÁNH GIÁ CHUNG", "IV. NHIỆM VỤ TRỌNG TÂM 06 THÁNG CUỐI NĂM 2020", "V. ĐỀ XUẤT, KIẾN NGHỊ"]
    parts = [line for line in lines if re.match(r"^[1-6]\. (Cải cách|Xây dựng|Hiện đại)", line)]
    assert [p[:2] for p in parts] == ["1.", "2.", "3.", "4.", "5.", "6."]
    assert "Trên đây là tình hình, kết quả thực hiện công tác CCHC của tỉnh Khánh Hòa" in text



def test_no_annex_prints_that_the_seed_does_not_and_the_workbook_keeps_every_form(demo, tmp_path):
    """Issue 29 §2: seed 000 mentions its Phụ lục VII and prints none (the demo's is empty), seed 004
    prints its figures in its text. The PDF and Word leave such forms out; the workbook is the data
    and keeps each, so nothing is lost on the way to Excel and back."""
    from docx import Document

    from desktop.exchange.docx import report_docx
    from desktop.report.data import report_data

    store, catalog, ids, _ = demo
    khanh_son = _pdf_lines(store, catalog, ids["KH.KS"])
    assert "Phụ lục VI" in khanh_son and "Phụ lục VII" not in khanh_son
    province = next(r for r in store.reports.all() if r.form_set_id == "khanhhoa-tinh")
    words = [p.text for p in Document(io.BytesIO(report_docx(report_data(store, catalog, province.id)))).paragraphs]
    assert not any(w.startswith(("Biểu số 06", "Phụ lục")) for w in words) and any("362.485" in w for w in words)
    workbook = load_workbook(write_xlsx(store, catalog, province.id, tmp_path / "tinh.xlsx"))
    assert workbook.sheetnames[:3] == ["Biểu số 06 VPCP KSTT", "Phụ lục 1", "Phụ lục 2"]  # and its hidden key sheet
    workbook = load_workbook(write_xlsx(store, catalog, ids["KH.KS"], tmp_path / "khanh-son.xlsx"))
    assert any("VII" in name for name in workbook.sheetnames)


@pytest.mark.parametrize("unit, count, last", [("KT.KR", 8, "- Lưu: VT."), ("KH", 10, "- Lưu: VT, DL."),
                                               ("19873.cu", 8, "- Lưu: VP.UBND xã.")])
def test_noi_nhan_keeps_every_recipient_the_report_lists(demo, unit, count, last):
    """Seeds 001 and 002 list eight recipients, seed 004 ten: each report prints its own list whole."""
    store, catalog, _, _ = demo
    report = next(r for r in store.reports.all() if r.unit_code == unit and r.recipients)
    lines = _pdf_lines(store, catalog, report.id)
    start = lines.index("Nơi nhận:")
    listed = []
    for line in lines[start + 1:]:
        if line.startswith("- "):
            listed.append(line)
        elif listed and not line.startswith(("TM.", "KT.", "TL.")) and not listed[-1].endswith("."):
            listed[-1] += " " + line  # a recipient wrapped onto a second line
        else:
            break
    assert len(listed) == count and listed[-1] == last
    assert all(item.endswith(";") for item in listed[:-1])


SEED_BODIES = {
    # seed 000: part II's nine areas (the fourth, the one-stop mechanism, prints no number), then III
    "KH.KS": ["I. CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH CÔNG TÁC CẢI CÁCH", "II. KẾT QUẢ THỰC HIỆN CÔNG TÁC CẢI CÁCH HÀNH CHÍNH",
              "1. Về cải cách thể chế", "2. Cải cách thủ tục hành chính", "3. Cải cách tổ chức bộ máy chính quyền địa phương",
              "4. Về thực hiện cơ chế một cửa, một cửa liên thông",
              "5. Xây dựng và nâng cao chất lượng đội ngũ cán bộ công chức", "6. Cải cách tài chính công",
              "7. Hiện đại hoá hành chính", "8. Nhận xét, đánh giá chung", "9. Kiến nghị, đề xuất",
              "III. PHƯƠNG HƯỚNG NHIỆM VỤ TRỌNG TÂM CCHC NĂM 2020"],
    # seed 001: three parts, the first with I–III
    "19873.cu": ["Phần thứ nhất", "I. TÌNH HÌNH TRIỂN KHAI", "II. ĐÁNH GIÁ KẾT QUẢ THỰC HIỆN CÁC NỘI DUNG THEO",
                 "III. ĐÁNH GIÁ CHUNG VỀ CẢI CÁCH HÀNH CHÍNH NHÀ NƯỚC", "Phần thứ hai", "Phần thứ ba"],
    # seed 003: I–IV, in mixed case as it prints them
    "ST.KS": ["I. Tình hình tổ chức thực hiện văn bản chỉ đạo, điều hành CCHC", "II. Kết quả chủ yếu đạt được",
              "III. Đề xuất, kiến nghị", "IV. Phương hướng, nhiệm vụ trọng tâm năm 2020"],
}


@pytest.mark.parametrize("unit", sorted(SEED_BODIES))
def test_each_seed_body_prints_in_its_own_sections_and_order(demo, unit):
    """Issue 18 §4: the bodies of seeds 001 and 003 were a list of annexes, and seed 000's sections
    were reordered into the national outline. Each prints in its own (the set's noi-dung.yaml)."""
    store, catalog, ids, _ = demo
    lines = _pdf_lines(store, catalog, ids[unit])
    wanted = SEED_BODIES[unit]
    shown = [line for line in lines if any(line.startswith(w) for w in wanted)]
    firsts = []
    for line in shown:
        match = next(w for w in wanted if line.startswith(w))
        if match not in firsts:
            firsts.append(match)
    assert firsts == wanted
    assert not any(line.startswith("Kèm theo báo cáo này có") for line in lines)  # a body, not a list of annexes


def test_a_note_for_the_clerk_stays_off_the_official_analysis(demo):
    """Issue 18 §2: "* Lưu ý khi kiểm tra bảng chấm điểm…" (Đắk Ruồng's sheet does not add up) printed
    inside Kon Rẫy's PAR analysis; it is a note for the clerk, who sees the sheet's findings on screen."""
    from desktop.exchange.body import NOTE
    from desktop.exchange.docx import report_docx
    from desktop.kinds.par.analysis import analysis_body
    from desktop.report.data import report_data

    store, catalog, _, _ = demo
    kon_ray = next(r.id for r in store.reports.all() if r.unit_code == "KT.KR")
    _, blocks = analysis_body(store, catalog, kon_ray)
    notes = [b for b in blocks if getattr(b, "kind", "") == NOTE]
    assert notes and "Lưu ý khi kiểm tra" in notes[0].text  # still made, for the screen
    assert "Lưu ý khi kiểm tra" not in " ".join(_pdf_lines(store, catalog, kon_ray))
    import zipfile

    xml = zipfile.ZipFile(io.BytesIO(report_docx(report_data(store, catalog, kon_ray)))).read("word/document.xml")
    assert "Lưu ý khi kiểm tra".encode() not in xml and "Đắk Ruồng".encode() in xml


def test_the_note_under_a_table_prints_in_the_pdf_and_the_workbook(demo, tmp_path):
    """Issue 18 §1: seed 000 prints "Tổng cộng đề ra 25 nhiệm vụ …" under its Bảng tổng hợp tiến độ."""
    from openpyxl import load_workbook

    from desktop.exchange.xlsx import import_xlsx, write_xlsx

    store, catalog, ids, _ = demo
    report = ids["KH.KS"]
    lines = _pdf_lines(store, catalog, report)
    at = next(n for n, line in enumerate(lines) if line.startswith("Tổng cộng đề ra 25 nhiệm vụ"))
    assert any("Triển khai dịch vụ tiếp nhận/trả kết quả qua dịch" in line for line in lines[at - 15:at])  # task 25
    path = write_xlsx(store, catalog, report, tmp_path / "ks.xlsx")
    sheet = load_workbook(path)["Bảng tổng hợp"]
    notes = [c for row in sheet.iter_rows() for c in row if str(c.value or "").startswith("Tổng cộng đề ra 25")]
    assert len(notes) == 1 and sheet.cell(row=notes[0].row - 2, column=2).value  # under the last task, a row apart
    assert import_xlsx(store, catalog, report, path) == []  # the workbook still reads back


def test_an_empty_note_column_gives_its_room_to_the_figures(demo):
    """Issue 18 §2: 7B gave a wide empty Ghi chú while its data headers were cramped."""
    from desktop.exchange.annex import build_annexes
    from desktop.exchange.measure import MARGINS, MM, column_widths, font_size, least_widths, register_fonts
    from desktop.report.data import report_data

    register_fonts()
    store, catalog, ids, _ = demo
    annex = next(a for a in build_annexes(report_data(store, catalog, ids["ST.KS"])) if a.form.code == "7B")
    left, right = MARGINS["landscape"][:2]
    width = (297 - left - right) * MM
    size = font_size(annex)
    widths, least = column_widths(annex, width, size), least_widths(annex, size)
    note = [c.id for c in annex.columns].index("ghi_chu")
    assert widths[note] == pytest.approx(least[note], abs=0.5)  # no more than "Ghi chú" needs
    assert sum(widths) == pytest.approx(width, abs=0.5)  # the page's width, all used by the figures


def test_the_official_header_and_group_title_print_above_the_annexes_the_seed_has_them(demo):
    """Issue 18 §4: seed 000 prints the issuing body and the Quốc hiệu above Phụ lục 4 and VI, and
    "PHỤ LỤC BÁO CÁO CCHC NĂM 2019 CỦA HUYỆN" above Phụ lục 1."""
    from desktop.exchange.pdf import render_pdf
    from desktop.report.data import report_data

    store, catalog, ids, _ = demo
    pages = [page.extract_text().splitlines() for page in
             PdfReader(io.BytesIO(render_pdf(report_data(store, catalog, ids["KH.KS"])))).pages]

    def page_of(code):
        return next(lines for lines in pages if code in [line.strip() for line in lines[:8]])

    for code in ("Phụ lục 4", "Phụ lục VI"):
        top = " ".join(line.strip() for line in page_of(code)[:6])
        assert "ỦY BAN NHÂN DÂN" in top and "HUYỆN KHÁNH SƠN" in top and "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in top
        assert "Số:" not in top  # the annex's header has no number or date of its own
    first = [line.strip() for line in page_of("Phụ lục 1")[:3]]
    assert first[0] == "PHỤ LỤC BÁO CÁO CCHC NĂM 2019 CỦA HUYỆN" and "CỘNG HÒA" not in " ".join(first)
    top5 = " ".join(line.strip() for line in page_of("Phụ lục V")[:3])
    assert "CỘNG HÒA" not in top5  # only where the seed prints it


def test_a_pdf_says_when_it_was_made_and_a_packages_print_says_its_manifests_time(demo_store):
    """Issue 29 §3: no PDF dated 2000-01-01. An export is dated now; a package's print is dated with
    its manifest's time, so that the receiver prints the same bytes; the dates are all that move."""
    import datetime as dt

    from desktop.exchange.pdf import pdf_date
    from desktop.report.data import report_data

    store, catalog = demo_store
    data = report_data(store, catalog, store.reports.all()[0].id)
    before = dt.datetime.now().astimezone().replace(microsecond=0)
    made = PdfReader(io.BytesIO(render_pdf(data))).metadata["/CreationDate"]
    assert made >= pdf_date(before)[:16] and not made.startswith("D:2000")
    moment = dt.datetime(2026, 12, 2, 19, 56, 7, tzinfo=dt.timezone(dt.timedelta(hours=7)))
    first, second = render_pdf(data, created=moment), render_pdf(data, created=moment)
    assert first == second and PdfReader(io.BytesIO(first)).metadata["/CreationDate"] == "D:20261202195607+07'00'"
    other = render_pdf(data, created=moment + dt.timedelta(seconds=1))
    assert other != first and len(other) == len(first)


def test_the_word_file_numbers_its_pages_draws_its_rules_and_says_whose_it_is(demo_store, tmp_path):
    """Issue 29 §3, read back from the .docx: page numbers from page 2 centred at the top (none on
    page 1), the rules under the issuing body and the tiêu ngữ as long as the PDF's, and the file's
    properties the report's (title, the unit as author, made now, by this app)."""
    import datetime as dt
    import zipfile

    from docx import Document
    from docx.shared import Pt

    from desktop.exchange.docx import HEAD_WIDTHS, write_docx
    from desktop.exchange.document import report_head
    from desktop.exchange.pdf import head_rules
    from desktop.report.data import report_data

    store, catalog = demo_store
    report = next(r.id for r in store.reports.all() if r.unit_code == "KH.KS")
    before = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    path = write_docx(store, catalog, report, tmp_path / "bao-cao.docx")
    head = report_head(report_data(store, catalog, report))
    doc = Document(str(path))
    section = doc.sections[0]
    assert section.different_first_page_header_footer
    assert not "".join(p.text for p in section.first_page_header.paragraphs).strip()
    header = section.header.paragraphs[0]
    assert header.alignment == 1 and 'PAGE' in header._p.xml and "fldChar" in header._p.xml  # centred field
    left, right = doc.tables[0].rows[0].cells
    wanted = head_rules(head)
    for cell, width, length in ((left, HEAD_WIDTHS[0], wanted[0]), (right, HEAD_WIDTHS[1], wanted[1])):
        [rule] = [p for p in cell.paragraphs if "w:pBdr" in p._p.xml]
        drawn = width.pt - rule.paragraph_format.left_indent.pt - rule.paragraph_format.right_indent.pt
        assert abs(drawn - length) < 1 and drawn < width.pt * 0.8, (drawn, length)
    assert any("Độc lập - Tự do - Hạnh phúc" == p.text for p in right.paragraphs)
    props = doc.core_properties
    assert props.title == head.subject and props.author == "Ủy ban nhân dân huyện Khánh Sơn"
    created = props.created if props.created.tzinfo else props.created.replace(tzinfo=dt.timezone.utc)
    assert before <= created <= dt.datetime.now(dt.timezone.utc) + dt.timedelta(seconds=1)
    with zipfile.ZipFile(path) as archive:
        application = archive.read("docProps/app.xml").decode()
    assert "CCHC Desktop" in application and "Microsoft" not in application
    assert Pt(12) == header.runs[0].font.size


def test_each_sheet_prints_as_its_pdf_annex_numbered_on_its_own_with_its_title_whole(demo, tmp_path):
    """Issue 29 §3, the workbook as LibreOffice prints it: no "Trang 5 / 16" at the foot counted
    through the workbook; each annex from its page 2 numbered at the top, from 2; a title as tall
    as its lines across the table (2B's title was clipped to one line)."""
    store, catalog, ids, _ = demo
    path = write_xlsx(store, catalog, ids["ST.KS"], tmp_path / "ke-sach.xlsx")
    book = load_workbook(path)
    for sheet in book.worksheets:
        if sheet.sheet_state != "visible":
            continue
        assert sheet.HeaderFooter.differentFirst and sheet.oddHeader.center.text == "&P"
        assert sheet.page_setup.firstPageNumber == 1 and sheet.page_setup.useFirstPageNumber
        assert not sheet.oddFooter.center.text and not sheet.firstHeader.center.text
    title = next(row for row in book["Biểu mẫu 2B"].iter_rows(max_row=5) if str(row[0].value or "").startswith("THỐNG KÊ"))
    assert book["Biểu mẫu 2B"].row_dimensions[title[0].row].height >= 2 * 13  # two lines of 13 pt
    soffice = _soffice()
    if soffice is None:
        pytest.skip("LibreOffice is not installed (CI installs it)")
    profile = (tmp_path / "lo-profile").as_uri()
    subprocess.run([soffice, "--headless", "--norestore", f"-env:UserInstallation={profile}", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(path)], check=True, capture_output=True, timeout=240)
    pages = [page.extract_text() for page in PdfReader(tmp_path / "ke-sach.pdf").pages]
    assert not any(re.search(r"Trang \d+ / \d+", text) for text in pages)
    tops = [text.strip().splitlines()[0].strip() for text in pages]
    numbered = [(i, int(top)) for i, top in enumerate(tops) if top.isdigit()]
    assert numbered  # 4B runs over three pages
    for i, number in numbered:  # 2 follows an annex's first page, which has none; each next one follows
        assert (number == 2 and not tops[i - 1].isdigit()) or tops[i - 1] == str(number - 1), tops[i - 1: i + 1]
    # at the PDF's sizes, not shrunk to fit (the text printed at 7,3 pt): each page's smallest text
    # is its annex's PDF size, less at most what a fit to width of 97 % takes
    from desktop.exchange.measure import font_size
    sizes = {a.sheet_name: font_size(a) for a in build_annexes(ReportData(store, catalog, ids["ST.KS"]))}
    current = None
    for page, text in zip(PdfReader(tmp_path / "ke-sach.pdf").pages, pages):
        first = text.strip().splitlines()[0].strip()
        current = next((name for name in sizes if first.startswith(name[:11]) and first.split()[:3] == name.split()[:3]),
                       current)
        seen = []
        page.extract_text(visitor_text=lambda t, cm, tm, fd, fs: seen.append(
            fs * (tm[0] ** 2 + tm[1] ** 2) ** 0.5 * (cm[0] ** 2 + cm[1] ** 2) ** 0.5) if t.strip() else None)
        assert current and min(seen) >= sizes[current] * 0.97 - 0.05, (current, min(seen), sizes[current])
    # no header word broken across lines (7B printed "tuyển" as "tu|yển"), no column number either
    printed = " ".join(" ".join(text.split()) for text in pages)
    for annex in build_annexes(ReportData(store, catalog, ids["ST.KS"])):
        for header in annex.header:
            for word in header.text.split():
                assert word in printed, (annex.sheet_name, word)
        for number in annex.number_row or []:
            assert not number or number in printed, (annex.sheet_name, number)

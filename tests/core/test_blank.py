"""A blank form to print (issue 26 §4): any form, or a whole set, in the official layout with
its cells empty, from the command line and the window."""

from __future__ import annotations

import io
import json

import pytest
from conftest import REPO, cli
from pypdf import PdfReader

from desktop.exchange.blank import BLANK_REPEAT_ROWS, blank_annexes, blank_pdf, repeat_sections
from desktop.foundation.messages import CchcError
from desktop.foundation.periods import Period


def test_every_shipped_set_prints_its_annexes_empty(real_catalog):
    for form_set in real_catalog.sets.values():
        if form_set.kind.name == "chi_so":
            continue  # a PAR criteria set scores, it has no annex to fill in
        if not any(f.annex for f in form_set.forms.values()):  # seed 004's: figures behind the body only
            with pytest.raises(CchcError) as nothing:
                blank_annexes(real_catalog, form_set)
            assert nothing.value.code == "BLANK002"
            continue
        annexes = blank_annexes(real_catalog, form_set)
        assert [a.form.code for a in annexes] == [c for c, f in form_set.forms.items() if f.annex], form_set.id
        for annex in annexes:
            typed = [(body.row.id, cell.column.id, cell.text) for body in annex.rows for cell in body.cells
                     if cell.column.kind == "data" and body.row.printed(cell.column) is None and cell.text]
            assert typed == [], (form_set.id, annex.form.code, typed[:3])
            for section in repeat_sections(annex.form.rows):  # room to write in: a few empty rows each
                assert sum(1 for b in annex.rows if b.row.kind == "repeat" and b.row.section == section) \
                    == BLANK_REPEAT_ROWS, (form_set.id, annex.form.code, section)


def test_one_form_prints_alone_on_its_own_orientation_with_the_period_asked(real_catalog):
    form_set = real_catalog.latest("toanquoc-06")
    pdf = PdfReader(io.BytesIO(blank_pdf(real_catalog, form_set, period=Period("quy", 2026, 3))))
    first = pdf.pages[0]
    text = first.extract_text()
    assert "Biểu số 06/VPCP/KSTT" in text and "Quý III năm 2026" in text
    assert float(first.mediabox.width) > float(first.mediabox.height)  # landscape from the first page
    assert "Hộ tịch" in text  # the form's own rows print; no figure does
    soc_trang = real_catalog.latest("soctrang-huyen")
    only = PdfReader(io.BytesIO(blank_pdf(real_catalog, soc_trang, "5B")))
    assert "Biểu mẫu 5B" in only.pages[0].extract_text()
    assert all("Biểu mẫu 4B" not in page.extract_text() for page in only.pages)
    with pytest.raises(CchcError) as unknown:
        blank_pdf(real_catalog, soc_trang, "99Z")
    assert unknown.value.code == "BLANK001" and "5B" in str(unknown.value)


def test_cli_forms_print(tmp_path):
    out = tmp_path / "trong.pdf"
    code, said = cli("--json", "forms", "print", str(REPO / "forms" / "soctrang-huyen-2019"), "-o", str(out))
    assert code == 0 and json.loads(said)["forms"] == 14
    assert len(PdfReader(out).pages) >= 14
    code, _ = cli("forms", "print", "khong-co-bo-nay", "-o", str(out))
    assert code == 2


def test_a_blank_workbook_has_live_totals_that_print_nothing_until_typed(real_catalog):
    from openpyxl import load_workbook

    from desktop.exchange.blank import blank_xlsx

    book = load_workbook(io.BytesIO(blank_xlsx(real_catalog, real_catalog.latest("toanquoc-06"))))
    sheet = book.worksheets[0]
    total = next(r for r in range(1, sheet.max_row + 1) if sheet.cell(row=r, column=2).value == "Tổng cộng")
    assert sheet.cell(row=total, column=4).value == f"=SUM(D10:D{total - 1})"
    assert sheet.cell(row=10, column=3).value == "=D10+E10+F10"
    assert sheet.cell(row=10, column=3).number_format.endswith(";")  # a zero prints as nothing
    assert sheet.cell(row=10, column=4).value is None  # what the office types stays empty
    district = load_workbook(io.BytesIO(blank_xlsx(real_catalog, real_catalog.latest("soctrang-huyen"), "7B")))
    formulas = [c.value for row in district.worksheets[0].iter_rows() for c in row
                if isinstance(c.value, str) and c.value.startswith("=")]
    assert formulas and "=SUM()" not in formulas  # the communes' total of a template with none: no formula

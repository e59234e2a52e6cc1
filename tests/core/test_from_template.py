"""A first draft from the province's own template (issue 26 §2): an annex workbook as a Sở Nội
vụ sends it to communes, read into a form set, with what was inferred said cell by cell."""

from __future__ import annotations

import json
import re
import zipfile

import pytest
from hypothesis import given, strategies as st
from conftest import REPO, cli
from openpyxl import Workbook
from openpyxl.styles import Border, Font, Side
from openpyxl.worksheet.datavalidation import DataValidation

from desktop.app.definitions import NOTES_FILE, compile_template
from desktop.exchange.blank import blank_xlsx
from desktop.exchange.template import read_template
from desktop.foundation.messages import CchcError
from desktop.registry import load_catalog
from desktop.schema.layout import resolve

CATALOG = load_catalog(REPO / "forms")
WITH_ANNEXES = sorted(s.id for s in CATALOG.sets.values()
                      if s.kind.name != "chi_so" and any(f.annex for f in s.forms.values()))


def _identities(form, own_only: bool = False) -> set:
    """Each column identity as (the leaf's index, its parts by leaf index and sign): the columns'
    own (``equals:``), and unless ``own_only`` the form's other identities too."""
    found = set()
    texts = [(leaf, leaf.equals) for leaf in form.leaves if leaf.equals]
    texts += [] if own_only else [(None, r.text) for r in form.rules if r.kind == "identity"]
    for leaf, text in texts:
        if leaf is None:
            left, _, text = text.replace(" ", "").partition("=")
            leaf = form.by_number.get(int(left.strip("()"))) if left.startswith("(") else form.by_id.get(left)
            text = text.lstrip("=")
            if leaf is None:
                continue
        parts = []
        for sign, token in re.findall(r"([+-]?)\s*(\(\d+\)|[A-Za-z_][A-Za-z0-9_]*)", text):
            column = form.by_number[int(token[1:-1])] if token.startswith("(") else form.by_id[token]
            parts.append((sign or "+", form.leaves.index(column)))
        found.add((form.leaves.index(leaf), tuple(parts)))
    return found


def _unfilled(title: str) -> str:
    return re.sub(r"\{\w+\}|\d{4}", "#", title)


def _summary(form, form_set) -> dict:
    layout = resolve(form, form_set, [], {})
    rows = [r for r in layout.rows if r.kind != "repeat"]
    by_id = {r.id: r for r in layout.rows}

    def covered(row):
        ids = row.children if row.total == "children" else row.total if isinstance(row.total, list) else \
            [r.id for r in layout.rows if r.kind == row.total]
        return sorted((by_id[i].code, by_id[i].label) for i in ids if i in by_id and by_id[i].kind != "repeat")

    def tree(columns):
        return [(c.label, tree(c.children)) for c in columns]

    return {"columns": tree(form.columns), "numbers": [leaf.number for leaf in form.leaves],
            "rows": [(r.code, r.label) for r in rows],
            "totals": {(r.code, r.label): covered(r) for r in rows if r.total is not None and covered(r)}}


@pytest.mark.parametrize("set_id", WITH_ANNEXES)
def test_every_shipped_form_exported_then_read_back_as_a_template_gives_its_columns_rows_and_totals(set_id, tmp_path):
    original = CATALOG.latest(set_id)
    template = tmp_path / "bieu-mau.xlsx"
    template.write_bytes(blank_xlsx(CATALOG, original))
    draft, _ = compile_template(template, tmp_path / "nhap", set_id=set_id, province=original.province)
    forms = [f for f in original.forms.values() if f.annex]
    assert len(draft.forms) == len(forms)
    for before, after in zip(forms, draft.forms.values()):
        a, b = _summary(before, original), _summary(after, draft)
        assert a["columns"] == b["columns"], before.code
        assert a["rows"] == b["rows"], before.code
        # a total of the district's communes sums no rows in a template made without them
        assert a["totals"] == b["totals"], before.code
        if before.number_row and any(a["numbers"]):
            assert a["numbers"] == b["numbers"], before.code
        inferred, declared = _identities(after), _identities(before)
        assert inferred <= declared, before.code  # no identity the form does not hold
        assert _identities(before, own_only=True) <= inferred, before.code
        assert after.printed_code == before.printed_code and after.orientation == before.orientation
        assert _unfilled(after.group_title) == _unfilled(before.group_title), before.code  # {year} printed as 2019
        assert after.header_block == before.header_block


def _hand_made(path, *, header=True, formula_elsewhere=False):
    """A district's own Biểu 2: two header levels merged, numbered columns, formula totals, a list."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Biểu 2"
    sheet["A1"] = "Biểu số 02/CCHC"
    sheet["A2"] = "KẾT QUẢ KIỂM SOÁT THỦ TỤC HÀNH CHÍNH NĂM 2026 CỦA UBND XÃ"
    sheet["A3"] = "(Kèm theo Báo cáo số   /BC-UBND ngày   tháng   năm 2026)"
    for merged in ("A1:G1", "A2:G2", "A3:G3"):
        sheet.merge_cells(merged)
    if header:
        sheet["A5"], sheet["B5"], sheet["C5"], sheet["F5"], sheet["G5"] = "STT", "Nội dung", "Số TTHC", "Ghi chú", "Đạt"
        sheet["C6"], sheet["E6"] = "Tổng số", "Trong đó"
        sheet["E7"] = "Cấp xã"
        sheet["D6"] = "Cấp huyện"
        for merged in ("A5:A7", "B5:B7", "C5:E5", "C6:C7", "D6:D7", "F5:F7", "G5:G7"):
            sheet.merge_cells(merged)
        for column, text in zip("ABCDEFG", ["(1)", "(2)", "(3)=(4)+(5)", "(4)", "(5)", "(6)", "(7)"]):
            sheet[f"{column}8"] = text
    rows = [("I", "THỦ TỤC HÀNH CHÍNH", True), ("1", "Công bố", False), ("a)", "Mới ban hành", False),
            ("b)", "Sửa đổi", False), ("2", "Công khai", False), ("II", "KIỂM SOÁT", True), ("1", "Rà soát", False),
            ("", "Tổng cộng", True)]
    thin = Side(style="thin")
    for number, (code, label, bold) in enumerate(rows, start=9):
        sheet[f"A{number}"], sheet[f"B{number}"] = code or None, label
        sheet[f"B{number}"].font = Font(bold=bold)
        sheet[f"C{number}"] = f"=D{number}+E{number}"
        for column in "ABCDEFG":
            sheet[f"{column}{number}"].border = Border(left=thin, right=thin, top=thin, bottom=thin)
    for column in "DE":
        sheet[f"{column}10"] = f"=SUM({column}11:{column}12)"  # 1 = a) + b)
        sheet[f"{column}9"] = f"={column}10+{column}13"  # I = 1 + 2
        sheet[f"{column}14"] = f"=SUM({column}15)"
        sheet[f"{column}16"] = f"={column}9+{column}14"  # Tổng cộng = I + II
    if formula_elsewhere:
        sheet["D13"] = "='[khac.xlsx]Sheet1'!A1"
    choices = DataValidation(type="list", formula1='"Có,Không"', allow_blank=True)
    sheet.add_data_validation(choices)
    choices.add("G9:G16")
    book.save(path)
    return path


def test_a_hand_made_template_with_two_merged_header_levels_and_formula_totals(tmp_path):
    form_set, notes = compile_template(_hand_made(tmp_path / "bieu2.xlsx"), tmp_path / "bo", set_id="xa-2026",
                                       province="Khánh Hòa", level="xa")
    [form] = form_set.forms.values()
    assert (form.code, form.printed_code) == ("02", "Biểu số 02/CCHC")
    assert form.title.startswith("KẾT QUẢ KIỂM SOÁT") and form.attachment_line.startswith("(Kèm theo")
    tree = [(c.label, [(g.label, [x.label for x in g.children]) for g in c.children]) for c in form.columns]
    assert tree == [("STT", []), ("Nội dung", []), ("Số TTHC", [("Tổng số", []), ("Cấp huyện", []),
                                                                  ("Trong đó", ["Cấp xã"])]),
                    ("Ghi chú", []), ("Đạt", [])]
    kinds = [(leaf.kind, leaf.number, leaf.ctype.kind) for leaf in form.leaves]
    assert kinds == [("row_code", 1, "text"), ("row_label", 2, "text"), ("data", 3, "count"), ("data", 4, "count"),
                     ("data", 5, "count"), ("data", 6, "text"), ("data", 7, "choice")]
    assert form.leaves[2].equals == "(4)+(5)" and form.leaves[6].ctype.choices == ("Có", "Không")
    layout = resolve(form, form_set, [], {})
    shape = [(r.code, r.label, r.depth, r.style) for r in layout.rows]
    assert shape == [("I", "THỦ TỤC HÀNH CHÍNH", 0, "bold"), ("1", "Công bố", 1, "normal"),
                     ("a)", "Mới ban hành", 2, "normal"), ("b)", "Sửa đổi", 2, "normal"),
                     ("2", "Công khai", 1, "normal"), ("II", "KIỂM SOÁT", 0, "bold"), ("1", "Rà soát", 1, "normal"),
                     ("", "Tổng cộng", 0, "total")]
    totals = {r.label: r.total for r in layout.rows if r.total is not None}
    by_id = {r.id: r.label for r in layout.rows}
    assert totals["Công bố"] == "children" and totals["KIỂM SOÁT"] == "children"
    assert totals["THỦ TỤC HÀNH CHÍNH"] == "children"  # = 1 + 2, its two children
    assert [by_id[i] for i in totals["Tổng cộng"]] == ["THỦ TỤC HÀNH CHÍNH", "KIỂM SOÁT"]
    said = (tmp_path / "bo" / NOTES_FILE).read_text(encoding="utf-8")
    assert "“Biểu 2”!G9: lựa chọn Có, Không" in said and "“Biểu 2”!C8: hằng đẳng thức (3)=(4)+(5)" in said
    assert any(not n.inferred and "{period}" in n.text for n in notes)  # the title's year is the officer's to replace


def test_a_formula_reaching_outside_the_sheet_is_noted_never_followed(tmp_path):
    draft = read_template(_hand_made(tmp_path / "bieu2.xlsx", formula_elsewhere=True))
    [said] = [n for n in draft.notes if n.cell == "D13"]
    assert not said.inferred and "khac.xlsx" in said.text and "không đọc được" in said.text


def test_a_sheet_with_no_recognisable_header_is_refused(tmp_path):
    with pytest.raises(CchcError) as refused:
        read_template(_hand_made(tmp_path / "khong-tieu-de.xlsx", header=False))
    assert refused.value.code == "TPL003" and "Biểu 2" in str(refused.value)
    assert not (tmp_path / "bo").exists()


def test_a_ten_thousand_column_header_and_a_bomb_are_refused(tmp_path):
    book = Workbook()
    for column in range(1, 10_001):
        book.active.cell(row=5, column=column, value=f"Cột {column}")
    wide = tmp_path / "rong.xlsx"
    book.save(wide)
    with pytest.raises(CchcError) as refused:
        read_template(wide)
    assert refused.value.code == "TPL002" and "10000 cột" in str(refused.value)
    bomb = tmp_path / "bom.xlsx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"<row>" + b" " * (60 * 1024 * 1024) + b"</row>")
    with pytest.raises(CchcError) as refused:
        read_template(bomb)
    assert refused.value.code == "TPL001"


def test_cli_from_template(tmp_path):
    template = _hand_made(tmp_path / "bieu2.xlsx")
    out, workbook = tmp_path / "bo", tmp_path / "dinh-nghia.xlsx"
    code, said = cli("--json", "forms", "from-template", str(template), "-o", str(out), "--code", "02X",
                     "--province", "Khánh Hòa", "--workbook", str(workbook))
    assert code == 0
    result = json.loads(said)
    assert result["forms"] == ["02X"] and any(not n["inferred"] for n in result["notes"])
    assert workbook.exists() and (out / "set.yaml").exists()
    assert cli("forms", "check", str(out))[0] == 0


@given(st.text(max_size=80) | st.from_regex(r"=(SUM\([A-Z]{1,3}[0-9]{1,7}(:[A-Z]{1,3}[0-9]{1,7})?\)|[A-Z]{1,3}[0-9]{1,7})([+-][A-Z]{1,2}[0-9]{1,4})*",
                                            fullmatch=True))
def test_any_formula_text_is_read_or_refused_never_raises(text):
    from desktop.exchange.template import MAX_RANGE_CELLS, _terms

    found = _terms(text.lstrip("="))
    assert found is None or 0 < len(found) <= MAX_RANGE_CELLS
    assert found is None or all(sign in (1, -1) and row >= 0 and column >= 1 for sign, row, column in found)


@given(st.text(min_size=1, max_size=60))
def test_any_label_gives_an_id_the_loader_takes(label):
    from desktop.exchange.template import slug

    made = slug(label)
    assert re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", made) and len(made) <= 34

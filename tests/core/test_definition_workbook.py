"""A form set as a definition workbook and back (issue 26 §1): what a Sở Nội vụ officer edits in
Excel instead of YAML, compiled in stages with each problem at its sheet and cell."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from conftest import REPO, cli, write_set
from hypothesis import given, settings, strategies as st
from model_compare import differences, plain
from openpyxl import Workbook, load_workbook

from desktop.app.definitions import compile_workbook
from desktop.exchange.definitions import (
    COLUMN_FIELDS,
    FORMS_SHEET,
    GUIDE_SHEET,
    LISTS_SHEET,
    OTHER_SHEET,
    RULE_FIELDS,
    SET_SHEET,
    export_workbook,
    form_sheets,
)
from desktop.foundation.messages import CchcError
from desktop.registry import load_form_set

SHIPPED = sorted(p.parent.name for p in (REPO / "forms").glob("*/set.yaml"))


def _round_trip(folder, tmp_path):
    book = tmp_path / "dinh-nghia.xlsx"
    book.write_bytes(export_workbook(folder))
    out = tmp_path / "ra" / folder.name
    compile_workbook(book, out)
    return out


@pytest.mark.parametrize("name", SHIPPED)
def test_every_shipped_set_goes_out_and_comes_back_to_the_same_model(name, tmp_path):
    original = load_form_set(REPO / "forms" / name, [])
    back = load_form_set(_round_trip(REPO / "forms" / name, tmp_path), [], root=tmp_path / "ra")
    assert back is not None and back.problems == []
    assert differences(plain(original), plain(back)) == []


def test_the_workbook_is_laid_out_for_an_officer():
    book = load_workbook(io.BytesIO(export_workbook(REPO / "forms" / "khanhhoa-xa-2019")))
    columns, rows, rules = form_sheets("KQ")
    assert book.sheetnames == [SET_SHEET, LISTS_SHEET, FORMS_SHEET, columns, rows, rules, OTHER_SHEET, GUIDE_SHEET]
    header = [c.value for c in book[columns][1]]
    assert header[:6] == ["Cấp", "Mã cột", "Tên cột", "Số cột", "Loại cột", "Kiểu dữ liệu"]
    tree = [(r[0].value, r[2].value) for r in book[columns].iter_rows(min_row=2)][:9]
    # the header tree as levels: "Tổng số" (level 3) sits under "Đồng ý giải quyết" (level 2)
    assert tree == [(1, "STT"), (1, "Nội dung"), (1, "Hồ sơ giải quyết"), (2, "Tổng số"), (2, "Kỳ trước chuyển sang"),
                    (2, "Nhận trong kỳ"), (1, "Hồ sơ đã giải quyết"), (2, "Đồng ý giải quyết"), (3, "Tổng số")]
    kinds = [v for v in book[columns].data_validations.dataValidation if "E" in str(v.sqref)]
    assert kinds and "row_code" in kinds[0].formula1  # a drop-down for the closed choices
    set_sheet = {r[0].value: r[1].value for r in book[SET_SHEET].iter_rows(min_row=2)}
    assert set_sheet["Mã bộ"] == "khanhhoa-xa" and set_sheet["Phiên bản"] == 1 and set_sheet["Cấp báo cáo"] == "xa"
    other = [r[1].value for r in book[OTHER_SHEET].iter_rows(min_row=2)]
    assert "key_figures:" in other  # what the sheets do not tabulate travels as written


def test_an_officer_renames_a_column_and_adds_a_row(tmp_path):
    path = tmp_path / "dinh-nghia.xlsx"
    path.write_bytes(export_workbook(REPO / "forms" / "khanhhoa-xa-2019"))
    book = load_workbook(path)
    columns, rows, _ = form_sheets("KQ")
    for row in book[columns].iter_rows(min_row=2):
        if row[1].value == "huy":
            row[2].value = "Hồ sơ hủy, rút"
    book[rows].append([1, "cố định", None, "lien_thong", "2", "Hồ sơ liên thông"])
    book[SET_SHEET]["B6"] = 2  # Phiên bản
    book.save(path)
    form_set = compile_workbook(path, tmp_path / "khanhhoa-xa-2026")
    form = form_set.forms["KQ"]
    assert form_set.version == 2
    assert form.by_id["huy"].label == "Hồ sơ hủy, rút"
    assert [(r.id, r.code, r.label) for r in form.rows][-1] == ("lien_thong", "2", "Hồ sơ liên thông")


def _edited(tmp_path, edit, name="khanhhoa-xa-2019"):
    path = tmp_path / "dinh-nghia.xlsx"
    path.write_bytes(export_workbook(REPO / "forms" / name))
    book = load_workbook(path)
    edit(book)
    book.save(path)
    return path


def _refused(path, tmp_path) -> CchcError:
    out = tmp_path / "ra"
    with pytest.raises(CchcError) as refused:
        compile_workbook(path, out)
    assert not out.exists()  # nothing written
    return refused.value


def test_each_problem_names_its_sheet_and_cell_and_nothing_is_written(tmp_path):
    columns, rows, rules = form_sheets("KQ")

    def edit(book):
        book[columns]["D3"] = "ba"  # Số cột: not a number
        book[columns]["E4"] = "cot_so"  # Loại cột: not a choice
        book[rows].append([3, "cố định", None, "mo_coi", "1", "Dòng không có dòng cha"])
        book[rules].append(["quy tắc", "moi", "error", "khong_co_cot == 1"])

    error = _refused(_edited(tmp_path, edit), tmp_path)
    text = str(error)
    assert error.code == "DEF008"
    assert f"“{columns}”!D3" in text and "số nguyên" in text
    assert f"“{columns}”!E4" in text and "row_code" in text
    assert f"“{rows}”!A3" in text  # level 3 under a level-1 row: no level-2 row above it
    assert "“Bộ biểu mẫu”" not in text


def test_what_the_loader_finds_is_said_at_the_row_it_came_from(tmp_path):
    _, _, rules = form_sheets("KQ")

    def edit(book):
        book[rules].append(["quy tắc", "moi", "error", "khong_co_cot == 1"])

    text = str(_refused(_edited(tmp_path, edit), tmp_path))
    row = 2 + sum(1 for _ in load_workbook(io.BytesIO(export_workbook(REPO / "forms" / "khanhhoa-xa-2019")))[rules]
                  .iter_rows(min_row=2))
    assert f"trang “{rules}”, dòng {row}" in text and "khong_co_cot" in text


@pytest.mark.parametrize("formula", ["=SUM(D2:D9)", "='[khac.xlsx]Sheet1'!A1", "=WEBSERVICE(\"http://x\")"])
def test_a_formula_anywhere_refuses_the_workbook(tmp_path, formula):
    def edit(book):
        book[form_sheets("KQ")[0]]["C5"] = formula

    error = _refused(_edited(tmp_path, edit), tmp_path)
    assert error.code == "DEF005" and "C5" in str(error)


def test_a_header_of_ten_thousand_columns_is_refused(tmp_path):
    def edit(book):
        sheet = book[form_sheets("KQ")[0]]
        for column in range(1, 10_001):
            sheet.cell(row=1, column=column, value=f"Cột {column}")

    error = _refused(_edited(tmp_path, edit), tmp_path)
    assert error.code == "DEF004" and "40 cột" in str(error)


def test_a_workbook_bomb_and_a_file_not_a_workbook_are_refused(tmp_path):
    bomb = tmp_path / "bom.xlsx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"<row>" + b" " * (60 * 1024 * 1024) + b"</row>")
    assert _refused(bomb, tmp_path).code == "DEF003"
    text = tmp_path / "khong-phai.xlsx"
    text.write_text("id: x\n", encoding="utf-8")
    error = _refused(text, tmp_path)
    assert error.code == "DEF003" and "Traceback" not in str(error)


@pytest.mark.parametrize("sheet, cell", [(FORMS_SHEET, "A2"), (OTHER_SHEET, "A2")])
def test_a_file_name_outside_the_set_folder_is_refused(tmp_path, sheet, cell):
    def edit(book):
        book[sheet][cell] = "../../ngoai.yaml"

    error = _refused(_edited(tmp_path, edit), tmp_path)
    assert "../../ngoai.yaml" in str(error)
    assert not (tmp_path.parent / "ngoai.yaml").exists()


def test_an_existing_folder_is_kept_unless_forced(tmp_path):
    path = _edited(tmp_path, lambda book: None)
    out = tmp_path / "co-san"
    out.mkdir()
    (out / "ghi-chu.txt").write_text("của cán bộ", encoding="utf-8")
    with pytest.raises(CchcError) as kept:
        compile_workbook(path, out)
    assert kept.value.code == "DEF012" and (out / "ghi-chu.txt").exists()
    with pytest.raises(CchcError) as kept:  # not a set's folder: never replaced, even forced
        compile_workbook(path, out, force=True)
    assert kept.value.code == "DEF015" and (out / "ghi-chu.txt").exists()
    (out / "ghi-chu.txt").unlink()
    compile_workbook(path, out)
    (out / "ghi-chu.txt").write_text("bản cũ", encoding="utf-8")
    compile_workbook(path, out, force=True)  # a set's folder: replaced whole
    assert (out / "set.yaml").exists() and not (out / "ghi-chu.txt").exists()


def test_cli_export_and_import(tmp_path, capsys):
    book = tmp_path / "dinh-nghia.xlsx"
    code, said = cli("--json", "forms", "export-xlsx", str(REPO / "forms" / "soctrang-huyen-2019"), "-o", str(book))
    assert code == 0 and json.loads(said)["forms"] == 14
    code, said = cli("--json", "forms", "import-xlsx", str(book), "-o", str(tmp_path / "ra"))
    assert code == 0 and json.loads(said)["set"] == "soctrang-huyen"
    code, _ = cli("forms", "import-xlsx", str(tmp_path / "khong-co.xlsx"), "-o", str(tmp_path / "ra2"))
    assert code != 0 and "khong-co.xlsx" in capsys.readouterr().err


_TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc", "Cn")) | st.sampled_from("\n=#:{}[]'\"-&*!|>%@`,"),
                min_size=1, max_size=40).filter(lambda t: t.strip())


@settings(max_examples=40)
@given(column=_TEXT, row=_TEXT, code=_TEXT, message=_TEXT, note=_TEXT)
def test_any_text_an_officer_types_comes_back_as_typed(tmp_path_factory, column, row, code, message, note):
    root = tmp_path_factory.mktemp("bo")
    folder = write_set(root, {"a.yaml": ""})
    (folder / "a.yaml").write_text(
        "code: A\nprinted_code: Biểu A\ntitle: Thử\ncolumns:\n  - {id: stt, label: STT, kind: row_code}\n"
        "  - {id: nd, label: Nội dung, kind: row_label}\n"
        f"  - {{id: so, label: {json.dumps(column, ensure_ascii=False)}}}\n"
        f"rows:\n  - {{id: r1, label: {json.dumps(row, ensure_ascii=False)}, code: {json.dumps(code, ensure_ascii=False)}, note: {json.dumps(note, ensure_ascii=False)}}}\n"
        f"rules:\n  - {{id: q, check: so >= 0, message: {json.dumps(message.replace('{', '(').replace('}', ')'), ensure_ascii=False)}}}\n",
        encoding="utf-8")
    original = load_form_set(folder, [])
    assert original.problems == []
    out = tmp_path_factory.mktemp("ra")
    book = out / "b.xlsx"
    book.write_bytes(export_workbook(folder))
    compile_workbook(book, out / "bo")
    back = load_form_set(out / "bo", [], root=out)
    assert differences(plain(original), plain(back)) == []


def test_a_text_excel_cannot_hold_is_refused_at_export_by_its_cell(tmp_path):
    folder = write_set(tmp_path, {"a.yaml": """
        code: A
        printed_code: Biểu A
        title: Thử
        columns:
          - {id: stt, label: STT, kind: row_code}
          - {id: nd, label: "Nội dung\\x07", kind: row_label}
        rows:
          - {id: r1, label: Một}
        """})
    with pytest.raises(CchcError) as refused:
        export_workbook(folder)
    assert refused.value.code == "DEF014" and "C3" in str(refused.value) and "U+0007" in str(refused.value)


def test_the_sheets_headings_are_those_the_docs_list():
    docs = (REPO / "docs" / "forms.md").read_text(encoding="utf-8")
    for f in COLUMN_FIELDS + RULE_FIELDS:
        assert f"`{f.heading}`" in docs, f.heading

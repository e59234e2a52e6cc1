"""A form set as a definition workbook a province's officer edits in Excel, and back.

``export_workbook`` lays a set folder's YAML out as sheets (the set, its lists, one row per form,
and per form its columns, rows and rules, with drop-down lists for the closed choices);
``import_workbook`` compiles such a workbook back to the YAML files the app ships, in stages as
pyxform compiles an XLSForm:

- read: the workbook, refused whole when it is a bomb, holds a formula (a definition is typed
  text, and a formula may reach outside the sheet) or is larger than any definition;
- normalise: each sheet's headings found by name and each cell read by its field's type, into
  the plain data a YAML file holds, a problem naming sheet and cell;
- build: the YAML text, with each line's sheet and row kept, so that what the loader then finds
  (the "check" stage is the app's own loader, ``forms check``) is said at the cell it came from.

What the workbook does not tabulate (a criteria set, a report body's outline, the placeholders
and key figures of set.yaml) travels on the sheet "YAML khác" line by line, as written, comments
and all; so every shipped set goes out and comes back to the same model.
"""

from __future__ import annotations

import io
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.properties import PageSetupProperties

from desktop.exchange.xlsx import refuse_bombs
from desktop.foundation.messages import CchcError, msg
from desktop.foundation.values import KINDS
from desktop.schema.loader import SET_FILE
from desktop.schema.model import BLANK_MEANS, BLANK_ROWS, COLUMN_KINDS, LEVELS, ORIENTATIONS, ROW_STYLES, SCOPES, SEVERITIES
from desktop.schema.reading import Problem, read_yaml

MAX_SHEETS = 200  # a set of 15 forms has 49
MAX_ROWS = 5000  # a form's longest list of rows is a few hundred
MAX_COLUMNS = 40  # the widest sheet here has 18 headings
MAX_TEXT = 4000  # one cell (a rule's message, a title)

SET_SHEET = "Bộ biểu mẫu"
LISTS_SHEET = "Danh mục"
FORMS_SHEET = "Biểu"
OTHER_SHEET = "YAML khác"
GUIDE_SHEET = "Hướng dẫn"
SEPARATOR = "; "  # between the items of a list in one cell: choices, units, rows of a total

YES, NO = "có", "không"
ROW_KINDS = {"cố định": "fixed", "đơn vị cấp dưới": "units", "danh mục": "items", "phần lặp": "repeat"}
RULE_KINDS = {"hằng đẳng thức": "identity", "quy tắc": "rule"}


@dataclass(frozen=True)
class Field:
    """One heading of a sheet: its Vietnamese name, the YAML key, the cell's type
    (text, int, number, bool, list, or a closed choice) and what it means."""

    heading: str
    key: str
    kind: str = "text"
    choices: tuple = ()
    help: str = ""
    width: int = 14


SET_FIELDS = (
    Field("Mã bộ", "id", help="mã không dấu, không đổi qua các phiên bản, ví dụ khanhhoa-xa"),
    Field("Tên bộ", "name"),
    Field("Tỉnh", "province"),
    Field("Năm", "year", "int"),
    Field("Phiên bản", "version", "int", help="tăng 1 mỗi lần ban hành lại"),
    Field("Cấp báo cáo", "level", "choice", LEVELS + ("any",), "tinh, huyen, xa hoặc any"),
    Field("Áp dụng từ ngày", "valid_from", "text", help="ngày bắt đầu dùng phiên bản này, dạng 2026-01-01"),
    Field("Loại bộ", "kind", "choice", ("bieu_mau", "chi_so"), "để trống hoặc bieu_mau: bộ phụ lục; chi_so: bộ tiêu chí chấm điểm"),
    Field("Mô tả", "description"),
    Field("Dòng trống nghĩa là", "blank_rows", "choice", BLANK_ROWS),
    Field("Ô trống xác nhận in là", "blank_means", "choice", BLANK_MEANS),
)
LIST_FIELDS = (Field("Danh mục", "list", width=18), Field("Mã", "key", width=18), Field("Tên", "label", width=40))
FORM_FIELDS = (
    Field("Tệp", "file", width=16, help="tên tệp YAML của biểu trong thư mục bộ"),
    Field("Mã biểu", "code", width=9),
    Field("Số hiệu in", "printed_code", width=22),
    Field("Tiêu đề", "title", width=50),
    Field("Phụ đề", "subtitle", width=30),
    Field("Dòng kèm theo", "attachment_line", width=30),
    Field("Hướng giấy", "orientation", "choice", ORIENTATIONS),
    Field("Đánh số cột", "numbered", "bool"),
    Field("In quốc hiệu", "header_block", "bool"),
    Field("Tiêu đề nhóm", "group_title", width=30),
    Field("In thành phụ lục", "annex", "bool"),
    Field("In dòng số cột", "number_row", "bool"),
)
COLUMN_FIELDS = (
    Field("Cấp", "level", "int", width=6, help="1: tiêu đề trên cùng; 2: nằm dưới tiêu đề cấp 1 gần nhất phía trên…"),
    Field("Mã cột", "id", width=16),
    Field("Tên cột", "label", width=36),
    Field("Số cột", "number", "int", width=8),
    Field("Loại cột", "kind", "choice", COLUMN_KINDS, width=12),
    Field("Kiểu dữ liệu", "type", "choice", KINDS, width=12),
    Field("Bằng (hằng đẳng thức)", "equals", width=22),
    Field("Công thức tính", "expr", width=22),
    Field("Lựa chọn", "choices", "list", width=18),
    Field("Số chữ số thập phân", "decimals", "int", width=10),
    Field("Được âm", "signed", "bool", width=8),
    Field("Kết quả tính", "result", "choice", ("count", "integer", "decimal", "percent"), width=10),
    Field("Đơn vị tính", "units", "list", width=16),
    Field("Độ rộng", "width", "int", width=8),
    Field("So với kỳ trước", "history", "bool", width=10),
    Field("Giá trị nhỏ nhất", "min", "number", width=10),
    Field("Giá trị lớn nhất", "max", "number", width=10),
)
ROW_FIELDS = (
    Field("Cấp", "level", "int", width=6, help="1: dòng ngoài cùng; 2: dòng con của dòng cấp 1 gần nhất phía trên…"),
    Field("Loại dòng", "row_kind", "choice", tuple(ROW_KINDS), width=16),
    Field("Nguồn", "source", width=16, help="đơn vị cấp dưới: cấp (xa, huyen); danh mục: tên danh mục; phần lặp: mã phần"),
    Field("Mã dòng", "id", width=14),
    Field("Số thứ tự in", "code", width=8),
    Field("Nội dung", "label", width=44),
    Field("Ghi chú in", "note", width=14),
    Field("Kiểu chữ", "style", "choice", ROW_STYLES, width=9),
    Field("Tổng của", "total", "list", width=16, help="children, units, items hoặc các mã dòng cách nhau “; ”"),
    Field("Kiểu dữ liệu", "type", "choice", tuple(k for k in KINDS if k != "computed"), width=10),
    Field("Lựa chọn", "choices", "list", width=14),
    Field("Mẫu số thứ tự", "code_format", width=10),
    Field("Lấy từ bộ", "from_form_set", width=14),
    Field("Lấy từ biểu", "from_form", width=10),
    Field("Lấy từ dòng", "from_row", width=10),
    Field("Cột tương ứng", "from_columns", "list", width=18, help="cột_của_biểu_này=cột_của_biểu_cấp_dưới; …"),
)
RULE_FIELDS = (
    Field("Loại", "rule_kind", "choice", tuple(RULE_KINDS), width=16),
    Field("Mã quy tắc", "id", width=16),
    Field("Mức độ", "severity", "choice", SEVERITIES, width=9),
    Field("Biểu thức kiểm tra", "check", width=44),
    Field("Phạm vi", "scope", "choice", SCOPES, width=10),
    Field("Dòng", "rows", "list", width=14),
    Field("Cột", "columns", "list", width=14),
    Field("Thông báo", "message", width=50),
)
OTHER_FIELDS = (Field("Tệp", "file", width=18), Field("Nội dung YAML", "line", width=120))

# the set.yaml keys the sheets hold; any other travels as YAML text
_SET_KEYS = {f.key for f in SET_FIELDS} | {"lists", "forms"}
_FORM_KEYS = {f.key for f in FORM_FIELDS if f.key != "file"} | {"columns", "rows", "rules", "identities"}
_COLUMN_KEYS = {f.key for f in COLUMN_FIELDS if f.key not in ("level", "min", "max")} | {"bounds", "children"}
_ROW_KEYS = {f.key for f in ROW_FIELDS if not f.key.startswith("from_") and f.key not in ("level", "row_kind", "source")} \
    | {"from", "children"} | set(ROW_KINDS.values())
_RULE_KEYS = {"id", "severity", "check", "scope", "row", "rows", "column", "columns", "message"}


def form_sheets(code: str) -> tuple[str, str, str]:
    """The names of a form's three sheets (columns, rows, rules), from its code."""
    name = re.sub(r"[\[\]:*?/\\']", "-", code)[:22]
    return f"{name} · Cột", f"{name} · Dòng", f"{name} · Quy tắc"


# --- export -------------------------------------------------------------------


def export_workbook(directory: Path) -> bytes:
    """The definition workbook of the set in ``directory`` (its YAML as written, not as compiled,
    so that what the officer did not set stays unset)."""
    problems: list[Problem] = []
    set_data = read_yaml(directory / SET_FILE, SET_FILE, problems)
    if set_data is None or not isinstance(set_data, dict):
        raise CchcError("DEF001", file=SET_FILE, reason=problems[0].text if problems else "không phải một bảng")
    form_files = [ref for ref in set_data.get("forms") or [] if isinstance(ref, str)]
    forms = []
    for ref in form_files:
        data = read_yaml(directory / ref, ref, problems)
        if not isinstance(data, dict):
            raise CchcError("DEF001", file=ref, reason=problems[-1].text if problems else "không phải một bảng")
        forms.append((ref, data))
    return workbook_of(set_data, forms, _other_lines(directory, set_data, form_files))


def workbook_of(set_data: dict, forms: list[tuple[str, dict]], other: list | None = None) -> bytes:
    """The definition workbook of a set given as the plain data its YAML files hold: set.yaml's
    (``set_data``), each form file's by its name, and the lines of "YAML khác"."""
    book = Workbook()
    book.remove(book.active)
    fields = [(f, set_data.get(f.key)) for f in SET_FIELDS]
    _write_key_values(book.create_sheet(SET_SHEET), fields)
    lists = [[name, item.get("key"), item.get("label")] for name, items in (set_data.get("lists") or {}).items()
             for item in items]
    _write_table(book.create_sheet(LISTS_SHEET), LIST_FIELDS, lists)
    for ref, data in forms:
        _refuse_unknown(data, _FORM_KEYS, ref)
    _write_table(book.create_sheet(FORMS_SHEET), FORM_FIELDS,
                 [[ref] + [data.get(f.key) for f in FORM_FIELDS[1:]] for ref, data in forms])
    for ref, data in forms:
        code = str(data.get("code"))
        columns_sheet, rows_sheet, rules_sheet = form_sheets(code)
        _write_table(book.create_sheet(columns_sheet), COLUMN_FIELDS, list(_column_lines(data.get("columns") or [], 1, code)))
        _write_table(book.create_sheet(rows_sheet), ROW_FIELDS, list(_row_lines(data.get("rows") or [], 1, code)))
        _write_table(book.create_sheet(rules_sheet), RULE_FIELDS, _rule_lines(data))
    _write_table(book.create_sheet(OTHER_SHEET), OTHER_FIELDS, other or [])
    _write_guide(book.create_sheet(GUIDE_SHEET))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _refuse_unknown(data: dict, known: set, file: str) -> None:
    extra = [key for key in data if key not in known]
    if extra:
        raise CchcError("DEF002", file=file, field=extra[0])


def _column_lines(columns, level: int, file: str):
    for column in columns:
        if not isinstance(column, dict):
            raise CchcError("DEF001", file=file, reason="một cột không phải bảng khóa: giá trị")
        _refuse_unknown(column, _COLUMN_KEYS, file)
        bounds = column.get("bounds") or {}
        values = dict(column, level=level, min=bounds.get("min"), max=bounds.get("max"))
        yield [values.get(f.key) for f in COLUMN_FIELDS]
        yield from _column_lines(column.get("children") or [], level + 1, file)


def _row_lines(rows, level: int, file: str):
    names = {v: k for k, v in ROW_KINDS.items()}
    for row in rows:
        if not isinstance(row, dict):
            raise CchcError("DEF001", file=file, reason="một dòng không phải bảng khóa: giá trị")
        _refuse_unknown(row, _ROW_KEYS, file)
        kind = next((k for k in ("units", "items", "repeat") if k in row), "fixed")
        source = row.get("from") or {}
        values = dict(row, level=level, row_kind=names[kind], source=row.get(kind),
                      from_form_set=source.get("form_set"), from_form=source.get("form"), from_row=source.get("row"),
                      from_columns=[f"{k}={v}" for k, v in (source.get("columns") or {}).items()] or None)
        yield [values.get(f.key) for f in ROW_FIELDS]
        yield from _row_lines(row.get("children") or [], level + 1, file)


def _rule_lines(data: dict) -> list:
    lines = [["hằng đẳng thức", None, None, text] + [None] * 4 for text in data.get("identities") or []]
    for rule in data.get("rules") or []:
        _refuse_unknown(rule, _RULE_KEYS, str(data.get("code")))
        rows = [rule["row"]] if rule.get("row") is not None else rule.get("rows")
        columns = [rule["column"]] if rule.get("column") is not None else rule.get("columns")
        lines.append(["quy tắc", rule.get("id"), rule.get("severity"), rule.get("check"), rule.get("scope"),
                      rows, columns, rule.get("message")])
    return lines


def _other_lines(directory: Path, set_data: dict, form_files: list[str]) -> list:
    """set.yaml's keys the sheets do not hold, as written (with the comments above them), and every
    other YAML file of the folder, line by line."""
    lines = []
    text = (directory / SET_FILE).read_text(encoding="utf-8").splitlines()
    starts = sorted(set_data.lines.items(), key=lambda item: item[1])
    for index, (key, line) in enumerate(starts):
        if key in _SET_KEYS:
            continue
        start = line - 1
        while start > 0 and text[start - 1].startswith("#"):
            start -= 1
        end = starts[index + 1][1] - 1 if index + 1 < len(starts) else len(text)
        while end > start + 1 and text[end - 1].startswith("#"):  # the next key's comment stays with it
            end -= 1
        lines.extend([SET_FILE, line_text] for line_text in text[start:end])
    for path in sorted(directory.glob("*.yaml")):
        if path.name == SET_FILE or path.name in form_files:
            continue
        lines.extend([path.name, line_text] for line_text in path.read_text(encoding="utf-8").splitlines())
    return lines


_BOLD = Font(bold=True)
_HEAD_FILL = PatternFill("solid", fgColor="DDEBF7")
_WRAP = Alignment(wrap_text=True, vertical="top")


def _cell_value(field: Field, value):
    if value is None:
        return None
    if field.kind == "bool":
        return YES if value else NO
    if isinstance(value, list):
        return SEPARATOR.join(str(item) for item in value)
    if field.kind in ("int", "number") and isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    return str(value)


_NOT_IN_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _put(sheet, row: int, column: int, value) -> None:
    if isinstance(value, str) and _NOT_IN_XML.search(value):
        raise CchcError("DEF014", sheet=sheet.title, cell=f"{get_column_letter(column)}{row}",
                        char=f"U+{ord(_NOT_IN_XML.search(value)[0]):04X}")
    cell = sheet.cell(row=row, column=column, value=value)
    if isinstance(value, str):
        cell.data_type = "s"  # "=..." typed in a definition is text, never a live formula
        cell.number_format = "@"


def _write_table(sheet, fields: tuple, lines: list) -> None:
    for column, f in enumerate(fields, start=1):
        _put(sheet, 1, column, f.heading)
        sheet.cell(row=1, column=column).font = _BOLD
        sheet.cell(row=1, column=column).fill = _HEAD_FILL
        sheet.cell(row=1, column=column).alignment = Alignment(wrap_text=True, vertical="center")
        sheet.column_dimensions[get_column_letter(column)].width = f.width
        if f.kind in ("text", "list"):
            sheet.column_dimensions[get_column_letter(column)].number_format = "@"
    sheet.row_dimensions[1].height = 30
    for row, values in enumerate(lines, start=2):
        for column, (f, value) in enumerate(zip(fields, values), start=1):
            _put(sheet, row, column, _cell_value(f, value))
            if f.key == "label" and fields in (COLUMN_FIELDS, ROW_FIELDS):
                sheet.cell(row=row, column=column).alignment = Alignment(horizontal="left", indent=max(0, (values[0] or 1) - 1) * 2)
    sheet.freeze_panes = "A2"
    _add_choices(sheet, fields, max(len(lines) + 200, 500))
    _print_setup(sheet)


def _print_setup(sheet) -> None:
    """Printed for a meeting: landscape, one page wide, with the grid and the heading row on each page."""
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.print_options.gridLines = True
    sheet.print_title_rows = "1:1"


def _write_key_values(sheet, pairs: list) -> None:
    for column, heading in enumerate(("Trường", "Giá trị", "Giải thích"), start=1):
        _put(sheet, 1, column, heading)
        sheet.cell(row=1, column=column).font = _BOLD
        sheet.cell(row=1, column=column).fill = _HEAD_FILL
    for row, (f, value) in enumerate(pairs, start=2):
        _put(sheet, row, 1, f.heading)
        _put(sheet, row, 2, _cell_value(f, value))
        _put(sheet, row, 3, f.help or (", ".join(map(str, f.choices)) if f.choices else None))
        if f.choices:
            validation = DataValidation(type="list", formula1='"' + ",".join(map(str, f.choices)) + '"', allow_blank=True)
            sheet.add_data_validation(validation)
            validation.add(f"B{row}")
    sheet.column_dimensions["A"].width = 24
    sheet.column_dimensions["B"].width = 60
    sheet.column_dimensions["C"].width = 60
    _print_setup(sheet)


def _add_choices(sheet, fields: tuple, rows: int) -> None:
    for column, f in enumerate(fields, start=1):
        choices = YES_NO if f.kind == "bool" else f.choices
        if choices:
            letter = get_column_letter(column)
            validation = DataValidation(type="list", formula1='"' + ",".join(choices) + '"', allow_blank=True,
                                        showErrorMessage=True, errorTitle="Giá trị không hợp lệ",
                                        error="Chọn một giá trị trong danh sách: " + ", ".join(choices))
            sheet.add_data_validation(validation)
            validation.add(f"{letter}2:{letter}{rows}")


YES_NO = (YES, NO)


def _write_guide(sheet) -> None:
    lines = [
        ("Bảng định nghĩa bộ biểu mẫu (CCHC Desktop)", True),
        ("Sửa trong Excel rồi nhập lại bằng “cchc forms import-xlsx”; không dùng công thức (=…) trong bảng này.", False),
        ("“Bộ biểu mẫu”: mã, tên, tỉnh, năm, phiên bản và ngày áp dụng. “Danh mục”: các danh sách (lĩnh vực…).", False),
        ("“Biểu”: mỗi dòng một biểu. Mỗi biểu có ba trang: “… · Cột” (cây tiêu đề: cột “Cấp” cho biết tiêu đề nằm "
         "dưới tiêu đề nào), “… · Dòng” (các dòng của biểu, cũng theo “Cấp”) và “… · Quy tắc”.", False),
        ("Nhiều giá trị trong một ô (lựa chọn, đơn vị tính, các dòng của một tổng) cách nhau bằng dấu “; ”.", False),
        ("Có/không ghi “có” hoặc “không”; ô để trống là dùng mặc định.", False),
        ("“YAML khác”: phần của bộ mà bảng không kẻ thành cột (bộ tiêu chí, đề cương báo cáo, số liệu trích dẫn), "
         "giữ nguyên từng dòng.", False),
    ]
    for row, (text, bold) in enumerate(lines, start=1):
        _put(sheet, row, 1, text)
        sheet.cell(row=row, column=1).font = Font(bold=bold)
        sheet.cell(row=row, column=1).alignment = _WRAP
    sheet.column_dimensions["A"].width = 110


# --- import: read ---------------------------------------------------------------


@dataclass
class Sheet:
    name: str
    rows: list[list] = field(default_factory=list)  # the cells' values, row 1 first


def read_workbook(path: Path) -> dict[str, Sheet]:
    """Every sheet's values; the whole workbook refused on a bomb, a formula or excess size."""
    refuse_bombs(path, "DEF003")
    try:
        book = load_workbook(path, read_only=True, data_only=False, keep_links=False)
    except Exception:  # openpyxl raises many kinds on a damaged workbook; none is the officer's to read
        raise CchcError("DEF003", file=path.name, reason="nội dung hỏng hoặc sai định dạng") from None
    try:
        if len(book.sheetnames) > MAX_SHEETS:
            raise CchcError("DEF003", file=path.name, reason=f"có {len(book.sheetnames)} trang tính (tối đa {MAX_SHEETS})")
        sheets = {}
        for worksheet in book.worksheets:
            sheet = Sheet(worksheet.title)
            for number, row in enumerate(worksheet.iter_rows(), start=1):
                if number > MAX_ROWS:
                    raise CchcError("DEF004", sheet=sheet.name, reason=f"hơn {MAX_ROWS} dòng")
                values = []
                for cell in row:
                    value = getattr(cell, "value", None)
                    if value is None:
                        values.append(None)
                        continue
                    column = getattr(cell, "column", len(values) + 1)
                    if column > MAX_COLUMNS:
                        raise CchcError("DEF004", sheet=sheet.name, reason=f"ô {get_column_letter(column)}{number} "
                                        f"nằm ngoài {MAX_COLUMNS} cột của bảng định nghĩa")
                    if cell.data_type == "f" or (isinstance(value, str) and value.startswith("=") and cell.data_type != "s"):
                        raise CchcError("DEF005", cell=f"“{sheet.name}”!{get_column_letter(column)}{number}",
                                        formula=str(value)[:80])
                    if isinstance(value, str) and len(value) > MAX_TEXT:
                        raise CchcError("DEF004", sheet=sheet.name, reason=f"ô {get_column_letter(column)}{number} "
                                        f"dài {len(value)} ký tự (tối đa {MAX_TEXT})")
                    while len(values) < column - 1:
                        values.append(None)
                    values.append(value)
                while values and values[-1] is None:
                    values.pop()
                sheet.rows.append(values)
            while sheet.rows and not sheet.rows[-1]:
                sheet.rows.pop()
            sheets[sheet.name] = sheet
        return sheets
    finally:
        book.close()


# --- import: normalise ------------------------------------------------------------


@dataclass
class Origin:
    sheet: str
    row: int

    def __str__(self) -> str:
        return f"trang “{self.sheet}”, dòng {self.row}"


class _Reader:
    """Reads one sheet's cells by field, recording each problem with its cell."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems

    def fail(self, sheet: str, row: int, column: int | None, text: str) -> None:
        where = f"“{sheet}”!{get_column_letter(column)}{row}" if column else f"trang “{sheet}”, dòng {row}"
        self.problems.append(msg("DEF006", where=where, reason=text))

    def value(self, sheet: str, row: int, column: int, f: Field, raw):
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            return None
        if f.kind == "int":
            if isinstance(raw, float) and raw.is_integer():
                raw = int(raw)
            if isinstance(raw, str) and re.fullmatch(r"\s*-?\d+\s*", raw):
                raw = int(raw)
            if not isinstance(raw, int) or isinstance(raw, bool):
                return self.fail(sheet, row, column, f"“{f.heading}” phải là số nguyên, đang là “{raw}”.")
            return raw
        if f.kind == "number":
            if isinstance(raw, str):
                text = raw.strip().replace(",", ".")
                try:
                    raw = int(text) if re.fullmatch(r"-?\d+", text) else float(text)
                except ValueError:
                    return self.fail(sheet, row, column, f"“{f.heading}” phải là một số, đang là “{raw}”.")
            if isinstance(raw, float) and raw.is_integer():
                raw = int(raw)
            if not isinstance(raw, (int, float)) or isinstance(raw, bool):
                return self.fail(sheet, row, column, f"“{f.heading}” phải là một số.")
            return raw
        text = _text(raw)
        if f.kind == "bool":
            folded = text.strip().lower()
            if folded in (YES, "true", "x"):
                return True
            if folded in (NO, "false"):
                return False
            return self.fail(sheet, row, column, f"“{f.heading}” ghi “có” hoặc “không”, đang là “{text}”.")
        if f.kind == "list":
            return [item.strip() for item in text.split(";") if item.strip()]
        if f.kind == "choice":
            value = text.strip()
            if value not in f.choices:
                return self.fail(sheet, row, column, f"“{f.heading}” là “{value}”; chọn một trong: "
                                 f"{', '.join(map(str, f.choices))}.")
            return value
        return text


def _text(raw) -> str:
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    if hasattr(raw, "isoformat"):  # a date Excel made of "2026-01-01"
        return raw.isoformat()[:10]
    return str(raw)


def _table(sheets: dict[str, Sheet], name: str, fields: tuple, reader: _Reader, required: bool = True):
    """The sheet's data lines as (row number, {key: value}), its headings matched by name."""
    sheet = sheets.get(name)
    if sheet is None:
        if required:
            reader.problems.append(msg("DEF007", sheet=name))
        return []
    headings = sheet.rows[0] if sheet.rows else []
    by_heading = {f.heading: f for f in fields}
    positions = {}
    for column, heading in enumerate(headings, start=1):
        if heading is None:
            continue
        f = by_heading.get(" ".join(str(heading).split()))
        if f is None:
            reader.fail(name, 1, column, f"tiêu đề “{heading}” không phải trường của trang này; các trường: "
                        f"{', '.join(f.heading for f in fields)}.")
        elif f.key in positions.values():
            reader.fail(name, 1, column, f"tiêu đề “{heading}” có hai lần.")
        else:
            positions[column] = f.key
    lines = []
    for number, values in enumerate(sheet.rows[1:], start=2):
        if not any(v is not None and str(v).strip() for v in values):
            continue
        line = {}
        for column, raw in enumerate(values, start=1):
            key = positions.get(column)
            if key is None:
                if raw is not None and str(raw).strip() and column not in positions:
                    reader.fail(name, number, column, "ô nằm ngoài các cột có tiêu đề.")
                continue
            f = next(f for f in fields if f.key == key)
            value = reader.value(name, number, column, f, raw)
            if value is not None:
                line[key] = value
        lines.append((number, line))
    return lines


def _tree(lines, name: str, reader: _Reader):
    """Lines with a "Cấp" (level) as a tree: each line under the nearest line one level up."""
    roots: list = []
    stack: list = []  # (level, children list)
    for number, line in lines:
        level = line.pop("level", 1)
        if level < 1 or level > len(stack) + 1:
            reader.fail(name, number, 1, f"cấp {level} không nằm dưới một dòng cấp {level - 1}.")
            continue
        del stack[level - 1:]
        parent = stack[-1][1] if stack else roots
        node = (number, line, [])
        parent.append(node)
        stack.append((level, node[2]))
    return roots


@dataclass
class Built:
    """What an import compiled: each file's YAML text, and each line's origin in the workbook."""

    files: dict[str, str]
    origins: dict[str, list[Origin | None]]

    def where(self, file: str, line: int) -> Origin | None:
        found = self.origins.get(file) or []
        for index in range(min(line, len(found)) - 1, -1, -1):
            if found[index] is not None:
                return found[index]
        return None


def import_workbook(path: Path) -> Built:
    """The set's YAML files compiled from a definition workbook; every problem, with its sheet and
    cell, raised together (``CchcError`` DEF008 holding them), nothing half-built returned."""
    sheets = read_workbook(path)
    problems: list[str] = []
    reader = _Reader(problems)
    docs: dict[str, _Document] = {}  # each file's lines, in the order written

    set_sheet = sheets.get(SET_SHEET)
    set_values: dict = {}
    if set_sheet is None:
        problems.append(msg("DEF007", sheet=SET_SHEET))
    else:
        by_heading = {f.heading: f for f in SET_FIELDS}
        for number, values in enumerate(set_sheet.rows[1:], start=2):
            name = values[0] if values else None
            if name is None:
                continue
            f = by_heading.get(" ".join(str(name).split()))
            if f is None:
                reader.fail(SET_SHEET, number, 1, f"“{name}” không phải trường của bộ; các trường: "
                            f"{', '.join(f.heading for f in SET_FIELDS)}.")
                continue
            value = reader.value(SET_SHEET, number, 2, f, values[1] if len(values) > 1 else None)
            if value is not None:
                set_values[f.key] = (value, Origin(SET_SHEET, number))
    if "valid_from" in set_values and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", set_values["valid_from"][0]):
        reader.fail(SET_SHEET, set_values["valid_from"][1].row, 2, "ngày áp dụng ghi dạng năm-tháng-ngày, ví dụ 2026-01-01.")

    lists: dict[str, list] = {}
    for number, line in _table(sheets, LISTS_SHEET, LIST_FIELDS, reader):
        if not all(line.get(k) for k in ("list", "key", "label")):
            reader.fail(LISTS_SHEET, number, None, "mỗi dòng cần đủ danh mục, mã và tên.")
            continue
        lists.setdefault(line["list"], []).append((number, line))

    forms = []
    for number, line in _table(sheets, FORMS_SHEET, FORM_FIELDS, reader):
        if not line.get("file") or not line.get("code"):
            reader.fail(FORMS_SHEET, number, None, "mỗi biểu cần tên tệp và mã biểu.")
            continue
        if not re.fullmatch(r"[A-Za-z0-9_\-]+\.yaml", line["file"]) or line["file"] == SET_FILE:
            reader.fail(FORMS_SHEET, number, 1, f"tên tệp “{line['file']}” phải là chữ không dấu, số, “-”, “_” "
                        "và kết thúc bằng .yaml.")
            continue
        forms.append((number, line))
    files = [line["file"] for _, line in forms]
    for file in {f for f in files if files.count(f) > 1}:
        problems.append(msg("DEF006", where=f"trang “{FORMS_SHEET}”", reason=f"tệp “{file}” được dùng cho hai biểu."))

    other: dict[str, list] = {}
    for number, line in _table(sheets, OTHER_SHEET, OTHER_FIELDS, reader, required=False):
        file = line.get("file")
        if not file or not re.fullmatch(r"[A-Za-z0-9_\-]+\.yaml", file) or file in files:
            reader.fail(OTHER_SHEET, number, 1, f"tên tệp “{file}” không dùng được ở đây (chữ không dấu, số, “-”, "
                        "“_”, kết thúc bằng .yaml, không trùng tệp của một biểu).")
            continue
        other.setdefault(file, []).append((number, line.get("line", "")))

    # set.yaml: the set's fields, its lists, its forms, then its YAML as written
    doc = _document_of(docs, SET_FILE)
    for f in SET_FIELDS:
        if f.key in set_values:
            value, origin = set_values[f.key]
            doc.scalar(f.key, value, origin)
    if lists:
        doc.line("lists:", None)
        for name, items in lists.items():
            doc.line(f"  {_dump(name)}:", items[0][0] and Origin(LISTS_SHEET, items[0][0]))
            for number, line in items:
                doc.line("    - " + _dump({"key": line["key"], "label": line["label"]}), Origin(LISTS_SHEET, number))
    if forms or set_values.get("kind", ("bieu_mau",))[0] == "bieu_mau":
        doc.line("forms:", None)
    for number, line in forms:
        doc.line("  - " + _dump(line["file"]), Origin(FORMS_SHEET, number))
    for number, text in other.pop(SET_FILE, []):
        doc.line(text, Origin(OTHER_SHEET, number))

    for number, line in forms:
        columns_sheet, rows_sheet, rules_sheet = form_sheets(line["code"])
        doc = _document_of(docs, line["file"])
        for f in FORM_FIELDS[1:]:
            if f.key in line:
                doc.scalar(f.key, line[f.key], Origin(FORMS_SHEET, number))
        columns = _tree(_table(sheets, columns_sheet, COLUMN_FIELDS, reader), columns_sheet, reader)
        doc.line("columns:", None)
        doc.items(columns, 0, columns_sheet, _column_yaml)
        rows = _tree(_table(sheets, rows_sheet, ROW_FIELDS, reader), rows_sheet, reader)
        doc.line("rows:", None)
        doc.items(rows, 0, rows_sheet, lambda line, origin: _row_yaml(line, origin, reader))
        identities, rules = [], []
        for rule_number, rule in _table(sheets, rules_sheet, RULE_FIELDS, reader, required=False):
            if "check" not in rule:
                reader.fail(rules_sheet, rule_number, 4, "thiếu biểu thức kiểm tra.")
            elif rule.get("rule_kind") == "hằng đẳng thức":
                identities.append((rule_number, rule["check"]))
            else:
                rules.append((rule_number, rule))
        if identities:
            doc.line("identities:", None)
            for rule_number, text in identities:
                doc.line("  - " + _dump(text), Origin(rules_sheet, rule_number))
        if rules:
            doc.line("rules:", None)
            for rule_number, rule in rules:
                origin = Origin(rules_sheet, rule_number)
                first = True
                for key in ("id", "severity", "check", "scope", "rows", "columns", "message"):
                    if key not in rule:
                        continue
                    value = rule[key]
                    if key in ("rows", "columns") and len(value) == 1:
                        key, value = key[:-1], value[0]
                    doc.line(("  - " if first else "    ") + f"{key}: {_dump(value)}", origin)
                    first = False

    for file, lines in other.items():
        doc = _document_of(docs, file)
        for number, text in lines:
            doc.line(text, Origin(OTHER_SHEET, number))

    if problems:
        raise CchcError("DEF008", count=len(problems), problems="\n".join(problems))
    return Built({name: "\n".join(d.lines) + "\n" for name, d in docs.items()},
                 {name: d.origins for name, d in docs.items()})


def _column_yaml(line: dict, origin: Origin | None = None) -> dict:
    data = {key: line[key] for key in (f.key for f in COLUMN_FIELDS) if key in line and key not in ("min", "max")}
    if "min" in line or "max" in line:
        data["bounds"] = {k: line[k] for k in ("min", "max") if k in line}
    return data


def _row_yaml(line: dict, origin: Origin, reader: _Reader) -> dict:
    kind = ROW_KINDS[line.pop("row_kind", "cố định")]
    data: dict = {}
    source = line.pop("source", None)
    if kind != "fixed":
        if source is None:
            reader.fail(origin.sheet, origin.row, 3, "dòng sinh tự động cần “Nguồn”.")
        data[kind] = source
    elif source is not None:
        reader.fail(origin.sheet, origin.row, 3, "dòng cố định không có “Nguồn”.")
    for f in ROW_FIELDS:
        if f.key in line and not f.key.startswith("from_"):
            value = line[f.key]
            if f.key == "total" and len(value) == 1 and value[0] in ("children", "units", "items"):
                value = value[0]
            data[f.key] = value
    if any(key.startswith("from_") for key in line):
        source = {"form_set": line.get("from_form_set"), "form": line.get("from_form"), "row": line.get("from_row")}
        source = {k: v for k, v in source.items() if v is not None}
        if "from_columns" in line:
            pairs = {}
            for item in line["from_columns"]:
                mine, _, theirs = item.partition("=")
                if not theirs.strip():
                    reader.fail(origin.sheet, origin.row, 16, f"“{item}” cần dạng cột_biểu_này=cột_biểu_cấp_dưới.")
                pairs[mine.strip()] = theirs.strip()
            source["columns"] = pairs
        data["from"] = source
    return data


def _document_of(docs: dict, name: str) -> "_Document":
    return docs.setdefault(name, _Document())


class _Document:
    def __init__(self) -> None:
        self.lines: list[str] = []
        self.origins: list[Origin | None] = []

    def line(self, text: str, origin: Origin | None) -> None:
        self.lines.append(text)
        self.origins.append(origin)

    def scalar(self, key: str, value, origin: Origin) -> None:
        self.line(f"{key}: {_dump(value)}", origin)

    def items(self, nodes, depth: int, sheet: str, make) -> None:
        indent = "  " * (depth * 2 + 1)
        for number, line, children in nodes:
            origin = Origin(sheet, number)
            data = make(line, origin)
            if not children:
                self.line(f"{indent}- {_dump(data)}", origin)
                continue
            first = True
            for key, value in data.items():
                self.line(f"{indent}{'- ' if first else '  '}{key}: {_dump(value)}", origin)
                first = False
            if first:  # a parent with nothing but children
                self.line(f"{indent}- children:", origin)
            else:
                self.line(f"{indent}  children:", origin)
            self.items(children, depth + 1, sheet, make)


def _dump(value) -> str:
    """One YAML value on one line (flow style), quoted where YAML would read it otherwise; a text
    with a line break or a character YAML would not print as itself is written as JSON (a YAML
    flow value too) with every such character escaped, so that it stays on its one line."""
    if not _printable(value):
        return _quoted(value)
    text = yaml.safe_dump(value, default_flow_style=True, allow_unicode=True, sort_keys=False, width=10 ** 9)
    text = text.strip()
    if text.endswith("\n..."):
        text = text[: -len("\n...")]
    return text.removesuffix("...").strip()


_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\t": "\\t", "\r": "\\r"}


def _quoted(value) -> str:
    """A YAML flow value with every text double-quoted and each character YAML would not keep as
    itself escaped (``\\n``, ``\\u2028``, ``\\U0001f600`` when it is not printable)."""
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_quoted(k)}: {_quoted(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_quoted(v) for v in value) + "]"
    if not isinstance(value, str):
        return json.dumps(value)
    out = []
    for char in value:
        if char in _ESCAPES:
            out.append(_ESCAPES[char])
        elif char.isprintable() and char != "\ufeff":
            out.append(char)
        elif ord(char) > 0xFFFF:
            out.append(f"\\U{ord(char):08x}")
        else:
            out.append(f"\\u{ord(char):04x}")
    return '"' + "".join(out) + '"'


def _printable(value) -> bool:
    if isinstance(value, str):
        return value.isprintable() and value == value.strip() and "  " not in value
    if isinstance(value, dict):
        return all(_printable(k) and _printable(v) for k, v in value.items())
    if isinstance(value, list):
        return all(_printable(v) for v in value)
    return True


__all__ = ["Built", "export_workbook", "form_sheets", "import_workbook", "read_workbook", "workbook_of"]

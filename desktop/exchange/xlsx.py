"""The report as an Excel workbook in the printed layout, and back (openpyxl).

One sheet per annex, laid out as printed: annex number, title, the "(Kèm theo
Báo cáo số …)" line, merged headers with column numbers, row codes and labels,
borders, Vietnamese-looking number formats, frozen panes and an A4 print setup
with the header rows repeated on every page.  Totals, header identities and
computed columns are live formulas (see annex.py for when).

A hidden sheet ``_cchc`` says which report the workbook belongs to, so an
import can refuse a workbook of another unit, period or form set.  Import reads
the workbook back all or nothing: any sheet, header, row code or label that
differs from the exported layout is refused, naming the sheet and cell.
"""

from __future__ import annotations

import json
import hashlib
import datetime as dt
import io
from copy import copy
import math
import re
import zipfile
from decimal import Decimal, InvalidOperation
from pathlib import Path

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.utils.indexed_list import IndexedList
from openpyxl.workbook.properties import CalcProperties
from openpyxl.worksheet.properties import PageSetupProperties

from desktop import __version__
from desktop.report.data import report_data
from desktop.report.ops import CellChange, write_cells
from desktop.foundation.files import write_atomically
from desktop.exchange.annex import Annex, Cell, Const, Ref, Round, Sum, build_annexes, evaluate, formula_refs
from desktop.foundation.messages import CchcError, os_reason
from desktop.report.data import ReportData
from desktop.schema.loader import Catalog
from desktop.exchange.document import MOTTO, NATION, ReportHead, report_head
from desktop.exchange.measure import MM as MM_PT, column_widths, font_size, frame_width, wrapped_lines
from desktop.foundation.values import MARKS, CellType, Nil, Shown, from_json, parse_input, shown_count, to_storage

META_SHEET = "_cchc"
FORMAT = "cchc-xlsx"
FORMAT_VERSION = 1
BOUND_TO = "data_sha256"  # in a package's workbook: the data.json it was made from
FONT = "Times New Roman"  # NĐ 30/2020; LibreOffice shows it in the metric-compatible Liberation Serif
MAX_BYTES = 30 * 1024 * 1024
# Inflated, a province's whole consolidated workbook is a few MB; openpyxl takes some 50 times an
# XML's size in memory (a sheet of 1.048.576 rows once took 4,1 GB, a shared-strings bomb 1,1 GB).
MAX_INFLATED = 24 * 1024 * 1024
MAX_SHEET_XML = 8 * 1024 * 1024  # a form of 150 communes by 30 columns is some 300 KB
MAX_RATIO = 100
MM = 1 / 25.4  # openpyxl margins are in inches
# A column of width w (openpyxl's unit: the default font's digit, Calibri 11, 7 px) is 7w + 5 px
# wide; a point is 4/3 px. The columns take the PDF's widths, in a little less than the page's
# width, so that a spreadsheet prints each sheet at 100 %, at the PDF's sizes, not shrunk to fit.
PX_PER_PT, DIGIT_PX, COLUMN_PAD_PX, FILL = 4 / 3, 7, 5, 0.97
CELL_PAD_PT, LEADING = 4.0, 1.36  # a cell's text inside its borders; a line's height over its size
TITLE_SIZES = {"group": 13, "code": 12, "title": 13, "subtitle": 13, "attachment": 12}  # points, above each table


class StyleCache:
    """Styles set once per combination. openpyxl looks each style object up anew (hashing it field by
    field) whenever one is set on a cell: for the largest demo report's 9.393 settings that was about
    half of its workbook's time. A cell given a combination seen before takes a copy of the first
    cell's style indices (openpyxl's ``StyleArray``, which index the workbook's own style lists, so
    one cache serves one workbook)."""

    def __init__(self) -> None:
        self._arrays: dict = {}

    def apply(self, cell, key, make) -> None:
        """``make()``: the attributes (font, border, alignment, number_format) of combination ``key``."""
        found = self._arrays.get(key)
        if found is not None:
            cell._style = copy(found)
            return
        for name, value in make().items():
            setattr(cell, name, value)
        self._arrays[key] = copy(cell._style)


class SheetPlan:
    """Where each part of one annex sits in its sheet (1-based rows and columns)."""

    def __init__(self, annex: Annex) -> None:
        self.annex = annex
        self.width = len(annex.columns)
        row = 1
        # the official header above the annex, as the PDF prints it (seed 000's Phụ lục 4 and VI):
        # the issuing body over two rows beside the Quốc hiệu and the tiêu ngữ, then a blank row
        self.head_top = row if annex.form.header_block else None
        if annex.form.header_block:
            row += 3
        self.title_rows: list[tuple[int, str, str]] = []  # (row, text, style)
        for text, style in ((annex.group_title, "group"), (annex.printed_code, "code"), (annex.title, "title"),
                            (annex.subtitle, "subtitle"), (annex.attachment_line, "attachment")):
            if text:
                self.title_rows.append((row, text, style))
                row += 1
        self.header_top = row + 1  # a blank row between the title block and the table
        self.number_row = self.header_top + annex.header_rows if annex.number_row else None
        self.body_top = self.header_top + annex.header_rows + (1 if annex.number_row else 0)
        self.row_of = {body.row.id: self.body_top + i for i, body in enumerate(annex.rows)}
        self.col_of = {column.id: i + 1 for i, column in enumerate(annex.columns) if column.id}
        self.last_row = self.body_top + len(annex.rows) - 1
        self.note_row = self.last_row + 2  # the note under the table, after a blank row

    def address(self, row_id: str, column_id: str) -> str:
        return f"{get_column_letter(self.col_of[column_id])}{self.row_of[row_id]}"


def _quoted(sheet: str) -> str:
    return "'" + sheet.replace("'", "''") + "'"


def formula_text(node, plans: dict[str, SheetPlan], here: str) -> str:
    """Excel's spelling of a formula tree, ranges joined where rows are contiguous."""
    def ref(r: Ref) -> str:
        plan = plans[r.form]
        address = plan.address(r.row, r.column)
        return address if r.form == here else f"{_quoted(plan.annex.sheet_name)}!{address}"

    def text(n, outer: str | None = None) -> str:
        if isinstance(n, Const):
            return format(n.value, "f")
        if isinstance(n, Ref):
            return ref(n)
        if isinstance(n, Sum):
            return f"SUM({','.join(_ranges(n.refs, plans, here, ref))})"
        if isinstance(n, Round):
            return f"ROUND({text(n.operand)},{n.places})"
        inner = f"{text(n.left, n.op)}{n.op}{text(n.right, n.op + 'r')}"
        # "a-(b+c)", "(a+b)*c": brackets only where Excel would read it otherwise
        needs = outer is not None and (outer in ("*", "/", "*r", "/r") and n.op in ("+", "-")
                                       or outer in ("-r", "/r"))
        return f"({inner})" if needs else inner

    return "=" + text(node)


def _ranges(refs, plans, here, ref) -> list[str]:
    parts: list[str] = []
    run: list[Ref] = []

    def flush() -> None:
        if not run:
            return
        if len(run) == 1:
            parts.append(ref(run[0]))
        else:
            last = plans[run[-1].form].address(run[-1].row, run[-1].column)
            parts.append(f"{ref(run[0])}:{last}")
        run.clear()

    for r in refs:
        if run and (r.form != run[-1].form or r.column != run[-1].column
                    or plans[r.form].row_of[r.row] != plans[r.form].row_of[run[-1].row] + 1):
            flush()
        run.append(r)
    flush()
    return parts


def number_format(ctype: CellType) -> str:
    kind = ctype.value_kind

    def fixed(whole: str, places: int) -> str:
        return whole + ("." + "0" * places if places else "")

    if kind in ("count", "integer"):
        return "#,##0"
    if kind == "decimal":  # with no fixed places, "General" shows 93,66 and 5 alike
        return "General" if ctype.decimals is None else fixed("#,##0", ctype.decimals)
    if kind == "percent":  # as the paper prints it: 40% and 95,4% as typed, not 40,00%
        return ('General' if ctype.decimals is None else fixed("0", ctype.decimals)) + '"%"'
    if kind == "date":
        return "dd/mm/yyyy"
    return "@"


def _excel_value(cell: Cell):
    value = cell.value
    if value is None:
        return None
    kind = cell.ctype.value_kind
    if kind in ("decimal", "percent"):
        return float(value)  # a double holds every figure of a report (<= 15 digits)
    if kind == "bool":
        return cell.text
    if isinstance(value, Shown):
        return int(value)  # a number for the formulas; its zeros and unit are its format (shown_format)
    return value


_SHOWN_FORMAT = re.compile(r'^(0+|#,##0)(?: "([^"]{1,40})")?$')


def shown_format(value: Shown) -> str:
    """The number format that shows a count as it was typed: "08" as 00, "23 nhiệm vụ" as
    0 "nhiệm vụ", so that the cell stays a number the workbook's formulas add."""
    digits, _, unit = value.text.partition(" ")
    zeros = "0" * len(digits) if len(digits) > 1 and digits.startswith("0") else "#,##0"
    return zeros + (f' "{unit}"' if unit else "")


def shown_read(value, number_format: str, ctype: CellType):
    """A count read back with the format ``shown_format`` gave it; any other format, the number."""
    match = _SHOWN_FORMAT.match(number_format or "")
    if match is None or isinstance(value, bool) or not isinstance(value, int) or value < 0:
        return value
    zeros, unit = match.groups()
    digits = str(value).zfill(len(zeros)) if zeros != "#,##0" else str(value)
    if unit is None and digits == str(value):
        return value
    shown = shown_count(f"{digits} {unit}" if unit else digits, ctype)
    return value if shown is None else shown  # never "or": Shown(0, "00") is falsy


def _meta(data: ReportData) -> list[tuple[str, object]]:
    report = data.report
    return [
        ("format", FORMAT), ("format_version", FORMAT_VERSION), ("app_version", __version__),
        ("unit_code", data.unit.code), ("unit_name", data.unit.name),
        ("period_type", report.period_type), ("year", report.year),
        ("period_number", report.period_number), ("year_from", report.year_from),
        ("form_set_id", report.form_set_id), ("form_set_version", report.form_set_version),
        ("made_from", cells_digest(data.raw)),  # the figures as they were when the workbook was made
    ]


def write_xlsx(store, catalog: Catalog, report_id: int, path: Path) -> Path:
    book = build_workbook(report_data(store, catalog, report_id))
    return write_atomically(path, book.save)


def render_xlsx(data: ReportData, bound_to: str | None = None, only: list[Annex] | None = None) -> bytes:
    """The workbook as bytes (for a signed package). ``bound_to``: the SHA-256 of the package's
    data.json, written into the hidden sheet so that the workbook says which data it shows.
    ``only``: these annexes, built already (a blank form's)."""
    out = io.BytesIO()
    build_workbook(data, bound_to, only).save(out)
    return out.getvalue()


def build_workbook(data: ReportData, bound_to: str | None = None, only: list[Annex] | None = None) -> Workbook:
    annexes = only if only is not None else build_annexes(data)
    plans = {annex.form.code: SheetPlan(annex) for annex in annexes}
    head = report_head(data) if any(annex.form.header_block for annex in annexes) else None
    book = Workbook()
    book.remove(book.active)
    _default_font(book)
    own_formulas: set[tuple[str, str]] = set()
    styles = StyleCache()
    for annex in annexes:
        own_formulas |= _write_sheet(book.create_sheet(annex.sheet_name), plans[annex.form.code], plans, styles, head)
    meta = book.create_sheet(META_SHEET)
    for key, value in _meta(data):
        meta.append([key, value])
    if bound_to:
        meta.append([BOUND_TO, bound_to])
    meta.append(["sheets", None])
    for annex in annexes:
        meta.append([annex.form.code, annex.sheet_name])
    meta.sheet_state = "hidden"
    _text_stays_text(book, own_formulas)
    book.calculation = CalcProperties(fullCalcOnLoad=True)
    book.properties.title = data.report.subject or "Báo cáo CCHC"
    book.properties.creator = f"CCHC Desktop {__version__}"
    return book


def _default_font(book: Workbook) -> None:
    """The workbook's default font is the report's (Times New Roman, 11 pt), not Calibri: a column's
    width is counted in the default font's digits, and a machine without Calibri or a metric twin
    of it (LibreOffice on Linux has Liberation Serif, not Carlito) widens every column otherwise,
    and then shrinks the page to fit."""
    normal = Font(name=FONT, size=11)
    book._fonts = IndexedList([normal] + list(book._fonts)[1:])
    book._named_styles["Normal"].font = normal


def _text_stays_text(book: Workbook, own_formulas: set[tuple[str, str]]) -> None:
    """Every text the workbook carries (a clerk's note, a unit name, a title) is written as text:
    openpyxl takes any string beginning with "=" for a formula, and a hostile "=HYPERLINK(…)",
    "=WEBSERVICE(…)" or DDE call must never become a live one. Only our own formulas stay."""
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f" and (sheet.title, cell.coordinate) not in own_formulas:
                    cell.data_type = "s"


def _write_sheet(sheet, plan: SheetPlan, plans: dict[str, SheetPlan], styles: StyleCache,
                 head: ReportHead | None = None) -> set[tuple[str, str]]:
    """The annex as printed on ``sheet``; returns the cells (sheet, coordinate) given our formulas."""
    annex = plan.annex
    width = plan.width
    thin = Side(style="thin", color="000000")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    centre = Alignment(horizontal="center", vertical="center", wrap_text=True)
    title_fonts = {style: Font(name=FONT, size=size, bold=style != "attachment", italic=style == "attachment")
                   for style, size in TITLE_SIZES.items()}
    for row, text, style in plan.title_rows:  # their heights once the columns' widths are known
        cell = sheet.cell(row=row, column=1, value=text)
        cell.font, cell.alignment = title_fonts[style], centre
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
    size = font_size(annex)  # the PDF's size for this annex
    points = column_widths(annex, frame_width(annex.orientation), size)
    if plan.head_top is not None and head is not None:
        _write_head(sheet, plan, head, points)

    header_font = Font(name=FONT, size=size, bold=True)
    for header in annex.header:
        top, left = plan.header_top + header.row, header.col + 1
        cell = sheet.cell(row=top, column=left, value=header.text)
        styles.apply(cell, ("header", size), lambda: {"font": header_font, "alignment": centre, "border": box})
        for r in range(top, top + header.rowspan):
            for c in range(left, left + header.colspan):
                if (r, c) != (top, left):
                    styles.apply(sheet.cell(row=r, column=c), "header-span", lambda: {"border": box})
        if header.rowspan > 1 or header.colspan > 1:
            sheet.merge_cells(start_row=top, start_column=left, end_row=top + header.rowspan - 1,
                              end_column=left + header.colspan - 1)
    if annex.number_row:
        number_font = Font(name=FONT, size=size, italic=True)  # as the PDF prints them
        for i, text in enumerate(annex.number_row, 1):
            cell = sheet.cell(row=plan.number_row, column=i, value=text or None)
            styles.apply(cell, ("number", size), lambda: {"font": number_font, "alignment": centre, "border": box})

    fonts = {style: Font(name=FONT, size=size, bold=style in ("group", "total", "bold"),
                         italic=style == "italic") for style in ("normal", "bold", "italic", "group", "total")}
    own: set[tuple[str, str]] = set()
    for body in annex.rows:
        row = plan.row_of[body.row.id]
        for i, item in enumerate(body.cells, 1):
            cell = sheet.cell(row=row, column=i)
            kind = item.column.kind
            if item.formula is not None:
                cell.value = formula_text(item.formula, plans, annex.form.code)
                own.add((sheet.title, cell.coordinate))
            elif body.row.printed(item.column) is None:
                cell.value = _excel_value(item)
            else:
                cell.value = item.text or None
            # what the style depends on, and nothing else (a test builds every demo workbook uncached)
            key = (size, body.style if body.style in fonts else "normal", kind, item.ctype.value_kind, item.ctype.numeric,
                   number_format(item.ctype), body.row.depth if kind == "row_label" else 0,
                   item.value.mark if isinstance(item.value, Nil) else None,
                   item.value.text if isinstance(item.value, Shown) else None)
            styles.apply(cell, key, lambda: _body_style(body, item, fonts.get(body.style, fonts["normal"]), box))
            if annex.blank and item.formula is not None and item.ctype.numeric:
                # a blank form's total shows nothing until something is typed: a printed 0 reads as a figure
                fmt = cell.number_format if ";" not in cell.number_format else "#,##0"
                cell.number_format = f"{fmt};-{fmt};"


    widths = [(p * FILL * PX_PER_PT - COLUMN_PAD_PX) / DIGIT_PX for p in points]
    for i, width_chars in enumerate(widths, 1):
        sheet.column_dimensions[get_column_letter(i)].width = width_chars
    _fit_heights(sheet, plan, points, size)
    if annex.footnote:  # the clerk's note, a row below the table, across it (not read back: typed in the app)
        row = plan.note_row
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=plan.width)
        note = sheet.cell(row=row, column=1, value=annex.footnote)
        note.font = Font(name=FONT, size=12)
        note.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.row_dimensions[row].height = 12 * LEADING * wrapped_lines(annex.footnote, sum(points) * FILL - CELL_PAD_PT, 12)

    first_data = next((i for i, c in enumerate(annex.columns, 1) if c.kind == "data"), 1)
    sheet.freeze_panes = f"{get_column_letter(first_data)}{plan.body_top}"
    setup = sheet.page_setup
    setup.paperSize = sheet.PAPERSIZE_A4
    setup.orientation = annex.orientation
    setup.fitToWidth, setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    margins = sheet.page_margins
    margins.left, margins.right = 30 * MM, 15 * MM
    margins.top, margins.bottom = 20 * MM, 20 * MM
    sheet.print_title_rows = f"{plan.header_top}:{plan.body_top - 1}"
    sheet.print_options.horizontalCentered = True
    # As the PDF and Nghị định 30/2020: each annex numbered on its own, from its page 2, centred at the top
    setup.firstPageNumber, setup.useFirstPageNumber = 1, True
    sheet.HeaderFooter.differentFirst = True
    number = sheet.oddHeader.center
    number.text, number.font, number.size = "&P", FONT, 12
    return own


def _write_head(sheet, plan: SheetPlan, head: ReportHead, points: list[float]) -> None:
    """The issuing body (its lines in one cell over two rows) on the left, the Quốc hiệu over the
    tiêu ngữ on the right, split where the PDF splits them: the left block 40 % of a portrait
    page's width (68 mm), the right one the rest. The tiêu ngữ is underlined, as long as itself."""
    top, width = plan.head_top, plan.width
    split, used = 1, 0.0
    while split < width - 1 and used + points[split - 1] <= 68 * MM_PT:
        used += points[split - 1]
        split += 1
    split = max(split - 1, 1)
    centre = Alignment(horizontal="center", vertical="top", wrap_text=True)
    issuer = sheet.cell(row=top, column=1, value="\n".join(head.issuer_lines))
    issuer.font, issuer.alignment = Font(name=FONT, size=12, bold=True), centre
    sheet.merge_cells(start_row=top, start_column=1, end_row=top + 1, end_column=split)
    for row, text, font in ((top, NATION, Font(name=FONT, size=12, bold=True)),
                            (top + 1, MOTTO, Font(name=FONT, size=13, bold=True, underline="single"))):
        cell = sheet.cell(row=row, column=split + 1, value=text)
        cell.font, cell.alignment = font, centre
        sheet.merge_cells(start_row=row, start_column=split + 1, end_row=row, end_column=width)
    lines = max(2, len(head.issuer_lines))
    sheet.row_dimensions[top].height = sheet.row_dimensions[top + 1].height = 12 * LEADING * lines / 2


def _body_style(body, item, font: Font, box: Border) -> dict:
    """A body cell's style: font and border, then alignment and number format by the column's
    kind (code, note, label or text, figure)."""
    kind = item.column.kind
    said = {"font": font, "border": box}
    if kind == "row_code":
        said.update(alignment=Alignment(horizontal="center", vertical="center"), number_format="@")
    elif kind == "row_note":
        said.update(alignment=Alignment(horizontal="center", vertical="center", wrap_text=True), number_format="@")
    elif kind == "row_label" or item.ctype.value_kind in ("text", "choice"):
        said.update(alignment=Alignment(vertical="center", wrap_text=True,
                                        indent=body.row.depth if kind == "row_label" else 0), number_format="@")
    else:
        numeric = item.ctype.numeric
        # a figure one character clear of the right border, as the PDF prints it
        said["alignment"] = Alignment(horizontal="right" if numeric else "center", vertical="center",
                                      indent=1 if numeric else 0)
        figure_format = number_format(item.ctype)
        # a typed dash: 0 for the formulas, "-" as printed
        said["number_format"] = f'{figure_format};-{figure_format};"{item.value.mark}"' if isinstance(item.value, Nil) \
            else shown_format(item.value) if isinstance(item.value, Shown) else figure_format
    return said


def _fit_heights(sheet, plan: SheetPlan, points: list[float], size: float) -> None:
    """Row heights for the lines each row's texts wrap to, in the columns' printed widths:
    spreadsheets do not grow rows that a program wrote, so the export sizes them."""
    annex = plan.annex
    inside = [p * FILL - CELL_PAD_PT for p in points]  # a cell's text width, inside its padding
    for row, text, style in plan.title_rows:  # 12–13 pt across the whole table
        title = TITLE_SIZES[style]
        lines = wrapped_lines(text, sum(inside), title, bold=style != "attachment", italic=style == "attachment")
        sheet.row_dimensions[row].height = title * LEADING * lines
    needed: dict[int, int] = {}
    for header in annex.header:  # a tall header cell spreads its lines over the rows it spans
        span = sum(points[header.col: header.col + header.colspan]) * FILL - CELL_PAD_PT
        lines = math.ceil(wrapped_lines(header.text, span, size, bold=True) / header.rowspan)
        row = plan.header_top + header.row
        for r in range(row, row + header.rowspan):
            needed[r] = max(needed.get(r, 1), lines)
    for body in annex.rows:
        bold = body.style in ("group", "total", "bold")
        needed[plan.row_of[body.row.id]] = max(wrapped_lines(str(cell.text), inside[i], size, bold=bold)
                                               for i, cell in enumerate(body.cells))
    for row, lines in needed.items():
        if lines > 1:
            sheet.row_dimensions[row].height = size * LEADING * lines


# --- import --------------------------------------------------------------------


def _cell_text(value) -> str:
    """A label or header cell as text, whatever type a spreadsheet gave it."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return " ".join(str(value).split())


def refuse_bombs(path: Path, code: str) -> None:
    """Refuses, with message ``code`` ({file}, {reason}), a file too large, not a zip, or whose
    members would inflate beyond what any workbook of ours holds: read from the zip's directory,
    before openpyxl inflates anything."""
    try:
        if path.stat().st_size > MAX_BYTES:
            raise CchcError(code, file=path.name, reason="tệp quá lớn")
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
    except CchcError:
        raise
    except OSError as error:
        raise CchcError(code, file=path.name, reason=os_reason(error)) from None
    except zipfile.BadZipFile:
        raise CchcError(code, file=path.name, reason="không phải định dạng .xlsx") from None
    if sum(info.file_size for info in infos) > MAX_INFLATED or any(
            info.file_size > MAX_SHEET_XML for info in infos if info.filename.startswith("xl/worksheets/")):
        raise CchcError(code, file=path.name, reason="nội dung giải nén quá lớn")
    if any(info.file_size > 1024 * 1024 and info.file_size > MAX_RATIO * max(info.compress_size, 1) for info in infos):
        raise CchcError(code, file=path.name, reason="tỷ lệ nén bất thường (có thể là bom nén)")


def _open(path: Path):
    """The workbook with its formulas (the values a spreadsheet cached for them are not trusted)."""
    refuse_bombs(path, "XLSX001")
    try:
        return load_workbook(path)
    except OSError as error:
        raise CchcError("XLSX001", file=path.name, reason=os_reason(error)) from None
    except Exception:  # openpyxl raises many kinds on a damaged workbook; none is the clerk's to read
        raise CchcError("XLSX001", file=path.name, reason="nội dung hỏng hoặc sai định dạng") from None


def _number(value: float) -> Decimal:
    """A spreadsheet double back to the decimal the clerk sees (0.1+0.2 is 0,3)."""
    number = Decimal(repr(value))
    rounded = round(number, 6)
    return rounded.normalize() if abs(number - rounded) < Decimal("1e-9") else number


def read_value(raw, ctype: CellType, where: str):
    """A spreadsheet cell as a value of ``ctype``; CchcError naming ``where``."""
    try:
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            return None
        kind = ctype.value_kind
        if isinstance(raw, bool):
            if kind == "bool":
                return raw
            raise CchcError("NUM001", text=str(raw))
        if isinstance(raw, (int, float)):
            if kind == "bool":
                return parse_input(str(int(raw)) if float(raw).is_integer() else str(raw), ctype)
            if kind in ("text", "choice"):
                return parse_input(_cell_text(raw), ctype)
            number = _number(float(raw))
            if number == number.to_integral_value():
                number = number.quantize(Decimal(1))
            return from_json(int(number) if kind in ("count", "integer") and number == int(number) else number,
                             ctype)
        if isinstance(raw, dt.datetime | dt.date):
            if kind != "date":
                raise CchcError("NUM001", text=str(raw)[:40])
            return raw.date() if isinstance(raw, dt.datetime) else raw
        return parse_input(str(raw), ctype)
    except CchcError as error:
        raise CchcError("XLSX006", where=where, reason=str(error)) from None
    except (InvalidOperation, ValueError, OverflowError):
        raise CchcError("XLSX006", where=where, reason=f"giá trị “{str(raw)[:40]}” không đọc được") from None


def cells_digest(cells: dict) -> str:
    """A fingerprint of a report's stored figures (form -> row -> column -> text)."""
    return hashlib.sha256(json.dumps(cells, sort_keys=True, ensure_ascii=False).encode("utf-8")).hexdigest()[:32]


def _check_meta(book, data: ReportData, path: Path) -> str | None:
    """The workbook is this report's, in our format; returns when the report was as exported."""
    if META_SHEET not in book.sheetnames:
        raise CchcError("XLSX002", file=path.name)
    sheet = book[META_SHEET]
    found = {}
    for row in sheet.iter_rows(min_row=1, max_row=40, max_col=2):
        key = row[0].value
        if isinstance(key, str):
            found[key] = (row[1].value, f"{META_SHEET}!B{row[0].row}")
    if found.get("format", (None,))[0] != FORMAT:
        raise CchcError("XLSX002", file=path.name)
    if found.get("format_version", (None,))[0] != FORMAT_VERSION:
        raise CchcError("XLSX003", file=path.name, field="format_version",
                        cell=found.get("format_version", (None, META_SHEET))[1],
                        expected=FORMAT_VERSION, found=found.get("format_version", (None,))[0])
    for key, expected in _meta(data):
        if key in ("format", "format_version", "app_version", "unit_name", "made_from"):
            continue
        value, cell = found.get(key, (None, META_SHEET))
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if value != expected and not (value in (None, "") and expected is None):
            raise CchcError("XLSX003", file=path.name, field=key, cell=cell, expected=expected, found=value)
    made_from = found.get("made_from", (None,))[0]
    # Without the fingerprint of the figures it was made from, a workbook could overwrite what
    # was typed since (blanking the hidden cell bypassed the stale-workbook check): refused.
    if not isinstance(made_from, str) or not re.fullmatch(r"[0-9a-f]{32}", made_from):
        raise CchcError("XLSX011", file=path.name, cell=found.get("made_from", (None, f"{META_SHEET}"))[1])
    return made_from


def import_xlsx(store, catalog: Catalog, report_id: int, path: Path) -> list[CellChange]:
    """Read a workbook in the exported layout into the report; returns the cells that changed.
    Everything is checked before anything is written, in one transaction."""
    data = report_data(store, catalog, report_id)
    formulas = _open(path)
    made_from = _check_meta(formulas, data, path)
    annexes = build_annexes(data)
    plans = {annex.form.code: SheetPlan(annex) for annex in annexes}
    for annex in annexes:
        if annex.sheet_name not in formulas.sheetnames:
            raise CchcError("XLSX005", file=path.name, sheet=annex.sheet_name)
        _check_layout(formulas[annex.sheet_name], plans[annex.form.code])

    values: dict[Ref, object] = {}
    types: dict[Ref, CellType] = {}
    pending: dict[Ref, object] = {}  # our own formulas that no spreadsheet has calculated yet
    formats: dict[Ref, str] = {}  # their number formats, which may show a count as typed ("03")
    for annex in annexes:
        plan = plans[annex.form.code]
        sheet = formulas[annex.sheet_name]
        for body in annex.rows:
            row = plan.row_of[body.row.id]
            for i, item in enumerate(body.cells, 1):
                if not item.editable:  # codes, printed labels, computed columns
                    continue
                ref = Ref(annex.form.code, body.row.id, item.column.id)
                types[ref] = item.ctype
                where = f"{annex.sheet_name}!{get_column_letter(i)}{row}"
                found = sheet.cell(row=row, column=i)
                raw = found.value
                if found.data_type == "f":
                    # Only the form's own formulas are taken, and computed here from the cells they
                    # name: a cached result can say anything ("=1+1" cached as 5000), and a foreign
                    # formula (an external reference, WEBSERVICE) cannot be computed offline.
                    candidates = {formula_text(f, plans, annex.form.code)
                                  for f in (item.formula, item.implied) if f is not None}
                    if raw not in candidates:
                        raise CchcError("XLSX009", where=where, formula=str(raw)[:60])
                    pending[ref] = (item.formula or item.implied, item.ctype, where)
                    formats[ref] = found.number_format
                    continue
                value = read_value(raw, item.ctype, where)
                mark = next((m for m in MARKS if found.number_format.endswith(f';"{m}"')), None)
                if value == 0 and mark is not None:
                    value = MARKS[mark]  # the dash or the slash this app wrote for a typed "-" or "/"
                elif item.ctype.value_kind in ("count", "integer"):
                    value = shown_read(value, found.number_format, item.ctype)  # "08", "23 nhiệm vụ"
                values[ref] = value
    _settle(pending, values)
    for ref, shown in formats.items():  # a typed total written as its formula keeps its zeros too ("03")
        if types[ref].value_kind in ("count", "integer") and values.get(ref) is not None:
            values[ref] = shown_read(values[ref], shown, types[ref])
    for ref in [ref for ref in values if _still_computed(data, ref, values[ref])]:
        del values[ref]  # a total the report computes, come back as computed: not typed by anyone

    writes = [(ref.form, ref.row, ref.column, to_storage(value, types[ref])) for ref, value in values.items()]
    if not any(data.raw.get(f, {}).get(r, {}).get(c) != v for f, r, c, v in writes):
        return []
    store.backups.make("truoc-nhap-excel")
    # Read, compare and write in one transaction, on the report as the workbook knew it: a change
    # made since (typing, another import at the same moment) is never overwritten by older figures.
    with store.transaction():
        stored = store.cells.get(report_id)
        if cells_digest(stored) != made_from:
            raise CchcError("XLSX010", file=path.name)
        changed = [w for w in writes if stored.get(w[0], {}).get(w[1], {}).get(w[2]) != w[3]]
        return write_cells(store, report_id, changed, action="import-xlsx")


def _still_computed(data, ref: Ref, value) -> bool:
    scope = data.scope(ref.form)
    column = scope.form.by_id.get(ref.column)
    return column is not None and scope.is_derived(ref.row, column) and scope.derived(ref.row, column) == value


def _settle(pending: dict, values: dict) -> None:
    """The form's own formulas take the value they give from the cells they name, parts first,
    whatever a spreadsheet cached for them."""
    while pending:
        ready = [ref for ref, (formula, _, _) in pending.items()
                 if not any(dep in pending for dep in formula_refs(formula))]
        if not ready:  # only a cycle is left; its cells stay empty
            for ref in pending:
                values[ref] = None
            return
        for ref in ready:
            formula, ctype, where = pending.pop(ref)
            result = evaluate(formula, values.get)
            values[ref] = read_value(float(result) if isinstance(result, Decimal) else None, ctype, where)


def _check_layout(sheet, plan: SheetPlan) -> None:
    annex = plan.annex

    def expect(row: int, column: int, text: str) -> None:
        found = _cell_text(sheet.cell(row=row, column=column).value)
        if found != " ".join(text.split()):
            raise CchcError("XLSX004", sheet=annex.sheet_name, cell=f"{get_column_letter(column)}{row}",
                            expected=text or "(trống)", found=found or "(trống)")

    for row, text, _ in plan.title_rows:
        expect(row, 1, text)
    for header in annex.header:
        expect(plan.header_top + header.row, header.col + 1, header.text)
    if annex.number_row:
        for i, text in enumerate(annex.number_row, 1):
            expect(plan.number_row, i, text)
    for body in annex.rows:
        row = plan.row_of[body.row.id]
        for i, item in enumerate(body.cells, 1):
            if body.row.printed(item.column) is not None:
                expect(row, i, item.text)
    # nothing added below the table or to its right
    for row in sheet.iter_rows(min_row=plan.header_top, max_row=max(sheet.max_row, plan.last_row + 1)):
        for cell in row:
            outside = cell.row > plan.last_row or cell.column > plan.width
            if (cell.row, cell.column) == (plan.note_row, 1) and plan.annex.footnote:
                continue  # the note this app wrote: its text is edited in the app, not read from here
            if outside and cell.value not in (None, ""):
                raise CchcError("XLSX004", sheet=annex.sheet_name, cell=cell.coordinate, expected="(trống)",
                                found=_cell_text(cell.value)[:40])

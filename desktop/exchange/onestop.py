"""The one-stop system's statistics into a form (issue 25 §2): figures already counted, not retyped.

One-stop systems (phần mềm một cửa, hệ thống thông tin giải quyết TTHC) export their statistics
as an HTML table saved as ``.xls``, as xlsx, as old xls (BIFF) or as CSV, with title rows above
the table, merged headers and their own words ("Tiếp nhận / Qua mạng", "Đã xử lý / Trước hạn").
Compiled in stages, as a form file is:

- **read** (``read_source``): the file, bounded by size, rows, columns and text, into a grid of
  texts with merged cells spread over the cells they cover;
- **find** (``find_table``): the header block, each column's header path and the body rows;
- **map** (``plan_import``): source columns to the form's columns by their words (diacritics,
  case and spacing aside, with synonyms; a form column as the sum of source columns where its
  words list several, or as a group's total less its other parts), source rows to the form's
  rows by name or code; what the clerk corrected for this layout before applies again;
- **preview**: every cell that would change, old and new, and what was left out and why;
- **write** (``apply_import``): through ``report.ops``, in one transaction, audited.

The totals the report computes are not imported: they follow from the imported parts, and a
source total that disagrees with its parts is said in the notes.
"""

from __future__ import annotations

import csv
import difflib
import hashlib
import html.parser
import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from desktop.foundation.messages import CchcError, os_reason
from desktop.report.data import ReportData
from desktop.report.ops import typed_text, write_cells
from desktop.schema.model import Form

MAX_BYTES = 20 * 1024 * 1024  # a quarter's statistics are kilobytes; a province's 168 rows, a few hundred
MAX_UNPACKED = 25 * 1024 * 1024  # an xlsx inflated, all members together (a 168-row export: well under 1 MB)
MAX_ROWS = 5000
MAX_COLUMNS = 200
MAX_TEXT = 2000  # one cell's text
MAX_HEADER_ROWS = 12
LAYOUTS_SETTING = "onestop_layouts"  # what the clerk confirmed per source layout (keyed by its header words)

FORMATS = ("html-xls", "xlsx", "xls", "csv")


# --- words ------------------------------------------------------------------------

_SYNONYMS = [  # one-stop words → the form's words, both without diacritics
    (r"\bso ho so\b", " "), (r"\bho so\b", " "), (r"\bhs\b", " "),
    (r"\bnhan giai quyet\b", "nhan"), (r"\btiep nhan\b", "nhan"), (r"\bso nhan\b", "nhan"),
    (r"\bda xu ly\b", "da"), (r"\bda giai quyet\b", "da"), (r"\bda xl\b", "da"),
    (r"\bdang xu ly\b", "dang"), (r"\bdang giai quyet\b", "dang"), (r"\bchua giai quyet\b", "dang"),
    (r"\bchua xu ly\b", "dang"),
    (r"\bqua mang\b", "truc tuyen"), (r"\btruc tuyen\b", "truc tuyen"), (r"\bonline\b", "truc tuyen"),
    (r"\bsom han\b", "truoc han"), (r"\btre han\b", "qua han"), (r"\bdung thoi han\b", "dung han"),
    (r"\btu ky truoc\b", "ky truoc"), (r"\bky truoc chuyen sang\b", "ky truoc"), (r"\bton ky truoc\b", "ky truoc"),
    (r"\bmoi tiep nhan\b", "trong ky"), (r"\bnhan moi\b", "trong ky"),
    (r"\bqua bcci\b", "buu chinh"), (r"\bbcci\b", "buu chinh"), (r"\bbuu chinh cong ich\b", "buu chinh"),
    (r"\bdich vu buu chinh\b", "buu chinh"),
    (r"\btong so\b", "tong"), (r"\btong cong\b", "tong"), (r"\bcong\b", "tong"),
]
_KIND_WORDS = r"\b(ubnd|uy ban nhan dan|xa|phuong|thi tran|dac khu|linh vuc)\b"


def plain(text: str) -> str:
    """Lower case, no diacritics, no punctuation, single spaces: "Thi đua - Khen thưởng" → "thi dua khen thuong"."""
    text = unicodedata.normalize("NFD", str(text).replace("đ", "d").replace("Đ", "D"))
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Mn").lower()
    return " ".join(re.sub(r"[^0-9a-z]+", " ", text).split())


def words(text: str) -> str:
    """A header in the form's words; what it says in brackets is an aside ("Đúng hạn (gồm trả lại)")."""
    text = plain(re.sub(r"\([^)]*\)", " ", str(text)))
    for pattern, replacement in _SYNONYMS:
        text = re.sub(pattern, replacement, text)
    return " ".join(text.split())


def row_words(text: str) -> str:
    """A row's name for matching: without numbering and kind words ("1. Lĩnh vực Hộ tịch" → "ho tich")."""
    text = plain(re.sub(r"^\s*([IVXLC]+|\d+(\.\d+)*|[a-zđ])[.)]\s+", "", str(text)))
    return " ".join(re.sub(_KIND_WORDS, " ", text).split())


# --- stage 1: read ----------------------------------------------------------------------------


@dataclass
class SourceTable:
    format: str
    grid: list[list[str]]  # every row as wide as the widest; a merged cell's text in each cell it covers
    file: str


def _bounded(grid: list[list[str]], file: str) -> list[list[str]]:
    width = max((len(row) for row in grid), default=0)
    if width > MAX_COLUMNS:
        raise CchcError("STATS004", file=file, reason=f"bảng có {width} cột (tối đa {MAX_COLUMNS})")
    return [row + [""] * (width - len(row)) for row in grid]


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value == int(value):
        value = int(value)
    text = unicodedata.normalize("NFC", str(value)).strip()
    return text[:MAX_TEXT]


def _decode(data: bytes) -> str:
    """Text as one-stop systems write it: UTF-8 (with or without its mark), UTF-16, or Windows-1258."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return unicodedata.normalize("NFC", data.decode("cp1258", errors="replace"))


class _Tables(html.parser.HTMLParser):
    """The tables of an HTML page, rowspan and colspan spread; scripts and outside references refused."""

    FORBIDDEN = {"script", "iframe", "object", "embed", "applet", "link", "base", "frame", "form"}

    def __init__(self, file: str) -> None:
        super().__init__(convert_charrefs=True)
        self.file = file
        self.tables: list[list[list[str]]] = []
        self._stack: list[dict] = []
        self._cells = 0

    def _refuse(self, what: str) -> None:
        raise CchcError("STATS003", file=self.file, reason=what)

    def handle_starttag(self, tag, attrs):
        if tag in self.FORBIDDEN:
            self._refuse(f"trang có thẻ <{tag}>")
        for name, value in attrs:
            value = (value or "").strip().lower()
            if name.startswith("on"):
                self._refuse(f"trang có mã lệnh ({name})")
            if name in ("src", "href", "background", "action", "data", "srcset", "style") and \
                    re.search(r"(https?:|file:|ftp:|javascript:|//|\\\\|url\()", value):
                self._refuse("trang tham chiếu ra ngoài tệp")
        if tag == "table":
            self._stack.append({"rows": [], "spans": {}, "row": None, "cell": None})
        elif not self._stack:
            return
        table = self._stack[-1] if self._stack else None
        if tag == "tr":
            if len(table["rows"]) >= MAX_ROWS:
                self._refuse(f"bảng có hơn {MAX_ROWS} dòng")
            table["row"] = []
            table["rows"].append(table["row"])
        elif tag in ("td", "th") and table["row"] is not None:
            spans = dict(attrs)
            table["cell"] = {"text": [], "rowspan": _span(spans.get("rowspan")), "colspan": _span(spans.get("colspan"))}
            self._cells += 1
            if self._cells > MAX_ROWS * 50:
                self._refuse("bảng có quá nhiều ô")
        elif tag == "br" and table["cell"] is not None:
            table["cell"]["text"].append(" ")

    def handle_endtag(self, tag):
        if not self._stack:
            return
        table = self._stack[-1]
        if tag in ("td", "th") and table["cell"] is not None:
            self._close_cell(table)
        elif tag == "tr":
            if table["cell"] is not None:
                self._close_cell(table)
            table["row"] = None
        elif tag == "table":
            if table["cell"] is not None:
                self._close_cell(table)
            self._stack.pop()
            self.tables.append(_spread(table["rows"], self.file))

    def _close_cell(self, table) -> None:
        cell = table["cell"]
        table["row"].append((" ".join("".join(cell["text"]).split())[:MAX_TEXT], cell["rowspan"], cell["colspan"]))
        table["cell"] = None

    def handle_data(self, data):
        if self._stack and self._stack[-1]["cell"] is not None:
            parts = self._stack[-1]["cell"]["text"]
            if sum(len(p) for p in parts) < MAX_TEXT:
                parts.append(data)


def _span(value) -> int:
    try:
        return max(1, min(int(str(value).strip()), MAX_COLUMNS))
    except (TypeError, ValueError):
        return 1


def _spread(rows: list[list[tuple[str, int, int]]], file: str) -> list[list[str]]:
    """HTML rows with spans as a rectangular grid: a spanned cell's text in every cell it covers."""
    grid: list[list[str | None]] = []
    for r, cells in enumerate(rows):
        while len(grid) <= r:
            grid.append([])
        c = 0
        for text, rowspan, colspan in cells:
            while c < len(grid[r]) and grid[r][c] is not None:
                c += 1
            for dr in range(rowspan):
                if r + dr >= MAX_ROWS:
                    break
                while len(grid) <= r + dr:
                    grid.append([])
                line = grid[r + dr]
                while len(line) < c + colspan:
                    line.append(None)
                if len(line) > MAX_COLUMNS:
                    raise CchcError("STATS004", file=file, reason=f"bảng có hơn {MAX_COLUMNS} cột")
                for dc in range(colspan):
                    line[c + dc] = text
            c += colspan
    return _bounded([[t or "" for t in row] for row in grid], file)


_REF = re.compile(r"\$?([A-Z]{1,3})\$?(\d{1,7})")


def _column_number(letters: str) -> int:
    number = 0
    for ch in letters:
        number = number * 26 + ord(ch) - 64
    return number


def _xlsx_grid(path: Path, file: str) -> list[list[str]]:
    from openpyxl import load_workbook  # only an xlsx import reads one

    try:
        with zipfile.ZipFile(path) as archive:  # a zip bomb is refused before anything inflates it
            if sum(info.file_size for info in archive.infolist()) > MAX_UNPACKED:
                raise CchcError("STATS002", file=file, reason="nội dung giải nén quá lớn")
        book = load_workbook(path, read_only=False, data_only=False)
    except CchcError:
        raise
    except Exception:
        raise CchcError("STATS002", file=file, reason="tệp .xlsx hỏng hoặc sai định dạng") from None
    sheet = book.worksheets[0]
    if sheet.max_row > MAX_ROWS or sheet.max_column > MAX_COLUMNS:
        raise CchcError("STATS004", file=file, reason=f"trang tính có {sheet.max_row} dòng, {sheet.max_column} cột")
    values = {(c.row, c.column): c.value for row in sheet.iter_rows() for c in row if c.value is not None}

    def value_of(key, depth=0):
        value = values.get(key)
        if isinstance(value, str) and value.startswith("="):
            return _formula(value, key, depth)
        return value

    def _formula(text: str, key, depth: int):
        """The sums a statistics sheet holds (=SUM(D10:D21), =D10+E10), computed from the cells they name."""
        if depth > 50:
            return None
        body = text[1:].replace(" ", "").upper()
        total = Decimal(0)
        for sign, term in re.findall(r"([+-]?)([^+-]+)", body):
            match = re.fullmatch(r"SUM\(" + _REF.pattern + r":" + _REF.pattern + r"\)", term)
            cells = []
            if match:
                c1, r1, c2, r2 = _column_number(match[1]), int(match[2]), _column_number(match[3]), int(match[4])
                if (r2 - r1 + 1) * (c2 - c1 + 1) > MAX_ROWS * 10:
                    return None
                cells = [(r, c) for r in range(min(r1, r2), max(r1, r2) + 1) for c in range(min(c1, c2), max(c1, c2) + 1)]
            elif (single := _REF.fullmatch(term)) is not None:
                cells = [(int(single[2]), _column_number(single[1]))]
            elif re.fullmatch(r"\d+(\.\d+)?", term):
                total += Decimal(term) * (-1 if sign == "-" else 1)
                continue
            else:
                return None  # a formula a statistics sheet does not need: not guessed
            for cell in cells:
                found = value_of(cell, depth + 1)
                if isinstance(found, (int, float, Decimal)) and not isinstance(found, bool):
                    total += Decimal(repr(found) if isinstance(found, float) else found) * (-1 if sign == "-" else 1)
                elif found not in (None, ""):
                    number = _number_text(str(found))
                    if number is None:
                        return None
                    total += number * (-1 if sign == "-" else 1)
        return int(total) if total == total.to_integral_value() else total

    grid = [[_text(value_of((r, c))) for c in range(1, sheet.max_column + 1)] for r in range(1, sheet.max_row + 1)]
    for merged in sheet.merged_cells.ranges:  # a merged header's text over every cell it covers
        text = grid[merged.min_row - 1][merged.min_col - 1]
        for r in range(merged.min_row, merged.max_row + 1):
            for c in range(merged.min_col, merged.max_col + 1):
                grid[r - 1][c - 1] = text
    return _bounded(grid, file)


def _xls_grid(data: bytes, file: str) -> list[list[str]]:
    import xlrd  # only an old .xls (BIFF) import reads one

    try:
        book = xlrd.open_workbook(file_contents=data, formatting_info=True, on_demand=True)
        sheet = book.sheet_by_index(0)
    except Exception:
        raise CchcError("STATS002", file=file, reason="tệp .xls hỏng hoặc sai định dạng") from None
    if sheet.nrows > MAX_ROWS or sheet.ncols > MAX_COLUMNS:
        raise CchcError("STATS004", file=file, reason=f"trang tính có {sheet.nrows} dòng, {sheet.ncols} cột")
    grid = [[_text(sheet.cell_value(r, c)) for c in range(sheet.ncols)] for r in range(sheet.nrows)]
    for r1, r2, c1, c2 in getattr(sheet, "merged_cells", []) or []:
        for r in range(r1, r2):
            for c in range(c1, c2):
                grid[r][c] = grid[r1][c1]
    return _bounded(grid, file)


def _csv_grid(text: str, file: str) -> list[list[str]]:
    lines = text[:65536].splitlines()[:200]

    def fields(delimiter: str) -> int:  # the delimiter that splits the most lines into a table
        widths = [len(next(csv.reader([line], delimiter=delimiter), [])) for line in lines if line.strip()]
        common = max(set(widths), key=widths.count, default=1)
        return sum(1 for w in widths if w == common and w >= 3)

    delimiter = max(";\t,|", key=fields)
    grid = []
    try:
        for row in csv.reader(io.StringIO(text), delimiter=delimiter):
            if len(grid) >= MAX_ROWS:
                raise CchcError("STATS004", file=file, reason=f"tệp có hơn {MAX_ROWS} dòng")
            if len(row) > MAX_COLUMNS:
                raise CchcError("STATS004", file=file, reason=f"dòng {len(grid) + 1} có {len(row)} cột")
            grid.append([_text(cell) for cell in row])
    except csv.Error:
        raise CchcError("STATS002", file=file, reason="tệp CSV sai định dạng") from None
    return _bounded(grid, file)


def read_source(path: Path) -> SourceTable:
    """Stage 1: the file as a grid of texts, whatever of the four shapes it has (told by content)."""
    file = path.name
    try:
        size = path.stat().st_size
        if not path.is_file():
            raise CchcError("STATS002", file=file, reason="không phải một tệp")
        if size > MAX_BYTES:
            raise CchcError("STATS004", file=file, reason=f"tệp {size // (1024 * 1024)} MB (tối đa {MAX_BYTES // (1024 * 1024)} MB)")
        with path.open("rb") as handle:
            data = handle.read(MAX_BYTES + 1)
    except OSError as error:
        raise CchcError("STATS002", file=file, reason=os_reason(error)) from None
    if len(data) > MAX_BYTES:
        raise CchcError("STATS004", file=file, reason="tệp quá lớn")
    if data.startswith(b"PK\x03\x04"):
        return SourceTable("xlsx", _xlsx_grid(path, file), file)
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        return SourceTable("xls", _xls_grid(data, file), file)
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise CchcError("STATS002", file=file, reason="không phải bảng HTML, Excel hay CSV")
    text = _decode(data)
    if re.search(r"<\s*table\b", text[:MAX_BYTES], re.IGNORECASE):
        parser = _Tables(file)
        try:
            parser.feed(text)
            parser.close()
        except CchcError:
            raise
        except Exception:
            raise CchcError("STATS002", file=file, reason="trang HTML hỏng") from None
        if not parser.tables:
            raise CchcError("STATS005", file=file)
        return SourceTable("html-xls", max(parser.tables, key=len), file)
    if re.search(r"<\s*(html|body|script)\b", text[:4096], re.IGNORECASE):
        raise CchcError("STATS005", file=file)
    return SourceTable("csv", _csv_grid(text, file), file)


# --- stage 2: the header and the body ---------------------------------------------------------


def _number_text(text: str) -> Decimal | None:
    """A figure as one-stop systems print it ("1.562", "1,562", "38"); None when it is not one."""
    text = text.strip().replace("\u00a0", "").replace(" ", "")
    if text in ("", "-"):
        return Decimal(0) if text == "-" else None
    if re.fullmatch(r"\d{1,3}([.,]\d{3})+", text):
        return Decimal(re.sub(r"[.,]", "", text))
    if re.fullmatch(r"\d+", text):
        return Decimal(text)
    if re.fullmatch(r"\d+[.,]\d+", text):
        return Decimal(text.replace(",", "."))
    return None


@dataclass
class FoundTable:
    headers: list[tuple[str, ...]]  # each column's header path, as printed
    body: list[tuple[int, list[str]]]  # (row number in the file, texts)
    label_column: int
    code_column: int | None


_HEADER_WORDS = ("nhan", "da", "dang", "tong", "truc tuyen", "ky truoc", "truoc han", "dung han", "qua han",
                 "trong han", "linh vuc", "don vi", "ten", "stt")


def find_table(source: SourceTable, form: Form) -> FoundTable:
    """Stage 2: where the header starts (a row with several of the form's or the one-stop's header
    words), where the figures start, each column's header path and which column names the rows."""
    vocabulary = set(_HEADER_WORDS)
    for column in form.leaves:
        vocabulary |= {words(column.label)}
    grid = source.grid

    def header_like(row: list[str]) -> int:
        return sum(1 for text in dict.fromkeys(row) if text and words(text) in vocabulary)

    start = next((i for i, row in enumerate(grid[:200]) if header_like(row) >= 3), None)
    if start is None:
        raise CchcError("STATS005", file=source.file)

    def numeric_row(row: list[str]) -> bool:
        numbers = sum(1 for text in row if _number_text(text) is not None)
        labels = sum(1 for text in row if text and _number_text(text) is None and not re.fullmatch(r"\(\d+\)", text))
        return numbers >= 2 and labels >= 1

    body_start = next((i for i in range(start + 1, min(len(grid), start + 1 + MAX_HEADER_ROWS + 1))
                       if numeric_row(grid[i])), None)
    if body_start is None:
        raise CchcError("STATS005", file=source.file)
    header_rows = [list(row) for row in grid[start:body_start] if not all(re.fullmatch(r"\(?\d+\)?|", t) for t in row)]
    width = len(grid[0]) if grid else 0
    for above, below in zip(header_rows, header_rows[1:]):  # a merge the file lost (CSV, BIFF): the group goes on
        for c in range(1, width):
            if not above[c] and above[c - 1] and below[c] and below[c - 1]:
                above[c] = above[c - 1]
    headers = []
    for c in range(width):
        path: list[str] = []
        for row in header_rows:
            if row[c] and (not path or path[-1] != row[c]):
                path.append(row[c])
        headers.append(tuple(path))
    body = [(i + 1, row) for i, row in enumerate(grid[body_start:], body_start) if any(row)]
    texts = [sum(1 for _, row in body if row[c] and _number_text(row[c]) is None) for c in range(width)]
    label_column = max(range(width), key=lambda c: (texts[c], -c))
    code_column = next((c for c in range(width) if c != label_column and headers[c]
                        and plain(headers[c][-1]) in ("ma", "ma don vi", "ma dvhc", "ma xa")), None)
    return FoundTable(headers, body, label_column, code_column)


# --- stage 3: map --------------------------------------------------------------------------------


@dataclass
class Mapping:
    form_column: str
    sources: list[tuple[int, int]]  # (sign, source column)
    how: str = ""  # "", "sum", "difference"


@dataclass
class ImportPlan:
    report: int
    form: str
    format: str
    rows_read: int
    columns: list[Mapping]
    rows: dict[str, list[str]]  # form row → the source row labels it takes
    left_out_columns: list[dict]
    left_out_rows: list[dict]
    cells: list[tuple[str, str, str, str | None, str]]  # (form, row, column, old, new)
    headers: list[tuple[str, ...]]
    notes: list[str] = field(default_factory=list)
    layout_key: str = ""
    overrides: dict = field(default_factory=dict)

    def to_json(self, written: int = 0) -> dict:
        name = lambda c: " / ".join(self.headers[c])  # noqa: E731
        return {
            "report": self.report, "form": self.form,
            "source": {"format": self.format, "rows": self.rows_read},
            "columns": [{"form_column": m.form_column, "from": [("−" if s < 0 else "") + name(c) for s, c in m.sources]}
                        for m in self.columns],
            "rows": [{"form_row": row, "from": labels} for row, labels in self.rows.items()],
            "left_out": {"columns": self.left_out_columns, "rows": self.left_out_rows},
            "changes": [{"row": r, "column": c, "old": old, "new": new} for _, r, c, old, new in self.cells],
            "notes": self.notes,
            "cells": written,
        }


def _form_paths(form: Form) -> dict[str, list[str]]:
    """Each data column's header path in the form's words."""
    paths = {}

    def walk(columns, above):
        for column in columns:
            here = above + [column.label]
            if column.children:
                walk(column.children, here)
            elif column.id and column.kind == "data" and column.ctype.numeric:
                paths[column.id] = here
    walk(form.columns, [])
    return paths


def _terms(label: str) -> list[str]:
    """A label that lists what it counts ("Trực tiếp, dịch vụ bưu chính") as its terms."""
    parts = [words(p) for p in re.split(r",|;| và ", label) if words(p)]
    return parts if len(parts) > 1 else []


def layout_key(headers: list[tuple[str, ...]]) -> str:
    return hashlib.sha256("|".join(words(" / ".join(h)) for h in headers).encode()).hexdigest()[:16]


def _map_columns(found: FoundTable, form: Form, computes: bool, overrides: dict[str, list[str]]):
    paths = _form_paths(form)
    source = {c: (words(h[0]) if len(h) > 1 else "", words(h[-1])) for c, h in enumerate(found.headers)
              if h and c not in (found.label_column, found.code_column)}
    printed = {c: " / ".join(found.headers[c]) for c in source}
    by_name = {plain(v): c for c, v in printed.items()}
    used: dict[int, str] = {}
    mappings: dict[str, Mapping] = {}
    # what the clerk said for this layout first
    for form_column, named in overrides.items():
        if form_column in paths:
            columns = [by_name[plain(n.lstrip("−-"))] for n in named if plain(n.lstrip("−-")) in by_name]
            if columns:
                mappings[form_column] = Mapping(form_column, [(-1 if n.startswith(("−", "-")) else 1, c)
                                                              for n, c in zip(named, columns)], "sum" if len(columns) > 1 else "")
                used.update({c: form_column for c in columns})
    refused: set[int] = set()
    said_none = {column_id for column_id, named in overrides.items() if named == []}  # "(không lấy)"

    def group_of(path):
        return words(path[0]) if len(path) > 1 else ""

    def matches(c, group, leaf):
        s_group, s_leaf = source[c]
        return s_leaf == leaf and (s_group == group or not s_group or not group)

    for column_id, path in paths.items():
        if column_id in mappings or column_id in said_none:
            continue
        group, leaf = group_of(path), words(path[-1])
        exact = [c for c in source if c not in used and c not in refused and matches(c, group, leaf)]
        if exact:
            mappings[column_id] = Mapping(column_id, [(1, exact[0])])
            used[exact[0]] = column_id
    for column_id, path in paths.items():  # a label that lists its terms: their sum
        if column_id in mappings or column_id in said_none or not _terms(path[-1]):
            continue
        group = group_of(path)
        found_terms = [next((c for c in source if c not in used and c not in refused and matches(c, group, t)), None)
                       for t in _terms(path[-1])]
        if all(f is not None for f in found_terms):
            mappings[column_id] = Mapping(column_id, [(1, c) for c in found_terms], "sum")
            used.update({c: column_id for c in found_terms})
    for column_id, path in paths.items():  # a group's total in the source, less its other parts
        if column_id in mappings or column_id in said_none or len(path) < 3:
            continue
        group, middle = group_of(path), words(path[-2])
        whole = next((c for c in source if c not in refused and matches(c, group, middle)), None)
        siblings = [cid for cid, p in paths.items() if p[:-1] == path[:-1] and cid != column_id]
        if whole is not None and siblings and all(s in mappings for s in siblings):
            mappings[column_id] = Mapping(column_id, [(1, whole)] + [(-1, c) for s in siblings
                                                                    for sign, c in mappings[s].sources], "difference")
            used[whole] = column_id
    for column_id, path in paths.items():  # some of the terms only
        if column_id in mappings or column_id in said_none or not _terms(path[-1]):
            continue
        group = group_of(path)
        some = [c for t in _terms(path[-1]) for c in source if c not in used and c not in refused and matches(c, group, t)]
        if some:
            mappings[column_id] = Mapping(column_id, [(1, c) for c in some], "sum")
            used.update({c: column_id for c in some})
    totals = {c.id for c in form.data_columns if c.parts is not None}
    left_out = []
    columns = []
    for column_id in paths:
        mapping = mappings.get(column_id)
        if mapping is None:
            continue
        if computes and column_id in totals and not overrides.get(column_id):
            for _, c in mapping.sources:
                left_out.append({"column": printed[c], "reason": "cột tổng: ứng dụng tự tính từ các cột thành phần"})
            continue
        columns.append(mapping)
    taken = {c for m in columns for _, c in m.sources}
    reported = {x["column"] for x in left_out}
    for c in source:
        if c in taken or printed[c] in reported:
            continue
        in_difference = any(m.how == "difference" and any(mc == c for _, mc in m.sources) for m in columns)
        if in_difference:
            continue
        whole = next((m for m in columns if m.how == "difference"), None)
        if whole is not None and source[c][1] in _terms(paths[whole.form_column][-1]):
            left_out.append({"column": printed[c], "reason": f"đã gồm trong cột {whole.form_column} (tính bằng hiệu)"})
        else:
            left_out.append({"column": printed[c], "reason": "biểu không có cột tương ứng"})
    return columns, left_out, printed


def _form_rows(scope) -> list:
    """The rows figures are imported into: rows the clerk types, not totals the report computes."""
    rows = []
    for row in scope.layout.rows:
        if row.total is not None:
            continue
        if any(row.typed(c) for c in scope.form.data_columns):
            rows.append(row)
    return rows


def _same_letters(a: str, b: str) -> bool:
    """Equal but for case and spacing, diacritics kept: "Xã Thạnh An" is not "Xã Thanh An"."""
    def norm(text):
        return " ".join(unicodedata.normalize("NFC", text).casefold().split())
    return norm(a) == norm(b)


def _map_rows(found: FoundTable, scope, overrides: dict[str, str], notes: list[str]):
    rows = _form_rows(scope)
    names = {row.id: row_words(row.label) for row in rows}
    by_row = {row.id: row for row in rows}
    codes = {row.id.split(":", 1)[1]: row.id for row in rows if row.kind == "units"}
    other = next((row.id for row in rows if names[row.id] in ("khac", "linh vuc khac", "cac linh vuc khac")), None)
    taken: dict[int, str] = {}
    left_out = []
    for number, texts in found.body:
        label = texts[found.label_column]
        key = row_words(label)
        if label in overrides:
            said = overrides[label]
            if said and said not in scope.layout.by_id:
                said = next((f"{k}:{said}" for k in ("item", "unit") if f"{k}:{said}" in scope.layout.by_id), None)
                if said is None:
                    raise CchcError("CELL008", form=scope.form.printed_code, row=overrides[label])
            if said:
                taken[number] = said
            else:
                left_out.append({"row": label, "reason": "người nhập đã bỏ dòng này"})
            continue
        if not key:
            continue
        if key.startswith("tong") or plain(label).startswith(("tong", "cong")):
            left_out.append({"row": label, "reason": "dòng tổng: ứng dụng tự tính"})
            continue
        code = texts[found.code_column].strip() if found.code_column is not None else ""
        if code and code in codes:
            taken[number] = codes[code]
            continue
        bare = re.sub(r"(?i)^\s*(ubnd|ủy ban nhân dân)\s+", "", label)
        exact = [rid for rid, row in by_row.items() if _same_letters(row.label, bare)] \
            or [rid for rid, row in by_row.items() if plain(row.label) == plain(bare)] \
            or [rid for rid, name in names.items() if name == key]
        if exact:
            taken[number] = exact[0]
            continue
        starts = [rid for rid, name in names.items() if name and (f"{key} ".startswith(f"{name} ")
                                                                   or f"{name} ".startswith(f"{key} "))]
        if len(starts) == 1:  # "Văn hóa cơ sở" is the form's "Văn hóa"
            taken[number] = starts[0]
            continue
        ratios = sorted(((difflib.SequenceMatcher(None, key, name).ratio(), rid) for rid, name in names.items()),
                        reverse=True)
        if ratios and ratios[0][0] >= 0.88:
            taken[number] = ratios[0][1]
            continue
        if other is not None and scope.layout.by_id[other].kind == "items":
            taken[number] = other
            notes.append(f"Lĩnh vực “{label}” không có dòng riêng trong biểu: cộng vào “{scope.layout.by_id[other].label}”.")
            continue
        left_out.append({"row": label, "reason": "biểu không có dòng tương ứng"})
    return taken, left_out


def plan_import(store, catalog, report_id: int, path: Path, form_code: str | None = None,
                column_overrides: dict[str, list[str]] | None = None,
                row_overrides: dict[str, str] | None = None) -> ImportPlan:
    """Stages 1–3 and the preview: what the import would write, touching nothing."""
    data = ReportData(store, catalog, report_id)
    if data.form_set is None:
        raise CchcError("STORE017", form_set=data.report.form_set_id, version=data.report.form_set_version)
    source = read_source(path)
    candidates = [form_code] if form_code else [c for c, f in data.form_set.forms.items() if f.data_columns]
    for code in candidates:
        if code not in data.form_set.forms:
            raise CchcError("STORE014", report=report_id, form=code)
    remembered = store.settings.get(LAYOUTS_SETTING, {}) or {}
    best = None
    for code in candidates:
        form = data.form_set.forms[code]
        try:
            found = find_table(source, form)
        except CchcError:
            continue
        key = layout_key(found.headers)
        saved = remembered.get(key, {}) if isinstance(remembered, dict) else {}
        columns_said = {**(saved.get("columns") or {}), **(column_overrides or {})}
        rows_said = {**(saved.get("rows") or {}), **(row_overrides or {})}
        scope = data.scope(code)
        columns, left_columns, printed = _map_columns(found, form, scope.derives, columns_said)
        if best is None or len(columns) > len(best[2]):
            best = (code, found, columns, left_columns, printed, key, columns_said, rows_said)
    if best is None or not best[2]:
        raise CchcError("STATS005", file=source.file)
    code, found, columns, left_columns, printed, key, columns_said, rows_said = best
    scope = data.scope(code)
    form = scope.form
    notes: list[str] = []
    taken, left_rows = _map_rows(found, scope, rows_said, notes)
    sums: dict[tuple[str, str], Decimal] = {}
    labels: dict[str, list[str]] = {}
    for number, texts in found.body:
        row_id = taken.get(number)
        if row_id is None:
            continue
        labels.setdefault(row_id, []).append(texts[found.label_column])
        for mapping in columns:
            total = Decimal(0)
            for sign, c in mapping.sources:
                text = texts[c]
                value = _number_text(text)
                if value is None and text.strip():
                    raise CchcError("STATS006", file=source.file, row=texts[found.label_column],
                                    column=printed[c], text=text[:40])
                total += sign * (value or 0)
            if total < 0:
                raise CchcError("STATS007", file=source.file, row=texts[found.label_column],
                                column=mapping.form_column, value=str(total))
            sums[(row_id, mapping.form_column)] = sums.get((row_id, mapping.form_column), Decimal(0)) + total
    for row_id, values in labels.items():
        if len(values) > 1:
            notes.append(f"Dòng “{scope.layout.by_id[row_id].label}” cộng {len(values)} dòng của tệp: "
                         + ", ".join(values) + ".")
    cells = []
    for (row_id, column_id), value in sums.items():
        column = form.by_id[column_id]
        ctype = scope.layout.cell_type(row_id, column)
        if not scope.layout.by_id[row_id].typed(column):
            continue
        new = typed_text(int(value) if value == value.to_integral_value() else value, ctype)
        old = data.raw.get(code, {}).get(row_id, {}).get(column_id)
        if old != new:
            cells.append((code, row_id, column_id, old, new))
    if any(re.search(r"dung han.*(tra lai|rut)|(tra lai|rut).*dung han", plain(" ".join(h))) for h in found.headers):
        notes.append("Tiêu đề của tệp cho biết “đúng hạn” gồm cả hồ sơ trả lại/xin rút: hãy đối chiếu cột (9).")
    _source_totals(found, form, columns, printed, notes)
    return ImportPlan(report_id, code, source.format, len(found.body), columns,
                      {row: labels[row] for row in labels}, left_columns, left_rows, cells, found.headers, notes, key,
                      {"columns": {m.form_column: [("−" if s < 0 else "") + printed[c] for s, c in m.sources]
                                   for m in columns}, "rows": {lab: row for row, ls in labels.items() for lab in ls}})


def _source_totals(found: FoundTable, form: Form, columns: list[Mapping], printed: dict, notes: list[str]) -> None:
    """A source total column that disagrees with the parts imported: the source's own mistake, said."""
    received = [c for c, h in enumerate(found.headers) if h and words(h[-1]) == "tong" and len(h) > 1
                and words(h[0]) == "nhan"]
    parts = [m for m in columns if m.form_column in ("nhan_truc_tuyen", "nhan_truc_tiep", "ky_truoc")]
    if not received or len(parts) < 3:
        return
    for number, texts in found.body:
        total = _number_text(texts[received[0]])
        if total is None:
            continue
        summed = sum(sign * (_number_text(texts[c]) or 0) for m in parts for sign, c in m.sources)
        if summed != total:
            notes.append(f"Tệp ghi “{printed[received[0]]}” của dòng “{texts[found.label_column]}” là "
                         f"{total}, các cột thành phần cộng lại {summed}.")


def apply_import(store, plan: ImportPlan) -> list:
    """Stage 5: the planned cells written in one transaction, audited; the mapping remembered for
    this source layout (next quarter's file of the same shape maps itself)."""
    # a signed report: the store's write refuses it (CELL003), and nothing is remembered
    changes = write_cells(store, plan.report, [(f, r, c, new) for f, r, c, _, new in plan.cells],
                          action="import-stats") if plan.cells else []
    layouts = store.settings.get(LAYOUTS_SETTING, {}) or {}
    if not isinstance(layouts, dict):
        layouts = {}
    layouts[plan.layout_key] = plan.overrides
    store.settings.set(LAYOUTS_SETTING, dict(list(layouts.items())[-50:]))
    return changes



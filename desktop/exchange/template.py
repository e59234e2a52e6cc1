"""A first draft of a form set from a province's own annex workbook (issue 26 §2).

A Sở Nội vụ already has its biểu mẫu as an Excel workbook it sends to the communes. Each visible
sheet is read as one form:

- the rows above the header: the annex's number ("Biểu số 06/…", "Phụ lục 1"), its title, its
  subtitle and the "(Kèm theo …)" line, and the issuing body's block when there is one;
- the header: from its first row (the one naming "STT", or the first of three cells) down to the
  column-number row, or else to the foot of the merges it starts; merged cells give the column
  tree, each cell over those its merge covers;
- the column-number row ("(1) (2) (3)=(4)+(5)"): the columns' numbers and identities;
- the rows: codes (I, II, 1, 1.1, a), -) nest as outlines do, each kind of code one level below
  the kind before it; a bold name is a bold row, "Tổng…"/"Cộng" a total row;
- formulas (=SUM(D10:D21), =D10+E10+F10): over the cells of the same row, a column's identity;
  over the rows of the same column, a row's total (of its children, or of the rows it names);
  they are read as text, never calculated;
- data-validation lists ("Có,Không"): the choices of their columns.

What was inferred and what could not be is said cell by cell (``Note``), for the officer to
finish in the definition workbook. The draft is a definition workbook's data (``workbook_of``),
so it is compiled and checked exactly as one the officer edited.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.utils import column_index_from_string, get_column_letter, range_boundaries

from desktop.exchange.xlsx import refuse_bombs
from desktop.foundation.messages import CchcError

MAX_COLUMNS = 120  # an annex is printed on one page's width: 40 columns is already small print
MAX_ROWS = 3000
MAX_SHEETS = 60
MAX_HEADER_ROWS = 8
MAX_RANGE_CELLS = 20_000  # what one =SUM(…) of a form may cover

_NUMBER_CELL = re.compile(r"^\(\s*(\d{1,3})\s*\)\s*(?:=\s*(.+))?$")
_STT = re.compile(r"^(stt|tt|số\s*tt|số\s*thứ\s*tự)\.?$", re.IGNORECASE)
_LABEL = re.compile(r"^(nội dung|tên|lĩnh vực|chỉ tiêu|đơn vị|danh mục|nhiệm vụ|cơ quan)", re.IGNORECASE)
_NOTE = re.compile(r"^đơn vị tính$", re.IGNORECASE)
_TEXT = re.compile(r"^(ghi chú|ghi chú\s*\(.*\))$", re.IGNORECASE)
_TOTAL = re.compile(r"^(tổng|cộng)", re.IGNORECASE)
_ANNEX = re.compile(r"^(biểu(\s*tổng hợp)?\s*(số|mẫu)?|phụ lục|mẫu số)\s*[0-9IVX][0-9A-Za-z./\-]*$", re.IGNORECASE)
_MOTTO = re.compile(r"cộng hòa xã hội|độc lập\s*-\s*tự do", re.IGNORECASE)
_SIGNING = re.compile(r"^(người lập|thủ trưởng|tm\.|kt\.|q\.|xác nhận|nơi nhận|ghi chú:|lưu ý)", re.IGNORECASE)
_REF = re.compile(r"^\$?([A-Z]{1,3})\$?(\d{1,7})$")

CODE_KINDS = (
    ("roman", re.compile(r"^[IVXLC]+\.?$")),
    ("dotted", re.compile(r"^\d+(\.\d+)+\.?$")),
    ("arabic", re.compile(r"^\d+\.?$")),
    ("letter", re.compile(r"^[a-zđ][).]$")),
    ("dash", re.compile(r"^[-–+*•]$")),
)


CODE_NAMES = {"roman": "I, II", "dotted": "1.1", "arabic": "1, 2", "letter": "a), b)", "dash": "-, +"}


@dataclass(frozen=True)
class Note:
    """What the reading of one cell found (``inferred``) or could not (a thing to finish)."""

    sheet: str
    cell: str
    text: str
    inferred: bool = True

    def __str__(self) -> str:
        return f"{'  ' if self.inferred else '? '}“{self.sheet}”!{self.cell}: {self.text}"


@dataclass
class Draft:
    """The set a template gives: set.yaml's data, each form file's, and the notes."""

    set_data: dict
    forms: list[tuple[str, dict]] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)


def slug(text: str, limit: int = 32) -> str:
    """An id from a Vietnamese label: "Đồng ý giải quyết" → "dong_y_giai_quyet"."""
    plain = unicodedata.normalize("NFD", str(text).replace("đ", "d").replace("Đ", "D"))
    plain = "".join(ch for ch in plain if unicodedata.category(ch) != "Mn").lower()
    words = re.findall(r"[a-z0-9]+", plain)
    text = "_".join(words)[:limit].strip("_")
    return text if text and not text[0].isdigit() else f"c_{text}" if text else "cot"


def read_template(path: Path, *, code: str | None = None, set_id: str | None = None, year: int | None = None,
                  level: str | None = None, province: str | None = None) -> Draft:
    """The draft set of the annex workbook at ``path``; refused (TPL…) when it is not one."""
    refuse_bombs(path, "TPL001")
    try:
        book = load_workbook(path, data_only=False, keep_links=False)
    except Exception:  # openpyxl raises many kinds on a damaged workbook; none is the officer's to read
        raise CchcError("TPL001", file=path.name, reason="nội dung hỏng hoặc sai định dạng") from None
    sheets = [ws for ws in book.worksheets if ws.sheet_state == "visible"]
    if len(sheets) > MAX_SHEETS:
        raise CchcError("TPL001", file=path.name, reason=f"có {len(sheets)} trang tính (tối đa {MAX_SHEETS})")
    if code is not None and len(sheets) > 1:
        raise CchcError("TPL004")
    draft = Draft({})
    titles = []
    used_codes: set[str] = set()
    for index, sheet in enumerate(sheets, start=1):
        if sheet.max_column > MAX_COLUMNS or sheet.max_row > MAX_ROWS:
            raise CchcError("TPL002", sheet=sheet.title, rows=sheet.max_row, columns=sheet.max_column,
                            max_rows=MAX_ROWS, max_columns=MAX_COLUMNS)
        form = _Sheet(sheet, draft.notes).form()
        form_code = code or _code_of(form.get("printed_code") or sheet.title, index)
        while form_code in used_codes:
            form_code += "b"
        used_codes.add(form_code)
        form = {"code": form_code, **form}
        titles.append(form.get("title", ""))
        draft.forms.append((f"{slug(form_code, 20)}.yaml", form))
    if not draft.forms:
        raise CchcError("TPL003", sheet=path.name)
    words = " ".join(titles).lower()
    found_year = re.search(r"\b(20\d\d)\b", words)
    draft.set_data = {
        "id": set_id or slug(path.stem, 40).replace("_", "-"),
        "name": (titles[0][:1] + titles[0][1:].lower() if titles[0].isupper() else titles[0]) if titles else path.stem,
        "province": province or "chưa ghi",
        "year": year or (int(found_year[1]) if found_year else 2026),
        "version": 1,
        "level": level or ("xa" if " xã" in f" {words}" else "huyen" if "huyện" in words else "tinh" if "tỉnh" in words
                           else "xa"),
    }
    if province is None:
        draft.notes.append(Note("Bộ biểu mẫu", "Tỉnh", "chưa biết tỉnh: hãy ghi trong trang “Bộ biểu mẫu”.", False))
    if level is None:
        draft.notes.append(Note("Bộ biểu mẫu", "Cấp", f"cấp báo cáo “{draft.set_data['level']}” đoán từ tiêu đề."))
    return draft


def _code_of(printed: str, index: int) -> str:
    """A form's code from its printed number: "Biểu số 06/VPCP/KSTT" → "06", "Phụ lục 1" → "PL1"."""
    match = re.search(r"(phụ lục|biểu mẫu|biểu số|biểu|mẫu số)\s*([0-9IVXA-Za-z]+)", printed, re.IGNORECASE)
    if not match:
        return f"B{index}"
    number = match[2].upper()
    return f"PL{number}" if match[1].lower() == "phụ lục" else number


class _Sheet:
    """One worksheet read as a form: its cells, merges, formulas and lists."""

    def __init__(self, sheet, notes: list[Note]) -> None:
        self.sheet, self.notes, self.name = sheet, notes, sheet.title
        self.values: dict[tuple[int, int], object] = {}
        self.bold: set[tuple[int, int]] = set()
        self.italic: set[tuple[int, int]] = set()
        for row in sheet.iter_rows():
            for cell in row:
                if cell.value is not None and str(cell.value).strip():
                    self.values[(cell.row, cell.column)] = cell.value
                    if cell.font is not None and cell.font.b:
                        self.bold.add((cell.row, cell.column))
                    if cell.font is not None and cell.font.i:
                        self.italic.add((cell.row, cell.column))
        self.merges: dict[tuple[int, int], tuple[int, int]] = {}
        self.covered: set[tuple[int, int]] = set()
        for merged in sheet.merged_cells.ranges:
            self.merges[(merged.min_row, merged.min_col)] = (merged.max_row, merged.max_col)
            for r in range(merged.min_row, merged.max_row + 1):
                for c in range(merged.min_col, merged.max_col + 1):
                    if (r, c) != (merged.min_row, merged.min_col):
                        self.covered.add((r, c))

    def note(self, row: int, column: int, text: str, inferred: bool = True) -> None:
        self.notes.append(Note(self.name, f"{get_column_letter(column)}{row}", text, inferred))

    def text(self, row: int, column: int) -> str:
        value = self.values.get((row, column))
        if value is None or (isinstance(value, str) and value.startswith("=")):
            return ""
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        return " ".join(str(value).split())

    def cells_of(self, row: int) -> list[int]:
        """The columns of a row's own cells (a merge counted once, at its first column)."""
        return sorted(c for (r, c) in self.values if r == row and (r, c) not in self.covered)

    # --- the parts of a form ------------------------------------------------------

    def form(self) -> dict:
        rows = sorted({r for r, _ in self.values})
        if not rows:
            raise CchcError("TPL003", sheet=self.name)
        start = next((r for r in rows if any(_STT.match(self.text(r, c)) for c in self.cells_of(r))), None) or \
            next((r for r in rows if self._looks_like_header(r)), None)
        if start is None:
            raise CchcError("TPL003", sheet=self.name)
        numbers = next((r for r in rows if start < r <= start + MAX_HEADER_ROWS and self._is_number_row(r)), None)
        end = numbers - 1 if numbers else max([start] + [self.merges[(start, c)][0] for c in self.cells_of(start)
                                                         if (start, c) in self.merges])
        if end - start + 1 > MAX_HEADER_ROWS:
            raise CchcError("TPL003", sheet=self.name)
        first = min(self.cells_of(start))
        last = max(self.merges.get((start, c), (start, c))[1] for c in self.cells_of(start))
        form: dict = self._titles(rows, start, first)
        columns, leaves = self._columns(start, end, first, last)
        if not leaves:
            raise CchcError("TPL003", sheet=self.name)
        if numbers:
            self._numbers(numbers, leaves)
        self._kinds(leaves, start)
        body = (numbers or end) + 1
        rows_found = self._rows(body, leaves)
        self._choices(leaves, body)
        self._formulas(rows_found, leaves)
        form["columns"] = columns
        form["rows"] = _nested(rows_found)
        return form

    def _looks_like_header(self, row: int) -> bool:
        """Three headings or more, all words: no formula, no figure."""
        cells = self.cells_of(row)
        texts = [self.text(row, c) for c in cells]
        return len(cells) >= 3 and all(t and not re.fullmatch(r"[\d.,%()=+\-\s]+", t) for t in texts)

    def _is_number_row(self, row: int) -> bool:
        cells = [self.text(row, c) for c in self.cells_of(row)]
        numbered = [t for t in cells if _NUMBER_CELL.match(t)]
        return len(numbered) >= 2 and len(numbered) >= 0.6 * len(cells)

    def _titles(self, rows: list[int], start: int, first: int) -> dict:
        form: dict = {}
        rest, lines = [], []
        for row in (r for r in rows if r < start):
            texts = [self.text(row, c) for c in self.cells_of(row) if self.text(row, c)]
            if not texts:
                continue
            if any(_MOTTO.search(t) for t in texts) or len(texts) > 1:
                form["header_block"] = True
                self.note(row, min(self.cells_of(row)), "dòng cơ quan ban hành và quốc hiệu: in khối tiêu đề.")
                continue
            lines.append((row, texts[0], self.cells_of(row)[0]))
        coded = next((i for i, (_, text, _) in enumerate(lines) if _ANNEX.match(text)), None)
        if coded:  # a title over a group of annexes, printed above the annex's number
            form["group_title"] = " ".join(text for _, text, _ in lines[:coded])
            self.note(lines[0][0], lines[0][2], f"tiêu đề nhóm phụ lục: “{form['group_title']}”.")
            lines = lines[coded:]
        for row, text, column in lines:
            if "printed_code" not in form and _ANNEX.match(text):
                form["printed_code"] = text
                self.note(row, column, f"số hiệu biểu: “{text}”.")
            elif text.startswith("(") and "kèm theo" in text.lower():
                form["attachment_line"] = text
                self.note(row, column, "dòng “Kèm theo…”: nên thay số, ngày bằng {doc_number}, {doc_date}, {issuer}.",
                          False)
            elif "title" not in form:
                form["title"] = text
                self.note(row, column, "tiêu đề; kỳ và tên đơn vị in sẵn nên thay bằng {period}, {unit_name}.", False)
            else:
                rest.append(text)
        if rest:
            form["subtitle"] = " ".join(rest)
        form.setdefault("printed_code", self.name)
        if "title" not in form:
            form["title"] = form["printed_code"]
            self.note(start, first, "không thấy tiêu đề phía trên bảng: lấy số hiệu biểu làm tiêu đề.", False)
        width = max((self.merges.get((start, c), (start, c))[1] for c in self.cells_of(start)), default=1)
        set_up = self.sheet.page_setup.orientation
        form["orientation"] = set_up if set_up in ("landscape", "portrait") else \
            "landscape" if width - first + 1 > 7 else "portrait"
        return form

    def _columns(self, top: int, bottom: int, first: int, last: int) -> tuple[list, list]:
        leaves: list[tuple[dict, int]] = []

        def build(row: int, left: int, right: int) -> list:
            nodes = []
            column = left
            while column <= right:
                if (row, column) in self.covered:
                    column += 1
                    continue
                end_row, end_column = self.merges.get((row, column), (row, column))
                end_column = min(end_column, right)
                label = self.text(row, column)
                if not label:
                    if row < bottom:  # a missing cell of a group: its children still stand
                        nodes.extend(build(row + 1, column, end_column))
                    elif row == bottom:
                        self.note(row, column, "cột không có tiêu đề: đặt tên “Cột …”.", False)
                        node = {"label": f"Cột {get_column_letter(column)}"}
                        leaves.append((node, column))
                        nodes.append(node)
                    column = end_column + 1
                    continue
                node: dict = {"label": label}
                if end_row < bottom:
                    node["children"] = build(end_row + 1, column, end_column)
                    if not node["children"]:
                        node.pop("children")
                if "children" not in node:
                    if end_column > column:
                        self.note(row, column, f"tiêu đề gộp {end_column - column + 1} cột mà không chia cột con: "
                                  "lấy là một cột.", False)
                    leaves.append((node, column))
                nodes.append(node)
                column = end_column + 1
            return nodes

        tree = build(top, first, last)
        ids: Counter = Counter()
        for node, column in leaves:
            base = slug(node["label"])
            ids[base] += 1
            node["id"] = base if ids[base] == 1 else f"{base}_{ids[base]}"
        for node, column in leaves:  # a "Tổng số" under several groups: named by its group
            if ids[slug(node["label"])] > 1:
                parent = self._parent_label(tree, node)
                if parent:
                    node["id"] = slug(f"{parent} {node['label']}", 40)
        seen: Counter = Counter(node["id"] for node, _ in leaves)
        for index, (node, column) in enumerate(leaves):
            if seen[node["id"]] > 1:
                node["id"] = f"{node['id']}_{get_column_letter(column).lower()}"
        if len(tree) > 1 or leaves:
            self.note(top, first, f"tiêu đề {bottom - top + 1} tầng, {len(leaves)} cột dữ liệu "
                      f"({get_column_letter(first)}–{get_column_letter(last)}).")
        return tree, leaves

    def _parent_label(self, nodes: list, target: dict, parent: str = "") -> str | None:
        for node in nodes:
            if node is target:
                return parent
            found = self._parent_label(node.get("children", []), target, node["label"])
            if found is not None:
                return found
        return None

    def _numbers(self, row: int, leaves: list) -> None:
        by_column = dict((column, node) for node, column in leaves)
        for column in self.cells_of(row):
            text = self.text(row, column)
            match = _NUMBER_CELL.match(text)
            node = by_column.get(column)
            if not match or node is None:
                if text:
                    self.note(row, column, f"ô “{text}” của dòng số cột không đọc được.", False)
                continue
            node["number"] = int(match[1])
            if match[2]:
                node["equals"] = match[2].replace(" ", "")
                self.note(row, column, f"hằng đẳng thức ({match[1]})={node['equals']} từ dòng số cột.")

    def _kinds(self, leaves: list, start: int) -> None:
        code = next((node for node, _ in leaves if _STT.match(node["label"])), None)
        if code is None:
            code = leaves[0][0]
            self.note(start, leaves[0][1], f"không có cột “STT”: lấy “{code['label']}” làm cột số thứ tự.", False)
        code["kind"] = "row_code"
        label = next((node for node, _ in leaves if node is not code and _LABEL.match(node["label"])), None)
        if label is None:
            label = next((node for node, _ in leaves if node is not code), None)
            if label is not None:
                self.note(start, next(c for n, c in leaves if n is label),
                          f"lấy “{label['label']}” làm cột tên dòng.", False)
        if label is not None:
            label["kind"] = "row_label"
        for node, column in leaves:
            if "kind" in node:
                continue
            if _NOTE.match(node["label"]):
                node["kind"] = "row_note"
            elif _TEXT.match(node["label"]):
                node["type"] = "text"
            elif "tỷ lệ" in node["label"].lower() or "%" in node["label"]:
                node["type"] = "percent"
                self.note(start, column, "cột tỷ lệ: kiểu percent.")

    def _rows(self, top: int, leaves: list) -> list[dict]:
        code_column = next(c for n, c in leaves if n.get("kind") == "row_code")
        label_column = next((c for n, c in leaves if n.get("kind") == "row_label"), None)
        note_column = next((c for n, c in leaves if n.get("kind") == "row_note"), None)
        found: list[dict] = []
        blank_run: list[int] = []
        ids: set[str] = set()
        stack: list[str] = []  # the code kinds of the rows above, outermost first
        parents: list[dict] = []  # the coded rows above, one a level
        last = max((r for r, _ in self.values), default=top)
        table = range(min(c for _, c in leaves), max(c for _, c in leaves) + 1)

        def close_run() -> None:
            """Rows left empty to write in (numbered or not): a section the office adds rows to."""
            if not blank_run:
                return
            level = len(parents)
            section = f"{parents[-1]['id']}.them" if parents else "them"
            while section in ids:
                section += "_"
            ids.add(section)
            found.append({"row": blank_run[0], "repeat": section, "label": "", "code": "", "id": section,
                          "level": level, "parent": parents[-1]["id"] if parents else None})
            self.note(blank_run[0], label_column or code_column,
                      f"{len(blank_run)} dòng để trống: phần lặp “{section}” (cấp dưới tự thêm dòng).")
            blank_run.clear()

        for row in range(top, last + 1):
            code = self.text(row, code_column)
            label = self.text(row, label_column) if label_column else ""
            texts = [self.text(row, c) for c in self.cells_of(row)]
            if texts and _SIGNING.match(texts[0]) and not code:
                break
            if not label and (code or any((row, c) in self.values or (row, c) in self.covered for c in table)
                              or self._bordered(row, table)):
                blank_run.append(row)
                continue
            if not code and not label:
                close_run()
                continue
            close_run()
            kind = next((k for k, pattern in CODE_KINDS if pattern.match(code)), "other" if code else "")
            if not kind:  # no code: a total stands at the top, any other row under the coded row above
                level = 0 if _TOTAL.match(label) or not parents else len(parents)
                if level == 0:
                    stack, parents = [], []
            else:
                level = stack.index(kind) if kind in stack else len(stack)
                del stack[level:]
                del parents[level:]
                stack.append(kind)
            entry = {"row": row, "code": code, "label": label, "level": level,
                     "parent": parents[level - 1]["id"] if level and len(parents) >= level else None}
            token = re.sub(r"[).]+$", "", code).strip()
            base = token if token and re.fullmatch(r"[A-Za-z0-9.\-]+", token) else slug(label or code, 24)
            candidate = base if base not in ids else f"{entry['parent']}.{base}" if entry["parent"] else base
            number = 2
            while candidate in ids:
                candidate, number = f"{base}-{number}", number + 1
            entry["id"] = candidate
            ids.add(candidate)
            if label_column and (row, label_column) in self.bold:
                entry["style"] = "bold"
            elif label_column and (row, label_column) in self.italic:
                entry["style"] = "italic"
            if _TOTAL.match(label):
                entry["style"] = "total"
            if note_column and self.text(row, note_column):
                entry["note"] = self.text(row, note_column)
            if kind:
                del parents[level:]
                parents.append(entry)
            found.append(entry)
        close_run()
        if found:
            kinds = dict.fromkeys(k for e in found for k, pattern in CODE_KINDS if pattern.match(e["code"]))
            self.note(found[0]["row"], code_column, f"{len(found)} dòng, {1 + max(e['level'] for e in found)} cấp "
                      f"theo số thứ tự ({', '.join(CODE_NAMES[k] for k in kinds) or 'không có số'}).")
        return found

    def _bordered(self, row: int, table: range) -> bool:
        """Whether a row's cells have borders: an empty row of the table, not space under it."""
        cells = [self.sheet.cell(row=row, column=c) for c in table]
        return sum(1 for c in cells if c.border is not None and c.border.left is not None
                   and c.border.left.style) >= len(cells) // 2 + 1

    def _choices(self, leaves: list, body: int) -> None:
        by_column = dict((column, node) for node, column in leaves)
        for validation in self.sheet.data_validations.dataValidation:
            if validation.type != "list":
                continue
            formula = (validation.formula1 or "").strip()
            columns = set()
            for ranged in str(validation.sqref).split():
                try:
                    left, top, right, bottom = range_boundaries(ranged)
                except ValueError:
                    continue
                if bottom is None or bottom >= body:
                    columns |= set(range(left or 1, (right or left or 1) + 1))
            where = str(validation.sqref).split()[0] if str(validation.sqref) else "A1"
            if not (formula.startswith('"') and formula.endswith('"')):
                for column in sorted(c for c in columns if c in by_column):
                    self.note(body, column, f"danh sách chọn lấy từ “{formula[:40]}”: chưa đọc, hãy ghi các lựa chọn.",
                              False)
                continue
            choices = [c.strip() for c in formula[1:-1].split(",") if c.strip()]
            for column in sorted(c for c in columns if c in by_column):
                node = by_column[column]
                if node.get("kind") in ("row_code", "row_label", "row_note"):
                    continue
                node["type"], node["choices"] = "choice", choices
                self.note(body, column, f"lựa chọn {', '.join(choices)} (từ danh sách {where}).")

    def _formulas(self, rows: list[dict], leaves: list) -> None:
        by_sheet_row = {e["row"]: e for e in rows}
        by_column = dict((column, node) for node, column in leaves)
        identities: dict[int, Counter] = {}
        totals: dict[int, Counter] = {}
        for (row, column), value in sorted(self.values.items()):
            if not (isinstance(value, str) and value.startswith("=")) or row not in by_sheet_row \
                    or column not in by_column:
                continue
            terms = _terms(value[1:])
            if terms is None:
                self.note(row, column, f"công thức “{value[:60]}” không đọc được (chỉ đọc cộng, trừ và SUM trong "
                          "cùng trang); bỏ qua.", False)
                continue
            if all(r == row and c != column for _, r, c in terms) and all(c in by_column for _, _, c in terms):
                parts = " ".join(("+ " if sign > 0 else "- ") + str(c) for sign, _, c in terms)
                identities.setdefault(column, Counter())[parts] += 1
            elif all(c == column and r != row for _, r, c in terms) and all(s > 0 for s, _, _ in terms):
                named = tuple(by_sheet_row[r]["id"] for _, r, _ in sorted(terms, key=lambda t: t[1])
                              if r in by_sheet_row)
                totals.setdefault(row, Counter())[named] += 1
            else:
                self.note(row, column, f"công thức “{value[:60]}” trộn hàng và cột: chưa suy ra, hãy ghi quy tắc.",
                          False)
        numbers = {column: node.get("number") for column, node in by_column.items()}
        for column, found in identities.items():
            parts, count = found.most_common(1)[0]
            node = by_column[column]
            terms = _split_terms(parts)
            if all(numbers.get(c) is not None for _, c in terms) and node.get("number") is not None:
                text = "".join(("+" if s == "+" else "-") + f"({numbers[c]})" for s, c in terms).lstrip("+")
            else:
                text = " ".join(f"{'+' if s == '+' else '-'} {by_column[c]['id']}" for s, c in terms).lstrip("+ ")
            if node.get("equals") and node["equals"].replace(" ", "") != text.replace(" ", ""):
                self.note(self._first_row(rows), column, f"công thức của cột ({text}) khác dòng số cột "
                          f"({node['equals']}): giữ dòng số cột.", False)
                continue
            node.setdefault("equals", text)
            self.note(self._first_row(rows), column, f"cột “{node['label']}” = {text} (công thức ở {count} dòng).")
        for row, found in totals.items():
            named, _ = found.most_common(1)[0]
            entry = by_sheet_row[row]
            children = tuple(e["id"] for e in rows if e["parent"] == entry["id"])
            entry["total"] = "children" if named and named == children else list(named)
            self.note(row, min(c for c, n in by_column.items() if n.get("kind") != "row_code"),
                      f"dòng “{entry['label']}” là tổng của "
                      f"{'các dòng con' if entry['total'] == 'children' else ', '.join(entry['total'])}.")

    @staticmethod
    def _first_row(rows: list[dict]) -> int:
        return rows[0]["row"] if rows else 1


def _split_terms(parts: str) -> list[tuple[str, int]]:
    return [(sign, int(column)) for sign, column in re.findall(r"([+-]) (\d+)", parts)]


def _terms(body: str) -> list[tuple[int, int, int]] | None:
    """A formula's signed cells (sign, row, column) when it only adds and subtracts cells and
    SUMs of this sheet; None for anything else (another sheet, a function, a constant)."""
    body = body.replace(" ", "").upper()
    if not body or "!" in body or "[" in body:
        return None
    terms = []
    for sign, term in re.findall(r"([+-]?)((?:SUM\([^)]*\))|[^+-]+)", body):
        factor = -1 if sign == "-" else 1
        arguments = term[4:-1].split(",") if term.startswith("SUM(") and term.endswith(")") else [term]
        for argument in arguments:
            found = _cells(argument)
            if found is None:
                return None
            terms += [(factor, r, c) for r, c in found]
    return terms if 0 < len(terms) <= MAX_RANGE_CELLS else None


def _cells(text: str) -> list[tuple[int, int]] | None:
    """The cells (row, column) of "D10" or "D10:D21"; None for anything else."""
    if (single := _REF.match(text)) is not None:
        return [(int(single[2]), column_index_from_string(single[1]))]
    first, _, second = text.partition(":")
    a, b = _REF.match(first), _REF.match(second)
    if a is None or b is None:
        return None
    c1, r1, c2, r2 = column_index_from_string(a[1]), int(a[2]), column_index_from_string(b[1]), int(b[2])
    if (abs(r2 - r1) + 1) * (abs(c2 - c1) + 1) > MAX_RANGE_CELLS:
        return None
    return [(r, c) for r in range(min(r1, r2), max(r1, r2) + 1) for c in range(min(c1, c2), max(c1, c2) + 1)]


def _nested(rows: list[dict]) -> list[dict]:
    """The rows as the definition's tree, each under its parent."""
    roots: list[dict] = []
    made: dict[str, dict] = {}
    for entry in rows:
        if entry.get("repeat"):
            parent = made.get(entry["parent"]) if entry["parent"] else None
            (parent.setdefault("children", []) if parent is not None else roots).append({"repeat": entry["repeat"]})
            continue
        node = {"id": entry["id"], "code": entry["code"], "label": entry["label"]}
        for key in ("note", "style", "total"):
            if entry.get(key):
                node[key] = entry[key]
        made[entry["id"]] = node
        parent = made.get(entry["parent"]) if entry["parent"] else None
        (parent.setdefault("children", []) if parent is not None else roots).append(node)
    return roots


__all__ = ["Draft", "Note", "read_template", "slug"]

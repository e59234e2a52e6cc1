"""A report's annexes as printed: the one model behind the workbook, the PDF and the print.

``build_annexes`` turns a report (``ReportData``) into ``Annex``es: title lines
with the report's placeholders filled, the header grid with its merges and the
column-number row, and the body rows with each cell's typed value, its
Vietnamese text and, where the form implies one, its formula.

Formulas come from the form itself: a header identity "(3)=(4)+(5)", a total
row, a computed column.  A typed cell gets its formula only when the value the
clerk entered equals what the formula gives, so recalculating the workbook in
Excel or LibreOffice shows exactly the numbers the app shows; a total that
contradicts its parts stays the typed number (the app reports it as a finding).
"""

from __future__ import annotations

import re
import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from desktop.schema import expr as ex
from desktop.report.data import ReportData
from desktop.report.ops import form_note_key
from desktop.schema.layout import Layout, Row
from desktop.schema.model import Column, Form, Rule
from desktop.foundation.values import CellType, format_value

# --- formulas ----------------------------------------------------------------


@dataclass(frozen=True)
class Ref:
    form: str
    row: str
    column: str


@dataclass(frozen=True)
class Sum:
    refs: tuple[Ref, ...]


@dataclass(frozen=True)
class Op:
    op: str
    left: object
    right: object


@dataclass(frozen=True)
class Const:
    value: Decimal


@dataclass(frozen=True)
class Round:
    operand: object
    places: int


def formula_refs(node) -> list[Ref]:
    if isinstance(node, Ref):
        return [node]
    if isinstance(node, Sum):
        return list(node.refs)
    if isinstance(node, Op):
        return formula_refs(node.left) + formula_refs(node.right)
    if isinstance(node, Round):
        return formula_refs(node.operand)
    return []


class _NotANumber:
    """A "Có" or a text in a cell a formula reads: Excel would give #VALUE!."""


_NOT_A_NUMBER = _NotANumber()


def evaluate(node, value_of) -> Decimal | None:
    """A formula's value with the rule engine's meaning of blanks: a sum of
    blanks is blank, a blank part of "+" or "-" counts as 0, text adds nothing."""
    if isinstance(node, Const):
        return node.value
    if isinstance(node, Ref):
        value = value_of(node)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, (int, Decimal)):
            return _NOT_A_NUMBER
        return Decimal(value)
    if isinstance(node, Sum):
        total = None
        for ref in node.refs:
            value = evaluate(ref, value_of)
            if isinstance(value, Decimal):
                total = value if total is None else total + value
        return total
    if isinstance(node, Round):
        value = evaluate(node.operand, value_of)
        return value.quantize(Decimal(1).scaleb(-node.places)) if isinstance(value, Decimal) else None
    left, right = evaluate(node.left, value_of), evaluate(node.right, value_of)
    if left is _NOT_A_NUMBER or right is _NOT_A_NUMBER:
        return None
    if node.op in ("+", "-"):
        if left is None and right is None:
            return None
        left, right = left or Decimal(0), right or Decimal(0)
        return left + right if node.op == "+" else left - right
    if left is None or right is None:
        return None
    if node.op == "*":
        return left * right
    return None if right == 0 else left / right


# --- the printed model ----------------------------------------------------------


@dataclass
class HeaderCell:
    text: str
    row: int  # 0-based within the header
    col: int  # 0-based leaf index
    rowspan: int = 1
    colspan: int = 1


@dataclass
class Cell:
    column: Column
    ctype: CellType
    value: object = None
    text: str = ""
    editable: bool = False  # typed by the clerk (Row.typed)
    implied: object = None  # what the form says the cell is: Ref / Sum / Op / Round tree, or None
    formula: object = None  # ``implied`` where the value agrees with it: what the workbook computes


@dataclass
class BodyRow:
    row: Row
    cells: list[Cell]

    @property
    def style(self) -> str:
        return self.row.style


@dataclass
class Annex:
    form: Form
    layout: Layout
    sheet_name: str
    printed_code: str
    title: str
    subtitle: str
    attachment_line: str
    # the title as a phrase in a sentence ("Kèm theo … : - Phụ lục VI: Thống kê … trên địa bàn huyện
    # Khánh Sơn"): the template's words in sentence case, the values as they are written
    phrase: str
    header: list[HeaderCell]
    header_rows: int  # rows of header names, without the number row
    number_row: list[str] | None  # "(1)", "(2)", "(3)=(4)+(5)"... when the form prints them
    rows: list[BodyRow] = field(default_factory=list)
    footnote: str = ""  # the clerk's note printed under the table (report.ops.form_note_key)
    group_title: str = ""  # printed above the annex's code, over a group of annexes
    blank: bool = False  # printed empty, to write in (exchange.blank): every column keeps its room

    @property
    def columns(self) -> list[Column]:
        return self.form.leaves

    @property
    def orientation(self) -> str:
        return self.form.orientation

    def widths(self) -> list[float]:
        """Relative column widths: the form's own, else by what the column holds."""
        out = []
        for column in self.columns:
            if column.width:
                out.append(float(column.width))
            elif column.kind == "row_code":
                out.append(0.6)
            elif column.kind == "row_label":
                out.append(3.5)
            elif column.kind == "row_note":
                out.append(1.0)
            elif column.ctype.value_kind == "text":
                out.append(2.0)
            else:
                out.append(1.0)
        return out


_VOWELS = "aeiouyàáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ"
_SYLLABLE = re.compile(
    rf"^(ngh|ng|gh|gi|ch|kh|nh|ph|qu|th|tr|[bcdđghklmnpqrstvx])?[{_VOWELS}]+(ch|ng|nh|[cmnpt])?$")



_ROMAN = re.compile(r"[IVXLC]+")
# "VI", "XI" are Vietnamese words too ("PHẠM VI", "XI MĂNG"): numerals only after these
_NUMBERED = {"quý", "lục", "phần", "mục", "chương", "khoản", "biểu", "giai", "đoạn", "khóa"}


def sentence_case(title: str) -> str:
    """An upper-case annex title as a phrase: "THỐNG KÊ … UBND" -> "Thống kê … UBND".
    A capitalised word that cannot be a Vietnamese syllable is an abbreviation (TTHC,
    UBND, BCCI) and stays, as do words already in mixed case (a unit's name) and Roman
    numerals ("QUÝ III NĂM 2025" -> "quý III năm 2025", never "quý iii")."""
    words = []
    for word in title.split(" "):
        letters = "".join(ch for ch in word if ch.isalpha())
        previous = words[-1].lower().strip(",.:;()") if words else ""
        numeral = bool(_ROMAN.fullmatch(letters)) and (letters not in ("VI", "XI", "LI", "CI") or previous in _NUMBERED)
        keep = not letters or letters != letters.upper() or numeral or not _SYLLABLE.match(letters.lower())
        words.append(word if keep else word.lower())
    text = " ".join(words)
    return text[:1].upper() + text[1:]


_COMMON_FIRST = {"quý", "năm", "kỳ", "tháng", "giai", "trên", "số", "thời"}


def in_sentence(phrase: str) -> str:
    """A phrase as it reads inside a sentence: "Quý III năm 2025" -> "quý III năm 2025". Only a
    common first word loses its capital; a name ("Xã Ba Cụm Bắc") or an abbreviation keeps it."""
    first = phrase.split(" ", 1)[0]
    if first.lower() in _COMMON_FIRST and first != first.upper():
        return phrase[:1].lower() + phrase[1:]
    return phrase


# --- placeholders ---------------------------------------------------------------


LEVEL_WORDS = ("xã", "phường", "thị trấn", "huyện", "quận", "thị xã", "thành phố", "tỉnh")


def short_unit_name(name: str) -> str:
    """"Ủy ban nhân dân huyện Kế Sách" or "Xã Quảng Ngạn" -> "huyện Kế Sách", "xã Quảng Ngạn"
    (the "trên địa bàn …" form)."""
    for prefix in ("Ủy ban nhân dân ", "Uỷ ban nhân dân ", "UBND "):
        if name.lower().startswith(prefix.lower()):
            name = name[len(prefix):]
            break
    if any(name.lower().startswith(word + " ") for word in LEVEL_WORDS):
        return name[:1].lower() + name[1:]
    return name


def issuing_body(name: str) -> str:
    """The People's Committee that issues the report: "Ủy ban nhân dân xã Quảng Ngạn",
    whether the unit is named that way or just "Xã Quảng Ngạn"."""
    return "Ủy ban nhân dân " + short_unit_name(name)


def _date(text: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text) if text else None
    except ValueError:
        return None


def placeholders(data: ReportData) -> dict[str, str]:
    report, unit = data.report, data.unit
    start, end = data.period.bounds(data.period_rules)
    start, end = _date(report.data_from) or start, _date(report.data_to) or end  # as the report states it
    doc_date = _date(report.doc_date)
    return {
        "unit_name": short_unit_name(unit.name),
        "issuer": issuing_body(unit.name),
        "doc_number": report.doc_number or "…",
        "doc_date": doc_date.strftime("%d/%m/%Y") if doc_date else "…",
        "year": str(data.period.year),
        "period": data.period.label,  # "Quý III năm 2025", "năm 2019": a quarterly report's annexes name the quarter
        "period_start": start.strftime("%d/%m/%Y"),
        "period_end": end.strftime("%d/%m/%Y"),
    }


def fill(text: str, values: dict[str, str]) -> str:
    """The form's title with the report's values; an unknown {name} is left as written.
    A title printed in capitals gets its values in capitals too ("… TRÊN ĐỊA BÀN HUYỆN KHÁNH SƠN")."""
    bare = text
    for key in values:
        bare = bare.replace("{" + key + "}", "")
    capitals = any(ch.isalpha() for ch in bare) and bare == bare.upper()
    out = text
    for key, value in values.items():
        out = out.replace("{" + key + "}", value.upper() if capitals else value)
    return out


# --- building ------------------------------------------------------------------------


def header_grid(form: Form) -> tuple[list[HeaderCell], int]:
    depth = form.header_depth()
    cells: list[HeaderCell] = []

    def leaves(column: Column) -> int:
        return 1 if column.is_leaf else sum(leaves(c) for c in column.children)

    def place(columns: list[Column], level: int, start: int) -> None:
        col = start
        for column in columns:
            span = leaves(column)
            rowspan = depth - level if column.is_leaf else 1
            cells.append(HeaderCell(column.label, level, col, rowspan, span))
            if not column.is_leaf:
                place(column.children, level + 1, col)
            col += span

    place(form.columns, 0, 0)
    return cells, depth


def sheet_names(forms: list[Form]) -> dict[str, str]:
    """One sheet name per form: its printed code, within Excel's 31 characters and
    without the characters Excel refuses, made unique."""
    names: dict[str, str] = {}
    used: set[str] = set()
    for form in forms:
        base = "".join(" " if ch in "[]:*?/\\" else ch for ch in form.printed_code).strip()[:31] or form.code
        name, n = base, 2
        while name.lower() in used:
            suffix = f" ({n})"
            name, n = base[: 31 - len(suffix)] + suffix, n + 1
        used.add(name.lower())
        names[form.code] = name
    return names


class _Translator:
    """Rule and column expressions as formulas over cells, where Excel can say the same."""

    def __init__(self, data: ReportData, form: Form) -> None:
        self.data = data
        self.form = form
        self.layout = data.layout(form)

    def column_id(self, ref: ex.ColRef, current: str | None, form: Form | None = None) -> str | None:
        form = form or self.form
        if ref.current:
            return current
        column = form.by_number.get(ref.number) if ref.number is not None else form.by_id.get(ref.name)
        if column is None or column.kind != "data":
            return None
        return column.id

    def rows_of(self, call: ex.Call, row: str) -> list[str] | None:
        layout = self.layout
        if call.name == "sum_children":
            return layout.by_id[row].children
        if call.name == "sum_units":
            return layout.units
        if call.name == "sum_items":
            return layout.items
        if call.name == "sum_of":
            return [a.value for a in call.args[1:]]
        if call.name == "sum_rows":
            return layout.between(call.args[0].value, call.args[1].value)
        return None

    def translate(self, node, row: str, current: str | None):
        if isinstance(node, ex.Num):
            return Const(node.value)
        if isinstance(node, ex.ColRef):
            column = self.column_id(node, current)
            return Ref(self.form.code, row, column) if column else None
        if isinstance(node, ex.Unary) and node.op == "-":
            operand = self.translate(node.operand, row, current)
            return Op("-", Const(Decimal(0)), operand) if operand is not None else None
        if isinstance(node, ex.Binary) and node.op in ("+", "-", "*", "/"):
            left, right = self.translate(node.left, row, current), self.translate(node.right, row, current)
            return Op(node.op, left, right) if left is not None and right is not None else None
        if not isinstance(node, ex.Call):
            return None
        if node.name.startswith("sum_"):
            rows = self.rows_of(node, row)
            column = self.column_id(node.args[0] if node.name != "sum_rows" else node.args[2], current)
            if rows is None or column is None or any(r not in self.layout.by_id for r in rows):
                return None
            return Sum(tuple(Ref(self.form.code, r, column) for r in rows))
        if node.name == "cell":
            column = self.column_id(node.args[1], current)
            target = node.args[0].value
            return Ref(self.form.code, target, column) if column and target in self.layout.by_id else None
        if node.name == "form":
            other = self.data.form_set.forms.get(node.args[0].value)
            if other is None:
                return None
            target = node.args[1].value if len(node.args) == 3 else row
            column = self.column_id(node.args[-1], current, other)
            if column is None or target not in self.data.layout(other).by_id:
                return None
            return Ref(other.code, target, column)
        if node.name == "round":
            operand = self.translate(node.args[0], row, current)
            places = node.args[1] if len(node.args) > 1 else ex.Num(Decimal(0))
            if operand is None or not isinstance(places, ex.Num):
                return None
            return Round(operand, int(places.value))
        return None

    def rule_targets(self, rule: Rule):
        """(row, column id, formula) for each cell an identity or total rule defines."""
        left = rule.check.left
        if rule.check.op != "==" or not isinstance(left, ex.ColRef):
            return
        rows = self.layout.rows_for(rule.rows)
        for current in rule.columns or [None]:
            target = self.column_id(left, current)
            if target is None:
                continue
            for row in rows:
                if row in self.layout.by_id:
                    formula = self.translate(rule.check.right, row, current)
                    if formula is not None:
                        yield row, target, formula


def build_annexes(data: ReportData) -> list[Annex]:
    if data.form_set is None:
        return []
    values = placeholders(data)
    forms = list(data.form_set.forms.values())
    names = sheet_names(forms)
    texts = data.store.narrative.of(data.id)
    annexes = []
    for form in forms:
        scope = data.scope(form.code)
        layout = scope.layout
        header, depth = header_grid(form)
        numbered = form.number_row and any(c.number is not None for c in form.leaves)
        annex = Annex(
            form=form, layout=layout, sheet_name=names[form.code], printed_code=form.printed_code,
            title=fill(form.title, values), subtitle=fill(form.subtitle, values),
            attachment_line=fill(form.attachment_line, values),
            phrase=fill(sentence_case(form.title), {key: in_sentence(value) for key, value in values.items()}),
            header=header, header_rows=depth,
            number_row=[c.number_label for c in form.leaves] if numbered else None,
            footnote=texts.get(form_note_key(form.code), ""), group_title=fill(form.group_title, values),
        )
        for row in layout.rows:
            cells = []
            for column in form.leaves:
                ctype = layout.cell_type(row.id, column)
                printed = row.printed(column)
                if printed is not None:
                    cells.append(Cell(column, ctype, printed, printed))
                else:
                    value = scope.cell(row.id, column)
                    cells.append(Cell(column, ctype, value, format_value(value, ctype), row.typed(column)))
            annex.rows.append(BodyRow(row, cells))
        annexes.append(annex)
    _attach_formulas(data, annexes)
    return annexes


def has_figures(annex: Annex) -> bool:
    """Whether any cell of data holds something (typed, received or computed); what the form
    itself prints (codes, names, notes) does not count."""
    return any(cell.value is not None and cell.value != "" for row in annex.rows for cell in row.cells
               if row.row.printed(cell.column) is None)


def printed_annexes(data: ReportData) -> tuple[list[Annex], list[Annex]]:
    """The annexes a report's PDF and Word files print, and those they leave out: a form that is
    no annex (``annex: false``: figures behind the body) and an annex with nothing in it (seed 000
    mentions its Phụ lục VII and prints none). The workbook keeps every form: it is the data."""
    shown, left_out = [], []
    for annex in build_annexes(data):
        (shown if annex.form.annex and has_figures(annex) else left_out).append(annex)
    return shown, left_out


def _attach_formulas(data: ReportData, annexes: list[Annex]) -> None:
    cells: dict[Ref, Cell] = {}
    for annex in annexes:
        for body in annex.rows:
            for cell in body.cells:
                if cell.column.kind == "data":
                    cells[Ref(annex.form.code, body.row.id, cell.column.id)] = cell

    def value_of(ref: Ref):
        cell = cells.get(ref)
        return cell.value if cell is not None else None

    for annex in annexes:
        translator = _Translator(data, annex.form)
        for body in annex.rows:  # computed columns: always their formula, when Excel can say it
            for cell in body.cells:
                if cell.column.ctype.kind == "computed" and cell.column.expr is not None and cell.value is not None:
                    formula = translator.translate(cell.column.expr, body.row.id, cell.column.id)
                    cell.implied = formula
                    if formula is not None and evaluate(formula, value_of) == cell.value:
                        cell.formula = formula
        for rule in annex.form.rules:
            if rule.kind not in ("identity", "total"):
                continue
            for row, column, formula in translator.rule_targets(rule):
                cell = cells.get(Ref(annex.form.code, row, column))
                if cell is None or cell.formula is not None or not cell.ctype.numeric:
                    continue
                cell.implied = cell.implied or formula
                if cell.value is not None and evaluate(formula, value_of) == cell.value:
                    cell.formula = formula
    _break_cycles(cells)


def live_formulas(annexes: list[Annex]) -> None:
    """Every empty cell the form computes gets its formula (a blank form to fill in Excel: its
    totals and identities add up as the office types), cycles broken as for a report."""
    cells: dict[Ref, Cell] = {}
    for annex in annexes:
        for body in annex.rows:
            for cell in body.cells:
                if cell.column.kind == "data":
                    if cell.value is None and cell.formula is None and cell.implied is not None \
                            and formula_refs(cell.implied):  # a total of no rows yet (a district's communes) stays empty
                        cell.formula = cell.implied
                    cells[Ref(annex.form.code, body.row.id, cell.column.id)] = cell
    _break_cycles(cells)


def _break_cycles(cells: dict[Ref, Cell]) -> None:
    """x = y and y = x can both hold; Excel would call it a circular reference.
    A cell on a cycle keeps its number instead of its formula."""
    state: dict[Ref, int] = {}  # 1 visiting, 2 done

    def visit(ref: Ref) -> None:
        state[ref] = 1
        cell = cells[ref]
        for dep in formula_refs(cell.formula):
            if dep not in cells or cells[dep].formula is None:
                continue
            if state.get(dep) == 1:
                cell.formula = None
                break
            if dep not in state:
                visit(dep)
        state[ref] = 2

    for ref, cell in cells.items():
        if cell.formula is not None and ref not in state:
            visit(ref)

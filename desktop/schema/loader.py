"""Loading form sets from YAML, in stages: read -> normalise -> check -> build.

- read: YAML text to plain data that remembers each key's line;
- normalise: each field checked for presence and type, defaults applied,
  shorthands expanded, into ``model`` objects;
- check: references (columns, rows, lists, forms), duplicates and rule
  expressions, across the whole form and set;
- build: header identities and total rows become rules, numbers assigned.

A problem never raises out of here: it becomes a ``Problem`` naming the file,
the line and what to fix, the broken form is left out, and the rest of the
set still loads.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import string
from decimal import Decimal
from dataclasses import dataclass
from pathlib import Path

from desktop.foundation.messages import CchcError, msg
from desktop.schema.figures import compile_key_figures
from desktop.schema.reading import MAX_FILE_BYTES, TOO_DEEP, Fields, LineDict, LoadFailed, Problem, problem, read_yaml
from desktop.schema import expr as ex
from desktop.schema.model import (
    BLANK_MEANS,
    BLANK_ROWS,
    COLUMN_KINDS,
    LEVELS,
    ORIENTATIONS,
    ROW_STYLES,
    SCOPES,
    SEVERITIES,
    Column,
    Consolidation,
    Form,
    FormSet,
    RowSpec,
    Rule,
)
from desktop.foundation.values import KINDS, CellType

SET_FILE = "set.yaml"
_IDENT = re.compile(r"^[A-Za-z0-9_.\-:]+$")
_COLUMN_ID = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def _normalise_column(data, file: str, problems: list[Problem], line: int) -> Column:
    where = ""
    if isinstance(data, LineDict) and isinstance(data.get("id"), str):
        where = f" (cột “{data['id']}”)"
    elif isinstance(data, LineDict) and isinstance(data.get("label"), str):
        where = f" (cột “{data['label']}”)"
    f = Fields(data, file, problems, where, line)
    column = Column(label=f.get("label", required=True, default=""), line=f.line)
    column.id = f.get("id")
    children = f.get("children", list, default=None)
    column.width = f.get("width", int)
    if children is not None:
        column.children = [_normalise_column(c, file, problems, children.line) for c in children]
        if not column.children:
            f.fail("FORM004", f.line_of("children"), field="children", expected="một danh sách không rỗng")
    else:
        if column.id is None:
            f.fail("FORM003", field="id")
        elif not _COLUMN_ID.match(column.id):
            f.fail("FORM007", f.line_of("id"), field="id", value=column.id,
                   allowed="chữ cái không dấu, chữ số và “_”, bắt đầu bằng chữ")
        column.number = f.get("number", int)
        column.kind = f.get("kind", default="data", choices=COLUMN_KINDS)
        kind = f.get("type", default="text" if column.kind != "data" else "count", choices=KINDS)
        choices = f.get("choices", list, default=[])
        result = f.get("result", default="count", choices=("count", "integer", "decimal", "percent"))
        units = f.get("units", list, default=[])
        if not all(isinstance(u, str) and u.strip() and '"' not in u and len(u) <= 40 for u in units) or \
                (units and kind not in ("count", "integer")):
            f.fail("FORM004", f.line_of("units"), field="units",
                   expected="danh sách đơn vị tính của một cột số đếm, ví dụ [nhiệm vụ, đơn vị]")
            units = []
        column.ctype = CellType(
            kind=kind,
            choices=tuple(str(c) for c in choices),
            decimals=f.get("decimals", int),
            signed=f.get("signed", bool, default=False),
            result=result,
            units=tuple(" ".join(u.split()) for u in units),
        )
        column.equals = f.get("equals")
        column.history = f.get("history", bool, default=True)
        bounds = f.get("bounds", dict)
        if bounds is not None:
            limits = Fields(bounds, file, problems, where, bounds.line)
            low, high = (limits.get(key, (int, float)) for key in ("min", "max"))
            limits.done()
            column.bounds = tuple(None if v is None else Decimal(str(v)) for v in (low, high))
            if None not in column.bounds and column.bounds[0] > column.bounds[1]:
                f.fail("FORM007", f.line_of("bounds"), field="bounds", value=f"{low}–{high}",
                       allowed="min không lớn hơn max")
        expr_text = f.get("expr")
        if kind == "computed":
            if not expr_text:
                f.fail("FORM010", ident=column.id)
            else:
                column.expr = _parse_expr(expr_text, f, "expr")
        if kind == "choice" and not choices:
            f.fail("FORM011", ident=column.id)
    f.done()
    if f.failed:
        raise LoadFailed
    return column


def _parse_expr(text: str, f: Fields, field: str, identity: bool = False):
    try:
        return ex.parse_identity(text) if identity else ex.parse(text)
    except CchcError as error:
        f.fail("FORM008", f.line_of(field), expr=text, reason=str(error))
        return None


_ROW_GENERATORS = ("units", "items", "repeat")


def _normalise_from(f: "Fields") -> Consolidation | None:
    """``from:`` of a ``units`` row: which row of which form of the child units' reports fills it."""
    data = f.get("from", dict)
    if data is None:
        return None
    g = Fields(data, f.file, f.problems, f.where, f.line_of("from"))
    source = Consolidation(form_set=g.get("form_set", required=True, default=""),
                           form=g.get("form", required=True, default=""),
                           row=g.get("row", required=True, default=""))
    columns = g.get("columns", dict, default={})
    if any(not isinstance(k, str) or not isinstance(v, str) for k, v in columns.items()):
        g.fail("FORM004", g.line_of("columns"), field="columns", expected="một bảng cột cha: cột con")
    source.columns = {str(k): str(v) for k, v in columns.items()}
    g.done()
    if g.failed:
        f.failed = True
    return source


def _normalise_row(data, file: str, problems: list[Problem], line: int) -> RowSpec:
    where = ""
    if isinstance(data, LineDict):
        for key in ("id", "code", "label") + _ROW_GENERATORS:
            if isinstance(data.get(key), str):
                where = f" (dòng “{data[key]}”)"
                break
    f = Fields(data, file, problems, where, line)
    generators = [g for g in _ROW_GENERATORS if g in f.data]
    if len(generators) > 1:
        f.fail("FORM005", field=generators[1], allowed=generators[0])
    if generators:
        kind = generators[0]
        spec = RowSpec(kind=kind, line=f.line)
        if kind == "units":
            spec.source = f.get("units", required=True, choices=LEVELS)
            spec.consolidate = _normalise_from(f)
        elif kind == "items":
            spec.source = f.get("items", required=True)
        else:
            spec.source = f.get("repeat", required=True)
            spec.label = f.get("label", default="")
        spec.code_format = f.get("code_format", default="{n}")
        spec.style = f.get("style", default="normal", choices=ROW_STYLES)
        if kind != "repeat":  # two generators of one form need an id to keep their rows apart
            spec.id = f.get("id")
    else:
        spec = RowSpec(kind="fixed", line=f.line)
        spec.id = f.get("id", required=True)
        if spec.id is not None and not _IDENT.match(spec.id):
            f.fail("FORM007", f.line_of("id"), field="id", value=spec.id,
                   allowed="chữ, số và các dấu . _ - : (không dấu cách)")
        spec.code = f.get("code", default="")
        spec.label = f.get("label", required=True, default="")
        spec.note = f.get("note", default="")
        spec.style = f.get("style", default="normal", choices=ROW_STYLES)
        row_type = f.get("type", choices=tuple(k for k in KINDS if k != "computed"))
        row_choices = f.get("choices", list, default=[])
        if row_type is not None:
            spec.ctype = CellType(kind=row_type, choices=tuple(str(c) for c in row_choices))
            if row_type == "choice" and not row_choices:
                f.fail("FORM011", ident=spec.id)
        total = f.data.get("total")
        f.used.add("total")
        if isinstance(total, str) and total in ("children", "units", "items"):
            spec.total = total
        elif isinstance(total, list) and all(isinstance(t, (str, int)) for t in total) and total:
            spec.total = [str(t) for t in total]
        elif total is not None:
            f.fail("FORM007", f.line_of("total"), field="total", value=total,
                   allowed="children, units, items hoặc danh sách mã dòng")
        children = f.get("children", list, default=[])
        spec.children = []
        for child in children:
            try:
                spec.children.append(_normalise_row(child, file, problems, children.line))
            except LoadFailed:
                f.failed = True
    f.done()
    if f.failed:
        raise LoadFailed
    return spec


def _normalise_rule(data, file: str, problems: list[Problem], line: int) -> Rule:
    where = f" (quy tắc “{data.get('id')}”)" if isinstance(data, LineDict) and data.get("id") else ""
    f = Fields(data, file, problems, where, line)
    rule = Rule(
        id=f.get("id", required=True, default=""),
        severity=f.get("severity", default="error", choices=SEVERITIES),
        check=None,
        text=f.get("check", required=True, default=""),
        scope=f.get("scope", default="each_row", choices=SCOPES),
        message=f.get("message"),
        line=f.line,
    )
    row = f.get("row")
    rows = f.get("rows", list)
    column = f.get("column")
    columns = f.get("columns", list)
    if rule.scope == "row" and not (row or rows):
        f.fail("FORM003", field="row")
    if rule.scope == "column" and not (column or columns):
        f.fail("FORM003", field="column")
    if row:
        rows = [row]
    if column:
        columns = [column]
    rule.rows = tuple(str(r) for r in rows) if rows else None
    rule.columns = tuple(str(c) for c in columns) if columns else None
    if rule.message is not None:
        found = _stray_placeholder(str(rule.message))
        if found is not None:
            f.fail("FORM023", f.line_of("message"), found=found[:60])
    if rule.text:
        rule.check = _parse_expr(rule.text, f, "check")
        if rule.check is not None and not _is_comparison(rule.check):
            f.fail("FORM008", f.line_of("check"), expr=rule.text,
                   reason="quy tắc phải là một phép so sánh (==, !=, <, <=, >, >=).")
    f.done()
    if f.failed:
        raise LoadFailed
    return rule


MESSAGE_PLACEHOLDERS = ("row", "column", "actual", "expected")


def _stray_placeholder(text: str) -> str | None:
    """The first part of a rule's message that is not a plain documented placeholder: a width of
    400.000.000 or ``{row.__class__}`` would make a finding's text cost memory or show an object."""
    try:
        parts = list(string.Formatter().parse(text))
    except ValueError:
        return text
    for _, name, spec, conversion in parts:
        if name is None:
            continue
        if name not in MESSAGE_PLACEHOLDERS or spec or conversion:
            return "{" + name + (f"!{conversion}" if conversion else "") + (f":{spec}" if spec else "") + "}"
    return None


def _is_comparison(node) -> bool:
    return isinstance(node, ex.Binary) and node.op in ex.COMPARISONS


def normalise_form(data, file: str, problems: list[Problem]) -> Form | None:
    """Stage 2 for one form file."""
    f = Fields(data, file, problems, "")
    if f.failed:
        return None
    code = f.get("code", required=True, default="")
    printed = f.get("printed_code", required=True, default="")
    title = f.get("title", required=True, default="")
    subtitle = f.get("subtitle", default="")
    attachment = f.get("attachment_line", default="")
    orientation = f.get("orientation", default="portrait", choices=ORIENTATIONS)
    numbered = f.get("numbered", bool, default=False)
    header_block = f.get("header_block", bool, default=False)
    group_title = f.get("group_title", default="")
    annex = f.get("annex", bool, default=True)
    number_row = f.get("number_row", bool, default=True)
    raw_columns = f.get("columns", list, required=True, default=[])
    raw_rows = f.get("rows", list, required=True, default=[])
    raw_identities = f.get("identities", list, default=[])
    raw_rules = f.get("rules", list, default=[])
    f.done()
    columns: list[Column] = []
    rows: list[RowSpec] = []
    rules: list[Rule] = []
    for item in raw_columns:
        try:
            columns.append(_normalise_column(item, file, problems, raw_columns.line))
        except LoadFailed:
            f.failed = True
    for item in raw_rows:
        try:
            rows.append(_normalise_row(item, file, problems, raw_rows.line))
        except LoadFailed:
            f.failed = True
    for item in raw_rules:
        try:
            rules.append(_normalise_rule(item, file, problems, raw_rules.line))
        except LoadFailed:
            f.failed = True
    for index, text in enumerate(raw_identities):
        line = raw_identities.line + index + 1
        if not isinstance(text, str):
            f.fail("FORM004", line, field="identities", expected="chữ, ví dụ \"(3)=(7)+(11)\"")
            continue
        tree = _parse_expr(text, Fields(LineDict(), file, problems, line=line), "identities", identity=True)
        if tree is None:
            f.failed = True
        elif not (_is_comparison(tree) and tree.op == "=="):
            f.fail("FORM008", line, expr=text, reason="hằng đẳng thức phải có dạng (a)=(b)+(c).")
        else:
            rules.append(Rule(id=text.replace(" ", ""), severity="error", check=tree, text=text,
                              kind="identity", line=line))
    if f.failed:
        return None
    form = Form(code=code, printed_code=printed, title=title, columns=columns, rows=rows, rules=rules,
                subtitle=subtitle, attachment_line=attachment, orientation=orientation, file=file,
                header_block=header_block, group_title=group_title, annex=annex,
                number_row=number_row)
    if numbered:
        number = 1
        for leaf in form.leaves:
            if leaf.number is None:
                leaf.number = number
            number = leaf.number + 1
        form.__post_init__()
    return form


# --- stage 3: check ---------------------------------------------------------


def _fixed_row_ids(specs: list[RowSpec]) -> set[str]:
    ids: set[str] = set()
    for spec in specs:
        if spec.kind == "fixed":
            ids.add(spec.id)
        ids |= _fixed_row_ids(spec.children)
    return ids


def check_form(form: Form, form_set_lists: dict, forms: dict[str, Form], problems: list[Problem]) -> bool:
    """Stage 3: every reference resolves, every id is unique."""
    before = len(problems)
    file = form.file
    other_rows = {code: _fixed_row_ids(other.rows) for code, other in forms.items()}

    def fail(code: str, line: int, **params) -> None:
        params.setdefault("where", "")
        problems.append(problem(code, file, line, **params))

    seen_columns: dict[str, int] = {}
    seen_numbers: dict[int, int] = {}
    for leaf in form.leaves:
        if leaf.id in seen_columns:
            fail("FORM006", leaf.line, ident=leaf.id)
        seen_columns[leaf.id] = leaf.line
        if leaf.number is not None:
            if leaf.number in seen_numbers:
                fail("FORM006", leaf.line, ident=f"({leaf.number})")
            seen_numbers[leaf.number] = leaf.line
    kinds = [leaf.kind for leaf in form.leaves]
    if kinds.count("row_code") != 1 or kinds.count("row_label") != 1 or kinds.count("row_note") > 1:
        fail("FORM014", form.columns[0].line if form.columns else 0)

    row_ids: dict[str, int] = {}
    sections: set[str] = set()
    generators: set[str] = set()

    def visit(specs: list[RowSpec]) -> None:
        for spec in specs:
            if spec.kind == "fixed":
                if spec.id in row_ids:
                    fail("FORM006", spec.line, ident=spec.id)
                row_ids[spec.id] = spec.line
            elif spec.kind in ("units", "items"):
                if spec.kind == "items" and spec.source not in form_set_lists:
                    fail("FORM015", spec.line, ident=spec.source)
                key = spec.id or f"{spec.kind}:{spec.source}"
                if key in generators:
                    fail("FORM006", spec.line, ident=spec.id or spec.kind)
                generators.add(key)
            elif spec.kind == "repeat":
                if spec.source in sections:
                    fail("FORM006", spec.line, ident=spec.source)
                sections.add(spec.source)
            visit(spec.children)

    visit(form.rows)

    def visit_totals(specs: list[RowSpec]) -> None:
        for spec in specs:
            if isinstance(spec.total, list):
                for ref in spec.total:
                    if ref not in row_ids:
                        fail("FORM009", spec.line, ident=ref, where=f" (tổng của dòng “{spec.id}”)")
            visit_totals(spec.children)

    visit_totals(form.rows)

    def check_tree(tree, line: int, text: str, column_rule: bool) -> None:
        for node in ex.walk(tree, into_other_forms=False):
            if isinstance(node, ex.ColRef):
                if node.current and not column_rule:
                    fail("FORM008", line, expr=text, reason=msg("EXPR006"))
                elif node.name is not None and node.name not in form.by_id:
                    fail("FORM009", line, ident=node.name, where=f" (trong “{text}”)")
                elif node.number is not None and node.number not in form.by_number:
                    fail("FORM009", line, ident=f"({node.number})", where=f" (trong “{text}”)")
            elif isinstance(node, ex.Call):
                if node.name == "form":
                    other = forms.get(node.args[0].value)
                    row = node.args[1].value if len(node.args) == 3 else None
                    column = node.args[-1]
                    if other is None:
                        fail("FORM009", line, ident=node.args[0].value, where=f" (biểu, trong “{text}”)")
                    elif row is not None and ":" not in row and row not in other_rows[other.code]:
                        fail("FORM009", line, ident=row, where=f" (dòng của biểu {other.code}, trong “{text}”)")
                    elif column.current and not column_rule:
                        fail("FORM008", line, expr=text, reason=msg("EXPR006"))
                    elif (column.name is not None and column.name not in other.by_id) or \
                            (column.number is not None and column.number not in other.by_number):
                        fail("FORM009", line, ident=str(column), where=f" (cột của biểu {other.code}, trong “{text}”)")
                    continue
                for arg in node.args:
                    if isinstance(arg, ex.Str) and node.name in ("cell", "sum_rows", "sum_of") \
                            and arg.value not in row_ids:
                        fail("FORM009", line, ident=arg.value, where=f" (dòng, trong “{text}”)")

    for leaf in form.leaves:
        if leaf.expr is not None:
            check_tree(leaf.expr, leaf.line, leaf.id, False)
        if leaf.equals:
            text = f"({leaf.number})={leaf.equals}" if "(" in leaf.equals else f"{leaf.id}=={leaf.equals}"
            if "(" in leaf.equals and leaf.number is None:
                fail("FORM003", leaf.line, field="number", where=f" (cột “{leaf.id}” có hằng đẳng thức)")
                continue
            try:
                tree = ex.parse_identity(text)
            except CchcError as error:
                fail("FORM008", leaf.line, expr=leaf.equals, reason=str(error))
                continue
            check_tree(tree, leaf.line, leaf.equals, False)
    for rule in form.rules:
        column_rule = rule.columns is not None
        check_tree(rule.check, rule.line, rule.text, column_rule)
        for ref in rule.rows or ():
            if ref not in row_ids and ref not in ("units", "items"):
                fail("FORM009", rule.line, ident=ref, where=f" (quy tắc “{rule.id}”)")
        for ref in rule.columns or ():
            if ref not in form.by_id:
                fail("FORM009", rule.line, ident=ref, where=f" (quy tắc “{rule.id}”)")
    rule_ids: set[str] = set()
    for rule in form.rules:
        if rule.id in rule_ids:
            fail("FORM006", rule.line, ident=rule.id)
        rule_ids.add(rule.id)
    return len(problems) == before


# --- stage 4: build ---------------------------------------------------------


def _adds_columns(node) -> bool:
    """Whether an identity's side only adds and subtracts columns of the same row."""
    if isinstance(node, ex.ColRef):
        return not node.current
    return isinstance(node, ex.Binary) and node.op in ("+", "-") \
        and _adds_columns(node.left) and _adds_columns(node.right)


def build_form(form: Form) -> Form:
    """Stage 4: header identities and total rows become rules."""
    generated: list[Rule] = []
    for leaf in form.leaves:
        if leaf.equals:
            if "(" in leaf.equals:
                text = f"({leaf.number})={leaf.equals.replace(' ', '')}"
                tree = ex.parse_identity(text)
            else:
                text = f"{leaf.id}={leaf.equals}"
                tree = ex.parse(f"{leaf.id} == {leaf.equals}")
            generated.append(Rule(id=text, severity="error", check=tree, text=text, kind="identity",
                                  line=leaf.line))
            if leaf.ctype.additive and leaf.ctype.kind != "computed" and _adds_columns(tree.right):
                leaf.parts = tree.right
    additive = tuple(c.id for c in form.data_columns if c.ctype.additive and c.ctype.kind != "computed")

    def visit(specs: list[RowSpec]) -> None:
        for spec in specs:
            if spec.kind == "fixed" and spec.total is not None and additive \
                    and (spec.ctype is None or spec.ctype.additive):
                if isinstance(spec.total, list):
                    args = ", ".join(f'"{r}"' for r in spec.total)
                    text = f"@ == sum_of(@, {args})"
                else:
                    text = f"@ == sum_{spec.total}(@)"
                generated.append(Rule(id=f"tổng:{spec.id}", severity="error", check=ex.parse(text), text=text,
                                      kind="total", scope="row", rows=(spec.id,), columns=additive,
                                      line=spec.line))
            visit(spec.children)

    visit(form.rows)
    form.rules = generated + form.rules
    return form


# --- the whole set ------------------------------------------------------------


def _normalise_lists(raw, f: Fields) -> dict[str, list[tuple[str, str]]]:
    lists: dict[str, list[tuple[str, str]]] = {}
    if raw is None:
        return lists
    for name, items in raw.items():
        line = raw.lines.get(name, f.line)
        if not isinstance(items, list):
            f.fail("FORM004", line, field=f"lists.{name}", expected="một danh sách")
            continue
        entries: list[tuple[str, str]] = []
        keys: set[str] = set()
        for item in items:
            if isinstance(item, LineDict) and isinstance(item.get("key"), str) and isinstance(item.get("label"), str):
                key, label = item["key"], item["label"]
            else:
                f.fail("FORM004", getattr(item, "line", line), field=f"lists.{name}",
                       expected="các mục dạng {key: ..., label: ...}")
                continue
            if key in keys or not _IDENT.match(key):
                f.fail("FORM006", item.line, ident=key)
                continue
            keys.add(key)
            entries.append((key, label))
        lists[name] = entries
    return lists


def load_forms(form_set: FormSet, f: Fields, directory: Path, shown, problems: list[Problem]) -> bool:
    """The forms a set.yaml lists (``forms:``), each compiled in the four stages, into
    ``form_set.forms`` in order. A kind of sets made of forms calls this as its loader."""
    form_files = f.get("forms", list, required=True, default=[])
    if f.failed:
        return False
    set_file = f.file
    normalised: list[Form] = []
    for ref in form_files:
        if not isinstance(ref, str):
            problems.append(problem("FORM004", set_file, form_files.line, field="forms",
                                    expected="tên tệp biểu mẫu", where=""))
            continue
        path = directory / ref
        if not path.is_file():
            problems.append(Problem("FORM012", msg("FORM012", file=set_file, ref=ref), set_file))
            continue
        count = len(problems)
        raw = read_yaml(path, shown(path), problems)
        try:
            form = normalise_form(raw, shown(path), problems) if raw is not None else None
        except RecursionError:
            problems.append(problem("FORM002", shown(path), 0, reason=TOO_DEEP))
            form = None
        if form is None:
            if len(problems) == count:
                problems.append(problem("FORM004", shown(path), 0, field="biểu mẫu", expected="một bảng", where=""))
            problems.append(Problem("FORM017", msg("FORM017", file=shown(path)), shown(path)))
            continue
        normalised.append(form)
    add_forms(form_set, normalised, problems)
    return True


def add_forms(form_set: FormSet, normalised: list[Form], problems: list[Problem]) -> None:
    """Stages 3 and 4 for forms already normalised (from files, or generated by a kind)."""
    by_code: dict[str, Form] = {}
    for form in normalised:
        if form.code in by_code:
            problems.append(problem("FORM006", form.file, 0, ident=form.code, where=""))
            continue
        by_code[form.code] = form
    for form in by_code.values():
        try:
            checked = check_form(form, form_set.lists, by_code, problems)
            if checked:
                form_set.forms[form.code] = build_form(form)
        except RecursionError:
            problems.append(problem("FORM002", form.file, 0, reason=TOO_DEEP))
            checked = False
        if not checked:
            problems.append(Problem("FORM017", msg("FORM017", file=form.file), form.file))


def load_form_set(directory: Path, problems: list[Problem], kinds: tuple, parts: tuple = (),
                  root: Path | None = None) -> FormSet | None:
    """One set folder: its set.yaml's common fields, then the kind it names (``kinds[0]``
    when it names none) compiles the rest, then each part reads its own key."""
    root = root or directory.parent

    def shown(path: Path) -> str:
        try:
            return str(path.relative_to(root))
        except ValueError:
            return str(path)

    set_path = directory / SET_FILE
    before = len(problems)
    data = read_yaml(set_path, shown(set_path), problems)
    if data is None:
        return None
    f = Fields(data, shown(set_path), problems)
    if f.failed:
        return None
    form_set = FormSet(
        id=f.get("id", required=True, default=""),
        name=f.get("name", required=True, default=""),
        province=f.get("province", required=True, default=""),
        year=f.get("year", int, required=True, default=0),
        version=f.get("version", int, required=True, default=0),
        level=f.get("level", required=True, default="xa", choices=LEVELS + ("any",)),
        forms={},
        description=f.get("description", default=""),
        directory=str(directory),
        blank_rows=f.get("blank_rows", default="khong_phat_sinh", choices=BLANK_ROWS),
        blank_means=str(f.get("blank_means", default="0", choices=BLANK_MEANS)),
    )
    valid_from = f.data.get("valid_from")  # YAML reads an unquoted 2026-01-01 as a date
    f.used.add("valid_from")
    valid_from = "" if valid_from is None else valid_from.isoformat() if hasattr(valid_from, "isoformat") else str(valid_from)
    if valid_from and not _is_date(valid_from):
        f.fail("FORM026", f.line_of("valid_from"), value=valid_from)
        valid_from = ""
    form_set.valid_from = valid_from
    form_set.lists = _normalise_lists(f.get("lists", dict), f)
    by_name = {kind.name: kind for kind in kinds}
    name = f.get("kind", default=kinds[0].name if kinds else "", choices=tuple(by_name))
    raw_parts = {part.name: f.get(part.set_field, dict) for part in parts if part.set_field}
    raw_figures = f.get("key_figures", list)
    kind = by_name.get(name)
    if kind is None:
        f.done()
        return None
    form_set.kind = kind
    for key in kind.set_fields:
        f.used.add(key)
    f.done()
    if f.failed or not kind.load(form_set, f, directory, shown, problems) or f.failed:
        return None
    form_set.key_figures = compile_key_figures(raw_figures, form_set, shown(set_path), problems)
    for part in parts:  # every part, with or without its set.yaml key (a part may read files of the set)
        form_set.parts[part.name] = part.load(raw_parts.get(part.name), form_set, shown(set_path), problems)
    form_set.problems = problems[before:]
    return form_set


def _is_date(text: str) -> bool:
    try:
        return bool(re.fullmatch(r"\d{4}-\d{2}-\d{2}", text)) and dt.date.fromisoformat(text) is not None
    except ValueError:
        return False


@dataclass
class Catalog:
    """Every form set found under a forms folder, with what went wrong, and the kinds and
    parts it was loaded with (what the rest of the app asks for kind-specific behaviour)."""

    sets: dict[tuple[str, int], FormSet]
    problems: list[Problem]
    kinds: tuple = ()
    parts: tuple = ()
    digest: str = ""  # of every file the sets were read from: what findings computed with it depend on

    def get(self, set_id: str, version: int) -> FormSet | None:
        return self.sets.get((set_id, version))

    def form_set_of(self, report) -> FormSet | None:
        """The form set a report was made on (None when this machine lacks it)."""
        return self.sets.get((report.form_set_id, report.form_set_version))

    def latest(self, set_id: str) -> FormSet | None:
        versions = [s for (i, _), s in self.sets.items() if i == set_id]
        return max(versions, key=lambda s: s.version, default=None)

    def in_force(self, set_id: str, on: str) -> FormSet | None:
        """The version a new report of a period ending ``on`` (ISO date) is made on: the newest
        whose ``valid_from`` is not after it (a version without one has been in force all along)."""
        versions = [s for (i, _), s in self.sets.items() if i == set_id and (s.valid_from or "") <= on]
        return max(versions, key=lambda s: s.version, default=None)

    @property
    def form_count(self) -> int:
        return sum(len(s.forms) for s in self.sets.values())


def load_catalog(root: Path, kinds: tuple, parts: tuple = (), received: Path | None = None) -> Catalog:
    """Every ``*/set.yaml`` under ``root`` (the sets the program ships), then under ``received``
    (those received from a parent body, ``source`` "received"; a folder not yet made holds none),
    compiled by ``kinds`` (the first is the default) with ``parts``. The application passes its
    registry's (``desktop.registry.load_catalog``)."""
    problems: list[Problem] = []
    sets: dict[tuple[str, int], FormSet] = {}
    if not root.is_dir():
        problems.append(Problem("FORM016", msg("FORM016", path=root), str(root)))
        return Catalog(sets, problems, tuple(kinds), tuple(parts))
    where: dict[tuple[str, int], str] = {}
    roots = [(root, "built-in")] + ([(received, "received")] if received is not None and received.is_dir() else [])
    for folder, source in roots:
        for set_path in sorted(folder.glob(f"*/{SET_FILE}")):
            form_set = load_form_set(set_path.parent, problems, kinds, parts, folder)
            if form_set is None:
                continue
            form_set.source = source
            shown = str(set_path.relative_to(folder))
            if form_set.key in sets:
                problems.append(Problem("FORM013", msg("FORM013", file=shown, ident=form_set.id,
                                                       version=form_set.version, other=where[form_set.key]), shown))
                continue
            sets[form_set.key] = form_set
            where[form_set.key] = shown
    return Catalog(sets, problems, tuple(kinds), tuple(parts), _digest([folder for folder, _ in roots]))


def _digest(roots: list[Path]) -> str:
    """Of every definition file's content; a file too large to be read (refused when its set
    loads) counts by its size and time, so a 3 GB file beside a set is not read to be hashed."""
    content = hashlib.sha256()
    for index, root in enumerate(roots):
        _digest_into(content, root, index)
    return content.hexdigest()


def _digest_into(content, root: Path, index: int) -> None:
    for path in sorted(p for p in root.rglob("*") if p.is_file() and p.suffix in (".yaml", ".yml")):
        content.update(f"{index}:".encode() + str(path.relative_to(root)).encode() + b"\0")
        found = path.stat()
        if found.st_size > MAX_FILE_BYTES:
            content.update(f"{found.st_size}:{found.st_mtime_ns}".encode())
        else:
            with open(path, "rb") as file:
                content.update(file.read(MAX_FILE_BYTES + 1))


__all__ = ["Catalog", "add_forms", "load_catalog", "load_form_set", "load_forms"]

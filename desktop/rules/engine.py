"""Checking reports against their forms' rules.

``ReportData`` loads one report (definitions, layouts, typed values) once;
``FormScope`` gives the expression evaluator what it asks for; ``validate``
turns every failed check into a ``Finding`` that names the report, the form as
printed, the row, the column with its number, the actual and expected values.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from decimal import Decimal

from desktop.messages import msg
from desktop.periods import Period
from desktop.rules import expr as ex
from desktop.schema.layout import Layout, child_units_of, resolve
from desktop.schema.loader import Catalog
from desktop.schema.model import Column, Form, FormSet, Rule
from desktop.values import CellType, format_number, format_value, from_storage, json_value


@dataclass
class Finding:
    report: int
    form: str  # as printed: "Biểu mẫu 5B"
    row: str  # "II. TTHC thuộc …"
    column: str  # "Số hồ sơ đã tiếp nhận / Tổng số (3)"
    severity: str
    rule: str
    actual: object
    expected: object
    message: str
    form_code: str = ""
    row_id: str = ""
    column_id: str | None = None

    def to_json(self) -> dict:
        return asdict(self)


def report_period(report: dict) -> Period:
    return Period(report["period_type"], report["year"], report["period_number"], report["year_from"])


class ReportData:
    """A report with its form set, layouts and values, read from the store once."""

    def __init__(self, store, catalog: Catalog, report_id: int, period_rules: dict | None = None) -> None:
        self.store = store
        self.catalog = catalog
        self.report = store.report(report_id)
        self.id = report_id
        self.period = report_period(self.report)
        self.period_rules = period_rules if period_rules is not None else store.get_setting("period_rules", {})
        self.form_set: FormSet | None = catalog.get(self.report["form_set_id"], self.report["form_set_version"])
        self.unit = store.unit(self.report["unit_code"])
        self.child_units = child_units_of(store, self.unit["code"])
        self.raw = store.cells(report_id)
        self.repeats = store.repeat_rows(report_id)
        self._layouts: dict[str, Layout] = {}
        self._scopes: dict[str, FormScope] = {}
        self._previous: ReportData | None | bool = False

    def layout(self, form: Form) -> Layout:
        if form.code not in self._layouts:
            self._layouts[form.code] = resolve(form, self.form_set, self.child_units, self.repeats.get(form.code))
        return self._layouts[form.code]

    def scope(self, code: str) -> "FormScope | None":
        if self.form_set is None or code not in self.form_set.forms:
            return None
        if code not in self._scopes:
            self._scopes[code] = FormScope(self, self.form_set.forms[code])
        return self._scopes[code]

    def put(self, form: str, row: str, column: str, value: str | None) -> None:
        """A change just stored, kept in this copy too (the open report) instead of reading the store again."""
        values = self.raw.setdefault(form, {}).setdefault(row, {})
        if value is None:
            values.pop(column, None)
        else:
            values[column] = value
        scope = self._scopes.get(form)
        if scope is not None:
            scope.raw = self.raw[form]

    def previous(self) -> "ReportData | None":
        if self._previous is False:
            self._previous = None
            before = self.period.previous()
            if before is not None:
                found = self.store.find_report(self.unit["code"], before, self.report["form_set_id"])
                if found is not None:
                    self._previous = ReportData(self.store, self.catalog, found, self.period_rules)
        return self._previous


class FormScope:
    """The evaluator's view of one form of one report."""

    def __init__(self, data: ReportData, form: Form) -> None:
        self.data = data
        self.form = form
        self.layout = data.layout(form)
        self.raw = data.raw.get(form.code, {})
        self._computing: set[tuple[str, str]] = set()

    def column(self, ref: ex.ColRef) -> Column | None:
        if ref.number is not None:
            return self.form.by_number.get(ref.number)
        return self.form.by_id.get(ref.name)

    def cell(self, row: str, column: Column):
        """Typed value of a cell; a computed cell is evaluated from its expression."""
        if column.ctype.kind == "computed":
            key = (row, column.id)
            if key in self._computing:  # a computed cell that refers to itself has no value
                return None
            self._computing.add(key)
            try:
                return ex.Evaluation(self, row).eval(column.expr)
            finally:
                self._computing.discard(key)
        text = self.raw.get(row, {}).get(column.id)
        try:
            return from_storage(text, self.layout.cell_type(row, column))
        except (ValueError, ArithmeticError):
            return None  # a value the column's type no longer takes counts as empty

    def value(self, row: str, ref: ex.ColRef):
        column = self.column(ref)
        if column is None or row not in self.layout.by_id:
            return None
        return self.cell(row, column)

    def rows_children(self, row: str) -> list[str]:
        found = self.layout.by_id.get(row)
        return found.children if found else []

    def rows_units(self) -> list[str]:
        return self.layout.units

    def rows_items(self) -> list[str]:
        return self.layout.items

    def rows_between(self, first: str, last: str) -> list[str]:
        return self.layout.between(first, last)

    def other_form(self, code: str):
        return self.data.scope(code)

    def previous(self):
        before = self.data.previous()
        return before.scope(self.form.code) if before else None

    def period_bounds(self):
        return self.data.period.bounds(self.data.period_rules)

    def row_title(self, row_id: str) -> str:
        row = self.layout.by_id[row_id]
        if row.kind != "repeat":
            return row.title
        label_column = next(c for c in self.form.leaves if c.kind == "row_label")
        label = self.raw.get(row_id, {}).get(label_column.id) or ""
        return f"{row.code}. {label}".strip(". ") if label else row.code


def _shown(value, ctype: CellType | None) -> str:
    if value is None:
        return "(trống)"
    if isinstance(value, bool):
        return "đúng" if value else "sai"
    if isinstance(value, (int, Decimal)):
        if ctype is not None and ctype.numeric:
            return format_value(value, CellType(kind=ctype.value_kind))
        return format_number(value)
    if hasattr(value, "strftime"):
        return value.strftime("%d/%m/%Y")
    return str(value)


class _Target:
    def __init__(self, row: str, column: Column | None) -> None:
        self.row, self.column = row, column


def _target(rule: Rule, scope: FormScope, evaluation: ex.Evaluation) -> _Target:
    left = rule.check.left
    if isinstance(left, ex.ColRef):
        return _Target(evaluation.row, scope.column(evaluation.column_of(left)))
    if isinstance(left, ex.Call) and left.name == "cell":
        return _Target(left.args[0].value, scope.column(evaluation.column_of(left.args[1])))
    if evaluation.column is not None:
        return _Target(evaluation.row, scope.column(evaluation.column))
    # "dao_tao + boi_duong <= …": the first cell the left side reads, so the finding can be jumped to
    first = next((node for node in ex.walk(left, into_other_forms=False) if isinstance(node, ex.ColRef)), None)
    return _Target(evaluation.row, scope.column(first) if first is not None else None)


def _describe(node, form: Form) -> str:
    """An expression in the words of the printed form: "(4) + (5)" or column labels."""
    if isinstance(node, ex.ColRef) and node.name is not None and node.name in form.by_id:
        return _short(form.by_id[node.name], form)
    if isinstance(node, ex.Binary):
        return f"{_describe(node.left, form)} {node.op} {_describe(node.right, form)}"
    return ex.unparse(node)


def _parts(rule: Rule, layout: Layout, row_id: str) -> str:
    call = rule.check.right
    if call.name == "sum_of":
        titles = [layout.by_id[a.value].code or layout.by_id[a.value].label for a in call.args[1:]]
        return " + ".join(f"({t})" for t in titles)
    if call.name == "sum_units":
        return "các đơn vị"
    if call.name == "sum_items":
        return "các lĩnh vực"
    return "các dòng thuộc dòng này"


def _short(column: Column | None, form: Form) -> str:
    if column is None:
        return ""
    return f"({column.number})" if column.number is not None else f"“{form.short_label(column)}”"


def _message(rule: Rule, scope: FormScope, row_id: str, column_text: str, column: Column | None,
             actual, expected) -> str:
    ctype = None
    if column is not None:
        ctype = scope.layout.cell_type(row_id, column) if row_id in scope.layout.by_id else column.ctype
    short = _short(column, scope.form)
    shown_actual, shown_expected = _shown(actual, ctype), _shown(expected, ctype)
    if rule.message:
        try:
            named = scope.form.short_label(column) if column else column_text
            return rule.message.format(row=scope.row_title(row_id), column=named, actual=shown_actual,
                                       expected=shown_expected)
        except (KeyError, IndexError, ValueError):
            pass
    if actual is None and rule.kind in ("identity", "total"):
        return msg("RULE003", column=short, expected=shown_expected)
    if rule.kind == "identity":
        return msg("RULE001", column=short, formula=_describe(rule.check.right, scope.form),
                   actual=shown_actual, expected=shown_expected)
    if rule.kind == "total":
        return msg("RULE002", row=scope.row_title(row_id), parts=_parts(rule, scope.layout, row_id),
                   column=short, actual=shown_actual, expected=shown_expected)
    return msg("RULE004", rule=rule.id, column=short, actual=shown_actual, expected=shown_expected)


def rule_evaluations(rule: Rule, scope: FormScope):
    """One evaluation per (row, column) the rule applies to, in row order."""
    columns = [ex.ColRef(name=c) for c in rule.columns] if rule.columns else [None]
    for row_id in scope.layout.rows_for(rule.rows):
        if row_id in scope.layout.by_id:
            for column_ref in columns:
                yield ex.Evaluation(scope, row_id, column_ref)


def check_rule(rule: Rule, scope: FormScope, report_id: int) -> list[Finding]:
    findings = []
    for evaluation in rule_evaluations(rule, scope):
        try:
            left = evaluation.eval(rule.check.left)
            right = evaluation.eval(rule.check.right)
        except ex.Unavailable:  # no previous report, no such form
            continue
        if rule.kind == "total" and right is None:  # the breakdown was not reported at all
            continue
        if ex.compare(rule.check.op, left, right) is not False:
            continue
        target = _target(rule, scope, evaluation)
        column_text = scope.form.column_label(target.column) if target.column else ""
        findings.append(Finding(
            report=report_id,
            form=scope.form.printed_code,
            row=scope.row_title(target.row) if target.row in scope.layout.by_id else target.row,
            column=column_text,
            severity=rule.severity,
            rule=rule.id,
            actual=json_value(left),
            expected=json_value(right),
            message=_message(rule, scope, target.row, column_text, target.column, left, right),
            form_code=scope.form.code,
            row_id=target.row,
            column_id=target.column.id if target.column else None,
        ))
    return findings


def validate(data: ReportData) -> list[Finding]:
    """Every finding of one report, in form order, then row order."""
    if data.form_set is None:
        return [Finding(
            report=data.id, form="", row="", column="", severity="error", rule="form_set", actual=None,
            expected=None,
            message=msg("RULE005", rule="form_set", reason=f"không có bộ biểu mẫu “{data.report['form_set_id']}” "
                        f"phiên bản {data.report['form_set_version']} trong máy."),
        )]
    if data.form_set.is_scoring:
        from desktop.par.scoring import score_data  # par builds on this module

        return score_data(data).findings
    findings: list[Finding] = []
    for code, form in data.form_set.forms.items():
        scope = data.scope(code)
        order = {row.id: i for i, row in enumerate(scope.layout.rows)}
        found: list[Finding] = []
        for rule in form.rules:
            found.extend(check_rule(rule, scope, data.id))
        found.sort(key=lambda f: order.get(f.row_id, len(order)))
        findings.extend(found)
    from desktop.narrative import check as check_narrative  # the body's figures against these annexes

    findings.extend(check_narrative(data))
    return findings


def count(findings: list[Finding]) -> tuple[int, int]:
    """(errors, warnings) among ``findings``."""
    errors = sum(1 for f in findings if f.severity == "error")
    return errors, len(findings) - errors


def validate_report(store, catalog: Catalog, report_id: int) -> list[Finding]:
    return validate(ReportData(store, catalog, report_id))


def validate_all(store, catalog: Catalog) -> list[Finding]:
    rules = store.get_setting("period_rules", {})
    findings: list[Finding] = []
    for report in store.reports():
        findings.extend(validate(ReportData(store, catalog, report["id"], rules)))
    return findings

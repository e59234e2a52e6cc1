"""Checking reports against their forms' rules.

``ReportData`` loads one report (definitions, layouts, typed values) once;
``FormScope`` gives the expression evaluator what it asks for; ``validate``
turns every failed check into a ``Finding`` that names the report, the form as
printed, the row, the column with its number, the actual and expected values.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from decimal import Decimal

from desktop.foundation.messages import msg
from desktop.schema import expr as ex
from desktop.report.data import FormScope, ReportData
from desktop.schema.layout import Layout
from desktop.schema.loader import Catalog
from desktop.schema.model import Column, Form, Rule
from desktop.foundation.values import CellType, format_number, format_value, json_value


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
        blank_parts = False
        if rule.kind == "total" and right is None:  # the breakdown was not reported at all:
            if left is None or left == 0:  # nothing to check
                continue
            blank_parts = True  # a total typed over blank parts: said, as a warning
        elif ex.compare(rule.check.op, left, right) is not False:
            continue
        target = _target(rule, scope, evaluation)
        column_text = scope.form.column_label(target.column) if target.column else ""
        if blank_parts:
            known = target.row in scope.layout.by_id
            row_title = scope.row_title(target.row) if known else target.row
            ctype = scope.layout.cell_type(target.row, target.column) if known and target.column else None
            findings.append(Finding(
                report=report_id, form=scope.form.printed_code, row=row_title, column=column_text,
                severity="warning", rule=rule.id, actual=json_value(left), expected=None,
                message=msg("RULE006", row=row_title, column=_short(target.column, scope.form),
                            actual=_shown(left, ctype), parts=_parts(rule, scope.layout, target.row)),
                form_code=scope.form.code, row_id=target.row, column_id=target.column.id if target.column else None))
            continue
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


def check_form(data: ReportData, code: str) -> list[Finding]:
    """Every failed rule of one form of the report, in row order."""
    form = data.form_set.forms[code]
    scope = data.scope(code)
    order = {row.id: i for i, row in enumerate(scope.layout.rows)}
    found: list[Finding] = []
    for rule in form.rules:
        found.extend(check_rule(rule, scope, data.id))
    found.sort(key=lambda f: order.get(f.row_id, len(order)))
    return found


def check_forms(data: ReportData) -> list[Finding]:
    """Every failed rule of the report's forms, in form order, then row order."""
    return [finding for code in data.form_set.forms for finding in check_form(data, code)]


def form_dependents(form_set) -> dict[str, set[str]]:
    """Form → the forms whose rules read it (``form("5B", …)``), besides itself: what a change in
    it can change the findings of."""
    dependents: dict[str, set[str]] = {code: {code} for code in form_set.forms}
    for code, form in form_set.forms.items():
        trees = [rule.check for rule in form.rules] + [c.expr for c in form.data_columns if c.expr is not None]
        for tree in trees:  # its rules, and its computed columns (PL7's rate reads PL6's total)
            for node in ex.walk(tree):
                if isinstance(node, ex.Call) and node.name in ("form", "count_rows") and node.args \
                        and isinstance(node.args[0], ex.Str) and node.args[0].value in dependents:
                    dependents[node.args[0].value].add(code)
    changed = True
    while changed:  # and what reads those, in turn
        changed = False
        for code, readers in dependents.items():
            more = set().union(*(dependents[r] for r in readers)) - readers
            if more:
                readers |= more
                changed = True
    return dependents


def validate(data: ReportData) -> list[Finding]:
    """Every finding of one report: what its kind checks, then each part of the catalog."""
    if data.form_set is None:
        return [Finding(
            report=data.id, form="", row="", column="", severity="error", rule="form_set", actual=None,
            expected=None,
            message=msg("RULE005", rule="form_set", reason=f"không có bộ biểu mẫu “{data.report.form_set_id}” "
                        f"phiên bản {data.report.form_set_version} trong máy."),
        )]
    findings = list(data.form_set.kind.validate(data))
    for part in data.catalog.parts:
        findings.extend(part.validate(data))
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
        findings.extend(validate(ReportData(store, catalog, report.id, rules)))
    return findings

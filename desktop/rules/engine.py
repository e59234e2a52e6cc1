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
from desktop.report.data import FormScope, ReportData, ReportsIndex
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


def _finding(rule: Rule, scope: FormScope, report_id: int, evaluation: ex.Evaluation, left, right) -> Finding:
    """The finding of a failed check: where it points, what it says."""
    target = _target(rule, scope, evaluation)
    column_text = scope.form.column_label(target.column) if target.column else ""
    known = target.row in scope.layout.by_id
    message = None
    if known and target.column is not None and rule.kind in ("identity", "total") \
            and scope.is_derived(target.row, target.column):  # a total the app computed is not "typed"
        ctype = scope.layout.cell_type(target.row, target.column)
        short = _short(target.column, scope.form)
        if rule.kind == "identity":
            message = msg("RULE009", column=short, formula=_describe(rule.check.right, scope.form),
                          actual=_shown(left, ctype), expected=_shown(right, ctype))
        else:
            message = msg("RULE010", row=scope.row_title(target.row), parts=_parts(rule, scope.layout, target.row),
                          column=short, actual=_shown(left, ctype), expected=_shown(right, ctype))
    return Finding(
        report=report_id,
        form=scope.form.printed_code,
        row=scope.row_title(target.row) if known else target.row,
        column=column_text,
        severity=rule.severity,
        rule=rule.id,
        actual=json_value(left),
        expected=json_value(right),
        message=message or _message(rule, scope, target.row, column_text, target.column, left, right),
        form_code=scope.form.code,
        row_id=target.row,
        column_id=target.column.id if target.column else None,
    )


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
        if blank_parts:
            target = _target(rule, scope, evaluation)
            column_text = scope.form.column_label(target.column) if target.column else ""
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
        findings.append(_finding(rule, scope, report_id, evaluation, left, right))
    return findings


# --- a report being typed: totals computed, blanks incomplete, one mistake one finding ----------

ARITHMETIC = ("identity", "total")
MAX_LOCALISED = 12  # beyond this many failed sums a form is not one mistake: each is said


@dataclass
class _Failure:
    rule: Rule
    evaluation: ex.Evaluation
    left: object
    right: object

    @property
    def key(self) -> tuple:
        column = self.evaluation.column
        return (self.rule.id, self.evaluation.row, column.name if column is not None else None)


def _arithmetic_failures(rules: list[Rule], scope: FormScope, rows: set[str] | None = None):
    """The form's sums checked over the figures shown (typed, or computed): the failures, and for
    each row the sides found wholly blank (incomplete, not wrong)."""
    failures: list[_Failure] = []
    blank: dict[str, list] = {}
    for rule in rules:
        for evaluation in rule_evaluations(rule, scope):
            if rows is not None and evaluation.row not in rows:
                continue
            try:
                left = evaluation.eval(rule.check.left)
                right = evaluation.eval(rule.check.right)
            except ex.Unavailable:
                continue
            if left is None and right is None:
                continue
            if left is None or right is None:
                side = rule.check.left if left is None else rule.check.right
                blank.setdefault(evaluation.row, []).append((rule, evaluation, side))
                continue
            if ex.compare(rule.check.op, left, right) is False:
                failures.append(_Failure(rule, evaluation, left, right))
    return failures, blank


def _candidates(scope: FormScope, failure: _Failure):
    """The typed figures a failure could come from: its row's and its column's."""
    target = _target(failure.rule, scope, failure.evaluation)
    column_ids = [c for c in scope.form.data_columns if c.id in scope.total_columns]
    seen = set()
    for row_id in [target.row] + [r.id for r in scope.layout.rows]:
        for column in column_ids:
            if row_id != target.row and column is not target.column:
                continue
            key = (row_id, column.id)
            if key in seen or row_id not in scope.layout.by_id:
                continue
            seen.add(key)
            value = scope.typed(row_id, column)
            if isinstance(value, (int, Decimal)) and not isinstance(value, bool):
                yield row_id, column, value


def _mends(failure: _Failure, scope: FormScope) -> bool:
    evaluation = ex.Evaluation(scope, failure.evaluation.row, failure.evaluation.column)
    try:
        left, right = evaluation.eval(failure.rule.check.left), evaluation.eval(failure.rule.check.right)
    except ex.Unavailable:
        return False
    return left is not None and right is not None and ex.compare(failure.rule.check.op, left, right) is True


def _localise(failures: list[_Failure], rules: list[Rule], scope: FormScope, report_id: int) -> list[Finding]:
    """One mistake, one finding. A wrong figure breaks every sum it is part of (its row's total,
    the total row's, the identities across). Each typed figure near a failure is tried at the
    value that would mend it; the figure whose change mends the most failures and breaks nothing
    is the mistake, said once where it is. Where several figures would mend the same failures
    (a row whose parts disagree: any part could be wrong), the first failure is said, and what
    mending it mends too is not said again."""
    failures = _not_implied(failures, scope)
    if len(failures) < 2 or len(failures) > MAX_LOCALISED:
        return [_finding(f.rule, scope, report_id, f.evaluation, f.left, f.right) for f in failures]
    keys = {f.key for f in failures}
    total_rows = {r.id for r in scope.layout.rows if r.total is not None}
    failed_rows = {f.evaluation.row for f in failures}
    mends: list[tuple[str, Column, object, object, frozenset]] = []  # (row, column, typed, tried, mended)
    tried_already: set[tuple] = set()
    for failure in failures:
        residual = failure.left - failure.right
        for row_id, column, value in _candidates(scope, failure):
            for tried in (value - residual, value + residual):
                if tried < 0 or tried == value or (row_id, column.id, tried) in tried_already:
                    continue
                tried_already.add((row_id, column.id, tried))
                tried = int(tried) if isinstance(value, int) and tried == int(tried) else tried
                rows = {row_id} | failed_rows | total_rows
                reached = {row_id} | total_rows  # the totals a figure of this row can change
                scope.trial[(row_id, column.id)] = tried
                scope.forget(reached)
                try:
                    if not _mends(failure, scope):
                        continue  # it does not mend the failure it was tried for: nothing to see
                    after, _ = _arithmetic_failures(rules, scope, rows)
                finally:
                    del scope.trial[(row_id, column.id)]
                    scope.forget(reached)
                left_over = {f.key for f in after}
                if left_over <= keys:  # breaks nothing that held
                    mended = frozenset(k for k in keys if k[1] in rows) - left_over
                    if mended:
                        mends.append((row_id, column, value, tried, mended))
    found: list[Finding] = []
    uncovered = set(keys)
    while uncovered:
        most = max((len(m[4] & uncovered) for m in mends), default=0)
        best = [m for m in mends if len(m[4] & uncovered) == most]
        if most > 1 and len({(m[0], m[1].id) for m in best}) == 1:
            row_id, column, value, tried, mended = best[0]
            ctype = scope.layout.cell_type(row_id, column)
            found.append(Finding(
                report=report_id, form=scope.form.printed_code, row=scope.row_title(row_id),
                column=scope.form.column_label(column), severity="error",
                rule=next(f.rule.id for f in failures if f.key in mended),
                actual=json_value(value), expected=json_value(tried),
                message=msg("RULE008", row=scope.row_title(row_id), column=_short(column, scope.form),
                            actual=_shown(value, ctype), expected=_shown(tried, ctype), count=len(mended)),
                form_code=scope.form.code, row_id=row_id, column_id=column.id))
            uncovered -= mended
            continue
        failure = next(f for f in failures if f.key in uncovered)
        found.append(_finding(failure.rule, scope, report_id, failure.evaluation, failure.left, failure.right))
        uncovered.discard(failure.key)
        mending = [m for m in mends if failure.key in m[4]]
        if mending:  # what every best mend of this failure mends is this same mistake
            top = max(len(m[4] & uncovered) for m in mending)
            uncovered -= frozenset.intersection(*(m[4] for m in mending if len(m[4] & uncovered) == top))
    return found


def _not_implied(failures: list[_Failure], scope: FormScope) -> list[_Failure]:
    """A total row's identity fails by exactly what its rows' own differences add up to (rows that
    fail, rows still incomplete): those are said where they are, not once more on the total."""
    kept = []
    for failure in failures:
        row = scope.layout.by_id.get(failure.evaluation.row)
        if row is not None and row.total is not None and failure.rule.kind == "identity":
            differences = []
            for part in scope.total_parts(row):
                if part not in scope.layout.by_id:
                    continue
                evaluation = ex.Evaluation(scope, part, failure.evaluation.column)
                try:
                    left = evaluation.eval(failure.rule.check.left) or 0
                    right = evaluation.eval(failure.rule.check.right) or 0
                except ex.Unavailable:
                    continue
                differences.append(left - right)
            if any(differences) and sum(differences) == failure.left - failure.right:
                continue
        kept.append(failure)
    return kept


def _side_words(side, scope: FormScope, row_id: str) -> list[str]:
    """A blank side of a sum as a clerk reads it: the header groups of its columns
    ("số hồ sơ đã giải quyết"), or the rows it adds."""
    words = []
    for node in ex.walk(side, into_other_forms=False):
        if isinstance(node, ex.Call) and node.name.startswith("sum_"):
            return ["số liệu của các dòng thành phần"]
        if isinstance(node, ex.ColRef) and not node.current:
            column = scope.column(node)
            if column is None:
                continue
            path = scope.form.column_label(column).rsplit(" (", 1)[0].split(" / ")
            text = path[0] if len(path) > 1 else path[-1]
            text = text[:1].lower() + text[1:]
            if text not in words:
                words.append(text)
    return words


def _incomplete(blank: dict[str, list], scope: FormScope, report_id: int) -> list[Finding]:
    """At most one warning per row whose sums have a wholly blank side."""
    found = []
    for row_id, sides in blank.items():
        words: list[str] = []
        for _, _, side in sides:
            words += [w for w in _side_words(side, scope, row_id) if w not in words]
        rule, evaluation, side = sides[0]
        first = next((n for n in ex.walk(side, into_other_forms=False) if isinstance(n, ex.ColRef)), None)
        column = scope.column(evaluation.column_of(first)) if first is not None else None
        found.append(Finding(
            report=report_id, form=scope.form.printed_code, row=scope.row_title(row_id),
            column=scope.form.column_label(column) if column else "", severity="warning", rule="chua_du",
            actual=None, expected=None,
            message=msg("RULE007", row=scope.row_title(row_id), what=", ".join(words) or "số liệu"),
            form_code=scope.form.code, row_id=row_id, column_id=column.id if column else None))
    return found


def blank_rows(scope: FormScope) -> list[str]:
    """Rows the clerk types figures into and has typed none in (their totals have nothing to add)."""
    return [row.id for row in scope.layout.rows
            if scope.part_columns(row.id) and all(scope.cell(row.id, c) is None for c in scope.form.data_columns
                                                  if c.id in scope.total_columns)]


def check_as_typed(scope: FormScope, report_id: int) -> list[Finding]:
    """The findings of a form of a report typed in the app (its blank totals computed)."""
    rules = [r for r in scope.form.rules if r.kind in ARITHMETIC]
    failures, blank = _arithmetic_failures(rules, scope)
    order = {row.id: i for i, row in enumerate(scope.layout.rows)}
    failures.sort(key=lambda f: order.get(f.evaluation.row, len(order)))  # a field's row before the total's
    found = _localise(failures, rules, scope, report_id)
    found += _incomplete(blank, scope, report_id)
    if scope.data.form_set.blank_rows == "phai_nhap":
        found += [Finding(
            report=report_id, form=scope.form.printed_code, row=scope.row_title(row_id), column="",
            severity="warning", rule="chua_nhap", actual=None, expected=None,
            message=msg("RULE011", row=scope.row_title(row_id)), form_code=scope.form.code, row_id=row_id)
            for row_id in blank_rows(scope)]
    for rule in scope.form.rules:
        if rule.kind not in ARITHMETIC:
            found.extend(_not_repeated(check_rule(rule, scope, report_id), scope))
    return found


def _not_repeated(findings: list[Finding], scope: FormScope) -> list[Finding]:
    """A rule that fails on a field's row fails on the computed total over it too: said once,
    where the figure was typed. A computed total against a blank (last period's transcript left
    its total blank) is nothing to compare."""
    at = {(f.row_id, f.column_id) for f in findings}

    def beneath(row_id: str, column) -> bool:
        how = scope.derivation(row_id, column)
        if how is None or how[0] != "rows":
            return False
        return any((part, column.id) in at or beneath(part, column) for part in how[1])

    kept = []
    for finding in findings:
        column = scope.form.by_id.get(finding.column_id) if finding.column_id else None
        if column is not None and scope.is_derived(finding.row_id, column) \
                and (finding.expected is None or beneath(finding.row_id, column)):
            continue
        kept.append(finding)
    return kept


def check_form(data: ReportData, code: str) -> list[Finding]:
    """Every failed rule of one form of the report, in row order."""
    form = data.form_set.forms[code]
    scope = data.scope(code)
    order = {row.id: i for i, row in enumerate(scope.layout.rows)}
    if scope.derives:
        found = check_as_typed(scope, data.id)
    else:
        found = []
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
    findings = [Finding(report=data.id, form="", row="", column="", severity="error", rule="form_set",
                        actual=None, expected=None,
                        message=msg("RULE012", form_set=data.form_set.id, version=data.form_set.version,
                                    count=len(data.form_set.problems), first=data.form_set.problems[0].text))
                for _ in data.form_set.problems[:1]]
    findings += data.form_set.kind.validate(data)
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
    """Every report's findings. The reports are read once, and each report's history comes from
    them: the store is asked a fixed number of queries per report, whatever it holds."""
    rules = store.settings.get("period_rules", {})
    reports = store.reports.all()
    index = ReportsIndex(reports)
    findings: list[Finding] = []
    for report in reports:
        findings.extend(validate(ReportData(store, catalog, report.id, rules, reports_index=index)))
    return findings

"""Scoring one unit against a criteria set: points, index, rating and the checks.

A scoring sheet (bảng chấm điểm) is a report like any other: a row in ``reports``
whose form set is a criteria set, its entries kept as cells of the pseudo-form
``CHI_SO`` (row = criterion code): the score, whether the criterion applies, the
reason for lost points and the responsible office. The ``tong`` row holds what a
printed sheet states about the whole (total, index, rating), so that a typed
figure that contradicts its parts is found.

A score may be entered at any level: an area scored as a whole (a commune's
published result) counts as such; when its criteria are scored too, the area's
figure must equal their sum. Criteria with ``compute:`` take their points from
the unit's own reports (``computed_scores``); a typed score beside a computed one
is kept and compared.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from desktop.foundation.messages import CchcError, msg
from desktop.report.ops import CellChange, write_cells
from desktop.kinds.par.criteria import CriteriaSet, Criterion, OnTime, Rate
from desktop.kinds.par.sheet import (
    APPLIES,
    APPLIES_TYPE,
    COLUMN_LABELS,
    CRITERION_COLUMNS,
    EXPLANATION,
    FORM_CODE,
    INDEX,
    OFFICE,
    POINTS,
    RATING,
    REASON,
    SCORE,
    SHEET_TITLE,
    TEXT,
    TOTAL_COLUMNS,
    TOTAL_ROW,
)
from desktop.foundation.periods import Period
from desktop.rules.engine import Finding
from desktop.foundation.values import format_number, format_points, parse_input, to_storage
from desktop.store.records import Report

HUNDRED = Decimal(100)
CENT = Decimal("0.01")


def _points(text: str | None) -> Decimal | None:
    return Decimal(text) if text not in (None, "") else None


@dataclass
class Computed:
    """Points taken from the unit's reports, with how they were reached; ``points`` is None
    when the data is not in this store (the typed score is used then)."""

    points: Decimal | None
    explanation: str


@dataclass
class NodeScore:
    criterion: Criterion
    applicable: bool
    maximum: Decimal  # applicable maximum: 0 when the criterion does not apply
    achieved: Decimal | None  # None when nothing under it is scored
    entered: Decimal | None  # the figure typed at this node
    computed: Computed | None
    reason: str
    office: str
    children: list["NodeScore"] = field(default_factory=list)
    explanation: str = ""  # the unit's giải trình for its score (and its evidence files)

    @property
    def code(self) -> str:
        return self.criterion.code

    @property
    def lost(self) -> Decimal:
        if not self.applicable or self.achieved is None:
            return Decimal(0)
        return self.maximum - self.achieved

    def walk(self):
        yield self
        for child in self.children:
            yield from child.walk()

    def scored_below(self) -> bool:
        return any(c.achieved is not None for c in self.children if c.applicable)

    def lost_leaves(self) -> list["NodeScore"]:
        """The deepest scored nodes under this one that lost points, in order."""
        if not self.applicable:
            return []
        if self.scored_below():
            return [leaf for child in self.children for leaf in child.lost_leaves()]
        return [self] if self.lost > 0 else []


@dataclass
class Scorecard:
    criteria: CriteriaSet
    areas: list[NodeScore]
    achieved: Decimal
    maximum: Decimal
    index: Decimal | None
    rating: str
    typed_total: Decimal | None
    typed_index: Decimal | None
    typed_rating: str
    findings: list[Finding]

    def node(self, code: str) -> NodeScore:
        for area in self.areas:
            for node in area.walk():
                if node.code == code:
                    return node
        raise KeyError(code)

    def to_json(self) -> dict:
        def number(value):
            return None if value is None else float(value)

        return {
            "index": number(self.index),
            "rating": self.rating,
            "achieved": number(self.achieved),
            "maximum": number(self.maximum),
            "areas": [{"code": a.code, "title": a.criterion.title, "achieved": number(a.achieved),
                       "maximum": number(a.maximum), "applicable": a.applicable} for a in self.areas],
            "typed": {"total": number(self.typed_total), "index": number(self.typed_index),
                      "rating": self.typed_rating or None},
            "findings": [{"severity": f.severity, "rule": f.rule, "criterion": f.row_id, "message": f.message,
                          "actual": f.actual, "expected": f.expected} for f in self.findings],
        }


def _row_title(criterion: Criterion) -> str:
    return f"{criterion.code}. {criterion.title}"


def _build(criterion: Criterion, cells: dict, computed: dict[str, Computed]) -> NodeScore:
    values = cells.get(criterion.code, {})
    applicable = values.get(APPLIES) != "0"
    children = [_build(c, cells, computed) for c in criterion.children]
    entered = _points(values.get(SCORE))
    found = computed.get(criterion.code) if criterion.is_leaf else None
    if not applicable:
        maximum, achieved = Decimal(0), None
    elif criterion.is_leaf:
        maximum = criterion.maximum
        achieved = found.points if found is not None and found.points is not None else entered
    else:
        maximum = sum((c.maximum for c in children), Decimal(0))
        if any(c.achieved is not None for c in children if c.applicable):
            achieved = sum((c.achieved or Decimal(0) for c in children if c.applicable), Decimal(0))
        else:
            achieved = entered
    return NodeScore(criterion, applicable, maximum, achieved, entered, found,
                     values.get(REASON, ""), values.get(OFFICE, ""), children, values.get(EXPLANATION, ""))


def scorecard(criteria: CriteriaSet, cells: dict[str, dict[str, str]],
              computed: dict[str, Computed] | None = None, report_id: int = 0) -> Scorecard:
    """Points, index, rating and findings of one sheet; ``cells`` is row -> column -> stored text."""
    computed = computed or {}
    areas = [_build(a, cells, computed) for a in criteria.areas]
    achieved = sum((a.achieved or Decimal(0) for a in areas if a.applicable), Decimal(0))
    maximum = sum((a.maximum for a in areas), Decimal(0))
    index = (achieved / maximum * HUNDRED).quantize(CENT, ROUND_HALF_UP) if maximum else None
    total = cells.get(TOTAL_ROW, {})
    card = Scorecard(criteria, areas, achieved, maximum, index, criteria.rating(index),
                     _points(total.get(SCORE)), _points(total.get(INDEX)), total.get(RATING, ""), [])
    card.findings = _check(card, report_id)
    return card


def _finding(report_id: int, severity: str, rule: str, node: NodeScore | None, column: str, actual_value,
             expected_value, code: str, **params) -> Finding:
    def plain(value):
        return float(value) if isinstance(value, Decimal) else value

    return Finding(report=report_id, form=SHEET_TITLE,
                   row=_row_title(node.criterion) if node else "Tổng cộng", column=COLUMN_LABELS[column],
                   severity=severity, rule=rule, actual=plain(actual_value), expected=plain(expected_value),
                   message=msg(code, **params), form_code=FORM_CODE, row_id=node.code if node else TOTAL_ROW,
                   column_id=column)


def _check(card: Scorecard, report_id: int) -> list[Finding]:
    found: list[Finding] = []

    def add(*args, **params) -> None:
        found.append(_finding(report_id, *args, **params))

    def visit(node: NodeScore, covered: bool) -> None:
        c = node.criterion
        what = f"{c.level_name} {c.code}"
        if not node.applicable:
            if not c.optional:
                add("error", "par_applies", node, APPLIES, "Không", "Có", "PAR007", what=what)
            return
        for value in (node.entered, node.computed.points if node.computed else None):
            if value is not None and value > node.maximum:  # the applicable maximum, for an area too
                add("error", "par_max", node, SCORE, value, node.maximum, "PAR001", what=what,
                                      actual=format_points(value), maximum=format_points(node.maximum))
                break
        if node.scored_below() and node.entered is not None and node.entered != node.achieved:
            add("error", "par_sum", node, SCORE, node.entered, node.achieved, "PAR002",
                                  what=what, actual=format_points(node.entered), expected=format_points(node.achieved))
        if node.computed and node.computed.points is not None and node.entered is not None \
                and node.entered != node.computed.points:
            add("warning", "par_computed", node, SCORE, node.entered, node.computed.points,
                                  "PAR008", what=what, actual=format_points(node.entered),
                                  expected=format_points(node.computed.points), how=node.computed.explanation)
        here = covered or node.entered is not None or (node.computed is not None and node.computed.points is not None)
        if c.is_leaf:
            if not here:
                add("error", "par_missing", node, SCORE, None, c.maximum, "PAR006", what=what)
            elif node.lost > 0 and not node.reason.strip():
                add("warning", "par_reason", node, REASON, None, None, "PAR009", what=what,
                                      lost=format_points(node.lost))
        for child in node.children:
            visit(child, here)

    for area in card.areas:
        visit(area, False)
    if card.typed_total is not None and card.typed_total != card.achieved:
        add("error", "par_total", None, SCORE, card.typed_total, card.achieved, "PAR003",
                              actual=format_points(card.typed_total), expected=format_points(card.achieved))
    if card.typed_index is not None and card.index is not None and card.typed_index != card.index:
        add("error", "par_index", None, INDEX, card.typed_index, card.index, "PAR004",
                              actual=format_points(card.typed_index, 2), expected=format_points(card.index, 2),
                              achieved=format_points(card.achieved), maximum=format_points(card.maximum))
    if card.typed_rating and card.rating and card.typed_rating.strip().casefold() != card.rating.casefold():
        add("error", "par_rating", None, RATING, card.typed_rating, card.rating, "PAR005",
                              actual=card.typed_rating, expected=card.rating, index=format_points(card.index, 2))
    return found


def stray_cells(criteria: CriteriaSet, cells: dict[str, dict[str, str]], report_id: int) -> list[Finding]:
    """Cells a sheet cannot hold (an index typed on a criterion, an unknown criterion), as a
    received document or workbook may bring them: errors, never silently dropped."""
    found = []
    for row, values in cells.items():
        node = criteria.by_code.get(row)
        allowed = TOTAL_COLUMNS if row == TOTAL_ROW else CRITERION_COLUMNS
        for column in values:
            if node is None and row != TOTAL_ROW:
                message = msg("PAR017", criterion=row)
            elif column not in allowed:
                message = msg("PAR022", row=_row_title(node) if node else "Tổng cộng",
                              column=COLUMN_LABELS.get(column, column))
            else:
                continue
            found.append(Finding(report=report_id, form=SHEET_TITLE, row=_row_title(node) if node else row,
                                 column=COLUMN_LABELS.get(column, column), severity="error", rule="par_cell",
                                 actual=values[column], expected=None, message=message, form_code=FORM_CODE,
                                 row_id=row, column_id=column))
    return found


# --- computed criteria ------------------------------------------------------------


def sent_date(store, report: Report) -> dt.date | None:
    """When a report went out: its signing time when it was signed here, else the date it bears."""
    signatures = [s for s in store.signatures.of(report.id) if not s.voided_at]
    if signatures:
        return dt.datetime.fromisoformat(signatures[-1].signed_at).date()
    return dt.date.fromisoformat(report.doc_date) if report.doc_date else None


def _on_time(store, spec: OnTime, criterion: Criterion, sheet: Report, rules: dict) -> Computed:
    late, on_time, undated = [], 0, 0
    for report in store.reports.all(units=[sheet.unit_code]):  # the unit's own, not the whole table
        if (report.unit_code != sheet.unit_code or report.year != sheet.year
                or report.form_set_id not in spec.form_sets):
            continue
        sent = sent_date(store, report)
        if sent is None:
            undated += 1
            continue
        period = Period(report.period_type, report.year, report.period_number, report.year_from)
        deadline = period.deadline(rules)
        if sent > deadline:
            number = f" số {report.doc_number}" if report.doc_number else ""
            late.append(msg("PAR011", period=period.label, number=number, sent=sent.strftime("%d/%m/%Y"),
                            deadline=deadline.strftime("%d/%m/%Y")))
        else:
            on_time += 1
    if late:
        return Computed(Decimal(0), "; ".join(late))
    if on_time:
        return Computed(criterion.maximum, msg("PAR012", count=on_time))
    return Computed(None, msg("PAR013", undated=undated))


def _rate(store, spec: Rate, criterion: Criterion, sheet: Report) -> Computed:
    found = store.reports.find(sheet.unit_code, Period("nam", sheet.year), spec.form_set)
    if found is None:
        return Computed(None, msg("PAR014", form_set=spec.form_set, year=sheet.year))
    row = store.cells.get(found).get(spec.form, {}).get(spec.row, {})

    def total(columns) -> Decimal:
        return sum((Decimal(row[c]) for c in columns if row.get(c) not in (None, "")), Decimal(0))

    numerator, denominator = total(spec.numerator), total(spec.denominator)
    if not denominator:
        return Computed(None, msg("PAR015", report=found))
    rate = (numerator / denominator * HUNDRED).quantize(CENT, ROUND_HALF_UP)
    if spec.bands:
        points = next((p for threshold, p in spec.bands if rate >= threshold), Decimal(0))
    else:
        points = min((criterion.maximum * rate / HUNDRED).quantize(CENT, ROUND_HALF_UP), criterion.maximum)
    how = msg("PAR016", rate=format_number(rate, 2), numerator=format_number(numerator),
              denominator=format_number(denominator), report=found)
    return Computed(points, how)


def computed_scores(store, criteria: CriteriaSet, sheet: Report, rules: dict | None = None) -> dict[str, Computed]:
    rules = rules if rules is not None else store.settings.get("period_rules", {})
    out: dict[str, Computed] = {}
    for node in criteria.walk():
        if isinstance(node.compute, OnTime):
            out[node.code] = _on_time(store, node.compute, node, sheet, rules)
        elif isinstance(node.compute, Rate):
            out[node.code] = _rate(store, node.compute, node, sheet)
    return out


def score_report(store, criteria: CriteriaSet, report_id: int, rules: dict | None = None) -> Scorecard:
    sheet = store.reports.get(report_id)
    return scorecard(criteria, store.cells.get(report_id).get(FORM_CODE, {}),
                     computed_scores(store, criteria, sheet, rules), report_id)


def score_data(data) -> Scorecard:
    """The scorecard of a report already read (``report.data.ReportData``): no second read of its cells."""
    criteria = data.form_set.definition
    return scorecard(criteria, data.raw.get(FORM_CODE, {}),
                     computed_scores(data.store, criteria, data.report, data.period_rules), data.id)


# --- entering scores ---------------------------------------------------------------


def parse_entry(criteria: CriteriaSet, row: str, column: str, text: str) -> str | None:
    """The stored text of what a clerk typed into a sheet's cell, or CchcError (nothing stored)."""
    if row == TOTAL_ROW:
        if column == RATING:
            return parse_input(text, TEXT) or None
        if column not in (SCORE, INDEX):
            raise CchcError("PAR010", column=column)
        value = parse_input(text, POINTS)
        if value is not None and column == INDEX and value > HUNDRED:
            raise CchcError("NUM005", text=text.strip(), limit="100")
        return to_storage(value, POINTS)
    criterion = criteria.by_code.get(row)
    if criterion is None:
        raise CchcError("PAR017", criterion=row)
    if column == SCORE:
        return to_storage(parse_input(text, POINTS), POINTS)
    if column == APPLIES:
        return "0" if parse_input(text, APPLIES_TYPE) is False else None  # applies unless said otherwise
    if column in (REASON, OFFICE, EXPLANATION):
        return parse_input(text, TEXT) or None
    raise CchcError("PAR010", column=column)


REFUSED_ON_ENTRY = {"par_max": "PAR001", "par_applies": "PAR007"}  # errors no clerk means to type


def enter(store, criteria: CriteriaSet, report_id: int, entries: list[tuple[str, str, str]]) -> list[CellChange]:
    """Store typed entries ``(row, column, text)`` of a sheet at once: all checked first, then one
    transaction. An entry that would score above what applies, or mark a mandatory criterion not
    applicable, is refused with that check's own message. Returns what changed."""
    changes = [(FORM_CODE, row, column, parse_entry(criteria, row, column, text)) for row, column, text in entries]
    after = {row: dict(values) for row, values in store.cells.get(report_id).get(FORM_CODE, {}).items()}
    for _, row, column, value in changes:
        if value is None:
            after.get(row, {}).pop(column, None)
        else:
            after.setdefault(row, {})[column] = value
    rows = {row for _, row, _, _ in changes}
    for finding in scorecard(criteria, after, report_id=report_id).findings:
        if finding.rule in REFUSED_ON_ENTRY and finding.row_id in rows:
            criterion = criteria.by_code[finding.row_id]
            what = f"{criterion.level_name} {criterion.code}"
            limits = {} if finding.rule == "par_applies" else {
                "actual": format_points(Decimal(str(finding.actual))), "maximum": format_points(Decimal(str(finding.expected)))}
            raise CchcError(REFUSED_ON_ENTRY[finding.rule], what=what, **limits)
    return write_cells(store, report_id, changes)


__all__ = ["Computed", "FORM_CODE", "NodeScore", "Scorecard", "computed_scores", "enter", "parse_entry",
           "score_data", "score_report", "scorecard"]

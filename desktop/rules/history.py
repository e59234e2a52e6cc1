"""Figures checked against their own history: a report that adds up and is still wrong.

Each typed number of a report is compared with the same cell (unit, form set, form, row,
column) in the unit's earlier reports of the same period type, the last ``DEPTH`` of them,
as DHIS2's outlier analysis does, offline. With at least ``MIN_HISTORY`` earlier values:

- median m and median absolute deviation MAD of the history; the value x is unusual when it
  is materially far from m (``|x − m| ≥ max(10, m/2)``, or 15 percentage points for a
  percentage) and either its robust z-score ``0,6745·|x − m| / MAD`` exceeds 3,5 (Iglewicz
  and Hoaglin), or, when the history never varied (MAD = 0), it lies outside the history's
  range;
- a zero where every earlier period had at least 10 is unusual too.

Warnings only, never errors: an unusual figure may be true. A form set switches the check
off for a column (``history: false``) or gives a column its own bounds
(``bounds: {min: 0, max: 500}``, DHIS2's min–max), which warn whatever the history.

A unit formed by merging old ones on 1 July 2025 has, before its first own report, the
history of its old units added up, period by period, when each merged whole ("full") and all
have a report of that period in this database; the message says so.
"""

from __future__ import annotations

import heapq
from decimal import Decimal
from statistics import median

from desktop.foundation.directory import predecessors_of
from desktop.foundation.messages import msg
from desktop.foundation.periods import Period
from desktop.foundation.values import format_value, from_storage, json_value
from desktop.rules.engine import Finding

DEPTH = 8
MIN_HISTORY = 4
Z_LIMIT = Decimal("3.5")
Z_SCALE = Decimal("0.6745")
COUNT_MATERIAL = 10
PERCENT_MATERIAL = 15
RULE = "lich_su"


def _order(period: Period) -> tuple[int, int]:
    return period.year, period.last_month


def _earlier_cells(data, unit_code: str, form_set_id: str, period: Period) -> list[tuple[Period, dict]]:
    """(period, stored cells) of the unit's earlier reports of this period type, oldest first."""
    # Only the last DEPTH are read (a unit's twenty years of quarters cost what two years do), and
    # picked without making a Period of each: for one period type, (year, number) is the calendar's order.
    now = (period.year, period.number or 0)
    earlier = heapq.nlargest(DEPTH, (r for r in data.history(unit_code, form_set_id, period.type)
                                     if (r.year, r.period_number or 0) < now),
                             key=lambda r: (r.year, r.period_number or 0))
    return [(report.period, data.store.cells.at(report.id, report.revision)) for report in reversed(earlier)]


def merged_cells(data, unit_code: str, form_set_id: str, period: Period) -> tuple[list[tuple[Period, list]], list]:
    """The stored cells of a merged unit's old units, period by period (each period: one cells dict
    per old unit), when each merged whole and all have a report of that period; and the links.
    The history checks add them up per cell; the trends (app.picture) too."""
    links = predecessors_of(unit_code)
    if not links or any(link.type != "full" for link in links):
        return [], []
    by_unit = []
    for link in links:
        try:
            data.store.units.get(link.unit.id)
        except Exception:  # an old unit this database never heard of: no history to add
            return [], []
        by_unit.append({_order(p): (p, cells) for p, cells in _earlier_cells(data, link.unit.id, form_set_id, period)})
    common = set.intersection(*(set(d) for d in by_unit)) if by_unit else set()
    return [(by_unit[0][key][0], [d[key][1] for d in by_unit]) for key in sorted(common)], links


def _history(data) -> dict:
    """{(form, row, column): [(period, value)…]} for this report, computed once per ReportData."""
    cached = getattr(data, "_history", None)
    if cached is not None:
        return cached
    report, period = data.report, data.period
    history: dict = {}
    merged_from: list = []
    if period.type != "giai_doan":
        own = _earlier_cells(data, report.unit_code, report.form_set_id, period)
        merged, links = merged_cells(data, report.unit_code, report.form_set_id, period)
        first_own = _order(own[0][0]) if own else None
        rows: list[tuple[Period, list[dict]]] = [(p, cells) for p, cells in merged
                                                  if first_own is None or _order(p) < first_own]
        if rows:
            merged_from = links
        rows += [(p, [cells]) for p, cells in own]
        checked = {}  # (form, column) → Column, for the numeric data columns the check reads
        for code, form in data.form_set.forms.items():
            for column in form.data_columns:
                if column.ctype.kind != "computed" and column.ctype.numeric and column.history:
                    checked[(code, column.id)] = column
        for p, parts in rows:  # what was stored, not every cell of the layout: a history is sparse
            sums: dict = {}
            for cells in parts:
                for code, form_rows in cells.items():
                    for row_id, row_cells in form_rows.items():
                        for column_id, text in row_cells.items():
                            column = checked.get((code, column_id))
                            if column is None or text is None:
                                continue
                            scope = data.scope(code)
                            if row_id not in scope.layout.by_id:
                                continue
                            try:
                                value = from_storage(text, scope.layout.cell_type(row_id, column))
                            except (ValueError, ArithmeticError):
                                continue
                            key = (code, row_id, column_id)
                            sums[key] = sums.get(key, 0) + value
            for key, value in sums.items():
                history.setdefault(key, []).append((p, value))
    data._history = history
    data._history_merged_from = merged_from
    return history


def _unusual(value, past: list, percent: bool) -> bool:
    values = [Decimal(v) for v in past]
    x = Decimal(value)
    if x == 0 and min(values) >= COUNT_MATERIAL and not percent:
        return True
    m = Decimal(median(values))
    material = Decimal(PERCENT_MATERIAL) if percent else max(Decimal(COUNT_MATERIAL), abs(m) / 2)
    if abs(x - m) < material:
        return False
    mad = Decimal(median([abs(v - m) for v in values]))
    if mad == 0:
        return x < min(values) or x > max(values)
    return Z_SCALE * abs(x - m) / mad > Z_LIMIT


def check_history(data, codes=None) -> list[Finding]:
    """Warnings for the report's figures (of the forms ``codes``, by default all) that their own
    history (or a form set's bounds) makes implausible."""
    findings: list[Finding] = []
    history = None
    for code, form in data.form_set.forms.items():
        if codes is not None and code not in codes:
            continue
        scope = data.scope(code)
        for row in scope.layout.rows:
            for column in form.data_columns:
                if column.ctype.kind == "computed" or not column.ctype.numeric or not column.history:
                    continue
                value = scope.raw.get(row.id, {}).get(column.id)
                if value is None:
                    continue
                ctype = scope.layout.cell_type(row.id, column)
                x = from_storage(value, ctype)
                where = dict(report=data.id, form=form.printed_code, row=scope.row_title(row.id),
                             column=form.column_label(column), severity="warning", form_code=code,
                             row_id=row.id, column_id=column.id)
                low, high = column.bounds
                if (low is not None and x < low) or (high is not None and x > high):
                    findings.append(Finding(**where, rule="gioi_han", actual=json_value(x),
                                            expected=f"{low if low is not None else '…'}–{high if high is not None else '…'}",
                                            message=msg("HIST003", actual=format_value(x, ctype),
                                                        low=_shown(low, ctype), high=_shown(high, ctype))))
                    continue
                if history is None:
                    history = _history(data)
                past = history.get((code, row.id, column.id), [])
                if len(past) < MIN_HISTORY:
                    continue
                values = [v for _, v in past]
                if not _unusual(x, values, ctype.value_kind == "percent"):
                    continue
                last_period, last = past[-1]
                text = msg("HIST001", actual=format_value(x, ctype), last_period=last_period.label,
                           last=format_value(last, ctype), count=len(values),
                           low=format_value(min(values), ctype), high=format_value(max(values), ctype))
                merged = getattr(data, "_history_merged_from", [])
                if merged:
                    text += " " + msg("HIST002", units=", ".join(link.unit.name for link in merged))
                findings.append(Finding(**where, rule=RULE, actual=json_value(x),
                                        expected=f"{min(values)}–{max(values)}", message=text))
    return findings


def _shown(bound, ctype) -> str:
    return "…" if bound is None else format_value(bound, ctype)

"""The picture of a report (issue 19 §2): its key figures over the last periods, and for a report
with one row per child unit, the units of this period side by side.

Plain data for the window's charts and the PDF's: the form set names its key figures
(``schema.figures``); this module evaluates them on the reports the store holds.

- ``trends``: each key figure of a report and of the same unit's earlier reports on the set, of
  the same period type, oldest first (the last ``DEPTH``); a period without a report is absent,
  a report whose figure cannot be computed (a blank total, a rate over zero) has None.
- ``overview``: for a report whose key figures' form has a row per child unit (a province's
  Biểu 06 of its communes): per unit, whether and when its package came (the completeness
  matrix's state), each key figure on its row, the warnings the history checks gave on its row,
  and its own report in this database if there is one; ranked by the first percentage figure.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from desktop.foundation.periods import ROMAN
from desktop.foundation.values import from_storage, to_storage
from desktop.report.data import ReportData
from desktop.rules.history import DEPTH, merged_cells
from desktop.schema import expr as ex
from desktop.submission import STATES
from desktop.submission.consolidate import completeness

UNUSUAL_RULES = ("lich_su", "gioi_han")
TYPED_HERE = "Nhập tại đơn vị"  # no package came, the figures were typed at this level


@dataclass
class Point:
    period: str  # "Quý I/2025": short, for an axis
    value: Decimal | None
    report_id: int | None  # None: the old units' reports added up
    current: bool = False


@dataclass
class Trend:
    figure: object  # schema.figures.KeyFigure
    points: list[Point]
    merged_from: list[str] = field(default_factory=list)  # old units whose reports, added up, are the first points


@dataclass
class UnitFigures:
    code: str
    name: str
    row_id: str
    state: str  # submitted | late | missing | held | rejected, or typed (no package, figures typed here)
    state_label: str
    values: dict[str, Decimal | None]
    unusual: list[str] = field(default_factory=list)  # the history checks' messages on its row
    report_id: int | None = None  # its own report of this period, when this database holds it
    rank: int | None = None


def figure_value(data: ReportData, figure, row_id: str | None = None) -> Decimal | None:
    """A key figure on its row (or on ``row_id``) of one report; None when it cannot be computed."""
    scope = data.scope(figure.form)
    if scope is None:
        return None
    row = row_id or figure.row
    if row not in scope.layout.by_id:
        return None
    try:
        value = ex.Evaluation(scope, row).eval(figure.value)
    except (ex.Unavailable, ArithmeticError):
        return None
    if value is None or isinstance(value, bool) or not isinstance(value, (int, Decimal)):
        return None
    return Decimal(value)


def short_period(period) -> str:
    """A period as an axis names it: "Quý II/2025", "6T/2025", "2019", "2011–2020"."""
    if period.type == "quy":
        return f"Quý {ROMAN[period.number]}/{period.year}"
    if period.type in ("6thang", "9thang"):
        return f"{period.type[0]}T/{period.year}"
    if period.type == "giai_doan":
        return f"{period.year_from}–{period.year}"
    return str(period.year)


def trends(store, catalog, report_id: int, depth: int = DEPTH) -> list[Trend]:
    """Each key figure of the report's set over the unit's last ``depth`` reports of its period type;
    a unit formed on 1 July 2025 from whole old units starts with their reports added up, cell by
    cell (so that a rate is computed over the sums, not averaged), as the history checks read them."""
    data = ReportData(store, catalog, report_id)
    figures = data.form_set.key_figures if data.form_set else []
    if not figures:
        return []
    order = (data.period.year, data.period.last_month)
    earlier = [r for r in store.reports.history(data.unit.code, data.report.form_set_id, data.period.type)
               if (r.period.year, r.period.last_month) <= order]
    earlier.sort(key=lambda r: (r.period.year, r.period.last_month))
    first_own = (earlier[0].period.year, earlier[0].period.last_month)
    merged, links = merged_cells(data, data.unit.code, data.report.form_set_id, data.period)
    # (period, the data a figure is read from, its report: none for an added-up period)
    chosen = [(p, _added_up(store, catalog, report_id, parts), None) for p, parts in merged
              if (p.year, p.last_month) < first_own]
    chosen += [(r.period, data if r.id == report_id else ReportData(store, catalog, r.id), r.id)
               for r in earlier[-depth:]]
    chosen = chosen[-depth:]
    names = [link.unit.name for link in links] if any(rid is None for _, _, rid in chosen) else []
    return [Trend(figure, [Point(short_period(p), figure_value(d, figure), rid, rid == report_id)
                           for p, d, rid in chosen], names) for figure in figures]


def _added_up(store, catalog, report_id: int, parts: list[dict]) -> ReportData:
    """The report's forms holding the old units' stored cells summed (text cells: the first's)."""
    whole = ReportData(store, catalog, report_id)
    raw: dict = {}
    for cells in parts:
        for code, rows in cells.items():
            scope = whole.scope(code)
            if scope is None:
                continue
            for row_id, values in rows.items():
                for column_id, text in values.items():
                    column = scope.form.by_id.get(column_id)
                    if column is None or text is None or row_id not in scope.layout.by_id:
                        continue
                    ctype = scope.layout.cell_type(row_id, column)
                    target = raw.setdefault(code, {}).setdefault(row_id, {})
                    if not ctype.numeric:
                        target.setdefault(column_id, text)
                        continue
                    try:
                        value = from_storage(text, ctype)
                    except (ValueError, ArithmeticError):
                        continue
                    before = from_storage(target[column_id], ctype) if column_id in target else 0
                    target[column_id] = to_storage(before + value, ctype)
    whole.raw = raw
    whole._scopes = {}
    return whole


def overview(data: ReportData, findings: list) -> list[UnitFigures]:
    """The child units of a consolidating report this period (see the module's text); empty when
    its key figures' form has no row per unit."""
    figures = data.form_set.key_figures if data.form_set else []
    if not figures:
        return []
    scope = data.scope(figures[0].form)
    if scope is None or not scope.layout.units:
        return []
    children = [u for u in data.store.units.children(data.unit.code)]
    by_code = {u.code: u for u in children}
    matrix = completeness(data.store, data.unit, children, data.period, {})
    states = {u["code"]: u["cells"].get(data.period.label, {"state": "missing"})["state"] for u in matrix["units"]}
    unusual: dict[str, list[str]] = {}
    for finding in findings:
        if finding.rule in UNUSUAL_RULES and finding.form_code == figures[0].form:
            unusual.setdefault(finding.row_id, []).append(finding.message)
    units = []
    for row_id in scope.layout.units:
        code = row_id.rsplit("unit:", 1)[1]
        unit = by_code.get(code)
        name = unit.name if unit else scope.layout.by_id[row_id].label
        state = states.get(code, "missing")
        values = {f.id: figure_value(data, f, row_id) for f in figures if f.form == figures[0].form}
        if state == "missing" and any(scope.raw.get(row_id, {}).values()):
            state = "typed"  # no package, but figures typed here (from paper, as in the seeds' years)
        units.append(UnitFigures(code, name, row_id, state, TYPED_HERE if state == "typed" else STATES[state],
                                 values,
                                 unusual.get(row_id, []),
                                 data.store.reports.find(code, data.period, _own_set(data))))
    by = ranked_by(data)
    if by is not None:
        ordered = sorted((u for u in units if u.values.get(by.id) is not None), key=lambda u: -u.values[by.id])
        for n, u in enumerate(ordered, 1):
            u.rank = n
    return units


def ranked_by(data: ReportData):
    """The key figure the overview ranks units by (the first percentage), or None."""
    figures = data.form_set.key_figures if data.form_set else []
    return next((f for f in figures if f.percent), None)


def _own_set(data: ReportData) -> str:
    """The set the child units report on: the one the units rows are filled from."""
    form = data.form_set.forms[data.form_set.key_figures[0].form]
    for spec in form.consolidated_rows:
        if spec.consolidate is not None:
            return spec.consolidate.form_set
    return data.report.form_set_id


__all__ = ["Point", "Trend", "UnitFigures", "figure_value", "overview", "ranked_by", "short_period", "trends"]

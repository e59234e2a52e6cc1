"""One report read from the store once: its form set, layouts and typed values.

``ReportData`` is what the rules, the kinds, the exports and the window read;
``FormScope`` gives the expression evaluator one form of it (computed cells
evaluated on demand, other forms, the previous period).
"""

from __future__ import annotations

from desktop.foundation.messages import CchcError
from desktop.foundation.values import MARKS, Nil, from_storage
from desktop.schema import expr as ex
from desktop.schema.layout import Layout, child_units_of, resolve
from desktop.schema.loader import Catalog
from desktop.schema.model import Column, Form, FormSet


class ReportData:
    """A report with its form set, layouts and values, read from the store once."""

    def __init__(self, store, catalog: Catalog, report_id: int, period_rules: dict | None = None,
                 reports_index: "ReportsIndex | None" = None) -> None:
        self.store = store
        # every report, when the caller read them already (the navigator's pass over a province's
        # thousands, validate_all): a report's history and previous period are then not asked for
        self.reports_index = reports_index
        self.catalog = catalog
        self.report = store.reports.get(report_id)
        self.id = report_id
        self.period = self.report.period
        self.period_rules = period_rules if period_rules is not None else store.settings.get("period_rules", {})
        self.form_set: FormSet | None = catalog.get(self.report.form_set_id, self.report.form_set_version)
        self.unit = store.units.get(self.report.unit_code)
        self.child_units = child_units_of(store, self.unit.code)
        self.raw = store.cells.get(report_id)
        self.repeats = store.rows.of(report_id)
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
            scope.forget()

    def history(self, unit_code: str, form_set_id: str, period_type: str) -> list:
        """One unit's reports on one set for one period type: its history."""
        if self.reports_index is not None:
            return self.reports_index.history(unit_code, form_set_id, period_type)
        return self.store.reports.history(unit_code, form_set_id, period_type)

    def _report_of(self, period) -> int | None:
        """The id of this unit's report on this set for ``period``, from the index when there is one."""
        if self.reports_index is None:
            return self.store.reports.find(self.unit.code, period, self.report.form_set_id)
        return self.reports_index.at(self.unit.code, self.report.form_set_id, period)

    def previous(self) -> "ReportData | None":
        if self._previous is False:
            self._previous = None
            before = self.period.previous()
            if before is not None:
                found = self._report_of(before)
                if found is not None:
                    self._previous = ReportData(self.store, self.catalog, found, self.period_rules,
                                                self.reports_index)
        return self._previous


class ReportsIndex:
    """Reports read once, by (unit, form set, period type) and by period: what a pass over many
    reports (the navigator, ``validate_all``) gives each ``ReportData``, so that no report's
    history or previous period is asked of the store again."""

    def __init__(self, reports) -> None:
        self._history: dict[tuple, list] = {}
        self._at: dict[tuple, int] = {}
        for report in reports:
            self._history.setdefault((report.unit_code, report.form_set_id, report.period_type), []).append(report)
            self._at[(report.unit_code, report.form_set_id, report.period_type, report.year, report.period_number,
                      report.year_from)] = report.id

    def history(self, unit_code: str, form_set_id: str, period_type: str) -> list:
        return self._history.get((unit_code, form_set_id, period_type), [])

    def at(self, unit_code: str, form_set_id: str, period) -> int | None:
        return self._at.get((unit_code, form_set_id, period.type, period.year, period.number, period.year_from))


class FormScope:
    """The evaluator's view of one form of one report."""

    def __init__(self, data: ReportData, form: Form) -> None:
        self.data = data
        self.form = form
        self.layout = data.layout(form)
        self.raw = data.raw.get(form.code, {})
        self._computing: set[tuple[str, str]] = set()
        # a report typed as the clerk goes computes a total cell left blank from its parts; a
        # transcript of a printed report shows what the paper shows, blanks included
        self.derives = data.report.computes_totals
        self.trial: dict[tuple[str, str], object] = {}  # figures the checks try in place of the typed ones
        self._derived: dict[tuple[str, str], object] = {}
        # the columns whose figures add up: where totals are computed and one wrong figure looked for
        self.total_columns = {c.id for c in form.data_columns if c.ctype.additive and c.ctype.kind != "computed"}

    def forget(self, rows: set[str] | None = None) -> None:
        """Drop the totals computed so far (a cell changed, or a trial began or ended): all, or
        those of ``rows`` (a trial's row and the total rows, all a figure of it can reach)."""
        if rows is None:
            self._derived.clear()
        else:
            for key in [k for k in self._derived if k[0] in rows]:
                del self._derived[key]

    def typed(self, row: str, column: Column):
        """The figure the clerk typed (or the checks try) in a cell, None when blank."""
        key = (row, column.id)
        if key in self.trial:
            return self.trial[key]
        text = self.raw.get(row, {}).get(column.id)
        if text is None:
            return None
        try:
            return from_storage(text, self.layout.cell_type(row, column))
        except (ValueError, ArithmeticError):
            return None  # a value the column's type no longer takes counts as empty

    def derivation(self, row: str, column: Column):
        """How a total cell follows from its parts: ("columns", expression) for a column whose
        ``equals:`` adds columns, ("rows", row ids) for a cell of a total row; None elsewhere."""
        if column.id not in self.total_columns:
            return None
        found = self.layout.by_id.get(row)
        if found is None or (found.ctype is not None and not found.ctype.additive):
            return None
        if column.parts is not None:
            return ("columns", column.parts)
        if found.kind == "fixed" and found.total is not None:
            return ("rows", self.total_parts(found))
        return None

    def total_parts(self, row) -> list[str]:
        if isinstance(row.total, list):
            return list(row.total)
        return {"children": row.children, "units": self.layout.units, "items": self.layout.items}[row.total]

    def derived(self, row: str, column: Column):
        """A total cell's figure from its parts (their figures typed or computed in turn); None
        when no part has a figure. A column's identity comes first, then the row's total."""
        key = (row, column.id)
        if key in self._derived:
            return self._derived[key]
        if key in self._computing:
            return None
        self._computing.add(key)
        try:
            value = None
            how = self.derivation(row, column)
            if how is not None and how[0] == "columns":
                value = ex.Evaluation(self, row).eval(how[1])
                found = self.layout.by_id[row]
                if value is None and found.kind == "fixed" and found.total is not None:
                    how = ("rows", self.total_parts(found))
            if value is None and how is not None and how[0] == "rows":
                value = ex.Evaluation(self, row, ex.ColRef(name=column.id))._sum(how[1], ex.ColRef(current=True))
            if value == 0 and how is not None:
                marked = self._mark_of_parts(row, column, how)
                value = value if marked is None else marked  # never "or": a mark is falsy
            value = _as_cell(value, self.layout.cell_type(row, column))
        finally:
            self._computing.discard(key)
        self._derived[key] = value
        return value

    def _mark_of_parts(self, row: str, column: Column, how: tuple):
        """The mark every part of a total holds, when each holds the same one ("/" under both
        kinds of inter-agency procedures: the total does not apply either, seed 003's 4B); else None."""
        if how[0] == "columns":
            parts = [self.value(row, node) for node in ex.walk(how[1], into_other_forms=False)
                     if isinstance(node, ex.ColRef)]
        else:
            parts = [self.cell(part, column) for part in how[1]]
        marks = {part.mark if isinstance(part, Nil) else None for part in parts}
        return MARKS[marks.pop()] if len(marks) == 1 and None not in marks else None

    def part_columns(self, row: str) -> list[Column]:
        """The columns of a row the clerk types figures into that no sum of the row fills: where a
        blank is a figure not yet given (or nothing happened)."""
        found = self.layout.by_id.get(row)
        if found is None:
            return []
        return [c for c in self.form.data_columns if c.id in self.total_columns and found.typed(c)
                and self.derivation(row, c) is None and self.layout.cell_type(row, c).additive]

    def unconfirmed_blanks(self, row: str | None = None) -> list[tuple[str, Column]]:
        """Blank part cells that say nothing yet: of ``row``, or of every row with a figure (and,
        where the set wants every row filled, of every row)."""
        everything = self.data.form_set.blank_rows == "phai_nhap"
        rows = [row] if row is not None else [r.id for r in self.layout.rows]
        found = []
        for row_id in rows:
            columns = self.part_columns(row_id)
            blanks = [c for c in columns if self.typed(row_id, c) is None]
            if blanks and (row is not None or everything or len(blanks) < len(columns)):
                found += [(row_id, c) for c in blanks]
        return found

    def is_derived(self, row: str, column: Column) -> bool:
        """Whether the cell shows a total the app computed (the clerk left it blank)."""
        return self.derives and column.ctype.kind != "computed" and self.typed(row, column) is None \
            and self.derivation(row, column) is not None and self.derived(row, column) is not None

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
        value = self.typed(row, column)
        if value is None and self.derives:
            return self.derived(row, column)
        return value

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

    def rows_listed(self) -> list[str]:
        return [row.id for row in self.layout.rows if row.kind == "repeat"]

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
        label_column = self.form.label_column
        label = self.raw.get(row_id, {}).get(label_column.id) or ""
        return f"{row.code}. {label}".strip(". ") if label else row.code



def _as_cell(value, ctype):
    """A computed sum as the cell's own type holds it (a whole count as int)."""
    if value is None or not hasattr(value, "to_integral_value"):
        return value
    if ctype.value_kind in ("count", "integer") and value == value.to_integral_value():
        return int(value)
    return value


def report_data(store, catalog, report_id: int) -> ReportData:
    """The report with its form set; a form set this machine lacks is a message."""
    data = ReportData(store, catalog, report_id)
    if data.form_set is None:
        raise CchcError("JSON004", file=f"báo cáo {report_id}", form_set=data.report.form_set_id,
                        version=data.report.form_set_version)
    return data

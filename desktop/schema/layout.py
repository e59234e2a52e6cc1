"""The concrete rows of a form for one report.

Fixed rows come from the definition; ``units`` rows from the report unit's
child units (one per commune), ``items`` rows from a list of the form set (one
per lĩnh vực), ``repeat`` rows from what the clerk added.  Row ids are stable:
``unit:<code>``, ``item:<key>``, and the stored id of a repeating row.
Codes of generated rows come from ``code_format``: ``{n}`` numbers within the
generator, ``{N}`` across every repeating section of the form (a task list
numbered 1…25 through its groups I–VIII).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from desktop.schema.model import Column, Form, FormSet, RowSpec
from desktop.foundation.values import CellType


@dataclass
class Row:
    id: str
    code: str
    label: str
    style: str
    depth: int
    kind: str  # fixed | units | items | repeat
    parent: str | None = None
    children: list[str] = field(default_factory=list)
    total: object = None
    section: str | None = None
    ctype: CellType | None = None  # the row's own cell type, over its numeric columns
    note: str = ""  # what a row_note column prints

    def printed(self, column: Column) -> str | None:
        """What a column printed from the definition shows on this row (None for a cell of data):
        the code, the name (a clerk-added row's name is typed, so it is data) or the note."""
        if column.kind == "row_code":
            return self.code or ""
        if column.kind == "row_label" and self.kind != "repeat":
            return self.label or ""
        if column.kind == "row_note":
            return self.note
        return None

    def typed(self, column: Column) -> bool:
        """Whether the clerk types this cell: a data column that is not computed, or the name
        of a row the clerk added. Codes, names and notes printed from the definition and
        formulas are not. (The one home of this rule: entry, paste, interchange, Excel import.)"""
        return column.ctype.kind != "computed" and column.kind in ("data", "row_label") \
            and self.printed(column) is None

    @property
    def title(self) -> str:
        """The row as a finding names it: "II. TTHC thuộc…" or just the label."""
        if not self.code or self.code == "-":
            return self.label
        return f"{self.code} {self.label}" if self.code.endswith(".") else f"{self.code}. {self.label}"


@dataclass
class Layout:
    rows: list[Row]
    by_id: dict[str, Row]
    units: list[str]
    items: list[str]
    sections: dict[str, str | None]  # repeat section -> parent row id

    def cell_type(self, row_id: str, column: Column) -> CellType:
        """What a cell takes: the column's type, unless the row sets its own
        (a "Có/Không" row of a numeric column); text columns keep theirs."""
        row = self.by_id.get(row_id)
        if row is not None and row.ctype is not None and column.kind == "data" and column.ctype.numeric \
                and column.ctype.kind != "computed":
            return row.ctype
        return column.ctype

    def rows_for(self, refs: tuple[str, ...] | None) -> list[str]:
        """The row ids a rule's ``rows:`` names, "units" and "items" expanded; every row when None."""
        if not refs:
            return [row.id for row in self.rows]
        generated = {"units": self.units, "items": self.items}
        return [r for ref in refs for r in generated.get(ref, [ref])]

    def between(self, first: str, last: str) -> list[str]:
        ids = [row.id for row in self.rows]
        try:
            start, end = ids.index(first), ids.index(last)
        except ValueError:
            return []
        return ids[start : end + 1] if start <= end else []


@dataclass(frozen=True)
class UnitRef:
    code: str
    name: str
    level: str


def child_units_of(store, unit_code: str) -> list[UnitRef]:
    """The child units of a unit, in report order, as rows of ``units:`` generators see them."""
    return [UnitRef(u.code, u.name, u.level) for u in store.units.children(unit_code)]


def resolve(
    form: Form,
    form_set: FormSet,
    child_units: list[UnitRef] | tuple = (),
    repeat_rows: dict[str, list[str]] | None = None,
) -> Layout:
    repeat_rows = repeat_rows or {}
    rows: list[Row] = []
    units: list[str] = []
    items: list[str] = []
    sections: dict[str, str | None] = {}
    form_counter = [0]

    def add(row: Row, parent: Row | None) -> None:
        rows.append(row)
        if parent is not None:
            parent.children.append(row.id)

    def visit(specs: list[RowSpec], parent: Row | None, depth: int) -> None:
        for spec in specs:
            parent_id = parent.id if parent else None
            if spec.kind == "fixed":
                row = Row(spec.id, spec.code, spec.label, spec.style, depth, "fixed", parent_id, total=spec.total,
                          ctype=spec.ctype, note=spec.note)
                add(row, parent)
                visit(spec.children, row, depth + 1)
            elif spec.kind == "units":
                matching = [u for u in child_units if u.level == spec.source]
                for n, unit in enumerate(matching, 1):
                    row_id = f"{spec.id}:unit:{unit.code}" if spec.id else f"unit:{unit.code}"
                    add(Row(row_id, spec.code_format.format(n=n, N=n), unit.name, spec.style, depth, "units",
                            parent_id), parent)
                    units.append(row_id)
            elif spec.kind == "items":
                for n, (key, label) in enumerate(form_set.lists.get(spec.source, []), 1):
                    row_id = f"{spec.id}:item:{key}" if spec.id else f"item:{key}"
                    add(Row(row_id, spec.code_format.format(n=n, N=n), label, spec.style, depth, "items",
                            parent_id), parent)
                    items.append(row_id)
            else:
                sections[spec.source] = parent_id
                for n, row_id in enumerate(repeat_rows.get(spec.source, []), 1):
                    form_counter[0] += 1
                    code = spec.code_format.format(n=n, N=form_counter[0])
                    add(Row(row_id, code, "", spec.style, depth, "repeat", parent_id, section=spec.source), parent)

    visit(form.rows, None, 0)
    return Layout(rows, {row.id: row for row in rows}, units, items, sections)

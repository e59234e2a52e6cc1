"""Small operations that change a report: the only way the GUI and CLI write cells.

Each takes what the clerk typed, checks it against the form (the cell exists,
is editable, the text is a value of its type) and stores it durably, or raises
``CchcError`` having changed nothing.  Each returns what changed, so a view
can refresh just that.
"""

from __future__ import annotations

from dataclasses import dataclass

from desktop.messages import CchcError
from desktop.schema.layout import Layout, child_units_of, resolve
from desktop.schema.loader import Catalog
from desktop.schema.model import Column, Form
from desktop.values import parse_input, to_storage


@dataclass(frozen=True)
class CellChange:
    report_id: int
    form: str
    row: str
    column: str
    old: str | None
    new: str | None


def form_and_layout(store, catalog: Catalog, report_id: int, form_code: str) -> tuple[Form, Layout]:
    report = store.report(report_id)
    form_set = catalog.get(report["form_set_id"], report["form_set_version"])
    if form_set is None or form_code not in form_set.forms:
        raise CchcError("STORE014", report=report_id, form=form_code)
    form = form_set.forms[form_code]
    repeats = store.repeat_rows(report_id).get(form_code)
    return form, resolve(form, form_set, child_units_of(store, report["unit_code"]), repeats)


def editable_column(form: Form, layout: Layout, row_id: str, column_id: str) -> Column:
    """The column if the clerk may type into (row, column); else CchcError."""
    row = layout.by_id.get(row_id)
    if row is None:
        raise CchcError("STORE013", row=row_id, form=form.printed_code)
    column = form.by_id.get(column_id)
    if column is None:
        raise CchcError("STORE013", row=f"{row_id}/{column_id}", form=form.printed_code)
    if column.ctype.kind == "computed":
        raise CchcError("NUM010")
    if column.kind != "data" and not (row.kind == "repeat" and column.kind == "row_label"):
        raise CchcError("NUM010")
    return column


def enter_cells(store, catalog: Catalog, report_id: int, form_code: str,
                entries: list[tuple[str, str, str]]) -> list[CellChange]:
    """Typed texts for several cells of one form, stored together or not at all."""
    form, layout = form_and_layout(store, catalog, report_id, form_code)
    prepared = []
    for row_id, column_id, text in entries:
        column = editable_column(form, layout, row_id, column_id)
        ctype = layout.cell_type(row_id, column)
        prepared.append((form_code, row_id, column_id, to_storage(parse_input(text, ctype), ctype)))
    olds = store.set_cells(report_id, prepared)
    return [CellChange(report_id, f, r, c, old, new) for (f, r, c, new), old in zip(prepared, olds)]


def enter_cell(store, catalog: Catalog, report_id: int, form_code: str, row_id: str, column_id: str,
               text: str) -> CellChange:
    return enter_cells(store, catalog, report_id, form_code, [(row_id, column_id, text)])[0]

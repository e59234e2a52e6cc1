"""Small operations that change a report: the one way anything writes a report's data.

Typing, pasting, undo, a kind's own entries (a PAR sheet's scores), the body text,
clerk-added rows, evidence, an Excel or JSON import, consolidation and carry-over
all write through these. Each checks what it is given or trusts a caller that
checked it (an import checks the whole document first), stores it durably, and
returns what changed (``CellChange``, ``SectionChange``, ``RowChange``), so a view
refreshes just that and the session can undo it.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field

from desktop.foundation.evidence import check_evidence
from desktop.foundation.directory import Link, predecessors_of
from desktop.foundation.messages import CchcError, msg
from desktop.foundation.periods import Period
from desktop.schema import expr as ex
from desktop.report.data import ReportData
from desktop.schema.layout import Layout, child_units_of, resolve
from desktop.schema.loader import Catalog
from desktop.schema.model import Column, Form
from desktop.foundation.settings import SIGNER_MODES
from desktop.foundation.values import format_number, format_value, from_json, parse_date, parse_input, to_storage
from desktop.store.reports import LOCKED_STATUSES, REPORT_TEXT_LIMITS


@dataclass(frozen=True)
class CellChange:
    report_id: int
    form: str
    row: str
    column: str
    old: str | None
    new: str | None


@dataclass(frozen=True)
class SectionChange:
    """One section of the report's body text (``kinds.narrative``): before and after."""

    report_id: int
    section: str
    old: str | None
    new: str | None


@dataclass(frozen=True)
class RowChange:
    """A clerk-added row added, deleted (with the values it held) or moved within its section."""

    report_id: int
    form: str
    row: str
    kind: str  # add | delete | move
    section: str
    position: int  # add: where it went; delete: where it was; move: where it went
    old_position: int | None = None  # move: where it came from
    cells: tuple[CellChange, ...] = ()  # delete: the values that went with the row


def write_cells(store, report_id: int, writes: list[tuple[str, str, str, str | None]],
                action: str = "edit") -> list[CellChange]:
    """Checked values ``(form, row, column, stored text or None)`` in one transaction, audited
    under ``action``; returns each cell's change (unchanged cells included, old == new)."""
    olds = store.cells.set_many(report_id, writes, action=action)
    return [CellChange(report_id, f, r, c, old, new) for (f, r, c, new), old in zip(writes, olds)]


FORM_NOTE = "ghi_chu."  # a text printed under a form's table ("Tổng cộng đề ra 25 nhiệm vụ …", seed 000)


def form_note_key(form_code: str) -> str:
    """Where the note under ``form_code``'s table is kept, among the report's texts."""
    return FORM_NOTE + form_code


def write_section(store, report_id: int, section: str, text: str | None) -> SectionChange:
    """One section of the body text (None or blank clears it)."""
    new = text if text and text.strip() else None
    return SectionChange(report_id, section, store.narrative.set(report_id, section, new), new)


def add_row(store, report_id: int, form: str, section: str, position: int | None = None,
            row_id: str | None = None, cells: tuple[CellChange, ...] = ()) -> RowChange:
    """A clerk-added row in ``section`` (at the end when ``position`` is None), with the values
    ``cells`` put back (undoing a deletion), in one transaction."""
    with store.transaction():
        row = store.rows.add(report_id, form, section, position, row_id=row_id)
        if cells:
            write_cells(store, report_id, [(c.form, c.row, c.column, c.old) for c in cells], action="undo")
        ids = store.rows.of(report_id).get(form, {}).get(section, [])
    return RowChange(report_id, form, row, "add", section, ids.index(row), cells=cells)


def delete_row(store, report_id: int, form: str, row_id: str) -> RowChange:
    sections = store.rows.of(report_id).get(form, {})
    section = next((s for s, ids in sections.items() if row_id in ids), None)
    if section is None:
        raise CchcError("CELL004", row=row_id)
    kept = tuple(CellChange(report_id, form, row_id, column, value, None)
                 for column, value in store.cells.get(report_id).get(form, {}).get(row_id, {}).items())
    position = sections[section].index(row_id)
    store.rows.delete(report_id, form, row_id)
    return RowChange(report_id, form, row_id, "delete", section, position, cells=kept)


def move_row(store, report_id: int, form: str, row_id: str, position: int) -> RowChange:
    sections = store.rows.of(report_id).get(form, {})
    section = next((s for s, ids in sections.items() if row_id in ids), None)
    if section is None:
        raise CchcError("CELL004", row=row_id)
    old = sections[section].index(row_id)
    store.rows.move(report_id, form, row_id, position)
    return RowChange(report_id, form, row_id, "move", section, position, old_position=old)


def attach(store, report_id: int, form: str, row: str, filename: str, data: bytes) -> str:
    """An evidence file on a row (a criterion of a PAR sheet, a task of an annex); its SHA-256.
    Only a document the app lists, by name and content (``foundation/evidence.py``)."""
    check_evidence(filename, data)
    return store.attachments.add(report_id, form, row, filename, data)


def form_and_layout(store, catalog: Catalog, report_id: int, form_code: str) -> tuple[Form, Layout]:
    report = store.reports.get(report_id)
    form_set = catalog.get(report.form_set_id, report.form_set_version)
    if form_set is None or form_code not in form_set.forms:
        raise CchcError("STORE014", report=report_id, form=form_code)
    form = form_set.forms[form_code]
    repeats = store.rows.of(report_id).get(form_code)
    return form, resolve(form, form_set, child_units_of(store, report.unit_code), repeats)


def editable_column(form: Form, layout: Layout, row_id: str, column_id: str) -> Column:
    """The column if the clerk may type into (row, column); else CchcError."""
    row = layout.by_id.get(row_id)
    if row is None:
        raise CchcError("STORE013", row=row_id, form=form.printed_code)
    column = form.by_id.get(column_id)
    if column is None:
        raise CchcError("STORE013", row=f"{row_id}/{column_id}", form=form.printed_code)
    if not row.typed(column):
        raise CchcError("NUM010")
    return column


def enter_cells(store, catalog: Catalog, report_id: int, form_code: str,
                entries: list[tuple[str, str, str]]) -> list[CellChange]:
    """Typed texts for several cells of one form, stored together or not at all. A row may be
    named by its id or, for a row of a list or of a unit, by its key alone ("ho_tich" for
    "item:ho_tich")."""
    form, layout = form_and_layout(store, catalog, report_id, form_code)
    prepared = []
    for row_id, column_id, text in entries:
        if row_id not in layout.by_id:
            row_id = next((f"{kind}:{row_id}" for kind in ("item", "unit") if f"{kind}:{row_id}" in layout.by_id),
                          row_id)
        try:
            column = editable_column(form, layout, row_id, column_id)
            ctype = layout.cell_type(row_id, column)
            prepared.append((form_code, row_id, column_id, to_storage(parse_input(text, ctype), ctype)))
        except CchcError as error:
            error.cell = (row_id, column_id)  # which cell refused, for a paste to name it
            raise
    return write_cells(store, report_id, prepared)


def confirm_blanks(store, catalog: Catalog, report_id: int, form_code: str | None = None,
                   row_id: str | None = None) -> list[CellChange]:
    """The clerk confirms that blank means nothing happened ("không phát sinh"): every blank part
    of a row (or of every incomplete row of the report, or of one form) takes the set's convention,
    0 or "-", audited as a confirmation; the totals over them then compute. One transaction."""
    data = ReportData(store, catalog, report_id)  # a signed report: the store's write refuses (CELL003)
    if data.form_set is None:
        raise CchcError("STORE017", form_set=data.report.form_set_id, version=data.report.form_set_version)
    codes = [form_code] if form_code is not None else list(data.form_set.forms)
    writes = []
    for code in codes:
        scope = data.scope(code)
        if scope is None:
            raise CchcError("STORE014", report=report_id, form=code)
        if row_id is not None and row_id not in scope.layout.by_id:
            row_id = next((f"{k}:{row_id}" for k in ("item", "unit") if f"{k}:{row_id}" in scope.layout.by_id), row_id)
            if row_id not in scope.layout.by_id:
                raise CchcError("CELL008", form=scope.form.printed_code, row=row_id)
        for row, column in scope.unconfirmed_blanks(row_id):
            ctype = scope.layout.cell_type(row, column)
            writes.append((code, row, column.id, to_storage(parse_input(data.form_set.blank_means, ctype), ctype)))
    return write_cells(store, report_id, writes, action="confirm_blank") if writes else []


def enter_cell(store, catalog: Catalog, report_id: int, form_code: str, row_id: str, column_id: str,
               text: str) -> CellChange:
    return enter_cells(store, catalog, report_id, form_code, [(row_id, column_id, text)])[0]


# --- a new report --------------------------------------------------------------


@dataclass(frozen=True)
class CarriedOver:
    previous_id: int | None  # None: carried over from the units this one was formed from
    rows: int
    cells: int
    notes: tuple[str, ...] = field(default_factory=tuple)  # what was not carried over, and why


def form_sets_for(store, catalog: Catalog, unit_code: str, period: Period | None = None) -> list:
    """The form sets a unit can report on: those of its level and those for any level. For a
    period, its own province's and the national sets come first, those in force then first, the
    newest first (a commune of 2025: Biểu 06 of 2020 before its province's 2019 set), other
    provinces' sets last; without a period, its own province's sets, then the national ones.
    Of each set, only the version in force then (``Catalog.in_force``)."""
    unit = store.units.get(unit_code)
    names = []
    code = unit_code
    while code:  # the unit's name and its parents' ("Tỉnh Khánh Hòa" matches a set of province "Khánh Hòa")
        known = store.units.get(code)
        names.append(known.name.lower())
        code = known.parent_code
    on = _period_end(period).isoformat() if period is not None else dt.date.today().isoformat()
    # one version of each set: the one in force at the period's end (a newer one from its valid_from)
    usable = [s for s in catalog.sets.values() if s.level in (unit.level, "any") and catalog.in_force(s.id, on) is s]

    def order(form_set):
        province = (form_set.province or "").lower()
        own = bool(province) and any(name.endswith(province) for name in names)
        if period is not None:
            in_force = (form_set.year or 0) <= period.year
            national = province in ("", "toàn quốc")
            return (not (own or national), not in_force, -(form_set.year or 0) if in_force else 0, not own,
                    form_set.id, -form_set.version)
        return (not own, form_set.level == "any" and not own, -(form_set.year or 0), form_set.id, -form_set.version)
    return sorted(usable, key=order)


def _period_end(period: Period) -> dt.date:
    """The period's last calendar day (31/12 for a year, 30/6 for six months)."""
    following = dt.date(period.year + (period.last_month == 12), period.last_month % 12 + 1, 1)
    return following - dt.timedelta(days=1)


def create_report(store, catalog: Catalog, unit_code: str, period: Period, form_set_id: str, form_set_version: int,
                  *, carry_over: bool = True, **fields) -> tuple[int, CarriedOver | None]:
    """A new report, with what carries over from the same unit's report of the previous period.

    Both happen in one transaction: a clerk never finds half a carried-over report."""
    if catalog.get(form_set_id, form_set_version) is None:
        raise CchcError("STORE017", form_set=form_set_id, version=form_set_version)
    if not fields.get("place"):  # "…, ngày … tháng … năm …": the place the database was set up with
        place = (store.settings.get("document", {}) or {}).get("place")
        if isinstance(place, str) and place:
            fields["place"] = place
    with store.transaction():
        report_id = store.reports.create(unit_code, period, form_set_id, form_set_version, **fields)
        carried = None
        if carry_over:
            before = period.previous()
            previous_id = store.reports.find(unit_code, before, form_set_id) if before else None
            if previous_id is not None:
                carried = carry_over_from(store, catalog, report_id, previous_id)
            elif before is not None and predecessors_before(unit_code, before):
                carried = carry_over_from_predecessors(store, catalog, report_id, predecessors_before(unit_code, before))
    return report_id, carried


def predecessors_before(unit_code: str, before: Period) -> list[Link]:
    """The old units a unit was formed from, when ``before`` (the period before its report) is
    theirs: it ends by the day they ended (Quý II/2025 for a commune formed on 1/7/2025). A later
    period (Quý III/2025 before a Quý IV report) is the new unit's own: they have no report of it."""
    end = before.bounds({})[1].isoformat()  # the national data cut-off: Quý II ends 14/6, Quý III 14/9
    return [link for link in predecessors_of(unit_code) if link.unit.valid_to is None or end <= link.unit.valid_to]


def carry_over_from(store, catalog: Catalog, report_id: int, previous_id: int) -> CarriedOver:
    """Into a new report: the previous report's repeating rows (with their names), and every
    cell a form's rules tie to the previous period ("kỳ trước chuyển sang" == prev("đang giải quyết"))."""
    previous = ReportData(store, catalog, previous_id)
    report = store.reports.get(report_id)
    form_set = catalog.get(report.form_set_id, report.form_set_version)
    if form_set is None:
        return CarriedOver(previous_id, 0, 0)
    rows = cells = 0
    with store.transaction():
        for code, form in form_set.forms.items():
            label = form.label_column
            for section, ids in previous.repeats.get(code, {}).items():
                store.rows.put_section(report_id, code, section, ids)
                rows += len(ids)
                names = [(code, r, label.id, previous.raw.get(code, {}).get(r, {}).get(label.id)) for r in ids]
                write_cells(store, report_id, [n for n in names if n[3] is not None], action="carry_over")
        current = ReportData(store, catalog, report_id)  # with the rows just added
        for code, form in current.form_set.forms.items():
            before = previous.scope(code)
            if before is None:
                continue
            scope = current.scope(code)
            entries = []
            for row_id, target, source in _tied_cells(scope):
                if row_id not in before.layout.by_id:
                    continue
                # the previous report's own column of that id (it may be on an earlier version of the set)
                text = _as_typed(before.value(row_id, ex.ColRef(name=source.id)), scope.layout.cell_type(row_id, target))
                if text is not None:
                    entries.append((code, row_id, target.id, text))
            if entries:
                write_cells(store, report_id, entries, action="carry_over")
                cells += len(entries)
    return CarriedOver(previous_id, rows, cells)


def _previous_of(store, catalog: Catalog, unit_code: str, period: Period, form_set_id: str):
    """A reader (form, row, column, ctype) → value of ``unit_code``'s report of ``period``: its own
    report in this database, else the package it sent here; None when neither is here."""
    try:
        store.units.get(unit_code)
    except CchcError:
        return None
    own = store.reports.find(unit_code, period, form_set_id)
    if own is not None:
        data = ReportData(store, catalog, own)

        def read_own(form, row, column, ctype):
            scope = data.scope(form)
            found = scope.form.by_id.get(column) if scope is not None else None
            return scope.cell(row, found) if found is not None and row in scope.layout.by_id else None
        return read_own
    received = [s for s in store.submissions.all([unit_code], current_only=True)
                if s.period == period and s.form_set_id == form_set_id]
    if not received:
        return None
    forms = json.loads(received[-1].document).get("forms", {})

    def read_received(form, row, column, ctype):
        value = forms.get(form, {}).get("cells", {}).get(row, {}).get(column)
        return None if value is None else from_json(value, ctype)
    return read_received


def carry_over_from_predecessors(store, catalog: Catalog, report_id: int, links: list[Link]) -> CarriedOver:
    """The first report of a unit formed by merging old ones: each cell tied to the previous period
    ("kỳ trước chuyển sang" == prev("đang giải quyết")) is the sum of the old units' figures of the
    previous period, row by row, when every old unit merged whole ("full") and its report of that
    period (its own, or the package it sent) is in this database. Otherwise nothing is guessed:
    the cells stay for the clerk, and the notes name each old unit and its figure."""
    report = store.reports.get(report_id)
    before = report.period.previous()
    current = ReportData(store, catalog, report_id)
    readers = [(link, _previous_of(store, catalog, link.unit.id, before, report.form_set_id)) for link in links]
    whole = all(link.type == "full" and read is not None for link, read in readers)
    cells, notes = 0, []
    if not whole:
        missing = [link.unit.name for link, read in readers if read is None]
        partial = [link.unit.name for link in links if link.type != "full"]
        notes.append(msg("CARRY011", unit=current.unit.name, period=before.label,
                         reasons="; ".join(filter(None, [
                             msg("CARRY012", units=", ".join(partial)) if partial else "",
                             msg("CARRY013", units=", ".join(missing)) if missing else ""]))))
    for code, form in current.form_set.forms.items():
        scope = current.scope(code)
        entries = []
        for row_id, target, source in _tied_cells(scope):
            figures = [(link, read(code, row_id, source.id, scope.layout.cell_type(row_id, source))
                        if read else None) for link, read in readers]
            if all(value is None for _, value in figures):
                continue
            if not whole:
                notes.append(msg("CARRY014", form=form.printed_code or code, row=scope.layout.by_id[row_id].label,
                                 column=target.label, figures="; ".join(
                                     f"{link.unit.name}{' (một phần)' if link.type != 'full' else ''}: "
                                     + ("chưa có báo cáo" if read is None else
                                        "trống" if value is None else format_number(value))
                                     for (link, value), (_, read) in zip(figures, readers))))
                continue
            text = _as_typed(sum(value for _, value in figures if value is not None),
                             scope.layout.cell_type(row_id, target))
            if text is not None:
                entries.append((code, row_id, target.id, text))
        if entries:
            write_cells(store, report_id, entries, action="carry_over")
            cells += len(entries)
    return CarriedOver(None, 0, cells, tuple(notes))


def _tied_cells(scope):
    """(row, this column, last period's column) of every cell a rule ``X == prev(Y)`` ties to the
    previous period, where X is a column the clerk types (what carry-over fills)."""
    for rule in scope.form.rules:
        tie = _tied_to_previous(rule)
        target = scope.column(tie[0]) if tie else None
        source = scope.column(tie[1]) if tie else None
        if target is None or source is None or target.kind != "data" or target.ctype.kind == "computed":
            continue
        for row_id in scope.layout.rows_for(rule.rows):
            # a total the report computes from its parts is carried by its parts
            if row_id in scope.layout.by_id and not (scope.derives and scope.derivation(row_id, target)):
                yield row_id, target, source


def typed_text(value, ctype) -> str:
    """A figure from elsewhere (last period, a one-stop export) as the clerk would have typed it:
    shown, then read back through the same checks; CchcError when the column cannot take it."""
    return to_storage(parse_input(format_value(value, ctype), ctype), ctype)


def _as_typed(value, ctype) -> str | None:
    """A carried value as the clerk would have typed it, or None when the column cannot take it:
    that cell is left for the clerk."""
    if value is None:
        return None
    try:
        return typed_text(value, ctype)
    except CchcError:
        return None


def _tied_to_previous(rule) -> tuple[ex.ColRef, ex.ColRef] | None:
    """(this column, last period's column) of a rule ``X == prev(Y)``; None for any other rule."""
    check = rule.check
    if isinstance(check, ex.Binary) and check.op == "==" and isinstance(check.left, ex.ColRef) \
            and isinstance(check.right, ex.Call) and check.right.name == "prev" and len(check.right.args) == 1 \
            and isinstance(check.right.args[0], ex.ColRef):
        return check.left, check.right.args[0]
    return None


# --- the report's document information -----------------------------------------------------

INFO_FIELDS = ("doc_number", "doc_date", "place", "subject", "signer_name", "signer_title", "signer_mode",
               "data_from", "data_to", "recipients")
DATE_FIELDS = ("doc_date", "data_from", "data_to")
INFO_LABELS = {"doc_number": "Số văn bản", "doc_date": "Ngày văn bản", "place": "Địa danh", "subject": "Trích yếu",
               "signer_name": "Người ký", "signer_title": "Chức vụ người ký", "signer_mode": "Hình thức ký",
               "data_from": "Số liệu từ ngày", "data_to": "Số liệu đến hết ngày", "recipients": "Nơi nhận"}


@dataclass
class Upgrade:
    """A report's move to another version of its form set: the cells that move with it, and those
    the new version has no place for (``dropped``: each with its value as ``old``)."""

    report_id: int
    form_set_id: str
    from_version: int
    to_version: int
    moved: int
    dropped: list[CellChange] = field(default_factory=list)
    titles: dict = field(default_factory=dict)  # (form, row id) → the row as the old version prints it

    def dropped_lines(self, catalog: Catalog) -> list[str]:
        """Each dropped cell as the clerk reads it: "Phụ lục 1 / dòng “2. Công khai” / Đơn vị: 12"."""
        old = catalog.get(self.form_set_id, self.from_version)
        lines = []
        for cell in self.dropped:
            form = old.forms.get(cell.form) if old else None
            column = form.by_id.get(cell.column) if form else None
            lines.append(msg("UPG005", form=form.printed_code if form else cell.form,
                             row=self.titles.get((cell.form, cell.row), cell.row),
                             column=form.short_label(column) if column else cell.column, value=cell.old))
        return lines


def upgrade_plan(store, catalog: Catalog, report_id: int, to_version: int) -> Upgrade:
    """What moving a draft to version ``to_version`` of its form set keeps and drops; changes nothing.
    A cell moves when its form, row and column still exist in the new version and the clerk still
    types it there; the rest (a form, row or column taken out, a column now computed) is dropped."""
    report = store.reports.get(report_id)
    if report.status in LOCKED_STATUSES:
        raise CchcError("UPG001", report=report_id)
    if to_version == report.form_set_version:
        raise CchcError("UPG002", version=to_version)
    old_set = catalog.get(report.form_set_id, report.form_set_version)
    new_set = catalog.get(report.form_set_id, to_version)
    if new_set is None:
        known = sorted(v for (i, v) in catalog.sets if i == report.form_set_id)
        raise CchcError("UPG003", set=report.form_set_id, version=to_version, known=", ".join(map(str, known)))
    old_forms = set(old_set.forms) if old_set else set()
    units = child_units_of(store, report.unit_code)
    repeats = store.rows.of(report_id)
    cells = store.cells.get(report_id)
    layouts = {code: resolve(form, new_set, units, repeats.get(code)) for code, form in new_set.forms.items()
               if code in cells}  # only the forms the report has cells in
    moved, dropped = 0, []
    for form_code, rows in cells.items():
        if form_code not in new_set.forms and form_code not in old_forms:
            continue  # not a form's cells (the body's own store): neither set owns it
        form, layout = new_set.forms.get(form_code), layouts.get(form_code)
        for row_id, columns in rows.items():
            for column_id, value in columns.items():
                row = layout.by_id.get(row_id) if layout else None
                column = form.by_id.get(column_id) if form else None
                if row is not None and column is not None and row.typed(column):
                    moved += 1
                else:
                    dropped.append(CellChange(report_id, form_code, row_id, column_id, value, None))
    titles = {}
    for form_code in {c.form for c in dropped}:
        if old_set is not None and form_code in old_set.forms:
            layout = resolve(old_set.forms[form_code], old_set, units, repeats.get(form_code))
            titles.update({(form_code, row.id): row.title for row in layout.rows})
    return Upgrade(report_id, report.form_set_id, report.form_set_version, to_version, moved, dropped, titles)


def upgrade_report(store, catalog: Catalog, report_id: int, to_version: int) -> Upgrade:
    """The move ``upgrade_plan`` describes, in one transaction, audited: the dropped cells cleared
    (their values kept in the audit, and in the returned plan for an undo), the version changed."""
    plan = upgrade_plan(store, catalog, report_id, to_version)
    with store.transaction() as conn:
        if plan.dropped:
            store.cells.set_many(report_id, [(c.form, c.row, c.column, None) for c in plan.dropped], action="upgrade")
        store.reports.editable(conn, report_id)
        store.reports.set_form_set_version(conn, report_id, to_version)
    return plan


def undo_upgrade(store, plan: Upgrade) -> None:
    """``upgrade_report`` taken back: the earlier version again, with the cells it dropped."""
    with store.transaction() as conn:
        store.reports.editable(conn, plan.report_id)
        store.reports.set_form_set_version(conn, plan.report_id, plan.from_version)
        if plan.dropped:
            store.cells.set_many(plan.report_id, [(c.form, c.row, c.column, c.old) for c in plan.dropped],
                                 action="undo")


def update_report_info(store, report_id: int, **fields) -> dict:
    """What the printed report says of itself (number, date, place, subject, signer, the data period
    it states), checked first and stored together; a text left empty is no value. Dates are taken as
    a clerk writes them (05/01/2020) or ISO, and kept ISO. A signed or sent report refuses.
    Returns the fields that changed."""
    report = store.reports.get(report_id)
    if report.status in LOCKED_STATUSES:
        raise CchcError("INFO001")
    checked = {}
    for key, value in fields.items():
        if key not in INFO_FIELDS:
            raise ValueError(key)
        value = (str(value).strip() or None) if value is not None else None
        if value is not None and key == "recipients":  # one per line, blank lines and list marks dropped
            value = "\n".join(line.strip().lstrip("-–•").strip().rstrip(";.") for line in value.splitlines()
                              if line.strip().lstrip("-–•").strip()) or None
        if value is not None and key in DATE_FIELDS:
            value = parse_date(value).isoformat()
        if value is not None and key == "signer_mode":
            value = value.upper()
            if value not in SIGNER_MODES:
                raise CchcError("INFO004", value=value, allowed=", ".join(SIGNER_MODES))
        if value is not None and len(value) > REPORT_TEXT_LIMITS[key]:
            raise CchcError("INFO002", field=INFO_LABELS[key], limit=REPORT_TEXT_LIMITS[key])
        checked[key] = value
    start = checked.get("data_from", report.data_from)
    end = checked.get("data_to", report.data_to)
    if start and end and start > end:
        raise CchcError("INFO003", start=shown_date(start), end=shown_date(end))
    changed = {k: v for k, v in checked.items() if getattr(report, k) != v}
    store.reports.update(report_id, **changed)
    return changed


def shown_date(iso: str | None) -> str:
    """An ISO date as a clerk writes it (05/01/2020); none is empty."""
    return dt.date.fromisoformat(iso).strftime("%d/%m/%Y") if iso else ""


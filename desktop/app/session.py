"""One open report as the window sees it: a grid per form, the findings, undo across the report.

The window holds a ``ReportSession`` and changes data only through its methods
(which call ``desktop.report.ops`` and the store); each returns a ``Change`` that says
which cells and which forms' rows changed, so every view refreshes just that.
The store stays the one copy of the data: a grid reads the values from the
session's ``ReportData`` and holds none of its own.  No Qt here; the table
model in ``desktop/ui`` is a thin adapter over ``FormGrid``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from desktop import __version__
from desktop.foundation.directory import predecessors_of
from desktop.kinds.narrative import FORM_CODE as BODY_FORM
from desktop.schema.outline import own_outline
from desktop.kinds.par.criteria import criteria_of
from desktop.kinds.par.scoring import enter, score_data
from desktop.kinds.par.sheet import FORM_CODE as SHEET_FORM
from desktop.report import ops
from desktop.app.clipboard import parse_tsv, to_tsv
from desktop.exchange.annex import HeaderCell, header_grid
from desktop.foundation.messages import CchcError, os_reason
from desktop.rules.engine import Finding, count, validate
from desktop.report.data import ReportData, ReportsIndex
from desktop.schema.layout import Row
from desktop.schema.model import Column, Form
from desktop.store.reports import LOCKED_STATUSES, STATUS_LABELS
from desktop.foundation.values import format_value
from desktop.store.records import Attachment, Report

MAX_EVIDENCE_MB = 50


@dataclass
class Change:
    """What one action changed: the views refresh these and nothing else."""

    cells: list[ops.CellChange] = field(default_factory=list)
    forms: set[str] = field(default_factory=set)  # forms whose rows were added, removed or moved
    sections: set[str] = field(default_factory=set)  # body text sections changed elsewhere (an undo)
    notes: set[str] = field(default_factory=set)  # forms whose note under the table changed (an undo)
    focus: tuple[str, str, str | None] | None = None  # (form, row, column) the action happened at
    saved_at: dt.datetime | None = None
    left_out: int = 0  # pasted values that fell outside the table
    version_changed: bool = False  # the report moved to another version of its form set: every view anew

    @property
    def touched_forms(self) -> set[str]:
        return self.forms | {c.form for c in self.cells}


@dataclass
class _Step:
    """One undoable action of the clerk."""

    kind: str  # cells | section | add_row | delete_row | move_row | upgrade
    form: str
    cells: list[ops.CellChange] = field(default_factory=list)
    row: str | None = None
    section: str | None = None
    position: int | None = None  # add: where it went; delete: where it was; move: where it went
    old_position: int | None = None  # move: where it came from
    section_change: ops.SectionChange | None = None  # section: the body text before and after
    upgrade: ops.Upgrade | None = None  # upgrade: the move to another version and the cells it dropped


class FormGrid:
    """One form of the open report as a table: header cells, rows, and each cell's text and kind."""

    def __init__(self, session: "ReportSession", form: Form) -> None:
        self.session = session
        self.form = form
        self.scope = session.data.scope(form.code)
        self.layout = self.scope.layout
        self.rows: list[Row] = self.layout.rows
        self.columns: list[Column] = form.leaves
        self.header: list[HeaderCell]
        self.header, self.header_rows = header_grid(form)
        self.number_row = [c.number_label for c in self.columns]
        self.frozen = sum(1 for c in self.columns[:2] if c.kind in ("row_code", "row_label"))
        self._index = {row.id: i for i, row in enumerate(self.rows)}
        self._column_index = {c.id: i for i, c in enumerate(self.columns) if c.id}

    def position(self, row_id: str, column_id: str | None) -> tuple[int, int] | None:
        if row_id not in self._index:
            return None
        column = self._column_index.get(column_id, self.frozen) if column_id else self.frozen
        return self._index[row_id], min(column, len(self.columns) - 1)

    def is_computed(self, r: int, c: int) -> bool:
        return self.columns[c].ctype.kind == "computed"

    def is_derived(self, r: int, c: int) -> bool:
        """A total the clerk left blank, shown as the app computes it from its parts."""
        column = self.columns[c]
        return column.kind == "data" and self.scope.is_derived(self.rows[r].id, column)

    def derived_from(self, r: int, c: int) -> str:
        """What a computed total adds up, in the words of the printed form."""
        column, row = self.columns[c], self.rows[r]
        how = self.scope.derivation(row.id, column)
        if how is None:
            return ""
        if how[0] == "columns":
            return f"Tự tính: {column.number_label or self.form.short_label(column)}. Gõ số để ghi đè, Delete để trở lại tự tính."
        parts = [self.layout.by_id[p] for p in how[1] if p in self.layout.by_id]
        names = ", ".join((p.code or p.label) for p in parts[:6]) + (", …" if len(parts) > 6 else "")
        return f"Tự tính: tổng các dòng {names}. Gõ số để ghi đè, Delete để trở lại tự tính."

    def is_numeric(self, r: int, c: int) -> bool:
        column = self.columns[c]
        return column.kind == "data" and self.layout.cell_type(self.rows[r].id, column).numeric

    def is_editable(self, r: int, c: int) -> bool:
        """A cell the clerk can type into: never in a signed or submitted report (no editor opens)."""
        return not self.session.locked and self.rows[r].typed(self.columns[c])

    def text(self, r: int, c: int) -> str:
        """The cell as the printed annex shows it: "1.562", "93,66%", "Có". F2 edits this
        same text: it reads back as the same value."""
        column, row = self.columns[c], self.rows[r]
        printed = row.printed(column)
        if printed is not None:
            return printed
        return format_value(self.scope.cell(row.id, column), self.layout.cell_type(row.id, column))

    def findings(self, r: int, c: int) -> list[Finding]:
        column = self.columns[c]
        return self.session.findings_at(self.form.code, self.rows[r].id, column.id)

    def row_findings(self, r: int) -> list[Finding]:
        """Findings of a row that name no column (shown on the row's label)."""
        return self.session.findings_at(self.form.code, self.rows[r].id, None)

    def block(self, top: int, left: int, bottom: int, right: int) -> list[list[str]]:
        return [[self.text(r, c) for c in range(left, right + 1)] for r in range(top, bottom + 1)]

    def copy_tsv(self, top: int, left: int, bottom: int, right: int) -> str:
        return to_tsv(self.block(top, left, bottom, right))

    def section_of(self, r: int) -> str | None:
        """The repeating section a new row at ``r`` would join: the row's own, or the
        section just under a group row."""
        row = self.rows[r]
        if row.kind == "repeat":
            return row.section
        for section, parent in self.layout.sections.items():
            if parent == row.id:
                return section
        return None

    def attachments(self, r: int) -> list[dict]:
        return self.session.attachments_of(self.form.code, self.rows[r].id)


class ReportSession:
    """The open report. Every change goes through here; undo and redo span all its forms."""

    def __init__(self, store, catalog, report_id: int) -> None:
        self.store = store
        self.catalog = catalog
        self.report_id = report_id
        self._undo: list[_Step] = []
        self._redo: list[_Step] = []
        self.reload()

    # --- reading -----------------------------------------------------------------

    def reload(self) -> None:
        """Read the report again from the store (after an import or another window's change)."""
        self.data = ReportData(self.store, self.catalog, self.report_id)
        self._grids: dict[str, FormGrid] = {}
        self._findings: list[Finding] | None = None
        self._by_form: dict[str, list[Finding]] = {}  # per form, for a kind that checks form by form
        self._dirty: set[str] = set()  # forms typed into since the findings were computed
        self._by_cell: dict[tuple, list[Finding]] = {}
        self._attachments: list[dict] | None = None

    @property
    def report(self) -> Report:
        return self.data.report

    @property
    def forms(self) -> list[Form]:
        return list(self.data.form_set.forms.values()) if self.data.form_set else []

    @property
    def locked(self) -> bool:
        return self.report.status in LOCKED_STATUSES

    @property
    def consolidates(self) -> bool:
        """Whether this report takes child units' packages (``from:`` rows, a PAR sheet that appraises)."""
        form_set = self.data.form_set
        return form_set is not None and bool(form_set.kind.receives(form_set))

    @property
    def appraises(self) -> bool:
        """Whether this is a PAR sheet of the level above, which appraises its units' sheets."""
        return self.criteria is not None and bool(self.criteria.appraises)

    @property
    def has_body(self) -> bool:
        """Whether the report has a body text to type (``ReportEntry.has_body``)."""
        return has_body(self.data.form_set)

    def grid(self, code: str) -> FormGrid:
        if code not in self._grids:
            if self.data.form_set is None or code not in self.data.form_set.forms:
                raise CchcError("STORE014", report=self.report_id, form=code)
            self._grids[code] = FormGrid(self, self.data.form_set.forms[code])
        return self._grids[code]

    def findings(self) -> list[Finding]:
        """The report's findings, as ``rules.engine.validate`` gives them. After typing, a kind that
        checks form by form (``validate_form``) checks again only the forms typed into and those
        that read them (``dependents``), and the parts (the body reads the annexes' figures)."""
        if self._findings is not None and not self._dirty:
            return self._findings
        form_set = self.data.form_set
        kind = form_set.kind if form_set is not None else None
        if kind is None or not hasattr(kind, "validate_form"):
            self._findings = validate(self.data)
        else:
            if self._findings is None:
                todo = set(form_set.forms)
            else:
                dependents = kind.dependents(form_set)
                todo = set().union(*(dependents.get(code, {code}) for code in self._dirty))
            for code in todo:
                self._by_form[code] = kind.validate_form(self.data, code)
            parts = [f for part in self.data.catalog.parts for f in part.validate(self.data)]
            self._findings = [f for code in form_set.forms for f in self._by_form.get(code, [])] + parts
        self._dirty = set()
        self._by_cell = {}
        for finding in self._findings:
            self._by_cell.setdefault((finding.form_code, finding.row_id, finding.column_id), []).append(finding)
        return self._findings

    def findings_at(self, form: str, row: str, column: str | None) -> list[Finding]:
        self.findings()
        return self._by_cell.get((form, row, column), [])

    def counts(self, form: str | None = None) -> tuple[int, int]:
        """(errors, warnings) of the report, or of one form."""
        return count([f for f in self.findings() if form is None or f.form_code == form])

    def attachments_of(self, form: str, row: str) -> list[Attachment]:
        if self._attachments is None:
            self._attachments = self.store.attachments.of(self.report_id)
        return [a for a in self._attachments if a.form_code == form and a.row_id == row]

    @property
    def can_undo(self) -> bool:
        return bool(self._undo)

    @property
    def can_redo(self) -> bool:
        return bool(self._redo)

    # --- changing ------------------------------------------------------------------

    def _check_unlocked(self) -> None:
        if self.locked:
            raise CchcError("CELL003")

    def _changed(self, change: Change, rows_changed: bool = False) -> Change:
        """After a write: values are re-read from the store (one query), findings recomputed on demand."""
        if rows_changed:
            self.reload()
        else:
            for cell in change.cells:
                self.data.put(cell.form, cell.row, cell.column, cell.new)
            self._dirty |= {cell.form for cell in change.cells}
        change.saved_at = dt.datetime.now()
        return change

    def _record(self, step: _Step) -> None:
        self._undo.append(step)
        self._redo.clear()

    def enter(self, code: str, entries: list[tuple[str, str, str]]) -> Change:
        """Typed texts for cells of one form ("" clears), stored together or not at all."""
        self._check_unlocked()
        changes = [c for c in ops.enter_cells(self.store, self.catalog, self.report_id, code, entries)
                   if c.old != c.new]
        change = Change(changes, focus=(code, entries[0][0], entries[0][1]) if entries else None)
        if changes:
            self._record(_Step("cells", code, changes))
        return self._changed(change)

    def confirm_blanks(self, code: str | None = None, row: str | None = None) -> Change:
        """Blank parts confirmed as nothing happened (a row, a form or the whole report): one undoable step."""
        self._check_unlocked()
        changes = [c for c in ops.confirm_blanks(self.store, self.catalog, self.report_id, code, row)
                   if c.old != c.new]
        if changes:
            self._record(_Step("cells", changes[0].form, changes))
        return self._changed(Change(changes, focus=(changes[0].form, changes[0].row, changes[0].column)
                                    if changes else None))

    # --- PAR scoring sheets and the report's body ------------------------------------

    @property
    def criteria(self):
        """The criteria set when this report is a PAR scoring sheet, else None."""
        return criteria_of(self.data.form_set)

    def scorecard(self):
        return score_data(self.data)

    def enter_scores(self, entries: list[tuple[str, str, str]]) -> Change:
        """Typed texts for a scoring sheet's cells ``(criterion, column, text)``, checked and stored together;
        undone like any cells."""
        self._check_unlocked()
        changes = [c for c in enter(self.store, self.criteria, self.report_id, entries) if c.old != c.new]
        if changes:
            self._record(_Step("cells", SHEET_FORM, changes))
        first = entries[0] if entries else None
        return self._changed(Change(changes, focus=(SHEET_FORM, first[0], first[1]) if first else None))

    def set_section(self, key: str, text: str) -> Change:
        """One section of the report's body text, stored at once; undone as a whole by the
        report's undo (the editor keeps its own undo of keystrokes)."""
        self._check_unlocked()
        change = ops.write_section(self.store, self.report_id, key, text)
        if change.old != change.new:
            self._record(_Step("section", BODY_FORM, row=key, section_change=change))
        self._findings = None
        return self._changed(Change())  # the editor that typed it shows it already

    def set_form_note(self, code: str, text: str) -> Change:
        """The note printed under form ``code``'s table, stored at once and undone as one step."""
        self._check_unlocked()
        change = ops.write_section(self.store, self.report_id, ops.form_note_key(code), text)
        if change.old != change.new:
            self._record(_Step("section", code, row=change.section, section_change=change))
        return self._changed(Change())

    def form_note(self, code: str) -> str:
        return self.store.narrative.of(self.report_id).get(ops.form_note_key(code), "")

    def external(self, cells: list[ops.CellChange]) -> Change:
        """Cells another operation wrote into this report (an Excel import): recorded so that
        one undo takes them all back, and the views refresh just them."""
        changes = [c for c in cells if c.old != c.new]
        if changes:
            self._record(_Step("cells", changes[0].form, changes))
        first = changes[0] if changes else None
        return self._changed(Change(changes, focus=(first.form, first.row, first.column) if first else None))

    def enter_at(self, code: str, r: int, c: int, text: str) -> Change:
        grid = self.grid(code)
        return self.enter(code, [(grid.rows[r].id, grid.columns[c].id, text)])

    def clear(self, code: str, cells: list[tuple[int, int]]) -> Change:
        """Delete on a selection: every editable cell in it is emptied; the rest is left."""
        grid = self.grid(code)
        entries = [(grid.rows[r].id, grid.columns[c].id, "") for r, c in cells
                   if grid.is_editable(r, c) and grid.text(r, c) != ""]
        return self.enter(code, entries) if entries else Change()

    def paste(self, code: str, top: int, left: int, text: str,
              selection: tuple[int, int, int, int] | None = None) -> Change:
        """A block of tab-separated text from Excel or LibreOffice, its top-left cell at (top, left).

        A single value pasted over a selection fills the selection, as in Excel.
        Cells the clerk cannot type into (codes, names, computed columns) are skipped:
        a block copied from the printed annex carries them too.  If one value is
        refused, nothing is pasted and the message names its cell."""
        grid = self.grid(code)
        block = parse_tsv(text)
        if not block:
            return Change()
        if selection and len(block) == 1 and len(block[0]) == 1:
            s_top, s_left, s_bottom, s_right = selection
            block = [[block[0][0]] * (s_right - s_left + 1) for _ in range(s_bottom - s_top + 1)]
            top, left = s_top, s_left
        entries, left_out = [], 0
        for dr, values in enumerate(block):
            r = top + dr
            if r >= len(grid.rows):
                left_out += len(values)
                continue
            for dc, value in enumerate(values):
                c = left + dc
                if c >= len(grid.columns):
                    left_out += 1
                    continue
                if not grid.is_editable(r, c):
                    continue
                entries.append((grid.rows[r].id, grid.columns[c].id, value))
        if not entries:
            return Change(left_out=left_out)
        try:
            change = self.enter(code, entries)
            change.left_out = left_out
            return change
        except CchcError as error:
            where = getattr(error, "cell", None)
            if where is None:
                raise
            position = grid.position(*where)
            row_title = self.data.scope(code).row_title(where[0])
            column = grid.columns[position[1]] if position else None
            column_text = column.number_label or f"“{grid.form.short_label(column)}”" if column else where[1]
            raise CchcError("CELL001", row=row_title, column=column_text, reason=str(error)) from None

    def upgrade(self, version: int) -> Change:
        """The draft moved to ``version`` of its form set (``ops.upgrade_plan`` says what it drops
        first): one undoable step."""
        self._check_unlocked()
        plan = ops.upgrade_report(self.store, self.catalog, self.report_id, version)
        self._record(_Step("upgrade", "", upgrade=plan))
        return self._moved()

    def _moved(self) -> Change:
        self.reload()
        return self._changed(Change(forms={f.code for f in self.forms}, version_changed=True), rows_changed=True)

    def _apply(self, step: _Step, forward: bool) -> Change:
        """Do (forward) or undo a recorded step, without recording it again."""
        report, code = self.report_id, step.form
        if step.kind == "upgrade":
            if forward:
                ops.upgrade_report(self.store, self.catalog, report, step.upgrade.to_version)
            else:
                ops.undo_upgrade(self.store, step.upgrade)
            return self._moved()
        if step.kind == "cells":
            values = [(c.form, c.row, c.column, c.new if forward else c.old) for c in step.cells]
            cells = ops.write_cells(self.store, report, values, action="redo" if forward else "undo")
            first = step.cells[0]
            return self._changed(Change(cells, focus=(first.form, first.row, first.column)))
        if step.kind == "section":
            text = step.section_change.new if forward else step.section_change.old
            ops.write_section(self.store, report, step.row, text)
            if step.form != BODY_FORM:  # a note under a form's table: that form shows it
                return self._changed(Change(notes={step.form}, focus=(code, None, None)))
            self._findings = None
            return self._changed(Change(sections={step.row}, focus=(code, step.row, None)))
        adding = (step.kind == "add_row") == forward
        if step.kind == "move_row":
            position = step.position if forward else step.old_position
            ops.move_row(self.store, report, code, step.row, position)
        elif adding:
            ops.add_row(self.store, report, code, step.section, step.position, row_id=step.row, cells=step.cells)
        else:
            ops.delete_row(self.store, report, code, step.row)
        focus = (code, step.row, None) if adding or step.kind == "move_row" else None
        return self._changed(Change(forms={code}, focus=focus), rows_changed=True)

    def undo(self) -> Change | None:
        if not self._undo:
            return None
        self._check_unlocked()
        step = self._undo.pop()
        change = self._apply(step, forward=False)
        self._redo.append(step)
        return change

    def redo(self) -> Change | None:
        if not self._redo:
            return None
        self._check_unlocked()
        step = self._redo.pop()
        change = self._apply(step, forward=True)
        self._undo.append(step)
        return change

    # --- repeating rows -------------------------------------------------------------

    def add_row(self, code: str, section: str, position: int | None = None) -> tuple[Change, str]:
        self._check_unlocked()
        added = ops.add_row(self.store, self.report_id, code, section, position)
        row_id = added.row
        self._record(_Step("add_row", code, row=row_id, section=section, position=added.position))
        return self._changed(Change(forms={code}, focus=(code, row_id, None)), rows_changed=True), row_id

    def _repeat_row(self, code: str, row_id: str) -> tuple[str, list[str]]:
        row = self.grid(code).layout.by_id.get(row_id)
        if row is None or row.kind != "repeat":
            raise CchcError("CELL004", row=row.title if row else row_id)
        return row.section, self.data.repeats.get(code, {}).get(row.section, [])

    def delete_row(self, code: str, row_id: str) -> Change:
        self._check_unlocked()
        self._repeat_row(code, row_id)
        deleted = ops.delete_row(self.store, self.report_id, code, row_id)
        self._record(_Step("delete_row", code, list(deleted.cells), row=row_id, section=deleted.section,
                           position=deleted.position))
        return self._changed(Change(forms={code}), rows_changed=True)

    def move_row(self, code: str, row_id: str, offset: int) -> Change:
        """Move a clerk-added row ``offset`` places up (negative) or down within its section."""
        self._check_unlocked()
        section, ids = self._repeat_row(code, row_id)
        old = ids.index(row_id)
        new = max(0, min(old + offset, len(ids) - 1))
        if new == old:
            return Change()
        ops.move_row(self.store, self.report_id, code, row_id, new)
        self._record(_Step("move_row", code, row=row_id, section=section, position=new, old_position=old))
        return self._changed(Change(forms={code}, focus=(code, row_id, None)), rows_changed=True)

    # --- evidence (minh chứng) ---------------------------------------------------------

    def attach(self, code: str, row_id: str, path) -> Change:
        path = Path(path)
        try:
            size = path.stat().st_size
            if size > MAX_EVIDENCE_MB * 1024 * 1024:
                raise CchcError("CELL006", file=path.name, size=round(size / 1024 / 1024, 1), limit=MAX_EVIDENCE_MB)
            data = path.read_bytes()
        except OSError as error:
            raise CchcError("CELL005", file=path.name, reason=os_reason(error)) from None
        self._check_unlocked()
        ops.attach(self.store, self.report_id, code, row_id, path.name, data)
        self._attachments = None
        return self._changed(Change(focus=(code, row_id, None)))

    def evidence_bytes(self, attachment: Attachment) -> bytes:
        return self.store.attachments.blob(attachment.sha256)



# --- the navigator ----------------------------------------------------------------------


@dataclass
class FormEntry:
    code: str
    printed_code: str
    title: str
    errors: int
    warnings: int


@dataclass
class ReportEntry:
    id: int
    period: str  # "Quý I năm 2020", "giai đoạn 2011–2020"
    year: int
    status: str
    status_label: str
    errors: int
    warnings: int
    forms: list[FormEntry]  # the annexes a clerk opens one by one (a PAR sheet is one screen: none)
    form_set: str
    appraises: bool = False  # a PAR sheet that appraises its units' sheets
    has_body: bool = False  # a body text to type: every annex report's, a sheet's whose set outlines one


@dataclass
class UnitEntry:
    code: str
    name: str
    level: str
    reports: list[ReportEntry] = field(default_factory=list)
    children: list["UnitEntry"] = field(default_factory=list)
    report_count: int = 0  # its own reports, read or not
    loaded: bool = True  # its reports are in ``reports`` (report_tree's ``load``)


def report_entry(data: ReportData, findings: list[Finding] | None = None) -> ReportEntry:
    findings = validate(data) if findings is None else findings
    per_form = {code: list(count([f for f in findings if f.form_code == code])) for code in
                (data.form_set.forms if data.form_set else {})}
    return _entry(data.report, data.form_set, *count(findings), per_form)


def has_body(form_set) -> bool:
    """An annex report has a body text; a PAR sheet has one when its set outlines it (the
    analysis's tasks and organisation, seed 002's parts III and IV)."""
    if form_set is None:
        return False
    return criteria_of(form_set) is None or own_outline(form_set) is not None


def _entry(report: Report, form_set, errors: int, warnings: int, per_form: dict) -> ReportEntry:
    criteria = criteria_of(form_set)
    forms = [FormEntry(form.code, form.printed_code, form.title, *per_form.get(form.code, (0, 0)))
             for form in (form_set.forms.values() if form_set and criteria is None else [])]
    label = report.period.label
    return ReportEntry(report.id, label[:1].upper() + label[1:], report.year, report.status,
                       STATUS_LABELS.get(report.status, report.status), errors, warnings, forms,
                       form_set.name if form_set else report.form_set_id,
                       appraises=bool(criteria and criteria.appraises),
                       has_body=has_body(form_set))


def report_stamps(reports: list[Report], catalog, rules: dict | None = None) -> dict[int, str]:
    """What each report's findings depend on, as one string: the catalog's files, the report's own
    revision and fields, and its unit's other reports on the same set (the previous period's
    figures, its history), and those of the old units a merged unit was formed from. Equal stamps,
    equal findings: the navigator reuses the counts kept in the store."""
    groups: dict[tuple[str, str], list[str]] = {}
    for r in reports:
        groups.setdefault((r.unit_code, r.form_set_id), []).append(f"{r.id}:{r.revision}:{r.updated_at}")
    digest = {key: "|".join(sorted(parts)) for key, parts in groups.items()}
    settings = json.dumps(rules or {}, sort_keys=True)
    stamps = {}
    for r in reports:
        related = [digest[(r.unit_code, r.form_set_id)]]
        related += [digest.get((link.unit.id, r.form_set_id), "") for link in predecessors_of(r.unit_code)]
        stamps[r.id] = hashlib.sha256("\n".join([__version__, catalog.digest, settings, r.status, str(r.version),
                                                   *related]).encode()).hexdigest()
    return stamps


def unit_reports(store, catalog, unit_codes) -> dict[str, list[ReportEntry]]:
    """The reports of these units, newest period first, with their forms and finding counts.
    Counts come from the store when nothing they depend on changed since they were computed
    (``report_stamps``); what they depend on is the unit's own reports and its old units', so
    only those are read."""
    wanted = set(unit_codes)
    if not wanted:
        return {}
    rules = store.settings.get("period_rules", {})
    related = set(wanted)
    for code in wanted:
        related.update(link.unit.id for link in predecessors_of(code))
    reports = store.reports.all(units=related)
    stamps = report_stamps(reports, catalog, rules)
    shown = [r for r in reports if r.unit_code in wanted]
    cached = store.counts.cached(r.id for r in shown)
    index = ReportsIndex(reports)  # every report read once: the histories the validations need come from here
    fresh = []
    by_unit: dict[str, list[ReportEntry]] = {code: [] for code in wanted}
    for report in shown:
        kept = cached.get(report.id)
        if kept is not None and kept[0] == stamps[report.id]:
            entry = _entry(report, catalog.form_set_of(report), kept[1], kept[2], kept[3])
        else:
            entry = report_entry(ReportData(store, catalog, report.id, rules, reports_index=index))
            fresh.append((report.id, stamps[report.id], entry.errors, entry.warnings,
                          {f.code: [f.errors, f.warnings] for f in entry.forms}))
        by_unit[report.unit_code].append(entry)
    if fresh:
        store.counts.save(fresh)
    return {code: sorted(entries, key=lambda r: (-r.year, r.period, r.id)) for code, entries in by_unit.items()}


def report_tree(store, catalog, load=None, all_up_to: int | None = None) -> list[UnitEntry]:
    """Units (as a tree, province → district → commune) that have reports or children with
    reports. ``load``: the units whose reports are read (None: every unit); the others carry
    only how many they have (``report_count``), for a navigator that reads a unit's reports when
    it is opened, so that a province's thousands of reports are not read at each start.
    ``all_up_to``: read every unit's anyway when the database holds at most that many reports."""
    per_unit = store.reports.per_unit()
    if load is None or (all_up_to is not None and sum(per_unit.values()) <= all_up_to):
        load = set(per_unit)
    entries = unit_reports(store, catalog, set(load) & set(per_unit))
    units = store.units.all()
    nodes = {u.code: UnitEntry(u.code, u.name, u.level, report_count=per_unit.get(u.code, 0)) for u in units}
    roots: list[UnitEntry] = []
    for unit in units:
        node = nodes[unit.code]
        node.loaded = unit.code in entries or not node.report_count
        node.reports = entries.get(unit.code, [])
        parent = nodes.get(unit.parent_code)
        (parent.children if parent else roots).append(node)

    def keep(node: UnitEntry) -> bool:
        node.children = [c for c in node.children if keep(c)]
        return bool(node.report_count or node.children)

    return [r for r in roots if keep(r)]

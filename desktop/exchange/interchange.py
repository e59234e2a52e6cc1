"""One report <-> one JSON document (format "cchc-report", documented in docs/interchange.md).

Export writes every stored cell as a JSON value of its column's type (numbers
as numbers, dates as ISO text), the clerk-added rows in order, and the
attachments with their content.  Import checks everything against the form
set before it writes, then writes in one transaction: a bad document changes
nothing.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from desktop import __version__
from desktop.foundation.directory import NEW_ERA, OLD_ERA, load_directory
from desktop.foundation.evidence import evidence_problem
from desktop.foundation.jsontext import JsonRefused, loads as strict_json
from desktop.foundation.messages import CchcError, os_reason
from desktop.foundation.periods import PERIOD_TYPES, Period
from desktop.report.data import ReportData
from desktop.report.ops import attach, write_cells
from desktop.schema.layout import UnitRef, resolve
from desktop.schema.loader import Catalog
from desktop.schema.model import LEVELS, FormSet
from desktop.store.records import Unit
from desktop.store.reports import LOCKED_STATUSES, REPORT_TEXT_LIMITS, STATUS_LABELS, STATUSES, TOTALS_MODES
from desktop.store.units import UNIT_CODE
from desktop.foundation.values import from_json, from_storage, to_json, to_storage

FORMAT = "cchc-report"
FORMAT_VERSION = 2  # 2: the report's parts (its body text) travel under "parts"
READABLE_VERSIONS = (1, 2)
REPORT_KEYS = ("status", "doc_number", "doc_date", "signer_name", "signer_title", "signer_mode", "place",
               "subject", "version", "data_from", "data_to", "recipients", "totals")
TEXT_LIMITS = REPORT_TEXT_LIMITS
YEARS = range(1900, 2201)
VERSIONS = range(1, 100_001)
MAX_CELLS = 200_000
MAX_ATTACHMENT_BYTES = 50 * 1024 * 1024


def _unit_json(unit: Unit) -> dict:
    return {"code": unit.code, "name": unit.name, "level": unit.level}


def export_report(store, catalog: Catalog, report_id: int) -> dict:
    data = ReportData(store, catalog, report_id)  # the report, its unit, cells and rows, read once
    report, form_set, unit = data.report, data.form_set, data.unit
    if form_set is None:
        raise CchcError("JSON004", file=f"báo cáo {report_id}", form_set=report.form_set_id,
                        version=report.form_set_version)
    parent = store.units.get(unit.parent_code) if unit.parent_code else None
    raw, repeats = data.raw, data.repeats
    forms = {}
    for code, form in form_set.forms.items():
        scope = data.scope(code)
        layout = scope.layout
        cells, computed = {}, {}
        for row_id, columns in sorted(raw.get(code, {}).items()):
            values = {}
            for col_id, text in sorted(columns.items()):
                column = form.by_id.get(col_id)
                if column is not None:
                    ctype = layout.cell_type(row_id, column)
                    values[col_id] = to_json(from_storage(text, ctype), ctype)
            if values:
                cells[row_id] = values
        if scope.derives:  # the totals the app computed travel as figures, and say they were computed
            for row in layout.rows:
                for column in form.data_columns:
                    if scope.is_derived(row.id, column):
                        ctype = layout.cell_type(row.id, column)
                        cells.setdefault(row.id, {})[column.id] = to_json(scope.derived(row.id, column), ctype)
                        computed.setdefault(row.id, []).append(column.id)
            cells = {row_id: dict(sorted(values.items())) for row_id, values in sorted(cells.items())}
        sections = repeats.get(code, {})
        if cells or sections:
            forms[code] = {"rows": {s: list(ids) for s, ids in sections.items()}, "cells": cells}
            if computed:
                forms[code]["computed"] = computed
    attachments = [
        {"form": a.form_code, "row": a.row_id, "filename": a.filename, "sha256": a.sha256,
         "content": base64.b64encode(store.attachments.blob(a.sha256)).decode("ascii")}
        for a in store.attachments.of(report_id)
    ]
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "app_version": __version__,
        "unit": _unit_json(unit) | {"parent": _unit_json(parent) if parent else None},
        "child_units": [_unit_json(u) for u in store.units.children(unit.code)],
        "period": {"type": report.period_type, "year": report.year, "number": report.period_number,
                   "year_from": report.year_from},
        "form_set": {"id": report.form_set_id, "version": report.form_set_version},
        "report": {key: getattr(report, key) for key in REPORT_KEYS},
        "forms": forms,
        "parts": {part.name: value for part in catalog.parts
                  if (value := part.export(store, report_id)) is not None},
        "attachments": attachments,
    }


def dumps(document: dict) -> str:
    return json.dumps(document, ensure_ascii=False, indent=1, sort_keys=False)


MAX_DOCUMENT_BYTES = 128 * 1024 * 1024  # a report with every attachment in base64 is far smaller


def read_document(path: Path) -> dict:
    """A document file, refused by its size before it is read (a 700 MB file once took 2 GB)."""
    try:
        size = path.stat().st_size
        if size > MAX_DOCUMENT_BYTES:
            raise CchcError("JSON001", file=path.name, reason=f"lớn hơn {MAX_DOCUMENT_BYTES // 1024 // 1024} MB, "
                            f"tệp có {size // 1024 // 1024} MB")
        text = path.read_text(encoding="utf-8-sig")  # a byte-order mark (Notepad's UTF-8) is not the clerk's fault
    except (OSError, UnicodeDecodeError) as error:
        reason = "không phải văn bản UTF-8" if isinstance(error, UnicodeDecodeError) else os_reason(error)
        raise CchcError("JSON001", file=path.name, reason=reason) from None
    try:
        return strict_json(text)
    except JsonRefused as error:
        raise CchcError("JSON001", file=path.name, reason=error.reason) from None


def _need(document, key: str, kind, file: str, where: str = ""):
    value = document.get(key) if isinstance(document, dict) else None
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise CchcError("JSON002", file=file, field=f"{where}{key}")
    return value


def _optional(document: dict, key: str, kind, file: str, where: str = ""):
    value = document.get(key)
    if value is not None and (not isinstance(value, kind) or (kind is int and isinstance(value, bool))):
        raise CchcError("JSON002", file=file, field=f"{where}{key}")
    return value


def check_period(period_data, file: str) -> Period:
    """A document's (or a package manifest's) ``period``: a type the app knows, years and numbers
    any report can have."""
    if not isinstance(period_data, dict):
        raise CchcError("JSON002", file=file, field="period")
    if period_data.get("type") not in PERIOD_TYPES:
        raise CchcError("JSON002", file=file, field="period.type")
    return Period(period_data["type"], _in(_need(period_data, "year", int, file, "period."), YEARS, file,
                                           "period.year"),
                  _in(_optional(period_data, "number", int, file, "period."), range(1, 5), file, "period.number"),
                  _in(_optional(period_data, "year_from", int, file, "period."), YEARS, file, "period.year_from"))


def _not_under_in_the_directory(unit_code: str, child_codes: list[str]) -> str | None:
    """A child unit the official directory does not place under ``unit_code``, or None. Only for a
    unit of the directory (its codes end in an era, "56.2025", "22732.cu") whose children the
    directory lists (an old district's communes are not mapped): others are the receiver's own."""
    era = unit_code.rpartition(".")[2]
    if not child_codes or era not in (NEW_ERA, OLD_ERA):
        return None
    directory = load_directory()
    known = directory.get(unit_code)
    if known is None or known.level == "huyen":
        return None
    under = {c.id for c in directory.children(unit_code)}
    return next((code for code in child_codes if code not in under), None)


def check_unit(data, file: str, where: str) -> dict:
    if not isinstance(data, dict):
        raise CchcError("JSON002", file=file, field=where.rstrip("."))
    unit = {"code": _need(data, "code", str, file, where), "name": _need(data, "name", str, file, where),
            "level": _need(data, "level", str, file, where)}
    if not UNIT_CODE.fullmatch(unit["code"]):  # it names files and folders: no path in it
        raise CchcError("JSON002", file=file, field=f"{where}code")
    if unit["level"] not in LEVELS or not unit["name"].strip() or len(unit["name"]) > 300:
        raise CchcError("JSON002", file=file, field=f"{where}level")
    return unit


def _in(value, allowed: range, file: str, field: str):
    """An integer field within what any report can have (not 2^70, which SQLite cannot store)."""
    if value is not None and value not in allowed:
        raise CchcError("JSON002", file=file, field=field)
    return value


@dataclass
class CheckedReport:
    """A document that passed every check, ready to be written."""

    unit: dict
    parent: dict | None
    children: list[dict]
    period: Period
    form_set: FormSet
    fields: dict
    writes: list[tuple[str, str, str, str]]
    row_writes: list[tuple[str, str, list[str]]]
    attachments: list[tuple[str, str, str, bytes]]
    parts: list[tuple[object, object]] = field(default_factory=list)  # (part, its checked value)


def import_report(store, catalog: Catalog, document, file: str = "báo cáo",
                  files: dict[str, bytes] | None = None) -> int:
    """Check the whole document, then write it in one transaction; returns the new report id."""
    return import_reports(store, catalog, [(document, file)], files)[0]


def import_reports(store, catalog: Catalog, documents: list[tuple[object, str]],
                   files: dict[str, bytes] | None = None) -> list[int]:
    """Many documents ``(document, file name)``: every one checked before anything is written,
    then all written in one transaction after one backup (the last one, if it is recent: see
    ``store.backups.recent``). One refused document, or two for the same report, and nothing is
    imported. Returns the new report ids, in order."""
    checked = []
    for document, file in documents:
        one = check_document(catalog, document, file, files)
        status = one.fields.get("status")
        if status in LOCKED_STATUSES:  # only a verified signature makes a report signed: a package, not JSON
            raise CchcError("JSON009", file=file, status=STATUS_LABELS[status])
        checked.append(one)
    store.backups.recent("truoc-nhap")
    with store.transaction():
        return [write_report(store, one) for one in checked]


def check_document(catalog: Catalog, document, file: str = "báo cáo",
                   files: dict[str, bytes] | None = None) -> CheckedReport:
    """Every check of ``import_report``, touching no store. An attachment carries its bytes in
    ``content`` (base64), or, inside a signed package, names its member in ``file`` (``files``)."""
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise CchcError("JSON002", file=file, field="format")
    version = document.get("format_version")
    if version not in READABLE_VERSIONS or isinstance(version, bool):
        raise CchcError("JSON003", file=file, found=version, supported=FORMAT_VERSION)
    unit = check_unit(document.get("unit"), file, "unit.")
    parent = document["unit"].get("parent")
    parent = check_unit(parent, file, "unit.parent.") if parent is not None else None
    children = _need(document, "child_units", list, file)
    children = [check_unit(c, file, "child_units.") for c in children]
    if parent is not None and parent["code"] == unit["code"]:  # a unit is not its own parent
        raise CchcError("JSON002", file=file, field="unit.parent.code")
    codes = [c["code"] for c in children]
    if unit["code"] in codes or (parent and parent["code"] in codes) or len(set(codes)) != len(codes):
        raise CchcError("JSON002", file=file, field="child_units.code")
    stranger = _not_under_in_the_directory(unit["code"], codes)
    if stranger:
        raise CchcError("JSON010", file=file, unit=stranger[:64], parent=unit["name"][:100])
    period = check_period(document.get("period"), file)
    set_data = _need(document, "form_set", dict, file)
    set_id = _need(set_data, "id", str, file, "form_set.")
    set_version = _need(set_data, "version", int, file, "form_set.")
    form_set = catalog.get(set_id, set_version)
    if form_set is None:
        raise CchcError("JSON004", file=file, form_set=set_id, version=set_version)
    report_fields = _need(document, "report", dict, file)
    fields = {}
    for key in REPORT_KEYS:
        kind = int if key == "version" else str
        value = _optional(report_fields, key, kind, file, "report.")
        if key == "version":
            _in(value, VERSIONS, file, "report.version")
        elif value is not None and len(value) > TEXT_LIMITS[key]:
            raise CchcError("JSON002", file=file, field=f"report.{key} (dài quá {TEXT_LIMITS[key]} ký tự)")
        if value is not None:
            fields[key] = value
    if fields.get("status", "nhap") not in STATUSES:
        raise CchcError("JSON002", file=file, field="report.status")
    # a document that does not say how its totals read is a transcript: its figures as given
    fields.setdefault("totals", "nhu_ban_in")
    if fields["totals"] not in TOTALS_MODES:
        raise CchcError("JSON002", file=file, field="report.totals")

    forms = _need(document, "forms", dict, file)
    child_refs = [UnitRef(c["code"], c["name"], c["level"]) for c in children]
    writes: list[tuple[str, str, str, str]] = []
    row_writes: list[tuple[str, str, list[str]]] = []
    layouts = {}  # each form's rows, as the document's cells and attachments are checked against them
    for code, content in forms.items():
        if code not in form_set.forms:
            raise CchcError("JSON006", file=file, form=code)
        form = form_set.forms[code]
        if not isinstance(content, dict):
            raise CchcError("JSON002", file=file, field=f"forms.{code}")
        sections = _optional(content, "rows", dict, file, f"forms.{code}.") or {}
        repeat_rows: dict[str, list[str]] = {}
        for section, ids in sections.items():
            if not isinstance(ids, list) or not all(isinstance(i, str) and 0 < len(i) <= 64 for i in ids) \
                    or len(set(ids)) != len(ids):
                raise CchcError("JSON002", file=file, field=f"forms.{code}.rows.{section}")
            repeat_rows[section] = ids
            row_writes.append((code, section, ids))
        layout = resolve(form, form_set, child_refs, repeat_rows)
        layouts[code] = layout
        for section in repeat_rows:
            if section not in layout.sections:
                raise CchcError("JSON002", file=file, field=f"forms.{code}.rows.{section}")
        cells = _optional(content, "cells", dict, file, f"forms.{code}.") or {}
        computed = _optional(content, "computed", dict, file, f"forms.{code}.") or {}
        for row_id, ids in computed.items():
            if row_id not in cells or not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
                raise CchcError("JSON002", file=file, field=f"forms.{code}.computed")
        for row_id, values in cells.items():
            if row_id not in layout.by_id or not isinstance(values, dict):
                raise CchcError("JSON005", file=file, form=form.printed_code, row=row_id, column="",
                                reason="dòng không có trong biểu.")
            for col_id, value in values.items():
                column = form.by_id.get(col_id)
                if column is None or not layout.by_id[row_id].typed(column):
                    raise CchcError("JSON005", file=file, form=form.printed_code, row=row_id, column=col_id,
                                    reason="cột không có trong biểu hoặc không nhập được.")
                ctype = layout.cell_type(row_id, column)
                try:
                    typed = from_json(value, ctype)
                except CchcError as error:
                    raise CchcError("JSON005", file=file, form=form.printed_code, row=row_id, column=col_id,
                                    reason=str(error)) from None
                if col_id in computed.get(row_id, ()) and fields["totals"] == "tinh":
                    continue  # a total the sender's app computed: computed here too, from the same parts
                if typed is not None:
                    writes.append((code, row_id, col_id, to_storage(typed, ctype)))
                if len(writes) > MAX_CELLS:
                    raise CchcError("JSON002", file=file, field="forms (quá nhiều ô)")
    attachments = []
    for item in _optional(document, "attachments", list, file) or []:
        if not isinstance(item, dict):
            raise CchcError("JSON002", file=file, field="attachments")
        name = _need(item, "filename", str, file, "attachments.")
        if files is not None and "content" not in item:
            member = _need(item, "file", str, file, "attachments.")
            if member not in files:
                raise CchcError("JSON002", file=file, field="attachments.file")
            content = files[member]
        else:
            try:
                content = base64.b64decode(_need(item, "content", str, file, "attachments."), validate=True)
            except (binascii.Error, ValueError):
                raise CchcError("JSON002", file=file, field="attachments.content") from None
        if len(content) > MAX_ATTACHMENT_BYTES or hashlib.sha256(content).hexdigest() != item.get("sha256"):
            raise CchcError("JSON007", file=file, name=name)
        problem = evidence_problem(name, content)
        if problem:
            raise CchcError("JSON002", file=file, field=f"attachments ({name[:40]}: {problem})")
        form_code, row_id = _need(item, "form", str, file, "attachments."), _need(item, "row", str, file, "attachments.")
        if form_code not in layouts and form_code in form_set.forms:  # a form with evidence and no cells
            layouts[form_code] = resolve(form_set.forms[form_code], form_set, child_refs, {})
        if form_code not in layouts or row_id not in layouts[form_code].by_id:  # evidence of nothing in the report
            raise CchcError("JSON002", file=file, field=f"attachments ({form_code[:20]} / {row_id[:40]})")
        attachments.append((form_code, row_id, name, content))

    parts = []
    by_name = {part.name: part for part in catalog.parts}
    for name, value in (_optional(document, "parts", dict, file) or {}).items():
        if name not in by_name:
            raise CchcError("JSON002", file=file, field=f"parts.{name[:40]}")
        parts.append((by_name[name], by_name[name].check(value)))
    return CheckedReport(unit, parent, children, period, form_set, fields, writes, row_writes, attachments, parts)


def write_report(store, checked: CheckedReport) -> int:
    """A checked document into the store, in one transaction; returns the new report id."""
    unit, parent, children, fields = checked.unit, checked.parent, checked.children, dict(checked.fields)
    with store.transaction():
        for position, record in enumerate([parent, unit] + children):
            if record is None:
                continue
            try:
                store.units.get(record["code"])
                continue  # a unit the store knows keeps its own name and place
            except CchcError:
                pass
            parent_code = None
            if record is unit and parent:
                parent_code = parent["code"]
            elif record is not parent and record is not unit:
                parent_code = unit["code"]
            store.units.add(record["code"], record["name"], record["level"], parent_code, position)
        status = fields.pop("status", "nhap")  # a signed report's figures are written before it locks
        report_id = store.reports.create(unit["code"], checked.period, checked.form_set.id, checked.form_set.version,
                                        **fields)
        for code, section, ids in checked.row_writes:
            store.rows.put_section(report_id, code, section, ids)
        if checked.writes:
            write_cells(store, report_id, checked.writes, action="import")
        for form_code, row_id, name, content in checked.attachments:
            attach(store, report_id, form_code, row_id, name, content)
        for part, value in checked.parts:
            part.write(store, report_id, value)
        store.reports.update(report_id, status=status)
    return report_id

"""Consolidation at the level above: the child units' signed packages into the parent's report.

1. Each package is verified in memory (in worker processes when there are many), so a
   hostile or altered package never reaches the store.
2. A valid package of a child unit for the report's period is kept as a submission
   (``submissions`` table); a newer report version supersedes the older one, which stays.
3. Every ``units`` row that declares ``from:`` is filled from the current submission of
   its unit, then the total rows from their parts, in the same short transaction as the
   submissions (a batch of packages); the report is validated like any other.
4. The completeness matrix: child units × periods, each submitted, late (signed after
   the period's deadline), missing or rejected.
"""

from __future__ import annotations

import datetime as dt
import json
import multiprocessing
import multiprocessing.connection
import os
import threading
import time
from collections import deque
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, field, replace
from itertools import islice
from pathlib import Path

from desktop.foundation.messages import CchcError, msg
from desktop.foundation.periods import Period
from desktop.schema import expr as ex
from desktop.rules.engine import Finding, count, rule_evaluations, validate
from desktop.report.data import ReportData
from desktop.report.ops import CellChange, write_cells
from desktop.foundation.settings import load_settings
from desktop.submission import STATES
from desktop.submission.package import EXTENSION
from desktop.submission.register import hold_reason
from desktop.submission.verify import Verdict, load_trust_roots, read_package, shown_time, verify_bytes
from desktop.foundation.values import from_json, to_storage

POOL_FROM = 8  # fewer packages than this are verified in this process: starting workers costs more
# Accepted packages wait in memory for their write at most this many, this many bytes, this long.
BATCH_PACKAGES = 64
BATCH_BYTES = 64 * 1024 * 1024
BATCH_SECONDS = 1.0


@dataclass
class Received:
    file: str
    unit: str | None
    status: str  # accepted | superseded | held (its signer awaits the clerk) | rejected
    message: str
    version: int | None = None
    submission: int | None = None  # the kept package's number (``cchc receipt --submission N``)


@dataclass
class Consolidation:
    report_id: int
    received: list[Received]
    matrix: dict  # {"periods": [...], "units": [{"code", "name", "cells": {period: {...}}}]}
    filled: int
    findings: list[Finding] = field(default_factory=list)
    changes: list[CellChange] = field(default_factory=list)  # the parent's cells that changed

    def to_json(self) -> dict:
        errors, warnings = count(self.findings)
        return {"report": self.report_id, "received": [asdict(r) for r in self.received], "matrix": self.matrix,
                "filled_cells": self.filled, "errors": errors, "warnings": warnings,
                "findings": [f.to_json() for f in self.findings]}


def package_files(paths: list[Path]) -> list[Path]:
    """Files named, and the packages (``*.cchc``) in folders named, in a stable order."""
    found: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            found += sorted(p for p in path.iterdir() if p.is_file() and p.suffix.lower() == EXTENSION)
        else:
            found.append(path)
    return found


# --- verifying many packages ------------------------------------------------------------

_worker_state: dict = {}


def _end_with_the_parent() -> None:
    """A worker ends when the consolidation that started it is gone (killed, say): otherwise it
    waits for work for ever. The parent's sentinel becomes ready when it exits, on any platform."""
    parent = multiprocessing.parent_process()
    if parent is None:
        return

    def watch() -> None:
        multiprocessing.connection.wait([parent.sentinel])
        os._exit(1)

    threading.Thread(target=watch, name="cchc-parent-watch", daemon=True).start()


def _start_worker(catalog, root_paths: list[str], rules: dict | None = None, require_trust: bool = False,
                  in_a_worker: bool = False, crls: list[dict] = (), require_seal: bool = False) -> None:
    if in_a_worker:
        _end_with_the_parent()
    _worker_state["catalog"] = catalog
    _worker_state["roots"] = load_trust_roots(root_paths)
    _worker_state["rules"] = rules
    _worker_state["require_trust"] = require_trust
    _worker_state["crls"] = list(crls)
    _worker_state["require_seal"] = require_seal


def _read_and_verify(path: Path) -> tuple[bytes | None, Verdict]:
    """One package: read once (its size checked before reading), and those same bytes verified
    and returned, so that a file changed on disk in between cannot slip through."""
    data = read_package(path)
    if isinstance(data, Verdict):
        return None, data
    verdict = verify_bytes(data, path.name, _worker_state["catalog"], _worker_state["roots"],
                           rules=_worker_state.get("rules"), require_trust=_worker_state.get("require_trust", False),
                           crls=_worker_state.get("crls", ()), require_seal=_worker_state.get("require_seal", False))
    return (data if verdict.valid else None), verdict  # a refused package's bytes are not kept


def verify_many(files: list[Path], catalog, root_paths: list[str], *, workers: int | None = None,
                progress: Callable[[int, int], None] | None = None, rules: dict | None = None,
                require_trust: bool = False, crls: list[dict] = (), require_seal: bool = False):
    """(package bytes or None, verdict) per file, in order, one file at a time: a package is read
    only when its turn comes, and at most a few are in flight, so memory does not grow with the
    number of files (twelve junk files of 250 MB once took 5 GB)."""
    total = len(files)
    if total < POOL_FROM or workers == 1:
        _start_worker(catalog, root_paths, rules, require_trust, crls=crls, require_seal=require_seal)
        for done, path in enumerate(files, 1):
            result = _read_and_verify(path)
            if progress:
                progress(done, total)
            yield result
        return
    workers = workers or max(1, min(os.cpu_count() or 1, 8))
    with ProcessPoolExecutor(workers, initializer=_start_worker,
                             initargs=(catalog, list(map(str, root_paths)), rules, require_trust, True, list(crls),
                                       require_seal)) as pool:
        waiting: deque = deque()
        queued = iter(files)
        for path in islice(queued, 2 * workers):
            waiting.append(pool.submit(_read_and_verify, path))
        done = 0
        while waiting:
            result = waiting.popleft().result()
            for path in islice(queued, 1):
                waiting.append(pool.submit(_read_and_verify, path))
            done += 1
            if progress:
                progress(done, total)
            yield result


# --- filling the parent's rows --------------------------------------------------------------


def _targets(data: ReportData):
    """(form, row spec) of every ``units`` row filled from child reports."""
    return [(form, spec) for form in data.form_set.forms.values() for spec in form.consolidated_rows]


def _same_period(document: dict, period: Period) -> bool:
    p = document["period"]  # checked by the import's checks already
    return Period(p["type"], p["year"], p.get("number"), p.get("year_from")) == period


def _row_writes(form, spec, layout, unit_code: str, document: dict | None) -> list[tuple[str, str, str, str | None]]:
    row_id = f"{spec.id}:unit:{unit_code}" if spec.id else f"unit:{unit_code}"
    if row_id not in layout.by_id:
        return []
    source = spec.consolidate
    values = {}
    if document is not None:
        values = document.get("forms", {}).get(source.form, {}).get("cells", {}).get(source.row, {})
    writes = []
    for column in form.data_columns:
        if column.ctype.kind == "computed":
            continue
        child_column = source.columns.get(column.id, column.id)
        value = values.get(child_column)
        ctype = layout.cell_type(row_id, column)
        text = None if value is None else to_storage(from_json(value, ctype), ctype)
        writes.append((form.code, row_id, column.id, text))
    return writes


def _total_writes(data: ReportData, form) -> list[tuple[str, str, str, str | None]]:
    """Total rows from their parts, as the form's total rules compute them (innermost first)."""
    writes = []
    scope = data.scope(form.code)
    for _ in range(4):  # totals of totals (I + II of sums of communes) settle within a few passes
        changed = False
        for rule in form.rules:
            if rule.kind != "total" or not isinstance(rule.check.left, ex.ColRef):
                continue
            for evaluation in rule_evaluations(rule, scope):
                try:
                    right = evaluation.eval(rule.check.right)
                except ex.Unavailable:
                    continue
                column = scope.column(evaluation.column_of(rule.check.left))
                if column is None or right is None:
                    continue
                row_id = evaluation.row
                text = to_storage(right, scope.layout.cell_type(row_id, column))
                if scope.raw.get(row_id, {}).get(column.id) != text:
                    data.put(form.code, row_id, column.id, text)
                    writes.append((form.code, row_id, column.id, text))
                    changed = True
        if not changed:
            break
    return writes


# --- the whole run -------------------------------------------------------------------


def _writes(store, data: ReportData, targets, units: list[str], period: Period) -> list[tuple]:
    """The parent's cells from the current submissions of ``units`` (children): their ``from:``
    rows, then the totals."""
    current = {s.unit_code: s for s in store.submissions.all(units, current_only=True) if s.period == period}
    writes = []
    for form, spec in targets:
        layout = data.layout(form)
        for code in units:
            submission = current.get(code)
            if submission is None or submission.form_set_id != spec.consolidate.form_set:
                continue
            writes += _row_writes(form, spec, layout, code, json.loads(submission.document))
    for change in writes:
        data.put(*change)
    for form in {form.code: form for form, _ in targets}.values():
        writes += _total_writes(data, form)
    return writes


def _problem_with(verdict: Verdict, unit: str | None, children: dict, parent, period: Period,
                  wanted_sets: set[str]) -> str | None:
    """Why a valid package cannot be taken into this report, or None."""
    document = verdict.document
    if unit not in children:
        return msg("CONS002", unit=verdict.manifest["unit"].get("name", unit), parent=parent.name)
    if not _same_period(document, period):
        return msg("CONS003", unit=children[unit].name, period=verdict.manifest["period"].get("label", ""),
                   expected=period.label)
    if document["form_set"]["id"] not in wanted_sets:
        return msg("PKG009", reason=f"bộ biểu mẫu “{document['form_set']['id']}” không dùng để tổng hợp báo cáo này.")
    return None


def _submission_record(verdict: Verdict, unit: str, period: Period) -> dict:
    document, signer = verdict.document, verdict.signer
    return {
        "unit_code": unit, "period_type": period.type, "period_number": period.number, "year": period.year,
        "year_from": period.year_from, "form_set_id": document["form_set"]["id"],
        "form_set_version": document["form_set"]["version"],
        "report_version": verdict.manifest["report_version"], "signed_at": signer["signed_at"],
        "signer": signer["subject"], "ca_verified": int(signer["ca_verified"]),
        "certificate_sha256": signer["certificate_sha256"], "document": json.dumps(document, ensure_ascii=False),
    }


def _keep(store, verdict: Verdict, package: bytes, unit: str, child, period: Period) -> Received:
    """A valid package of a child unit as a submission: current, superseded or held (the register
    decides whether its signer may speak for the unit)."""
    signer = verdict.signer
    held = hold_reason(store, child, signer, verdict.certificate)
    submission, state = store.submissions.add(_submission_record(verdict, unit, period), package, held_reason=held)
    text = held or verdict.message + ("" if signer["ca_verified"] else f" ({signer['note']})")
    if state == "superseded" and not signer["ca_verified"]:
        trusted = [s for s in store.submissions.all([unit], current_only=True)
                   if s.period == period and s.ca_verified and s.report_version < verdict.manifest["report_version"]]
        if trusted:
            text += " " + msg("CONS005", version=verdict.manifest["report_version"], current=trusted[0].report_version)
    return Received(verdict.file, unit, state, text, verdict.manifest["report_version"], submission)


def requires_trust(store, root_paths, signing: dict | None = None) -> bool:
    """The database's trust policy: once trusted roots are configured, only packages a CA vouches
    for are accepted, unless the receiving unit chose to accept others too (Thiết lập). ``signing``:
    the settings' signing part, when the caller has read it already."""
    signing = signing if signing is not None else load_settings(store)["signing"]
    return bool(root_paths) and not signing["accept_untrusted"]


def consolidate(store, catalog, report_id: int, paths: list[Path], *, root_paths: list[str] = (),
                progress: Callable[[int, int], None] | None = None, workers: int | None = None,
                require_trust: bool | None = None) -> Consolidation:
    """``require_trust``: refuse packages no trusted CA vouches for (default: the database's policy)."""
    data = ReportData(store, catalog, report_id)
    if data.form_set is None:
        raise CchcError("STORE017", form_set=data.report.form_set_id, version=data.report.form_set_version)
    targets = _targets(data)
    wanted_sets = data.form_set.kind.receives(data.form_set)  # what this report's kind takes from its children
    if not wanted_sets:
        raise CchcError("CONS001", report=report_id)
    parent = data.unit
    children = {u.code: u for u in store.units.children(parent.code)}
    period = data.period
    received: list[Received | None] = []
    rejected_units: dict[str, str] = {}
    changes: dict[tuple[str, str, str], CellChange] = {}
    files = package_files(paths)
    if files:
        store.backups.make("truoc-tong-hop")
    batch: list[tuple[int, bytes, Verdict, str]] = []  # (its place in ``received``, bytes, verdict, unit)
    batch_bytes = 0

    def write(units: list[str], kept: list[tuple[int, bytes, Verdict, str]]) -> None:
        """One short transaction: the packages kept since the last, as submissions, and the
        parent's rows they fill, with the totals. Neither stays without the other (a power cut, a
        full disk), and the parent's report is read again inside it, so a figure a clerk typed
        meanwhile is counted, never overwritten by an older copy."""
        with store.transaction():
            for place, package, verdict, unit in kept:
                received[place] = _keep(store, verdict, package, unit, children[unit], period)
            current = ReportData(store, catalog, report_id)
            writes = _writes(store, current, targets, units, period)
            for change in write_cells(store, report_id, writes, action="consolidate") if writes else []:
                key = (change.form, change.row, change.column)
                first = changes.get(key, change)  # a cell written by two batches changed from its first value
                changes[key] = replace(first, new=change.new)

    # Packages are verified outside any transaction (in workers when there are many) and written in
    # short ones, so that a clerk typing in the same database meanwhile is not kept waiting; the
    # packages of a batch wait in memory, bounded in count, bytes and time.
    signing = load_settings(store)["signing"]  # read once: the trust policy and the seal rule
    strict = requires_trust(store, root_paths, signing) if require_trust is None else require_trust
    started = time.monotonic()
    for package, verdict in verify_many(files, catalog, list(root_paths), workers=workers, progress=progress,
                                        rules=store.settings.get("period_rules", {}), require_trust=strict,
                                        crls=store.revocation_lists.all(with_der=True),
                                        require_seal=signing["require_seal"]):
        unit = (verdict.manifest or {}).get("unit", {}).get("code") if isinstance(verdict.manifest, dict) else None
        unit = unit if isinstance(unit, str) else None
        problem = verdict.message if not verdict.valid else _problem_with(verdict, unit, children, parent, period,
                                                                           wanted_sets)
        if problem:
            received.append(Received(verdict.file, unit, "rejected", problem))
            if unit in children:
                rejected_units[unit] = problem
            continue
        received.append(None)
        batch.append((len(received) - 1, package, verdict, unit))
        batch_bytes += len(package)
        if len(batch) >= BATCH_PACKAGES or batch_bytes >= BATCH_BYTES or time.monotonic() - started >= BATCH_SECONDS:
            write(list(dict.fromkeys(b[3] for b in batch)), batch)
            batch, batch_bytes, started = [], 0, time.monotonic()
    write(list(children), batch)  # the last packages, and every child's row once more: the rows always
    # say the current submissions, also those confirmed or refused since the last consolidation
    changed = [c for c in changes.values() if c.old != c.new]
    findings = validate(ReportData(store, catalog, report_id))
    matrix = completeness(store, parent, list(children.values()), period, rejected_units)
    return Consolidation(report_id, received, matrix, len(changed), findings, changed)


def completeness(store, parent: dict, children: list[dict], period: Period, rejected: dict[str, str]) -> dict:
    """Child units × periods (the report's and every period packages were received for)."""
    rules = store.settings.get("period_rules", {})
    submissions = store.submissions.all([c.code for c in children], current_only=True)
    held = {s.unit_code: s for s in store.submissions.all([c.code for c in children], state="held") if s.period == period}
    periods = {(period.type, period.year, period.number, period.year_from): period}
    for s in submissions:
        key = (s.period_type, s.year, s.period_number, s.year_from)
        periods.setdefault(key, s.period)
    ordered = sorted(periods.values(), key=lambda p: (p.year, p.last_month, p.type))
    units = []
    for child in children:
        cells = {}
        for p in ordered:
            found = [s for s in submissions if s.unit_code == child.code and s.period == p]
            if found:
                s = found[-1]
                # Late or not is judged on when the package was received here: the signing time is
                # what the signer's machine wrote, and a backdated one must not avoid "Nộp trễ hạn".
                received = dt.datetime.fromisoformat(s.received_at).date()
                state = "late" if received > p.deadline(rules) else "submitted"
                cells[p.label] = {"state": state, "label": STATES[state], "version": s.report_version,
                                  "received_at": shown_time(s.received_at), "signed_at": shown_time(s.signed_at),
                                  "ca_verified": bool(s.ca_verified)}
            elif p == period and child.code in held:
                s = held[child.code]
                cells[p.label] = {"state": "held", "label": STATES["held"], "submission": s.id,
                                  "reason": s.held_reason, "received_at": shown_time(s.received_at)}
            elif p == period and child.code in rejected:
                cells[p.label] = {"state": "rejected", "label": STATES["rejected"], "reason": rejected[child.code]}
            else:
                cells[p.label] = {"state": "missing", "label": STATES["missing"]}
        units.append({"code": child.code, "name": child.name, "cells": cells})
    return {"parent": parent.code, "periods": [p.label for p in ordered], "units": units}

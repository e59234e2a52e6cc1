"""A report's way to the level above: Nháp → Đã kiểm tra → Đã ký → (Đã đóng dấu) → Đã nộp.

- Đã kiểm tra: no errors, and the clerk has seen the warnings.  Any later edit
  sends the report back to Nháp (the store does it in the edit's transaction).
- Đã ký: set by signing (``desktop.submission.package.sign_report``); the store
  then refuses every change to the figures.
- Đã đóng dấu: the văn thư added the organisation's signature, its seal
  (``desktop.submission.package.seal_report``; Nghị định 30/2020).
- Đã nộp: the package was sent.
- "Mở khóa để sửa": a reason, written to the audit log; the signature is void
  and the report goes on as version n+1.
"""

from __future__ import annotations

from desktop.foundation.messages import CchcError, msg
from desktop.report.data import report_data
from desktop.rules.engine import Finding, count, validate
from desktop.rules.placeholders import listed, unfinished
from desktop.store.reports import LOCKED_STATUSES, STATUS_LABELS

MIN_REASON = 10


def _need(store, report_id: int, *statuses: str) -> dict:
    report = store.reports.get(report_id)
    if report.status not in statuses:
        raise CchcError("FLOW003", status=STATUS_LABELS[report.status],
                        needed=" hoặc ".join(STATUS_LABELS[s] for s in statuses))
    return report


def mark_checked(store, catalog, report_id: int, *, acknowledge_warnings: bool = False) -> list[Finding]:
    """Nháp → Đã kiểm tra when the report has no errors, no place left to fill and its warnings
    are acknowledged. Returns the findings (warnings only) the clerk acknowledged."""
    report = _need(store, report_id, "nhap", "da_kiem_tra")
    findings = ready_findings(store, catalog, report_id, msg("PLH012"))
    _, warnings = count(findings)
    if warnings and not acknowledge_warnings:
        raise CchcError("FLOW002", warnings=warnings)
    if report.status != "da_kiem_tra":
        store.reports.update(report_id, status="da_kiem_tra")
    return findings


def ready_findings(store, catalog, report_id: int, action: str) -> list[Finding]:
    """The report's findings when it may go on to ``action`` (the check, the signature), read once:
    refused while it has errors or a place of its print left to fill (rules/placeholders.py)."""
    data = report_data(store, catalog, report_id)
    findings = validate(data)
    errors, _ = count(findings)
    if errors:
        raise CchcError("FLOW001", errors=errors)
    left = unfinished(data)
    if left:
        raise CchcError("FLOW007", action=action, count=len(left), places=listed(left))
    return findings


def mark_submitted(store, report_id: int) -> None:
    """Đã ký (or Đã đóng dấu) → Đã nộp: the signed package has gone to the level above."""
    _need(store, report_id, "da_ky", "da_dong_dau")
    store.reports.update(report_id, status="da_nop")


def unlock(store, report_id: int, reason: str) -> int:
    """"Mở khóa để sửa" a signed or submitted report; returns the new version number."""
    _need(store, report_id, *LOCKED_STATUSES)
    reason = " ".join((reason or "").split())
    if len(reason) < MIN_REASON:
        raise CchcError("FLOW004", minimum=MIN_REASON)
    return store.reports.unlock(report_id, reason)

"""The audit trail: who changed what, when; written in the same transaction as the change."""

from __future__ import annotations

from desktop.store.common import now
from desktop.store.records import AuditEntry


class Audit:
    def __init__(self, store) -> None:
        self._store = store

    def write(self, conn, action: str, report_id=None, form=None, row=None, col=None, old=None, new=None) -> None:
        """One row of the trail, inside the caller's transaction ``conn``."""
        conn.execute(
            "INSERT INTO audit (at, user, report_id, action, form_code, row_id, col_id, old, new) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (now(), self._store.user, report_id, action, form, row, col, old, new),
        )

    def entries(self, report_id: int | None = None) -> list[AuditEntry]:
        """The whole trail, or one report's, oldest first."""
        table = self._store.db["audit"]
        if report_id is None:
            return [AuditEntry.of(r) for r in table.rows_where(order_by="id")]
        return [AuditEntry.of(r) for r in table.rows_where("report_id = ?", [report_id], order_by="id")]

"""What a report keeps besides its cells: the body text by section, the appraisal a receiving
unit gives its child units' scoring sheets, and evidence files (minh chứng) linked to rows."""

from __future__ import annotations

import json

from desktop.foundation.messages import CchcError
from desktop.store.common import now, put_blob
from desktop.store.records import Attachment


class Narrative:
    def __init__(self, store) -> None:
        self._store = store

    def of(self, report_id: int) -> dict[str, str]:
        """The report's body text by section key."""
        rows = self._store.conn.execute("SELECT section, text FROM narrative WHERE report_id = ?", (report_id,))
        return {section: said for section, said in rows}

    def set(self, report_id: int, section: str, said: str | None) -> str | None:
        """One section of the report's body text (None or blank to clear); durable on return. Returns the old text."""
        said = said if said and said.strip() else None
        store = self._store
        with store.transaction() as conn:
            store.reports.editable(conn, report_id)
            found = conn.execute("SELECT text FROM narrative WHERE report_id = ? AND section = ?",
                                 (report_id, section)).fetchone()
            old = found[0] if found else None
            if old == said:
                return old
            if said is None:
                conn.execute("DELETE FROM narrative WHERE report_id = ? AND section = ?", (report_id, section))
            else:
                conn.execute(
                    "INSERT INTO narrative (report_id, section, text, updated_at) VALUES (?, ?, ?, ?) "
                    "ON CONFLICT(report_id, section) DO UPDATE SET text = excluded.text, "
                    "updated_at = excluded.updated_at", (report_id, section, said, now()))
            store.audit.write(conn, "narrative", report_id, row=section, old=old, new=said)
            store.reports.touched(conn, report_id)
        return old


class Appraisals:
    def __init__(self, store) -> None:
        self._store = store

    def of(self, report_id: int) -> dict[str, dict[str, tuple[str | None, str | None]]]:
        """The appraisal kept with ``report_id``: unit code -> criterion -> (score, comment)."""
        out: dict[str, dict[str, tuple[str | None, str | None]]] = {}
        rows = self._store.conn.execute(
            "SELECT unit_code, criterion, score, comment FROM appraisals WHERE report_id = ?", (report_id,))
        for unit, criterion, score, comment in rows:
            out.setdefault(unit, {})[criterion] = (score, comment)
        return out

    def set(self, report_id: int, unit_code: str, criterion: str, score: str | None,
            comment: str | None) -> tuple[str | None, str | None]:
        """The appraised score and comment of one criterion of a child unit's sheet, kept with the
        receiving report ``report_id`` (None for both clears it); durable on return, audited.
        Returns the old (score, comment)."""
        comment = comment if comment and comment.strip() else None
        store = self._store
        with store.transaction() as conn:
            store.reports.editable(conn, report_id)
            found = conn.execute("SELECT score, comment FROM appraisals WHERE report_id = ? AND unit_code = ? "
                                 "AND criterion = ?", (report_id, unit_code, criterion)).fetchone()
            old = (found[0], found[1]) if found else (None, None)
            if old == (score, comment):
                return old
            if score is None and comment is None:
                conn.execute("DELETE FROM appraisals WHERE report_id = ? AND unit_code = ? AND criterion = ?",
                             (report_id, unit_code, criterion))
            else:
                conn.execute(
                    "INSERT INTO appraisals (report_id, unit_code, criterion, score, comment, updated_at) "
                    "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(report_id, unit_code, criterion) DO UPDATE SET "
                    "score = excluded.score, comment = excluded.comment, updated_at = excluded.updated_at",
                    (report_id, unit_code, criterion, score, comment, now()))
            store.audit.write(conn, "appraisal", report_id, form=unit_code, row=criterion,
                              old=json.dumps(old, ensure_ascii=False),
                              new=json.dumps([score, comment], ensure_ascii=False))
            store.reports.touched(conn, report_id)
        return old


class Attachments:
    def __init__(self, store) -> None:
        self._store = store

    def add(self, report_id: int, form: str, row: str, filename: str, data: bytes) -> str:
        """Keep a file (minh chứng) once by its SHA-256 and link it to a row."""
        store = self._store
        with store.transaction() as conn:
            store.reports.editable(conn, report_id)
            digest = put_blob(conn, data)
            conn.execute("INSERT INTO attachments (report_id, form_code, row_id, sha256, filename, added_at) "
                         "VALUES (?, ?, ?, ?, ?, ?)", (report_id, form, row, digest, filename, now()))
            store.audit.write(conn, "attach", report_id, form, row, new=f"{filename} {digest}")
        return digest

    def of(self, report_id: int) -> list[Attachment]:
        return [Attachment.of(r) for r in
                self._store.db["attachments"].rows_where("report_id = ?", [report_id], order_by="id")]

    def blob(self, digest: str) -> bytes:
        """The bytes kept under ``digest`` (an evidence file or a signed package)."""
        row = self._store.conn.execute("SELECT data FROM blobs WHERE sha256 = ?", (digest,)).fetchone()
        if row is None:
            raise CchcError("STORE011", reason=f"thiếu tệp đính kèm {digest}")
        return bytes(row[0])

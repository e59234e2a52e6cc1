"""Reports: one unit's report for one period on one form set, its status and its versions;
and the navigator's counts of findings, kept between starts."""

from __future__ import annotations

import json

from desktop.foundation.messages import CchcError
from desktop.foundation.periods import Period
from desktop.store.common import now, text
from desktop.store.records import Report

# after the way back (issue 28 §5): the parent body accepted the package (da_tiep_nhan, locked), or
# returned it (bi_tra_lai: unlocked as the next version, which any edit makes a draft again)
STATUSES = ("nhap", "da_kiem_tra", "da_ky", "da_dong_dau", "da_nop", "da_tiep_nhan", "bi_tra_lai")
STATUS_LABELS = {"nhap": "Nháp", "da_kiem_tra": "Đã kiểm tra", "da_ky": "Đã ký", "da_dong_dau": "Đã đóng dấu",
                 "da_nop": "Đã nộp", "da_tiep_nhan": "Cấp trên đã tiếp nhận", "bi_tra_lai": "Bị trả lại"}
# signed (by the person, then the organisation): figures change only after "Mở khóa để sửa"
LOCKED_STATUSES = ("da_ky", "da_dong_dau", "da_nop", "da_tiep_nhan")
REPORT_FIELDS = (
    "status", "doc_number", "doc_date", "signer_name", "signer_title", "signer_mode", "place", "subject",
    "version", "data_from", "data_to", "recipients", "totals",
)
TOTALS_MODES = ("tinh", "nhu_ban_in")
# The longest each text field of a report needs (a subject of two printed lines is ~300 characters);
# what is longer is refused, not printed for minutes (a 10 MB subject was once accepted).
REPORT_TEXT_LIMITS = {"doc_number": 100, "doc_date": 10, "data_from": 10, "data_to": 10, "recipients": 4000,
                      "signer_name": 200,
                      "signer_title": 200, "signer_mode": 10, "place": 200, "subject": 2000, "status": 20,
                      "totals": 20}
# what is kept with a report and goes with it when it is deleted
REPORT_TABLES = ("cells", "repeat_rows", "attachments", "signatures", "narrative", "appraisals", "report_counts")
_ORDER = "year, period_type, period_number, unit_code, id"


def _check_status(status: str) -> None:
    if status not in STATUSES:
        raise CchcError("STORE015", status=status, allowed=", ".join(STATUS_LABELS[s] for s in STATUSES))


class Reports:
    def __init__(self, store) -> None:
        self._store = store

    def create(self, unit_code: str, period: Period, form_set_id: str, form_set_version: int, **fields) -> int:
        self._store.units.get(unit_code)
        existing = self.find(unit_code, period, form_set_id)
        if existing is not None:
            raise CchcError("STORE012", unit=unit_code, period=period.label, report=existing)
        stamp = now()
        record = {
            "unit_code": unit_code, "period_type": period.type, "period_number": period.number,
            "year": period.year, "year_from": period.year_from, "form_set_id": form_set_id,
            "form_set_version": form_set_version, "status": "nhap", "created_at": stamp, "updated_at": stamp,
            "version": 1, "totals": "tinh",
        }
        record.update({k: v for k, v in fields.items() if k in REPORT_FIELDS})
        if record["totals"] not in TOTALS_MODES:
            raise ValueError(f"totals: {record['totals']!r}")
        _check_status(record["status"])
        columns = ", ".join(record)
        marks = ", ".join("?" for _ in record)
        with self._store.transaction() as conn:
            cursor = conn.execute(f"INSERT INTO reports ({columns}) VALUES ({marks})", list(record.values()))
            report_id = cursor.lastrowid
            self._store.audit.write(conn, "create_report", report_id, new=json.dumps(record, ensure_ascii=False))
        return report_id

    def update(self, report_id: int, **fields) -> None:
        old = self.get(report_id)
        changes = {k: v for k, v in fields.items() if k in REPORT_FIELDS and getattr(old, k) != v}
        if not changes:
            return
        if "status" in changes:
            _check_status(changes["status"])
        assignments = ", ".join(f"{k} = ?" for k in changes)
        with self._store.transaction() as conn:
            conn.execute(f"UPDATE reports SET {assignments}, updated_at = ? WHERE id = ?",
                         [*changes.values(), now(), report_id])
            for key, value in changes.items():
                self._store.audit.write(conn, "report_field", report_id, col=key, old=text(getattr(old, key)),
                                        new=text(value))

    # get, history, find: plain SQL, asked once per report validated, where sqlite-utils'
    # rows_where costs 0,5 ms
    def get(self, report_id: int) -> Report:
        rows = self._store.records(Report, "SELECT * FROM reports WHERE id = ?", (report_id,))
        if not rows:
            raise CchcError("STORE008", report=report_id)
        return rows[0]

    def history(self, unit_code: str, form_set_id: str, period_type: str) -> list[Report]:
        """One unit's reports on one form set for one period type, oldest first."""
        return self._store.records(Report, "SELECT * FROM reports WHERE unit_code = ? AND form_set_id = ? "
                                   "AND period_type = ? ORDER BY year, period_number",
                                   (unit_code, form_set_id, period_type))

    def find(self, unit_code: str, period: Period, form_set_id: str) -> int | None:
        row = self._store.conn.execute(
            "SELECT id FROM reports WHERE unit_code = ? AND period_type = ? AND year = ? "
            "AND period_number IS ? AND year_from IS ? AND form_set_id = ?",
            (unit_code, period.type, period.year, period.number, period.year_from, form_set_id),
        ).fetchone()
        return row[0] if row else None

    def all(self, units=None) -> list[Report]:
        """Every report, or those of the ``units`` given (codes)."""
        if units is None:
            return [Report.of(r) for r in self._store.db["reports"].rows_where(order_by=_ORDER)]
        codes = sorted(set(units))
        found: list[Report] = []
        for start in range(0, len(codes), 500):  # SQLite's limit on bound parameters
            chunk = codes[start:start + 500]
            found += self._store.records(
                Report, f"SELECT * FROM reports WHERE unit_code IN ({','.join('?' * len(chunk))})", tuple(chunk))
        return sorted(found, key=lambda r: (r.year, r.period_type, r.period_number, r.unit_code, r.id))

    def per_unit(self) -> dict[str, int]:
        """unit code → how many reports it has (the navigator's closed units)."""
        return dict(self._store.conn.execute("SELECT unit_code, COUNT(*) FROM reports GROUP BY unit_code"))

    def first_id(self) -> int | None:
        """The report a window opens when told none: the first in the order of ``all()``."""
        found = self._store.conn.execute(f"SELECT id FROM reports ORDER BY {_ORDER} LIMIT 1").fetchone()
        return found[0] if found else None

    def editable(self, conn, report_id: int) -> None:
        """Inside a write of the report's content: a signed report refuses changes; a checked one
        goes back to Nháp (its check is stale)."""
        found = conn.execute("SELECT status FROM reports WHERE id = ?", (report_id,)).fetchone()
        if found is None:
            raise CchcError("STORE008", report=report_id)
        if found[0] in LOCKED_STATUSES:
            raise CchcError("CELL003")
        if found[0] in ("da_kiem_tra", "bi_tra_lai"):
            conn.execute("UPDATE reports SET status = 'nhap' WHERE id = ?", (report_id,))
            self._store.audit.write(conn, "report_field", report_id, col="status", old=found[0], new="nhap")

    def set_form_set_version(self, conn, report_id: int, version: int) -> None:
        """Inside a report's move to another version of its form set (``ops.upgrade_report``)."""
        old = conn.execute("SELECT form_set_version FROM reports WHERE id = ?", (report_id,)).fetchone()[0]
        conn.execute("UPDATE reports SET form_set_version = ?, updated_at = ? WHERE id = ?", (version, now(), report_id))
        self._store.audit.write(conn, "report_field", report_id, col="form_set_version", old=str(old), new=str(version))

    def touched(self, conn, report_id: int) -> None:
        """Inside a write of the report's content: its time of change."""
        conn.execute("UPDATE reports SET updated_at = ? WHERE id = ?", (now(), report_id))

    def unlock(self, report_id: int, reason: str) -> int:
        """"Mở khóa để sửa": voids the signature, back to Nháp as version n+1; returns the new version."""
        with self._store.transaction() as conn:
            report = conn.execute("SELECT status, version FROM reports WHERE id = ?", (report_id,)).fetchone()
            if report is None:
                raise CchcError("STORE008", report=report_id)
            stamp = now()
            conn.execute("UPDATE signatures SET voided_at = ?, void_reason = ? WHERE report_id = ? "
                         "AND voided_at IS NULL", (stamp, reason, report_id))
            conn.execute("UPDATE reports SET status = 'nhap', version = ?, updated_at = ? WHERE id = ?",
                         (report[1] + 1, stamp, report_id))
            self._store.audit.write(conn, "unlock", report_id, col="version", old=str(report[1]), new=reason)
        return report[1] + 1

    def delete(self, report_id: int) -> None:
        """Delete a report and everything kept with it, after a backup; audited. A signed or
        submitted report is refused until unlocked (its signature is a record of what was sent).
        Evidence files stay among the blobs: another report may share them."""
        report = self.get(report_id)
        if report.status in LOCKED_STATUSES:
            raise CchcError("STORE020", report=report_id, status=STATUS_LABELS[report.status])
        self._store.backups.make("truoc-xoa-bao-cao")
        with self._store.transaction() as conn:
            counts = {t: conn.execute(f"DELETE FROM {t} WHERE report_id = ?", (report_id,)).rowcount
                      for t in REPORT_TABLES}
            conn.execute("DELETE FROM reports WHERE id = ?", (report_id,))
            self._store.audit.write(conn, "delete-report", report_id, old=json.dumps(
                {"unit": report.unit_code, "period": report.period.label, "form_set": report.form_set_id,
                 "version": report.version, **counts}, ensure_ascii=False))


class Counts:
    """The navigator's counts of findings per report, as last computed: derived, not the clerk's."""

    def __init__(self, store) -> None:
        self._store = store

    def cached(self, report_ids=None) -> dict[int, tuple[str, int, int, dict]]:
        """report id → (stamp, errors, warnings, {form: [errors, warnings]}) as last computed
        (of every report, or of ``report_ids``)."""
        sql = "SELECT report_id, stamp, errors, warnings, forms FROM report_counts"
        if report_ids is None:
            rows = list(self._store.conn.execute(sql))
        else:
            ids = sorted(set(report_ids))
            rows = []
            for start in range(0, len(ids), 500):
                chunk = ids[start:start + 500]
                rows += self._store.conn.execute(f"{sql} WHERE report_id IN ({','.join('?' * len(chunk))})",
                                                 tuple(chunk))
        return {r[0]: (r[1], r[2], r[3], json.loads(r[4] or "{}")) for r in rows}

    def save(self, rows: list[tuple[int, str, int, int, dict]]) -> None:
        """Not audited, and a read-only or full disk only costs the next start its time (nothing
        is lost), so a failure here is not an error."""
        try:
            with self._store.transaction() as conn:
                conn.executemany("INSERT OR REPLACE INTO report_counts (report_id, stamp, errors, warnings, forms) "
                                 "VALUES (?, ?, ?, ?, ?)", [(r, s, e, w, json.dumps(f)) for r, s, e, w, f in rows])
        except CchcError:
            pass

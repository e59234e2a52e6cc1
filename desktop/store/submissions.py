"""The way up: this unit's signed packages (signatures), the packages a parent body receives
from its child units (submissions), and the register of the child units' signing certificates."""

from __future__ import annotations

import datetime as dt

from desktop.foundation.messages import CchcError
from desktop.store.common import now, put_blob
from desktop.store.records import Certificate, Signature, Submission


class Signatures:
    """This unit's signed packages, one per signed version of a report."""

    def __init__(self, store) -> None:
        self._store = store

    def add(self, report_id: int, *, signed_at: str, signer: str, cert_sha256: str,
            ca_verified: bool, package: bytes, filename: str, role: str = "ca_nhan") -> int:
        """The signed package of the report's current version; the report becomes Đã ký, or with
        the organisation's signature added (``role="co_quan"``) Đã đóng dấu; locked either way."""
        status = {"ca_nhan": "da_ky", "co_quan": "da_dong_dau"}[role]
        with self._store.transaction() as conn:
            report = conn.execute("SELECT status, version FROM reports WHERE id = ?", (report_id,)).fetchone()
            if report is None:
                raise CchcError("STORE008", report=report_id)
            digest = put_blob(conn, package)
            cursor = conn.execute(
                "INSERT INTO signatures (report_id, version, signed_at, signer, cert_sha256, ca_verified, "
                "package_sha256, filename, role) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (report_id, report[1], signed_at, signer, cert_sha256, int(ca_verified), digest, filename, role))
            conn.execute("UPDATE reports SET status = ?, updated_at = ? WHERE id = ?", (status, now(), report_id))
            self._store.audit.write(conn, "sign" if role == "ca_nhan" else "seal", report_id, old=report[0],
                                    new=f"phiên bản {report[1]}; {signer}; {digest}")
        return cursor.lastrowid

    def of(self, report_id: int) -> list[Signature]:
        return [Signature.of(r) for r in
                self._store.db["signatures"].rows_where("report_id = ?", [report_id], order_by="id")]

    def by_package(self, package_sha256: str) -> Signature | None:
        """The signature whose package has this SHA-256 (a receipt names its package so)."""
        found = next(iter(self._store.db["signatures"].rows_where("package_sha256 = ?", [package_sha256])), None)
        return Signature.of(found) if found else None


class Submissions:
    """Packages received from child units, and which of them is current."""

    def __init__(self, store) -> None:
        self._store = store

    def add(self, record: dict, package: bytes, *, held_reason: str | None = None) -> tuple[int, str]:
        """Keep a verified package of a child unit. Returns (id, state): ``accepted`` when it is now
        the current one of its unit, period and form set, ``superseded`` when another stays current,
        ``held`` when ``held_reason`` says its signer awaits the clerk's confirmation (a held package
        is kept but counts for nothing). The same package twice is kept once; a held package
        received again without a reason (its signer since registered) is accepted then."""
        with self._store.transaction() as conn:
            digest = put_blob(conn, package)
            known = conn.execute("SELECT id, state FROM submissions WHERE package_sha256 = ?", (digest,)).fetchone()
            if known and not (known[1] == "held" and held_reason is None):
                return known[0], self._state_of(conn, known[0])
            if known:
                conn.execute("UPDATE submissions SET state = 'accepted', held_reason = NULL WHERE id = ?", (known[0],))
                self._store.audit.write(conn, "accept-held", new=f"{record['unit_code']} {digest}")
                return known[0], self.elect(conn, known[0])
            fields = dict(record, package_sha256=digest, received_at=now(),
                          state="held" if held_reason else "accepted", held_reason=held_reason)
            columns = ", ".join(fields)
            cursor = conn.execute(f"INSERT INTO submissions ({columns}) VALUES ({', '.join('?' for _ in fields)})",
                                  list(fields.values()))
            new_id = cursor.lastrowid
            self._store.audit.write(conn, "receive", new=f"{record['unit_code']} phiên bản {record['report_version']} {digest}"
                        + (f" (giữ lại: {held_reason})" if held_reason else ""))
            if held_reason:
                return new_id, "held"
            return new_id, self.elect(conn, new_id)

    def elect(self, conn, submission_id: int) -> str:
        """Among the accepted packages of this one's unit, period and form set, the current one:
        a CA-verified package before any other (an untrusted package never replaces a trusted
        one), then the highest report version, then the latest signed. Returns this one's state."""
        key = conn.execute("SELECT unit_code, period_type, year, period_number, year_from, form_set_id "
                           "FROM submissions WHERE id = ?", (submission_id,)).fetchone()
        # a package signed by a since-withdrawn certificate ranks below the unit's current key's:
        # the new key's version 2 supersedes the lost token's version 100000
        rivals = conn.execute(
            "SELECT s.id, s.ca_verified, c.withdrawn_at IS NULL, s.report_version, s.signed_at FROM submissions s "
            "LEFT JOIN certificates c ON c.sha256 = s.certificate_sha256 WHERE s.unit_code = ? "
            "AND s.period_type = ? AND s.year = ? AND s.period_number IS ? AND s.year_from IS ? AND s.form_set_id = ? "
            "AND s.state = 'accepted'", key).fetchall()
        newest = max(rivals, key=lambda r: (r[1] or 0, r[2], r[3], r[4] or "", r[0]))[0]
        for rival in rivals:
            conn.execute("UPDATE submissions SET superseded_by = ? WHERE id = ?",
                         (None if rival[0] == newest else newest, rival[0]))
        return self._state_of(conn, submission_id)

    @staticmethod
    def _state_of(conn, submission_id: int) -> str:
        state, superseded_by = conn.execute("SELECT state, superseded_by FROM submissions WHERE id = ?",
                                            (submission_id,)).fetchone()
        return "superseded" if state == "accepted" and superseded_by is not None else state

    def all(self, unit_codes: list[str] | None = None, *, current_only: bool = False,
                    state: str | None = "accepted") -> list[Submission]:
        """Received packages (by default the accepted ones; ``state=None``: all, held and refused too)."""
        where, args = [], []
        if unit_codes is not None:
            where.append(f"unit_code IN ({', '.join('?' for _ in unit_codes)})")
            args += unit_codes
        if state is not None:
            where.append("state = ?")
            args.append(state)
        if current_only:
            where.append("superseded_by IS NULL")
        return [Submission.of(r) for r in self._store.db["submissions"].rows_where(" AND ".join(where) or None, args,
                                                                           order_by="unit_code, year, id")]

    def get(self, submission_id: int) -> Submission:
        found = self._store.records(Submission, "SELECT * FROM submissions WHERE id = ?", (submission_id,))
        if not found:
            raise CchcError("CERT010", submission=submission_id)
        return found[0]

    def decide_held(self, submission_id: int, accept: bool, reason: str = "") -> str:
        """The clerk's decision on a held package: accepted (then elected like any other) or refused
        (kept, as everything received is, but never counted). Returns its state after."""
        with self._store.transaction() as conn:
            row = conn.execute("SELECT state, unit_code FROM submissions WHERE id = ?", (submission_id,)).fetchone()
            if row is None:
                raise CchcError("CERT010", submission=submission_id)
            if row[0] != "held":
                raise CchcError("CERT011", submission=submission_id)
            if accept:
                conn.execute("UPDATE submissions SET state = 'accepted' WHERE id = ?", (submission_id,))
                state = self.elect(conn, submission_id)
            else:
                conn.execute("UPDATE submissions SET state = 'refused', held_reason = ? WHERE id = ?",
                             (reason or row[0], submission_id))
                state = "refused"
            self._store.audit.write(conn, "accept-held" if accept else "refuse-held", col=row[1], new=f"{submission_id} {reason}")
        return state


class Certificates:
    """The register of child units' signing certificates."""

    def __init__(self, store) -> None:
        self._store = store

    def add(self, record: dict) -> Certificate:
        """Register a child unit's certificate (``record``: the ``certificates`` fields but the dates
        of adding). A certificate is one unit's: registered for another unit, it is refused;
        registered before and withdrawn, it is registered again."""
        with self._store.transaction() as conn:
            unit = conn.execute("SELECT code FROM units WHERE code = ?", (record["unit_code"],)).fetchone()
            if unit is None:
                raise CchcError("STORE009", unit=record["unit_code"])
            known = conn.execute("SELECT unit_code, withdrawn_at, withdraw_reason FROM certificates WHERE sha256 = ?",
                                 (record["sha256"],)).fetchone()
            if known and known[0] != record["unit_code"] and known[1] is None:
                raise CchcError("CERT012", unit=known[0], wanted=record["unit_code"])
            if known and known[1] is not None and record["bound_by"] != "enrolled":
                # a withdrawal is undone only by the clerk enrolling the certificate file again
                raise CchcError("CERT022", withdrawn_at=known[1][:10])
            fields = dict(record, added_at=now(), added_by=self._store.user, withdrawn_at=None, withdraw_reason=None)
            conn.execute(f"INSERT OR REPLACE INTO certificates ({', '.join(fields)}) "
                         f"VALUES ({', '.join('?' for _ in fields)})", list(fields.values()))
            again = f" (đăng ký lại sau khi thu hồi {known[1]}: {known[2]})" if known and known[1] else ""
            self._store.audit.write(conn, "certificate", col=record["unit_code"],
                        new=f"{record['bound_by']} {record['sha256']}{again}")
        return self.get(record["sha256"])

    def get(self, sha256: str) -> Certificate | None:
        row = self._store.db["certificates"].rows_where("sha256 = ?", [sha256])
        found = next(iter(row), None)
        return Certificate.of(found) if found else None

    def all(self, unit_code: str | None = None, *, withdrawn: bool = False) -> list[Certificate]:
        where, args = [], []
        if unit_code is not None:
            where.append("unit_code = ?")
            args.append(unit_code)
        if not withdrawn:
            where.append("withdrawn_at IS NULL")
        return [Certificate.of(r) for r in self._store.db["certificates"].rows_where(" AND ".join(where) or None, args,
                                                                             order_by="unit_code, added_at")]

    def withdraw(self, sha256: str, reason: str, set_aside_from: dt.datetime | None = None) -> int:
        """A certificate no longer signs for its unit (lost token, the clerk left); kept, dated.
        ``set_aside_from``: the packages it signed from that time on (a thief's, say) are set aside,
        kept as refused, and the unit's other packages elected current again. Returns how many."""
        with self._store.transaction() as conn:
            found = conn.execute("SELECT unit_code FROM certificates WHERE sha256 = ? AND withdrawn_at IS NULL",
                                 (sha256,)).fetchone()
            if found is None:
                raise CchcError("CERT013", fingerprint=sha256[:16])
            stamp = now()
            conn.execute("UPDATE certificates SET withdrawn_at = ?, withdraw_reason = ? WHERE sha256 = ?",
                         (stamp, reason, sha256))
            self._store.audit.write(conn, "withdraw-certificate", col=found[0], new=f"{sha256} {reason}")
            signed = conn.execute("SELECT id, signed_at, unit_code, period_type, year, period_number, year_from, "
                                  "form_set_id FROM submissions WHERE certificate_sha256 = ? AND state = 'accepted'",
                                  (sha256,)).fetchall()
            set_aside = [r for r in signed if set_aside_from is not None
                         and dt.datetime.fromisoformat(r[1]) >= set_aside_from]
            for row in set_aside:
                conn.execute("UPDATE submissions SET state = 'refused', superseded_by = NULL, held_reason = ? "
                             "WHERE id = ?", (f"Đặt ra ngoài khi thu hồi chứng thư ({stamp[:10]}): {reason}", row[0]))
                self._store.audit.write(conn, "set-aside", col=row[2], new=f"{row[0]} {sha256}")
            # each unit, period and set it signed for elects its current package again: the withdrawn
            # key's packages now rank below the unit's current key's
            for group in {row[2:] for row in signed}:
                rival = conn.execute(
                    "SELECT id FROM submissions WHERE unit_code = ? AND period_type = ? AND year = ? "
                    "AND period_number IS ? AND year_from IS ? AND form_set_id = ? AND state = 'accepted' LIMIT 1",
                    group).fetchone()
                if rival:
                    self._store.submissions.elect(conn, rival[0])
            return len(set_aside)


class RevocationLists:
    """The certificate revocation lists (CRLs) an officer imported, one per issuing CA: a newer
    list of the same CA replaces the older; an older one is refused (it would bring revoked
    certificates back)."""

    def __init__(self, store) -> None:
        self._store = store

    def add(self, record: dict) -> None:
        """``record``: sha256, issuer (the issuer's whole name), this_update, next_update, revoked
        (how many certificates it lists), der."""
        with self._store.transaction() as conn:
            known = conn.execute("SELECT this_update FROM crls WHERE issuer = ?", (record["issuer"],)).fetchone()
            if known and known[0] > record["this_update"]:
                raise CchcError("CRL004", issuer=record["issuer"], known=known[0][:10], given=record["this_update"][:10])
            conn.execute("DELETE FROM crls WHERE issuer = ?", (record["issuer"],))
            fields = dict(record, imported_at=now(), imported_by=self._store.user)
            conn.execute(f"INSERT OR REPLACE INTO crls ({', '.join(fields)}) VALUES ({', '.join('?' for _ in fields)})",
                         list(fields.values()))
            self._store.audit.write(conn, "crl", col=record["issuer"], new=f"{record['this_update']} {record['sha256']}")

    def all(self, *, with_der: bool = False) -> list[dict]:
        """Each list with its dates, and its bytes when asked (verification needs them, a listing not)."""
        columns = "sha256, issuer, this_update, next_update, revoked, imported_at" + (", der" if with_der else "")
        return [dict(row) for row in self._store.db.query(f"SELECT {columns} FROM crls ORDER BY issuer")]


class Receipts:
    """The way back (issue 28 §5): receipts this unit issued for its children's packages
    (``issued``) and those it received for its own (``received``), each kept once by its SHA-256."""

    def __init__(self, store) -> None:
        self._store = store

    def add(self, record: dict, *, status: tuple[int, str] | None = None, file: bytes | None = None) -> None:
        """Keep ``record`` (the ``receipts`` fields but the time of recording; ``state`` ``taken``
        unless it says ``held``, then with its ``file`` kept); with ``status`` (report id, new
        status), set the report's status in the same transaction, audited."""
        with self._store.transaction() as conn:
            known = conn.execute("SELECT state FROM receipts WHERE sha256 = ? AND direction = ?",
                                 (record["sha256"], record["direction"])).fetchone()
            if known:
                raise CchcError("RCPT019" if known[0] == "held" else "RCPT009")
            fields = dict(record, recorded_at=now(), recorded_by=self._store.user)
            fields.setdefault("state", "taken")
            if file is not None:
                fields["file_sha256"] = put_blob(conn, file)
            conn.execute(f"INSERT INTO receipts ({', '.join(fields)}) VALUES ({', '.join('?' for _ in fields)})",
                         list(fields.values()))
            self._store.audit.write(conn, f"receipt-{record['direction']}", record.get("report_id"),
                                    col=f"{record['decision']} {fields['state']}",
                                    new=f"{record['package_sha256']} {record.get('reason') or ''}")
            if status is not None:
                self._status(conn, *status)

    def _status(self, conn, report_id: int, new: str) -> None:
        old = conn.execute("SELECT status FROM reports WHERE id = ?", (report_id,)).fetchone()[0]
        conn.execute("UPDATE reports SET status = ?, updated_at = ? WHERE id = ?", (new, now(), report_id))
        self._store.audit.write(conn, "report_field", report_id, col="status", old=old, new=new)

    def take(self, sha256: str, *, status: tuple[int, str] | None = None) -> None:
        """A held receipt taken after the clerk confirmed its signer; the report's new status with it."""
        with self._store.transaction() as conn:
            conn.execute("UPDATE receipts SET state = 'taken' WHERE sha256 = ? AND direction = 'received'", (sha256,))
            self._store.audit.write(conn, "receipt-confirmed", None, new=sha256)
            if status is not None:
                self._status(conn, *status)

    def get(self, sha256: str, direction: str = "received") -> dict | None:
        found = list(self._store.db.query("SELECT * FROM receipts WHERE sha256 = ? AND direction = ?",
                                          [sha256, direction]))
        return dict(found[0]) if found else None

    def held(self) -> list[dict]:
        return [dict(r) for r in self._store.db.query(
            "SELECT * FROM receipts WHERE direction = 'received' AND state = 'held' ORDER BY recorded_at")]

    def of_report(self, report_id: int) -> list[dict]:
        """The receipts taken for a report (a held one says nothing until confirmed)."""
        return [dict(r) for r in self._store.db.query(
            "SELECT * FROM receipts WHERE report_id = ? AND direction = 'received' AND state = 'taken' "
            "ORDER BY issued_at", [report_id])]

    def of_package(self, package_sha256: str, direction: str) -> list[dict]:
        return [dict(r) for r in self._store.db.query(
            "SELECT * FROM receipts WHERE package_sha256 = ? AND direction = ? ORDER BY issued_at",
            [package_sha256, direction])]


class ReceivedForms:
    """The form sets received from parent bodies (issue 26 §3), each kept once by its package's SHA-256."""

    def __init__(self, store) -> None:
        self._store = store

    def add(self, record: dict, *, file: bytes | None = None) -> None:
        """Keep ``record`` (``state`` ``installed``, or ``held`` with its ``file`` kept), audited."""
        with self._store.transaction() as conn:
            fields = dict(record, received_at=now(), received_by=self._store.user)
            if file is not None:
                fields["file_sha256"] = put_blob(conn, file)
            conn.execute("DELETE FROM received_forms WHERE sha256 = ? AND state = 'held'", (record["sha256"],))
            conn.execute(f"INSERT INTO received_forms ({', '.join(fields)}) VALUES ({', '.join('?' for _ in fields)})",
                         list(fields.values()))
            self._store.audit.write(conn, f"forms-{fields['state']}", None, col=f"{record['set_id']} v{record['version']}",
                                    new=f"{record['sha256']} {record['signer']}")

    def get(self, sha256: str) -> dict | None:
        found = list(self._store.db.query("SELECT * FROM received_forms WHERE sha256 = ?", [sha256]))
        return dict(found[0]) if found else None

    def of_set(self, set_id: str, version: int) -> list[dict]:
        return [dict(r) for r in self._store.db.query(
            "SELECT * FROM received_forms WHERE set_id = ? AND version = ? ORDER BY received_at", [set_id, version])]

    def held(self) -> list[dict]:
        return [dict(r) for r in self._store.db.query(
            "SELECT * FROM received_forms WHERE state = 'held' ORDER BY received_at")]

"""Schema versions, forward only.  ``PRAGMA user_version`` holds the version.

Each step takes the database from version n-1 to n inside one transaction.
Never edit a released step: add the next one.  Tests build a database with
the first step only, fill it, and open it with the current code.
"""

from __future__ import annotations

import sqlite_utils


def _v1(db: sqlite_utils.Database) -> None:
    """First release: units, reports, cells, repeating rows, settings, audit."""
    db["units"].create(
        {"code": str, "name": str, "level": str, "parent_code": str, "position": int}, pk="code"
    )
    db["reports"].create(
        {
            "id": int, "unit_code": str, "period_type": str, "period_number": int, "year": int,
            "year_from": int, "form_set_id": str, "form_set_version": int, "status": str,
            "doc_number": str, "doc_date": str, "signer_name": str, "signer_title": str, "place": str,
            "created_at": str, "updated_at": str,
        },
        pk="id",
        foreign_keys=[("unit_code", "units", "code")],
    )
    db["cells"].create(
        {"report_id": int, "form_code": str, "row_id": str, "col_id": str, "value": str},
        pk=("report_id", "form_code", "row_id", "col_id"),
        foreign_keys=[("report_id", "reports", "id")],
    )
    db["repeat_rows"].create(
        {"report_id": int, "form_code": str, "section": str, "row_id": str, "position": int},
        pk=("report_id", "form_code", "row_id"),
        foreign_keys=[("report_id", "reports", "id")],
    )
    db["settings"].create({"key": str, "value": str}, pk="key")
    db["audit"].create(
        {"id": int, "at": str, "user": str, "report_id": int, "action": str, "form_code": str, "row_id": str,
         "col_id": str, "old": str, "new": str},
        pk="id",
    )


def _v2(db: sqlite_utils.Database) -> None:
    """Evidence files (minh chứng) by SHA-256, report versions for re-signing, faster audit look-ups."""
    db["blobs"].create({"sha256": str, "size": int, "data": bytes}, pk="sha256")
    db["attachments"].create(
        {"id": int, "report_id": int, "form_code": str, "row_id": str, "sha256": str, "filename": str,
         "added_at": str},
        pk="id",
        foreign_keys=[("report_id", "reports", "id"), ("sha256", "blobs", "sha256")],
    )
    db.execute("ALTER TABLE reports ADD COLUMN version INTEGER NOT NULL DEFAULT 1")
    db.execute("ALTER TABLE reports ADD COLUMN signer_mode TEXT")
    db.execute("ALTER TABLE reports ADD COLUMN subject TEXT")
    db["audit"].create_index(["report_id"])
    db["repeat_rows"].create_index(["report_id", "form_code", "section", "position"])


def _v3(db: sqlite_utils.Database) -> None:
    """Signed packages of this unit's reports, and the packages received from child units."""
    db["signatures"].create(
        {"id": int, "report_id": int, "version": int, "signed_at": str, "signer": str, "cert_sha256": str,
         "ca_verified": int, "package_sha256": str, "filename": str, "voided_at": str, "void_reason": str},
        pk="id",
        foreign_keys=[("report_id", "reports", "id"), ("package_sha256", "blobs", "sha256")],
    )
    db["signatures"].create_index(["report_id"])
    db["submissions"].create(
        {"id": int, "unit_code": str, "period_type": str, "period_number": int, "year": int, "year_from": int,
         "form_set_id": str, "form_set_version": int, "report_version": int, "signed_at": str, "signer": str,
         "ca_verified": int, "package_sha256": str, "received_at": str, "document": str, "superseded_by": int},
        pk="id",
        foreign_keys=[("package_sha256", "blobs", "sha256")],
    )
    db["submissions"].create_index(["package_sha256"], unique=True)
    db["submissions"].create_index(["unit_code", "year", "period_type"])


def _v4(db: sqlite_utils.Database) -> None:
    """The report's body text (narrative), section by section."""
    db["narrative"].create(
        {"report_id": int, "section": str, "text": str, "updated_at": str},
        pk=("report_id", "section"),
        foreign_keys=[("report_id", "reports", "id")],
    )


def _v5(db: sqlite_utils.Database) -> None:
    """The receiving unit's appraisal (thẩm định) of its child units' PAR sheets: per criterion,
    the appraised score and the reviewer's comment, kept with the receiving unit's report
    (the child's signed sheet is never changed)."""
    db["appraisals"].create(
        {"report_id": int, "unit_code": str, "criterion": str, "score": str, "comment": str, "updated_at": str},
        pk=("report_id", "unit_code", "criterion"),
        foreign_keys=[("report_id", "reports", "id")],
    )


def _v6(db: sqlite_utils.Database) -> None:
    """Who may sign for a child unit: the receiving unit's register of its children's signing
    certificates (``bound_by``: ca | enrolled | confirmed; withdrawn ones stay, dated), and the
    state of each received package: accepted, or held until the clerk confirms its signer, or
    refused by the clerk. Packages received before this version were accepted."""
    db["certificates"].create(
        {"sha256": str, "unit_code": str, "subject": str, "issuer": str, "identifiers": str, "valid_from": str,
         "valid_to": str, "der": bytes, "bound_by": str, "added_at": str, "added_by": str, "withdrawn_at": str,
         "withdraw_reason": str},
        pk="sha256",
    )
    db["certificates"].create_index(["unit_code"])
    db["submissions"].add_column("state", str, not_null_default="accepted")
    db["submissions"].add_column("certificate_sha256", str)
    db["submissions"].add_column("held_reason", str)


def _v7(db: sqlite_utils.Database) -> None:
    """What the navigator shows without validating every report at each start: each report's
    ``revision`` (counted up by triggers on every table a report's findings read, so no writer
    can forget it) and the counts last computed for it, with the stamp they were computed at."""
    db.execute("ALTER TABLE reports ADD COLUMN revision INTEGER NOT NULL DEFAULT 0")
    for table in ("cells", "repeat_rows", "attachments", "narrative", "appraisals"):
        for event, row in (("INSERT", "NEW"), ("UPDATE", "NEW"), ("DELETE", "OLD")):
            db.execute(f"CREATE TRIGGER {table}_{event.lower()}_revision AFTER {event} ON {table} BEGIN "
                       f"UPDATE reports SET revision = revision + 1 WHERE id = {row}.report_id; END")
    db["report_counts"].create({"report_id": int, "stamp": str, "errors": int, "warnings": int, "forms": str},
                               pk="report_id")


def _v8(db: sqlite_utils.Database) -> None:
    """A report may state its own data period ("Số liệu kết xuất từ ngày 01/01/2019 đến hết ngày
    25/11/2019", seed 000), which its annexes print instead of the one the period rules give, and
    its own recipients."""
    db.execute("ALTER TABLE reports ADD COLUMN data_from TEXT")
    db.execute("ALTER TABLE reports ADD COLUMN data_to TEXT")
    # Nơi nhận of this report, one per line (seed 004 lists ten); none: the settings' list
    db.execute("ALTER TABLE reports ADD COLUMN recipients TEXT")


def _v9(db: sqlite_utils.Database) -> None:
    """How a report's blank totals read: ``tinh`` (the app computes a total the clerk left blank
    from its parts) or ``nhu_ban_in`` (a transcript of a printed report: what the paper shows,
    blanks included). Reports made before this version were typed whole: they keep their figures."""
    db.execute("ALTER TABLE reports ADD COLUMN totals TEXT NOT NULL DEFAULT 'nhu_ban_in'")


def _v10(db: sqlite_utils.Database) -> None:
    """The indexes one report's queries need, so that their cost does not grow with the database:
    a unit's history (``reports_of``), a report of a period (``find_report``), a unit's children
    (every report read asks for them). Without them each was a scan of the whole table."""
    db["reports"].create_index(["unit_code", "form_set_id", "period_type", "year"])
    db["units"].create_index(["parent_code", "position"])


def _v11(db: sqlite_utils.Database) -> None:
    """Issue 28: certificate revocation lists an officer imported (one per issuing CA, the newest
    kept; verification checks signers against them, offline); a signature's role (the person's
    or the organisation's, its seal); and the way back: the receipts
    (phiếu tiếp nhận, trả lại) a parent body issues for its children's packages and a unit
    receives for its own, found by the package they name."""
    db["crls"].create({"sha256": str, "issuer": str, "this_update": str, "next_update": str, "revoked": int,
                       "imported_at": str, "imported_by": str, "der": bytes}, pk="sha256")
    db["crls"].create_index(["issuer"], unique=True)
    db["receipts"].create(
        {"sha256": str, "direction": str, "package_sha256": str, "unit_code": str, "report_id": int,
         "report_version": int, "submission_id": int, "decision": str, "reason": str, "issued_at": str,
         "issuer_code": str, "issuer_name": str, "signer": str, "recorded_at": str, "recorded_by": str,
         # received from a certificate not yet bound to the parent body: held, its file kept, until
         # the clerk compares the fingerprint with the parent body's (receipts.confirm_receipt)
         "state": str, "certificate_sha256": str, "file_sha256": str},
        pk=("sha256", "direction"))  # one database may issue a receipt and receive it (the demo holds both levels)
    db["receipts"].create_index(["package_sha256"])
    db["receipts"].create_index(["report_id"])
    db["signatures"].create_index(["package_sha256"])
    # who signed (Nghị định 30/2020): the person with authority, then the organisation (its seal)
    db.execute("ALTER TABLE signatures ADD COLUMN role TEXT NOT NULL DEFAULT 'ca_nhan'")


def _v12(db: sqlite_utils.Database) -> None:
    """Issue 26 §3: the form sets this database received from its parent bodies (bộ biểu mẫu
    published and signed by the province), installed in the user's data folder, or held with
    their file until the clerk confirms the signer's fingerprint."""
    db["received_forms"].create(
        {"sha256": str, "set_id": str, "version": int, "name": str, "valid_from": str, "publisher_code": str,
         "publisher_name": str, "signer": str, "certificate_sha256": str, "published_at": str, "state": str,
         "folder": str, "received_at": str, "received_by": str, "file_sha256": str},
        pk="sha256")
    db["received_forms"].create_index(["set_id", "version"])


STEPS = [_v1, _v2, _v3, _v4, _v5, _v6, _v7, _v8, _v9, _v10, _v11, _v12]
LATEST = len(STEPS)


def migrate(db: sqlite_utils.Database, found: int, target: int = LATEST) -> None:
    conn = db.conn
    for version in range(found + 1, target + 1):
        conn.execute("BEGIN IMMEDIATE")
        try:
            STEPS[version - 1](db)
            conn.execute(f"PRAGMA user_version = {version}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise

"""The way back (issue 28 §5): the parent body's phiếu tiếp nhận or trả lại for a package.

A receipt is a small signed file (format in docs/package.md): ``receipt.json``, which names the
package by its SHA-256 with its unit, period, form set, version, the decision (``tiep_nhan``
or ``tra_lai`` with a reason) and the time, and ``receipt.p7s``, the issuer's detached CMS
signature over it. It is stored in the package's canonical ZIP layout (``archive_bytes``) and
read with the same hardening (``read_archive``).

The unit takes a receipt only when all of these hold:
- it names a package this database signed, of that report's version, for that unit;
- it is issued by the unit's parent body;
- it is signed by the parent body's certificate. That is the one registered for the body here
  (``cchc enrol-certificate --unit PARENT FILE.cer``), not withdrawn, or a CA-verified Ban Cơ
  yếu certificate naming the body (``subjects.py``), which is then registered. Any other
  certificate's receipt is held until the clerk confirms its fingerprint (``confirm_receipt``);
- it is dated neither in the future nor before the package was signed.

An acceptance makes the report "Cấp trên đã tiếp nhận" (locked). A return unlocks it as the next
version ("Bị trả lại"), audited with the reason. A receipt for a version the unit has since
replaced is kept, and changes nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import zipfile
from pathlib import Path

from cryptography import x509

from desktop.foundation.files import TooLarge, read_at_most
from desktop.foundation.messages import CchcError, msg, os_reason
from desktop.submission.identity import Identity, signer_certificate
from desktop.submission.package import archive_bytes, signed_archive
from desktop.submission.register import certificate_record, check_read_out, fingerprint, one_held
from desktop.submission.subjects import names_unit_by_subject
from desktop.submission.verify import (CLOCK_SLACK, Rejected, check_detached_signature, load_trust_roots,
                                       read_archive, shown_time)

FORMAT = "cchc-receipt"
FORMAT_VERSION = 1
EXTENSION = ".cchcphieu"
RECEIPT, RECEIPT_SIGNATURE = "receipt.json", "receipt.p7s"
MAX_RECEIPT_BYTES = 256 * 1024  # a receipt is a few kilobytes; anything larger is not one
DECISIONS = {"tiep_nhan": "tiếp nhận", "tra_lai": "trả lại"}
MIN_REASON = 10


def receipt_filename(document: dict) -> str:
    period = document["period"]
    parts = ["phieu", document["decision"], document["unit"]["code"], str(period["year"]), period["type"]]
    if period.get("number"):
        parts.append(str(period["number"]))
    return "_".join(parts).replace("/", "_") + f"_v{document['report_version']}{EXTENSION}"


def issue_receipt(store, submission_id: int, identity: Identity, *, accept: bool,
                  reason: str | None = None) -> tuple[bytes, dict]:
    """The parent body's receipt for a child's accepted package, signed by ``identity`` now and
    recorded here; returns (the file's bytes, its document)."""
    submission = store.submissions.get(submission_id)
    if submission.state != "accepted":
        raise CchcError("RCPT001", submission=submission_id)
    reason = " ".join((reason or "").split()) or None
    if not accept and (reason is None or len(reason) < MIN_REASON):
        raise CchcError("RCPT002", minimum=MIN_REASON)
    unit = store.units.get(submission.unit_code)
    issuer = store.units.get(unit.parent_code) if unit.parent_code else None
    if issuer is None:
        raise CchcError("RCPT010", unit=unit.name)
    now = dt.datetime.now().astimezone().replace(microsecond=0)
    document = {
        "format": FORMAT, "format_version": FORMAT_VERSION,
        "decision": "tiep_nhan" if accept else "tra_lai", "reason": None if accept else reason,
        "package_sha256": submission.package_sha256,
        "unit": {"code": unit.code, "name": unit.name},
        "period": {"type": submission.period_type, "number": submission.period_number, "year": submission.year,
                   "year_from": submission.year_from},
        "form_set": {"id": submission.form_set_id, "version": submission.form_set_version},
        "report_version": submission.report_version,
        "issued_at": now.isoformat(),
        "issuer": {"code": issuer.code, "name": issuer.name},
    }
    _, data = signed_archive(document, identity, now, names=(RECEIPT, RECEIPT_SIGNATURE))
    store.receipts.add({"sha256": hashlib.sha256(data).hexdigest(), "direction": "issued",
                        "package_sha256": submission.package_sha256, "unit_code": unit.code, "report_id": None,
                        "report_version": submission.report_version, "submission_id": submission_id,
                        "decision": document["decision"], "reason": document["reason"],
                        "issued_at": document["issued_at"], "issuer_code": issuer.code, "issuer_name": issuer.name,
                        "signer": identity.subject})
    return data, document


def _text(value, field: str, limit: int = 300, optional: bool = False) -> None:
    if value is None and optional:
        return
    if not isinstance(value, str) or not value.strip() or len(value) > limit:
        raise CchcError("RCPT003", field=field)


def _document(raw: bytes) -> dict:
    """``receipt.json`` with every field checked before it is used."""
    try:
        document = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise CchcError("RCPT003", field=RECEIPT) from None
    if not isinstance(document, dict) or document.get("format") != FORMAT \
            or document.get("format_version") != FORMAT_VERSION:
        raise CchcError("RCPT003", field="format")
    if document.get("decision") not in DECISIONS:
        raise CchcError("RCPT003", field="decision")
    _text(document.get("reason"), "reason", 2000, optional=document["decision"] == "tiep_nhan")
    package = document.get("package_sha256")
    if not isinstance(package, str) or len(package) != 64 or any(c not in "0123456789abcdef" for c in package):
        raise CchcError("RCPT003", field="package_sha256")
    for part in ("unit", "issuer"):
        value = document.get(part)
        if not isinstance(value, dict):
            raise CchcError("RCPT003", field=part)
        _text(value.get("code"), f"{part}.code", 100)
        _text(value.get("name"), f"{part}.name")
    version = document.get("report_version")
    if not isinstance(version, int) or isinstance(version, bool) or not 1 <= version <= 10 ** 6:
        raise CchcError("RCPT003", field="report_version")
    try:
        issued = dt.datetime.fromisoformat(document.get("issued_at"))
    except (TypeError, ValueError):
        raise CchcError("RCPT003", field="issued_at") from None
    if issued.tzinfo is None:
        raise CchcError("RCPT003", field="issued_at")
    return document


def read_receipt(data: bytes, roots=(), crls=()) -> tuple[dict, dict, bytes | None]:
    """(the receipt's document, its signer as verification finds it, the signer's certificate
    as DER); refused with the reason."""
    if len(data) > MAX_RECEIPT_BYTES:
        raise CchcError("RCPT004", reason=msg("RCPT011", kilobytes=MAX_RECEIPT_BYTES // 1024))
    try:
        members = read_archive(data)
        if set(members) != {RECEIPT, RECEIPT_SIGNATURE}:
            raise CchcError("RCPT004", reason=msg("RCPT012"))
        signer = check_detached_signature(members[RECEIPT], members[RECEIPT_SIGNATURE], list(roots), list(crls),
                                          signed=RECEIPT, signature=RECEIPT_SIGNATURE)
    except zipfile.BadZipFile:
        raise CchcError("RCPT004", reason=msg("DAT003")) from None
    except Rejected as rejected:
        raise CchcError("RCPT004", reason=rejected.reason) from None
    if archive_bytes([(RECEIPT, members[RECEIPT]), (RECEIPT_SIGNATURE, members[RECEIPT_SIGNATURE])]) != data:
        raise CchcError("RCPT004", reason=msg("RCPT012"))  # bytes outside the two members: not as issued
    return (_document(members[RECEIPT]), signer,
            signer_certificate(members[RECEIPT_SIGNATURE], signer["certificate_sha256"]))


def _read_file(path: Path) -> bytes:
    try:
        return read_at_most(path, MAX_RECEIPT_BYTES)
    except TooLarge:
        raise CchcError("RCPT004", reason=msg("RCPT011", kilobytes=MAX_RECEIPT_BYTES // 1024)) from None
    except OSError as error:
        raise CchcError("RCPT004", reason=os_reason(error)) from None


def _checked(store, data: bytes, root_paths) -> tuple[dict, dict, bytes | None, object, object, object]:
    """The receipt read and checked against this database: (document, signer, certificate, the
    signature it answers, the report, the parent body); refused with the reason."""
    document, signer, der = read_receipt(data, load_trust_roots(root_paths), store.revocation_lists.all(with_der=True))
    signature = store.signatures.by_package(document["package_sha256"])
    if signature is None:
        raise CchcError("RCPT005")
    report = store.reports.get(signature.report_id)
    unit = store.units.get(report.unit_code)
    if document["unit"]["code"] != unit.code or document["report_version"] != signature.version:
        raise CchcError("RCPT006", unit=document["unit"]["name"], version=document["report_version"])
    if not unit.parent_code or document["issuer"]["code"] != unit.parent_code:
        raise CchcError("RCPT007", issuer=document["issuer"]["name"])
    issued = dt.datetime.fromisoformat(document["issued_at"])
    signed = dt.datetime.fromisoformat(signer["signed_at"])
    if abs(issued - signed) > CLOCK_SLACK or issued > dt.datetime.now().astimezone() + CLOCK_SLACK \
            or issued < dt.datetime.fromisoformat(signature.signed_at) - CLOCK_SLACK:
        raise CchcError("RCPT004", reason=msg("RCPT013", issued=shown_time(document["issued_at"])))
    return document, signer, der, signature, report, store.units.get(unit.parent_code)


def import_receipt(store, path: Path, root_paths: list[str] = ()) -> dict:
    """Take a receipt for one of this unit's packages; returns what changed (``decision``,
    ``report``, ``version``, ``status`` or None when nothing changed, ``held``, ``message``).
    Its signer must be the parent body's: the certificate registered for it here, or a
    CA-verified Ban Cơ yếu certificate naming it (then registered). Any other is held until the
    clerk compares its fingerprint with the parent body (``confirm_receipt``), as a package is."""
    data = _read_file(path)
    document, signer, der, signature, report, parent = _checked(store, data, root_paths)
    record = {"sha256": hashlib.sha256(data).hexdigest(), "direction": "received",
              "package_sha256": document["package_sha256"], "unit_code": report.unit_code, "report_id": report.id,
              "report_version": signature.version, "submission_id": None, "decision": document["decision"],
              "reason": document["reason"], "issued_at": document["issued_at"], "issuer_code": parent.code,
              "issuer_name": parent.name, "signer": signer["subject"],
              "certificate_sha256": signer["certificate_sha256"]}
    registered = store.certificates.get(signer["certificate_sha256"])
    if registered is not None and (registered.unit_code != parent.code or registered.withdrawn_at is not None):
        raise CchcError("RCPT008", parent=parent.name, subject=signer["subject"], parent_code=parent.code)
    if registered is None and signer["ca_verified"] and der is not None \
            and names_unit_by_subject(x509.load_der_x509_certificate(der), store, parent, above_optional=True):
        store.certificates.add(certificate_record(der, parent.code, "ca"))
        registered = store.certificates.get(signer["certificate_sha256"])
    if registered is None:
        store.receipts.add(record | {"state": "held"}, file=data)
        return {"decision": document["decision"], "report": report.id, "version": signature.version, "status": None,
                "held": record["sha256"],
                "message": msg("RCPT018", parent=parent.name, subject=signer["subject"],
                               fingerprint=fingerprint(signer["certificate_sha256"]), sha=record["sha256"][:16])}
    return _take(store, record, signature, report, parent, held=False)


def confirm_receipt(store, receipt_sha: str, typed: str, root_paths: list[str] = ()) -> dict:
    """The clerk confirms a held receipt's signer, having compared its fingerprint with the parent
    body (``typed``: at least its first digits, as for a package): the certificate is registered
    for the parent body and the receipt taken as if it had come signed so."""
    held = one_held(store.receipts.held(), receipt_sha, "RCPT020", receipt=receipt_sha)
    check_read_out(held["certificate_sha256"], typed)
    data = store.attachments.blob(held["file_sha256"])
    document, signer, der, signature, report, parent = _checked(store, data, root_paths)
    with store.transaction():
        store.certificates.add(certificate_record(der, parent.code, "confirmed"))
        return _take(store, held, signature, report, parent, held=True)


def _take(store, record: dict, signature, report, parent, *, held: bool) -> dict:
    """The receipt's decision applied to its report (when it answers the report's current version)."""
    current = report.version == signature.version and report.status in ("da_ky", "da_dong_dau", "da_nop")
    status = None
    with store.transaction():
        if current and record["decision"] == "tra_lai":
            store.reports.unlock(report.id, f"Bị {parent.name} trả lại: {record['reason']}")
            status = "bi_tra_lai"
        elif current:
            status = "da_tiep_nhan"
        if held:
            store.receipts.take(record["sha256"], status=(report.id, status) if status else None)
        else:
            store.receipts.add(record, status=(report.id, status) if status else None)
    said = receipt_state(store.receipts.of_report(report.id)[-1:])
    if status is None:
        said = msg("RCPT014", version=signature.version, now=report.version) + " " + said
    return {"decision": record["decision"], "report": report.id, "version": signature.version, "status": status,
            "held": None, "message": said}


def receipt_state(received: list[dict]) -> str:
    """What the report shows of its last receipt: "Huyện … đã tiếp nhận ngày …" or "Bị trả lại: …"."""
    if not received:
        return ""
    last = received[-1]
    day = f"{dt.datetime.fromisoformat(last['issued_at']):%d/%m/%Y}"
    if last["decision"] == "tiep_nhan":
        return msg("RCPT015", issuer=last["issuer_name"], date=day, version=last["report_version"])
    return msg("RCPT016", issuer=last["issuer_name"], date=day, version=last["report_version"], reason=last["reason"])

"""Verifying a received package, in memory, before anything of it reaches a store.

Order matters: the archive's structure is checked from the ZIP directory alone
(names, links, sizes, compression ratios) before any member is decompressed; then
the manifest, its CMS signature and every member's hash; only members whose bytes
the signer vouched for are handed to the PDF and JSON parsers.

A package is *valid* when it is intact and signed, whoever signed it; whether a
CA vouches for the signer (a trusted root in the configured list) is reported as
``ca_verified`` and only makes the package invalid when trust is required.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import io
import logging
import re
import stat
import unicodedata
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from asn1crypto import cms
from asn1crypto import x509 as asn1_x509
from cryptography import x509

from desktop import __version__
from desktop.exchange.document import document_parts
from desktop.exchange.interchange import VERSIONS, check_document, check_period, check_unit, write_report
from desktop.exchange.pdf import render_pdf
from desktop.foundation.jsontext import JsonRefused, loads as strict_json
from desktop.foundation.messages import CchcError, msg, os_reason
from desktop.foundation.periods import Period
from desktop.rules.engine import count, validate_report
from desktop.report.data import report_data
from desktop.store.db import Store
from desktop.submission import NOT_CA_VERIFIED, shown
from desktop.submission.anchors import said_of_check, trust_anchors
from desktop.submission.revocation import checked
from desktop.submission.identity import (
    asn1_cert,
    common_name,
    document_signing_problem,
    is_self_signed,
    issuer_name,
    signer_certificate,
    subject_identifiers,
)
from desktop.submission.package import (
    ATTACHMENTS,
    DATA,
    FORMAT,
    FORMAT_VERSION,
    MANIFEST,
    MANIFEST_SIGNATURE,
    PDF,
    SEAL_FIELD,
    SEALED_FORMAT_VERSION,
    SIGNATURE_FIELD,
    SOURCES,
    WORKBOOK,
    archive_bytes,
)

MAX_PACKAGE_BYTES = 256 * 1024 * 1024
MAX_MEMBERS = 500
MAX_MEMBER_BYTES = 64 * 1024 * 1024
MAX_TOTAL_BYTES = 256 * 1024 * 1024
MAX_RATIO = 100  # uncompressed ÷ compressed, beyond which a member is a ZIP bomb
RATIO_FLOOR = 1024 * 1024  # small members may compress well without being suspicious
REQUIRED = (DATA, WORKBOOK, PDF)

# pyHanko logs a certificate no CA vouches for as an error with a traceback; here that is an
# expected outcome, reported in the verdict, so their loggers keep quiet below CRITICAL.
log = logging.getLogger(__name__)
for _name in ("pyhanko", "pyhanko_certvalidator"):
    logging.getLogger(_name).setLevel(logging.CRITICAL)


class Rejected(Exception):
    """The package is refused: the catalogue's message ``code``, naming ``member`` where one is at fault."""

    def __init__(self, code: str, at: str | None = None, **params) -> None:
        self.code, self.member = code, at
        self.reason = msg(code, **params)
        super().__init__(self.reason)


@dataclass
class Verdict:
    file: str
    status: str  # valid | invalid | unreadable
    problems: list[dict] = field(default_factory=list)
    manifest: dict | None = None
    signer: dict | None = None
    pdf: dict | None = None
    findings: dict | None = None
    document: dict | None = None  # data.json, when valid
    attachments: dict[str, bytes] = field(default_factory=dict)
    certificate: bytes | None = None  # the signer's certificate (DER), for the receiver's register
    person: dict | None = None  # a sealed package's first signer, the person (``signer`` is the organisation)

    @property
    def valid(self) -> bool:
        return self.status == "valid"

    @property
    def message(self) -> str:
        if self.valid:
            period = self.manifest["period"].get("label", "")
            if self.person is not None:
                return msg("PKG026", unit=self.manifest["unit"]["name"], period=period,
                           version=self.manifest["report_version"], person=self.person["subject"],
                           signed_at=shown_time(self.person["signed_at"]), organisation=self.signer["subject"],
                           sealed_at=shown_time(self.signer["signed_at"]))
            return msg("PKG004", unit=self.manifest["unit"]["name"], period=period,
                       version=self.manifest["report_version"], signer=self.signer["subject"],
                       signed_at=shown_time(self.signer["signed_at"]))
        return "; ".join(p["message"] for p in self.problems)

    @property
    def signatures(self) -> list[dict]:
        """Each signature with its role: the person's (``ca_nhan``), then the organisation's
        (``co_quan``) when sealed; ``valid`` as verification found it."""
        if self.signer is None:
            return []
        if self.person is None:
            return [{"role": "ca_nhan", "subject": self.signer["subject"], "valid": self.valid,
                     "ca_verified": self.signer["ca_verified"], "signed_at": self.signer["signed_at"]}]
        return [{"role": "ca_nhan", "subject": self.person["subject"], "valid": self.valid,
                 "ca_verified": self.person["ca_verified"], "signed_at": self.person["signed_at"]},
                {"role": "co_quan", "subject": self.signer["subject"], "valid": self.valid,
                 "ca_verified": self.signer["ca_verified"], "signed_at": self.signer["signed_at"]}]

    @property
    def trust(self) -> str:
        """The signer's trust as the receiver found it, then as the signing machine checked it
        before signing (Nghị định 23/2025: the check goes into the package and shows here)."""
        said = [f"Chứng thư: {self.signer['note']}." if self.signer["note"]
                else f"Chứng thư được CA xác thực, {self.signer['revocation']}."]
        before = sender_check(self.manifest)
        if before is not None:
            said.append(msg("TRUST006", at=shown_time(before["checked_at"]), found=said_of_check(before)))
        return " ".join(said)

    def to_json(self) -> dict:
        return {"file": self.file, "status": self.status, "valid": self.valid, "message": self.message,
                "problems": self.problems, "manifest": self.manifest, "signer": self.signer, "pdf": self.pdf,
                "findings": self.findings, "checked_before_signing": sender_check(self.manifest),
                "signatures": self.signatures}


def sender_check(manifest: dict | None) -> dict | None:
    """The signing machine's check of its certificate (``signer.check``), as the signer wrote it:
    shown beside the receiver's own, never trusted instead of it; None when absent or malformed."""
    check = ((manifest or {}).get("signer") or {}).get("check") if isinstance(manifest, dict) else None
    if not isinstance(check, dict) or not isinstance(check.get("ca_verified"), bool):
        return None
    path, at, revocation = check.get("path"), check.get("checked_at"), check.get("revocation")
    if not isinstance(path, list) or not all(isinstance(p, str) for p in path) or not isinstance(revocation, str):
        return None
    try:
        dt.datetime.fromisoformat(at)
    except (TypeError, ValueError):
        return None
    return {"ca_verified": check["ca_verified"], "path": path[:8], "checked_at": at, "revocation": revocation[:200]}


# --- the archive ---------------------------------------------------------------------


_WINDOWS_DEVICES = {"con", "prn", "aux", "nul"} | {f"{d}{n}" for d in ("com", "lpt") for n in range(1, 10)}


def _member_name_problem(name: str) -> str | None:
    """Why a member name could not be written safely on the clerks' Windows PCs (or anywhere), or None."""
    if not name or "\x00" in name or "\\" in name:
        return "ARC001"
    if name.startswith("/") or (len(name) > 1 and name[1] == ":"):
        return "ARC002"
    parts = name.split("/")
    if any(part in ("", ".", "..") for part in parts):
        return "ARC003"
    if unicodedata.normalize("NFC", name) != name or any(ord(c) < 32 for c in name):
        return "ARC001"
    # ":" names a drive or an alternate data stream on Windows; "CON", "nul.txt" are devices there;
    # a trailing dot or space is dropped by Windows, so two names could become one.
    if ":" in name or any(part.split(".")[0].lower() in _WINDOWS_DEVICES or part[-1] in ". " for part in parts):
        return "ARC001"
    return None


def read_archive(data: bytes) -> dict[str, bytes]:
    """The members of a package, after checking the ZIP directory for anything hostile.
    Raises ``Rejected`` (a refused package) or ``zipfile.BadZipFile`` (not a ZIP at all)."""
    if len(data) > MAX_PACKAGE_BYTES:
        raise Rejected("ARC004", size=len(data) // (1024 * 1024))
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        infos = archive.infolist()
        if len(infos) > MAX_MEMBERS:
            raise Rejected("ARC005", count=len(infos))
        seen: set[str] = set()
        total = 0
        for info in infos:
            name = info.filename
            problem = _member_name_problem(name)
            if problem:
                raise Rejected(problem, name)
            folded = name.casefold()
            if folded in seen:
                raise Rejected("ARC006", name)
            seen.add(folded)
            mode = info.external_attr >> 16
            if info.is_dir() or stat.S_IFMT(mode) not in (0, stat.S_IFREG):
                raise Rejected("ARC007", name)
            if info.flag_bits & 0x1:
                raise Rejected("ARC008", name)
            # The canonical layout stores every member (docs/package.md): a compressed member can
            # never be valid, so none is inflated (255 members at 1000:1 once took 610 MB to refuse).
            if info.compress_type != zipfile.ZIP_STORED:
                raise Rejected("ARC009", name)
            if info.file_size > MAX_MEMBER_BYTES:
                raise Rejected("ARC010", name, size=info.file_size // (1024 * 1024))
            if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1):
                raise Rejected("ARC011", name)
            total += info.file_size
            if total > MAX_TOTAL_BYTES:
                raise Rejected("ARC012")
        members = {}
        for info in infos:
            try:
                with archive.open(info) as stream:
                    content = stream.read(info.file_size + 1)
            except (zipfile.BadZipFile, zlib.error, EOFError, ValueError):  # CRC, header, stream damaged
                raise Rejected("ARC013", info.filename) from None
            if len(content) != info.file_size:  # a directory that lies about sizes
                raise Rejected("ARC014", info.filename)
            members[info.filename] = content
    return members


def _manifest(members: dict[str, bytes]) -> tuple[bytes, dict]:
    for required in (MANIFEST, MANIFEST_SIGNATURE):
        if required not in members:
            raise Rejected("ARC015", required)
    raw = members[MANIFEST]
    try:
        manifest = strict_json(raw.decode("utf-8"))
    except (UnicodeDecodeError, JsonRefused):
        raise Rejected("ARC016", MANIFEST) from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise Rejected("ARC017", MANIFEST)
    if manifest.get("format_version") not in (FORMAT_VERSION, SEALED_FORMAT_VERSION) \
            or isinstance(manifest.get("format_version"), bool):
        raise Rejected("ARC018", MANIFEST, found=repr(manifest.get("format_version")),
                       supported=f"{FORMAT_VERSION}, {SEALED_FORMAT_VERSION}")
    files = manifest.get("files")
    if not isinstance(files, list) or not all(
            isinstance(f, dict) and isinstance(f.get("path"), str) and isinstance(f.get("sha256"), str)
            for f in files):
        raise Rejected("ARC019", MANIFEST)
    for key in ("unit", "period", "form_set"):
        if not isinstance(manifest.get(key), dict):
            raise Rejected("ARC020", MANIFEST, key=key)
    if not isinstance(manifest.get("report_version"), int):
        raise Rejected("ARC021", MANIFEST)
    _check_manifest_fields(manifest)
    listed = [f["path"] for f in files]
    if len(set(listed)) != len(listed):
        raise Rejected("ARC022", MANIFEST)
    for path in listed:
        if path in (MANIFEST, MANIFEST_SIGNATURE) or (path not in REQUIRED and not path.startswith((ATTACHMENTS, SOURCES))):
            raise Rejected("ARC023", path)
    for path in REQUIRED:
        if path not in listed:
            raise Rejected("ARC015", path)
    for path in listed:
        if path not in members:
            raise Rejected("ARC024", path)
    for path in members:
        if path not in listed and path not in (MANIFEST, MANIFEST_SIGNATURE):
            raise Rejected("ARC025", path)
    return raw, manifest


SHA256_HEX = re.compile(r"[0-9a-f]{64}")
MAX_MANIFEST_TEXT = 300  # a label, a status, a time, a version string: none is longer


def _check_manifest_fields(manifest: dict) -> None:
    """Every field a receiver reads, by type, range and length, before anything uses it: a year
    of 2^70 or a unit without a name refuses this package alone, never the run it came in."""
    def text(value, field: str, optional: bool = True) -> None:
        if (value is None and optional) or (isinstance(value, str) and len(value) <= MAX_MANIFEST_TEXT):
            return
        raise Rejected("ARC028", MANIFEST, field=field)

    try:
        check_unit(manifest["unit"], MANIFEST, "unit.")
        period = check_period(manifest["period"], MANIFEST)
    except CchcError as error:
        raise Rejected("ARC028", MANIFEST, field=error.params.get("field", "unit")) from None
    parent = manifest.get("parent_unit")
    if parent is not None:
        if not isinstance(parent, dict):
            raise Rejected("ARC028", MANIFEST, field="parent_unit")
        text(parent.get("code"), "parent_unit.code", optional=False)
        text(parent.get("name"), "parent_unit.name", optional=False)
    text(manifest["period"].get("label"), "period.label", optional=False)
    if manifest["period"]["label"] != period.label:  # what the package is, not what it says it is
        raise Rejected("ARC028", MANIFEST, field="period.label")
    def version(value, field: str) -> None:
        if not isinstance(value, int) or isinstance(value, bool) or value not in VERSIONS:
            raise Rejected("ARC028", MANIFEST, field=field)

    text(manifest["form_set"].get("id"), "form_set.id", optional=False)
    version(manifest["form_set"].get("version"), "form_set.version")
    version(manifest["report_version"], "report_version")
    for key in ("doc_number", "status", "created_at", "app_version"):
        text(manifest.get(key), key)
    signer = manifest.get("signer")
    if signer is not None and not isinstance(signer, dict):
        raise Rejected("ARC028", MANIFEST, field="signer")
    if manifest["format_version"] == SEALED_FORMAT_VERSION:  # the person who signed before the seal
        person = manifest.get("person")
        if not isinstance(person, dict) or not isinstance(person.get("certificate_sha256"), str) \
                or not SHA256_HEX.fullmatch(person["certificate_sha256"]):
            raise Rejected("ARC028", MANIFEST, field="person")
        text(person.get("subject"), "person.subject", optional=False)
        text(manifest.get("sealed_at"), "sealed_at", optional=False)
    for entry in manifest["files"]:
        size = entry.get("size", 0)
        if len(entry["path"]) > 255 or not SHA256_HEX.fullmatch(entry["sha256"]) \
                or not isinstance(size, int) or isinstance(size, bool) or not 0 <= size <= MAX_MEMBER_BYTES:
            raise Rejected("ARC028", MANIFEST, field="files")


# --- signatures ----------------------------------------------------------------------


def load_trust_roots(paths: list[str | Path]) -> list[asn1_x509.Certificate]:
    """The anchors a verification trusts, as pyHanko takes them: Vietnam's shipped CAs
    (``submission.anchors``) and the root certificates a district added (files or folders)."""
    return [asn1_cert(anchor.certificate) for anchor in trust_anchors(paths)]


def _context(roots, moment: dt.datetime | None):
    from pyhanko_certvalidator import ValidationContext

    return ValidationContext(trust_roots=roots, allow_fetching=False, revocation_mode="soft-fail", moment=moment)


def _signing_time(signed_data) -> dt.datetime | None:
    for attribute in signed_data["signer_infos"][0]["signed_attrs"]:
        if attribute["type"].native == "signing_time":
            return attribute["values"][0].native
    return None


def _usable(certificate: x509.Certificate, crls, member: str) -> str:
    """What is known of a signer's revocation, once its certificate is found fit: refused when it
    is not for signing documents (PKG017) or a kept list revokes it (PKG024). Offline, revocation
    is known only from a list the officer imported; never "valid" without one."""
    unusable = document_signing_problem(certificate)
    if unusable:
        raise Rejected("PKG017", member, usage=unusable)
    revocation, revoked_on = checked(certificate, list(crls))
    if revoked_on:
        raise Rejected("PKG024", member, subject=common_name(certificate), date=revoked_on)
    return revocation


def check_detached_signature(raw: bytes, p7s: bytes, roots, crls: list[dict] = (), *, signed: str = MANIFEST,
                             signature: str = MANIFEST_SIGNATURE) -> dict:
    """The signer of ``raw`` by its detached CMS signature ``p7s`` (members ``signed`` and
    ``signature`` of an archive: a package's manifest, a receipt): refused (``Rejected``) unless
    intact, by a certificate for signing documents, dated, and not revoked by a kept list."""
    from pyhanko.sign.validation.generic_cms import async_validate_detached_cms

    try:
        info = cms.ContentInfo.load(p7s)
        signed_data = info["content"]
        if info["content_type"].native != "signed_data" or len(signed_data["signer_infos"]) != 1:
            raise ValueError("not one signer")
        signed_at = _signing_time(signed_data)
        status = asyncio.run(async_validate_detached_cms(raw, signed_data,
                                                         signer_validation_context=_context(roots, signed_at)))
    except Exception:  # anything a damaged or forged signature makes asn1crypto/pyHanko raise
        raise Rejected("PKG006", signature, member=signature, reason=msg("SIG101")) from None
    if not status.intact or not status.valid:
        raise Rejected("PKG006", signed, member=signed, reason=msg("SIG102"))
    certificate = x509.load_der_x509_certificate(status.signing_cert.dump())
    revocation = _usable(certificate, crls, signature)
    if signed_at is None:
        raise Rejected("PKG006", signature, member=signature, reason=msg("SIG103"))
    in_force = certificate.not_valid_before_utc <= signed_at <= certificate.not_valid_after_utc
    return {
        "subject": common_name(certificate),
        "issuer": issuer_name(certificate),
        "identifiers": subject_identifiers(certificate),
        "certificate_sha256": status.signing_cert.sha256.hex(),
        "self_signed": is_self_signed(certificate),
        "ca_verified": bool(status.trusted),
        "in_force_when_signed": in_force,
        "signed_at": signed_at.astimezone().isoformat(),
        "valid_from": certificate.not_valid_before_utc.isoformat(),
        "valid_to": certificate.not_valid_after_utc.isoformat(),
        "note": "" if status.trusted else NOT_CA_VERIFIED,
        "revocation": revocation,
    }


def sealed(manifest: dict | None) -> bool:
    """Whether a package carries the organisation's signature after the person's (format 3)."""
    return isinstance(manifest, dict) and manifest.get("format_version") == SEALED_FORMAT_VERSION


def _check_pdf(pdf: bytes, signer: dict, roots, person: dict | None = None, crls=()) -> tuple[dict, dict | None]:
    """The signed PDF: its last signature, by the manifest's signer, over the whole file. A
    sealed package (``person``: the manifest's person) has the person's signature (``ChuKySo``)
    before it, intact over its revision with nothing after it but the organisation's field
    (``DauCoQuan``). Returns (the PDF's word, the person as verification finds them, or None)."""
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.diff_analysis import ModificationLevel
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel

    expected = [SIGNATURE_FIELD, SEAL_FIELD] if person is not None else None
    try:
        reader = PdfFileReader(io.BytesIO(pdf), strict=False)
        signatures = reader.embedded_signatures
        if len(signatures) != (2 if expected else 1) or (expected and [s.field_name for s in signatures] != expected):
            raise Rejected("PKG006", PDF, member=PDF, reason=msg("SIG104", count=len(signatures)))
        statuses = [validate_pdf_signature(s, signer_validation_context=_context(roots, None)) for s in signatures]
    except Rejected:
        raise
    except Exception:  # whatever a malformed PDF makes the parser raise
        raise Rejected("PKG006", PDF, member=PDF, reason=msg("SIG101")) from None
    if not all(status.intact and status.valid for status in statuses):
        raise Rejected("PKG006", PDF, member=PDF, reason=msg("SIG102"))
    last = statuses[-1]
    if last.coverage != SignatureCoverageLevel.ENTIRE_FILE:
        raise Rejected("PKG006", PDF, member=PDF, reason=msg("SIG105"))
    if last.signing_cert.sha256.hex() != signer["certificate_sha256"]:
        raise Rejected("PKG006", PDF, member=PDF, reason=msg("SIG106"))
    word = {"intact": True, "covers_whole_file": True, "field": signatures[-1].field_name,
            "signed_at": last.signer_reported_dt.astimezone().isoformat() if last.signer_reported_dt else None}
    if person is None:
        return word, None
    first = statuses[0]
    # after the person signed, a signature field and nothing else (pyHanko's difference analysis)
    if first.coverage != SignatureCoverageLevel.ENTIRE_REVISION or first.modification_level is None \
            or first.modification_level > ModificationLevel.FORM_FILLING or not first.docmdp_ok:
        raise Rejected("PKG006", PDF, member=PDF, reason=msg("SIG120"))
    if first.signing_cert.sha256.hex() != person["certificate_sha256"]:
        raise Rejected("PKG006", PDF, member=PDF, reason=msg("SIG106"))
    certificate = x509.load_der_x509_certificate(first.signing_cert.dump())
    revocation = _usable(certificate, crls, PDF)
    signed_at = first.signer_reported_dt
    if not signed_at or not certificate.not_valid_before_utc <= signed_at <= certificate.not_valid_after_utc:
        raise Rejected("PKG008", PDF, signed_at=shown_time(signed_at.isoformat()) if signed_at else "(không có)")
    found = {"subject": common_name(certificate), "certificate_sha256": first.signing_cert.sha256.hex(),
             "ca_verified": bool(first.trusted), "self_signed": is_self_signed(certificate),
             "signed_at": signed_at.astimezone().isoformat(), "in_force_when_signed": True, "revocation": revocation}
    return word, found


def _check_layout(data: bytes, raw: bytes, members: dict[str, bytes], manifest: dict) -> None:
    """Every byte outside the members' contents (headers, directory, comments) must be the
    canonical layout's: the hashes cover the contents, this covers the rest."""
    order = [MANIFEST, MANIFEST_SIGNATURE] + [entry["path"] for entry in manifest["files"]]
    expected = archive_bytes([(name, members[name]) for name in order])
    if expected == data:
        return
    at = next((i for i, (a, b) in enumerate(zip(expected, data)) if a != b), min(len(expected), len(data)))
    with zipfile.ZipFile(io.BytesIO(expected)) as archive:
        starts = sorted((info.header_offset, info.filename) for info in archive.infolist())
    member = next((name for offset, name in reversed(starts) if offset <= at), None)
    if at >= archive_directory_start(expected):
        member = None
    raise Rejected("ARC026" if member else "ARC027", member)


def archive_directory_start(archive: bytes) -> int:
    """Where a ZIP's central directory begins (from its end record)."""
    end = archive.rfind(b"PK\x05\x06")
    return int.from_bytes(archive[end + 16:end + 20], "little") if end >= 0 else len(archive)


# --- the whole check -------------------------------------------------------------------


def _checked_member(members: dict[str, bytes], name: str, catalog, files: dict[str, bytes]):
    """A member that is a report document (data.json, a source), read and checked as an import
    checks one: (the document, its checked form), or refused naming the member."""
    try:
        document = strict_json(members[name].decode("utf-8"))
        return document, check_document(catalog, document, name, files=files)
    except (UnicodeDecodeError, JsonRefused):
        raise Rejected("PKG009", name, reason=msg("DAT001")) from None
    except CchcError as error:
        raise Rejected("PKG009", name, reason=str(error)) from None


def _check_data(members: dict[str, bytes], manifest: dict, catalog) -> tuple[dict, dict, dict[str, bytes]]:
    attachments = {name: content for name, content in members.items() if name.startswith(ATTACHMENTS)}
    document, checked = _checked_member(members, DATA, catalog, attachments)
    same = (checked.unit == {k: manifest["unit"].get(k) for k in ("code", "name", "level")}
            and document["period"] == {k: v for k, v in manifest["period"].items() if k != "label"}
            and document["form_set"] == manifest["form_set"])
    if not same:
        raise Rejected("PKG009", DATA, reason=msg("DAT002"))
    scratch = Store.scratch(user="verify")
    try:
        report_id = write_report(scratch, checked)
        findings = validate_report(scratch, catalog, report_id)
        _check_parts(members, manifest, document)
        _write_sources(scratch, catalog, members, checked)
        _check_shown(members, report_data(scratch, catalog, report_id), manifest)
    finally:
        scratch.close()
    errors, warnings = count(findings)
    summary = {"errors": errors, "warnings": warnings,
               "message": msg("PKG010", errors=errors, warnings=warnings),
               "items": [f.to_json() for f in findings]}
    return document, summary, attachments


MAX_WORKBOOK_INFLATED = 128 * 1024 * 1024


def _check_parts(members: dict[str, bytes], manifest: dict, document: dict) -> None:
    """The parts of a package were made together: the report version the manifest signs is the
    data's, and the workbook and the PDF each name, inside their signed bytes, the data.json of
    this package (a PDF showing 1.177 beside a data.json saying 4177 is refused)."""
    if document.get("report", {}).get("version") != manifest.get("report_version"):
        raise Rejected("PKG014", DATA, reason=msg("DAT006", data=document.get("report", {}).get("version"),
                                                   manifest=manifest.get("report_version")))
    digest = hashlib.sha256(members[DATA]).hexdigest()
    claims = set(re.findall(rb"cchc-data-sha256:([0-9a-f]{64})", members[PDF]))
    if claims != {digest.encode()}:
        raise Rejected("PKG014", PDF, reason=msg("DAT005"))
    if set(_workbook_claims(members[WORKBOOK])) != {digest}:
        raise Rejected("PKG014", WORKBOOK, reason=msg("DAT004"))


def _write_sources(scratch, catalog, members: dict[str, bytes], checked) -> None:
    """The other reports the PDF prints (``ReportKind.sources``: a PAR analysis's child units'
    sheets), into the scratch store beside the package's report, so that the receiver's print
    has them too. Each must be a plain report document of one of the package's child units for
    the same period; they are printed, never consolidated."""
    children = {unit["code"] for unit in checked.children}
    seen = set()
    for name in sorted(n for n in members if n.startswith(SOURCES)):
        _, source = _checked_member(members, name, catalog, {})
        code = source.unit["code"]
        if code not in children or code in seen or source.period != checked.period:
            raise Rejected("PKG009", name, reason=msg("DAT007", unit=code))
        seen.add(code)
        write_report(scratch, source)


def _check_shown(members: dict[str, bytes], data, manifest: dict) -> None:
    """The signed PDF is this package's data printed as the sending app prints it, then one
    signature and nothing else (``submission.shown``): so it shows the figures accepted."""
    marks: dict = {}
    try:  # the time the sender's print says it was made: the manifest's (checked as a string before)
        created = dt.datetime.fromisoformat(manifest["created_at"])
    except (KeyError, TypeError, ValueError):
        raise Rejected("ARC028", MANIFEST, field="created_at") from None
    printed = render_pdf(data, marks, hashlib.sha256(members[DATA]).hexdigest(), created=created)
    signed = members[PDF]
    same = signed.startswith(printed)
    signatures = 2 if sealed(manifest) else 1
    if same or shown.same_objects(signed, printed, signatures):
        problem = shown.signing_problem(signed, printed if same else None, marks.get("signature"), signatures)
        if problem:
            raise Rejected("PKG019", PDF, reason=problem)
        return
    difference = shown.first_difference(signed, printed)
    if difference is None:
        sender = manifest.get("app_version")
        versions = msg("PKG023", sender=sender, receiver=__version__) if sender != __version__ else ""
        raise Rejected("PKG019", PDF, reason=msg("PKG022", versions=versions))
    _, annexes, _ = document_parts(data)
    where = shown.cell_named(annexes, difference) or msg("PKG021", page=difference.page, line=difference.line)
    raise Rejected("PKG018", PDF, where=where, shown=difference.shown, printed=difference.printed)


def _workbook_claims(workbook: bytes) -> list[str]:
    """The data.json digests a workbook's hidden sheet names (row "data_sha256")."""
    try:
        with zipfile.ZipFile(io.BytesIO(workbook)) as book:
            infos = [i for i in book.infolist() if i.filename.startswith("xl/worksheets/")]
            if sum(i.file_size for i in infos) > MAX_WORKBOOK_INFLATED:  # a bomb inside the package
                return []
            xml = b"".join(book.read(i) for i in infos)
    except (zipfile.BadZipFile, OSError, ValueError, zlib.error):
        return []
    return [m.group(1).decode() for row in re.findall(rb"<row[^>]*>(.*?)</row>", xml, re.S)
            if b">data_sha256<" in row for m in [re.search(rb">([0-9a-f]{64})<", row)] if m]


CLOCK_SLACK = dt.timedelta(minutes=10)  # how far two clocks (the signer's, the receiver's) may disagree


def _check_times(signer: dict, pdf: dict, manifest: dict, rules: dict | None, now: dt.datetime) -> None:
    """The signing time is what the signer's machine said: it must be possible. Not in the future
    of the receiver's clock, not before the period it reports on began, and the same in the
    PDF's signature as in the manifest's. (Lateness is judged on receipt, not on this time.)"""
    signed = dt.datetime.fromisoformat(signer["signed_at"])
    if signed > now + CLOCK_SLACK:
        raise Rejected("PKG011", MANIFEST_SIGNATURE, signed_at=shown_time(signer["signed_at"]))
    period = manifest["period"]
    try:
        start, _ = Period(period["type"], period["year"], period.get("number"), period.get("year_from")).bounds(rules)
    except (KeyError, TypeError, ValueError, CchcError):
        raise Rejected("ARC020", MANIFEST, key="period") from None
    if signed.date() < start:
        raise Rejected("PKG012", MANIFEST_SIGNATURE, signed_at=shown_time(signer["signed_at"]),
                       start=start.strftime("%d/%m/%Y"))
    in_pdf = pdf.get("signed_at")
    if in_pdf is None or abs(dt.datetime.fromisoformat(in_pdf) - signed) > CLOCK_SLACK:
        raise Rejected("PKG013", PDF, pdf=shown_time(in_pdf) if in_pdf else "(không có)",
                       manifest=shown_time(signer["signed_at"]))


def verify_bytes(data: bytes, name: str, catalog, roots=(), *, require_trust: bool = False,
                 rules: dict | None = None, now: dt.datetime | None = None, crls: list[dict] = (),
                 require_seal: bool = False) -> Verdict:
    """Everything about one package; never raises for what the package contains. ``rules``: the
    receiver's period rules (data cut-off days); ``now``: the receiver's clock; ``crls``: the
    revocation lists the receiver imported (``store.revocation_lists.all(with_der=True)``);
    ``require_seal``: refuse a package without the organisation's signature (a province's setting)."""
    verdict = Verdict(name, "invalid")
    try:
        members = read_archive(data)
        raw, manifest = _manifest(members)
        verdict.manifest = manifest
        verdict.signer = check_detached_signature(raw, members[MANIFEST_SIGNATURE], list(roots), list(crls))
        verdict.certificate = signer_certificate(members[MANIFEST_SIGNATURE], verdict.signer["certificate_sha256"])
        for entry in manifest["files"]:
            content = members[entry["path"]]
            if hashlib.sha256(content).hexdigest() != entry["sha256"] or entry.get("size", len(content)) != len(content):
                raise Rejected("PKG005", entry["path"], member=entry["path"])
        _check_layout(data, raw, members, manifest)
        if not verdict.signer["in_force_when_signed"]:
            raise Rejected("PKG008", MANIFEST_SIGNATURE, signed_at=shown_time(verdict.signer["signed_at"]))
        if require_trust and not verdict.signer["ca_verified"]:
            raise Rejected("PKG007", MANIFEST_SIGNATURE, note=NOT_CA_VERIFIED)
        if require_seal and not sealed(manifest):
            raise Rejected("PKG025", MANIFEST_SIGNATURE)
        # a sealed package: the person's signature, then the organisation's (the manifest's signer)
        verdict.pdf, verdict.person = _check_pdf(members[PDF], verdict.signer, list(roots),
                                                 manifest["person"] if sealed(manifest) else None, list(crls))
        if verdict.person is not None and dt.datetime.fromisoformat(verdict.person["signed_at"]) > \
                dt.datetime.fromisoformat(verdict.signer["signed_at"]) + CLOCK_SLACK:
            raise Rejected("PKG013", PDF, pdf=shown_time(verdict.person["signed_at"]),
                           manifest=shown_time(verdict.signer["signed_at"]))
        received = now or dt.datetime.now().astimezone()
        _check_times(verdict.signer, verdict.pdf, manifest, rules, received)
        # what openssl and pdfsig say (validity today), beside what decides (validity when signed)
        verdict.signer["in_force_at_receipt"] = (dt.datetime.fromisoformat(verdict.signer["valid_from"]) <= received
                                                 <= dt.datetime.fromisoformat(verdict.signer["valid_to"]))
        verdict.document, verdict.findings, verdict.attachments = _check_data(members, manifest, catalog)
    except zipfile.BadZipFile:
        verdict.status = "unreadable"
        verdict.problems.append({"member": None, "message": msg("PKG002", file=name, reason=msg("DAT003"))})
        return verdict
    except Rejected as rejected:
        verdict.problems.append({"member": rejected.member,
                                 "message": msg("PKG003", file=name, reason=_named(rejected))})
        return verdict
    except Exception:  # a case no check above foresaw: this package is refused, the run goes on
        log.exception("verifying %s", name)
        verdict.problems.append({"member": None, "message": msg("PKG003", file=name, reason=msg("PKG016"))})
        return verdict
    verdict.status = "valid"
    return verdict


def shown_time(iso: str) -> str:
    """"21/11/2026 09:05" from an ISO time, in this machine's time zone."""
    return dt.datetime.fromisoformat(iso).astimezone().strftime("%d/%m/%Y %H:%M")


def _named(rejected: Rejected) -> str:
    if rejected.member and rejected.member not in rejected.reason:
        return f"“{rejected.member}”: {rejected.reason}"
    return rejected.reason


def read_package(path: Path) -> bytes | Verdict:
    """A package file's bytes, or the verdict that refuses it unread (too large, unreadable)."""
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_PACKAGE_BYTES:
            return Verdict(path.name, "invalid", [{"member": None, "message": msg(
                "PKG003", file=path.name, reason=msg("ARC004", size=size // (1024 * 1024)))}])
        return path.read_bytes()
    except OSError as error:
        return Verdict(path.name, "unreadable", [{"member": None, "message": msg(
            "PKG002", file=path.name, reason=os_reason(error))}])


def verify_file(path: Path, catalog, roots=(), *, require_trust: bool = False, crls: list[dict] = (),
                require_seal: bool = False) -> Verdict:
    data = read_package(path)
    if isinstance(data, Verdict):
        return data
    return verify_bytes(data, Path(path).name, catalog, roots, require_trust=require_trust, crls=crls,
                        require_seal=require_seal)

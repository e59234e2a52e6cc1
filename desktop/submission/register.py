"""Who may sign for a child unit: the receiving unit's register of its children's certificates.

A package proves who signed it, not that the signer may speak for the unit it names. A
certificate is bound to a child unit in one of three ways, and only then is its package
accepted:

- ``ca``: a trusted CA (a configured root) issued it and its subject carries an identifier of
  that unit: the unit's code, or an identifier (UID, SERIALNUMBER) of a CA certificate the clerk
  confirmed for the unit before, so that the unit's renewed certificate binds by itself; or,
  from the Ban Cơ yếu, the unit's name as that CA writes it (``subjects.py``);
- ``enrolled``: the receiving clerk imported the certificate the unit handed over (.cer/.pem);
- ``confirmed``: the clerk confirmed it on first receipt, after comparing its fingerprint with
  the unit (by telephone, say).

Any other package is kept but *held* (“chờ xác nhận chứng thư”): it counts for nothing until the
clerk confirms or refuses it, and never supersedes an accepted one.
"""

from __future__ import annotations

import hashlib
import json
import re
from functools import lru_cache
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding

from desktop.foundation.files import TooLarge, read_at_most
from desktop.foundation.messages import CchcError, msg
from desktop.store.records import Certificate
from desktop.submission.identity import (
    common_name,
    is_self_signed,
    issuer_name,
    signer_certificate,
    subject_identifiers,
)
from desktop.submission.package import MANIFEST_SIGNATURE
from desktop.submission.subjects import names_unit_by_subject
from desktop.submission.verify import read_archive

MAX_CERTIFICATE_BYTES = 64 * 1024
# The clerk types at least this many of the fingerprint's first hex digits (five groups read out):
# 80 bits, beyond grinding keys for a matching prefix (8 digits were 32 bits; 5 were matched in 13 s).
CONFIRM_DIGITS = 20


def fingerprint(sha256: str) -> str:
    """"3F2A 91BC …": the SHA-256 in groups of four, easy to read out over the telephone."""
    text = sha256.upper()
    return " ".join(text[i:i + 4] for i in range(0, len(text), 4))


def names_unit(identifiers: list[str], unit_code: str) -> bool:
    """Whether the subject's SERIALNUMBER is the unit's code (as in the certificates this app makes)."""
    return f"SERIALNUMBER={unit_code}" in identifiers


def certificate_record(der: bytes, unit_code: str, bound_by: str) -> dict:
    certificate = x509.load_der_x509_certificate(der)
    return {"sha256": hashlib.sha256(der).hexdigest(), "unit_code": unit_code, "subject": common_name(certificate),
            "issuer": issuer_name(certificate),
            "identifiers": json.dumps(subject_identifiers(certificate), ensure_ascii=False),
            "valid_from": certificate.not_valid_before_utc.isoformat(),
            "valid_to": certificate.not_valid_after_utc.isoformat(), "der": der, "bound_by": bound_by}


def read_certificate_file(path: Path) -> bytes:
    """The DER of a certificate file (.cer/.crt in DER or PEM); anything else is refused."""
    path = Path(path)
    try:
        data = read_at_most(path, MAX_CERTIFICATE_BYTES)
    except (OSError, TooLarge):
        raise CchcError("CERT015", file=path.name) from None
    try:
        certificate = (x509.load_pem_x509_certificate(data) if data.lstrip().startswith(b"-----BEGIN")
                       else x509.load_der_x509_certificate(data))
        return certificate.public_bytes(Encoding.DER)
    except ValueError:
        raise CchcError("CERT015", file=path.name) from None


def enrol(store, unit_code: str, der: bytes) -> Certificate:
    """The clerk registers a certificate the unit handed over."""
    store.units.get(unit_code)
    return store.certificates.add(certificate_record(der, unit_code, "enrolled"))


@lru_cache(maxsize=4096)
def _made_by_its_holder(sha256: str, der: bytes) -> bool:
    """Whether a registered certificate is self-signed: parsed once per certificate, not once per
    package received (a province receives a hundred packages against a hundred certificates)."""
    return is_self_signed(x509.load_der_x509_certificate(der))


@lru_cache(maxsize=4096)
def _certificate_of(sha256: str, der: bytes) -> x509.Certificate:
    return x509.load_der_x509_certificate(der)


@lru_cache(maxsize=4096)
def _issuer_of(sha256: str, der: bytes) -> str:
    """The issuer's whole distinguished name: two CAs may share a common name."""
    return x509.load_der_x509_certificate(der).issuer.rfc4514_string()


def _vouched_identifiers(store) -> dict[tuple[str, str], str]:
    """(issuer, identifier) → unit, of the registered certificates a CA issued (a self-signed
    certificate's identifiers are only its maker's claim): a renewed certificate from the same
    CA carrying one binds too. Per issuer: another CA may give the same UID to someone else."""
    return {(_issuer_of(c.sha256, c.der), i): c.unit_code for c in store.certificates.all()
            if not _made_by_its_holder(c.sha256, c.der) for i in json.loads(c.identifiers or "[]")}


UNIT_IDENTIFIERS = "unit_identifiers"  # settings key: unit code → ["MST:…", "MNS:…"] the register has for it
_IDENTIFIER = re.compile(r"^(MST|MNS):[0-9][0-9-]{5,19}$")


def unit_identifiers(store) -> dict[str, list[str]]:
    """The tax and budget codes (``MST:``, ``MNS:``) the receiving clerk recorded for its units:
    a public CA writes them in UID, so a certificate carrying one binds to its unit by itself."""
    return store.settings.get(UNIT_IDENTIFIERS, {}) or {}


def set_unit_identifier(store, unit_code: str, identifier: str) -> list[str]:
    """Record ``identifier`` ("MST:0101234567") for ``unit_code``; one unit's, never two's."""
    store.units.get(unit_code)
    identifier = identifier.strip().upper().replace(" ", "")
    if not _IDENTIFIER.fullmatch(identifier):
        raise CchcError("CERT026", identifier=identifier)
    known = unit_identifiers(store)
    owner = next((code for code, ids in known.items() if identifier in ids and code != unit_code), None)
    if owner is not None:
        raise CchcError("CERT027", identifier=identifier, unit=store.units.get(owner).name)
    known[unit_code] = sorted(set(known.get(unit_code, [])) | {identifier})
    store.settings.set(UNIT_IDENTIFIERS, known)
    return known[unit_code]


def _withdrawn(store, registered: Certificate, unit, shown: dict) -> str:
    return msg("CERT020", withdrawn_at=registered.withdrawn_at[:10], reason=registered.withdraw_reason or "",
               owner=store.units.get(registered.unit_code).name, **shown)


def hold_reason(store, unit, signer: dict, der: bytes | None) -> str | None:
    """Why a verified package of ``unit`` must wait for the clerk, or None when its certificate is
    bound to the unit (a trusted CA's certificate naming the unit is registered as it comes).
    A withdrawn certificate binds no more, by any path: only a new enrolment binds it again."""
    sha = signer["certificate_sha256"]
    shown = {"unit": unit.name, "subject": signer["subject"], "fingerprint": fingerprint(sha)}
    registered = store.certificates.get(sha)
    if registered is not None and registered.withdrawn_at is not None:
        return _withdrawn(store, registered, unit, shown)
    if registered is not None:
        if registered.unit_code == unit.code:
            return None
        return msg("CERT003", other=store.units.get(registered.unit_code).name, **shown)
    identifiers = signer.get("identifiers") or []
    current = store.certificates.all(unit.code)
    if signer.get("ca_verified") and der is not None:
        vouched = _vouched_identifiers(store)
        issuer = _issuer_of(sha, der)
        recorded = {f"UID={i}": code for code, ids in unit_identifiers(store).items() for i in ids}
        ours = (names_unit(identifiers, unit.code) or any(vouched.get((issuer, i)) == unit.code for i in identifiers)
                or any(recorded.get(i) == unit.code for i in identifiers)
                or names_unit_by_subject(_certificate_of(sha, der), store, unit))
        theirs_recorded = any(code != unit.code for i, code in recorded.items() if i in identifiers)
        theirs = theirs_recorded or any(code != unit.code for (_, i), code in vouched.items() if i in identifiers)
        if ours and not theirs:
            store.certificates.add(certificate_record(der, unit.code, "ca"))
            return None
        if not current:
            return msg("CERT004", identifiers=", ".join(identifiers) or "không có mã", **shown)
    if current:
        return msg("CERT002", registered=", ".join(f"“{c.subject}” {fingerprint(c.sha256)[:19]}…" for c in current),
                   **shown)
    return msg("CERT001", **shown)


def _held(store, submission_id: int):
    submission = store.submissions.get(submission_id)
    if submission.state != "held":
        raise CchcError("CERT011", submission=submission_id)
    return submission


def held_certificate(store, submission_id: int) -> bytes:
    """The certificate that signed a held package, read back from the package kept."""
    submission = _held(store, submission_id)
    members = read_archive(store.attachments.blob(submission.package_sha256))
    der = signer_certificate(members[MANIFEST_SIGNATURE], submission.certificate_sha256)
    if der is None:
        raise CchcError("CERT010", submission=submission_id)
    return der


def check_read_out(certificate_sha256: str, typed: str) -> None:
    """The fingerprint digits the clerk typed, as the signer's body read them out: enough of them
    (CERT019), and those of this certificate (CERT014)."""
    wanted = re.sub(r"[^0-9a-f]", "", typed.lower())
    if len(wanted) < CONFIRM_DIGITS:
        raise CchcError("CERT019", digits=CONFIRM_DIGITS)
    if not certificate_sha256.startswith(wanted):
        raise CchcError("CERT014", typed=typed, fingerprint=fingerprint(certificate_sha256)[:19] + "…")


def one_held(rows: list[dict], prefix: str, code: str, **params) -> dict:
    """The one held record (a receipt, a form set) whose SHA-256 starts with ``prefix`` (at least
    8 characters); else ``code`` with ``params``."""
    prefix = prefix.strip().lower()
    found = [r for r in rows if r["sha256"].startswith(prefix)] if len(prefix) >= 8 else []
    if len(found) != 1:
        raise CchcError(code, **params)
    return found[0]


def confirm(store, submission_id: int, typed: str) -> str:
    """The clerk confirms a held package's signer, having compared its fingerprint with the unit
    (``typed``: at least its first digits). The certificate is registered for the unit and the
    package accepted like any other. Returns the package's state after."""
    submission = _held(store, submission_id)
    check_read_out(submission.certificate_sha256, typed)
    der = held_certificate(store, submission_id)
    with store.transaction():
        registered = store.certificates.get(submission.certificate_sha256)
        if registered is not None and registered.withdrawn_at is not None:  # a confirmation never undoes it
            raise CchcError("CERT021", withdrawn_at=registered.withdrawn_at[:10])
        if registered is None or registered.unit_code != submission.unit_code:
            store.certificates.add(certificate_record(der, submission.unit_code, "confirmed"))
        return store.submissions.decide_held(submission_id, True)


def refuse(store, submission_id: int, reason: str) -> str:
    _held(store, submission_id)
    return store.submissions.decide_held(submission_id, False, reason)

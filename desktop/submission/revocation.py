"""Certificate revocation lists brought in by hand (issue 28 §1).

Offline, whether a CA has revoked a certificate cannot be known. A CA publishes its revocation
list (CRL) online, and an officer can download it on another machine and import it here
(`cchc import-crl FILE`). From then on, verification checks each signer that CA issued
against the list, and says the list's date. A signer the list revokes is refused, whatever
time the package claims it was signed: the signing time is the signer's own word, and a
stolen key's holder can backdate.

A list is taken only when it was issued by a trust anchor, shipped or added (its signature
checked), and only when it is not older than the one already kept for that CA.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import Encoding

from desktop.foundation.files import TooLarge, read_at_most
from desktop.foundation.messages import CchcError, msg, os_reason
from desktop.submission.anchors import trust_anchors

MAX_CRL_BYTES = 64 * 1024 * 1024  # a national CA's list runs to megabytes; a file larger is not one


def _signed_by(crl: x509.CertificateRevocationList, issuer: x509.Certificate) -> bool:
    key = issuer.public_key()
    if not isinstance(key, (rsa.RSAPublicKey, ec.EllipticCurvePublicKey)):
        return False
    try:
        return crl.is_signature_valid(key)
    except Exception:  # a malformed signature: not signed by it
        return False


def read_crl(path: Path, root_paths: list[str | Path] = ()) -> dict:
    """The record of a CRL file (DER or PEM) for ``store.revocation_lists``: refused unless a
    trust anchor signed it."""
    path = Path(path)
    try:
        data = read_at_most(path, MAX_CRL_BYTES)
    except TooLarge:
        raise CchcError("CRL001", file=path.name, reason=msg("CRL005", megabytes=MAX_CRL_BYTES // 2 ** 20)) from None
    except OSError as error:
        raise CchcError("CRL001", file=path.name, reason=os_reason(error)) from None
    try:
        crl = (x509.load_pem_x509_crl(data) if data.lstrip().startswith(b"-----BEGIN")
               else x509.load_der_x509_crl(data))
    except ValueError:
        raise CchcError("CRL001", file=path.name, reason=msg("CRL006")) from None
    der = crl.public_bytes(Encoding.DER)
    issuer = crl.issuer.rfc4514_string()
    signers = [a for a in trust_anchors(root_paths) if a.certificate.subject == crl.issuer]
    if not any(_signed_by(crl, anchor.certificate) for anchor in signers):
        raise CchcError("CRL002", file=path.name, issuer=issuer)
    this_update = crl.last_update_utc
    next_update = crl.next_update_utc
    return {"sha256": hashlib.sha256(der).hexdigest(), "issuer": issuer, "this_update": this_update.isoformat(),
            "next_update": next_update.isoformat() if next_update else None,
            "revoked": sum(1 for _ in crl), "der": der}


def import_crl(store, path: Path, root_paths: list[str | Path] = ()) -> dict:
    """Read, check and keep a CRL; returns its record (without the bytes)."""
    record = read_crl(path, root_paths)
    store.revocation_lists.add(record)
    return {k: v for k, v in record.items() if k != "der"}


@functools.lru_cache(maxsize=16)
def _parsed(sha256: str, der: bytes) -> x509.CertificateRevocationList:
    """A kept list, parsed once per process (a province checks a hundred packages against it)."""
    return x509.load_der_x509_crl(der)


def checked(certificate: x509.Certificate, lists: list[dict], now: dt.datetime | None = None) -> tuple[str, str | None]:
    """(what to say of the signer's revocation, the date of the kept list that revokes it, or
    None). Without a list of its issuer: "not checked (offline)", never "valid"."""
    issuer = certificate.issuer.rfc4514_string()
    for kept in lists:
        if kept["issuer"] != issuer:
            continue
        date = f"{dt.datetime.fromisoformat(kept['this_update']):%d/%m/%Y}"
        if _parsed(kept["sha256"], kept["der"]).get_revoked_certificate_by_serial_number(certificate.serial_number):
            return msg("SIG119", date=date), date
        next_update = dt.datetime.fromisoformat(kept["next_update"]) if kept["next_update"] else None
        if next_update and next_update < (now or dt.datetime.now(dt.timezone.utc)):
            return msg("SIG118", date=date, next=f"{next_update:%d/%m/%Y}"), None
        return msg("SIG117", date=date), None
    return msg("SIG116"), None

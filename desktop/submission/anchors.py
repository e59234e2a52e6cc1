"""Vietnam's trust anchors for document signatures, shipped with the app (issue 28 §1).

The public root and issuing CA certificates of the Ban Cơ yếu Chính phủ (RootCA chuyên dùng
Chính phủ G2, and CA phục vụ các cơ quan Nhà nước G2 under it) and of the Vietnam National Root
CA (with VNPT-CA SHA2 under it), in ``resources/trust-anchors/``, each pinned here by the SHA-256
of its DER: a file that does not match its pin is refused, never trusted. A province may add
its own (Thiết lập › Chứng thư gốc tin cậy). Revocation cannot be known offline: a signature
that chains to an anchor is "CA-verified", and its revocation stays "not checked (offline)"."""

from __future__ import annotations

import asyncio
import datetime as dt
import functools
import hashlib
from dataclasses import dataclass

from cryptography import x509
from cryptography.hazmat.primitives import serialization

from pathlib import Path

from desktop.foundation.messages import CchcError, msg, os_reason
from desktop.foundation.paths import resources_dir
from desktop.submission.identity import asn1_cert, is_certification_authority

FOLDER = "trust-anchors"
# file → SHA-256 of its DER, as the authorities publish them (../shared/reference/trust-anchors)
PINS = {
    "ban-co-yeu-rootca-g2.pem": "f04ba4b459a7c9a1b971ad9b1cb833e695a80c79aea63b174b66a70edfe2fdb8",
    "ban-co-yeu-ca-co-quan-nha-nuoc-g2.pem": "d8cab7a4aef92e6bb2509d7c61cee7b44f3731b2d21074963530277b366fae4b",
    "vietnam-national-root-ca.pem": "bac8bf609ab420a8ee1780d74f4de5c7f7184959d2a7375b0a75e4c29f0908e7",
    "vnpt-ca-sha2.pem": "7d6ba5245317f9ed5d8bc765a4634d26ac6340d36b9f584df3b52d9c4a81a306",
}
BUILT_IN, ADDED = "built-in", "added"


@dataclass(frozen=True)
class Anchor:
    certificate: x509.Certificate
    source: str  # BUILT_IN | ADDED

    @property
    def der(self) -> bytes:
        return self.certificate.public_bytes(serialization.Encoding.DER)

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.der).hexdigest()

    @property
    def subject(self) -> str:
        return self.certificate.subject.rfc4514_string()

    @property
    def valid_to(self) -> dt.datetime:
        return self.certificate.not_valid_after_utc

    def to_json(self) -> dict:
        return {"subject": self.subject, "sha256": self.sha256, "valid_to": self.valid_to.date().isoformat(),
                "source": self.source}


@functools.cache
def built_in() -> tuple[Anchor, ...]:
    """The shipped anchors, each checked against its pin (read once per process)."""
    folder = resources_dir() / FOLDER
    anchors = []
    for name, pin in PINS.items():
        try:
            certificate = x509.load_pem_x509_certificate((folder / name).read_bytes())
        except (OSError, ValueError):
            raise CchcError("TRUST001", file=name) from None
        anchor = Anchor(certificate, BUILT_IN)
        if anchor.sha256 != pin:
            raise CchcError("TRUST002", file=name, found=anchor.sha256[:16], pinned=pin[:16])
        anchors.append(anchor)
    return tuple(anchors)


def added(paths: list[str | Path]) -> list[Anchor]:
    """The CA certificates a province added (PEM or DER files, or folders of them)."""
    anchors = []
    for path in paths:
        path = Path(path)
        files = sorted(p for p in path.iterdir() if p.is_file()) if path.is_dir() else [path]
        for file in files:
            try:
                data = file.read_bytes()
                certs = x509.load_pem_x509_certificates(data) if b"-----BEGIN" in data \
                    else [x509.load_der_x509_certificate(data)]
            except (OSError, ValueError) as error:
                raise CchcError("SIGN003", file=file.name, reason=os_reason(error) if isinstance(error, OSError) else
                                "không phải chứng thư số") from None
            for certificate in certs:
                if not is_certification_authority(certificate):  # a signer's own certificate vouches for nobody
                    raise CchcError("SIGN003", file=file.name, reason=msg("SIG107"))
            anchors += [Anchor(c, ADDED) for c in certs]
    return anchors


def trust_anchors(paths: list[str | Path]) -> list[Anchor]:
    """Every anchor a verification trusts: the shipped ones, then those added."""
    return [*built_in(), *added(paths)]


def signing_check(certificate: x509.Certificate, chain: list[x509.Certificate], paths: list[str | Path],
                  moment: dt.datetime) -> dict:
    """Before signing (Nghị định 23/2025): whether ``certificate`` has a path, offline, to an
    anchor (the shipped ones and those added at ``paths``) at ``moment``, and the path. Its
    revocation cannot be known offline, and is said so. Goes into the package's manifest."""
    # pyHanko's path validator loads when a certificate is checked, not when anchors are listed
    from pyhanko_certvalidator import CertificateValidator, ValidationContext
    from pyhanko_certvalidator.errors import PathError, ValidationError

    context = ValidationContext(trust_roots=[asn1_cert(a.certificate) for a in trust_anchors(paths)],
                                other_certs=[asn1_cert(c) for c in chain], allow_fetching=False,
                                revocation_mode="soft-fail", moment=moment)
    said = {"checked_at": moment.isoformat(), "ca_verified": False, "path": [], "revocation": msg("SIG116")}
    try:
        path = asyncio.run(CertificateValidator(asn1_cert(certificate), validation_context=context)
                           .async_validate_usage(set()))
    except (PathError, ValidationError):  # no path to an anchor, a self-made certificate, one out of force
        return said
    said.update(ca_verified=True, path=[c.subject.native.get("common_name") or c.subject.human_friendly for c in path])
    return said


def said_of_check(check: dict) -> str:
    """A signing check (``signing_check``'s result) as the clerk reads it: CA-verified with its
    path and what is known of its revocation, or plainly not."""
    if check["ca_verified"]:
        return msg("TRUST004", path=" → ".join(check["path"]), revocation=check["revocation"])
    return msg("TRUST005")

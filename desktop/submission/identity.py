"""Who signs: a PKCS#12 file, a PKCS#11 token, or a certificate the unit makes itself.

An ``Identity`` wraps a pyHanko ``Signer`` (used for both the PDF and the
manifest) with the certificate it signs with.  Private keys stay where they
are: inside the passphrase-protected PKCS#12 file, or on the token.  A key this
module creates is written only inside a PKCS#12 file encrypted with the
passphrase the clerk chose.  Passphrases and PINs are arguments, never stored,
never part of a message or a log line.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from pathlib import Path

from asn1crypto import cms
from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from pyhanko.sign import signers
from pyhanko.sign.general import get_pyca_cryptography_hash
from pyhanko_certvalidator.registry import SimpleCertificateStore

from desktop.foundation.messages import CchcError, os_reason
from desktop.submission import NOT_CA_VERIFIED

SELF_SIGNED_OU = f"Chứng thư tự tạo - {NOT_CA_VERIFIED}"
MIN_PASSPHRASE = 8
MAX_P12_BYTES = 1024 * 1024


@dataclass
class Identity:
    signer: object  # pyhanko.sign.signers.Signer
    certificate: x509.Certificate
    chain: list[x509.Certificate]
    source: str  # "p12" | "pkcs11"
    _session: object = None

    @property
    def subject(self) -> str:
        return common_name(self.certificate)

    @property
    def cert_sha256(self) -> str:
        return hashlib.sha256(self.certificate.public_bytes(serialization.Encoding.DER)).hexdigest()

    def close(self) -> None:
        if self._session is not None:
            self._session.close()
            self._session = None

    def __enter__(self) -> "Identity":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def common_name(certificate: x509.Certificate) -> str:
    names = certificate.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    return str(names[0].value) if names else certificate.subject.rfc4514_string()


def issuer_name(certificate: x509.Certificate) -> str:
    names = certificate.issuer.get_attributes_for_oid(NameOID.COMMON_NAME)
    return str(names[0].value) if names else certificate.issuer.rfc4514_string()


# The subject fields that carry an identifier rather than a name. Vietnamese CAs write the
# holder's identifiers in UID as "MST:…" (tax code), "CMND:…"/"CCCD:…" (a person), "MNS:…" (budget
# unit code); the certificates this app makes, and a unit's CA certificate that names its unit
# code, use SERIAL_NUMBER. Names (CN, O) are not identifiers: two communes may share a name.
IDENTIFIER_FIELDS = {NameOID.SERIAL_NUMBER: "SERIALNUMBER", NameOID.USER_ID: "UID"}


def subject_identifiers(certificate: x509.Certificate) -> list[str]:
    """"SERIALNUMBER=22732.cu", "UID=MST:0101234567": each identifier of the subject, as written."""
    found = []
    for oid, label in IDENTIFIER_FIELDS.items():
        found += [f"{label}={attribute.value}" for attribute in certificate.subject.get_attributes_for_oid(oid)]
    return found


def signer_certificate(p7s: bytes, sha256: str) -> bytes | None:
    """The DER of the certificate with this SHA-256 among those a CMS signature carries."""
    for choice in cms.ContentInfo.load(p7s)["content"]["certificates"] or []:
        if choice.name == "certificate" and choice.chosen.sha256.hex() == sha256:
            return choice.chosen.dump()
    return None


def is_self_signed(certificate: x509.Certificate) -> bool:
    return certificate.issuer == certificate.subject


# The extended key usages that allow signing a document: e-mail protection (how Vietnamese CAs
# issue personal and organisation certificates), document signing (RFC 9336), Adobe's and
# Microsoft's document signing, and any purpose.
DOCUMENT_SIGNING_USAGES = {
    "1.3.6.1.5.5.7.3.4", "1.3.6.1.5.5.7.3.36", "1.2.840.113583.1.1.5", "1.3.6.1.4.1.311.10.3.12", "2.5.29.37.0",
}


def document_signing_problem(certificate: x509.Certificate) -> str | None:
    """Why a certificate may not sign a document, or None: its key usage, if stated, must allow a
    digital signature or non-repudiation; its extended key usage, if stated, document signing (a
    web server's or a program's certificate signs no report)."""
    try:
        usage = certificate.extensions.get_extension_for_class(x509.KeyUsage).value
        if not (usage.digital_signature or usage.content_commitment):
            return "keyUsage"
    except x509.ExtensionNotFound:
        pass
    try:
        purposes = certificate.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
        if not {oid.dotted_string for oid in purposes} & DOCUMENT_SIGNING_USAGES:
            return "extendedKeyUsage"
    except x509.ExtensionNotFound:
        pass
    return None


def is_certification_authority(certificate: x509.Certificate) -> bool:
    """basicConstraints CA=true: only such a certificate can be a trust root."""
    try:
        return certificate.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    except x509.ExtensionNotFound:
        return False


def asn1_cert(certificate: x509.Certificate) -> asn1_x509.Certificate:
    return asn1_x509.Certificate.load(certificate.public_bytes(serialization.Encoding.DER))


class _KeptKeySigner(signers.SimpleSigner):
    """pyHanko's SimpleSigner loads its key from DER at every signature, and cryptography checks an
    RSA key each time it is loaded (some 40 ms; a package takes three signatures). This one signs
    PKCS#1 v1.5, what the CAs' certificates use, with the key loaded once from the .p12; any other
    mechanism goes through pyHanko's own path."""

    def __init__(self, *args, loaded_key, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._loaded_key = loaded_key

    def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
        mechanism = self.get_signature_mechanism_for_digest(digest_algorithm)
        if mechanism.signature_algo == "rsassa_pkcs1v15" and isinstance(self._loaded_key, rsa.RSAPrivateKey):
            return self._loaded_key.sign(data, padding.PKCS1v15(), get_pyca_cryptography_hash(digest_algorithm))
        return super().sign_raw(data, digest_algorithm)


def _secret(passphrase: str | bytes) -> bytes:
    return passphrase.encode("utf-8") if isinstance(passphrase, str) else passphrase


# --- PKCS#12 ------------------------------------------------------------------------


def load_p12(data: bytes, passphrase: str | bytes, name: str = "chứng thư") -> Identity:
    """A signer from the bytes of a .p12/.pfx file and its passphrase."""
    if len(data) > MAX_P12_BYTES:
        raise CchcError("SIGN001", file=name)
    try:
        key, certificate, others = pkcs12.load_key_and_certificates(data, _secret(passphrase))
    except (ValueError, TypeError):
        # cryptography says the same for a wrong passphrase and a file that is not PKCS#12
        raise CchcError("SIGN001", file=name) from None
    if key is None or certificate is None:
        raise CchcError("SIGN002", file=name)
    key_der = key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption())  # in memory only, for pyHanko
    chain = list(others or [])
    signer = _KeptKeySigner(
        signing_cert=asn1_cert(certificate),
        signing_key=asn1_keys.PrivateKeyInfo.load(key_der),
        cert_registry=SimpleCertificateStore.from_certs([asn1_cert(c) for c in chain]),
        loaded_key=key,
    )
    return Identity(signer, certificate, chain, "p12")


def read_p12(path: Path, passphrase: str | bytes) -> Identity:
    try:
        data = Path(path).read_bytes()
    except OSError as error:
        raise CchcError("SIGN003", file=Path(path).name, reason=os_reason(error)) from None
    return load_p12(data, passphrase, Path(path).name)


def create_self_signed(unit_code: str, unit_name: str, passphrase: str | bytes, *, years: int = 3,
                       now: dt.datetime | None = None) -> bytes:
    """A new key and self-signed certificate for a unit without a CA certificate, as the bytes of a
    PKCS#12 file encrypted with ``passphrase`` (the key exists unencrypted nowhere else)."""
    secret = _secret(passphrase)
    if len(secret) < MIN_PASSPHRASE:
        raise CchcError("SIGN004", minimum=MIN_PASSPHRASE)
    now = now or dt.datetime.now(dt.timezone.utc)
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([
        x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, unit_name[:64]),
        x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, SELF_SIGNED_OU[:64]),
        x509.NameAttribute(NameOID.SERIAL_NUMBER, unit_code[:64]),
        x509.NameAttribute(NameOID.COMMON_NAME, unit_name[:64]),
    ])
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name).issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=365 * years))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=True, key_encipherment=False,
                                     data_encipherment=False, key_agreement=False, key_cert_sign=False,
                                     crl_sign=False, encipher_only=False, decipher_only=False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    return pkcs12.serialize_key_and_certificates(
        unit_name.encode("utf-8"), key, certificate, None, serialization.BestAvailableEncryption(secret))


# --- PKCS#11 tokens -------------------------------------------------------------------


def open_token(library: str | Path, pin: str, *, token_label: str | None = None,
               key_label: str | None = None) -> Identity:
    """A signer on a USB token through its PKCS#11 library (``cryptoki.dll``, ``libsofthsm2.so`` …).

    The first token, or the one labelled ``token_label``; the key labelled ``key_label``, or the
    token's only key with a certificate."""
    import pkcs11
    from pkcs11 import Attribute, ObjectClass
    from pyhanko.config.pkcs11 import TokenCriteria
    from pyhanko.sign.pkcs11 import PKCS11Signer, open_pkcs11_session

    library = str(library)
    if not Path(library).is_file():
        raise CchcError("SIGN005", library=library)
    try:
        session = open_pkcs11_session(
            library, token_criteria=TokenCriteria(label=token_label) if token_label else None,
            slot_no=None if token_label else 0, user_pin=pin)
    except pkcs11.exceptions.PinIncorrect:
        raise CchcError("SIGN007") from None
    except pkcs11.exceptions.PinLocked:
        raise CchcError("SIGN008") from None
    except Exception as error:  # python-pkcs11's and pyHanko's errors, a library that fails to load
        raise CchcError("SIGN006", library=library, reason=str(error)[:160] or type(error).__name__) from None
    try:
        certificates = []
        for obj in session.get_objects({Attribute.CLASS: ObjectClass.CERTIFICATE}):
            label = obj[Attribute.LABEL]
            if key_label is None or label == key_label:
                certificates.append((label, x509.load_der_x509_certificate(obj[Attribute.VALUE])))
        if not certificates:
            raise CchcError("SIGN009", label=key_label or "")
        label, certificate = certificates[0]
        signer = PKCS11Signer(session, cert_label=label, key_label=label)
    except CchcError:
        session.close()
        raise
    except pkcs11.PKCS11Error as error:
        session.close()
        raise CchcError("SIGN006", library=library, reason=type(error).__name__) from None
    return Identity(signer, certificate, [], "pkcs11", session)

"""The USB tokens on this machine, found without typing a library's path (issue 28 §4).

Vietnam's CAs install a PKCS#11 module with their token's driver, under names of their own,
in Windows' System32 (64-bit modules) and SysWOW64 (32-bit ones, which a 64-bit program cannot
load: they are tried and reported like any module that fails). ``discover`` loads each module
found, lists its tokens and the certificates on them (public objects, read without the PIN),
and reports a module that fails without stopping at it. ``CCHC_PKCS11_FOLDERS`` (folders
separated by ``os.pathsep``) adds folders to look in, for a middleware that installs
elsewhere.

A token reached only through the Windows certificate store (CryptoAPI / CNG, with no PKCS#11
module) is not found here: docs/package.md says what to do then.
"""

from __future__ import annotations

import datetime as dt
import fnmatch
import hashlib
import logging
import os
from dataclasses import dataclass, field
from pathlib import Path

from cryptography import x509

from desktop.foundation.messages import CchcError, msg
from desktop.submission.identity import common_name, issuer_name

# (who installs it, the module's file name as installed; * stands for a version)
KNOWN_MODULES: tuple[tuple[str, str], ...] = (
    ("VNPT-CA", "vnpt-ca_csp11.dll"),
    ("VNPT-CA", "vnptca_p11_v6.dll"),
    ("VNPT-CA", "vnptca_p11_v8.dll"),
    ("Viettel-CA", "viettel-ca_v*.dll"),
    ("BkavCA", "BkavCA.dll"),
    ("BkavCA", "bkavca_p11.dll"),
    ("FPT-CA", "fpt-ca.dll"),
    ("FPT-CA", "fptca_v3.dll"),
    ("Ban Cơ yếu Chính phủ (bit4id)", "bit4xpki.dll"),
    ("Feitian (ePass)", "ShuttleCsp11_3003.dll"),
    ("Feitian (ePass2003)", "eps2003csp11.dll"),
    ("SafeNet eToken", "eTPKCS11.dll"),
)

FOLDERS_VARIABLE = "CCHC_PKCS11_FOLDERS"
_log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Module:
    vendor: str
    path: Path


@dataclass
class TokenCertificate:
    label: str
    subject: str
    issuer: str
    valid_from: dt.datetime
    valid_to: dt.datetime
    sha256: str

    def in_force(self, now: dt.datetime | None = None) -> bool:
        now = now or dt.datetime.now(dt.timezone.utc)
        return self.valid_from <= now <= self.valid_to


@dataclass
class FoundToken:
    module: Module
    label: str
    serial: str
    manufacturer: str
    certificates: list[TokenCertificate] = field(default_factory=list)


@dataclass
class ModuleProblem:
    module: Module
    message: str  # Vietnamese, for the clerk


def system_folders() -> list[Path]:
    """Where Windows keeps the modules the CAs install; on other systems none (a typed path
    stays possible there)."""
    if os.name != "nt":
        return []
    root = Path(os.environ.get("SystemRoot", r"C:\Windows"))
    return [root / "System32", root / "SysWOW64"]


def search_folders() -> list[Path]:
    extra = [Path(p) for p in os.environ.get(FOLDERS_VARIABLE, "").split(os.pathsep) if p.strip()]
    return system_folders() + extra


def find_modules(folders: list[Path] | None = None) -> list[Module]:
    """The known modules present in ``folders`` (the system's and ``CCHC_PKCS11_FOLDERS``),
    names compared without case as Windows compares them."""
    found = []
    for folder in search_folders() if folders is None else folders:
        try:
            names = sorted(entry.name for entry in os.scandir(folder) if entry.is_file())
        except OSError:
            continue  # a folder that is not there is not a problem: most machines lack most
        for vendor, pattern in KNOWN_MODULES:
            for name in names:
                if fnmatch.fnmatch(name.lower(), pattern.lower()):
                    found.append(Module(vendor, Path(folder) / name))
    return found


def _certificates(session) -> list[TokenCertificate]:
    from pkcs11 import Attribute, ObjectClass

    out = []
    for obj in session.get_objects({Attribute.CLASS: ObjectClass.CERTIFICATE}):
        try:
            der = bytes(obj[Attribute.VALUE])
            certificate = x509.load_der_x509_certificate(der)
        except Exception:  # an object the token holds that is no X.509 certificate: not one to sign with
            continue
        out.append(TokenCertificate(str(obj[Attribute.LABEL]), common_name(certificate), issuer_name(certificate),
                                    certificate.not_valid_before_utc, certificate.not_valid_after_utc,
                                    hashlib.sha256(der).hexdigest()))
    return out


def read_module(module: Module) -> list[FoundToken]:
    """The tokens plugged in through ``module`` with their certificates; raises ``OSError``
    or python-pkcs11's errors when the module cannot be loaded or read."""
    import pkcs11

    library = pkcs11.lib(str(module.path))
    tokens = []
    for slot in library.get_slots(token_present=True):
        try:
            token = slot.get_token()
            with token.open() as session:  # a public session: certificates are readable without the PIN
                certificates = _certificates(session)
        except (pkcs11.exceptions.TokenNotRecognised, pkcs11.exceptions.TokenNotPresent,
                pkcs11.exceptions.DeviceRemoved):
            continue  # an empty or uninitialised slot (SoftHSM keeps one free) holds nothing to sign with
        tokens.append(FoundToken(module, token.label.strip(), (token.serial or b"").decode("ascii", "replace").strip(),
                                 token.manufacturer_id.strip(), certificates))
    return tokens


def discover(folders: list[Path] | None = None) -> tuple[list[FoundToken], list[ModuleProblem]]:
    """Every token reachable through a known module, and each module that could not be read
    (a 32-bit module, a broken install), named in Vietnamese; one module's failure never stops
    the others."""
    tokens, problems = [], []
    for module in find_modules(folders):
        try:
            tokens += read_module(module)
        except Exception as error:  # the module is foreign code: any failure is its own, reported
            _log.warning("PKCS#11 module %s: %r", module.path, error)
            # python-pkcs11 reports a library the system cannot load as "OS exception while loading …"
            unloadable = isinstance(error, OSError) or str(error).startswith("OS exception")
            reason = "tệp không nạp được" if unloadable else "thư viện báo lỗi khi đọc thiết bị"
            problems.append(ModuleProblem(module, msg("SIGN012", vendor=module.vendor, library=module.path.name,
                                                      reason=reason)))
    return tokens, problems


def choose(tokens: list[FoundToken], *, token_label: str | None = None,
           key_label: str | None = None) -> tuple[FoundToken, TokenCertificate | None]:
    """The one certificate to sign with among those found, narrowed by the labels given:
    refused when there is none, or more than one and nothing says which. A token that shows
    no certificate before the PIN is a choice of its own (``None``: its only key, after login)."""
    choices = [(token, certificate) for token in tokens for certificate in (token.certificates or [None])
               if (token_label is None or token.label == token_label)
               and (key_label is None or certificate is not None and certificate.label == key_label)]
    if not choices:
        raise CchcError("SIGN013")
    if len(choices) > 1:
        raise CchcError("SIGN014", count=len(choices), choices="; ".join(
            f"--token-label “{t.label}”" + (f" --key-label “{c.label}”: {c.subject}" if c else "") for t, c in choices))
    return choices[0]

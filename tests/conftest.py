"""What every test job shares: one Hypothesis profile for all property tests.

No deadline: on a loaded 2-core machine a slow example is not a failure, and a flaky
deadline hid real findings behind noise. Examples stay random (a fresh run may find what
no earlier run did); a failing example found once is kept in its test with @example.
"""

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

settings.register_profile("cchc", deadline=None, suppress_health_check=[HealthCheck.too_slow], print_blob=True)
settings.load_profile("cchc")


@pytest.fixture(autouse=True)
def _received_forms_here(tmp_path_factory, monkeypatch):
    """The form sets a test receives are installed in a folder of its own, never the user's."""
    monkeypatch.setenv("CCHC_RECEIVED_FORMS_DIR", str(tmp_path_factory.mktemp("bo-bieu-mau-nhan")))


# --- a USB token, as SoftHSM2 (Debian package softhsm2) stands in for one ---------------------

LIBRARY = Path("/usr/lib/softhsm/libsofthsm2.so")
PIN = "246810"


class SoftToken:
    """A token made for one test: its PKCS#11 library (a copy of SoftHSM2's), label and PIN."""

    def __init__(self, library: Path) -> None:
        self.library, self.label, self.pin = library, "cchc-test", PIN


@pytest.fixture
def token(tmp_path, monkeypatch) -> SoftToken:
    """A token as a CA issues it: one key, sensitive and not extractable, and its certificate,
    public (listed before the PIN). CI installs SoftHSM2 and sets CCHC_REQUIRE_SOFTHSM=1, so
    there a missing library fails instead of skipping."""
    if not LIBRARY.exists() or not shutil.which("softhsm2-util"):
        if os.environ.get("CCHC_REQUIRE_SOFTHSM"):
            pytest.fail("SoftHSM2 is required here (apt-get install softhsm2)")
        pytest.skip("SoftHSM2 is not installed")
    import pkcs11
    from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat, pkcs12
    from pkcs11 import Attribute
    from pkcs11.util.rsa import decode_rsa_private_key
    from pkcs11.util.x509 import decode_x509_certificate

    from desktop.submission.identity import create_self_signed

    # a copy of the library per test: a loaded SoftHSM keeps the configuration it started with,
    # and each test's token lives in a folder of its own
    library = tmp_path / "libsofthsm2.so"
    shutil.copy(LIBRARY, library)
    (tmp_path / "tokens").mkdir()
    config = tmp_path / "softhsm2.conf"
    config.write_text(f"directories.tokendir = {tmp_path / 'tokens'}\nobjectstore.backend = file\n")
    monkeypatch.setenv("SOFTHSM2_CONF", str(config))
    subprocess.run(["softhsm2-util", "--init-token", "--free", "--label", "cchc-test", "--pin", PIN,
                    "--so-pin", "13579111"], check=True, capture_output=True)
    # what a CA does when it issues a token: the key goes in, marked sensitive and not extractable
    key, certificate, _ = pkcs12.load_key_and_certificates(
        create_self_signed("H1.X1", "Ủy ban nhân dân xã Token", "mat-khau-thu"), b"mat-khau-thu")
    with pkcs11.lib(str(library)).get_token(token_label="cchc-test").open(rw=True, user_pin=PIN) as session:
        private = decode_rsa_private_key(key.private_bytes(Encoding.DER, PrivateFormat.TraditionalOpenSSL,
                                                           NoEncryption()))
        private.update({Attribute.TOKEN: True, Attribute.LABEL: "chu-ky", Attribute.ID: b"\x01",
                        Attribute.SENSITIVE: True, Attribute.EXTRACTABLE: False})
        session.create_object(private)
        cert = decode_x509_certificate(certificate.public_bytes(Encoding.DER))
        # public, as a CA's tokens keep their certificates: listed before the PIN is typed
        cert.update({Attribute.TOKEN: True, Attribute.LABEL: "chu-ky", Attribute.ID: b"\x01", Attribute.PRIVATE: False})
        session.create_object(cert)
    return SoftToken(library)

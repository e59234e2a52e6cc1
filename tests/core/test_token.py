"""Signing with a PKCS#11 token, against SoftHSM2 (Debian package softhsm2).

CI installs SoftHSM2 and sets CCHC_REQUIRE_SOFTHSM=1, so there a missing library fails
instead of skipping."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from desktop.foundation.messages import CchcError
from desktop.submission.identity import create_self_signed, open_token

LIBRARY = Path("/usr/lib/softhsm/libsofthsm2.so")
PIN = "246810"


@pytest.fixture
def token(tmp_path, monkeypatch):
    if not LIBRARY.exists() or not shutil.which("softhsm2-util"):
        if os.environ.get("CCHC_REQUIRE_SOFTHSM"):
            pytest.fail("SoftHSM2 is required here (apt-get install softhsm2)")
        pytest.skip("SoftHSM2 is not installed")
    import pkcs11
    from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat, pkcs12
    from pkcs11 import Attribute
    from pkcs11.util.rsa import decode_rsa_private_key
    from pkcs11.util.x509 import decode_x509_certificate

    (tmp_path / "tokens").mkdir()
    config = tmp_path / "softhsm2.conf"
    config.write_text(f"directories.tokendir = {tmp_path / 'tokens'}\nobjectstore.backend = file\n")
    monkeypatch.setenv("SOFTHSM2_CONF", str(config))
    subprocess.run(["softhsm2-util", "--init-token", "--free", "--label", "cchc-test", "--pin", PIN,
                    "--so-pin", "13579111"], check=True, capture_output=True)
    # what a CA does when it issues a token: the key goes in, marked sensitive and not extractable
    key, certificate, _ = pkcs12.load_key_and_certificates(
        create_self_signed("H1.X1", "Ủy ban nhân dân xã Token", "mat-khau-thu"), b"mat-khau-thu")
    with pkcs11.lib(str(LIBRARY)).get_token(token_label="cchc-test").open(rw=True, user_pin=PIN) as session:
        private = decode_rsa_private_key(key.private_bytes(Encoding.DER, PrivateFormat.TraditionalOpenSSL,
                                                           NoEncryption()))
        private.update({Attribute.TOKEN: True, Attribute.LABEL: "chu-ky", Attribute.ID: b"\x01",
                        Attribute.SENSITIVE: True, Attribute.EXTRACTABLE: False})
        session.create_object(private)
        cert = decode_x509_certificate(certificate.public_bytes(Encoding.DER))
        cert.update({Attribute.TOKEN: True, Attribute.LABEL: "chu-ky", Attribute.ID: b"\x01"})
        session.create_object(cert)
    return LIBRARY


def test_sign_with_a_token_then_verify(token, store, real_catalog, tmp_path):
    from desktop.app.demo import COMMUNE_FORM_SET, commune_transcripts, transcript_document, unit_tree
    from desktop.exchange.interchange import import_report
    from desktop.submission.package import sign_report
    from desktop.submission.verify import verify_bytes
    from desktop.submission.workflow import mark_checked

    transcript = next(t for t in commune_transcripts() if t["unit"] == "22732.cu")
    assert transcript["form_set"] == COMMUNE_FORM_SET
    report = import_report(store, real_catalog, transcript_document(transcript, unit_tree(), real_catalog, "x"))
    store.reports.update(report, signer_name="Nguyễn Văn A", doc_number="01/BC-UBND", doc_date="2019-12-10")
    mark_checked(store, real_catalog, report, acknowledge_warnings=True)
    with open_token(token, PIN, token_label="cchc-test") as identity:
        assert identity.source == "pkcs11" and identity.subject == "Ủy ban nhân dân xã Token"
        signed = sign_report(store, real_catalog, report, identity, tmp_path)
    verdict = verify_bytes(Path(signed.filename).read_bytes(), "goi", real_catalog)
    assert verdict.valid, verdict.problems
    assert verdict.signer["subject"] == "Ủy ban nhân dân xã Token"
    assert store.reports.get(report).status == "da_ky"


def test_a_wrong_pin_is_a_message_without_the_pin(token):
    with pytest.raises(CchcError) as refused:
        open_token(token, "000000", token_label="cchc-test")
    assert refused.value.code == "SIGN007" and "000000" not in str(refused.value)


def test_no_such_token_or_library(token, tmp_path):
    with pytest.raises(CchcError) as missing:
        open_token(token, PIN, token_label="khong-co")
    assert missing.value.code == "SIGN006"
    with pytest.raises(CchcError) as no_library:
        open_token(tmp_path / "cryptoki.dll", PIN)
    assert no_library.value.code == "SIGN005"

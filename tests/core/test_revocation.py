"""A revocation list brought in by hand (issue 28 §1): imported when a trusted CA signed it, then
every signer that CA issued is checked against it, offline; a revoked signer's package is
refused whatever time it claims, and the list's date is said."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import Encoding, pkcs12

from conftest import cli, new_report
from desktop.foundation.messages import CchcError
from desktop.submission.consolidate import consolidate
from desktop.submission.revocation import import_crl
from desktop.submission.verify import load_trust_roots, verify_file
from test_signers import Authority, package
from test_signing import PASS, forms  # noqa: F401  (forms: a fixture)

NOW = dt.datetime.now(dt.timezone.utc)


@pytest.fixture(scope="module")
def ca(tmp_path_factory):
    return Authority(tmp_path_factory.mktemp("ca"), "CA Thử nghiệm thu hồi")


def _serial(p12: bytes) -> int:
    return pkcs12.load_key_and_certificates(p12, PASS.encode())[1].serial_number


def _crl(path, issuer: Authority, revoked: list[int], *, key=None, issued=NOW - dt.timedelta(hours=1),
         next_update=NOW + dt.timedelta(days=7), pem=False):
    builder = (x509.CertificateRevocationListBuilder().issuer_name(issuer.certificate.subject)
               .last_update(issued).next_update(next_update))
    for serial in revoked:
        builder = builder.add_revoked_certificate(
            x509.RevokedCertificateBuilder().serial_number(serial).revocation_date(NOW - dt.timedelta(minutes=30)).build())
    crl = builder.sign(key or issuer.key, hashes.SHA256())
    path.write_bytes(crl.public_bytes(Encoding.PEM if pem else Encoding.DER))
    return path


def test_a_revoked_signer_is_refused_and_the_others_say_the_lists_date(store, forms, tmp_path, ca):
    stolen, kept = ca.issue("UBND xã H1.X1", serial_number="H1.X1"), ca.issue("UBND xã H1.X2", serial_number="H1.X2")
    signed_stolen = package(tmp_path, forms, stolen, unit="H1.X1")
    signed_kept = package(tmp_path, forms, kept, unit="H1.X2")
    roots = load_trust_roots([ca.root])
    # no list: CA-verified, its revocation not known
    assert verify_file(signed_stolen, forms, roots).signer["revocation"] == "chưa kiểm tra được thu hồi (ngoại tuyến)"
    record = import_crl(store, _crl(tmp_path / "ca.crl", ca, [_serial(stolen)]), [ca.root])
    assert record["revoked"] == 1 and record["issuer"] == ca.certificate.subject.rfc4514_string()
    lists = store.revocation_lists.all(with_der=True)
    refused = verify_file(signed_stolen, forms, roots, crls=lists)
    assert not refused.valid and "đã bị CA thu hồi theo danh sách thu hồi ngày" in refused.message
    assert f"{NOW - dt.timedelta(hours=1):%d/%m/%Y}" in refused.message
    accepted = verify_file(signed_kept, forms, roots, crls=lists)
    assert accepted.valid and accepted.signer["revocation"].startswith("đã đối chiếu danh sách thu hồi (CRL) ngày")
    # the province's consolidation checks against the same list: the revoked signer's package counts for nothing
    district = new_report(store, "huyen", communes=2)
    result = consolidate(store, forms, district, [signed_stolen, signed_kept], root_paths=[str(ca.root)])
    assert [r.status for r in result.received] == ["rejected", "accepted"]
    assert "thu hồi" in result.received[0].message


def test_a_list_not_signed_by_a_trusted_ca_or_not_a_list_is_refused_and_nothing_kept(store, tmp_path, ca):
    forged = _crl(tmp_path / "gia.crl", ca, [], key=rsa.generate_private_key(public_exponent=65537, key_size=2048))
    with pytest.raises(CchcError) as refused:
        import_crl(store, forged, [ca.root])
    assert refused.value.code == "CRL002"
    with pytest.raises(CchcError) as unknown_ca:  # the CA's own list, but its CA not among the anchors
        import_crl(store, _crl(tmp_path / "ca.crl", ca, []))
    assert unknown_ca.value.code == "CRL002"
    (tmp_path / "rac.crl").write_bytes(b"\x30\x82 not a list")
    with pytest.raises(CchcError) as junk:
        import_crl(store, tmp_path / "rac.crl", [ca.root])
    assert junk.value.code == "CRL001" and "không phải danh sách thu hồi" in str(junk.value)
    assert store.revocation_lists.all() == []


def test_an_older_list_never_replaces_a_newer_one(store, tmp_path, ca):
    import_crl(store, _crl(tmp_path / "moi.crl", ca, [7], pem=True), [ca.root])
    with pytest.raises(CchcError) as older:
        import_crl(store, _crl(tmp_path / "cu.crl", ca, [], issued=NOW - dt.timedelta(days=30)), [ca.root])
    assert older.value.code == "CRL004"
    assert [k["revoked"] for k in store.revocation_lists.all()] == [1]


def test_a_stale_list_is_still_used_and_said_stale(forms, tmp_path, ca):
    stale = _crl(tmp_path / "cu.crl", ca, [], issued=NOW - dt.timedelta(days=40), next_update=NOW - dt.timedelta(days=10))
    signed = package(tmp_path, forms, ca.issue("UBND xã H1.X1", serial_number="H1.X1"))
    code, out = cli("--forms", str(tmp_path / "forms"), "verify", str(signed), "--json", "--trust-root", str(ca.root),
                    "--crl", str(stale))
    said = json.loads(out)["signer"]["revocation"]
    assert code == 0 and "đã quá hạn cập nhật" in said


def test_cli_import_and_list(tmp_path, ca):
    db = str(tmp_path / "tinh.db")
    code, out = cli("--db", db, "import-crl", str(_crl(tmp_path / "ca.crl", ca, [1, 2, 3])), "--trust-root", str(ca.root))
    assert code == 0 and "3 chứng thư bị thu hồi" in out
    code, out = cli("--db", db, "--json", "crls")
    [listed] = json.loads(out)
    assert listed["revoked"] == 3 and set(listed) >= {"issuer", "this_update", "next_update", "imported_at"}
    assert "der" not in listed

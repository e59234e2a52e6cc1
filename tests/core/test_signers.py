"""Who may sign for a unit: the receiving unit's register of its children's certificates.

A package proves who signed it; the register says whether that signer may speak for the unit the
package names. Each test is one attack of the hostile review (issue 17 §1) or the clerk's way
out of a held package.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import BestAvailableEncryption, Encoding, pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from conftest import cli, new_report
from desktop.foundation.messages import CchcError
from desktop.store.db import Store
from desktop.submission.consolidate import consolidate
from desktop.submission.identity import load_p12
from desktop.submission.package import sign_report
from desktop.submission.register import confirm, fingerprint, refuse
from desktop.submission.workflow import mark_checked, unlock
from test_signing import PASS, commune_report, enrol_signer, forms, p12_of  # noqa: F401  (forms: a fixture)

NOW = dt.datetime.now(dt.timezone.utc)


def _key():
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


class Authority:
    """A certification authority of the kind clerks' certificates come from (VNPT-CA, Viettel-CA…)."""

    def __init__(self, folder: Path, name: str = "CA Thử nghiệm") -> None:
        self.key = _key()
        subject = x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
                             x509.NameAttribute(NameOID.COMMON_NAME, name)])
        self.certificate = (
            x509.CertificateBuilder().subject_name(subject).issuer_name(subject)
            .public_key(self.key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(NOW - dt.timedelta(days=1)).not_valid_after(NOW + dt.timedelta(days=3650))
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(x509.KeyUsage(digital_signature=False, content_commitment=False, key_encipherment=False,
                                         data_encipherment=False, key_agreement=False, key_cert_sign=True,
                                         crl_sign=True, encipher_only=False, decipher_only=False), critical=True)
            .sign(self.key, hashes.SHA256()))
        self.root = folder / f"goc-{abs(hash(name))}.pem"
        self.root.write_bytes(self.certificate.public_bytes(Encoding.PEM))

    def issue(self, name: str, *, serial_number: str | None = None, uid: str | None = None,
              purposes: list | None = None, signs: bool = True) -> bytes:
        """A holder's .p12 (key, certificate, this CA's certificate), its subject as Vietnamese CAs write it."""
        key = _key()
        attributes = [x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"), x509.NameAttribute(NameOID.COMMON_NAME, name)]
        if serial_number:
            attributes.append(x509.NameAttribute(NameOID.SERIAL_NUMBER, serial_number))
        if uid:
            attributes.append(x509.NameAttribute(NameOID.USER_ID, uid))
        certificate = (
            x509.CertificateBuilder().subject_name(x509.Name(attributes)).issuer_name(self.certificate.subject)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(NOW - dt.timedelta(hours=1)).not_valid_after(NOW + dt.timedelta(days=365))
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(digital_signature=signs, content_commitment=signs, key_encipherment=True,
                                         data_encipherment=False, key_agreement=False, key_cert_sign=False,
                                         crl_sign=False, encipher_only=False, decipher_only=False), critical=True))
        if purposes:
            certificate = certificate.add_extension(x509.ExtendedKeyUsage(purposes), critical=False)
        certificate = certificate.sign(self.key, hashes.SHA256())
        return pkcs12.serialize_key_and_certificates(name.encode(), key, certificate, [self.certificate],
                                                     BestAvailableEncryption(PASS.encode()))


@pytest.fixture(scope="module")
def ca(tmp_path_factory):
    return Authority(tmp_path_factory.mktemp("ca"))


def package(tmp_path: Path, catalog, p12: bytes, unit: str = "H1.X1", *, figures=(10, 2, 8, 9),
            versions: int = 1, folder: str | None = None) -> Path:
    """``unit``'s report signed with ``p12`` (at version ``versions``), as one package file."""
    with Store.open(tmp_path / f"{unit}-{len(list(tmp_path.glob('*.db')))}.db") as commune, load_p12(p12, PASS) as identity:
        report = commune_report(commune, catalog, code=unit, figures=figures)
        for _ in range(versions - 1):
            mark_checked(commune, catalog, report, acknowledge_warnings=True)
            sign_report(commune, catalog, report, identity, tmp_path / "cu")
            unlock(commune, report, "Báo cáo lại")
        mark_checked(commune, catalog, report, acknowledge_warnings=True)
        return Path(sign_report(commune, catalog, report, identity, tmp_path / (folder or f"goi-{unit}")).filename)


def test_a_trusted_root_makes_the_signer_ca_verified(forms, tmp_path, ca):
    from desktop.submission.verify import load_trust_roots, verify_file

    signed = package(tmp_path, forms, ca.issue("UBND xã H1.X1", serial_number="H1.X1"))
    verdict = verify_file(signed, forms, load_trust_roots([ca.root]))
    assert verdict.valid and verdict.signer["ca_verified"]
    strict = verify_file(signed, forms, require_trust=True)
    assert not strict.valid and "không được CA xác thực" in strict.message


def test_a_signers_own_certificate_is_not_a_trust_root(forms, tmp_path, ca):
    """A certificate with basicConstraints CA=false (a clerk's own) once made its packages
    CA-verified when named as a trust root."""
    from desktop.submission.verify import load_trust_roots

    with load_p12(ca.issue("UBND xã H1.X1", serial_number="H1.X1"), PASS) as identity:
        (tmp_path / "la.pem").write_bytes(identity.certificate.public_bytes(Encoding.PEM))
    with load_p12(p12_of("H1.X1"), PASS) as identity:  # self-made: no basicConstraints at all
        (tmp_path / "tu-tao.pem").write_bytes(identity.certificate.public_bytes(Encoding.PEM))
    for leaf in ("la.pem", "tu-tao.pem"):
        with pytest.raises(CchcError) as refused:
            load_trust_roots([tmp_path / leaf])
        assert refused.value.code == "SIGN003" and "không làm gốc tin cậy" in str(refused.value)
    assert load_trust_roots([ca.root])


@pytest.mark.parametrize("purposes, signs, refused", [
    ([ExtendedKeyUsageOID.SERVER_AUTH], True, "extendedKeyUsage"),
    ([ExtendedKeyUsageOID.CLIENT_AUTH], True, "extendedKeyUsage"),
    ([ExtendedKeyUsageOID.CODE_SIGNING], True, "extendedKeyUsage"),
    (None, False, "keyUsage"),
    ([ExtendedKeyUsageOID.CLIENT_AUTH, ExtendedKeyUsageOID.EMAIL_PROTECTION], True, None),
    (None, True, None),
])
def test_only_a_certificate_for_signing_documents_signs_a_package(forms, tmp_path, ca, purposes, signs, refused,
                                                                  monkeypatch):
    """A web server's, a program's or an encryption-only certificate from a trusted CA was accepted
    as a CA-verified signer. The app refuses to sign with one (SIGN015, test_signing_check.py); the
    receiver refuses it too, as another program may have signed."""
    from desktop.submission import package as packaging
    from desktop.submission.verify import load_trust_roots, verify_file

    monkeypatch.setattr(packaging, "document_signing_problem", lambda certificate: None)  # another program
    signed = package(tmp_path, forms, ca.issue("UBND xã H1.X1", serial_number="H1.X1", purposes=purposes,
                                               signs=signs))
    verdict = verify_file(signed, forms, load_trust_roots([ca.root]))
    if refused:
        assert not verdict.valid and "không dùng để ký văn bản" in verdict.message and refused in verdict.message
    else:
        assert verdict.valid and verdict.signer["ca_verified"]


def _district(store) -> int:
    return new_report(store, "huyen", communes=2)


def _row(store, report, unit="H1.X1") -> dict:
    return store.cells.get(report).get("TH", {}).get(f"unit:{unit}", {})


def test_a_forged_certificate_never_replaces_the_genuine_submission(store, forms, tmp_path):
    district = _district(store)
    enrol_signer(store, "H1.X1", p12_of("H1.X1"))
    genuine = package(tmp_path, forms, p12_of("H1.X1"))
    assert [r.status for r in consolidate(store, forms, district, [genuine]).received] == ["accepted"]
    # anyone can make a certificate that says H1.X1 ("cchc new-certificate --unit H1.X1") and sign a later version
    from desktop.submission.identity import create_self_signed

    forged = package(tmp_path, forms, create_self_signed("H1.X1", "Ủy ban nhân dân xã H1.X1", PASS),
                     figures=(4010, 2, 4008, 9), versions=3)
    [result] = consolidate(store, forms, district, [forged]).received
    assert result.status == "held" and "người ký đã thay đổi" in result.message
    assert _row(store, district)["moi"] == "8"  # the genuine figures stay
    [current] = store.submissions.all(["H1.X1"], current_only=True)
    assert current.report_version == 1
    states = {u["code"]: u["cells"]["năm 2020"]["state"]
              for u in consolidate(store, forms, district, []).matrix["units"]}
    assert states["H1.X1"] == "late"  # the accepted package still counts; the held one waits beside it


def test_a_first_package_from_an_unknown_signer_waits_until_the_clerk_confirms_it(store, forms, tmp_path):
    district = _district(store)
    first = package(tmp_path, forms, p12_of("H1.X1"))
    result = consolidate(store, forms, district, [first])
    [received] = result.received
    assert received.status == "held" and "Chờ xác nhận chứng thư" in received.message
    sha = store.submissions.all(state="held")[0].certificate_sha256
    assert fingerprint(sha)[:19] in received.message  # read out over the telephone
    assert _row(store, district) == {} and store.submissions.all(["H1.X1"]) == []
    cell = next(u for u in result.matrix["units"] if u["code"] == "H1.X1")["cells"]["năm 2020"]
    assert cell["state"] == "held" and cell["label"] == "Chờ xác nhận chứng thư"
    held = cell["submission"]

    with pytest.raises(CchcError) as short:
        confirm(store, held, fingerprint(sha)[:23])  # 19 digits: under five groups
    assert short.value.code == "CERT019"
    with pytest.raises(CchcError) as wrong:
        confirm(store, held, "0000 0000 0000 0000 0000")
    assert wrong.value.code == "CERT014"
    assert store.submissions.all(state="held") and not store.certificates.all()  # nothing changed

    assert confirm(store, held, fingerprint(sha)[:24]) == "accepted"
    [registered] = store.certificates.all("H1.X1")
    assert registered.bound_by == "confirmed" and registered.sha256 == sha
    consolidate(store, forms, district, [])  # the report refilled from what is now accepted
    assert _row(store, district)["moi"] == "8"
    # the same signer's next version is accepted at once
    second = package(tmp_path, forms, p12_of("H1.X1"), figures=(11, 2, 9, 9), versions=2, folder="v2")
    assert [r.status for r in consolidate(store, forms, district, [second]).received] == ["accepted"]
    assert _row(store, district)["moi"] == "9"


def test_a_held_package_can_be_refused_and_is_kept(store, forms, tmp_path):
    district = _district(store)
    consolidate(store, forms, district, [package(tmp_path, forms, p12_of("H1.X1"))])
    [held] = store.submissions.all(state="held")
    assert refuse(store, held.id, "Xã không gửi gói này") == "refused"
    assert store.submissions.all(state="refused")[0].package_sha256 == held.package_sha256
    with pytest.raises(CchcError) as again:
        confirm(store, held.id, held.certificate_sha256)
    assert again.value.code == "CERT011"
    assert _row(store, district) == {}


def test_one_communes_ca_certificate_cannot_sign_for_another(store, forms, tmp_path, ca):
    district = _district(store)
    x1 = ca.issue("UBND xã H1.X1", serial_number="H1.X1")
    roots = [str(ca.root)]
    # its own unit: a trusted CA names the unit in the subject, so the certificate binds by itself
    own = consolidate(store, forms, district, [package(tmp_path, forms, x1)], root_paths=roots)
    assert [r.status for r in own.received] == ["accepted"]
    assert [c.bound_by for c in store.certificates.all("H1.X1")] == ["ca"]
    # the same CA certificate signing a package that says it is H1.X2: held, even with trust required
    other = consolidate(store, forms, district, [package(tmp_path, forms, x1, unit="H1.X2")], root_paths=roots,
                        require_trust=True)
    [received] = other.received
    assert received.status == "held" and "đã đăng ký cho Xã 1, nay ký gói xưng là của Xã 2" in received.message
    assert _row(store, district, "H1.X2") == {}
    assert store.submissions.all(["H1.X2"]) == []


def test_a_ca_certificate_naming_another_unit_is_held_before_any_registration(store, forms, tmp_path, ca):
    district = _district(store)
    x1 = ca.issue("UBND xã H1.X1", serial_number="H1.X1")
    [received] = consolidate(store, forms, district, [package(tmp_path, forms, x1, unit="H1.X2")],
                             root_paths=[str(ca.root)]).received
    assert received.status == "held" and "(SERIALNUMBER=H1.X1) không ghi mã của Xã 2" in received.message


def test_a_renewed_ca_certificate_binds_by_the_identifier_the_clerk_confirmed(store, forms, tmp_path, ca):
    """CA certificates name the holder by tax code (UID "MST:…"), not by our unit code: the first is
    confirmed by the clerk; the next year's, from a trusted CA with the same identifier, binds."""
    district = _district(store)
    roots = [str(ca.root)]
    first = ca.issue("UBND xã H1.X1", uid="MST:4201234567")
    [held] = consolidate(store, forms, district, [package(tmp_path, forms, first)], root_paths=roots).received
    assert held.status == "held"
    submission = store.submissions.all(state="held")[0]
    confirm(store, submission.id, submission.certificate_sha256)
    renewed = ca.issue("UBND xã H1.X1", uid="MST:4201234567")
    result = consolidate(store, forms, district, [package(tmp_path, forms, renewed, versions=2, folder="v2")],
                         root_paths=roots)
    assert [r.status for r in result.received] == ["accepted"]
    assert sorted(c.bound_by for c in store.certificates.all("H1.X1")) == ["ca", "confirmed"]
    # the identifier is H1.X1's: a CA certificate carrying it cannot bind to another unit
    stolen = ca.issue("UBND xã H1.X1", uid="MST:4201234567")
    [other] = consolidate(store, forms, district, [package(tmp_path, forms, stolen, unit="H1.X2")],
                          root_paths=roots).received
    assert other.status == "held"


def test_with_trusted_roots_configured_only_ca_verified_packages_are_accepted_by_default(store, forms, tmp_path, ca):
    district = _district(store)
    enrol_signer(store, "H1.X1", p12_of("H1.X1"))
    own_made = package(tmp_path, forms, p12_of("H1.X1"))
    [refused] = consolidate(store, forms, district, [own_made], root_paths=[str(ca.root)]).received
    assert refused.status == "rejected" and "không thuộc danh sách gốc tin cậy" in refused.message
    # the receiving unit may choose otherwise, in its settings
    from desktop.foundation.settings import load_settings, save_settings

    settings = load_settings(store)
    settings["signing"]["accept_untrusted"] = True
    save_settings(store, settings)
    [accepted] = consolidate(store, forms, district, [own_made], root_paths=[str(ca.root)]).received
    assert accepted.status == "accepted"


def test_an_untrusted_version_never_replaces_a_ca_verified_one(store, forms, tmp_path, ca):
    district = _district(store)
    roots = [str(ca.root)]
    trusted = ca.issue("UBND xã H1.X1", serial_number="H1.X1")
    consolidate(store, forms, district, [package(tmp_path, forms, trusted)], root_paths=roots)
    enrol_signer(store, "H1.X1", p12_of("H1.X1"))  # the commune's own certificate is registered too
    later = package(tmp_path, forms, p12_of("H1.X1"), figures=(510, 2, 508, 9), versions=2, folder="v2")
    [received] = consolidate(store, forms, district, [later], root_paths=roots, require_trust=False).received
    assert received.status == "superseded" and "không thay thế phiên bản 1" in received.message
    assert _row(store, district)["moi"] == "8"
    [current] = store.submissions.all(["H1.X1"], current_only=True)
    assert (current.report_version, current.ca_verified) == (1, 1)
    assert len(store.submissions.all(["H1.X1"])) == 2  # the untrusted one is kept, as history


def test_a_certificate_signs_for_one_unit_and_a_withdrawn_one_signs_for_none(store, forms, tmp_path):
    district = _district(store)
    enrol_signer(store, "H1.X1", p12_of("H1.X1"))
    with pytest.raises(CchcError) as twice:
        enrol_signer(store, "H1.X2", p12_of("H1.X1"))
    assert twice.value.code == "CERT012"
    [registered] = store.certificates.all("H1.X1")
    store.certificates.withdraw(registered.sha256, "Mất thiết bị ký")
    [received] = consolidate(store, forms, district, [package(tmp_path, forms, p12_of("H1.X1"))]).received
    assert received.status == "held"
    assert store.certificates.all(withdrawn=True)[0].withdraw_reason == "Mất thiết bị ký"


def test_cli_register_held_confirm(tmp_path, forms, capsys):
    db = tmp_path / "huyen.db"
    with Store.open(db) as store:
        district = _district(store)
    forms_dir = str(tmp_path / "forms")
    first = package(tmp_path, forms, p12_of("H1.X1"))
    code, out = cli("--db", str(db), "--forms", forms_dir, "consolidate", "--report", str(district), str(first))
    assert code == 1 and "Chờ xác nhận chứng thư" in out
    code, out = cli("--db", str(db), "held", "--json")
    import json

    [held] = json.loads(out)
    assert held["unit"] == "H1.X1" and held["fingerprint"].count(" ") == 15
    code, out = cli("--db", str(db), "--forms", forms_dir, "confirm", "--submission", str(held["submission"]),
                    "--fingerprint", "ffff0000" * 3, "--report", str(district))
    assert code != 0 and "không khớp" in capsys.readouterr().err
    code, out = cli("--db", str(db), "--forms", forms_dir, "confirm", "--submission", str(held["submission"]),
                    "--fingerprint", held["fingerprint"][:24], "--report", str(district))
    assert code == 0 and "Đã xác nhận" in out
    with Store.open(db) as store:
        assert store.cells.get(district)["TH"]["unit:H1.X1"]["moi"] == "8"
    # a certificate file the other commune handed over
    with load_p12(p12_of("H1.X2"), PASS) as identity:
        (tmp_path / "x2.cer").write_bytes(identity.certificate.public_bytes(Encoding.PEM))
    code, out = cli("--db", str(db), "enrol-certificate", "--unit", "H1.X2", str(tmp_path / "x2.cer"))
    assert code == 0 and "Đã đăng ký chứng thư" in out
    (tmp_path / "khoa.p12").write_bytes(p12_of("H1.X2"))
    code, out = cli("--db", str(db), "enrol-certificate", "--unit", "H1.X2", str(tmp_path / "khoa.p12"))
    assert code != 0 and "không có khóa bí mật" in capsys.readouterr().err
    code, out = cli("--db", str(db), "certificates", "--json")
    assert sorted(c["bound_by"] for c in json.loads(out)) == ["confirmed", "enrolled"]


def test_packages_received_before_the_register_stay_accepted(tmp_path):
    """A database of schema 5 held accepted packages and no register: after the upgrade they stay
    accepted and current."""
    import sqlite_utils

    from desktop.store import migrations

    path = tmp_path / "cu.db"
    db = sqlite_utils.Database(path)
    migrations.migrate(db, 0, 5)
    db["blobs"].insert({"sha256": "ab" * 32, "size": 3, "data": b"goi"})
    db["submissions"].insert({"unit_code": "H1.X1", "period_type": "nam", "year": 2020, "form_set_id": "xa",
                              "form_set_version": 1, "report_version": 1, "signed_at": "2021-01-05T08:00:00+07:00",
                              "signer": "x", "ca_verified": 0, "package_sha256": "ab" * 32,
                              "received_at": "2021-01-06T08:00:00", "document": "{}"})
    db.conn.close()
    with Store.open(path) as store:
        [kept] = store.submissions.all(current_only=True)
        assert (kept.state, kept.certificate_sha256) == ("accepted", None)
        assert store.certificates.all() == []


# --- withdrawals (issue 27) -------------------------------------------------------------------


def _sha(p12: bytes) -> str:
    import hashlib

    with load_p12(p12, PASS) as identity:
        return hashlib.sha256(identity.certificate.public_bytes(Encoding.DER)).hexdigest()


def test_a_withdrawn_ca_certificate_never_binds_again_by_itself(store, forms, tmp_path, ca):
    """Its subject names the unit, so it was registered again silently on its next package."""
    district = _district(store)
    roots = [str(ca.root)]
    lost = ca.issue("UBND xã H1.X1", serial_number="H1.X1")
    assert [r.status for r in consolidate(store, forms, district, [package(tmp_path, forms, lost)],
                                          root_paths=roots).received] == ["accepted"]
    store.certificates.withdraw(_sha(lost), "Mất thiết bị ký")
    [again] = consolidate(store, forms, district, [package(tmp_path, forms, lost, versions=2, folder="v2")],
                          root_paths=roots).received
    assert again.status == "held" and "đã bị thu hồi" in again.message and "Mất thiết bị ký" in again.message
    assert store.certificates.get(_sha(lost)).withdrawn_at is not None


def test_confirming_a_withdrawn_certificates_package_never_erases_the_withdrawal(store, forms, tmp_path):
    district = _district(store)
    enrol_signer(store, "H1.X1", p12_of("H1.X1"))
    store.certificates.withdraw(_sha(p12_of("H1.X1")), "Người ký đã nghỉ việc")
    [held] = consolidate(store, forms, district, [package(tmp_path, forms, p12_of("H1.X1"))]).received
    assert held.status == "held" and "đã bị thu hồi" in held.message  # not "lần đầu nhận gói"
    submission = store.submissions.all(state="held")[0]
    with pytest.raises(CchcError) as refused:
        confirm(store, submission.id, submission.certificate_sha256)
    assert refused.value.code == "CERT021"
    assert store.certificates.get(submission.certificate_sha256).withdraw_reason == "Người ký đã nghỉ việc"
    assert _row(store, district) == {}
    # only a new enrolment binds it again, and the audit says it was withdrawn before
    enrol_signer(store, "H1.X1", p12_of("H1.X1"))
    assert store.certificates.get(submission.certificate_sha256).withdrawn_at is None
    assert any("đăng ký lại sau khi thu hồi" in (e.new or "") for e in store.audit.entries())


def test_a_withdrawn_keys_packages_can_be_set_aside_and_the_new_key_supersedes(store, forms, tmp_path):
    """A package the lost key signed as version 100000 stayed current for ever: the unit's new key
    could not supersede it, and refuse answered CERT011."""
    import datetime as dt

    district = _district(store)
    old, new = p12_of("H1.X1"), p12_of("H1.X1-moi")
    enrol_signer(store, "H1.X1", old)
    genuine = package(tmp_path, forms, old, figures=(10, 2, 8, 9))
    stolen = package(tmp_path, forms, old, figures=(9999, 1, 9998, 9), versions=3, folder="v3")
    consolidate(store, forms, district, [genuine, stolen])
    assert _row(store, district)["moi"] == "9998"
    assert store.certificates.withdraw(_sha(old), "Mất thiết bị ký",
                                      set_aside_from=dt.datetime.now().astimezone() - dt.timedelta(minutes=5)) == 2
    assert store.submissions.all(["H1.X1"], current_only=True) == []  # both signed after that time
    assert {s.state for s in store.submissions.all(["H1.X1"], state=None)} == {"refused"}  # kept, not counted
    enrol_signer(store, "H1.X1", new)
    result = consolidate(store, forms, district, [package(tmp_path, forms, new, figures=(12, 2, 10, 9),
                                                          folder="moi")])
    assert [r.status for r in result.received] == ["accepted"]
    assert _row(store, district)["moi"] == "10"


def test_a_version_from_the_units_new_key_supersedes_the_withdrawn_keys_higher_one(store, forms, tmp_path):
    district = _district(store)
    old, new = p12_of("H1.X1"), p12_of("H1.X1-moi")
    enrol_signer(store, "H1.X1", old)
    consolidate(store, forms, district, [package(tmp_path, forms, old, figures=(9999, 1, 9998, 9), versions=3)])
    store.certificates.withdraw(_sha(old), "Mất thiết bị ký")  # nothing set aside: it ranks below now
    enrol_signer(store, "H1.X1", new)
    [received] = consolidate(store, forms, district, [package(tmp_path, forms, new, folder="moi")]).received
    assert received.status == "accepted" and _row(store, district)["moi"] == "8"


def test_cli_withdraw_with_a_set_aside_date(tmp_path, forms):
    import datetime as dt
    import json

    db = tmp_path / "huyen.db"
    with Store.open(db) as store:
        district = _district(store)
        enrol_signer(store, "H1.X1", p12_of("H1.X1"))
    forms_dir = str(tmp_path / "forms")
    first = package(tmp_path, forms, p12_of("H1.X1"))
    assert cli("--db", str(db), "--forms", forms_dir, "consolidate", "--report", str(district), str(first))[0] == 0
    today = dt.date.today().strftime("%d/%m/%Y")
    code, out = cli("--db", str(db), "withdraw-certificate", "--fingerprint", _sha(p12_of("H1.X1")),
                    "--reason", "Mất thiết bị ký", "--set-aside-from", today, "--json")
    assert code == 0 and json.loads(out)["set_aside"] == 1


def test_an_identifier_confirmed_for_one_cas_certificate_binds_nothing_from_another_ca(store, forms, tmp_path, ca):
    """UID "MST:…" confirmed for a certificate of CA 1 bound a certificate of CA 2 to the same unit."""
    district = _district(store)
    other_ca = Authority(tmp_path, "CA Khác")
    roots = [str(ca.root), str(other_ca.root)]
    first = ca.issue("UBND xã H1.X1", uid="MST:4201234567")
    consolidate(store, forms, district, [package(tmp_path, forms, first)], root_paths=roots)
    submission = store.submissions.all(state="held")[0]
    confirm(store, submission.id, submission.certificate_sha256)
    from_elsewhere = other_ca.issue("UBND xã H1.X1", uid="MST:4201234567")
    [received] = consolidate(store, forms, district, [package(tmp_path, forms, from_elsewhere, versions=2,
                                                              folder="khac")], root_paths=roots).received
    assert received.status == "held"
    renewed = ca.issue("UBND xã H1.X1", uid="MST:4201234567")  # the same CA's renewal still binds
    [ok] = consolidate(store, forms, district, [package(tmp_path, forms, renewed, versions=2, folder="gia-han")],
                       root_paths=roots).received
    assert ok.status == "accepted"


def test_a_p12_key_loaded_once_signs_exactly_as_pyhanko_would():
    """The .p12 signer keeps its key loaded (pyHanko reloads it per signature): PKCS#1 v1.5 is
    deterministic, so both give the same bytes for the same data and digest."""
    from pyhanko.sign import signers

    from desktop.submission.identity import create_self_signed

    with load_p12(create_self_signed("X1", "Xã Thử", PASS), PASS) as identity:
        kept = identity.signer
        plain = signers.SimpleSigner(signing_cert=kept.signing_cert, signing_key=kept.signing_key,
                                     cert_registry=kept.cert_registry)
        for digest in ("sha256", "sha512"):
            assert kept.sign_raw(b"bao cao", digest) == plain.sign_raw(b"bao cao", digest)


def test_a_public_cas_certificate_binds_by_the_tax_or_budget_code_the_register_has_for_the_unit(store, forms,
                                                                                               tmp_path, ca):
    """Issue 28 §1: public CAs write the holder's MST:/MNS: in UID; once the clerk has recorded the
    unit's code, the unit's first certificate from a trusted CA binds by itself, and no other
    unit's package can use that code."""
    from desktop.submission.register import set_unit_identifier

    district = _district(store)
    roots = [str(ca.root)]
    assert set_unit_identifier(store, "H1.X1", "mst:4201234567") == ["MST:4201234567"]
    with pytest.raises(CchcError) as taken:
        set_unit_identifier(store, "H1.X2", "MST:4201234567")
    assert taken.value.code == "CERT027"
    with pytest.raises(CchcError) as malformed:
        set_unit_identifier(store, "H1.X2", "CCCD:001234567890")  # a person's, not a unit's
    assert malformed.value.code == "CERT026"
    first = ca.issue("UBND xã H1.X1", uid="MST:4201234567")
    [received] = consolidate(store, forms, district, [package(tmp_path, forms, first)], root_paths=roots).received
    assert received.status == "accepted", received.message
    assert [c.bound_by for c in store.certificates.all("H1.X1")] == ["ca"]
    # the same code in a certificate for a package that says it is H1.X2: held
    other = ca.issue("UBND xã H1.X2", uid="MST:4201234567")
    [held] = consolidate(store, forms, district, [package(tmp_path, forms, other, unit="H1.X2")],
                         root_paths=roots).received
    assert held.status == "held"
    code, out = cli("--db", str(store.path), "unit-identifier", "--unit", "H1.X2", "MNS:1234567")
    assert code == 0 and "MNS:1234567" in out

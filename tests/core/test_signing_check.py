"""Before signing (issue 28 §2, part): the signer's certificate is checked offline for a path to a
trust anchor, and the result (the path, the time, revocation "not known offline") goes into the
package's manifest. The store's record of the signature says CA-verified only with such a path:
a certificate of an unknown CA is not "CA-verified" because it is not self-signed."""

from __future__ import annotations

import json
import zipfile

from desktop.store.db import Store
from desktop.submission.identity import create_self_signed, load_p12
from desktop.submission.package import sign_report
from desktop.submission.workflow import mark_checked
from test_signers import Authority
from test_signing import PASS, commune_report, forms  # noqa: F401  (forms: a fixture)


def _signed(store, catalog, tmp_path, p12: bytes) -> tuple[dict, bool]:
    report = commune_report(store, catalog)
    mark_checked(store, catalog, report, acknowledge_warnings=True)
    with load_p12(p12, PASS) as identity:
        signed = sign_report(store, catalog, report, identity, tmp_path / "goi")
    with zipfile.ZipFile(signed.filename) as archive:
        manifest = json.loads(archive.read("manifest.json"))
    return manifest["signer"]["check"], store.signatures.of(report)[-1].ca_verified


def test_a_certificate_with_a_path_to_an_added_root_is_ca_verified_before_signing(store, forms, tmp_path):
    from desktop.foundation.settings import load_settings, save_settings

    authority = Authority(tmp_path, "CA Thử của tỉnh")
    settings = load_settings(store)
    settings["signing"]["trusted_roots"] = [str(authority.root)]
    save_settings(store, settings)
    check, recorded = _signed(store, forms, tmp_path, authority.issue("Ủy ban nhân dân xã Thử", serial_number="H1.X1"))
    assert check["ca_verified"] and recorded
    assert check["path"] == ["CA Thử của tỉnh", "Ủy ban nhân dân xã Thử"]  # from the anchor to the signer
    assert check["revocation"] == "chưa kiểm tra được thu hồi (ngoại tuyến)" and check["checked_at"]


def test_a_certificate_of_an_unknown_ca_or_self_made_is_not_ca_verified(store, forms, tmp_path):
    unknown = Authority(tmp_path, "CA không ai biết")  # its root added nowhere
    check, recorded = _signed(store, forms, tmp_path, unknown.issue("Ủy ban nhân dân xã Thử", serial_number="H1.X1"))
    assert not check["ca_verified"] and not recorded and check["path"] == []
    own = create_self_signed("H1.X1", "Ủy ban nhân dân xã Thử", PASS)
    with Store.open(tmp_path / "tu-ky.db") as other:
        check, recorded = _signed(other, forms, tmp_path / "tu-ky", own)
    assert not check["ca_verified"] and not recorded


def test_verify_shows_the_signing_machines_check_beside_its_own(store, forms, tmp_path):
    """The check before signing goes into the package and shows in verify (issue 28 §2), beside
    the receiver's own finding, which alone decides."""
    from desktop.foundation.settings import load_settings, save_settings
    from desktop.submission.verify import load_trust_roots, sender_check, verify_file

    authority = Authority(tmp_path, "CA Thử của tỉnh")
    settings = load_settings(store)
    settings["signing"]["trusted_roots"] = [str(authority.root)]
    save_settings(store, settings)
    report = commune_report(store, forms)
    mark_checked(store, forms, report, acknowledge_warnings=True)
    with load_p12(authority.issue("Ủy ban nhân dân xã Thử", serial_number="H1.X1"), PASS) as identity:
        signed = sign_report(store, forms, report, identity, tmp_path / "goi")
    # the receiver trusts that CA too: both say CA-verified
    trusted = verify_file(signed.filename, forms, load_trust_roots([authority.root]))
    assert trusted.valid and trusted.trust.startswith("Chứng thư được CA xác thực, chưa kiểm tra được thu hồi")
    assert "Máy ký ghi đã kiểm tra chứng thư trước khi ký" in trusted.trust
    assert "(CA Thử của tỉnh → Ủy ban nhân dân xã Thử)" in trusted.trust
    assert trusted.to_json()["checked_before_signing"]["ca_verified"] is True
    # a receiver that does not: its own finding first; the signer's claim is only shown
    untrusted = verify_file(signed.filename, forms)
    assert untrusted.trust.startswith("Chứng thư: không được CA xác thực.")
    #   | signer.check as a manifest may carry it                     | read as  |
    for check in (None, "x", {"ca_verified": "yes", "path": [], "checked_at": "2020-01-01", "revocation": ""},
                  {"ca_verified": True, "path": [1], "checked_at": "2020-01-01", "revocation": ""},
                  {"ca_verified": True, "path": [], "checked_at": "hôm qua", "revocation": ""}):
        assert sender_check({"signer": {"check": check}}) is None, check


def test_a_certificate_not_for_signing_documents_is_refused_before_signing(store, forms, tmp_path):
    """Nghị định 23/2025: the key usage is checked before signing, not found out by the receiver."""
    from cryptography.x509.oid import ExtendedKeyUsageOID

    import pytest

    from desktop.foundation.messages import CchcError

    authority = Authority(tmp_path, "CA Thử của tỉnh")
    report = commune_report(store, forms)
    mark_checked(store, forms, report, acknowledge_warnings=True)
    for p12 in (authority.issue("Máy chủ web", purposes=[ExtendedKeyUsageOID.SERVER_AUTH]),
                authority.issue("Chỉ mã hóa", signs=False)):
        with load_p12(p12, PASS) as identity, pytest.raises(CchcError) as refused:
            sign_report(store, forms, report, identity, tmp_path / "goi")
        assert refused.value.code == "SIGN015" and "không dùng để ký văn bản" in str(refused.value)
    assert store.reports.get(report).status == "da_kiem_tra" and store.signatures.of(report) == []

"""Vietnam's trust anchors, shipped (issue 28 §1): the Ban Cơ yếu's root and issuing CA, the
national root and VNPT-CA SHA2 under it, each pinned; a changed file is refused, never trusted;
``cchc trust-anchors`` lists them beside those a province adds; a CA-verified signature says its
revocation could not be checked offline."""

from __future__ import annotations

import json
import shutil

import pytest

from conftest import REPO, cli
from desktop.foundation.messages import CchcError
from desktop.submission import anchors
from desktop.submission.anchors import PINS, built_in
from test_signers import Authority, package
from test_signing import forms  # noqa: F401  (a fixture)

SUBJECTS = {
    "ban-co-yeu-rootca-g2.pem": "CN=RootCA chuyên dùng Chính phủ G2,O=Ban Cơ yếu Chính phủ,C=VN",
    "ban-co-yeu-ca-co-quan-nha-nuoc-g2.pem": "CN=CA phục vụ các cơ quan Nhà nước G2,O=Ban Cơ yếu Chính phủ,C=VN",
    "vietnam-national-root-ca.pem": "CN=Vietnam National Root CA,OU=National Centre of Digital Signature "
                                    "Authentication,O=Ministry of Information and Communications,C=VN",
    "vnpt-ca-sha2.pem": "C=VN,O=VIETNAM POSTS AND TELECOMMUNICATIONS GROUP,CN=VNPT-CA SHA2",
}


def test_the_shipped_anchors_are_the_pinned_ones_and_chain_as_published():
    shipped = {a.subject: a for a in built_in()}
    assert sorted(p.name for p in (REPO / "resources" / anchors.FOLDER).iterdir()) == sorted(PINS)
    assert {name: shipped[subject].sha256 for name, subject in SUBJECTS.items()} == PINS
    by_name = {name: shipped[subject].certificate for name, subject in SUBJECTS.items()}
    # the issuing CA under the Ban Cơ yếu's root, VNPT-CA SHA2 under the national root (openssl verify holds)
    by_name["ban-co-yeu-ca-co-quan-nha-nuoc-g2.pem"].verify_directly_issued_by(by_name["ban-co-yeu-rootca-g2.pem"])
    by_name["vnpt-ca-sha2.pem"].verify_directly_issued_by(by_name["vietnam-national-root-ca.pem"])
    assert all(a.source == "built-in" for a in built_in())


def test_an_anchor_file_that_does_not_match_its_pin_is_refused(tmp_path, monkeypatch):
    copy = tmp_path / "resources"
    shutil.copytree(REPO / "resources" / anchors.FOLDER, copy / anchors.FOLDER)
    # a root swapped for another genuine-looking CA: same name, another key
    (copy / anchors.FOLDER / "vietnam-national-root-ca.pem").write_bytes(
        Authority(tmp_path, "Vietnam National Root CA").root.read_bytes())
    monkeypatch.setattr(anchors, "resources_dir", lambda: copy)
    built_in.cache_clear()
    try:
        with pytest.raises(CchcError) as refused:
            built_in()
        assert refused.value.code == "TRUST002" and "vietnam-national-root-ca.pem" in str(refused.value)
        (copy / anchors.FOLDER / "vnpt-ca-sha2.pem").unlink()
        with pytest.raises(CchcError) as missing:
            built_in()
        assert missing.value.code in ("TRUST001", "TRUST002")
    finally:
        built_in.cache_clear()


def test_cli_lists_the_built_in_anchors_and_those_added(tmp_path):
    added = Authority(tmp_path, "CA của Sở Nội vụ Thử")
    code, out = cli("--json", "trust-anchors", "--trust-root", str(added.root))
    listed = json.loads(out)
    assert code == 0 and [a["source"] for a in listed] == ["built-in"] * 4 + ["added"]
    assert set(listed[0]) == {"subject", "sha256", "valid_to", "source"}
    assert listed[0]["subject"] == SUBJECTS["ban-co-yeu-rootca-g2.pem"] and listed[0]["valid_to"] == "2048-08-14"
    assert "CN=CA của Sở Nội vụ Thử" in listed[-1]["subject"]
    code, out = cli("trust-anchors")
    assert code == 0 and "có sẵn" in out and "chưa kiểm tra được thu hồi" in out


def test_a_ca_verified_signature_says_its_revocation_was_not_checked_and_a_self_signed_one_is_not_verified(
        forms, tmp_path):
    from desktop.submission.identity import create_self_signed
    from test_signing import PASS

    authority = Authority(tmp_path)
    signed = package(tmp_path, forms, authority.issue("Ủy ban nhân dân xã Thử", serial_number="H1.X1"))
    shipped_forms = ["--forms", str(tmp_path / "forms")]  # the test's form sets (the forms fixture writes them)
    code, out = cli("--json", *shipped_forms, "verify", str(signed), "--trust-root", str(authority.root))
    verdict = json.loads(out)
    assert code == 0 and verdict["signer"]["ca_verified"]
    assert verdict["signer"]["revocation"] == "chưa kiểm tra được thu hồi (ngoại tuyến)"
    code, out = cli(*shipped_forms, "verify", str(signed), "--trust-root", str(authority.root))
    assert "Chứng thư được CA xác thực, chưa kiểm tra được thu hồi (ngoại tuyến)." in out
    own = package(tmp_path / "tu-ky", forms, create_self_signed("H1.X1", "Ủy ban nhân dân xã Thử", PASS))
    code, out = cli("--json", *shipped_forms, "verify", str(own))  # the shipped anchors vouch for no self-made one
    assert code == 0 and not json.loads(out)["signer"]["ca_verified"]

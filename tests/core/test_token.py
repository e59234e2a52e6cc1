"""Signing with a PKCS#11 token, against SoftHSM2 (the ``token`` fixture, tests/conftest.py)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from desktop.foundation.messages import CchcError
from desktop.store.db import Store
from desktop.submission.identity import open_token


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
    with open_token(token.library, token.pin, token_label=token.label) as identity:
        assert identity.source == "pkcs11" and identity.subject == "Ủy ban nhân dân xã Token"
        signed = sign_report(store, real_catalog, report, identity, tmp_path)
    verdict = verify_bytes(Path(signed.filename).read_bytes(), "goi", real_catalog)
    assert verdict.valid, verdict.problems
    assert verdict.signer["subject"] == "Ủy ban nhân dân xã Token"
    assert store.reports.get(report).status == "da_ky"


def test_a_wrong_pin_is_a_message_without_the_pin(token):
    with pytest.raises(CchcError) as refused:
        open_token(token.library, "000000", token_label=token.label)
    assert refused.value.code == "SIGN007" and "000000" not in str(refused.value)


def test_no_such_token_or_library(token, tmp_path):
    with pytest.raises(CchcError) as missing:
        open_token(token.library, token.pin, token_label="khong-co")
    assert missing.value.code == "SIGN006"
    with pytest.raises(CchcError) as no_library:
        open_token(tmp_path / "cryptoki.dll", token.pin)
    assert no_library.value.code == "SIGN005"


# --- tokens found without typing a path (issue 28 §4) -------------------------------------------


@pytest.fixture
def windows_folders(token, tmp_path):
    """A machine's System32 and SysWOW64 as the CAs' installers leave them: SoftHSM2 copied
    under VNPT-CA's and Viettel-CA's module names (the second in capitals, as Windows keeps
    names), a broken module under BkavCA's, and a library no CA installs."""
    system32, syswow64 = tmp_path / "Windows" / "System32", tmp_path / "Windows" / "SysWOW64"
    system32.mkdir(parents=True)
    syswow64.mkdir()
    shutil.copy(token.library, system32 / "vnptca_p11_v6.dll")
    shutil.copy(token.library, system32 / "VIETTEL-CA_V5.DLL")
    shutil.copy(token.library, system32 / "kernel32.dll")
    (syswow64 / "BkavCA.dll").write_bytes(b"MZ\x90\x00 not a library for this machine")
    return [system32, syswow64, tmp_path / "Windows" / "NoSuchFolder"]


def test_the_modules_the_cas_install_are_found_by_name_and_nothing_else(windows_folders):
    from desktop.submission.tokens import find_modules

    found = {(m.vendor, m.path.name) for m in find_modules(windows_folders)}
    assert found == {("VNPT-CA", "vnptca_p11_v6.dll"), ("Viettel-CA", "VIETTEL-CA_V5.DLL"), ("BkavCA", "BkavCA.dll")}


def test_discovery_lists_each_token_and_its_certificates_and_names_a_module_that_fails(windows_folders):
    from desktop.submission.tokens import discover

    tokens, problems = discover(windows_folders)
    assert sorted(t.module.vendor for t in tokens) == ["VNPT-CA", "Viettel-CA"]  # the same token, two modules
    token = tokens[0]
    assert token.label == "cchc-test" and token.manufacturer == "SoftHSM project"
    (certificate,) = token.certificates
    assert certificate.label == "chu-ky" and certificate.subject == "Ủy ban nhân dân xã Token"
    assert certificate.issuer == "Ủy ban nhân dân xã Token" and certificate.in_force()
    (problem,) = problems
    assert problem.module.path.name == "BkavCA.dll"
    assert "BkavCA.dll" in problem.message and "BkavCA" in problem.message and "Error" not in problem.message


def test_cchc_tokens_lists_them_and_sign_takes_the_one_found(token, windows_folders, store, real_catalog, tmp_path):
    import json

    from conftest import cli

    code, out = cli("tokens", "--json", *[f"--folder={f}" for f in windows_folders])
    listed = json.loads(out)
    assert code == 0 and len(listed["tokens"]) == 2 and len(listed["problems"]) == 1
    assert listed["tokens"][0]["certificates"][0]["subject"] == "Ủy ban nhân dân xã Token"
    assert set(listed["tokens"][0]["certificates"][0]) >= {"label", "subject", "issuer", "valid_from", "valid_to"}
    # two modules reach the same token: which one signs must be said, and is
    report = _checked_commune_report(store, real_catalog)
    pin = tmp_path / "pin.txt"
    pin.write_text(token.pin)
    store.close()
    args = ["--db", str(store.path), "sign", "--report", str(report), "-o", str(tmp_path), "--token", "--pin-file",
            str(pin), *[f"--folder={f}" for f in windows_folders]]
    assert cli(*args)[0] == 2  # SIGN014: say which
    assert Store.open(store.path).reports.get(report).status == "da_kiem_tra"  # nothing signed
    (windows_folders[0] / "VIETTEL-CA_V5.DLL").unlink()
    code, out = cli(*args, "--json")
    assert code == 0, out
    assert json.loads(out)["manifest"]["signer"]["subject"] == "Ủy ban nhân dân xã Token"


def _checked_commune_report(store, catalog) -> int:
    from desktop.app.demo import commune_transcripts, transcript_document, unit_tree
    from desktop.exchange.interchange import import_report
    from desktop.submission.workflow import mark_checked

    transcript = next(t for t in commune_transcripts() if t["unit"] == "22732.cu")
    report = import_report(store, catalog, transcript_document(transcript, unit_tree(), catalog, "x"))
    store.reports.update(report, signer_name="Nguyễn Văn A", doc_number="01/BC-UBND", doc_date="2019-12-10")
    mark_checked(store, catalog, report, acknowledge_warnings=True)
    return report


def test_choosing_among_the_certificates_found():
    import datetime as dt

    from desktop.submission.tokens import FoundToken, Module, TokenCertificate, choose

    def certificate(label, subject):
        return TokenCertificate(label, subject, "VNPT Certification Authority", dt.datetime(2025, 1, 1, tzinfo=dt.timezone.utc),
                                dt.datetime(2028, 1, 1, tzinfo=dt.timezone.utc), "00")

    person = FoundToken(Module("VNPT-CA", Path("vnptca_p11_v8.dll")), "VNPT-CA 1", "1", "VNPT",
                        [certificate("ca-nhan", "Nguyễn Văn A")])
    agency = FoundToken(Module("Ban Cơ yếu Chính phủ (bit4id)", Path("bit4xpki.dll")), "CYBER", "2", "bit4id",
                        [certificate("co-quan", "UBND xã Sơn Trung")])
    #   | tokens          | labels given           | chosen / refused |
    #   | none            | —                      | SIGN013          |
    #   | person          | —                      | ca-nhan          |
    #   | person, agency  | —                      | SIGN014          |
    #   | person, agency  | --token-label CYBER    | co-quan          |
    #   | person, agency  | --key-label khong-co   | SIGN013          |
    with pytest.raises(CchcError) as none:
        choose([])
    assert none.value.code == "SIGN013"
    assert choose([person])[1].label == "ca-nhan"
    with pytest.raises(CchcError) as several:
        choose([person, agency])
    assert several.value.code == "SIGN014" and "CYBER" in str(several.value) and "Nguyễn Văn A" in str(several.value)
    assert choose([person, agency], token_label="CYBER")[1].label == "co-quan"
    with pytest.raises(CchcError) as unknown:
        choose([person, agency], key_label="khong-co")
    assert unknown.value.code == "SIGN013"

"""The organisation's signature (issue 28 §3, Nghị định 30/2020): after the person with authority
signs, the văn thư adds the organisation's PAdES signature in a revision of its own (the first
left intact) with the seal as its appearance; the package names both, verify and consolidation
show both, and a receiving unit may require both."""

from __future__ import annotations

import base64
import io
import json
import os
import shutil
import subprocess
import zipfile

import pytest
from pypdf import PdfReader

from conftest import cli, new_report
from desktop.exchange.signature_look import MM
from desktop.foundation.messages import CchcError
from desktop.foundation.settings import load_settings, save_settings
from desktop.store.db import Store
from desktop.submission import package as packaging
from desktop.submission.consolidate import consolidate
from desktop.submission.identity import create_self_signed, load_p12
from desktop.submission.package import seal_report, sign_report
from desktop.submission.verify import verify_file
from desktop.submission.workflow import mark_checked, mark_submitted, unlock
from test_signature_look import SEAL, SIGNATURE
from test_signing import PASS, commune_report, enrol_signer, forms, p12_of  # noqa: F401  (forms: a fixture)

PERSON = create_self_signed("H1.X1", "Nguyễn Văn A", PASS)
ORGANISATION = create_self_signed("H1.X1", "Ủy ban nhân dân xã H1.X1", PASS)


def _signed(store, catalog, tmp_path, *, images: bool = True) -> int:
    if images:
        settings = load_settings(store)
        settings["signing"].update(signature_image=base64.b64encode(SIGNATURE).decode(),
                                   seal_image=base64.b64encode(SEAL).decode(), seal_mm=36)
        save_settings(store, settings)
    report = commune_report(store, catalog)
    mark_checked(store, catalog, report, acknowledge_warnings=True)
    with load_p12(PERSON, PASS) as person:
        sign_report(store, catalog, report, person, tmp_path / "goi")
    return report


def _seal(store, catalog, report, tmp_path, key: bytes = ORGANISATION):
    with load_p12(key, PASS) as organisation:
        return seal_report(store, catalog, report, organisation, tmp_path / "goi")


def _widgets(package: str) -> list[dict]:
    pdf = PdfReader(io.BytesIO(zipfile.ZipFile(package).read("report.pdf")))
    return [w.get_object() for page in pdf.pages for w in page.get("/Annots") or []]


def test_the_seal_follows_the_signature_and_both_verify(store, forms, tmp_path):
    report = _signed(store, forms, tmp_path)
    sealed = _seal(store, forms, report, tmp_path)
    assert store.reports.get(report).status == "da_dong_dau"
    assert [s.role for s in store.signatures.of(report)] == ["ca_nhan", "co_quan"]
    verdict = verify_file(sealed.filename, forms)
    assert verdict.valid, verdict.problems
    roles = [(s["role"], s["subject"], s["valid"]) for s in verdict.to_json()["signatures"]]
    assert roles == [("ca_nhan", "Nguyễn Văn A", True), ("co_quan", "Ủy ban nhân dân xã H1.X1", True)]
    assert "ký bởi Nguyễn Văn A" in verdict.message and "đóng dấu (chữ ký số cơ quan) bởi Ủy ban nhân dân" in verdict.message
    person, seal = _widgets(sealed.filename)
    assert (person["/T"], seal["/T"]) == ("ChuKySo", "DauCoQuan")
    p, s = [[float(v) for v in w["/Rect"]] for w in (person, seal)]
    assert p[3] - p[1] <= 20 * MM + 1  # the person's appearance: the signature image, no seal
    assert s[2] == pytest.approx(p[0] + (p[2] - p[0]) / 3, abs=1.5)  # the seal over its left third
    assert s[3] - s[1] == pytest.approx(36 * MM, abs=1.5)  # real size
    # the sealed report goes on as a signed one does
    mark_submitted(store, report)
    assert store.reports.get(report).status == "da_nop"
    assert unlock(store, report, "Sửa lại sau khi đóng dấu") == 2
    assert all(s.voided_at for s in store.signatures.of(report))


def test_pdfsig_finds_both_signatures_valid(store, forms, tmp_path):
    """poppler's pdfsig, another reader than pyHanko: both signatures valid, the last over the whole file."""
    if not shutil.which("pdfsig"):
        if os.environ.get("CCHC_REQUIRE_POPPLER"):
            pytest.fail("pdfsig (poppler-utils) is required here")
        pytest.skip("poppler-utils is not installed")
    report = _signed(store, forms, tmp_path, images=False)
    sealed = _seal(store, forms, report, tmp_path)
    (tmp_path / "ky.pdf").write_bytes(zipfile.ZipFile(sealed.filename).read("report.pdf"))
    said = subprocess.run(["pdfsig", str(tmp_path / "ky.pdf")], capture_output=True, text=True).stdout
    assert said.count("Signature is Valid.") == 2
    assert "Signature Field Name: ChuKySo" in said and "Signature Field Name: DauCoQuan" in said
    assert said.index("Not total document signed") < said.index("Total document signed")


def test_only_a_signed_report_is_sealed(store, forms, tmp_path):
    report = commune_report(store, forms)
    mark_checked(store, forms, report, acknowledge_warnings=True)
    with pytest.raises(CchcError) as refused:
        _seal(store, forms, report, tmp_path)
    assert refused.value.code == "FLOW003" and "Đã ký" in str(refused.value)


def test_a_seal_revision_that_changes_anything_else_is_refused(store, forms, tmp_path, monkeypatch):
    """A sealing program that also retitles the document (or adds any revision) is caught: after
    the person's signature, the organisation's field and nothing more."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    report = _signed(store, forms, tmp_path, images=False)
    real = packaging.sign_pdf

    def retitling(pdf, *args, **kwargs):
        from pyhanko.pdf_utils import generic

        writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)  # a revision of its own
        info = writer.trailer["/Info"]
        info["/Title"] = generic.TextStringObject("Báo cáo khác")
        writer.update_container(info)
        out = io.BytesIO()
        writer.write(out)
        return real(out.getvalue(), *args, **kwargs)

    monkeypatch.setattr(packaging, "sign_pdf", retitling)
    sealed = _seal(store, forms, report, tmp_path)
    verdict = verify_file(sealed.filename, forms)
    assert not verdict.valid and "report.pdf" in verdict.message


def test_a_receiving_unit_may_require_the_seal(store, forms, tmp_path):
    district = new_report(store, "huyen", communes=2)
    settings = load_settings(store)
    settings["signing"]["require_seal"] = True
    save_settings(store, settings)
    with Store.open(tmp_path / "xa.db") as commune:
        report = _signed(commune, forms, tmp_path / "xa", images=False)
        person_only = commune.attachments.blob(commune.signatures.of(report)[-1].package_sha256)
        (tmp_path / "chi-ky.cchc").write_bytes(person_only)
        sealed = _seal(commune, forms, report, tmp_path / "xa")
    with load_p12(ORGANISATION, PASS) as organisation:
        enrol_signer(store, "H1.X1", organisation.certificate)  # the unit binds by its organisation's certificate
    [refused] = consolidate(store, forms, district, [tmp_path / "chi-ky.cchc"]).received
    assert refused.status == "rejected" and "chữ ký số của cơ quan" in refused.message
    [accepted] = consolidate(store, forms, district, [sealed.filename]).received
    assert accepted.status == "accepted", accepted.message


def test_cli_seal_and_verify_json(tmp_path, forms):
    db = tmp_path / "xa.db"
    with Store.open(db) as store:
        report = _signed(store, forms, tmp_path, images=False)
    (tmp_path / "co-quan.p12").write_bytes(ORGANISATION)
    (tmp_path / "mk.txt").write_text(PASS)
    code, out = cli("--db", str(db), "--forms", str(tmp_path / "forms"), "--json", "seal", "--report", str(report),
                    "--p12", str(tmp_path / "co-quan.p12"), "--passphrase-file", str(tmp_path / "mk.txt"),
                    "-o", str(tmp_path / "goi"))
    assert code == 0, out
    package = json.loads(out)["package"]
    code, out = cli("--forms", str(tmp_path / "forms"), "--json", "verify", package, "--require-seal")
    said = json.loads(out)
    assert code == 0 and [s["role"] for s in said["signatures"]] == ["ca_nhan", "co_quan"]
    assert all(s["valid"] for s in said["signatures"])
    code, out = cli("--db", str(db), "--json", "reports")
    assert [r["status"] for r in json.loads(out) if r["id"] == report] == ["da_dong_dau"]


def test_a_sealed_package_whose_person_the_ca_revoked_is_refused(store, forms, tmp_path):
    """The organisation's signature does not cover for a person whose certificate was revoked."""
    from test_revocation import _crl
    from test_signers import Authority

    from desktop.submission.revocation import import_crl

    authority = Authority(tmp_path, "CA Thử thu hồi người ký")
    person = authority.issue("Nguyễn Văn B")
    report = commune_report(store, forms)
    mark_checked(store, forms, report, acknowledge_warnings=True)
    with load_p12(person, PASS) as identity:
        sign_report(store, forms, report, identity, tmp_path / "goi")
        serial = identity.certificate.serial_number
    sealed = _seal(store, forms, report, tmp_path)
    import_crl(store, _crl(tmp_path / "ca.crl", authority, [serial]), [authority.root])
    from desktop.submission.verify import load_trust_roots

    verdict = verify_file(sealed.filename, forms, load_trust_roots([authority.root]),
                          crls=store.revocation_lists.all(with_der=True))
    assert not verdict.valid and "Nguyễn Văn B" in verdict.message and "đã bị CA thu hồi" in verdict.message

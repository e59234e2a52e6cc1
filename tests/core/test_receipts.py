"""The way back (issue 28 §5): the parent body accepts or returns a package with a signed
receipt; the commune takes it only from its parent body's registered certificate, for a
package it signed, and its report says so."""

from __future__ import annotations

import json
import zipfile

import pytest

from conftest import cli, new_report
from desktop.foundation.messages import CchcError
from desktop.store.db import Store
from desktop.submission.consolidate import consolidate
from desktop.submission.identity import create_self_signed, load_p12
from desktop.submission.package import sign_report
from desktop.submission.receipts import issue_receipt, import_receipt, receipt_filename
from desktop.submission.workflow import mark_checked, mark_submitted
from test_signing import PASS, commune_report, enrol_signer, forms, p12_of  # noqa: F401  (forms: a fixture)
from test_subjects import ban_co_yeu  # noqa: F401  (a fixture: test CAs of the Ban Cơ yếu's shape)

DISTRICT_KEY = create_self_signed("H1", "Ủy ban nhân dân huyện Thử", PASS)


class Way:
    """A commune (H1.X1) that signed and sent its report, and its district that received it."""

    def __init__(self, tmp_path, catalog, district_store) -> None:
        self.tmp, self.catalog, self.district = tmp_path, catalog, district_store
        self.commune = Store.open(tmp_path / "xa.db")
        self.report = commune_report(self.commune, catalog)
        self.sent = self.send()
        # the commune registered its district's certificate, handed over once
        enrol_signer(self.commune, "H1", DISTRICT_KEY)

    def send(self):
        mark_checked(self.commune, self.catalog, self.report, acknowledge_warnings=True)
        with load_p12(p12_of("H1.X1"), PASS) as identity:
            signed = sign_report(self.commune, self.catalog, self.report, identity, self.tmp / "goi")
        mark_submitted(self.commune, self.report)
        return signed

    def receive(self) -> int:
        district_report = self.district.reports.all()[0].id if self.district.reports.all() else \
            new_report(self.district, "huyen", communes=2)
        if not self.district.certificates.all("H1.X1"):
            enrol_signer(self.district, "H1.X1", p12_of("H1.X1"))
        [received] = consolidate(self.district, self.catalog, district_report, [self.sent.filename]).received
        assert received.status == "accepted" and received.submission
        return received.submission

    def receipt(self, submission: int, *, accept: bool, reason: str | None = None, key: bytes = DISTRICT_KEY,
                name: str = "phieu.cchcphieu"):
        with load_p12(key, PASS) as identity:
            data, document = issue_receipt(self.district, submission, identity, accept=accept, reason=reason)
        path = self.tmp / name
        path.write_bytes(data)
        return path, document


@pytest.fixture
def way(tmp_path, forms, store):
    opened = Way(tmp_path, forms, store)
    yield opened
    opened.commune.close()


def test_an_accepted_package_is_said_on_the_communes_report_and_stays_locked(way):
    path, document = way.receipt(way.receive(), accept=True)
    assert document["decision"] == "tiep_nhan" and document["package_sha256"] == way.commune.signatures.of(
        way.report)[-1].package_sha256
    assert receipt_filename(document).startswith("phieu_tiep_nhan_H1.X1_2020_nam_v1")
    done = import_receipt(way.commune, path)
    assert done["status"] == "da_tiep_nhan" and "Huyện Thử đã tiếp nhận ngày" in done["message"]
    report = way.commune.reports.get(way.report)
    assert report.status == "da_tiep_nhan" and report.version == 1
    with pytest.raises(CchcError):  # accepted: locked like a signed report
        way.commune.reports.editable(way.commune.conn, way.report)
    with pytest.raises(CchcError) as again:
        import_receipt(way.commune, path)
    assert again.value.code == "RCPT009"
    # the district keeps what it issued
    assert [r["decision"] for r in way.district.receipts.of_package(document["package_sha256"], "issued")] == ["tiep_nhan"]


def test_a_returned_package_unlocks_the_report_as_its_next_version_with_the_reason(way):
    reason = "Biểu 01 dòng 1: số mới nhận không khớp sổ theo dõi"
    path, _ = way.receipt(way.receive(), accept=False, reason=reason)
    done = import_receipt(way.commune, path)
    report = way.commune.reports.get(way.report)
    assert (report.status, report.version) == ("bi_tra_lai", 2) and done["status"] == "bi_tra_lai"
    assert reason in done["message"]
    audit = [row["new"] for row in way.commune.db.query("SELECT new FROM audit WHERE action = 'unlock'")]
    assert any(reason in line for line in audit)
    # the clerk corrects it: an edit makes it a draft again, to be checked and signed anew
    way.commune.reports.editable(way.commune.conn, way.report)
    assert way.commune.reports.get(way.report).status == "nhap"


def test_a_return_needs_a_reason_and_only_a_received_package_gets_a_receipt(way):
    submission = way.receive()
    with pytest.raises(CchcError) as short:
        way.receipt(submission, accept=False, reason="sai")
    assert short.value.code == "RCPT002"
    with pytest.raises(CchcError):
        way.receipt(submission + 99, accept=True)


def test_a_receipt_from_an_unregistered_certificate_is_held_until_its_fingerprint_is_confirmed(way):
    """The district's new key (or an impostor's, same names): nothing changes until the clerk has
    compared the fingerprint with the district, as for a package; a wrong one is refused."""
    from desktop.submission.receipts import confirm_receipt
    from desktop.submission.register import fingerprint

    renewed = create_self_signed("H1", "Ủy ban nhân dân huyện Thử", PASS)
    path, _ = way.receipt(way.receive(), accept=False, reason="Trả lại sau khi huyện đổi chứng thư", key=renewed)
    held = import_receipt(way.commune, path)
    assert held["held"] and held["status"] is None and "đối chiếu dấu vân tay" in held["message"]
    assert way.commune.reports.get(way.report).status == "da_nop"
    assert way.commune.receipts.of_report(way.report) == []  # a held receipt says nothing on the report
    with pytest.raises(CchcError) as again:
        import_receipt(way.commune, path)
    assert again.value.code == "RCPT019"
    with load_p12(renewed, PASS) as identity:
        right = identity.cert_sha256
    wrong = "0" * 20 if not right.startswith("0" * 20) else "1" * 20
    with pytest.raises(CchcError) as mistyped:
        confirm_receipt(way.commune, held["held"], wrong)
    assert mistyped.value.code == "CERT014"
    assert way.commune.reports.get(way.report).status == "da_nop"
    done = confirm_receipt(way.commune, held["held"][:12], fingerprint(right)[:24])
    assert done["status"] == "bi_tra_lai" and way.commune.reports.get(way.report).version == 2
    assert [c.bound_by for c in way.commune.certificates.all("H1")] == ["enrolled", "confirmed"]


def test_a_receipt_signed_by_another_units_certificate_is_refused(way):
    """A certificate registered for the commune itself cannot answer for its district."""
    path, _ = way.receipt(way.receive(), accept=True, key=p12_of("H1.X1"))
    enrol_signer(way.commune, "H1.X1", p12_of("H1.X1"))
    with pytest.raises(CchcError) as refused:
        import_receipt(way.commune, path)
    assert refused.value.code == "RCPT008" and "enrol-certificate --unit H1" in str(refused.value)
    assert way.commune.reports.get(way.report).status == "da_nop"


def test_a_changed_byte_another_units_package_or_a_huge_file_is_refused(way, tmp_path):
    path, _ = way.receipt(way.receive(), accept=True)
    with zipfile.ZipFile(path) as archive:
        document = json.loads(archive.read("receipt.json"))
        signature = archive.read("receipt.p7s")
    from desktop.submission.package import archive_bytes

    forged = dict(document, decision="tra_lai", reason="Đổi quyết định sau khi ký")
    tampered = tmp_path / "sua.cchcphieu"
    tampered.write_bytes(archive_bytes([("receipt.json", json.dumps(forged).encode()), ("receipt.p7s", signature)]))
    with pytest.raises(CchcError) as changed:
        import_receipt(way.commune, tampered)
    assert changed.value.code == "RCPT004" and "Chữ ký số" in str(changed.value)
    with Store.open(tmp_path / "xa-khac.db") as other:  # another commune's database: not its package
        commune_report(other, way.catalog, code="H1.X2")
        enrol_signer(other, "H1", DISTRICT_KEY)
        with pytest.raises(CchcError) as foreign:
            import_receipt(other, path)
        assert foreign.value.code == "RCPT005"
    huge = tmp_path / "lon.cchcphieu"
    with open(huge, "wb") as sparse:
        sparse.truncate(2 * 1024 ** 3)  # 2 GB, never read
    with pytest.raises(CchcError) as large:
        import_receipt(way.commune, huge)
    assert large.value.code == "RCPT004" and "KB" in str(large.value)
    (tmp_path / "rac.cchcphieu").write_bytes(b"khong phai phieu")
    with pytest.raises(CchcError):
        import_receipt(way.commune, tmp_path / "rac.cchcphieu")
    assert way.commune.reports.get(way.report).status == "da_nop"


def test_a_receipt_for_a_replaced_version_is_kept_and_changes_nothing(way):
    from desktop.submission.workflow import unlock

    path, _ = way.receipt(way.receive(), accept=True)
    unlock(way.commune, way.report, "Sửa thêm số liệu trước khi cấp trên trả lời")
    done = import_receipt(way.commune, path)
    assert done["status"] is None and "nay đã ở phiên bản 2" in done["message"]
    assert way.commune.reports.get(way.report).status == "nhap"


def test_cli_receipt_then_import_receipt_and_the_reports_status(way, tmp_path):
    submission = way.receive()
    (tmp_path / "huyen.p12").write_bytes(DISTRICT_KEY)
    (tmp_path / "mk.txt").write_text(PASS)
    way.district.close()
    code, out = cli("--db", str(way.district.path), "--json", "receipt", "--submission", str(submission), "--return",
                    "--reason", "Thiếu số liệu quý trước", "--p12", str(tmp_path / "huyen.p12"),
                    "--passphrase-file", str(tmp_path / "mk.txt"), "-o", str(tmp_path))
    assert code == 0, out
    written = json.loads(out)["file"]
    way.commune.close()
    code, out = cli("--db", str(way.commune.path), "import-receipt", written)
    assert code == 0 and "Thiếu số liệu quý trước" in out
    code, out = cli("--db", str(way.commune.path), "--json", "reports")
    assert code == 0
    [listed] = [r for r in json.loads(out) if r["id"] == way.report]
    assert listed["status"] == "bi_tra_lai"
    way.commune = Store.open(way.commune.path)


def test_a_ban_co_yeu_certificate_naming_the_district_binds_by_itself(tmp_path, forms, store, ban_co_yeu):
    """No certificate handed over: the district's Ban Cơ yếu certificate names it as that CA writes
    names (CN the district, O the province's committee, L the province), so the receipt is taken
    and the certificate registered for the district."""
    with Store.open(tmp_path / "xa.db") as commune:
        commune.units.add("KH", "Tỉnh Khánh Hòa", "tinh")
        commune.units.add("H1", "Ủy ban nhân dân huyện Khánh Sơn", "huyen", "KH")
        way = Way.__new__(Way)
        way.tmp, way.catalog, way.district, way.commune = tmp_path, forms, store, commune
        way.report = commune_report(commune, forms)
        way.sent = way.send()
        district_key = ban_co_yeu.issue("C=VN, L=Khánh Hòa, O=ỦY BAN NHÂN DÂN TỈNH KHÁNH HÒA, "
                                        "CN=ỦY BAN NHÂN DÂN HUYỆN KHÁNH SƠN")
        path, _ = way.receipt(way.receive(), accept=True, key=district_key)
        untrusted = import_receipt(commune, path)  # its root not configured here: held, not bound
        assert untrusted["held"]
    with Store.open(tmp_path / "xa2.db") as commune:
        commune.units.add("KH", "Tỉnh Khánh Hòa", "tinh")
        commune.units.add("H1", "Ủy ban nhân dân huyện Khánh Sơn", "huyen", "KH")
        way.commune, way.report = commune, commune_report(commune, forms)
        way.sent = way.send()
        path, _ = way.receipt(way.receive(), accept=True, key=district_key, name="phieu2.cchcphieu")
        taken = import_receipt(commune, path, [str(ban_co_yeu.root_file)])
        assert taken["status"] == "da_tiep_nhan", taken["message"]
        assert [c.bound_by for c in commune.certificates.all("H1")] == ["ca"]

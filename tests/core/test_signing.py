"""Signed packages: the workflow, signing, verifying, tampering, hostile archives, consolidation."""

from __future__ import annotations

import io
import json
import stat
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from conftest import cli, new_report
from desktop.report import ops
from desktop.submission.consolidate import consolidate
from desktop.foundation.messages import CchcError
from desktop.foundation.periods import Period
from desktop.submission import NOT_CA_VERIFIED
from desktop.submission.identity import create_self_signed, load_p12
from desktop.submission.package import MANIFEST, archive_bytes, sign_report
from desktop.submission.verify import verify_bytes
from desktop.store.db import Store
from desktop.submission.workflow import mark_checked, mark_submitted, unlock

PASS = "mat-khau-thu"
# A commune's form: received = carried over + new; resolved ≤ received (a warning).
FORM = """
    code: KQ
    printed_code: Biểu 01
    title: KẾT QUẢ GIẢI QUYẾT HỒ SƠ
    columns:
      - {id: stt, label: STT, kind: row_code}
      - {id: noi_dung, label: Nội dung, kind: row_label}
      - {id: tong, label: Tổng số, equals: "ky_truoc + moi"}
      - {id: ky_truoc, label: Kỳ trước}
      - {id: moi, label: Mới nhận}
      - {id: da_giai_quyet, label: Đã giải quyết}
    rows:
      - {id: r, code: "1", label: Hồ sơ TTHC}
    rules:
      - {id: giai_quyet, severity: warning, check: "da_giai_quyet <= tong"}
"""
# The district's form: one row per commune, filled from each commune's row "r", and a total.
DISTRICT = """
    code: TH
    printed_code: Biểu 06
    title: TỔNG HỢP CÁC XÃ
    columns:
      - {id: stt, label: STT, kind: row_code}
      - {id: don_vi, label: Đơn vị, kind: row_label}
      - {id: tong, label: Tổng số, equals: "ky_truoc + moi"}
      - {id: ky_truoc, label: Kỳ trước}
      - {id: moi, label: Mới nhận}
      - {id: giai_quyet, label: Đã giải quyết}
    rows:
      - {units: xa, from: {form_set: xa, form: KQ, row: r, columns: {giai_quyet: da_giai_quyet}}}
      - {id: cong, label: Tổng cộng, style: total, total: units}
"""


@pytest.fixture
def forms(tmp_path):
    root = tmp_path / "forms"
    from conftest import write_set

    write_set(root, {"kq.yaml": FORM}, set_id="xa", level="xa")
    write_set(root, {"th.yaml": DISTRICT}, set_id="huyen")
    from desktop.registry import load_catalog

    catalog = load_catalog(root)
    assert not catalog.problems, catalog.problems
    return catalog


# what a report to sign has filled in (rules/placeholders.py: nothing is signed with a place left to fill)
SIGNED_AS = {"signer_name": "Nguyễn Văn A", "doc_number": "12/BC-UBND", "doc_date": "2020-12-15"}


def commune_report(store: Store, catalog, code: str = "H1.X1", figures=(10, 2, 8, 9), version: int = 1) -> int:
    try:
        store.units.get(code)
    except CchcError:
        try:
            store.units.get("H1")
        except CchcError:
            store.units.add("H1", "Huyện Thử", "huyen")
        store.units.add(code, f"Xã {code}", "xa", "H1")
    report = store.reports.create(code, Period("nam", 2020), "xa", 1, **SIGNED_AS)
    ops.enter_cells(store, catalog, report, "KQ", [("r", c, str(v)) for c, v in
                                                   zip(("tong", "ky_truoc", "moi", "da_giai_quyet"), figures)])
    return report


@pytest.fixture(scope="module")
def p12():
    return create_self_signed("H1.X1", "Ủy ban nhân dân xã Thử", PASS)


@pytest.fixture
def identity(p12):
    with load_p12(p12, PASS) as opened:
        yield opened


_keys: dict[str, bytes] = {}


def p12_of(unit: str) -> bytes:
    """A self-signed certificate of ``unit`` (made once per test run: a key takes a while)."""
    if unit not in _keys:
        _keys[unit] = create_self_signed(unit, f"Ủy ban nhân dân xã {unit}", PASS)
    return _keys[unit]


def enrol_signer(store: Store, unit: str, certificate) -> None:
    """The receiving clerk registers the certificate ``unit`` handed over (an Identity's or a p12's)."""
    from cryptography.hazmat.primitives.serialization import Encoding

    from desktop.submission.register import enrol

    if isinstance(certificate, bytes):
        with load_p12(certificate, PASS) as opened:
            certificate = opened.certificate
    elif hasattr(certificate, "certificate"):
        certificate = certificate.certificate
    enrol(store, unit, certificate.public_bytes(Encoding.DER))


def signed_package(store, catalog, identity, tmp_path, **kwargs) -> tuple[int, bytes]:
    report = commune_report(store, catalog, **kwargs)
    mark_checked(store, catalog, report, acknowledge_warnings=True)
    signed = sign_report(store, catalog, report, identity, tmp_path)
    return report, Path(signed.filename).read_bytes()


# --- workflow -------------------------------------------------------------------------------


def test_a_report_with_errors_cannot_be_checked(store, forms):
    report = commune_report(store, forms, figures=(11, 2, 8, 9))  # 11 ≠ 2 + 8
    with pytest.raises(CchcError) as refused:
        mark_checked(store, forms, report)
    assert refused.value.code == "FLOW001"
    assert store.reports.get(report).status == "nhap"


def test_warnings_must_be_acknowledged(store, forms):
    report = commune_report(store, forms, figures=(10, 2, 8, 12))  # resolved 12 > received 10
    with pytest.raises(CchcError) as refused:
        mark_checked(store, forms, report)
    assert refused.value.code == "FLOW002"
    mark_checked(store, forms, report, acknowledge_warnings=True)
    assert store.reports.get(report).status == "da_kiem_tra"


def test_an_edit_sends_a_checked_report_back_to_draft(store, forms):
    report = commune_report(store, forms)
    mark_checked(store, forms, report)
    ops.enter_cell(store, forms, report, "KQ", "r", "da_giai_quyet", "8")
    assert store.reports.get(report).status == "nhap"


def test_signing_needs_a_checked_report(store, forms, identity, tmp_path):
    report = commune_report(store, forms)
    with pytest.raises(CchcError) as refused:
        sign_report(store, forms, report, identity, tmp_path)
    assert refused.value.code == "FLOW003"
    assert not list(tmp_path.glob("*.cchc"))


def test_a_signed_report_refuses_every_change_in_the_store(store, forms, identity, tmp_path):
    report, _ = signed_package(store, forms, identity, tmp_path)
    assert store.reports.get(report).status == "da_ky"
    for change in (lambda: store.cells.set(report, "KQ", "r", "moi", "9"),
                   lambda: store.attachments.add(report, "KQ", "r", "a.pdf", b"x")):
        with pytest.raises(CchcError) as refused:
            change()
        assert refused.value.code == "CELL003"
    assert store.cells.get(report)["KQ"]["r"]["moi"] == "8"


def test_unlock_takes_a_reason_voids_the_signature_and_starts_the_next_version(store, forms, identity, tmp_path):
    report, _ = signed_package(store, forms, identity, tmp_path)
    with pytest.raises(CchcError) as refused:
        unlock(store, report, "sửa")
    assert refused.value.code == "FLOW004"
    assert unlock(store, report, "Sai số hồ sơ mới nhận, xã báo lại") == 2
    after = store.reports.get(report)
    assert (after.status, after.version) == ("nhap", 2)
    signature = store.signatures.of(report)[0]
    assert signature.voided_at and signature.void_reason == "Sai số hồ sơ mới nhận, xã báo lại"
    audit = [a for a in store.audit.entries(report) if a.action == "unlock"]
    assert audit and audit[0].new == "Sai số hồ sơ mới nhận, xã báo lại" and audit[0].user == "kiemthu"
    ops.enter_cell(store, forms, report, "KQ", "r", "moi", "9")  # editable again


def test_submitted_only_after_signing(store, forms, identity, tmp_path):
    report = commune_report(store, forms)
    with pytest.raises(CchcError):
        mark_submitted(store, report)
    mark_checked(store, forms, report)
    sign_report(store, forms, report, identity, tmp_path)
    mark_submitted(store, report)
    assert store.reports.get(report).status == "da_nop"


# --- identities -------------------------------------------------------------------------------


def test_a_wrong_passphrase_is_a_message(p12):
    with pytest.raises(CchcError) as refused:
        load_p12(p12, "sai-mat-khau")
    assert refused.value.code == "SIGN001" and "sai-mat-khau" not in str(refused.value)


def test_the_own_certificate_key_is_stored_encrypted(p12):
    from cryptography.hazmat.primitives.serialization import pkcs12

    with pytest.raises(ValueError):
        pkcs12.load_key_and_certificates(p12, None)
    assert b"PRIVATE KEY" not in p12


def test_a_short_passphrase_is_refused():
    with pytest.raises(CchcError) as refused:
        create_self_signed("X", "Xã", "ngan")
    assert refused.value.code == "SIGN004"


# --- sign and verify -----------------------------------------------------------------------------


def test_sign_then_verify(store, forms, identity, tmp_path):
    report, package = signed_package(store, forms, identity, tmp_path)
    verdict = verify_bytes(package, "goi.cchc", forms)
    assert verdict.valid, verdict.problems
    assert verdict.signer["subject"] == "Ủy ban nhân dân xã Thử"
    assert verdict.signer["self_signed"] and not verdict.signer["ca_verified"]
    assert verdict.signer["note"] == NOT_CA_VERIFIED
    assert verdict.pdf["covers_whole_file"]
    assert verdict.findings["errors"] == 0 and verdict.findings["warnings"] == 0
    assert verdict.document["forms"]["KQ"]["cells"]["r"] == {"tong": 10, "ky_truoc": 2, "moi": 8, "da_giai_quyet": 9}
    names = zipfile.ZipFile(io.BytesIO(package)).namelist()
    assert names == ["manifest.json", "manifest.p7s", "data.json", "report.xlsx", "report.pdf"]
    manifest = json.loads(zipfile.ZipFile(io.BytesIO(package)).read(MANIFEST))
    assert manifest["unit"]["code"] == "H1.X1" and manifest["report_version"] == 1
    assert store.signatures.of(report)[0].package_sha256 == __import__("hashlib").sha256(package).hexdigest()


def test_the_pdf_signature_is_visible_in_the_signature_block(store, forms, identity, tmp_path):
    from pypdf import PdfReader

    _, package = signed_package(store, forms, identity, tmp_path)
    pdf = PdfReader(io.BytesIO(zipfile.ZipFile(io.BytesIO(package)).read("report.pdf")))
    widget = next(a.get_object() for a in pdf.pages[0]["/Annots"] if a.get_object().get("/FT") == "/Sig")
    x1, y1, x2, y2 = map(float, widget["/Rect"])
    assert x2 - x1 > 100 and y2 - y1 > 40  # a visible box, not an invisible field
    assert x1 > pdf.pages[0].mediabox.width / 3  # the signer's column, right of "Nơi nhận"
    assert "/AP" in widget


def _rewrite(package: bytes, member: str, change) -> bytes:
    """The package with one member's bytes changed, everything else as it was."""
    source = zipfile.ZipFile(io.BytesIO(package))
    return archive_bytes([(n, change(source.read(n)) if n == member else source.read(n)) for n in source.namelist()])


def _flip(content: bytes, at: float = 0.5) -> bytes:
    i = int(len(content) * at)
    return content[:i] + bytes([content[i] ^ 0x01]) + content[i + 1:]


def test_one_changed_byte_in_any_member_is_rejected_naming_it(store, forms, identity, tmp_path):
    report = commune_report(store, forms)
    store.attachments.add(report, "KQ", "r", "bien-ban.pdf", b"%PDF-1.4 bien ban hop " * 20)
    mark_checked(store, forms, report)
    package = Path(sign_report(store, forms, report, identity, tmp_path).filename).read_bytes()
    members = zipfile.ZipFile(io.BytesIO(package)).namelist()
    assert "attachments/001-bien-ban.pdf" in members
    for member in members:
        verdict = verify_bytes(_rewrite(package, member, _flip), "goi.cchc", forms)
        assert verdict.status == "invalid", member
        assert member in verdict.message, (member, verdict.message)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(at=st.floats(min_value=0, max_value=1, exclude_max=True), bit=st.integers(0, 7))
def test_one_changed_byte_anywhere_in_the_file_is_rejected(store, forms, identity, tmp_path, at, bit):
    if not hasattr(test_one_changed_byte_anywhere_in_the_file_is_rejected, "package"):
        test_one_changed_byte_anywhere_in_the_file_is_rejected.package = signed_package(
            store, forms, identity, tmp_path)[1]
    package = test_one_changed_byte_anywhere_in_the_file_is_rejected.package
    i = int(len(package) * at)
    tampered = package[:i] + bytes([package[i] ^ (1 << bit)]) + package[i + 1:]
    assert verify_bytes(tampered, "goi.cchc", forms).status in ("invalid", "unreadable")


# --- hostile archives ----------------------------------------------------------------------------


def _zip(entries, *, mode=stat.S_IFREG | 0o644, compress=zipfile.ZIP_STORED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, content in entries:
            info = zipfile.ZipInfo(name, (2020, 1, 1, 0, 0, 0))
            info.external_attr = mode << 16
            info.compress_type = compress
            archive.writestr(info, content)
    return out.getvalue()


def _members(package: bytes) -> list[tuple[str, bytes]]:
    source = zipfile.ZipFile(io.BytesIO(package))
    return [(n, source.read(n)) for n in source.namelist()]


def hostile_packages(package: bytes) -> dict[str, bytes]:
    members = _members(package)
    manifest = json.loads(dict(members)[MANIFEST])
    newer = dict(manifest, format_version=99)
    with pytest.warns(UserWarning):
        duplicate = _zip(members + [("data.json", b"{}")])
    return {
        "path traversal": _zip(members + [("../../evil.txt", b"x")]),
        "absolute path": _zip(members + [("/etc/cron.d/evil", b"x")]),
        "windows path": _zip(members + [("C:/Windows/evil.dll", b"x")]),
        "backslash": _zip(members + [("..\\evil.txt", b"x")]),
        "symlink": _zip(members[:-1] + [("report.pdf", b"/etc/passwd")], mode=stat.S_IFLNK | 0o777),
        "duplicate name": duplicate,
        "zip bomb": _zip(members + [("attachments/zeros.bin", b"\0" * (50 * 1024 * 1024))],
                         compress=zipfile.ZIP_DEFLATED),
        "missing member": _zip([m for m in members if m[0] != "report.xlsx"]),
        "extra member": _zip(members + [("attachments/extra.exe", b"MZ")]),
        "unknown format version": _zip([(MANIFEST, json.dumps(newer).encode())] + members[1:]),
        "not a zip": b"%PDF-1.4 this is not a package",
        "empty": b"",
    }


def _dump(store: Store) -> list[str]:
    return list(store.conn.iterdump())


def test_hostile_archives_are_rejected_and_the_store_is_untouched(store, forms, identity, tmp_path):
    _, package = signed_package(store, forms, identity, tmp_path / "out")
    district = new_report(store, "huyen", communes=0)
    before = _dump(store)
    folder = tmp_path / "hostile"
    folder.mkdir()
    for name, data in hostile_packages(package).items():
        verdict = verify_bytes(data, name, forms)
        assert verdict.status in ("invalid", "unreadable"), name
        assert verdict.problems and verdict.problems[0]["message"], name
        (folder / f"{name.replace(' ', '-')}.cchc").write_bytes(data)
    result = consolidate(store, forms, district, [folder])
    assert {r.status for r in result.received} == {"rejected"}
    assert _dump(store) == before


# --- consolidation -------------------------------------------------------------------------------


def test_consolidation_fills_the_communes_rows_and_the_total(store, forms, p12, tmp_path):
    district = new_report(store, "huyen", communes=3)
    packages = tmp_path / "goi"
    for n, figures in ((1, (10, 2, 8, 9)), (2, (5, 0, 5, 5))):
        with Store.open(tmp_path / f"xa{n}.db") as commune_store, load_p12(p12_of(f"H1.X{n}"), PASS) as identity:
            report = commune_report(commune_store, forms, code=f"H1.X{n}", figures=figures)
            mark_checked(commune_store, forms, report)
            sign_report(commune_store, forms, report, identity, packages)
        enrol_signer(store, f"H1.X{n}", p12_of(f"H1.X{n}"))
    result = consolidate(store, forms, district, [packages])
    assert [r.status for r in result.received] == ["accepted", "accepted"]
    cells = store.cells.get(district)["TH"]
    assert cells["unit:H1.X1"] == {"tong": "10", "ky_truoc": "2", "moi": "8", "giai_quyet": "9"}
    assert cells["unit:H1.X2"] == {"tong": "5", "ky_truoc": "0", "moi": "5", "giai_quyet": "5"}
    assert cells["cong"] == {"tong": "15", "ky_truoc": "2", "moi": "13", "giai_quyet": "14"}
    states = {u["code"]: u["cells"]["năm 2020"]["state"] for u in result.matrix["units"]}
    assert states == {"H1.X1": "late", "H1.X2": "late", "H1.X3": "missing"}  # signed today, for 2020
    assert not [f for f in result.findings if f.severity == "error"]


def test_a_newer_version_replaces_the_older_and_the_history_stays(store, forms, p12, tmp_path):
    district = new_report(store, "huyen", communes=1)
    with Store.open(tmp_path / "xa.db") as commune_store, load_p12(p12, PASS) as identity:
        report = commune_report(commune_store, forms, code="H1.X1")
        mark_checked(commune_store, forms, report)
        first = sign_report(commune_store, forms, report, identity, tmp_path / "v1").filename
        unlock(commune_store, report, "Xã báo lại số hồ sơ mới nhận")
        ops.enter_cells(commune_store, forms, report, "KQ", [("r", "moi", "9"), ("r", "tong", "11")])
        mark_checked(commune_store, forms, report)
        second = sign_report(commune_store, forms, report, identity, tmp_path / "v2").filename
    enrol_signer(store, "H1.X1", p12)
    # the newer arrives first, then the older: the newer stays current either way
    result = consolidate(store, forms, district, [Path(second), Path(first)])
    assert [r.status for r in result.received] == ["accepted", "superseded"]
    assert store.cells.get(district)["TH"]["unit:H1.X1"]["moi"] == "9"
    history = store.submissions.all(["H1.X1"])
    assert sorted((s.report_version, s.superseded_by is None) for s in history) == [(1, False), (2, True)]


def test_a_package_of_another_unit_or_period_is_rejected(store, forms, identity, tmp_path):
    _, package = signed_package(store, forms, identity, tmp_path)
    other = new_report(store, "huyen", unit="H2", communes=1)
    path = tmp_path / "goi.cchc"
    path.write_bytes(package)
    result = consolidate(store, forms, other, [path])
    assert result.received[0].status == "rejected" and "không thuộc" in result.received[0].message


# Khánh Sơn's communes whose rows of seed 000 add up (all but Ba Cụm Nam and Sơn Bình), by official code
SIGNED = ("22732.cu", "22729.cu", "22714.cu", "22723.cu", "22720.cu", "22717.cu")


def test_consolidating_the_demo_communes_reproduces_the_districts_rows(real_catalog, tmp_path):
    from desktop.app.demo import enrol_demo_certificates, load_demo, unit_tree, write_commune_packages

    written, refused = write_commune_packages(real_catalog, tmp_path / "goi")
    # Ba Cụm Nam and Sơn Bình print rows that do not add up: their reports cannot pass the check
    assert sorted(refused) == ["22726.cu", "22735.cu"] and len(written) == 6
    with Store.open(tmp_path / "demo.db") as printed:
        load_demo(printed, real_catalog)
        printed_id = next(r.id for r in printed.reports.all() if r.unit_code == "KH.KS")
        printed_rows = printed.cells.get(printed_id)["PL6"]
    with Store.open(tmp_path / "huyen.db") as store:
        for unit in unit_tree().values():
            store.units.add(unit["code"], unit["name"], unit["level"], unit["parent"], unit["position"])
        report, _ = ops.create_report(store, real_catalog, "KH.KS", Period("nam", 2019), "khanhhoa-huyen", 1)
        assert enrol_demo_certificates(store, tmp_path / "goi") == sorted(SIGNED)
        result = consolidate(store, real_catalog, report, [tmp_path / "goi"])
        rows = store.cells.get(report)["PL6"]
    for code in SIGNED:
        assert rows[f"unit:{code}"] == printed_rows[f"unit:{code}"], code
    assert "unit:22735.cu" not in rows and "unit:22726.cu" not in rows
    states = {u["code"]: u["cells"]["năm 2019"]["state"] for u in result.matrix["units"]}
    assert states["22735.cu"] == states["22726.cu"] == "missing"
    # judged on receipt (today, after the 2019 deadline), whatever time the package says it was signed
    assert {states[code] for code in SIGNED} == {"late"}
    cell = next(u for u in result.matrix["units"] if u["code"] == "22732.cu")["cells"]["năm 2019"]
    assert cell["received_at"] and cell["signed_at"]
    # the total row is the six communes' sum, as the form's own total rule computes it
    assert rows["tong"]["nhan_trong_ky"] == str(sum(int(rows[f"unit:{c}"]["nhan_trong_ky"]) for c in SIGNED))


# --- the command line ---------------------------------------------------------------------------------


def test_cli_sign_verify_and_exit_codes(tmp_path, forms, p12, monkeypatch):
    db = tmp_path / "xa.db"
    with Store.open(db) as store:
        report = commune_report(store, forms)
    forms_root = tmp_path / "forms"
    (tmp_path / "q.p12").write_bytes(p12)
    (tmp_path / "pass.txt").write_text(PASS + "\n", encoding="utf-8")
    code, out = cli("--db", str(db), "--forms", str(forms_root), "sign", "--report", str(report),
                    "--p12", str(tmp_path / "q.p12"), "--passphrase-file", str(tmp_path / "pass.txt"),
                    "-o", str(tmp_path / "goi.cchc"))
    assert code == 0 and "goi.cchc" in out and PASS not in out
    code, out = cli("--forms", str(forms_root), "verify", str(tmp_path / "goi.cchc"), "--json")
    assert code == 0 and json.loads(out)["valid"] is True
    tampered = tmp_path / "sua.cchc"
    tampered.write_bytes(_rewrite((tmp_path / "goi.cchc").read_bytes(), "data.json", _flip))
    code, out = cli("--forms", str(forms_root), "verify", str(tampered), "--json")
    assert code == 1 and "data.json" in json.loads(out)["message"]
    (tmp_path / "rac.cchc").write_bytes(b"not a zip")
    assert cli("--forms", str(forms_root), "verify", str(tmp_path / "rac.cchc"), "--json")[0] == 2
    assert cli("--forms", str(forms_root), "verify", str(tmp_path / "khong-co.cchc"), "--json")[0] == 2


@settings(max_examples=150, deadline=None)
@given(names=st.lists(st.text(min_size=1, max_size=40), min_size=1, max_size=6))
@example(names=[":"])  # found by this test on a fresh clone: a drive-relative name on Windows
@example(names=["a:b"])
@example(names=["CON"])
@example(names=["bao-cao.pdf."])
def test_any_member_names_are_refused_or_plain_relative_paths(names):
    """Whatever names an archive carries, reading it either refuses it or yields only names that
    stay inside a folder when written out: no absolute, drive, parent, backslash or duplicate."""
    from desktop.submission.verify import Rejected, read_archive

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive, __import__("warnings").catch_warnings():
        __import__("warnings").simplefilter("ignore")
        for name in names:
            try:
                archive.writestr(zipfile.ZipInfo(name, (2020, 1, 1, 0, 0, 0)), b"x")
            except (ValueError, UnicodeEncodeError):
                return
    try:
        members = read_archive(out.getvalue())
    except (Rejected, zipfile.BadZipFile):
        return
    for name in members:
        parts = name.split("/")
        assert not name.startswith("/") and "\\" not in name and ":" not in name
        assert all(part not in ("", ".", "..") and part[-1] not in ". " for part in parts)
        assert all(part.split(".")[0].lower() not in ("con", "prn", "aux", "nul", "com1", "lpt1") for part in parts)
    assert len({n.casefold() for n in members}) == len(members)

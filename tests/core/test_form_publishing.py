"""Next year's forms without a programmer (issue 26 §3): the province signs and publishes a set,
a commune receives it offline from its parent body's certificate only, new reports take the
version in force, and a draft moves to it with what it drops listed first."""

from __future__ import annotations

import hashlib
import json
import shutil
import zipfile

import pytest
from conftest import REPO, cli, write_set
from openpyxl import load_workbook
from test_signing import PASS, enrol_signer, p12_of

from desktop.app.definitions import compile_workbook
from desktop.exchange.definitions import SET_SHEET, export_workbook, form_sheets
from desktop.foundation.messages import CchcError
from desktop.foundation.paths import forms_dir, received_forms_dir
from desktop.foundation.periods import Period
from desktop.foundation.settings import load_settings, save_settings
from desktop.registry import load_catalog
from desktop.report import ops
from desktop.rules.engine import validate_report
from desktop.store.db import Store
from desktop.submission.formsets import EXTENSION, RECEIVED_NOTE, confirm_forms, publish, read_package, receive
from desktop.submission.identity import load_p12
from desktop.submission.package import archive_bytes
from desktop.submission.register import fingerprint

PROVINCE, COMMUNE = "T", "T.X1"


def commune_store(path) -> Store:
    """A commune's database: its unit under the province, chosen in Thiết lập."""
    store = Store.open(path)
    store.units.add(PROVINCE, "Tỉnh Khánh Hòa", "tinh")
    store.units.add(COMMUNE, "Xã Thử", "xa", PROVINCE)
    save_settings(store, load_settings(store) | {"unit": COMMUNE})
    return store


@pytest.fixture
def commune(tmp_path):
    store = commune_store(tmp_path / "xa.db")
    enrol_signer(store, PROVINCE, p12_of(PROVINCE))  # the province's certificate, handed over once
    yield store
    store.close()


def next_year(tmp_path, *, valid_from="2026-01-01", version=2):
    """The province's officer's new version of the commune form: a column renamed, a row added."""
    book = tmp_path / "dinh-nghia.xlsx"
    book.write_bytes(export_workbook(REPO / "forms" / "khanhhoa-xa-2019"))
    workbook = load_workbook(book)
    columns, rows, _ = form_sheets("KQ")
    for row in workbook[columns].iter_rows(min_row=2):
        if row[1].value == "huy":
            row[2].value = "Hồ sơ hủy, rút"
    workbook[rows].append([1, "cố định", None, "lien_thong", "2", "Hồ sơ liên thông"])
    fields = {r[0].value: r for r in workbook[SET_SHEET].iter_rows(min_row=2)}
    fields["Phiên bản"][1].value = version
    fields["Áp dụng từ ngày"][1].value = valid_from
    fields["Năm"][1].value = 2026
    workbook.save(book)
    folder = tmp_path / f"khanhhoa-xa-{version}"
    compile_workbook(book, folder)
    return folder


def published(tmp_path, folder, key=None) -> bytes:
    with load_p12(key or p12_of(PROVINCE), PASS) as identity:
        data, _ = publish(folder, identity)
    return data


def _file(tmp_path, data: bytes, name="bo.cchcforms"):
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_a_set_published_by_the_province_is_installed_in_the_users_data(tmp_path, commune):
    data = published(tmp_path, next_year(tmp_path))
    manifest, signer, _, files = read_package(data)
    assert manifest["set"] == {"id": "khanhhoa-xa", "version": 2, "name": manifest["set"]["name"],
                               "province": "Khánh Hòa", "year": 2026, "level": "xa", "valid_from": "2026-01-01"}
    assert {e["name"] for e in manifest["files"]} == {"set.yaml", "kq.yaml"} and set(files) == {"set.yaml", "kq.yaml"}
    done = receive(commune, _file(tmp_path, data), received_forms_dir())
    assert done["held"] is None and "Tỉnh Khánh Hòa" in done["message"]
    installed = received_forms_dir() / "khanhhoa-xa-v2"
    assert done["folder"] == str(installed) and (installed / RECEIVED_NOTE).exists()
    assert not str(installed).startswith(str(forms_dir()))  # never the program's folder
    catalog = load_catalog(forms_dir(), received=received_forms_dir())
    new = catalog.get("khanhhoa-xa", 2)
    assert new.source == "received" and new.forms["KQ"].by_id["huy"].label == "Hồ sơ hủy, rút"
    assert catalog.get("khanhhoa-xa", 1).source == "built-in"
    [row] = [r for r in commune.received_forms.of_set("khanhhoa-xa", 2)]
    assert row["state"] == "installed" and row["publisher_code"] == PROVINCE
    assert any(e.action == "forms-installed" for e in commune.audit.entries())


def test_forms_list_json_says_source_signer_and_dates(tmp_path, commune):
    receive(commune, _file(tmp_path, published(tmp_path, next_year(tmp_path))), received_forms_dir())
    code, said = cli("--json", "forms", "list")
    assert code == 0
    listed = {(s["id"], s["version"]): s for s in json.loads(said)}
    new, old = listed[("khanhhoa-xa", 2)], listed[("khanhhoa-xa", 1)]
    assert new["source"] == "received" and new["valid_from"] == "2026-01-01" and new["level"] == "xa"
    assert new["signed_by"] and new["received_at"] and new["name"]
    assert old["source"] == "built-in" and old["signed_by"] is None and old["received_at"] is None


def test_a_tampered_package_is_refused_and_nothing_installed(tmp_path, commune):
    data = published(tmp_path, next_year(tmp_path))
    changed = data.replace("Hồ sơ hủy, rút".encode(), "Hồ sơ hủy, ruut".encode())  # same length
    assert changed != data
    with pytest.raises(CchcError) as refused:
        receive(commune, _file(tmp_path, changed), received_forms_dir())
    assert refused.value.code == "FSET004" and "kq.yaml" in str(refused.value)
    assert not any(received_forms_dir().iterdir())
    with zipfile.ZipFile(_file(tmp_path, data)) as archive:  # rebuilt with its CRCs right: the manifest's digest says
        members = [(n, archive.read(n).replace("rút".encode(), "rat".encode())) for n in archive.namelist()]
    with pytest.raises(CchcError) as refused:
        receive(commune, _file(tmp_path, archive_bytes(members), "sua.cchcforms"), received_forms_dir())
    assert refused.value.code == "FSET004" and "kq.yaml" in str(refused.value) and "sau khi ký" in str(refused.value)
    assert not any(received_forms_dir().iterdir())


def test_an_unsigned_package_and_one_with_a_path_outside_its_folder_are_refused(tmp_path, commune):
    data = published(tmp_path, next_year(tmp_path))
    with zipfile.ZipFile(_file(tmp_path, data)) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    unsigned = archive_bytes([(n, c) for n, c in members.items() if n != "manifest.p7s"])
    with pytest.raises(CchcError) as refused:
        receive(commune, _file(tmp_path, unsigned, "khong-ky.cchcforms"), received_forms_dir())
    assert refused.value.code == "FSET004" and "manifest" in str(refused.value)
    outside = archive_bytes(list(members.items()) + [("files/../../ngoai.yaml", b"id: x\n")])
    with pytest.raises(CchcError) as refused:
        receive(commune, _file(tmp_path, outside, "ngoai.cchcforms"), received_forms_dir())
    assert refused.value.code == "FSET004" and "ra ngoài gói" in str(refused.value)
    assert not any(received_forms_dir().iterdir()) and not (tmp_path / "ngoai.yaml").exists()


def test_a_set_signed_by_another_units_certificate_is_refused(tmp_path, commune):
    commune.units.add("T.X2", "Xã Bên", "xa", PROVINCE)
    enrol_signer(commune, "T.X2", p12_of("T.X2"))  # a neighbour's certificate, registered for the neighbour
    data = published(tmp_path, next_year(tmp_path), key=p12_of("T.X2"))
    with pytest.raises(CchcError) as refused:
        receive(commune, _file(tmp_path, data), received_forms_dir())
    assert refused.value.code == "FSET013" and "enrol-certificate --unit T" in str(refused.value)
    assert not any(received_forms_dir().iterdir())


def test_an_unknown_signer_is_held_until_its_fingerprint_is_confirmed(tmp_path):
    store = commune_store(tmp_path / "moi.db")  # has not registered the province's certificate
    try:
        data = published(tmp_path, next_year(tmp_path))
        done = receive(store, _file(tmp_path, data), received_forms_dir())
        assert done["held"] and "cchc forms confirm --package" in done["message"]
        assert not any(received_forms_dir().iterdir())
        with pytest.raises(CchcError) as wrong:
            confirm_forms(store, done["held"][:12], "0000 0000 0000 0000 0000", received_forms_dir())
        assert wrong.value.code == "CERT014"
        with load_p12(p12_of(PROVINCE), PASS) as identity:
            sha = identity.cert_sha256
        confirmed = confirm_forms(store, done["held"][:12], fingerprint(sha)[:24], received_forms_dir())
        assert confirmed["folder"] and (received_forms_dir() / "khanhhoa-xa-v2" / "kq.yaml").exists()
        assert store.certificates.get(sha).unit_code == PROVINCE  # registered for the province from now on
    finally:
        store.close()


def test_a_broken_set_is_not_published_nor_installed(tmp_path, commune):
    folder = next_year(tmp_path)
    text = (folder / "kq.yaml").read_text(encoding="utf-8")
    (folder / "kq.yaml").write_text(text.replace("equals: ky_truoc + nhan_trong_ky", "equals: khong_co + cot"),
                                    encoding="utf-8")
    with pytest.raises(CchcError) as refused:
        published(tmp_path, folder)
    assert refused.value.code == "FSET001" and "khong_co" in str(refused.value)


def test_a_published_version_never_changes_its_content(tmp_path, commune):
    folder = tmp_path / "khanhhoa-xa-2019"
    shutil.copytree(REPO / "forms" / "khanhhoa-xa-2019", folder)  # the shipped v1, renamed
    text = (folder / "kq.yaml").read_text(encoding="utf-8")
    (folder / "kq.yaml").write_text(text.replace("label: Hồ sơ hủy}", "label: Hồ sơ bị hủy}"), encoding="utf-8")
    with pytest.raises(CchcError) as refused:
        receive(commune, _file(tmp_path, published(tmp_path, folder)), received_forms_dir())
    assert refused.value.code == "FSET018" and "phiên bản mới" in str(refused.value)


def test_a_package_larger_than_any_set_is_refused_unread(tmp_path, commune):
    path = tmp_path / "lon.cchcforms"
    with open(path, "wb") as stream:
        stream.truncate(2 * 1024 ** 3)  # 2 GB, sparse
    with pytest.raises(CchcError) as refused:
        receive(commune, path, received_forms_dir())
    assert refused.value.code == "FSET004" and "MB" in str(refused.value)


def test_the_new_version_is_offered_from_its_valid_from_and_old_reports_keep_theirs(tmp_path, commune):
    receive(commune, _file(tmp_path, published(tmp_path, next_year(tmp_path, valid_from="2026-07-01"))),
            received_forms_dir())
    catalog = load_catalog(forms_dir(), received=received_forms_dir())

    def offered(period):
        return [(s.id, s.version) for s in ops.form_sets_for(commune, catalog, COMMUNE, period) if s.id == "khanhhoa-xa"]

    assert offered(Period("quy", 2026, 1)) == [("khanhhoa-xa", 1)]  # ends 31/3, before 1/7
    assert offered(Period("quy", 2026, 3)) == [("khanhhoa-xa", 2)]
    assert offered(Period("nam", 2026)) == [("khanhhoa-xa", 2)]
    old, _ = ops.create_report(commune, catalog, COMMUNE, Period("quy", 2026, 1), "khanhhoa-xa", 1)
    ops.enter_cells(commune, catalog, old, "KQ", [("tong", "tong_so", "9"), ("tong", "ky_truoc", "3"),
                                                 ("tong", "nhan_trong_ky", "5")])
    assert commune.reports.get(old).form_set_version == 1
    findings = validate_report(commune, catalog, old)  # still checked on v1: its Tổng số is 3 + 5
    assert [(f.row_id, f.column_id, f.expected) for f in findings if f.severity == "error"] == [("tong", "tong_so", 8)]
    assert all(f.row_id != "lien_thong" for f in findings)


def test_a_draft_moves_to_the_new_version_listing_what_it_drops_and_undoes(tmp_path, commune):
    folder = next_year(tmp_path)
    text = (folder / "kq.yaml").read_text(encoding="utf-8")
    (folder / "kq.yaml").write_text(text.replace("  - {id: dung_tinh, label: Dừng tính}\n", ""), encoding="utf-8")
    text = (folder / "kq.yaml").read_text(encoding="utf-8")
    (folder / "kq.yaml").write_text(text.replace("trong_han + qua_han + dung_tinh", "trong_han + qua_han"),
                                    encoding="utf-8")
    receive(commune, _file(tmp_path, published(tmp_path, folder)), received_forms_dir())
    catalog = load_catalog(forms_dir(), received=received_forms_dir())
    report, _ = ops.create_report(commune, catalog, COMMUNE, Period("nam", 2025), "khanhhoa-xa", 1)
    ops.enter_cells(commune, catalog, report, "KQ", [("tong", "ky_truoc", "3"), ("tong", "dung_tinh", "2"),
                                                    ("tong", "huy", "1")])
    plan = ops.upgrade_plan(commune, catalog, report, 2)
    assert plan.moved == 2 and [(c.row, c.column, c.old) for c in plan.dropped] == [("tong", "dung_tinh", "2")]
    assert plan.dropped_lines(catalog) == ["Biểu số 01/KQGQ-XA / dòng “1. Hồ sơ thủ tục hành chính thuộc thẩm quyền "
                                           "giải quyết của UBND cấp xã” / Dừng tính: 2"]
    assert commune.reports.get(report).form_set_version == 1  # a plan changes nothing
    ops.upgrade_report(commune, catalog, report, 2)
    assert commune.reports.get(report).form_set_version == 2
    assert commune.cells.get(report)["KQ"]["tong"] == {"ky_truoc": "3", "huy": "1"}
    assert any(e.action == "upgrade" and e.old == "2" for e in commune.audit.entries(report))
    ops.undo_upgrade(commune, plan)
    assert commune.reports.get(report).form_set_version == 1
    assert commune.cells.get(report)["KQ"]["tong"]["dung_tinh"] == "2"


def test_cli_upgrade_report_lists_before_it_moves(tmp_path, commune):
    folder = next_year(tmp_path)
    receive(commune, _file(tmp_path, published(tmp_path, folder)), received_forms_dir())
    catalog = load_catalog(forms_dir(), received=received_forms_dir())
    report, _ = ops.create_report(commune, catalog, COMMUNE, Period("nam", 2025), "khanhhoa-xa", 1)
    db = str(commune.path)
    code, said = cli("--db", db, "--json", "upgrade-report", "--report", str(report), "--to", "2")
    assert code == 0 and json.loads(said)["upgraded"] is True  # nothing dropped: moved at once
    code, _ = cli("--db", db, "upgrade-report", "--report", str(report), "--to", "7")
    assert code != 0


def test_a_province_officers_walk(tmp_path, commune, capsys):
    """Export a set, change a column label and add a row in the workbook, import, publish,
    receive in a commune's database, make a report on the new version, upgrade an old draft:
    every step through ``cchc`` as the officer and the clerk type it."""
    officer = tmp_path / "so-noi-vu"
    officer.mkdir()
    book = officer / "dinh-nghia.xlsx"
    assert cli("forms", "export-xlsx", str(REPO / "forms" / "khanhhoa-xa-2019"), "-o", str(book))[0] == 0
    workbook = load_workbook(book)
    columns, rows, _ = form_sheets("KQ")
    [label] = [r[2] for r in workbook[columns].iter_rows(min_row=2) if r[1].value == "nhan_trong_ky"]
    label.value = "Mới tiếp nhận trong kỳ"
    workbook[rows].append([1, "cố định", None, "lien_thong", "2", "Hồ sơ liên thông"])
    fields = {r[0].value: r for r in workbook[SET_SHEET].iter_rows(min_row=2)}
    fields["Phiên bản"][1].value, fields["Áp dụng từ ngày"][1].value = 2, "2026-01-01"
    workbook.save(book)
    folder = officer / "khanhhoa-xa-2026"
    assert cli("forms", "import-xlsx", str(book), "-o", str(folder))[0] == 0
    assert cli("forms", "check", str(folder))[0] == 0
    key, secret = officer / "tinh.p12", officer / "mat-khau.txt"
    key.write_bytes(p12_of(PROVINCE))
    secret.write_text(PASS + "\n", encoding="utf-8")
    package = officer / f"bo{EXTENSION}"
    assert cli("forms", "publish", str(folder), "--p12", str(key), "--passphrase-file", str(secret),
               "-o", str(package))[0] == 0
    db = str(commune.path)
    catalog = load_catalog(forms_dir(), received=received_forms_dir())
    draft, _ = ops.create_report(commune, catalog, COMMUNE, Period("nam", 2025), "khanhhoa-xa", 1)
    ops.enter_cells(commune, catalog, draft, "KQ", [("tong", "nhan_trong_ky", "12")])
    code, said = cli("--db", db, "forms", "receive", str(package))
    assert code == 0, capsys.readouterr().err
    code, said = cli("--db", db, "--json", "new-report", "--unit", COMMUNE, "--period", "nam", "--year", "2026",
                     "--form-set", "khanhhoa-xa")
    assert code == 0 and json.loads(said)["version"] == 2
    code, said = cli("--db", db, "--json", "upgrade-report", "--report", str(draft), "--to", "2")
    assert code == 0 and json.loads(said)["moved"] == 1
    catalog = load_catalog(forms_dir(), received=received_forms_dir())
    form = catalog.get("khanhhoa-xa", 2).forms["KQ"]
    assert form.by_id["nhan_trong_ky"].label == "Mới tiếp nhận trong kỳ"
    assert [r.id for r in form.rows] == ["tong", "lien_thong"]
    assert commune.cells.get(draft)["KQ"]["tong"]["nhan_trong_ky"] == "12"
    assert hashlib.sha256(package.read_bytes()).hexdigest() == commune.received_forms.of_set("khanhhoa-xa", 2)[0]["sha256"]


def test_a_set_published_with_the_provinces_usb_token(tmp_path, token):
    """The Sở's certificate on a token (SoftHSM2 standing in): publish signs with the key that never
    leaves it, and a commune that registered that certificate installs the set."""
    from cryptography.hazmat.primitives.serialization import Encoding

    from desktop.submission.identity import open_token
    from desktop.submission.register import enrol

    with open_token(token.library, token.pin, token_label=token.label) as identity:
        data, manifest = publish(next_year(tmp_path), identity)
        der = identity.certificate.public_bytes(Encoding.DER)
    assert manifest["publisher"]["subject"] == "Ủy ban nhân dân xã Token"
    store = commune_store(tmp_path / "xa-token.db")
    try:
        enrol(store, PROVINCE, der)
        done = receive(store, _file(tmp_path, data), received_forms_dir())
        assert done["held"] is None and (received_forms_dir() / "khanhhoa-xa-v2" / "set.yaml").exists()
    finally:
        store.close()

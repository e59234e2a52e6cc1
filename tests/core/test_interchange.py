"""One report <-> one JSON document."""

import copy
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import catalog_of, new_report

from desktop.exchange.interchange import export_report, import_report
from desktop.foundation.messages import CchcError
from desktop.foundation.periods import Period
from desktop.report.ops import enter_cells
from desktop.store.db import Store

FORM = """
code: T
printed_code: Phụ lục T
title: NHIỆM VỤ
columns:
  - {id: stt, label: STT, kind: row_code}
  - {id: ten, label: Nhiệm vụ, kind: row_label}
  - {id: so, label: Số}
  - {id: bien_dong, label: Tăng/giảm, type: integer}
  - {id: ty_le, label: Tỷ lệ, type: percent}
  - {id: ngay, label: Ngày ban hành, type: date}
  - {id: co, label: Có kế hoạch, type: bool}
  - {id: tien_do, label: Tiến độ, type: choice, choices: [Đã hoàn thành, Đang thực hiện]}
  - {id: ghi_chu, label: Ghi chú, type: text}
rows:
  - {id: A, code: I, label: Nhóm I, style: group}
  - {repeat: tasks}
  - units: xa
"""


@pytest.fixture
def filled(tmp_path, store):
    catalog = catalog_of(tmp_path, {"t.yaml": FORM})
    report = new_report(store, communes=2)
    store.reports.update(report, doc_number="12/BC-UBND", signer_name="[Họ tên]")
    row = store.rows.add(report, "T", "tasks")
    enter_cells(store, catalog, report, "T", [
        ("A", "so", "1.562"), ("A", "bien_dong", "-3"), ("A", "ty_le", "93,66"), ("A", "ngay", "05/01/2020"),
        ("A", "co", "Có"), ("A", "tien_do", "Đang thực hiện"), ("A", "ghi_chu", "Ghi chú “có dấu”"),
        (row, "ten", "Nhiệm vụ tự thêm"), ("unit:H1.X2", "so", "7"),
    ])
    store.attachments.add(report, "T", row, "minh-chung.pdf", b"%PDF minh chung")
    return catalog, report


def test_export_then_import_reproduces_the_report(tmp_path, store, filled):
    catalog, report = filled
    document = export_report(store, catalog, report)
    assert document["forms"]["T"]["cells"]["A"]["so"] == 1562
    assert document["forms"]["T"]["cells"]["A"]["ty_le"] == 93.66
    assert document["forms"]["T"]["cells"]["A"]["ngay"] == "2020-01-05"
    text = json.dumps(document, ensure_ascii=False)
    with Store.open(tmp_path / "other.db") as other:
        new_id = import_report(other, catalog, json.loads(text))
        again = export_report(other, catalog, new_id)
        assert again == document
        assert other.cells.get(new_id) == store.cells.get(report)
        assert other.reports.get(new_id).doc_number == "12/BC-UBND"
        assert [u.code for u in other.units.children("H1")] == ["H1.X1", "H1.X2"]


@pytest.mark.parametrize("mutate, code", [
    (lambda d: d.update(format="khac"), "JSON002"),
    (lambda d: d.update(format_version=9), "JSON003"),
    (lambda d: d["form_set"].update(version=7), "JSON004"),
    (lambda d: d["forms"].update(ZZ={}), "JSON006"),
    (lambda d: d["forms"]["T"]["cells"]["A"].update(so="nhiều"), "JSON005"),
    (lambda d: d["forms"]["T"]["cells"]["A"].update(so=-1), "JSON005"),
    (lambda d: d["forms"]["T"]["cells"]["A"].update(tien_do="Xong"), "JSON005"),
    (lambda d: d["forms"]["T"]["cells"].update({"khong-co": {"so": 1}}), "JSON005"),
    (lambda d: d["forms"]["T"]["cells"]["A"].update(ten="đổi tên dòng cố định"), "JSON005"),
    (lambda d: d["attachments"][0].update(content="AAAA"), "JSON007"),
    (lambda d: d["unit"].update(level="thon"), "JSON002"),
    (lambda d: d["period"].update(type="tuan"), "JSON002"),
    (lambda d: d["report"].update(status="da_duyet"), "JSON002"),
])
def test_a_bad_document_is_refused_and_changes_nothing(tmp_path, store, filled, mutate, code):
    catalog, report = filled
    document = copy.deepcopy(export_report(store, catalog, report))
    mutate(document)
    with Store.open(tmp_path / "other.db") as other:
        with pytest.raises(CchcError) as raised:
            import_report(other, catalog, document)
        assert raised.value.code == code
        assert other.reports.all() == [] and other.units.all() == []


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=10),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=5), children, max_size=3),
    max_leaves=10,
)


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(path=st.sampled_from(["unit", "period", "form_set", "report", "forms", "child_units", "attachments"]),
       value=json_values)
def test_any_garbage_in_any_field_is_refused_cleanly(tmp_path_factory, path, value):
    """Property: whatever a field holds, import either succeeds or raises a catalogued error; never a crash."""
    root = tmp_path_factory.mktemp("p")
    catalog = catalog_of(root, {"t.yaml": FORM})
    with Store.open(root / "a.db") as store:
        report = new_report(store, communes=1)
        document = export_report(store, catalog, report)
    document[path] = value
    with Store.open(root / "b.db") as other:
        try:
            import_report(other, catalog, document)
        except CchcError as error:
            assert error.code.startswith(("JSON", "NUM", "STORE"))
            assert other.reports.all() == []


def test_many_documents_import_in_one_run_all_or_nothing_after_one_backup(tmp_path, store):
    """`cchc import a.json b.json …`: one backup, one transaction; a refused document (or two for
    the same report) and nothing of the batch is imported."""
    from conftest import catalog_of, cli

    from desktop.exchange.interchange import dumps, export_report
    from desktop.store.backups import list_backups
    from desktop.store.db import Store

    catalog = catalog_of(tmp_path, {"t.yaml": FORM})
    paths = []
    for year in (2019, 2020, 2021):
        report = new_report(store, period=Period("nam", year))
        enter_cells(store, catalog, report, "T", [("A", "so", str(year))])
        path = tmp_path / f"bc-{year}.json"
        path.write_text(dumps(export_report(store, catalog, report)), encoding="utf-8")
        paths.append(path)
    target = tmp_path / "huyen.db"
    forms = str(tmp_path / "forms")
    code, _ = cli("--db", str(target), "--forms", forms, "import", str(paths[0]), str(paths[1]), str(paths[0]))
    assert code == 2  # the same report twice: nothing of the batch
    with Store.open(target, daily_backup=False) as other:
        assert other.reports.all() == []
    code, out = cli("--db", str(target), "--forms", forms, "--json", "import", *map(str, paths))
    assert code == 0 and len(__import__("json").loads(out)["reports"]) == 3
    with Store.open(target, daily_backup=False) as other:
        assert sorted(r.year for r in other.reports.all()) == [2019, 2020, 2021]
    assert len([p for p in list_backups(target) if "truoc-nhap" in p.name]) == 1


def test_a_key_given_twice_is_refused_not_the_last_one_taken(tmp_path, store, filled):
    """Issue 27: inside a document the PDF showed 1177 while the receiver took the later 9177."""
    from desktop.exchange.interchange import read_document

    catalog, report = filled
    text = json.dumps(export_report(store, catalog, report), ensure_ascii=False)
    doubled = text.replace('"so": 1562', '"so": 1177, "so": 9177', 1)
    assert doubled != text
    (tmp_path / "hai-lan.json").write_text(doubled, encoding="utf-8")
    with pytest.raises(CchcError) as refused:
        read_document(tmp_path / "hai-lan.json")
    assert "“so” xuất hiện hai lần" in str(refused.value)
    (tmp_path / "hong.json").write_text("{\"format\": ", encoding="utf-8")
    with pytest.raises(CchcError) as refused:
        read_document(tmp_path / "hong.json")
    assert "sai cú pháp ở dòng 1" in str(refused.value) and "Expecting" not in str(refused.value)


def test_an_attachment_on_a_row_the_report_does_not_have_is_refused(tmp_path, store, filled):
    """Issue 27: evidence filed on a form and row that do not exist was imported."""
    catalog, report = filled
    document = export_report(store, catalog, report)
    for form, row in (("T", "khong-co"), ("KHONG", "A")):
        bad = copy.deepcopy(document)
        bad["attachments"][0].update(form=form, row=row)
        with Store.open(tmp_path / f"other-{form}.db") as other:
            with pytest.raises(CchcError) as refused:
                import_report(other, catalog, bad)
            assert "attachments" in str(refused.value) and other.reports.all() == []

"""A third report kind, written here in the test folder alone: the core needs no change for it.

The toy kind is a checklist (danh mục kiểm tra): ``set.yaml`` says ``kind: kiem_tra`` and
lists its items; the kind compiles them into a form (one row per item, "Đạt" and "Ghi chú"
columns), checks that every item is answered and that a failed item says why, and prints a
one-line summary before the table. Loaded with the application's kinds plus this one, it
loads, validates, exports to JSON and back, and prints to PDF like any report.
"""

from __future__ import annotations

import io
import json

import pypdf
import pytest

from desktop.exchange.interchange import dumps, export_report, import_report
from desktop.exchange.pdf import write_pdf
from desktop.exchange.annex import build_annexes
from desktop.exchange.body import para
from desktop.foundation.periods import Period
from desktop.foundation.values import CellType
from desktop.registry import KINDS, PARTS, load_catalog
from desktop.report import ops
from desktop.rules.engine import Finding, validate_report
from desktop.schema.kinds import Document
from desktop.schema.loader import add_forms
from desktop.schema.model import Column, Form, RowSpec
from desktop.store.db import Store


class ChecklistKind:
    name = "kiem_tra"
    label = "Danh mục kiểm tra"
    set_fields = ("title", "items")

    def load(self, form_set, fields, directory, shown, problems) -> bool:
        title = fields.get("title", required=True, default="")
        items = fields.get("items", list, required=True, default=[])
        if fields.failed:
            return False
        columns = [Column("STT", "stt", kind="row_code"), Column("Nội dung kiểm tra", "noi_dung", kind="row_label"),
                   Column("Đạt", "dat", number=3, ctype=CellType("bool")),
                   Column("Ghi chú", "ghi_chu", number=4, ctype=CellType("text"))]
        rows = [RowSpec("fixed", id=f"m{n}", code=str(n), label=str(item)) for n, item in enumerate(items, 1)]
        before = len(problems)
        add_forms(form_set, [Form("DM", "Danh mục", title, columns, rows, [], file=fields.file)], problems)
        return len(problems) == before

    def validate(self, data) -> list:
        scope = data.scope("DM")
        found = []
        for row in scope.layout.rows:
            done = scope.cell(row.id, scope.form.by_id["dat"])
            note = scope.cell(row.id, scope.form.by_id["ghi_chu"])
            if done is None or (done is False and not note):
                found.append(Finding(data.id, "Danh mục", row.title, "Đạt", "error", "kiem_tra", done, True,
                                     f"Mục “{row.label}” chưa trả lời" if done is None
                                     else f"Mục “{row.label}” không đạt mà chưa ghi lý do", "DM", row.id, "dat"))
        return found

    def document(self, data) -> Document:
        scope = data.scope("DM")
        answers = [scope.cell(row.id, scope.form.by_id["dat"]) for row in scope.layout.rows]
        summary = para(f"Đạt {sum(1 for a in answers if a)}/{len(answers)} mục kiểm tra.")
        return Document(annexes=build_annexes(data), blocks=[summary])

    def receives(self, form_set) -> set[str]:
        return set()


SET = """\
id: kiem-tra
kind: kiem_tra
name: Danh mục tự kiểm tra công tác CCHC
province: Thử
year: 2026
version: 1
level: xa
title: DANH MỤC TỰ KIỂM TRA CÔNG TÁC CẢI CÁCH HÀNH CHÍNH NĂM {year}
items:
  - Có kế hoạch CCHC năm
  - Niêm yết công khai thủ tục hành chính
  - Bộ phận một cửa hoạt động
"""


@pytest.fixture
def catalog(tmp_path):
    (tmp_path / "forms" / "kiem-tra").mkdir(parents=True)
    (tmp_path / "forms" / "kiem-tra" / "set.yaml").write_text(SET, encoding="utf-8")
    loaded = load_catalog(tmp_path / "forms", KINDS + (ChecklistKind(),), PARTS)
    assert not loaded.problems, loaded.problems
    return loaded


def test_without_the_kind_the_set_is_a_problem_naming_the_kinds_known(tmp_path, catalog):
    plain = load_catalog(tmp_path / "forms")
    assert plain.sets == {} and "kiem_tra" in plain.problems[0].text and "chi_so" in plain.problems[0].text


def test_the_toy_kind_loads_validates_travels_and_prints(tmp_path, catalog, store):
    form_set = catalog.get("kiem-tra", 1)
    assert form_set.kind.name == "kiem_tra" and [r.label for r in form_set.forms["DM"].rows][0] == "Có kế hoạch CCHC năm"
    store.units.add("X1", "Xã Thử", "xa")
    report = store.reports.create("X1", Period("nam", 2026), "kiem-tra", 1)
    assert [f.row_id for f in validate_report(store, catalog, report)] == ["m1", "m2", "m3"]
    ops.enter_cells(store, catalog, report, "DM", [("m1", "dat", "Có"), ("m2", "dat", "Không"), ("m3", "dat", "Có")])
    [left] = validate_report(store, catalog, report)
    assert left.row_id == "m2" and "chưa ghi lý do" in left.message
    ops.enter_cells(store, catalog, report, "DM", [("m2", "ghi_chu", "Bảng niêm yết đang làm lại")])
    assert validate_report(store, catalog, report) == []

    document = json.loads(dumps(export_report(store, catalog, report)))
    assert document["forms"]["DM"]["cells"]["m2"] == {"dat": False, "ghi_chu": "Bảng niêm yết đang làm lại"}
    with Store.open(tmp_path / "khac.db") as other:
        copy = import_report(other, catalog, document)
        assert other.cells.get(copy) == store.cells.get(report) and validate_report(other, catalog, copy) == []

    path = write_pdf(store, catalog, report, tmp_path / "kiem-tra.pdf")
    text = " ".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(path.read_bytes())).pages)
    text = " ".join(text.split())
    assert "Đạt 2/3 mục kiểm tra." in text and "Bộ phận một cửa hoạt động" in text
    assert "DANH MỤC TỰ KIỂM TRA CÔNG TÁC CẢI CÁCH HÀNH CHÍNH NĂM 2026" in text

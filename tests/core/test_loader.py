"""Form definitions: what a good one builds, and what a broken one says."""

from conftest import catalog_of, write_set

from desktop.registry import load_catalog

GOOD = """
code: 5B
printed_code: Biểu mẫu 5B
title: THỐNG KÊ
numbered: true
columns:
  - {id: stt, label: STT, kind: row_code}
  - {id: ten, label: Cơ quan, kind: row_label}
  - label: Số hồ sơ đã tiếp nhận
    children:
      - {id: tong, label: Tổng số, equals: "(4)+(5)"}
      - label: Trong đó
        children:
          - {id: ky_truoc, label: Kỳ trước}
          - {id: moi, label: Mới}
  - {id: ghi_chu, label: Ghi chú, type: text}
rows:
  - {id: I, code: I, label: Cấp huyện}
  - id: II
    code: II
    label: Cấp xã
    total: children
    children:
      - units: xa
  - {id: tong_so, label: "Tổng số = (I) + (II)", style: total, total: [I, II]}
"""


def test_a_good_form_builds_its_header_tree_numbers_and_rules(tmp_path):
    catalog = catalog_of(tmp_path, {"5b.yaml": GOOD})
    assert catalog.problems == []
    form = catalog.get("test", 1).forms["5B"]
    assert [c.number for c in form.leaves] == [1, 2, 3, 4, 5, 6]
    assert form.header_depth() == 3
    assert form.by_number[3].number_label == "(3)=(4)+(5)"
    assert form.column_label(form.by_id["moi"]) == "Số hồ sơ đã tiếp nhận / Trong đó / Mới (5)"
    generated = {(r.id, r.kind) for r in form.rules}
    assert generated == {("(3)=(4)+(5)", "identity"), ("tổng:II", "total"), ("tổng:tong_so", "total")}
    total = next(r for r in form.rules if r.id == "tổng:II")
    assert total.columns == ("tong", "ky_truoc", "moi")  # text columns do not add up


def test_a_yaml_syntax_error_names_file_and_line(tmp_path):
    broken = GOOD.replace("  - {id: ghi_chu, label: Ghi chú, type: text}", "  - {id: ghi_chu, label: [Ghi chú")
    catalog = catalog_of(tmp_path, {"5b.yaml": broken})
    problem = catalog.problems[0]
    assert problem.code == "FORM002"
    assert problem.file.endswith("5b.yaml") and problem.line in (16, 17)
    assert "dòng" in problem.text


def test_unknown_field_missing_field_and_bad_value_each_name_their_line(tmp_path):
    broken = (GOOD.replace("title: THỐNG KÊ\n", "")  # missing title
              .replace("{id: moi, label: Mới}", "{id: moi, label: Mới, colour: red}")  # line 14
              .replace("label: Cấp huyện}", "label: Cấp huyện, style: fancy}"))  # line 16
    catalog = catalog_of(tmp_path, {"5b.yaml": broken})
    found = {(p.code, p.line) for p in catalog.problems}
    assert ("FORM003", 1) in found  # title: reported at the form's first line
    assert ("FORM005", 13) in found  # "colour" is not a field
    assert ("FORM007", 16) in found  # "fancy" is not a style
    colour = next(p for p in catalog.problems if p.code == "FORM005")
    assert "colour" in colour.text and "cột “moi”" in colour.text and "label" in colour.text


def test_bad_expressions_name_their_line(tmp_path):
    broken = GOOD + """rules:
  - {id: r2, check: "tong +"}
  - {id: r3, check: "tong + 1"}
"""
    catalog = catalog_of(tmp_path, {"5b.yaml": broken})
    codes = [(p.code, p.line) for p in catalog.problems]
    assert ("FORM008", 26) in codes  # syntax
    assert ("FORM008", 27) in codes  # not a comparison
    assert "phép so sánh" in catalog.problems[1].text
    assert codes[-1][0] == "FORM017"


def test_references_to_nothing_are_refused(tmp_path):
    broken = GOOD + """rules:
  - {id: r1, check: "tong <= khong_co"}
  - {id: r4, check: 'cell("III", tong) == 0'}
  - {id: r5, check: '#9 == 0'}
  - {id: r6, check: '@ == 0'}
  - {id: r7, check: 'form("9Z", "x", tong) == 0'}
"""
    catalog = catalog_of(tmp_path, {"5b.yaml": broken})
    codes = [(p.code, p.line) for p in catalog.problems]
    assert codes[:5] == [("FORM009", 26), ("FORM009", 27), ("FORM009", 28), ("FORM008", 29), ("FORM009", 30)]


def test_duplicates_are_refused(tmp_path):
    broken = GOOD.replace("{id: moi, label: Mới}", "{id: ky_truoc, label: Mới}")
    catalog = catalog_of(tmp_path, {"5b.yaml": broken})
    assert any(p.code == "FORM006" and "ky_truoc" in p.text for p in catalog.problems)
    dup_key = GOOD.replace("title: THỐNG KÊ\n", "title: THỐNG KÊ\ntitle: LẠI\n")
    catalog = catalog_of(tmp_path / "2", {"5b.yaml": dup_key})
    assert catalog.problems[0].code == "FORM006" and catalog.problems[0].line == 4


def test_one_broken_form_leaves_the_rest_of_the_set_loaded(tmp_path):
    catalog = catalog_of(tmp_path, {"a.yaml": GOOD, "b.yaml": "code: [", "c.yaml": GOOD.replace("5B", "6B")})
    form_set = catalog.get("test", 1)
    assert list(form_set.forms) == ["5B", "6B"]
    assert {p.code for p in catalog.problems} == {"FORM002", "FORM017"}


def test_missing_form_file_unreadable_file_and_missing_folder(tmp_path):
    directory = write_set(tmp_path / "forms", {"a.yaml": GOOD})
    (directory / "set.yaml").write_text((directory / "set.yaml").read_text() + "  - nowhere.yaml\n")
    (tmp_path / "forms" / "x").mkdir()
    (tmp_path / "forms" / "x" / "set.yaml").write_bytes(b"\xff\xfe\x00bad")
    catalog = load_catalog(tmp_path / "forms")
    codes = {p.code for p in catalog.problems}
    assert {"FORM012", "FORM001"} <= codes
    assert catalog.get("test", 1) is not None
    assert load_catalog(tmp_path / "none").problems[0].code == "FORM016"


def test_lists_items_and_repeat_rows(tmp_path):
    form = """
    code: T
    printed_code: Phụ lục T
    title: T
    columns:
      - {id: stt, label: STT, kind: row_code}
      - {id: ten, label: Nội dung, kind: row_label}
      - {id: so, label: Số}
      - {id: tien_do, label: Tiến độ, type: choice, choices: [Đã hoàn thành, Đang thực hiện]}
    rows:
      - {id: A, code: I, label: Nhóm, style: group}
      - {repeat: tasks, code_format: "{N}"}
      - items: linh_vuc
    """
    lists = """
    lists:
      linh_vuc:
        - {key: tu_phap, label: Tư pháp}
    """
    catalog = catalog_of(tmp_path, {"t.yaml": form}, lists=lists)
    assert catalog.problems == []
    assert catalog.get("test", 1).lists == {"linh_vuc": [("tu_phap", "Tư pháp")]}
    unknown_list = form.replace("items: linh_vuc", "items: khong_co")
    catalog = catalog_of(tmp_path / "2", {"t.yaml": unknown_list}, lists=lists)
    assert catalog.problems[0].code == "FORM015"


def test_shipped_forms_load_without_problems(real_catalog):
    assert real_catalog.problems == []
    assert real_catalog.get("soctrang-huyen", 1).forms["5B"].printed_code == "Biểu mẫu 5B"


from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

yaml_like = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(
        st.sampled_from(["code", "printed_code", "title", "columns", "rows", "rules", "id", "label", "children",
                         "kind", "type", "equals", "total", "units", "items", "repeat", "check", "x"]),
        inner, max_size=5),
    max_leaves=25,
)


@settings(max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=yaml_like)
def test_any_form_file_loads_or_gives_problems_never_an_exception(tmp_path_factory, data):
    import yaml as pyyaml

    root = tmp_path_factory.mktemp("f")
    text = pyyaml.safe_dump(data, allow_unicode=True)
    catalog = catalog_of(root, {"a.yaml": text, "good.yaml": GOOD.replace("5B", "GOOD")})
    assert "GOOD" in catalog.get("test", 1).forms  # the rest of the set still loads
    assert all(p.text and p.file for p in catalog.problems)


def test_huge_or_deeply_nested_files_are_refused_cleanly(tmp_path):
    deep = "rows:\n" + "".join("  " * i + "- children:\n" for i in range(1, 400))
    catalog = catalog_of(tmp_path, {"deep.yaml": GOOD + deep.replace("rows:\n", "rows_again:\n"),
                                    "nest.yaml": "a: " + "[" * 3000 + "]" * 3000,
                                    "big.yaml": "title: " + "x" * (3 * 1024 * 1024)})
    codes = {p.file.split("/")[-1]: p.code for p in catalog.problems if p.code != "FORM017"}
    assert set(codes) == {"deep.yaml", "nest.yaml", "big.yaml"}
    assert codes["big.yaml"] == "FORM001"

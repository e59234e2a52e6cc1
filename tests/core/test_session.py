"""The open report as the window uses it: grid, entry, paste, clear, undo/redo across
forms, repeating rows, evidence, locking, carry-over, the navigator."""


import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from conftest import catalog_of, new_report

from desktop.foundation.messages import CchcError
from desktop.report.ops import create_report
from desktop.foundation.periods import Period
from desktop.app.session import ReportSession, report_tree

RECEIVED = """
code: 5B
printed_code: Biểu mẫu 5B
title: THỐNG KÊ
numbered: true
columns:
  - {id: stt, label: STT, kind: row_code}
  - {id: ten, label: Cơ quan, kind: row_label}
  - label: Số hồ sơ
    children:
      - {id: tong, label: Tổng số, equals: "(4)+(5)"}
      - {id: ky_truoc, label: Kỳ trước}
      - {id: moi, label: Mới}
  - {id: dang, label: Đang giải quyết}
  - {id: ty_le, label: Tỷ lệ, type: computed, result: percent, expr: "round(dang * 100 / tong, 2)"}
rows:
  - {id: I, code: I, label: Cấp huyện}
  - id: II
    code: II
    label: Cấp xã
    total: children
    children:
      - units: xa
  - {id: tong_so, label: "Tổng số", style: total, total: [I, II]}
rules:
  - id: chuyen_ky
    severity: warning
    check: ky_truoc == prev(dang)
"""

TASKS = """
code: KH
printed_code: Phụ lục I
title: KẾ HOẠCH
columns:
  - {id: stt, label: STT, kind: row_code}
  - {id: ten, label: Nhiệm vụ, kind: row_label}
  - {id: so_luong, label: Số lượng}
rows:
  - id: A
    code: A
    label: Cải cách thể chế
    style: group
    children:
      - {repeat: the_che}
"""


@pytest.fixture
def opened(tmp_path, store):
    catalog = catalog_of(tmp_path, {"5b.yaml": RECEIVED, "kh.yaml": TASKS})
    assert catalog.problems == []
    report = new_report(store, communes=2)
    return ReportSession(store, catalog, report), catalog


def at(grid, row_id, column_id):
    return grid.position(row_id, column_id)


def test_grid_mirrors_the_annex(opened):
    session, _ = opened
    grid = session.grid("5B")
    assert [r.code for r in grid.rows] == ["I", "II", "1", "2", ""]
    assert [r.label for r in grid.rows][2:4] == ["Xã 1", "Xã 2"]
    assert grid.header_rows == 2 and grid.frozen == 2
    assert grid.number_row[:5] == ["(1)", "(2)", "(3)=(4)+(5)", "(4)", "(5)"]
    merged = [h for h in grid.header if h.text == "Số hồ sơ"][0]
    assert (merged.row, merged.col, merged.colspan) == (0, 2, 3)
    r, c = at(grid, "I", "tong")
    assert grid.is_editable(r, c) and grid.is_numeric(r, c)
    assert not grid.is_editable(r, 0) and not grid.is_editable(r, 1)  # code and printed name
    assert not grid.is_editable(*at(grid, "I", "ty_le"))  # computed


def test_typing_shows_vietnamese_numbers_and_computed_cells_follow(opened):
    session, _ = opened
    change = session.enter("5B", [("I", "tong", "1.562"), ("I", "dang", "99")])
    assert {(c.row, c.column, c.new) for c in change.cells} == {("I", "tong", "1562"), ("I", "dang", "99")}
    assert change.saved_at is not None
    grid = session.grid("5B")
    assert grid.text(*at(grid, "I", "tong")) == "1.562"
    assert grid.text(*at(grid, "I", "ty_le")) == "6,34%"
    assert session.store.cells.get(session.report_id)["5B"]["I"] == {"tong": "1562", "dang": "99"}


def test_a_refused_value_changes_nothing_and_says_why(opened):
    session, _ = opened
    session.enter("5B", [("I", "tong", "10")])
    with pytest.raises(CchcError) as refused:
        session.enter("5B", [("I", "tong", "mười")])
    assert refused.value.code == "NUM001"
    assert session.grid("5B").text(*at(session.grid("5B"), "I", "tong")) == "10"


def test_findings_follow_the_cells(opened):
    session, _ = opened
    grid = session.grid("5B")
    session.enter("5B", [("I", "tong", "10"), ("I", "ky_truoc", "3")])
    r, c = at(grid, "I", "tong")
    [finding] = grid.findings(r, c)
    assert (finding.rule, finding.actual, finding.expected) == ("(3)=(4)+(5)", 10, 3)
    assert session.counts("5B") == (3, 0)  # and the empty total row's (3) and (4)
    session.enter("5B", [("I", "moi", "7"), ("tong_so", "tong", "10"), ("tong_so", "ky_truoc", "3"),
                         ("tong_so", "moi", "7")])
    assert grid.findings(r, c) == [] and session.counts("5B") == (0, 0)


def test_paste_a_block_from_excel_skips_codes_names_and_computed_cells(opened):
    session, _ = opened
    grid = session.grid("5B")
    r, _ = at(grid, "I", "stt")
    block = "I\tCấp huyện\t1.562\t100\t1462\t99\t6,34%\r\nII\tCấp xã\t20\t5\t15\t0\t0%\r\n"
    change = session.paste("5B", r, 0, block)
    assert len(change.cells) == 8
    assert grid.block(0, 2, 1, 5) == [["1.562", "100", "1.462", "99"], ["20", "5", "15", "0"]]
    assert grid.rows[0].label == "Cấp huyện"


def test_a_block_larger_than_the_table_says_how_many_values_were_left_out(opened):
    session, _ = opened
    grid = session.grid("5B")
    rows, columns = len(grid.rows), len(grid.columns)
    block = "\n".join("\t".join(["7"] * 4) for _ in range(3))  # 3 × 4, from the last row and third-last column
    change = session.paste("5B", rows - 2, columns - 3, block)
    assert change.left_out == 3 * 4 - 2 * 3  # a row below the table, a column beyond it
    assert len(change.cells) == sum(1 for r in (rows - 2, rows - 1) for c in range(columns - 3, columns)
                                    if grid.is_editable(r, c))


def test_one_value_pasted_over_a_selection_fills_it(opened):
    session, _ = opened
    grid = session.grid("5B")
    session.paste("5B", 2, 3, "0", selection=(2, 3, 3, 4))
    assert grid.block(2, 3, 3, 4) == [["0", "0"], ["0", "0"]]


def test_a_paste_with_one_bad_value_pastes_nothing_and_names_the_cell(opened):
    session, _ = opened
    grid = session.grid("5B")
    with pytest.raises(CchcError) as refused:
        session.paste("5B", 0, 2, "1\t2\n3\tba\n")
    assert refused.value.code == "CELL001"
    assert "Cấp xã" in str(refused.value) and "(4)" in str(refused.value)
    assert grid.block(0, 2, 1, 3) == [["", ""], ["", ""]]
    assert session.store.cells.get(session.report_id) == {}


def test_delete_clears_the_editable_cells_of_a_selection(opened):
    session, _ = opened
    grid = session.grid("5B")
    session.enter("5B", [("I", "tong", "5"), ("I", "moi", "5")])
    session.clear("5B", [(0, c) for c in range(len(grid.columns))])
    assert grid.block(0, 0, 0, 4) == [["I", "Cấp huyện", "", "", ""]]


def test_undo_and_redo_span_the_whole_report(opened):
    session, _ = opened
    session.enter("5B", [("I", "tong", "5")])
    _, row = session.add_row("KH", "the_che")
    session.enter("KH", [(row, "ten", "Rà soát văn bản"), (row, "so_luong", "3")])
    session.enter("5B", [("I", "tong", "6")])
    assert session.undo().focus == ("5B", "I", "tong")
    assert session.store.cells.get(session.report_id)["5B"]["I"]["tong"] == "5"
    session.undo()  # the task's name and number
    assert session.grid("KH").text(1, 1) == ""
    session.undo()  # the added row
    assert session.store.rows.of(session.report_id) == {}
    session.undo()
    assert session.store.cells.get(session.report_id) == {}
    assert session.undo() is None
    for _ in range(4):
        session.redo()
    assert session.store.cells.get(session.report_id)["KH"][row] == {"ten": "Rà soát văn bản", "so_luong": "3"}
    assert session.store.cells.get(session.report_id)["5B"]["I"]["tong"] == "6"
    assert not session.can_redo
    session.undo()
    session.enter("5B", [("I", "moi", "1")])  # a new action forgets what could be redone
    assert not session.can_redo


def test_repeating_rows_insert_move_delete_and_undo_restores_a_deleted_row(opened):
    session, _ = opened
    grid = session.grid("KH")
    assert grid.section_of(0) == "the_che"  # a new row under the group
    _, a = session.add_row("KH", "the_che")
    _, b = session.add_row("KH", "the_che")
    session.enter("KH", [(a, "ten", "Thứ nhất"), (b, "ten", "Thứ hai")])
    session.move_row("KH", b, -1)
    grid = session.grid("KH")
    assert [grid.text(r, 1) for r in (1, 2)] == ["Thứ hai", "Thứ nhất"]
    assert [grid.text(r, 0) for r in (1, 2)] == ["1", "2"]  # numbered in their new order
    session.delete_row("KH", a)
    assert len(session.grid("KH").rows) == 2
    session.undo()
    grid = session.grid("KH")
    assert [grid.text(r, 1) for r in (1, 2)] == ["Thứ hai", "Thứ nhất"]
    with pytest.raises(CchcError) as refused:
        session.delete_row("KH", "A")
    assert refused.value.code == "CELL004"


def test_evidence_files_attach_to_a_row(opened, tmp_path):
    session, _ = opened
    _, row = session.add_row("KH", "the_che")
    evidence = tmp_path / "ke-hoach.pdf"
    evidence.write_bytes(b"%PDF-1.4 ke hoach")
    session.attach("KH", row, evidence)
    grid = session.grid("KH")
    [attached] = grid.attachments(grid.position(row, None)[0])
    assert attached.filename == "ke-hoach.pdf"
    assert session.evidence_bytes(attached) == b"%PDF-1.4 ke hoach"
    with pytest.raises(CchcError) as missing:
        session.attach("KH", row, tmp_path / "khong-co.pdf")
    assert missing.value.code == "CELL005"


def test_a_signed_report_cannot_be_changed(opened):
    session, _ = opened
    session.store.reports.update(session.report_id, status="da_ky")
    session.reload()
    with pytest.raises(CchcError) as locked:
        session.enter("5B", [("I", "tong", "1")])
    assert locked.value.code == "CELL003"
    grid = session.grid("5B")  # no cell opens an editor: the window shows it read-only
    assert not any(grid.is_editable(r, c) for r in range(len(grid.rows)) for c in range(len(grid.columns)))


def test_a_new_report_carries_over_rows_and_pending_files(tmp_path, store):
    catalog = catalog_of(tmp_path, {"5b.yaml": RECEIVED, "kh.yaml": TASKS})
    first = new_report(store, communes=2, period=Period("quy", 2020, 4))
    last = ReportSession(store, catalog, first)
    last.enter("5B", [("I", "dang", "12"), ("unit:H1.X1", "dang", "0")])
    _, task = last.add_row("KH", "the_che")
    last.enter("KH", [(task, "ten", "Rà soát"), (task, "so_luong", "4")])
    report, carried = create_report(store, catalog, "H1", Period("quy", 2021, 1), "test", 1, doc_number="5/BC-UBND")
    assert (carried.previous_id, carried.rows, carried.cells) == (first, 1, 2)
    cells = store.cells.get(report)
    assert cells["5B"]["I"] == {"ky_truoc": "12"} and cells["5B"]["unit:H1.X1"] == {"ky_truoc": "0"}
    assert cells["KH"] == {task: {"ten": "Rà soát"}}  # the task, not last quarter's figures
    assert store.reports.get(report).doc_number == "5/BC-UBND"
    assert ReportSession(store, catalog, report).counts()[1] == 0  # "kỳ trước" agrees with last quarter
    none_before, carried = create_report(store, catalog, "H1", Period("nam", 2021), "test", 1)
    assert carried is None and store.cells.get(none_before) == {}


def test_navigator_tree_lists_units_reports_and_form_counts(opened):
    session, catalog = opened
    session.enter("5B", [("I", "tong", "10"), ("I", "moi", "1")])
    [unit] = report_tree(session.store, catalog)
    assert unit.code == "H1" and unit.children == []  # communes without reports are not listed
    [entry] = unit.reports
    # (3) ≠ (4)+(5) on row I, and the total row's (3) and (4) left empty
    assert (entry.status_label, entry.errors, entry.period) == ("Nháp", 3, "Năm 2020")
    assert [(f.printed_code, f.errors) for f in entry.forms] == [("Biểu mẫu 5B", 3), ("Phụ lục I", 0)]


def test_a_report_on_a_form_set_not_installed_is_refused(tmp_path, store):
    catalog = catalog_of(tmp_path, {"5b.yaml": RECEIVED})
    new_report(store)
    with pytest.raises(CchcError) as refused:
        create_report(store, catalog, "H1", Period("nam", 2021), "khong-co", 1)
    assert refused.value.code == "STORE017"
    assert len(store.reports.all()) == 1


# --- the navigator's counts kept between starts (issue 20) ------------------------------------


def _counts(tree) -> dict:
    found = {}

    def walk(nodes):
        for node in nodes:
            for report in node.reports:
                found[report.id] = (report.errors, report.warnings, [(f.code, f.errors, f.warnings) for f in report.forms])
            walk(node.children)
    walk(tree)
    return found


def test_the_navigator_reuses_counts_until_what_they_depend_on_changes(demo_store, monkeypatch):
    from desktop.app import session as session_module
    from desktop.app.session import report_tree

    store, catalog = demo_store
    first = _counts(report_tree(store, catalog))
    validated = []
    real = session_module.validate
    monkeypatch.setattr(session_module, "validate", lambda data: validated.append(data.id) or real(data))
    assert _counts(report_tree(store, catalog)) == first and validated == []  # a second start validates nothing
    # a figure typed into Kế Sách's 5B: that report (and its unit's others on the set) are counted again
    from desktop.report import ops

    ops.enter_cells(store, catalog, 2, "5B", [("I", "ky_truoc", "999999")])
    after = _counts(report_tree(store, catalog))
    assert validated == [2] and after[2] != first[2]
    validated.clear()
    store.narrative.set(1, "V", "Kiến nghị mới")  # the body's text counts too (its checks read it)
    report_tree(store, catalog)
    assert validated == [1]


def test_kept_counts_equal_a_fresh_validation_after_random_edits(demo_store):
    import random

    from desktop.app.session import report_entry, report_tree
    from desktop.report import ops
    from desktop.report.data import ReportData

    store, catalog = demo_store
    rng = random.Random(20)
    report_tree(store, catalog)
    editable = [(r.id, code) for r in store.reports.all() for code in (catalog.form_set_of(r).forms if
                                                                   catalog.form_set_of(r) else {})
                if r.form_set_id in ("khanhhoa-huyen", "soctrang-huyen", "toanquoc-06")]
    for _ in range(12):
        report, code = rng.choice(editable)
        data = ReportData(store, catalog, report)
        scope = data.scope(code)
        typed = [(row.id, column.id) for row in scope.layout.rows for column in scope.form.data_columns
                 if row.typed(column) and column.ctype.numeric]
        if not typed:
            continue
        row, column = rng.choice(typed)
        ops.enter_cells(store, catalog, report, code, [(row, column, str(rng.randint(0, 5000)))])
        kept = _counts(report_tree(store, catalog))
        fresh = {r.id: _counts([type("U", (), {"reports": [report_entry(ReportData(store, catalog, r.id))],
                                               "children": []})])[r.id] for r in store.reports.all()}
        assert kept == fresh


def test_a_navigator_reads_only_the_units_it_opens_with_the_same_counts(demo_store, monkeypatch):
    """report_tree(load=…): the other units carry how many reports they have and nothing else;
    a unit's reports read alone (unit_reports) have the counts the whole tree gives them, a merged
    commune's included (its history is its old units')."""
    from desktop.app import session as session_module
    from desktop.app.session import report_tree, unit_reports

    store, catalog = demo_store
    eager = _counts(report_tree(store, catalog))
    read = []
    real = store.reports.all
    monkeypatch.setattr(store.reports, "all", lambda units=None: read.append(units) or real(units))
    ke_sach = store.reports.get(2).unit_code
    tree = report_tree(store, catalog, load={ke_sach}, all_up_to=3)
    assert read == [{ke_sach}]  # not every report of the database
    lazy = _counts(tree)
    assert set(lazy) == {2} and lazy[2] == eager[2]

    def units(nodes):
        for node in nodes:
            yield node
            yield from units(node.children)

    by_code = {node.code: node for node in units(tree)}
    assert by_code[ke_sach].loaded and by_code["KH.KS"].report_count == 1 and not by_code["KH.KS"].loaded
    assert not by_code["KH.KS"].reports
    # every unit read one at a time, from a store whose kept counts were cleared: the same counts
    store.conn.execute("DELETE FROM report_counts")
    validated = []
    monkeypatch.setattr(session_module, "validate", lambda data, real=session_module.validate:
                        validated.append(data.id) or real(data))
    one_by_one = {}
    for code in store.reports.per_unit():
        for entry in unit_reports(store, catalog, {code})[code]:
            one_by_one[entry.id] = (entry.errors, entry.warnings, [(f.code, f.errors, f.warnings) for f in entry.forms])
    assert one_by_one == eager and sorted(validated) == sorted(eager)
    # all_up_to: a small database is read whole whatever ``load`` says
    assert _counts(report_tree(store, catalog, load=set(), all_up_to=100)) == eager


@pytest.fixture(scope="module")
def demo_template(tmp_path_factory):
    from conftest import REPO
    from desktop.app.demo import load_demo
    from desktop.registry import load_catalog
    from desktop.store.db import Store

    catalog = load_catalog(REPO / "forms")
    path = tmp_path_factory.mktemp("mau") / "demo.db"
    with Store.open(path) as store:
        load_demo(store, catalog)
    return path, catalog


_EDIT = st.tuples(st.integers(0, 40), st.integers(0, 60), st.integers(0, 30),
                  st.one_of(st.integers(0, 99_999).map(str), st.just(""), st.just("1.562"), st.just("0")))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(report=st.sampled_from([1, 2]), edits=st.lists(_EDIT, min_size=1, max_size=6))
def test_findings_after_typing_equal_a_full_validation(demo_template, tmp_path_factory, report, edits):
    """Checking again only what a change can affect (the forms typed into and those that read
    them, and the body) finds exactly what checking the whole report finds."""
    import shutil

    from desktop.app.session import ReportSession
    from desktop.report.data import ReportData
    from desktop.rules.engine import validate
    from desktop.store.db import Store

    template, catalog = demo_template
    path = tmp_path_factory.mktemp("go") / "demo.db"
    shutil.copyfile(template, path)
    with Store.open(path, daily_backup=False) as store:
        session = ReportSession(store, catalog, report)
        session.findings()
        forms = [f.code for f in session.forms]
        for form_n, row_n, column_n, text in edits:
            grid = session.grid(forms[form_n % len(forms)])
            cells = [(r, c) for r in range(len(grid.rows)) for c in range(len(grid.columns)) if grid.is_editable(r, c)]
            if not cells:
                continue
            r, c = cells[(row_n * 31 + column_n) % len(cells)]
            try:
                session.enter(grid.form.code, [(grid.rows[r].id, grid.columns[c].id, text)])
            except CchcError:
                continue  # a value the cell refuses changes nothing
            assert session.findings() == validate(ReportData(store, catalog, report))


@pytest.mark.parametrize("report, form, row, column, text", [
    (2, "4B", "I", "hieu_luc", "1"),  # Biểu mẫu 3B's rules read 4B's row I
    (2, "7B", "II", "bien_che", "999"),  # 6B's rule reads 7B's row II
    (1, "PL6", "tong", "tong_so", "1"),  # Phụ lục VII's rule reads Phụ lục VI's total row
])
def test_a_change_is_checked_in_the_forms_that_read_it(demo_template, tmp_path, report, form, row, column, text):
    import shutil

    from desktop.app.session import ReportSession
    from desktop.report.data import ReportData
    from desktop.rules.engine import validate
    from desktop.store.db import Store

    template, catalog = demo_template
    shutil.copyfile(template, tmp_path / "demo.db")
    with Store.open(tmp_path / "demo.db", daily_backup=False) as store:
        session = ReportSession(store, catalog, report)
        before = session.findings()
        session.enter(form, [(row, column, text)])
        full = validate(ReportData(store, catalog, report))
        elsewhere = [f for f in full if f.form_code != form and f not in before]
        assert session.findings() == full and elsewhere  # a finding appeared in the form that reads it

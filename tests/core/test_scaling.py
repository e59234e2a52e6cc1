"""Cost grows with the work, never with the whole database (issue 30): counted, not timed.

``validate`` over every report was quadratic: each report's history asked the store again, by
queries that scanned the whole ``reports`` and ``units`` tables. The queries a run makes are
counted here through SQLite's trace, and the plan of each one a report makes is read.
"""

from __future__ import annotations

import re
from collections import Counter

import pytest

from conftest import catalog_of
from desktop.foundation.periods import Period
from desktop.kinds.par.analysis import sheets
from desktop.rules.engine import validate_all
from desktop.store.db import Store
from test_signing import FORM  # one commune form, the signing tests' own



def _province(store: Store, communes: int, quarters: int = 4) -> int:
    """A province with ``communes`` communes, each with ``quarters`` quarterly reports."""
    store.units.add("T", "Tỉnh Thử", "tinh")
    made = 0
    for n in range(communes):
        store.units.add(f"T.X{n}", f"Xã {n}", "xa", "T", n)
        for quarter in range(1, quarters + 1):
            report = store.reports.create(f"T.X{n}", Period("quy", 2025, quarter), "test", 1)
            store.cells.set_many(report, [("KQ", "r", "ky_truoc", str(n)), ("KQ", "r", "moi", str(quarter * 10)),
                                     ("KQ", "r", "tong", str(n + quarter * 10)), ("KQ", "r", "da_giai_quyet", str(n))])
            made += 1
    return made


def _traced(store: Store, work) -> list[str]:
    statements: list[str] = []
    store.conn.set_trace_callback(statements.append)
    try:
        work()
    finally:
        store.conn.set_trace_callback(None)
    return statements


_LITERAL = re.compile(r"'(?:[^']|'')*'|\b\d+\b")


def _shape(sql: str) -> str:
    return _LITERAL.sub("?", " ".join(sql.split()))


@pytest.fixture
def catalog(tmp_path):
    return catalog_of(tmp_path, {"kq.yaml": FORM}, level="xa")


def test_validating_every_report_asks_the_same_queries_per_report_at_any_size(tmp_path, catalog):
    per_report = []
    for communes in (10, 40):
        with Store.open(tmp_path / f"{communes}.db", daily_backup=False) as store:
            reports = _province(store, communes)
            statements = _traced(store, lambda: validate_all(store, catalog))
            per_report.append(len(statements) / reports)
    small, large = per_report
    assert large <= small + 0.1, per_report  # a fixed number per report (and a few per run)


def test_no_query_a_report_makes_scans_a_whole_table(tmp_path, catalog):
    """Each query validating makes once per report uses an index: its cost does not grow with
    the number of reports or units."""
    with Store.open(tmp_path / "data.db", daily_backup=False) as store:
        reports = _province(store, 20)
        statements = _traced(store, lambda: validate_all(store, catalog))
        shapes = Counter(_shape(s) for s in statements)
        examples = {}
        for statement in statements:
            examples.setdefault(_shape(statement), statement)
        per_report = [sql for sql, times in shapes.items() if times >= reports and sql.upper().startswith("SELECT")]
        assert per_report
        for sql in per_report:
            plan = " ".join(row[3] for row in store.conn.execute("EXPLAIN QUERY PLAN " + examples[sql]))
            whole = [t for t in re.findall(r"SCAN (\w+)(?!\w)(?! USING)", plan) if t != "CONSTANT"]
            assert not whole, (sql, plan)


def test_a_par_analysis_reads_its_childrens_reports_not_the_whole_table(tmp_path, real_catalog):
    """The analysis (and the package's sources) read every report of the database to find the
    children's sheets; now only the children's."""
    from desktop.app.demo import load_demo

    with Store.open(tmp_path / "demo.db", daily_backup=False) as store:
        load_demo(store, real_catalog)
        [district] = [r.id for r in store.reports.all() if r.unit_code == "KT.KR"]
        statements = _traced(store, lambda: sheets(store, real_catalog, district))
        assert not [s for s in statements if _shape(s).startswith("SELECT") and "FROM [reports]" in s
                    and "WHERE" not in s.upper()], statements
        assert len(sheets(store, real_catalog, district)[1]) == 7


def test_one_reports_history_and_its_previous_period_are_found_by_index(tmp_path):
    """A report validated alone (the window, after a keystroke) asks for its unit's history and its
    previous period's report: both by an index, however many reports the database holds."""
    with Store.open(tmp_path / "data.db", daily_backup=False) as store:
        _province(store, 3)
        asked = _traced(store, lambda: (store.reports.history("T.X1", "test", "quy"),
                                        store.reports.find("T.X1", Period("quy", 2025, 2), "test")))
        for sql in asked:
            plan = " ".join(row[3] for row in store.conn.execute("EXPLAIN QUERY PLAN " + sql))
            assert "SEARCH reports USING INDEX" in plan, (sql, plan)

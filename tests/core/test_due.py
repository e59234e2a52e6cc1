"""What is due (issue 28 §5): each report of the unit's periods in force with its state and
deadline, and the periods after its latest report that have begun, not yet started."""

from __future__ import annotations

import datetime as dt
import json

from conftest import cli, new_report
from desktop.foundation.periods import Period
from desktop.submission.due import due, following
from test_signing import forms  # noqa: F401  (forms: a fixture)


def test_following_periods():
    #   | period          | the one after    |
    assert following(Period("quy", 2025, 4)) == Period("quy", 2026, 1)
    assert following(Period("quy", 2025, 2)) == Period("quy", 2025, 3)
    assert following(Period("nam", 2025)) == Period("nam", 2026)
    assert following(Period("giai_doan", 2020, year_from=2011)) is None


def test_each_state_and_the_periods_not_started(store, forms):
    quarter = lambda n: Period("quy", 2026, n)  # noqa: E731
    made = {n: new_report(store, "huyen", period=quarter(n)) for n in (1, 2, 3)}
    store.reports.update(made[1], status="da_nop")
    store.reports.update(made[2], status="da_ky")
    today = dt.date(2026, 12, 3)  # Quý IV's data began on 15/9; its deadline is 20/12
    listed = {d.period: d for d in due(store, forms, ["H1"], today)}
    #   | period              | state        | deadline     |
    expected = {
        "Quý I năm 2026": ("sent", "2026-03-20"),
        "Quý II năm 2026": ("late", "2026-06-20"),  # signed, never sent
        "Quý III năm 2026": ("late", "2026-09-20"),  # a draft past its deadline
        "Quý IV năm 2026": ("not_started", "2026-12-20"),
    }
    assert {p: (d.state, d.deadline) for p, d in listed.items()} == expected
    assert listed["Quý IV năm 2026"].report is None and listed["Quý I năm 2026"].report == made[1]
    # before Quý IV's deadline a draft of it is a draft; after, late
    quarter_four = new_report(store, "huyen", period=quarter(4))
    assert {d.period: d.state for d in due(store, forms, ["H1"], today)}["Quý IV năm 2026"] == "draft"
    assert {d.period: d.state for d in due(store, forms, ["H1"], dt.date(2026, 12, 21))}["Quý IV năm 2026"] == "late"
    store.reports.update(quarter_four, status="da_tiep_nhan")
    assert {d.period: d.state for d in due(store, forms, ["H1"], today)}["Quý IV năm 2026"] == "received"


def test_a_finished_period_older_than_a_year_is_no_longer_listed_and_an_idle_unit_is_bounded(store, forms):
    old = new_report(store, "huyen", period=Period("nam", 2019))
    store.reports.update(old, status="da_nop")
    listed = due(store, forms, ["H1"], dt.date(2026, 12, 3))
    assert "năm 2019" not in [d.period for d in listed]
    assert [d.period for d in listed] == [f"năm {y}" for y in range(2020, 2027)]
    assert all(d.state == "late" for d in listed[:-1]) and listed[-1].state == "not_started"


def test_cli_due_json(tmp_path):
    db = str(tmp_path / "demo.db")
    assert cli("--db", db, "demo")[0] == 0
    code, out = cli("--db", db, "--json", "due", "--unit", "22732.cu")
    listed = json.loads(out)
    assert code == 0 and listed
    assert {"unit", "period", "form_set", "state", "deadline"} <= set(listed[0])

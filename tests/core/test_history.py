"""Figures checked against their own history (issue 19 §1): warnings a clerk sees before signing."""

from __future__ import annotations

import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import catalog_of
from desktop.foundation.periods import Period
from desktop.report import ops
from desktop.rules.engine import validate_report
from desktop.store.db import Store

FORM = """
    code: KQ
    printed_code: Biểu 01
    title: KẾT QUẢ
    columns:
      - {id: stt, label: STT, kind: row_code}
      - {id: noi_dung, label: Nội dung, kind: row_label}
      - {id: nhan, label: Hồ sơ nhận}
      - {id: ty_le, label: Tỷ lệ đúng hạn, type: percent}
      - {id: ghi_so, label: Số sổ, history: false}
      - {id: can_bo, label: Số cán bộ một cửa, bounds: {min: 1, max: 30}}
    rows:
      - {id: r, code: "1", label: Hồ sơ TTHC}
"""

QUARTERS = [Period("quy", year, q) for year in (2023, 2024) for q in (1, 2, 3, 4)]  # 8 quarters
NOW = Period("quy", 2025, 1)


@pytest.fixture
def catalog(tmp_path):
    found = catalog_of(tmp_path, {"kq.yaml": FORM}, set_id="thu", level="any")
    assert not found.problems, found.problems
    return found


def _report(store, catalog, unit: str, period: Period, **cells) -> int:
    report = store.reports.create(unit, period, "thu", 1)
    if cells:
        ops.enter_cells(store, catalog, report, "KQ", [("r", k, v) for k, v in cells.items()])
    return report


def _history(store, catalog, unit="X", figures=(3870, 4102, 4310, 3950, 4050, 4200, 3990, 4102), periods=QUARTERS):
    try:
        store.units.get(unit)
    except Exception:
        store.units.add(unit, f"Xã {unit}", "xa")
    for period, figure in zip(periods, figures):
        if figure is not None:
            _report(store, catalog, unit, period, nhan=str(figure), ty_le="62%")


def _warnings(store, catalog, report, rule="lich_su"):
    return [f for f in validate_report(store, catalog, report) if f.rule == rule]


def test_a_figure_typed_ten_times_too_large_is_flagged_and_a_normal_one_is_not(store, catalog):
    _history(store, catalog)
    planted = _report(store, catalog, "X", NOW, nhan="41.020")
    [found] = _warnings(store, catalog, planted)
    assert found.severity == "warning" and found.column == "Hồ sơ nhận"
    assert "41.020" in found.message and "Quý IV năm 2024: 4.102" in found.message
    assert "8 kỳ gần nhất: 3.870–4.310" in found.message
    store.reports.delete(planted)
    normal = _report(store, catalog, "X", NOW, nhan="4.250")
    assert _warnings(store, catalog, normal) == []


def test_a_jump_in_a_rate_and_an_empty_quarter_are_flagged(store, catalog):
    _history(store, catalog)
    rate = _report(store, catalog, "X", NOW, nhan="4.100", ty_le="100%")
    assert [f.column_id for f in _warnings(store, catalog, rate)] == ["ty_le"]
    store.reports.delete(rate)
    nothing = _report(store, catalog, "X", NOW, nhan="0")
    assert [f.column_id for f in _warnings(store, catalog, nothing)] == ["nhan"]


def test_a_missing_quarter_leaves_enough_history_and_too_little_history_checks_nothing(store, catalog):
    _history(store, catalog, figures=(3870, None, 4310, 3950, None, 4200, None, 4102))  # 5 of 8 quarters
    assert len(_warnings(store, catalog, _report(store, catalog, "X", NOW, nhan="41.020"))) == 1
    _history(store, catalog, unit="Y", figures=(100, 120, 110))  # 3 earlier quarters: no verdict
    assert _warnings(store, catalog, _report(store, catalog, "Y", NOW, nhan="5.000")) == []


def test_later_reports_are_not_history(store, catalog):
    _history(store, catalog)
    first = store.reports.find("X", QUARTERS[0], "thu")
    ops.enter_cells(store, catalog, first, "KQ", [("r", "nhan", "3.900")])
    assert _warnings(store, catalog, first) == []  # nothing before the first quarter


def test_a_form_set_switches_the_check_off_or_sets_its_own_bounds(store, catalog):
    store.units.add("X", "Xã X", "xa")
    for period in QUARTERS:
        _report(store, catalog, "X", period, ghi_so="12", can_bo="5")
    report = _report(store, catalog, "X", NOW, ghi_so="12.000", can_bo="45")
    assert _warnings(store, catalog, report) == []  # history: false, and bounds decide for can_bo
    [bound] = _warnings(store, catalog, report, rule="gioi_han")
    assert bound.column_id == "can_bo" and "45" in bound.message and "(1–30)" in bound.message


def test_a_merged_commune_has_its_old_communes_history_added_up(tmp_path, catalog):
    """Xã Đông Khánh Sơn (22732.2025) = Sơn Trung + Ba Cụm Bắc + Ba Cụm Nam, all whole."""
    with Store.open(tmp_path / "xa.db") as store:
        from desktop.app.units import setup_unit

        setup_unit(store, "22732.2025")
        periods = [Period("quy", 2024, q) for q in (1, 2, 3, 4)] + [Period("quy", 2025, q) for q in (1, 2)]
        for unit, base in (("22729.cu", 1000), ("22732.cu", 2000), ("22735.cu", 1100)):
            for n, period in enumerate(periods):
                _report(store, catalog, unit, period, nhan=str(base + 10 * n))
        sound = _report(store, catalog, "22732.2025", Period("quy", 2025, 3), nhan="4.200")
        assert _warnings(store, catalog, sound) == []
        store.reports.delete(sound)
        planted = _report(store, catalog, "22732.2025", Period("quy", 2025, 3), nhan="42.000")
        [found] = _warnings(store, catalog, planted)
        assert "Quý II năm 2025: 4.250" in found.message and "6 kỳ gần nhất: 4.100–4.250" in found.message
        assert "tổng của Xã Sơn Trung, Xã Ba Cụm Bắc, Xã Ba Cụm Nam" in found.message


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 10_000), level=st.integers(50, 50_000))
def test_on_generated_histories_a_tenfold_value_is_flagged_and_an_ordinary_one_is_not(tmp_path_factory, seed, level):
    """Eight quarters within ±10% of a level; this quarter either ×10 (flagged) or within the
    same band (not flagged)."""
    rng = random.Random(seed)
    figures = [round(level * rng.uniform(0.9, 1.1)) for _ in QUARTERS]
    folder = tmp_path_factory.mktemp("lich-su")
    catalog = catalog_of(folder, {"kq.yaml": FORM}, set_id="thu", level="any")
    with Store.open(folder / "x.db") as store:
        _history(store, catalog, figures=figures)
        ordinary = _report(store, catalog, "X", NOW, nhan=str(round(level * rng.uniform(0.92, 1.08))))
        assert _warnings(store, catalog, ordinary) == []
        store.reports.delete(ordinary)
        tenfold = _report(store, catalog, "X", NOW, nhan=str(figures[-1] * 10))
        assert len(_warnings(store, catalog, tenfold)) == 1

"""Reporting periods: names, cut-off dates, deadlines, the period before."""

import datetime as dt

import pytest

from desktop.foundation.messages import CchcError
from desktop.foundation.periods import Period

D = dt.date


@pytest.mark.parametrize("period, label, bounds, deadline", [
    (Period("quy", 2020, 1), "Quý I năm 2020", (D(2019, 12, 15), D(2020, 3, 14)), D(2020, 3, 20)),
    (Period("quy", 2020, 3), "Quý III năm 2020", (D(2020, 6, 15), D(2020, 9, 14)), D(2020, 9, 20)),
    (Period("6thang", 2020), "6 tháng đầu năm 2020", (D(2019, 12, 15), D(2020, 6, 14)), D(2020, 6, 20)),
    (Period("9thang", 2019), "9 tháng năm 2019", (D(2018, 12, 15), D(2019, 9, 14)), D(2019, 9, 20)),
    (Period("nam", 2019), "năm 2019", (D(2018, 12, 15), D(2019, 12, 14)), D(2019, 12, 20)),
    (Period("giai_doan", 2020, year_from=2011), "giai đoạn 2011–2020", (D(2010, 12, 15), D(2020, 12, 14)),
     D(2020, 12, 20)),
])
def test_national_defaults(period, label, bounds, deadline):
    assert period.label == label
    assert period.bounds() == bounds
    assert period.deadline() == deadline


def test_a_province_may_override_the_days():
    assert Period("quy", 2020, 2).bounds({"start_day": 1, "cutoff_day": 31 - 1}) == (D(2020, 3, 1), D(2020, 6, 30))
    assert Period("nam", 2020).deadline({"deadline_day": 15}) == D(2020, 12, 15)


def test_previous_period():
    assert Period("quy", 2020, 1).previous() == Period("quy", 2019, 4)
    assert Period("quy", 2020, 3).previous() == Period("quy", 2020, 2)
    assert Period("nam", 2020).previous() == Period("nam", 2019)
    assert Period("giai_doan", 2020, year_from=2011).previous() is None


def test_unknown_period_is_refused():
    with pytest.raises(CchcError):
        Period("tuan", 2020)
    with pytest.raises(CchcError):
        Period("quy", 2020, 5)

"""Reporting periods (kỳ báo cáo): names, data cut-off, deadline, previous period.

National defaults (domain brief): data from 15/12 of the year before to 14/3
(Quý I), 14/6 (6 tháng), 14/9 (9 tháng), 14/12 (năm); Quý II, III, IV start on
15/3, 15/6, 15/9; a report is due by the 20th of the period's last month.
A province may override these: ``PeriodRules`` is built from the JSON setting
``period_rules`` of the store, falling back to these defaults.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from desktop.foundation.messages import CchcError

PERIOD_TYPES = ("quy", "6thang", "9thang", "nam", "giai_doan")
ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}

DEFAULT_RULES = {
    "cutoff_day": 14,  # data up to the 14th of the period's last month
    "start_day": 15,  # from the 15th of the month before the period
    "deadline_day": 20,  # due by the 20th of the period's last month
}


@dataclass(frozen=True)
class Period:
    type: str
    year: int
    number: int | None = None  # quarter 1..4 for "quy"
    year_from: int | None = None  # first year of a "giai_doan"

    def __post_init__(self) -> None:
        if self.type not in PERIOD_TYPES:
            raise CchcError("NUM009", text=self.type, choices=", ".join(PERIOD_TYPES))
        if self.type == "quy" and self.number not in ROMAN:
            raise CchcError("NUM009", text=str(self.number), choices="1, 2, 3, 4")

    @property
    def label(self) -> str:
        if self.type == "quy":
            return f"Quý {ROMAN[self.number]} năm {self.year}"
        if self.type == "6thang":
            return f"6 tháng đầu năm {self.year}"
        if self.type == "9thang":
            return f"9 tháng năm {self.year}"
        if self.type == "nam":
            return f"năm {self.year}"
        return f"giai đoạn {self.year_from}–{self.year}"

    @property
    def last_month(self) -> int:
        if self.type == "quy":
            return 3 * self.number
        return {"6thang": 6, "9thang": 9}.get(self.type, 12)

    @property
    def first_month(self) -> int:
        """The month the period's data starts in (the cut-off month before it)."""
        if self.type == "quy":
            return 3 * self.number - 3 or 12
        return 12

    def bounds(self, rules: dict | None = None) -> tuple[dt.date, dt.date]:
        """Data cut-off: first and last day whose figures belong to the period."""
        rules = {**DEFAULT_RULES, **(rules or {})}
        start_year = self.year if self.first_month != 12 else self.year - 1
        if self.type == "giai_doan":
            start_year = (self.year_from or self.year) - 1
        start = dt.date(start_year, self.first_month, rules["start_day"])
        end = dt.date(self.year, self.last_month, rules["cutoff_day"])
        return start, end

    def deadline(self, rules: dict | None = None) -> dt.date:
        rules = {**DEFAULT_RULES, **(rules or {})}
        return dt.date(self.year, self.last_month, rules["deadline_day"])

    def previous(self) -> "Period | None":
        """The same kind of period just before this one (Quý I -> Quý IV of last year)."""
        if self.type == "quy":
            if self.number == 1:
                return Period("quy", self.year - 1, 4)
            return Period("quy", self.year, self.number - 1)
        if self.type == "giai_doan":
            return None
        return Period(self.type, self.year - 1)


WARN_DAYS = 5  # the deadline is "near" this many days ahead (setting period_rules.warn_days)


@dataclass(frozen=True)
class DeadlineState:
    """Where today stands against a period's submission deadline."""

    deadline: dt.date
    days_left: int  # negative once the deadline has passed
    state: str  # "open" | "near" | "late"


def deadline_state(period: Period, rules: dict | None = None, today: dt.date | None = None) -> DeadlineState:
    rules = {**DEFAULT_RULES, "warn_days": WARN_DAYS, **(rules or {})}
    deadline = period.deadline(rules)
    days = (deadline - (today or dt.date.today())).days
    state = "late" if days < 0 else "near" if days <= rules["warn_days"] else "open"
    return DeadlineState(deadline, days, state)

"""What is due (issue 28 §5): a unit's reports for the periods in force, each with its state and
deadline.

No form set says which periods it is reported for, so the schedule comes from the unit's own
reports. Every form set and kind of period it has reported on is due again for each period
after its latest, up to the one whose data has begun by today. A report not yet made is "not
started" ("late" once its deadline has passed).

A report's state follows its status, as these rows show:

| status | state |
|---|---|
| Nháp | `draft` |
| Đã kiểm tra | `checked` |
| Đã ký | `signed` |
| Đã nộp | `sent` |
| Cấp trên đã tiếp nhận | `received` |
| Bị trả lại | `returned` |

One not sent by its deadline is `late`, whatever its status. Finished periods older than a year
are left out.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass

from desktop.foundation.periods import Period

STATE_OF_STATUS = {"nhap": "draft", "da_kiem_tra": "checked", "da_ky": "signed", "da_dong_dau": "signed", "da_nop": "sent",
                   "da_tiep_nhan": "received", "bi_tra_lai": "returned"}
STATE_LABELS = {"not_started": "Chưa làm", "draft": "Nháp", "checked": "Đã kiểm tra", "signed": "Đã ký",
                "sent": "Đã nộp", "received": "Cấp trên đã tiếp nhận", "returned": "Bị trả lại", "late": "Quá hạn"}
SENT = ("da_nop", "da_tiep_nhan")
AHEAD = 12  # periods after a unit's latest report looked at, at most (a unit idle for years)
KEPT_FOR = dt.timedelta(days=366)  # a finished period older than this is no longer "in force"


@dataclass
class Due:
    unit: str  # the unit's code
    unit_name: str
    period: str  # its label, "Quý III năm 2025"
    form_set: str
    form_set_name: str
    state: str  # STATE_LABELS' keys
    deadline: str  # ISO date
    report: int | None = None

    def to_json(self) -> dict:
        return asdict(self)


def following(period: Period) -> Period | None:
    """The period of the same kind just after ``period`` (Quý IV → Quý I of next year)."""
    if period.type == "quy":
        return Period("quy", period.year + (period.number == 4), period.number % 4 + 1)
    if period.type == "giai_doan":
        return None
    return Period(period.type, period.year + 1)


def _state(status: str | None, deadline: dt.date, today: dt.date) -> str:
    if status in SENT:
        return STATE_OF_STATUS[status]
    if deadline < today:
        return "late"
    return STATE_OF_STATUS.get(status, "not_started")


def due(store, catalog, unit_codes: list[str], today: dt.date | None = None) -> list[Due]:
    """The reports due of ``unit_codes``, by unit, form set and period."""
    today = today or dt.date.today()
    rules = store.settings.get("period_rules", {}) or {}
    out: list[Due] = []
    for code in unit_codes:
        unit = store.units.get(code)
        reports = store.reports.all([code])
        series: dict[tuple[str, str], list] = {}
        for report in reports:
            series.setdefault((report.form_set_id, report.period.type), []).append(report)
        for (set_id, _), made in sorted(series.items()):
            form_set = catalog.latest(set_id)
            name = form_set.name if form_set else set_id
            by_period = {r.period: r for r in made}
            for period, report in sorted(by_period.items(), key=lambda item: item[0].deadline(rules)):
                deadline = period.deadline(rules)
                if report.status in SENT and deadline < today - KEPT_FOR:
                    continue
                out.append(Due(code, unit.name, period.label, set_id, name, _state(report.status, deadline, today),
                               deadline.isoformat(), report.id))
            latest = max(by_period, key=lambda p: p.deadline(rules))
            period = following(latest)
            for _ in range(AHEAD):
                if period is None or period.bounds(rules)[0] > today:
                    break
                deadline = period.deadline(rules)
                out.append(Due(code, unit.name, period.label, set_id, name, _state(None, deadline, today),
                               deadline.isoformat()))
                period = following(period)
    return out

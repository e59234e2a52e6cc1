"""Appraisal (thẩm định) of the child units' PAR self-assessments, and their ranking.

A unit's scoring sheet whose criteria set says ``appraises: <child set>`` receives its
child units' signed sheets at consolidation (kept as submissions, never changed). Its
reviewer then types, per criterion of a child's sheet, the appraised score and a
comment; they are kept with the receiving report (store table ``appraisals``). Each
child unit then has two results: its own (tự đánh giá) and the appraised one (thẩm
định), each with its points, index and rating, and the units are ranked by the
appraised index (the self index where nothing was appraised).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from desktop.foundation.messages import CchcError
from desktop.foundation.values import format_number, format_points, from_json, parse_input, to_storage
from desktop.kinds.par.criteria import CriteriaSet, criteria_of
from desktop.kinds.par.scoring import CENT, HUNDRED, Scorecard, scorecard
from desktop.kinds.par.sheet import COLUMN_TYPES, EXPLANATION, FORM_CODE, POINTS, TEXT
from desktop.store.records import Report, Submission

MAX_COMMENT = 4000


@dataclass(frozen=True)
class AppraisalChange:
    report_id: int
    unit: str
    criterion: str
    old: tuple[str | None, str | None]
    new: tuple[str | None, str | None]


@dataclass
class CriterionLine:
    code: str
    title: str
    depth: int
    maximum: Decimal
    own: Decimal | None  # the score the unit gave itself (as typed or summed)
    appraised: Decimal | None  # the score the reviewer gave (None: not appraised)
    comment: str
    explanation: str  # the unit's giải trình
    evidence: list[str] = field(default_factory=list)  # names of the files attached to the criterion


@dataclass(frozen=True)
class Result:
    """Points, index and rating of one sheet as appraised."""

    achieved: Decimal
    maximum: Decimal
    index: Decimal | None
    rating: str


@dataclass
class UnitAppraisal:
    code: str
    name: str
    version: int | None = None  # the report version of the sheet received (None: not received)
    signed_at: str | None = None
    own: Scorecard | None = None
    appraised: Result | None = None
    lines: list[CriterionLine] = field(default_factory=list)
    rank: int | None = None

    @property
    def received(self) -> bool:
        return self.own is not None

    @property
    def ranking_index(self) -> Decimal | None:
        return self.appraised.index if self.appraised is not None else None

    def to_json(self) -> dict:
        def result(card: Scorecard | Result | None) -> dict | None:
            if card is None:
                return None
            return {"achieved": float(card.achieved), "maximum": float(card.maximum),
                    "index": None if card.index is None else float(card.index), "rating": card.rating}

        def number(value):
            return None if value is None else float(value)

        return {"rank": self.rank, "code": self.code, "name": self.name, "version": self.version,
                "signed_at": self.signed_at, "own": result(self.own), "appraised": result(self.appraised),
                "criteria": [{"code": line.code, "title": line.title, "maximum": number(line.maximum),
                              "own": number(line.own), "appraised": number(line.appraised),
                              "comment": line.comment or None, "explanation": line.explanation or None,
                              "evidence": line.evidence} for line in self.lines]}


def _receiving(store, catalog, report_id: int) -> tuple[Report, str]:
    """The receiving report and the child criteria set id it appraises; else CchcError."""
    report = store.reports.get(report_id)
    criteria = criteria_of(catalog.form_set_of(report))
    if criteria is None:
        raise CchcError("PAR018", report=report_id)
    if not criteria.appraises:
        raise CchcError("PAR023", report=report_id)
    return report, criteria.appraises


def _sheet_cells(document: dict) -> dict[str, dict[str, str]]:
    """A received sheet's cells as stored text (row -> column -> text)."""
    cells: dict[str, dict[str, str]] = {}
    received = document.get("forms", {}).get(FORM_CODE, {}).get("cells", {})
    for row, values in received.items():
        for column, value in values.items():
            ctype = COLUMN_TYPES.get(column, TEXT)
            stored = to_storage(from_json(value, ctype), ctype)
            if stored is not None:
                cells.setdefault(row, {})[column] = stored
    return cells


def _current_sheets(store, report: Report, child_set: str) -> dict[str, Submission]:
    """The current submission of each child unit on ``child_set`` for the report's period."""
    period = report.period
    return {s.unit_code: s for s in store.submissions.all([c.code for c in store.units.children(report.unit_code)],
                                                        current_only=True)
            if s.form_set_id == child_set and s.period == period}


def _lines(criteria: CriteriaSet, own: Scorecard, appraised: dict, cells: dict, evidence: dict) -> list[CriterionLine]:
    lines = []
    for node in own.areas:
        for score in node.walk():
            c = score.criterion
            given = appraised.get(c.code, (None, None))
            lines.append(CriterionLine(
                c.code, c.title, c.depth, c.maximum, score.achieved,
                Decimal(given[0]) if given[0] is not None else None, given[1] or "",
                cells.get(c.code, {}).get(EXPLANATION, ""), evidence.get(c.code, [])))
    return lines


def appraised_result(criteria: CriteriaSet, own: Scorecard, given: dict[str, tuple[str | None, str | None]]) -> Result:
    """The unit's result after appraisal. An appraised score replaces what the unit's own sheet
    gives that criterion, and with it everything under it: an appraisal of an area stands for
    the whole area, whatever was appraised below it. The maximum stays the sheet's own
    (what applies is the unit's statement; the reviewer's word on it is the comment)."""
    achieved = own.achieved
    appraised = {code: Decimal(score) for code, (score, _) in given.items() if score is not None}
    for node in (n for area in own.areas for n in area.walk()):
        if node.code not in appraised or not node.applicable:
            continue
        parents = _ancestors(criteria, node.code)
        if any(code in appraised for code in parents):
            continue  # an appraisal above this one stands for it
        achieved += appraised[node.code] - (node.achieved or Decimal(0))
    index = (achieved / own.maximum * HUNDRED).quantize(CENT, ROUND_HALF_UP) if own.maximum else None
    return Result(achieved, own.maximum, index, criteria.rating(index))


def _ancestors(criteria: CriteriaSet, code: str) -> list[str]:
    """The codes above ``code`` in the criteria tree, nearest first."""
    parents: dict[str, str] = {}
    for node in criteria.walk():
        for child in node.children:
            parents[child.code] = node.code
    out = []
    while code in parents:
        code = parents[code]
        out.append(code)
    return out


def appraisal(store, catalog, report_id: int) -> list[UnitAppraisal]:
    """Every child unit of the receiving report's unit, its sheet's own and appraised results,
    ranked (units whose sheet was not received come last, unranked)."""
    report, child_set = _receiving(store, catalog, report_id)
    sheets = _current_sheets(store, report, child_set)
    given = store.appraisals.of(report_id)
    units = []
    for child in store.units.children(report.unit_code):
        entry = UnitAppraisal(child.code, child.name)
        submission = sheets.get(child.code)
        criteria = criteria_of(catalog.form_set_of(submission)) if submission else None
        if submission is not None and criteria is not None:
            document = json.loads(submission.document)
            cells = _sheet_cells(document)
            entry.version, entry.signed_at = submission.report_version, submission.signed_at
            entry.own = scorecard(criteria, cells)
            mine = given.get(child.code, {})
            entry.appraised = appraised_result(criteria, entry.own, mine)
            evidence: dict[str, list[str]] = {}
            for item in document.get("attachments", []):
                if item.get("form") == FORM_CODE:
                    evidence.setdefault(item.get("row"), []).append(item.get("filename"))
            entry.lines = _lines(criteria, entry.own, mine, cells, evidence)
        units.append(entry)
    ranked = sorted((u for u in units if u.received), key=lambda u: -(u.ranking_index or Decimal(-1)))
    for position, unit in enumerate(ranked, 1):
        unit.rank = position
    return ranked + [u for u in units if not u.received]


def appraise(store, catalog, report_id: int, unit_code: str,
             entries: list[tuple[str, str | None, str | None]]) -> list[AppraisalChange]:
    """Appraised scores and comments ``(criterion, score text, comment)`` of one child unit's
    received sheet, all checked first (a score as a Vietnamese number within the criterion's
    maximum; "" clears), then stored; returns what changed."""
    report, child_set = _receiving(store, catalog, report_id)
    submission = _current_sheets(store, report, child_set).get(unit_code)
    if submission is None:
        raise CchcError("PAR024", unit=unit_code)
    criteria = criteria_of(catalog.form_set_of(submission))
    if criteria is None:
        raise CchcError("JSON004", file=f"bảng chấm điểm của {unit_code}", form_set=submission.form_set_id,
                        version=submission.form_set_version)
    current = store.appraisals.of(report_id).get(unit_code, {})
    own = scorecard(criteria, _sheet_cells(json.loads(submission.document)))
    prepared = []
    for code, score_text, comment in entries:
        criterion = criteria.by_code.get(code)
        if criterion is None:
            raise CchcError("PAR017", criterion=code)
        old = current.get(code, (None, None))
        score = old[0] if score_text is None else to_storage(parse_input(score_text, POINTS), POINTS)
        what = f"{criterion.level_name} {code}"
        if score is not None and not Decimal(0) <= Decimal(score) <= criterion.maximum:
            raise CchcError("PAR001", what=what, actual=format_points(Decimal(score)),
                            maximum=format_points(criterion.maximum))
        node = own.node(code)
        if score is not None and not node.applicable:
            raise CchcError("PAR028", what=what)
        if score is not None and node.achieved is None:
            # scored as part of a whole above it: its own share is unknown, so appraise that whole
            whole = next((c for c in _ancestors(criteria, code) if own.node(c).achieved is not None), code)
            raise CchcError("PAR029", what=what, whole=f"{criteria.by_code[whole].level_name} {whole}")
        note = old[1] if comment is None else (comment.strip() or None)
        if note is not None and len(note) > MAX_COMMENT:
            raise CchcError("PAR025", limit=format_number(MAX_COMMENT))
        prepared.append((code, score, note))
    changes = []
    with store.transaction():
        for code, score, note in prepared:
            old = store.appraisals.set(report_id, unit_code, code, score, note)
            if old != (score, note):
                changes.append(AppraisalChange(report_id, unit_code, code, old, (score, note)))
    return changes


def ranking_lines(units: list[UnitAppraisal]) -> list[str]:
    """The ranking as text lines (the CLI)."""
    lines = []
    for unit in units:
        if not unit.received:
            lines.append(f"  –  {unit.name}: chưa nhận bảng tự chấm điểm")
            continue
        own, appraised = unit.own, unit.appraised
        lines.append(f"{unit.rank:>3}. {unit.name}: tự đánh giá {format_points(own.achieved)}/{format_points(own.maximum)} "
                     f"({format_points(own.index, 2)}, {own.rating or '—'}); thẩm định "
                     f"{format_points(appraised.achieved)}/{format_points(appraised.maximum)} "
                     f"({format_points(appraised.index, 2)}, {appraised.rating or '—'})")
    return lines


__all__ = ["AppraisalChange", "CriterionLine", "Result", "UnitAppraisal", "appraised_result", "appraisal", "appraise", "ranking_lines"]

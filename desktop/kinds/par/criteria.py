"""PAR-index criteria sets (bộ tiêu chí xác định Chỉ số CCHC), compiled like forms.

A criteria set is a folder in ``forms/`` whose ``set.yaml`` says ``kind: chi_so``
and names a ``criteria:`` file: areas (lĩnh vực) → criteria (tiêu chí) →
sub-criteria (tiêu chí thành phần), each with its maximum points, and the
rating bands. The same stages as forms: read (schema.loader.read_yaml) →
normalise (``_normalise_node``) → validate (``_check``: maxima add up, codes
nest, bands descend) → build (``CriteriaSet`` with its index by code).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from desktop.schema.reading import LineDict, Problem, Fields, problem, read_yaml
from desktop.foundation.values import format_number

MAX_DEPTH = 3  # lĩnh vực → tiêu chí → tiêu chí thành phần
KINDS = ("on_time", "rate")

# Used when a set declares no ``bands:`` (docs/forms.md): the bands most provinces publish.
DEFAULT_BANDS = (("Xuất sắc", Decimal(90)), ("Tốt", Decimal(80)), ("Khá", Decimal(65)),
                 ("Trung bình", Decimal(50)), ("Yếu", Decimal(0)))

LEVEL_NAMES = ("Lĩnh vực", "Tiêu chí", "Tiêu chí thành phần")


@dataclass(frozen=True)
class OnTime:
    """Full points when every report of the unit's year on these form sets went out by its
    deadline; 0 when any was late ("báo cáo trễ hạn → 0 điểm")."""

    form_sets: tuple[str, ...]


@dataclass(frozen=True)
class Rate:
    """A percentage read from the unit's yearly report on ``form_set``: the sum of
    ``numerator`` columns over the sum of ``denominator`` columns of one row, mapped to
    points by ``bands`` (rate at least the threshold → points, highest first) or, without
    bands, in proportion (maximum × rate)."""

    form_set: str
    form: str
    row: str
    numerator: tuple[str, ...]
    denominator: tuple[str, ...]
    bands: tuple[tuple[Decimal, Decimal], ...] = ()


@dataclass
class Criterion:
    code: str
    title: str
    maximum: Decimal
    children: list["Criterion"] = field(default_factory=list)
    optional: str = ""  # when the criterion may not apply to a unit, as the set words it
    compute: OnTime | Rate | None = None
    cited: str = ""  # the source that prints this maximum ("002"); empty = reconstructed
    depth: int = 0
    line: int = 0

    @property
    def is_leaf(self) -> bool:
        return not self.children

    @property
    def level_name(self) -> str:
        return LEVEL_NAMES[min(self.depth, len(LEVEL_NAMES) - 1)]

    def walk(self):
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass
class CriteriaSet:
    title: str  # printed above the scoring table
    basis: str  # the decision that issued the set ("Quyết định số 609/QĐ-UBND …")
    areas: list[Criterion]
    bands: tuple[tuple[str, Decimal], ...] = DEFAULT_BANDS
    by_code: dict[str, Criterion] = field(default_factory=dict)
    appraises: str | None = None  # the child units' criteria set whose sheets this set's reports appraise

    @property
    def maximum(self) -> Decimal:
        return sum((a.maximum for a in self.areas), Decimal(0))

    def walk(self):
        for area in self.areas:
            yield from area.walk()

    def rating(self, index: Decimal | None) -> str:
        if index is None:
            return ""
        for label, minimum in self.bands:
            if index >= minimum:
                return label
        return self.bands[-1][0]


def _decimal(value, f: Fields, name: str) -> Decimal | None:
    if value is None or isinstance(value, bool):
        f.fail("FORM004", f.line_of(name), field=name, expected="một số")
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite() or number < 0 or number > 1000:
        f.fail("FORM004", f.line_of(name), field=name, expected="một số từ 0 đến 1000")
        return None
    return number


def _strings(value, f: Fields, name: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not value or not all(isinstance(v, str) and v for v in value):
        f.fail("FORM004", f.line_of(name), field=name, expected="một danh sách mã cột")
        return ()
    return tuple(value)


def _bands(raw, f: Fields, name: str, value_name: str) -> tuple:
    """``[[threshold, value], …]`` pairs, as written."""
    out = []
    for pair in raw or []:
        if not isinstance(pair, list) or len(pair) != 2:
            f.fail("FORM004", f.line_of(name), field=name, expected=f"các cặp [ngưỡng, {value_name}]")
            return ()
        out.append(pair)
    return tuple(out)


def _normalise_compute(data, file: str, problems: list[Problem], where: str):
    f = Fields(data, file, problems, where)
    if f.failed:
        return None
    kind = f.get("kind", required=True, choices=KINDS)
    if kind == "on_time":
        sets = _strings(f.get("form_sets", list, required=True, default=[]), f, "form_sets")
        f.done()
        return None if f.failed else OnTime(sets)
    form_set = f.get("form_set", required=True, default="")
    form = f.get("form", required=True, default="")
    row = f.get("row", required=True, default="")
    numerator = _strings(f.get("numerator", list, required=True, default=[]), f, "numerator")
    denominator = _strings(f.get("denominator", list, required=True, default=[]), f, "denominator")
    bands = []
    for threshold, points in _bands(f.get("bands", list, default=[]), f, "bands", "điểm"):
        t, p = _decimal(threshold, f, "bands"), _decimal(points, f, "bands")
        if t is not None and p is not None:
            bands.append((t, p))
    f.done()
    if f.failed or kind is None:
        return None
    return Rate(form_set, form, row, numerator, denominator, tuple(bands))


def _normalise_node(data, file: str, problems: list[Problem], depth: int) -> Criterion | None:
    where = ""
    if isinstance(data, LineDict) and isinstance(data.get("code"), (str, int, float)):
        where = f" (tiêu chí “{data['code']}”)"
    f = Fields(data, file, problems, where)
    if f.failed:
        return None
    code = f.get("code", required=True, default="")
    title = f.get("title", required=True, default="")
    raw_max = f.get("max", object, required=True)
    maximum = _decimal(raw_max, f, "max") if raw_max is not None else None
    optional = f.get("optional", default="")
    cited = f.get("cited", default="")
    raw_compute = f.get("compute", dict)
    raw_children = f.get("children", list, default=[])
    f.done()
    compute = _normalise_compute(raw_compute, file, problems, where) if raw_compute is not None else None
    children = []
    if raw_children and depth + 1 >= MAX_DEPTH:
        f.fail("FORM004", f.line_of("children"), field="children",
               expected=f"trống: bộ tiêu chí chỉ có {MAX_DEPTH} cấp")
    else:
        for child in raw_children:
            node = _normalise_node(child, file, problems, depth + 1)
            if node is not None:
                children.append(node)
    if f.failed or maximum is None or (raw_compute is not None and compute is None):
        return None
    if len(children) != len(raw_children):
        return None
    return Criterion(code=str(code), title=title, maximum=maximum, children=children, optional=optional,
                     compute=compute, cited=str(cited), depth=depth, line=f.line)


def _check(areas: list[Criterion], bands, file: str, problems: list[Problem]) -> bool:
    """Stage 3: what each node says must agree with the others."""
    before = len(problems)
    seen: set[str] = set()

    def visit(node: Criterion, parent: Criterion | None) -> None:
        if node.code in seen:
            problems.append(problem("FORM006", file, node.line, ident=node.code, where=""))
        seen.add(node.code)
        if parent is not None and not node.code.startswith(parent.code + "."):
            problems.append(problem("FORM019", file, node.line, ident=node.code, parent=parent.code))
        if node.children:
            total = sum((c.maximum for c in node.children), Decimal(0))
            if total != node.maximum:
                problems.append(problem("FORM018", file, node.line, ident=node.code,
                                         maximum=format_number(node.maximum), total=format_number(total)))
            if node.compute is not None:
                problems.append(problem("FORM004", file, node.line, field="compute",
                                         expected="chỉ khai ở tiêu chí không có tiêu chí con", where=""))
        if isinstance(node.compute, Rate):
            for _, points in node.compute.bands:
                if points > node.maximum:
                    problems.append(problem("FORM021", file, node.line, ident=node.code,
                                             points=format_number(points), maximum=format_number(node.maximum)))
            thresholds = [t for t, _ in node.compute.bands]
            if thresholds != sorted(thresholds, reverse=True):
                problems.append(problem("FORM020", file, node.line))
        for child in node.children:
            visit(child, node)

    for area in areas:
        visit(area, None)
    minimums = [m for _, m in bands]
    if minimums != sorted(minimums, reverse=True) or minimums[-1] != 0 or len(set(minimums)) != len(minimums):
        problems.append(problem("FORM020", file, 0))
    return len(problems) == before


def load_criteria(path: Path, shown: str, problems: list[Problem]) -> CriteriaSet | None:
    """All four stages for one criteria file; None with problems recorded when it is unusable."""
    data = read_yaml(path, shown, problems)
    if data is None:
        return None
    f = Fields(data, shown, problems)
    if f.failed:
        return None
    title = f.get("title", required=True, default="")
    basis = f.get("basis", default="")
    raw_bands = f.get("bands", list)
    raw_areas = f.get("areas", list, required=True, default=[])
    f.done()
    bands = DEFAULT_BANDS
    if raw_bands is not None:
        pairs = []
        for label, minimum in _bands(raw_bands, f, "bands", "xếp loại"):
            number = _decimal(minimum, f, "bands")
            if not isinstance(label, str) or number is None:
                f.fail("FORM004", f.line_of("bands"), field="bands", expected="các cặp [xếp loại, điểm từ]")
                break
            pairs.append((label, number))
        bands = tuple(pairs) or DEFAULT_BANDS
    areas = []
    for raw in raw_areas:
        try:
            node = _normalise_node(raw, shown, problems, 0)
        except RecursionError:
            problems.append(problem("FORM002", shown, 0, reason="các mục lồng nhau quá sâu"))
            return None
        if node is not None:
            areas.append(node)
    if f.failed or len(areas) != len(raw_areas) or not areas:
        if not raw_areas and not f.failed:
            problems.append(problem("FORM003", shown, f.line, field="areas", where=""))
        return None
    if not _check(areas, bands, shown, problems):
        return None
    built = CriteriaSet(title=title, basis=basis, areas=areas, bands=bands)
    built.by_code = {node.code: node for node in built.walk()}
    return built


def criteria_of(form_set) -> CriteriaSet | None:
    """The criteria set a form set was compiled from; None for a set of another kind."""
    definition = getattr(form_set, "definition", None)
    return definition if isinstance(definition, CriteriaSet) else None


__all__ = ["CriteriaSet", "Criterion", "DEFAULT_BANDS", "OnTime", "Rate", "criteria_of", "load_criteria"]

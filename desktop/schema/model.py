"""Built form definitions: what the loader produces and everything else reads.

A ``FormSet`` (bộ biểu mẫu) holds ``Form``s; a form has a tree of header
``Column``s whose leaves are the table's columns, a tree of ``RowSpec``s that
becomes concrete ``Row``s for one report (see layout.py), and ``Rule``s.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from desktop.foundation.values import CellType

ROW_STYLES = ("normal", "bold", "italic", "group", "total")
ORIENTATIONS = ("portrait", "landscape")
SEVERITIES = ("error", "warning")
SCOPES = ("each_row", "row", "column")
COLUMN_KINDS = ("row_code", "row_label", "row_note", "data")
PRINTED_KINDS = ("row_code", "row_label", "row_note")  # printed from the definition, never typed
LEVELS = ("tinh", "huyen", "xa")
# what a wholly blank row of a report being typed means: nothing happened (không phát sinh, the
# default: said nothing of), or figures every row must have (phải nhập: one warning a blank row)
BLANK_ROWS = ("khong_phat_sinh", "phai_nhap")
BLANK_MEANS = ("0", "-")  # what a blank the clerk confirms as nothing holds and prints


@dataclass
class Column:
    label: str
    id: str | None = None  # None on a group header
    number: int | None = None  # printed "(n)" of a leaf column
    kind: str = "data"
    ctype: CellType = field(default_factory=CellType)
    equals: str | None = None  # printed identity right-hand side, "(4)+(5)"
    expr: object = None  # AST of a computed column
    # the parts a total column adds up, "(4)+(5)+(6)" as an AST (from ``equals:`` when it only adds
    # and subtracts columns): a report that computes its totals fills a blank cell of it from them
    parts: object = None
    width: int | None = None  # relative width for screen and print
    history: bool = True  # checked against the unit's own earlier figures (rules/history.py)
    bounds: tuple = (None, None)  # (min, max) a figure of this column may take, whatever its history
    children: list["Column"] = field(default_factory=list)
    line: int = 0

    @property
    def is_leaf(self) -> bool:
        return not self.children

    @property
    def number_label(self) -> str:
        """What the column-number row prints: "(3)" or "(3)=(4)+(5)"."""
        if self.number is None:
            return ""
        if self.equals and "(" in self.equals:
            return f"({self.number})={self.equals.replace(' ', '')}"
        return f"({self.number})"


@dataclass
class Consolidation:
    """Where a ``units`` row's figures come from at consolidation: the child unit's own report on
    ``form_set``, that report's ``form`` and ``row``; ``columns`` maps this form's columns to the
    child's where their ids differ (by default the same ids)."""

    form_set: str
    form: str
    row: str
    columns: dict[str, str] = field(default_factory=dict)


@dataclass
class RowSpec:
    """One entry of a form's ``rows:``: a fixed row or a generator of rows."""

    kind: str  # fixed | units | items | repeat
    id: str | None = None
    code: str = ""
    label: str = ""
    style: str = "normal"
    total: object = None  # None | "children" | "units" | "items" | [row ids]
    children: list["RowSpec"] = field(default_factory=list)
    source: str | None = None  # units: unit level; items: list name; repeat: section id
    code_format: str = "{n}"
    ctype: CellType | None = None  # a row of yes/no or text in numeric columns ("Có" in 3B, 13B)
    consolidate: Consolidation | None = None  # units rows filled from the child units' reports
    note: str = ""  # what a ``row_note`` column prints on this row ("Đơn vị tính", a criterion's maximum)
    line: int = 0


@dataclass
class Rule:
    id: str
    severity: str
    check: object  # AST, a comparison at the top
    text: str
    kind: str = "custom"  # identity | total | custom
    scope: str = "each_row"
    rows: tuple[str, ...] | None = None
    columns: tuple[str, ...] | None = None
    message: str | None = None
    line: int = 0


@dataclass
class Form:
    code: str
    printed_code: str
    title: str
    columns: list[Column]
    rows: list[RowSpec]
    rules: list[Rule]
    subtitle: str = ""
    attachment_line: str = ""
    orientation: str = "portrait"
    file: str = ""
    # printed above the annex's code, as seed 000 prints some of its annexes: the official header
    # (issuing body | Quốc hiệu, tiêu ngữ), and a title over a group of annexes
    header_block: bool = False
    group_title: str = ""
    # False: the form holds figures behind the body (the placeholders it quotes) and prints no
    # annex, as seed 004 prints its figures in its text and no table
    annex: bool = True
    # False: the columns have numbers (for the identities, "(3)=(4)+(5)") and print no row of them,
    # as seed 003 prints one for its 5B only
    number_row: bool = True
    leaves: list[Column] = field(default_factory=list)
    by_id: dict[str, Column] = field(default_factory=dict)
    by_number: dict[int, Column] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not self.leaves:
            self.leaves = list(iter_leaves(self.columns))
        self.by_id = {c.id: c for c in self.leaves if c.id}
        self.by_number = {c.number: c for c in self.leaves if c.number is not None}

    @property
    def consolidated_rows(self) -> list[RowSpec]:
        """The ``units`` rows filled from child units' reports (``from:``), at any depth."""
        def walk(specs):
            for spec in specs:
                if spec.kind == "units" and spec.consolidate is not None:
                    yield spec
                yield from walk(spec.children)

        return list(walk(self.rows))

    @property
    def label_column(self) -> Column | None:
        """The column of the rows' names (kind ``row_label``: exactly one in a checked form)."""
        return next((c for c in self.leaves if c.kind == "row_label"), None)

    @property
    def data_columns(self) -> list[Column]:
        return [c for c in self.leaves if c.kind == "data"]

    def header_depth(self) -> int:
        def depth(cols: list[Column]) -> int:
            return max((1 + depth(c.children) for c in cols), default=0)

        return depth(self.columns)

    def _paths(self) -> list[list[str]]:
        """Each leaf's header path, in the leaves' order (so a pickled form keeps them right),
        worked out once per form: every finding names its column, and a province's validation
        makes thousands."""
        paths = self.__dict__.get("_header_paths")
        if paths is None or len(paths) != len(self.leaves):
            paths = self.__dict__["_header_paths"] = [_header_path(self.columns, c) or [c.label] for c in self.leaves]
        return paths

    def _path(self, column: Column) -> list[str]:
        found = next((path for leaf, path in zip(self.leaves, self._paths()) if leaf is column), None)
        return found or _header_path(self.columns, column) or [column.label]

    def short_label(self, column: Column) -> str:
        """The fewest trailing header names that tell the column apart:
        "Đồng ý giải quyết / Tổng số" where several columns are "Tổng số"."""
        path = self._path(column)
        others = [p for leaf, p in zip(self.leaves, self._paths()) if leaf is not column]
        for size in range(1, len(path) + 1):
            tail = path[-size:]
            if not any(other[-size:] == tail for other in others):
                return " / ".join(tail)
        return " / ".join(path)

    def column_label(self, column: Column) -> str:
        """The column as a finding names it: header path and printed number."""
        path = self._path(column)
        text = " / ".join(path)
        return f"{text} ({column.number})" if column.number is not None else text


@dataclass
class FormSet:
    id: str
    name: str
    province: str
    year: int
    version: int
    level: str
    forms: dict[str, Form]
    lists: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    description: str = ""
    directory: str = ""
    valid_from: str = ""  # ISO date from which this version replaces the earlier ones for new reports
    source: str = "built-in"  # built-in (shipped with the program) | received (from a parent body)
    # The kind that compiled the set (set.yaml's ``kind:``, a ``desktop.schema.kinds.ReportKind``),
    # what it compiled besides forms (a PAR criteria set), and what each part of the report
    # declared in set.yaml (the body's placeholders), by the part's name. The schema reads none
    # of them: the kinds and parts do.
    kind: object = None
    definition: object = None
    parts: dict[str, object] = field(default_factory=dict)
    key_figures: list = field(default_factory=list)  # schema.figures.KeyFigure: the report's picture
    blank_rows: str = "khong_phat_sinh"  # BLANK_ROWS
    blank_means: str = "0"  # BLANK_MEANS
    # What went wrong while it loaded (a form file that did not compile, say): a set with a
    # problem still opens, so that nothing typed is hidden, but no report of it checks or signs.
    problems: list = field(default_factory=list)

    @property
    def key(self) -> tuple[str, int]:
        return (self.id, self.version)


def iter_leaves(columns: list[Column]):
    for column in columns:
        if column.children:
            yield from iter_leaves(column.children)
        else:
            yield column


def _header_path(columns: list[Column], target: Column) -> list[str] | None:
    for column in columns:
        if column is target:
            return [column.label]
        sub = _header_path(column.children, target)
        if sub is not None:
            return [column.label] + sub
    return None

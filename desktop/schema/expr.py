"""The rule expression language: parsed into a small AST, never ``eval``.

Grammar (lowest precedence first)::

    expr    := or
    or      := and ("or" and)*
    and     := not ("and" not)*
    not     := "not" not | compare
    compare := sum (("=="|"="|"!="|"<>"|"<="|">="|"<"|">") sum)?
    sum     := term (("+"|"-") term)*
    term    := unary (("*"|"/") unary)*
    unary   := "-" unary | atom
    atom    := NUMBER | STRING | "#" INT | "@" | NAME | NAME "(" args ")" | "(" expr ")"

A bare NAME is a column id in the current row, ``#3`` the column printed
``(3)``, ``@`` the column a column-scoped rule is checking.  Numbers are written
plainly (``100``, ``0.5``).  Functions are listed in ``FUNCTIONS``.

Empty cells (documented in docs/forms.md): an empty cell is *unknown*, not 0.
``a + b`` with one side empty is the other side (blank parts of a filled row
count as nothing, as in the printed tables); with both empty it is empty.
``*`` and ``/`` with an empty side are empty, as is a division by zero.  Sums
are empty only when every cell they add is empty.  A check whose two sides are
both empty is skipped; where one side is empty it counts as 0, so a blank total
over filled parts is reported.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol

from desktop.foundation.messages import CchcError

MAX_LENGTH = 2000
MAX_DEPTH = 40

# name -> (min args, max args or None, description of the arguments)
FUNCTIONS: dict[str, tuple[int, int | None]] = {
    "cell": (2, 2),  # cell("I", col): a cell of another row of this form
    "sum_children": (1, 1),  # sum_children(col): the current row's child rows
    "sum_units": (1, 1),  # sum_units(col): every child-unit row of the form
    "sum_items": (1, 1),  # sum_items(col): every list-item row of the form
    "sum_rows": (3, 3),  # sum_rows("1", "13", col): rows from .. to, in order
    "sum_of": (2, None),  # sum_of(col, "I", "II"): the named rows
    "form": (2, 3),  # form("5B", "tong", col); form("7B", col): the same row of another form
    "count_rows": (1, 1),  # count_rows("TD"): the rows the clerk listed in a form (its tasks, its plans)
    "contains": (2, 2),  # contains(ke_hoach, "kế hoạch CCHC"): a text cell says it (case ignored)
    "prev": (1, 1),  # prev(expr): expr in the previous period's report
    "abs": (1, 1),
    "min": (1, None),
    "max": (1, None),
    "round": (1, 2),
    "if": (3, 3),
    "filled": (1, 1),
    "empty": (1, 1),
    "period_start": (0, 0),
    "period_end": (0, 0),
}


@dataclass(frozen=True)
class Num:
    value: Decimal


@dataclass(frozen=True)
class Str:
    value: str


@dataclass(frozen=True)
class ColRef:
    """A column of the row being checked: by id, by printed number, or ``@``."""

    name: str | None = None
    number: int | None = None
    current: bool = False

    def __str__(self) -> str:
        if self.current:
            return "@"
        return f"#{self.number}" if self.number is not None else str(self.name)


@dataclass(frozen=True)
class Call:
    name: str
    args: tuple


@dataclass(frozen=True)
class Unary:
    op: str
    operand: object


@dataclass(frozen=True)
class Binary:
    op: str
    left: object
    right: object


COMPARISONS = {"==", "!=", "<", "<=", ">", ">="}

_TOKEN = re.compile(
    r"\s*(?:(?P<num>\d+(?:\.\d+)?)|(?P<str>\"[^\"]*\"|'[^']*')|(?P<col>#\d+)"
    r"|(?P<name>[A-Za-z_][A-Za-z0-9_]*)|(?P<op>==|!=|<>|<=|>=|[-+*/(),<>=@]))"
)


def tokenize(text: str) -> list[tuple[str, str, int]]:
    tokens = []
    pos = 0
    text = text.rstrip()
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if not match or match.end() == pos:
            bad = text[pos:].lstrip()[:1]
            raise CchcError("EXPR001", char=bad, pos=pos + 1)
        kind = match.lastgroup
        tokens.append((kind, match.group(kind), match.start(kind) + 1))
        pos = match.end()
    tokens.append(("end", "", len(text) + 1))
    return tokens


class _Parser:
    def __init__(self, text: str) -> None:
        if len(text) > MAX_LENGTH:
            raise CchcError("EXPR007")
        self.tokens = tokenize(text)
        self.i = 0
        self.depth = 0

    def peek(self) -> tuple[str, str, int]:
        return self.tokens[self.i]

    def take(self) -> tuple[str, str, int]:
        token = self.tokens[self.i]
        self.i += 1
        return token

    def expect(self, value: str) -> None:
        kind, text, pos = self.take()
        if text != value or kind == "str":
            raise CchcError("EXPR002", expected=value, pos=pos)

    def is_op(self, *values: str) -> bool:
        kind, text, _ = self.peek()
        return kind in ("op", "name") and text in values

    def parse(self):
        node = self.expr()
        kind, text, pos = self.peek()
        if kind != "end":
            raise CchcError("EXPR003", token=text, pos=pos)
        return node

    def expr(self):
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise CchcError("EXPR007")
        node = self.or_()
        self.depth -= 1
        return node

    def or_(self):
        node = self.and_()
        while self.is_op("or"):
            self.take()
            node = Binary("or", node, self.and_())
        return node

    def and_(self):
        node = self.not_()
        while self.is_op("and"):
            self.take()
            node = Binary("and", node, self.not_())
        return node

    def not_(self):
        if self.is_op("not"):
            self.take()
            return Unary("not", self.not_())
        return self.compare()

    def compare(self):
        node = self.sum()
        if self.is_op("==", "=", "!=", "<>", "<", "<=", ">", ">="):
            op = self.take()[1]
            op = {"=": "==", "<>": "!="}.get(op, op)
            node = Binary(op, node, self.sum())
        return node

    def sum(self):
        node = self.term()
        while self.is_op("+", "-"):
            op = self.take()[1]
            node = Binary(op, node, self.term())
        return node

    def term(self):
        node = self.unary()
        while self.is_op("*", "/"):
            op = self.take()[1]
            node = Binary(op, node, self.unary())
        return node

    def unary(self):
        if self.is_op("-"):
            self.take()
            self.depth += 1
            if self.depth > MAX_DEPTH:
                raise CchcError("EXPR007")
            node = Unary("-", self.unary())
            self.depth -= 1
            return node
        return self.atom()

    def atom(self):
        kind, text, pos = self.take()
        if kind == "num":
            return Num(Decimal(text))
        if kind == "str":
            return Str(text[1:-1])
        if kind == "col":
            return ColRef(number=int(text[1:]))
        if kind == "op" and text == "@":
            return ColRef(current=True)
        if kind == "op" and text == "(":
            node = self.expr()
            self.expect(")")
            return node
        if kind == "name" and text not in ("and", "or", "not"):
            if self.is_op("("):
                return self.call(text, pos)
            return ColRef(name=text)
        raise CchcError("EXPR003", token=text or "hết biểu thức", pos=pos)

    def call(self, name: str, pos: int):
        if name not in FUNCTIONS:
            raise CchcError("EXPR004", name=name, allowed=", ".join(sorted(FUNCTIONS)))
        self.expect("(")
        args = []
        if not self.is_op(")"):
            args.append(self.expr())
            while self.is_op(","):
                self.take()
                args.append(self.expr())
        self.expect(")")
        low, high = FUNCTIONS[name]
        if len(args) < low or (high is not None and len(args) > high):
            expected = str(low) if low == high else (f"từ {low}" if high is None else f"{low}–{high}")
            raise CchcError("EXPR005", name=name, expected=expected, actual=len(args))
        _check_arg_kinds(name, args)
        return Call(name, tuple(args))


def _check_arg_kinds(name: str, args: list) -> None:
    def need(index: int, kinds: tuple, expected: str) -> None:
        if not isinstance(args[index], kinds):
            raise CchcError("EXPR009", index=index + 1, name=name, expected=expected)

    row = "mã dòng trong ngoặc kép, ví dụ \"I\""
    col = "một cột (tên cột, #số cột hoặc @)"
    if name == "cell":
        need(0, (Str,), row)
        need(1, (ColRef,), col)
    elif name in ("sum_children", "sum_units", "sum_items"):
        need(0, (ColRef,), col)
    elif name == "sum_rows":
        need(0, (Str,), row)
        need(1, (Str,), row)
        need(2, (ColRef,), col)
    elif name == "sum_of":
        need(0, (ColRef,), col)
        for index in range(1, len(args)):
            need(index, (Str,), row)
    elif name == "count_rows":
        need(0, (Str,), "mã biểu trong ngoặc kép, ví dụ \"TD\"")
    elif name == "contains":
        need(1, (Str,), "một cụm từ trong ngoặc kép")
    elif name == "form":
        need(0, (Str,), "mã biểu trong ngoặc kép, ví dụ \"5B\"")
        if len(args) == 3:
            need(1, (Str,), row)
        need(len(args) - 1, (ColRef,), col)
    elif name == "round" and len(args) == 2:
        need(1, (Num,), "một số")


def parse(text: str):
    """The AST of ``text``; raises CchcError (EXPR…) saying what is wrong and where."""
    return _Parser(text).parse()


_IDENTITY_NUMBER = re.compile(r"\((\d+)\)")


def parse_identity(text: str):
    """A printed header identity such as "(3)=(4)+(5)" as an expression."""
    return parse(_IDENTITY_NUMBER.sub(r"#\1", text))


def walk(node, into_other_forms: bool = True):
    """Every node of the tree, depth first; without ``into_other_forms`` the
    arguments of ``form(…)`` are skipped (they name another form's row and column)."""
    yield node
    if isinstance(node, Call):
        if node.name == "form" and not into_other_forms:
            return
        for arg in node.args:
            yield from walk(arg, into_other_forms)
    elif isinstance(node, Unary):
        yield from walk(node.operand, into_other_forms)
    elif isinstance(node, Binary):
        yield from walk(node.left, into_other_forms)
        yield from walk(node.right, into_other_forms)


def unparse(node) -> str:
    """Readable text of an expression, for messages ("(4) + (5)")."""
    if isinstance(node, Num):
        return format(node.value, "f")
    if isinstance(node, Str):
        return f'"{node.value}"'
    if isinstance(node, ColRef):
        return f"({node.number})" if node.number is not None else str(node)
    if isinstance(node, Call):
        return f"{node.name}({', '.join(unparse(a) for a in node.args)})"
    if isinstance(node, Unary):
        return f"{node.op} {unparse(node.operand)}" if node.op == "not" else f"-{unparse(node.operand)}"
    return f"{unparse(node.left)} {node.op} {unparse(node.right)}"


def to_source(node) -> str:
    """Expression text that parses back to exactly ``node`` (fully parenthesised)."""
    if isinstance(node, Num):
        return format(node.value, "f")
    if isinstance(node, Str):
        return f"'{node.value}'" if '"' in node.value else f'"{node.value}"'
    if isinstance(node, ColRef):
        return str(node)
    if isinstance(node, Call):
        return f"{node.name}({', '.join(to_source(a) for a in node.args)})"
    if isinstance(node, Unary):
        return f"(not {to_source(node.operand)})" if node.op == "not" else f"(-{to_source(node.operand)})"
    return f"({to_source(node.left)} {node.op} {to_source(node.right)})"


# --- evaluation -------------------------------------------------------------


class Scope(Protocol):
    """What an expression needs from the report it is evaluated against."""

    def value(self, row: str, column: ColRef):
        """A cell's value (int/Decimal/date/bool/str) or None when empty."""

    def rows_children(self, row: str) -> list[str]: ...

    def rows_units(self) -> list[str]: ...

    def rows_items(self) -> list[str]: ...

    def rows_between(self, first: str, last: str) -> list[str]: ...

    def rows_listed(self) -> list[str]:
        """The rows the clerk added to the form's lists (its tasks, its plans)."""

    def other_form(self, code: str) -> "Scope | None": ...

    def previous(self) -> "Scope | None": ...

    def period_bounds(self) -> tuple: ...


class Unavailable(Exception):
    """The previous report, or the other form, does not exist: the rule cannot apply."""


class Evaluation:
    """Evaluates expressions for one row (and column) of one form."""

    def __init__(self, scope: Scope, row: str, column: ColRef | None = None) -> None:
        self.scope = scope
        self.row = row
        self.column = column

    def column_of(self, ref: ColRef) -> ColRef:
        if ref.current:
            if self.column is None:
                raise CchcError("EXPR006")
            return self.column
        return ref

    def eval(self, node):
        method = getattr(self, "_" + type(node).__name__)
        return method(node)

    def _Num(self, node: Num):
        return node.value

    def _Str(self, node: Str):
        return node.value

    def _ColRef(self, node: ColRef):
        return _number(self.scope.value(self.row, self.column_of(node)))

    def _Unary(self, node: Unary):
        value = self.eval(node.operand)
        if node.op == "not":
            return None if value is None else not value
        return None if value is None else -value

    def _Binary(self, node: Binary):
        op = node.op
        if op in ("and", "or"):
            left = self.eval(node.left)
            if op == "and" and left is False or op == "or" and left is True:
                return left
            right = self.eval(node.right)
            if left is None or right is None:
                return None
            return (left and right) if op == "and" else (left or right)
        left = self.eval(node.left)
        right = self.eval(node.right)
        if op in COMPARISONS:
            return compare(op, left, right)
        if not (_arithmetic(left) and _arithmetic(right)):  # "Có" or a text row: no number to add
            return None
        if op in ("+", "-"):
            if left is None and right is None:
                return None
            left = Decimal(0) if left is None else left
            right = Decimal(0) if right is None else right
            return left + right if op == "+" else left - right
        if left is None or right is None:
            return None
        if op == "*":
            return left * right
        if right == 0:
            return None
        return left / right

    def _sum(self, rows: list[str], column: ColRef):
        column = self.column_of(column)
        total = None
        for row in rows:
            value = _number(self.scope.value(row, column))
            if isinstance(value, Decimal):  # a yes/no or text row in a numeric column adds nothing
                total = value if total is None else total + value
        return total

    def _Call(self, node: Call):
        name, args = node.name, node.args
        scope = self.scope
        if name == "cell":
            return _number(scope.value(args[0].value, self.column_of(args[1])))
        if name == "sum_children":
            return self._sum(scope.rows_children(self.row), args[0])
        if name == "sum_units":
            return self._sum(scope.rows_units(), args[0])
        if name == "sum_items":
            return self._sum(scope.rows_items(), args[0])
        if name == "sum_rows":
            return self._sum(scope.rows_between(args[0].value, args[1].value), args[2])
        if name == "sum_of":
            return self._sum([a.value for a in args[1:]], args[0])
        if name == "count_rows":
            other = scope.other_form(args[0].value)
            if other is None:
                raise Unavailable
            return len(other.rows_listed())
        if name == "contains":
            value = self.eval(args[0])
            return None if value is None else args[1].value.casefold() in str(value).casefold()
        if name == "form":
            other = scope.other_form(args[0].value)
            if other is None:
                raise Unavailable
            row = args[1].value if len(args) == 3 else self.row
            return _number(other.value(row, self.column_of(args[-1])))
        if name == "prev":
            previous = scope.previous()
            if previous is None:
                raise Unavailable
            return Evaluation(previous, self.row, self.column).eval(args[0])
        if name in ("filled", "empty"):
            value = self.eval(args[0])
            return (value is not None) == (name == "filled")
        if name == "if":
            condition = self.eval(args[0])
            if condition is None:
                return None
            return self.eval(args[1] if condition else args[2])
        if name == "period_start":
            return scope.period_bounds()[0]
        if name == "period_end":
            return scope.period_bounds()[1]
        values = [self.eval(a) for a in args]
        if name == "round":
            if values[0] is None:
                return None
            places = int(values[1]) if len(values) > 1 else 0
            return values[0].quantize(Decimal(1).scaleb(-places))
        present = [v for v in values if v is not None]
        if name == "abs":
            return None if values[0] is None else abs(values[0])
        if not present:
            return None
        return min(present) if name == "min" else max(present)


def _arithmetic(value) -> bool:
    return value is None or (isinstance(value, Decimal) and not isinstance(value, bool))


def _number(value):
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return Decimal(value)
    return value


def compare(op: str, left, right):
    """Comparison with the empty-cell rule: both empty -> unknown; one empty -> 0."""
    if left is None and right is None:
        return None
    if left is None:
        left = Decimal(0) if not _is_date(right) else None
    if right is None:
        right = Decimal(0) if not _is_date(left) else None
    if left is None or right is None:
        return None
    try:
        if op == "==":
            return left == right
        if op == "!=":
            return left != right
        if op == "<":
            return left < right
        if op == "<=":
            return left <= right
        if op == ">":
            return left > right
        return left >= right
    except TypeError:
        return None


def _is_date(value) -> bool:
    return hasattr(value, "isoformat")

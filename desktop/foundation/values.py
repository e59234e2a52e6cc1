"""Cell types and their values: Vietnamese input, display, storage and JSON.

Python values by kind: ``count``/``integer`` -> int, ``decimal``/``percent``
-> Decimal (exact: 93,66 stays 93.66), ``date`` -> datetime.date, ``bool`` ->
bool, ``text``/``choice`` -> str.  An empty cell is ``None`` everywhere.

Number input follows what clerks type and what Excel/LibreOffice paste:
- "." groups thousands in groups of three ("1.562"), "," marks decimals ("93,66");
- with no comma, a single dot followed by other than three digits is read as a
  plain decimal point ("93.66" pasted from an English-locale sheet);
- "%" and spaces are ignored, full-width digits are accepted (NFKC);
- "-" alone means zero, as in the printed tables, and "/" "does not apply" (both count as 0 and
  print as typed); a leading minus (also "−")
  only where the cell is signed;
- a count keeps the zeros and the unit it is typed with ("08", "23 nhiệm vụ" where the column
  allows the unit): it counts as its number and prints as typed (``Shown``).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from desktop.foundation.messages import CchcError

NUMERIC_KINDS = ("count", "integer", "decimal", "percent")
KINDS = NUMERIC_KINDS + ("text", "date", "bool", "choice", "computed")

MAX_ABS = Decimal("999999999999")  # 12 digits: more than any count in a CCHC report
MAX_PERCENT = Decimal("1000")
MAX_PLACES = 6
MAX_DIGITS = 15
MAX_TEXT = 4000

_GROUPED = re.compile(r"^\d{1,3}(\.\d{3})+$")
_PLAIN_INT = re.compile(r"^\d+$")
_PLAIN_DEC = re.compile(r"^\d+\.\d+$")
_VN_DEC = re.compile(r"^(\d{1,3}(\.\d{3})+|\d+),\d+$")
_DATE = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")

YES = "Có"
NO = "Không"


@dataclass(frozen=True)
class CellType:
    """What a cell accepts. ``result`` is the kind of a computed cell's value."""

    kind: str = "count"
    choices: tuple[str, ...] = ()
    decimals: int | None = None  # fixed places for display; None = as entered
    signed: bool = False
    result: str = "count"
    units: tuple[str, ...] = ()  # words a count may be typed with ("nhiệm vụ", "đơn vị")

    @property
    def numeric(self) -> bool:
        return self.value_kind in NUMERIC_KINDS

    @property
    def value_kind(self) -> str:
        return self.result if self.kind == "computed" else self.kind

    @property
    def additive(self) -> bool:
        """Whether rows of this column add up (a percentage does not)."""
        return self.value_kind in ("count", "integer", "decimal")


class Nil(int):
    """A mark typed for "nothing": the dash ("-", as seed 000's Phụ lục V prints it) or the slash
    for "does not apply" ("/", seed 003's Biểu mẫu 4B). It counts as 0 in every sum and check, and
    is kept, stored, sent and printed as the mark the clerk typed."""

    mark: str

    def __new__(cls, mark: str = "-"):
        made = super().__new__(cls, 0)
        made.mark = mark
        return made

    def __repr__(self) -> str:
        return "NIL" if self.mark == DASH else f"Nil({self.mark!r})"

    def __reduce__(self):
        return Nil, (self.mark,)


DASH = "-"
NIL = Nil(DASH)
SLASH = Nil("/")
MARKS = {DASH: NIL, "/": SLASH}  # what a number cell takes for "nothing", as typed


class Shown(int):
    """A count typed the way the seeds print it, with its leading zeros or its unit ("08",
    "23 nhiệm vụ", "08 đơn vị"): it counts as its number in every sum and check, and is kept,
    stored, sent and printed as typed (seed 000's Phụ lục 1 says which of its figures are tasks
    and which are units only so)."""

    text: str

    def __new__(cls, number: int, text: str):
        made = super().__new__(cls, number)
        made.text = text
        return made

    def __repr__(self) -> str:
        return f"Shown({int(self)}, {self.text!r})"

    def __reduce__(self):
        return Shown, (int(self), self.text)


_SHOWN = re.compile(r"^(\d{1,15})(?:\s+(\S.{0,39}))?$")


def shown_count(text: str, ctype: CellType) -> Shown | None:
    """``text`` as a ``Shown`` count when it has a leading zero or one of the column's units;
    None when it is a plain number (or not a count)."""
    if ctype.value_kind not in ("count", "integer"):
        return None
    match = _SHOWN.match(" ".join(text.split()))
    if match is None:
        return None
    digits, unit = match.groups()
    if unit is not None and unit not in ctype.units:
        return None
    if unit is None and not (len(digits) > 1 and digits.startswith("0")):
        return None
    if int(digits) > MAX_ABS:
        raise CchcError("NUM005", text=text.strip()[:40], limit=format_number(MAX_ABS))
    return Shown(int(digits), digits if unit is None else f"{digits} {unit}")


def _normalise(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    return text.replace("\u2212", "-").strip()


def parse_number(text: str, ctype: CellType) -> int | Decimal | None:
    """Read a number as a clerk types or pastes it; ``None`` for an empty cell."""
    raw = text
    text = _normalise(text)
    kind = ctype.value_kind
    if kind == "percent":
        text = text.rstrip("%").strip()
    shown = shown_count(text, ctype)
    if shown is not None:
        return shown
    text = re.sub(r"\s+", "", text)
    if text == "":
        return None
    if text in MARKS:
        return MARKS[text]
    negative = text.startswith("-")
    if negative or text.startswith("+"):
        text = text[1:]
    if negative and not (ctype.signed or kind == "integer"):
        raise CchcError("NUM004", text=raw.strip())
    if _GROUPED.match(text) or _PLAIN_INT.match(text):
        number = Decimal(text.replace(".", ""))
    elif _VN_DEC.match(text):
        number = Decimal(text.replace(".", "").replace(",", "."))
    elif _PLAIN_DEC.match(text):
        number = Decimal(text)
    elif re.search(r"\d", text) and re.fullmatch(r"[\d.,]+", text):
        raise CchcError("NUM002", text=raw.strip())
    elif ctype.units and re.match(r"^\d", text):
        raise CchcError("NUM012", text=raw.strip(), units=", ".join(f"“{u}”" for u in ctype.units))
    else:
        raise CchcError("NUM001", text=raw.strip())
    if negative:
        number = -number
    return _checked(number, ctype, raw.strip())


def _checked(number: Decimal, ctype: CellType, shown: str) -> int | Decimal:
    kind = ctype.value_kind
    limit = MAX_PERCENT if kind == "percent" else MAX_ABS
    if abs(number) > limit:
        raise CchcError("NUM005", text=shown, limit=format_number(limit))
    if kind in ("count", "integer"):
        if number != number.to_integral_value():
            raise CchcError("NUM003", text=shown)
        return int(number)
    exponent = number.as_tuple().exponent
    if isinstance(exponent, int) and -exponent > MAX_PLACES:
        raise CchcError("NUM006", text=shown, places=MAX_PLACES)
    if len(number.as_tuple().digits) > MAX_DIGITS:
        # JSON numbers are read as doubles by most consumers: keep them exact.
        raise CchcError("NUM005", text=shown, limit=f"{MAX_DIGITS} chữ số")
    return number


def parse_date(text: str) -> dt.date | None:
    text = _normalise(text)
    if not text:
        return None
    match = _DATE.match(text)
    try:
        if match:
            day, month, year = (int(g) for g in match.groups())
            return dt.date(year, month, day)
        match = _ISO_DATE.match(text)
        if match:
            return dt.date.fromisoformat(text)
    except ValueError:
        pass
    raise CchcError("NUM007", text=text)


def parse_input(text: str, ctype: CellType):
    """A cell's value from what the clerk typed; raises CchcError with the reason."""
    kind = ctype.kind
    if kind == "computed":
        raise CchcError("NUM010")
    if kind in NUMERIC_KINDS:
        return parse_number(text, ctype)
    if kind == "date":
        return parse_date(text)
    stripped = _normalise(text)
    if not stripped:
        return None
    if kind == "bool":
        folded = stripped.casefold()
        if folded in ("có", "co", "x", "yes", "1", "true"):
            return True
        if folded in ("không", "khong", "no", "0", "false"):
            return False
        raise CchcError("NUM008", text=stripped)
    if kind == "choice":
        for choice in ctype.choices:
            if choice.casefold() == stripped.casefold():
                return choice
        raise CchcError("NUM009", text=stripped, choices=", ".join(ctype.choices))
    if len(stripped) > MAX_TEXT:
        raise CchcError("NUM011", length=len(stripped), limit=MAX_TEXT)
    return text.strip()


def format_number(number: int | Decimal, decimals: int | None = None) -> str:
    """Vietnamese display: 1.562 and 93,66."""
    if isinstance(number, int):
        value = Decimal(number)
    else:
        value = number
    if decimals is not None:
        value = value.quantize(Decimal(1).scaleb(-decimals))
    sign = "-" if value < 0 else ""
    text = format(abs(value), "f")
    whole, _, frac = text.partition(".")
    groups = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    out = sign + ".".join(groups)
    if frac:
        out += "," + frac
    return out


def format_figure(value, percent: bool = False) -> str:
    """A key figure as charts and their tables show it: 1.562 and 93,7%; none is a dash."""
    if value is None:
        return "—"
    if percent:
        return format_number(Decimal(value).quantize(Decimal("0.1"))) + "%"
    return format_number(Decimal(value).quantize(Decimal(1)))


def format_points(number: Decimal | None, decimals: int | None = None, empty: str = "—") -> str:
    """A score, a maximum or an index as a reader expects it: 19,49; 7; 0,25 (no zeros the
    storage adds), or with ``decimals`` places (an index: 85,74); ``empty`` when there is none."""
    if number is None:
        return empty
    if decimals is not None:
        return format_number(number, decimals)
    return format_number(number.normalize() if number == number.to_integral_value() else number)


def format_value(value, ctype: CellType) -> str:
    """How a value is shown in the form screen and in printouts."""
    if value is None:
        return ""
    kind = ctype.value_kind
    if isinstance(value, Nil) and kind in NUMERIC_KINDS:
        return value.mark
    if isinstance(value, Shown) and kind in NUMERIC_KINDS:
        return value.text
    if kind in NUMERIC_KINDS:
        text = format_number(value, ctype.decimals)
        return text + "%" if kind == "percent" else text
    if kind == "date":
        return value.strftime("%d/%m/%Y")
    if kind == "bool":
        return YES if value else NO
    return str(value)


def to_storage(value, ctype: CellType) -> str | None:
    """Canonical text kept in the database (exact, locale-free)."""
    if value is None:
        return None
    kind = ctype.value_kind
    if isinstance(value, Nil) and kind in NUMERIC_KINDS:
        return value.mark
    if isinstance(value, Shown) and kind in ("count", "integer"):
        return value.text
    if kind in ("count", "integer"):
        return str(int(value))
    if kind in ("decimal", "percent"):
        return format(value, "f")
    if kind == "date":
        return value.isoformat()
    if kind == "bool":
        return "1" if value else "0"
    return str(value)


def from_storage(text: str | None, ctype: CellType):
    if text is None:
        return None
    kind = ctype.value_kind
    if text in MARKS and kind in NUMERIC_KINDS:
        return MARKS[text]
    if kind in ("count", "integer"):
        match = _SHOWN.match(text)
        if match is not None and (match.group(2) or (len(text) > 1 and text[0] == "0")):
            return Shown(int(match.group(1)), text)  # as it was typed, even if the form has changed since
        return int(text)
    if kind in ("decimal", "percent"):
        return Decimal(text)
    if kind == "date":
        return dt.date.fromisoformat(text)
    if kind == "bool":
        return text == "1"
    return text


def json_value(value):
    """Any cell or rule value as JSON: a Decimal written without a point as an
    int, other Decimals as floats (exact within MAX_DIGITS), dates as ISO text."""
    if isinstance(value, Nil):
        return value.mark  # the dash and the slash travel as typed (docs/package.md)
    if isinstance(value, Shown):
        return value.text  # "08", "23 nhiệm vụ" travel as typed too
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() and "." not in str(value) else float(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def to_json(value, ctype: CellType):
    """JSON-native value of a cell of type ``ctype``."""
    return json_value(value)


def from_json(data, ctype: CellType):
    """Value from a JSON document, checked as strictly as typed input."""
    if data is None:
        return None
    kind = ctype.value_kind
    if kind in NUMERIC_KINDS and isinstance(data, str) and data in MARKS:
        return MARKS[data]
    if isinstance(data, str) and kind in ("count", "integer"):
        shown = shown_count(data, ctype)
        if shown is None:
            raise CchcError("NUM001", text=data[:40])
        return shown
    if kind in NUMERIC_KINDS:
        if isinstance(data, bool) or not isinstance(data, (int, float, Decimal)):
            raise CchcError("NUM001", text=str(data)[:40])
        try:
            number = Decimal(str(data))
        except InvalidOperation:
            raise CchcError("NUM001", text=str(data)[:40]) from None
        if not number.is_finite():
            raise CchcError("NUM001", text=str(data)[:40])
        if number < 0 and not (ctype.signed or kind == "integer"):
            raise CchcError("NUM004", text=str(data))
        return _checked(number, ctype, str(data))
    if kind == "date":
        if not isinstance(data, str) or not _ISO_DATE.match(data):
            raise CchcError("NUM007", text=str(data)[:40])
        try:
            return dt.date.fromisoformat(data)
        except ValueError:
            raise CchcError("NUM007", text=data) from None
    if kind == "bool":
        if not isinstance(data, bool):
            raise CchcError("NUM008", text=str(data)[:40])
        return data
    if not isinstance(data, str):
        raise CchcError("NUM001", text=str(data)[:40])
    if kind == "choice" and data not in ctype.choices:
        raise CchcError("NUM009", text=data[:40], choices=", ".join(ctype.choices))
    if len(data) > MAX_TEXT:
        raise CchcError("NUM011", length=len(data), limit=MAX_TEXT)
    return data

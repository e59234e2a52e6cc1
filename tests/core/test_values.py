"""Vietnamese numbers and the other cell types."""

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desktop.foundation.messages import CchcError
from desktop.foundation.values import (
    CellType,
    format_number,
    format_value,
    from_json,
    from_storage,
    parse_input,
    to_json,
    to_storage,
)

COUNT = CellType("count")
SIGNED = CellType("integer")
DECIMAL = CellType("decimal")
PERCENT = CellType("percent")


@pytest.mark.parametrize("text, expected", [
    ("1.562", 1562), ("1562", 1562), ("1.234.567", 1234567), (" 97.851 ", 97851), ("0", 0), ("-", 0),  # "-" is the dash (NIL), equal to 0
    ("１．５６２", 1562),  # full-width digits and dot
    ("", None), ("   ", None),
])
def test_count_accepts_what_clerks_type(text, expected):
    assert parse_input(text, COUNT) == expected


@pytest.mark.parametrize("text, expected", [
    ("93,66", Decimal("93.66")), ("93,66 %", Decimal("93.66")), ("93,66%", Decimal("93.66")),
    ("100", Decimal("100")), ("93.66", Decimal("93.66")),  # pasted from an English-locale sheet
])
def test_percent(text, expected):
    assert parse_input(text, PERCENT) == expected


@pytest.mark.parametrize("text, code", [
    ("1,5,6", "NUM002"), ("abc", "NUM001"), ("12a", "NUM001"), ("1.56", "NUM003"), ("1,5", "NUM003"),
    ("-5", "NUM004"), ("1.000.000.000.000", "NUM005"), ("1..2", "NUM002"), ("12.34.567", "NUM002"),
])
def test_count_rejects_with_reason(text, code):
    with pytest.raises(CchcError) as raised:
        parse_input(text, COUNT)
    assert raised.value.code == code
    assert text.strip() in str(raised.value) or code == "NUM005"


def test_minus_only_where_signed():
    assert parse_input("-5", SIGNED) == -5
    assert parse_input("−2", SIGNED) == -2  # the typographic minus Word inserts
    assert parse_input("-1,5", CellType("decimal", signed=True)) == Decimal("-1.5")
    with pytest.raises(CchcError):
        parse_input("-1,5", DECIMAL)


def test_display_is_vietnamese():
    assert format_value(1562, COUNT) == "1.562"
    assert format_value(Decimal("93.66"), PERCENT) == "93,66%"
    assert format_value(-1234567, SIGNED) == "-1.234.567"
    assert format_value(Decimal("5"), CellType("decimal", decimals=2)) == "5,00"
    assert format_value(dt.date(2020, 1, 5), CellType("date")) == "05/01/2020"
    assert format_value(True, CellType("bool")) == "Có"
    assert format_value(None, COUNT) == ""


def test_other_types():
    assert parse_input("05/01/2020", CellType("date")) == dt.date(2020, 1, 5)
    assert parse_input("không", CellType("bool")) is False
    assert parse_input("đạt", CellType("choice", choices=("Đạt", "Không đạt"))) == "Đạt"
    with pytest.raises(CchcError) as raised:
        parse_input("31/02/2020", CellType("date"))
    assert raised.value.code == "NUM007"
    with pytest.raises(CchcError) as raised:
        parse_input("Tốt", CellType("choice", choices=("Đạt", "Không đạt")))
    assert "Đạt, Không đạt" in str(raised.value)
    with pytest.raises(CchcError):
        parse_input("5", CellType("computed"))


counts = st.integers(min_value=0, max_value=999_999_999_999)
decimals = st.decimals(min_value=-10**8, max_value=10**8, places=2, allow_nan=False, allow_infinity=False)


@given(counts)
def test_count_round_trip(number):
    shown = format_value(number, COUNT)
    assert parse_input(shown, COUNT) == number
    assert parse_input(str(number), COUNT) == number
    assert from_storage(to_storage(number, COUNT), COUNT) == number


@given(decimals)
def test_decimal_round_trip(number):
    ctype = CellType("decimal", signed=True)
    assert parse_input(format_value(number, ctype), ctype) == number
    assert from_json(to_json(number, ctype), ctype) == number
    assert from_storage(to_storage(number, ctype), ctype) == number


@given(st.decimals(min_value=0, max_value=1000, places=2, allow_nan=False))
def test_percent_round_trip(number):
    assert parse_input(format_value(number, PERCENT), PERCENT) == number


@given(st.text(max_size=30))
def test_any_text_is_a_value_or_a_catalogued_refusal(text):
    for ctype in (COUNT, SIGNED, DECIMAL, PERCENT, CellType("date")):
        try:
            value = parse_input(text, ctype)
        except CchcError as error:
            assert error.code.startswith("NUM")
        else:
            assert value is None or parse_input(format_value(value, ctype), ctype) == value


def test_format_number_groups():
    assert format_number(0) == "0"
    assert format_number(999) == "999"
    assert format_number(1000) == "1.000"
    assert format_number(Decimal("1234.5")) == "1.234,5"


@pytest.mark.parametrize("ctype", [COUNT, SIGNED, DECIMAL, PERCENT])
def test_a_typed_dash_is_kept_as_the_dash_and_counts_as_nothing(ctype):
    """Issue 18 §4: seed 000's Phụ lục V prints "-" where a total has nothing; the app printed "0".
    A typed dash is stored, sent and shown as "-", and adds up as 0."""
    from desktop.foundation.values import NIL

    value = parse_input("-", ctype)
    assert value is NIL and value == 0 and value + 5 == 5 and Decimal(value) == 0
    assert to_storage(value, ctype) == "-" and from_storage("-", ctype) is NIL
    assert format_value(value, ctype) == "-"
    assert to_json(value, ctype) == "-" and from_json("-", ctype) is NIL
    assert format_value(parse_input("0", ctype), ctype) in ("0", "0%")  # a typed 0 stays a 0
    with pytest.raises(CchcError):
        from_json("--", ctype)


def test_a_dash_survives_the_workbook_round_trip(tmp_path, store, real_catalog):
    from desktop.exchange.xlsx import import_xlsx, write_xlsx
    from desktop.foundation.periods import Period
    from desktop.report import ops

    store.units.add("H1", "Huyện Thử", "huyen")
    report = store.reports.create("H1", Period("nam", 2019), "khanhhoa-huyen", 1)
    ops.enter_cells(store, real_catalog, report, "PL5", [("tong", "dong_y_dung", "-"), ("tong", "tong_so", "0")])
    path = write_xlsx(store, real_catalog, report, tmp_path / "bc.xlsx")
    from openpyxl import load_workbook

    sheet = next(ws for ws in load_workbook(path).worksheets if ws.title.startswith("Phụ lục V"))
    dashed = [c for row in sheet.iter_rows() for c in row if c.number_format.endswith(';"-"')]
    assert len(dashed) == 1 and dashed[0].value == 0  # 0 for formulas, "-" on screen and paper
    import_xlsx(store, real_catalog, report, path)  # read as 0 it would be written back as "0"
    assert store.cells.get(report)["PL5"]["tong"]["dong_y_dung"] == "-" and store.cells.get(report)["PL5"]["tong"]["tong_so"] == "0"


# --- counts typed as the seeds print them (issue 29 §2) ----------------------------------------

UNITS = CellType("count", units=("nhiệm vụ", "đơn vị"))


@pytest.mark.parametrize("ctype, typed, number, shown", [
    # seed 000's Phụ lục 1 and seed 001's Phụ lục 2 write counts so
    (UNITS, "23 nhiệm vụ", 23, "23 nhiệm vụ"),
    (UNITS, "08  đơn vị", 8, "08 đơn vị"),
    (UNITS, "29", 29, "29"),
    (COUNT, "08", 8, "08"),
    (COUNT, "00", 0, "00"),
    (COUNT, "0", 0, "0"),
    (COUNT, "1.562", 1562, "1.562"),
    (SIGNED, "03", 3, "03"),
    (UNITS, "0000100000000 nhiệm vụ", 100000000, "0000100000000 nhiệm vụ"),  # found by the property below
])
def test_a_count_keeps_its_zeros_and_its_unit_and_counts_as_its_number(ctype, typed, number, shown):
    from desktop.exchange.xlsx import shown_format, shown_read
    from desktop.foundation.values import Shown

    value = parse_input(typed, ctype)
    assert value == number and value + 1 == number + 1  # in every sum and check, its number
    assert format_value(value, ctype) == shown  # printed and shown as typed
    assert from_storage(to_storage(value, ctype), ctype) == value
    assert format_value(from_storage(to_storage(value, ctype), ctype), ctype) == shown
    assert format_value(from_json(to_json(value, ctype), ctype), ctype) == shown  # sent as typed
    if isinstance(value, Shown):  # the workbook: a number, shown by its format
        assert format_value(shown_read(int(value), shown_format(value), ctype), ctype) == shown


@pytest.mark.parametrize("ctype, typed, code", [
    (UNITS, "23 cái", "NUM012"),  # a unit the column does not have
    (COUNT, "23 nhiệm vụ", "NUM001"),  # a column without units
    (UNITS, "099999999999999 nhiệm vụ", "NUM005"),  # over the limit, zeros or not
    (COUNT, "09999999999999", "NUM005"),
])
def test_a_count_with_a_unit_not_its_columns_is_refused(ctype, typed, code):
    with pytest.raises(CchcError) as refused:
        parse_input(typed, ctype)
    assert refused.value.code == code


@given(st.integers(min_value=0, max_value=10**9), st.integers(min_value=0, max_value=4),
       st.sampled_from([None, "nhiệm vụ", "đơn vị"]))
def test_any_count_as_typed_survives_storage_json_and_the_workbook(number, zeros, unit):
    from desktop.exchange.xlsx import shown_format, shown_read
    from desktop.foundation.values import Shown

    digits = "0" * zeros + str(number)
    typed = digits + (" " + unit if unit else "")
    value = parse_input(typed, UNITS)
    assert value == number
    shown = format_value(value, UNITS)
    assert shown == (typed if isinstance(value, Shown) else format_value(number, UNITS))
    for back in (from_storage(to_storage(value, UNITS), UNITS), from_json(to_json(value, UNITS), UNITS)):
        assert back == number and format_value(back, UNITS) == shown
    if isinstance(value, Shown):
        assert format_value(shown_read(int(value), shown_format(value), UNITS), UNITS) == shown


@pytest.mark.parametrize("ctype", [COUNT, SIGNED, DECIMAL, PERCENT])
def test_a_typed_slash_says_does_not_apply_counts_as_nothing_and_is_kept(ctype):
    """Seed 003's 4B prints "/" under the inter-agency procedures a field has none of."""
    from desktop.foundation.values import SLASH

    value = parse_input("/", ctype)
    assert value is SLASH and value == 0 and value + 5 == 5
    assert format_value(value, ctype) == "/"
    assert to_storage(value, ctype) == "/" and from_storage("/", ctype) is SLASH
    assert to_json(value, ctype) == "/" and from_json("/", ctype) is SLASH

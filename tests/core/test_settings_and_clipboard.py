"""Settings as JSON, deadlines, and the tab-separated blocks of the clipboard."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desktop.app.clipboard import parse_tsv, to_tsv
from desktop.foundation.messages import CchcError
from desktop.foundation.periods import Period, deadline_state
from desktop.foundation.settings import DEFAULTS, load_settings, save_settings


def test_settings_start_from_the_defaults_and_round_trip(store):
    assert load_settings(store) == DEFAULTS
    settings = load_settings(store)
    settings["document"]["parent_body"] = "  Ủy ban nhân dân huyện Quảng Điền "
    settings["document"]["recipients"] = ["Phòng Nội vụ huyện (b/c)", " ", "Lưu: VT"]
    settings["period_rules"]["deadline_day"] = 15
    saved = save_settings(store, settings)
    assert saved["document"]["parent_body"] == "Ủy ban nhân dân huyện Quảng Điền"
    assert saved["document"]["recipients"] == ["Phòng Nội vụ huyện (b/c)", "Lưu: VT"]
    assert load_settings(store) == saved
    assert store.settings.get("period_rules")["deadline_day"] == 15  # what ReportData reads


@pytest.mark.parametrize("change, code", [
    (lambda s: s["period_rules"].update(deadline_day=31), "SET002"),
    (lambda s: s["period_rules"].update(warn_days="năm"), "SET001"),
    (lambda s: s["signer"].update(mode="XYZ"), "SET003"),
    (lambda s: s.update(document="Sở Nội vụ"), "SET001"),
])
def test_bad_settings_are_refused_and_nothing_is_saved(store, change, code):
    settings = load_settings(store)
    change(settings)
    with pytest.raises(CchcError) as refused:
        save_settings(store, settings)
    assert refused.value.code == code
    assert load_settings(store) == DEFAULTS


def test_deadline_state():
    quarter = Period("quy", 2021, 1)  # due 20/3/2021
    assert deadline_state(quarter, today=dt.date(2021, 3, 1)).state == "open"
    near = deadline_state(quarter, today=dt.date(2021, 3, 16))
    assert (near.state, near.days_left) == ("near", 4)
    late = deadline_state(quarter, {"deadline_day": 15}, today=dt.date(2021, 3, 16))
    assert (late.state, late.days_left, late.deadline) == ("late", -1, dt.date(2021, 3, 15))


def test_excel_blocks_read_as_rectangles():
    assert parse_tsv("1\t2\r\n3\t4\r\n") == [["1", "2"], ["3", "4"]]
    assert parse_tsv("1.562\n\n93,66%") == [["1.562"], [""], ["93,66%"]]
    assert parse_tsv('"a\tb"\t"dòng 1\ndòng 2"\t"nói ""có"""\n') == [["a\tb", "dòng 1\ndòng 2", 'nói "có"']]
    assert parse_tsv("1\t2\t3\n4\n") == [["1", "2", "3"], ["4", "", ""]]
    assert parse_tsv("") == []
    assert parse_tsv('"chưa đóng\t5') == [['"chưa đóng', "5"]]


cells = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=12)


@given(st.lists(st.lists(cells, min_size=1, max_size=5), min_size=1, max_size=5).filter(
    lambda b: len({len(r) for r in b}) == 1 and b != [[""]]))
def test_copy_then_paste_gives_the_same_block(block):
    normalised = [[c.replace("\r\n", "\n").replace("\r", "\n") for c in row] for row in block]
    assert parse_tsv(to_tsv(block)) == normalised

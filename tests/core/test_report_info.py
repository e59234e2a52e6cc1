"""What the printed report says of itself (issue 18 §4): number, date, place, subject, who signs
and how, and the data period it states, which its annexes print instead of the period rules'."""

import pytest
from conftest import cli

from desktop.exchange.annex import placeholders
from desktop.foundation.messages import CchcError
from desktop.foundation.periods import Period
from desktop.report.data import ReportData
from desktop.report.ops import update_report_info


@pytest.fixture
def report(store):
    store.units.add("H1", "Ủy ban nhân dân huyện Thử", "huyen")
    return store.reports.create("H1", Period("nam", 2019), "khanhhoa-huyen", 1)


def test_a_report_states_its_own_data_period_and_its_annexes_print_it(store, real_catalog, report):
    before = placeholders(ReportData(store, real_catalog, report))
    assert (before["period_start"], before["period_end"]) == ("15/12/2018", "14/12/2019")  # the rules'
    changed = update_report_info(store, report, data_from="01/01/2019", data_to="2019-11-25")
    assert changed == {"data_from": "2019-01-01", "data_to": "2019-11-25"}
    after = placeholders(ReportData(store, real_catalog, report))
    assert (after["period_start"], after["period_end"]) == ("01/01/2019", "25/11/2019")  # seed 000's Phụ lục V
    update_report_info(store, report, data_from="", data_to=None)  # cleared: the rules' dates again
    again = placeholders(ReportData(store, real_catalog, report))
    assert (again["period_start"], again["period_end"]) == ("15/12/2018", "14/12/2019")


@pytest.mark.parametrize("fields, code", [
    ({"data_from": "26/11/2019", "data_to": "25/11/2019"}, "INFO003"),
    ({"doc_date": "31/02/2019"}, "NUM007"),
    ({"signer_mode": "XX"}, "INFO004"),
    ({"subject": "x" * 2001}, "INFO002"),
])
def test_wrong_information_is_refused_whole_and_changes_nothing(store, report, fields, code):
    update_report_info(store, report, doc_number="13/BC-UBND")
    before = store.reports.get(report)
    with pytest.raises(CchcError) as refused:
        update_report_info(store, report, place="Khánh Sơn", **fields)
    assert refused.value.code == code
    assert store.reports.get(report) == before  # not even the good field


def test_a_signed_report_keeps_its_information(store, report):
    store.reports.update(report, status="da_ky")
    with pytest.raises(CchcError) as refused:
        update_report_info(store, report, doc_number="14/BC-UBND")
    assert refused.value.code == "INFO001"


def test_the_cli_shows_and_sets_the_information(store, report, tmp_path):
    code, out = cli("--db", str(store.path), "report-info", "--report", str(report), "--signer-mode", "kt",
                    "--doc-date", "27/11/2019", "--data-to", "25/11/2019")
    assert code == 0 and "đã cập nhật 3 thông tin" in out
    assert "Hình thức ký: KT" in out and "Ngày văn bản: 27/11/2019" in out and "Số liệu đến hết ngày: 25/11/2019" in out
    assert store.reports.get(report).doc_date == "2019-11-27"
    code, out = cli("--db", str(store.path), "report-info", "--report", str(report))
    assert code == 0 and "Hình thức ký: KT" in out


def test_a_report_lists_its_own_recipients_one_per_line(store, real_catalog, report):
    from desktop.exchange.document import report_head

    update_report_info(store, report, recipients="- Sở Nội vụ (b/c);\n\n  - TT. Huyện ủy (b/c);\n- Lưu: VT.")
    assert store.reports.get(report).recipients == "Sở Nội vụ (b/c)\nTT. Huyện ủy (b/c)\nLưu: VT"
    assert report_head(ReportData(store, real_catalog, report)).recipients == [
        "Sở Nội vụ (b/c)", "TT. Huyện ủy (b/c)", "Lưu: VT"]
    update_report_info(store, report, recipients="")  # cleared: the settings' (or the default) list
    assert report_head(ReportData(store, real_catalog, report)).recipients[-1] == "Lưu: VT"

"""What the chairman signs has no place left to fill (issue 29 §1): "Đã kiểm tra" and the signature
refuse a report whose signer, number or date is blank or a placeholder, or whose texts or
table cells still hold a bracketed placeholder, naming each; a draft may hold them."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desktop.foundation.messages import CchcError
from desktop.report.data import report_data
from desktop.report.ops import form_note_key, write_section
from desktop.rules.placeholders import PLACEHOLDER, listed, unfinished
from desktop.submission.identity import create_self_signed, load_p12
from desktop.submission.package import sign_report
from desktop.submission.workflow import mark_checked
from test_signing import PASS, SIGNED_AS, commune_report, forms  # noqa: F401  (forms: a fixture)


def refused(store, catalog, report) -> str:
    with pytest.raises(CchcError) as raised:
        mark_checked(store, catalog, report, acknowledge_warnings=True)
    assert raised.value.code == "FLOW007"
    return str(raised.value)


@pytest.mark.parametrize("fields, said", [
    ({"signer_name": "[Họ và tên người ký]"}, "họ và tên người ký là “[Họ và tên người ký]”"),
    ({"signer_name": None}, "họ và tên người ký chưa điền"),
    ({"signer_name": "  "}, "họ và tên người ký chưa điền"),
    ({"doc_number": None}, "số văn bản chưa điền"),
    ({"doc_number": "…/BC-UBND"}, "số văn bản “…/BC-UBND” chưa đủ"),
    ({"doc_number": "[số]/BC-UBND"}, "số văn bản “[số]/BC-UBND” chưa đủ"),
    ({"doc_date": None}, "ngày văn bản chưa điền"),
    ({"subject": "Báo cáo CCHC năm [năm]"}, "Trích yếu: “[năm]”"),
    ({"recipients": "Sở Nội vụ (b/c)\n[nơi nhận khác]"}, "Nơi nhận: “[nơi nhận khác]”"),
])
def test_each_kind_of_place_left_to_fill_refuses_the_check_and_names_it(store, forms, fields, said):
    report = commune_report(store, forms)
    store.reports.update(report, **fields)
    message = refused(store, forms, report)
    assert said in message and "1 chỗ chưa điền" in message
    assert store.reports.get(report).status == "nhap"  # nothing changed
    store.reports.update(report, **{key: SIGNED_AS.get(key, "Báo cáo năm 2020") for key in fields})
    mark_checked(store, forms, report, acknowledge_warnings=True)
    assert store.reports.get(report).status == "da_kiem_tra"


def test_a_placeholder_in_the_body_or_a_note_under_a_table_is_named_where_it_is(store, forms):
    report = commune_report(store, forms)
    write_section(store, report, "I", "Liên hệ: [họ tên], [email, điện thoại].")
    write_section(store, report, form_note_key("KQ"), "Số liệu do [đơn vị] cung cấp")
    message = refused(store, forms, report)
    assert "nội dung báo cáo, mục I: “[họ tên]”" in message
    assert "nội dung báo cáo, mục I: “[email, điện thoại]”" in message
    assert "ghi chú dưới" in message and "“[đơn vị]”" in message and "3 chỗ chưa điền" in message


def test_a_reference_in_brackets_is_not_a_place_to_fill(store, forms):
    report = commune_report(store, forms)
    write_section(store, report, "I", "Theo Nghị định 30/2020 [1] và kế hoạch [2020-03].")
    assert unfinished(report_data(store, forms, report)) == []
    mark_checked(store, forms, report, acknowledge_warnings=True)


def test_the_signature_refuses_a_placeholder_put_back_after_the_check(store, forms, tmp_path):
    report = commune_report(store, forms)
    mark_checked(store, forms, report, acknowledge_warnings=True)
    store.reports.update(report, signer_name="[Họ và tên người ký]")  # the document's details stay editable
    with load_p12(create_self_signed("H1.X1", "Ủy ban nhân dân xã Thử", PASS), PASS) as identity:
        with pytest.raises(CchcError) as raised:
            sign_report(store, forms, report, identity, tmp_path / "goi")
    assert raised.value.code == "FLOW007" and "Chưa thể ký" in str(raised.value)
    assert not (tmp_path / "goi").exists() and store.reports.get(report).status == "da_kiem_tra"


def test_the_demos_ke_sach_report_names_the_seeds_placeholders_in_its_table(demo_store):
    """Seed 003's contacts table prints names and e-mails the demo does not hold: each is named by
    its form, row and column; past the first ten, they are counted. (Its check is refused for its
    seed's arithmetic first.)"""
    store, catalog = demo_store
    ke_sach = next(r.id for r in store.reports.all() if r.unit_code == "ST.KS")
    left = unfinished(report_data(store, catalog, ke_sach))
    assert left[0] == "họ và tên người ký là “[Họ và tên người ký]”, chỗ để điền"
    assert any("dòng “" in place and "“[Họ và tên 1]”" in place for place in left)
    assert any("“[email, điện thoại]”" in place for place in left)
    assert len(left) > 10 and listed(left).endswith(f"và {len(left) - 10} chỗ khác")  # its errors come first


@given(st.text(alphabet=st.characters(categories=("L", "Zs", "Nd", "P"), exclude_characters="[]\n"),
               max_size=60))
def test_words_in_brackets_are_a_placeholder_and_bare_numbers_are_not(inside):
    found = PLACEHOLDER.search(f"Ông [{inside}] ký")
    assert (found is not None) == any(ch.isalpha() for ch in inside)
    assert PLACEHOLDER.search(inside) is None  # no bracket, no placeholder


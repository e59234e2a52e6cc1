"""Pages a typesetter would accept (issue 29 §4), checked where a reader meets them: positions
read back from the printed PDF (tests/core/pdf_layout.py). Every demo report, and small
documents made to break exactly where the rule matters."""

from __future__ import annotations

import io

import pytest
from pdf_layout import Line, Page, pages, rows_per_page, tables
from reportlab.lib.pagesizes import A4
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from desktop.exchange.pdf import _p, _styles, render_pdf
from desktop.exchange.typeset import ClosingWithSignature, balanced, keep_with_next, line_count, unbroken_rows
from desktop.report.data import report_data

BODY_SIZE = 14  # the decree's body text; a table's text is smaller
PARAGRAPH_GAP = 21  # points between two lines: more than a line's leading (18,9) means a new paragraph


@pytest.fixture(scope="module")
def printed(tmp_path_factory):
    """Every demo report's PDF, read back as positioned lines and ruled tables."""
    from desktop.app.demo import load_demo
    from desktop.foundation.paths import forms_dir
    from desktop.registry import load_catalog
    from desktop.store.db import Store

    catalog = load_catalog(forms_dir())
    with Store.open(tmp_path_factory.mktemp("pagination") / "demo.db") as store:
        load_demo(store, catalog)
        out = {}
        for report in store.reports.all():
            pdf = render_pdf(report_data(store, catalog, report.id))
            out[f"{report.id} {report.unit_code}"] = (pages(io.BytesIO(pdf)), tables(io.BytesIO(pdf)))
    return out


def _is_heading(line: Line, page: Page) -> bool:
    """A line of a body heading: all bold, at the body's size, from the left side (the signature
    block's bold titles stand in the right half). An italic line closes the item above it
    ("*Trách nhiệm thuộc về: …*") and may end a page."""
    return line.bold and line.size >= 13 and line.x < page.width * 0.4


def _emphasised_run(page: Page, at: int) -> int:
    """How many lines the bold or italic paragraph holding line ``at`` has on this page."""
    def joined(upper: Line, lower: Line) -> bool:
        return _is_heading(upper, page) and _is_heading(lower, page) and upper.y - lower.y < PARAGRAPH_GAP

    start = at
    while start > 0 and joined(page.lines[start - 1], page.lines[start]):
        start -= 1
    end = at
    while end + 1 < len(page.lines) and joined(page.lines[end], page.lines[end + 1]):
        end += 1
    return end - start + 1


def _stranded_headings(laid: list[Page]) -> list[tuple[int, str]]:
    """A heading (a bold or italic paragraph of three lines or fewer: longer, it is an
    emphasised passage) within the last two lines of a page that is not the report's last."""
    return [(page.number, page.lines[at].text) for page in laid[:-1]
            for at in range(max(0, len(page.lines) - 2), len(page.lines))
            if _is_heading(page.lines[at], page) and _emphasised_run(page, at) <= 3]


def _lone_lines(laid: list[Page]) -> list[tuple[int, str]]:
    """A paragraph's last line alone at a page's top: a continuation line (no indent) at the
    top, followed by a paragraph's gap; or its first line alone at a page's foot."""
    found = []
    for page in laid[1:]:
        body = [line for line in page.lines if abs(line.size - BODY_SIZE) < 0.2]
        if len(body) >= 2 and body[0].y > page.height - 120:
            top, after = body[0], body[1]
            if not top.bold and top.x < 90 and top.y - after.y > PARAGRAPH_GAP:
                found.append((page.number, top.text))
    for page, following in zip(laid, laid[1:]):
        body = [line for line in page.lines if abs(line.size - BODY_SIZE) < 0.2]
        after = [line for line in following.lines if abs(line.size - BODY_SIZE) < 0.2]
        if len(body) >= 2 and after and body[-1] is page.lines[-1] and not _is_heading(body[-1], page) \
                and body[-1].x > 100 and body[-2].y - body[-1].y > PARAGRAPH_GAP and after[0].x < 90:
            found.append((page.number, body[-1].text))  # a first line here, the rest over the page
    return found


def _lonely_title_words(laid: list[Page]) -> list[tuple[int, str]]:
    """A centred bold title's last line holding one word under a line of the same title ("…CẤP" /
    "XÃ"); a body heading's runt line starts at the margin and is left to the heading's words."""
    return [(page.number, below.text) for page in laid for above, below in zip(page.lines, page.lines[1:])
            if above.bold and below.bold and below.size >= 13 and abs(above.size - below.size) < 0.2
            and 0 < above.y - below.y < 1.4 * below.size and len(below.text.split()) == 1
            and below.x > page.width * 0.3]


def test_no_heading_stands_in_the_last_two_lines_of_a_page(printed):
    assert {name: found for name, (laid, _) in printed.items() if (found := _stranded_headings(laid))} == {}


def test_no_paragraph_leaves_a_single_line_at_a_pages_top_or_foot(printed):
    assert {name: found for name, (laid, _) in printed.items() if (found := _lone_lines(laid))} == {}


def test_a_table_running_over_pages_keeps_two_rows_under_its_header_on_each(printed):
    short = {name: [(page, rows) for page, rows, _ in rows_per_page(parts) if rows < 2]
             for name, (_, parts) in printed.items()}
    assert {name: found for name, found in short.items() if found} == {}
    # the reading itself: seed 003's 4B runs over six pages under a header of one band
    ke_sach = next(parts for name, (_, parts) in printed.items() if name.endswith(" ST.KS"))
    assert len({page for page, _, _ in rows_per_page(ke_sach)}) >= 6


def test_the_closing_sentence_stands_on_the_signatures_page(printed):
    for name, (laid, _) in printed.items():
        signed = next(page for page in laid if any(line.text.startswith("Nơi nhận") for line in page.lines))
        above = [line for line in signed.lines if line.y > next(
            line.y for line in signed.lines if line.text.startswith("Nơi nhận")) and abs(line.size - BODY_SIZE) < 0.2
                 and not line.bold]
        assert len(above) >= 1, (name, signed.number)
        if signed.number > 1:  # on a page of its own, the block has at least two lines of the closing with it
            assert len(above) >= 2 or "./." in above[-1].text, (name, signed.number, [line.text for line in above])


def test_no_title_ends_with_one_short_word_on_its_own_line(printed):
    assert {name: found for name, (laid, _) in printed.items() if (found := _lonely_title_words(laid))} == {}


# --- the rules one at a time, on documents made to break where each matters ---------------------

STYLES = _styles()
WIDTH = A4[0] - 2 * 72


def _laid_out(flow) -> list[Page]:
    out = io.BytesIO()
    SimpleDocTemplate(out, pagesize=A4, leftMargin=72, rightMargin=72, topMargin=72, bottomMargin=72).build(flow)
    return pages(io.BytesIO(out.getvalue()))


def _filler(height: float) -> Spacer:
    return Spacer(1, height)


ROOM = A4[1] - 2 * 72  # the frame's height


def _body(words: int) -> Paragraph:
    return Paragraph(" ".join(["chữ"] * words), STYLES["body"])


def test_a_heading_that_would_end_a_page_goes_to_the_next_with_its_paragraph():
    #   | room left at the foot       | heading | paragraph   | heading goes to page |
    #   | one line (20 pt)            | 1 line  | 8 lines     | 2                    |
    #   | heading + one line (40 pt)  | 1 line  | 8 lines     | 2                    |
    #   | heading + two lines (70 pt) | 1 line  | 8 lines     | 1                    |
    for room, expected in ((20, 2), (40, 2), (70, 1)):
        heading = Paragraph("II. Kết quả thực hiện", STYLES["heading"])
        flow = keep_with_next([_filler(ROOM - room - 12), heading, _body(160)], WIDTH, {"heading"})
        laid = _laid_out(flow)
        page = next(p.number for p in laid for line in p.lines if line.text.startswith("II."))
        assert page == expected, room
        assert _stranded_headings(laid) == []


def test_a_caption_goes_with_its_table():
    caption = Paragraph("Bảng 1. Kết quả giải quyết hồ sơ", STYLES["body"])
    table = Table([["STT", "Nội dung"], *[[str(n), f"dòng {n}"] for n in range(1, 30)]], repeatRows=1)
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, "black")]))
    laid = _laid_out(keep_with_next([_filler(ROOM - 40), caption, Spacer(1, 4), table], WIDTH, {"heading"}))
    assert next(p.number for p in laid for line in p.lines if line.text.startswith("Bảng 1")) == 2


def test_a_table_keeps_its_header_with_two_rows_and_its_last_two_rows_together():
    def table_of(rows: int, groups=()) -> Table:
        table = Table([["STT", "Nội dung"], *[[str(n), f"dòng {n}"] for n in range(1, rows + 1)]], repeatRows=1)
        table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, "black"), *unbroken_rows(1, rows, list(groups))]))
        return table

    row = 18  # a row's height at reportlab's default size and padding
    #   | room on page 1 for   | rows | then                                  |
    #   | the header and a row | 40   | the table starts on page 2            |
    #   | all but its last row | 40   | its last two rows go to page 2 together |
    for room_rows, rows in ((2, 40), (40, 40)):
        counts = [(page, body) for page, body, _ in rows_per_page(tables(_pdf_of([
            _filler(ROOM - room_rows * row - 4), table_of(rows)])))]
        assert all(body >= 2 for _, body in counts), (room_rows, counts)
    alone = tables(_pdf_of([_filler(ROOM - 2 * row - 4), table_of(40)]))
    assert alone[0].page == 2


def _pdf_of(flow) -> io.BytesIO:
    out = io.BytesIO()
    SimpleDocTemplate(out, pagesize=A4, leftMargin=72, rightMargin=72, topMargin=72, bottomMargin=72).build(flow)
    return io.BytesIO(out.getvalue())


def test_a_group_row_never_ends_a_page():
    rows = [["STT", "Nội dung"], *[[str(n), f"dòng {n}"] for n in range(1, 11)], ["II", "NHÓM HAI"],
            *[[str(n), f"dòng {n}"] for n in range(11, 30)]]
    group = 11
    for room in range(8 * 18, 14 * 18, 6):  # the page's foot passes over the group row
        table = Table(rows, repeatRows=1)
        table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, "black"), *unbroken_rows(1, len(rows) - 1, [group])]))
        parts = tables(_pdf_of([_filler(ROOM - room), table]))
        first_page = [part for part in parts if part.page == 1]
        if first_page:
            assert not first_page[-1].rows[-1].startswith("II"), room


def _signature_block() -> list:
    block = Table([[Paragraph("<b><i>Nơi nhận:</i></b>", STYLES["recipients_title"]),
                    Paragraph("<b>TM. ỦY BAN NHÂN DÂN</b>", STYLES["signer"])],
                   ["", Spacer(1, 90)], ["", Paragraph("<b>Nguyễn Văn A</b>", STYLES["signer"])]],
                  colWidths=[WIDTH * 0.45, WIDTH * 0.55])
    return [Spacer(1, 8), block]


def test_the_signature_block_takes_the_closing_paragraphs_last_lines_with_it():
    #   | closing lines | room after filler         | on the block's page          |
    #   | 1             | too little for the block  | the whole closing            |
    #   | 6             | the closing, not the block | its last two lines at least |
    for words, room in ((8, 60), (70, 150)):
        closing = Paragraph("Trên đây là báo cáo " + " ".join(["chữ"] * words) + " kính báo cáo./.", STYLES["body"])
        laid = _laid_out([_filler(ROOM - room), ClosingWithSignature([closing], _signature_block())])
        assert len(laid) == 2
        signed = laid[1]
        body = [line for line in signed.lines if abs(line.size - BODY_SIZE) < 0.2 and not line.bold]
        assert body and body[-1].text.endswith("./."), words
        assert len(body) >= min(2, _lines_of(closing)), words


def _lines_of(paragraph: Paragraph) -> int:
    return line_count(paragraph, WIDTH)


def test_a_one_line_closing_takes_two_lines_of_the_paragraph_above_with_it():
    above = _body(70)  # six lines
    closing = Paragraph("UBND tỉnh Khánh Hòa kính báo cáo./.", STYLES["body"])
    #   | room after the filler       | on the block's page                         |
    #   | both paragraphs, no block   | two lines of the paragraph above at least  |
    #   | one line of the closing     | the same: no line of it alone on page 1    |
    for room in (150, 40, 20):
        laid = _laid_out([_filler(ROOM - room), ClosingWithSignature([above, closing], _signature_block())])
        body = [line for line in laid[-1].lines if abs(line.size - BODY_SIZE) < 0.2 and not line.bold]
        assert len(body) >= 3 and body[-1].text.endswith("./."), (room, [line.text for line in body])
        assert _lone_lines(laid) == [], room


def test_a_closing_that_fits_with_its_block_is_left_where_it_is():
    closing = Paragraph("Trên đây là báo cáo kính báo cáo./.", STYLES["body"])
    laid = _laid_out([_filler(200), ClosingWithSignature([closing], _signature_block())])
    assert len(laid) == 1


@pytest.mark.parametrize("title", [
    "THỐNG KÊ SỐ LIỆU VỀ SỐ LƯỢNG TTHC THUỘC PHẠM VI THẨM QUYỀN GIẢI QUYẾT UBND CẤP HUYỆN, CẤP XÃ",
    "KẾT QUẢ CÔNG TÁC CẢI CÁCH HÀNH CHÍNH CỦA CÁC NGÀNH, ĐỊA PHƯƠNG",
    "BÁO CÁO TỔNG KẾT CÔNG TÁC CẢI CÁCH HÀNH CHÍNH GIAI ĐOẠN 2011 - 2020 CỦA UBND XÃ QUẢNG NGẠN",
])
def test_a_title_of_several_lines_is_set_in_even_lines(title):
    style = STYLES["annex_title"]
    plain, even = _p(title, style), balanced(_p, title, style, WIDTH)
    assert _lines_of(even) == _lines_of(plain)
    even.wrap(WIDTH, 10 ** 6)
    free = [line.extraSpace if hasattr(line, "extraSpace") else line[0] for line in even.blPara.lines]
    widths = [WIDTH - (even.style.leftIndent + even.style.rightIndent) - space for space in free]
    shortest, longest = min(widths), max(widths)
    if _lines_of(plain) > 1:
        assert shortest >= 0.5 * longest, (title, widths)


def test_a_title_of_one_line_is_left_as_it_is():
    style = STYLES["annex_title"]
    assert balanced(_p, "BIỂU MẪU", style, WIDTH).style is style

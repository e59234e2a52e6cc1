"""Typed body text as the PDF and Word files lay it out (issue 29 §2): emphasis the seeds print,
and a table pasted from Excel printed as a table with its merged header, as seed 000 prints its
level-3 online figures."""

from __future__ import annotations

import io

import pytest

from desktop.exchange.body import Paragraph, Run, Table, runs_of, text_blocks, typed_table


@pytest.mark.parametrize("typed, runs", [
    ("gửi về UBND huyện (*qua Phòng Nội vụ huyện*) **trước ngày 12/8/2022** để",
     [Run("gửi về UBND huyện ("), Run("qua Phòng Nội vụ huyện", italic=True), Run(") "),
      Run("trước ngày 12/8/2022", bold=True), Run(" để")]),
    ("- *Cơ quan chủ trì, tham mưu: Phòng Nội vụ huyện.*",
     [Run("- "), Run("Cơ quan chủ trì, tham mưu: Phòng Nội vụ huyện.", italic=True)]),
    ("* Trách nhiệm thuộc về: Phòng Nội vụ huyện.", [Run("* Trách nhiệm thuộc về: Phòng Nội vụ huyện.")]),
    ("2*3*4 và a * b * c", [Run("2*3*4 và a * b * c")]),
    ("** không đậm **", [Run("** không đậm **")]),
    ("***", [Run("***")]),
])
def test_emphasis_is_read_as_the_seeds_print_it_and_a_lone_star_stays(typed, runs):
    assert runs_of(typed) == runs


# seed 000, part II.4, as a clerk pastes it from Excel: a group header over "Số lượng | Tỷ lệ",
# "Tổng số hồ sơ tiếp nhận" over both header rows, the empty cells Excel copies at the end
PASTED = ("Tổng số hồ sơ tiếp nhận\tHồ sơ đã giải quyết\t\tHồ sơ trước hạn\t\tHồ sơ đúng hạn\t\t"
          "Hồ sơ trễ hạn\t\tHồ sơ đang giải quyết\t\n"
          "\tSố lượng\tTỷ lệ\tSố lượng\tTỷ lệ\tSố lượng\tTỷ lệ\tSố lượng\tTỷ lệ\tSố lượng\tTỷ lệ\n"
          "92\t92\t100%\t92\t100%\t\t\t\t\t\t\t\t\t")


def test_a_pasted_table_keeps_its_merged_header_and_its_figures():
    table = typed_table(PASTED.splitlines())
    assert len(table.widths) == 11 and len(table.head) == 2
    assert table.rows == [["92", "92", "100%", "92", "100%", "", "", "", "", "", ""]]
    assert table.head_cells()[:7] == [
        (0, 0, 2, 1, "Tổng số hồ sơ tiếp nhận"), (0, 1, 1, 2, "Hồ sơ đã giải quyết"), (0, 3, 1, 2, "Hồ sơ trước hạn"),
        (0, 5, 1, 2, "Hồ sơ đúng hạn"), (0, 7, 1, 2, "Hồ sơ trễ hạn"), (0, 9, 1, 2, "Hồ sơ đang giải quyết"),
        (1, 1, 1, 1, "Số lượng")]
    assert table.align == ["right"] * 11


def test_text_around_a_table_stays_paragraphs_and_a_table_without_figures_has_one_header_row():
    blocks = text_blocks("Trước bảng:\n" + PASTED + "\n* Sau bảng.")
    assert [type(b) for b in blocks] == [Paragraph, Table, Paragraph]
    names = typed_table(["Họ tên\tChức vụ", "[họ tên]\tChủ tịch", "[họ tên]\tPhó Chủ tịch"])
    assert names.head == [["Họ tên", "Chức vụ"]] and len(names.rows) == 2 and names.align == ["left", "left"]


def test_khanh_son_prints_its_online_table_and_its_quality_heading_as_the_seed(demo_store, tmp_path):
    """Seed 000 prints a table of its level-3 online files (the app printed a sentence), and
    "b) Về triển khai Hệ thống quản lý chất lượng…" as a heading of its own (it ran into the
    paragraph before); its task table's title says "NĂM 2019"."""
    from docx import Document
    from pypdf import PdfReader

    from desktop.exchange.docx import report_docx
    from desktop.exchange.pdf import render_pdf
    from desktop.report.data import report_data

    store, catalog = demo_store
    report = next(r for r in store.reports.all() if r.unit_code == "KH.KS" and r.form_set_id == "khanhhoa-huyen")
    data = report_data(store, catalog, report.id)
    lines = [line.strip() for page in PdfReader(io.BytesIO(render_pdf(data))).pages
             for line in page.extract_text().splitlines()]
    start = next(i for i, line in enumerate(lines) if line.endswith("mức độ 3:"))
    table = lines[start + 1:start + 30]
    assert "Số lượng" in " ".join(table) and "Hồ sơ đang giải quyết" in " ".join(table)
    assert any(line.startswith("b) Về triển khai Hệ thống quản lý chất lượng") for line in lines)
    assert "BẢNG TỔNG HỢP TIẾN ĐỘ THỰC HIỆN NHIỆM VỤ CCHC NĂM 2019" in lines
    document = Document(io.BytesIO(report_docx(data)))
    online = next(t for t in document.tables if t.rows[0].cells[0].text == "Tổng số hồ sơ tiếp nhận")
    assert online.rows[0].cells[1].text == online.rows[0].cells[2].text == "Hồ sơ đã giải quyết"  # merged
    assert online.rows[1].cells[0].text == "Tổng số hồ sơ tiếp nhận" and online.rows[2].cells[0].text == "92"


from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

CELL = st.sampled_from(["", "", "92", "100%", "Số lượng", "Hồ sơ", "1.562", "*a*", "**b**", " "])


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(CELL, min_size=1, max_size=8), min_size=1, max_size=6))
def test_any_pasted_grid_gives_a_table_whose_header_covers_every_cell_once(grid):
    table = typed_table(["\t".join(line) + "\t" for line in grid])
    width = len(table.widths)
    assert all(len(row) == width for row in table.head + table.rows)
    covered = [[0] * width for _ in table.head]
    for r, c, rowspan, colspan, _ in table.head_cells():
        for rr in range(r, r + rowspan):
            for cc in range(c, c + colspan):
                covered[rr][cc] += 1
    assert all(n == 1 for line in covered for n in line)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from("ab *\t\n-%1"), max_size=60))
def test_any_typed_text_keeps_every_letter_in_order(text):
    """Nothing typed is lost: the letters and figures of the blocks are those of the text, in order."""
    out = []
    for block in text_blocks(text):
        if isinstance(block, Table):
            out += [cell for line in block.head + block.rows for cell in line]
        else:
            out.append("".join(run.text for run in block.runs))
    kept = lambda t: [ch for ch in t if ch not in " *\t\n"]  # noqa: E731
    assert kept("".join(out)) == kept(text)

"""The report's text as a Word file (python-docx), since clerks finish such texts in Word.

The same parts as the PDF (``pdf.document_parts``): the head of Nghị định 30/2020
(issuing body, Quốc hiệu and tiêu ngữ, number, place and date, "BÁO CÁO" and the
subject), the body blocks, "Nơi nhận" and the signature block. Annexes stay in the
Excel and PDF files: the Word file carries the text a clerk edits, and says which
annexes go with it. A4, margins 20/20/30/15 mm, Times New Roman 14, body justified with
a 1,27 cm first-line indent.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt

from desktop import __version__
from desktop.exchange import body as bd
from desktop.report.data import report_data
from desktop.foundation.files import write_atomically
from desktop.exchange.document import MOTTO, NATION, ReportHead, document_parts
from desktop.exchange.pdf import head_rules

FONT = "Times New Roman"
HEAD_WIDTHS = (Cm(6), Cm(10.5))  # the issuing body's column, the Quốc hiệu's
PAGE_NUMBER_SIZE = 12  # as the PDF numbers its pages
_ALIGN = {"left": WD_ALIGN_PARAGRAPH.LEFT, "centre": WD_ALIGN_PARAGRAPH.CENTER, "right": WD_ALIGN_PARAGRAPH.RIGHT}


def _font(run, size: float, bold: bool = False, italic: bool = False) -> None:
    run.font.name = FONT
    run.font.size = Pt(size)
    run.bold, run.italic = bold, italic
    # East-Asian and complex-script slots too, or Word falls back to another face for Vietnamese
    fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    for slot in ("w:eastAsia", "w:cs", "w:hAnsi", "w:ascii"):
        fonts.set(qn(slot), FONT)


def _line(container, text: str, size: float, align=WD_ALIGN_PARAGRAPH.CENTER, bold=False, italic=False,
          after: float = 0):
    paragraph = container.add_paragraph()
    paragraph.alignment = align
    paragraph.paragraph_format.space_after = Pt(after)
    paragraph.paragraph_format.space_before = Pt(0)
    _font(paragraph.add_run(text), size, bold, italic)
    return paragraph


def _rule(cell, length: float, cell_width: float) -> None:
    """A rule of ``length`` points centred in ``cell`` (``cell_width`` points wide), under the line
    before it: the bottom border of an empty paragraph narrowed by its indents, so that the rule is
    as long as the PDF's and no text is squeezed to draw it."""
    paragraph = cell.add_paragraph()
    side = max(0.0, (cell_width - length) / 2)
    paragraph.paragraph_format.left_indent = paragraph.paragraph_format.right_indent = Pt(side)
    paragraph.paragraph_format.space_before, paragraph.paragraph_format.space_after = Pt(0), Pt(4)
    paragraph.paragraph_format.line_spacing = Pt(2)
    border = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
        bottom.set(qn(key), value)
    border.append(bottom)
    paragraph._p.get_or_add_pPr().append(border)


def _no_borders(table) -> None:
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    table._tbl.tblPr.append(borders)


def _widths(table, widths) -> None:
    """Fixed column widths; Word and LibreOffice otherwise share the page out evenly."""
    table.autofit = False
    for column, width in zip(table.columns, widths):
        column.width = width
        for cell in column.cells:
            cell.width = width


def _cell_text(cell, text: str, size: float, align, bold=False, italic=False):
    cell.paragraphs[0].alignment = align
    _font(cell.paragraphs[0].add_run(text), size, bold, italic)


def _head(doc, head: ReportHead) -> None:
    table = doc.add_table(rows=1, cols=2)
    _no_borders(table)
    _widths(table, HEAD_WIDTHS)
    left, right = table.rows[0].cells
    issuer_rule, motto_rule = head_rules(head)
    first = True
    if head.parent_body:
        _font(left.paragraphs[0].add_run(head.parent_body), 12.5)
        left.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
        first = False
    for number, text in enumerate(head.issuer_lines):
        paragraph = left.paragraphs[0] if first else left.add_paragraph()
        first = False
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _font(paragraph.add_run(text), 12.5, bold=True)
    _rule(left, issuer_rule, HEAD_WIDTHS[0].pt)
    _line(left, head.number, 13)
    right.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(right.paragraphs[0].add_run(NATION), 12.5, bold=True)
    _line(right, MOTTO, 13.5, bold=True)
    _rule(right, motto_rule, HEAD_WIDTHS[1].pt)
    _line(right, head.place_date, 13.5, italic=True).paragraph_format.space_before = Pt(6)
    _line(doc, "BÁO CÁO", 14, bold=True).paragraph_format.space_before = Pt(18)
    _line(doc, head.subject, 14, bold=True, after=12)


def _body(doc, blocks: list[bd.Block]) -> None:
    for block in bd.printed(blocks):
        if isinstance(block, bd.Table):
            _table(doc, block)
            continue
        paragraph = doc.add_paragraph()
        fmt = paragraph.paragraph_format
        fmt.space_after, fmt.space_before, fmt.line_spacing = Pt(6), Pt(0), 1.2
        if block.kind == "centred":
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        else:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
            fmt.first_line_indent = Cm(1.27)
        for run in block.runs:
            _font(paragraph.add_run(run.text), 14, run.bold or block.kind == "heading", run.italic)


def _table(doc, block: bd.Table) -> None:
    heads = len(block.head)
    table = doc.add_table(rows=heads + len(block.rows), cols=len(block.widths))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    total = sum(block.widths)
    widths = [Cm(16 * w / total) for w in block.widths]
    align = block.align or ["left"] * len(block.widths)
    for r, c, rowspan, colspan, text in block.head_cells():
        cell = table.cell(r, c)
        if rowspan > 1 or colspan > 1:
            cell = cell.merge(table.cell(r + rowspan - 1, c + colspan - 1))
        _cell_text(cell, text, 12, WD_ALIGN_PARAGRAPH.CENTER, bold=True)
    for number, row in enumerate(block.rows):
        for column, text in enumerate(row):
            _cell_text(table.rows[heads + number].cells[column], text, 12, _ALIGN[align[column]],
                       bold=number in block.bold_rows)
    _widths(table, widths)
    doc.add_paragraph()


def _foot(doc, head: ReportHead) -> None:
    table = doc.add_table(rows=1, cols=2)
    _no_borders(table)
    _widths(table, (Cm(7), Cm(9.5)))
    left, right = table.rows[0].cells
    _font(left.paragraphs[0].add_run("Nơi nhận:"), 12, bold=True, italic=True)
    for i, line in enumerate(head.recipients):
        _line(left, f"- {line}{'.' if i == len(head.recipients) - 1 else ';'}", 11, WD_ALIGN_PARAGRAPH.LEFT)
    right.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(right.paragraphs[0].add_run(head.signer_lines[0]), 13.5, bold=True)
    for line in head.signer_lines[1:]:
        _line(right, line, 13.5, bold=True)
    for _ in range(4):  # the signature's space
        _line(right, "", 13.5)
    _line(right, head.signer_name, 13.5, bold=True)


def _properties(doc, head: ReportHead) -> None:
    """The file says what it is, whose, and when it was made: python-docx's template would say
    "python-docx", 23/12/2013 and "Microsoft Macintosh Word"."""
    props = doc.core_properties
    props.title, props.subject = head.subject, f"{head.number} – {head.period_label}"
    props.author = props.last_modified_by = head.issuer
    props.comments, props.keywords, props.category = f"CCHC Desktop {__version__}", "", ""
    now = dt.datetime.now(dt.timezone.utc).replace(microsecond=0, tzinfo=None)  # python-docx writes UTC
    props.created = props.modified = now
    props.revision = 1
    for part in doc.part.package.parts:
        if str(part.partname) == "/docProps/app.xml":
            part._blob = APP_PROPERTIES.encode("utf-8")


APP_PROPERTIES = (  # docProps/app.xml: the application that made the file, and nothing stale
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" '
    'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
    f'<Application>CCHC Desktop {__version__}</Application><DocSecurity>0</DocSecurity></Properties>'
)


def _page_numbers(section) -> None:
    """As Nghị định 30/2020 and the PDF: from page 2, centred in the top margin; none on page 1."""
    section.different_first_page_header_footer = True
    section.header_distance = Mm(10)
    paragraph = section.header.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run()
    _font(run, PAGE_NUMBER_SIZE)
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        else:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        run._r.append(element)


def render_docx(head: ReportHead, blocks: list[bd.Block], annex_lines: list[str]) -> bytes:
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    normal = doc.styles["Normal"]
    normal.font.name, normal.font.size = FONT, Pt(14)
    _properties(doc, head)
    _page_numbers(section)
    _head(doc, head)
    _body(doc, blocks)
    if annex_lines and not blocks:  # as in the PDF: the list stands for a body not yet written
        _body(doc, [bd.para(f"Kèm theo báo cáo này có {len(annex_lines)} phụ lục:")]
              + [bd.para(f"- {line}") for line in annex_lines])
    _foot(doc, head)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def report_docx(data) -> bytes:
    """The report's text (narrative or PAR analysis) as a Word file's bytes."""
    head, annexes, blocks = document_parts(data)
    lines = [f"{a.printed_code}: {a.phrase}" for a in annexes]
    return render_docx(head, blocks, lines)


def write_docx(store, catalog, report_id: int, path: Path) -> Path:
    content = report_docx(report_data(store, catalog, report_id))
    return write_atomically(path, lambda temporary: temporary.write_bytes(content))


__all__ = ["render_docx", "report_docx", "write_docx"]

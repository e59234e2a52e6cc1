"""The report as a PDF in the official layout (reportlab).

First the report itself (Nghị định 30/2020/NĐ-CP, Phụ lục I): issuing body
under its parent body, Quốc hiệu and tiêu ngữ, "Số: …", place and date,
"BÁO CÁO" and the subject, the body (the narrative typed for the report, with
its figures from the annexes, or else the list of annexes the report carries; for
a PAR scoring sheet, the generated analysis), "Nơi nhận" and the signature block.  Then each
annex from a new page, portrait or landscape as its form says, its table split
across pages with the header rows repeated.  Page numbers are centred at the
top from the second page of each part: the report and every annex number
their own pages.

The font is Liberation Serif (metric-compatible with Times New Roman, full
Vietnamese coverage) from resources/fonts, embedded, so the file looks the same
on every machine.
"""

from __future__ import annotations

import datetime as dt

import io
import re
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.lib.utils import ImageReader
from reportlab.platypus import (BaseDocTemplate, Flowable, Frame, KeepTogether, NextPageTemplate, PageBreak, PageTemplate,
                                Paragraph, Spacer, Table, TableStyle)

from desktop import __version__
from desktop.report.data import report_data
from desktop.foundation.files import write_atomically
from desktop.foundation.messages import msg
from desktop.exchange import body as bd
from desktop.exchange.annex import Annex, in_sentence
from desktop.exchange.charts import chart_grid
from desktop.exchange.signature_look import look_of
from desktop.exchange.typeset import ClosingWithSignature, balanced, keep_with_next, line_count, unbroken_rows
from desktop.exchange.document import MOTTO, NATION, ReportHead, document_parts, report_head
from desktop.exchange.measure import (FAMILY, MARGINS, MM, PAGES, column_widths, face, font_size,
                                     register_fonts, settled, table_least_widths)
from desktop.report.data import ReportData
from desktop.schema.loader import Catalog

def _styles():
    def style(name, size, align=TA_LEFT, bold=False, italic=False, **extra):
        font = face(bold, italic)
        extra.setdefault("leading", size * 1.2)
        return ParagraphStyle(name, fontName=font, fontSize=size, alignment=align, **extra)

    return {
        "body_top": style("body_top", 12.5, TA_CENTER),
        "issuer": style("issuer", 12.5, TA_CENTER, bold=True),
        "number": style("number", 13, TA_CENTER),
        "national": style("national", 12.5, TA_CENTER, bold=True),
        "motto": style("motto", 13.5, TA_CENTER, bold=True),
        "place_date": style("place_date", 13.5, TA_CENTER, italic=True),
        "type": style("type", 14, TA_CENTER, bold=True, spaceBefore=18),
        "subject": style("subject", 14, TA_CENTER, bold=True, spaceAfter=14),
        # allowWidows=0: no paragraph leaves its last line alone at a page's top (orphans, the
        # first line alone at a page's foot, reportlab refuses by default)
        "body": style("body", 14, TA_JUSTIFY, firstLineIndent=1.27 * 10 * MM, spaceAfter=6, leading=14 * 1.35,
                      allowWidows=0),
        # a sub-heading ("**a) Về tổ chức bộ máy**", "2.6. Cải cách tài chính công"): set as the body, kept as a heading
        "subheading": style("subheading", 14, TA_JUSTIFY, firstLineIndent=1.27 * 10 * MM, spaceAfter=6,
                            leading=14 * 1.35, allowWidows=0),
        "heading": style("heading", 14, TA_JUSTIFY, bold=True, firstLineIndent=1.27 * 10 * MM, spaceBefore=4,
                         spaceAfter=6, leading=14 * 1.35, allowWidows=0),
        "centred": style("centred", 14, TA_CENTER, spaceAfter=6),
        # tables inside the body text (the PAR summary): 12 pt, smaller than the body, as seed 002 prints them
        "table_head": style("table_head", 12, TA_CENTER, bold=True),
        "table_left": style("table_left", 12), "table_left_bold": style("table_left_bold", 12, bold=True),
        "table_centre": style("table_centre", 12, TA_CENTER),
        "table_centre_bold": style("table_centre_bold", 12, TA_CENTER, bold=True),
        "table_right": style("table_right", 12, TA_RIGHT),
        "table_right_bold": style("table_right_bold", 12, TA_RIGHT, bold=True),
        "recipients_title": style("recipients_title", 12, bold=True, italic=True),
        "recipients": style("recipients", 11),
        "signer": style("signer", 13.5, TA_CENTER, bold=True),
        "annex_code": style("annex_code", 13, TA_CENTER, bold=True),
        "annex_title": style("annex_title", 13, TA_CENTER, bold=True, spaceBefore=2),
        "annex_attach": style("annex_attach", 12.5, TA_CENTER, italic=True, spaceAfter=10),
        "cell_left": style("cell_left", 10),
        "cell_centre": style("cell_centre", 10, TA_CENTER),
        "cell_right": style("cell_right", 10, TA_RIGHT),
    }


# "2011 - 2020", "01/01 - 25/11/2019": a range of numbers stays on one line ("giai đoạn 2011 /
# - 2020" was how seed 003's title broke); no-break spaces keep its three parts together.
_RANGE = re.compile(r"(\d) ([-–]) (\d)")


def _p(text: str, style):
    return Paragraph(escape(_RANGE.sub("\\1\u00a0\\2\u00a0\\3", text or "")).replace("\n", "<br/>"), style)


class _Rule(Flowable):
    """A line under a heading, centred in its column, ``length`` points long."""

    def __init__(self, length: float) -> None:
        super().__init__()
        self.length = length

    def wrap(self, available_width, available_height):
        self.available = available_width
        return available_width, 5

    def draw(self):
        start = (self.available - self.length) / 2
        self.canv.setLineWidth(0.6)
        self.canv.line(start, 1, start + self.length, 1)


class _SignatureSpot(Flowable):
    """The space between the signer's title and name; records where it lands so that a
    digital signature's visible stamp can be put there (``marks["signature"]``)."""

    def __init__(self, height: float, marks: dict | None, signing: dict | None = None) -> None:
        super().__init__()
        self.height, self.marks, self.signing = height, marks, signing

    def wrap(self, available_width, available_height):
        self.width = available_width
        return available_width, self.height

    def draw(self):
        x, y = self.canv.absolutePosition(0, 0)
        spot = (self.canv.getPageNumber() - 1, x, y, x + self.width, y + self.height)
        if self.marks is not None:
            self.marks["signature"] = spot
        if self.signing:  # the print preview: the images where the signed PDF will show them
            look = look_of(self.signing, spot)
            if look is not None:
                # the canvas is translated to this flowable; the look is placed in page coordinates
                self.canv.drawImage(ImageReader(io.BytesIO(look.image)), look.box.left - x, look.box.bottom - y,
                                    look.box.width, look.box.height, mask="auto")
                if self.marks is not None:
                    self.marks["look"] = look


class _PartStart(Flowable):
    """Marks the first page of a part (the report, an annex): page numbers restart there."""

    def wrap(self, *args):
        return 0, 0

    def draw(self):
        self.canv._doctemplate.part_start = self.canv.getPageNumber()


def _runs(paragraph: bd.Paragraph) -> str:
    out = []
    for run in paragraph.runs:
        text = escape(run.text)
        if run.bold:
            text = f"<b>{text}</b>"
        if run.italic:
            text = f"<i>{text}</i>"
        out.append(text)
    return "".join(out)


KEEP_TOGETHER_ROWS = 25
HEADING_STYLES = {"heading", "subheading", "annex_code", "annex_title"}
_SUBHEADING_LENGTH = 160  # characters: longer, an emphasised paragraph is a passage, not a heading


# "2.6. Cải cách tài chính công", "b) Về triển khai…": a short numbered line with no sentence after
# a colon heads what follows, bold or not (seed 000 prints its sub-headings plain); "2. Xây dựng…:
# UBND huyện đạt được 9/9 điểm." is an item, and an italic line ("*Trách nhiệm thuộc về: …*")
# closes the item above it
_OUTLINE = re.compile(r"^(?:[IVX]+|\d+(?:\.\d+)*|[a-zđ])[.)]\s")
_OUTLINE_LENGTH = 120


def _style_of(block: bd.Paragraph, styles) -> ParagraphStyle:
    """The body's style, or the sub-heading's (the same look, kept with what follows) for a
    short paragraph typed all in bold or a short numbered line."""
    text = block.text.strip()
    if block.kind == "body" and text and (
            len(text) <= _SUBHEADING_LENGTH and all(run.bold for run in block.runs if run.text.strip())
            or len(text) <= _OUTLINE_LENGTH and _OUTLINE.match(text) and ":" not in text.rstrip(":")):
        return styles["subheading"]
    return styles.get(block.kind, styles["body"])


def body_flowables(blocks: list[bd.Block], width: float, styles) -> list:
    """The body blocks (narrative, analysis) as reportlab flowables, each heading and caption
    kept with what follows it (``typeset.keep_with_next``)."""
    flow = []
    for block in bd.printed(blocks):
        if isinstance(block, bd.Paragraph):
            flow.append(Paragraph(_runs(block), _style_of(block, styles)))
            continue
        widths = settled(block.widths, table_least_widths(block), width)
        align = block.align or ["left"] * len(block.widths)
        grid = [[""] * len(block.widths) for _ in block.head]
        commands = [("FONTNAME", (0, 0), (-1, -1), FAMILY), ("GRID", (0, 0), (-1, -1), 0.5, "black"),
                    ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),  # the padding the least widths allow for
                    ("LEFTPADDING", (0, 0), (-1, -1), 2.5), ("RIGHTPADDING", (0, 0), (-1, -1), 2.5)]
        for r, c, rowspan, colspan, text in block.head_cells():
            grid[r][c] = _p(text, styles["table_head"])
            if rowspan > 1 or colspan > 1:
                commands.append(("SPAN", (c, r), (c + colspan - 1, r + rowspan - 1)))
        for number, row in enumerate(block.rows):
            bold = number in block.bold_rows
            grid.append([_p(text, styles[f"table_{a}{'_bold' if bold else ''}"]) for text, a in zip(row, align)])
        table = Table(grid, colWidths=widths, repeatRows=len(block.head))
        table.setStyle(TableStyle(commands + unbroken_rows(len(block.head), len(block.rows))))
        # a short table (a district's communes ranked) moves whole to the next page rather than leave
        # its header and a row or two at the foot of this one
        flow += [Spacer(1, 4), KeepTogether(table) if len(block.rows) <= KEEP_TOGETHER_ROWS else table, Spacer(1, 8)]
    return keep_with_next(flow, width, HEADING_STYLES)


def head_rules(head: ReportHead) -> tuple[float, float]:
    """The lengths, in points, of the rule under the issuing body (three fifths of its last line,
    at most 45 mm's worth) and of the one under the tiêu ngữ (as long as it), for the PDF and the
    Word file alike."""
    register_fonts()
    bold = face(bold=True)
    return min(stringWidth(head.issuer_lines[-1], bold, 12.5), 45 * MM) * 0.6, stringWidth(MOTTO, bold, 13.5)


def _official_header(head: ReportHead, width: float, styles, full: bool = True) -> Table:
    """The issuing body (with its rule) beside the Quốc hiệu and tiêu ngữ (with theirs); ``full``
    adds the number and the place and date, as the report's first page has them."""
    left = []
    if head.parent_body and full:
        left.append(_p(head.parent_body, styles["body_top"]))
    left += [_p(line, styles["issuer"]) for line in head.issuer_lines]
    issuer_rule, motto_rule = head_rules(head)
    left.append(_Rule(issuer_rule))
    right = [_p(NATION, styles["national"]), _p(MOTTO, styles["motto"]), _Rule(motto_rule)]
    if full:
        left.append(_p(head.number, styles["number"]))
        right += [Spacer(1, 4), _p(head.place_date, styles["place_date"])]
    half = min(width, 170 * MM)  # on a landscape annex, the block keeps the portrait page's proportions
    top = Table([[left, right]], colWidths=[half * 0.40, half * 0.60] if full else [half * 0.40, width - half * 0.40])
    top.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("FONTNAME", (0, 0), (-1, -1), FAMILY),
                             ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0)]))
    return top


def _head_flowables(head: ReportHead, annexes: list[Annex], width: float, styles, marks: dict | None = None,
                    blocks: list[bd.Block] | None = None, signing: dict | None = None) -> list:
    top = _official_header(head, width, styles)
    flow = [top, _p("BÁO CÁO", styles["type"]), balanced(_p, head.subject, styles["subject"], width)]
    if blocks:  # the body as the clerk wrote it: it names its annexes where it wants ("Đính kèm các Biểu mẫu…")
        flow += body_flowables(blocks, width, styles)
    else:  # no body yet: a paragraph listing the annexes stands for it
        flow.append(_p(f"{head.issuer} báo cáo số liệu công tác cải cách hành chính {in_sentence(head.period_label)} "
                       f"tại {len(annexes)} phụ lục kèm theo báo cáo này:", styles["body"]))
    for annex in annexes if not blocks else ():
        subtitle = annex.subtitle or ""
        if subtitle[:1].isupper():  # "Kỳ báo cáo: Quý III năm 2025" continues the title's phrase
            subtitle = ", " + in_sentence(subtitle)
        elif subtitle:
            subtitle = " " + subtitle
        flow.append(_p(f"- {annex.printed_code}: {annex.phrase}{subtitle}.", styles["body"]))
    recipients = [_p("Nơi nhận:", styles["recipients_title"])]
    for i, line in enumerate(head.recipients):
        recipients.append(_p(f"- {line}{'.' if i == len(head.recipients) - 1 else ';'}", styles["recipients"]))
    signer = [_p(line, styles["signer"]) for line in head.signer_lines]
    signer += [_SignatureSpot(25 * MM, marks, signing), _p(head.signer_name, styles["signer"])]
    bottom = Table([[recipients, signer]], colWidths=[width * 0.45, width * 0.55])
    bottom.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("FONTNAME", (0, 0), (-1, -1), FAMILY), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                                ("RIGHTPADDING", (0, 0), (-1, -1), 0)]))
    closing = len(flow) - 1
    while closing >= 0 and not isinstance(flow[closing], Paragraph):
        closing -= 1
    if closing != len(flow) - 1:  # the body ends with a table: the block follows it as it can
        return flow + [Spacer(1, 8), bottom]
    first = closing
    if line_count(flow[closing], width) < 2 and closing > 0 and isinstance(flow[closing - 1], Paragraph) \
            and flow[closing - 1].style.name not in HEADING_STYLES:
        first = closing - 1  # "… kính báo cáo./." alone: the paragraph above goes with it too
    return flow[:first] + [ClosingWithSignature(flow[first:closing + 1], [*flow[closing + 1:], Spacer(1, 8), bottom])]



def _fitting(text: str, column_width: float, size: float, page_height: float) -> str:
    """A cell's text cut to what fits in half a page at its column's width, marked "[…]".
    A table row cannot continue on the next page, and a row taller than the page would stop
    the whole export; the full text stays in the Excel file and the data (a note of thousands
    of characters in one cell is not what an annex prints)."""
    per_line = max(8, int((column_width - 5) / (size * 0.5)))
    limit = per_line * max(4, int(page_height * 0.5 / (size * 1.18)))
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0] + " […]"


_ALIGNED = {"cell_centre": "CENTER", "cell_right": "RIGHT"}


def _annex_table(annex: Annex, width: float, styles, height: float):
    size = font_size(annex)

    def sized(name: str, bold=False, italic=False):
        return ParagraphStyle(f"{name}-{size}-{bold}-{italic}", parent=styles[name], fontName=face(bold, italic),
                              fontSize=size,
                              leading=size * 1.18)

    widths = column_widths(annex, width, size)
    depth = annex.header_rows
    grid = [["" for _ in annex.columns] for _ in range(depth)]
    # FONTNAME: a table's own default is Helvetica, which would not be embedded
    commands = [("FONTNAME", (0, 0), (-1, -1), FAMILY), ("GRID", (0, 0), (-1, -1), 0.5, "black"), ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("LEFTPADDING", (0, 0), (-1, -1), 2.5), ("RIGHTPADDING", (0, 0), (-1, -1), 2.5),
                ("TOPPADDING", (0, 0), (-1, -1), 1.5), ("BOTTOMPADDING", (0, 0), (-1, -1), 2)]
    for header in annex.header:
        grid[header.row][header.col] = _p(header.text, sized("cell_centre", bold=True))
        if header.rowspan > 1 or header.colspan > 1:
            commands.append(("SPAN", (header.col, header.row),
                             (header.col + header.colspan - 1, header.row + header.rowspan - 1)))
    repeat = depth
    if annex.number_row:
        numbers = []
        for text, column_width in zip(annex.number_row, widths):
            if "=" in text and stringWidth(text, face(italic=True), size) > column_width - 5:
                text = text.replace("=", "=\n", 1)  # "(4)=" over "(5)+(6)" rather than a broken "(6)"
            numbers.append(_p(text, sized("cell_centre", italic=True)))
        grid.append(numbers)
        repeat += 1
    # A cell whose text fits on one line is drawn as a plain string, styled by the table's commands:
    # the same glyphs where a Paragraph would put them, at a fraction of its cost (a receiver prints
    # every package it verifies). Text that wraps, breaks or keeps a range together stays a Paragraph.
    commands += [("FONTSIZE", (0, depth), (-1, -1), size), ("LEADING", (0, depth), (-1, -1), size * 1.18)]
    for body in annex.rows:
        bold = body.style in ("group", "total", "bold")
        italic = body.style == "italic"
        row_face = face(bold, italic)
        line = []
        at = len(grid)
        if bold or italic:
            commands.append(("FONTNAME", (0, at), (-1, at), row_face))
        for number, (cell, column_width) in enumerate(zip(body.cells, widths)):
            kind = cell.column.kind
            if kind in ("row_code", "row_note"):
                name = "cell_centre"
            elif kind == "row_label" or cell.ctype.value_kind in ("text", "choice"):
                name = "cell_left"
            elif cell.ctype.numeric:
                name = "cell_right"
            else:
                name = "cell_centre"
            text = _fitting(str(cell.text), column_width, size, height)
            if "\n" in text or _RANGE.search(text) or stringWidth(text, row_face, size) > column_width - 5:
                line.append(_p(text, sized(name, bold, italic)))
                continue
            line.append(text)
            if text and name != "cell_left":
                commands.append(("ALIGN", (number, at), (number, at), _ALIGNED[name]))
        grid.append(line)
    table = Table(grid, colWidths=widths, repeatRows=repeat, splitByRow=1)
    groups = [repeat + i for i, body in enumerate(annex.rows) if body.style == "group"]
    table.setStyle(TableStyle(commands + unbroken_rows(repeat, len(annex.rows), groups)))
    return table


BOUND_TO = "cchc-data-sha256:"  # in a package's PDF: the data.json it was made from


def pdf_date(moment: dt.datetime) -> str:
    """``moment`` as a PDF date ("D:20261202195600+07'00'"), in its own time zone (local if naive)."""
    moment = moment if moment.tzinfo else moment.astimezone()
    offset = int(moment.utcoffset().total_seconds() // 60)
    sign = "+" if offset >= 0 else "-"
    return f"D:{moment:%Y%m%d%H%M%S}{sign}{abs(offset) // 60:02d}'{abs(offset) % 60:02d}'"


def render_pdf(data: ReportData, marks: dict | None = None, bound_to: str | None = None,
               trends: list | None = None, signing: dict | None = None, created: dt.datetime | None = None,
               only: list[Annex] | None = None) -> bytes:
    """The report (first page, then each annex) as PDF bytes. ``marks``, when given, receives
    ``"signature"``: (page index, x1, y1, x2, y2) of the signature space, in points.
    ``bound_to``: the SHA-256 of the package's data.json, written into the PDF's keywords so
    that the signed PDF says which data it shows. ``trends`` (``desktop.app.picture.trends``):
    a last page of the key figures' charts, vector drawings in the report's font. ``signing``
    (the settings' ``signing``): draw its signature and seal images where a signed PDF shows them
    (the print preview; ``marks["look"]`` receives where they went). ``created``: the time the
    PDF says it was made (a package's: its manifest's, so that a receiver prints the same bytes);
    now when not given. ``only``: these annexes and nothing else, from the first page (a blank
    form to print, ``exchange.blank``). Everything else of the file depends on the report alone."""
    register_fonts()
    made = pdf_date(created or dt.datetime.now())
    styles = _styles()
    if only is not None:
        head, annexes, blocks = None, only, []
    else:
        head, annexes, blocks = document_parts(data)
    shown_head = head or report_head(data)
    sizes = PAGES

    def frame(orientation: str) -> Frame:
        page_width, page_height = sizes[orientation]
        left, right, top, bottom = (m * MM for m in MARGINS[orientation])
        return Frame(left, bottom, page_width - left - right, page_height - top - bottom, id=orientation,
                     leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)

    def number_page(canvas, doc) -> None:
        page = canvas.getPageNumber() - getattr(doc, "part_start", 1) + 1
        if page >= 2:
            page_width, page_height = canvas._pagesize
            canvas.setFont(FAMILY, 12)
            canvas.drawCentredString(page_width / 2, page_height - 12 * MM, str(page))

    # the first page takes the first template: a blank landscape annex starts on a landscape page
    first = annexes[0].orientation if head is None and annexes else "portrait"
    templates = [PageTemplate(id=o, frames=[frame(o)], pagesize=sizes[o], onPageEnd=number_page)
                 for o in sorted(("portrait", "landscape"), key=lambda o: o != first)]
    out = io.BytesIO()
    doc = BaseDocTemplate(
        out, pageTemplates=templates, title=shown_head.subject, author=shown_head.issuer,
        subject=f"{shown_head.number} – {shown_head.period_label}", creator=f"CCHC Desktop {__version__}",
        invariant=True, lang="vi-VN", initialFontName=FAMILY,
        keywords=f"{BOUND_TO}{bound_to}" if bound_to else "",
    )
    # invariant keeps the file's ID and layout free of the clock; its dates are then 2000-01-01
    # unless a formatter says otherwise: the real time, given
    doc.beforeDocument = lambda: doc.canv.setDateFormatter(lambda *_: made)
    story = [_PartStart()]
    if head is not None:
        story += _head_flowables(head, annexes, frame("portrait")._width, styles, marks, blocks, signing)
    for number, annex in enumerate(annexes):
        story += _annex_story(annex, shown_head, frame(annex.orientation), styles, first=head is None and number == 0)
    if trends:
        story += _chart_page(trends, head, frame("portrait")._width, styles)
    doc.build(story)
    return out.getvalue()


def _annex_story(annex: Annex, head: ReportHead, frame: Frame, styles, first: bool = False) -> list:
    """One annex as its part of the PDF: on a page of its own, numbered from its page 2."""
    width, height = frame._width, frame._height
    story = [] if first else [NextPageTemplate(annex.orientation), PageBreak(), _PartStart()]
    if annex.form.header_block:  # as seed 000 prints its Phụ lục 4 and VI
        story += [_official_header(head, width, styles, full=False), Spacer(1, 8)]
    if annex.group_title:  # "PHỤ LỤC BÁO CÁO CCHC NĂM 2019 CỦA HUYỆN", above the first of a group
        story.append(balanced(_p, annex.group_title, styles["annex_title"], width))
    story.append(_p(annex.printed_code, styles["annex_code"]))
    story.append(balanced(_p, annex.title, styles["annex_title"], width))
    if annex.subtitle:
        story.append(balanced(_p, annex.subtitle, styles["annex_title"], width))
    if annex.attachment_line:
        story.append(_p(annex.attachment_line, styles["annex_attach"]))
    else:
        story.append(Spacer(1, 10))
    story.append(_annex_table(annex, width, styles, height))
    if annex.footnote:  # the clerk's note under the table, as the seed prints it
        story.append(Spacer(1, 6))
        story += [_p(line, styles["body"]) for line in annex.footnote.splitlines() if line.strip()]
    return story


def _chart_page(trends: list, head: ReportHead, width: float, styles) -> list:
    """A portrait page: the key figures over the unit's periods, two charts a row."""
    periods = trends[0].points
    story = [NextPageTemplate("portrait"), PageBreak(), _PartStart(),
             _p("BIỂU ĐỒ CÁC CHỈ SỐ CHÍNH", styles["annex_title"]),
             _p(f"({periods[0].period} – {periods[-1].period}; kèm theo báo cáo {in_sentence(head.period_label)})",
                styles["annex_attach"]), Spacer(1, 8)]
    for row in chart_grid(trends, width, FAMILY):
        story += [row, Spacer(1, 14)]
    story.append(_p("Ô vuông đen: kỳ báo cáo này; chấm tròn: các kỳ trước có báo cáo trong phần mềm. "
                    "Tỷ lệ vẽ trên thang 0–100%." + (" " + msg("HIST002", units=", ".join(trends[0].merged_from))
                                                   if trends[0].merged_from else ""), styles["recipients"]))
    return story


def write_pdf(store, catalog: Catalog, report_id: int, path: Path, trends: list | None = None) -> Path:
    content = render_pdf(report_data(store, catalog, report_id), trends=trends)
    return write_atomically(path, lambda temporary: temporary.write_bytes(content))

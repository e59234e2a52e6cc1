"""How the PDF's pages break, as a typesetter breaks them (issue 29 §4).

reportlab fills a page and moves on; left alone it strands a heading at a page's foot, leaves
one row of a table under its repeated header, a single line of a paragraph at a page's top, the
signature block alone on a page and a title's last short word ("XÃ") on a line of its own. The
rules here:

- a heading (and a caption: a short paragraph just before a table) goes to the next page unless
  what follows it can start under it: two lines of a paragraph (all of a paragraph of three
  lines or fewer, which cannot split), a table's header and two rows;
- no paragraph leaves one line alone at either end of a page;
- a table breaks neither after its header and first row nor before its last two rows, nor
  right under a group row ("I. …", which heads the rows below it);
- the signature block keeps at least two lines of the closing text above it;
- a title of several lines is set as narrow as its number of lines allows, so that its lines
  are even.
"""

from __future__ import annotations

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, Paragraph, Spacer, Table

_ANY = 10 ** 6  # a height no content reaches: wrap to learn a flowable's natural height
_SLACK = 2  # points: a frame's rounding must not decide whether a heading stays


def line_count(paragraph: Paragraph, width: float) -> int:
    """How many lines ``paragraph`` takes in ``width``."""
    paragraph.wrap(width, _ANY)
    return len(paragraph.blPara.lines)


def _height(flowable: Flowable, width: float) -> float:
    if isinstance(flowable, KeepTogether):  # it wraps through the canvas, which a story has not yet
        return sum(_height(f, width) for f in flowable._content)
    return flowable.wrap(width, _ANY)[1] + flowable.getSpaceBefore() + flowable.getSpaceAfter()


def start_height(flowable: Flowable, width: float) -> float:
    """The least of ``flowable`` that a page may end with: two lines of a paragraph (all of one
    of three lines or fewer, which no widow or orphan rule lets split), a table's header rows
    and two rows (all of a table kept together), anything else whole."""
    if isinstance(flowable, Paragraph):
        lines = line_count(flowable, width)
        if lines <= 3:
            return _height(flowable, width)
        return flowable.getSpaceBefore() + 2 * flowable.style.leading
    if isinstance(flowable, KeepTogether):
        return _height(flowable, width)
    if isinstance(flowable, Table):
        flowable.wrap(width, _ANY)
        return sum(flowable._rowHeights[: flowable.repeatRows + 2])
    return _height(flowable, width)


def is_heading(paragraph: Flowable, heading_styles: set[str]) -> bool:
    return isinstance(paragraph, Paragraph) and paragraph.style.name in heading_styles


def keep_with_next(flow: list, width: float, heading_styles: set[str]) -> list:
    """``flow`` with a conditional page break before each run of headings (and each caption):
    it moves them to the next page when what follows cannot start under them."""
    out: list = []
    i = 0
    while i < len(flow):
        item = flow[i]
        run_end = i
        while run_end < len(flow) and is_heading(flow[run_end], heading_styles):
            run_end += 1
        if run_end == i and isinstance(item, Paragraph):  # a caption: a short paragraph before a table
            after = next((f for f in flow[i + 1:] if not isinstance(f, Spacer)), None)
            if isinstance(after, (Table, KeepTogether)) and line_count(item, width) <= 3:
                run_end = i + 1
        if run_end == i:
            out.append(item)
            i += 1
            continue
        needed = sum(_height(f, width) for f in flow[i:run_end])
        for following in flow[run_end:]:
            if isinstance(following, Spacer):
                needed += following.height
                continue
            needed += start_height(following, width)
            break
        out.append(CondPageBreak(needed + _SLACK))
        out += flow[i:run_end]
        i = run_end
    return out


def unbroken_rows(body_start: int, rows: int, group_rows: list[int] = ()) -> list[tuple]:
    """The NOSPLIT commands of a table whose body rows start at ``body_start``: its header with
    the first two rows, its last two rows, each group row with the row under it."""
    last = body_start + rows - 1
    if rows <= 0:
        return []
    if rows <= 3:
        return [("NOSPLIT", (0, 0), (-1, last))]
    commands = [("NOSPLIT", (0, 0), (-1, body_start + 1)), ("NOSPLIT", (0, last - 1), (-1, last))]
    commands += [("NOSPLIT", (0, row), (-1, row + 1)) for row in group_rows if row < last]
    return commands


class ClosingWithSignature(Flowable):
    """The closing paragraphs and the signature block (Nơi nhận beside the signer) after them:
    the block never stands alone on a page; at least two lines of text go with it, cut where no
    paragraph leaves a single line at either side of the break. ``closing`` is the last
    paragraph, and the one before it when the last is a single line ("… kính báo cáo./.")."""

    def __init__(self, closing: list[Paragraph], block: list) -> None:
        super().__init__()
        self.closing, self.block = closing, block

    def wrap(self, available_width, available_height):
        # taller than any room, so that the frame always asks ``split``, which hands it the parts
        return available_width, available_height + 1

    def _cuts(self, width: float):
        """Where the text may break, most of it staying first: (paragraph, its lines that stay
        on this page, the lines that go with the block)."""
        counts = [line_count(paragraph, width) for paragraph in self.closing]
        for index in range(len(self.closing) - 1, -1, -1):
            after = sum(counts[index + 1:])
            for staying in range(counts[index] - 2, 1, -1):  # two lines at least on either side
                yield index, staying, counts[index] - staying + after
            yield index, 0, counts[index] + after

    def split(self, available_width, available_height):
        parts = [*self.closing, *self.block]
        if sum(_height(f, available_width) for f in parts) <= available_height:
            return parts
        for index, staying, going in self._cuts(available_width):
            if going < 2:
                continue
            before = self.closing[:index]
            used = sum(_height(f, available_width) for f in before)
            paragraph = self.closing[index]
            if staying == 0:
                if not before or used > available_height:
                    continue
                return [*before, KeepTogether([*self.closing[index:], *self.block])]
            room = used + paragraph.getSpaceBefore() + staying * paragraph.style.leading
            if room > available_height:
                continue
            pieces = paragraph.split(available_width, room - used + 0.01)
            if len(pieces) == 2:
                return [*before, pieces[0], KeepTogether([pieces[1], *self.closing[index + 1:], *self.block])]
        return []  # nothing splits here: the frame moves it whole to the next page

    def draw(self):  # never drawn: ``wrap`` makes the frame split it into its parts
        raise AssertionError("ClosingWithSignature is split, not drawn")


def balanced(paragraph_of, text: str, style: ParagraphStyle, width: float) -> Paragraph:
    """A centred title set as narrow as its number of lines allows: "…CỦA UBND" / "XÃ QUẢNG
    NGẠN" rather than a long line over "NGẠN". ``paragraph_of(text, style)`` makes the paragraph."""
    first = paragraph_of(text, style)
    count = line_count(first, width)
    if count < 2:
        return first
    low, high = width * 0.4, width
    for _ in range(14):
        middle = (low + high) / 2
        if line_count(paragraph_of(text, style), middle) == count:
            high = middle
        else:
            low = middle
    indent = max(0.0, (width - high - 1) / 2)
    if indent < 1:
        return first
    narrow = ParagraphStyle(f"{style.name}-balanced", parent=style, leftIndent=style.leftIndent + indent,
                            rightIndent=style.rightIndent + indent)
    return paragraph_of(text, narrow)

"""What a package's signed PDF shows, against what its data prints (issue 27).

A modified sending app could render the PDF from one figure, write another into data.json and
stamp the rewritten data.json's hash into the PDF: every hash and both signatures hold. So the
receiver prints data.json itself, as the sending app does (``exchange.pdf`` is deterministic), and
requires the signed PDF to be exactly that print, byte for byte, followed by one signing revision
that adds the signature and changes nothing else. Byte equality rather than equal text: the same
fonts, glyphs, positions and no hidden layer, so neither invisible text nor a remapped glyph passes.

When the bytes differ, the text of both is read (pypdf, loaded only then) to say where: the
cell, what the signed copy shows and what the data says.
"""

from __future__ import annotations

import difflib
import io
import re
from dataclasses import dataclass

from desktop.exchange.signature_look import widest_box
from desktop.foundation.messages import msg

# What the signing revision may change in an object of the printed PDF: the catalog gains the
# form and pyHanko's extension level, the information dictionary its dates, the signature's page
# its one annotation.
_MAY_CHANGE = {"/Catalog": {"/AcroForm", "/Extensions", "/Version"}, "/Info": {"/ModDate", "/Producer"},
               "/Page": {"/Annots"}, "/AcroForm": {"/Fields", "/SigFlags"}}
_ACROFORM_KEYS = {"/Fields", "/SigFlags", "/DR", "/DA"}
_SLACK = 1.5  # points: the field's box is rounded to whole points when it is made


def _serialised(value) -> bytes:
    out = io.BytesIO()
    value.write_to_stream(out, None)
    return out.getvalue()


def _changed_keys(old, new) -> set[str]:
    keys = set(old.keys()) | set(new.keys())
    return {k for k in keys if k not in old or k not in new or _serialised(old.raw_get(k)) != _serialised(new.raw_get(k))}


def _stream_free(dictionary) -> bytes:
    """A dictionary's serialised keys and values, without what only says how a stream is stored."""
    return b"".join(key.encode() + _serialised(dictionary.raw_get(key)) for key in sorted(dictionary.keys())
                    if key not in ("/Length", "/Filter", "/DecodeParms"))


def same_objects(signed: bytes, printed: bytes, signatures: int = 1) -> bool:
    """Whether the first revision of ``signed`` holds exactly the objects of ``printed``, streams
    compared decoded: another build of zlib may compress the same page to other bytes, and the
    print is still the same. (Only asked when the bytes differ.)"""
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.reader import PdfFileReader

    try:
        ours, theirs = PdfFileReader(io.BytesIO(printed), strict=False), PdfFileReader(io.BytesIO(signed), strict=False)
        if theirs.xrefs.total_revisions != 1 + signatures:
            return False
        old = theirs.get_historical_resolver(0)
        mine = {(r.idnum, r.generation) for r in ours.xrefs.explicit_refs_in_revision(0)}
        if mine != {(r.idnum, r.generation) for r in theirs.xrefs.explicit_refs_in_revision(0)}:
            return False
        for key in ("/Root", "/Info"):
            if _serialised(ours.trailer.raw_get(key)) != _serialised(old.trailer_view.raw_get(key)):
                return False
        for idnum, generation in mine:
            a = ours.get_object(generic.Reference(idnum, generation, ours))
            b = old.get_object(generic.Reference(idnum, generation, old))
            if isinstance(a, generic.StreamObject):
                if not isinstance(b, generic.StreamObject) or a.data != b.data or _stream_free(a) != _stream_free(b):
                    return False
            elif _serialised(a) != _serialised(b):
                return False
    except Exception:  # whatever a hostile file makes the parser raise: not the same print
        return False
    return True


def signing_problem(pdf: bytes, printed: bytes | None, spot, signatures: int = 1) -> str | None:
    """Why what follows the print in ``pdf`` (its first revision, already checked to be
    ``printed``) is more than its signatures: None when each of ``signatures`` revisions adds one
    signature field and its widget in the signature's place and changes nothing else (a sealed
    package has two: the person's, then the organisation's). ``printed``: when given, the bytes
    the first revision must end at; ``spot``: (page, x1, y1, x2, y2), where the print puts it."""
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.reader import PdfFileReader

    reader = PdfFileReader(io.BytesIO(pdf), strict=False)
    xrefs = reader.xrefs
    revisions = 1 + signatures
    if xrefs.total_revisions != revisions:
        return msg("SIG108", what=msg("SIG109"))
    if printed is not None:
        at = re.search(rb"startxref\s+(\d+)\s+%%EOF\s*$", printed[-64:])
        if at is None or xrefs.get_startxref_for_revision(0) != int(at.group(1)):
            return msg("SIG108", what=msg("SIG109"))
    first = reader.get_historical_resolver(0)
    root, info = reader.trailer.raw_get("/Root"), reader.trailer.raw_get("/Info")
    kids = first.root["/Pages"]["/Kids"]
    if spot is None or not 0 <= spot[0] < len(kids):
        return msg("SIG108", what=msg("SIG111"))
    page_ref = kids.raw_get(spot[0])
    allowed = {(root.idnum, root.generation): "/Catalog", (page_ref.idnum, page_ref.generation): "/Page"}
    if isinstance(info, generic.IndirectObject):
        allowed[(info.idnum, info.generation)] = "/Info"
    form_ref = reader.root.raw_get("/AcroForm") if "/AcroForm" in reader.root else None
    if isinstance(form_ref, generic.IndirectObject):  # made by the first signature, given the next's field
        allowed[(form_ref.idnum, form_ref.generation)] = "/AcroForm"
    for revision in range(1, revisions):
        if xrefs.refs_freed_in_revision(revision):
            return msg("SIG108", what=msg("SIG110"))
        before = reader.get_historical_resolver(revision - 1)
        after = reader.get_historical_resolver(revision) if revision < revisions - 1 else reader
        for ref in xrefs.explicit_refs_in_revision(revision):
            if xrefs.get_introducing_revision(ref) == revision:
                continue  # a new object: only what the catalog and the page reach matters, checked below
            role = allowed.get((ref.idnum, ref.generation))
            if role is None:
                return msg("SIG108", what=msg("SIG112", number=ref.idnum))
            changed = _changed_keys(before.get_object(ref), after.get_object(ref))
            if changed - _MAY_CHANGE[role]:
                return msg("SIG108", what=msg("SIG112", number=ref.idnum))
    form = reader.root["/AcroForm"] if "/AcroForm" in reader.root else None
    page = reader.get_object(page_ref)
    annotations = page["/Annots"] if "/Annots" in page else None
    if form is None or annotations is None or len(annotations) != signatures or set(form.keys()) - _ACROFORM_KEYS:
        return msg("SIG108", what=msg("SIG113"))
    fields = form["/Fields"] if "/Fields" in form else None
    if fields is None or len(fields) != signatures:
        return msg("SIG108", what=msg("SIG113"))
    box = widest_box(spot)
    for index in range(signatures):
        widget = annotations[index]
        if (fields.raw_get(index) != annotations.raw_get(index) or widget.get("/FT") != "/Sig"
                or widget.get("/Subtype") != "/Widget"):
            return msg("SIG108", what=msg("SIG113"))
        left, bottom, right, top = (float(v) for v in widget["/Rect"])
        if (min(left, right) < box.left - _SLACK or max(left, right) > box.right + _SLACK
                or min(bottom, top) < box.bottom - _SLACK or max(bottom, top) > box.top + _SLACK):
            return msg("SIG108", what=msg("SIG114"))
    return None


@dataclass
class Difference:
    page: int  # 1-based
    shown: str  # what the signed PDF shows there
    printed: str  # what the data prints there
    lines: list[str]  # the lines of the print's page, up to the one the difference is on

    @property
    def line(self) -> str:
        return self.lines[-1] if self.lines else ""


_TOKEN = re.compile(r"\S+")


def first_difference(signed: bytes, printed: bytes) -> Difference | None:
    """Where the text of ``signed`` first differs from the text of ``printed``; None when their
    text is the same (they differ in something else: a font, a picture, a position)."""
    from pypdf import PdfReader

    try:
        signed_pages = [page.extract_text() or "" for page in PdfReader(io.BytesIO(signed)).pages]
    except Exception:  # whatever a hostile file makes the parser raise: the difference is then unnamed
        return None
    printed_pages = [page.extract_text() or "" for page in PdfReader(io.BytesIO(printed)).pages]
    for number, (shown_text, printed_text) in enumerate(zip(signed_pages, printed_pages), 1):
        if shown_text == printed_text:
            continue
        shown_words, printed_words = _TOKEN.findall(shown_text), _TOKEN.findall(printed_text)
        matcher = difflib.SequenceMatcher(None, printed_words, shown_words, autojunk=False)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            if tag != "equal":
                shown = " ".join(shown_words[j1:j2]) or "(không có)"
                expected = " ".join(printed_words[i1:i2]) or "(không có)"
                return Difference(number, shown, expected, _lines_to(printed_text, i1))
    if len(signed_pages) != len(printed_pages):
        number = min(len(signed_pages), len(printed_pages)) + 1
        return Difference(number, msg("SIG115", count=len(signed_pages)), msg("SIG115", count=len(printed_pages)), [])
    return None


def _lines_to(text: str, index: int) -> list[str]:
    """The lines of ``text`` up to the one holding its ``index``-th word."""
    lines, seen = [], 0
    for line in text.splitlines():
        if not line.strip():
            continue
        lines.append(line.strip())
        seen += len(_TOKEN.findall(line))
        if seen > index:
            break
    return lines


def cell_named(annexes, difference: Difference) -> str | None:
    """The annex cell the difference is in, told from the print's own lines (pypdf gives a table
    cell per line, row by row): the nearest row label above the differing line, then the cell of
    that row printing the differing text (the k-th such, when several do). None when no row
    can be told."""
    rows = [(annex, body) for annex in annexes for body in annex.rows]
    for back, line in enumerate(reversed(difference.lines[:-1])):
        for annex, body in rows:
            label = next((str(c.text) for c in body.cells if c.column.kind == "row_label" and c.text), "")
            if not label or not (label == line or (len(line) >= 3 and label.startswith(line))):
                continue
            between = difference.lines[len(difference.lines) - 2 - back:]
            same = [c for c in body.cells if c.column.kind not in ("row_code", "row_label")
                    and str(c.text) == difference.printed]
            nth = sum(1 for seen in between[1:] if seen == difference.printed) - 1
            if 0 <= nth < len(same):
                cell = same[nth]
                return msg("PKG020", form=annex.printed_code or annex.form.code,
                           row=f"{body.row.code}. {label}" if body.row.code else label,
                           column=cell.column.label)
            return None
    return None


__all__ = ["Difference", "cell_named", "first_difference", "signing_problem"]

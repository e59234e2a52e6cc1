"""A blank form to print (issue 26 §4): any form of a set, or the whole set, in the official
layout with its cells empty, for offices that collect on paper first.

The annexes are those of a report made for the occasion in a scratch database that lives in
memory only and is never saved. The unit is a dotted placeholder of the set's level, the period
is the one asked for, and each repeating section gets a few empty rows to write in. They print
as a report's annexes do (``exchange.pdf``), with no report page before them, or as a workbook
(``exchange.xlsx``) whose totals and identities are live formulas.
"""

from __future__ import annotations

from desktop.exchange.annex import build_annexes, live_formulas
from desktop.foundation.messages import CchcError
from desktop.foundation.periods import Period
from desktop.report.data import report_data
from desktop.store.db import Store

BLANK_UNITS = {"xa": "Xã ……………", "huyen": "Huyện ……………", "tinh": "Tỉnh ……………"}
BLANK_REPEAT_ROWS = 5  # empty rows a repeating section (rows the clerk adds) prints to write in


def repeat_sections(specs) -> set[str]:
    """The repeating sections (rows the clerk adds) among a form's rows, at any depth."""
    found = set()
    for spec in specs:
        if spec.kind == "repeat":
            found.add(spec.source)
        found |= repeat_sections(spec.children)
    return found


def printed_forms(form_set, form_code: str | None = None) -> int:
    """How many forms a blank print of the set (or of ``form_code``) holds."""
    return 1 if form_code else sum(1 for form in form_set.forms.values() if form.annex)


def blank_pdf(catalog, form_set, form_code: str | None = None, period: Period | None = None) -> bytes:
    """The set's annexes (or the one of ``form_code``) as empty forms, PDF bytes."""
    return blank_annexes(catalog, form_set, form_code, period, render="pdf")


def blank_xlsx(catalog, form_set, form_code: str | None = None, period: Period | None = None) -> bytes:
    """The same as a workbook, the template a province sends its communes: the official layout
    with its totals and identities as live formulas over the empty cells."""
    return blank_annexes(catalog, form_set, form_code, period, render="xlsx")


def blank_annexes(catalog, form_set, form_code: str | None = None, period: Period | None = None,
                  render: bool = False):
    """The empty annexes (or, with ``render``, their PDF: the scratch database lives only while
    they are built and printed)."""
    if form_code is not None and form_code not in form_set.forms:
        raise CchcError("BLANK001", form=form_code, set=form_set.name, forms=", ".join(form_set.forms))
    period = period or Period("nam", form_set.year)
    with Store.open(":memory:", user="bieu-mau-trong") as scratch:
        scratch.units.add("TRONG", BLANK_UNITS.get(form_set.level, "Đơn vị ……………"), form_set.level)
        report = scratch.reports.create("TRONG", period, form_set.id, form_set.version, totals="nhu_ban_in")
        for code, form in form_set.forms.items():
            for section in repeat_sections(form.rows):
                for _ in range(BLANK_REPEAT_ROWS):
                    scratch.rows.add(report, code, section)
        data = report_data(scratch, catalog, report)
        annexes = [a for a in build_annexes(data) if a.form.annex and (form_code is None or a.form.code == form_code)]
        if not annexes:
            raise CchcError("BLANK002", set=form_set.name)
        for annex in annexes:
            annex.blank = True
        if render == "xlsx":
            from desktop.exchange.xlsx import render_xlsx  # each render imports only its own writer

            live_formulas(annexes)
            return render_xlsx(data, only=annexes)
        if render == "pdf":
            from desktop.exchange.pdf import render_pdf

            return render_pdf(data, only=annexes)
        return annexes

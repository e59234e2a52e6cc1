"""What the chairman must not sign: a print that still holds a place left to fill.

A report is checked and signed only when its signer's name, its number and its date are filled
in, and no text of it (its head, its body, a note, a table's cell, an appraisal's comment) holds
a bracketed placeholder such as "[Họ và tên người ký]", "[họ tên]" or "[email, điện thoại]".
This is not a finding of the figures: a draft may hold placeholders while the clerk works; the
way to "Đã kiểm tra" and to the signature refuses them, naming each."""

from __future__ import annotations

import re

from desktop.foundation.messages import msg
from desktop.report.data import ReportData
from desktop.report.ops import FORM_NOTE

# Square brackets around words (at least one letter): "[1]" or "[2019]" are references, not places to fill
PLACEHOLDER = re.compile(r"\[[^\[\]\n]{0,120}?[^\W\d_][^\[\]\n]{0,120}?\]")
ELLIPSIS = ("…", "...")  # "…/BC-UBND": a number still to give
SHOWN = 10  # places named in one message; the others counted


def unfinished(data: ReportData) -> list[str]:
    """Each place of ``data``'s print still to fill, said in Vietnamese, in print order."""
    report = data.report
    left: list[str] = []
    name = (report.signer_name or "").strip()
    if not name:
        left.append(msg("PLH001"))
    elif PLACEHOLDER.search(name) or any(mark in name for mark in ELLIPSIS):
        left.append(msg("PLH002", text=name))
    number = (report.doc_number or "").strip()
    if not number or PLACEHOLDER.search(number) or any(mark in number for mark in ELLIPSIS):
        left.append(msg("PLH003", text=number) if number else msg("PLH004"))
    if not report.doc_date:
        left.append(msg("PLH005"))
    for field, label in (("subject", "Trích yếu"), ("place", "Địa danh"), ("signer_title", "Chức vụ người ký"),
                         ("recipients", "Nơi nhận")):
        left += _in_text(label, getattr(report, field))
    texts = data.store.narrative.of(report.id)
    for key in sorted(texts):
        if key.startswith(FORM_NOTE):
            form = data.form_set.forms.get(key[len(FORM_NOTE):]) if data.form_set else None
            left += _in_text(msg("PLH007", form=form.printed_code if form else key[len(FORM_NOTE):]), texts[key])
        else:
            left += _in_text(msg("PLH008", section=key), texts[key])
    for code, rows in data.raw.items():
        left += _in_cells(data, code, rows)
    for unit, criteria in data.store.appraisals.of(report.id).items():
        for criterion, (_score, comment) in criteria.items():
            left += _in_text(msg("PLH009", unit=unit, criterion=criterion), comment)
    return left


def _in_text(where: str, text) -> list[str]:
    if not isinstance(text, str):
        return []
    return [msg("PLH006", where=where, text=found.group(0)) for found in PLACEHOLDER.finditer(text)]


def _in_cells(data: ReportData, code: str, rows: dict) -> list[str]:
    form = data.form_set.forms.get(code) if data.form_set else None
    scope = data.scope(code) if form is not None else None
    left = []
    for row_id, cells in rows.items():
        for column_id, value in cells.items():
            if not isinstance(value, str) or "[" not in value:
                continue
            column = form.by_id.get(column_id) if form is not None else None
            where = msg("PLH010", form=form.printed_code if form else code,
                        row=scope.row_title(row_id) if scope is not None and row_id in scope.layout.by_id else row_id,
                        column=form.column_label(column) if column is not None else column_id)
            left += _in_text(where, value)
    return left


def listed(left: list[str]) -> str:
    """The places of ``unfinished`` for one message: the first ten, and how many more."""
    more = msg("PLH011", count=len(left) - SHOWN) if len(left) > SHOWN else ""
    return "; ".join(left[:SHOWN]) + more

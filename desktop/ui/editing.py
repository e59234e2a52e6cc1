"""Editing the open form, as the window's Sửa menu and the grid do it: typing, undo and redo,
copy and paste, clearing, confirming blanks, the rows of repeating sections, evidence files.
Each is a function of the window; every change goes through ``window.perform`` (one operation
of the core, whose Change the views apply)."""

from __future__ import annotations

import tempfile
from pathlib import Path

from PySide6.QtCore import QModelIndex, QUrl
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import QFileDialog, QToolTip

from desktop.app.session import Change
from desktop.foundation.evidence import evidence_problem
from desktop.foundation.messages import msg
from desktop.kinds.par.sheet import FORM_CODE as SHEET_FORM
from desktop.kinds.par.sheet import TOTAL_ROW


def enter(window, r: int, c: int, text: str):
    """The model's setData: True when stored, else the reason shown at the cell."""
    outcome = window.perform(lambda: window.session.enter_at(window.form_code, r, c, text), quiet=True)
    return str(outcome) if isinstance(outcome, Exception) else True


def refused(window, index: QModelIndex, message: str) -> None:
    window.statusBar().showMessage(message, 15000)
    rect = window.view.visualRect(index)
    QToolTip.showText(window.view.viewport().mapToGlobal(rect.bottomLeft()), message, window.view)


def undo(window) -> None:
    if window.session is not None:
        window.perform(window.session.undo)


def redo(window) -> None:
    if window.session is not None:
        window.perform(window.session.redo)


def copy(window) -> None:
    block = window.view.selected_block()
    if block is not None and window.model is not None:
        QGuiApplication.clipboard().setText(window.model.grid.copy_tsv(*block))


def paste(window) -> None:
    block = window.view.selected_block()
    if block is None or window.model is None:
        return
    text = QGuiApplication.clipboard().text()
    top, left = block[0], block[1]
    change = window.perform(lambda: window.session.paste(window.form_code, top, left, text, selection=block))
    if isinstance(change, Change) and change.left_out:
        window.say(msg("CELL007", cells=change.left_out), warning=True)


def clear_selection(window) -> None:
    if window.model is not None:
        cells = window.view.selected_cells()
        window.perform(lambda: window.session.clear(window.form_code, cells))


def note_typed(window) -> None:
    """The note under the open form's table, stored when the clerk leaves it."""
    session = window.session
    if session is None or window.form_code is None or session.locked:
        return
    text = window.page.note.text()
    if text.strip() == session.form_note(window.form_code).strip():
        return
    outcome = window.perform(lambda: session.set_form_note(window.form_code, text), quiet=True)
    if not isinstance(outcome, Exception):
        window.apply(outcome)


def typed_total(window, column: str, text: str) -> None:
    """What the printed sheet states about the whole (total, index, rating), typed beside the computed ones."""
    session = window.session
    if session is None or session.criteria is None or session.locked:
        return
    outcome = window.perform(lambda: session.enter_scores([(TOTAL_ROW, column, text)]))
    if isinstance(outcome, Exception):
        window.scoring_page.refresh_summary()


def confirm_blanks(window, whole: bool) -> None:
    """Blank parts confirmed as "không phát sinh" (0 or "-" as the set prints it), undoable."""
    session = window.session
    if session is None:
        return
    row = None
    if not whole:
        _, found = current_row(window)
        if found is None:
            window.say("Hãy chọn một ô của dòng cần xác nhận.", warning=True)
            return
        row = found.id
    code = None if whole else window.form_code
    result = window.perform(lambda: session.confirm_blanks(code, row))
    if isinstance(result, Change):
        window.say(msg("CELL009", count=len(result.cells), value=session.data.form_set.blank_means,
                       report=session.report_id) if result.cells else msg("CELL010", report=session.report_id))


def current_row(window):
    """(index, row) of the current cell's row, or (None, None)."""
    index = window.view.currentIndex()
    if window.model is None or not index.isValid():
        return None, None
    return index.row(), window.model.grid.rows[index.row()]


def add_row(window) -> None:
    r, row = current_row(window)
    if row is None:
        return
    section = window.model.grid.section_of(r)
    if section is None:
        window.say("Dòng đang chọn không thuộc phần được thêm dòng; hãy chọn một dòng nhiệm vụ "
                   "hoặc dòng nhóm của nó.", warning=True)
        return
    ids = window.session.data.repeats.get(window.form_code, {}).get(section, [])
    position = ids.index(row.id) + 1 if row.id in ids else 0
    window.perform(lambda: window.session.add_row(window.form_code, section, position))


def delete_row(window) -> None:
    _, row = current_row(window)
    if row is not None:
        window.perform(lambda: window.session.delete_row(window.form_code, row.id))


def move_row(window, offset: int) -> None:
    _, row = current_row(window)
    if row is not None:
        window.perform(lambda: window.session.move_row(window.form_code, row.id, offset))


def attach_evidence(window, paths: list[str] | None = None) -> None:
    if window.scoring_page.isVisible():  # a PAR sheet: the evidence of the selected criterion
        form_code, row_id = SHEET_FORM, window.scoring_page.current_code()
    else:
        _, row = current_row(window)
        form_code, row_id = window.form_code, row.id if row is not None else None
    if row_id is None:
        return
    if paths is None:
        from desktop.foundation.settings import load_settings

        start = load_settings(window.store)["folders"]["evidence"] or str(Path.home())
        paths, _ = QFileDialog.getOpenFileNames(window, "Chọn tệp minh chứng", start)
    for path in paths:
        window.perform(lambda path=path: window.session.attach(form_code, row_id, path))
    if window.scoring_page.isVisible():
        window.scoring_page.refresh()
    else:
        window.model.refresh()


def open_evidence(window) -> None:
    r, row = current_row(window)
    if row is None:
        return
    files = window.model.grid.attachments(r)
    if not files:
        window.say("Dòng này chưa có tệp minh chứng.")
        return
    for attached in files:
        data = window.session.evidence_bytes(attached)
        problem = evidence_problem(attached.filename, data)
        if problem:  # kept before this check existed: never handed to the system to open
            window.say(msg("EVID001", file=attached.filename[:80], reason=problem))
            continue
        folder = Path(tempfile.mkdtemp(prefix="cchc-minh-chung-"))
        target = folder / Path(attached.filename).name
        target.write_bytes(data)
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(target)))


def double_clicked(window, index: QModelIndex) -> None:
    """A double click on the row's evidence count opens its files."""
    model = window.model
    if model is not None and index.column() == model.grid.frozen - 1 \
            and not model.grid.is_editable(index.row(), index.column()):
        if model.grid.attachments(index.row()):
            window.view.setCurrentIndex(model.index(index.row(), window.view.currentIndex().column()))
            open_evidence(window)


def files_dropped(window, r: int, paths: list[str]) -> None:
    """Files dropped on a row: evidence of that row."""
    window.view.setCurrentIndex(window.model.index(r, max(window.view.currentIndex().column(), 0)))
    attach_evidence(window, paths)

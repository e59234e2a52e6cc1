"""Killing the application never loses a committed cell.

The real window runs in a child process and types into Kế Sách's 5B; each
time a cell is committed it says so on stdout.  The parent kills it with
SIGKILL in the middle of typing, opens the database and finds every cell the
child had reported committed."""

import os
import signal
import subprocess
import sys
import textwrap

import pytest

from desktop.store.db import Store

CHILD = textwrap.dedent("""
    import os, sys
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from PySide6.QtCore import QEvent, Qt
    from PySide6.QtGui import QKeyEvent
    from PySide6.QtWidgets import QApplication, QLineEdit
    from desktop.ui.app import build_window, parse_args

    app = QApplication([])
    window = build_window(parse_args(["--demo", "--db", sys.argv[1], "--report", "2", "--form", "5B"]))
    window.show()
    view, grid = window.view, window.model.grid
    column = grid.columns.index(grid.form.by_id["ky_truoc"])

    def key(widget, text=None, code=Qt.Key_unknown):
        for kind in (QEvent.KeyPress, QEvent.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, code, Qt.NoModifier, text or ""))

    n = 0
    while True:  # until killed
        for r in range(len(grid.rows)):
            n += 1
            value = str(1000 + n)
            view.setCurrentIndex(window.model.index(r, column))
            key(view, value[0])
            editor = next(w for w in view.viewport().findChildren(QLineEdit) if w.isVisible())
            for char in value[1:]:
                key(editor, char)
            key(editor, code=Qt.Key_Return)
            app.processEvents()
            print(f"committed {grid.rows[r].id} {value}", flush=True)
""")


@pytest.mark.slow
def test_sigkill_while_typing_loses_no_committed_cell(tmp_path):
    if not hasattr(signal, "SIGKILL"):
        pytest.skip("SIGKILL is POSIX")
    db = tmp_path / "demo.db"
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(db)], stdout=subprocess.PIPE,
                             stderr=subprocess.DEVNULL, text=True, env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    committed = {}
    try:
        for line in child.stdout:
            _, row, value = line.split()
            committed[row] = value
            if int(value) > 1030:  # past every row once, and now overwriting them: kill mid-typing
                break
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
    assert child.returncode == -signal.SIGKILL
    assert len(committed) >= 12
    with Store.open(db) as store:
        cells = store.cells.get(2)["5B"]
        for row, value in committed.items():
            assert cells[row]["ky_truoc"] == value, row

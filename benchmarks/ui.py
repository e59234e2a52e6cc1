"""Window benchmarks (issue 4), offscreen.

    .venv/bin/python benchmarks/ui.py [--rounds N]

Prints a Markdown table (paste it into docs/BENCHMARKS.md) and exits 1 if a
figure misses its target.  Targets:
- cold start to an interactive window with a demo report open: < 1.5 s
  (a new process, the database already there: what a clerk waits for each morning)
- switching to the largest form (Kế Sách 4B, 82 rows × 11 columns), painted: < 150 ms
- a keystroke-to-committed-cell round trip (typed value, Enter, stored durably, view
  and findings refreshed): < 30 ms
- peak memory with the demo database open and every form shown: < 250 MB
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent))

from core import print_table  # noqa: E402

TARGETS = {"cold_start": 1.5, "form_switch": 0.150, "keystroke": 0.030, "memory": 250.0}

MEMORY_CHILD = """
import os, resource, sys
os.environ["QT_QPA_PLATFORM"] = "offscreen"
from PySide6.QtWidgets import QApplication
from desktop.ui.app import build_window, parse_args
app = QApplication([])
window = build_window(parse_args(["--db", sys.argv[1]]))
window.show()
for entry in window.store.reports.all():
    window.open_report(entry.id)
    for form in window.session.forms:
        window.show_form(form.code)
        app.processEvents()
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
"""


def cold_start(db: Path, rounds: int) -> list[float]:
    """From launching the process to the window shown with the first report's form painted."""
    samples = []
    for _ in range(rounds):
        start = time.perf_counter()
        process = subprocess.Popen([sys.executable, "-m", "desktop.ui", "--db", str(db), "--quit-after-start"],
                                   stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        process.stdout.readline()  # printed once the window is shown and its events processed
        samples.append(time.perf_counter() - start)
        process.wait()
    return samples


def in_window(db: Path, rounds: int) -> tuple[list[float], list[float]]:
    from PySide6.QtCore import QEvent, Qt
    from PySide6.QtGui import QKeyEvent
    from PySide6.QtWidgets import QApplication, QLineEdit

    from desktop.ui.app import build_window, parse_args

    app = QApplication.instance() or QApplication([])
    window = build_window(parse_args(["--db", str(db), "--report", "2", "--form", "5B"]))
    window.resize(1366, 768)
    window.show()
    app.processEvents()

    switches = []
    for _ in range(rounds):
        window.show_form("5B")
        app.processEvents()
        start = time.perf_counter()
        window.show_form("4B")
        window.view.viewport().repaint()  # painted, not just scheduled
        app.processEvents()
        switches.append(time.perf_counter() - start)

    window.show_form("5B")
    app.processEvents()
    view, grid = window.view, window.model.grid
    column = grid.columns.index(grid.form.by_id["ky_truoc"])

    def key(widget, text="", code=Qt.Key_unknown):
        for kind in (QEvent.KeyPress, QEvent.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, code, Qt.NoModifier, text))

    keystrokes = []
    for n in range(rounds):
        view.setCurrentIndex(window.model.index(n % len(grid.rows), column))
        key(view, "1")
        editor = next(w for w in view.viewport().findChildren(QLineEdit) if w.isVisible())
        key(editor, str(n % 10))
        start = time.perf_counter()
        key(editor, code=Qt.Key_Return)
        app.processEvents()  # Qt commits on the next turn of the loop; the views refresh there too
        window.view.viewport().repaint()
        keystrokes.append(time.perf_counter() - start)
    window.store.close()
    return switches, keystrokes, bare_keystrokes(app, len(grid.rows), len(grid.columns), column, rounds)


def bare_keystrokes(app, rows: int, columns: int, column: int, rounds: int) -> list[float]:
    """The floor beside the keystroke: a bare QTableView over a QStandardItemModel of the same size,
    in a bare window, the same keys typed and the same repaint; no storing, checking or refreshing."""
    from PySide6.QtCore import QEvent, Qt
    from PySide6.QtGui import QKeyEvent, QStandardItem, QStandardItemModel
    from PySide6.QtWidgets import QApplication, QLineEdit, QMainWindow, QTableView

    model = QStandardItemModel(rows, columns)
    for r in range(rows):
        for c in range(columns):
            model.setItem(r, c, QStandardItem(str(r * c)))
    window, view = QMainWindow(), QTableView()
    window.setCentralWidget(view)
    view.setModel(model)
    window.resize(1366, 768)
    window.show()
    app.processEvents()

    def key(widget, text="", code=Qt.Key_unknown):
        for kind in (QEvent.KeyPress, QEvent.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, code, Qt.NoModifier, text))

    samples = []
    for n in range(rounds):
        view.setCurrentIndex(model.index(n % rows, column))
        key(view, "1")
        editor = next(w for w in view.viewport().findChildren(QLineEdit) if w.isVisible())
        key(editor, str(n % 10))
        start = time.perf_counter()
        key(editor, code=Qt.Key_Return)
        app.processEvents()
        view.viewport().repaint()
        samples.append(time.perf_counter() - start)
    window.close()
    return samples


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=15)
    args = parser.parse_args()
    db = Path(tempfile.mkdtemp()) / "demo.db"
    subprocess.run([sys.executable, "-m", "desktop.ui", "--demo", "--db", str(db), "--quit-after-start"],
                   check=True, capture_output=True)  # first run: the demo data
    starts = cold_start(db, max(5, args.rounds // 3))
    switches, keystrokes, bare = in_window(db, args.rounds)
    memory = float(subprocess.run([sys.executable, "-c", MEMORY_CHILD, str(db)], check=True, capture_output=True,
                                  text=True).stdout.split()[-1])
    rows = [
        ("cold_start", "Cold start to the window with a demo report open (new process, database present)",
         statistics.median(starts)),
        ("form_switch", "Switch to the largest form (Kế Sách 4B, 82 × 11), painted", statistics.median(switches)),
        ("keystroke", "Enter on a typed value → stored durably, table, findings and counts refreshed",
         statistics.median(keystrokes)),
        ("bare_keystroke", "  – beside it: Enter on a typed value in a bare QTableView of the same size (nothing stored)",
         statistics.median(bare)),
    ]
    code = print_table(rows, TARGETS)
    print(f"\nPeak memory (every form of the 3 demo reports shown): {memory:.0f} MB "
          f"(target < {TARGETS['memory']:.0f} MB: {'yes' if memory < TARGETS['memory'] else 'NO'})")
    print(f"Slowest: cold start {max(starts) * 1000:.0f} ms, switch {max(switches) * 1000:.1f} ms, "
          f"keystroke {max(keystrokes) * 1000:.1f} ms")
    return code or int(memory >= TARGETS["memory"])


if __name__ == "__main__":
    sys.exit(main())

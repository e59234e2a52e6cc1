"""The picture a province looks at (issue 19 §2): its 168 communes this period, painted.

    .venv/bin/python benchmarks/picture.py [--province 79.2025] [--rounds 5]

Builds a database for Thành phố Hồ Chí Minh (168 communes) with the province's "Tổng hợp Biểu 06"
for five quarters, each commune's row filled with figures of its own (one commune's last quarter
ten times its usual, for the history check to find). Then it measures, medians of ``--rounds``:
- computing the overview (desktop.app.picture.overview over the report's findings) and the trends;
- building the dialog and painting it whole, offscreen (the charts and the 168-row table).
Target (issue 19): the 168 units painted in under 300 ms. Exits 1 when missed.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from desktop.app.picture import overview, ranked_by, trends  # noqa: E402
from desktop.app.units import setup_unit  # noqa: E402
from desktop.foundation.paths import forms_dir  # noqa: E402
from desktop.foundation.periods import Period  # noqa: E402
from desktop.registry import load_catalog  # noqa: E402
from desktop.report import ops  # noqa: E402
from desktop.report.data import ReportData  # noqa: E402
from desktop.rules.engine import validate  # noqa: E402
from desktop.store.db import Store  # noqa: E402

TARGET = 0.300
QUARTERS = [(2024, 3), (2024, 4), (2025, 1), (2025, 2), (2025, 3)]


def row_figures(n: int, quarter: int, planted: bool) -> dict[str, int]:
    online, direct, carried = 100 + (n * 7 + quarter) % 170, 500 + (n * 13 + quarter * 5) % 390, n % 30
    if planted:
        online, direct = online * 10, direct * 10
    received = online + direct + carried
    early, late, pending = n % 70, (n + quarter) % 30, 50 + n % 40
    on_time = received - pending - early - late
    return {"nhan_tong": received, "nhan_truc_tuyen": online, "nhan_truc_tiep": direct, "ky_truoc": carried,
            "da_tong": early + on_time + late, "da_truoc_han": early, "da_dung_han": on_time, "da_qua_han": late,
            "dang_tong": pending, "dang_trong_han": pending, "dang_qua_han": 0}


def build(path: Path, province: str, catalog) -> int:
    with Store.open(path, daily_backup=False) as store:
        setup_unit(store, province)
        communes = [u.code for u in store.units.children(province)]
        report = None
        for number, (year, quarter) in enumerate(QUARTERS):
            report, _ = ops.create_report(store, catalog, province, Period("quy", year, quarter), "toanquoc-06-tinh", 1)
            last = number == len(QUARTERS) - 1
            entries, totals = [], {}
            for n, code in enumerate(communes):
                for column, value in row_figures(n, quarter, last and n == 7).items():
                    entries.append((f"unit:{code}", column, str(value)))
                    totals[column] = totals.get(column, 0) + value
            entries += [("tong", column, str(value)) for column, value in totals.items()]
            ops.enter_cells(store, catalog, report, "06TH", entries)
        return report


def main() -> int:
    from PySide6.QtWidgets import QApplication

    from desktop.ui.charts import PictureDialog

    parser = argparse.ArgumentParser()
    parser.add_argument("--province", default="79.2025")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    app = QApplication.instance() or QApplication([])
    catalog = load_catalog(forms_dir())
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "tinh.db"
        report = build(path, args.province, catalog)
        with Store.open(path, daily_backup=False) as store:
            data = ReportData(store, catalog, report)
            findings = validate(data)
            computed, painted = [], []
            for _ in range(args.rounds):
                start = time.perf_counter()
                units = overview(data, findings)
                found = trends(store, catalog, report)
                computed.append(time.perf_counter() - start)

                start = time.perf_counter()
                dialog = PictureDialog(None, data, found, units, ranked_by(data))
                dialog.resize(1024, 720)
                dialog.grab()  # laid out and painted whole, offscreen
                painted.append(time.perf_counter() - start)
                dialog.deleteLater()
                app.processEvents()
            unusual = [u.name for u in units if u.unusual]
            floor = statistics.median(_bare_table(app, len(units), args.rounds))
    compute, paint = statistics.median(computed), statistics.median(painted)
    print(f"| Measure ({len(units)} units, 5 quarters) | Median | Target | Met |")
    print("|---|---|---|---|")
    print(f"| Overview and trends computed | {compute * 1000:.0f} ms | — | — |")
    print(f"| Dialog built and painted (charts and the {len(units)}-row table) | {paint * 1000:.0f} ms | "
          f"< {TARGET * 1000:.0f} ms | {'yes' if paint < TARGET else 'NO'} |")
    print(f"| – beside it: a bare QTableWidget of {len(units)} rows × 6 columns in a dialog of that size, "
          f"built and painted | {floor * 1000:.0f} ms | — | — |")
    print(f"Units with unusual figures: {', '.join(unusual) or 'none'}")
    return 0 if paint < TARGET else 1


def _bare_table(app, rows: int, rounds: int) -> list[float]:
    """The peer: Qt alone building and painting a table of as many rows, no charts, no data of ours."""
    from PySide6.QtWidgets import QDialog, QTableWidget, QTableWidgetItem, QVBoxLayout

    samples = []
    for _ in range(rounds):
        start = time.perf_counter()
        dialog = QDialog()
        table = QTableWidget(rows, 6)
        for r in range(rows):
            for c in range(6):
                table.setItem(r, c, QTableWidgetItem(f"{r * c}"))
        QVBoxLayout(dialog).addWidget(table)
        dialog.resize(1024, 720)
        dialog.grab()
        samples.append(time.perf_counter() - start)
        dialog.deleteLater()
        app.processEvents()
    return samples


if __name__ == "__main__":
    sys.exit(main())

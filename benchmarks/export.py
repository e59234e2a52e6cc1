"""Export benchmarks: the largest demo report to Excel and to PDF, and the Excel import.

    .venv/bin/python benchmarks/export.py [--rounds N]

Prints a Markdown table (paste it into docs/BENCHMARKS.md) and exits 1 if a
figure misses its target.  Targets (issue 5):
- exporting the largest demo report to .xlsx: < 1 s
- exporting it to PDF: < 1 s
The import of that workbook has no target; it is measured so it stays in view.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

from core import print_table, timed  # benchmarks/core.py: one way of timing and reporting

from desktop.app.demo import load_demo
from desktop.exchange.pdf import write_pdf
from desktop.exchange.xlsx import import_xlsx, write_xlsx
from desktop.foundation.paths import forms_dir
from desktop.registry import load_catalog
from desktop.store.db import Store

TARGETS = {"xlsx": 1.0, "pdf": 1.0}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=10)
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        catalog = load_catalog(forms_dir())
        with Store.open(Path(folder) / "demo.db") as store:
            load_demo(store, catalog)
            sizes = {r.id: sum(len(cols) for rows_ in store.cells.get(r.id).values() for cols in rows_.values())
                     for r in store.reports.all()}
            report = max(sizes, key=sizes.get)
            unit = store.units.get(store.reports.get(report).unit_code).name
            xlsx, pdf = Path(folder) / "bc.xlsx", Path(folder) / "bc.pdf"
            write_pdf(store, catalog, report, pdf)  # fonts registered once per process, as in the app
            samples = timed(lambda: write_xlsx(store, catalog, report, xlsx), args.rounds)
            rows.append(("xlsx", f"Xuất Excel báo cáo lớn nhất ({unit}, {sizes[report]} ô)",
                         statistics.median(samples)))
            samples = timed(lambda: write_pdf(store, catalog, report, pdf), args.rounds)
            rows.append(("pdf", f"Xuất PDF báo cáo đó ({_pages(pdf)} trang)", statistics.median(samples)))
            samples = timed(lambda: import_xlsx(store, catalog, report, xlsx), args.rounds)
            rows.append(("import", "Nhập lại tệp Excel đó (kiểm tra bố cục + giá trị)", statistics.median(samples)))
    return print_table(rows, TARGETS)

def _pages(path: Path) -> int:
    from pypdf import PdfReader  # the test extra, installed with the Quick start

    return len(PdfReader(path).pages)


if __name__ == "__main__":
    sys.exit(main())

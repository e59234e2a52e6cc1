"""Export benchmarks: the largest demo report to Excel and to PDF, and the Excel import.

    .venv/bin/python benchmarks/export.py [--rounds N]

Prints a Markdown table (paste it into docs/BENCHMARKS.md) and exits 1 if a
figure misses its target.  Targets (issue 5):
- exporting the largest demo report to .xlsx: < 1 s
- exporting it to PDF: < 1 s
The import of that workbook has no target; it is measured so it stays in view.
Beside each, a peer measured in the same run: openpyxl alone writing the same values with no
style or layout, LibreOffice (headless, a process) printing the exported workbook to PDF, and
openpyxl alone reading the workbook back.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from docx import Document
from openpyxl import Workbook, load_workbook

from core import print_table, timed  # benchmarks/core.py: one way of timing and reporting

from desktop.app.demo import load_demo
from desktop.exchange.docx import write_docx
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
            _read(xlsx)  # the values the peer writes, read before it is timed
            rows.append(("xlsx_peer", "  – bên cạnh: openpyxl một mình ghi cùng các giá trị (không định dạng)",
                         statistics.median(timed(lambda: _plain_workbook(xlsx, Path(folder) / "tho.xlsx"),
                                                 args.rounds))))
            samples = timed(lambda: write_pdf(store, catalog, report, pdf), args.rounds)
            rows.append(("pdf", f"Xuất PDF báo cáo đó ({_pages(pdf)} trang)", statistics.median(samples)))
            office = shutil.which("soffice")
            if office:
                _libreoffice_pdf(office, xlsx, Path(folder))  # its profile made once, before it is timed
                rows.append(("pdf_peer", "  – bên cạnh: LibreOffice in tệp Excel đó ra PDF (một tiến trình)",
                             statistics.median(timed(lambda: _libreoffice_pdf(office, xlsx, Path(folder)),
                                                     max(3, args.rounds // 3)))))
            docx = Path(folder) / "bc.docx"
            samples = timed(lambda: write_docx(store, catalog, report, docx), args.rounds)
            rows.append(("docx", "Xuất văn bản Word báo cáo đó", statistics.median(samples)))
            rows.append(("docx_peer", "  – bên cạnh: python-docx một mình mở và ghi lại tệp đó",
                         statistics.median(timed(lambda: Document(str(docx)).save(str(Path(folder) / "lai.docx")),
                                                 args.rounds))))
            samples = timed(lambda: import_xlsx(store, catalog, report, xlsx), args.rounds)
            rows.append(("import", "Nhập lại tệp Excel đó (kiểm tra bố cục + giá trị)", statistics.median(samples)))
            rows.append(("import_peer", "  – bên cạnh: openpyxl một mình đọc tệp đó",
                         statistics.median(timed(lambda: load_workbook(xlsx, data_only=True), args.rounds))))
    return print_table(rows, TARGETS)


def _plain_workbook(source: Path, target: Path) -> None:
    """The exported workbook's values written again by openpyxl with nothing else: the library's floor."""
    values = [[list(row) for row in sheet.iter_rows(values_only=True)] for sheet in _read(source).worksheets]
    book = Workbook()
    for rows in values:
        sheet = book.create_sheet()
        for row in rows:
            sheet.append(row)
    book.save(target)


def _read(path: Path):
    if path not in _READ:
        _READ[path] = load_workbook(path)
    return _READ[path]


_READ: dict = {}


def _libreoffice_pdf(office: str, xlsx: Path, folder: Path) -> None:
    profile = folder / "lo-profile"  # its own profile: a first run's setup is not measured twice
    subprocess.run([office, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(folder / "lo"), str(xlsx)], check=True, capture_output=True, timeout=120)

def _pages(path: Path) -> int:
    from pypdf import PdfReader  # the test extra, installed with the Quick start

    return len(PdfReader(path).pages)


if __name__ == "__main__":
    sys.exit(main())

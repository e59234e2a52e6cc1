"""PAR index and report body benchmarks.

    .venv/bin/python benchmarks/par.py [--rounds N]

Prints a Markdown table (paste it into docs/BENCHMARKS.md) and exits 1 if a figure
misses its target. Targets (issue 7, ours: a clerk should not wait after typing a score
or a word):
- scoring one sheet (the district's, 98 criteria) with its checks: < 50 ms
- the district's analysis with its 7 communes, as PDF: < 1 s; as Word: < 1 s
- resolving Khánh Sơn's body (its placeholders) and checking its figures: < 100 ms
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

from core import print_table, timed  # benchmarks/core.py: one way of timing and reporting

from desktop.app.demo import load_demo
from desktop.exchange.docx import write_docx
from desktop.exchange.pdf import write_pdf
from desktop.kinds.narrative import check, rendered_sections
from desktop.kinds.par.scoring import score_report
from desktop.foundation.paths import forms_dir
from desktop.report.data import ReportData
from desktop.registry import load_catalog
from desktop.store.db import Store

TARGETS = {"score": 0.050, "analysis_pdf": 1.0, "analysis_docx": 1.0, "narrative": 0.100}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=10)
    rounds = parser.parse_args().rounds
    folder = Path(tempfile.mkdtemp())
    catalog = load_catalog(forms_dir())
    with Store.open(folder / "demo.db", daily_backup=False) as store:
        load_demo(store, catalog)
        ids = {r.unit_code: r.id for r in store.reports.all()}
        district = ids["KT.KR"]
        criteria = catalog.get("kontum-huyen-chiso", 1).definition

        def body():
            data = ReportData(store, catalog, ids["KH.KS"])
            rendered_sections(data)
            check(data)

        rows = [
            ("score", "Chấm điểm một bảng (huyện, 98 tiêu chí) và kiểm tra",
             statistics.median(timed(lambda: score_report(store, criteria, district), rounds))),
            ("analysis_pdf", "Báo cáo đánh giá, phân tích (huyện + 7 xã) ra PDF",
             statistics.median(timed(lambda: write_pdf(store, catalog, district, folder / "a.pdf"), rounds))),
            ("analysis_docx", "Báo cáo đánh giá, phân tích ra Word",
             statistics.median(timed(lambda: write_docx(store, catalog, district, folder / "a.docx"), rounds))),
            ("narrative", "Nội dung báo cáo Khánh Sơn: điền số liệu và kiểm tra số gõ tay",
             statistics.median(timed(body, rounds))),
            ("score_floor", "  – sàn của việc chấm: đọc các ô của bảng đó",
             statistics.median(timed(lambda: store.cells.get(district), rounds))),
            ("pdf_peer", "  – bên cạnh bản PDF: ReportLab một mình in cùng số trang chữ",
             statistics.median(timed(lambda: _reportlab_alone(folder / "a.pdf", folder / "tho.pdf"), rounds))),
        ]
    return print_table(rows, TARGETS)


def _reportlab_alone(printed: Path, target: Path) -> None:
    """The analysis' text, page by page, drawn by ReportLab's canvas in a built-in font: the library's floor."""
    from pypdf import PdfReader
    from reportlab.pdfgen.canvas import Canvas

    if printed not in _TEXT:
        _TEXT[printed] = [page.extract_text() for page in PdfReader(printed).pages]
    canvas = Canvas(str(target))
    for text in _TEXT[printed]:
        y = 800
        for line in text.splitlines():
            canvas.drawString(40, y, line.encode("ascii", "replace").decode())
            y -= 12
        canvas.showPage()
    canvas.save()


_TEXT: dict = {}


if __name__ == "__main__":
    sys.exit(main())

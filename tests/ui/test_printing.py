"""Printing gives the pages of the PDF export: same count, same orientation, same look."""

import pypdfium2
import pytest
from pypdf import PdfReader
from PySide6.QtPrintSupport import QPrinter, QPrintPreviewWidget

from desktop.app.demo import load_demo
from desktop.exchange.pdf import render_pdf
from desktop.foundation.paths import forms_dir
from desktop.report.data import ReportData
from desktop.registry import load_catalog
from desktop.store.db import Store
from desktop.ui.printing import PdfPages, preview_dialog


@pytest.fixture(scope="module")
def ke_sach_pdf(tmp_path_factory):
    catalog = load_catalog(forms_dir())
    with Store.open(tmp_path_factory.mktemp("demo") / "demo.db") as store:
        load_demo(store, catalog)
        report = next(r.id for r in store.reports.all() if r.unit_code == "ST.KS")
        return render_pdf(ReportData(store, catalog, report))


def _ink(document, index: int, dpi: int = 100, rotation: int = 0) -> tuple[int, int, int, int, int]:
    """Where a page has ink (bounding box, in pixels) and how much: the printed copy is a
    raster of the exported page, so anti-aliasing differs but the layout must not."""
    bitmap = document[index].render(scale=dpi / 72, grayscale=True, rotation=rotation)
    width, height, stride, pixels = bitmap.width, bitmap.height, bitmap.stride, bytes(bitmap.buffer)
    dark = [(x, y) for y in range(height) for x in range(width) if pixels[y * stride + x] < 128]
    xs, ys = [p[0] for p in dark], [p[1] for p in dark]
    return min(xs), max(xs), min(ys), max(ys), len(dark)


def _same_layout(a, b) -> bool:
    return all(abs(p - q) <= 3 for p, q in zip(a[:4], b[:4])) and abs(a[4] - b[4]) <= 0.25 * a[4]


def test_printing_gives_the_pdf_pages_on_a4_sheets_landscape_ones_turned(qtbot, tmp_path, ke_sach_pdf):
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    printer.setResolution(300)  # a printer's resolution: small annex text survives the raster
    PdfPages(ke_sach_pdf).paint(printer)
    exported, printed = PdfReader(__import__("io").BytesIO(ke_sach_pdf)), PdfReader(tmp_path / "printed.pdf")
    assert len(printed.pages) == len(exported.pages) > 20
    turned = [float(p.mediabox.width) > float(p.mediabox.height) for p in exported.pages]
    assert any(turned) and not all(turned)
    for page in printed.pages:  # one paper orientation for the whole job, as printers take it
        assert float(page.mediabox.width) < float(page.mediabox.height)
    original = pypdfium2.PdfDocument(ke_sach_pdf)
    copy = pypdfium2.PdfDocument(str(tmp_path / "printed.pdf"))
    for index in (0, 7, len(original) - 1):  # the report, 4B (landscape), the last annex
        # a landscape page lies on its sheet turned a quarter anticlockwise (270° clockwise)
        ours = _ink(original, index, rotation=270 if turned[index] else 0)
        assert _same_layout(ours, _ink(copy, index)), index
        neighbour = index + 1 if index + 1 < len(original) else 1
        assert not _same_layout(ours, _ink(original, neighbour, rotation=270 if turned[neighbour] else 0))


def test_the_preview_dialog_shows_every_page(qtbot, ke_sach_pdf):
    dialog = preview_dialog(ke_sach_pdf)
    qtbot.addWidget(dialog)
    dialog.show()
    preview = dialog.findChild(QPrintPreviewWidget)
    preview.updatePreview()
    qtbot.waitUntil(lambda: preview.pageCount() > 0)
    assert preview.pageCount() == len(PdfReader(__import__("io").BytesIO(ke_sach_pdf)).pages)
    assert dialog.windowTitle() == "Xem trước khi in"


def test_blank_forms_print_from_the_window(demo_window, tmp_path, monkeypatch):
    """Tệp → In biểu mẫu trống (issue 26 §4): the open report's set offered first, one form chosen."""
    from PySide6.QtWidgets import QInputDialog

    from desktop.ui import dialogs

    window = demo_window
    kesach = next(r.id for r in window.store.reports.all() if r.unit_code == "ST.KS")
    window.open_report(kesach)
    asked = []

    def answer(parent, title, label, items, current, editable):
        asked.append((label, items[current]))
        return (items[current] if label == "Bộ biểu mẫu:" else next(i for i in items if i.startswith("Biểu mẫu 5B"))), True

    monkeypatch.setattr(QInputDialog, "getItem", answer)
    out = dialogs.print_blank_forms(window, path=str(tmp_path / "trong.pdf"))
    assert out is not None and out.exists()
    assert asked[0][1].startswith("Bộ biểu mẫu báo cáo CCHC cấp huyện – tỉnh Sóc Trăng")
    assert asked[1][1] == dialogs.ALL_FORMS
    pages = PdfReader(out).pages
    assert "Biểu mẫu 5B" in pages[0].extract_text() and len(pages) <= 2

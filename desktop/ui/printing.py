"""Print preview and printing of a report: the very pages of its PDF export.

The printed copy is what the chairman signs, so it must match the PDF that
goes up with the package.  Rather than lay the report out a second time with
Qt, each PDF page is rendered by PDFium (pypdfium2) at the printer's
resolution and painted on its own sheet of A4.  The job stays portrait: a
landscape annex page is turned a quarter anticlockwise onto the sheet (its
top along the sheet's left edge), as printers do, because a printer cannot be
switched between orientations in the middle of a job. The preview shows it the
right way up across the sheet instead.
"""

from __future__ import annotations

import pypdfium2
from PySide6.QtCore import QMarginsF, QRect
from PySide6.QtGui import QGuiApplication, QImage, QPageLayout, QPageSize, QPainter, QPaintEngine
from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog, QPrintPreviewWidget
from PySide6.QtWidgets import QWidget

MAX_DPI = 300  # a 600 dpi A4 page would be a 100 MB image; 300 dpi prints text crisply


class PdfPages:
    """The pages of one PDF, painted onto a QPrinter (a real printer, a PDF file or the preview)."""

    def __init__(self, content: bytes) -> None:
        self.document = pypdfium2.PdfDocument(content)

    def __len__(self) -> int:
        return len(self.document)

    def landscape(self, index: int) -> bool:
        width, height = self.document[index].get_size()
        return width > height

    def image(self, index: int, dpi: float) -> QImage:
        page = self.document[index]
        bitmap = page.render(scale=dpi / 72, rev_byteorder=True)  # RGB, as QImage.Format_RGB888 reads it
        image = QImage(bitmap.buffer, bitmap.width, bitmap.height, bitmap.stride, QImage.Format.Format_RGB888)
        return image.copy()  # own the pixels: the bitmap's buffer goes when it does

    def paint(self, printer: QPrinter) -> None:
        """Every page on its own A4 sheet, full bleed: the PDF already holds the official margins."""
        if len(self) == 0:
            return
        if not printer.paintingActive():
            printer.setFullPage(True)
            printer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Portrait,
                                              QMarginsF()))
        painter = QPainter()
        if not painter.begin(printer):
            return
        try:
            dpi = min(printer.resolution(), MAX_DPI)
            # Qt's preview records pages as pictures, each in the first page's (portrait) frame: there a
            # landscape page is shown upright across the sheet; a printer or a PDF gets it turned
            on_screen = painter.paintEngine().type() == QPaintEngine.Type.Picture
            sheet = printer.pageLayout().fullRectPixels(printer.resolution())
            width, height = sheet.width(), sheet.height()
            for index in range(len(self)):
                if index:
                    printer.newPage()
                painter.save()
                if self.landscape(index) and on_screen:  # the preview: the page the right way up, sheet-wide
                    high = int(width * width / height)
                    painter.drawImage(QRect(0, (height - high) // 2, width, high), self.image(index, dpi))
                elif self.landscape(index):
                    painter.translate(0, height)
                    painter.rotate(-90)
                    painter.drawImage(QRect(0, 0, height, width), self.image(index, dpi))
                else:
                    painter.drawImage(QRect(0, 0, width, height), self.image(index, dpi))
                painter.restore()
        finally:
            painter.end()


def preview_dialog(content: bytes, parent: QWidget | None = None) -> QPrintPreviewDialog:
    """Qt's print preview (in Vietnamese with the qtbase_vi translation) over the report's PDF pages."""
    pages = PdfPages(content)
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setFullPage(True)
    printer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Portrait,
                                      QMarginsF()))
    dialog = QPrintPreviewDialog(printer, parent)
    dialog.setWindowTitle("Xem trước khi in")
    dialog.paintRequested.connect(pages.paint)
    # The dialog does not own the printer: without these references Python frees it
    # (and the pages) while the dialog still paints on it.
    dialog.cchc_printer, dialog.cchc_pages = printer, pages
    screen = (parent.screen() if parent is not None else None) or QGuiApplication.primaryScreen()
    if screen is not None:  # a readable page: most of the screen, the page as wide as it fits
        room = screen.availableGeometry()
        dialog.resize(int(room.width() * 0.9), int(room.height() * 0.9))
    for widget in dialog.findChildren(QPrintPreviewWidget):
        widget.fitToWidth()
    return dialog

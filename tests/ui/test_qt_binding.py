"""The Qt binding keeps Python's reference counts right (pyproject pins PySide6 for this).

PySide6 6.12.0 on Python 3.11 takes one reference from None on each call of a
method that returns nothing; painting a table makes thousands of such calls and
the process aborts ("none_dealloc").  A binding with that bug fails here."""

import sys

from PySide6.QtCore import QRect
from PySide6.QtGui import QImage, QPainter


def test_void_calls_leave_none_alone():
    image = QImage(20, 20, QImage.Format_ARGB32)
    painter = QPainter(image)
    try:
        before = sys.getrefcount(None)
        for _ in range(2000):
            painter.drawRect(QRect(0, 0, 5, 5))
            painter.save()
            painter.restore()
        assert sys.getrefcount(None) >= before - 50  # a few references come and go; 6.12.0 loses 6000
    finally:
        painter.end()

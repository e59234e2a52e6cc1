"""Unexpected errors: logged to a file with the traceback, shown as one short Vietnamese sentence.

Never a traceback dialog: ``install()`` replaces ``sys.excepthook`` so that an
error escaping a Qt slot is handled the same way.
"""

from __future__ import annotations

import logging
import sys
import traceback

from PySide6.QtWidgets import QApplication, QMessageBox

from desktop.foundation.messages import msg
from desktop.foundation.paths import log_path

_log = logging.getLogger("cchc")


def _write_log(error: BaseException) -> str:
    path = log_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        if not _log.handlers:
            handler = logging.FileHandler(path, encoding="utf-8")
            handler.setFormatter(logging.Formatter("%(asctime)s %(message)s"))
            _log.addHandler(handler)
        _log.error("%s", "".join(traceback.format_exception(type(error), error, error.__traceback__)))
    except OSError:
        sys.stderr.write("".join(traceback.format_exception(type(error), error, error.__traceback__)))
    return str(path)


def report_unexpected(parent, error: BaseException) -> str:
    """Log ``error`` and tell the clerk briefly; returns the message shown."""
    text = msg("APP001", reason=type(error).__name__, log=_write_log(error))
    if QApplication.instance() is not None:
        QMessageBox.critical(parent, "CCHC Desktop", text)
    else:
        sys.stderr.write(text + "\n")
    return text


def install() -> None:
    def hook(kind, error, tb):
        if issubclass(kind, KeyboardInterrupt):
            return sys.__excepthook__(kind, error, tb)
        error.__traceback__ = tb
        window = QApplication.activeWindow()
        report_unexpected(window, error)

    sys.excepthook = hook

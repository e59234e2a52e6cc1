"""UI tests run offscreen: no screen is needed, in CI or here."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def no_dialogs(monkeypatch):
    """Message boxes answer at once and are recorded (a modal box would block the test)."""
    from PySide6.QtWidgets import QMessageBox

    shown = []

    def record(kind, answer):
        def box(parent, title, text, *args, **kwargs):
            shown.append((kind, text))
            return answer
        return box

    monkeypatch.setattr(QMessageBox, "warning", record("warning", QMessageBox.Ok))
    monkeypatch.setattr(QMessageBox, "critical", record("critical", QMessageBox.Ok))
    monkeypatch.setattr(QMessageBox, "information", record("information", QMessageBox.Ok))
    monkeypatch.setattr(QMessageBox, "question", record("question", QMessageBox.Yes))
    return shown


@pytest.fixture
def demo_window(qtbot, tmp_path, no_dialogs):
    """The real main window over a fresh demo database, shown offscreen."""
    from desktop.ui.app import build_window, parse_args

    window = build_window(parse_args(["--demo", "--db", str(tmp_path / "demo.db"), "--forms", str(REPO / "forms")]))
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    yield window
    window.store.close()

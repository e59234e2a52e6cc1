"""What several of the window's rooms share: long work behind a progress dialog, showing its
outcome, the signer-mode box, a signed file taken from the body above. A module of its own so that the rooms (dialogs, setup, submission)
import it downward instead of each other."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, QEventLoop, QObject, Qt, QThread, Signal, Slot
from PySide6.QtWidgets import QApplication, QComboBox, QFileDialog, QInputDialog, QProgressDialog, QWidget

from desktop.foundation.messages import CchcError
from desktop.foundation.settings import SIGNER_MODES



class _Worker(QObject):
    finished = Signal(object)
    progressed = Signal(int, int)

    def __init__(self, work, with_progress: bool = False) -> None:
        super().__init__()
        self.work, self.with_progress = work, with_progress

    def run(self) -> None:
        try:
            self.finished.emit(self.work(self.progressed.emit) if self.with_progress else self.work())
        except Exception as error:  # handed back to the window's thread, shown there
            self.finished.emit(error)


class _ProgressBar(QObject):
    def __init__(self, dialog: QProgressDialog) -> None:
        super().__init__(dialog)
        self.dialog = dialog

    @Slot(int, int)
    def show_step(self, done: int, total: int) -> None:
        self.dialog.setMaximum(total)
        self.dialog.setValue(done)


class _InputBlocker(QObject):
    """Swallows the clerk's clicks and keys to the window while work runs: the progress dialog
    only appears after a moment (so quick work does not flash it), and no second action may
    start meanwhile."""

    BLOCKED = {QEvent.MouseButtonPress, QEvent.MouseButtonRelease, QEvent.MouseButtonDblClick, QEvent.KeyPress,
               QEvent.KeyRelease, QEvent.Wheel, QEvent.Shortcut, QEvent.ShortcutOverride, QEvent.Drop}

    def __init__(self, window, progress) -> None:
        super().__init__(window)
        self.window_, self.progress = window, progress
        self.swallowed = 0

    def eventFilter(self, target, event) -> bool:
        if event.type() in self.BLOCKED and isinstance(target, QWidget) and target.window() is self.window_:
            self.swallowed += 1
            return True
        return False


def run_in_background(window, title: str, work, *, with_progress: bool = False):
    """Run ``work`` on a worker thread behind a progress dialog; returns its result or exception.
    With ``with_progress``, ``work(report)`` calls ``report(done, total)`` to move the bar.

    The window stays painted (a local event loop runs) but takes no input: the dialog is modal."""
    progress = QProgressDialog(title, None, 0, 0, window)
    progress.setWindowTitle("CCHC Desktop")
    progress.setWindowModality(Qt.WindowModal)
    progress.setMinimumDuration(250)  # shown within 0,3 s when the work takes longer
    progress.setValue(0)  # starts Qt's timer that shows the dialog after the minimum duration
    blocker = _InputBlocker(window, progress)
    QApplication.instance().installEventFilter(blocker)
    window.input_blocker = blocker  # the tests read how many inputs waited
    thread, worker, loop = QThread(), _Worker(work, with_progress), QEventLoop()
    bar = _ProgressBar(progress)  # lives in this thread: the worker's reports arrive queued
    worker.progressed.connect(bar.show_step)
    worker.moveToThread(thread)
    outcome = []
    worker.finished.connect(outcome.append)
    worker.finished.connect(thread.quit)
    thread.finished.connect(loop.quit)
    thread.started.connect(worker.run)
    thread.start()
    if thread.isRunning():
        loop.exec()
    thread.wait()
    QApplication.instance().removeEventFilter(blocker)
    progress.close()
    return outcome[0] if outcome else None


def shown_outcome(window, outcome) -> bool:
    """What came back from ``run_in_background``: True when it succeeded; a refusal or an
    unexpected error is shown (never a traceback)."""
    if isinstance(outcome, CchcError):
        window.say(str(outcome), warning=True)
        return False
    if isinstance(outcome, Exception):
        from desktop.ui.errors import report_unexpected

        report_unexpected(window, outcome)
        return False
    return True


def signer_mode_box(mode: str) -> QComboBox:
    """How the report is signed (Nghị định 30/2020, Phụ lục I)."""
    box = QComboBox()
    box.addItem("TM. Ủy ban nhân dân – Chủ tịch ký (thay mặt)", "TM")
    box.addItem("TM. Ủy ban nhân dân, KT. Chủ tịch – Phó Chủ tịch ký (ký thay)", "KT")
    box.addItem("TM. Ủy ban nhân dân – Q. Chủ tịch ký (quyền)", "Q")
    box.addItem("TL. Chủ tịch (thừa lệnh)", "TL")
    box.addItem("TUQ. Chủ tịch (thừa ủy quyền)", "TUQ")
    box.setCurrentIndex(SIGNER_MODES.index(mode) if mode in SIGNER_MODES else 0)
    return box


def take_signed_file(window, path: str | None, caption: str, file_filter: str, busy: str, take, confirm):
    """A signed file from the body above (a receipt, a form set), asked for when ``path`` is None:
    ``take(path)`` checks and takes it on a worker; one held for an unregistered signer asks the
    clerk for the fingerprint's digits the body reads out, then ``confirm(held, typed)``. Its
    outcome, the held outcome when the clerk gives up, or None when refused or cancelled."""
    if path is None:
        path, _ = QFileDialog.getOpenFileName(window, caption, "", file_filter)
        if not path:
            return None
    outcome = run_in_background(window, busy, lambda: take(Path(path)))
    if not shown_outcome(window, outcome):
        return None
    if outcome["held"]:  # an unregistered certificate: the clerk compares its fingerprint with the body above
        typed, ok = QInputDialog.getText(window, "Xác nhận chứng thư của cấp trên",
                                         outcome["message"].split(" rồi xác nhận")[0] +
                                         ".\n\nNhập 20 chữ số đầu của dấu vân tay cấp trên đọc cho:")
        if not ok:
            window.say(outcome["message"], warning=True)
            return outcome
        held = outcome["held"]
        outcome = run_in_background(window, busy, lambda: confirm(held, typed))
        if not shown_outcome(window, outcome):
            return None
    return outcome

"""The way up: the report's status, signing, unlocking, and at the district, receiving packages.

Every step calls one operation of the core (``desktop.submission.workflow``, ``desktop.signing``,
``desktop.submission.consolidate``); signing and consolidating run on a worker thread behind a
progress dialog.  Passphrases and PINs live only in the dialog's fields and are dropped
with it.  Each function takes what a dialog would ask as optional arguments, so that the
tests drive the same code without modal dialogs.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (QButtonGroup, QDialog, QDialogButtonBox, QFileDialog, QFormLayout, QHBoxLayout,
                               QHeaderView, QInputDialog, QLabel, QLineEdit, QMessageBox, QPushButton, QRadioButton,
                               QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget)

from desktop.foundation.messages import CchcError, msg
from desktop.foundation.settings import load_settings, save_settings
from desktop.submission import NOT_CA_VERIFIED  # the window starts without the signing stack
from desktop.ui.dialogs import run_in_background, shown_outcome

STATE_COLOURS = {"submitted": "#d8f0d8", "late": "#fde9c8", "missing": "#eeeeee", "rejected": "#f6d0d0"}


@dataclass
class SignChoice:
    """What the signing dialog gathered: one way of signing and where the package goes."""

    mode: str  # p12 | token | new
    folder: Path
    p12_file: str = ""
    secret: str = ""  # the passphrase or PIN; never stored
    library: str = ""
    token_label: str = ""
    new_file: str = ""


# --- status -----------------------------------------------------------------------------------


def mark_checked(window) -> bool:
    """Nháp → Đã kiểm tra: refused with errors; warnings shown and acknowledged first."""
    from desktop.submission.workflow import mark_checked as check

    session = window.session
    if session is None:
        return False
    errors, warnings = session.counts()
    acknowledge = False
    if not errors and warnings:
        answer = QMessageBox.question(
            window, "CCHC Desktop", f"Báo cáo có {warnings} cảnh báo (xem ở bảng Kết quả kiểm tra). "
            "Anh/chị đã xem và xác nhận các cảnh báo này là đúng?")
        if answer != QMessageBox.Yes:
            return False
        acknowledge = True
    result = window.perform(lambda: check(window.store, window.catalog, session.report_id,
                                          acknowledge_warnings=acknowledge))
    if isinstance(result, Exception):
        return False
    window.report_changed_elsewhere()
    window.say(msg("FLOW005", status="Đã kiểm tra"))
    return True


def mark_submitted(window) -> bool:
    from desktop.submission.workflow import mark_submitted as submitted

    if window.session is None:
        return False
    if isinstance(window.perform(lambda: submitted(window.store, window.session.report_id)), Exception):
        return False
    window.report_changed_elsewhere()
    window.say(msg("FLOW005", status="Đã nộp"))
    return True


def unlock_report(window, reason: str | None = None) -> bool:
    """"Mở khóa để sửa": asks why; the reason goes to the audit log, the signature is void."""
    from desktop.submission.workflow import unlock

    if window.session is None:
        return False
    if reason is None:
        reason, ok = QInputDialog.getMultiLineText(
            window, "Mở khóa để sửa", "Lý do mở khóa (được ghi vào nhật ký; chữ ký hiện có sẽ bị hủy và "
            "báo cáo sửa tiếp thành phiên bản mới):")
        if not ok:
            return False
    version = window.perform(lambda: unlock(window.store, window.session.report_id, reason))
    if isinstance(version, Exception):
        return False
    window.report_changed_elsewhere()
    window.say(msg("FLOW006", version=version), warning=True)
    return True


# --- signing ----------------------------------------------------------------------------------


class SignDialog(QDialog):
    """How to sign: a certificate file, a USB token, or a certificate the unit makes now."""

    def __init__(self, window) -> None:
        super().__init__(window)
        self.setWindowTitle("Ký số và tạo gói nộp")
        self.settings = load_settings(window.store)
        signing = self.settings["signing"]
        layout = QVBoxLayout(self)
        self.modes = QButtonGroup(self)
        self.p12_radio = QRadioButton("Chứng thư số dạng tệp (.p12, .pfx)")
        self.token_radio = QRadioButton("Thiết bị ký số (USB token)")
        self.new_radio = QRadioButton(f"Tạo chứng thư tự ký cho đơn vị ({NOT_CA_VERIFIED})")
        for button in (self.p12_radio, self.token_radio, self.new_radio):
            self.modes.addButton(button)
        self.p12_file = QLineEdit(signing["p12_file"])
        self.library = QLineEdit(signing["pkcs11_library"])
        self.library.setPlaceholderText(r"C:\vnpt-ca\cryptoki.dll")
        self.token_label = QLineEdit(signing["token_label"])
        self.new_file = QLineEdit(str(Path(self.settings["folders"]["export"] or Path.home()) / "chung-thu-don-vi.p12"))
        self.secret = QLineEdit()
        self.secret.setEchoMode(QLineEdit.Password)
        self.repeat = QLineEdit()
        self.repeat.setEchoMode(QLineEdit.Password)
        self.folder = QLineEdit(self.settings["folders"]["export"] or str(Path.home()))
        form = QFormLayout()
        layout.addWidget(self.p12_radio)
        form.addRow("Tệp chứng thư:", self._with_browse(self.p12_file, "Chứng thư số (*.p12 *.pfx)"))
        layout.addLayout(form)
        layout.addWidget(self.token_radio)
        token_form = QFormLayout()
        token_form.addRow("Thư viện PKCS#11:", self._with_browse(self.library, "Thư viện (*.dll *.so *.dylib)"))
        token_form.addRow("Nhãn thiết bị (nếu cắm nhiều):", self.token_label)
        layout.addLayout(token_form)
        layout.addWidget(self.new_radio)
        new_form = QFormLayout()
        new_form.addRow("Lưu chứng thư vào:", self.new_file)
        new_form.addRow("Nhắc lại mật khẩu:", self.repeat)
        layout.addLayout(new_form)
        common = QFormLayout()
        common.addRow("Mật khẩu / mã PIN:", self.secret)
        common.addRow("Lưu gói nộp vào thư mục:", self.folder)
        layout.addLayout(common)
        note = QLabel("Mật khẩu và mã PIN không được lưu lại. Sau khi ký, báo cáo bị khóa; muốn sửa phải "
                      "“Mở khóa để sửa” và ký lại phiên bản mới.")
        note.setWordWrap(True)
        layout.addWidget(note)
        buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        buttons.button(QDialogButtonBox.Ok).setText("Ký và tạo gói")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        (self.token_radio if signing["pkcs11_library"] else self.p12_radio if signing["p12_file"]
         else self.new_radio).setChecked(True)

    def _with_browse(self, field: QLineEdit, filter_: str) -> QWidget:
        box = QWidget()
        row = QHBoxLayout(box)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(field)
        button = QPushButton("Chọn…")
        button.clicked.connect(lambda: field.setText(QFileDialog.getOpenFileName(self, "Chọn tệp", field.text(),
                                                                               filter_)[0] or field.text()))
        row.addWidget(button)
        return box

    def choice(self) -> SignChoice:
        mode = "token" if self.token_radio.isChecked() else "new" if self.new_radio.isChecked() else "p12"
        return SignChoice(mode, Path(self.folder.text().strip()), self.p12_file.text().strip(), self.secret.text(),
                          self.library.text().strip(), self.token_label.text().strip(), self.new_file.text().strip())

    def accept(self) -> None:
        if self.new_radio.isChecked() and self.secret.text() != self.repeat.text():
            QMessageBox.warning(self, "CCHC Desktop", "Hai lần nhập mật khẩu không giống nhau.")
            return
        super().accept()


def _open_identity(window, choice: SignChoice):
    from desktop.foundation.files import write_atomically
    from desktop.submission.identity import create_self_signed, load_p12, open_token, read_p12

    if choice.mode == "token":
        return open_token(choice.library, choice.secret, token_label=choice.token_label or None)
    if choice.mode == "new":
        unit = window.store.unit(window.store.report(window.session.report_id).unit_code)
        data = create_self_signed(unit.code, unit.name, choice.secret)
        write_atomically(Path(choice.new_file), lambda temporary: temporary.write_bytes(data), private=True)
        return load_p12(data, choice.secret, Path(choice.new_file).name)
    return read_p12(Path(choice.p12_file), choice.secret)


def _remember(window, choice: SignChoice) -> None:
    """The certificate file or token library for next time (never the passphrase or PIN)."""
    settings = load_settings(window.store)
    signing = settings["signing"]
    if choice.mode == "token":
        signing.update(pkcs11_library=choice.library, token_label=choice.token_label)
    else:
        signing.update(p12_file=choice.new_file if choice.mode == "new" else choice.p12_file, pkcs11_library="")
    try:
        save_settings(window.store, settings)
    except CchcError:
        pass  # remembering is a convenience; the package is signed already


def sign_report(window, choice: SignChoice | None = None) -> Path | None:
    """Check (when still Nháp), sign with the chosen certificate, write the package; the report locks."""
    from desktop.submission.package import sign_report as sign

    session = window.session
    if session is None:
        return None
    if window.store.report(session.report_id).status == "nhap" and not mark_checked(window):
        return None
    if choice is None:
        dialog = SignDialog(window)
        if dialog.exec() != QDialog.Accepted:
            return None
        choice = dialog.choice()
    report_id = session.report_id

    def work():
        with _open_identity(window, choice) as identity:
            return sign(window.store, window.catalog, report_id, identity, choice.folder)

    outcome = run_in_background(window, "Đang ký số và tạo gói nộp…", work)
    choice.secret = ""
    if not shown_outcome(window, outcome):
        return None
    _remember(window, choice)
    window.report_changed_elsewhere()
    path = Path(outcome.filename)
    window.say(msg("PKG001", file=path, size=max(1, len(outcome.package) // 1024)))
    return path


# --- receiving packages -----------------------------------------------------------------------


def verify_package(window, path: str | None = None):
    """Check one package and say what was found; the store is not touched."""
    from desktop.submission.verify import load_trust_roots, verify_file

    if path is None:
        path, _ = QFileDialog.getOpenFileName(window, "Kiểm tra gói nộp", "", "Gói báo cáo CCHC (*.cchc)")
        if not path:
            return None
    roots = load_settings(window.store)["signing"]["trusted_roots"]
    outcome = run_in_background(window, "Đang kiểm tra gói…",
                                lambda: verify_file(Path(path), window.catalog, load_trust_roots(roots)))
    if not shown_outcome(window, outcome):
        return None
    text = outcome.message
    if outcome.valid:
        text += ("" if outcome.signer["ca_verified"] else f"\nChứng thư: {NOT_CA_VERIFIED}.") + \
            "\n" + outcome.findings["message"]
        QMessageBox.information(window, "Kiểm tra gói nộp", text)
    else:
        QMessageBox.warning(window, "Kiểm tra gói nộp", text)
    return outcome


class ConsolidationDialog(QDialog):
    """The completeness matrix (units × periods) and what happened to each package."""

    def __init__(self, window, result) -> None:
        super().__init__(window)
        self.setWindowTitle("Tổng hợp từ gói của đơn vị cấp dưới")
        self.resize(900, 560)
        layout = QVBoxLayout(self)
        matrix = result.matrix
        layout.addWidget(QLabel("<b>Tình hình nộp báo cáo</b>"))
        self.matrix = QTableWidget(len(matrix["units"]), 1 + len(matrix["periods"]))
        self.matrix.setHorizontalHeaderLabels(["Đơn vị"] + [p[:1].upper() + p[1:] for p in matrix["periods"]])
        self.matrix.verticalHeader().hide()
        for r, unit in enumerate(matrix["units"]):
            self.matrix.setItem(r, 0, QTableWidgetItem(unit["name"]))
            for c, period in enumerate(matrix["periods"], 1):
                cell = unit["cells"][period]
                text = cell["label"]
                if cell.get("version"):
                    text += f" (phiên bản {cell['version']}, nhận {cell['received_at']}, ghi ký {cell['signed_at']})"
                    if not cell["ca_verified"]:
                        text += f" – {NOT_CA_VERIFIED}"
                item = QTableWidgetItem(text)
                item.setToolTip(cell.get("reason", text))
                item.setBackground(QBrush(QColor(STATE_COLOURS[cell["state"]])))
                self.matrix.setItem(r, c, item)
        self.matrix.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeToContents)
        self.matrix.horizontalHeader().setStretchLastSection(True)
        layout.addWidget(self.matrix, 2)
        layout.addWidget(QLabel("<b>Các gói đã nhận</b>"))
        self.received = QTableWidget(len(result.received), 2)
        self.received.setHorizontalHeaderLabels(["Tệp", "Kết quả"])
        self.received.verticalHeader().hide()
        labels = {"accepted": "Đã nhận", "superseded": "Đã nhận (có phiên bản mới hơn)", "rejected": "Từ chối"}
        for r, item in enumerate(result.received):
            self.received.setItem(r, 0, QTableWidgetItem(item.file))
            cell = QTableWidgetItem(f"{labels[item.status]}: {item.message}")
            cell.setToolTip(item.message)
            if item.status == "rejected":
                cell.setForeground(Qt.darkRed)
            self.received.setItem(r, 1, cell)
        self.received.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeToContents)
        self.received.horizontalHeader().setStretchLastSection(True)
        layout.addWidget(self.received, 1)
        errors = sum(1 for f in result.findings if f.severity == "error")
        accepted = sum(1 for r in result.received if r.status == "accepted")
        layout.addWidget(QLabel(msg("CONS004", units=accepted, report=result.report_id, filled=result.filled)
                                + " " + msg("CLI004", errors=errors, warnings=len(result.findings) - errors)))
        buttons = QDialogButtonBox(QDialogButtonBox.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)


def consolidate_packages(window, paths: list[str] | None = None, *, show: bool = True):
    """Receive child units' packages into the open report, then show the matrix."""
    from desktop.submission.consolidate import consolidate

    session = window.session
    if session is None:
        return None
    if paths is None:
        paths, _ = QFileDialog.getOpenFileNames(window, "Chọn các gói nộp của đơn vị cấp dưới",
                                                load_settings(window.store)["folders"]["export"],
                                                "Gói báo cáo CCHC (*.cchc)")
        if not paths:
            return None
    roots = load_settings(window.store)["signing"]["trusted_roots"]
    report_id = session.report_id
    outcome = run_in_background(
        window, "Đang kiểm tra và tổng hợp các gói…",
        lambda report: consolidate(window.store, window.catalog, report_id, [Path(p) for p in paths],
                                   root_paths=roots, progress=report),
        with_progress=True)
    if not shown_outcome(window, outcome):
        return None
    window.report_changed_elsewhere()
    dialog = ConsolidationDialog(window, outcome)
    window.consolidation_dialog = dialog
    if show:
        dialog.exec()
    return outcome

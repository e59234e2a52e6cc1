"""The way up: the report's status, signing, unlocking, and at the district, receiving packages.

Every step calls one operation of the core (``desktop.submission.workflow``, ``desktop.signing``,
``desktop.submission.consolidate``); signing and consolidating run on a worker thread behind a
progress dialog.  Passphrases and PINs live only in the dialog's fields and are dropped
with it.  Each function takes what a dialog would ask as optional arguments, so that the
tests drive the same code without modal dialogs.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (QButtonGroup, QCheckBox, QComboBox, QDateEdit, QDialog, QDialogButtonBox, QFileDialog, QFormLayout, QHBoxLayout,
                               QHeaderView, QInputDialog, QLabel, QLineEdit, QMessageBox, QPushButton, QRadioButton,
                               QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget)

from desktop.foundation.messages import CchcError, msg
from desktop.foundation.settings import load_settings, save_settings
from desktop.submission import NOT_CA_VERIFIED, STATES  # the window starts without the signing stack
from desktop.ui.widgets import run_in_background, shown_outcome, take_signed_file

STATE_COLOURS = {"submitted": "#d8f0d8", "late": "#fde9c8", "missing": "#eeeeee", "rejected": "#f6d0d0",
                 "held": "#fff3a8"}
RECEIVED_LABELS = {"accepted": "Đã nhận", "superseded": "Đã nhận (không phải phiên bản dùng để tổng hợp)",
                   "held": "Chờ xác nhận chứng thư", "rejected": "Từ chối"}
BOUND_BY = {"ca": "CA cấp, ghi mã đơn vị", "enrolled": "Nhập từ tệp chứng thư", "confirmed": "Xác nhận khi nhận gói"}


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
    key_label: str = ""  # the certificate chosen on the token (issue 28 §4), or its only one


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
        self.key_label = signing["key_label"]
        # the tokens found on this machine (the CAs' modules in System32/SysWOW64): picked, not typed
        self.found = QComboBox()
        self.found.setPlaceholderText("Bấm “Tìm thiết bị” để liệt kê chứng thư trên thiết bị đang cắm")
        self.found.setMinimumContentsLength(20)
        self.found.setSizeAdjustPolicy(QComboBox.AdjustToMinimumContentsLengthWithIcon)
        self.found.currentIndexChanged.connect(self._use_found)
        self.found_note = QLabel()
        self.found_note.setWordWrap(True)
        self.found_note.hide()
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
        find = QPushButton("Tìm thiết bị")
        find.setMinimumWidth(find.sizeHint().width() + 16)  # its diacritics need the room the style's hint omits
        find.clicked.connect(lambda: self.find_tokens())
        found_row = QWidget()
        found_layout = QHBoxLayout(found_row)
        found_layout.setContentsMargins(0, 0, 0, 0)
        found_layout.addWidget(self.found, 1)
        found_layout.addWidget(find)
        token_form.addRow("Chứng thư trên thiết bị:", found_row)
        token_form.addRow(self.found_note)
        token_form.addRow("hoặc thư viện PKCS#11:", self._with_browse(self.library, "Thư viện (*.dll *.so *.dylib)"))
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

    def find_tokens(self, folders: list[Path] | None = None) -> int:
        """List the certificates on the tokens plugged in; the first is chosen. How many were found."""
        from desktop.submission.tokens import discover

        # loading the CAs' modules and asking each token may take seconds: on a worker, the dialog painted
        outcome = run_in_background(self, "Đang tìm thiết bị ký số…", lambda: discover(folders))
        if not shown_outcome(self.parentWidget(), outcome):
            return 0
        tokens, problems = outcome
        self.found.blockSignals(True)
        self.found.clear()
        for token in tokens:
            for certificate in token.certificates or [None]:
                if certificate is None:
                    text = f"{token.label} ({token.module.vendor}): chứng thư hiện sau khi nhập mã PIN"
                else:
                    lapsed = "" if certificate.in_force() else " — HẾT HIỆU LỰC"
                    text = (f"{certificate.subject} — {certificate.issuer}, {certificate.valid_from:%d/%m/%Y}–"
                            f"{certificate.valid_to:%d/%m/%Y}{lapsed} ({token.module.vendor}, {token.label})")
                self.found.addItem(text, (str(token.module.path), token.label, certificate.label if certificate else ""))
        self.found.blockSignals(False)
        notes = [problem.message for problem in problems]
        if not tokens:
            notes.insert(0, msg("SIGN013"))
        self.found_note.setText("\n".join(notes))
        self.found_note.setVisible(bool(notes))
        if tokens:
            self.token_radio.setChecked(True)
            self.found.setCurrentIndex(0)
            self._use_found(0)
        self.adjustSize()  # the note's lines take room: the dialog grows rather than overlap them
        return self.found.count()

    def _use_found(self, index: int) -> None:
        chosen = self.found.itemData(index)
        self.found.setToolTip(self.found.itemText(index))  # the whole line, where the box cuts it
        if chosen:
            library, token_label, key_label = chosen
            self.library.setText(library)
            self.token_label.setText(token_label)
            self.key_label = key_label

    def choice(self) -> SignChoice:
        mode = "token" if self.token_radio.isChecked() else "new" if self.new_radio.isChecked() else "p12"
        return SignChoice(mode, Path(self.folder.text().strip()), self.p12_file.text().strip(), self.secret.text(),
                          self.library.text().strip(), self.token_label.text().strip(), self.new_file.text().strip(),
                          self.key_label if mode == "token" else "")

    def accept(self) -> None:
        if self.new_radio.isChecked() and self.secret.text() != self.repeat.text():
            QMessageBox.warning(self, "CCHC Desktop", "Hai lần nhập mật khẩu không giống nhau.")
            return
        super().accept()


def _open_identity(window, choice: SignChoice):
    from desktop.foundation.files import write_atomically
    from desktop.submission.identity import create_self_signed, load_p12, open_token, read_p12

    if choice.mode == "token":
        return open_token(choice.library, choice.secret, token_label=choice.token_label or None,
                          key_label=choice.key_label or None)
    if choice.mode == "new":
        unit = window.store.units.get(window.store.reports.get(window.session.report_id).unit_code)
        data = create_self_signed(unit.code, unit.name, choice.secret)
        write_atomically(Path(choice.new_file), lambda temporary: temporary.write_bytes(data), private=True)
        return load_p12(data, choice.secret, Path(choice.new_file).name)
    return read_p12(Path(choice.p12_file), choice.secret)


def _remember(window, choice: SignChoice) -> None:
    """The certificate file or token library for next time (never the passphrase or PIN)."""
    settings = load_settings(window.store)
    signing = settings["signing"]
    if choice.mode == "token":
        signing.update(pkcs11_library=choice.library, token_label=choice.token_label, key_label=choice.key_label)
    else:
        signing.update(p12_file=choice.new_file if choice.mode == "new" else choice.p12_file, pkcs11_library="")
    try:
        save_settings(window.store, settings)
    except CchcError:
        pass  # remembering is a convenience; the package is signed already


def _signing_step(window, choice: SignChoice | None, title: str | None, busy: str, operation):
    """One step that signs: the way of signing asked (unless ``choice``), then ``operation(identity,
    folder)`` on a worker with the identity open; its outcome, or None when refused or cancelled
    (said to the clerk). The passphrase or PIN is dropped once used."""
    if choice is None:
        dialog = SignDialog(window)
        if title:
            dialog.setWindowTitle(title)
        if dialog.exec() != QDialog.Accepted:
            return None, None
        choice = dialog.choice()

    def work():
        with _open_identity(window, choice) as identity:
            return operation(identity, choice.folder)

    outcome = run_in_background(window, busy, work)
    choice.secret = ""
    return (outcome, choice) if shown_outcome(window, outcome) else (None, choice)


def sign_report(window, choice: SignChoice | None = None) -> Path | None:
    """Check (when still Nháp), sign with the chosen certificate, write the package; the report locks."""
    from desktop.submission.anchors import said_of_check
    from desktop.submission.package import sign_report as sign

    session = window.session
    if session is None:
        return None
    if window.store.reports.get(session.report_id).status == "nhap" and not mark_checked(window):
        return None
    report_id = session.report_id
    outcome, choice = _signing_step(window, choice, None, "Đang ký số và tạo gói nộp…",
                                    lambda identity, folder: sign(window.store, window.catalog, report_id, identity,
                                                                  folder))
    if outcome is None:
        return None
    _remember(window, choice)
    window.report_changed_elsewhere()
    path = Path(outcome.filename)
    # the check before signing, said plainly (Nghị định 23/2025): CA-verified with its path, or not
    trust = said_of_check(outcome.manifest["signer"]["check"])
    window.say(msg("PKG001", file=path, size=max(1, len(outcome.package) // 1024)) + " " + trust)
    return path


def seal_report(window, choice: SignChoice | None = None) -> Path | None:
    """Đóng dấu (chữ ký số cơ quan): the văn thư adds the organisation's signature to a signed
    report with the organisation's certificate; the package is written anew with both."""
    from desktop.submission.anchors import said_of_check
    from desktop.submission.package import seal_report as seal

    session = window.session
    if session is None:
        return None
    report_id = session.report_id
    outcome, _ = _signing_step(window, choice, "Đóng dấu (chữ ký số cơ quan)", "Đang đóng dấu (ký số của cơ quan)…",
                               lambda identity, folder: seal(window.store, window.catalog, report_id, identity, folder))
    if outcome is None:
        return None
    window.report_changed_elsewhere()
    path = Path(outcome.filename)
    window.say(msg("PKG027", file=path, size=max(1, len(outcome.package) // 1024),
                   organisation=outcome.manifest["signer"]["subject"]) + " " + said_of_check(outcome.manifest["signer"]["check"]))
    return path


def publish_form_set(window, folder: Path, choice: SignChoice | None = None) -> Path | None:
    """Phát hành: the province signs the set in ``folder`` as a package for its communes (issue 26 §3)."""
    from desktop.foundation.files import write_atomically
    from desktop.submission.formsets import package_filename, publish

    def work(identity, out):
        data, manifest = publish(folder, identity)
        target = Path(out) / package_filename(manifest)
        write_atomically(target, lambda temporary: temporary.write_bytes(data))
        return target, manifest

    outcome, _ = _signing_step(window, choice, "Phát hành bộ biểu mẫu (ký số của cơ quan)",
                               "Đang ký và phát hành bộ biểu mẫu…", work)
    if outcome is None:
        return None
    target, manifest = outcome
    window.say(msg("FSET020", name=manifest["set"]["name"], version=manifest["set"]["version"], file=target))
    return target


# --- the way back: receipts ---------------------------------------------------------------------


def issue_receipt(window, submission_id: int, accept: bool, reason: str | None = None,
                  choice: SignChoice | None = None) -> Path | None:
    """The parent body's signed receipt for a received package, written to the folder chosen."""
    from desktop.foundation.files import write_atomically
    from desktop.submission.receipts import DECISIONS, issue_receipt as issue, receipt_filename

    def operation(identity, folder: Path):
        data, document = issue(window.store, submission_id, identity, accept=accept, reason=reason)
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / receipt_filename(document)
        write_atomically(target, lambda temporary: temporary.write_bytes(data))
        return target, document

    outcome, _ = _signing_step(window, choice, "Ký phiếu trả lời đơn vị cấp dưới", "Đang ký phiếu…", operation)
    if outcome is None:
        return None
    target, document = outcome
    window.say(msg("RCPT017", decision=DECISIONS[document["decision"]], file=target))
    return target


def import_receipt(window, path: str | None = None) -> dict | None:
    """Tệp → Nhận phiếu của cấp trên: the receipt checked and taken; the report says what it says."""
    from desktop.submission.receipts import confirm_receipt, import_receipt as take

    roots = load_settings(window.store)["signing"]["trusted_roots"]
    outcome = take_signed_file(window, path, "Nhận phiếu của cấp trên", "Phiếu tiếp nhận, trả lại (*.cchcphieu)",
                               "Đang kiểm tra phiếu…", lambda chosen: take(window.store, chosen, roots),
                               lambda held, typed: confirm_receipt(window.store, held, typed, roots))
    if outcome is None or outcome["held"]:
        return outcome
    window.report_changed_elsewhere()
    window.say(outcome["message"], warning=outcome["decision"] == "tra_lai")
    return outcome


# --- what is due ---------------------------------------------------------------------------------

DUE_COLOURS = {"late": "#f6d0d0", "not_started": "#eeeeee", "returned": "#fde9c8", "sent": "#d8f0d8",
               "received": "#d8f0d8"}


class DueDialog(QDialog):
    """Việc cần nộp: the unit's reports by period, with their state and deadline (issue 28 §5);
    a double click opens a report that exists."""

    def __init__(self, window, today: dt.date | None = None) -> None:
        from desktop.submission.due import STATE_LABELS, due

        super().__init__(window)
        self.setWindowTitle("Việc cần nộp")
        self.resize(860, 480)
        own = load_settings(window.store)["unit"]
        units = [own] if own else sorted({r.unit_code for r in window.store.reports.all()})
        self.listed = due(window.store, window.catalog, units, today)
        layout = QVBoxLayout(self)
        late = sum(1 for d in self.listed if d.state == "late")
        layout.addWidget(QLabel(f"<b>{len(self.listed)} báo cáo theo kỳ</b>, {late} quá hạn. Lịch nộp suy ra từ các "
                                "báo cáo đã làm của đơn vị."))
        self.table = QTableWidget(len(self.listed), 5)
        # the state and the deadline before the set's long name, so that a 1024-pixel screen shows them
        self.table.setHorizontalHeaderLabels(["Đơn vị", "Kỳ báo cáo", "Tình trạng", "Hạn nộp", "Bộ biểu mẫu"])
        self.table.verticalHeader().hide()
        for r, item in enumerate(self.listed):
            deadline = dt.date.fromisoformat(item.deadline)
            for c, text in enumerate((item.unit_name, item.period, STATE_LABELS[item.state], f"{deadline:%d/%m/%Y}",
                                      item.form_set_name)):
                cell = QTableWidgetItem(text)
                if item.state in DUE_COLOURS:
                    cell.setBackground(QBrush(QColor(DUE_COLOURS[item.state])))
                self.table.setItem(r, c, cell)
        self.table.setEditTriggers(QTableWidget.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.cellDoubleClicked.connect(lambda row, _: self._open(window, row))
        layout.addWidget(self.table)
        buttons = QDialogButtonBox(QDialogButtonBox.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def _open(self, window, row: int) -> None:
        if self.listed[row].report is not None:
            window.open_report(self.listed[row].report)
            self.accept()


def show_due(window) -> None:
    DueDialog(window).exec()


# --- receiving packages -----------------------------------------------------------------------


def verify_package(window, path: str | None = None):
    """Check one package and say what was found; the store is not touched."""
    from desktop.submission.verify import load_trust_roots, verify_file

    if path is None:
        path, _ = QFileDialog.getOpenFileName(window, "Kiểm tra gói nộp", "", "Gói báo cáo CCHC (*.cchc)")
        if not path:
            return None
    roots = load_settings(window.store)["signing"]["trusted_roots"]
    crls = window.store.revocation_lists.all(with_der=True)
    outcome = run_in_background(window, "Đang kiểm tra gói…",
                                lambda: verify_file(Path(path), window.catalog, load_trust_roots(roots), crls=crls))
    if not shown_outcome(window, outcome):
        return None
    text = outcome.message
    if outcome.valid:
        text += "\n" + outcome.trust + "\n" + outcome.findings["message"]
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
        top = QHBoxLayout()
        top.addWidget(QLabel(f"<b>Tình hình nộp báo cáo</b> ({len(matrix['units'])} đơn vị)"))
        top.addStretch(1)
        self.filter_text = QLineEdit()
        self.filter_text.setPlaceholderText("Lọc theo tên đơn vị")
        self.filter_text.setClearButtonEnabled(True)
        self.filter_state = QComboBox()
        self.filter_state.addItem("Mọi tình trạng", "")
        for state, label in STATES.items():
            self.filter_state.addItem(label, state)
        top.addWidget(self.filter_text)
        top.addWidget(self.filter_state)
        layout.addLayout(top)
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
                item.setData(Qt.UserRole, cell["state"])
                self.matrix.setItem(r, c, item)
        self.matrix.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeToContents)
        self.matrix.horizontalHeader().setStretchLastSection(True)
        self.matrix.setEditTriggers(QTableWidget.NoEditTriggers)
        self.matrix.setSortingEnabled(True)  # by unit or by state: click a column's header
        self.filter_text.textChanged.connect(self._filter)
        self.filter_state.currentIndexChanged.connect(self._filter)
        layout.addWidget(self.matrix, 2)
        layout.addWidget(QLabel("<b>Các gói đã nhận</b>"))
        self.received = QTableWidget(len(result.received), 2)
        self.received.setHorizontalHeaderLabels(["Tệp", "Kết quả"])
        self.received.verticalHeader().hide()
        for r, item in enumerate(result.received):
            self.received.setItem(r, 0, QTableWidgetItem(item.file))
            label = RECEIVED_LABELS[item.status]
            cell = QTableWidgetItem(item.message if item.message.startswith(label) else f"{label}: {item.message}")
            cell.setToolTip(item.message)
            if item.status in ("rejected", "held"):
                cell.setForeground(Qt.darkRed)
            self.received.setItem(r, 1, cell)
        self.received.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeToContents)
        self.received.horizontalHeader().setStretchLastSection(True)
        layout.addWidget(self.received, 1)
        self.held = [(unit, cell["submission"]) for unit in matrix["units"] for cell in unit["cells"].values()
                     if cell["state"] == "held"]
        if self.held:
            row = QHBoxLayout()
            row.addWidget(QLabel(f"<b>{len(self.held)} gói chờ xác nhận chứng thư</b>: gọi cho đơn vị, đối chiếu "
                                 "dấu vân tay, rồi xác nhận hoặc từ chối."))
            review = QPushButton("Xác nhận người ký…")
            review.clicked.connect(lambda: self._review(window))
            row.addWidget(review)
            layout.addLayout(row)
        # the way back (issue 28 §5): a signed receipt for the package chosen above
        self.result = result
        answer = QHBoxLayout()
        answer.addWidget(QLabel("Trả lời đơn vị về gói đang chọn:"))
        for text, accept in (("Ra phiếu tiếp nhận…", True), ("Trả lại (kèm lý do)…", False)):
            button = QPushButton(text)
            button.clicked.connect(lambda _=False, accept=accept: self._answer(window, accept))
            answer.addWidget(button)
        answer.addStretch(1)
        layout.addLayout(answer)
        errors = sum(1 for f in result.findings if f.severity == "error")
        accepted = sum(1 for r in result.received if r.status == "accepted")
        layout.addWidget(QLabel(msg("CONS004", units=accepted, report=result.report_id, filled=result.filled)
                                + " " + msg("CLI004", errors=errors, warnings=len(result.findings) - errors)))
        buttons = QDialogButtonBox(QDialogButtonBox.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def _answer(self, window, accept: bool) -> Path | None:
        row = self.received.currentRow()
        chosen = self.result.received[row] if 0 <= row < len(self.result.received) else None
        if chosen is None or chosen.submission is None or chosen.status != "accepted":
            QMessageBox.information(self, "CCHC Desktop", "Hãy chọn một gói đã nhận (dòng “Đã nhận”) ở bảng trên.")
            return None
        reason = None
        if not accept:
            reason, ok = QInputDialog.getMultiLineText(self, "Trả lại gói", "Lý do trả lại (đơn vị đọc để sửa):")
            if not ok:
                return None
        return issue_receipt(window, chosen.submission, accept, reason)

    def _filter(self) -> None:
        """Rows whose unit name contains the text (any spelling) and whose state, in any period, is the one chosen."""
        from desktop.foundation.directory import fold

        text, state = fold(self.filter_text.text()), self.filter_state.currentData()
        for r in range(self.matrix.rowCount()):
            name = fold(self.matrix.item(r, 0).text())
            states = {self.matrix.item(r, c).data(Qt.UserRole) for c in range(1, self.matrix.columnCount())}
            self.matrix.setRowHidden(r, bool(text and text not in name) or bool(state and state not in states))

    def _review(self, window) -> None:
        self.accept()
        CertificatesDialog(window).exec()


def confirm_signer(window, submission_id: int, typed: str | None = None) -> bool:
    """The clerk confirms a held package's signer, after comparing the fingerprint with the unit;
    the open report is refilled from what is now accepted."""
    from desktop.submission.consolidate import consolidate
    from desktop.submission.register import CONFIRM_DIGITS, confirm, fingerprint

    held = window.store.submissions.get(submission_id)
    if typed is None:
        unit = window.store.units.get(held.unit_code).name
        typed, ok = QInputDialog.getText(
            window, "Xác nhận người ký",
            f"Gói của {unit}, ký bởi “{held.signer}”.\nDấu vân tay chứng thư:\n"
            f"{fingerprint(held.certificate_sha256)}\n\nGọi cho {unit}, nhờ đọc dấu vân tay chứng thư của đơn vị,\n"
            f"rồi gõ ít nhất {CONFIRM_DIGITS} chữ số đầu ({CONFIRM_DIGITS // 4} nhóm) đơn vị đọc cho:")
        if not ok:
            return False
    report_id = window.session.report_id if window.session is not None else None

    def work():
        confirm(window.store, submission_id, typed)
        if report_id is not None and window.session.data.form_set.kind.receives(window.session.data.form_set):
            consolidate(window.store, window.catalog, report_id, [])
    outcome = window.perform(work)
    if isinstance(outcome, Exception):
        return False
    window.report_changed_elsewhere()
    window.say(msg("CERT017", submission=submission_id, unit=window.store.units.get(held.unit_code).name))
    return True


def refuse_package(window, submission_id: int, reason: str | None = None) -> bool:
    from desktop.submission.register import refuse

    held = window.store.submissions.get(submission_id)
    if reason is None:
        reason, ok = QInputDialog.getText(window, "Từ chối gói", "Lý do từ chối (ghi vào nhật ký):")
        if not ok or not reason.strip():
            return False
    if isinstance(window.perform(lambda: refuse(window.store, submission_id, reason.strip())), Exception):
        return False
    window.say(msg("CERT018", submission=submission_id, unit=window.store.units.get(held.unit_code).name))
    return True


def enrol_certificate(window, unit_code: str | None = None, path: str | None = None) -> bool:
    """Register the certificate file a child unit handed over."""
    from desktop.submission.register import enrol, fingerprint, read_certificate_file

    if unit_code is None:
        children = [u for u in window.store.units.all() if u.parent_code]
        names = [f"{u.name} ({u.code})" for u in children]
        chosen, ok = QInputDialog.getItem(window, "Nhập chứng thư của đơn vị", "Đơn vị cấp dưới:", names, 0, False)
        if not ok:
            return False
        unit_code = children[names.index(chosen)].code
    if path is None:
        path, _ = QFileDialog.getOpenFileName(window, "Tệp chứng thư đơn vị gửi", "",
                                              "Chứng thư số (*.cer *.crt *.pem)")
        if not path:
            return False
    outcome = window.perform(lambda: enrol(window.store, unit_code, read_certificate_file(Path(path))))
    if isinstance(outcome, Exception):
        return False
    window.say(msg("CERT016", subject=outcome.subject, fingerprint=fingerprint(outcome.sha256),
                   unit=window.store.units.get(unit_code).name))
    return True


class CertificatesDialog(QDialog):
    """Who may sign for each child unit (the register), and the packages held until the clerk
    confirms their signer."""

    def __init__(self, window) -> None:
        super().__init__(window)
        self.window_ = window
        self.setWindowTitle("Chứng thư số của các đơn vị cấp dưới")
        self.resize(900, 520)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("<b>Gói chờ xác nhận chứng thư</b> (chưa được tổng hợp)"))
        self.held = QTableWidget(0, 4)
        self.held.setHorizontalHeaderLabels(["Đơn vị", "Kỳ, phiên bản", "Người ký", "Dấu vân tay (SHA-256)"])
        layout.addWidget(self.held, 1)
        self.reason = QLabel()
        self.reason.setWordWrap(True)
        self.held.currentCellChanged.connect(lambda row, *_: self._show_reason(row))
        layout.addWidget(self.reason)
        row = QHBoxLayout()
        self.confirm_button = QPushButton("Xác nhận người ký…")
        self.confirm_button.clicked.connect(lambda: self._on_held(confirm_signer))
        self.refuse_button = QPushButton("Từ chối gói…")
        self.refuse_button.clicked.connect(lambda: self._on_held(refuse_package))
        row.addWidget(self.confirm_button)
        row.addWidget(self.refuse_button)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addWidget(QLabel("<b>Sổ chứng thư</b>: chứng thư được ký cho từng đơn vị"))
        self.register = QTableWidget(0, 4)
        self.register.setHorizontalHeaderLabels(["Đơn vị", "Chứng thư (cấp bởi)", "Dấu vân tay (SHA-256)", "Đăng ký"])
        layout.addWidget(self.register, 1)
        row = QHBoxLayout()
        enrol_button = QPushButton("Nhập tệp chứng thư của đơn vị…")
        enrol_button.clicked.connect(lambda: enrol_certificate(window) and self.refresh())
        row.addWidget(enrol_button)
        self.withdraw_button = QPushButton("Thu hồi chứng thư…")
        self.withdraw_button.clicked.connect(self._withdraw)
        row.addWidget(self.withdraw_button)
        row.addStretch(1)
        layout.addLayout(row)
        buttons = QDialogButtonBox(QDialogButtonBox.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        for table in (self.held, self.register):
            table.verticalHeader().hide()
            table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeToContents)
            table.setSelectionBehavior(QTableWidget.SelectRows)
            table.setSelectionMode(QTableWidget.SingleSelection)
            table.setEditTriggers(QTableWidget.NoEditTriggers)
            table.horizontalHeader().setStretchLastSection(True)
        self.refresh()

    @staticmethod
    def _fill(table: QTableWidget, rows: list[tuple[str, ...]]) -> None:
        table.setRowCount(len(rows))
        for r, values in enumerate(rows):
            for c, value in enumerate(values):
                item = QTableWidgetItem(value)
                item.setToolTip(value)
                table.setItem(r, c, item)
        table.resizeColumnsToContents()
        table.resizeRowsToContents()

    def refresh(self) -> None:
        from desktop.submission.register import fingerprint

        def two_lines(sha: str) -> str:  # sixteen groups of four: two lines of eight, read out by telephone
            groups = fingerprint(sha).split()
            return " ".join(groups[:8]) + "\n" + " ".join(groups[8:])

        store = self.window_.store
        names = {u.code: u.name for u in store.units.all()}
        held = store.submissions.all(state="held")
        self.held_ids = [s.id for s in held]
        self.held_reasons = [s.held_reason or "" for s in held]
        self._fill(self.held, [(names.get(s.unit_code, s.unit_code), f"{s.period.label}, phiên bản {s.report_version}",
                                s.signer, two_lines(s.certificate_sha256)) for s in held])
        self.certificates = store.certificates.all()
        self._fill(self.register, [(names.get(c.unit_code, c.unit_code), f"{c.subject}\n({c.issuer})",
                                    two_lines(c.sha256), f"{BOUND_BY[c.bound_by]}\n{c.added_at[:10]}, {c.added_by}")
                                   for c in self.certificates])
        if held:
            self.held.selectRow(0)
        self._show_reason(0 if held else -1)
        self.confirm_button.setEnabled(bool(held))
        self.refuse_button.setEnabled(bool(held))
        self.withdraw_button.setEnabled(bool(self.certificates))

    def _show_reason(self, row: int) -> None:
        self.reason.setText(self.held_reasons[row] if 0 <= row < len(self.held_reasons) else "")

    def _on_held(self, action) -> None:
        row = self.held.currentRow()
        if 0 <= row < len(self.held_ids) and action(self.window_, self.held_ids[row]):
            self.refresh()

    def _withdraw(self) -> None:
        row = self.register.currentRow()
        if not 0 <= row < len(self.certificates):
            return
        dialog = WithdrawDialog(self, self.certificates[row])
        if dialog.exec() == QDialog.Accepted:
            self.withdraw(self.certificates[row].sha256, dialog.reason.text(), dialog.since())

    def withdraw(self, sha: str, reason: str, since) -> None:
        """Withdraw certificate ``sha``; ``since`` (a date or None): set aside what it signed from then."""
        moment = dt.datetime.combine(since, dt.time()).astimezone() if since else None  # midnight, this machine's
        done = self.window_.perform(lambda: self.window_.store.certificates.withdraw(sha, reason.strip(), moment))
        if isinstance(done, Exception):
            return
        said = msg("CERT023", set_aside=done, since=f"{since:%d/%m/%Y}") if since else msg("CLI016")
        QMessageBox.information(self, "Thu hồi chứng thư", said)
        self.refresh()


class WithdrawDialog(QDialog):
    """Why a unit's certificate is withdrawn, and optionally from which day what it signed is set
    aside (a lost token's thief may have signed since)."""

    def __init__(self, parent, certificate) -> None:
        super().__init__(parent)
        self.setWindowTitle("Thu hồi chứng thư")
        form = QFormLayout(self)
        form.addRow(QLabel(f"{certificate.subject}\n({certificate.issuer})"))
        self.reason = QLineEdit()
        self.reason.setPlaceholderText("mất thiết bị ký, đổi người ký…")
        form.addRow("Lý do (ghi vào nhật ký):", self.reason)
        self.set_aside = QCheckBox("Đặt ra ngoài tổng hợp các gói chứng thư này đã ký từ ngày:")
        self.from_day = QDateEdit(QDate.currentDate())
        self.from_day.setDisplayFormat("dd/MM/yyyy")
        self.from_day.setCalendarPopup(True)
        self.from_day.setMaximumDate(QDate.currentDate())
        self.from_day.setEnabled(False)
        self.set_aside.toggled.connect(self.from_day.setEnabled)
        form.addRow(self.set_aside, self.from_day)
        note = QLabel("Các gói đã nhận trước ngày đó vẫn được giữ; gói của chứng thư mới của đơn vị "
                      "thay được gói của chứng thư đã thu hồi.")
        note.setWordWrap(True)
        form.addRow(note)
        self.buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        self.buttons.button(QDialogButtonBox.Ok).setText("Thu hồi")
        self.buttons.button(QDialogButtonBox.Cancel).setText("Hủy")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        form.addRow(self.buttons)
        self.reason.textChanged.connect(self._enable)
        self._enable()

    def _enable(self) -> None:
        self.buttons.button(QDialogButtonBox.Ok).setEnabled(bool(self.reason.text().strip()))

    def since(self):
        """The chosen day (a ``datetime.date``), or None when nothing is to be set aside."""
        return self.from_day.date().toPython() if self.set_aside.isChecked() else None


def show_certificates(window) -> None:
    CertificatesDialog(window).exec()


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

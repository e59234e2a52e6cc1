"""The window's dialogs: new report, settings, export/import, print preview, guide, about.

Each gathers what the clerk chose and calls one operation of the core through
``MainWindow.perform``; long work (exports) runs on a worker thread behind a
progress dialog.
"""

from __future__ import annotations

import base64
import datetime as dt
from pathlib import Path

from PySide6.QtCore import QDate
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (QCheckBox, QComboBox, QDateEdit, QDialog, QDialogButtonBox, QFileDialog, QFormLayout,
                               QHBoxLayout, QInputDialog, QLabel, QLineEdit, QMessageBox, QPlainTextEdit, QPushButton,
                               QSpinBox, QTabWidget, QTextBrowser, QVBoxLayout, QWidget)

from desktop import __version__
from desktop.foundation.messages import CchcError, msg, os_reason
from desktop.foundation.paths import resources_dir
from desktop.foundation.periods import PERIOD_TYPES, Period, deadline_state
from desktop.foundation.settings import load_settings, save_settings
from desktop.exchange.signature_look import checked_png
from desktop.report.ops import predecessors_before, shown_date, update_report_info
from desktop.store.reports import LOCKED_STATUSES
from desktop.ui.widgets import run_in_background, shown_outcome, signer_mode_box

PERIOD_NAMES = {"quy": "Quý", "6thang": "6 tháng", "9thang": "9 tháng", "nam": "Năm", "giai_doan": "Giai đoạn"}


# --- new report ----------------------------------------------------------------------------


def _set_key(set_id: str, version: int) -> str:
    """A form set as a combo box's item data (Qt compares strings, not Python tuples)."""
    return f"{set_id}|{version}"


def _parse_set_key(data: str | None) -> tuple[str, int] | None:
    if not data:
        return None
    set_id, _, version = data.rpartition("|")
    return set_id, int(version)


class NewReportDialog(QDialog):
    """Unit, period, form set, document number and date; the period's cut-off and deadline; carry-over."""

    def __init__(self, window) -> None:
        super().__init__(window)
        self.window_ = window
        self.store, self.catalog = window.store, window.catalog
        self.settings = load_settings(self.store)
        self.setWindowTitle("Báo cáo mới")
        form = QFormLayout(self)
        self.unit = QComboBox()
        for unit in self.store.units.all():
            self.unit.addItem(unit.name, unit)
        # the clerk's own unit (settings), else the unit of the report on screen
        chosen = self.settings["unit"] or (window.session.report.unit_code if window.session else "")
        for i in range(self.unit.count()):
            if self.unit.itemData(i).code == chosen:
                self.unit.setCurrentIndex(i)
        self.period_type = QComboBox()
        for code in PERIOD_TYPES:
            self.period_type.addItem(PERIOD_NAMES[code], code)
        self.period_type.setCurrentIndex(PERIOD_TYPES.index("nam"))
        self.quarter = QComboBox()
        self.quarter.addItems(["Quý I", "Quý II", "Quý III", "Quý IV"])
        this_year = dt.date.today().year
        self.year = QSpinBox(minimum=2000, maximum=2100, value=this_year)
        self.year_from = QSpinBox(minimum=2000, maximum=2100, value=this_year - 4)
        period_row = QHBoxLayout()
        for widget in (self.period_type, self.quarter, QLabel("từ năm"), self.year_from, QLabel("năm"), self.year):
            period_row.addWidget(widget)
        self._from_label = period_row.itemAt(2).widget()
        self.form_set = QComboBox()
        self.doc_number = QLineEdit(f"…/{self.settings['document']['number_symbol']}")
        self.doc_date = QDateEdit(QDate.currentDate(), calendarPopup=True, displayFormat="dd/MM/yyyy")
        self.deadline = QLabel(wordWrap=True)
        self.carry = QCheckBox("Chuyển từ báo cáo kỳ trước: các dòng nhiệm vụ và số “kỳ trước chuyển sang”")
        self.carry.setChecked(True)
        self.carry_note = QLabel(wordWrap=True)
        form.addRow("Đơn vị", self.unit)
        self.no_unit = QLabel(msg("APP010"), wordWrap=True)
        self.choose_unit = QPushButton("Chọn đơn vị từ danh mục…")
        self.choose_unit.clicked.connect(self._choose_unit)
        form.addRow(self.no_unit)
        form.addRow(self.choose_unit)
        self.no_unit.setVisible(self.unit.count() == 0)  # setup was cancelled: where to do it
        self.choose_unit.setVisible(self.unit.count() == 0)
        form.addRow("Kỳ báo cáo", period_row)
        form.addRow("Bộ biểu mẫu", self.form_set)
        form.addRow("Số văn bản", self.doc_number)
        form.addRow("Ngày văn bản", self.doc_date)
        form.addRow("Thời hạn", self.deadline)
        form.addRow(self.carry)
        form.addRow(self.carry_note)
        self.buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        form.addRow(self.buttons)
        for signal in (self.unit.currentIndexChanged, self.period_type.currentIndexChanged,
                       self.quarter.currentIndexChanged, self.year.valueChanged, self.year_from.valueChanged,
                       self.form_set.currentIndexChanged):
            signal.connect(self._update)
        for signal in (self.unit.currentIndexChanged, self.period_type.currentIndexChanged, self.year.valueChanged):
            signal.connect(self._fill_form_sets)  # the sets in force for the unit and the period
        self._fill_form_sets()
        self.created: int | None = None

    def _choose_unit(self) -> None:
        from desktop.ui.setup import setup_unit_dialog

        if setup_unit_dialog(self.window_):
            self.unit.clear()
            for unit in self.store.units.all():
                self.unit.addItem(unit.name, unit)
            self.settings = load_settings(self.store)
            found = [i for i in range(self.unit.count()) if self.unit.itemData(i).code == self.settings["unit"]]
            self.unit.setCurrentIndex(found[0] if found else 0)
            self.no_unit.setVisible(self.unit.count() == 0)
            self.choose_unit.setVisible(self.unit.count() == 0)

    def _fill_form_sets(self) -> None:
        from desktop.report.ops import form_sets_for

        unit = self.unit.currentData()
        self.form_set.blockSignals(True)
        self.form_set.clear()
        # the sets of the unit's level and those for any level, its own province's first
        usable = form_sets_for(self.store, self.catalog, unit.code, self.period()) if unit is not None else []
        for form_set in usable:
            self.form_set.addItem(f"{form_set.name} (phiên bản {form_set.version})", _set_key(*form_set.key))
        if unit is not None:  # the set of the unit's latest report, as the clerk used last time
            used = self.store.reports.all(units=[unit.code])
            if used:
                latest = max(used, key=lambda r: (r.year, r.id))
                found = self.form_set.findData(_set_key(latest.form_set_id, latest.form_set_version))
                self.form_set.setCurrentIndex(max(found, 0))
        self.form_set.blockSignals(False)
        self._update()

    def period(self) -> Period:
        kind = self.period_type.currentData()
        return Period(kind, self.year.value(), self.quarter.currentIndex() + 1 if kind == "quy" else None,
                      self.year_from.value() if kind == "giai_doan" else None)

    def _update(self) -> None:
        kind = self.period_type.currentData()
        self.quarter.setVisible(kind == "quy")
        self.year_from.setVisible(kind == "giai_doan")
        self._from_label.setVisible(kind == "giai_doan")
        period = self.period()
        rules = self.settings["period_rules"]
        start, end = period.bounds(rules)
        state = deadline_state(period, rules)
        code = {"open": "PERIOD001", "near": "PERIOD002", "late": "PERIOD003"}[state.state]
        self.deadline.setText(msg(code, start=f"{start:%d/%m/%Y}", end=f"{end:%d/%m/%Y}",
                                  deadline=f"{state.deadline:%d/%m/%Y}", days=abs(state.days_left)))
        self.deadline.setStyleSheet({"open": "", "near": "color: #a06000;", "late": "color: #b00020;"}[state.state])
        unit, key = self.unit.currentData(), _parse_set_key(self.form_set.currentData())
        before = period.previous()
        found = self.store.reports.find(unit.code, before, key[0]) if unit and key and before else None
        merged = predecessors_before(unit.code, before) if unit is not None and found is None and before else []
        self.carry.setEnabled(found is not None or bool(merged))
        if found:
            self.carry_note.setText(f"Báo cáo kỳ trước: số {found} ({before.label}).")
        elif merged:
            self.carry_note.setText(f"Đơn vị thành lập từ {', '.join(link.unit.name for link in merged)}: "
                                    f"số “kỳ trước chuyển sang” lấy từ báo cáo {before.label} của các đơn vị này.")
        else:
            self.carry_note.setText(msg("CARRY002", period=before.label if before else "—"))
        bad_range = kind == "giai_doan" and self.year_from.value() >= self.year.value()
        self.buttons.button(QDialogButtonBox.Ok).setEnabled(key is not None and not bad_range)

    def accept(self) -> None:
        from desktop.report.ops import create_report

        unit, key = self.unit.currentData(), _parse_set_key(self.form_set.currentData())
        period = self.period()
        signer = self.settings["signer"]
        fields = {"doc_number": self.doc_number.text().strip() or None,
                  "doc_date": self.doc_date.date().toString("yyyy-MM-dd"),
                  "signer_name": signer["name"] or None, "signer_title": signer["title"] or None,
                  "signer_mode": signer["mode"]}
        outcome = self.window_.perform(lambda: create_report(
            self.store, self.catalog, unit.code, period, key[0], key[1],
            carry_over=self.carry.isEnabled() and self.carry.isChecked(), **fields))
        if isinstance(outcome, Exception):
            return
        self.created, carried = outcome
        note = msg("APP004", report=self.created, unit=unit.name, period=period.label)
        if carried is not None and carried.previous_id is not None:
            note += " " + msg("CARRY001", period=period.previous().label, rows=carried.rows, cells=carried.cells)
        elif carried is not None and not carried.notes:
            note += " " + msg("CARRY015", cells=carried.cells,
                              units=", ".join(link.unit.name for link in predecessors_before(unit.code, period.previous())))
        self.window_.say(note)
        self.carried_notes = list(carried.notes) if carried is not None else []
        if self.carried_notes:
            QMessageBox.information(self, "Số kỳ trước chuyển sang", "\n\n".join(self.carried_notes))
        super().accept()


def delete_report(window, confirmed: bool | None = None) -> bool:
    """Tệp → Xóa báo cáo…: the open report, after the clerk confirms; a backup is made first and
    a signed or submitted report is refused until unlocked."""
    session = window.session
    if session is None:
        return False
    report = session.report
    if confirmed is None:
        confirmed = QMessageBox.question(
            window, "Xóa báo cáo",
            f"Xóa báo cáo số {report.id} ({session.data.unit.name}, {report.period.label}) cùng mọi số liệu, "
            "phần lời và minh chứng của nó? Một bản sao lưu được tạo trước khi xóa.") == QMessageBox.Yes
    if not confirmed:
        return False
    if isinstance(window.perform(lambda: window.store.reports.delete(report.id)), Exception):
        return False
    window.close_report()
    window.navigator.refresh()
    window.say(f"Đã xóa báo cáo số {report.id}.")
    return True


def new_report(window) -> int | None:
    dialog = NewReportDialog(window)
    if dialog.exec() == QDialog.Accepted and dialog.created:
        window.navigator.refresh()
        window.open_report(dialog.created)
        return dialog.created
    return None


# --- settings ---------------------------------------------------------------------------------


def _tab(tabs: QTabWidget, title: str, rows: list[tuple[str, QWidget]]) -> None:
    page, form = QWidget(), QFormLayout()
    page.setLayout(form)
    for label, widget in rows:
        form.addRow(label, widget)
    tabs.addTab(page, title)


class ReportInfoDialog(QDialog):
    """Thông tin văn bản: what the printed report says of itself (number, date, place, subject, who
    signs and how, the data period it states), changed through ``report.ops.update_report_info``."""

    def __init__(self, window) -> None:
        super().__init__(window)
        self.window_ = window
        report = window.store.reports.get(window.session.report_id)
        self.setWindowTitle(f"Thông tin văn bản – báo cáo số {report.id}")
        self.doc_number = QLineEdit(report.doc_number or "")
        self.doc_date = QLineEdit(shown_date(report.doc_date))
        self.doc_date.setPlaceholderText("ngày/tháng/năm, ví dụ 27/11/2019")
        self.place = QLineEdit(report.place or "")
        self.subject = QPlainTextEdit(report.subject or "")
        self.subject.setPlaceholderText("Để trống: “Tình hình, kết quả thực hiện công tác cải cách hành chính …”")
        self.signer_name = QLineEdit(report.signer_name or "")
        self.signer_title = QLineEdit(report.signer_title or "")
        self.signer_title.setPlaceholderText("Để trống: theo hình thức ký (CHỦ TỊCH, PHÓ CHỦ TỊCH…)")
        self.signer_mode = signer_mode_box(report.signer_mode or "TM")
        start, end = report.period.bounds(window.session.data.period_rules)
        self.data_from = QLineEdit(shown_date(report.data_from))
        self.data_to = QLineEdit(shown_date(report.data_to))
        self.data_from.setPlaceholderText(f"Để trống: {start:%d/%m/%Y} (theo thời hạn chốt số liệu)")
        self.data_to.setPlaceholderText(f"Để trống: {end:%d/%m/%Y}")
        self.recipients = QPlainTextEdit(report.recipients or "")
        self.recipients.setPlaceholderText("Mỗi dòng một nơi nhận; để trống để dùng danh sách trong Thiết lập")
        form = QFormLayout(self)
        for label, widget in (("Số văn bản", self.doc_number), ("Ngày văn bản", self.doc_date),
                              ("Địa danh", self.place), ("Trích yếu", self.subject),
                              ("Họ tên người ký", self.signer_name), ("Chức vụ", self.signer_title),
                              ("Hình thức ký", self.signer_mode),
                              ("Số liệu kết xuất từ ngày", self.data_from), ("đến hết ngày", self.data_to),
                              ("Nơi nhận", self.recipients)):
            form.addRow(label, widget)
        self.error = QLabel(wordWrap=True)
        self.error.setStyleSheet("color: #a01010")
        form.addRow(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.Save | QDialogButtonBox.Cancel)
        buttons.button(QDialogButtonBox.Save).setText("Lưu")
        buttons.button(QDialogButtonBox.Cancel).setText("Hủy")
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        if report.status in LOCKED_STATUSES:
            self.error.setText(msg("INFO001"))
            buttons.button(QDialogButtonBox.Save).setEnabled(False)

    def values(self) -> dict:
        return {"doc_number": self.doc_number.text(), "doc_date": self.doc_date.text(), "place": self.place.text(),
                "subject": self.subject.toPlainText(), "signer_name": self.signer_name.text(),
                "signer_title": self.signer_title.text(), "signer_mode": self.signer_mode.currentData(),
                "data_from": self.data_from.text(), "data_to": self.data_to.text(),
                "recipients": self.recipients.toPlainText()}

    def save(self) -> None:
        """Stored all together or not at all; a wrong date or period says why here, and nothing changes."""
        window = self.window_
        try:
            changed = update_report_info(window.store, window.session.report_id, **self.values())
        except CchcError as error:
            self.error.setText(str(error))
            return
        if changed:
            window.report_info_changed()
        self.accept()


class SettingsDialog(QDialog):
    def __init__(self, window) -> None:
        super().__init__(window)
        self.window_ = window
        self.store = window.store
        self.setWindowTitle("Thiết lập")
        settings = self.settings = load_settings(self.store)
        tabs = QTabWidget()
        self.unit = QComboBox()
        self.unit.addItem("(chưa chọn)", "")
        for unit in self.store.units.all():
            self.unit.addItem(unit.name, unit.code)
        self.unit.setCurrentIndex(max(self.unit.findData(settings["unit"]), 0))
        document = settings["document"]
        self.parent_body = QLineEdit(document["parent_body"])
        self.recipients = QPlainTextEdit("\n".join(document["recipients"]))
        self.recipients.setPlaceholderText("Mỗi dòng một nơi nhận; để trống để dùng mặc định "
                                           "(cơ quan Nội vụ cấp trên, Lưu: VT).")
        self.number_symbol = QLineEdit(document["number_symbol"])
        self.place = QLineEdit(document["place"])
        self.place.setPlaceholderText("Địa danh ở dòng “…, ngày … tháng … năm …”")
        self.charts = QCheckBox("Khi in và xuất PDF, kèm một trang biểu đồ các chỉ số chính qua các kỳ")
        self.charts.setChecked(document["charts"])
        self.charts.setToolTip("Không áp dụng cho bản PDF trong gói ký số gửi cấp trên.")
        from_directory = QPushButton("Chọn đơn vị từ danh mục…")
        from_directory.clicked.connect(self._from_directory)
        unit_row = QHBoxLayout()
        unit_row.addWidget(self.unit, 1)
        unit_row.addWidget(from_directory)
        unit_box = QWidget()
        unit_box.setLayout(unit_row)
        unit_row.setContentsMargins(0, 0, 0, 0)
        _tab(tabs, "Đơn vị và văn bản", [("Đơn vị của tôi", unit_box),
                                          ("Cơ quan cấp trên (dòng trên tên đơn vị)", self.parent_body),
                                          ("Địa danh", self.place),
                                          ("Ký hiệu số báo cáo", self.number_symbol), ("Nơi nhận", self.recipients),
                                          ("", self.charts)])
        signer = settings["signer"]
        self.signer_name = QLineEdit(signer["name"])
        self.signer_title = QLineEdit(signer["title"])
        self.signer_title.setPlaceholderText("CHỦ TỊCH / PHÓ CHỦ TỊCH")
        self.signer_mode = signer_mode_box(signer["mode"])
        _tab(tabs, "Người ký", [("Họ tên người ký", self.signer_name), ("Chức vụ", self.signer_title),
                                ("Hình thức ký", self.signer_mode)])
        rules = settings["period_rules"]
        self.start_day = QSpinBox(minimum=1, maximum=28, value=rules["start_day"])
        self.cutoff_day = QSpinBox(minimum=1, maximum=28, value=rules["cutoff_day"])
        self.deadline_day = QSpinBox(minimum=1, maximum=28, value=rules["deadline_day"])
        self.warn_days = QSpinBox(minimum=0, maximum=60, value=rules["warn_days"])
        _tab(tabs, "Thời hạn", [("Số liệu bắt đầu từ ngày (của tháng trước kỳ)", self.start_day),
                                ("Chốt số liệu ngày (tháng cuối kỳ)", self.cutoff_day),
                                ("Hạn nộp ngày (tháng cuối kỳ)", self.deadline_day),
                                ("Báo trước hạn nộp (ngày)", self.warn_days)])
        self.export_folder = QLineEdit(settings["folders"]["export"])
        self.evidence_folder = QLineEdit(settings["folders"]["evidence"])
        _tab(tabs, "Thư mục", [("Thư mục lưu tệp xuất", self.export_folder),
                               ("Thư mục tệp minh chứng", self.evidence_folder)])
        signing = settings["signing"]
        self.p12_file = QLineEdit(signing["p12_file"])
        self.pkcs11_library = QLineEdit(signing["pkcs11_library"])
        self.pkcs11_library.setPlaceholderText(r"C:\vnpt-ca\cryptoki.dll")
        self.token_label = QLineEdit(signing["token_label"])
        self.key_label = QLineEdit(signing["key_label"])
        # the shipped anchors load the certificate stack: when the dialog opens, not at the window's start
        from desktop.submission.anchors import built_in

        shipped = built_in()
        self.built_in_anchors = QLabel("Ban Cơ yếu Chính phủ (RootCA chuyên dùng Chính phủ G2, CA phục vụ các cơ quan "
                                       "Nhà nước G2); Vietnam National Root CA, VNPT-CA SHA2", wordWrap=True)
        self.built_in_anchors.setToolTip("\n".join(f"{a.subject}\nđến {a.valid_to:%d/%m/%Y}, SHA-256 {a.sha256}"
                                                   for a in shipped) + "\nThu hồi: chưa kiểm tra được khi ngoại tuyến.")
        self.trusted_roots = QPlainTextEdit("\n".join(signing["trusted_roots"]))
        self.trusted_roots.setPlaceholderText("Mỗi dòng một tệp hoặc thư mục chứng thư gốc (.cer, .crt, .pem)")
        self.accept_untrusted = QCheckBox("Vẫn nhận gói ký bằng chứng thư không do CA tin cậy cấp")
        self.accept_untrusted.setChecked(signing["accept_untrusted"])
        self.require_seal = QCheckBox("Chỉ nhận gói có cả chữ ký số của cơ quan (đóng dấu)")
        self.require_seal.setChecked(signing["require_seal"])
        self.require_seal.setToolTip("Nghị định 30/2020: văn bản điện tử có chữ ký của người có thẩm quyền và "
                                     "chữ ký số của cơ quan; gói chỉ có chữ ký người ký bị từ chối.")
        self.accept_untrusted.setToolTip("Khi đã khai báo chứng thư gốc tin cậy, mặc định chỉ nhận gói được CA "
                                         "xác thực; gói không được CA xác thực không bao giờ thay thế gói đã được "
                                         "CA xác thực.")
        # revocation lists the officer downloaded elsewhere (issue 28 §1): imported at once, not on Save
        self.crl_state = QLabel(wordWrap=True)
        crl_button = QPushButton("Nhập danh sách thu hồi (CRL)…")
        crl_button.clicked.connect(lambda: self.import_crl())
        self.crl_row = QWidget()
        crl_layout = QVBoxLayout(self.crl_row)
        crl_layout.setContentsMargins(0, 0, 0, 0)
        crl_layout.addWidget(self.crl_state)
        crl_layout.addWidget(crl_button)
        self._show_crls()
        self.images = {"signature_image": signing["signature_image"], "seal_image": signing["seal_image"]}
        self.image_rows: dict[str, tuple[QWidget, QLabel]] = {}
        for key, what in (("signature_image", "chữ ký"), ("seal_image", "con dấu")):
            self._image_row(key, what)
        self.seal_mm = QSpinBox(minimum=20, maximum=60, value=int(signing["seal_mm"]), suffix=" mm")
        self.seal_mm.setToolTip("Đường kính thật của con dấu: hình dấu được in đúng cỡ này.")
        _tab(tabs, "Chữ ký số", [("Tệp chứng thư số (.p12, .pfx)", self.p12_file),
                                 ("Thư viện PKCS#11 của thiết bị ký số", self.pkcs11_library),
                                 ("Nhãn thiết bị", self.token_label), ("Nhãn chứng thư trên thiết bị", self.key_label),
                                 ("Chứng thư gốc có sẵn", self.built_in_anchors),
                                 ("Chứng thư gốc thêm (khi kiểm tra gói)", self.trusted_roots),
                                 ("", self.accept_untrusted), ("", self.require_seal),
                                 ("Danh sách thu hồi", self.crl_row),
                                 ("Hình chữ ký (PNG nền trong suốt)", self.image_rows["signature_image"][0]),
                                 ("Hình con dấu (PNG nền trong suốt)", self.image_rows["seal_image"][0]),
                                 ("Đường kính con dấu", self.seal_mm)])

        layout = QVBoxLayout(self)
        layout.addWidget(tabs)
        buttons = QDialogButtonBox(QDialogButtonBox.Save | QDialogButtonBox.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def _show_crls(self) -> None:
        kept = self.store.revocation_lists.all()
        self.crl_state.setText("\n".join(
            f"{k['issuer']}: ngày {dt.datetime.fromisoformat(k['this_update']):%d/%m/%Y}, {k['revoked']} chứng thư "
            "bị thu hồi" for k in kept) or "Chưa nhập: chữ ký được CA xác thực ghi “chưa kiểm tra được thu hồi "
                                          "(ngoại tuyến)”.")

    def import_crl(self, path: str | None = None) -> bool:
        """A CRL file chosen (or ``path``): checked against the trust anchors, kept, shown."""
        from desktop.submission.revocation import import_crl

        if path is None:
            path, _ = QFileDialog.getOpenFileName(self, "Nhập danh sách thu hồi", "",
                                                  "Danh sách thu hồi (*.crl *.pem *.der);;Mọi tệp (*)")
            if not path:
                return False
        roots = [line for line in self.trusted_roots.toPlainText().splitlines() if line.strip()]
        outcome = run_in_background(self, "Đang kiểm tra danh sách thu hồi…",
                                    lambda: import_crl(self.store, Path(path), roots))
        if not shown_outcome(self.window_, outcome):
            return False
        self._show_crls()
        return True

    def values(self) -> dict:
        return {
            "unit": self.unit.currentData() or "",
            "document": {"parent_body": self.parent_body.text(),
                         "recipients": self.recipients.toPlainText().splitlines(),
                         "number_symbol": self.number_symbol.text(), "place": self.place.text(),
                         "charts": self.charts.isChecked()},
            "signer": {"name": self.signer_name.text(), "title": self.signer_title.text(),
                       "mode": self.signer_mode.currentData()},
            "period_rules": {"start_day": self.start_day.value(), "cutoff_day": self.cutoff_day.value(),
                             "deadline_day": self.deadline_day.value(), "warn_days": self.warn_days.value()},
            "folders": {"export": self.export_folder.text(), "evidence": self.evidence_folder.text()},
            "signing": {"p12_file": self.p12_file.text(), "pkcs11_library": self.pkcs11_library.text(),
                        "token_label": self.token_label.text(), "key_label": self.key_label.text(),
                        "trusted_roots": self.trusted_roots.toPlainText().splitlines(),
                        "accept_untrusted": self.accept_untrusted.isChecked(),
                        "require_seal": self.require_seal.isChecked(), **self.images,
                        "seal_mm": self.seal_mm.value()},
        }

    def _image_row(self, key: str, what: str) -> tuple[QWidget, QLabel]:
        """A chosen image's state, with Chọn… and Bỏ: kept with the settings, never in a report
        (Nghị định 30/2020: shown on the signed PDF between the title and the name)."""
        state = QLabel()
        choose, drop = QPushButton("Chọn…"), QPushButton("Bỏ")
        choose.clicked.connect(lambda: self.choose_image(key, what))
        drop.clicked.connect(lambda: self.set_image(key, ""))
        row = QHBoxLayout()
        for widget in (state, choose, drop):
            row.addWidget(widget)
        row.setContentsMargins(0, 0, 0, 0)
        box = QWidget()
        box.setLayout(row)
        self.image_rows[key] = (box, state)
        self.set_image(key, self.images[key])
        return box, state

    def set_image(self, key: str, encoded: str) -> None:
        self.images[key] = encoded
        state = self.image_rows[key][1]
        if not encoded:
            state.setText("Chưa chọn (chữ ký số hiện bằng chữ)" if key == "signature_image" else "Chưa chọn")
            return
        pixmap = QPixmap()
        pixmap.loadFromData(base64.b64decode(encoded))
        state.setPixmap(pixmap.scaledToHeight(40))

    def choose_image(self, key: str, what: str, path: str | None = None) -> None:
        if path is None:
            path, _ = QFileDialog.getOpenFileName(self, f"Chọn hình {what}", "", "Ảnh PNG (*.png)")
            if not path:
                return
        try:
            data = checked_png(Path(path).read_bytes(), what)
        except OSError as error:
            QMessageBox.warning(self, "Hình chữ ký số", msg("LOOK006", file=Path(path).name,
                                                            reason=os_reason(error)))
            return
        except CchcError as error:
            QMessageBox.warning(self, "Hình chữ ký số", str(error))
            return
        self.set_image(key, base64.b64encode(data).decode())

    def _from_directory(self) -> None:
        """The official directory's dialog; what it saved is shown here again."""
        from desktop.ui.setup import setup_unit_dialog

        if setup_unit_dialog(self.window_):
            saved = load_settings(self.store)
            self.unit.clear()
            self.unit.addItem("(chưa chọn)", "")
            for unit in self.store.units.all():
                self.unit.addItem(unit.name, unit.code)
            self.unit.setCurrentIndex(max(self.unit.findData(saved["unit"]), 0))
            self.place.setText(saved["document"]["place"])
            self.recipients.setPlainText("\n".join(saved["document"]["recipients"]))
            self.signer_name.setText(saved["signer"]["name"])
            self.signer_title.setText(saved["signer"]["title"])

    def accept(self) -> None:
        outcome = self.window_.perform(lambda: save_settings(self.store, self.values()))
        if isinstance(outcome, Exception):
            return
        self.window_.say(msg("APP005"))
        super().accept()


def edit_settings(window) -> None:
    if SettingsDialog(window).exec() == QDialog.Accepted:
        window.report_changed_elsewhere()  # deadlines and document head may have changed


# --- export, import, print ------------------------------------------------------------------


def _export_folder(window) -> str:
    return load_settings(window.store)["folders"]["export"] or str(Path.home())


def _file_stem(window) -> str:
    data = window.session.data
    return f"bao-cao-{data.unit.code}-{data.period.year}-so-{window.session.report_id}"


ALL_FORMS = "Mọi biểu của bộ"


def print_blank_forms(window, set_key: tuple[str, int] | None = None, form_code: str | None = "",
                      path: str | None = None) -> Path | None:
    """Tệp → In biểu mẫu trống: a set's forms (or one) as empty forms to fill in by hand (issue 26 §4).
    ``form_code``: "" asks, None prints every form of the set."""
    from desktop.exchange.blank import blank_pdf, printed_forms

    sets = sorted((s for s in window.catalog.sets.values() if any(f.annex for f in s.forms.values())),
                  key=lambda s: (s.name, s.version))
    if not sets:
        return None
    if set_key is None:
        names = [f"{s.name} (phiên bản {s.version})" for s in sets]
        current = window.session.data.form_set.key if window.session is not None else None
        start = next((i for i, s in enumerate(sets) if s.key == current), 0)
        chosen, ok = QInputDialog.getItem(window, "In biểu mẫu trống", "Bộ biểu mẫu:", names, start, False)
        if not ok:
            return None
        set_key = sets[names.index(chosen)].key
    form_set = window.catalog.get(*set_key)
    if form_code == "":
        choices = [ALL_FORMS] + [f"{f.printed_code or c} – {f.title}"[:120] for c, f in form_set.forms.items() if f.annex]
        chosen, ok = QInputDialog.getItem(window, "In biểu mẫu trống", "Biểu cần in:", choices, 0, False)
        if not ok:
            return None
        codes = [c for c, f in form_set.forms.items() if f.annex]
        form_code = None if chosen == ALL_FORMS else codes[choices.index(chosen) - 1]
    if path is None:
        stem = f"bieu-mau-trong_{form_set.id}" + (f"_{form_code}" if form_code else "")
        path, _ = QFileDialog.getSaveFileName(window, "In biểu mẫu trống", str(Path(_export_folder(window)) /
                                                                            f"{stem}.pdf"), "Tệp PDF (*.pdf)")
        if not path:
            return None
    target = Path(path)

    def work():
        from desktop.foundation.files import write_atomically

        content = blank_pdf(window.catalog, form_set, form_code)
        return write_atomically(target, lambda temporary: temporary.write_bytes(content))

    outcome = run_in_background(window, "Đang in biểu mẫu trống…", work)
    if not shown_outcome(window, outcome):
        return None
    window.say(msg("BLANK003", forms=printed_forms(form_set, form_code), set=form_set.name, file=target))
    return target


def export_report(window, kind: str, path: str | None = None) -> Path | None:
    """Excel, PDF or Word (the report's text) of the open report, in the official layout."""
    if window.session is None:
        return None
    if path is None:
        suffix, filter_ = {"xlsx": (".xlsx", "Bảng tính Excel (*.xlsx)"), "pdf": (".pdf", "Tệp PDF (*.pdf)"),
                           "docx": (".docx", "Văn bản Word (*.docx)")}[kind]
        path, _ = QFileDialog.getSaveFileName(window, "Xuất báo cáo", str(Path(_export_folder(window)) /
                                                                         (_file_stem(window) + suffix)), filter_)
        if not path:
            return None
    target = Path(path)
    report_id = window.session.report_id

    def work():
        if kind == "xlsx":
            from desktop.exchange.xlsx import write_xlsx

            return write_xlsx(window.store, window.catalog, report_id, target)
        if kind == "docx":
            from desktop.exchange.docx import write_docx

            return write_docx(window.store, window.catalog, report_id, target)
        from desktop.exchange.pdf import write_pdf

        return write_pdf(window.store, window.catalog, report_id, target, trends=printed_trends(window, report_id))

    outcome = run_in_background(window, "Đang xuất báo cáo…", work)
    if not shown_outcome(window, outcome):
        return None
    window.say(msg("CLI006", report=report_id, file=target))
    return target


def printed_trends(window, report_id: int) -> list | None:
    """The key figures' trends when the settings ask for a page of charts in print, else None."""
    if not load_settings(window.store)["document"]["charts"]:
        return None
    from desktop.app.picture import trends

    return trends(window.store, window.catalog, report_id)


def import_workbook(window, path: str | None = None) -> None:
    if window.session is None:
        return
    if path is None:
        path, _ = QFileDialog.getOpenFileName(window, "Nhập số liệu từ Excel", _export_folder(window),
                                              "Bảng tính Excel (*.xlsx)")
        if not path:
            return
    from desktop.exchange.xlsx import import_xlsx

    report_id = window.session.report_id
    outcome = window.perform(lambda: import_xlsx(window.store, window.catalog, report_id, Path(path)))
    if isinstance(outcome, Exception):
        return
    window.apply(window.session.external(outcome))  # one undo takes the whole import back
    window.say(msg("XLSX008", file=Path(path).name, report=report_id, cells=len(outcome)))


def print_preview(window) -> None:
    if window.session is None:
        return
    from desktop.report.data import report_data
    from desktop.exchange.pdf import render_pdf
    from desktop.ui.printing import preview_dialog

    report_id = window.session.report_id
    content = run_in_background(window, "Đang dàn trang…",
                                lambda: render_pdf(report_data(window.store, window.catalog, report_id),
                                                   trends=printed_trends(window, report_id),
                                                   signing=load_settings(window.store)["signing"]))
    if isinstance(content, Exception):
        window.say(str(content), warning=True)
        return
    preview_dialog(content, window).exec()


# --- help ------------------------------------------------------------------------------------


def guide_path() -> Path:
    return resources_dir() / "guide" / "huong-dan.html"


def show_guide(window) -> QDialog:
    dialog = QDialog(window)
    dialog.setWindowTitle("Hướng dẫn sử dụng CCHC Desktop")
    dialog.resize(720, 640)
    browser = QTextBrowser()
    try:
        browser.setHtml(guide_path().read_text(encoding="utf-8"))
    except OSError:
        browser.setPlainText("Không tìm thấy tệp hướng dẫn; hãy cài lại ứng dụng.")
    layout = QVBoxLayout(dialog)
    layout.addWidget(browser)
    buttons = QDialogButtonBox(QDialogButtonBox.Close)
    buttons.rejected.connect(dialog.reject)
    layout.addWidget(buttons)
    dialog.setModal(False)
    dialog.show()
    return dialog


def about(window) -> None:
    QMessageBox.about(window, "Giới thiệu CCHC Desktop",
                      f"<b>CCHC Desktop {__version__}</b><br>"
                      "Nhập, kiểm tra, in và nộp phụ lục báo cáo cải cách hành chính.<br>"
                      "Làm việc không cần mạng; dữ liệu lưu ngay khi nhập.<br><br>"
                      f"Tệp dữ liệu: {window.db_path}<br>"
                      "Phông chữ Liberation Serif (SIL Open Font License 1.1).")

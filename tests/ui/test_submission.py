"""The way up in the window: status, signing, unlocking, receiving the communes' packages."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit

from desktop.app.demo import commune_transcripts, transcript_document, unit_tree
from desktop.exchange.interchange import import_report
from desktop.ui import submission


def _commune_report(window, filled: bool = True) -> int:
    """A demo commune's report, with its signer, number and date filled in (the transcript keeps the
    seed's placeholder for the name) unless ``filled`` is False."""
    transcript = next(t for t in commune_transcripts() if t["unit"] == "22732.cu")
    document = transcript_document(transcript, unit_tree(), window.catalog, "x")
    report = import_report(window.store, window.catalog, document)
    if filled:
        window.store.reports.update(report, signer_name="Nguyễn Văn A", doc_number="01/BC-UBND", doc_date="2019-12-10")
    window.navigator.refresh()
    window.open_report(report)
    return report


def test_a_report_with_a_place_left_to_fill_is_not_checked_and_the_window_says_where(demo_window, no_dialogs):
    window = demo_window
    report = _commune_report(window, filled=False)
    assert not submission.mark_checked(window)
    assert window.store.reports.get(report).status == "nhap"
    kind, text = no_dialogs[-1]
    assert kind == "warning" and "Chưa thể chuyển sang “Đã kiểm tra”" in text
    assert "“[Họ và tên người ký]”" in text and "số văn bản chưa điền" in text and "ngày văn bản chưa điền" in text


def test_check_sign_lock_and_unlock(demo_window, qtbot, tmp_path, no_dialogs):
    window = demo_window
    report = _commune_report(window)
    assert window.checked_action.isEnabled() and not window.unlock_action.isEnabled()
    assert submission.mark_checked(window)
    assert window.store.reports.get(report).status == "da_kiem_tra"

    choice = submission.SignChoice("new", tmp_path / "goi", secret="mat-khau-cua-xa",
                                   new_file=str(tmp_path / "xa.p12"))
    package = submission.sign_report(window, choice)
    assert package is not None and package.exists() and package.suffix == ".cchc"
    assert choice.secret == ""  # dropped once used
    assert window.store.reports.get(report).status == "da_ky"
    assert window.session.locked and not window.paste_action.isEnabled()
    assert window.unlock_action.isEnabled() and window.submitted_action.isEnabled()
    # a signed report says it is locked and opens no cell editor: typing changes nothing
    assert window.deadline_label.text().startswith("Đã ký · khóa sửa")
    window.view.setCurrentIndex(window.model.index(0, 3))
    before = window.store.cells.get(report)
    qtbot.keyClicks(window.view, "7")
    assert not [w for w in window.view.viewport().findChildren(QLineEdit) if w.isVisible()]
    qtbot.keyClick(window.view, Qt.Key_Return)
    assert window.store.cells.get(report) == before
    # the status bar follows the status: no "Quá hạn nộp" once submitted
    assert submission.mark_submitted(window)
    assert window.deadline_label.text().startswith("Đã nộp") and "Quá hạn" not in window.deadline_label.text()
    # the certificate file is remembered for next time, the passphrase is not
    signing = window.store.settings.get("signing")
    assert signing["p12_file"] == str(tmp_path / "xa.p12")
    assert "mat-khau-cua-xa" not in str(window.store.conn.execute("SELECT * FROM settings").fetchall())
    # saving the settings dialog keeps it (the dialog shows the signing settings on a tab of their own)
    from desktop.ui.dialogs import SettingsDialog

    settings_dialog = SettingsDialog(window)
    assert settings_dialog.p12_file.text() == str(tmp_path / "xa.p12")
    # Vietnam's anchors are shown, with their fingerprints, beside the roots the unit adds (issue 28 §1)
    assert "RootCA chuyên dùng Chính phủ G2" in settings_dialog.built_in_anchors.text()
    assert "f04ba4b459a7c9a1b971ad9b1cb833e695a80c79aea63b174b66a70edfe2fdb8" in settings_dialog.built_in_anchors.toolTip()
    settings_dialog.trusted_roots.setPlainText(str(tmp_path / "goc.pem"))
    settings_dialog.accept()
    assert window.store.settings.get("signing")["p12_file"] == str(tmp_path / "xa.p12")
    assert window.store.settings.get("signing")["trusted_roots"] == [str(tmp_path / "goc.pem")]

    assert not submission.unlock_report(window, reason="sửa")  # too short: refused
    assert window.store.reports.get(report).status == "da_nop"
    assert submission.unlock_report(window, reason="Sửa số hồ sơ mới nhận theo sổ theo dõi")
    after = window.store.reports.get(report)
    assert (after.status, after.version) == ("nhap", 2)
    assert not window.session.locked and window.paste_action.isEnabled()


def test_a_wrong_passphrase_is_said_and_nothing_is_signed(demo_window, tmp_path, no_dialogs):
    window = demo_window
    report = _commune_report(window)
    assert submission.mark_checked(window)
    submission.sign_report(window, submission.SignChoice("new", tmp_path, secret="a1b2c3d4e5",
                                                         new_file=str(tmp_path / "xa.p12")))
    assert submission.unlock_report(window, reason="Ký lại bằng tệp chứng thư của xã")
    assert submission.mark_checked(window)
    no_dialogs.clear()
    assert submission.sign_report(window, submission.SignChoice("p12", tmp_path / "goi2",
                                                                p12_file=str(tmp_path / "xa.p12"),
                                                                secret="sai-mat-khau")) is None
    assert no_dialogs and "mật khẩu không đúng" in no_dialogs[-1][1]
    assert window.store.reports.get(report).status == "da_kiem_tra"
    assert not (tmp_path / "goi2").exists() or not list((tmp_path / "goi2").iterdir())


def test_the_sign_dialog_lists_the_tokens_found_and_signs_with_the_one_picked(demo_window, qtbot, tmp_path,
                                                                                token, monkeypatch, no_dialogs):
    """Issue 28 §4: the clerk picks a certificate from the tokens plugged in (SoftHSM2 under
    VNPT-CA's module name in a System32 of the test's), no path typed; a broken module is said."""
    import shutil

    from desktop.submission.tokens import FOLDERS_VARIABLE

    window = demo_window
    report = _commune_report(window)
    assert submission.mark_checked(window)
    system32 = tmp_path / "System32"
    system32.mkdir()
    shutil.copy(token.library, system32 / "vnptca_p11_v8.dll")
    (system32 / "fptca_v3.dll").write_bytes(b"\x00" * 64)
    monkeypatch.setenv(FOLDERS_VARIABLE, str(system32))
    dialog = submission.SignDialog(window)
    qtbot.addWidget(dialog)
    dialog.p12_radio.setChecked(True)
    assert dialog.find_tokens() == 1
    assert dialog.token_radio.isChecked()
    shown = dialog.found.currentText()
    assert "Ủy ban nhân dân xã Token" in shown and "VNPT-CA" in shown and "cchc-test" in shown
    assert dialog.library.text() == str(system32 / "vnptca_p11_v8.dll") and dialog.token_label.text() == "cchc-test"
    assert "fptca_v3.dll" in dialog.found_note.text() and "FPT-CA" in dialog.found_note.text()
    dialog.secret.setText(token.pin)
    dialog.folder.setText(str(tmp_path / "goi"))
    choice = dialog.choice()
    assert (choice.mode, choice.key_label) == ("token", "chu-ky")
    assert submission.sign_report(window, choice) is not None
    assert window.store.reports.get(report).status == "da_ky"
    # nothing plugged in: said in the dialog, not a traceback
    monkeypatch.setenv(FOLDERS_VARIABLE, str(tmp_path / "trong"))
    empty = submission.SignDialog(window)
    qtbot.addWidget(empty)
    assert empty.find_tokens() == 0 and "Không tìm thấy thiết bị ký số" in empty.found_note.text()


def test_consolidating_the_communes_packages(demo_window, tmp_path, no_dialogs):
    from desktop.app.demo import enrol_demo_certificates, write_commune_packages
    from desktop.submission.register import fingerprint

    window = demo_window
    written, _ = write_commune_packages(window.catalog, tmp_path / "goi")
    # five communes handed over their certificates; Ba Cụm Bắc (22732.cu) sends its first package unannounced
    (tmp_path / "goi" / "chung-thu" / "22732.cu.cer").unlink()
    assert len(enrol_demo_certificates(window.store, tmp_path / "goi")) == 5
    district = next(r.id for r in window.store.reports.all() if r.unit_code == "KH.KS")
    window.open_report(district, "PL6")
    assert window.consolidate_action.isEnabled()
    (tmp_path / "goi" / "rac.cchc").write_bytes(b"khong phai goi")
    result = submission.consolidate_packages(window, [str(p) for p in written] + [str(tmp_path / "goi" / "rac.cchc")],
                                             show=False)
    dialog = window.consolidation_dialog
    states = [dialog.matrix.item(r, 1).text() for r in range(dialog.matrix.rowCount())]
    # received today for 2019: late on receipt, whatever time each package says it was signed
    assert states.count("Chưa nộp") == 2 and sum(s.startswith("Nộp trễ hạn") for s in states) == 5
    assert states.count("Chờ xác nhận chứng thư") == 1
    assert all("nhận " in s and "ghi ký " in s for s in states if s.startswith("Nộp trễ hạn"))
    assert dialog.received.rowCount() == 7
    assert "Từ chối" in dialog.received.item(6, 1).text()
    assert len(dialog.held) == 1

    def shown() -> list[str]:
        return [dialog.matrix.item(r, 0).text() for r in range(dialog.matrix.rowCount())
                if not dialog.matrix.isRowHidden(r)]
    dialog.filter_state.setCurrentIndex(dialog.filter_state.findData("missing"))
    assert sorted(shown()) == ["Xã Ba Cụm Nam", "Xã Sơn Bình"]
    dialog.filter_state.setCurrentIndex(0)
    dialog.filter_text.setText("ba cum")  # any spelling
    assert sorted(shown()) == ["Xã Ba Cụm Bắc", "Xã Ba Cụm Nam"]
    dialog.filter_text.clear()
    dialog.matrix.sortItems(1)  # by state
    labels = [dialog.matrix.item(r, 1).data(Qt.UserRole) for r in range(dialog.matrix.rowCount())]
    grouped = [label for n, label in enumerate(labels) if n == 0 or labels[n - 1] != label]
    assert len(grouped) == len(set(labels)) and len(shown()) == 8  # each state's units together
    dialog.show()
    dialog.grab().save(str(Path(tmp_path) / "tong-hop.png"))
    dialog.close()
    # the held package counts for nothing until the clerk has compared the fingerprint with the commune
    assert window.store.submissions.all(["22732.cu"]) == []
    register = submission.CertificatesDialog(window)
    assert register.held.rowCount() == 1 and register.register.rowCount() == 5
    assert "Xã Ba Cụm Bắc" in register.held.item(0, 0).text()
    [held] = window.store.submissions.all(state="held")
    assert register.held.item(0, 3).text().replace("\n", " ") == fingerprint(held.certificate_sha256)
    assert "lần đầu nhận gói của Xã Ba Cụm Bắc" in register.reason.text()
    assert not submission.confirm_signer(window, held.id, "0000 1111 " * 3)
    assert "không khớp" in no_dialogs[-1][1]
    assert submission.confirm_signer(window, held.id, held.certificate_sha256[:20])
    register.refresh()
    assert register.held.rowCount() == 0 and register.register.rowCount() == 6
    # the six rows hold what was printed already; the total row is now the sum of its communes,
    # where seed 000 printed 7.814 files received for the communes' 8.990
    assert result.filled == 3
    assert window.store.cells.get(district)["PL6"]["tong"]["nhan_trong_ky"] == "8990"
    assert [s.state for s in window.store.submissions.all(["22732.cu"], current_only=True)] == ["accepted"]

    # the commune's token is lost: withdrawn, and what it signed from today set aside
    register.refresh()
    [certificate] = [c for c in window.store.certificates.all() if c.unit_code == "22732.cu"]
    register.register.selectRow(window.store.certificates.all().index(certificate))
    asking = submission.WithdrawDialog(register, certificate)
    ok = asking.buttons.button(asking.buttons.StandardButton.Ok)
    assert not ok.isEnabled() and not asking.from_day.isEnabled()  # a reason first; no day unless asked
    asking.reason.setText("Mất thiết bị ký")
    asking.set_aside.setChecked(True)
    assert ok.isEnabled() and asking.from_day.isEnabled() and asking.since() == dt.date.today()
    register.withdraw(certificate.sha256, asking.reason.text(), asking.since())
    assert "1 gói" in no_dialogs[-1][1]
    assert window.store.submissions.all(["22732.cu"], current_only=True) == []


def test_the_way_back_a_receipt_from_the_district_window_to_the_communes(demo_window, qtbot, tmp_path, no_dialogs,
                                                                          monkeypatch):
    """Issue 28 §5 in the window: the district returns a commune's package with a reason (its
    consolidation dialog), the commune takes the receipt (Tệp → Nhận phiếu của cấp trên) and its
    report is unlocked as the next version, the reason shown where the deadline was."""
    from cryptography.hazmat.primitives.serialization import Encoding

    from desktop.submission.identity import load_p12
    from desktop.submission.register import enrol

    window = demo_window
    report = _commune_report(window)  # Ba Cụm Bắc (22732.cu), signed and sent from this database
    assert submission.mark_checked(window)
    package = submission.sign_report(window, submission.SignChoice("new", tmp_path / "goi", secret="mat-khau-cua-xa",
                                                                   new_file=str(tmp_path / "xa.p12")))
    assert submission.mark_submitted(window)
    # the district's clerk, in the same demo database: its commune's certificate registered, the package received
    with load_p12((tmp_path / "xa.p12").read_bytes(), "mat-khau-cua-xa") as commune_identity:
        enrol(window.store, "22732.cu", commune_identity.certificate.public_bytes(Encoding.DER))
    parent = window.store.units.get(window.store.units.get("22732.cu").parent_code)
    district_report = next(r.id for r in window.store.reports.all() if r.unit_code == parent.code)
    window.open_report(district_report)
    result = submission.consolidate_packages(window, [str(package)], show=False)
    dialog = window.consolidation_dialog
    row = next(i for i, r in enumerate(result.received) if r.status == "accepted")
    dialog.received.setCurrentCell(row, 0)
    district_key = tmp_path / "huyen.p12"
    monkeypatch.setattr(submission.QInputDialog, "getMultiLineText",
                        lambda *a, **k: ("Phụ lục thiếu số liệu tháng 6, đề nghị bổ sung", True))
    choice = submission.SignChoice("new", tmp_path / "phieu", secret="mat-khau-cua-huyen", new_file=str(district_key))
    monkeypatch.setattr(submission, "issue_receipt",
                        lambda w, n, accept, reason=None, real=submission.issue_receipt: real(w, n, accept, reason, choice))
    receipt = dialog._answer(window, False)
    assert receipt is not None and receipt.suffix == ".cchcphieu"
    # the commune has no certificate of its district on file: it reads the fingerprint out over the telephone
    with load_p12(district_key.read_bytes(), "mat-khau-cua-huyen") as district_identity:
        read_out = district_identity.cert_sha256[:24]
    monkeypatch.setattr(submission.QInputDialog, "getText", lambda *a, **k: (read_out, True))
    window.open_report(report)
    taken = submission.import_receipt(window, str(receipt))
    assert taken is not None, no_dialogs[-1:]
    assert taken["status"] == "bi_tra_lai"
    assert window.store.reports.get(report).version == 2
    assert "trả lại" in window.deadline_label.text() and "tháng 6" in window.deadline_label.text()
    assert not window.session.locked


def test_what_is_due_lists_the_units_reports_by_period_and_opens_one(demo_window, qtbot):
    import datetime as dt

    from desktop.foundation.settings import load_settings, save_settings

    window = demo_window
    settings = load_settings(window.store)
    settings["unit"] = "22732.cu"  # Ba Cụm Bắc: its Quý II 2025 report, a draft
    save_settings(window.store, settings)
    dialog = submission.DueDialog(window, today=dt.date(2025, 10, 1))
    qtbot.addWidget(dialog)
    rows = [[dialog.table.item(r, c).text() for c in range(5)] for r in range(dialog.table.rowCount())]
    #   | Kỳ báo cáo        | Tình trạng | Hạn nộp    |
    assert [row[1:4] for row in rows] == [
        ["Quý II năm 2025", "Quá hạn", "20/06/2025"],  # its draft, past the deadline
        ["Quý III năm 2025", "Quá hạn", "20/09/2025"],  # never started
        ["Quý IV năm 2025", "Chưa làm", "20/12/2025"],  # its data began on 15/9
    ]
    assert rows[0][4].startswith("Biểu số 06")
    assert len(rows) == 3
    report = dialog.listed[0].report
    dialog._open(window, 0)
    assert window.session.report_id == report


def test_the_seal_after_the_signature_in_the_window(demo_window, tmp_path, no_dialogs):
    """Issue 28 §3: Đã ký → Đóng dấu (chữ ký số cơ quan) → Đã nộp, each step's action enabled in turn."""
    window = demo_window
    report = _commune_report(window)
    assert submission.mark_checked(window)
    assert not window.seal_action.isEnabled()
    assert submission.sign_report(window, submission.SignChoice("new", tmp_path / "goi", secret="mat-khau-cua-xa",
                                                                new_file=str(tmp_path / "nguoi-ky.p12")))
    assert window.seal_action.isEnabled() and window.submitted_action.isEnabled()
    sealed = submission.seal_report(window, submission.SignChoice("new", tmp_path / "goi", secret="mat-khau-co-quan",
                                                                  new_file=str(tmp_path / "co-quan.p12")))
    assert sealed is not None and window.store.reports.get(report).status == "da_dong_dau"
    assert not window.seal_action.isEnabled() and window.submitted_action.isEnabled()
    assert window.deadline_label.text().startswith("Đã ký và đóng dấu")
    from desktop.submission.verify import verify_file

    verdict = verify_file(sealed, window.catalog)
    assert verdict.valid and [s["role"] for s in verdict.signatures] == ["ca_nhan", "co_quan"]
    assert submission.mark_submitted(window)

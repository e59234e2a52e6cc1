"""Tệp › Thông tin văn bản (Ctrl+I): the report's number, date, signer and data period, changed in
the window; a wrong value says why in the dialog and changes nothing."""

from desktop.ui import editing

KE_SACH = 2


def test_the_clerk_sets_the_signer_and_data_period_and_a_wrong_date_is_refused(demo_window, qtbot):
    from desktop.ui.dialogs import ReportInfoDialog

    window = demo_window
    window.open_report(KE_SACH, "5B")
    dialog = ReportInfoDialog(window)
    qtbot.addWidget(dialog)
    assert dialog.doc_number.text() == "542/BC-UBND" and dialog.doc_date.text() == "21/11/2019"
    assert dialog.data_to.placeholderText().startswith("Để trống: 14/12/2019")
    dialog.signer_mode.setCurrentIndex(dialog.signer_mode.findData("KT"))
    dialog.data_from.setText("30/11/2019")
    dialog.data_to.setText("25/11/2019")
    dialog.save()
    assert "phải trước" in dialog.error.text() and dialog.result() == 0
    assert window.store.reports.get(KE_SACH).signer_mode == "TM"  # nothing stored
    dialog.data_from.setText("01/01/2019")
    dialog.save()
    report = window.store.reports.get(KE_SACH)
    assert (report.signer_mode, report.data_from, report.data_to) == ("KT", "2019-01-01", "2019-11-25")
    assert window.session.data.report.data_to == "2019-11-25"  # the open report read again
    assert window.info_action.shortcut().toString() == "Ctrl+I"


def test_a_signed_report_shows_its_information_without_a_save(demo_window, qtbot):
    from PySide6.QtWidgets import QDialogButtonBox

    from desktop.ui.dialogs import ReportInfoDialog

    window = demo_window
    window.store.reports.update(KE_SACH, status="da_ky")
    window.open_report(KE_SACH)
    dialog = ReportInfoDialog(window)
    qtbot.addWidget(dialog)
    assert "đã ký" in dialog.error.text()
    assert not dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.Save).isEnabled()


def test_the_settings_take_a_signature_and_a_seal_image_and_refuse_an_opaque_one(demo_window, qtbot, tmp_path,
                                                                                  no_dialogs):
    """Thiết lập › Chữ ký số: the two images are checked when chosen, kept with the settings, and the
    print preview then draws them where the signed PDF will show them."""
    import base64
    import io

    from PIL import Image

    from desktop.foundation.settings import load_settings, save_settings
    from desktop.ui.dialogs import SettingsDialog

    def png(path, mode):
        Image.new(mode, (300, 120), (0, 0, 0, 0) if mode == "RGBA" else (255, 255, 255)).save(path)
        return str(path)

    window = demo_window
    dialog = SettingsDialog(window)
    qtbot.addWidget(dialog)
    assert dialog.image_rows["signature_image"][1].text().startswith("Chưa chọn")
    dialog.choose_image("signature_image", "chữ ký", png(tmp_path / "opaque.png", "RGB"))
    assert no_dialogs and "nền trong suốt" in no_dialogs[-1][1] and dialog.images["signature_image"] == ""
    dialog.choose_image("signature_image", "chữ ký", png(tmp_path / "ky.png", "RGBA"))
    dialog.choose_image("seal_image", "con dấu", png(tmp_path / "dau.png", "RGBA"))
    dialog.seal_mm.setValue(40)
    assert dialog.image_rows["signature_image"][1].pixmap() is not None
    save_settings(window.store, dialog.values())
    signing = load_settings(window.store)["signing"]
    assert Image.open(io.BytesIO(base64.b64decode(signing["signature_image"]))).size == (300, 120)
    assert signing["seal_mm"] == 40


def test_the_settings_import_a_revocation_list_signed_by_a_trusted_ca_and_refuse_junk(demo_window, qtbot, tmp_path,
                                                                                      no_dialogs):
    """Thiết lập › Chữ ký số › Danh sách thu hồi (issue 28 §1): a CA's CRL, downloaded elsewhere."""
    import datetime as dt

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.hazmat.primitives.serialization import Encoding
    from cryptography.x509.oid import NameOID

    from desktop.ui.dialogs import SettingsDialog

    now = dt.datetime.now(dt.timezone.utc)
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "CA Thử nghiệm CRL")])
    ca = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
          .serial_number(1).not_valid_before(now - dt.timedelta(days=1)).not_valid_after(now + dt.timedelta(days=30))
          .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True).sign(key, hashes.SHA256()))
    (tmp_path / "ca.pem").write_bytes(ca.public_bytes(Encoding.PEM))
    crl = (x509.CertificateRevocationListBuilder().issuer_name(name).last_update(now - dt.timedelta(hours=1))
           .next_update(now + dt.timedelta(days=7)).add_revoked_certificate(
               x509.RevokedCertificateBuilder().serial_number(42).revocation_date(now).build())
           .sign(key, hashes.SHA256()))
    (tmp_path / "ca.crl").write_bytes(crl.public_bytes(Encoding.DER))
    (tmp_path / "rac.crl").write_bytes(b"khong phai CRL")
    window = demo_window
    dialog = SettingsDialog(window)
    qtbot.addWidget(dialog)
    assert dialog.crl_state.text().startswith("Chưa nhập")
    assert not dialog.import_crl(str(tmp_path / "ca.crl"))  # its CA is not yet trusted here
    assert "không do một CA tin cậy ký" in no_dialogs[-1][1]
    dialog.trusted_roots.setPlainText(str(tmp_path / "ca.pem"))
    assert not dialog.import_crl(str(tmp_path / "rac.crl"))
    assert "không phải danh sách thu hồi" in no_dialogs[-1][1] and "Error" not in no_dialogs[-1][1]
    assert dialog.import_crl(str(tmp_path / "ca.crl"))
    assert "CA Thử nghiệm CRL" in dialog.crl_state.text() and "1 chứng thư bị thu hồi" in dialog.crl_state.text()
    assert len(window.store.revocation_lists.all()) == 1


def test_the_note_under_a_table_is_typed_below_it_and_undone_as_one_step(demo_window, qtbot):
    from desktop.report.ops import form_note_key

    window = demo_window
    window.open_report(KE_SACH, "5B")
    note = window.page.note
    assert note.text() == "" and note.isVisible()
    note.setText("Số liệu tính đến ngày 15/11/2019.")
    note.editingFinished.emit()
    assert window.store.narrative.of(KE_SACH)[form_note_key("5B")] == "Số liệu tính đến ngày 15/11/2019."
    window.show_form("4B")
    assert note.text() == ""  # each form its own note
    editing.undo(window)
    assert form_note_key("5B") not in window.store.narrative.of(KE_SACH)
    assert window.form_code == "5B" and note.text() == ""  # the undo shows where it happened
    editing.redo(window)
    assert note.text() == "Số liệu tính đến ngày 15/11/2019."

"""Screenshots of the main screens from the demo data, offscreen, for the README and for review.

    python -m desktop.ui.screenshots docs/screenshots

Each screen is grabbed from the real window (no screen needed: run with
QT_QPA_PLATFORM=offscreen, which this module sets when nothing else is chosen).
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication  # noqa: E402

from desktop.ui.app import build_window, install_translations, parse_args  # noqa: E402

# (file name, report id, form code): the demo reports are 1 Khánh Sơn, 2 Kế Sách, 3 Quảng Ngạn
SCREENS = [
    ("ke-sach-5b.png", 2, "5B"),
    ("ke-sach-4b.png", 2, "4B"),
    ("khanh-son-pl5.png", 1, "PL5"),
    ("quang-ngan-pl1.png", 3, None),
]


# a one-stop system's statistics as a commune exports them (made-up figures, the shape of issue 25)
ONE_STOP_SAMPLE = """THỐNG KÊ TÌNH HÌNH GIẢI QUYẾT HỒ SƠ (số liệu minh họa)
STT;Lĩnh vực;Tiếp nhận;;;;;Đã xử lý;;;Đang xử lý;;Bổ sung;Trả lại/ Rút HS
;;Tổng số;Kỳ trước;Trong kỳ;Qua mạng;Qua BCCI;Trước hạn;Đúng hạn;Quá hạn;Trong hạn;Quá hạn;;
1;Hộ tịch;160;14;146;52;3;40;104;2;13;1;2;0
2;Chứng thực;272;6;266;4;0;70;196;0;6;0;0;1
3;Đất đai;76;22;54;11;1;10;40;4;20;2;1;0
4;Bảo trợ xã hội;41;7;34;8;0;9;25;0;7;0;0;0
5;Thi đua - Khen thưởng;12;0;12;0;0;2;10;0;0;0;0;0
6;Văn hóa cơ sở;3;0;3;1;0;0;3;0;0;0;0;0
"""


def _settle(app: QApplication) -> None:
    for _ in range(5):
        app.processEvents()


def render(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    install_translations(app)
    db = Path(tempfile.mkdtemp()) / "demo.db"
    window = build_window(parse_args(["--demo", "--db", str(db)]))
    window.resize(1366, 768)
    window.show()
    written = []
    for name, report, form in SCREENS:
        window.open_report(report, form)
        _settle(app)
        target = folder / name
        window.grab().save(str(target))
        written.append(target)
    # an old office PC's 1024×768 screen: Kế Sách's Biểu mẫu 5B beside the navigator
    window.resize(1024, 768)
    window.open_report(2, "5B")
    _settle(app)
    written.append(folder / "ke-sach-5b-1024.png")
    window.grab().save(str(written[-1]))
    # a clerk's quarter at 1024×768 (issue 25): the one-stop system's export previewed, then imported;
    # the totals the clerk left blank computed (light blue), a printed total typed over one of them
    from desktop.foundation.periods import Period
    from desktop.report.ops import create_report
    from desktop.ui.onestop import import_stats

    quarter, _ = create_report(window.store, window.catalog, "22732.2025", Period("quy", 2025, 4), "toanquoc-06", 1,
                               subject="Kết quả giải quyết thủ tục hành chính quý IV năm 2025 (số liệu minh họa)")
    window.open_report(quarter, "06")
    export = db.parent / "thong-ke-mot-cua.csv"
    export.write_text(ONE_STOP_SAMPLE, encoding="utf-8")

    def preview(dialog) -> bool:
        dialog.show()
        _settle(app)
        written.append(folder / "nhap-mot-cua-1024.png")
        dialog.grab().save(str(written[-1]))
        dialog.close()
        return True

    import_stats(window, str(export), confirm=preview)
    window.perform(lambda: window.session.enter("06", [("item:chung_thuc", "nhan_tong", "270")]))
    window.findings_panel.check()
    window.go_to_cell("06", "item:chung_thuc", "nhan_tong")
    _settle(app)
    written.append(folder / "tong-tu-tinh-1024.png")
    window.grab().save(str(written[-1]))
    window.resize(1366, 768)
    # the PAR scoring sheet of xã Đắk Ruồng (its printed total contradicts its areas) and Khánh Sơn's body
    sheet = next(r.id for r in window.store.reports.all() if r.unit_code == "23488.cu")
    window.open_report(sheet)
    _settle(app)
    written.append(folder / "cham-diem.png")
    window.grab().save(str(written[-1]))
    window.open_narrative(1)
    window.narrative_page.sections.setCurrentRow(window.narrative_page._row_of("II.2"))
    _settle(app)
    written.append(folder / "noi-dung.png")
    window.grab().save(str(written[-1]))
    from desktop.ui import dialogs, submission

    def shoot(dialog, name: str) -> None:
        dialog.show()
        _settle(app)
        written.append(folder / name)
        dialog.grab().save(str(written[-1]))
        dialog.close()

    for name, make in (("bao-cao-moi.png", dialogs.NewReportDialog), ("thiet-lap.png", dialogs.SettingsDialog),
                       ("ky-so.png", submission.SignDialog)):
        shoot(make(window), name)
    # a new database's first run: the clerk's unit from the official directory, typed without diacritics
    from desktop.ui.setup import SetupDialog

    first_run = SetupDialog(window, first_run=True)
    first_run.search.setText("dong khanh son")
    shoot(first_run, "thiet-lap-don-vi.png")
    # the district receives its communes' signed packages (the demo communes of Khánh Sơn)
    from desktop.app.demo import enrol_demo_certificates, write_commune_packages

    packages, _ = write_commune_packages(window.catalog, db.parent / "goi")
    # one commune sends its first package before its certificate: held until the clerk confirms it
    (db.parent / "goi" / "chung-thu" / "22732.cu.cer").unlink()
    enrol_demo_certificates(window.store, db.parent / "goi")
    window.open_report(1, "PL6")
    submission.consolidate_packages(window, [str(p) for p in packages], show=False)
    shoot(window.consolidation_dialog, "tong-hop-goi.png")
    shoot(submission.CertificatesDialog(window), "chung-thu.png")
    # the district's picture of its communes this period (Xu hướng và tổng quan, Ctrl+G)
    from desktop.app.picture import overview, ranked_by, trends
    from desktop.ui.charts import PictureDialog

    data = window.session.data
    picture = PictureDialog(window, data, trends(window.store, window.catalog, 1),
                            overview(data, window.session.findings()), ranked_by(data))
    shoot(picture, "tong-quan.png")
    # a merged commune's trends: its first quarter is its three old communes added up
    window.open_report(15)
    data = window.session.data
    shoot(PictureDialog(window, data, trends(window.store, window.catalog, 15), [], None),
          "xu-huong-dong-khanh-son.png")
    # Kon Rẫy receives its communes' PAR self-assessments, appraises Tân Lập's area 2 and ranks them,
    # on a 1366 and a 1024 wide screen
    from desktop.app.demo import write_commune_sheet_packages
    from desktop.kinds.par.appraisal import appraise

    sheets, _ = write_commune_sheet_packages(window.catalog, db.parent / "chi-so")
    enrol_demo_certificates(window.store, db.parent / "chi-so")
    district = next(r.id for r in window.store.reports.all() if r.unit_code == "KT.KR")
    window.open_report(district)
    submission.consolidate_packages(window, [str(p) for p in sheets], show=False)
    appraise(window.store, window.catalog, district, "23497.cu", [("2", "5", "Chưa công khai đủ thủ tục hành chính")])
    window.open_appraisal(district)
    page = window.appraisal_page
    page.ranking.setCurrentCell([page.ranking.item(r, 1).text() for r in range(page.ranking.rowCount())]
                                .index("Xã Tân Lập"), 1)
    for width, name in ((1366, "tham-dinh.png"), (1024, "tham-dinh-1024.png")):
        window.resize(width, 768)
        _settle(app)
        written.append(folder / name)
        window.grab().save(str(written[-1]))
    # Tệp › Bộ biểu mẫu on a 1024×768 screen (issue 26): the sets, and Sóc Trăng's 5B as printed empty
    from desktop.ui.formsets import FormSetsDialog

    sets = FormSetsDialog(window)
    sets.resize(984, 700)
    names = [sets.table.item(r, 0).text() for r in range(sets.table.rowCount())]
    sets.table.selectRow(next(r for r, n in enumerate(names) if "Sóc Trăng" in n))
    sets.forms.setCurrentIndex(next(i for i in range(sets.forms.count()) if sets.forms.itemData(i) == "5B"))
    shoot(sets, "bo-bieu-mau-1024.png")
    window.store.close()
    window.close()
    window.deleteLater()
    _settle(app)
    return written


if __name__ == "__main__":
    for path in render(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshots")):
        print(path)

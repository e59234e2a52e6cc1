"""``cchc``: the command line over the headless core.

Exit codes: 0 no errors, 1 errors found (validation findings of severity
"error", a refused import), 2 bad input or usage (unreadable file, damaged
database, unknown report).  ``--json`` prints machine-readable output.
Nothing here imports Qt: the window is started only when no command is given.
Each command imports what it uses when it runs, so that ``cchc validate`` never
loads the signing (pyHanko), PDF (reportlab) or Excel (openpyxl) stacks.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import re
import sys
import traceback
from pathlib import Path

from desktop import __version__
from desktop.foundation.messages import CchcError, msg, os_reason
from desktop.foundation.values import format_points
from desktop.app.arguments import VietnameseParser as _Parser  # argparse's own words in Vietnamese

EXIT_OK, EXIT_FINDINGS, EXIT_BAD_INPUT = 0, 1, 2


SHARED_HELP = {  # options many commands take, said once
    "report": "số báo cáo (cột id của lệnh reports)", "output": "tệp cần ghi",
    "file": "tệp Excel (.xlsx) đã xuất từ ứng dụng", "package": "tệp gói (.cchc)",
    "dir": "thư mục bộ biểu mẫu (mặc định: forms/ của ứng dụng)", "forms_command": "việc cần làm: check",
}


def _help_for_shared_options(parser: argparse.ArgumentParser) -> None:
    for action in parser._actions:
        if not action.help and action.dest in SHARED_HELP:
            action.help = SHARED_HELP[action.dest]
        if isinstance(action, argparse._SubParsersAction):
            for command in action.choices.values():
                _help_for_shared_options(command)


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    # SUPPRESS: a subcommand's own default must not undo "--json" given before it.
    common.add_argument("--json", action="store_true", default=argparse.SUPPRESS, help="in kết quả dạng JSON")
    parser = _Parser(prog="cchc", description="CCHC Desktop: nhập, kiểm tra và nộp phụ lục báo cáo CCHC.",
                     parents=[common])
    parser.add_argument("--version", action="version", version=f"CCHC Desktop {__version__}",
                        help=msg("ARG005"))
    parser.add_argument("--db", type=Path, help="tệp dữ liệu (mặc định: thư mục dữ liệu của người dùng)")
    parser.add_argument("--forms", type=Path, help="thư mục bộ biểu mẫu (mặc định: forms/ của ứng dụng)")
    commands = parser.add_subparsers(dest="command", parser_class=_Parser, metavar="LỆNH", title="các lệnh",
                                     help="“cchc LỆNH --help” cho biết cách dùng từng lệnh")
    commands.add_parser("demo", parents=[common], help="tạo dữ liệu mẫu từ các báo cáo gốc")
    commands.add_parser("reports", parents=[common], help="liệt kê các báo cáo")
    validate = commands.add_parser("validate", parents=[common], help="kiểm tra số liệu")
    validate.add_argument("--report", type=int, help="chỉ kiểm tra báo cáo này")
    score = commands.add_parser("score", parents=[common],
                                help="điểm, Chỉ số CCHC và xếp loại của một bảng chấm điểm")
    score.add_argument("--report", type=int, required=True)
    forms = commands.add_parser("forms", parents=[common], help="bộ biểu mẫu")
    forms_commands = forms.add_subparsers(dest="forms_command", required=True, parser_class=_Parser)
    check = forms_commands.add_parser("check", parents=[common], help="kiểm tra định nghĩa biểu mẫu")
    check.add_argument("dir", nargs="?", type=Path)
    export = commands.add_parser("export-json", parents=[common], help="xuất một báo cáo ra tệp JSON")
    export.add_argument("--report", type=int, required=True)
    export.add_argument("-o", "--output", type=Path, required=True)
    imp = commands.add_parser("import", parents=[common],
                              help="nhập các báo cáo từ tệp JSON (cả loạt hoặc không tệp nào)")
    imp.add_argument("files", nargs="+", type=Path, metavar="file", help="tệp JSON của báo cáo")
    export_files = commands.add_parser("export", parents=[common],
                                       help="xuất một báo cáo ra Excel và/hoặc PDF theo mẫu in")
    export_files.add_argument("--report", type=int, required=True)
    export_files.add_argument("--xlsx", type=Path, help="tệp Excel (.xlsx) cần ghi")
    export_files.add_argument("--pdf", type=Path, help="tệp PDF cần ghi")
    export_files.add_argument("--docx", type=Path, help="tệp Word (.docx) cần ghi: phần lời của báo cáo")
    export_files.add_argument("--charts", action="store_true",
                              help="PDF: kèm trang biểu đồ các chỉ số chính qua các kỳ (mặc định: theo Thiết lập)")
    import_xlsx = commands.add_parser("import-xlsx", parents=[common],
                                      help="nhập số liệu từ tệp Excel đã xuất (sau khi sửa) vào báo cáo")
    import_xlsx.add_argument("--report", type=int, required=True)
    import_xlsx.add_argument("file", type=Path)
    restore = commands.add_parser("restore", parents=[common],
                                  help="khôi phục tệp dữ liệu bị hỏng từ bản sao lưu tốt gần nhất")
    restore.add_argument("--force", action="store_true",
                         help="khôi phục cả khi tệp không hỏng (bỏ các thay đổi sau bản sao lưu; tệp cũ được cất riêng)")
    demo_packages = commands.add_parser("demo-packages", parents=[common],
                                        help="ghi các gói đã ký của các xã mẫu (huyện Khánh Sơn) vào một thư mục; "
                                             "với --db: đăng ký chứng thư của các xã mẫu vào tệp dữ liệu đó")
    demo_packages.add_argument("folder", type=Path, help="thư mục ghi gói (chứng thư trong chung-thu/)")

    check_report = commands.add_parser("check", parents=[common], help="chuyển báo cáo sang “Đã kiểm tra”")
    check_report.add_argument("--report", type=int, required=True)
    check_report.add_argument("--acknowledge-warnings", action="store_true", help="đã xem các cảnh báo")
    sign = commands.add_parser("sign", parents=[common], help="ký báo cáo và tạo gói nộp")
    sign.add_argument("--report", type=int, required=True)
    sign.add_argument("-o", "--output", type=Path, required=True, help="tệp gói (.cchc) hoặc thư mục")
    sign.add_argument("--p12", type=Path, help="chứng thư số dạng tệp .p12/.pfx")
    sign.add_argument("--passphrase-file", type=Path, help="tệp chứa mật khẩu của tệp .p12 (dòng đầu)")
    sign.add_argument("--pkcs11-lib", help="thư viện PKCS#11 của thiết bị ký số (USB token)")
    sign.add_argument("--pin-file", type=Path, help="tệp chứa mã PIN của thiết bị ký số (dòng đầu)")
    sign.add_argument("--token-label", help="nhãn thiết bị ký số (khi cắm nhiều thiết bị)")
    sign.add_argument("--key-label", help="nhãn chứng thư trên thiết bị")
    sign.add_argument("--acknowledge-warnings", action="store_true",
                      help="đã xem các cảnh báo (khi báo cáo còn ở trạng thái Nháp)")
    submitted = commands.add_parser("mark-submitted", parents=[common], help="chuyển báo cáo đã ký sang “Đã nộp”")
    submitted.add_argument("--report", type=int, required=True)
    unlock = commands.add_parser("unlock", parents=[common], help="mở khóa báo cáo đã ký để sửa (hủy chữ ký)")
    unlock.add_argument("--report", type=int, required=True)
    unlock.add_argument("--reason", required=True, help="lý do mở khóa (ghi vào nhật ký)")
    identity = commands.add_parser("new-certificate", parents=[common],
                                   help="tạo chứng thư số tự ký cho đơn vị chưa có chứng thư của CA")
    identity.add_argument("--unit", required=True, help="mã đơn vị")
    identity.add_argument("--passphrase-file", type=Path, required=True, help="tệp chứa mật khẩu bảo vệ khóa")
    identity.add_argument("-o", "--output", type=Path, required=True, help="tệp .p12 cần ghi")
    verify = commands.add_parser("verify", parents=[common], help="kiểm tra một gói đã ký")
    verify.add_argument("package", type=Path)
    verify.add_argument("--trust-root", action="append", default=[], type=Path,
                        help="chứng thư gốc tin cậy (tệp hoặc thư mục; lặp lại được)")
    verify.add_argument("--require-trust", action="store_true", help="từ chối gói không được CA xác thực")
    consolidate = commands.add_parser("consolidate", parents=[common],
                                      help="nhận gói của các đơn vị cấp dưới và tổng hợp vào báo cáo")
    consolidate.add_argument("--report", type=int, required=True)
    consolidate.add_argument("packages", nargs="+", type=Path, help="tệp gói hoặc thư mục chứa gói")
    consolidate.add_argument("--trust-root", action="append", default=[], type=Path,
                             help="chứng thư gốc tin cậy (tệp hoặc thư mục; lặp lại được)")
    consolidate.add_argument("--accept-untrusted", action="store_true",
                             help="nhận cả gói không được CA xác thực khi đã cấu hình gốc tin cậy (lần này)")
    units = commands.add_parser("units", parents=[common],
                                help="danh mục đơn vị hành chính (34 tỉnh, 3.321 xã từ 01/7/2025 và các đơn vị cũ)")
    units.add_argument("--search", help="tên (có dấu hay không, bỏ “xã”, “phường”…) hoặc mã")
    units.add_argument("--on", help="chỉ đơn vị còn hiệu lực ngày này (NĂM-THÁNG-NGÀY; mặc định: hôm nay)")
    units.add_argument("--level", choices=["tinh", "huyen", "xa"], help="chỉ đơn vị cấp này")
    lineage = commands.add_parser("lineage", parents=[common], help="đơn vị cũ hợp thành và đơn vị mới kế thừa")
    lineage.add_argument("unit", help="mã định danh đơn vị (cột id của lệnh units), ví dụ 22732.2025")
    setup = commands.add_parser("setup", parents=[common], help="đặt đơn vị của tệp dữ liệu (từ danh mục)")
    setup.add_argument("--unit", required=True, help="mã định danh đơn vị (cột id của lệnh units)")
    setup.add_argument("--place", help="địa danh ghi ở dòng “…, ngày … tháng … năm …”")
    setup.add_argument("--parent-body", help="cơ quan cấp trên (dòng trên tên đơn vị), nếu có")
    new_report = commands.add_parser("new-report", parents=[common], help="tạo báo cáo mới")
    new_report.add_argument("--unit", required=True, help="mã đơn vị (như trong lệnh reports)")
    new_report.add_argument("--period", required=True, choices=["quy", "6thang", "9thang", "nam"],
                            help="kỳ báo cáo: quý, 6 tháng, 9 tháng, năm")
    new_report.add_argument("--number", type=int, choices=[1, 2, 3, 4], help="số quý (với --period quy)")
    new_report.add_argument("--year", type=int, required=True, help="năm báo cáo")
    new_report.add_argument("--form-set", required=True, help="mã bộ biểu mẫu (cchc forms check --json)")
    new_report.add_argument("--carry-over", action="store_true",
                            help="chuyển số “kỳ trước chuyển sang” từ báo cáo kỳ trước (hoặc từ các đơn vị cũ)")
    set_cells = commands.add_parser("set", parents=[common], help="nhập số liệu vào ô, như gõ trên bảng")
    set_cells.add_argument("--report", type=int, required=True)
    set_cells.add_argument("--form", required=True, help="mã biểu, ví dụ 06")
    set_cells.add_argument("cells", nargs="+", metavar="DÒNG.CỘT=GIÁ_TRỊ",
                           help="ví dụ ho_tich.nhan_truc_tuyen=1.562 (số viết kiểu Việt Nam); để trống để xóa")
    stats = commands.add_parser("import-stats", parents=[common],
                                help="nhập số liệu thống kê của phần mềm một cửa (HTML .xls, .xlsx, .xls, .csv)")
    stats.add_argument("--report", type=int, required=True)
    stats.add_argument("--form", help="mã biểu nhận số liệu (mặc định: biểu khớp nhiều cột nhất)")
    stats.add_argument("--dry-run", action="store_true", help="chỉ xem trước, không ghi gì")
    stats.add_argument("--map", action="append", default=[], metavar="CỘT_BIỂU=CỘT_TỆP[+CỘT_TỆP]",
                       help="sửa cách ghép cột, ví dụ nhan_truc_tiep=Tiếp nhận / Trực tiếp+Tiếp nhận / Qua BCCI")
    stats.add_argument("--map-row", action="append", default=[], metavar="DÒNG_TỆP=DÒNG_BIỂU",
                       help="sửa cách ghép dòng, ví dụ Văn hóa cơ sở=item:van_hoa (để trống: bỏ dòng)")
    stats.add_argument("file", type=Path)
    blanks = commands.add_parser("confirm-blanks", parents=[common],
                                 help="xác nhận ô trống là không phát sinh (ghi 0 hoặc “-” theo bộ biểu mẫu)")
    blanks.add_argument("--report", type=int, required=True)
    blanks.add_argument("--form", help="chỉ biểu này (mã biểu, ví dụ 06)")
    blanks.add_argument("--row", help="chỉ dòng này (ví dụ ho_tich); không ghi: mọi dòng chưa đủ số liệu")
    info = commands.add_parser("report-info", parents=[common],
                               help="thông tin văn bản của báo cáo: số, ngày, địa danh, trích yếu, người ký, "
                                    "thời gian số liệu (không ghi gì: xem)")
    info.add_argument("--report", type=int, required=True)
    for option, hint in (("--doc-number", "số văn bản, ví dụ 13/BC-UBND"), ("--doc-date", "ngày văn bản, dd/mm/yyyy"),
                         ("--place", "địa danh ở dòng ngày tháng"), ("--subject", "trích yếu"),
                         ("--signer-name", "họ tên người ký"), ("--signer-title", "chức vụ, ví dụ PHÓ CHỦ TỊCH"),
                         ("--signer-mode", "TM, KT, Q, TL hoặc TUQ (Nghị định 30/2020)"),
                         ("--data-from", "số liệu tính từ ngày (dd/mm/yyyy); \"\" để bỏ"),
                         ("--data-to", "số liệu tính đến hết ngày (dd/mm/yyyy); \"\" để bỏ"),
                         ("--recipients", "nơi nhận, mỗi dòng một nơi (\\n); \"\" để dùng Thiết lập")):
        info.add_argument(option, help=hint)
    images = commands.add_parser("signature-images", parents=[common],
                                 help="hình chữ ký và con dấu hiện trên bản PDF ký số (Nghị định 30/2020)")
    images.add_argument("--signature", type=Path, help="ảnh PNG nền trong suốt của chữ ký")
    images.add_argument("--seal", type=Path, help="ảnh PNG nền trong suốt của con dấu")
    images.add_argument("--seal-mm", type=int, help="đường kính thật của con dấu (mm), ví dụ 36")
    images.add_argument("--clear", action="store_true", help="bỏ cả hai hình: chữ ký số hiện bằng chữ")
    delete = commands.add_parser("delete-report", parents=[common], help="xóa một báo cáo (sau khi sao lưu)")
    delete.add_argument("--report", type=int, required=True)
    delete.add_argument("--yes", action="store_true", help="xác nhận xóa")
    certificates = commands.add_parser("certificates", parents=[common],
                                       help="sổ chứng thư số của các đơn vị cấp dưới (ai được ký cho đơn vị nào)")
    certificates.add_argument("--unit", help="chỉ chứng thư của đơn vị này")
    certificates.add_argument("--withdrawn", action="store_true", help="kể cả chứng thư đã thu hồi")
    enrol = commands.add_parser("enrol-certificate", parents=[common],
                                help="đăng ký chứng thư (tệp .cer/.pem) đơn vị cấp dưới đã gửi")
    enrol.add_argument("--unit", required=True, help="mã đơn vị cấp dưới")
    enrol.add_argument("file", type=Path, help="tệp chứng thư .cer, .crt hoặc .pem")
    withdraw = commands.add_parser("withdraw-certificate", parents=[common],
                                   help="thu hồi một chứng thư khỏi sổ (mất thiết bị ký, đổi người ký)")
    withdraw.add_argument("--fingerprint", required=True, help="dấu vân tay SHA-256 (đủ 64 chữ số)")
    withdraw.add_argument("--reason", required=True, help="lý do (ghi vào nhật ký)")
    withdraw.add_argument("--set-aside-from", metavar="NGÀY",
                          help="đặt ra ngoài tổng hợp các gói chứng thư này ký từ ngày này (dd/mm/yyyy)")
    commands.add_parser("held", parents=[common], help="các gói đang chờ xác nhận chứng thư")
    confirm = commands.add_parser("confirm", parents=[common],
                                  help="xác nhận người ký của một gói đang chờ (sau khi đối chiếu dấu vân tay)")
    confirm.add_argument("--submission", type=int, required=True, help="số của gói đang chờ (lệnh held)")
    confirm.add_argument("--fingerprint", required=True,
                         help="dấu vân tay đơn vị đọc cho (ít nhất 20 chữ số đầu: 5 nhóm)")
    confirm.add_argument("--report", type=int, help="báo cáo tổng hợp cần điền lại sau khi nhận")
    refuse = commands.add_parser("refuse", parents=[common], help="từ chối một gói đang chờ xác nhận chứng thư")
    refuse.add_argument("--submission", type=int, required=True, help="số của gói đang chờ (lệnh held)")
    refuse.add_argument("--reason", required=True, help="lý do (ghi vào nhật ký)")
    appraise = commands.add_parser("appraise", parents=[common],
                                   help="thẩm định bảng tự chấm điểm Chỉ số CCHC của một đơn vị cấp dưới")
    appraise.add_argument("--report", type=int, required=True, help="bảng chấm điểm của đơn vị thẩm định")
    appraise.add_argument("--unit", required=True, help="mã đơn vị được thẩm định")
    appraise.add_argument("--criterion", required=True, help="mã tiêu chí, ví dụ 1.2")
    appraise.add_argument("--score", help="điểm thẩm định (để trống: bỏ điểm đã ghi)")
    appraise.add_argument("--comment", help="nhận xét thẩm định")
    appraisal = commands.add_parser("appraisal", parents=[common],
                                    help="kết quả tự đánh giá và thẩm định của các đơn vị cấp dưới, xếp hạng")
    appraisal.add_argument("--report", type=int, required=True, help="bảng chấm điểm của đơn vị thẩm định")
    _help_for_shared_options(parser)
    return parser


def _out(args, data, text: str) -> None:
    if args.json:
        print(json.dumps(data, ensure_ascii=False, indent=1))
    else:
        print(text)


def _catalog(args, folder: Path | None = None):
    from desktop.foundation.paths import forms_dir
    from desktop.registry import load_catalog

    return load_catalog(folder or args.forms or forms_dir())


def _store(args):
    from desktop.foundation.paths import default_db_path
    from desktop.store.db import Store

    return Store.open(args.db or default_db_path())


def cmd_forms_check(args) -> int:
    catalog = _catalog(args, args.dir)
    problems = [{"code": p.code, "file": p.file, "line": p.line, "message": p.text} for p in catalog.problems]
    sets = [{"id": s.id, "version": s.version, "name": s.name, "forms": list(s.forms)} for s in catalog.sets.values()]
    if args.json:
        _out(args, {"sets": sets, "problems": problems}, "")
    elif problems:
        print("\n".join(p["message"] for p in problems))
    else:
        print(msg("CLI005", sets=len(sets), forms=catalog.form_count))
    return EXIT_FINDINGS if problems else EXIT_OK


def cmd_demo(args) -> int:
    from desktop.app.demo import load_demo

    with _store(args) as store:
        load_demo(store, _catalog(args))
        count = len(store.reports())
        _out(args, {"db": str(store.path), "reports": count}, msg("CLI002", path=store.path, reports=count))
    return EXIT_OK


def _report_summary(store, report) -> dict:
    
    unit = store.unit(report.unit_code)
    return {
        "id": report.id, "unit": unit.name, "unit_code": unit.code,
        "period": report.period.label, "period_type": report.period_type,
        "period_number": report.period_number, "year": report.year, "form_set": report.form_set_id,
        "form_set_version": report.form_set_version, "status": report.status,
        "doc_number": report.doc_number,
    }


def cmd_reports(args) -> int:
    from desktop.store.db import STATUS_LABELS

    with _store(args) as store:
        rows = [_report_summary(store, r) for r in store.reports()]
    text = "\n".join(f"{r['id']:>4}  {r['unit']} – {r['period']} – {r['form_set']} – {STATUS_LABELS.get(r['status'], r['status'])}"
                     for r in rows) or "Chưa có báo cáo nào."
    _out(args, rows, text)
    return EXIT_OK


def cmd_validate(args) -> int:
    from desktop.rules.engine import validate_all, validate_report

    with _store(args) as store:
        catalog = _catalog(args)
        findings = validate_report(store, catalog, args.report) if args.report else validate_all(store, catalog)
    errors = sum(1 for f in findings if f.severity == "error")
    warnings = len(findings) - errors
    if args.json:
        print(json.dumps([f.to_json() for f in findings], ensure_ascii=False, indent=1))
    else:
        for f in findings:
            level = "LỖI" if f.severity == "error" else "CẢNH BÁO"
            place = " · ".join(part for part in (f"Báo cáo {f.report}", f.form, f.row, f.column) if part)
            print(f"[{level}] {place}: {f.message}")
        print(msg("CLI004", errors=errors, warnings=warnings) if findings else msg("CLI003"))
    return EXIT_FINDINGS if errors else EXIT_OK


def cmd_score(args) -> int:
    from desktop.kinds.par.criteria import criteria_of
    from desktop.kinds.par.scoring import score_report

    with _store(args) as store:
        catalog = _catalog(args)
        criteria = criteria_of(catalog.form_set_of(store.report(args.report)))
        if criteria is None:
            raise CchcError("PAR018", report=args.report)
        card = score_report(store, criteria, args.report)
    errors = sum(1 for f in card.findings if f.severity == "error")
    if args.json:
        print(json.dumps({"report": args.report, **card.to_json()}, ensure_ascii=False, indent=1))
    else:
        for area in card.areas:
            print(f"{area.code}. {area.criterion.title}: {format_points(area.achieved)}/{format_points(area.maximum)}")
        print(f"Tổng: {format_points(card.achieved)}/{format_points(card.maximum)} điểm; Chỉ số CCHC: {format_points(card.index, 2)}; "
              f"xếp loại: {card.rating or '—'}")
        for f in card.findings:
            level = "LỖI" if f.severity == "error" else "CẢNH BÁO"
            print(f"[{level}] {f.row}: {f.message}")
    return EXIT_FINDINGS if errors else EXIT_OK


def cmd_export_json(args) -> int:
    from desktop.exchange.interchange import dumps, export_report
    from desktop.foundation.files import write_atomically

    with _store(args) as store:
        document = export_report(store, _catalog(args), args.report)
        store.backup("truoc-xuat")
    text = dumps(document) + "\n"
    write_atomically(args.output, lambda temporary: temporary.write_text(text, encoding="utf-8"))
    _out(args, {"report": args.report, "file": str(args.output)}, msg("CLI006", report=args.report, file=args.output))
    return EXIT_OK


def cmd_import(args) -> int:
    from desktop.exchange.interchange import import_reports, read_document

    documents = [(read_document(path), path.name) for path in args.files]  # all read before any is written
    with _store(args) as store:
        report_ids = import_reports(store, _catalog(args), documents)
        lines = []
        for report_id in report_ids:
            report = store.report(report_id)
            lines.append(msg("JSON008", report=report_id, unit=store.unit(report.unit_code).name,
                             period=report.period.label))
    data = {"report": report_ids[0]} if len(report_ids) == 1 else {"reports": report_ids}
    _out(args, data, "\n".join(lines))
    return EXIT_OK


def cmd_export(args) -> int:
    # each writer imported only when its file is asked for: no process imports what it does not use
    if not args.xlsx and not args.pdf and not args.docx:
        raise CchcError("CLI008")
    written = []
    with _store(args) as store:
        catalog = _catalog(args)
        store.report(args.report)  # an unknown report is a message before any file is touched
        if args.xlsx:
            from desktop.exchange.xlsx import write_xlsx

            written.append(str(write_xlsx(store, catalog, args.report, args.xlsx)))
        if args.pdf:
            from desktop.exchange.pdf import write_pdf
            from desktop.foundation.settings import load_settings

            trends = None
            if args.charts or load_settings(store)["document"]["charts"]:
                from desktop.app.picture import trends as trends_of

                trends = trends_of(store, catalog, args.report)
            written.append(str(write_pdf(store, catalog, args.report, args.pdf, trends=trends)))
        if args.docx:
            from desktop.exchange.docx import write_docx

            written.append(str(write_docx(store, catalog, args.report, args.docx)))
    _out(args, {"report": args.report, "files": written},
         msg("EXPORT002", report=args.report, files=", ".join(f"“{f}”" for f in written)))
    return EXIT_OK


def cmd_import_xlsx(args) -> int:
    from desktop.exchange.xlsx import import_xlsx

    with _store(args) as store:
        changed = len(import_xlsx(store, _catalog(args), args.report, args.file))
    _out(args, {"report": args.report, "changed": changed},
         msg("XLSX008", file=args.file.name, report=args.report, cells=changed))
    return EXIT_OK


def cmd_restore(args) -> int:
    from desktop.foundation.paths import default_db_path
    from desktop.store.db import restore_latest

    path = args.db or default_db_path()
    backup = restore_latest(path, force=args.force)
    _out(args, {"db": str(path), "backup": str(backup)}, msg("STORE010", path=path, backup=backup.name))
    return EXIT_OK


def _secret(path: Path) -> str:
    """The first line of a file holding a passphrase or PIN (which is never printed or kept)."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as error:
        raise CchcError("SIGN003", file=path.name, reason=os_reason(error)) from None
    return lines[0] if lines else ""


def _identity(args):
    from desktop.submission.identity import open_token, read_p12

    if args.p12:
        if not args.passphrase_file:
            raise CchcError("CLI009", option="--passphrase-file", needs="--p12")
        return read_p12(args.p12, _secret(args.passphrase_file))
    if args.pkcs11_lib:
        if not args.pin_file:
            raise CchcError("CLI009", option="--pin-file", needs="--pkcs11-lib")
        return open_token(args.pkcs11_lib, _secret(args.pin_file), token_label=args.token_label,
                          key_label=args.key_label)
    raise CchcError("CLI010")


def _trust_roots(args) -> list[str]:
    roots = [str(p) for p in getattr(args, "trust_root", [])]
    if args.db:
        from desktop.foundation.settings import load_settings

        with _store(args) as store:
            roots += load_settings(store)["signing"]["trusted_roots"]
    return roots


def cmd_check(args) -> int:
    from desktop.submission.workflow import mark_checked

    with _store(args) as store:
        mark_checked(store, _catalog(args), args.report, acknowledge_warnings=args.acknowledge_warnings)
    _out(args, {"report": args.report, "status": "da_kiem_tra"}, msg("FLOW005", status="Đã kiểm tra"))
    return EXIT_OK


def cmd_sign(args) -> int:
    from desktop.submission.package import sign_report
    from desktop.submission.workflow import mark_checked

    from desktop.foundation.files import refuse_writing_over_data

    if not args.output.is_dir():
        refuse_writing_over_data(args.output)  # before the report is marked checked: nothing changes
    catalog = _catalog(args)
    with _store(args) as store, _identity(args) as identity:
        if store.report(args.report).status == "nhap":
            mark_checked(store, catalog, args.report, acknowledge_warnings=args.acknowledge_warnings)
        signed = sign_report(store, catalog, args.report, identity, args.output)
    size = len(signed.package)
    _out(args, {"report": args.report, "package": signed.filename, "size": size, "manifest": signed.manifest},
         msg("PKG001", file=signed.filename, size=max(1, size // 1024)))
    return EXIT_OK


def cmd_mark_submitted(args) -> int:
    from desktop.submission.workflow import mark_submitted

    with _store(args) as store:
        mark_submitted(store, args.report)
    _out(args, {"report": args.report, "status": "da_nop"}, msg("FLOW005", status="Đã nộp"))
    return EXIT_OK


def cmd_unlock(args) -> int:
    from desktop.submission.workflow import unlock

    with _store(args) as store:
        version = unlock(store, args.report, args.reason)
    _out(args, {"report": args.report, "status": "nhap", "version": version}, msg("FLOW006", version=version))
    return EXIT_OK


def cmd_new_certificate(args) -> int:
    from desktop.foundation.files import write_atomically
    from desktop.submission.identity import create_self_signed

    with _store(args) as store:
        unit = store.unit(args.unit)
    data = create_self_signed(unit.code, unit.name, _secret(args.passphrase_file))
    write_atomically(args.output, lambda temporary: temporary.write_bytes(data), private=True)
    _out(args, {"file": str(args.output), "unit": unit.code}, msg("CLI011", file=args.output, unit=unit.name))
    return EXIT_OK


def cmd_verify(args) -> int:
    from desktop.submission.verify import load_trust_roots, verify_file

    verdict = verify_file(args.package, _catalog(args), load_trust_roots(_trust_roots(args)),
                          require_trust=args.require_trust)
    text = verdict.message
    if verdict.valid:
        if verdict.signer["note"]:
            text += f" Chứng thư: {verdict.signer['note']}."
        if not verdict.signer["in_force_at_receipt"]:
            text += " " + msg("PKG015")
        text += " " + verdict.findings["message"]
    _out(args, verdict.to_json(), text)
    return {"valid": EXIT_OK, "invalid": EXIT_FINDINGS}.get(verdict.status, EXIT_BAD_INPUT)


def cmd_consolidate(args) -> int:
    from desktop.submission.consolidate import consolidate

    roots = _trust_roots(args)
    with _store(args) as store:
        result = consolidate(store, _catalog(args), args.report, args.packages, root_paths=roots,
                             require_trust=False if args.accept_untrusted else None)
    data = result.to_json()
    lines = [f"{r.file}: {r.message}" for r in result.received]
    matrix = result.matrix
    lines.append("")
    lines.append("Đơn vị".ljust(28) + "".join(p.ljust(18) for p in matrix["periods"]))
    for unit in matrix["units"]:
        lines.append(unit["name"][:27].ljust(28) + "".join(unit["cells"][p]["label"].ljust(18) for p in matrix["periods"]))
    lines.append("")
    lines.append(msg("CONS004", units=sum(1 for r in result.received if r.status == "accepted"),
                     report=args.report, filled=result.filled))
    lines.append(msg("CLI004", errors=data["errors"], warnings=data["warnings"]))
    _out(args, data, "\n".join(lines))
    rejected = any(r.status in ("rejected", "held") for r in result.received)
    return EXIT_FINDINGS if rejected or data["errors"] else EXIT_OK


def cmd_appraise(args) -> int:
    from desktop.kinds.par.appraisal import appraise

    with _store(args) as store:
        changes = appraise(store, _catalog(args), args.report, args.unit, [(args.criterion, args.score, args.comment)])
    _out(args, {"report": args.report, "unit": args.unit, "changed": [
        {"criterion": c.criterion, "score": c.new[0], "comment": c.new[1]} for c in changes]},
        msg("PAR026", unit=args.unit, criterion=args.criterion) if changes else msg("PAR027"))
    return EXIT_OK


def cmd_appraisal(args) -> int:
    from desktop.kinds.par.appraisal import appraisal, ranking_lines

    with _store(args) as store:
        units = appraisal(store, _catalog(args), args.report)
    _out(args, {"report": args.report, "units": [u.to_json() for u in units]}, "\n".join(ranking_lines(units)))
    return EXIT_OK


def cmd_demo_packages(args) -> int:
    from desktop.app.demo import (
        SHEETS_FOLDER,
        enrol_demo_certificates,
        write_commune_packages,
        write_commune_sheet_packages,
    )

    catalog = _catalog(args)
    written, refused = write_commune_packages(catalog, args.folder)
    sheets, sheets_refused = write_commune_sheet_packages(catalog, args.folder / SHEETS_FOLDER)
    refused.update(sheets_refused)
    enrolled = []
    if args.db:
        with _store(args) as store:
            enrolled = enrol_demo_certificates(store, args.folder)
    data = {"packages": [str(p) for p in written], "sheets": [str(p) for p in sheets], "not_signed": refused,
            "enrolled": enrolled}
    text = "\n".join([msg("CLI012", count=len(written), folder=args.folder),
                      msg("CLI012", count=len(sheets), folder=args.folder / SHEETS_FOLDER)]
                     + [f"{code}: {reason}" for code, reason in refused.items()]
                     + ([msg("CLI014", count=len(enrolled), db=args.db)] if args.db else []))
    _out(args, data, text)
    return EXIT_OK


def cmd_open_app(args) -> int:
    """No command: where the window is, and what this database holds. The demo goes into a database
    of its own (``cchc --db demo.db demo``), never into the clerk's."""
    from desktop.foundation.paths import default_db_path

    path = args.db or default_db_path()
    print(msg("CLI001"))
    if not path.exists():
        print(msg("CLI018", path=path))
        return EXIT_OK
    with _store(args) as store:
        count = len(store.reports())
    print(f"Tệp dữ liệu: {path} ({count} báo cáo).")
    return EXIT_OK


def _day(text: str | None):
    import datetime as dt

    if text is None:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise CchcError("DIR002", text=text) from None


def cmd_units(args) -> int:
    from desktop.foundation.directory import load_directory

    directory = load_directory()
    found = directory.search(args.search or "", on=_day(args.on), level=args.level, limit=None)
    _out(args, [u.to_json() for u in found], "\n".join(f"{u.id:<12} {directory.label(u)}" for u in found))
    return EXIT_OK


def cmd_lineage(args) -> int:
    from desktop.foundation.directory import load_directory

    directory = load_directory()
    unit = directory.get(args.unit)
    if unit is None:
        raise CchcError("DIR001", unit=args.unit)

    def links(found):
        return [{"id": link.unit.id, "code": link.unit.code, "name": link.unit.name, "type": link.type}
                for link in found]
    data = {"unit": unit.to_json(), "predecessors": links(directory.predecessors(unit.id)),
            "successors": links(directory.successors(unit.id))}
    kinds = {"full": "toàn bộ", "partial": "một phần"}
    lines = [directory.label(unit)]
    lines += [f"  ← {p['name']} ({p['id']}, {kinds[p['type']]})" for p in data["predecessors"]]
    lines += [f"  → {s['name']} ({s['id']}, {kinds[s['type']]})" for s in data["successors"]]
    _out(args, data, "\n".join(lines))
    return EXIT_OK


def cmd_setup(args) -> int:
    from desktop.app.units import setup_unit

    with _store(args) as store:
        unit = setup_unit(store, args.unit, place=args.place, parent_body=args.parent_body)
        count = len(store.units())
    _out(args, {"unit": unit.to_json(), "units": count}, msg("DIR003", unit=unit.name, units=count))
    return EXIT_OK


def cmd_new_report(args) -> int:
    from desktop.foundation.periods import Period
    from desktop.report.ops import create_report, form_sets_for

    from desktop.app.units import add_from_directory

    catalog = _catalog(args)
    period = Period(args.period, args.year, args.number if args.period == "quy" else None)
    with _store(args) as store:
        try:
            store.unit(args.unit)
        except CchcError:  # a unit of the official directory this database has not met yet: added
            add_from_directory(store, args.unit)
        usable = form_sets_for(store, catalog, args.unit, period)
        chosen = [s for s in usable if s.id == args.form_set]
        if not chosen:
            unit = store.unit(args.unit)
            raise CchcError("DIR004", form_set=args.form_set, unit=unit.name, level=unit.level,
                            usable=", ".join(dict.fromkeys(s.id for s in usable)) or "không có")
        form_set = max(chosen, key=lambda s: s.version)
        report_id, carried = create_report(store, catalog, args.unit, period, form_set.id, form_set.version,
                                           carry_over=args.carry_over)
        unit = store.unit(args.unit)
    data = {"id": report_id, "unit": args.unit, "period": period.label, "form_set": form_set.id,
            "version": form_set.version,
            "carry_over": None if carried is None else {"from_report": carried.previous_id, "rows": carried.rows,
                                                        "cells": carried.cells, "notes": list(carried.notes)}}
    lines = [msg("DIR005", report=report_id, unit=unit.name, period=period.label, form_set=form_set.name)]
    if carried is not None:
        lines += list(carried.notes) or [msg("CARRY015", cells=carried.cells, units="các đơn vị cũ")
                                         if carried.previous_id is None else
                                         msg("CARRY001", period=period.previous().label, rows=carried.rows,
                                             cells=carried.cells)]
    _out(args, data, "\n".join(lines))
    return EXIT_OK


def _cell_entries(texts: list[str]) -> list[tuple[str, str, str]]:
    entries = []
    for text in texts:
        cell, equals, value = text.partition("=")
        row, dot, column = cell.rpartition(".")
        if not equals or not dot or not row or not column:
            raise CchcError("DIR008", cell=text)
        entries.append((row.strip(), column.strip(), value.strip()))
    return entries


def cmd_report_info(args) -> int:
    from desktop.report.ops import DATE_FIELDS, INFO_FIELDS, INFO_LABELS, shown_date, update_report_info

    given = {key: getattr(args, key) for key in INFO_FIELDS if getattr(args, key) is not None}
    with _store(args) as store:
        changed = update_report_info(store, args.report, **given) if given else {}
        report = store.report(args.report)
    shown = {key: getattr(report, key) for key in INFO_FIELDS}
    lines = [f"{INFO_LABELS[key]}: {shown_date(value) if key in DATE_FIELDS and value else value or '—'}"
             for key, value in shown.items()]
    if given:
        lines.insert(0, msg("INFO005", report=args.report, count=len(changed)))
    _out(args, {"report": args.report, "info": shown, "changed": sorted(changed)}, "\n".join(lines))
    return EXIT_OK


def cmd_signature_images(args) -> int:
    import base64

    from desktop.exchange.signature_look import SEAL_MM, checked_png
    from desktop.foundation.settings import load_settings, save_settings

    chosen = {}
    for key, path, what in (("signature_image", args.signature, "chữ ký"), ("seal_image", args.seal, "con dấu")):
        if path is not None:
            try:
                data = path.read_bytes()
            except OSError as error:
                raise CchcError("LOOK006", file=path.name, reason=os_reason(error)) from None
            chosen[key] = base64.b64encode(checked_png(data, what)).decode()
    if args.clear:
        chosen = {"signature_image": "", "seal_image": ""}
    if args.seal_mm is not None:
        if not SEAL_MM[0] <= args.seal_mm <= SEAL_MM[1]:
            raise CchcError("LOOK007", value=args.seal_mm, low=SEAL_MM[0], high=SEAL_MM[1])
        chosen["seal_mm"] = args.seal_mm
    with _store(args) as store:
        settings = load_settings(store)
        settings["signing"].update(chosen)
        if chosen:
            save_settings(store, settings)
        signing = settings["signing"]
    state = {"signature": bool(signing["signature_image"]), "seal": bool(signing["seal_image"]),
             "seal_mm": signing["seal_mm"]}
    _out(args, state, msg("LOOK008", signature="có" if state["signature"] else "chưa có",
                          seal="có" if state["seal"] else "chưa có", seal_mm=state["seal_mm"]))
    return EXIT_OK


def cmd_set(args) -> int:
    from desktop.report.ops import enter_cells

    with _store(args) as store:
        changes = enter_cells(store, _catalog(args), args.report, args.form, _cell_entries(args.cells))
    written = [c for c in changes if c.old != c.new]
    _out(args, {"report": args.report, "form": args.form,
                "cells": [{"row": c.row, "column": c.column, "old": c.old, "new": c.new} for c in written]},
         msg("DIR009", cells=len(written), report=args.report))
    return EXIT_OK


def _pairs(items: list[str], what: str) -> list[tuple[str, str]]:
    pairs = []
    for item in items:
        if "=" not in item:
            raise CchcError("STATS010", what=what, item=item)
        left, right = item.split("=", 1)
        pairs.append((left.strip(), right.strip()))
    return pairs


def cmd_import_stats(args) -> int:
    from desktop.exchange.onestop import apply_import, plan_import

    columns = {form: [p.strip() for p in re.split(r"\+", source) if p.strip()] for form, source in _pairs(args.map, "--map")}
    rows = dict(_pairs(args.map_row, "--map-row"))
    with _store(args) as store:
        plan = plan_import(store, _catalog(args), args.report, args.file, args.form, columns, rows)
        written = 0 if args.dry_run else len(apply_import(store, plan))
    if args.json:
        _out(args, plan.to_json(written), "")
    else:
        lines = [f"Tệp {plan.format}, {plan.rows_read} dòng số liệu."]
        lines += [f"  ({m.form_column}) ← " + " + ".join(("− " if s < 0 else "") + " / ".join(plan.headers[c])
                                                       for s, c in m.sources).replace("+ −", "−") for m in plan.columns]
        lines += [f"  bỏ cột “{x['column']}”: {x['reason']}" for x in plan.left_out_columns]
        lines += [f"  bỏ dòng “{x['row']}”: {x['reason']}" for x in plan.left_out_rows]
        lines += [f"  {r} · {c}: {old or '(trống)'} → {new}" for _, r, c, old, new in plan.cells]
        lines += [f"  Lưu ý: {n}" for n in plan.notes]
        lines.append(msg("STATS009", cells=len(plan.cells), form=plan.form, report=args.report) if args.dry_run
                     else msg("STATS008", cells=written, file=args.file.name, form=plan.form, report=args.report))
        print("\n".join(lines))
    return EXIT_OK


def cmd_confirm_blanks(args) -> int:
    from desktop.report.ops import confirm_blanks

    if args.row and not args.form:
        raise CchcError("CELL011")
    catalog = _catalog(args)
    with _store(args) as store:
        changes = confirm_blanks(store, catalog, args.report, args.form, args.row)
        value = catalog.form_set_of(store.report(args.report)).blank_means
    text = msg("CELL009", count=len(changes), value=value, report=args.report) if changes \
        else msg("CELL010", report=args.report)
    _out(args, {"report": args.report, "value": value,
                "cells": [{"form": c.form, "row": c.row, "column": c.column} for c in changes]}, text)
    return EXIT_OK


def cmd_delete_report(args) -> int:
    with _store(args) as store:
        report = store.report(args.report)
        if not args.yes:
            raise CchcError("DIR007", report=args.report, unit=store.unit(report.unit_code).name,
                            period=report.period.label)
        store.delete_report(args.report)
        from desktop.store.db import list_backups

        backups = list_backups(store.path)
    backup = backups[0].name if backups else "—"
    _out(args, {"deleted": args.report, "backup": backup}, msg("DIR006", report=args.report, backup=backup))
    return EXIT_OK


def _certificate_json(c) -> dict:
    from desktop.submission.register import fingerprint

    return {"unit": c.unit_code, "sha256": c.sha256, "fingerprint": fingerprint(c.sha256), "subject": c.subject,
            "issuer": c.issuer, "identifiers": json.loads(c.identifiers or "[]"), "valid_from": c.valid_from,
            "valid_to": c.valid_to, "bound_by": c.bound_by, "added_at": c.added_at, "added_by": c.added_by,
            "withdrawn_at": c.withdrawn_at, "withdraw_reason": c.withdraw_reason}


def cmd_certificates(args) -> int:
    with _store(args) as store:
        found = [_certificate_json(c) for c in store.certificates(args.unit, withdrawn=args.withdrawn)]
    bound = {"ca": "CA cấp, ghi mã đơn vị", "enrolled": "đã nhập tệp chứng thư", "confirmed": "xác nhận khi nhận gói"}
    _out(args, found, "\n".join(f"{c['unit']}: “{c['subject']}” {c['fingerprint']} ({bound[c['bound_by']]}"
                                + (f"; thu hồi {c['withdrawn_at'][:10]}" if c["withdrawn_at"] else "") + ")"
                                for c in found) or msg("CLI015"))
    return EXIT_OK


def cmd_enrol_certificate(args) -> int:
    from desktop.submission.register import enrol, fingerprint, read_certificate_file

    with _store(args) as store:
        certificate = enrol(store, args.unit, read_certificate_file(args.file))
        unit = store.unit(args.unit)
    _out(args, _certificate_json(certificate), msg("CERT016", subject=certificate.subject, unit=unit.name,
                                                    fingerprint=fingerprint(certificate.sha256)))
    return EXIT_OK


def cmd_withdraw_certificate(args) -> int:
    import datetime as dt

    from desktop.foundation.values import parse_date

    since = parse_date(args.set_aside_from) if args.set_aside_from else None
    moment = dt.datetime.combine(since, dt.time()).astimezone() if since else None  # midnight, this machine's
    with _store(args) as store:
        set_aside = store.withdraw_certificate(args.fingerprint.replace(" ", "").replace(":", "").lower(),
                                               args.reason, moment)
    said = msg("CERT023", set_aside=set_aside, since=f"{since:%d/%m/%Y}") if since else msg("CLI016")
    _out(args, {"withdrawn": args.fingerprint, "set_aside": set_aside}, said)
    return EXIT_OK


def _held_json(s, store) -> dict:
    from desktop.submission.register import fingerprint

    return {"submission": s.id, "unit": s.unit_code, "unit_name": store.unit(s.unit_code).name,
            "period": s.period.label, "report_version": s.report_version, "signer": s.signer,
            "fingerprint": fingerprint(s.certificate_sha256 or ""), "received_at": s.received_at,
            "reason": s.held_reason}


def cmd_held(args) -> int:
    with _store(args) as store:
        found = [_held_json(s, store) for s in store.submissions(state="held")]
    _out(args, found, "\n".join(f"số {h['submission']}: {h['reason']}" for h in found) or msg("CLI017"))
    return EXIT_OK


def cmd_confirm(args) -> int:
    from desktop.submission.consolidate import consolidate
    from desktop.submission.register import confirm

    with _store(args) as store:
        state = confirm(store, args.submission, args.fingerprint)
        submission = store.submission(args.submission)
        text = msg("CERT017", submission=args.submission, unit=store.unit(submission.unit_code).name)
        data = {"submission": args.submission, "state": state}
        if args.report:
            result = consolidate(store, _catalog(args), args.report, [])
            data["filled_cells"] = result.filled
            text += " " + msg("CONS004", units=1, report=args.report, filled=result.filled)
    _out(args, data, text)
    return EXIT_OK


def cmd_refuse(args) -> int:
    from desktop.submission.register import refuse

    with _store(args) as store:
        state = refuse(store, args.submission, args.reason)
        unit = store.unit(store.submission(args.submission).unit_code)
    _out(args, {"submission": args.submission, "state": state},
         msg("CERT018", submission=args.submission, unit=unit.name))
    return EXIT_OK


COMMANDS = {
    "units": cmd_units, "lineage": cmd_lineage, "setup": cmd_setup, "new-report": cmd_new_report, "set": cmd_set,
    "confirm-blanks": cmd_confirm_blanks, "import-stats": cmd_import_stats,
    "report-info": cmd_report_info, "signature-images": cmd_signature_images,
    "delete-report": cmd_delete_report,
    "certificates": cmd_certificates, "enrol-certificate": cmd_enrol_certificate,
    "withdraw-certificate": cmd_withdraw_certificate, "held": cmd_held, "confirm": cmd_confirm, "refuse": cmd_refuse,
    "appraise": cmd_appraise, "appraisal": cmd_appraisal,
    "demo": cmd_demo, "reports": cmd_reports, "validate": cmd_validate, "score": cmd_score, "forms": cmd_forms_check,
    "export-json": cmd_export_json, "import": cmd_import, "export": cmd_export, "import-xlsx": cmd_import_xlsx,
    "restore": cmd_restore, "demo-packages": cmd_demo_packages, "check": cmd_check, "sign": cmd_sign,
    "mark-submitted": cmd_mark_submitted, "unlock": cmd_unlock, "new-certificate": cmd_new_certificate,
    "verify": cmd_verify, "consolidate": cmd_consolidate, None: cmd_open_app,
}


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    args.json = getattr(args, "json", False)
    try:
        return COMMANDS[args.command](args)
    except CchcError as error:
        if getattr(args, "json", False):
            print(json.dumps({"error": error.code, "message": str(error)}, ensure_ascii=False), file=sys.stderr)
        print(str(error), file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        return EXIT_BAD_INPUT
    except BrokenPipeError:  # "cchc validate | head": the reader has what it wanted
        sys.stderr = open(os.devnull, "w")  # Python would otherwise complain at exit while flushing
        return EXIT_OK
    except Exception as error:  # never a traceback for the user: log it, say it briefly
        log = _log_unexpected()
        print(msg("CLI007", reason=type(error).__name__, log=log), file=sys.stderr)
        return EXIT_BAD_INPUT


def _log_unexpected() -> Path:
    from desktop.foundation.paths import log_path

    path = log_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        logging.basicConfig(filename=path, level=logging.ERROR, format="%(asctime)s %(message)s")
        logging.error("cchc %s\n%s", " ".join(sys.argv[1:]), traceback.format_exc())
    except OSError:
        sys.stderr.write(traceback.format_exc())
    return path

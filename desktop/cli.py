"""``cchc``: the command line over the headless core.

Exit codes: 0 no errors, 1 errors found (validation findings of severity
"error", a refused import), 2 bad input or usage (unreadable file, damaged
database, unknown report).  ``--json`` prints machine-readable output.
Nothing here imports Qt: the window is started only when no command is given.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import traceback
from pathlib import Path

from desktop import __version__
from desktop.messages import CchcError, msg

EXIT_OK, EXIT_FINDINGS, EXIT_BAD_INPUT = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # argparse's own wording is English
        self.print_usage(sys.stderr)
        print(f"Lệnh không hợp lệ: {message}", file=sys.stderr)
        sys.exit(EXIT_BAD_INPUT)


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    # SUPPRESS: a subcommand's own default must not undo "--json" given before it.
    common.add_argument("--json", action="store_true", default=argparse.SUPPRESS, help="in kết quả dạng JSON")
    parser = _Parser(prog="cchc", description="CCHC Desktop: nhập, kiểm tra và nộp phụ lục báo cáo CCHC.",
                     parents=[common])
    parser.add_argument("--version", action="version", version=f"CCHC Desktop {__version__}")
    parser.add_argument("--db", type=Path, help="tệp dữ liệu (mặc định: thư mục dữ liệu của người dùng)")
    parser.add_argument("--forms", type=Path, help="thư mục bộ biểu mẫu (mặc định: forms/ của ứng dụng)")
    commands = parser.add_subparsers(dest="command", parser_class=_Parser)
    commands.add_parser("demo", parents=[common], help="tạo dữ liệu mẫu từ các báo cáo gốc")
    commands.add_parser("reports", parents=[common], help="liệt kê các báo cáo")
    validate = commands.add_parser("validate", parents=[common], help="kiểm tra số liệu")
    validate.add_argument("--report", type=int, help="chỉ kiểm tra báo cáo này")
    forms = commands.add_parser("forms", parents=[common], help="bộ biểu mẫu")
    forms_commands = forms.add_subparsers(dest="forms_command", required=True, parser_class=_Parser)
    check = forms_commands.add_parser("check", parents=[common], help="kiểm tra định nghĩa biểu mẫu")
    check.add_argument("dir", nargs="?", type=Path)
    export = commands.add_parser("export-json", parents=[common], help="xuất một báo cáo ra tệp JSON")
    export.add_argument("--report", type=int, required=True)
    export.add_argument("-o", "--output", type=Path, required=True)
    imp = commands.add_parser("import", parents=[common], help="nhập một báo cáo từ tệp JSON")
    imp.add_argument("file", type=Path)
    export_files = commands.add_parser("export", parents=[common],
                                       help="xuất một báo cáo ra Excel và/hoặc PDF theo mẫu in")
    export_files.add_argument("--report", type=int, required=True)
    export_files.add_argument("--xlsx", type=Path, help="tệp Excel (.xlsx) cần ghi")
    export_files.add_argument("--pdf", type=Path, help="tệp PDF cần ghi")
    import_xlsx = commands.add_parser("import-xlsx", parents=[common],
                                      help="nhập số liệu từ tệp Excel đã xuất (sau khi sửa) vào báo cáo")
    import_xlsx.add_argument("--report", type=int, required=True)
    import_xlsx.add_argument("file", type=Path)
    commands.add_parser("restore", parents=[common], help="khôi phục tệp dữ liệu từ bản sao lưu tốt gần nhất")
    return parser


def _out(args, data, text: str) -> None:
    if args.json:
        print(json.dumps(data, ensure_ascii=False, indent=1))
    else:
        print(text)


def _catalog(args, folder: Path | None = None):
    from desktop.paths import forms_dir
    from desktop.schema.loader import load_catalog

    return load_catalog(folder or args.forms or forms_dir())


def _store(args):
    from desktop.paths import default_db_path
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
    from desktop.demo import load_demo

    with _store(args) as store:
        load_demo(store, _catalog(args))
        count = len(store.reports())
        _out(args, {"db": str(store.path), "reports": count}, msg("CLI002", path=store.path, reports=count))
    return EXIT_OK


def _report_summary(store, report: dict) -> dict:
    from desktop.rules.engine import report_period

    unit = store.unit(report["unit_code"])
    return {
        "id": report["id"], "unit": unit["name"], "unit_code": unit["code"],
        "period": report_period(report).label, "period_type": report["period_type"],
        "period_number": report["period_number"], "year": report["year"], "form_set": report["form_set_id"],
        "form_set_version": report["form_set_version"], "status": report["status"],
        "doc_number": report["doc_number"],
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


def cmd_export_json(args) -> int:
    from desktop.interchange import dumps, export_report

    with _store(args) as store:
        document = export_report(store, _catalog(args), args.report)
        store.backup("truoc-xuat")
    try:
        args.output.write_text(dumps(document) + "\n", encoding="utf-8")
    except OSError as error:
        raise CchcError("STORE011", reason=error.strerror or str(error)) from None
    _out(args, {"report": args.report, "file": str(args.output)}, msg("CLI006", report=args.report, file=args.output))
    return EXIT_OK


def cmd_import(args) -> int:
    from desktop.interchange import import_report, read_document
    from desktop.rules.engine import report_period

    document = read_document(args.file)
    with _store(args) as store:
        report_id = import_report(store, _catalog(args), document, args.file.name)
        report = store.report(report_id)
        unit = store.unit(report["unit_code"])["name"]
    _out(args, {"report": report_id}, msg("JSON008", report=report_id, unit=unit, period=report_period(report).label))
    return EXIT_OK


def cmd_export(args) -> int:
    from desktop.export.pdf import write_pdf
    from desktop.export.xlsx import write_xlsx

    if not args.xlsx and not args.pdf:
        raise CchcError("CLI008")
    written = []
    with _store(args) as store:
        catalog = _catalog(args)
        store.report(args.report)  # an unknown report is a message before any file is touched
        if args.xlsx:
            written.append(str(write_xlsx(store, catalog, args.report, args.xlsx)))
        if args.pdf:
            written.append(str(write_pdf(store, catalog, args.report, args.pdf)))
    _out(args, {"report": args.report, "files": written},
         msg("EXPORT002", report=args.report, files=", ".join(f"“{f}”" for f in written)))
    return EXIT_OK


def cmd_import_xlsx(args) -> int:
    from desktop.export.xlsx import import_xlsx

    with _store(args) as store:
        changed = import_xlsx(store, _catalog(args), args.report, args.file)
    _out(args, {"report": args.report, "changed": changed},
         msg("XLSX008", file=args.file.name, report=args.report, cells=changed))
    return EXIT_OK


def cmd_restore(args) -> int:
    from desktop.paths import default_db_path
    from desktop.store.db import restore_latest

    path = args.db or default_db_path()
    backup = restore_latest(path)
    _out(args, {"db": str(path), "backup": str(backup)}, msg("STORE010", path=path, backup=backup.name))
    return EXIT_OK


def cmd_open_app(args) -> int:
    """No command: open the app on the user's database, with the demo on first run."""
    from desktop.demo import load_demo
    from desktop.paths import default_db_path

    path = args.db or default_db_path()
    first_run = not path.exists()
    with _store(args) as store:
        if first_run:
            load_demo(store, _catalog(args))
        count = len(store.reports())
    print(msg("CLI001"))
    print(f"Tệp dữ liệu: {path} ({count} báo cáo).")
    return EXIT_OK


COMMANDS = {
    "demo": cmd_demo, "reports": cmd_reports, "validate": cmd_validate, "forms": cmd_forms_check,
    "export-json": cmd_export_json, "import": cmd_import, "export": cmd_export, "import-xlsx": cmd_import_xlsx, "restore": cmd_restore, None: cmd_open_app,
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
    from desktop.paths import log_path

    path = log_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        logging.basicConfig(filename=path, level=logging.ERROR, format="%(asctime)s %(message)s")
        logging.error("cchc %s\n%s", " ".join(sys.argv[1:]), traceback.format_exc())
    except OSError:
        sys.stderr.write(traceback.format_exc())
    return path

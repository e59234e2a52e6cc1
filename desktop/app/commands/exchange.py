"""``cchc`` commands: files in and out: JSON documents, Excel and PDF/Word exports, the one-stop system's statistics.

Each command's parser and handler side by side; a handler imports what it uses when it runs."""

from __future__ import annotations

from pathlib import Path
import re

from desktop.app.commands.common import EXIT_OK, catalog_for, say, store_for
from desktop.foundation.messages import CchcError, msg


def add_parsers(commands, common) -> dict:
    """This group's commands added to ``commands``; returns name → handler."""
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
    return {"export-json": cmd_export_json, "import": cmd_import, "export": cmd_export, "import-xlsx": cmd_import_xlsx, "import-stats": cmd_import_stats}


def cmd_export_json(args) -> int:
    from desktop.exchange.interchange import dumps, export_report
    from desktop.foundation.files import write_atomically

    with store_for(args) as store:
        document = export_report(store, catalog_for(args), args.report)
        store.backups.make("truoc-xuat")
    text = dumps(document) + "\n"
    write_atomically(args.output, lambda temporary: temporary.write_text(text, encoding="utf-8"))
    say(args, {"report": args.report, "file": str(args.output)}, msg("CLI006", report=args.report, file=args.output))
    return EXIT_OK


def cmd_import(args) -> int:
    from desktop.exchange.interchange import import_reports, read_document

    documents = [(read_document(path), path.name) for path in args.files]  # all read before any is written
    with store_for(args) as store:
        report_ids = import_reports(store, catalog_for(args), documents)
        lines = []
        for report_id in report_ids:
            report = store.reports.get(report_id)
            lines.append(msg("JSON008", report=report_id, unit=store.units.get(report.unit_code).name,
                             period=report.period.label))
    data = {"report": report_ids[0]} if len(report_ids) == 1 else {"reports": report_ids}
    say(args, data, "\n".join(lines))
    return EXIT_OK


def cmd_export(args) -> int:
    # each writer imported only when its file is asked for: no process imports what it does not use
    if not args.xlsx and not args.pdf and not args.docx:
        raise CchcError("CLI008")
    written = []
    with store_for(args) as store:
        catalog = catalog_for(args)
        store.reports.get(args.report)  # an unknown report is a message before any file is touched
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
    say(args, {"report": args.report, "files": written},
         msg("EXPORT002", report=args.report, files=", ".join(f"“{f}”" for f in written)))
    return EXIT_OK


def cmd_import_xlsx(args) -> int:
    from desktop.exchange.xlsx import import_xlsx

    with store_for(args) as store:
        changed = len(import_xlsx(store, catalog_for(args), args.report, args.file))
    say(args, {"report": args.report, "changed": changed},
         msg("XLSX008", file=args.file.name, report=args.report, cells=changed))
    return EXIT_OK


def cmd_import_stats(args) -> int:
    from desktop.exchange.onestop import apply_import, plan_import

    columns = {form: [p.strip() for p in re.split(r"\+", source) if p.strip()] for form, source in _pairs(args.map, "--map")}
    rows = dict(_pairs(args.map_row, "--map-row"))
    with store_for(args) as store:
        plan = plan_import(store, catalog_for(args), args.report, args.file, args.form, columns, rows)
        written = 0 if args.dry_run else len(apply_import(store, plan))
    if args.json:
        say(args, plan.to_json(written), "")
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


def _pairs(items: list[str], what: str) -> list[tuple[str, str]]:
    pairs = []
    for item in items:
        if "=" not in item:
            raise CchcError("STATS010", what=what, item=item)
        left, right = item.split("=", 1)
        pairs.append((left.strip(), right.strip()))
    return pairs

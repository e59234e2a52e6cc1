"""``cchc`` commands: reports and their cells: list, check the figures, create, type, describe, delete, restore.

Each command's parser and handler side by side; a handler imports what it uses when it runs."""

from __future__ import annotations

import json

from desktop.app.commands.common import EXIT_FINDINGS, EXIT_OK, catalog_for, say, store_for
from desktop.foundation.messages import CchcError, msg


def add_parsers(commands, common) -> dict:
    """This group's commands added to ``commands``; returns name → handler."""
    commands.add_parser("demo", parents=[common], help="tạo dữ liệu mẫu từ các báo cáo gốc")
    commands.add_parser("reports", parents=[common], help="liệt kê các báo cáo")
    validate = commands.add_parser("validate", parents=[common], help="kiểm tra số liệu")
    validate.add_argument("--report", type=int, help="chỉ kiểm tra báo cáo này")
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
    delete = commands.add_parser("delete-report", parents=[common], help="xóa một báo cáo (sau khi sao lưu)")
    delete.add_argument("--report", type=int, required=True)
    delete.add_argument("--yes", action="store_true", help="xác nhận xóa")
    restore = commands.add_parser("restore", parents=[common],
                                  help="khôi phục tệp dữ liệu bị hỏng từ bản sao lưu tốt gần nhất")
    restore.add_argument("--force", action="store_true",
                         help="khôi phục cả khi tệp không hỏng (bỏ các thay đổi sau bản sao lưu; tệp cũ được cất riêng)")
    upgrade = commands.add_parser("upgrade-report", parents=[common],
                                  help="chuyển bản nháp sang phiên bản khác của bộ biểu mẫu (liệt kê ô bị bỏ trước)")
    upgrade.add_argument("--report", type=int, required=True)
    upgrade.add_argument("--to", type=int, required=True, dest="to_version", help="phiên bản mới của bộ biểu mẫu")
    upgrade.add_argument("--yes", action="store_true", help="chuyển dù có ô bị bỏ (đã xem danh sách)")
    return {"upgrade-report": cmd_upgrade_report, "demo": cmd_demo, "reports": cmd_reports, "validate": cmd_validate, "new-report": cmd_new_report, "set": cmd_set, "confirm-blanks": cmd_confirm_blanks, "report-info": cmd_report_info, "delete-report": cmd_delete_report, "restore": cmd_restore}


def cmd_demo(args) -> int:
    from desktop.app.demo import load_demo

    with store_for(args) as store:
        load_demo(store, catalog_for(args))
        count = len(store.reports.all())
        say(args, {"db": str(store.path), "reports": count}, msg("CLI002", path=store.path, reports=count))
    return EXIT_OK


def cmd_reports(args) -> int:
    from desktop.store.reports import STATUS_LABELS

    with store_for(args) as store:
        rows = [_report_summary(store, r) for r in store.reports.all()]
    text = "\n".join(f"{r['id']:>4}  {r['unit']} – {r['period']} – {r['form_set']} – {STATUS_LABELS.get(r['status'], r['status'])}"
                     for r in rows) or "Chưa có báo cáo nào."
    say(args, rows, text)
    return EXIT_OK


def cmd_validate(args) -> int:
    from desktop.rules.engine import validate_all, validate_report

    with store_for(args) as store:
        catalog = catalog_for(args)
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


def cmd_new_report(args) -> int:
    from desktop.foundation.periods import Period
    from desktop.report.ops import create_report, form_sets_for

    from desktop.app.units import add_from_directory

    catalog = catalog_for(args)
    period = Period(args.period, args.year, args.number if args.period == "quy" else None)
    with store_for(args) as store:
        try:
            store.units.get(args.unit)
        except CchcError:  # a unit of the official directory this database has not met yet: added
            add_from_directory(store, args.unit)
        usable = form_sets_for(store, catalog, args.unit, period)
        chosen = [s for s in usable if s.id == args.form_set]
        if not chosen:
            unit = store.units.get(args.unit)
            raise CchcError("DIR004", form_set=args.form_set, unit=unit.name, level=unit.level,
                            usable=", ".join(dict.fromkeys(s.id for s in usable)) or "không có")
        form_set = max(chosen, key=lambda s: s.version)
        report_id, carried = create_report(store, catalog, args.unit, period, form_set.id, form_set.version,
                                           carry_over=args.carry_over)
        unit = store.units.get(args.unit)
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
    say(args, data, "\n".join(lines))
    return EXIT_OK


def cmd_set(args) -> int:
    from desktop.report.ops import enter_cells

    with store_for(args) as store:
        changes = enter_cells(store, catalog_for(args), args.report, args.form, _cell_entries(args.cells))
    written = [c for c in changes if c.old != c.new]
    say(args, {"report": args.report, "form": args.form,
                "cells": [{"row": c.row, "column": c.column, "old": c.old, "new": c.new} for c in written]},
         msg("DIR009", cells=len(written), report=args.report))
    return EXIT_OK


def cmd_confirm_blanks(args) -> int:
    from desktop.report.ops import confirm_blanks

    if args.row and not args.form:
        raise CchcError("CELL011")
    catalog = catalog_for(args)
    with store_for(args) as store:
        changes = confirm_blanks(store, catalog, args.report, args.form, args.row)
        value = catalog.form_set_of(store.reports.get(args.report)).blank_means
    text = msg("CELL009", count=len(changes), value=value, report=args.report) if changes \
        else msg("CELL010", report=args.report)
    say(args, {"report": args.report, "value": value,
                "cells": [{"form": c.form, "row": c.row, "column": c.column} for c in changes]}, text)
    return EXIT_OK


def cmd_report_info(args) -> int:
    from desktop.report.ops import DATE_FIELDS, INFO_FIELDS, INFO_LABELS, shown_date, update_report_info

    given = {key: getattr(args, key) for key in INFO_FIELDS if getattr(args, key) is not None}
    with store_for(args) as store:
        changed = update_report_info(store, args.report, **given) if given else {}
        report = store.reports.get(args.report)
    shown = {key: getattr(report, key) for key in INFO_FIELDS}
    lines = [f"{INFO_LABELS[key]}: {shown_date(value) if key in DATE_FIELDS and value else value or '—'}"
             for key, value in shown.items()]
    if given:
        lines.insert(0, msg("INFO005", report=args.report, count=len(changed)))
    say(args, {"report": args.report, "info": shown, "changed": sorted(changed)}, "\n".join(lines))
    return EXIT_OK


def cmd_delete_report(args) -> int:
    with store_for(args) as store:
        report = store.reports.get(args.report)
        if not args.yes:
            raise CchcError("DIR007", report=args.report, unit=store.units.get(report.unit_code).name,
                            period=report.period.label)
        store.reports.delete(args.report)
        from desktop.store.backups import list_backups

        backups = list_backups(store.path)
    backup = backups[0].name if backups else "—"
    say(args, {"deleted": args.report, "backup": backup}, msg("DIR006", report=args.report, backup=backup))
    return EXIT_OK


def cmd_upgrade_report(args) -> int:
    from desktop.report.ops import upgrade_plan, upgrade_report

    catalog = catalog_for(args)
    with store_for(args) as store:
        plan = upgrade_plan(store, catalog, args.report, args.to_version)
        lines = plan.dropped_lines(catalog)
        summary = msg("UPG004", report=args.report, old=plan.from_version, new=plan.to_version, set=plan.form_set_id,
                      moved=plan.moved, dropped=len(plan.dropped))
        data = {"report": args.report, "form_set": plan.form_set_id, "from_version": plan.from_version,
                "to_version": plan.to_version, "moved": plan.moved,
                "dropped": [{"form": c.form, "row": c.row, "column": c.column, "value": c.old} for c in plan.dropped]}
        if plan.dropped and not args.yes:
            say(args, data | {"upgraded": False}, "\n".join([summary, *lines, msg("UPG006")]))
            return EXIT_FINDINGS
        upgrade_report(store, catalog, args.report, args.to_version)
    say(args, data | {"upgraded": True}, "\n".join([summary, *lines, msg("UPG007", report=args.report,
                                                                           new=plan.to_version, set=plan.form_set_id)]))
    return EXIT_OK


def cmd_restore(args) -> int:
    from desktop.foundation.paths import default_db_path
    from desktop.store.backups import restore_latest

    path = args.db or default_db_path()
    backup = restore_latest(path, force=args.force)
    say(args, {"db": str(path), "backup": str(backup)}, msg("STORE010", path=path, backup=backup.name))
    return EXIT_OK


def _report_summary(store, report) -> dict:
    
    unit = store.units.get(report.unit_code)
    return {
        "id": report.id, "unit": unit.name, "unit_code": unit.code,
        "period": report.period.label, "period_type": report.period_type,
        "period_number": report.period_number, "year": report.year, "form_set": report.form_set_id,
        "form_set_version": report.form_set_version, "status": report.status,
        "doc_number": report.doc_number,
    }


def _cell_entries(texts: list[str]) -> list[tuple[str, str, str]]:
    entries = []
    for text in texts:
        cell, equals, value = text.partition("=")
        row, dot, column = cell.rpartition(".")
        if not equals or not dot or not row or not column:
            raise CchcError("DIR008", cell=text)
        entries.append((row.strip(), column.strip(), value.strip()))
    return entries

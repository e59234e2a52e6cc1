"""``cchc`` commands: the form sets.

Each command's parser and handler side by side; a handler imports what it uses when it runs."""

from __future__ import annotations

from pathlib import Path

from desktop.app.arguments import VietnameseParser as _Parser
from desktop.app.commands.common import (EXIT_FINDINGS, EXIT_OK, add_identity_options, add_trust_roots, catalog_for,
                                         identity_of, say, trust_roots_of)
from desktop.foundation.messages import msg


def add_parsers(commands, common) -> dict:
    """This group's commands added to ``commands``; returns name → handler."""
    forms = commands.add_parser("forms", parents=[common], help="bộ biểu mẫu")
    forms_commands = forms.add_subparsers(dest="forms_command", required=True, parser_class=_Parser)
    check = forms_commands.add_parser("check", parents=[common], help="kiểm tra định nghĩa biểu mẫu")
    check.add_argument("dir", nargs="?", type=Path)
    blank = forms_commands.add_parser("print", parents=[common], help="in biểu mẫu trống (để thu số liệu trên giấy)")
    blank.add_argument("set", help="thư mục bộ biểu mẫu (có set.yaml) hoặc mã bộ có sẵn")
    blank.add_argument("--form", help="mã biểu (mặc định: mọi biểu của bộ)")
    blank.add_argument("--period", choices=["nam", "quy", "6thang", "9thang"], default="nam", help="loại kỳ in trên biểu")
    blank.add_argument("--year", type=int, help="năm in trên biểu (mặc định: năm của bộ)")
    blank.add_argument("--quarter", type=int, choices=[1, 2, 3, 4], help="quý, khi --period quy")
    blank.add_argument("-o", "--output", type=Path, required=True,
                       help="tệp cần ghi: .pdf để in, .xlsx để gửi cấp dưới điền (có sẵn công thức tổng)")
    export = forms_commands.add_parser("export-xlsx", parents=[common], help="ghi bộ biểu mẫu thành bảng định nghĩa Excel")
    export.add_argument("set", help="thư mục bộ biểu mẫu (có set.yaml) hoặc mã bộ có sẵn")
    export.add_argument("-o", "--output", type=Path, required=True, help="tệp .xlsx cần ghi")
    compile_ = forms_commands.add_parser("import-xlsx", parents=[common], help="dịch bảng định nghĩa Excel thành bộ biểu mẫu")
    compile_.add_argument("workbook", type=Path, help="bảng định nghĩa .xlsx")
    compile_.add_argument("-o", "--output", type=Path, required=True, help="thư mục bộ biểu mẫu cần ghi")
    compile_.add_argument("--force", action="store_true", help="ghi đè thư mục đã có tệp")
    template = forms_commands.add_parser("from-template", parents=[common],
                                         help="tạo bản nháp bộ biểu mẫu từ bảng tính biểu mẫu của tỉnh (.xlsx)")
    template.add_argument("template", type=Path, help="bảng tính biểu mẫu (mỗi trang một biểu)")
    template.add_argument("-o", "--output", type=Path, required=True, help="thư mục bộ biểu mẫu cần ghi")
    template.add_argument("--code", help="mã biểu (khi bảng tính có một trang)")
    template.add_argument("--id", dest="set_id", help="mã bộ (mặc định: theo tên tệp)")
    template.add_argument("--year", type=int, help="năm của bộ")
    template.add_argument("--level", choices=["tinh", "huyen", "xa", "any"], help="cấp báo cáo")
    template.add_argument("--province", help="tỉnh ban hành")
    template.add_argument("--workbook", type=Path, help="ghi cả bảng định nghĩa nháp (để hoàn thiện trong Excel)")
    template.add_argument("--force", action="store_true", help="ghi đè thư mục đã có tệp")

    publish = forms_commands.add_parser("publish", parents=[common], help="ký và phát hành bộ biểu mẫu thành gói (.cchcforms)")
    publish.add_argument("set", help="thư mục bộ biểu mẫu (có set.yaml)")
    publish.add_argument("-o", "--output", type=Path, required=True, help="tệp gói (.cchcforms) hoặc thư mục")
    add_identity_options(publish)
    receive = forms_commands.add_parser("receive", parents=[common], help="nhận và cài bộ biểu mẫu cấp trên phát hành")
    receive.add_argument("package", type=Path, help="tệp gói bộ biểu mẫu (.cchcforms)")
    add_trust_roots(receive, "thêm chứng thư gốc (tệp hoặc thư mục; lặp lại được)")
    confirm = forms_commands.add_parser("confirm", parents=[common],
                                        help="xác nhận chứng thư của cấp trên cho một gói bộ biểu mẫu đang giữ, rồi cài")
    confirm.add_argument("--package", required=True, help="mã gói đang giữ (ít nhất 8 ký tự đầu)")
    confirm.add_argument("--fingerprint", required=True, help="dấu vân tay đọc được từ cấp trên (20 chữ số đầu)")
    forms_commands.add_parser("list", parents=[common], help="các bộ biểu mẫu: có sẵn và đã nhận, với phiên bản và ngày áp dụng")
    return {"forms": lambda args: FORMS_COMMANDS[args.forms_command](args)}


def cmd_forms_from_template(args) -> int:
    from desktop.app.definitions import NOTES_FILE, compile_template

    form_set, notes = compile_template(args.template, args.output, force=args.force, workbook=args.workbook,
                                       code=args.code, set_id=args.set_id, year=args.year, level=args.level,
                                       province=args.province)
    todo = [n for n in notes if not n.inferred]
    summary = msg("TPL005", set=form_set.id, forms=len(form_set.forms), folder=args.output,
                  inferred=len(notes) - len(todo), todo=len(todo), notes=args.output / NOTES_FILE)
    say(args, {"folder": str(args.output), "set": form_set.id, "forms": list(form_set.forms),
               "notes": [{"sheet": n.sheet, "cell": n.cell, "text": n.text, "inferred": n.inferred} for n in notes]},
        "\n".join([summary] + [str(n) for n in notes]))
    return EXIT_OK


def cmd_forms_publish(args) -> int:
    from desktop.foundation.files import refuse_writing_over_data, write_atomically
    from desktop.submission.formsets import package_filename, publish

    if not args.output.is_dir():
        refuse_writing_over_data(args.output)
    with identity_of(args) as identity:
        data, manifest = publish(Path(args.set), identity)
    target = args.output / package_filename(manifest) if args.output.is_dir() else args.output
    write_atomically(target, lambda temporary: temporary.write_bytes(data))
    say(args, manifest | {"file": str(target)},
        msg("FSET020", name=manifest["set"]["name"], version=manifest["set"]["version"], file=target))
    return EXIT_OK


def cmd_forms_receive(args) -> int:
    from desktop.app.commands.common import store_for
    from desktop.foundation.paths import received_forms_dir
    from desktop.submission.formsets import receive

    with store_for(args) as store:
        done = receive(store, args.package, received_forms_dir(), trust_roots_of(args))
    say(args, done, done["message"])
    return EXIT_FINDINGS if done["held"] else EXIT_OK


def cmd_forms_confirm(args) -> int:
    from desktop.app.commands.common import store_for
    from desktop.foundation.paths import received_forms_dir
    from desktop.submission.formsets import confirm_forms

    with store_for(args) as store:
        done = confirm_forms(store, args.package, args.fingerprint, received_forms_dir(), trust_roots_of(args))
    say(args, done, done["message"])
    return EXIT_OK


def form_set_listing(catalog) -> list[dict]:
    """Every set of the catalogue as ``forms list --json`` gives it, by id then version."""
    from desktop.submission.formsets import received_note

    listed = []
    for form_set in sorted(catalog.sets.values(), key=lambda s: (s.id, s.version)):
        note = received_note(form_set)
        listed.append({"id": form_set.id, "version": form_set.version, "name": form_set.name, "level": form_set.level,
                       "province": form_set.province, "year": form_set.year, "valid_from": form_set.valid_from or None,
                       "source": form_set.source, "signed_by": note.get("signed_by"),
                       "publisher": note.get("publisher"), "received_at": note.get("received_at"),
                       "forms": list(form_set.forms), "folder": form_set.directory})
    return listed


def cmd_forms_list(args) -> int:
    listed = form_set_listing(catalog_for(args))
    sources = {"built-in": "có sẵn", "received": "đã nhận"}
    lines = [f"{s['id']} v{s['version']} – {s['name']} ({sources[s['source']]}"
             + (f", áp dụng từ {s['valid_from']}" if s["valid_from"] else "")
             + (f", ký bởi {s['signed_by']}" if s["signed_by"] else "") + ")" for s in listed]
    say(args, listed, "\n".join(lines))
    return EXIT_OK


def chosen_set(args, name: str):
    """(the catalogue, the set) a command names: a set's folder (with its set.yaml, loaded with
    the sets beside it), or the id of a set the catalogue holds (its newest version)."""
    from desktop.foundation.messages import CchcError

    folder = Path(name)
    if (folder / "set.yaml").is_file():
        catalog = catalog_for(args, folder.resolve().parent)
        found = [s for s in catalog.sets.values() if Path(s.directory).name == folder.resolve().name]
    else:
        catalog = catalog_for(args)
        found = [catalog.latest(name)] if catalog.latest(name) else []
    if not found:
        raise CchcError("BLANK004", set=name)
    return catalog, max(found, key=lambda s: s.version)


def cmd_forms_export_xlsx(args) -> int:
    from desktop.exchange.definitions import export_workbook
    from desktop.foundation.files import write_atomically

    from desktop.registry import load_form_set

    folder = Path(args.set)
    if (folder / "set.yaml").is_file():  # its YAML as written: a set that does not load yet is still exported
        form_set = load_form_set(folder, [], root=folder.parent)
    else:
        form_set = chosen_set(args, args.set)[1]
        folder = Path(form_set.directory)
    content = export_workbook(folder)
    write_atomically(args.output, lambda temporary: temporary.write_bytes(content))
    forms = len(form_set.forms) if form_set else 0
    name = form_set.name if form_set else folder.name
    say(args, {"file": str(args.output), "set": form_set.id if form_set else folder.name, "forms": forms},
        msg("DEF010", set=name, forms=forms, file=args.output))
    return EXIT_OK


def cmd_forms_import_xlsx(args) -> int:
    from desktop.app.definitions import compile_workbook

    form_set = compile_workbook(args.workbook, args.output, args.force)
    say(args, {"folder": str(args.output), "set": form_set.id, "version": form_set.version, "forms": list(form_set.forms)},
        msg("DEF011", file=args.workbook, set=form_set.id, version=form_set.version, forms=len(form_set.forms),
            folder=args.output))
    return EXIT_OK


def cmd_forms_check(args) -> int:
    catalog = catalog_for(args, args.dir)
    problems = [{"code": p.code, "file": p.file, "line": p.line, "message": p.text} for p in catalog.problems]
    sets = [{"id": s.id, "version": s.version, "name": s.name, "forms": list(s.forms)} for s in catalog.sets.values()]
    if args.json:
        say(args, {"sets": sets, "problems": problems}, "")
    elif problems:
        print("\n".join(p["message"] for p in problems))
    else:
        print(msg("CLI005", sets=len(sets), forms=catalog.form_count))
    return EXIT_FINDINGS if problems else EXIT_OK


def cmd_forms_print(args) -> int:
    from desktop.exchange.blank import blank_pdf, printed_forms
    from desktop.foundation.files import refuse_writing_over_data, write_atomically
    from desktop.foundation.periods import Period

    catalog, form_set = chosen_set(args, args.set)
    period = Period(args.period, args.year or form_set.year, args.quarter or (1 if args.period == "quy" else None))
    refuse_writing_over_data(args.output)
    if args.output.suffix.lower() == ".xlsx":
        from desktop.exchange.blank import blank_xlsx

        content = blank_xlsx(catalog, form_set, args.form, period)
    else:
        content = blank_pdf(catalog, form_set, args.form, period)
    write_atomically(args.output, lambda temporary: temporary.write_bytes(content))
    count = printed_forms(form_set, args.form)
    say(args, {"file": str(args.output), "set": form_set.id, "version": form_set.version, "forms": count},
        msg("BLANK003", forms=count, set=form_set.name, file=args.output))
    return EXIT_OK


FORMS_COMMANDS = {"check": cmd_forms_check, "print": cmd_forms_print, "export-xlsx": cmd_forms_export_xlsx,
                  "import-xlsx": cmd_forms_import_xlsx, "publish": cmd_forms_publish, "from-template": cmd_forms_from_template, "receive": cmd_forms_receive,
                  "confirm": cmd_forms_confirm, "list": cmd_forms_list}

"""``cchc`` commands: the form sets.

Each command's parser and handler side by side; a handler imports what it uses when it runs."""

from __future__ import annotations

from pathlib import Path

from desktop.app.arguments import VietnameseParser as _Parser
from desktop.app.commands.common import EXIT_FINDINGS, EXIT_OK, catalog_for, say
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
    blank.add_argument("-o", "--output", type=Path, required=True, help="tệp PDF cần ghi")
    export = forms_commands.add_parser("export-xlsx", parents=[common], help="ghi bộ biểu mẫu thành bảng định nghĩa Excel")
    export.add_argument("set", help="thư mục bộ biểu mẫu (có set.yaml) hoặc mã bộ có sẵn")
    export.add_argument("-o", "--output", type=Path, required=True, help="tệp .xlsx cần ghi")
    compile_ = forms_commands.add_parser("import-xlsx", parents=[common], help="dịch bảng định nghĩa Excel thành bộ biểu mẫu")
    compile_.add_argument("workbook", type=Path, help="bảng định nghĩa .xlsx")
    compile_.add_argument("-o", "--output", type=Path, required=True, help="thư mục bộ biểu mẫu cần ghi")
    compile_.add_argument("--force", action="store_true", help="ghi đè thư mục đã có tệp")
    return {"forms": lambda args: FORMS_COMMANDS[args.forms_command](args)}


def set_folder(args, name: str) -> Path:
    """A set's folder: the one named, or the newest version's of a set id the catalogue holds."""
    from desktop.foundation.messages import CchcError

    folder = Path(name)
    if (folder / "set.yaml").is_file():
        return folder
    found = catalog_for(args).latest(name)
    if found is None:
        raise CchcError("BLANK004", set=name)
    return Path(found.directory)


def cmd_forms_export_xlsx(args) -> int:
    from desktop.exchange.definitions import export_workbook
    from desktop.foundation.files import write_atomically

    folder = set_folder(args, args.set)
    content = export_workbook(folder)
    write_atomically(args.output, lambda temporary: temporary.write_bytes(content))
    problems: list = []
    from desktop.registry import load_form_set

    form_set = load_form_set(folder, problems, root=folder.parent)
    forms = len(form_set.forms) if form_set else 0
    say(args, {"file": str(args.output), "set": form_set.id if form_set else folder.name, "forms": forms},
        msg("DEF010", set=form_set.name if form_set else folder.name, forms=forms, file=args.output))
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
    from desktop.foundation.messages import CchcError

    folder = Path(args.set)
    if (folder / "set.yaml").is_file():
        catalog = catalog_for(args, folder.resolve().parent)
        found = [s for s in catalog.sets.values() if Path(s.directory).name == folder.resolve().name]
    else:
        catalog = catalog_for(args)
        found = [catalog.latest(args.set)] if catalog.latest(args.set) else []
    if not found:
        raise CchcError("BLANK004", set=args.set)
    form_set = max(found, key=lambda s: s.version)
    period = Period(args.period, args.year or form_set.year, args.quarter or (1 if args.period == "quy" else None))
    refuse_writing_over_data(args.output)
    content = blank_pdf(catalog, form_set, args.form, period)
    write_atomically(args.output, lambda temporary: temporary.write_bytes(content))
    count = printed_forms(form_set, args.form)
    say(args, {"file": str(args.output), "set": form_set.id, "version": form_set.version, "forms": count},
        msg("BLANK003", forms=count, set=form_set.name, file=args.output))
    return EXIT_OK


FORMS_COMMANDS = {"check": cmd_forms_check, "print": cmd_forms_print, "export-xlsx": cmd_forms_export_xlsx,
                  "import-xlsx": cmd_forms_import_xlsx}

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
    return {"forms": lambda args: FORMS_COMMANDS[args.forms_command](args)}


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


FORMS_COMMANDS = {"check": cmd_forms_check, "print": cmd_forms_print}

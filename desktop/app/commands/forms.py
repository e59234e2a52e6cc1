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
    return {"forms": cmd_forms_check}


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

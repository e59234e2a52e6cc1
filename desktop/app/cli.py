"""``cchc``: the command line over the headless core; a thin dispatcher.

The commands live in ``desktop.app.commands``, one module per group, each command's parser
beside its handler. Exit codes: 0 no errors, 1 errors found (validation findings of severity
"error", a refused import), 2 bad input or usage (unreadable file, damaged database, unknown
report). ``--json`` prints machine-readable output. Nothing here imports Qt: the window is
started only when no command is given. Each command imports what it uses when it runs, so that
``cchc validate`` never loads the signing (pyHanko), PDF (reportlab) or Excel (openpyxl) stacks.
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
from desktop.app.arguments import VietnameseParser as _Parser  # help and usage errors in Vietnamese
from desktop.app.commands import GROUPS
from desktop.app.commands.common import EXIT_BAD_INPUT, EXIT_OK, store_for
from desktop.foundation.messages import CchcError, msg

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
    for group in GROUPS:
        for name, handler in group.add_parsers(commands, common).items():
            commands.choices[name].set_defaults(handler=handler)
    _help_for_shared_options(parser)
    return parser


def cmd_open_app(args) -> int:
    """No command: where the window is, and what this database holds. The demo goes into a database
    of its own (``cchc --db demo.db demo``), never into the clerk's."""
    from desktop.foundation.paths import default_db_path

    path = args.db or default_db_path()
    print(msg("CLI001"))
    if not path.exists():
        print(msg("CLI018", path=path))
        return EXIT_OK
    with store_for(args) as store:
        count = len(store.reports.all())
    print(f"Tệp dữ liệu: {path} ({count} báo cáo).")
    return EXIT_OK


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    args.json = getattr(args, "json", False)
    try:
        return getattr(args, "handler", cmd_open_app)(args)
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

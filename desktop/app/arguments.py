"""argparse in Vietnamese, for both programs (``cchc`` and ``cchc-desktop --help``)."""

from __future__ import annotations

import argparse
import sys

from desktop.foundation.messages import msg

# argparse's own words ("usage:", "invalid choice", "show this help message and exit") come from
# its gettext calls; Python ships no Vietnamese for them, so they are looked up in the catalogue.
ARGPARSE_WORDS = {
    "usage: ": "ARG001", "positional arguments": "ARG002", "options": "ARG003",
    "show this help message and exit": "ARG004", "show program's version number and exit": "ARG005",
    "the following arguments are required: %s": "ARG006",
    "invalid choice: %(value)r (choose from %(choices)s)": "ARG007", "invalid %(type)s value: %(value)r": "ARG008",
    "unrecognized arguments: %s": "ARG009", "expected one argument": "ARG010",
    "argument %(argument_name)s: %(message)s": "ARG011", "ambiguous option: %(option)s could match %(matches)s":
        "ARG012", "expected at least one argument": "ARG013", "not allowed with argument %s": "ARG014",
    "one of the arguments %s is required": "ARG015", "%(prog)s: error: %(message)s\n": "ARG016",
    "expected %s argument": "ARG017", "expected %s arguments": "ARG017",
}


def _vietnamese(text: str) -> str:
    code = ARGPARSE_WORDS.get(text)
    return msg(code) if code else text


argparse._ = _vietnamese
argparse.ngettext = lambda singular, plural, n: _vietnamese(singular if n == 1 else plural)


class VietnameseParser(argparse.ArgumentParser):
    """A parser whose usage errors speak Vietnamese and exit with 2 (bad input)."""

    def error(self, message: str) -> None:
        self.print_usage(sys.stderr)
        print(msg("ARG016", prog=self.prog, message=message), file=sys.stderr, end="")
        sys.exit(2)

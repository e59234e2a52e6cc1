"""argparse in Vietnamese, for both programs (``cchc`` and ``cchc-desktop --help``).

argparse's own words ("usage:", "invalid choice", "show this help message and exit") come from
its gettext calls, and Python ships no Vietnamese for them. Rather than replace argparse's
module-level ``_`` for the whole process (every other parser would speak Vietnamese too), the
parser here says them itself: the headings and the help option's text when it is made, the
usage prefix through its formatter, and a usage error's English message read back against
argparse's templates and said again from the catalogue."""

from __future__ import annotations

import argparse
import re
import sys

from desktop.foundation.messages import msg

# argparse's templates → the catalogue's codes: the one place its words are translated
ARGPARSE_WORDS = {
    "the following arguments are required: %s": "ARG006",
    "invalid choice: %(value)r (choose from %(choices)s)": "ARG007", "invalid %(type)s value: %(value)r": "ARG008",
    "unrecognized arguments: %s": "ARG009", "expected one argument": "ARG010",
    "argument %(argument_name)s: %(message)s": "ARG011", "ambiguous option: %(option)s could match %(matches)s":
        "ARG012", "expected at least one argument": "ARG013", "not allowed with argument %s": "ARG014",
    "one of the arguments %s is required": "ARG015", "expected %s argument": "ARG017",
    "expected %s arguments": "ARG017",
}
_FIELD = re.compile(r"%(?:\((\w+)\))?[sr]")


def _pattern(template: str) -> re.Pattern:
    """A template as a regular expression whose groups are its fields (``%s`` numbered)."""
    parts, last, number = [], 0, 0
    for field in _FIELD.finditer(template):
        parts.append(re.escape(template[last:field.start()]))
        name = field.group(1) or f"_{number}"
        number += field.group(1) is None
        parts.append(f"(?P<{name}>.*?)")
        last = field.end()
    parts.append(re.escape(template[last:]))
    return re.compile("".join(parts), re.S)


_TEMPLATES = [(_pattern(english), code) for english, code in ARGPARSE_WORDS.items()]


def vietnamese(message: str) -> str:
    """argparse's English ``message`` in Vietnamese (an inner message too, as in "argument --x:
    invalid int value"); a message it does not know stays as it is."""
    for pattern, code in _TEMPLATES:
        found = pattern.fullmatch(message)
        if found is None:
            continue
        fields = found.groupdict()
        if "message" in fields:
            fields["message"] = vietnamese(fields["message"])
        positional = [fields.pop(k) for k in sorted(k for k in fields if k.startswith("_"))]
        said = _FIELD.sub(lambda f: "%s" if f.group(1) is None else f"%({f.group(1)})s", msg(code))
        return said % (tuple(positional) if positional else fields)
    return message


class VietnameseFormatter(argparse.HelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None) -> None:
        super().add_usage(usage, actions, groups, msg("ARG001") if prefix is None else prefix)


class VietnameseParser(argparse.ArgumentParser):
    """A parser whose help and usage errors speak Vietnamese, and whose errors exit with 2 (bad input)."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("formatter_class", VietnameseFormatter)
        super().__init__(*args, **kwargs)
        self._positionals.title = msg("ARG002")
        self._optionals.title = msg("ARG003")
        for action in self._actions:
            if isinstance(action, argparse._HelpAction):
                action.help = msg("ARG004")

    def error(self, message: str) -> None:
        self.print_usage(sys.stderr)
        print(msg("ARG016", prog=self.prog, message=vietnamese(message)), file=sys.stderr, end="")
        sys.exit(2)

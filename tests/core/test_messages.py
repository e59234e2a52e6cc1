"""The message catalogue: every message the app shows, by code, in one place."""

from __future__ import annotations

import ast
import string
from pathlib import Path

from desktop.foundation.messages import MESSAGES

PACKAGE = Path(__file__).resolve().parents[2] / "desktop"


def test_no_message_takes_a_parameter_named_code():
    """``CchcError(code, **params)``: a template asking for ``{code}`` could never be raised
    (PAR017 could not: "got multiple values for argument 'code'")."""
    named = {c: {f for _, f, _, _ in string.Formatter().parse(text) if f} for c, text in MESSAGES.items()}
    assert not [c for c, fields in named.items() if "code" in fields]


def test_every_code_the_app_raises_is_in_the_catalogue_with_the_parameters_it_is_given():
    missing, unfilled = [], []
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", None))
                    in ("CchcError", "msg") and node.args and isinstance(node.args[0], ast.Constant)):
                continue
            code = node.args[0].value
            if code not in MESSAGES:
                missing.append(f"{path.name}: {code}")
                continue
            if any(k.arg is None for k in node.keywords):
                continue  # **params: checked where they are built
            given = {k.arg for k in node.keywords}
            wanted = {f for _, f, _, _ in string.Formatter().parse(MESSAGES[code]) if f}
            if not wanted <= given:
                unfilled.append(f"{path.name}: {code} lacks {sorted(wanted - given)}")
    assert not missing and not unfilled, missing + unfilled


def test_no_code_is_in_the_catalogue_twice():
    """A dict literal keeps the last of two equal keys silently: CERT023 once said two things."""
    import re
    from collections import Counter

    from desktop.foundation import messages

    text = open(messages.__file__, encoding="utf-8").read()
    keys = re.findall(r'^\s+"([A-Z]+[0-9]{3})":', text, re.M)
    assert [k for k, n in Counter(keys).items() if n > 1] == []

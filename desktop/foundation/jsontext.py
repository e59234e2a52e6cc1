"""JSON as the app reads what others send: one value per key, reasons in Vietnamese.

``json.loads`` keeps the last of two equal keys ("1177" shown, "9177" taken) and says what is
wrong in English ("Expecting value: line 1 column 1"). Whatever arrives (an import, a signed
package's manifest and data.json) is read here instead.
"""

from __future__ import annotations

import json


class JsonRefused(ValueError):
    """Not JSON the app takes; ``reason`` says why in Vietnamese."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _one_value_per_key(pairs: list[tuple[str, object]]) -> dict:
    seen: dict = {}
    for key, value in pairs:
        if key in seen:
            raise JsonRefused(f"khóa “{key[:60]}” xuất hiện hai lần")
        seen[key] = value
    return seen


def loads(text: str):
    """The value of ``text``; JsonRefused for malformed JSON, a repeated key or too deep a nesting."""
    try:
        return json.loads(text, object_pairs_hook=_one_value_per_key)
    except json.JSONDecodeError as error:
        raise JsonRefused(f"sai cú pháp ở dòng {error.lineno}, cột {error.colno}") from None
    except RecursionError:
        raise JsonRefused("lồng nhau quá sâu") from None

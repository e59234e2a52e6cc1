"""The YAML toolkit every kind of definition shares (forms, criteria sets, the body's outline).

- ``read_yaml``: stage 1, YAML text to plain data that remembers each key's line
  (``LineDict``, ``LineList``); a file too large, not UTF-8, malformed or with a
  duplicate key is a ``Problem``, never an exception;
- ``Fields``: stage 2, reads one mapping's fields by name, type and choices,
  recording a ``Problem`` with file and line for each one missing, mistyped or unknown;
- ``problem``: a ``Problem`` from a message code of the catalogue.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
from dataclasses import dataclass
from pathlib import Path

import yaml

from desktop.foundation.messages import msg, os_reason
from desktop.foundation.paths import cache_dir

MAX_FILE_BYTES = 2 * 1024 * 1024  # the largest real form is a few kB
TOO_DEEP = "các mục lồng nhau quá sâu"


@dataclass(frozen=True)
class Problem:
    code: str
    text: str
    file: str
    line: int = 0


class LoadFailed(Exception):
    """Internal: stops normalising the current form after its problems are recorded."""


# --- stage 1: read ---------------------------------------------------------


class LineDict(dict):
    line = 0

    def __init__(self) -> None:
        super().__init__()
        self.lines: dict = {}


class LineList(list):
    line = 0


_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_BaseLoader):  # type: ignore[misc, valid-type]
    pass


MERGE_TAG = "tag:yaml.org,2002:merge"


def _construct_mapping(loader, node):
    # No merge keys ("<<: *a"): flattening copies the merged pairs, so a few lines of nested
    # merges make billions (the "billion laughs"); no definition of ours needs them.
    if any(key_node.tag == MERGE_TAG for key_node, _ in node.value):
        raise _Refused("FORM024", node.start_mark.line + 1)
    mapping = LineDict()
    mapping.line = node.start_mark.line + 1
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        line = key_node.start_mark.line + 1
        if not isinstance(key, (str, int)):
            raise yaml.MarkedYAMLError(problem="khóa phải là chữ", problem_mark=key_node.start_mark)
        key = str(key)
        if key in mapping:
            raise _DuplicateKey(key, line)
        mapping[key] = loader.construct_object(value_node, deep=True)
        mapping.lines[key] = line
    return mapping


def _construct_sequence(loader, node):
    items = LineList(loader.construct_object(child, deep=True) for child in node.value)
    items.line = node.start_mark.line + 1
    return items


_Loader.add_constructor("tag:yaml.org,2002:map", _construct_mapping)
_Loader.add_constructor("tag:yaml.org,2002:seq", _construct_sequence)


class _DuplicateKey(Exception):
    def __init__(self, key: str, line: int) -> None:
        self.key, self.line = key, line


class _Refused(Exception):
    def __init__(self, code: str, line: int = 0) -> None:
        self.code, self.line = code, line


MAX_NODES = 200_000  # what the data holds once every alias (*a) is expanded: a real form has a few thousand
MAX_DEPTH = 64


def _expanded_size(data) -> int:
    """How many values ``data`` holds with its aliases expanded, counted once per distinct value
    (aliases share their value), so a billion laughs is measured, not walked. Refused beyond
    ``MAX_DEPTH`` levels or ``MAX_NODES`` values: later stages walk the expanded tree."""
    sizes: dict[int, int] = {}

    def size(value, depth: int) -> int:
        if not isinstance(value, (list, dict)):
            return 1
        if depth > MAX_DEPTH:
            raise _Refused("FORM002")
        known = sizes.get(id(value))
        if known is None:
            items = value.values() if isinstance(value, dict) else value
            known = 1
            for item in items:
                known += size(item, depth + 1)
                if known > MAX_NODES:
                    raise _Refused("FORM025")
            sizes[id(value)] = known
        return known

    return size(data, 0)


# PyYAML's reasons, in Vietnamese: the officer editing a form reads them (the English stays in the log)
_YAML_REASONS = (
    ("could not determine a constructor", "thẻ YAML (!…) không được hỗ trợ"),
    ("cannot start any token", "có ký tự không được phép ở đây (thường là phím Tab: hãy thụt lề bằng dấu cách)"),
    ("mapping values are not allowed", "dấu hai chấm không đúng chỗ (chữ có dấu “:” cần đặt trong ngoặc kép)"),
    ("found undefined alias", "tham chiếu * đến một neo & không có"),
    ("expected <block end>", "thụt lề không thẳng hàng"),
    ("could not find expected ':'", "thiếu dấu hai chấm sau tên trường"),
    ("found unexpected end of stream", "tệp kết thúc giữa chừng (thiếu ngoặc hoặc ngoặc kép đóng)"),
    ("found duplicate anchor", "tên neo & bị trùng"),
    ("did not find expected", "thiếu giá trị hoặc dấu phân cách"),
    ("expected the node content", "thiếu giá trị"),
    ("found unknown escape character", "ký tự thoát \\ không hợp lệ trong ngoặc kép"),
    ("special characters are not allowed", "có ký tự điều khiển không được phép"),
    ("expected a comment or a line break", "có chữ thừa sau giá trị"),
    ("found unexpected ':'", "dấu hai chấm không đúng chỗ"),
    ("found a tab character", "có phím Tab: hãy thụt lề bằng dấu cách"),
)


def yaml_reason(error: yaml.YAMLError) -> str:
    text = str(getattr(error, "problem", None) or error)
    return next((said for english, said in _YAML_REASONS if english in text), "cấu trúc không đúng cú pháp YAML")


def read_yaml(path: Path, shown: str, problems: list[Problem]):
    """Stage 1. The file's data, or None with a problem recorded.

    A file read before comes from the compiled cache (see ``_cached``): YAML construction in
    Python was most of a ``cchc validate`` process's own work."""
    try:
        found = path.stat()
        if not stat.S_ISREG(found.st_mode):  # a device (/dev/zero), a pipe: never read to the end
            problems.append(problem("FORM001", shown, 0, reason="không phải một tệp thông thường"))
            return None
        if found.st_size > MAX_FILE_BYTES:
            problems.append(problem("FORM001", shown, 0, reason=f"lớn hơn {MAX_FILE_BYTES // 1024 // 1024} MB"))
            return None
        with open(path, "rb") as file:
            raw = file.read(MAX_FILE_BYTES + 1)  # the file may grow between the stat and the read
        if len(raw) > MAX_FILE_BYTES:
            problems.append(problem("FORM001", shown, 0, reason=f"lớn hơn {MAX_FILE_BYTES // 1024 // 1024} MB"))
            return None
        text = raw.decode("utf-8")
    except (OSError, UnicodeDecodeError) as error:
        problems.append(problem("FORM001", shown, 0, reason=reason_of(error)))
        return None
    digest = hashlib.sha256(raw).hexdigest()
    cached = _cached(digest)
    if cached is not None:
        return cached
    try:
        data = yaml.load(text, Loader=_Loader)
        _expanded_size(data)
    except RecursionError:
        problems.append(problem("FORM002", shown, 0, reason=TOO_DEEP))
    except _DuplicateKey as dup:
        problems.append(problem("FORM006", shown, dup.line, ident=dup.key, where=""))
    except _Refused as refused:
        if refused.code == "FORM002":
            problems.append(problem("FORM002", shown, refused.line, reason=TOO_DEEP))
        else:
            problems.append(problem(refused.code, shown, refused.line, limit=f"{MAX_NODES:,}".replace(",", ".")))
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else 0
        problems.append(problem("FORM002", shown, line, reason=yaml_reason(error)))
    except yaml.YAMLError as error:
        problems.append(problem("FORM002", shown, 0, reason=yaml_reason(error)))
    else:
        _keep(digest, data)
        return data
    return None


# --- the compiled cache ------------------------------------------------------
# One JSON file per YAML file's content, named by its SHA-256: a changed file has another name,
# so nothing is ever stale, and an edited form is read afresh.  Only files that read without a
# problem are kept, so a problem is reported on every read.  JSON, not pickle: loading it runs
# no code.  A mapping is ["m", line, key, key's line, value, ...], a list ["l", line, item, ...];
# a JSON list is never a scalar of ours, and anything JSON cannot hold (a YAML date) is not kept.
CACHE_FOLDER = "yaml-v1"


def _encoded(value):
    if isinstance(value, LineDict):
        encoded = ["m", value.line]
        for key, item in value.items():
            encoded += [key, value.lines.get(key, 0), _encoded(item)]
        return encoded
    if isinstance(value, LineList):
        return ["l", value.line, *(_encoded(item) for item in value)]
    if value is None or isinstance(value, (str, bool, int, float)):
        return value
    raise TypeError(type(value).__name__)


def _decoded(value):
    if not isinstance(value, list):
        if isinstance(value, dict):
            raise TypeError("dict")
        return value
    kind, line = value[0], value[1]
    if kind == "m":
        mapping = LineDict()
        mapping.line = line
        for at in range(2, len(value), 3):
            key = value[at]
            if not isinstance(key, str):
                raise TypeError("key")
            mapping[key] = _decoded(value[at + 2])
            mapping.lines[key] = value[at + 1]
        return mapping
    if kind == "l":
        items = LineList(_decoded(item) for item in value[2:])
        items.line = line
        return items
    raise TypeError(kind)


def _cached(digest: str):
    """The data kept for this content, or None (none kept, unreadable or damaged: read the YAML)."""
    try:
        return _decoded(json.loads((cache_dir() / CACHE_FOLDER / f"{digest}.json").read_bytes()))
    except (OSError, ValueError, TypeError, IndexError, RecursionError):
        return None


def _keep(digest: str, data) -> None:
    try:
        text = json.dumps(_encoded(data), ensure_ascii=False, separators=(",", ":"))
    except (TypeError, ValueError, RecursionError):
        return
    folder = cache_dir() / CACHE_FOLDER
    try:
        folder.mkdir(parents=True, exist_ok=True)
        partial = folder / f"{digest}.{os.getpid()}.tmp"
        partial.write_text(text, encoding="utf-8")
        os.replace(partial, folder / f"{digest}.json")  # whole or not at all: another process may read it
    except OSError:
        pass  # a cache is a convenience: a read-only or full disk only costs the next read its speed


def reason_of(error: Exception) -> str:
    if isinstance(error, UnicodeDecodeError):
        return "không phải văn bản UTF-8"
    if isinstance(error, FileNotFoundError):
        return "không tồn tại"
    return os_reason(error)


def problem(code: str, file: str, line: int, **params) -> Problem:
    return Problem(code, msg(code, file=file, line=line, **params), file, line)


class Fields:
    """Reads one mapping's fields, recording problems with file and line."""

    def __init__(self, data, file: str, problems: list[Problem], where: str = "", line: int = 0) -> None:
        self.file = file
        self.problems = problems
        self.where = where
        self.used: set[str] = set()
        self.failed = False
        if not isinstance(data, LineDict):
            self.data: LineDict = LineDict()
            self.line = getattr(data, "line", 0) or line
            self.fail("FORM004", field=where.strip(" ()") or "mục", expected="một bảng khóa: giá trị")
            return
        self.data = data
        self.line = data.line or line

    def line_of(self, name: str) -> int:
        return self.data.lines.get(name, self.line)

    def fail(self, code: str, line: int | None = None, **params) -> None:
        self.failed = True
        params.setdefault("where", self.where)
        self.problems.append(problem(code, self.file, line or self.line, **params))

    def get(self, name: str, kind=str, required: bool = False, default=None, choices=None):
        self.used.add(name)
        if name not in self.data or self.data[name] is None:
            if required:
                self.fail("FORM003", field=name)
            return default
        value = self.data[name]
        expected = {str: "chữ", int: "số nguyên", bool: "true/false", list: "một danh sách", dict: "một bảng"}
        if kind is str and isinstance(value, (int, float)) and not isinstance(value, bool):
            value = str(value)
        ok = isinstance(value, kind) and not (kind is int and isinstance(value, bool))
        if kind is dict:
            ok = isinstance(value, LineDict)
        if not ok:
            self.fail("FORM004", self.line_of(name), field=name, expected=expected.get(kind, str(kind)))
            return default
        if choices is not None and value not in choices:
            self.fail("FORM007", self.line_of(name), field=name, value=value, allowed=", ".join(map(str, choices)))
            return default
        return value

    def done(self) -> None:
        extra = [k for k in self.data if k not in self.used]
        for key in extra:
            self.fail("FORM005", self.line_of(key), field=key, allowed=", ".join(sorted(self.used)))


__all__ = ["Fields", "LineDict", "LineList", "LoadFailed", "MAX_FILE_BYTES", "Problem", "TOO_DEEP", "problem", "read_yaml"]

"""A form set's compiled model as plain data, for comparing two loads of "the same" set: where
each thing was read from (file, line, folder) is left out, everything it means is kept."""

from __future__ import annotations

import dataclasses

WHERE = {"line", "file", "directory", "_header_paths", "problems"}


def plain(value):
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value) if f.name not in WHERE}
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items() if k not in WHERE}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, type) or callable(value):
        return getattr(value, "__qualname__", repr(value))
    if hasattr(value, "__dict__") and type(value).__module__.startswith("desktop"):
        return {k: plain(v) for k, v in vars(value).items() if k not in WHERE}
    return value


def differences(a, b, path: str = "") -> list[str]:
    """Where two plain values differ, as paths ("/forms/KQ/leaves[6]/label: 'Sớm hạn' ≠ 'X'")."""
    if type(a) is not type(b):
        return [f"{path}: {a!r:.60} ≠ {b!r:.60}"]
    if isinstance(a, dict):
        found = []
        for key in list(a) + [k for k in b if k not in a]:
            if key not in a or key not in b:
                found.append(f"{path}/{key}: only in one")
            else:
                found += differences(a[key], b[key], f"{path}/{key}")
        return found
    if isinstance(a, list):
        found = [f"{path}: {len(a)} ≠ {len(b)} items"] if len(a) != len(b) else []
        for index, (x, y) in enumerate(zip(a, b)):
            found += differences(x, y, f"{path}[{index}]")
        return found
    return [] if a == b else [f"{path}: {a!r:.60} ≠ {b!r:.60}"]

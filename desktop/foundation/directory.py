"""The official directory of administrative units, before and after 1 July 2025.

Loaded from ``resources/dvhc-2025/units.json`` (made by ``make_units.py`` there from Công văn
915 and 1027/CTK-CSCL and the dvhcvn mapping), only when something asks for it: the window's
start does not read it.

Codes are reused across the change (the new Xã Đông Khánh Sơn has 22732, which was Xã Ba Cụm
Bắc's), so a unit is never named by its bare code: its ``id`` carries its era, ``22732.2025``
for a unit in force from 2025-07-01 and ``22732.cu`` for one of before ("cũ"), and each unit
says when it was in force. Ids fit the store's unit codes, so they name files safely.
"""

from __future__ import annotations

import datetime as dt
import json
import unicodedata
from functools import cache
from pathlib import Path
from typing import NamedTuple

from desktop.foundation.paths import resources_dir

REFORM = dt.date(2025, 7, 1)  # two tiers from this day (Nghị quyết 202/2025/QH15)
NEW_ERA, OLD_ERA = "2025", "cu"
NEW_FROM, OLD_TO = REFORM.isoformat(), (REFORM - dt.timedelta(days=1)).isoformat()
KIND_WORDS = ("thanh pho", "thi tran", "thi xa", "dac khu", "phuong", "huyen", "quan", "tinh", "xa")
LEVELS = {"tinh": "Tỉnh, thành phố", "huyen": "Huyện", "xa": "Xã, phường, đặc khu"}
LEVEL_ORDER = {"tinh": 0, "huyen": 1, "xa": 2}


class DirectoryUnit(NamedTuple):
    id: str
    code: str
    name: str
    level: str  # tinh | huyen | xa
    parent: str | None  # the parent's id
    valid_from: str | None  # ISO date, None: before the records
    valid_to: str | None  # ISO date, None: still in force

    def in_force(self, day: dt.date) -> bool:
        iso = day.isoformat()
        return (self.valid_from is None or self.valid_from <= iso) and (self.valid_to is None or iso <= self.valid_to)

    def to_json(self) -> dict:
        return self._asdict()


class Link(NamedTuple):
    unit: DirectoryUnit
    type: str  # full | partial


def fold(text: str) -> str:
    """"xa dong khanh son" from "Xã Đông Khánh Sơn": no diacritics, lower case, one space."""
    text = unicodedata.normalize("NFD", text.replace("Đ", "D").replace("đ", "d"))
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    return " ".join("".join(c if c.isalnum() else " " for c in text).split())


def without_kind(folded: str) -> str:
    """The name without its kind word ("xa ", "thanh pho "…): what a clerk types to find it."""
    for word in KIND_WORDS:
        if folded.startswith(word + " "):
            return folded[len(word) + 1:]
    return folded


def short_name(name: str) -> str:
    """"Đông Khánh Sơn" from "Xã Đông Khánh Sơn": the place name of "…, ngày … tháng … năm …"."""
    words = name.split()
    for kind in ("Thành phố", "Thị trấn", "Thị xã", "Đặc khu", "Phường", "Huyện", "Quận", "Tỉnh", "Xã"):
        if name.lower().startswith(kind.lower() + " ") and len(words) > len(kind.split()):
            return " ".join(words[len(kind.split()):])
    return name


class Directory:
    def __init__(self, data: dict) -> None:
        self.source = data["source"]
        units: dict[str, DirectoryUnit] = {}

        def add(code, name, level, parent, era):
            new = era == NEW_ERA
            unit = DirectoryUnit(f"{code}.{era}", code, name, level, parent and f"{parent}.{era}",
                                 NEW_FROM if new else None, None if new else OLD_TO)
            units[unit.id] = unit

        for code, name in data["provinces"]:
            add(code, name, "tinh", None, NEW_ERA)
        for code, name, province in data["communes"]:
            add(code, name, "xa", province, NEW_ERA)
        for code, name in data["old_provinces"]:
            add(code, name, "tinh", None, OLD_ERA)
        for code, name, province in data["old_districts"]:
            add(code, name, "huyen", province, OLD_ERA)
        for code, name, province in data["old_communes"]:
            add(code, name, "xa", province, OLD_ERA)
        self.units = units
        self._predecessors: dict[str, list[Link]] = {}
        self._successors: dict[str, list[Link]] = {}
        for key in ("province_lineage", "commune_lineage"):
            for new, old, kind in data[key]:
                new_id, old_id = f"{new}.{NEW_ERA}", f"{old}.{OLD_ERA}"
                self._predecessors.setdefault(new_id, []).append(Link(units[old_id], kind))
                self._successors.setdefault(old_id, []).append(Link(units[new_id], kind))
        self._children: dict[str, list[DirectoryUnit]] = {}
        for unit in units.values():
            if unit.parent:
                self._children.setdefault(unit.parent, []).append(unit)
        # (folded name without its kind word, folded full name, unit): searched on every keystroke
        self._index = [(without_kind(fold(u.name)), fold(u.name), u) for u in units.values()]

    def get(self, unit_id: str) -> DirectoryUnit | None:
        return self.units.get(unit_id)

    def children(self, unit_id: str) -> list[DirectoryUnit]:
        return list(self._children.get(unit_id, []))

    def predecessors(self, unit_id: str) -> list[Link]:
        return list(self._predecessors.get(unit_id, []))

    def successors(self, unit_id: str) -> list[Link]:
        return list(self._successors.get(unit_id, []))

    def in_force(self, day: dt.date) -> list[DirectoryUnit]:
        return [u for u in self.units.values() if u.in_force(day)]

    def search(self, text: str, *, on: dt.date | None = None, level: str | None = None,
               limit: int | None = 50) -> list[DirectoryUnit]:
        """Units whose name contains ``text``, whatever its diacritics, case or kind word ("dong khanh
        son", "Đông Khánh Sơn", "xa dong khanh son"), or whose code starts with it; names that
        start with it first. ``on``: only the units in force that day."""
        query = fold(text)
        bare = without_kind(query)
        found = []
        for short, full, unit in self._index:
            if on is not None and not unit.in_force(on) or level is not None and unit.level != level:
                continue
            if not query:
                rank = 2
            elif short == bare or full == query:
                rank = 0
            elif short.startswith(bare) or unit.code.startswith(query):
                rank = 1
            elif bare in short or query in full:
                rank = 2
            else:
                continue
            found.append((rank, unit.valid_to is not None, LEVEL_ORDER[unit.level], short, unit.id, unit))
        found.sort(key=lambda f: f[:5])
        return [f[-1] for f in found[:limit]] if limit else [f[-1] for f in found]

    def label(self, unit: DirectoryUnit) -> str:
        """"Xã Đông Khánh Sơn, Tỉnh Khánh Hòa (22732, từ 01/07/2025)": enough to tell two units apart."""
        parent = self.units.get(unit.parent) if unit.parent else None
        since = (f"từ {dt.date.fromisoformat(unit.valid_from):%d/%m/%Y}" if unit.valid_from
                 else f"đến {dt.date.fromisoformat(unit.valid_to):%d/%m/%Y}")
        return f"{unit.name}{', ' + parent.name if parent else ''} ({unit.code}, {since})"


def directory_file() -> Path:
    return resources_dir() / "dvhc-2025" / "units.json"


@cache
def load_directory(path: Path | None = None) -> Directory:
    return Directory(json.loads(Path(path or directory_file()).read_text(encoding="utf-8")))


@cache
def _lineage() -> tuple[dict, dict]:
    """new code → [(old code, full|partial)], and old code → (name, level, parent code): what the
    lineage needs, read without building the whole directory (the window's start asks for it when
    the database holds a unit of today; the directory itself waits for a search)."""
    data = json.loads(directory_file().read_text(encoding="utf-8"))
    links: dict[str, list] = {}
    for key in ("province_lineage", "commune_lineage"):
        for new, old, kind in data[key]:
            links.setdefault(new, []).append((old, kind))
    old_units = {code: (name, "tinh", None) for code, name in data["old_provinces"]}
    old_units.update((code, (name, "huyen", province)) for code, name, province in data["old_districts"])
    old_units.update((code, (name, "xa", province)) for code, name, province in data["old_communes"])
    return links, old_units


def predecessors_of(unit_code: str) -> list[Link]:
    """The old units a unit of the directory was formed from; [] for any other unit (the demo's
    seed units, a district's own codes) without reading anything."""
    if not unit_code.endswith(f".{NEW_ERA}"):
        return []
    if load_directory.cache_info().currsize:  # the whole directory is there already
        return load_directory().predecessors(unit_code)
    links, old_units = _lineage()
    found = []
    for code, kind in links.get(unit_code.removesuffix(f".{NEW_ERA}"), []):
        name, level, parent = old_units[code]
        found.append(Link(DirectoryUnit(f"{code}.{OLD_ERA}", code, name, level, parent and f"{parent}.{OLD_ERA}",
                                        None, OLD_TO), kind))
    return found


def era_note(unit_code: str) -> str:
    """" (từ 01/7/2025)" or " (đến 30/6/2025)" for a unit of the directory, "" for any other: two units
    of one name (the province before and after the merger) are told apart wherever they are listed."""
    if unit_code.endswith(f".{NEW_ERA}"):
        return f" (từ {REFORM:%d/%m/%Y})"
    if unit_code.endswith(f".{OLD_ERA}"):
        return f" (đến {dt.date.fromisoformat(OLD_TO):%d/%m/%Y})"
    return ""

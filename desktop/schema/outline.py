"""A report body's outline: its sections (I. Công tác chỉ đạo … V. Kiến nghị), as data.

``resources/narrative/outline.yaml`` is the national one; a form set may carry its own
``noi-dung.yaml`` beside its set.yaml, so that a report prints its body in the sections and the
order of the report it follows (seed 004's I–V, seed 003's I–IV, seed 002's tasks per area). A
definition like the forms, read here for the kinds that print a body (the narrative, the PAR
analysis), which stay independent of one another.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from desktop.foundation.paths import resources_dir
from desktop.schema.reading import Fields, Problem, read_yaml

SECTION_KEY = re.compile(r"[A-Za-z0-9_.\-]{1,64}")
_NUMBERED = re.compile(r"[0-9]{1,3}|[IVXL]{1,6}|[a-zđ]")  # "1", "IV", "a": a key that prints its number


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    hint: str = ""
    label: str = ""  # printed instead of the key's number, on a line above the title ("Phần thứ nhất")

    @property
    def heading(self) -> str:
        """"I. CÔNG TÁC …", "1. Cải cách thể chế", "Phần thứ nhất\nTÌNH HÌNH …"; the opening paragraph has none."""
        if self.label:
            return "\n".join(part for part in (self.label, self.title) if part)
        if not self.title:
            return ""
        number = self.key.rsplit(".", 1)[-1]
        return f"{number}. {self.title}" if _NUMBERED.fullmatch(number) else self.title  # "to_chuc": its title

    def heading_for(self, year: int) -> str:
        """The heading of a report of ``year``: its {year} and {next_year} filled."""
        return self.heading.replace("{year}", str(year)).replace("{next_year}", str(year + 1))

    @property
    def depth(self) -> int:
        return self.key.count(".")


OUTLINE_FILE = "noi-dung.yaml"  # a form set's own outline, beside its set.yaml


def read_outline(path: Path, shown: str, problems: list[Problem]) -> tuple[Section, ...] | None:
    """An outline file in stages: read, each section's fields checked (key, title, hint), the keys
    unique and each subsection after its part; None with the problems recorded when it is wrong."""
    before = len(problems)
    data = read_yaml(path, shown, problems)
    if data is None:
        return None
    f = Fields(data, shown, problems)
    raw = f.get("sections", list, required=True, default=[])
    f.done()
    sections: list[Section] = []
    for item in raw:
        s = Fields(item, shown, problems, " (sections)", getattr(raw, "line", 0))
        key = str(s.get("key", required=True, default=""))
        title, hint, label = s.get("title", default=""), s.get("hint", default=""), s.get("label", default="")
        s.done()
        if s.failed:
            continue
        if not SECTION_KEY.fullmatch(key) or any(x.key == key for x in sections):
            s.fail("FORM004", s.line_of("key"), field="key", expected="mã mục duy nhất (I, II.1, intro…)")
            continue
        parent = key.rsplit(".", 1)[0] if "." in key else None
        if parent is not None and not any(x.key == parent for x in sections):
            s.fail("FORM004", s.line_of("key"), field="key", expected=f"mục con đứng sau mục “{parent}”")
            continue
        sections.append(Section(key, title or "", hint or "", label or ""))
    if len(problems) > before or not sections:
        return None
    return tuple(sections)


@lru_cache(maxsize=16)
def _outline(path: Path, _stamp: float) -> tuple[Section, ...] | None:
    return read_outline(path, path.name, [])


def _outline_at(path: Path) -> tuple[Section, ...] | None:
    try:
        stamp = path.stat().st_mtime
    except OSError:
        return None
    return _outline(path, stamp)


def outline(form_set=None) -> tuple[Section, ...]:
    """The sections a report on ``form_set`` prints its body in: the set's own outline when it has
    one that reads (the loader reports one that does not), else the national one."""
    own = own_outline(form_set)
    if own:
        return own
    national = _outline_at(resources_dir() / "narrative" / "outline.yaml")
    if not national:
        raise RuntimeError("resources/narrative/outline.yaml: không đọc được dàn ý")
    return national


def own_outline(form_set) -> tuple[Section, ...] | None:
    """The set's own outline (its noi-dung.yaml), or None when it has none that reads."""
    if form_set is None or not getattr(form_set, "directory", ""):
        return None
    return _outline_at(Path(form_set.directory) / OUTLINE_FILE)


def section(key: str, form_set=None) -> Section | None:
    return next((s for s in outline(form_set) if s.key == key), None)


__all__ = ["OUTLINE_FILE", "SECTION_KEY", "Section", "outline", "own_outline", "read_outline", "section"]

"""Helpers: each test writes the forms it needs inline, as a small YAML table."""

from __future__ import annotations

import contextlib
import io
import textwrap
from pathlib import Path

import pytest

from desktop.foundation.periods import Period
from desktop.registry import load_catalog
from desktop.store.db import Store

REPO = Path(__file__).resolve().parents[2]


def write_set(root: Path, forms: dict[str, str], *, set_id: str = "test", version: int = 1, level: str = "huyen",
              lists: str = "", folder: str | None = None) -> Path:
    """A form set folder under ``root`` with the given form files (YAML text)."""
    directory = root / (folder or f"{set_id}-{version}")
    directory.mkdir(parents=True, exist_ok=True)
    listing = "\n".join(f"  - {name}" for name in forms)
    (directory / "set.yaml").write_text(
        f"id: {set_id}\nname: Bộ thử\nprovince: Thử\nyear: 2020\nversion: {version}\nlevel: {level}\n"
        + (textwrap.dedent(lists) if lists else "")
        + f"forms:\n{listing}\n",
        encoding="utf-8",
    )
    for name, text in forms.items():
        (directory / name).write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return directory


def write_criteria_set(root: Path, text: str, *, set_id: str, level: str = "huyen", extra: str = "") -> Path:
    """A PAR criteria set folder (``kind: chi_so``) under ``root`` with its criteria file (YAML text)."""
    folder = root / set_id
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "set.yaml").write_text(
        f"id: {set_id}\nkind: chi_so\nname: Bộ tiêu chí {set_id}\nprovince: Thử\nyear: 2021\nversion: 1\n"
        f"level: {level}\ncriteria: tieu_chi.yaml\n{extra}", encoding="utf-8")
    (folder / "tieu_chi.yaml").write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return root


def catalog_of(tmp_path: Path, forms: dict[str, str], **kwargs):
    root = tmp_path / "forms"
    write_set(root, forms, **kwargs)
    return load_catalog(root)


@pytest.fixture
def store(tmp_path):
    with Store.open(tmp_path / "data.db", user="kiemthu") as opened:
        yield opened


def new_report(store: Store, set_id: str = "test", version: int = 1, period: Period | None = None,
               communes: int = 0, unit: str = "H1", totals: str = "nhu_ban_in") -> int:
    """A district report (with ``communes`` child units) on set ``set_id``. Its figures read as a
    transcript's (``nhu_ban_in``: a blank total stays blank) unless ``totals="tinh"``, the app's
    own way for a report typed in it (tests/core/test_typed_totals.py)."""
    try:
        store.units.get(unit)
    except Exception:
        store.units.add(unit, "Huyện Thử", "huyen")
        for n in range(1, communes + 1):
            store.units.add(f"{unit}.X{n}", f"Xã {n}", "xa", unit, n)
    return store.reports.create(unit, period or Period("nam", 2020), set_id, version, totals=totals)


@pytest.fixture
def demo_store(tmp_path):
    """The demo database (the seed reports) in a file of the test's, with the shipped catalog."""
    from desktop.app.demo import load_demo

    catalog = load_catalog(REPO / "forms")
    with Store.open(tmp_path / "demo.db") as store:
        load_demo(store, catalog)
        yield store, catalog


@pytest.fixture
def real_catalog():
    return load_catalog(REPO / "forms")


def cli(*argv) -> tuple[int, str]:
    """``cchc`` in-process: exit code and what it printed."""
    from desktop.app.cli import main

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main(list(argv))
    return code, out.getvalue()

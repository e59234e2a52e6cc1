"""The compiled cache of YAML definitions (issue 20): a file read before is not parsed again,
and what comes out of the cache is exactly what the YAML gave, lines included."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from desktop.foundation.paths import forms_dir
from desktop.schema import reading
from desktop.schema.reading import LineDict, LineList, read_yaml


@pytest.fixture
def cache(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("CCHC_CACHE_DIR", str(folder))
    return folder / reading.CACHE_FOLDER


def same(a, b) -> bool:
    """Equal, of the same types, with the same remembered lines, all the way down."""
    if type(a) is not type(b):
        return False
    if isinstance(a, LineDict):
        return (a.line == b.line and a.lines == b.lines and list(a) == list(b)
                and all(same(a[key], b[key]) for key in a))
    if isinstance(a, LineList):
        return a.line == b.line and len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    return a == b


def read_twice(path: Path) -> tuple:
    problems_first, problems_second = [], []
    first = read_yaml(path, path.name, problems_first)
    second = read_yaml(path, path.name, problems_second)
    return first, second, problems_first, problems_second


def test_every_definition_in_forms_reads_the_same_from_the_cache(cache, monkeypatch):
    files = sorted(forms_dir().rglob("*.yaml"))
    assert len(files) > 30
    for path in files:
        first, second, problems_first, problems_second = read_twice(path)
        assert not problems_first and not problems_second, path
        assert same(first, second), path
    assert len(list(cache.glob("*.json"))) == len({p.read_bytes() for p in files})
    # The second read came from the cache: with YAML parsing broken, the files still read.
    monkeypatch.setattr(reading.yaml, "load", lambda *a, **k: pytest.fail("parsed again"))
    for path in files:
        assert read_yaml(path, path.name, []) is not None


def test_an_edited_file_is_read_afresh(cache, tmp_path):
    path = tmp_path / "bieu.yaml"
    path.write_text("ma: 1A\nten: Biểu cũ\n", encoding="utf-8")
    assert read_yaml(path, "bieu.yaml", [])["ten"] == "Biểu cũ"
    path.write_text("ma: 1A\nten: Biểu mới\n", encoding="utf-8")
    assert read_yaml(path, "bieu.yaml", [])["ten"] == "Biểu mới"


def test_a_file_with_a_problem_is_not_kept_and_says_so_on_every_read(cache, tmp_path):
    path = tmp_path / "hong.yaml"
    path.write_text("ma: 1A\nma: 1B\n", encoding="utf-8")
    data, again, problems_first, problems_second = read_twice(path)
    assert data is None and again is None
    assert [p.code for p in problems_first] == [p.code for p in problems_second] == ["FORM006"]
    assert not cache.exists() or not list(cache.iterdir())


def test_a_damaged_cache_entry_is_ignored_and_replaced(cache, tmp_path):
    path = tmp_path / "bieu.yaml"
    path.write_text("ma: 1A\ncot:\n  - a\n  - b\n", encoding="utf-8")
    expected = read_yaml(path, "bieu.yaml", [])
    (entry,) = cache.glob("*.json")
    for damage in (b"{not json", b'{"ma": "1A"}', b'["x", 1]', b'["m", 1, 5, 1, "a"]', b"", b"[" * 100_000):
        entry.write_bytes(damage)
        problems = []
        assert same(read_yaml(path, "bieu.yaml", problems), expected), damage[:20]
        assert not problems
    assert same(reading._decoded(__import__("json").loads(entry.read_bytes())), expected)


def test_a_full_disk_costs_only_speed_and_leaves_no_partial_file(cache, tmp_path, monkeypatch):
    """A write that fails (a full disk, a read-only folder: root is not stopped by permissions, so
    the failure is made by hand) keeps nothing half-written and the file still reads."""
    import errno

    def full(self, *args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    path = tmp_path / "bieu.yaml"
    path.write_text("ma: 1A\n", encoding="utf-8")
    monkeypatch.setattr(Path, "write_text", full)
    assert read_yaml(path, "bieu.yaml", []) == {"ma": "1A"}
    assert not cache.exists() or not list(cache.iterdir())


def test_a_cache_folder_that_is_a_file_costs_only_speed(cache, tmp_path):
    cache.parent.mkdir(parents=True)
    cache.write_text("not a folder")
    path = tmp_path / "bieu.yaml"
    path.write_text("ma: 1A\n", encoding="utf-8")
    assert read_yaml(path, "bieu.yaml", []) == {"ma": "1A"}
    assert read_yaml(path, "bieu.yaml", []) == {"ma": "1A"}


def test_a_yaml_date_is_read_but_not_kept(cache, tmp_path):
    path = tmp_path / "ngay.yaml"
    path.write_text("ngay: 2025-07-01\n", encoding="utf-8")
    first, second, _, _ = read_twice(path)
    assert same(first, second) and str(first["ngay"]) == "2025-07-01"
    assert not list(cache.glob("*.json"))


scalars = st.one_of(st.none(), st.booleans(), st.integers(-10**12, 10**12), st.text(max_size=12),
                    st.floats(allow_nan=False))
keys = st.text(min_size=1, max_size=8)
trees = st.recursive(scalars, lambda children: st.one_of(st.lists(children, max_size=4),
                                                         st.dictionaries(keys, children, max_size=4)), max_leaves=20)


@given(trees)
def test_any_yaml_reads_the_same_from_the_cache(tmp_path_factory, tree):
    folder = tmp_path_factory.mktemp("tree")
    os.environ["CCHC_CACHE_DIR"] = str(folder / "cache")
    try:
        path = folder / "tree.yaml"
        path.write_text(yaml.safe_dump({"goc": tree}, allow_unicode=True), encoding="utf-8")
        first, second, problems_first, problems_second = read_twice(path)
        assert problems_first == problems_second
        assert same(first, second)
    finally:
        del os.environ["CCHC_CACHE_DIR"]

"""The database's own unit, from the official directory: what ``cchc setup`` and the first-run
dialog do.

Setting up a unit puts into the store the unit, its parent (a commune of today reports to its
province; an old commune to its old province, the mapping names no districts), and the units it
receives reports from: a province's communes in force, and for each unit of today the old units
it was formed from, so that their reports and packages (the figures carried over) have a home.
"""

from __future__ import annotations

from desktop.foundation.directory import Directory, DirectoryUnit, load_directory, short_name
from desktop.foundation.messages import CchcError
from desktop.foundation.settings import load_settings, save_settings


def _add(store, unit: DirectoryUnit, position: int = 0) -> None:
    store.units.add(unit.id, unit.name, unit.level, unit.parent, position)


def add_from_directory(store, unit_id: str, directory: Directory | None = None,
                       with_children: bool = False) -> DirectoryUnit:
    """A unit of the official directory into the database, with its parents and the old units it
    was formed from (and, with ``with_children``, the units that report to it); nothing else changes."""
    directory = directory or load_directory()
    unit = directory.get(unit_id)
    if unit is None:
        raise CchcError("DIR001", unit=unit_id)
    chain = []
    parent = directory.get(unit.parent) if unit.parent else None
    while parent is not None:
        chain.insert(0, parent)
        parent = directory.get(parent.parent) if parent.parent else None
    with store.transaction():
        for known in chain:
            _add(store, known)
        _add(store, unit)
        receives = [c for c in directory.children(unit.id) if c.valid_to is None or unit.valid_to is not None] \
            if with_children else []
        for position, child in enumerate(receives, 1):
            _add(store, child, position)
        for formed in [unit] + receives:
            for link in directory.predecessors(formed.id):
                old = link.unit
                old_parent = directory.get(old.parent) if old.parent else None
                if old_parent is not None:
                    _add(store, old_parent)
                _add(store, old)
    return unit


def setup_unit(store, unit_id: str, *, place: str | None = None, parent_body: str | None = None,
               directory: Directory | None = None) -> DirectoryUnit:
    directory = directory or load_directory()
    with store.transaction():
        unit = add_from_directory(store, unit_id, directory, with_children=True)
        settings = load_settings(store)
        settings["unit"] = unit.id
        settings["document"]["place"] = place if place is not None else (settings["document"]["place"]
                                                                         or short_name(unit.name))
        if parent_body is not None:
            settings["document"]["parent_body"] = parent_body
        save_settings(store, settings)
    return unit

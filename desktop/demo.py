"""The demo database: the seed reports as printed, from ``resources/demo/*.json``.

Each file is an interchange document (docs/interchange.md) entered exactly as
the seed report prints it, mistakes included, with people's names replaced by
placeholders.  Loading is idempotent: a report already present is left alone.
"""

from __future__ import annotations

from pathlib import Path

from desktop.interchange import import_report, read_document
from desktop.messages import CchcError
from desktop.paths import resources_dir
from desktop.schema.loader import Catalog


def demo_files() -> list[Path]:
    return sorted((resources_dir() / "demo").glob("*.json"))


def load_demo(store, catalog: Catalog) -> list[int]:
    """Import every demo report not yet in the store; the ids of the new ones."""
    created = []
    for path in demo_files():
        try:
            created.append(import_report(store, catalog, read_document(path), path.name))
        except CchcError as error:
            if error.code != "STORE012":  # already loaded
                raise
    return created

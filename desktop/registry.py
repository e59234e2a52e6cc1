"""The report kinds and parts this application is made of, and the catalog loaded with them.

The one place that names them: the annex kind (the default for a set.yaml without
``kind:``), the PAR-index kind, and the narrative body as a part of every report.
Everything below (schema, rules, exchange) receives them through the catalog; a
new kind is a module that satisfies ``schema.kinds.ReportKind`` and a line here
(or, for a test or a plug-in, a catalog loaded with ``KINDS + (its kind,)``).
"""

from __future__ import annotations

from pathlib import Path

from desktop.kinds import annex, narrative
from desktop.kinds.par import kind as par
from desktop.schema import loader
from desktop.schema.loader import Catalog
from desktop.schema.model import FormSet
from desktop.schema.reading import Problem

KINDS = (annex.KIND, par.KIND)
PARTS = (narrative.PART,)


def load_catalog(root: Path, kinds: tuple = KINDS, parts: tuple = PARTS, received: Path | None = None) -> Catalog:
    """Every set under ``root`` (and ``received``: the sets received from parent bodies),
    compiled by this application's kinds and parts."""
    return loader.load_catalog(root, kinds, parts, received)


def load_form_set(directory: Path, problems: list[Problem], root: Path | None = None,
                  kinds: tuple = KINDS, parts: tuple = PARTS) -> FormSet | None:
    """One set folder (``forms check`` of a single folder, tests)."""
    return loader.load_form_set(directory, problems, kinds, parts, root)


__all__ = ["KINDS", "PARTS", "load_catalog", "load_form_set"]

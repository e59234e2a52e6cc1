"""What a report kind and a report part provide: the contracts through which the core calls them.

The core (schema, store, rules, exchange) knows no kind by name. A set folder's
``set.yaml`` says which kind compiles it (``kind:``); the catalog is loaded with
the kinds and parts the application registers (``desktop.registry``), each set
keeps its kind object, and whoever needs kind-specific behaviour asks that
object: ``form_set.kind.validate(data)``, ``form_set.kind.document(data)``.

A **kind** compiles a set folder into forms (the grids, the interchange cells,
the Excel sheets and the package all follow from forms) plus a ``definition`` of
its own, checks a report of it, and says what its printed document holds.

A **part** is something any report may have beside its forms (the narrative
body): it reads its own key of ``set.yaml``, checks the report, adds blocks to the
printed document and travels in the interchange document under its name.

Both are plain objects (dataclasses or modules' instances) that satisfy these
protocols; nothing here imports them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from desktop.schema.reading import Fields, Problem


@dataclass
class Document:
    """What a report's printed document holds besides its head (exchange.document.ReportHead):
    the annexes (``exchange.annex.Annex``) and the body blocks (``exchange.body``), and the
    subject line when the kind writes its own (the PAR analysis)."""

    annexes: list = field(default_factory=list)
    blocks: list = field(default_factory=list)
    subject: str | None = None


class ReportKind(Protocol):
    name: str  # set.yaml's ``kind:``
    label: str  # what a clerk calls such a set: "Bộ biểu mẫu", "Bộ tiêu chí Chỉ số CCHC"
    set_fields: tuple[str, ...]  # the set.yaml keys this kind reads

    def load(self, form_set: Any, fields: Fields, directory: Path, shown: Callable[[Path], str],
             problems: list[Problem]) -> bool:
        """Compile the set folder into ``form_set.forms`` (and ``form_set.definition``);
        False when it cannot be used (its problems recorded)."""

    def validate(self, data: Any) -> list:
        """The findings (``rules.engine.Finding``) of one report (``report.data.ReportData``)."""

    def document(self, data: Any) -> Document:
        """The annexes and body of the report's printed document (PDF, Word, the package)."""

    def receives(self, form_set: Any) -> set[str]:
        """The ids of the child units' form sets whose signed packages a report of ``form_set``
        takes at consolidation (empty: it consolidates nothing)."""

    def sources(self, data: Any) -> list[int]:
        """The other reports of the store that the report's printed document shows (a PAR analysis
        prints its child units' sheets): they travel in its package, so that a receiver prints
        the same document from the package alone."""


class ReportPart(Protocol):
    name: str  # the key under which it travels in the interchange document ("noi_dung")
    set_field: str  # the set.yaml key it reads, if any ("placeholders")

    def load(self, raw: Any, form_set: Any, file: str, problems: list[Problem]) -> object:
        """What the set declares for this part, checked against the set's forms."""

    def validate(self, data: Any) -> list:
        """Findings of this part of one report."""

    def blocks(self, data: Any) -> list:
        """Body blocks for the printed document; empty when the report has none."""

    def export(self, store: Any, report_id: int) -> object | None:
        """The part of one report as plain JSON, or None when it has nothing."""

    def check(self, value: object) -> object:
        """A received value checked (CchcError with a Vietnamese message when it cannot be taken)."""

    def write(self, store: Any, report_id: int, checked: object) -> None:
        """Store a checked value in the store's open transaction (an import)."""


__all__ = ["Document", "ReportKind", "ReportPart"]

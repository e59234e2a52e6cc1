"""The annex kind (``kind: bieu_mau``, the default): a set of forms (phụ lục, biểu mẫu).

Its sets are the forms of the schema (``schema.loader.load_forms``), checked by the
rules engine (``rules.engine.check_forms``); its printed document is the report's
body (the parts, such as the narrative) followed by the annexes as printed.
"""

from __future__ import annotations

from pathlib import Path

from desktop.exchange.annex import printed_annexes
from desktop.exchange.document import part_blocks
from desktop.rules.engine import check_form, form_dependents
from desktop.rules.history import check_history
from desktop.schema.kinds import Document
from desktop.schema.loader import load_forms
from desktop.schema.reading import Fields, Problem


class AnnexKind:
    name = "bieu_mau"
    label = "Bộ biểu mẫu"
    set_fields = ("forms",)

    def load(self, form_set, fields: Fields, directory: Path, shown, problems: list[Problem]) -> bool:
        return load_forms(form_set, fields, directory, shown, problems)

    def validate(self, data) -> list:
        return [finding for code in data.form_set.forms for finding in self.validate_form(data, code)]

    def validate_form(self, data, code: str) -> list:
        """One form's findings: its rules, then its figures against their history. With
        ``dependents``, what lets a session check again only what a change can affect."""
        return check_form(data, code) + check_history(data, {code})

    def dependents(self, form_set) -> dict[str, set[str]]:
        found = getattr(form_set, "_dependents", None)
        if found is None:  # the same for every report of the set: worked out once
            found = form_set._dependents = form_dependents(form_set)
        return found

    def document(self, data) -> Document:
        return Document(annexes=printed_annexes(data)[0], blocks=part_blocks(data))

    def receives(self, form_set) -> set[str]:
        """The child units' form sets whose packages fill this set's ``from:`` rows."""
        return {spec.consolidate.form_set for form in form_set.forms.values() for spec in form.consolidated_rows}

    def sources(self, data) -> list[int]:
        return []  # the annexes print the report's own figures, consolidated ones included


KIND = AnnexKind()

__all__ = ["KIND", "AnnexKind"]

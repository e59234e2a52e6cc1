"""The PAR-index kind (``kind: chi_so``): a criteria set, its scoring sheets and their analysis.

A set folder names its ``criteria:`` file; the kind compiles it (criteria.py) and the
sheet form it is typed into (sheet.py), so that a sheet travels like an annex. A
sheet is checked by its scorecard (scoring.py), and its printed document is the
analysis report (analysis.py); the sheet itself prints from Excel. ``appraises:`` names the
criteria set of the child units whose sheets a report of this set receives and
appraises (thẩm định, appraisal.py).
"""

from __future__ import annotations

from pathlib import Path

from desktop.foundation.messages import msg
from desktop.kinds.par.analysis import analysis_body, relayed_findings, sheets
from desktop.kinds.par.criteria import load_criteria
from desktop.kinds.par.scoring import score_data, stray_cells
from desktop.kinds.par.sheet import FORM_CODE, sheet_form
from desktop.schema.kinds import Document
from desktop.schema.loader import add_forms
from desktop.schema.reading import Fields, Problem


class ParKind:
    name = "chi_so"
    label = "Bộ tiêu chí Chỉ số CCHC"
    set_fields = ("criteria", "appraises")

    def load(self, form_set, fields: Fields, directory: Path, shown, problems: list[Problem]) -> bool:
        criteria_file = fields.get("criteria", required=True, default="")
        appraises = fields.get("appraises")
        if fields.failed:
            return False
        path = directory / criteria_file
        if not path.is_file():
            problems.append(Problem("FORM012", msg("FORM012", file=fields.file, ref=criteria_file), fields.file))
            return False
        criteria = load_criteria(path, shown(path), problems)
        if criteria is None:
            return False
        criteria.appraises = appraises
        form_set.definition = criteria
        before = len(problems)
        add_forms(form_set, [sheet_form(criteria, shown(path))], problems)
        return len(problems) == before

    def validate(self, data) -> list:
        card = score_data(data)
        found = card.findings + stray_cells(data.form_set.definition, data.raw.get(FORM_CODE, {}), data.id)
        found += relayed_findings(data.id, sheets(data.store, data.catalog, data.id)[1])
        return found

    def document(self, data) -> Document:
        """The analysis report as seed 002 prints it, without the sheet: the sheet itself is
        printed from its Excel file and travels in the package as data and workbook."""
        subject, blocks = analysis_body(data.store, data.catalog, data.id)
        return Document(blocks=blocks, subject=subject)

    def receives(self, form_set) -> set[str]:
        appraises = getattr(form_set.definition, "appraises", None)
        return {appraises} if appraises else set()

    def sources(self, data) -> list[int]:
        """The child units' sheets the analysis prints (part II and its table)."""
        _, children = sheets(data.store, data.catalog, data.id)
        return [child.report.id for child in children]


KIND = ParKind()

__all__ = ["KIND", "ParKind"]

"""A criteria set as a form: the scoring sheet (bảng chấm điểm) every exchange reads.

The sheet's entries have always been cells of the form ``CHI_SO`` (row = criterion
code, ``tong`` for what the sheet states about the whole). Compiling the criteria
into that form, as data of the schema, is what lets a scoring sheet travel like an
annex: the interchange document carries its cells, Excel prints and reads it back,
the signed package holds it, and the window's grids and the print preview can show
it, with no exchange knowing what a criterion is. The arithmetic of the sheet is
not in rules here: the kind checks it (``scoring.scorecard``).
"""

from __future__ import annotations

from desktop.foundation.values import CellType, format_points
from desktop.kinds.par.criteria import CriteriaSet, Criterion
from desktop.schema.model import Column, Form, RowSpec

FORM_CODE = "CHI_SO"
SHEET_TITLE = "Bảng chấm điểm Chỉ số CCHC"
TOTAL_ROW = "tong"
CODE, TITLE, MAXIMUM = "ma", "ten", "toi_da"
SCORE, APPLIES, REASON, OFFICE, EXPLANATION = "diem", "ap_dung", "ly_do", "trach_nhiem", "giai_trinh"
INDEX, RATING = "chi_so", "xep_loai"
COLUMN_LABELS = {SCORE: "Điểm đạt", APPLIES: "Áp dụng", REASON: "Nguyên nhân", OFFICE: "Trách nhiệm",
                 EXPLANATION: "Giải trình, tài liệu kiểm chứng", INDEX: "Chỉ số", RATING: "Xếp loại"}
CRITERION_COLUMNS = (SCORE, APPLIES, REASON, OFFICE, EXPLANATION)  # what a criterion's row takes
TOTAL_COLUMNS = (SCORE, INDEX, RATING)  # what the total row takes
POINTS = CellType("decimal")
TEXT = CellType("text")
APPLIES_TYPE = CellType("bool")
COLUMN_TYPES = {SCORE: POINTS, APPLIES: APPLIES_TYPE, REASON: TEXT, OFFICE: TEXT, EXPLANATION: TEXT,
                INDEX: POINTS, RATING: TEXT}


def _row(criterion: Criterion) -> RowSpec:
    return RowSpec(kind="fixed", id=criterion.code, code=criterion.code, label=criterion.title,
                   style="bold" if criterion.depth == 0 else ("italic" if criterion.depth > 1 else "normal"),
                   note=format_points(criterion.maximum), line=criterion.line,
                   children=[_row(child) for child in criterion.children])


def sheet_form(criteria: CriteriaSet, file: str) -> Form:
    """The scoring sheet of ``criteria`` as a form (not yet checked: ``schema.loader.add_forms``)."""
    def data(column_id: str, width: int | None = None) -> Column:
        return Column(label=COLUMN_LABELS[column_id], id=column_id, ctype=COLUMN_TYPES[column_id], width=width)

    columns = [
        Column(label="TT", id=CODE, kind="row_code", ctype=TEXT),
        Column(label="Lĩnh vực, tiêu chí, tiêu chí thành phần", id=TITLE, kind="row_label", ctype=TEXT),
        Column(label="Điểm tối đa", id=MAXIMUM, kind="row_note", ctype=TEXT),
        Column(label="Tự đánh giá", children=[data(SCORE), data(APPLIES)]),
        data(REASON, 2), data(OFFICE, 2), data(EXPLANATION, 3),
        data(INDEX), data(RATING),
    ]
    for number, leaf in enumerate((c for top in columns for c in (top.children or [top])), 1):
        leaf.number = number
    rows = [_row(area) for area in criteria.areas]
    rows.append(RowSpec(kind="fixed", id=TOTAL_ROW, code="", label="Tổng cộng", style="total",
                        note=format_points(criteria.maximum)))
    return Form(code=FORM_CODE, printed_code=SHEET_TITLE, title=criteria.title, columns=columns, rows=rows,
                rules=[], orientation="landscape", file=file)


__all__ = ["APPLIES", "COLUMN_LABELS", "CRITERION_COLUMNS", "EXPLANATION", "FORM_CODE", "INDEX", "OFFICE",
           "RATING", "REASON", "SCORE", "SHEET_TITLE", "TOTAL_COLUMNS", "TOTAL_ROW", "sheet_form"]

"""Key figures: the few numbers a report is read by (issue 19 §2), declared in set.yaml.

    key_figures:
      - {id: tiep_nhan, label: Hồ sơ tiếp nhận, form: "06", row: tong, value: nhan_tong}
      - {id: dung_han, label: Tỷ lệ giải quyết đúng hạn, form: "06", row: tong, percent: true,
         value: "(da_truoc_han + da_dung_han) * 100 / da_tong"}

``value`` is an expression of the rule language (``desktop.schema.expr``) over the columns of
``row`` in ``form``; on a form with one row per child unit it is evaluated on each unit's row
too (the province's picture of its communes). Compiled in the loader's stages: read, checked
against the set's forms (a form, row or column that does not exist is a problem with its line),
built into ``KeyFigure`` records.
"""

from __future__ import annotations

from dataclasses import dataclass

from desktop.foundation.messages import CchcError
from desktop.schema import expr as ex
from desktop.schema.reading import Fields, Problem, problem


@dataclass(frozen=True)
class KeyFigure:
    id: str
    label: str
    form: str  # the form's code
    row: str  # the row the report's own figure is read from (its total)
    value: object  # the parsed expression
    source: str  # the expression as written
    percent: bool = False


def _columns_named(node) -> list[str]:
    return [n.name for n in ex.walk(node, into_other_forms=False) if isinstance(n, ex.ColRef) and n.name]


def compile_key_figures(raw, form_set, file: str, problems: list[Problem]) -> list[KeyFigure]:
    """The set's key figures; each one that names what the set does not have is left out with a problem."""
    if raw is None:
        return []
    if not isinstance(raw, list):
        problems.append(problem("FORM004", file, getattr(raw, "line", 0), field="key_figures",
                                expected="một danh sách", where=""))
        return []
    figures: list[KeyFigure] = []
    seen: set[str] = set()
    for item in raw:
        f = Fields(item, file, problems, where=" (key_figures)", line=getattr(raw, "line", 0))
        if f.failed:
            continue
        ident = f.get("id", required=True, default="")
        label = f.get("label", required=True, default="")
        code = f.get("form", required=True, default="")
        row = f.get("row", required=True, default="")
        source = f.get("value", required=True, default="")
        percent = f.get("percent", bool, default=False)
        f.done()
        if f.failed:
            continue

        def refuse(reason: str, field: str) -> None:
            problems.append(problem("FORM022", file, f.line_of(field), ident=ident, reason=reason))

        if ident in seen:
            refuse("mã đã dùng cho một chỉ số khác", "id")
            continue
        form = form_set.forms.get(code)
        if form is None:
            refuse(f"bộ biểu mẫu không có biểu “{code}”", "form")
            continue
        if row not in _fixed_rows(form.rows):
            refuse(f"biểu “{code}” không có dòng “{row}”", "row")
            continue
        try:
            node = ex.parse(source)
        except CchcError as error:
            refuse(str(error), "value")
            continue
        unknown = [name for name in _columns_named(node) if name not in form.by_id]
        if unknown:
            refuse(f"biểu “{code}” không có cột “{unknown[0]}”", "value")
            continue
        seen.add(ident)
        figures.append(KeyFigure(ident, label, code, row, node, source, percent))
    return figures


def _fixed_rows(specs) -> set[str]:
    found: set[str] = set()
    for spec in specs:
        if spec.kind == "fixed" and spec.id:
            found.add(spec.id)
        found |= _fixed_rows(spec.children)
    return found


__all__ = ["KeyFigure", "compile_key_figures"]

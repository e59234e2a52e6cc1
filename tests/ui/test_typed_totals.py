"""The grid of a report typed in the app (issue 25 §1): a blank total shows the sum of its parts
with a look of its own and says from what; typing over it makes it a figure; Delete and undo
return it to computed; the blank parts can be confirmed as "không phát sinh"."""

from PySide6.QtCore import Qt

from desktop.foundation.periods import Period
from desktop.report.ops import create_report
from desktop.ui.form_view import DERIVED_BRUSH


def _cell(window, row_id, column_id):
    grid = window.model.grid
    r, c = grid.position(row_id, column_id)
    return window.model.index(r, c)


def _type(qtbot, window, row_id, column_id, text):
    """A cell typed and committed, as the grid's editor commits it (through the model)."""
    window.go_to_cell("06", row_id, column_id)
    assert window.model.setData(window.view.currentIndex(), text, Qt.EditRole)


def test_a_blank_total_is_computed_in_the_grid_and_typing_over_it_is_checked(qtbot, demo_window):
    window = demo_window
    report, _ = create_report(window.store, window.catalog, "22732.2025", Period("quy", 2025, 4), "toanquoc-06", 1)
    window.open_report(report, "06")
    _type(qtbot, window, "item:ho_tich", "nhan_truc_tuyen", "1.562")
    _type(qtbot, window, "item:ho_tich", "nhan_truc_tiep", "38")
    total = _cell(window, "item:ho_tich", "nhan_tong")
    kỳ_trước = window.model.data(_cell(window, "item:ho_tich", "ky_truoc"))  # carried over from Quý III
    assert total.data() == f"{1600 + int(kỳ_trước.replace('.', '') or 0):,}".replace(",", ".")
    assert window.model.data(total, Qt.BackgroundRole) == DERIVED_BRUSH
    assert "Tự tính: (3)=(4)+(5)+(6)" in window.model.data(total, Qt.ToolTipRole)
    assert window.model.data(_cell(window, "tong", "nhan_truc_tuyen")) != ""
    assert not [f for f in window.session.findings() if f.severity == "error"]
    _type(qtbot, window, "item:ho_tich", "nhan_tong", "9")  # a printed total copied wrong
    assert window.model.data(total, Qt.BackgroundRole) != DERIVED_BRUSH
    [error] = [f for f in window.session.findings() if f.severity == "error"]
    assert (error.row_id, error.column_id, error.actual) == ("item:ho_tich", "nhan_tong", 9)
    window.undo()
    assert window.model.data(total, Qt.BackgroundRole) == DERIVED_BRUSH
    window.confirm_blanks(whole=True)
    assert window.store.cells(report)["06"]["item:ho_tich"]["da_truoc_han"] == "0"
    window.undo()
    assert "da_truoc_han" not in window.store.cells(report)["06"]["item:ho_tich"]

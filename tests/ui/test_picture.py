"""Xu hướng và tổng quan (issue 19 §2): the dialog draws what desktop.app.picture computes, and a
double-click on a unit opens what belongs to it."""

KHANH_SON, DONG_KHANH_SON = 1, 15


def picture(window, monkeypatch):
    from desktop.ui import charts

    shown = []
    monkeypatch.setattr(charts.PictureDialog, "exec", lambda self: shown.append(self) or 0)
    charts.show_picture(window)
    assert len(shown) == 1
    return shown[0]


def test_a_district_sees_its_key_figures_and_its_communes_ranked(demo_window, monkeypatch, qtbot):
    window = demo_window
    window.open_report(KHANH_SON)
    dialog = picture(window, monkeypatch)
    qtbot.addWidget(dialog)
    assert [chart.trend.figure.id for chart in dialog.charts] == ["tiep_nhan", "dung_han", "ton"]
    assert dialog.charts[0].accessibleName() == "Hồ sơ nhận trong kỳ: 7.814"  # Phụ lục VI's total, seed 000
    table = dialog.table
    assert table.rowCount() == 8  # Khánh Sơn's communes, typed from the seed (no packages in 2019)
    ranks = [table.item(r, 0).text() for r in range(table.rowCount())]
    assert ranks[:3] == ["1", "2", "3"]
    assert {table.item(r, 2).text() for r in range(table.rowCount())} == {"Nhập tại đơn vị"}
    rates = [table.item(r, 4).text() for r in range(table.rowCount()) if table.item(r, 0).text()]
    as_numbers = [float(t.rstrip("%").replace(",", ".")) for t in rates]
    assert as_numbers == sorted(as_numbers, reverse=True)
    # a commune without a report of its own here: its row of Phụ lục VI opens
    row = 1
    name = table.item(row, 1).text()
    table.itemDoubleClicked.emit(table.item(row, 1))
    assert window.form_code == "PL6"
    current = window.model.grid.rows[window.view.currentIndex().row()]
    assert current.label == name


def test_a_commune_sees_its_trends_without_a_unit_table(demo_window, monkeypatch, qtbot):
    window = demo_window
    window.open_report(DONG_KHANH_SON)
    dialog = picture(window, monkeypatch)
    qtbot.addWidget(dialog)
    assert [chart.trend.figure.id for chart in dialog.charts] == ["tiep_nhan", "dung_han", "ton", "truc_tuyen"]
    assert dialog.table is None
    for chart in dialog.charts:  # painted without error, offscreen
        chart.resize(chart.sizeHint())
        assert not chart.grab().isNull()
    # Quý II/2025: its three old communes added up (158 + 226 + 116), then its own Quý III
    assert dialog.charts[0].plotted() == [(0, 500), (1, 500)]
    from PySide6.QtWidgets import QLabel

    assert any("tổng của Xã Sơn Trung" in label.text() for label in dialog.findChildren(QLabel))
    assert window.picture_action.shortcut().toString() == "Ctrl+G"


def test_print_and_pdf_export_add_the_charts_when_the_settings_say_so(demo_window):
    from desktop.foundation.settings import load_settings, save_settings
    from desktop.ui.dialogs import printed_trends

    window = demo_window
    assert printed_trends(window, DONG_KHANH_SON) is None  # off by default: the paper stays as the decree has it
    settings = load_settings(window.store)
    settings["document"]["charts"] = True
    save_settings(window.store, settings)
    found = printed_trends(window, DONG_KHANH_SON)
    assert [t.figure.id for t in found] == ["tiep_nhan", "dung_han", "ton", "truc_tuyen"]

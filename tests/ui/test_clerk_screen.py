"""The clerk's screen and first steps (issue 25 §3)."""

import subprocess

import pytest

from desktop.foundation.periods import Period


def test_the_window_opens_inside_the_screen_and_remembers_where_it_was_left(qtbot, tmp_path, no_dialogs):
    from desktop.ui.app import build_window, parse_args

    args = parse_args(["--demo", "--db", str(tmp_path / "demo.db")])
    window = build_window(args)
    qtbot.addWidget(window)
    room = window.screen().availableGeometry()
    assert room.contains(window.geometry())  # the status bar within the screen, nothing off it
    assert window.start_maximised == (room.width() <= 1366 or room.height() <= 800)
    window.setGeometry(room.left() + 10, room.top() + 20, 500, 400)
    window.close()  # where the clerk left it …
    again = build_window(args)
    qtbot.addWidget(again)
    assert (again.geometry().width(), again.geometry().height()) == (500, 400)  # … is where it opens
    assert room.contains(again.geometry())
    again.store.settings.set(again.WINDOW_SETTING, {"x": 99999, "y": -500, "width": 5000, "height": 4000,
                                                  "maximised": False})
    again.place_on_screen()  # a place off today's (smaller) screen is brought back inside it
    assert room.contains(again.geometry())
    again.store.close()


def test_the_print_preview_opens_at_a_readable_size(qtbot, demo_window):
    from desktop.ui.printing import preview_dialog
    from desktop.exchange.pdf import render_pdf
    from desktop.report.data import report_data

    content = render_pdf(report_data(demo_window.store, demo_window.catalog, 2))
    dialog = preview_dialog(content, demo_window)
    qtbot.addWidget(dialog)
    room = demo_window.screen().availableGeometry()
    assert dialog.width() >= room.width() * 0.8 and dialog.height() >= room.height() * 0.8


def test_the_window_help_speaks_vietnamese(capsys):
    from desktop.ui.app import parse_args

    with pytest.raises(SystemExit):
        parse_args(["--help"])
    said = capsys.readouterr().out
    assert said.startswith("cách dùng: cchc-desktop") and "tùy chọn:" in said and "show this help" not in said


def test_missing_system_libraries_are_named_with_their_packages(monkeypatch, tmp_path, capsys):
    from desktop.ui import app

    (tmp_path / "libqxcb.so").write_bytes(b"")
    listing = ("\tlibxcb-cursor.so.0 => not found\n\tlibxkbcommon-x11.so.0 => not found\n"
               "\tlibc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x0)\n")
    monkeypatch.setattr(subprocess, "run", lambda *a, **k: subprocess.CompletedProcess(a, 0, listing, ""))
    monkeypatch.setenv("QT_QPA_PLATFORM", "xcb")
    assert app.missing_system_libraries(tmp_path) == ["libxcb-cursor.so.0", "libxkbcommon-x11.so.0"]
    # all found: remembered for that plugin, and ldd (30 ms) is not run at the next start
    monkeypatch.setenv("CCHC_CACHE_DIR", str(tmp_path / "cache"))
    runs = []
    found = "\tlibc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x0)\n"
    monkeypatch.setattr(subprocess, "run", lambda *a, **k: runs.append(a) or subprocess.CompletedProcess(a, 0, found, ""))
    assert app.missing_system_libraries(tmp_path) == [] and app.missing_system_libraries(tmp_path) == []
    assert len(runs) == 1
    monkeypatch.setattr(app, "missing_system_libraries", lambda plugin_dir=None: ["libxcb-cursor.so.0"])
    assert app.main(["--db", str(tmp_path / "x.db")]) == 2
    said = capsys.readouterr().err
    assert "thiếu thư viện hệ thống" in said and "sudo apt install libxcb-cursor0" in said


def test_a_cancelled_setup_leaves_the_way_to_it_in_the_new_report_dialog(qtbot, tmp_path, no_dialogs, monkeypatch):
    from desktop.ui import setup
    from desktop.ui.app import build_window, parse_args
    from desktop.ui.dialogs import NewReportDialog

    window = build_window(parse_args(["--db", str(tmp_path / "own.db")]))
    qtbot.addWidget(window)
    dialog = NewReportDialog(window)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.no_unit.isVisible() and "Công cụ › Thiết lập" in dialog.no_unit.text()
    assert dialog.choose_unit.isVisible()

    def chosen(win, first_run=False):
        from desktop.app.units import setup_unit
        setup_unit(win.store, "22732.2025")
        return True
    monkeypatch.setattr(setup, "setup_unit_dialog", chosen)
    dialog.choose_unit.click()
    assert not dialog.no_unit.isVisible() and dialog.unit.currentData().code == "22732.2025"
    window.store.close()


def test_a_merged_communes_later_quarter_carries_over_from_itself_not_its_old_communes():
    from desktop.report.ops import predecessors_before

    assert len(predecessors_before("22732.2025", Period("quy", 2025, 2))) == 3  # Quý II/2025: the old communes'
    assert predecessors_before("22732.2025", Period("quy", 2025, 3)) == []  # Quý III/2025: its own

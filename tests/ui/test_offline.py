"""The window's main flows with every socket forbidden: the app never needs the network."""

import pytest
from pytest_socket import SocketBlockedError, disable_socket, enable_socket

from test_main_window import KE_SACH, cell, type_into


@pytest.fixture
def no_network():
    # asyncio (pyHanko's signing) pairs two local AF_UNIX sockets as its wake-up pipe; no network
    disable_socket(allow_unix_socket=True)
    yield
    enable_socket()


def test_main_flows_without_network(qtbot, tmp_path, no_network, no_dialogs):
    import socket

    from desktop.ui import dialogs
    from desktop.ui.app import build_window, parse_args

    with pytest.raises(SocketBlockedError):
        socket.socket()
    window = build_window(parse_args(["--demo", "--db", str(tmp_path / "demo.db")]))  # first run: demo data
    qtbot.addWidget(window)
    window.show()
    window.open_report(KE_SACH, "5B")
    type_into(qtbot, window, cell(window, "I", "ky_truoc"), "400")
    window.findings_panel.check()
    assert window.store.cells.get(KE_SACH)["5B"]["I"]["ky_truoc"] == "400"
    assert dialogs.export_report(window, "xlsx", str(tmp_path / "bc.xlsx")).stat().st_size > 0
    assert dialogs.export_report(window, "pdf", str(tmp_path / "bc.pdf")).read_bytes().startswith(b"%PDF")
    dialogs.import_workbook(window, str(tmp_path / "bc.xlsx"))
    # the way up: the communes' signed packages, received and consolidated by the district
    from desktop.app.demo import enrol_demo_certificates, write_commune_packages
    from desktop.ui import submission

    packages, _ = write_commune_packages(window.catalog, tmp_path / "goi")
    enrol_demo_certificates(window.store, tmp_path / "goi")
    window.open_report(1, "PL6")
    result = submission.consolidate_packages(window, [str(p) for p in packages], show=False)
    assert [r.status for r in result.received] == ["accepted"] * 6
    assert no_dialogs == []  # nothing refused, nothing unexpected
    window.store.close()

"""build.spec makes a one-folder application that runs on its own: built here, run headless."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from desktop import __version__
from desktop.store.db import Store

REPO = Path(__file__).resolve().parents[2]


def folder_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


@pytest.mark.slow
def test_build_spec_makes_a_bundle_that_opens_the_demo(tmp_path):
    pyinstaller = shutil.which("pyinstaller") or str(Path(sys.executable).with_name("pyinstaller"))
    dist, work = tmp_path / "dist", tmp_path / "build"
    subprocess.run([pyinstaller, "--noconfirm", "--log-level", "WARN", "--distpath", str(dist), "--workpath", str(work),
                    str(REPO / "build.spec")], check=True, cwd=tmp_path)
    bundle = dist / f"cchc-desktop-{__version__}"  # the version comes from the package
    program = bundle / ("cchc-desktop.exe" if os.name == "nt" else "cchc-desktop")
    version = subprocess.run([str(program), "--version"], capture_output=True, text=True, timeout=60)
    assert version.returncode == 0 and version.stdout.strip() == f"CCHC Desktop {__version__}"
    db = tmp_path / "demo.db"
    # A clean environment: the bundle must not lean on this checkout or its virtual environment.
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "QT_QPA_PLATFORM": "offscreen"}
    opened = subprocess.run([str(program), "--demo", "--db", str(db), "--quit-after-start"], capture_output=True, text=True,
                            timeout=120, env=env, cwd=tmp_path)
    assert opened.returncode == 0, opened.stderr
    assert "Khánh Sơn" in opened.stdout
    with Store.open(db) as store:  # the demo came from the bundled resources/ and forms/
        assert len(store.reports.all()) == 16  # 4 annex reports (seeds 000, 003, 001, 004), 8 PAR sheets, 4 Biểu 06 of 2025
    internal = bundle / "_internal"
    assert (internal / "forms" / "soctrang-huyen-2019" / "set.yaml").is_file()
    assert (internal / "resources" / "translations" / "qtbase_vi.qm").is_file()
    assert (internal / "resources" / "dvhc-2025" / "units.json").is_file()  # the official unit directory
    assert not list(internal.rglob("*QtWebEngine*")) and not list(internal.rglob("*Qt6Qml*"))
    # What build.spec leaves out stays out (the installer's size, issue 20): Wayland, VNC and
    # QtNetwork, GTK's theme, AVIF, lxml's objectify.
    for left_out in ("*wayland*", "*Wayland*", "*qvnc*", "*Qt6Network*", "*qgtk3*", "*avif*", "objectify*"):
        assert not list(internal.rglob(left_out)), left_out
    print(f"bundle size: {folder_size(bundle) / 1024 / 1024:.0f} MB")

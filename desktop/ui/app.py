"""Starting the window: ``cchc-desktop [--db PATH | --demo] [--forms DIR] [--version]``.

Opens the user's database; on its first run, the dialog that sets up the clerk's own unit
from the official directory (the demo is offered there, in a database of its own). ``--demo``
opens the demo database (made on first use). Offers the latest
good backup when the file is damaged, installs Qt's Vietnamese strings for its
standard dialogs and the handler that logs unexpected errors instead of showing
a traceback.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator
from PySide6.QtWidgets import QApplication, QMessageBox

from desktop import __version__
from desktop.app.arguments import VietnameseParser
from desktop.foundation.messages import CchcError, msg
from desktop.foundation.paths import cache_dir, default_db_path, forms_dir, received_forms_dir, resources_dir


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = VietnameseParser(prog="cchc-desktop", description="CCHC Desktop: cửa sổ nhập liệu.")
    parser.add_argument("--version", action="version", version=f"CCHC Desktop {__version__}", help=msg("ARG005"))
    parser.add_argument("--db", type=Path, help="tệp dữ liệu (mặc định: thư mục dữ liệu của người dùng)")
    parser.add_argument("--demo", action="store_true",
                        help="mở dữ liệu mẫu (tệp riêng, không trộn với dữ liệu của bạn)")
    parser.add_argument("--forms", type=Path, help="thư mục bộ biểu mẫu")
    parser.add_argument("--report", type=int, help="mở báo cáo này khi khởi động")
    parser.add_argument("--form", help="mở biểu này của báo cáo")
    parser.add_argument("--quit-after-start", action="store_true",
                        help="mở cửa sổ rồi thoát ngay (kiểm tra bản cài đặt)")
    return parser.parse_args(argv)


def install_translations(app: QApplication) -> list[QTranslator]:
    """Qt's own strings (buttons, file dialogs, print preview) in Vietnamese.

    Qt's ``qtbase_vi`` is used when the Qt installation has one; Qt itself ships
    none today, so ``resources/translations/qtbase_vi.qm`` (ours, built from the
    .ts beside it) covers the standard dialogs the app shows."""
    QLocale.setDefault(QLocale(QLocale.Vietnamese, QLocale.Vietnam))
    loaded = []
    for folder in (QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath),
                   str(resources_dir() / "translations")):
        translator = QTranslator(app)
        if translator.load("qtbase_vi", folder):
            app.installTranslator(translator)
            loaded.append(translator)
            break
    return loaded


def open_store(path: Path, parent=None):
    """The store at ``path``; a damaged file is replaced by its latest good backup if the clerk agrees."""
    from desktop.store.backups import StoreDamaged, backup_time, restore_latest
    from desktop.store.db import Store

    try:
        return Store.open(path)
    except StoreDamaged as damaged:
        if damaged.backup is None:
            QMessageBox.critical(parent, "CCHC Desktop", msg("APP003", path=path))
            return None
        answer = QMessageBox.question(parent, "CCHC Desktop", msg(
            "APP002", path=path, backup=damaged.backup.name, when=backup_time(damaged.backup)))
        if answer != QMessageBox.Yes:
            return None
        restore_latest(path)
        return Store.open(path)


def new_window(store, catalog, db_path):
    """A main window over ``store``: the one place windows are made (the demo's too, through the
    window's ``new_window``)."""
    from desktop.ui.main_window import MainWindow

    return MainWindow(store, catalog, db_path=db_path, new_window=new_window)


def build_window(args: argparse.Namespace):
    """The main window over the database of ``args``; None if it cannot open. A new demo database
    gets the demo reports; a new database of the clerk's is marked ``first_run`` (the setup dialog)."""
    from desktop.registry import load_catalog
    from desktop.ui.setup import demo_db_path

    path = args.db or (demo_db_path() if getattr(args, "demo", False) else default_db_path())
    first_run = not path.exists()
    catalog = load_catalog(args.forms or forms_dir(), received=received_forms_dir())
    try:
        store = open_store(path)
        if store is None:
            return None
        if first_run and getattr(args, "demo", False):
            from desktop.app.demo import load_demo  # only a new demo database: the start does not need it

            load_demo(store, catalog)
    except CchcError as error:
        QMessageBox.critical(None, "CCHC Desktop", str(error))
        return None
    window = new_window(store, catalog, path)
    window.first_run = first_run and not getattr(args, "demo", False)
    report = args.report
    if report is None:
        report = store.reports.first_id()
    if report is not None:
        window.open_report(report, args.form)
    return window


# Debian packages of the libraries Qt's xcb platform plugin loads that a bare system may lack
DEBIAN_PACKAGES = {
    "libxcb-cursor.so.0": "libxcb-cursor0", "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libxkbcommon.so.0": "libxkbcommon0", "libxcb-icccm.so.4": "libxcb-icccm4", "libxcb-image.so.0": "libxcb-image0",
    "libxcb-keysyms.so.1": "libxcb-keysyms1", "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-render-util.so.0": "libxcb-render-util0", "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-xinerama.so.0": "libxcb-xinerama0", "libxcb-xkb.so.1": "libxcb-xkb1", "libEGL.so.1": "libegl1",
    "libGL.so.1": "libgl1", "libfontconfig.so.1": "libfontconfig1", "libdbus-1.so.3": "libdbus-1-3",
    "libX11-xcb.so.1": "libx11-xcb1", "libxcb.so.1": "libxcb1", "libglib-2.0.so.0": "libglib2.0-0",
}


def missing_system_libraries(plugin_dir: Path | None = None) -> list[str]:
    """On Linux, the libraries Qt's xcb platform plugin needs and cannot find (read with ldd from
    the plugin itself); Qt would abort without a word a clerk can act on. Elsewhere: none."""
    import shutil
    import subprocess

    if not sys.platform.startswith("linux") or os.environ.get("QT_QPA_PLATFORM", "xcb").split(":")[0] != "xcb":
        return []
    if plugin_dir is None:
        plugin_dir = Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.PluginsPath)) / "platforms"
    plugin = plugin_dir / "libqxcb.so"
    ldd = shutil.which("ldd")
    if not plugin.exists() or ldd is None:
        return []
    # ldd costs ~30 ms: once the plugin's libraries were all found, that plugin is not asked again
    stamp = f"{plugin.resolve()} {plugin.stat().st_mtime_ns} {plugin.stat().st_size}"
    marker = cache_dir() / "qt-xcb-ok"
    try:
        if marker.read_text(encoding="utf-8") == stamp:
            return []
    except OSError:
        pass
    try:
        listing = subprocess.run([ldd, str(plugin)], capture_output=True, text=True, timeout=10).stdout
    except (OSError, subprocess.SubprocessError):
        return []
    missing = sorted({line.split("=>")[0].strip() for line in listing.splitlines() if "not found" in line})
    if not missing:
        try:
            marker.parent.mkdir(parents=True, exist_ok=True)
            marker.write_text(stamp, encoding="utf-8")
        except OSError:
            pass  # a read-only cache: asked again next time
    return missing


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    missing = missing_system_libraries()
    if missing:
        packages = sorted({DEBIAN_PACKAGES.get(name, name) for name in missing})
        print(msg("APP012", libraries=", ".join(missing), packages=" ".join(packages)), file=sys.stderr)
        return 2
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("CCHC Desktop")
    app.setApplicationVersion(__version__)
    from desktop.ui import errors

    errors.install()
    install_translations(app)
    window = build_window(args)
    if window is None:
        return 2
    if window.start_maximised:  # a 1024×768 or 1366×768 screen: all of it, the status bar in view
        window.showMaximized()
    else:
        window.show()
    if args.quit_after_start:
        app.processEvents()
        print(f"CCHC Desktop {__version__}: {window.windowTitle()}")
        window.store.close()
        return 0
    if window.first_run:
        from desktop.ui.setup import setup_unit_dialog

        if not setup_unit_dialog(window, first_run=True) and not window.store.units.all():
            window.say(msg("APP011"))  # cancelled: where to do it later
    code = app.exec()
    window.store.close()
    return code


if __name__ == "__main__":
    sys.exit(main())

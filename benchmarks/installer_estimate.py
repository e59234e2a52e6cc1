"""What the Windows bundle would weigh (issue 20): its binaries, read from the Windows wheels.

PyInstaller does not cross-compile, so no Windows bundle is built here. This sums what build.spec
would put in one, from the packages' Windows wheels, with the same exclusions (the Qt modules and
plugins the app does not use, Qt's translations, Windows' software OpenGL, Pillow's AVIF and WebP
codecs), and adds what is the same on every platform, measured on a Linux bundle (the pure
Python archive, forms and resources).

    .venv/bin/pip download --no-deps --only-binary=:all: --platform win_amd64 --python-version 3.11 \\
        --implementation cp -d WHEELS PySide6-Essentials==X shiboken6==X cryptography==X … (the versions installed)
    .venv/bin/python benchmarks/installer_estimate.py WHEELS dist/cchc-desktop-VERSION

Python's own Windows runtime (python311.dll and its extension modules, about 12–15 MiB) is not in
a wheel and is not counted: the script says so next to its total.
"""

from __future__ import annotations

import re
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
KEPT_QT_LIBRARIES = {"Qt6Core", "Qt6Gui", "Qt6Widgets", "Qt6PrintSupport", "Qt6Svg"}
KEPT_PLUGINS = {"platforms": r"qwindows", "imageformats": r"q(gif|ico|jpeg|svg)", "styles": r".", "iconengines": r".",
                "printsupport": r"."}


def unused_qt_modules() -> set[str]:
    """The Qt modules build.spec leaves out, read from it (one list, not two)."""
    spec = (ROOT / "build.spec").read_text(encoding="utf-8")
    listed = spec[spec.index("UNUSED_QT = ["):spec.index("]", spec.index("UNUSED_QT = ["))]
    return set(re.findall(r'"(Qt\w+)"', listed))


def kept(wheel: str, name: str, unused: set[str]) -> bool:
    base = Path(name).name
    if not re.search(r"\.(pyd|dll)$", base, re.I):
        return False
    if base.startswith(("_avif", "_webp", "_imagingtk")) or "opengl32sw" in base:
        return False
    if not wheel.startswith("pyside6"):
        return True
    if "/qml/" in name or "/translations/" in name:
        return False
    if base.endswith(".pyd") and base.split(".")[0] in unused:
        return False
    library = re.match(r"(Qt6\w+)\.dll$", base)
    if library and library.group(1) not in KEPT_QT_LIBRARIES:
        return False
    if "/plugins/" in name:
        kind = name.split("/plugins/")[1].split("/")[0]
        return kind in KEPT_PLUGINS and re.match(KEPT_PLUGINS[kind], base) is not None
    return True


def main() -> int:
    wheels, bundle = Path(sys.argv[1]), Path(sys.argv[2])
    unused = unused_qt_modules()
    sizes = {}
    for wheel in sorted(wheels.glob("*win_amd64.whl")) + sorted(wheels.glob("*none-any.whl")):
        with zipfile.ZipFile(wheel) as archive:
            sizes[wheel.name.split("-")[0]] = sum(i.file_size for i in archive.infolist()
                                                  if kept(wheel.name, i.filename, unused))
    same = {"the program with its pure-Python archive": (bundle / "cchc-desktop").stat().st_size,
            "the standard library's base archive": (bundle / "_internal" / "base_library.zip").stat().st_size,
            "forms/ and resources/": sum(p.stat().st_size for folder in ("forms", "resources")
                                         for p in (bundle / "_internal" / folder).rglob("*") if p.is_file())}
    mib = 1024 * 1024
    print("| part | MiB |\n|---|---|")
    for name, size in sorted(sizes.items(), key=lambda item: -item[1]):
        print(f"| {name} (Windows wheel, kept binaries) | {size / mib:.1f} |")
    for name, size in same.items():
        print(f"| {name} (as on Linux) | {size / mib:.1f} |")
    total = sum(sizes.values()) + sum(same.values())
    print(f"| **total without Python's own runtime** | **{total / mib:.1f}** |")
    print(f"With Python's runtime (about 12–15 MiB): about {(total / mib) + 12:.0f}–{(total / mib) + 15:.0f} MiB.")
    return 0


if __name__ == "__main__":
    sys.exit(main())

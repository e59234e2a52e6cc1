"""Where the app finds its data files and keeps the user's database.

``forms/`` and ``resources/`` sit at the top of a source checkout; a wheel
carries them inside the package as ``desktop/_data/…`` (see pyproject.toml);
a PyInstaller bundle unpacks them under ``sys._MEIPASS`` (see build.spec).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

APP_NAME = "CCHC Desktop"
APP_AUTHOR = "CCHC"
PACKAGE_DIR = Path(__file__).resolve().parent.parent  # the desktop package


def _data_dir(name: str) -> Path:
    override = os.environ.get(f"CCHC_{name.upper()}_DIR")
    if override:
        return Path(override)
    candidates = []
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        candidates.append(Path(bundle) / name)
    candidates += [PACKAGE_DIR / "_data" / name, PACKAGE_DIR.parent / name]
    for candidate in candidates:
        if candidate.is_dir():
            return candidate
    return candidates[-1]


def forms_dir() -> Path:
    return _data_dir("forms")


def resources_dir() -> Path:
    return _data_dir("resources")


def user_data_dir() -> Path:
    from platformdirs import user_data_dir as platform_user_data_dir

    return Path(platform_user_data_dir(APP_NAME, APP_AUTHOR))


def received_forms_dir() -> Path:
    """Where the form sets received from a parent body are installed: the user's data, never the
    program's folder (which a clerk's account may not write, and an update replaces)."""
    override = os.environ.get("CCHC_RECEIVED_FORMS_DIR")
    if override:
        return Path(override)
    return user_data_dir() / "bo-bieu-mau"


def cache_dir() -> Path:
    """Files the app can always make again (a font prepared for signature stamps)."""
    override = os.environ.get("CCHC_CACHE_DIR")
    if override:
        return Path(override)
    from platformdirs import user_cache_dir

    return Path(user_cache_dir(APP_NAME, APP_AUTHOR))


def default_db_path() -> Path:
    return user_data_dir() / "cchc.db"


def log_path() -> Path:
    from platformdirs import user_log_dir

    return Path(user_log_dir(APP_NAME, APP_AUTHOR)) / "cchc.log"

"""The README's two commands, with nothing but Python 3.11 installed.

    python3 -m desktop.bootstrap app    # set up .venv, open the app on the demo data (--own: your own)
    python3 -m desktop.bootstrap test   # set up, then run the whole test suite

Standard library only: this runs before any dependency exists.  A virtual
environment is (re)installed when pyproject.toml changes.  ``test`` runs the
import-linter contract, the core tests in ``.venv-core`` (no Qt installed:
proof that the core stands alone), then every other test in ``.venv``.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import tomllib
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FULL = ROOT / ".venv"
CORE = ROOT / ".venv-core"


def _bin(env: Path, name: str) -> Path:
    return env / ("Scripts" if os.name == "nt" else "bin") / (name + (".exe" if os.name == "nt" else ""))


def _extras(*wanted: str) -> str:
    declared = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"].get(
        "optional-dependencies", {})
    chosen = [extra for extra in wanted if extra in declared]
    return f"[{','.join(chosen)}]" if chosen else ""


def ensure_env(env: Path, extras: str) -> Path:
    """A venv with the project installed (editable) with ``extras``; reused while pyproject is unchanged."""
    stamp = hashlib.sha256((ROOT / "pyproject.toml").read_bytes() + extras.encode()).hexdigest()
    marker = env / ".cchc-installed"
    if marker.exists() and marker.read_text() == stamp and _bin(env, "python").exists():
        return env
    print(f"Đang cài đặt môi trường {env.name} …", flush=True)
    venv.EnvBuilder(with_pip=True, clear=env.exists()).create(env)
    python = str(_bin(env, "python"))
    quiet = ["-q", "--disable-pip-version-check"]
    subprocess.run([python, "-m", "pip", "install", *quiet, "--upgrade", "pip"], check=True)
    subprocess.run([python, "-m", "pip", "install", *quiet, "-e", f"{ROOT}{extras}"], check=True)
    marker.write_text(stamp)
    return env


def run_app(args: list[str]) -> int:
    """The window; a newcomer's first look is the demo data (a database of its own), unless a
    database is named (``--db FILE``; ``--own`` opens the user's own, with its setup dialog)."""
    env = ensure_env(FULL, _extras("test", "ui", "build"))
    if "--own" in args:
        args = [a for a in args if a != "--own"]
    elif "--db" not in args and "--demo" not in args:
        args = ["--demo", *args]
    return subprocess.call([str(_bin(env, "python")), "-m", "desktop.ui", *args])


def run_tests(args: list[str]) -> int:
    full = ensure_env(FULL, _extras("test", "ui", "build"))
    core = ensure_env(CORE, _extras("test"))
    os.chdir(ROOT)
    no_qt = "import importlib.util, sys; sys.exit(importlib.util.find_spec('PySide6') is not None)"
    steps = [
        ("Kiểm tra ranh giới lõi / giao diện (import-linter)", [str(_bin(full, "lint-imports"))]),
        ("Môi trường lõi không có Qt", [str(_bin(core, "python")), "-c", no_qt]),
        ("Kiểm thử lõi, không có Qt", [str(_bin(core, "python")), "-m", "pytest", "tests/core", *args]),
    ]
    others = [p for p in (ROOT / "tests").iterdir() if p.is_dir() and p.name not in ("core", "__pycache__")]
    if others:
        steps.append(("Kiểm thử giao diện và tích hợp",
                      [str(_bin(full, "python")), "-m", "pytest", *map(str, others), *args]))
    results = []
    for title, command in steps:  # every step runs, whatever an earlier one said
        print(f"\n=== {title} ===", flush=True)
        results.append((title, subprocess.call(command)))
    print("\n=== Tóm tắt ===")
    for title, code in results:
        # Every step must pass; pytest's 5 (no test collected) is a failure too.
        print(f"{'đạt' if code == 0 else f'KHÔNG ĐẠT (mã {code})'}: {title}")
    return next((code for _, code in results if code), 0)


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in ("app", "test"):
        print(__doc__)
        return 2
    return run_app(argv[1:]) if argv[0] == "app" else run_tests(argv[1:])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

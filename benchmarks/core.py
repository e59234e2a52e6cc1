"""Core benchmarks: validation, durable commits, the `cchc validate --json` process.

    .venv/bin/python benchmarks/core.py [--rounds N]

Prints a Markdown table (paste it into docs/BENCHMARKS.md) and exits 1 if a
figure misses its target.  Targets (issue 2):
- validating every report of the demo database in-process: < 100 ms
- one durable cell commit (WAL, synchronous=FULL): median < 5 ms
- `cchc validate --json` as a whole process: < 0.8 s
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from desktop.app.demo import load_demo
from desktop.report.ops import enter_cell
from desktop.foundation.paths import forms_dir
from desktop.rules.engine import validate_all
from desktop.registry import load_catalog
from desktop.store.db import Store

TARGETS = {"validate_all": 0.100, "commit": 0.005, "cli_validate": 0.8}
# Issue 20: a `cchc validate` process within 3x of the interpreter importing what it imports.
PROCESS_OVER_IMPORTS = 3.0

# Run in a child process: validate one report the way `cchc validate --report` does, then list
# the modules it ended up with, so that the baseline imports exactly those.
MODULES_OF_VALIDATE = """
import sys
from desktop.app.cli import main
main(sys.argv[1:])
print(" ".join(sorted(name for name in sys.modules if not name.startswith("_") and "._" not in name)), file=sys.stderr)
"""


def timed(function, rounds: int) -> list[float]:
    samples = []
    for _ in range(rounds):
        start = time.perf_counter()
        function()
        samples.append(time.perf_counter() - start)
    return samples


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{cpu}, {os.cpu_count()} cores, {platform.system()} {platform.release()}, Python {platform.python_version()}"


def print_table(rows: list[tuple[str, str, float]], targets: dict[str, float]) -> int:
    """The figures as a Markdown table; 1 if one misses its target."""
    print(f"Máy: {machine()}\n")
    print("| Phép đo | Trung vị | Mục tiêu | Đạt |")
    print("|---|---|---|---|")
    failed = False
    for key, label, seconds in rows:
        target = targets.get(key)
        ok = target is None or seconds < target
        failed |= not ok
        shown_target = f"< {target * 1000:.0f} ms" if target else "—"
        print(f"| {label} | {seconds * 1000:.1f} ms | {shown_target} | {'có' if ok else 'KHÔNG'} |")
    return 1 if failed else 0


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=30)
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "demo.db"
        catalog = load_catalog(forms_dir())
        with Store.open(db) as store:
            load_demo(store, catalog)
            reports = len(store.reports.all())
            samples = timed(lambda: validate_all(store, catalog), args.rounds)
            rows.append(("validate_all", f"Kiểm tra mọi báo cáo của CSDL mẫu ({reports}), trong tiến trình",
                         statistics.median(samples)))
            ids = [r.id for r in store.reports.all()]
            rows.append(("validate_floor", "  – sàn: đọc các ô của từng báo cáo đó (một truy vấn mỗi báo cáo)",
                         statistics.median(timed(lambda: [store.cells.get(i) for i in ids], args.rounds))))
            samples = timed(lambda: load_catalog(forms_dir()), 10)
            rows.append(("catalog", "Nạp toàn bộ bộ biểu mẫu (forms/), từ bộ đệm đã biên dịch", statistics.median(samples)))
            empty_caches = iter(range(10**9))

            def catalog_without_cache():
                os.environ["CCHC_CACHE_DIR"] = str(Path(folder) / f"cache-{next(empty_caches)}")
                load_catalog(forms_dir())

            saved = os.environ.get("CCHC_CACHE_DIR")
            samples = timed(catalog_without_cache, 10)
            os.environ.pop("CCHC_CACHE_DIR") if saved is None else os.environ.update(CCHC_CACHE_DIR=saved)
            rows.append(("catalog_cold", "Nạp toàn bộ bộ biểu mẫu, lần đầu (đọc YAML, ghi bộ đệm)",
                         statistics.median(samples)))
            report = next(r.id for r in store.reports.all() if r.form_set_id == "soctrang-huyen")
            counter = iter(range(10**9))
            samples = timed(lambda: enter_cell(store, catalog, report, "5B", "I", "ky_truoc", str(next(counter))),
                            args.rounds * 5)
            rows.append(("commit", "Một lần nhập ô, ghi bền (kiểm tra + lưu), trung vị", statistics.median(samples)))
            rows.append(("commit_floor", "  – sàn: SQLite một mình ghi bền một dòng (WAL, synchronous=FULL)",
                         statistics.median(timed(_bare_commit(Path(folder) / "tho.db"), args.rounds * 5))))
        command = [sys.executable, "-m", "desktop", "--db", str(db), "validate", "--json"]
        subprocess.run(command, capture_output=True)  # warm the OS file cache once
        samples = timed(lambda: subprocess.run(command, capture_output=True), 10)
        rows.append(("cli_validate", "`cchc validate --json`, cả tiến trình", statistics.median(samples)))
        bare = [sys.executable, "-c", "import sqlite3"]
        rows.append(("cli_floor", "  – sàn: `python -c \"import sqlite3\"`, cả tiến trình",
                     statistics.median(timed(lambda: subprocess.run(bare, capture_output=True), 10))))
        one = [sys.executable, "-m", "desktop", "--db", str(db), "validate", "--report", str(report)]
        modules = subprocess.run([sys.executable, "-c", MODULES_OF_VALIDATE, *one[3:]], capture_output=True,
                                 text=True).stderr.strip().splitlines()[-1]
        imports = [sys.executable, "-c", "import importlib\nfor name in %r:\n    try:\n        importlib.import_module(name)\n"
                   "    except Exception:\n        pass" % modules.split()]
        process = statistics.median(timed(lambda: subprocess.run(one, capture_output=True), 10))
        baseline = statistics.median(timed(lambda: subprocess.run(imports, capture_output=True), 10))
        rows.append(("cli_one", "`cchc validate --report` (một báo cáo), cả tiến trình", process))
        rows.append(("cli_imports", "Trình thông dịch nhập đúng các mô-đun lệnh trên dùng", baseline))
    failed = print_table(rows, TARGETS)
    ratio = process / baseline
    print(f"Tiến trình / trình thông dịch với các mô-đun của nó: {ratio:.2f} (mục tiêu ≤ {PROCESS_OVER_IMPORTS:.0f})")
    return 1 if failed or ratio > PROCESS_OVER_IMPORTS else 0

def _bare_commit(path: Path):
    """One row written and committed durably by sqlite3 alone, as the store commits: the disk's floor."""
    import sqlite3

    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute("CREATE TABLE IF NOT EXISTS cells (k INTEGER PRIMARY KEY, v TEXT)")
    counter = iter(range(10**9))

    def commit() -> None:
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("INSERT OR REPLACE INTO cells VALUES (?, ?)", (next(counter) % 100, "1"))
        conn.execute("COMMIT")

    return commit


if __name__ == "__main__":
    sys.exit(main())

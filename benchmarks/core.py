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
            reports = len(store.reports())
            samples = timed(lambda: validate_all(store, catalog), args.rounds)
            rows.append(("validate_all", f"Kiểm tra mọi báo cáo của CSDL mẫu ({reports}), trong tiến trình",
                         statistics.median(samples)))
            samples = timed(lambda: load_catalog(forms_dir()), 10)
            rows.append(("catalog", "Nạp toàn bộ bộ biểu mẫu (forms/)", statistics.median(samples)))
            report = next(r.id for r in store.reports() if r.form_set_id == "soctrang-huyen")
            counter = iter(range(10**9))
            samples = timed(lambda: enter_cell(store, catalog, report, "5B", "I", "ky_truoc", str(next(counter))),
                            args.rounds * 5)
            rows.append(("commit", "Một lần nhập ô, ghi bền (kiểm tra + lưu), trung vị", statistics.median(samples)))
        command = [sys.executable, "-m", "desktop", "--db", str(db), "validate", "--json"]
        subprocess.run(command, capture_output=True)  # warm the OS file cache once
        samples = timed(lambda: subprocess.run(command, capture_output=True), 10)
        rows.append(("cli_validate", "`cchc validate --json`, cả tiến trình", statistics.median(samples)))
    return print_table(rows, TARGETS)

if __name__ == "__main__":
    sys.exit(main())

"""A province's years of reports (issue 20): the generator, and what grows with the database.

    .venv/bin/python benchmarks/province.py [--communes 168] [--years 5] [--rounds 3]

Generates a province database: ``--communes`` communes (Thành phố Hồ Chí Minh has 168),
each with one report per quarter for ``--years`` years on the communes' form set, with
consistent figures of its own. That is 3,360 reports by default, imported in one batch.

Then it measures, side by side in one run, on that database and on the demo's:
- `cchc validate --report ID` as a whole process;
- the window's cold start to its first report (offscreen);
- switching to Kế Sách's Biểu mẫu 4B and a keystroke in 5B, in the window (offscreen).

The province database starts as a copy of the demo's, so that the same report is opened
and typed into on both: only what surrounds it differs.

Work that does not grow with the database must cost the same on both. Issue 20's target
is within 1.25× of the demo. The script prints the table and the ratio. It exits 1 when
a ratio misses the target, so that the figure is a fact, not a guess. Building the
database is not part of the measured time.
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent))

from signing import _commune_document  # noqa: E402  (one way of making a commune's figures)
from ui import cold_start  # noqa: E402

from desktop.app.demo import load_demo  # noqa: E402
from desktop.exchange.interchange import import_reports  # noqa: E402
from desktop.foundation.paths import forms_dir  # noqa: E402
from desktop.registry import load_catalog  # noqa: E402
from desktop.store.db import Store  # noqa: E402

PROVINCE = "TP"
RATIO = 1.25


def province_documents(communes: int, years: int) -> list[tuple[dict, str]]:
    """Every commune's quarterly report (khanhhoa-xa), each reporting to the province."""
    documents = []
    for n in range(1, communes + 1):
        base = _commune_document(n)
        base["unit"] = {"code": f"{PROVINCE}.{n:04d}", "name": f"Phường Thử {n}", "level": "xa",
                        "parent": {"code": PROVINCE, "name": "Thành phố Thử", "level": "tinh"}}
        for year in range(2021, 2021 + years):
            for quarter in range(1, 5):
                document = copy.deepcopy(base)
                document["period"] = {"type": "quy", "year": year, "number": quarter, "year_from": None}
                documents.append((document, f"{n}-{year}-{quarter}.json"))
    return documents


def cli_time(db: Path, report: int, rounds: int) -> float:
    samples = []
    for _ in range(rounds):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "desktop", "--db", str(db), "validate", "--report", str(report),
                        "--json"], capture_output=True)
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


IN_WINDOW_CHILD = """
import json, statistics, sys
sys.path.insert(0, sys.argv[1])
from ui import in_window
switches, keystrokes, _bare = in_window(sys.argv[2], int(sys.argv[3]))
print(json.dumps([statistics.median(switches), statistics.median(keystrokes)]))
"""


def window_times(db: Path, rounds: int) -> tuple[float, float]:
    """Median form switch and keystroke, each database in a process of its own."""
    result = subprocess.run([sys.executable, "-c", IN_WINDOW_CHILD, str(Path(__file__).parent), str(db), str(rounds)],
                            check=True, capture_output=True, text=True)
    switch, keystroke = json.loads(result.stdout.strip().splitlines()[-1])
    return switch, keystroke


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--communes", type=int, default=168)
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp())
    catalog = load_catalog(forms_dir())
    demo, province = folder / "demo.db", folder / "tinh.db"
    with Store.open(demo, daily_backup=False) as store:
        load_demo(store, catalog)
    shutil.copyfile(demo, province)
    started = time.perf_counter()
    with Store.open(province, daily_backup=False) as store:
        store.units.add(PROVINCE, "Thành phố Thử", "tinh")
        import_reports(store, catalog, province_documents(args.communes, args.years))
        reports = len(store.reports.all())
    built = time.perf_counter() - started
    size = province.stat().st_size / 1024 / 1024
    print(f"Cơ sở dữ liệu cấp tỉnh: {reports} báo cáo, {size:.1f} MB, tạo trong {built:.1f} s")
    # The first window on a database computes every report's counts and keeps them (the navigator's
    # cache, schema 7); it is measured on its own, and the starts after it are the figure.
    first = {name: cold_start(db, 1)[0] for name, db in (("demo", demo), ("province", province))}
    print(f"Lần mở đầu tiên (tính và lưu số lỗi mọi báo cáo): CSDL mẫu {first['demo'] * 1000:.0f} ms, "
          f"CSDL cấp tỉnh {first['province'] * 1000:.0f} ms")
    rows = []
    for name, measure in (("`cchc validate --report`", lambda db: cli_time(db, 1, args.rounds)),
                          ("Mở cửa sổ (khởi động nguội)", lambda db: statistics.median(cold_start(db, args.rounds)))):
        on_demo, on_province = measure(demo), measure(province)
        rows.append((name, on_demo, on_province))
    in_windows = {name: window_times(db, max(15, args.rounds * 5)) for name, db in (("demo", demo),
                                                                                   ("province", province))}
    rows.append(("Chuyển sang Biểu mẫu 4B của Kế Sách", in_windows["demo"][0], in_windows["province"][0]))
    rows.append(("Một lần gõ phím (Enter trên giá trị vừa gõ, 5B)", in_windows["demo"][1], in_windows["province"][1]))
    print("\n| Phép đo | CSDL mẫu | CSDL cấp tỉnh | Tỷ lệ | Mục tiêu ≤ 1,25 |")
    print("|---|---|---|---|---|")
    missed = False
    for name, on_demo, on_province in rows:
        ratio = on_province / on_demo
        missed |= ratio > RATIO
        print(f"| {name} | {on_demo * 1000:.0f} ms | {on_province * 1000:.0f} ms | {ratio:.2f} | "
              f"{'đạt' if ratio <= RATIO else 'KHÔNG'} |")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())

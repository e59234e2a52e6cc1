"""Validating every report of a province's database: linear in the reports (issue 30).

    .venv/bin/python benchmarks/validate_all.py [--communes 168] [--years 5 20] [--rounds 3]

For each ``--years`` a database is generated (``province.py``'s generator: ``--communes``
communes, a report a quarter each, consistent figures of their own, on top of the demo's), then
``validate_all`` (what ``cchc validate`` runs without ``--report``) is timed in this process, and
the cost per report is printed beside the floor: reading each report's cells with one query and
nothing else (``SELECT … FROM cells WHERE report_id = ?``), the least any validation must do.

Target: the cost per report on the largest database within 1.5× of the smallest's. Exits 1 when
missed. Building the databases is not part of the measured time.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from province import PROVINCE, province_documents  # noqa: E402  (one way of making the province)

from desktop.app.demo import load_demo  # noqa: E402
from desktop.exchange.interchange import import_reports  # noqa: E402
from desktop.foundation.paths import forms_dir  # noqa: E402
from desktop.registry import load_catalog  # noqa: E402
from desktop.rules.engine import validate_all  # noqa: E402
from desktop.store.db import Store  # noqa: E402

RATIO = 1.5


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--communes", type=int, default=168)
    parser.add_argument("--years", type=int, nargs="+", default=[5, 20])
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    catalog = load_catalog(forms_dir())
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        for years in args.years:
            path = Path(folder) / f"tinh-{years}.db"
            with Store.open(path, daily_backup=False) as store:
                load_demo(store, catalog)
                store.units.add(PROVINCE, "Thành phố Thử", "tinh")
                import_reports(store, catalog, province_documents(args.communes, years))
            with Store.open(path, daily_backup=False) as store:
                reports = store.reports.all()
                samples, floors = [], []
                for _ in range(args.rounds):
                    start = time.perf_counter()
                    validate_all(store, catalog)
                    samples.append(time.perf_counter() - start)
                    start = time.perf_counter()
                    for report in reports:
                        store.conn.execute("SELECT form_code, row_id, col_id, value FROM cells WHERE report_id = ?",
                                           (report.id,)).fetchall()
                    floors.append(time.perf_counter() - start)
            rows.append((len(reports), statistics.median(samples), statistics.median(floors)))
    print("| Reports in the database | validate_all | Per report | Floor: read each report's cells, per report |")
    print("|---|---|---|---|")
    for count, seconds, floor in rows:
        print(f"| {count} | {seconds:.2f} s | {seconds / count * 1000:.2f} ms | {floor / count * 1000:.3f} ms |")
    first, last = rows[0][1] / rows[0][0], rows[-1][1] / rows[-1][0]
    ratio = last / first
    print(f"\nPer report, {rows[-1][0]} reports ÷ {rows[0][0]}: {ratio:.2f} (target ≤ {RATIO}: "
          f"{'met' if ratio <= RATIO else 'MISSED'})")
    return 0 if ratio <= RATIO else 1


if __name__ == "__main__":
    sys.exit(main())

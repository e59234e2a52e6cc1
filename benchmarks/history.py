"""Figures against their own history (issue 19): the check over a province's latest quarter.

    .venv/bin/python benchmarks/history.py [--communes 168] [--years 3] [--rounds 3]

A province database of ``--communes`` communes × 4 quarters × ``--years`` (168 × 12 = 2.016
reports, made by benchmarks/province.py's generator, one batch import, not measured). Then,
in-process, ``check_history`` over every commune's latest quarter (168 reports, each with 11
earlier quarters of history): reading the histories and judging every typed figure. Target:
well under a second for the 168 (the issue's words); the script's bar is 1 s. Exits 1 when missed.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from province import PROVINCE, province_documents  # noqa: E402

from desktop.exchange.interchange import import_reports  # noqa: E402
from desktop.foundation.paths import forms_dir  # noqa: E402
from desktop.registry import load_catalog  # noqa: E402
from desktop.report.data import ReportData  # noqa: E402
from desktop.rules.history import DEPTH, check_history  # noqa: E402
from desktop.store.db import Store  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--communes", type=int, default=168)
    parser.add_argument("--years", type=int, default=3)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    catalog = load_catalog(forms_dir())
    db = Path(tempfile.mkdtemp()) / "tinh.db"
    with Store.open(db, daily_backup=False) as store:
        store.units.add(PROVINCE, "Thành phố Thử", "tinh")
        documents = province_documents(args.communes, args.years)
        for n, (document, _) in enumerate(documents):  # figures that vary from quarter to quarter
            row = document["forms"]["KQ"]["cells"]["tong"]
            row["nhan_trong_ky"] += n % 37
            row["tong_so"] += n % 37
            row["dong_y"] += n % 37
            row["dong_y_dung"] += n % 37
        import_reports(store, catalog, documents)
        last_year = 2021 + args.years - 1
        latest = [r.id for r in store.reports.all() if r.year == last_year and r.period_number == 4]
        samples, warnings = [], 0
        for _ in range(args.rounds):
            start = time.perf_counter()
            warnings = sum(len(check_history(ReportData(store, catalog, report))) for report in latest)
            samples.append(time.perf_counter() - start)
        # the floor: what the check must read, each report's cells and those of the eight quarters
        # before it (rules/history.DEPTH), one query each, nothing computed
        depth = DEPTH + 1
        floors = []
        for _ in range(args.rounds):
            start = time.perf_counter()
            for report in latest:
                entry = store.reports.get(report)
                for earlier in store.reports.history(entry.unit_code, entry.form_set_id, entry.period_type)[-depth:]:
                    store.cells.get(earlier.id)
            floors.append(time.perf_counter() - start)
    median = statistics.median(samples)
    floor = statistics.median(floors)
    met = median < 1
    print("| Measure | Median | Target | Met |")
    print("|---|---|---|---|")
    print(f"| History check of {len(latest)} communes' latest quarter ({args.years * 4 - 1} earlier quarters each, "
          f"{len(latest) * args.years * 4} reports in the database) | {median * 1000:.0f} ms | < 1 s | "
          f"{'yes' if met else 'NO'} |")
    print(f"| Per report | {median / len(latest) * 1000:.1f} ms | — | — |")
    print(f"| – floor: reading each report's cells and its {DEPTH} quarters before, per report | "
          f"{floor / len(latest) * 1000:.2f} ms | — | — |")
    print(f"(warnings found: {warnings})")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())

"""Signing, verifying and consolidating benchmarks.

    .venv/bin/python benchmarks/signing.py [--communes 1000] [--rounds 5] [--workers 2]

Prints a Markdown table (paste it into docs/BENCHMARKS.md) and exits 1 if a figure
misses its target.  Targets (issue 6):
- signing one report (package built: data.json, Excel, PDF signed PAdES, manifest CMS): < 1 s,
  measured on the largest demo report and on a commune's report;
- verifying and consolidating 1,000 commune packages on 2 cores: < 60 s.
The benchmark first generates the packages: a district with ``--communes`` communes, each with
its own key and certificate and its own figures (khanhhoa-xa form), checked and signed as a
commune would; generation is not part of the measured time.  It then projects the time for
all 3,321 communes of Vietnam (linear: each package is verified on its own).
"""

from __future__ import annotations

import argparse
import io
import zipfile
import random
import statistics
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from cryptography.hazmat.primitives.serialization import Encoding

from core import print_table, timed  # benchmarks/core.py: one way of timing and reporting

from desktop.report import ops
from desktop.submission.consolidate import consolidate
from desktop.app.demo import DEMO_PASSPHRASE, load_demo
from desktop.exchange.interchange import import_report
from desktop.foundation.paths import forms_dir
from desktop.foundation.periods import Period
from desktop.registry import load_catalog
from desktop.submission.identity import create_self_signed, load_p12
from desktop.submission.register import enrol
from desktop.exchange.pdf import render_pdf
from desktop.report.data import report_data
from desktop.submission.package import SEAL_FIELD, build_package, seal_report, sign_pdf, sign_report
from desktop.submission.verify import verify_file
from desktop.store.db import Store
from desktop.submission.workflow import mark_checked

TARGETS = {"sign_large": 1.0, "sign_commune": 1.0, "seal_commune": 1.0, "consolidate": 60.0}
VIETNAM_COMMUNES = 3_321  # communes of Vietnam since 1 July 2025
DISTRICT = "BM"


def _commune_document(n: int) -> dict:
    """A commune's consistent figures (khanhhoa-xa): received = carried over + new, and so on."""
    rng = random.Random(n)
    carried, new = rng.randint(0, 40), rng.randint(200, 2000)
    total = carried + new
    refused, cancelled, pending = rng.randint(0, 10), rng.randint(0, 10), rng.randint(0, 30)
    agreed = total - refused - cancelled - pending
    late = rng.randint(0, 5)
    in_time = rng.randint(0, agreed - late)
    row = {"tong_so": total, "ky_truoc": carried, "nhan_trong_ky": new, "dong_y": agreed,
           "dong_y_som": agreed - in_time - late, "dong_y_dung": in_time, "dong_y_tre": late,
           "tu_choi": refused, "tu_choi_dung": refused, "dang_giai_quyet": pending, "trong_han": pending,
           "huy": cancelled}
    return {
        "format": "cchc-report", "format_version": 1, "app_version": "bench",
        "unit": {"code": f"{DISTRICT}.{n:04d}", "name": f"Xã Thử {n}", "level": "xa",
                 "parent": {"code": DISTRICT, "name": "Huyện Thử", "level": "huyen"}},
        "child_units": [], "period": {"type": "nam", "year": 2019, "number": None, "year_from": None},
        "form_set": {"id": "khanhhoa-xa", "version": 1},
        "report": {"status": "nhap", "version": 1, "signer_name": "Nguyễn Văn A", "signer_title": "CHỦ TỊCH",
                   "doc_number": "01/BC-UBND", "doc_date": "2019-12-10"},
        "forms": {"KQ": {"rows": {}, "cells": {"tong": row}}}, "attachments": [],
    }


def _make_package(job: tuple[int, str]) -> tuple[str, bytes]:
    """One commune's signed package in ``folder``; returns its unit and certificate (DER), which
    the district registers: a package of an unregistered signer is held, not consolidated."""
    n, folder = job
    catalog = _make_package.catalog if hasattr(_make_package, "catalog") else load_catalog(forms_dir())
    _make_package.catalog = catalog
    with Store.open(":memory:", daily_backup=False, user="bench") as store:
        report = import_report(store, catalog, _commune_document(n))
        mark_checked(store, catalog, report)
        p12 = create_self_signed(f"{DISTRICT}.{n:04d}", f"Xã Thử {n}", DEMO_PASSPHRASE)
        with load_p12(p12, DEMO_PASSPHRASE) as identity:
            sign_report(store, catalog, report, identity, Path(folder))
            return f"{DISTRICT}.{n:04d}", identity.certificate.public_bytes(Encoding.DER)


def _seal_rows(store, catalog, person, folder: Path, rounds: int) -> list[tuple[str, str, float]]:
    """The organisation's signature (issue 28 §3): sealing a commune's signed report, beside
    pyHanko alone adding that second signature; verifying a sealed package, beside one with the
    person's signature alone. Each round seals a report of its own (a report is sealed once)."""
    signed = []
    for n in range(rounds + 1):
        report = import_report(store, catalog, _commune_document(500 + n))
        mark_checked(store, catalog, report)
        signed.append((report, sign_report(store, catalog, report, person, folder / "ky")))
    org_p12 = create_self_signed(f"{DISTRICT}.0500", "Ủy ban nhân dân xã Thử", DEMO_PASSPHRASE)
    with load_p12(org_p12, DEMO_PASSPHRASE) as organisation:
        queue = [report for report, _ in signed[1:]]
        samples = timed(lambda: seal_report(store, catalog, queue.pop(), organisation, folder / "dau"), rounds)
        person_pdf = zipfile.ZipFile(io.BytesIO(signed[0][1].package)).read("report.pdf")
        box = (0, 100, 100, 200, 200)
        alone = timed(lambda: sign_pdf(person_pdf, organisation, box, "Đóng dấu", "", field=SEAL_FIELD), rounds)
        sealed = seal_report(store, catalog, signed[0][0], organisation, folder / "dau0")
    person_only = folder / "mot-chu-ky.cchc"
    person_only.write_bytes(signed[1][1].package)
    for path in (Path(sealed.filename), person_only):  # what is timed is a package accepted, not a refusal
        verdict = verify_file(path, catalog)
        assert verdict.valid, verdict.message
    verify_sealed = timed(lambda: verify_file(Path(sealed.filename), catalog), rounds)
    verify_person = timed(lambda: verify_file(person_only, catalog), rounds)
    return [("seal_commune", "Đóng dấu báo cáo của một xã (chữ ký số cơ quan, gói ghi lại)", statistics.median(samples)),
            ("pyhanko_seal", "  – bên cạnh: pyHanko thêm chữ ký thứ hai vào bản PDF đó (một mình)",
             statistics.median(alone)),
            ("verify_sealed", "Kiểm tra một gói đã đóng dấu (hai chữ ký)", statistics.median(verify_sealed)),
            ("verify_person", "  – bên cạnh: kiểm tra gói chỉ có chữ ký người ký", statistics.median(verify_person))]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--communes", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    rows = []
    catalog = load_catalog(forms_dir())
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        p12 = create_self_signed("KS", "Ủy ban nhân dân huyện Thử", DEMO_PASSPHRASE)
        with Store.open(folder / "demo.db") as store, load_p12(p12, DEMO_PASSPHRASE) as identity:
            load_demo(store, catalog)
            sizes = {r.id: sum(len(c) for rows_ in store.cells.get(r.id).values() for c in rows_.values())
                     for r in store.reports.all()}
            largest = max(sizes, key=sizes.get)
            build_package(store, catalog, largest, identity)  # fonts registered, stamp font cached: as in the app
            samples = timed(lambda: build_package(store, catalog, largest, identity), args.rounds)
            unit = store.units.get(store.reports.get(largest).unit_code).name
            rows.append(("sign_large", f"Ký báo cáo lớn nhất ({unit}, {sizes[largest]} ô) thành gói",
                         statistics.median(samples)))
            # beside it, its two largest parts alone: ReportLab printing the report, pyHanko signing that PDF
            data = report_data(store, catalog, largest)
            marks: dict = {}
            printed = render_pdf(data, marks, "0" * 64)
            rows.append(("print_large", "  – trong đó: in PDF báo cáo đó (ReportLab, một mình)",
                         statistics.median(timed(lambda: render_pdf(report_data(store, catalog, largest), {}, "0" * 64),
                                                 args.rounds))))
            rows.append(("pyhanko_large", "  – trong đó: pyHanko ký bản PDF đó (một mình)",
                         statistics.median(timed(lambda: sign_pdf(printed, identity, marks.get("signature"), "Báo cáo",
                                                                  ""), args.rounds))))
            commune = import_report(store, catalog, _commune_document(1))
            samples = timed(lambda: build_package(store, catalog, commune, identity), args.rounds)
            rows.append(("sign_commune", "Ký báo cáo của một xã thành gói", statistics.median(samples)))
            rows += _seal_rows(store, catalog, identity, folder, args.rounds)

        packages = folder / "goi"
        packages.mkdir()
        start = time.perf_counter()
        with ProcessPoolExecutor(args.workers) as pool:
            certificates = dict(pool.map(_make_package, [(n, str(packages)) for n in range(1, args.communes + 1)],
                                         chunksize=8))
        generated = time.perf_counter() - start
        size = sum(p.stat().st_size for p in packages.iterdir())
        print(f"Đã tạo {args.communes} gói ({size / 1024 / 1024:.1f} MB) trong {generated:.0f} s "
              "(không tính vào phép đo).\n")

        with Store.open(folder / "huyen.db") as store:
            store.units.add(DISTRICT, "Huyện Thử", "huyen")
            for n in range(1, args.communes + 1):
                store.units.add(f"{DISTRICT}.{n:04d}", f"Xã Thử {n}", "xa", DISTRICT, n)
            for unit, der in certificates.items():
                enrol(store, unit, der)
            report, _ = ops.create_report(store, catalog, DISTRICT, Period("nam", 2019), "khanhhoa-huyen", 1)
            start = time.perf_counter()
            result = consolidate(store, catalog, report, [packages], workers=args.workers)
            seconds = time.perf_counter() - start
            accepted = sum(1 for r in result.received if r.status == "accepted")
            assert accepted == args.communes, [r.message for r in result.received if r.status != "accepted"][:3]
            assert result.filled > 0
        rows.append(("consolidate", f"Kiểm tra và tổng hợp {args.communes} gói của các xã ({args.workers} tiến trình)",
                     seconds))
        projected = seconds / args.communes * VIETNAM_COMMUNES
        rows.append(("projection", f"Ước tính cho {VIETNAM_COMMUNES:,} xã của cả nước (tuyến tính)".replace(",", "."),
                     projected))
    return print_table(rows, TARGETS)


if __name__ == "__main__":
    sys.exit(main())

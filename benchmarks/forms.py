"""Form sets as data an officer edits (issue 26): the definition workbook both ways, a draft from a
template, publishing and receiving a signed set.

    .venv/bin/python benchmarks/forms.py [--rounds 5]

Prints a Markdown table (paste it into docs/BENCHMARKS.md) and exits 1 if a figure misses its
target. Each is measured on the largest shipped set (Sóc Trăng's, 14 forms) beside its peer:
openpyxl alone writing or reading the same workbook, the loader alone compiling the set,
pyHanko alone signing the manifest. Targets: every step an officer or a clerk waits for, under
2 s (an interactive step, run a few times a year).
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import tempfile
from pathlib import Path

from core import print_table, timed  # benchmarks/core.py: one way of timing and reporting

from cryptography.hazmat.primitives.serialization import Encoding
from openpyxl import load_workbook

from desktop.app.definitions import compile_template, compile_workbook
from desktop.exchange.blank import blank_xlsx
from desktop.exchange.definitions import export_workbook
from desktop.foundation.paths import forms_dir
from desktop.foundation.settings import load_settings, save_settings
from desktop.registry import load_catalog, load_form_set
from desktop.store.db import Store
from desktop.submission.formsets import publish, receive
from desktop.submission.identity import create_self_signed, load_p12
from desktop.submission.package import sign_detached, usable_now
from desktop.submission.register import enrol

TARGETS = {"export": 2.0, "import": 2.0, "template": 2.0, "publish": 2.0, "receive": 2.0}
SET = "soctrang-huyen-2019"
PASS = "mat-khau-do-thoi-gian"


def _setup_only(scratch: Path, der: bytes, count) -> None:
    with Store.open(scratch / f"san-{next(count)}.db") as store:
        store.units.add("T", "Tỉnh Thử", "tinh")
        store.units.add("T.X", "Xã Thử", "xa", "T")
        save_settings(store, load_settings(store) | {"unit": "T.X"})
        enrol(store, "T", der)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    rounds, rows = args.rounds, []
    folder = forms_dir() / SET
    catalog = load_catalog(forms_dir())
    form_set = load_form_set(folder, [], root=folder.parent)
    with tempfile.TemporaryDirectory() as scratch:
        scratch = Path(scratch)
        book = scratch / "dinh-nghia.xlsx"
        book.write_bytes(export_workbook(folder))
        rows.append(("export", f"Ghi bảng định nghĩa của bộ lớn nhất ({len(form_set.forms)} biểu)",
                     statistics.median(timed(lambda: export_workbook(folder), rounds))))
        loaded = load_workbook(book)

        def save_alone():
            loaded.save(io.BytesIO())

        rows.append(("export_peer", "  – bên cạnh: openpyxl một mình ghi lại tệp đó",
                     statistics.median(timed(save_alone, rounds))))
        count = iter(range(10 ** 6))
        rows.append(("import", "Dịch bảng định nghĩa đó thành bộ (đọc, chuẩn hóa, kiểm tra, ghi)",
                     statistics.median(timed(lambda: compile_workbook(book, scratch / f"bo-{next(count)}"), rounds))))
        rows.append(("import_peer", "  – bên cạnh: openpyxl một mình đọc tệp đó (chỉ đọc)",
                     statistics.median(timed(lambda: load_workbook(book, read_only=True).close(), rounds))))
        rows.append(("import_loader", "  – trong đó: trình nạp một mình biên dịch bộ đó (đã có bộ đệm)",
                     statistics.median(timed(lambda: load_form_set(folder, [], root=folder.parent), rounds))))
        template = scratch / "bieu-mau.xlsx"
        template.write_bytes(blank_xlsx(catalog, form_set))
        rows.append(("template", "Bản nháp từ bảng tính biểu mẫu trống của bộ đó (14 trang)",
                     statistics.median(timed(lambda: compile_template(template, scratch / f"nhap-{next(count)}",
                                                                     set_id="thu", province="Thử"), rounds))))
        rows.append(("template_peer", "  – bên cạnh: openpyxl một mình mở tệp đó (ô gộp, định dạng)",
                     statistics.median(timed(lambda: load_workbook(template), rounds))))
        key = create_self_signed("T", "Ủy ban nhân dân tỉnh Thử", PASS)
        with load_p12(key, PASS) as identity:
            package, manifest = publish(folder, identity)
            rows.append(("publish", "Phát hành bộ đó (ký số bản kê, đóng gói)",
                         statistics.median(timed(lambda: publish(folder, identity), rounds))))
            raw = b"{" + b" " * 2000 + b"}"
            rows.append(("publish_peer", "  – bên cạnh: pyHanko một mình ký tách rời một bản kê cỡ đó",
                         statistics.median(timed(lambda: sign_detached(raw, identity, usable_now(identity)), rounds))))
            der = identity.certificate.public_bytes(Encoding.DER)
        path = scratch / "bo.cchcforms"
        path.write_bytes(package)

        def receive_once():
            n = next(count)
            with Store.open(scratch / f"xa-{n}.db") as store:
                store.units.add("T", "Tỉnh Thử", "tinh")
                store.units.add("T.X", "Xã Thử", "xa", "T")
                save_settings(store, load_settings(store) | {"unit": "T.X"})
                enrol(store, "T", der)
                receive(store, path, scratch / f"nhan-{n}")

        rows.append(("receive", "Nhận và cài bộ đó ở một xã (kiểm tra gói, chữ ký, nạp bộ, cài)",
                     statistics.median(timed(receive_once, rounds))))
        rows.append(("receive_floor", "  – sàn: mở CSDL mới và ghi đơn vị, thiết lập, chứng thư (phần việc của phép đo)",
                     statistics.median(timed(lambda: _setup_only(scratch, der, count), rounds))))
    return print_table(rows, TARGETS)


if __name__ == "__main__":
    sys.exit(main())

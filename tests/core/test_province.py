"""Two tiers since 1 July 2025: a province consolidates its communes' signed Biểu 06 directly,
its per-commune rows from the official directory, and the completeness matrix shows them all."""

from __future__ import annotations

import datetime as dt
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

from conftest import REPO
from desktop.foundation.directory import load_directory
from desktop.foundation.periods import Period
from desktop.store.db import Store

PROVINCE = "38.2025"  # Tỉnh Thanh Hóa: 166 communes
SENT = 120
PASS = b"mat-khau-thu-nghiem"
COLUMNS = ("nhan_tong", "nhan_truc_tuyen", "nhan_truc_tiep", "ky_truoc", "da_tong", "da_truoc_han", "da_dung_han",
           "da_qua_han", "dang_tong", "dang_trong_han", "dang_qua_han")
_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)  # one key, a certificate per commune
_catalogs: dict = {}  # a worker loads the catalog once


def figures(n: int) -> dict:
    """A commune's consistent quarter: received = solved + pending, each total = its parts."""
    online, direct, carried = 10 + n % 17, 50 + n % 89, n % 13
    received = online + direct + carried
    early, late = n % 7, n % 3
    pending_late = n % 2
    pending = 5 + n % 11
    on_time = received - pending - early - late
    values = (received, online, direct, carried, early + on_time + late, early, on_time, late, pending,
              pending - pending_late, pending_late)
    return dict(zip(COLUMNS, values))


def _certificate(unit_id: str, name: str) -> bytes:
    subject = x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"), x509.NameAttribute(NameOID.COMMON_NAME, name),
                         x509.NameAttribute(NameOID.SERIAL_NUMBER, unit_id)])
    now = dt.datetime.now(dt.timezone.utc)
    certificate = (x509.CertificateBuilder().subject_name(subject).issuer_name(subject)
                   .public_key(_KEY.public_key()).serial_number(x509.random_serial_number())
                   .not_valid_before(now - dt.timedelta(hours=1)).not_valid_after(now + dt.timedelta(days=30))
                   .sign(_KEY, hashes.SHA256()))
    return pkcs12.serialize_key_and_certificates(name.encode(), _KEY, certificate, None,
                                                 serialization.BestAvailableEncryption(PASS))


def _sign_commune(job: tuple[int, str, str, str]) -> tuple[str, bytes]:
    """One commune on its own machine: its Biểu 06 for Quý III/2025, checked and signed."""
    from desktop.exchange.interchange import import_report
    from desktop.registry import load_catalog
    from desktop.submission.identity import load_p12
    from desktop.submission.package import sign_report
    from desktop.submission.workflow import mark_checked

    n, unit_id, name, folder = job
    directory = load_directory()
    unit, province = directory.get(unit_id), directory.get(PROVINCE)
    if "forms" not in _catalogs:
        _catalogs["forms"] = load_catalog(REPO / "forms")
    catalog = _catalogs["forms"]
    row = figures(n)
    document = {
        "format": "cchc-report", "format_version": 2, "app_version": "test",
        "unit": {"code": unit.id, "name": unit.name, "level": "xa",
                 "parent": {"code": province.id, "name": province.name, "level": "tinh"}},
        "child_units": [], "period": {"type": "quy", "year": 2025, "number": 3, "year_from": None},
        "form_set": {"id": "toanquoc-06", "version": 1},
        "report": {"status": "nhap", "version": 1, "signer_name": "Nguyễn Văn A", "signer_title": "CHỦ TỊCH",
                   "doc_number": "01/BC-UBND", "doc_date": "2025-10-05"},
        "forms": {"06": {"rows": {}, "cells": {"item:ho_tich": row, "tong": row}}}, "attachments": [],
    }
    p12 = _certificate(unit.id, name)
    with Store.open(":memory:", daily_backup=False, user="xa") as store:
        report = import_report(store, catalog, document)
        mark_checked(store, catalog, report, acknowledge_warnings=True)
        with load_p12(p12, PASS) as identity:
            sign_report(store, catalog, report, identity, Path(folder))
            return unit.id, identity.certificate.public_bytes(serialization.Encoding.DER)


@pytest.fixture(scope="module")
def sent(tmp_path_factory):
    """120 of Thanh Hóa's 166 communes, each with its own certificate, signed in two processes."""
    folder = tmp_path_factory.mktemp("goi")
    communes = load_directory().children(PROVINCE)[:SENT]
    jobs = [(n, c.id, c.name, str(folder)) for n, c in enumerate(communes)]
    with ProcessPoolExecutor(2) as pool:
        certificates = dict(pool.map(_sign_commune, jobs))
    return folder, certificates


@pytest.mark.slow
def test_a_province_consolidates_its_communes_directly(tmp_path, real_catalog, sent):
    from desktop.app.units import setup_unit
    from desktop.report.ops import create_report
    from desktop.submission.consolidate import consolidate
    from desktop.submission.register import enrol

    folder, certificates = sent
    with Store.open(tmp_path / "tinh.db") as store:
        setup_unit(store, PROVINCE)
        assert len(store.units.children(PROVINCE)) == 166  # the per-commune rows come from the directory
        for unit_id, der in certificates.items():
            enrol(store, unit_id, der)
        report, _ = create_report(store, real_catalog, PROVINCE, Period("quy", 2025, 3), "toanquoc-06-tinh", 1)
        result = consolidate(store, real_catalog, report, [folder], workers=2)
        assert [r.status for r in result.received].count("accepted") == SENT
        rows = store.cells.get(report)["06TH"]
    states = [u["cells"]["Quý III năm 2025"]["state"] for u in result.matrix["units"]]
    assert len(states) == 166 and states.count("missing") == 46
    assert states.count("late") + states.count("submitted") == SENT
    for n, unit_id in enumerate(list(certificates)[:5]):
        assert rows[f"unit:{unit_id}"]["nhan_tong"] == str(figures(n)["nhan_tong"])
    for column in COLUMNS:
        assert rows["tong"][column] == str(sum(figures(n)[column] for n in range(SENT))), column
    assert not [f for f in result.findings if f.severity == "error"]

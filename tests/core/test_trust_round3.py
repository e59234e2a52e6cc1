"""Trust, round 3 (issue 27): what a hostile sender still got through. Each test is one attack.

A package here is re-signed after it is altered, with the sender's own key: what a modified app
could send, which no hash check stops. The receiver must refuse it for what it says.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from conftest import new_report
from desktop.store.db import Store
from desktop.submission.consolidate import consolidate
from desktop.submission.identity import load_p12
from desktop.submission.package import DATA, MANIFEST, MANIFEST_SIGNATURE, archive_bytes, sign_detached
from desktop.submission.verify import verify_bytes
from test_signers import package as signed_file
from test_signing import PASS, forms, p12_of  # noqa: F401  (forms: a fixture)


def resign(package: bytes, p12: bytes, manifest_change=None, members: dict[str, bytes] | None = None) -> bytes:
    """``package`` with its manifest changed (and members replaced), hashes recomputed and the
    manifest signed again by ``p12``'s key: what a modified sending app would make."""
    with zipfile.ZipFile(io.BytesIO(package)) as archive:
        contents = {name: archive.read(name) for name in archive.namelist()}
    contents.update(members or {})
    manifest = json.loads(contents[MANIFEST])
    for entry in manifest["files"]:
        entry["sha256"] = hashlib.sha256(contents[entry["path"]]).hexdigest()
        entry["size"] = len(contents[entry["path"]])
    if manifest_change:
        manifest_change(manifest)
    raw = json.dumps(manifest, ensure_ascii=False).encode("utf-8")
    with load_p12(p12, PASS) as identity:
        signature = sign_detached(raw, identity, dt.datetime.now().astimezone().replace(microsecond=0))
    order = [entry["path"] for entry in manifest["files"]] if isinstance(manifest.get("files"), list) else []
    order = [p for p in order if isinstance(p, str) and p in contents] or [n for n in contents if n not in (
        MANIFEST, MANIFEST_SIGNATURE)]
    return archive_bytes([(MANIFEST, raw), (MANIFEST_SIGNATURE, signature), *((n, contents[n]) for n in order)])


@pytest.fixture(scope="module")
def genuine(tmp_path_factory):
    """A commune's genuine package (its bytes) and the catalog it was made with."""
    from conftest import write_set
    from desktop.registry import load_catalog
    from test_signing import DISTRICT, FORM

    root = tmp_path_factory.mktemp("bo")
    write_set(root / "forms", {"kq.yaml": FORM}, set_id="xa", level="xa")
    write_set(root / "forms", {"th.yaml": DISTRICT}, set_id="huyen")
    catalog = load_catalog(root / "forms")
    return catalog, signed_file(root, catalog, p12_of("H1.X1")).read_bytes()


def _set(path: str, value):
    def change(manifest):
        *outer, last = path.split(".")
        target = manifest
        for key in outer:
            target = target[key]
        if value is _DELETE:
            target.pop(last, None)
        else:
            target[last] = value
    return change


_DELETE = object()


# --- one package must never stop a consolidation ------------------------------------------------


@pytest.mark.parametrize("path, value", [
    ("period.year", 2 ** 70), ("unit.name", _DELETE), ("period.type", ["nam"]), ("form_set.version", 2 ** 70),
    ("report_version", True), ("period.label", "năm 2019"), ("unit.name", "Xã Sơn Trung"),
    ("files", [{"path": "data.json", "sha256": "x" * 64}]), ("parent_unit", "H1"), ("doc_number", "x" * 10_000),
])
def test_every_manifest_field_is_checked_before_it_is_used(genuine, path, value):
    """A year of 2^70 once ended the run in "Lỗi không mong đợi: OverflowError", a missing unit name
    in KeyError; a display field (unit name, period label) said another commune's, another year's."""
    catalog, package = genuine
    assert verify_bytes(package, "goi.cchc", catalog).valid
    verdict = verify_bytes(resign(package, p12_of("H1.X1"), _set(path, value)), "goi.cchc", catalog)
    assert not verdict.valid and "bị từ chối" in verdict.message
    assert "nhật ký" not in verdict.message  # refused by a check, not by the safety net


def test_a_bad_package_is_refused_alone_and_the_others_of_the_run_are_received(store, forms, tmp_path):
    district = new_report(store, "huyen", communes=2)
    from test_signing import enrol_signer

    enrol_signer(store, "H1.X1", p12_of("H1.X1"))
    enrol_signer(store, "H1.X2", p12_of("H1.X2"))
    good = signed_file(tmp_path, forms, p12_of("H1.X1"))
    hostile = tmp_path / "xau.cchc"
    hostile.write_bytes(resign(signed_file(tmp_path, forms, p12_of("H1.X2"), unit="H1.X2").read_bytes(),
                               p12_of("H1.X2"), _set("period.year", 2 ** 70)))
    result = consolidate(store, forms, district, [hostile, good])
    assert [r.status for r in result.received] == ["rejected", "accepted"]
    assert "period.year" in result.received[0].message
    assert store.cells(district)["TH"]["unit:H1.X1"]["moi"] == "8"


JSON_VALUES = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
                           lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner,
                                                                                         max_size=3), max_leaves=6)
FIELDS = ["unit", "unit.code", "unit.name", "unit.level", "parent_unit", "period", "period.type", "period.year",
          "period.number", "period.year_from", "period.label", "form_set", "form_set.id", "form_set.version",
          "report_version", "doc_number", "status", "created_at", "app_version", "signer", "files", "format_version"]


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(path=st.sampled_from(FIELDS), value=JSON_VALUES)
@example(path="period.year", value=2 ** 70)
@example(path="unit.name", value=None)
def test_any_value_in_any_manifest_field_is_refused_by_a_check_or_accepted_as_genuine(genuine, path, value):
    catalog, package = genuine
    verdict = verify_bytes(resign(package, p12_of("H1.X1"), _set(path, value)), "goi.cchc", catalog)
    assert "nhật ký" not in verdict.message  # never the safety net: a check names what is wrong
    if verdict.valid:  # only a value that is what the genuine package says (or no one reads) passes
        original = json.loads(zipfile.ZipFile(io.BytesIO(package)).read(MANIFEST))
        assert (verdict.manifest["unit"], verdict.manifest["period"], verdict.manifest["form_set"],
                verdict.manifest["report_version"]) == (original["unit"], original["period"], original["form_set"],
                                                        original["report_version"])


DATA_FIELDS = ["unit.name", "period.year", "form_set.version", "report.version", "report.subject", "child_units",
               "forms", "forms.KQ.cells.r.moi", "attachments", "parts"]


@settings(max_examples=30, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(path=st.sampled_from(DATA_FIELDS), value=JSON_VALUES)
@example(path="period.year", value=2 ** 70)
def test_any_value_in_any_data_field_is_refused_by_a_check(genuine, path, value):
    """data.json re-written and its hash re-signed: the PDF still says what it said, so only the
    figure the PDF shows (or nothing anybody reads) can pass."""
    catalog, package = genuine
    document = json.loads(zipfile.ZipFile(io.BytesIO(package)).read(DATA))
    *outer, last = path.split(".")
    target = document
    for key in outer:
        target = target.setdefault(key, {}) if isinstance(target, dict) else {}
    if isinstance(target, dict):
        target[last] = value
    data = json.dumps(document, ensure_ascii=False).encode("utf-8")
    verdict = verify_bytes(resign(package, p12_of("H1.X1"), members={DATA: data}), "goi.cchc", catalog)
    assert not verdict.valid  # the PDF and the workbook name the genuine data.json's hash
    assert "nhật ký" not in verdict.message

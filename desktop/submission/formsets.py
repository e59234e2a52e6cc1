"""Publishing a form set as a signed package, and receiving one (issue 26 §3).

A Sở Nội vụ publishes next year's bộ biểu mẫu (``publish``); each commune receives it offline
(``receive``), the way a report package travels the other way. The package (``.cchcforms``, in
the report package's canonical ZIP layout, read with the same hardening) holds:
- ``manifest.json``: the set (id, version, name, province, level, valid from), every file with
  its SHA-256 and size, when it was published and by which certificate;
- ``manifest.p7s``: the publisher's detached CMS signature over the manifest;
- ``files/NAME.yaml``: the set's files, as its folder holds them.

A commune installs a set only when all of these hold:
- the package is intact, its manifest signed, each file the manifest's;
- the signer is a body above the commune: the certificate registered for it here (``cchc
  enrol-certificate --unit PARENT FILE.cer``), not withdrawn, or a CA-verified Ban Cơ yếu
  certificate naming it (``subjects.py``), which is then registered. Any other certificate's
  package is held, changing nothing, until the clerk confirms its fingerprint
  (``confirm_forms``), as a receipt is;
- the set loads without a problem (``forms check``), and its id and version are not a set this
  machine already holds with other content (a version once published never changes).

It is installed in the user's data folder (``received_forms_dir``), never the program's, in one
rename, beside a note (``RECEIVED_NOTE``) of who signed it and when it came.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import shutil
import tempfile
import zipfile
from pathlib import Path

from cryptography import x509

from desktop.foundation.files import TooLarge, read_at_most
from desktop.foundation.messages import CchcError, msg, os_reason
from desktop.foundation.paths import forms_dir
from desktop.registry import load_catalog, load_form_set
from desktop.schema.loader import SET_FILE
from desktop.schema.reading import MAX_FILE_BYTES
from desktop.submission.identity import Identity, signer_certificate
from desktop.submission.package import archive_bytes, signed_archive, usable_now
from desktop.submission.register import certificate_record, check_read_out, fingerprint, one_held
from desktop.submission.subjects import names_unit_by_subject
from desktop.submission.verify import (CLOCK_SLACK, Rejected, check_detached_signature, load_trust_roots,
                                       read_archive)

FORMAT = "cchc-forms"
FORMAT_VERSION = 1
EXTENSION = ".cchcforms"
MANIFEST, SIGNATURE, FILES = "manifest.json", "manifest.p7s", "files/"
MAX_PACKAGE_BYTES = 8 * 1024 * 1024  # the largest shipped set is some 150 KB
MAX_FILES = 100
RECEIVED_NOTE = ".nhan.json"  # beside an installed set: who signed it, when it came
_FILE_NAME = re.compile(r"^[A-Za-z0-9_\-]{1,64}\.yaml$")


def package_filename(manifest: dict) -> str:
    return f"bo-bieu-mau_{manifest['set']['id']}_v{manifest['set']['version']}{EXTENSION}"


# --- publish ---------------------------------------------------------------------


def publish(folder: Path, identity: Identity) -> tuple[bytes, dict]:
    """The set in ``folder`` as a package signed by ``identity`` now: (its bytes, its manifest).
    A set that does not load cleanly is refused with its problems: nothing broken is published."""
    folder = Path(folder)
    problems: list = []
    form_set = load_form_set(folder, problems, root=folder.parent)
    problems = (form_set.problems if form_set is not None else problems) or problems
    if form_set is None or problems:
        raise CchcError("FSET001", folder=folder.name, problems="\n".join(p.text for p in problems[:20]))
    names = sorted(p.name for p in folder.glob("*.yaml") if p.is_file())
    if len(names) > MAX_FILES or any(not _FILE_NAME.match(name) for name in names):
        bad = next((n for n in names if not _FILE_NAME.match(n)), f"{len(names)} tệp")
        raise CchcError("FSET002", name=bad)
    files = []
    for name in names:
        try:
            files.append((name, read_at_most(folder / name, MAX_FILE_BYTES)))
        except TooLarge:
            raise CchcError("FSET002", name=name) from None
        except OSError as error:
            raise CchcError("FSET003", file=name, reason=os_reason(error)) from None
    now = usable_now(identity)
    manifest = {
        "format": FORMAT, "format_version": FORMAT_VERSION,
        "set": {"id": form_set.id, "version": form_set.version, "name": form_set.name, "province": form_set.province,
                "year": form_set.year, "level": form_set.level, "valid_from": form_set.valid_from or None},
        "files": [{"name": name, "sha256": hashlib.sha256(data).hexdigest(), "size": len(data)} for name, data in files],
        "published_at": now.isoformat(),
        "publisher": {"subject": identity.subject, "certificate_sha256": identity.cert_sha256},
    }
    _, package = signed_archive(manifest, identity, now, [(FILES + n, d) for n, d in files], (MANIFEST, SIGNATURE))
    return package, manifest


# --- read -------------------------------------------------------------------------


def _field(value, name: str, limit: int = 300) -> None:
    if not isinstance(value, str) or not value.strip() or len(value) > limit:
        raise CchcError("FSET004", reason=msg("FSET005", field=name))


def _manifest(raw: bytes) -> dict:
    """``manifest.json`` with every field checked before it is used."""
    try:
        manifest = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise CchcError("FSET004", reason=msg("FSET005", field=MANIFEST)) from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT \
            or manifest.get("format_version") != FORMAT_VERSION:
        raise CchcError("FSET004", reason=msg("FSET005", field="format"))
    described = manifest.get("set")
    if not isinstance(described, dict):
        raise CchcError("FSET004", reason=msg("FSET005", field="set"))
    for name in ("id", "name"):
        _field(described.get(name), f"set.{name}")
    if not re.fullmatch(r"[A-Za-z0-9_.\-]{1,80}", described["id"]):
        raise CchcError("FSET004", reason=msg("FSET005", field="set.id"))
    version = described.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or not 1 <= version <= 10 ** 6:
        raise CchcError("FSET004", reason=msg("FSET005", field="set.version"))
    files = manifest.get("files")
    if not isinstance(files, list) or not 1 <= len(files) <= MAX_FILES:
        raise CchcError("FSET004", reason=msg("FSET005", field="files"))
    for entry in files:
        if not isinstance(entry, dict) or not isinstance(entry.get("name"), str) or not _FILE_NAME.match(entry["name"]) \
                or not isinstance(entry.get("sha256"), str) or not re.fullmatch(r"[0-9a-f]{64}", entry["sha256"]) \
                or not isinstance(entry.get("size"), int) or not 0 <= entry["size"] <= MAX_FILE_BYTES:
            raise CchcError("FSET004", reason=msg("FSET005", field="files"))
    if SET_FILE not in {e["name"] for e in files}:
        raise CchcError("FSET004", reason=msg("FSET005", field=f"files ({SET_FILE})"))
    try:
        published = dt.datetime.fromisoformat(manifest.get("published_at"))
    except (TypeError, ValueError):
        raise CchcError("FSET004", reason=msg("FSET005", field="published_at")) from None
    if published.tzinfo is None:
        raise CchcError("FSET004", reason=msg("FSET005", field="published_at"))
    return manifest


def read_package(data: bytes, roots=(), crls=()) -> tuple[dict, dict, bytes | None, dict[str, bytes]]:
    """(the manifest, its signer as verification finds it, the signer's certificate as DER, the
    set's files by name); refused (``CchcError`` FSET004) with the reason."""
    if len(data) > MAX_PACKAGE_BYTES:
        raise CchcError("FSET004", reason=msg("FSET006", megabytes=MAX_PACKAGE_BYTES // (1024 * 1024)))
    try:
        members = read_archive(data)
        if MANIFEST not in members or SIGNATURE not in members:
            raise CchcError("FSET004", reason=msg("FSET007"))
        signer = check_detached_signature(members[MANIFEST], members[SIGNATURE], list(roots), list(crls))
    except zipfile.BadZipFile:
        raise CchcError("FSET004", reason=msg("DAT003")) from None
    except Rejected as rejected:
        raise CchcError("FSET004", reason=rejected.reason + (f" ({rejected.member})" if rejected.member else "")) from None
    manifest = _manifest(members[MANIFEST])
    expected = {MANIFEST, SIGNATURE} | {FILES + e["name"] for e in manifest["files"]}
    if set(members) != expected:
        extra = sorted(set(members) ^ expected)[0]
        raise CchcError("FSET004", reason=msg("FSET008", name=extra))
    files = {}
    for entry in manifest["files"]:
        content = members[FILES + entry["name"]]
        if len(content) != entry["size"] or hashlib.sha256(content).hexdigest() != entry["sha256"]:
            raise CchcError("FSET004", reason=msg("FSET009", name=entry["name"]))
        files[entry["name"]] = content
    entries = [(MANIFEST, members[MANIFEST]), (SIGNATURE, members[SIGNATURE])] + \
              [(FILES + e["name"], files[e["name"]]) for e in manifest["files"]]
    if archive_bytes(entries) != data:  # bytes outside the members: not as published
        raise CchcError("FSET004", reason=msg("FSET007"))
    published = dt.datetime.fromisoformat(manifest["published_at"])
    signed = dt.datetime.fromisoformat(signer["signed_at"])
    if abs(published - signed) > CLOCK_SLACK or published > dt.datetime.now().astimezone() + CLOCK_SLACK:
        raise CchcError("FSET004", reason=msg("FSET010"))
    return manifest, signer, signer_certificate(members[SIGNATURE], signer["certificate_sha256"]), files


# --- receive ------------------------------------------------------------------------


def _read_file(path: Path) -> bytes:
    try:
        return read_at_most(path, MAX_PACKAGE_BYTES)
    except TooLarge:
        raise CchcError("FSET004", reason=msg("FSET006", megabytes=MAX_PACKAGE_BYTES // (1024 * 1024))) from None
    except OSError as error:
        raise CchcError("FSET004", reason=os_reason(error)) from None


def _bodies_above(store):
    """The bodies above this database's own unit (Thiết lập), nearest first."""
    from desktop.foundation.settings import load_settings

    own = load_settings(store)["unit"]
    if not own:
        raise CchcError("FSET011")
    unit = store.units.get(own)
    above = []
    while unit.parent_code:
        unit = store.units.get(unit.parent_code)
        above.append(unit)
    if not above:
        raise CchcError("FSET012", unit=store.units.get(own).name)
    return above


def _publisher(store, signer: dict, der: bytes | None, above: list):
    """The body of ``above`` (those above this unit) whose certificate signed, or None (not known
    here: held)."""
    registered = store.certificates.get(signer["certificate_sha256"])
    if registered is not None:
        body = next((b for b in above if b.code == registered.unit_code), None)
        if body is None or registered.withdrawn_at is not None:
            raise CchcError("FSET013", subject=signer["subject"], parent=above[0].name, parent_code=above[0].code)
        return body
    if signer["ca_verified"] and der is not None:
        certificate = x509.load_der_x509_certificate(der)
        for body in above:
            if names_unit_by_subject(certificate, store, body, above_optional=True):
                store.certificates.add(certificate_record(der, body.code, "ca"))
                return body
    return None


def receive(store, path: Path, installed: Path, root_paths: list[str] = ()) -> dict:
    """Take a form-set package: installed under ``installed`` when its signer is a body above this
    unit, else held (``held``: its SHA-256) until the clerk confirms the fingerprint. Returns what
    happened (``set``, ``version``, ``folder``, ``held``, ``message``)."""
    data = _read_file(path)
    manifest, signer, der, files = read_package(data, load_trust_roots(root_paths),
                                                store.revocation_lists.all(with_der=True))
    sha = hashlib.sha256(data).hexdigest()
    known = store.received_forms.get(sha)
    if known is not None and known["state"] == "installed":
        raise CchcError("FSET014", set=manifest["set"]["name"], version=manifest["set"]["version"])
    folder_name = _folder_name(manifest)
    _check_set(files, installed, folder_name)  # a broken set is refused before it is held
    above = _bodies_above(store)
    body = _publisher(store, signer, der, above)
    record = _record(manifest, signer, sha, body)
    if body is None:
        store.received_forms.add(record | {"state": "held", "folder": None}, file=data)
        return {"set": manifest["set"]["id"], "version": manifest["set"]["version"], "folder": None, "held": sha,
                "message": msg("FSET015", name=manifest["set"]["name"], subject=signer["subject"], parent=above[0].name,
                               fingerprint=fingerprint(signer["certificate_sha256"]), sha=sha[:16])}
    return _install(store, record, files, installed, folder_name, signer)


def confirm_forms(store, package_sha: str, typed: str, installed: Path, root_paths: list[str] = ()) -> dict:
    """The clerk confirms a held set's signer, having compared its fingerprint with the body above
    (``typed``: at least its first digits): the certificate is registered for that body and the
    set installed as if it had come signed so."""
    held = one_held(store.received_forms.held(), package_sha, "FSET016", package=package_sha)
    check_read_out(held["certificate_sha256"], typed)
    data = store.attachments.blob(held["file_sha256"])
    manifest, signer, der, files = read_package(data, load_trust_roots(root_paths),
                                                store.revocation_lists.all(with_der=True))
    body = _bodies_above(store)[0]
    folder_name = _folder_name(manifest)
    _check_set(files, installed, folder_name)
    registered = store.certificates.get(signer["certificate_sha256"])
    if registered is not None and registered.withdrawn_at is not None:  # a confirmation never undoes it
        raise CchcError("CERT021", withdrawn_at=registered.withdrawn_at[:10])
    if registered is None:
        store.certificates.add(certificate_record(der, body.code, "confirmed"))
    return _install(store, _record(manifest, signer, held["sha256"], body), files, installed, folder_name, signer)


def _folder_name(manifest: dict) -> str:
    return f"{manifest['set']['id']}-v{manifest['set']['version']}"


def _record(manifest: dict, signer: dict, sha: str, body) -> dict:
    described = manifest["set"]
    return {"sha256": sha, "set_id": described["id"], "version": described["version"], "name": described["name"],
            "valid_from": described.get("valid_from") or "", "publisher_code": body.code if body else None,
            "publisher_name": body.name if body else None, "signer": signer["subject"],
            "certificate_sha256": signer["certificate_sha256"], "published_at": manifest["published_at"]}


def _check_set(files: dict[str, bytes], installed: Path, folder_name: str):
    """The package's set loaded from a scratch folder: refused with its problems, or when this
    machine holds that id and version with other content."""
    with tempfile.TemporaryDirectory(prefix=".cchc-nhan-") as scratch:
        folder = Path(scratch) / folder_name
        folder.mkdir()
        for name, content in files.items():
            (folder / name).write_bytes(content)
        problems: list = []
        form_set = load_form_set(folder, problems, root=Path(scratch))
        problems = (form_set.problems if form_set is not None else problems) or problems
        if form_set is None or problems:
            raise CchcError("FSET017", problems="\n".join(p.text for p in problems[:20]) or SET_FILE)
    present = load_catalog(forms_dir(), received=installed).get(form_set.id, form_set.version)
    if present is not None and _contents(Path(present.directory)) != files:
        raise CchcError("FSET018", set=form_set.name, version=form_set.version,
                        source="có sẵn trong chương trình" if present.source == "built-in" else "đã nhận trước đây")
    return form_set


def _contents(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.glob("*.yaml") if p.is_file()}


def _install(store, record: dict, files: dict[str, bytes], installed: Path, folder_name: str, signer: dict) -> dict:
    installed.mkdir(parents=True, exist_ok=True)
    target = installed / folder_name
    staging = Path(tempfile.mkdtemp(prefix=".cchc-cai-", dir=installed))
    try:
        for name, content in files.items():
            (staging / name).write_bytes(content)
        note = {"signed_by": signer["subject"], "certificate_sha256": signer["certificate_sha256"],
                "publisher": record["publisher_name"], "published_at": record["published_at"],
                "received_at": dt.datetime.now().astimezone().replace(microsecond=0).isoformat(),
                "package_sha256": record["sha256"]}
        (staging / RECEIVED_NOTE).write_text(json.dumps(note, ensure_ascii=False, indent=1), encoding="utf-8")
        if target.exists():  # the same content again (checked): replaced whole
            shutil.rmtree(target)
        staging.replace(target)
    except OSError as error:
        raise CchcError("FSET003", file=str(target), reason=os_reason(error)) from None
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
    store.received_forms.add(record | {"state": "installed", "folder": str(target)})
    return {"set": record["set_id"], "version": record["version"], "folder": str(target), "held": None,
            "message": msg("FSET019", name=record["name"], version=record["version"], publisher=record["publisher_name"],
                           subject=signer["subject"])}


def received_note(form_set) -> dict:
    """Who signed a received set and when it came (empty for a set the program ships)."""
    if form_set.source != "received":
        return {}
    try:
        note = json.loads(read_at_most(Path(form_set.directory) / RECEIVED_NOTE, 64 * 1024).decode("utf-8"))
    except (OSError, TooLarge, UnicodeDecodeError, ValueError):
        return {}
    return note if isinstance(note, dict) else {}


__all__ = ["EXTENSION", "confirm_forms", "package_filename", "publish", "read_package", "receive", "received_note"]

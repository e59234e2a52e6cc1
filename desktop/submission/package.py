"""The signed submission package: one ZIP file a unit sends to the level above.

Members (format in docs/package.md):

- ``manifest.json``: who, which period and form set, which report version, when, and
  every other member with its size and SHA-256;
- ``manifest.p7s``: a detached CMS signature over ``manifest.json`` (DER);
- ``data.json``: the interchange document (docs/interchange.md), each attachment
  naming its member in ``file`` instead of carrying its bytes;
- ``report.xlsx``: the annexes as the Excel export;
- ``report.pdf``: the report and annexes, signed PAdES with a visible signature in the
  signature block;
- ``attachments/NNN-name``: the evidence files.

The manifest's signature covers every byte of every member through the hashes; the
PDF carries its own signature too, so it stays verifiable once taken out of the package.
"""

from __future__ import annotations

import asyncio
import base64
import datetime as dt
import functools
import hashlib
import io
import json
import re
import stat
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path

from PIL import Image
from pyhanko import stamp
from pyhanko.pdf_utils import layout
from pyhanko.pdf_utils.images import PdfImage
from pyhanko.pdf_utils.font.opentype import GlyphAccumulator, GlyphAccumulatorFactory
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.text import TextBoxStyle
from pyhanko.sign import fields, signers
from pyhanko.sign.signers.pdf_cms import PdfCMSSignedAttributes

from desktop import __version__
from desktop.report.data import report_data
from desktop.foundation.files import write_atomically
from desktop.exchange.pdf import render_pdf
from desktop.exchange.signature_look import ORGANISATION, PERSON, look_of, seal_box
from desktop.foundation.settings import load_settings
from desktop.exchange.xlsx import render_xlsx
from desktop.exchange.interchange import dumps, export_report
from desktop.foundation.messages import CchcError, msg, os_reason
from desktop.foundation.paths import cache_dir, resources_dir
from desktop.submission import NOT_CA_VERIFIED
from desktop.submission.anchors import signing_check
from desktop.submission.identity import Identity, document_signing_problem, is_self_signed
from desktop.submission.workflow import ready_findings
from desktop.store.reports import STATUS_LABELS

FORMAT = "cchc-package"
FORMAT_VERSION = 2  # 2: the workbook and the PDF name the data.json they were made from
SEALED_FORMAT_VERSION = 3  # 3: sealed, the organisation's signature after the person's (``seal_report``)
EXTENSION = ".cchc"
MANIFEST = "manifest.json"
MANIFEST_SIGNATURE = "manifest.p7s"
DATA = "data.json"
WORKBOOK = "report.xlsx"
PDF = "report.pdf"
ATTACHMENTS = "attachments/"
SOURCES = "sources/"  # the other reports the PDF prints (a PAR analysis: its child units' sheets)
SIGNATURE_FIELD = "ChuKySo"
SEAL_FIELD = "DauCoQuan"  # the organisation's signature, added by the văn thư after the person's
# A ZIP entry's time: fixed, so that the same members always give the same archive bytes.
_ZIP_TIME = (2020, 1, 1, 0, 0, 0)


@dataclass
class Signed:
    package: bytes
    manifest: dict
    filename: str


def _safe_name(name: str) -> str:
    """An attachment's name as a member name: no folders, no control or reserved characters."""
    name = unicodedata.normalize("NFC", Path(name.replace("\\", "/")).name)
    name = re.sub(r'[\x00-\x1f<>:"/\\|?*]', "_", name).strip(" .")
    return name[:120] or "tep"


def package_filename(manifest: dict) -> str:
    period = manifest["period"]
    parts = [manifest["unit"]["code"], str(period["year"]), period["type"]]
    if period.get("number"):
        parts.append(str(period["number"]))
    # the store refuses unit codes that are paths; a name made of anything else stays one plain file name
    return re.sub(r"[^A-Za-z0-9._-]", "_", "_".join(parts)).lstrip(".") + f"_v{manifest['report_version']}{EXTENSION}"


@functools.cache
def _font_1000_upem(path: Path) -> bytes:
    """The font scaled to 1000 units per em; scaling takes half a second, so the result is kept in
    the user's cache folder (keyed by the font's hash) and made again if that copy is missing."""
    source = path.read_bytes()
    cached = cache_dir() / f"stamp-font-v2-{hashlib.sha256(source).hexdigest()[:16]}.ttf"
    try:
        return cached.read_bytes()
    except OSError:
        pass
    from fontTools.ttLib import TTFont
    from fontTools.ttLib.scaleUpem import scale_upem

    font = TTFont(io.BytesIO(source))
    scale_upem(font, 1000)
    if "FFTM" in font:  # FontForge's timestamps; pyHanko's subsetter warns about it on every stamp
        del font["FFTM"]
    out = io.BytesIO()
    font.save(out)
    try:
        cached.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(cached, lambda temporary: temporary.write_bytes(out.getvalue()))
    except CchcError:
        pass  # a read-only profile: scale again next time
    return out.getvalue()


class _StampFont(GlyphAccumulatorFactory):
    """pyHanko (0.38) writes a TrueType font's glyph widths in the font's own units, where PDF
    wants thousandths of an em: with Liberation Serif (2048 units) the stamp's letters came out
    twice as far apart. The font scaled to 1000 units per em gives the widths PDF expects."""

    def create_font_engine(self, writer, obj_stream=None) -> GlyphAccumulator:
        if obj_stream is None and writer.stream_xrefs and self.create_objstream_if_needed:
            obj_stream = writer.prepare_object_stream()
        return GlyphAccumulator(writer=writer, font_handle=io.BytesIO(_font_1000_upem(Path(self.font_file))),
                                font_size=self.font_size, bcp47_lang_code="vi", obj_stream=obj_stream)


def _stamp_style(certificate) -> stamp.TextStampStyle:
    font = resources_dir() / "fonts" / "LiberationSerif-Regular.ttf"
    lines = ["Ký bởi: %(signer)s", "Thời gian ký: %(ts)s"]
    if is_self_signed(certificate):
        lines.append(f"({NOT_CA_VERIFIED})")
    return stamp.TextStampStyle(
        stamp_text="\n".join(lines),
        text_box_style=TextBoxStyle(font=_StampFont(str(font), font_size=9), font_size=9),
        timestamp_format="%d/%m/%Y %H:%M:%S",
        border_width=1,
    )


def _look_style(look) -> stamp.StaticStampStyle:
    """The signature and seal images as the signature's appearance, filling its rectangle."""
    with Image.open(io.BytesIO(look.image)) as opened:
        image = opened.convert("RGBA")
    return stamp.StaticStampStyle(
        background=PdfImage(image), border_width=0, background_opacity=1.0,
        background_layout=layout.SimpleBoxLayoutRule(
            x_align=layout.AxisAlignment.ALIGN_MID, y_align=layout.AxisAlignment.ALIGN_MID,
            margins=layout.Margins(), inner_content_scaling=layout.InnerScaling.STRETCH_FILL))


def sign_pdf(pdf: bytes, identity: Identity, box: tuple | None, reason: str, location: str, look=None,
             field: str = SIGNATURE_FIELD) -> bytes:
    """PAdES signature (incremental: an earlier one stays intact) in the new field ``field``, with
    its visible stamp at ``box`` (page index, x1, y1, x2, y2): the text stamp, or with ``look``
    (exchange.signature_look) the image where the decree puts it."""
    if look is not None:
        box = (look.box.page, look.box.left, look.box.bottom, look.box.right, look.box.top)
    page, *rect = box if box else (0, 350, 80, 560, 150)
    meta = signers.PdfSignatureMetadata(
        field_name=field, subfilter=fields.SigSeedSubFilter.PADES, md_algorithm="sha256",
        reason=reason, location=location or None, name=identity.subject,
    )
    pdf_signer = signers.PdfSigner(
        meta, signer=identity.signer,
        stamp_style=_look_style(look) if look is not None else _stamp_style(identity.certificate),
        new_field_spec=fields.SigFieldSpec(field, on_page=page, box=tuple(round(v) for v in rect)),
    )
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    return pdf_signer.sign_pdf(writer).getvalue()


def sign_detached(content: bytes, identity: Identity, signing_time: dt.datetime) -> bytes:
    """A detached CMS (PKCS#7) signature over ``content``, as DER."""
    signed = asyncio.run(identity.signer.async_sign_general_data(
        content, "sha256", detached=True,
        signed_attr_settings=PdfCMSSignedAttributes(signing_time=signing_time)))
    return signed.dump()


def usable_now(identity: Identity) -> dt.datetime:
    """Now, when ``identity``'s certificate may sign a document now (Nghị định 23/2025: checked
    before signing, not found out by the receiver after sending); else refused with the reason."""
    now = dt.datetime.now().astimezone().replace(microsecond=0)
    cert = identity.certificate
    if not cert.not_valid_before_utc <= now.astimezone(dt.timezone.utc) <= cert.not_valid_after_utc:
        raise CchcError("SIGN010", subject=identity.subject,
                        valid_from=f"{cert.not_valid_before_utc:%d/%m/%Y}", valid_to=f"{cert.not_valid_after_utc:%d/%m/%Y}")
    unusable = document_signing_problem(cert)
    if unusable:
        raise CchcError("SIGN015", subject=identity.subject, usage=unusable)
    return now


def _signer_entry(identity: Identity, roots: list, now: dt.datetime) -> dict:
    """The manifest's word on a signer: who, which certificate, and its check before signing."""
    return {"subject": identity.subject, "certificate_sha256": identity.cert_sha256,
            "self_signed": is_self_signed(identity.certificate),
            # its path to an anchor, checked offline before signing (its revocation cannot be)
            "check": signing_check(identity.certificate, identity.chain, roots, now)}


def build_package(store, catalog, report_id: int, identity: Identity) -> Signed:
    """The package of a report's current version, signed by ``identity`` now. Touches no store.
    The signing time is this machine's clock, in the manifest's signature as in the PDF's: there is
    no way to sign at another time (a receiver refuses a package whose two times disagree)."""
    now = usable_now(identity)
    cert = identity.certificate
    data = report_data(store, catalog, report_id)
    signing = load_settings(store)["signing"]  # the signature's look and the roots added
    document = export_report(store, catalog, report_id)
    document["report"]["status"] = "da_ky"
    members: dict[str, bytes] = {}
    for number, attachment in enumerate(document["attachments"], 1):
        member = f"{ATTACHMENTS}{number:03d}-{_safe_name(attachment['filename'])}"
        members[member] = base64.b64decode(attachment.pop("content"))
        attachment["file"] = member
    members[DATA] = dumps(document).encode("utf-8")
    for number, source_id in enumerate(data.form_set.kind.sources(data), 1):
        source = export_report(store, catalog, source_id)
        source["attachments"] = []  # the print shows their scores, not their evidence
        source["report"]["status"] = "nhap"  # a plain document never says signed (JSON009)
        members[f"{SOURCES}{number:03d}-{_safe_name(source['unit']['code'])}.json"] = dumps(source).encode("utf-8")
    # The workbook and the PDF each say, inside their signed bytes, which data.json they were made
    # from: a receiver refuses a package whose parts were not made together (docs/package.md).
    bound_to = hashlib.sha256(members[DATA]).hexdigest()
    members[WORKBOOK] = render_xlsx(data, bound_to)
    marks: dict = {}
    pdf = render_pdf(data, marks, bound_to, created=now)  # the manifest's time: a receiver prints the same
    report = data.report
    try:
        look = look_of(signing, marks.get("signature"), PERSON)  # the seal is the organisation's signature
        members[PDF] = sign_pdf(pdf, identity, marks.get("signature"),
                                reason=f"Báo cáo {data.period.label}, phiên bản {report.version}",
                                location=report.place or "", look=look)
    except CchcError:
        raise
    except Exception as error:  # a token pulled out mid-way, a key the library refuses
        raise CchcError("SIGN011", reason=type(error).__name__) from None
    unit = data.unit
    parent = store.units.get(unit.parent_code) if unit.parent_code else None
    manifest = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "unit": {"code": unit.code, "name": unit.name, "level": unit.level},
        "parent_unit": {"code": parent.code, "name": parent.name} if parent else None,
        "period": document["period"] | {"label": data.period.label},
        "form_set": document["form_set"],
        "report_version": report.version,
        "doc_number": report.doc_number,
        "status": STATUS_LABELS["da_ky"],
        "created_at": now.isoformat(),
        "app_version": __version__,
        "signer": _signer_entry(identity, signing["trusted_roots"], now),
        "files": [{"path": name, "size": len(content), "sha256": hashlib.sha256(content).hexdigest()}
                  for name, content in members.items()],
    }
    _, package = signed_archive(manifest, identity, now, members.items())
    return Signed(package, manifest, package_filename(manifest))


def signed_archive(document: dict, identity: Identity, now: dt.datetime, members=(),
                   names: tuple[str, str] = (MANIFEST, MANIFEST_SIGNATURE)) -> tuple[bytes, bytes]:
    """``document`` as the JSON a signed file carries, signed detached by ``identity`` at ``now``
    (SIGN011 when the key refuses), stored first in the canonical archive before ``members``:
    (the JSON's bytes, the archive's). A package's manifest, a seal's, a receipt, a form set's."""
    raw = json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8")
    try:
        signature = sign_detached(raw, identity, now)
    except Exception as error:  # a token pulled out, a key the library refuses
        raise CchcError("SIGN011", reason=type(error).__name__) from None
    return raw, archive_bytes([(names[0], raw), (names[1], signature), *members])


def archive_bytes(entries: list[tuple[str, bytes]]) -> bytes:
    """The package's ZIP in its one canonical layout: members stored uncompressed in manifest order,
    fixed times and permissions, no comments or extra fields. The same members always give the
    same bytes on any machine (no compressor version in play), so a verifier can rebuild the
    archive and catch a changed byte even where no hash reaches (a header's time, a comment).
    Storing costs little: the PDF and the workbook are compressed already."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_STORED) as archive:
        for name, content in entries:
            info = zipfile.ZipInfo(name, _ZIP_TIME)
            info.compress_type = zipfile.ZIP_STORED
            info.external_attr = (stat.S_IFREG | 0o644) << 16
            info.create_system = 3  # Unix, whatever machine writes it
            archive.writestr(info, content)
    return out.getvalue()


def sign_report(store, catalog, report_id: int, identity: Identity, out: Path) -> Signed:
    """Sign a checked report: the package is written to ``out`` (a file or a folder) and kept in
    the store with the signature; the report becomes Đã ký and refuses changes."""
    report = store.reports.get(report_id)
    if report.status != "da_kiem_tra":
        raise CchcError("FLOW003", status=STATUS_LABELS[report.status], needed=STATUS_LABELS["da_kiem_tra"])
    # checked again as it is signed: the form set may have changed (or failed to load) since
    ready_findings(store, catalog, report_id, msg("PLH013"))
    signed = build_package(store, catalog, report_id, identity)
    return _keep_and_write(store, report_id, signed, identity, out, signed.manifest["created_at"], "ca_nhan")


def _keep_and_write(store, report_id: int, signed: Signed, identity: Identity, out: Path, signed_at: str,
                    role: str) -> Signed:
    """The signed package recorded in the store and written to ``out`` (a file or a folder), or neither."""
    out = Path(out)
    if not out.exists() and out.suffix.lower() != EXTENSION:  # a folder still to be made
        try:
            out.mkdir(parents=True)
        except OSError as error:
            raise CchcError("EXPORT001", file=out, reason=os_reason(error)) from None
    target = out / signed.filename if out.is_dir() else out
    # The package file exists only if the store recorded the signature: on a full disk the store's
    # refusal ("nothing has changed") must be true of the output folder too.
    written = False
    try:
        with store.transaction():
            store.signatures.add(report_id, signed_at=signed_at, signer=identity.subject,
                                 cert_sha256=identity.cert_sha256,
                                 ca_verified=signed.manifest["signer"]["check"]["ca_verified"],
                                 package=signed.package, filename=target.name, role=role)
            write_atomically(target, lambda temporary: temporary.write_bytes(signed.package))
            written = True
    except BaseException:
        if written:
            target.unlink(missing_ok=True)
        raise
    signed.filename = str(target)
    return signed


def seal_report(store, catalog, report_id: int, identity: Identity, out: Path) -> Signed:
    """Đóng dấu: the organisation's signature (the văn thư's, with the organisation's
    certificate) added to a signed report's package (Nghị định 30/2020). The PDF gains a second
    PAdES signature in an incremental revision, the person's left intact, with the seal image
    over the left third of the signature as its appearance. The manifest names both signers,
    and the organisation signs it. The package is written anew, and the report becomes Đã đóng dấu."""
    report = store.reports.get(report_id)
    if report.status != "da_ky":
        raise CchcError("FLOW003", status=STATUS_LABELS[report.status], needed=STATUS_LABELS["da_ky"])
    person = [s for s in store.signatures.of(report_id) if s.voided_at is None and s.role == "ca_nhan"][-1]
    with zipfile.ZipFile(io.BytesIO(store.attachments.blob(person.package_sha256))) as archive:  # our own, as kept
        members = {name: archive.read(name) for name in archive.namelist()}
    manifest = json.loads(members.pop(MANIFEST))
    members.pop(MANIFEST_SIGNATURE)
    now = usable_now(identity)
    data = report_data(store, catalog, report_id)
    marks: dict = {}
    render_pdf(data, marks, created=dt.datetime.fromisoformat(manifest["created_at"]))  # where the signature is
    spot = marks.get("signature")
    signing = load_settings(store)["signing"]
    look = look_of(signing, spot, ORGANISATION) if spot else None
    box = None if look is not None or spot is None else seal_box(spot)
    try:
        members[PDF] = sign_pdf(members[PDF], identity, (box.page, box.left, box.bottom, box.right, box.top)
                                if box else None, reason=f"Đóng dấu: {data.unit.name}",
                                location=report.place or "", look=look, field=SEAL_FIELD)
    except CchcError:
        raise
    except Exception as error:  # a token pulled out mid-way, a key the library refuses
        raise CchcError("SIGN011", reason=type(error).__name__) from None
    sealed = dict(manifest, format_version=SEALED_FORMAT_VERSION, status=STATUS_LABELS["da_dong_dau"],
                  person=manifest["signer"], signer=_signer_entry(identity, signing["trusted_roots"], now),
                  sealed_at=now.isoformat())
    sealed["files"] = [{"path": entry["path"], "size": len(members[entry["path"]]),
                        "sha256": hashlib.sha256(members[entry["path"]]).hexdigest()} for entry in manifest["files"]]
    _, package = signed_archive(sealed, identity, now, [(entry["path"], members[entry["path"]])
                                                         for entry in sealed["files"]])
    signed = Signed(package, sealed, package_filename(sealed))
    return _keep_and_write(store, report_id, signed, identity, out, now.isoformat(), "co_quan")

"""The demo database: the seed reports as printed, from ``resources/demo/``.

``units.yaml`` holds the real hierarchy of every seed unit (province → district
→ communes). Each other ``*.yaml`` is the transcript of one seed report, written
the way the annex is printed: a row is a list of its cells in column order
(``[5.697, 323, 5.374, …]``, blanks as ``null``, numbers as printed, "-" and
"Có" as printed). A transcript becomes an interchange document (docs/interchange.md)
and goes through the same import as any other, so the demo is checked like real
data. Mistakes in the seeds are kept; names and contacts are placeholders.
Loading is idempotent: a report already present is left alone.
"""

from __future__ import annotations

import datetime as dt
import functools
from decimal import Decimal
from pathlib import Path

from desktop import __version__
from desktop.exchange.interchange import FORMAT, FORMAT_VERSION, import_report
from desktop.foundation.directory import load_directory
from desktop.foundation.messages import CchcError
from desktop.schema.outline import section
from desktop.kinds.par.criteria import criteria_of
from desktop.kinds.par.scoring import enter
from desktop.kinds.par.sheet import APPLIES, INDEX, OFFICE, RATING, REASON, SCORE, TOTAL_ROW
from desktop.foundation.paths import resources_dir
from desktop.foundation.periods import Period
from desktop.report.ops import create_report, enter_cells, form_note_key
from desktop.schema.layout import UnitRef, resolve
from desktop.schema.loader import Catalog
from desktop.schema.reading import Problem, read_yaml
from desktop.store.db import Store
from desktop.foundation.values import format_number, from_json, parse_input, to_json

UNITS_FILE = "units.yaml"


def demo_dir() -> Path:
    return resources_dir() / "demo"


def demo_files() -> list[Path]:
    return sorted(p for p in demo_dir().glob("*.yaml") if p.name != UNITS_FILE)


def _read(path: Path) -> dict:
    problems: list[Problem] = []
    data = read_yaml(path, path.name, problems)
    if problems or not isinstance(data, dict):
        reason = problems[0].text if problems else "không phải một bảng YAML"
        raise CchcError("DEMO001", file=path.name, reason=reason)
    return data


def unit_tree(directory: Path | None = None) -> dict[str, dict]:
    """Every demo unit by code: code, name, level, parent code, position among siblings."""
    units: dict[str, dict] = {}

    def visit(entries, parent: str | None, child_level: str) -> None:
        for position, entry in enumerate(entries or []):
            level = entry.get("level", child_level)
            units[entry["code"]] = {"code": entry["code"], "name": entry["name"], "level": level,
                                    "parent": parent, "position": position}
            visit(entry.get("children"), entry["code"], {"tinh": "huyen", "huyen": "xa"}.get(level, "xa"))

    path = (directory or demo_dir()) / UNITS_FILE
    try:
        visit(_read(path).get("units"), None, "tinh")
    except (KeyError, TypeError, AttributeError) as error:
        raise CchcError("DEMO001", file=path.name, reason=f"{type(error).__name__}: {error}") from None
    return units


def _typed(value, ctype, file: str, form: str, row: str, column: str):
    if value is None:
        return None
    try:
        typed = parse_input(value, ctype) if isinstance(value, str) else from_json(value, ctype)
    except CchcError as error:
        raise CchcError("JSON005", file=file, form=form, row=row, column=column, reason=str(error)) from None
    return to_json(typed, ctype)


def transcript_document(transcript: dict, units: dict[str, dict], catalog: Catalog, file: str) -> dict:
    """The interchange document of one transcript: positional rows become cells by column id."""
    try:
        return _document(transcript, units, catalog, file)
    except (KeyError, TypeError, AttributeError, ValueError) as error:
        raise CchcError("DEMO001", file=file, reason=f"{type(error).__name__}: {error}") from None


def _document(transcript: dict, units: dict[str, dict], catalog: Catalog, file: str) -> dict:
    unit = units[transcript["unit"]]
    parent = units.get(unit["parent"]) if unit["parent"] else None
    children = sorted((u for u in units.values() if u["parent"] == unit["code"]), key=lambda u: u["position"])
    set_info = transcript["form_set"]
    form_set = catalog.get(set_info["id"], set_info["version"])
    if form_set is None:
        raise CchcError("JSON004", file=file, form_set=set_info["id"], version=set_info["version"])
    refs = [UnitRef(u["code"], u["name"], u["level"]) for u in children]
    forms = {}
    for code, rows in (transcript.get("forms") or {}).items():
        form = form_set.forms[code]
        label_column = form.label_column
        data_columns = [c for c in form.data_columns if c.ctype.kind != "computed"]
        sections = {}
        entries = []
        for row_key, values in rows.items():
            if isinstance(values, list) and values and all(isinstance(v, list) for v in values):
                # a repeating section: each entry is [label, cells…]
                ids = [f"{row_key}-{n}" for n in range(1, len(values) + 1)]
                sections[row_key] = ids
                entries.extend((row_id, [label_column] + data_columns, v) for row_id, v in zip(ids, values))
            else:
                entries.append((str(row_key), data_columns, values))
        layout = resolve(form, form_set, refs, sections)
        cells: dict[str, dict] = {}
        for row_id, columns, values in entries:
            if isinstance(values, dict):
                pairs = [(form.by_number[k] if isinstance(k, int) else form.by_id[k], v) for k, v in values.items()]
            else:
                if len(values) > len(columns):
                    raise CchcError("JSON005", file=file, form=form.printed_code, row=row_id, column="",
                                    reason=f"{len(values)} ô cho {len(columns)} cột.")
                pairs = list(zip(columns, values))
            row_cells = {}
            for column, value in pairs:
                typed = _typed(value, layout.cell_type(row_id, column), file, form.printed_code, row_id, column.id)
                if typed is not None:
                    row_cells[column.id] = typed
            if row_cells:
                cells[row_id] = row_cells
        forms[code] = {"rows": sections, "cells": cells}
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "app_version": __version__,
        "unit": {"code": unit["code"], "name": unit["name"], "level": unit["level"],
                 **({"parent": {"code": parent["code"], "name": parent["name"], "level": parent["level"]}}
                    if parent else {})},
        "child_units": [{"code": u["code"], "name": u["name"], "level": u["level"]} for u in children],
        "period": {"type": transcript["period"]["type"], "year": transcript["period"]["year"],
                   "number": transcript["period"].get("number"), "year_from": transcript["period"].get("year_from")},
        "form_set": {"id": set_info["id"], "version": set_info["version"]},
        "report": transcript.get("report") or {},
        "forms": forms,
        "attachments": [],
    }


def load_demo(store, catalog: Catalog) -> list[int]:
    """Add the demo units and import every demo report not yet in the store; the ids of the new ones."""
    units = unit_tree()
    known = {u.code for u in store.units.all()}
    for unit in units.values():  # parents come before their children in the tree
        if unit["code"] not in known:
            store.units.add(unit["code"], unit["name"], unit["level"], unit["parent"], unit["position"])
    created = import_transcripts(store, catalog, demo_files(), units)
    for path in sorted((demo_dir() / SCORING_DIR).glob("*.yaml")):
        created.extend(load_scoring_sheets(store, catalog, _read(path), path.name))
    created += load_merged_example(store, catalog)
    # added after the others, so that the demo's earlier reports keep their numbers
    created += import_transcripts(store, catalog, sorted((demo_dir() / PROVINCE_DIR).glob("*.yaml")), units)
    for path in sorted((demo_dir() / NARRATIVE_DIR).glob("*.yaml")):  # bodies: once their reports exist
        load_narrative(store, catalog, _read(path), path.name)
    return created


PROVINCE_DIR = "cap-tinh"  # seed 004: a province's own report


def import_transcripts(store, catalog: Catalog, paths, units: dict) -> list[int]:
    """Each annex transcript as a report, through the import's checks; one already loaded is left."""
    created = []
    for path in paths:
        document = transcript_document(_read(path), units, catalog, path.name)
        try:
            created.append(import_report(store, catalog, document, path.name))
        except CchcError as error:
            if error.code != "STORE012":  # already loaded
                raise
    return created


# --- today's two tiers: the first report of a merged commune (illustrative figures) --------------

MERGED_DIR = "minh-hoa-2025"
MERGED_UNIT = "22732.2025"  # Xã Đông Khánh Sơn = Xã Sơn Trung + Xã Ba Cụm Bắc + Xã Ba Cụm Nam, from 2025-07-01


def load_merged_example(store, catalog: Catalog) -> list[int]:
    """Xã Đông Khánh Sơn's Quý III/2025 Biểu 06, carried over from its three old communes' Quý II
    reports. The figures are made up and say so (SỐ LIỆU MINH HỌA in the files, "số liệu minh họa"
    in each report's subject): the seeds end in 2021."""
    created = import_transcripts(store, catalog, sorted((demo_dir() / MERGED_DIR).glob("*.yaml")), unit_tree())
    directory = load_directory()
    commune = directory.get(MERGED_UNIT)
    province = directory.get(commune.parent)
    known = {u.code for u in store.units.all()}
    for unit in (province, commune):
        if unit.id not in known:
            store.units.add(unit.id, unit.name, unit.level, unit.parent, 0)
    period = Period("quy", 2025, 3)
    if store.reports.find(MERGED_UNIT, period, "toanquoc-06") is None:
        report, _ = create_report(store, catalog, MERGED_UNIT, period, "toanquoc-06", 1, place="Đông Khánh Sơn",
                                  subject="Kết quả giải quyết thủ tục hành chính quý III năm 2025 (số liệu minh họa)",
                                  signer_name="[Họ và tên người ký]", signer_title="CHỦ TỊCH", signer_mode="TM")
        # the quarter's own figures, typed as the clerk would after the carry-over filled "Từ kỳ trước"
        typed = _read(demo_dir() / MERGED_DIR / "xa-moi" / "22732-quy3-2025.yaml")
        for form, rows in typed.items():
            enter_cells(store, catalog, report, str(form), [(row, column, str(value)) for row, values in rows.items()
                                                            for column, value in values.items()])
        created.append(report)
    return created


# --- report bodies (narrative) ----------------------------------------------------------

NARRATIVE_DIR = "noi-dung"


def load_narrative(store, catalog: Catalog, transcript: dict, file: str) -> None:
    """A report body transcript (see resources/demo/noi-dung/): its sections go into the report
    of that unit, period and form set, unless that report already has a body."""
    try:
        given = transcript["period"]
        period = Period(given["type"], given["year"], given.get("number"), given.get("year_from"))
        report_id = store.reports.find(transcript["unit"], period, transcript["form_set"])
        if report_id is None:
            raise ValueError("không có báo cáo nào của đơn vị, kỳ và bộ biểu mẫu này")
        if store.narrative.of(report_id):
            return
        form_set = catalog.form_set_of(store.reports.get(report_id))
        for key, text in transcript["sections"].items():
            if section(str(key), form_set) is None:
                raise ValueError(f"mục “{key}” không có trong dàn ý")
            store.narrative.set(report_id, str(key), text)
        for code, text in (transcript.get("notes") or {}).items():  # notes printed under a form's table
            if str(code) not in form_set.forms:
                raise ValueError(f"không có biểu “{code}”")
            store.narrative.set(report_id, form_note_key(str(code)), text)
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        raise CchcError("DEMO001", file=file, reason=f"{type(error).__name__}: {error}") from None


# --- PAR-index scoring sheets (seed 002) ------------------------------------------------

SCORING_DIR = "chi-so"


def _points_text(value) -> str:
    """A transcribed number as a clerk would type it (19,49), so it goes through the same input checks."""
    return format_number(Decimal(str(value)))


def load_scoring_sheets(store, catalog: Catalog, transcript: dict, file: str) -> list[int]:
    """Each sheet of a scoring transcript (see resources/demo/chi-so/), entered through the same
    checks as typing; sheets already in the store are left alone."""
    created = []
    try:
        year = int(transcript["year"])
        for sheet in transcript["sheets"]:
            info = sheet["criteria_set"]
            form_set = catalog.get(info["id"], info["version"])
            criteria = criteria_of(form_set)
            if criteria is None:
                raise CchcError("JSON004", file=file, form_set=info["id"], version=info["version"])
            if store.reports.find(sheet["unit"], Period("nam", year), info["id"]) is not None:
                continue
            entries = []
            for code, points in (sheet.get("areas") or {}).items():
                entries.append((str(code), SCORE, _points_text(points)))
            lost = {str(k): v for k, v in (sheet.get("lost") or {}).items()}
            for code, reason in (sheet.get("not_applicable") or {}).items():
                entries += [(str(code), APPLIES, "Không"), (str(code), REASON, reason)]
            for node in criteria.walk():
                if node.code in lost:
                    points, reason, office = lost[node.code]
                    entries += [(node.code, SCORE, _points_text(points)), (node.code, REASON, reason),
                                (node.code, OFFICE, office)]
                elif sheet.get("full_marks") and node.is_leaf:
                    entries.append((node.code, SCORE, _points_text(node.maximum)))
            printed = sheet.get("printed") or {}
            for column, key in ((SCORE, "total"), (INDEX, "index")):
                if printed.get(key) is not None:
                    entries.append((TOTAL_ROW, column, _points_text(printed[key])))
            if printed.get("rating"):
                entries.append((TOTAL_ROW, RATING, printed["rating"]))
            report_id = store.reports.create(
                sheet["unit"], Period("nam", year), info["id"], info["version"],
                subject=f"Kết quả tự đánh giá, chấm điểm Chỉ số cải cách hành chính năm {year}",
                place=transcript.get("place", ""), signer_title=(sheet.get("signer") or {}).get("title", "CHỦ TỊCH"),
                signer_mode=(sheet.get("signer") or {}).get("mode", "TM"), signer_name="[Họ và tên người ký]",
                recipients="\n".join(sheet["recipients"]) if sheet.get("recipients") else None)
            enter(store, criteria, report_id, entries)
            created.append(report_id)
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        raise CchcError("DEMO001", file=file, reason=f"{type(error).__name__}: {error}") from None
    return created


# --- the communes' signed packages (for consolidation at the district) ----------------------

COMMUNE_SOURCE = "khanhhoa-khanhson-2019.yaml"  # seed 000: Phụ lục VI prints one row per commune
COMMUNE_FORM_SET = {"id": "khanhhoa-xa", "version": 1}
DEMO_PASSPHRASE = "demo-khong-dung-that"  # the demo's own certificates; never a real unit's
# What a demo commune signs with: a generic name (no real person's), a number and today's date.
# The transcripts keep the seeds' placeholders; nothing with a placeholder is signed.
DEMO_SIGNER = "Nguyễn Văn A"
DEMO_DOC_NUMBER = "01/BC-UBND"
# The demo communes sign when the packages are made (a package's signing time is the machine's
# clock): received today for 2019 and 2021, they show as "Nộp trễ hạn", judged on receipt.


def commune_transcripts() -> list[dict]:
    """Each Khánh Sơn commune's own report (khanhhoa-xa): its row of the district's Phụ lục VI
    as seed 000 prints it, which is what the commune sent up."""
    district = _read(demo_dir() / COMMUNE_SOURCE)
    transcripts = []
    for row_id, values in district["forms"]["PL6"].items():
        if not str(row_id).startswith("unit:"):
            continue
        transcripts.append({
            "unit": row_id.removeprefix("unit:"),
            "period": district["period"],
            "form_set": COMMUNE_FORM_SET,
            "report": {"status": "nhap", "place": district["report"]["place"], "version": 1,
                       "signer_name": "[Họ và tên người ký]", "signer_title": "CHỦ TỊCH", "signer_mode": "TM",
                       "subject": "Kết quả giải quyết hồ sơ thủ tục hành chính năm 2019"},
            "forms": {"KQ": {"tong": values}},
        })
    return transcripts


@functools.cache
def _demo_person() -> bytes:
    """The demo's signer (the generic name the demo signs with), one key per run."""
    from desktop.submission.identity import create_self_signed

    return create_self_signed("demo", DEMO_SIGNER, DEMO_PASSPHRASE)


def _sign_as_commune(catalog: Catalog, unit: dict, fill, folder: Path, seal: bool = False) -> Path | str:
    """One demo commune on its own machine: a scratch store that ``fill(store)`` gives its report
    (returning its id), checked and signed with a certificate of the commune's own making into
    ``folder``; with ``seal``, signed by its chair and then sealed with the commune's certificate
    (Nghị định 30/2020's two signatures). Returns the package, or why the commune could not
    sign (a report with errors cannot pass "Đã kiểm tra")."""
    # Signing loads pyHanko and its cryptography stack: only when packages are made.
    from cryptography.hazmat.primitives.serialization import Encoding

    from desktop.submission.identity import create_self_signed, load_p12
    from desktop.submission.package import seal_report, sign_report
    from desktop.submission.workflow import mark_checked

    with Store.open(":memory:", daily_backup=False, user="demo") as store:
        report_id = fill(store)
        store.reports.update(report_id, signer_name=DEMO_SIGNER, doc_number=DEMO_DOC_NUMBER,
                             doc_date=dt.date.today().isoformat())
        try:
            mark_checked(store, catalog, report_id, acknowledge_warnings=True)
        except CchcError as error:
            return str(error)
        with load_p12(create_self_signed(unit["code"], unit["name"], DEMO_PASSPHRASE), DEMO_PASSPHRASE) as identity:
            if seal:
                with load_p12(_demo_person(), DEMO_PASSPHRASE) as person:
                    sign_report(store, catalog, report_id, person, folder)
                package = Path(seal_report(store, catalog, report_id, identity, folder).filename)
            else:
                package = Path(sign_report(store, catalog, report_id, identity, folder).filename)
            # what the commune hands the district with its first package: its certificate, no key
            certificates = folder / CERTIFICATES_FOLDER
            certificates.mkdir(exist_ok=True)
            (certificates / f"{unit['code']}.cer").write_bytes(identity.certificate.public_bytes(Encoding.PEM))
            return package


def enrol_demo_certificates(store, folder: Path) -> list[str]:
    """The receiving clerk's side of the demo: register the certificates the demo communes handed
    over (``folder``'s chung-thu/, and that of its chi-so/), each for the unit its file is named
    after, when the store has that unit. Returns the units enrolled."""
    # the register reads certificates with the signing stack: not loaded with the demo (no circle)
    from desktop.submission.register import enrol, read_certificate_file

    known, enrolled = {u.code for u in store.units.all()}, []
    for path in sorted(folder.glob(f"**/{CERTIFICATES_FOLDER}/*.cer")):
        if path.stem in known:
            enrol(store, path.stem, read_certificate_file(path))
            enrolled.append(path.stem)
    return enrolled


def _sign_all(catalog: Catalog, folder: Path, communes, seal: bool = False) -> tuple[list[Path], dict[str, str]]:
    """``communes``: (unit, fill) pairs. Returns the packages written and, by unit code, why a
    commune could not sign."""
    folder.mkdir(parents=True, exist_ok=True)
    written, refused = [], {}
    for unit, fill in communes:
        outcome = _sign_as_commune(catalog, unit, fill, folder, seal)
        if isinstance(outcome, Path):
            written.append(outcome)
        else:
            refused[unit["code"]] = outcome
    return written, refused


def write_commune_packages(catalog: Catalog, folder: Path) -> tuple[list[Path], dict[str, str]]:
    """Each demo commune's report, checked, signed by its chair and sealed with the commune's
    certificate, as a package in ``folder``. Two rows of seed 000's Phụ lục VI do not add up (Ba
    Cụm Nam, Sơn Bình): those two communes have not submitted."""
    units = unit_tree()

    def communes():
        for transcript in commune_transcripts():
            document = transcript_document(transcript, units, catalog, COMMUNE_SOURCE)
            yield units[transcript["unit"]], lambda store, document=document: import_report(
                store, catalog, document, COMMUNE_SOURCE)

    return _sign_all(catalog, folder, communes(), seal=True)


SHEETS_FOLDER = "chi-so"
CERTIFICATES_FOLDER = "chung-thu"  # beside the packages: each demo commune's certificate (.cer, no key)  # beside the annex packages: a district consolidates each kind into its own report


def write_commune_sheet_packages(catalog: Catalog, folder: Path) -> tuple[list[Path], dict[str, str]]:
    """Each Kon Rẫy commune's PAR self-assessment (seed 002), checked and signed like its annexes
    would be, as a package in ``folder``: what the district receives, appraises and ranks.
    A sheet that contradicts itself cannot be checked, so its commune has not submitted
    (Đắk Ruồng: its printed total and index do not follow from its areas)."""
    units = unit_tree()

    def communes():
        for path in sorted((demo_dir() / SCORING_DIR).glob("*.yaml")):
            transcript = _read(path)
            for sheet in transcript["sheets"]:
                unit = units.get(sheet["unit"])
                if unit is None or unit["level"] != "xa":
                    continue

                def fill(store, unit=unit, one={**transcript, "sheets": [sheet]}, name=path.name):
                    for code in (unit["parent"], unit["code"]):
                        known = units[code]
                        store.units.add(known["code"], known["name"], known["level"], known["parent"],
                                       known["position"])
                    return load_scoring_sheets(store, catalog, one, name)[0]

                yield unit, fill

    return _sign_all(catalog, folder, communes())

"""What the report's first pages say around its annexes (Nghị định 30/2020/NĐ-CP).

The issuing body and its parent, "Số: …", place and date, the subject, the
"Nơi nhận" list and the signature block, from the report, its unit and the
settings (key ``document``: ``parent_body``, ``recipients``), with defaults a
commune or district office would write itself.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from desktop.exchange import body as bd
from desktop.foundation.directory import short_name
from desktop.exchange.annex import Annex, issuing_body, short_unit_name
from desktop.report.data import ReportData

COMMITTEE = "ỦY BAN NHÂN DÂN"
CHAIR = "CHỦ TỊCH"
# How the signer signs (Nghị định 30/2020, Phụ lục I, mục I.8): the lines above the name, as
# (lines above the title, the title when the report gives none). An Ủy ban nhân dân is a collective
# body: its chair and a deputy sign on its behalf ("TM."); a deputy signs for the chair within it
# ("KT.", as seed 002 prints); an acting chair is "Q."; "TL." and "TUQ." sign by the chair's order
# or authority, without "TM.".
SIGNER_MODES = {
    "TM": ([f"TM. {COMMITTEE}"], CHAIR),
    "KT": ([f"TM. {COMMITTEE}", f"KT. {CHAIR}"], f"PHÓ {CHAIR}"),
    "Q": ([f"TM. {COMMITTEE}"], f"Q. {CHAIR}"),
    "TL": ([f"TL. {CHAIR}"], "CHÁNH VĂN PHÒNG"),
    "TUQ": ([f"TUQ. {CHAIR}"], "TRƯỞNG PHÒNG NỘI VỤ"),
}


def signer_lines(mode: str | None, title: str | None) -> list[str]:
    """The lines above the signer's name; an unknown mode prints the title alone."""
    above, default_title = SIGNER_MODES.get((mode or "TM").upper(), ([], CHAIR))
    title = (title or default_title).upper()
    if mode and mode.upper() == "Q" and not title.startswith("Q. "):
        title = f"Q. {title}"  # the acting chair's title says so
    return [*above, title]


NATION = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"  # Quốc hiệu
MOTTO = "Độc lập - Tự do - Hạnh phúc"  # tiêu ngữ


@dataclass
class ReportHead:
    parent_body: str
    issuer_lines: list[str]
    number: str
    place_date: str
    subject: str
    period_label: str
    signer_lines: list[str]
    signer_name: str
    recipients: list[str] = field(default_factory=list)
    issuer: str = ""


def written_date(place: str, date: dt.date | None) -> str:
    """"Kế Sách, ngày 05 tháng 01 năm 2020": a leading zero for days below 10 and months 1 and 2."""
    if date is None:
        return f"{place}, ngày … tháng … năm …" if place else "…, ngày … tháng … năm …"
    month = f"{date.month:02d}" if date.month <= 2 else str(date.month)
    return f"{place or '…'}, ngày {date.day:02d} tháng {month} năm {date.year}"


def issuer_lines(name: str) -> list[str]:
    """"Ủy ban nhân dân huyện Kế Sách" -> ["ỦY BAN NHÂN DÂN", "HUYỆN KẾ SÁCH"], as the seal reads."""
    upper = name.upper()
    for prefix in ("ỦY BAN NHÂN DÂN", "UỶ BAN NHÂN DÂN"):
        if upper.startswith(prefix + " "):
            return ["ỦY BAN NHÂN DÂN", upper[len(prefix) + 1:]]
    return [upper]


def default_recipients(data: ReportData) -> list[str]:
    parent_code = data.unit.parent_code
    lines = []
    if parent_code:
        parent = data.store.units.get(parent_code)
        area = short_unit_name(parent.name)
        if parent.level == "tinh":
            lines.append(f"Sở Nội vụ {area} (b/c)")
        elif parent.level == "huyen":
            lines.append(f"Phòng Nội vụ {area} (b/c)")
        else:
            lines.append(f"{parent.name} (b/c)")
    return lines + ["Lưu: VT"]


def report_head(data: ReportData) -> ReportHead:
    report = data.report
    settings = data.store.settings.get("document", {}) or {}
    try:
        date = dt.date.fromisoformat(report.doc_date) if report.doc_date else None
    except ValueError:
        date = None
    recipients = settings.get("recipients") if isinstance(settings.get("recipients"), list) else None
    if report.recipients:  # the report's own list comes first (Tệp › Thông tin văn bản)
        recipients = report.recipients.splitlines()
    label = data.period.label
    return ReportHead(
        parent_body=str(settings.get("parent_body") or "").upper(),
        issuer_lines=issuer_lines(issuing_body(data.unit.name)),
        number=f"Số: {report.doc_number or '…/BC-UBND'}",
        # never "…, ngày": the report's place, else the setting's, else the unit's name without its kind word
        place_date=written_date(report.place or settings.get("place") or short_name(short_unit_name(data.unit.name)),
                                date),
        subject=report.subject or f"Tình hình, kết quả thực hiện công tác cải cách hành chính {label}",
        period_label=label,
        signer_lines=signer_lines(report.signer_mode, report.signer_title),
        signer_name=report.signer_name or "",
        recipients=[str(r) for r in recipients] if recipients else default_recipients(data),
        issuer=issuing_body(data.unit.name),
    )


def document_parts(data: ReportData) -> tuple[ReportHead, list[Annex], list[bd.Block]]:
    """What the report's PDF and Word files hold: the head, the annexes and the body blocks,
    as the report's kind says (``schema.kinds.ReportKind.document``)."""
    head = report_head(data)
    document = data.form_set.kind.document(data)
    if document.subject:
        head.subject = document.subject
    return head, document.annexes, document.blocks


def part_blocks(data: ReportData) -> list[bd.Block]:
    """The blocks every part of the catalog adds to a document (the narrative body)."""
    blocks: list[bd.Block] = []
    for part in data.catalog.parts:
        blocks += part.blocks(data)
    return blocks

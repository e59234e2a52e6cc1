"""The "Báo cáo đánh giá, phân tích và làm rõ nguyên nhân, trách nhiệm …" of seed 002, generated.

From a unit's scoring sheet and those of its child units for the same year:
I. the unit's points per area, and each criterion that lost points with its reason and
responsible office; II. each child unit's points per area, index and rating, with a
summary table ranking them; III. the tasks per area that lost points (the text typed for
it, or the criteria to recover and the offices in charge); IV. what the clerk typed under
"Tổ chức thực hiện". The sheet's own notes are narrative sections ``nv.<area>`` and
``to_chuc`` of the scoring report.
"""

from __future__ import annotations

from dataclasses import dataclass

from desktop.exchange.body import NOTE, Block, Paragraph, Run, Table, para, text_blocks
from desktop.foundation.messages import CchcError
from desktop.kinds.par.criteria import criteria_of
from desktop.kinds.par.scoring import Scorecard, score_report
from desktop.foundation.values import format_points
from desktop.store.records import Report, Unit

TASKS_PREFIX = "nv."  # narrative key of an area's "Nhiệm vụ cần thực hiện"
ORGANISATION = "to_chuc"  # narrative key of part IV
LEVEL_WORDS = {"tinh": "tỉnh", "huyen": "huyện", "xa": "xã"}


@dataclass
class UnitScore:
    unit: Unit
    report: Report
    card: Scorecard


def committee(name: str) -> str:
    """"Ủy ban nhân dân huyện Kon Rẫy" -> "UBND huyện Kon Rẫy"; "Xã Đắk Kôi" -> "UBND xã Đắk Kôi"."""
    for prefix in ("Ủy ban nhân dân ", "Uỷ ban nhân dân "):
        if name.startswith(prefix):
            return "UBND " + name[len(prefix):]
    return "UBND " + name[:1].lower() + name[1:]


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:] if text[:2] != text[:2].upper() else text


def _sentence_end(text: str) -> str:
    text = text.strip()
    return text if text.endswith((".", "!", "?", ")")) else text + "."


def sheets(store, catalog, report_id: int) -> tuple[UnitScore, list[UnitScore]]:
    """The sheet ``report_id`` and its child units' sheets of the same year, in the units' order."""
    def scored(report: Report) -> UnitScore | None:
        criteria = criteria_of(catalog.form_set_of(report))
        if criteria is None:
            return None
        return UnitScore(store.units.get(report.unit_code), report, score_report(store, criteria, report.id))

    own = scored(store.reports.get(report_id))
    if own is None:
        raise CchcError("PAR018", report=report_id)
    children = []
    by_unit = {}
    units = store.units.children(own.unit.code)
    for report in store.reports.all(units=[u.code for u in units]):  # the children's, not the whole table
        if report.year == own.report.year and report.period_type == "nam":
            by_unit.setdefault(report.unit_code, []).append(report)
    for child in units:
        for report in by_unit.get(child.code, []):
            found = scored(report)
            if found is not None:
                children.append(found)
                break
    return own, children


def subject(own: UnitScore) -> str:
    level = LEVEL_WORDS.get(own.unit.level, "đơn vị")
    return (f"Đánh giá, phân tích và làm rõ nguyên nhân, trách nhiệm của các cơ quan, đơn vị làm ảnh hưởng "
            f"đến Chỉ số cải cách hành chính năm {own.report.year} của {level}; nhiệm vụ, giải pháp chủ yếu "
            f"cần thực hiện")


def _lost_lines(own: UnitScore, who: str) -> list[Block]:
    blocks: list[Block] = []
    for number, area in enumerate(own.card.areas, 1):
        title = area.criterion.title
        if not area.applicable:
            blocks.append(para(f"{number}. {title}: không áp dụng đối với đơn vị."))
            continue
        lost = area.lost_leaves()
        if not lost or lost == [area]:
            tail = "." if not lost else "; bị mất điểm, nguyên nhân: " + _sentence_end(area.reason or "(chưa ghi)")
            blocks.append(para(f"{number}. {title}: {who} đạt được {format_points(area.achieved)}/{format_points(area.maximum)} "
                               f"điểm{tail}"))
            if lost and area.office:
                blocks.append(para(f"* Trách nhiệm thuộc về: {area.office}", italic=True))
            continue
        blocks.append(para(f"{number}. {title}: {who} đạt {format_points(area.achieved)}/{format_points(area.maximum)} điểm; "
                           f"tiêu chí, tiêu chí thành phần bị mất điểm, cụ thể:"))
        for node in lost:
            c = node.criterion
            reason = _sentence_end(node.reason) if node.reason.strip() else "(chưa ghi nguyên nhân)."
            blocks.append(para(f"- {c.level_name} {c.code} về {_lower_first(c.title)}: {who} đạt "
                               f"{format_points(node.achieved)}/{format_points(node.maximum)} điểm, nguyên nhân: {reason}"))
            office = node.office.strip() or "(chưa ghi)"
            blocks.append(para(f"* Trách nhiệm thuộc về: {office}", italic=True))
    return blocks


def _child_lines(children: list[UnitScore]) -> list[Block]:
    blocks: list[Block] = []
    for number, child in enumerate(children, 1):
        card = child.card
        blocks.append(Paragraph([
            Run(f"{number}. Đối với {committee(child.unit.name)}: Tổng số điểm các tiêu chí, tiêu chí thành phần "
                f"đạt được là "),
            Run(f"{format_points(card.achieved)}/{format_points(card.maximum)} điểm", bold=True),
            Run(f" (Chỉ số cải cách hành chính của đơn vị: {format_points(card.index, 2)} điểm), xếp loại "
                f"{card.rating}, cụ thể:"),
        ]))
        for area in card.areas:
            if area.applicable:
                blocks.append(para(f"- Tiêu chí về {_lower_first(area.criterion.title)} đạt "
                                   f"{format_points(area.achieved)}/{format_points(area.maximum)} điểm."))
        errors = [f.message for f in card.findings if f.severity == "error"]
        if errors:
            # for the clerk who checks the sheet: on screen, never in the official analysis (issue 18 §2)
            blocks.append(para("* Lưu ý khi kiểm tra bảng chấm điểm: " + " ".join(errors), NOTE, italic=True))
    return blocks


def summary_table(children: list[UnitScore]) -> Table:
    """One row per child unit: points, maximum, index, rating and rank by index."""
    ordered = sorted((c for c in children if c.card.index is not None), key=lambda c: -c.card.index)
    rank: dict[str, int] = {}
    for position, child in enumerate(ordered, 1):
        before = ordered[position - 2] if position > 1 else None
        tied = before is not None and before.card.index == child.card.index
        rank[child.unit.code] = rank[before.unit.code] if tied else position
    rows = []
    for number, child in enumerate(children, 1):
        card = child.card
        rows.append([str(number), child.unit.name, format_points(card.achieved), format_points(card.maximum),
                     format_points(card.index, 2), card.rating, str(rank.get(child.unit.code, ""))])
    return Table(["STT", "Đơn vị", "Điểm đạt", "Điểm tối đa", "Chỉ số CCHC", "Xếp loại", "Thứ hạng"], rows,
                 [0.8, 3.2, 1.1, 1.1, 1.1, 1.1, 1.0],
                 ["centre", "left", "right", "right", "right", "centre", "centre"])


def _tasks(own: UnitScore, notes: dict[str, str]) -> list[Block]:
    blocks: list[Block] = []
    number = 0
    for area in own.card.areas:
        typed = notes.get(TASKS_PREFIX + area.code, "").strip()
        lost = area.lost_leaves() if area.applicable else []
        if not typed and not lost:
            continue
        number += 1
        blocks.append(para(f"{number}. Đối với {_lower_first(area.criterion.title)}:"))
        if typed:
            blocks += text_blocks(typed)
            continue
        codes = ", ".join(n.code for n in lost)
        blocks.append(para(f"- Nhiệm vụ cần thực hiện: khắc phục các tồn tại làm mất điểm ở tiêu chí {codes}, "
                           f"bảo đảm đạt điểm tối đa trong năm {own.report.year + 1}."))
        offices = []
        for node in lost:
            if node.office.strip() and node.office.strip().rstrip(".") not in offices:
                offices.append(node.office.strip().rstrip("."))
        if offices:
            blocks.append(para(f"- Cơ quan chủ trì, tham mưu: {'; '.join(offices)}.", italic=True))
    return blocks


def analysis_body(store, catalog, report_id: int) -> tuple[str, list[Block]]:
    """The subject line and the body blocks of the analysis report of sheet ``report_id``."""
    own, children = sheets(store, catalog, report_id)
    year = own.report.year
    level = LEVEL_WORDS.get(own.unit.level, "đơn vị")
    who = f"UBND {level}"
    notes = store.narrative.of(report_id)
    bases = [own.card.criteria.basis] + [c.card.criteria.basis for c in children]
    blocks: list[Block] = []
    for basis in dict.fromkeys(b for b in bases if b):
        blocks.append(para(f"Căn cứ {basis};"))
    members = "các xã, thị trấn" if own.unit.level == "huyen" else "các đơn vị trực thuộc"
    scope = f"của {level} và {members}" if children else f"của {level}"
    blocks.append(para(f"Trên cơ sở kết quả đánh giá, chấm điểm và xếp loại công tác cải cách hành chính năm {year} "
                       f"{scope}; {committee(own.unit.name)} báo cáo đánh giá, phân tích và làm rõ nguyên nhân, "
                       f"trách nhiệm của các cơ quan, đơn vị làm ảnh hưởng đến Chỉ số cải cách hành chính năm {year} "
                       f"của {level}; đồng thời đề ra những nhiệm vụ, giải pháp cần thực hiện, cụ thể như sau:"))
    part = iter(("I", "II", "III", "IV", "V"))
    blocks.append(para(f"{next(part)}. ĐÁNH GIÁ, PHÂN TÍCH VÀ LÀM RÕ NGUYÊN NHÂN, TRÁCH NHIỆM CỦA CÁC CƠ QUAN, ĐƠN VỊ "
                       f"LÀM ẢNH HƯỞNG ĐẾN CHỈ SỐ CẢI CÁCH HÀNH CHÍNH CỦA {level.upper()} NĂM {year}", "heading"))
    card = own.card
    blocks.append(Paragraph([
        Run(f"Tổng số điểm các tiêu chí, tiêu chí thành phần {who} đạt được là "),
        Run(f"{format_points(card.achieved)}/{format_points(card.maximum)} điểm", bold=True),
        Run(f" (Chỉ số cải cách hành chính của {level}: {format_points(card.index, 2)} điểm), xếp loại {card.rating}. "
            f"Kết quả chấm điểm các tiêu chí, tiêu chí thành phần cụ thể như sau:"),
    ]))
    blocks += _lost_lines(own, who)
    if children:
        blocks.append(para(f"{next(part)}. KẾT QUẢ ĐÁNH GIÁ, XẾP LOẠI CÔNG TÁC CẢI CÁCH HÀNH CHÍNH NĂM {year} CỦA "
                           f"{('UBND ' + members) if own.unit.level == 'huyen' else members}".upper(), "heading"))
        blocks += _child_lines(children)
        blocks.append(para(f"Bảng tổng hợp kết quả Chỉ số cải cách hành chính năm {year} của các đơn vị:", "body"))
        blocks.append(summary_table(children))
    tasks = _tasks(own, notes)
    if tasks:
        blocks.append(para(f"{next(part)}. NHIỆM VỤ, GIẢI PHÁP CHỦ YẾU", "heading"))
        blocks += tasks
    if notes.get(ORGANISATION, "").strip():
        blocks.append(para(f"{next(part)}. TỔ CHỨC THỰC HIỆN", "heading"))
        blocks += text_blocks(notes[ORGANISATION])
    blocks.append(para(f"Trên đây là báo cáo đánh giá, phân tích và làm rõ nguyên nhân, trách nhiệm của các cơ quan, "
                       f"đơn vị làm ảnh hưởng đến Chỉ số cải cách hành chính năm {year} của {level}./."))
    return subject(own), blocks


__all__ = ["analysis_body", "committee", "sheets", "summary_table"]

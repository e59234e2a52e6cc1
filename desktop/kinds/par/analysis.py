"""The "Báo cáo đánh giá, phân tích và làm rõ nguyên nhân, trách nhiệm …" of seed 002, generated.

From a unit's scoring sheet and those of its child units for the same year:
I. the unit's points per area, and each criterion that lost points with its reason and
responsible office; II. each child unit's points per area, and the total, index and rating its
sheet states (a statement its areas contradict is a finding of the report, never silently
replaced: seed 002's Đắk Ruồng); III. the tasks per area (the text typed for it, or the
criteria to recover and the offices in charge); IV. what the clerk typed under "Tổ chức, thực
hiện". The sheet's own notes are narrative sections ``nv.<area>`` and ``to_chuc`` of the
scoring report; a set's outline (noi-dung.yaml) may title them as its report does.
"""

from __future__ import annotations

from dataclasses import dataclass

from desktop.exchange.body import NOTE, Block, Paragraph, Run, para, text_blocks
from desktop.foundation.messages import CchcError, msg
from desktop.schema.outline import section
from desktop.kinds.par.criteria import criteria_of
from desktop.kinds.par.scoring import Scorecard, score_report
from desktop.kinds.par.sheet import SCORE
from desktop.foundation.values import format_points
from desktop.rules.engine import Finding
from desktop.store.records import Report, Unit

TASKS_KEY, TASKS_TITLE = "nv", "NHIỆM VỤ, GIẢI PHÁP CHỦ YẾU"  # part III
TASKS_PREFIX = TASKS_KEY + "."  # narrative key of an area's "Nhiệm vụ cần thực hiện"
ORGANISATION = "to_chuc"  # narrative key of part IV
ORGANISATION_TITLE = "TỔ CHỨC, THỰC HIỆN"  # seed 002's part IV
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
        blocks.append(para(f"{number}. {title}: {who} đạt được {format_points(area.achieved)}/{format_points(area.maximum)} điểm; "
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
        achieved, index, rating = stated(card)
        blocks.append(Paragraph([
            Run(f"{number}. Đối với {committee(child.unit.name)}: Tổng số điểm các tiêu chí, tiêu chí thành phần "
                f"đạt được là "),
            Run(f"{format_points(achieved)}/{format_points(card.maximum)} điểm", bold=True),
            Run(f" (Chỉ số cải cách hành chính của đơn vị: "
                f"{format_points(index, None if card.typed_index is not None else 2)} điểm), xếp loại "
                f"{rating}, cụ thể:"),  # a stated index as the unit wrote it ("83,8"), a computed one to 2 places
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


def stated(card: Scorecard) -> tuple:
    """The total, index and rating a unit's sheet states (typed on its Tổng cộng row), or what its
    areas give where it states none: the level above reports what the unit reported."""
    return (card.typed_total if card.typed_total is not None else card.achieved,
            card.typed_index if card.typed_index is not None else card.index,
            card.typed_rating or card.rating)


RELAYED = "Phần II: kết quả của các đơn vị"  # where a relayed statement's finding is, as the findings name it


def relayed_findings(report_id: int, children: list[UnitScore]) -> list[Finding]:
    """A warning on the report for each child unit whose sheet states a total or an index its
    areas do not give: the report prints the unit's statement (as seed 002 prints Đắk Ruồng's
    78,15 and 82,26), so the difference is said, not silently replaced by a recomputed figure."""
    found = []
    for child in children:
        card = child.card
        achieved, index, _ = stated(card)
        if achieved == card.achieved and (index == card.index or card.index is None):
            continue
        found.append(Finding(
            report=report_id, form=RELAYED, row=child.unit.name, column="Tổng số điểm", severity="warning",
            rule="par_relayed", actual=float(achieved), expected=float(card.achieved),
            message=msg("PAR030", unit=child.unit.name, actual=format_points(achieved),
                        maximum=format_points(card.maximum), index=format_points(index, 2),
                        expected=format_points(card.achieved), computed=format_points(card.index, 2)),
            row_id=child.unit.code, column_id=SCORE))
    return found


def _title(key: str, form_set, default: str) -> str:
    """A note's heading as the set's outline titles it, else ``default``."""
    own = section(key, form_set)
    return own.title if own is not None and own.title else default


def _tasks(own: UnitScore, notes: dict[str, str], form_set) -> list[Block]:
    blocks: list[Block] = []
    number = 0
    for area in own.card.areas:
        key = TASKS_PREFIX + area.code
        typed = notes.get(key, "").strip()
        lost = area.lost_leaves() if area.applicable else []
        if not typed and not lost:
            continue
        number += 1
        title = _title(key, form_set, f"Đối với {_lower_first(area.criterion.title)}")
        blocks.append(para(f"{number}. {title}:"))
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
    form_set = catalog.form_set_of(own.report)
    bases = [own.card.criteria.basis] + [c.card.criteria.basis for c in children]
    blocks: list[Block] = []
    grounds = list(dict.fromkeys(b for b in bases if b))
    for position, basis in enumerate(grounds, 1):  # "Căn cứ …;" and the last "Căn cứ … ." as seed 002
        blocks.append(para(f"Căn cứ {basis}{'.' if position == len(grounds) else ';'}"))
    members = "các xã, thị trấn" if own.unit.level == "huyen" else "các đơn vị trực thuộc"
    scope = f"của {level} và {members}" if children else f"của {level}"
    blocks.append(para(f"Trên cơ sở kết quả đánh giá, chấm điểm và xếp loại công tác cải cách hành chính năm {year} "
                       f"{scope}; {who} báo cáo đánh giá, phân tích và làm rõ nguyên nhân, "
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
    tasks = _tasks(own, notes, form_set)
    if tasks:
        blocks.append(para(f"{next(part)}. {_title(TASKS_KEY, form_set, TASKS_TITLE)}", "heading"))
        blocks += text_blocks(notes.get(TASKS_KEY, ""))  # a sentence before the areas, if typed
        blocks += tasks
    if notes.get(ORGANISATION, "").strip():
        blocks.append(para(f"{next(part)}. {_title(ORGANISATION, form_set, ORGANISATION_TITLE)}", "heading"))
        blocks += text_blocks(notes[ORGANISATION])
    blocks.append(para(f"Trên đây là báo cáo đánh giá, phân tích và làm rõ nguyên nhân, trách nhiệm của các cơ quan, "
                       f"đơn vị làm ảnh hưởng đến Chỉ số cải cách hành chính năm {year} của {level}./."))
    return subject(own), blocks


__all__ = ["analysis_body", "committee", "relayed_findings", "sheets", "stated"]

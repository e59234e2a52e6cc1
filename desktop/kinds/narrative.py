"""The report's body text (the narrative), section by section, with figures from the annexes.

The outline (I. Công tác chỉ đạo … V. Kiến nghị) is data: ``resources/narrative/outline.yaml``,
or the set's own ``noi-dung.yaml`` beside its set.yaml (a report prints its body in the sections
and the order of the report it follows: seed 004's I–V, seed 003's I–IV, …); a title may say
``{year}`` and ``{next_year}`` ("PHƯƠNG HƯỚNG … NĂM {next_year}").
A section's text is kept as the clerk typed it, with named placeholders
``{{huyen_tiep_nhan}}`` (declared by the form set, ``placeholders:`` in set.yaml) or
direct cell references ``{{PL5/tong/tong_so}}``. They are resolved each time the text is
shown, printed or exported, so the body always says what the annexes say now, in the
Vietnamese way: ``1.562``, ``93,66%``.

``check`` reads the typed figures too: a number written right after words a placeholder
declares (``phrases:``, "hồ sơ đã tiếp nhận") that matches none of the annex figures those
words stand for is reported, naming the section, the typed figure and the annex's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from desktop.exchange.body import para, text_blocks
from desktop.foundation.messages import CchcError, msg
from desktop.report.ops import write_section
from desktop.rules.engine import Finding
from desktop.schema.outline import OUTLINE_FILE, SECTION_KEY, Section, outline, read_outline
from desktop.schema.reading import LineDict, Problem, Fields, problem
from desktop.foundation.values import CellType, format_value

PLACEHOLDER = re.compile(r"\{\{\s*([^{}\n]{1,80}?)\s*\}\}")
FORM_CODE = "NOI_DUNG"  # how findings name the body text (it is not an annex)
PART_NAME = "noi_dung"  # the body's key in set.yaml's parts and in the interchange document
FORM_TITLE = "Nội dung báo cáo"
TEXT_COLUMN, TEXT_LABEL = "text", "Nội dung"
MAX_SECTION_CHARS = 100_000
MAX_SECTIONS = 500
MAX_BODY_CHARS = 2_000_000
_REF = re.compile(r"^([A-Za-z0-9_.\-]+)/([A-Za-z0-9_.:\-]+)/([A-Za-z_][A-Za-z0-9_]*)$")
# A figure in running text: "1.562", "101.666.000", "93,66", "93.66" (a point before other than
# three digits is a decimal mark typed the English way), "21".
_NUMBER = re.compile(r"(?<![\d.,])(\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:[.,]\d+)?)(\s*%)?")
_MARK = "\u2063"  # where a placeholder stood: the figure after a phrase is the placeholder's own
_WINDOW = 40  # characters after a phrase in which its figure is looked for
HUNDRED = Decimal(100)
CENT = Decimal("0.01")


@dataclass(frozen=True)
class CellRef:
    form: str
    row: str
    column: str

    @property
    def text(self) -> str:
        return f"{self.form}/{self.row}/{self.column}"


@dataclass(frozen=True)
class Placeholder:
    """A named figure: the sum of ``parts``; with ``per``, that sum as a percentage of the sum of ``per``."""

    name: str
    label: str
    parts: tuple[CellRef, ...]
    per: tuple[CellRef, ...] = ()
    phrases: tuple[str, ...] = ()
    line: int = 0

    @property
    def is_percent(self) -> bool:
        return bool(self.per)


# --- definitions (read with the form set) ----------------------------------------------


def _refs(value, f: Fields, name: str) -> tuple[CellRef, ...]:
    items = value if isinstance(value, list) else [value]
    out = []
    for item in items:
        match = _REF.match(item) if isinstance(item, str) else None
        if match is None:
            f.fail("FORM004", f.line_of(name), field=name, expected="các ô dạng BIỂU/dòng/cột, ví dụ PL5/tong/tong_so")
            return ()
        out.append(CellRef(*match.groups()))
    return tuple(out)


def normalise_placeholders(raw: LineDict, file: str, problems: list[Problem]) -> dict[str, Placeholder]:
    out: dict[str, Placeholder] = {}
    for name, data in raw.items():
        f = Fields(data, file, problems, f" (số liệu “{name}”)", raw.lines.get(name, 0))
        if f.failed:
            continue
        if not re.fullmatch(r"[a-z][a-z0-9_]*", str(name)):
            f.fail("FORM004", field=str(name), expected="tên viết thường, không dấu (chữ, số, _)")
        label = f.get("label", required=True, default="")
        raw_sum, raw_per = f.get("sum", object, required=True), f.get("per", object)
        parts = _refs(raw_sum, f, "sum") if raw_sum is not None else ()
        per = _refs(raw_per, f, "per") if raw_per is not None else ()
        phrases = f.get("phrases", list, default=[])
        if not all(isinstance(p, str) and p.strip() for p in phrases):
            f.fail("FORM004", f.line_of("phrases"), field="phrases", expected="một danh sách cụm từ")
        f.done()
        if not f.failed:
            out[str(name)] = Placeholder(str(name), label, parts, per, tuple(p.strip() for p in phrases), f.line)
    return out


def check_placeholders(placeholders: dict[str, Placeholder], form_set, file: str,
                       problems: list[Problem]) -> dict[str, Placeholder]:
    """Stage 3: every cell a placeholder names is a column of a form of the set; bad ones are dropped."""
    kept = dict(placeholders)
    for name, placeholder in placeholders.items():
        for ref in placeholder.parts + placeholder.per:
            form = form_set.forms.get(ref.form)
            if form is None or ref.column not in form.by_id:
                problems.append(problem("FORM009", file, placeholder.line, ident=ref.text,
                                         where=f" (số liệu “{name}”)"))
                del kept[name]
                break
    return kept


def placeholders_of(form_set) -> dict[str, Placeholder]:
    """The placeholders a set declares (``placeholders:`` in set.yaml), by name."""
    return form_set.parts.get(PART_NAME, {}) if form_set is not None else {}


# --- figures ----------------------------------------------------------------------------


def _cell(data, ref: CellRef) -> Decimal | None:
    scope = data.scope(ref.form)
    if scope is None or ref.row not in scope.layout.by_id:
        return None
    column = scope.form.by_id.get(ref.column)
    if column is None:
        return None
    value = scope.cell(ref.row, column)
    if isinstance(value, bool) or not isinstance(value, (int, Decimal)):
        return None
    return Decimal(value)


def _sum(data, refs: tuple[CellRef, ...]) -> Decimal | None:
    values = [_cell(data, ref) for ref in refs]
    if all(v is None for v in values):
        return None
    return sum((v for v in values if v is not None), Decimal(0))


def value_of(data, placeholder: Placeholder) -> Decimal | None:
    total = _sum(data, placeholder.parts)
    if not placeholder.is_percent or total is None:
        return total
    base = _sum(data, placeholder.per)
    if not base:
        return None
    return (total / base * HUNDRED).quantize(CENT, ROUND_HALF_UP)


PERCENT = CellType("percent", decimals=2)
NUMBER = CellType("decimal")


def shown_value(placeholder: Placeholder, value: Decimal | None) -> str:
    """A placeholder's figure as the annexes print it (1.562, 93,66%); "…" while it has none."""
    return format_value(value, PERCENT if placeholder.is_percent else NUMBER) if value is not None else "…"


def _resolve(data, name: str) -> tuple[Placeholder | None, Decimal | None]:
    form_set = data.form_set
    placeholder = placeholders_of(form_set).get(name)
    if placeholder is None:
        match = _REF.match(name)
        if match is None:
            return None, None
        placeholder = Placeholder(name, name, (CellRef(*match.groups()),))
    return placeholder, value_of(data, placeholder)


# A percentage typed the English way ("33.9%", "0.26 %") beside the placeholders' "93,66%": the
# printout writes it the Vietnamese way, so that one report uses one convention (issue 18 §1).
# Only before "%": "2.1." is a heading's number and "1.562" a thousands group.
_ENGLISH_PERCENT = re.compile(r"(?<![\d.,])(\d{1,3})\.(\d{1,2})(\s?%)")


def render_text(data, text: str) -> str:
    """``text`` with every placeholder replaced by its figure as of now, and percentages written
    the Vietnamese way; the stored text stays as typed."""
    def replace(match: re.Match) -> str:
        placeholder, value = _resolve(data, match.group(1))
        if placeholder is None:
            return f"[{match.group(1)}?]"
        return shown_value(placeholder, value)

    return _ENGLISH_PERCENT.sub(r"\1,\2\3", PLACEHOLDER.sub(replace, text))


def rendered_sections(data) -> list[tuple[Section, str]]:
    """Each outline section with text, resolved; empty sections are left out of the printout
    except headings whose subsections have text."""
    texts = data.store.narrative.of(data.id)
    out = []
    for sec in outline(data.form_set):
        text = render_text(data, texts.get(sec.key, ""))
        has_children = any(k.startswith(sec.key + ".") and texts.get(k, "").strip() for k in texts)
        if text.strip() or has_children:
            out.append((sec, text))
    return out


def has_text(store, report_id: int) -> bool:
    return any(t.strip() for t in store.narrative.of(report_id).values())


# --- the contradiction check --------------------------------------------------------------


def read_number(text: str) -> Decimal:
    """A figure as typed in running text; thousands grouped by points, decimals after a comma
    (or, typed the English way, after a point not followed by exactly three digits)."""
    text = text.strip()
    if re.fullmatch(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?", text):
        return Decimal(text.replace(".", "").replace(",", "."))
    return Decimal(text.replace(",", "."))


def _figures_after_phrases(text: str, phrases: dict[str, list[Placeholder]]):
    """(phrase, typed figure text, is percent, excerpt) for each phrase followed by a typed figure."""
    folded = text.casefold()
    for phrase, _ in phrases.items():
        start = 0
        needle = phrase.casefold()
        while True:
            at = folded.find(needle, start)
            if at < 0:
                break
            start = at + len(needle)
            window = text[start:start + _WINDOW]
            stop = min((i for i in (window.find(_MARK), window.find("\n"), window.find(";")) if i >= 0),
                       default=len(window))
            match = _NUMBER.search(window[:stop])
            if match is None:
                continue
            excerpt = (text[at:start] + window[:match.end()]).replace(_MARK, "")
            yield phrase, match.group(1), bool(match.group(2)), excerpt.strip()


def check(data) -> list:
    """Findings for the report's body: unknown placeholders, figures the annexes do not have,
    typed figures that contradict them."""
    form_set = data.form_set
    if form_set is None:
        return []
    texts = data.store.narrative.of(data.id)
    by_phrase: dict[str, list[Placeholder]] = {}
    declared = placeholders_of(form_set)
    for placeholder in declared.values():
        for phrase in placeholder.phrases:
            by_phrase.setdefault(phrase, []).append(placeholder)
    values = {name: value_of(data, p) for name, p in declared.items()}
    findings = []

    def add(sec: Section, severity: str, rule: str, actual, expected, message: str) -> None:
        findings.append(Finding(report=data.id, form=FORM_TITLE, row=sec.heading or "Mở đầu", column=TEXT_LABEL,
                                severity=severity, rule=rule, actual=actual, expected=expected, message=message,
                                form_code=FORM_CODE, row_id=sec.key, column_id=TEXT_COLUMN))

    for sec in outline(data.form_set):
        text = texts.get(sec.key, "")
        if not text:
            continue
        where = sec.heading or "Mở đầu"
        for match in PLACEHOLDER.finditer(text):
            placeholder, value = _resolve(data, match.group(1))
            if placeholder is None:
                add(sec, "error", "nar_unknown", match.group(1), None,
                    msg("NAR001", section=where, name=match.group(1)))
            elif value is None:
                add(sec, "warning", "nar_empty", match.group(1), None,
                    msg("NAR002", section=where, name=match.group(1), label=placeholder.label))
        marked = PLACEHOLDER.sub(_MARK, text)
        for phrase, typed_text, is_percent, excerpt in _figures_after_phrases(marked, by_phrase):
            candidates = [(p, values[p.name]) for p in by_phrase[phrase]
                          if p.is_percent == is_percent and values.get(p.name) is not None]
            if not candidates:
                continue
            typed = read_number(typed_text)
            tolerance = CENT if is_percent else Decimal(0)
            if any(abs(typed - value) <= tolerance for _, value in candidates):
                continue
            placeholder, value = min(candidates, key=lambda pair: abs(pair[1] - typed))
            add(sec, "warning", "nar_figure", float(typed), float(value),
                msg("NAR003", section=where, excerpt=excerpt, label=placeholder.label,
                    expected=shown_value(placeholder, value), name=placeholder.name))
    return findings


# --- the part ------------------------------------------------------------------------------


class NarrativePart:
    """The body as a part of every report (``schema.kinds.ReportPart``): placeholders declared
    in set.yaml, the contradiction check, the sections printed before the annexes, and the
    text travelling in the interchange document as ``{"sections": {key: text}}``."""

    name = PART_NAME
    set_field = "placeholders"

    def load(self, raw, form_set, file: str, problems: list[Problem]) -> dict[str, Placeholder]:
        own = Path(form_set.directory) / OUTLINE_FILE if form_set.directory else None
        if own is not None and own.is_file():  # checked with the set: a broken outline is a problem here
            read_outline(own, str(Path(file).parent / OUTLINE_FILE), problems)
        if raw is None:
            return {}
        return check_placeholders(normalise_placeholders(raw, file, problems), form_set, file, problems)

    def validate(self, data) -> list:
        return check(data)

    def blocks(self, data) -> list:
        out: list = []
        for sec, text in rendered_sections(data):
            for line in sec.heading_for(data.period.year).splitlines():  # "Phần thứ nhất" above its title
                out.append(para(line, "heading"))
            out += text_blocks(text)
        return out

    def export(self, store, report_id: int) -> dict | None:
        texts = store.narrative.of(report_id)
        return {"sections": dict(sorted(texts.items()))} if texts else None

    def check(self, value) -> dict[str, str]:
        sections = value.get("sections") if isinstance(value, dict) else None
        if not isinstance(sections, dict) or set(value) != {"sections"}:
            raise CchcError("NAR004", reason="cần dạng {\"sections\": {mục: nội dung}}")
        # a body has tens of sections of a few pages: 200 MB under keys no outline has once went in
        if len(sections) > MAX_SECTIONS:
            raise CchcError("NAR004", reason=f"quá {MAX_SECTIONS} mục")
        if sum(len(text) for text in sections.values() if isinstance(text, str)) > MAX_BODY_CHARS:
            raise CchcError("NAR004", reason=f"tổng nội dung dài quá {MAX_BODY_CHARS:,} ký tự".replace(",", "."))
        for key, text in sections.items():
            if not SECTION_KEY.fullmatch(key):  # the outline's keys, and a sheet's notes ("nv.1", "to_chuc")
                raise CchcError("NAR004", reason=f"tên mục “{key[:40]}” không hợp lệ")
            if not isinstance(text, str) or len(text) > MAX_SECTION_CHARS:
                raise CchcError("NAR004", reason=f"nội dung mục “{key}” không phải chữ hoặc dài quá "
                                                 f"{MAX_SECTION_CHARS:,} ký tự".replace(",", "."))
        return dict(sections)

    def write(self, store, report_id: int, checked: dict[str, str]) -> None:
        for key, text in checked.items():
            write_section(store, report_id, key, text)


PART = NarrativePart()


__all__ = ["CellRef", "PART", "PART_NAME", "NarrativePart", "Placeholder", "check",
           "placeholders_of", "render_text", "rendered_sections"]

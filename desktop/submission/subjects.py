"""Whether a Ban Cơ yếu certificate names a unit, read from the subject as that CA writes it
(issue 28 §1; the layouts in docs/package.md).

The government's CA (Ban Cơ yếu Chính phủ) writes no unit code into its certificates, only
names:

- a state body's certificate: ``CN=<the body>, O=<the body above it>, L=<province>``, for
  example ``CN=ỦY BAN NHÂN DÂN XÃ SƠN TRUNG, O=ỦY BAN NHÂN DÂN TỈNH KHÁNH HÒA, L=Khánh Hòa``;
- an official's: ``OU=<the body>, O=<the body above it>, L=<province>, CN=<the person>``.

A name binds only when all of these hold:
- the certificate is CA-verified (the caller's check);
- its issuer is the Ban Cơ yếu's;
- CN (or OU) is the unit's name and O is its parent body's;
- L is the unit's province;
- no other unit of that province in the register has the same name.

Names are compared without diacritics, case, punctuation or the kind word "Ủy ban nhân dân"
/ "UBND". The level word stays: "xã Sơn Trung" is not "phường Sơn Trung". Public CAs' names
are whatever the applicant wrote, so they bind by identifier only (register.py).
"""

from __future__ import annotations

import re

from cryptography import x509
from cryptography.x509.oid import NameOID

from desktop.foundation.directory import fold, without_kind

BAN_CO_YEU = "ban co yeu chinh phu"
_KIND = re.compile(r"\b(?:uy ban nhan dan|ubnd)\b\s*")


def bare(name: str) -> str:
    """A body's name without its kind word: "UBND xã Sơn Trung" → "xa son trung" (``fold``:
    the directory's own comparison, without diacritics, case or punctuation)."""
    return " ".join(_KIND.sub("", fold(name)).split())


def province_name(name: str) -> str:
    """"Tỉnh Khánh Hòa", "UBND tỉnh Khánh Hoà", "Khánh Hòa" → "khanh hoa"."""
    return without_kind(bare(name))


def _values(name: x509.Name, oid) -> list[str]:
    return [str(attribute.value) for attribute in name.get_attributes_for_oid(oid)]


def province_of(store, unit):
    """The unit's province in the register (its ancestor of level ``tinh``), or None."""
    seen = set()
    while unit is not None and unit.code not in seen:
        if unit.level == "tinh":
            return unit
        seen.add(unit.code)
        unit = store.units.get(unit.parent_code) if unit.parent_code else None
    return None


def names_unit_by_subject(certificate: x509.Certificate, store, unit, *, above_optional: bool = False) -> bool:
    """Whether a Ban Cơ yếu certificate's subject names ``unit`` exactly, within its province
    and its parent body, and no other unit of that province has the name. ``above_optional``:
    the unit may be the top of the register (a province receiving none above it: its O is not
    read), as for the body that signs a receipt (``receipts.py``)."""
    if BAN_CO_YEU not in {fold(o) for o in _values(certificate.issuer, NameOID.ORGANIZATION_NAME)}:
        return False
    province = province_of(store, unit)
    parent = store.units.get(unit.parent_code) if unit.parent_code else None
    if province is None or (parent is None and not above_optional) or (province.code == unit.code
                                                                        and not above_optional):
        return False
    subject = certificate.subject
    localities = _values(subject, NameOID.LOCALITY_NAME) + _values(subject, NameOID.STATE_OR_PROVINCE_NAME)
    bodies_above = _values(subject, NameOID.ORGANIZATION_NAME)
    if not localities or {province_name(l) for l in localities} != {province_name(province.name)}:
        return False
    if parent is not None and (len(bodies_above) != 1 or bare(bodies_above[0]) != bare(parent.name)):
        return False
    wanted = bare(unit.name)
    named = [bare(n) for n in _values(subject, NameOID.COMMON_NAME) + _values(subject, NameOID.ORGANIZATIONAL_UNIT_NAME)]
    if wanted not in named:
        return False
    namesakes = [u for u in store.units.all() if u.code != unit.code and bare(u.name) == wanted
                 and (p := province_of(store, u)) is not None and p.code == province.code]
    return not namesakes

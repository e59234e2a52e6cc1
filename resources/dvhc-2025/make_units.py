"""Make ``units.json`` from the official lists and the mapping (run by a developer, not the app).

    python3 resources/dvhc-2025/make_units.py ../shared/reference/dvhc-2025

Reads Công văn 915/CTK-CSCL (34 provinces), Công văn 1027/CTK-CSCL (3,321 communes) and the
dvhcvn/20250701 mapping (merges.json: new ← old, splits.json: old communes by old province),
checks that they agree, and writes one compact JSON file the app loads when it needs it.
"""

from __future__ import annotations

import csv
import json
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def official_communes(markdown: Path) -> list[tuple[str, str, str]]:
    """(code, name, province name) of each row of 1027/CTK-CSCL's table."""
    rows = []
    for line in markdown.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 4 and cells[0].isdigit() and re.fullmatch(r"\d{5}", cells[1]):
            name, province = (re.sub(r"\s+", " ", re.sub(r"\s*<br>\s*", " ", c)) for c in (cells[2], cells[3]))
            rows.append((cells[1], name, province))
    return rows


def main(reference: Path) -> None:
    merges = json.loads((reference / "merges.json").read_text(encoding="utf-8"))["data"]
    splits = json.loads((reference / "splits.json").read_text(encoding="utf-8"))["data"]
    with (reference / "915_CTK-CSCL_tinh.csv").open(encoding="utf-8") as file:
        official_provinces = {row[1]: row[2] for row in list(csv.reader(file))[1:]}
    communes = official_communes(reference / "1027_CTK-CSCL_xa.md")
    assert len(official_provinces) == 34 and len(communes) == 3321, (len(official_provinces), len(communes))

    provinces = [(p["level1_id"], p["name"]) for p in merges]
    assert {code for code, _ in provinces} == set(official_provinces), "915 and the mapping name other provinces"
    for code, name in provinces:  # the CSV drops "Tỉnh"; the mapping keeps the full name
        assert name.endswith(official_provinces[code]), (code, name, official_provinces[code])
    province_of_name = {name: code for code, name in provinces}
    mapped = {c["level2_id"]: (c["name"], p["level1_id"]) for p in merges for c in p["level2s"]}
    new_communes = []
    for code, name, province in communes:
        assert code in mapped, code
        province = re.sub(r"^Tp ", "Thành phố ", province)  # the table abbreviates some cities
        assert province_of_name[province] == mapped[code][1], (code, province)
        new_communes.append((code, name, mapped[code][1]))
    assert len({c for c, _, _ in new_communes}) == 3321

    old_provinces = [(p["level1_id"], p["name"]) for p in splits]
    old_communes = [(c["level3_id"], c["name"], p["level1_id"]) for p in splits for c in p["level3s"]]
    known_old = {c for c, _, _ in old_communes}
    commune_lineage = [(c["level2_id"], m["old_id"], m["type"]) for p in merges for c in p["level2s"]
                       for m in c["merges"]]
    # Five island districts had no communes: the new "đặc khu" replaces the district itself. Their
    # old province is that of the old commune coded just before the new unit (codes run by province).
    by_code = sorted(old_communes)
    old_districts = []
    for new, old, _ in commune_lineage:
        if old not in known_old:
            name = next(m["name"] for p in merges for c in p["level2s"] for m in c["merges"] if m["old_id"] == old)
            before = max((c for c in by_code if c[0] < new), key=lambda c: c[0])
            old_districts.append((old, name, before[2]))
    assert sorted(d[2] for d in old_districts) == ["31", "45", "48", "51", "77"], old_districts
    province_lineage = [(p["level1_id"], m["old_id"], m["type"]) for p in merges for m in p["merges"]]

    units = {
        "source": "Công văn 915/CTK-CSCL (34 tỉnh) và 1027/CTK-CSCL ngày 25/6/2025 (3.321 xã) của Cục Thống kê; "
                  "quan hệ mới ← cũ theo dvhcvn/20250701 mapping/merges.json, splits.json (giấy phép MIT, "
                  "LICENSE-mapping-MIT.txt), tổng hợp từ các nghị quyết 1654–1687/NQ-UBTVQH15",
        "in_force_from": "2025-07-01",
        "provinces": provinces,
        "communes": new_communes,
        "old_provinces": old_provinces,
        "old_districts": old_districts,
        "old_communes": old_communes,
        "province_lineage": province_lineage,
        "commune_lineage": commune_lineage,
    }
    target = HERE / "units.json"
    target.write_text(json.dumps(units, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    print(f"{target}: {len(provinces)} provinces, {len(new_communes)} communes, {len(old_provinces)} old provinces, "
          f"{len(old_communes)} old communes, {len(commune_lineage)} lineage links")


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else HERE.parents[2] / "shared" / "reference" / "dvhc-2025"))

"""``cchc`` commands: units of the official directory and the database's own unit.

Each command's parser and handler side by side; a handler imports what it uses when it runs."""

from __future__ import annotations

from desktop.app.commands.common import EXIT_OK, say, store_for
from desktop.foundation.messages import CchcError, msg


def add_parsers(commands, common) -> dict:
    """This group's commands added to ``commands``; returns name → handler."""
    units = commands.add_parser("units", parents=[common],
                                help="danh mục đơn vị hành chính (34 tỉnh, 3.321 xã từ 01/7/2025 và các đơn vị cũ)")
    units.add_argument("--search", help="tên (có dấu hay không, bỏ “xã”, “phường”…) hoặc mã")
    units.add_argument("--on", help="chỉ đơn vị còn hiệu lực ngày này (NĂM-THÁNG-NGÀY; mặc định: hôm nay)")
    units.add_argument("--level", choices=["tinh", "huyen", "xa"], help="chỉ đơn vị cấp này")
    lineage = commands.add_parser("lineage", parents=[common], help="đơn vị cũ hợp thành và đơn vị mới kế thừa")
    lineage.add_argument("unit", help="mã định danh đơn vị (cột id của lệnh units), ví dụ 22732.2025")
    setup = commands.add_parser("setup", parents=[common], help="đặt đơn vị của tệp dữ liệu (từ danh mục)")
    setup.add_argument("--unit", required=True, help="mã định danh đơn vị (cột id của lệnh units)")
    setup.add_argument("--place", help="địa danh ghi ở dòng “…, ngày … tháng … năm …”")
    setup.add_argument("--parent-body", help="cơ quan cấp trên (dòng trên tên đơn vị), nếu có")
    return {"units": cmd_units, "lineage": cmd_lineage, "setup": cmd_setup}


def cmd_units(args) -> int:
    from desktop.foundation.directory import load_directory

    directory = load_directory()
    found = directory.search(args.search or "", on=_day(args.on), level=args.level, limit=None)
    say(args, [u.to_json() for u in found], "\n".join(f"{u.id:<12} {directory.label(u)}" for u in found))
    return EXIT_OK


def cmd_lineage(args) -> int:
    from desktop.foundation.directory import load_directory

    directory = load_directory()
    unit = directory.get(args.unit)
    if unit is None:
        raise CchcError("DIR001", unit=args.unit)

    def links(found):
        return [{"id": link.unit.id, "code": link.unit.code, "name": link.unit.name, "type": link.type}
                for link in found]
    data = {"unit": unit.to_json(), "predecessors": links(directory.predecessors(unit.id)),
            "successors": links(directory.successors(unit.id))}
    kinds = {"full": "toàn bộ", "partial": "một phần"}
    lines = [directory.label(unit)]
    lines += [f"  ← {p['name']} ({p['id']}, {kinds[p['type']]})" for p in data["predecessors"]]
    lines += [f"  → {s['name']} ({s['id']}, {kinds[s['type']]})" for s in data["successors"]]
    say(args, data, "\n".join(lines))
    return EXIT_OK


def cmd_setup(args) -> int:
    from desktop.app.units import setup_unit

    with store_for(args) as store:
        unit = setup_unit(store, args.unit, place=args.place, parent_body=args.parent_body)
        count = len(store.units.all())
    say(args, {"unit": unit.to_json(), "units": count}, msg("DIR003", unit=unit.name, units=count))
    return EXIT_OK


def _day(text: str | None):
    import datetime as dt

    if text is None:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise CchcError("DIR002", text=text) from None

"""``cchc`` commands: the PAR index: a sheet's score, the level above's appraisal.

Each command's parser and handler side by side; a handler imports what it uses when it runs."""

from __future__ import annotations

import json

from desktop.app.commands.common import EXIT_FINDINGS, EXIT_OK, catalog_for, say, store_for
from desktop.foundation.messages import CchcError, msg
from desktop.foundation.values import format_points


def add_parsers(commands, common) -> dict:
    """This group's commands added to ``commands``; returns name → handler."""
    score = commands.add_parser("score", parents=[common],
                                help="điểm, Chỉ số CCHC và xếp loại của một bảng chấm điểm")
    score.add_argument("--report", type=int, required=True)
    appraise = commands.add_parser("appraise", parents=[common],
                                   help="thẩm định bảng tự chấm điểm Chỉ số CCHC của một đơn vị cấp dưới")
    appraise.add_argument("--report", type=int, required=True, help="bảng chấm điểm của đơn vị thẩm định")
    appraise.add_argument("--unit", required=True, help="mã đơn vị được thẩm định")
    appraise.add_argument("--criterion", required=True, help="mã tiêu chí, ví dụ 1.2")
    appraise.add_argument("--score", help="điểm thẩm định (để trống: bỏ điểm đã ghi)")
    appraise.add_argument("--comment", help="nhận xét thẩm định")
    appraisal = commands.add_parser("appraisal", parents=[common],
                                    help="kết quả tự đánh giá và thẩm định của các đơn vị cấp dưới, xếp hạng")
    appraisal.add_argument("--report", type=int, required=True, help="bảng chấm điểm của đơn vị thẩm định")
    return {"score": cmd_score, "appraise": cmd_appraise, "appraisal": cmd_appraisal}


def cmd_score(args) -> int:
    from desktop.kinds.par.criteria import criteria_of
    from desktop.kinds.par.scoring import score_report

    with store_for(args) as store:
        catalog = catalog_for(args)
        criteria = criteria_of(catalog.form_set_of(store.reports.get(args.report)))
        if criteria is None:
            raise CchcError("PAR018", report=args.report)
        card = score_report(store, criteria, args.report)
    errors = sum(1 for f in card.findings if f.severity == "error")
    if args.json:
        print(json.dumps({"report": args.report, **card.to_json()}, ensure_ascii=False, indent=1))
    else:
        for area in card.areas:
            print(f"{area.code}. {area.criterion.title}: {format_points(area.achieved)}/{format_points(area.maximum)}")
        print(f"Tổng: {format_points(card.achieved)}/{format_points(card.maximum)} điểm; Chỉ số CCHC: {format_points(card.index, 2)}; "
              f"xếp loại: {card.rating or '—'}")
        for f in card.findings:
            level = "LỖI" if f.severity == "error" else "CẢNH BÁO"
            print(f"[{level}] {f.row}: {f.message}")
    return EXIT_FINDINGS if errors else EXIT_OK


def cmd_appraise(args) -> int:
    from desktop.kinds.par.appraisal import appraise

    with store_for(args) as store:
        changes = appraise(store, catalog_for(args), args.report, args.unit, [(args.criterion, args.score, args.comment)])
    say(args, {"report": args.report, "unit": args.unit, "changed": [
        {"criterion": c.criterion, "score": c.new[0], "comment": c.new[1]} for c in changes]},
        msg("PAR026", unit=args.unit, criterion=args.criterion) if changes else msg("PAR027"))
    return EXIT_OK


def cmd_appraisal(args) -> int:
    from desktop.kinds.par.appraisal import appraisal, ranking_lines

    with store_for(args) as store:
        units = appraisal(store, catalog_for(args), args.report)
    say(args, {"report": args.report, "units": [u.to_json() for u in units]}, "\n".join(ranking_lines(units)))
    return EXIT_OK

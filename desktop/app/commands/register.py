"""``cchc`` commands: the register of the child units' certificates and the packages held for a signer.

Each command's parser and handler side by side; a handler imports what it uses when it runs."""

from __future__ import annotations

from pathlib import Path
import json

from desktop.app.commands.common import EXIT_OK, catalog_for, say, store_for
from desktop.foundation.messages import msg


def add_parsers(commands, common) -> dict:
    """This group's commands added to ``commands``; returns name → handler."""
    certificates = commands.add_parser("certificates", parents=[common],
                                       help="sổ chứng thư số của các đơn vị cấp dưới (ai được ký cho đơn vị nào)")
    certificates.add_argument("--unit", help="chỉ chứng thư của đơn vị này")
    certificates.add_argument("--withdrawn", action="store_true", help="kể cả chứng thư đã thu hồi")
    enrol = commands.add_parser("enrol-certificate", parents=[common],
                                help="đăng ký chứng thư (tệp .cer/.pem) đơn vị cấp dưới đã gửi")
    enrol.add_argument("--unit", required=True, help="mã đơn vị cấp dưới")
    enrol.add_argument("file", type=Path, help="tệp chứng thư .cer, .crt hoặc .pem")
    withdraw = commands.add_parser("withdraw-certificate", parents=[common],
                                   help="thu hồi một chứng thư khỏi sổ (mất thiết bị ký, đổi người ký)")
    withdraw.add_argument("--fingerprint", required=True, help="dấu vân tay SHA-256 (đủ 64 chữ số)")
    withdraw.add_argument("--reason", required=True, help="lý do (ghi vào nhật ký)")
    withdraw.add_argument("--set-aside-from", metavar="NGÀY",
                          help="đặt ra ngoài tổng hợp các gói chứng thư này ký từ ngày này (dd/mm/yyyy)")
    identifier = commands.add_parser("unit-identifier", parents=[common],
                                     help="ghi mã số thuế (MST:) hoặc mã quan hệ ngân sách (MNS:) của đơn vị cấp dưới")
    identifier.add_argument("--unit", required=True, help="mã đơn vị cấp dưới")
    identifier.add_argument("identifier", help="ví dụ MST:0101234567 hoặc MNS:1234567")
    commands.add_parser("held", parents=[common], help="các gói đang chờ xác nhận chứng thư")
    confirm = commands.add_parser("confirm", parents=[common],
                                  help="xác nhận người ký của một gói đang chờ (sau khi đối chiếu dấu vân tay)")
    confirm.add_argument("--submission", type=int, required=True, help="số của gói đang chờ (lệnh held)")
    confirm.add_argument("--fingerprint", required=True,
                         help="dấu vân tay đơn vị đọc cho (ít nhất 20 chữ số đầu: 5 nhóm)")
    confirm.add_argument("--report", type=int, help="báo cáo tổng hợp cần điền lại sau khi nhận")
    refuse = commands.add_parser("refuse", parents=[common], help="từ chối một gói đang chờ xác nhận chứng thư")
    refuse.add_argument("--submission", type=int, required=True, help="số của gói đang chờ (lệnh held)")
    refuse.add_argument("--reason", required=True, help="lý do (ghi vào nhật ký)")
    return {"unit-identifier": cmd_unit_identifier, "certificates": cmd_certificates, "enrol-certificate": cmd_enrol_certificate, "withdraw-certificate": cmd_withdraw_certificate, "held": cmd_held, "confirm": cmd_confirm, "refuse": cmd_refuse}


def cmd_certificates(args) -> int:
    with store_for(args) as store:
        found = [_certificate_json(c) for c in store.certificates.all(args.unit, withdrawn=args.withdrawn)]
    bound = {"ca": "CA cấp, ghi mã đơn vị", "enrolled": "đã nhập tệp chứng thư", "confirmed": "xác nhận khi nhận gói"}
    say(args, found, "\n".join(f"{c['unit']}: “{c['subject']}” {c['fingerprint']} ({bound[c['bound_by']]}"
                                + (f"; thu hồi {c['withdrawn_at'][:10]}" if c["withdrawn_at"] else "") + ")"
                                for c in found) or msg("CLI015"))
    return EXIT_OK


def cmd_enrol_certificate(args) -> int:
    from desktop.submission.register import enrol, fingerprint, read_certificate_file

    with store_for(args) as store:
        certificate = enrol(store, args.unit, read_certificate_file(args.file))
        unit = store.units.get(args.unit)
    say(args, _certificate_json(certificate), msg("CERT016", subject=certificate.subject, unit=unit.name,
                                                    fingerprint=fingerprint(certificate.sha256)))
    return EXIT_OK


def cmd_withdraw_certificate(args) -> int:
    import datetime as dt

    from desktop.foundation.values import parse_date

    since = parse_date(args.set_aside_from) if args.set_aside_from else None
    moment = dt.datetime.combine(since, dt.time()).astimezone() if since else None  # midnight, this machine's
    with store_for(args) as store:
        set_aside = store.certificates.withdraw(args.fingerprint.replace(" ", "").replace(":", "").lower(),
                                               args.reason, moment)
    said = msg("CERT023", set_aside=set_aside, since=f"{since:%d/%m/%Y}") if since else msg("CLI016")
    say(args, {"withdrawn": args.fingerprint, "set_aside": set_aside}, said)
    return EXIT_OK


def cmd_held(args) -> int:
    with store_for(args) as store:
        found = [_held_json(s, store) for s in store.submissions.all(state="held")]
    say(args, found, "\n".join(f"số {h['submission']}: {h['reason']}" for h in found) or msg("CLI017"))
    return EXIT_OK


def cmd_confirm(args) -> int:
    from desktop.submission.consolidate import consolidate
    from desktop.submission.register import confirm

    with store_for(args) as store:
        state = confirm(store, args.submission, args.fingerprint)
        submission = store.submissions.get(args.submission)
        text = msg("CERT017", submission=args.submission, unit=store.units.get(submission.unit_code).name)
        data = {"submission": args.submission, "state": state}
        if args.report:
            result = consolidate(store, catalog_for(args), args.report, [])
            data["filled_cells"] = result.filled
            text += " " + msg("CONS004", units=1, report=args.report, filled=result.filled)
    say(args, data, text)
    return EXIT_OK


def cmd_refuse(args) -> int:
    from desktop.submission.register import refuse

    with store_for(args) as store:
        state = refuse(store, args.submission, args.reason)
        unit = store.units.get(store.submissions.get(args.submission).unit_code)
    say(args, {"submission": args.submission, "state": state},
         msg("CERT018", submission=args.submission, unit=unit.name))
    return EXIT_OK


def _certificate_json(c) -> dict:
    from desktop.submission.register import fingerprint

    return {"unit": c.unit_code, "sha256": c.sha256, "fingerprint": fingerprint(c.sha256), "subject": c.subject,
            "issuer": c.issuer, "identifiers": json.loads(c.identifiers or "[]"), "valid_from": c.valid_from,
            "valid_to": c.valid_to, "bound_by": c.bound_by, "added_at": c.added_at, "added_by": c.added_by,
            "withdrawn_at": c.withdrawn_at, "withdraw_reason": c.withdraw_reason}


def _held_json(s, store) -> dict:
    from desktop.submission.register import fingerprint

    return {"submission": s.id, "unit": s.unit_code, "unit_name": store.units.get(s.unit_code).name,
            "period": s.period.label, "report_version": s.report_version, "signer": s.signer,
            "fingerprint": fingerprint(s.certificate_sha256 or ""), "received_at": s.received_at,
            "reason": s.held_reason}


def cmd_unit_identifier(args) -> int:
    from desktop.submission.register import set_unit_identifier

    with store_for(args) as store:
        recorded = set_unit_identifier(store, args.unit, args.identifier)
        name = store.units.get(args.unit).name
    say(args, {"unit": args.unit, "identifiers": recorded}, msg("CERT028", unit=name, identifiers=", ".join(recorded)))
    return EXIT_OK

"""``cchc`` commands: the way up: check, sign, submit, unlock, certificates of one's own, verify, consolidate.

Each command's parser and handler side by side; a handler imports what it uses when it runs."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from desktop.app.commands.common import (EXIT_BAD_INPUT, EXIT_FINDINGS, EXIT_OK, add_identity_options, add_token_folders,
                                         add_trust_roots, catalog_for, discover_tokens, identity_of, say, secret_of,
                                         store_for, trust_roots_of)
from desktop.foundation.messages import CchcError, msg, os_reason


def add_parsers(commands, common) -> dict:
    """This group's commands added to ``commands``; returns name → handler."""
    check_report = commands.add_parser("check", parents=[common], help="chuyển báo cáo sang “Đã kiểm tra”")
    check_report.add_argument("--report", type=int, required=True)
    check_report.add_argument("--acknowledge-warnings", action="store_true", help="đã xem các cảnh báo")
    sign = commands.add_parser("sign", parents=[common], help="ký báo cáo và tạo gói nộp")
    sign.add_argument("--report", type=int, required=True)
    sign.add_argument("-o", "--output", type=Path, required=True, help="tệp gói (.cchc) hoặc thư mục")
    add_identity_options(sign)
    sign.add_argument("--acknowledge-warnings", action="store_true",
                      help="đã xem các cảnh báo (khi báo cáo còn ở trạng thái Nháp)")
    seal = commands.add_parser("seal", parents=[common],
                               help="đóng dấu: thêm chữ ký số của cơ quan vào báo cáo đã ký và ghi lại gói nộp")
    seal.add_argument("--report", type=int, required=True)
    seal.add_argument("-o", "--output", type=Path, required=True, help="tệp gói (.cchc) hoặc thư mục")
    add_identity_options(seal)
    submitted = commands.add_parser("mark-submitted", parents=[common], help="chuyển báo cáo đã ký sang “Đã nộp”")
    submitted.add_argument("--report", type=int, required=True)
    unlock = commands.add_parser("unlock", parents=[common], help="mở khóa báo cáo đã ký để sửa (hủy chữ ký)")
    unlock.add_argument("--report", type=int, required=True)
    unlock.add_argument("--reason", required=True, help="lý do mở khóa (ghi vào nhật ký)")
    identity = commands.add_parser("new-certificate", parents=[common],
                                   help="tạo chứng thư số tự ký cho đơn vị chưa có chứng thư của CA")
    identity.add_argument("--unit", required=True, help="mã đơn vị")
    identity.add_argument("--passphrase-file", type=Path, required=True, help="tệp chứa mật khẩu bảo vệ khóa")
    identity.add_argument("-o", "--output", type=Path, required=True, help="tệp .p12 cần ghi")
    images = commands.add_parser("signature-images", parents=[common],
                                 help="hình chữ ký và con dấu hiện trên bản PDF ký số (Nghị định 30/2020)")
    images.add_argument("--signature", type=Path, help="ảnh PNG nền trong suốt của chữ ký")
    images.add_argument("--seal", type=Path, help="ảnh PNG nền trong suốt của con dấu")
    images.add_argument("--seal-mm", type=int, help="đường kính thật của con dấu (mm), ví dụ 36")
    images.add_argument("--clear", action="store_true", help="bỏ cả hai hình: chữ ký số hiện bằng chữ")
    verify = commands.add_parser("verify", parents=[common], help="kiểm tra một gói đã ký")
    verify.add_argument("package", type=Path)
    add_trust_roots(verify, "chứng thư gốc tin cậy (tệp hoặc thư mục; lặp lại được)")
    verify.add_argument("--require-trust", action="store_true", help="từ chối gói không được CA xác thực")
    verify.add_argument("--require-seal", action="store_true",
                        help="từ chối gói chưa có chữ ký số của cơ quan (đóng dấu)")
    verify.add_argument("--crl", action="append", default=[], type=Path,
                        help="đối chiếu với danh sách thu hồi (CRL) này, ngoài các danh sách đã nhập vào --db")
    consolidate = commands.add_parser("consolidate", parents=[common],
                                      help="nhận gói của các đơn vị cấp dưới và tổng hợp vào báo cáo")
    consolidate.add_argument("--report", type=int, required=True)
    consolidate.add_argument("packages", nargs="+", type=Path, help="tệp gói hoặc thư mục chứa gói")
    add_trust_roots(consolidate, "chứng thư gốc tin cậy (tệp hoặc thư mục; lặp lại được)")
    consolidate.add_argument("--accept-untrusted", action="store_true",
                             help="nhận cả gói không được CA xác thực khi đã cấu hình gốc tin cậy (lần này)")
    demo_packages = commands.add_parser("demo-packages", parents=[common],
                                        help="ghi các gói đã ký của các xã mẫu (huyện Khánh Sơn) vào một thư mục; "
                                             "với --db: đăng ký chứng thư của các xã mẫu vào tệp dữ liệu đó")
    demo_packages.add_argument("folder", type=Path, help="thư mục ghi gói (chứng thư trong chung-thu/)")
    due_parser = commands.add_parser("due", parents=[common],
                                     help="việc cần nộp: báo cáo của đơn vị theo từng kỳ, tình trạng và hạn nộp")
    due_parser.add_argument("--unit", action="append", default=[],
                            help="mã đơn vị (mặc định: đơn vị trong Thiết lập, hoặc mọi đơn vị có báo cáo)")
    receipt = commands.add_parser("receipt", parents=[common],
                                  help="ra phiếu tiếp nhận hoặc trả lại (ký số) cho một gói đã nhận của đơn vị cấp dưới")
    receipt.add_argument("--submission", type=int, required=True, help="số của gói đã nhận (“submission” trong cchc consolidate --json)")
    receipt.add_argument("--accept", action="store_true", help="tiếp nhận")
    receipt.add_argument("--return", dest="return_", action="store_true", help="trả lại (cần --reason)")
    receipt.add_argument("--reason", help="lý do trả lại")
    receipt.add_argument("-o", "--output", type=Path, required=True, help="tệp phiếu (.cchcphieu) hoặc thư mục")
    add_identity_options(receipt)
    take = commands.add_parser("import-receipt", parents=[common], help="nhận phiếu tiếp nhận/trả lại của cấp trên")
    take.add_argument("file", type=Path, help="tệp phiếu (.cchcphieu)")
    add_trust_roots(take, "thêm chứng thư gốc (tệp hoặc thư mục; lặp lại được)")
    confirm_receipt = commands.add_parser("confirm-receipt", parents=[common],
                                          help="xác nhận chứng thư của cấp trên cho một phiếu đang giữ, rồi nhận phiếu")
    confirm_receipt.add_argument("--receipt", required=True, help="mã phiếu đang giữ (ít nhất 8 ký tự đầu)")
    confirm_receipt.add_argument("--fingerprint", required=True, help="dấu vân tay đọc được từ cấp trên (20 chữ số đầu)")
    crl = commands.add_parser("import-crl", parents=[common],
                              help="nhập danh sách thu hồi chứng thư (CRL) tải về từ CA, để đối chiếu khi nhận gói")
    crl.add_argument("file", type=Path, help="tệp CRL (.crl, DER hoặc PEM)")
    add_trust_roots(crl, "thêm chứng thư CA (tệp hoặc thư mục) mà danh sách có thể do nó ký")
    commands.add_parser("crls", parents=[common], help="các danh sách thu hồi chứng thư đã nhập, với ngày của chúng")
    anchors = commands.add_parser("trust-anchors", parents=[common],
                                  help="các chứng thư gốc tin cậy: có sẵn của Việt Nam và do đơn vị thêm (Thiết lập)")
    add_trust_roots(anchors, "thêm chứng thư gốc (tệp hoặc thư mục; lặp lại được)")
    tokens = commands.add_parser("tokens", parents=[common],
                                 help="các thiết bị ký số (USB token) đang cắm và chứng thư trên đó")
    add_token_folders(tokens)
    return {"confirm-receipt": cmd_confirm_receipt, "seal": cmd_seal, "due": cmd_due, "receipt": cmd_receipt, "import-receipt": cmd_import_receipt, "import-crl": cmd_import_crl, "crls": cmd_crls, "tokens": cmd_tokens, "trust-anchors": cmd_trust_anchors, "check": cmd_check, "sign": cmd_sign, "mark-submitted": cmd_mark_submitted, "unlock": cmd_unlock, "new-certificate": cmd_new_certificate, "signature-images": cmd_signature_images, "verify": cmd_verify, "consolidate": cmd_consolidate, "demo-packages": cmd_demo_packages}


def cmd_check(args) -> int:
    from desktop.submission.workflow import mark_checked

    with store_for(args) as store:
        mark_checked(store, catalog_for(args), args.report, acknowledge_warnings=args.acknowledge_warnings)
    say(args, {"report": args.report, "status": "da_kiem_tra"}, msg("FLOW005", status="Đã kiểm tra"))
    return EXIT_OK


def cmd_sign(args) -> int:
    from desktop.foundation.files import refuse_writing_over_data
    from desktop.submission.anchors import said_of_check
    from desktop.submission.package import sign_report
    from desktop.submission.workflow import mark_checked

    if not args.output.is_dir():
        refuse_writing_over_data(args.output)  # before the report is marked checked: nothing changes
    catalog = catalog_for(args)
    with store_for(args) as store, identity_of(args) as identity:
        if store.reports.get(args.report).status == "nhap":
            mark_checked(store, catalog, args.report, acknowledge_warnings=args.acknowledge_warnings)
        signed = sign_report(store, catalog, args.report, identity, args.output)
    size = len(signed.package)
    trust = said_of_check(signed.manifest["signer"]["check"])
    say(args, {"report": args.report, "package": signed.filename, "size": size, "manifest": signed.manifest},
         msg("PKG001", file=signed.filename, size=max(1, size // 1024)) + " " + trust)
    return EXIT_OK


def cmd_seal(args) -> int:
    from desktop.foundation.files import refuse_writing_over_data
    from desktop.submission.anchors import said_of_check
    from desktop.submission.package import seal_report

    if not args.output.is_dir():
        refuse_writing_over_data(args.output)
    with store_for(args) as store, identity_of(args) as identity:
        sealed = seal_report(store, catalog_for(args), args.report, identity, args.output)
    size = len(sealed.package)
    say(args, {"report": args.report, "package": sealed.filename, "size": size, "manifest": sealed.manifest,
               "status": "da_dong_dau"},
        msg("PKG027", file=sealed.filename, size=max(1, size // 1024), organisation=sealed.manifest["signer"]["subject"])
        + " " + said_of_check(sealed.manifest["signer"]["check"]))
    return EXIT_OK


def cmd_mark_submitted(args) -> int:
    from desktop.submission.workflow import mark_submitted

    with store_for(args) as store:
        mark_submitted(store, args.report)
    say(args, {"report": args.report, "status": "da_nop"}, msg("FLOW005", status="Đã nộp"))
    return EXIT_OK


def cmd_unlock(args) -> int:
    from desktop.submission.workflow import unlock

    with store_for(args) as store:
        version = unlock(store, args.report, args.reason)
    say(args, {"report": args.report, "status": "nhap", "version": version}, msg("FLOW006", version=version))
    return EXIT_OK


def cmd_new_certificate(args) -> int:
    from desktop.foundation.files import write_atomically
    from desktop.submission.identity import create_self_signed

    with store_for(args) as store:
        unit = store.units.get(args.unit)
    data = create_self_signed(unit.code, unit.name, secret_of(args.passphrase_file))
    write_atomically(args.output, lambda temporary: temporary.write_bytes(data), private=True)
    say(args, {"file": str(args.output), "unit": unit.code}, msg("CLI011", file=args.output, unit=unit.name))
    return EXIT_OK


def cmd_signature_images(args) -> int:
    import base64

    from desktop.exchange.signature_look import SEAL_MM, checked_png
    from desktop.foundation.settings import load_settings, save_settings

    chosen = {}
    for key, path, what in (("signature_image", args.signature, "chữ ký"), ("seal_image", args.seal, "con dấu")):
        if path is not None:
            try:
                data = path.read_bytes()
            except OSError as error:
                raise CchcError("LOOK006", file=path.name, reason=os_reason(error)) from None
            chosen[key] = base64.b64encode(checked_png(data, what)).decode()
    if args.clear:
        chosen = {"signature_image": "", "seal_image": ""}
    if args.seal_mm is not None:
        if not SEAL_MM[0] <= args.seal_mm <= SEAL_MM[1]:
            raise CchcError("LOOK007", value=args.seal_mm, low=SEAL_MM[0], high=SEAL_MM[1])
        chosen["seal_mm"] = args.seal_mm
    with store_for(args) as store:
        settings = load_settings(store)
        settings["signing"].update(chosen)
        if chosen:
            save_settings(store, settings)
        signing = settings["signing"]
    state = {"signature": bool(signing["signature_image"]), "seal": bool(signing["seal_image"]),
             "seal_mm": signing["seal_mm"]}
    say(args, state, msg("LOOK008", signature="có" if state["signature"] else "chưa có",
                          seal="có" if state["seal"] else "chưa có", seal_mm=state["seal_mm"]))
    return EXIT_OK


def _revocation_lists(args) -> list[dict]:
    """The lists the database keeps (with ``--db``), and a list file named with ``--crl``."""
    from desktop.submission.revocation import read_crl

    lists = []
    if args.db:
        with store_for(args) as store:
            lists = store.revocation_lists.all(with_der=True)
    for path in getattr(args, "crl", []):
        given = read_crl(path, trust_roots_of(args))
        lists = [kept for kept in lists if kept["issuer"] != given["issuer"]] + [given]
    return lists


def cmd_verify(args) -> int:
    from desktop.submission.verify import load_trust_roots, verify_file

    verdict = verify_file(args.package, catalog_for(args), load_trust_roots(trust_roots_of(args)),
                          require_trust=args.require_trust, crls=_revocation_lists(args),
                          require_seal=args.require_seal)
    text = verdict.message
    if verdict.valid:
        text += " " + verdict.trust
        if not verdict.signer["in_force_at_receipt"]:
            text += " " + msg("PKG015")
        text += " " + verdict.findings["message"]
    say(args, verdict.to_json(), text)
    return {"valid": EXIT_OK, "invalid": EXIT_FINDINGS}.get(verdict.status, EXIT_BAD_INPUT)


def cmd_trust_anchors(args) -> int:
    from desktop.submission.anchors import BUILT_IN, trust_anchors

    listed = trust_anchors(trust_roots_of(args))
    lines = [f"{'có sẵn' if a.source == BUILT_IN else 'thêm'}  {a.sha256[:16]}…  đến {a.valid_to:%d/%m/%Y}  {a.subject}"
             for a in listed]
    say(args, [a.to_json() for a in listed], "\n".join(lines) + "\n" + msg("TRUST003"))
    return EXIT_OK


def cmd_import_crl(args) -> int:
    from desktop.submission.revocation import import_crl

    with store_for(args) as store:
        kept = import_crl(store, args.file, trust_roots_of(args))
    say(args, kept, msg("CRL003", issuer=kept["issuer"], revoked=kept["revoked"],
                        date=f"{dt.datetime.fromisoformat(kept['this_update']):%d/%m/%Y}"))
    return EXIT_OK


def cmd_crls(args) -> int:
    with store_for(args) as store:
        kept = store.revocation_lists.all()

    def day(iso):
        return f"{dt.datetime.fromisoformat(iso):%d/%m/%Y}" if iso else "—"

    lines = [f"{k['issuer']}: ngày {day(k['this_update'])}, cập nhật tiếp {day(k['next_update'])}, "
             f"{k['revoked']} chứng thư bị thu hồi" for k in kept]
    say(args, kept, "\n".join(lines) or msg("CRL007"))
    return EXIT_OK


def cmd_receipt(args) -> int:
    from desktop.foundation.files import refuse_writing_over_data, write_atomically
    from desktop.submission.receipts import DECISIONS, issue_receipt, receipt_filename

    if args.accept == args.return_:
        raise CchcError("CLI009", option="--accept hoặc --return", needs="receipt")
    with store_for(args) as store, identity_of(args) as identity:
        if not args.output.is_dir():
            refuse_writing_over_data(args.output)
        data, document = issue_receipt(store, args.submission, identity, accept=args.accept, reason=args.reason)
    target = args.output / receipt_filename(document) if args.output.is_dir() else args.output
    write_atomically(target, lambda temporary: temporary.write_bytes(data))
    say(args, document | {"file": str(target)}, msg("RCPT017", decision=DECISIONS[document["decision"]], file=target))
    return EXIT_OK


def cmd_due(args) -> int:
    from desktop.foundation.settings import load_settings
    from desktop.submission.due import STATE_LABELS, due

    with store_for(args) as store:
        own = load_settings(store)["unit"]
        units = args.unit or ([own] if own else sorted({r.unit_code for r in store.reports.all()}))
        listed = due(store, catalog_for(args), units)
    lines = [f"{d.unit_name} · {d.period} · {d.form_set_name}: {STATE_LABELS[d.state]} (hạn {d.deadline[8:10]}/"
             f"{d.deadline[5:7]}/{d.deadline[:4]})" for d in listed]
    say(args, [d.to_json() for d in listed], "\n".join(lines) or msg("DUE001"))
    return EXIT_OK


def cmd_confirm_receipt(args) -> int:
    from desktop.submission.receipts import confirm_receipt

    with store_for(args) as store:
        done = confirm_receipt(store, args.receipt, args.fingerprint)
    say(args, done, done["message"])
    return EXIT_OK


def cmd_import_receipt(args) -> int:
    from desktop.submission.receipts import import_receipt

    with store_for(args) as store:
        done = import_receipt(store, args.file, trust_roots_of(args))
    say(args, done, done["message"])
    return EXIT_FINDINGS if done["held"] else EXIT_OK


def cmd_tokens(args) -> int:
    tokens, problems = discover_tokens(args)
    data = {"tokens": [{"module": str(t.module.path), "vendor": t.module.vendor, "token_label": t.label,
                        "serial": t.serial, "manufacturer": t.manufacturer,
                        "certificates": [{"label": c.label, "subject": c.subject, "issuer": c.issuer,
                                          "valid_from": c.valid_from.isoformat(), "valid_to": c.valid_to.isoformat(),
                                          "in_force": c.in_force(), "sha256": c.sha256} for c in t.certificates]}
                       for t in tokens],
            "problems": [{"module": str(p.module.path), "message": p.message} for p in problems]}
    lines = []
    for token in tokens:
        lines.append(f"{token.module.vendor} · thiết bị “{token.label}” ({token.module.path})")
        for c in token.certificates:
            lines.append(f"    “{c.label}”: {c.subject} — cấp bởi {c.issuer}, hiệu lực "
                         f"{c.valid_from:%d/%m/%Y} – {c.valid_to:%d/%m/%Y}{'' if c.in_force() else ' (HẾT HIỆU LỰC)'}")
    lines += [p.message for p in problems]
    say(args, data, "\n".join(lines) if tokens else "\n".join([msg("SIGN013"), *lines]))
    return EXIT_OK


def cmd_consolidate(args) -> int:
    from desktop.submission.consolidate import consolidate

    roots = trust_roots_of(args)
    with store_for(args) as store:
        result = consolidate(store, catalog_for(args), args.report, args.packages, root_paths=roots,
                             require_trust=False if args.accept_untrusted else None)
    data = result.to_json()
    lines = [f"{r.file}: {r.message}" + (f" [gói số {r.submission}]" if r.submission else "") for r in result.received]
    matrix = result.matrix
    lines.append("")
    lines.append("Đơn vị".ljust(28) + "".join(p.ljust(18) for p in matrix["periods"]))
    for unit in matrix["units"]:
        lines.append(unit["name"][:27].ljust(28) + "".join(unit["cells"][p]["label"].ljust(18) for p in matrix["periods"]))
    lines.append("")
    lines.append(msg("CONS004", units=sum(1 for r in result.received if r.status == "accepted"),
                     report=args.report, filled=result.filled))
    lines.append(msg("CLI004", errors=data["errors"], warnings=data["warnings"]))
    say(args, data, "\n".join(lines))
    rejected = any(r.status in ("rejected", "held") for r in result.received)
    return EXIT_FINDINGS if rejected or data["errors"] else EXIT_OK


def cmd_demo_packages(args) -> int:
    from desktop.app.demo import (
        SHEETS_FOLDER,
        enrol_demo_certificates,
        write_commune_packages,
        write_commune_sheet_packages,
    )

    catalog = catalog_for(args)
    written, refused = write_commune_packages(catalog, args.folder)
    sheets, sheets_refused = write_commune_sheet_packages(catalog, args.folder / SHEETS_FOLDER)
    refused.update(sheets_refused)
    enrolled = []
    if args.db:
        with store_for(args) as store:
            enrolled = enrol_demo_certificates(store, args.folder)
    data = {"packages": [str(p) for p in written], "sheets": [str(p) for p in sheets], "not_signed": refused,
            "enrolled": enrolled}
    text = "\n".join([msg("CLI012", count=len(written), folder=args.folder),
                      msg("CLI012", count=len(sheets), folder=args.folder / SHEETS_FOLDER)]
                     + [f"{code}: {reason}" for code, reason in refused.items()]
                     + ([msg("CLI014", count=len(enrolled), db=args.db)] if args.db else []))
    say(args, data, text)
    return EXIT_OK


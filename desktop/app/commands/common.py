"""What every ``cchc`` command shares: exit codes, printing a result, the catalog and the store,
and the options of the commands that sign (a .p12 file or a token) and verify (trusted roots)."""

from __future__ import annotations

import json
from pathlib import Path

from desktop.foundation.messages import CchcError, os_reason

EXIT_OK, EXIT_FINDINGS, EXIT_BAD_INPUT = 0, 1, 2


def say(args, data, text: str) -> None:
    """The result: ``data`` as JSON with ``--json``, else ``text``."""
    if args.json:
        print(json.dumps(data, ensure_ascii=False, indent=1))
    else:
        print(text)


def catalog_for(args, folder=None):
    from desktop.foundation.paths import forms_dir, received_forms_dir
    from desktop.registry import load_catalog

    return load_catalog(folder or args.forms or forms_dir(), received=None if folder else received_forms_dir())


def store_for(args):
    from desktop.foundation.paths import default_db_path
    from desktop.store.db import Store

    return Store.open(args.db or default_db_path())


# --- how a command signs and whom it trusts: options and their reading, shared by the commands that sign


def add_trust_roots(parser, help: str) -> None:
    parser.add_argument("--trust-root", action="append", default=[], type=Path, help=help)


def add_identity_options(parser) -> None:
    """How the command signs: a .p12 file, a token's library, or a token found on the machine."""
    parser.add_argument("--p12", type=Path, help="chứng thư số dạng tệp .p12/.pfx")
    parser.add_argument("--passphrase-file", type=Path, help="tệp chứa mật khẩu của tệp .p12 (dòng đầu)")
    parser.add_argument("--pkcs11-lib", help="thư viện PKCS#11 của thiết bị ký số (USB token)")
    parser.add_argument("--pin-file", type=Path, help="tệp chứa mã PIN của thiết bị ký số (dòng đầu)")
    parser.add_argument("--token-label", help="nhãn thiết bị ký số (khi cắm nhiều thiết bị)")
    parser.add_argument("--key-label", help="nhãn chứng thư trên thiết bị")
    parser.add_argument("--token", action="store_true",
                        help="ký bằng thiết bị ký số tìm thấy trên máy (không cần --pkcs11-lib; xem “cchc tokens”)")
    add_token_folders(parser)


def add_token_folders(parser) -> None:
    parser.add_argument("--folder", action="append", default=[], type=Path,
                        help="tìm thêm thư viện PKCS#11 của thiết bị ký số trong thư mục này (lặp lại được)")


def discover_tokens(args):
    from desktop.submission.tokens import discover, search_folders

    return discover(search_folders() + list(getattr(args, "folder", [])))


def secret_of(path: Path) -> str:
    """The first line of a file holding a passphrase or PIN (which is never printed or kept)."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as error:
        raise CchcError("SIGN003", file=path.name, reason=os_reason(error)) from None
    return lines[0] if lines else ""


def identity_of(args):
    from desktop.submission.identity import open_token, read_p12

    if args.p12:
        if not args.passphrase_file:
            raise CchcError("CLI009", option="--passphrase-file", needs="--p12")
        return read_p12(args.p12, secret_of(args.passphrase_file))
    if args.pkcs11_lib:
        if not args.pin_file:
            raise CchcError("CLI009", option="--pin-file", needs="--pkcs11-lib")
        return open_token(args.pkcs11_lib, secret_of(args.pin_file), token_label=args.token_label,
                          key_label=args.key_label)
    if args.token:
        if not args.pin_file:
            raise CchcError("CLI009", option="--pin-file", needs="--token")
        from desktop.submission.tokens import choose

        tokens, _ = discover_tokens(args)
        token, certificate = choose(tokens, token_label=args.token_label, key_label=args.key_label)
        return open_token(token.module.path, secret_of(args.pin_file), token_label=token.label,
                          key_label=certificate.label if certificate else None)
    raise CchcError("CLI010")


def trust_roots_of(args) -> list[str]:
    roots = [str(p) for p in getattr(args, "trust_root", [])]
    if args.db:
        from desktop.foundation.settings import load_settings

        with store_for(args) as store:
            roots += load_settings(store)["signing"]["trusted_roots"]
    return roots

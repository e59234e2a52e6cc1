"""The ``cchc`` command: output, exit codes, and the main flows offline."""

import json
import subprocess
import sys

import pytest
from pytest_socket import disable_socket, enable_socket

from desktop.app.cli import main
from desktop.foundation.messages import msg

REQUIRED = {"report", "form", "row", "column", "severity", "rule", "actual", "expected", "message"}


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def demo_db(tmp_path, capsys):
    path = tmp_path / "demo.db"
    assert run(capsys, "--db", str(path), "demo")[0] == 0
    return path


def test_demo_reports_and_validate_json(capsys, demo_db):
    code, out, _ = run(capsys, "--db", str(demo_db), "reports", "--json")
    reports = json.loads(out)
    assert code == 0 and {"id", "unit", "period", "year", "form_set", "status"} <= set(reports[0])
    code, out, _ = run(capsys, "--db", str(demo_db), "validate", "--json")
    findings = json.loads(out)
    assert code == 1  # the seed's own arithmetic errors
    assert findings and all(REQUIRED <= set(f) for f in findings)
    numeric = [f for f in findings if f["severity"] == "error" and f["form_code"] != "CHI_SO"]
    points = [(f["actual"], f["expected"]) for f in findings if f["form_code"] == "CHI_SO"]
    assert (78.15, 76.65) in points  # Đắk Ruồng's printed total against its areas (seed 002)
    assert all(isinstance(f["actual"], (int, type(None))) and isinstance(f["expected"], int) for f in numeric)
    assert json.loads(run(capsys, "--json", "--db", str(demo_db), "validate")[1]) == findings  # either place
    code, out, _ = run(capsys, "--db", str(demo_db), "validate", "--report", str(reports[0]["id"]))
    assert code == 1 and "LỖI" in out


def test_the_demo_5B_shows_the_seed_inconsistencies(capsys, demo_db):
    _, out, _ = run(capsys, "--db", str(demo_db), "validate", "--json")
    found = {(f["form"], f["row"], f["rule"], f["actual"], f["expected"]) for f in json.loads(out)}
    # Kế Sách 2019, Biểu mẫu 5B, row "Tổng số = (I) + (II)": (7) is II's 91.627, not I + II.
    # (every demo finding is pinned in test_demo_catalog.py)
    assert {f for f in found if f[0] == "Biểu mẫu 5B"} == {
        ("Biểu mẫu 5B", "Tổng số = (I) + (II)", "tổng:tong", 91627, 95728),
        ("Biểu mẫu 5B", "Tổng số = (I) + (II)", "(6)=(7)+(8)", 96269, 92168),
    }


def test_export_and_import_through_the_cli(capsys, demo_db, tmp_path):
    out_file = tmp_path / "bc.json"
    assert run(capsys, "--db", str(demo_db), "export-json", "--report", "1", "-o", str(out_file))[0] == 0
    code, out, _ = run(capsys, "--db", str(tmp_path / "new.db"), "import", str(out_file), "--json")
    assert code == 0 and json.loads(out) == {"report": 1}
    code, _, err = run(capsys, "--db", str(tmp_path / "new.db"), "import", str(out_file))
    assert code == 2 and "đã có" in err  # the same report twice is refused


def test_bad_input_exits_2_with_a_vietnamese_message(capsys, tmp_path, demo_db):
    code, _, err = run(capsys, "--db", str(demo_db), "validate", "--report", "99")
    assert code == 2 and "Không tìm thấy báo cáo số 99" in err
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    code, _, err = run(capsys, "--db", str(demo_db), "import", str(bad))
    assert code == 2 and "không phải JSON hợp lệ" in err
    with pytest.raises(SystemExit) as raised:
        main(["khong-co-lenh"])
    assert raised.value.code == 2
    assert "lựa chọn không hợp lệ: 'khong-co-lenh'" in capsys.readouterr().err
    damaged = tmp_path / "damaged.db"
    damaged.write_bytes(b"x" * 5000)
    code, _, err = run(capsys, "--db", str(damaged), "reports")
    assert code == 2 and "bị hỏng" in err and "Traceback" not in err


def test_forms_check(capsys, tmp_path):
    code, out, _ = run(capsys, "forms", "check")
    assert code == 0 and "đều hợp lệ" in out
    broken = tmp_path / "forms" / "x"
    broken.mkdir(parents=True)
    (broken / "set.yaml").write_text("id: x\nname: [\n", encoding="utf-8")
    code, out, _ = run(capsys, "forms", "check", str(tmp_path / "forms"), "--json")
    problems = json.loads(out)["problems"]
    assert code == 1 and problems[0]["file"] == "x/set.yaml" and problems[0]["line"] >= 2


def test_no_command_never_writes_the_demo_into_the_users_database(capsys, tmp_path):
    code, out, _ = run(capsys, "--db", str(tmp_path / "first.db"))
    assert code == 0 and "cchc setup --unit" in out and not (tmp_path / "first.db").exists()
    code, out, _ = run(capsys, "--db", str(tmp_path / "demo.db"), "demo")  # the demo: a database of its own
    assert code == 0 and "16 báo cáo" in out  # 4 with annexes, 8 PAR scoring sheets, 4 Biểu 06 of 2025


def test_main_flows_need_no_network(capsys, tmp_path):
    disable_socket(allow_unix_socket=True)  # asyncio (pyHanko) pairs local AF_UNIX sockets; no network
    try:
        db = str(tmp_path / "offline.db")
        assert run(capsys, "--db", db, "demo")[0] == 0
        assert run(capsys, "--db", db, "validate", "--json")[0] == 1
        assert run(capsys, "--db", db, "export-json", "--report", "1", "-o", str(tmp_path / "r.json"))[0] == 0
        assert run(capsys, "--db", str(tmp_path / "b.db"), "import", str(tmp_path / "r.json"))[0] == 0
        assert run(capsys, "forms", "check")[0] == 0
        xlsx, pdf = str(tmp_path / "r.xlsx"), str(tmp_path / "r.pdf")
        assert run(capsys, "--db", db, "export", "--report", "1", "--xlsx", xlsx, "--pdf", pdf)[0] == 0
        assert run(capsys, "--db", db, "import-xlsx", "--report", "1", xlsx)[0] == 0
        # the way up: communes sign, a package is verified, the district consolidates (report 1, Khánh Sơn)
        folder = tmp_path / "goi"
        assert run(capsys, "demo-packages", str(folder))[0] == 0
        package = str(sorted(folder.glob("*.cchc"))[0])
        assert run(capsys, "verify", package, "--json")[0] == 0
        code, out, _ = run(capsys, "--db", db, "consolidate", "--report", "1", str(folder), "--json")
        assert code == 1 and len(json.loads(out)["received"]) == 6  # 1: the seed's own errors remain
        import socket
        with pytest.raises(Exception):
            socket.socket()  # the guard is really on
    finally:
        enable_socket()


# What each command must not load (issue 30: no process imports what it does not use): Qt always;
# the signing stack, Word and Excel where nothing is signed or written in them; pypdf (read only
# when a signed PDF disagrees with its data); the demo, the charts and the consolidation where
# the command has none. aiohttp comes with pyHanko's signer itself (its timestamp client).
QT = ("PySide6", "shiboken6")
NOT_LOADED = {
    "validate": QT + ("pyhanko", "aiohttp", "reportlab", "openpyxl", "docx", "pypdf", "fontTools",
                      "desktop.submission.package", "desktop.app.demo", "desktop.app.picture"),
    "export": QT + ("pyhanko", "aiohttp", "openpyxl", "docx", "pypdf", "desktop.submission.package",
                    "desktop.submission.consolidate", "desktop.app.picture", "desktop.app.demo"),
    "sign": QT + ("docx", "pypdf", "desktop.submission.consolidate", "desktop.submission.verify",
                  "desktop.app.picture", "desktop.app.demo"),
    "consolidate": QT + ("docx", "pypdf", "desktop.app.picture", "desktop.app.demo"),
}


@pytest.fixture(scope="module")
def command_db(tmp_path_factory):
    """A demo database, the demo communes' packages and a key to sign with."""
    import contextlib
    import io

    from desktop.submission.identity import create_self_signed

    folder = tmp_path_factory.mktemp("lenh")
    with contextlib.redirect_stdout(io.StringIO()):
        assert main(["--db", str(folder / "demo.db"), "demo"]) == 0
        assert main(["demo-packages", str(folder / "goi")]) == 0
        assert main(["--db", str(folder / "demo.db"), "report-info", "--report", "13", "--doc-number", "01/BC-UBND",
                     "--doc-date", "05/07/2025", "--signer-name", "Nguyễn Văn A"]) == 0
    (folder / "khoa.p12").write_bytes(create_self_signed("KS", "Ủy ban nhân dân huyện Thử", "mat-khau-thu"))
    (folder / "mat-khau").write_text("mat-khau-thu\n", encoding="utf-8")
    return folder


@pytest.mark.parametrize("command", sorted(NOT_LOADED))
def test_a_command_loads_only_what_it_uses(command_db, command):
    db = str(command_db / "demo.db")
    argv = {
        "validate": ["--db", db, "validate", "--json"],
        "export": ["--db", db, "export", "--report", "12", "--pdf", str(command_db / "bao-cao.pdf")],
        "sign": ["--db", db, "sign", "--report", "13", "-o", str(command_db / "ky"), "--p12",
                 str(command_db / "khoa.p12"), "--passphrase-file", str(command_db / "mat-khau"),
                 "--acknowledge-warnings"],
        "consolidate": ["--db", db, "consolidate", "--report", "1", str(command_db / "goi"), "--json"],
    }[command]
    probe = ("import json, sys; from desktop.app.cli import main; code = main(json.loads(sys.argv[1])); "
             "print('MODULES', json.dumps([code, sorted(sys.modules)]))")
    result = subprocess.run([sys.executable, "-c", probe, json.dumps(argv)], capture_output=True, text=True,
                            timeout=300)
    assert "MODULES" in result.stdout, result.stdout[-2000:] + result.stderr[-2000:]
    code, loaded = json.loads(result.stdout.rsplit("MODULES", 1)[1])
    assert code in ((0,) if command in ("export", "sign") else (0, 1)), result.stdout[-2000:]  # 1: findings
    forbidden = [m for m in loaded if any(m == name or m.startswith(name + ".") for name in NOT_LOADED[command])]
    assert not forbidden, forbidden


def _all_actions(parser):
    import argparse

    for action in parser._actions:
        yield parser.prog, action
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                yield from _all_actions(sub)


def test_every_option_of_every_command_says_what_it_is_for_in_vietnamese():
    from desktop.app.cli import build_parser

    missing = [(prog, action.dest) for prog, action in _all_actions(build_parser())
               if not action.help and action.dest != "command"]
    assert missing == []
    english = [(prog, action.help) for prog, action in _all_actions(build_parser())
               if action.help and ("show " in action.help or " and exit" in action.help)]
    assert english == []


@pytest.mark.parametrize("argv, said", [
    (["khong-co-lenh"], "lựa chọn không hợp lệ"),
    (["new-report", "--unit", "x"], "thiếu các tham số bắt buộc: --period, --year, --form-set"),
    (["new-report", "--unit", "x", "--period", "thang", "--year", "2025", "--form-set", "s"], "chọn một trong"),
    (["validate", "--report", "mot"], "giá trị int không hợp lệ"),
])
def test_argparse_speaks_vietnamese_too(capsys, argv, said):
    with pytest.raises(SystemExit) as raised:
        main(argv)
    err = capsys.readouterr().err
    assert raised.value.code == 2 and said in err and err.startswith("cách dùng: ")
    assert "usage:" not in err and "invalid choice" not in err and "error:" not in err
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    assert out.startswith("cách dùng: ") and "tùy chọn:" in out and "show this help" not in out


def test_argparse_itself_is_left_alone():
    """The Vietnamese is the parser's own: argparse's module-level gettext is not replaced for the
    whole process, so another parser in it (a library's, a test runner's) keeps its words."""
    import argparse
    import gettext

    import desktop.app.arguments  # noqa: F401  (imported: nothing of argparse may change)

    assert argparse._ is gettext.gettext and argparse.ngettext is gettext.ngettext
    other = argparse.ArgumentParser(prog="khac")
    assert other.format_usage().startswith("usage: ") and "show this help message" in other.format_help()


@pytest.mark.parametrize("english, code", [
    ("argument --report: invalid int value: 'mot'", None),
    ("argument LỆNH: invalid choice: 'x' (choose from 'a', 'b: c')", None),
    ("the following arguments are required: --period, --year", "ARG006"),
    ("unrecognized arguments: --reprt 3", "ARG009"),
    ("expected 2 arguments", "ARG017"),
    ("ambiguous option: --re could match --report, --reason", "ARG012"),
])
def test_each_usage_error_is_said_from_the_catalogue(english, code):
    from desktop.app.arguments import vietnamese

    said = vietnamese(english)
    assert said != english and not any(word in said for word in ("argument", "invalid", "choose", "expected",
                                                                    "required", "unrecognized", "could match"))
    if code is not None:
        assert said.startswith(msg(code).split("%")[0])
    assert vietnamese("a message argparse does not have") == "a message argparse does not have"


def test_new_report_for_a_directory_unit_not_yet_in_the_database_adds_it(tmp_path):
    """Issue 25 §3: no more "Không tìm thấy đơn vị" for a commune of the official directory."""
    from conftest import cli

    db = str(tmp_path / "xa.db")
    code, out = cli("--json", "--db", db, "new-report", "--unit", "22732.2025", "--period", "quy", "--number", "3",
                    "--year", "2025", "--form-set", "toanquoc-06")
    assert code == 0 and json.loads(out)["unit"] == "22732.2025"
    code, out = cli("--db", db, "reports")
    assert "Xã Đông Khánh Sơn" in out

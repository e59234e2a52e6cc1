"""The README's command-line examples run, in order, on a fresh folder: a newcomer copies them."""

from __future__ import annotations

import re
import shlex

import pytest

from conftest import REPO
from desktop.app.cli import main


def readme_commands() -> list[str]:
    """The lines of the README's examples block (the second ``sh`` block) that are commands."""
    blocks = re.findall(r"```sh\n(.*?)```", (REPO / "README.md").read_text(encoding="utf-8"), re.S)
    return [line for line in blocks[1].splitlines() if shlex.split(line, comments=True)]


@pytest.mark.slow
def test_the_readme_examples_run_in_order_on_a_fresh_folder(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("CCHC_FORMS_DIR", str(REPO / "forms"))
    ran = 0
    for line in readme_commands():
        words = shlex.split(line, comments=True)
        if words[0] == "printf":  # printf 'TEXT\n' > FILE: the passphrase file
            (tmp_path / words[3]).write_text(words[1].replace("\\n", "\n"), encoding="utf-8")
            continue
        assert words[0] == "cchc", line
        code = main(words[1:])
        said = capsys.readouterr()
        assert code in (0, 1), f"{line}\n{said.err}"  # 1: findings, a package refused; never a usage error
        ran += 1
    assert ran >= 30

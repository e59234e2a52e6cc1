"""The package stands on its own: data found from a wheel, core free of Qt."""

import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_a_built_wheel_finds_its_forms_from_another_directory(tmp_path):
    subprocess.run([sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(tmp_path / "dist"),
                    str(REPO)], check=True, capture_output=True)
    [wheel] = (tmp_path / "dist").glob("*.whl")
    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "--no-index", "--target", str(target),
                    str(wheel)], check=True, capture_output=True)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith("CCHC_")}
    env["PYTHONPATH"] = str(target)  # ahead of the editable checkout on sys.path
    probe = "import desktop.foundation.paths as p; print(p.forms_dir()); print(p.resources_dir())"
    where = subprocess.run([sys.executable, "-c", probe], cwd=elsewhere, env=env, capture_output=True, text=True,
                           check=True).stdout.split()
    assert all(Path(w).is_relative_to(target) for w in where), where
    result = subprocess.run([sys.executable, "-m", "desktop", "forms", "check"], cwd=elsewhere, env=env,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "đều hợp lệ" in result.stdout
    assert (target / "desktop" / "_data" / "resources" / "demo").is_dir()


def test_the_import_contract_covers_every_core_module():
    """A new core module cannot slip out of the no-Qt contract."""
    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    [contract] = [c for c in config["tool"]["importlinter"]["contracts"] if c["type"] == "forbidden"]
    listed = set(contract["source_modules"])
    modules = {f"desktop.{p.stem}" for p in (REPO / "desktop").glob("*.py") if p.stem not in ("__init__", "__main__")}
    modules |= {f"desktop.{p.name}" for p in (REPO / "desktop").iterdir() if (p / "__init__.py").exists()}
    modules -= {"desktop.ui", "desktop.bootstrap", "desktop._data"}
    assert modules <= listed, modules - listed


def test_the_test_command_runs_every_step_and_fails_if_any_failed(monkeypatch, capsys):
    """A failing first step (the import contracts) must not hide the test results after it."""
    from desktop import bootstrap

    monkeypatch.setattr(bootstrap, "ensure_env", lambda env, extras: env)
    ran = []
    codes = iter([1, 0, 0, 0])
    monkeypatch.setattr(bootstrap.subprocess, "call", lambda command: ran.append(command) or next(codes))
    monkeypatch.chdir(REPO)
    assert bootstrap.run_tests([]) == 1
    assert len(ran) == 4
    out = capsys.readouterr().out
    assert "KHÔNG ĐẠT (mã 1): Kiểm tra ranh giới" in out and out.count("đạt: ") == 3

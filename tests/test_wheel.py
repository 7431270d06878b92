"""The wheel, installed outside the checkout, runs ``zle`` with the data it ships.

Builds the wheel, installs it into a fresh virtual environment in a temporary directory
and runs ``zle replay``, ``zle simulate`` and ``zle vectors`` there, from a directory that
is not the checkout. The environment borrows the dependencies (z3, rich ...) of the one
running the tests through a ``.pth`` line instead of downloading them again; the
project's own packages come only from the wheel (checked). Building needs setuptools
from the package index, like ``make test`` itself.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("model", "proofs", "simulation", "crosscheck", "zle", "predictive")


def _run(command: list[str], cwd: Path, env: dict[str, str] | None = None) -> str:
    result = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True)
    assert result.returncode == 0, f"{command}\n{result.stdout}\n{result.stderr}"
    return result.stdout


LEFT_OUT = (".git", ".venv", "build", "*.egg-info", "out", ".*_cache", ".hypothesis", "__pycache__")
"""Not sources: a stale ``build/`` in particular would leak deleted modules into the wheel."""


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    source = out / "source"
    shutil.copytree(ROOT, source, symlinks=True, ignore=shutil.ignore_patterns(*LEFT_OUT))
    _run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(source)], out
    )
    (built,) = out.glob("zero_loss_engine-*.whl")
    return built


@pytest.fixture(scope="module")
def installed(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh environment with the wheel; returns its bin directory."""
    venv = tmp_path_factory.mktemp("venv") / "env"
    _run([sys.executable, "-m", "venv", "--without-pip", str(venv)], venv.parent)
    python = venv / "bin" / "python"
    pip = [sys.executable, "-m", "pip", "--python", str(python), "install", "-q", "--no-deps"]
    _run([*pip, "--no-index", str(wheel)], venv.parent)
    purelib = Path(
        _run(
            [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
            venv.parent,
        ).strip()
    )
    borrowed = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    (purelib / "_zle_test_dependencies.pth").write_text("\n".join(sorted(borrowed)) + "\n")
    return venv / "bin"


def test_the_wheel_ships_the_data_the_tools_read(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for package in PACKAGES:
        assert f"{package}/py.typed" in names
    assert "crosscheck/spec/trace.schema.json" in names
    assert "crosscheck/spec/system-trace.schema.json" in names
    assert "crosscheck/spec/examples.md" in names and "crosscheck/spec/requirements.md" in names
    assert "simulation/scenarios/blackthursday2020-1h.toml" in names
    assert "simulation/scenarios/data/blackthursday2020_ETHUSD-coinbase_1h.csv" in names
    assert "simulation/scenarios/params/gen3-safe.toml" in names
    assert any(n.endswith(".dist-info/licenses/LICENSE") for n in names)
    metadata = next(n for n in names if n.endswith(".dist-info/METADATA"))
    assert "License-Expression: MIT" in zipfile.ZipFile(wheel).read(metadata).decode()


def test_zle_runs_from_the_wheel_outside_the_checkout(installed: Path, tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    zle = str(installed / "zle")
    where = _run(
        [str(installed / "python"), "-c", "import zle, crosscheck; print(zle.__file__)"],
        tmp_path,
        env,
    )
    assert not Path(where.strip()).is_relative_to(ROOT), where
    assert _run([str(installed / "python"), "-m", "zle", "--version"], tmp_path, env).startswith(
        "zle, version"
    )
    out = _run([zle, "vectors", "generate", "v", "--no-progress"], tmp_path, env)
    written = re.search(r"wrote ([\d,]+) vectors", out)
    assert written is not None, out
    out = _run([zle, "vectors", "check", "v", "--impl", "crosscheck.adapter:model"], tmp_path, env)
    assert f"{written[1]} passed, 0 failed" in out
    trace = tmp_path / "v" / "gen3" / "sequences" / "crash_path" / "trace.jsonl"
    assert "conforms" in _run([zle, "replay", str(trace)], tmp_path, env)
    out = _run([zle, "simulate", "blackthursday2020-1h", "--policy", "gen1"], tmp_path, env)
    assert "total economic loss" in out

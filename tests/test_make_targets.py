"""What ``make run`` installs, and the nightly profile in CI (``ZLE_NIGHTLY=1 .ci/run``)."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_make_run_installs_only_what_running_needs() -> None:
    """``make -n -B run`` lists every command ``make run`` would execute from scratch."""
    plan = subprocess.run(
        ["make", "-n", "-B", "run"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    installs = [line for line in plan.splitlines() if "pip install" in line and "-e" in line]
    assert installs and all("[dev]" not in line for line in installs), plan
    assert "zle prove" in plan and "zle simulate blackthursday2020-1h" in plan


def _ci_calls(tmp_path: Path, nightly: str | None) -> list[str]:
    """The ``make`` targets ``.ci/run`` asks for (``make`` replaced by a recorder)."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(exist_ok=True)
    log = tmp_path / "calls.txt"
    log.write_text("")
    recorder = bin_dir / "make"
    recorder.write_text(f'#!/bin/sh\necho "$@" >> {log}\n')
    recorder.chmod(0o755)
    env = {**os.environ, "PATH": f"{bin_dir}:{os.environ['PATH']}"}
    env.pop("ZLE_NIGHTLY", None)
    if nightly is not None:
        env["ZLE_NIGHTLY"] = nightly
    subprocess.run([str(ROOT / ".ci" / "run")], env=env, check=True)
    return log.read_text().split()


def test_ci_runs_the_deep_profile_only_at_night(tmp_path: Path) -> None:
    assert _ci_calls(tmp_path, None) == ["test"]
    assert _ci_calls(tmp_path, "0") == ["test"]
    assert _ci_calls(tmp_path, "1") == ["test", "deep"]

"""Malformed arguments and output paths, and reports that survive being piped."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crosscheck.record import record_model
from crosscheck.spec_files import requirement_order
from crosscheck.vectors.examples import crash_path
from model.numbers import RAY
from proofs.report import Record
from simulation.files import read_percent
from zle.main import cli
from zle.output import PIPE_WIDTH


def zle(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args))


@pytest.fixture()
def no_proving(monkeypatch: pytest.MonkeyPatch) -> None:
    def must_not_run(*args: object, **kwargs: object) -> None:
        raise AssertionError("obligations were discharged")

    monkeypatch.setattr("zle.prove.run_all", must_not_run)


@pytest.mark.parametrize("value", ["٢", "1_0", "１", "0", "100", "-1", "abc", "", "nan", "1e999"])
def test_max_step_takes_only_a_plain_percentage(value: str) -> None:
    result = zle("params", "suggest", "--max-step", value)
    assert result.exit_code == 2 and "--max-step" in result.output, result.output
    assert "Traceback" not in result.output


@given(st.text(max_size=12))
def test_a_percentage_is_ascii_digits_or_an_error(text: str) -> None:
    found = read_percent(text)
    if isinstance(found, int):
        body = text.strip().removesuffix("%").strip()
        assert body.isascii() and "_" not in body
        assert 0 <= found <= RAY


@pytest.mark.usefixtures("no_proving")
@pytest.mark.parametrize(
    "args",
    [["--only", ""], ["--only", "  "], ["--jobs", "0"], ["--jobs", "-2"], ["--jobs", "x"]],
)
def test_prove_rejects_empty_selections_and_job_counts(args: list[str]) -> None:
    result = zle("prove", *args)
    assert result.exit_code == 2 and "Traceback" not in result.output


SHAPES = ["new file", "existing file", "directory", "missing parent", "under a file", "dash"]


@settings(max_examples=30, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(shape=st.sampled_from(SHAPES), name=st.sampled_from(["r.json", "r", ".r.json"]))
def test_json_targets_are_checked_first_and_written_whole(
    tmp_path_factory: pytest.TempPathFactory, shape: str, name: str
) -> None:
    home = tmp_path_factory.mktemp("out")
    (home / "a-file").write_text("x")
    (home / "old.json").write_text("old")
    target = {
        "new file": home / name,
        "existing file": home / "old.json",
        "directory": home,
        "missing parent": home / "no" / name,
        "under a file": home / "a-file" / name,
        "dash": Path("-"),
    }[shape]
    before = sorted(p.name for p in home.iterdir())
    result = zle("prove", "--list", "--only", "ACT-FUND-POL", "--json", str(target))
    assert "Traceback" not in result.output
    if shape in ("directory", "missing parent", "under a file"):
        assert result.exit_code == 2
        assert sorted(p.name for p in home.iterdir()) == before
        assert (home / "a-file").read_text() == "x"
        return
    assert result.exit_code == 0, result.output
    text = result.stdout if shape == "dash" else target.read_text()
    assert "ACT-FUND-POL" in {r["id"] for r in json.loads(text)["requirements"]}
    assert not [p for p in home.iterdir() if p.name.startswith(".") and p.name != name]


def test_prove_list_is_in_spec_order_and_uncut_when_piped() -> None:
    result = zle("prove", "--list")
    assert result.exit_code == 0
    order = requirement_order()
    listed = [
        cells[1].strip()
        for line in result.output.splitlines()
        if len(cells := line.split("│")) > 2 and cells[1].strip() in order
    ]
    assert len(listed) > 50 and "…" not in result.output
    assert listed == sorted(listed, key=order.__getitem__)


def _record(requirement: str, policy: str) -> Record:
    return Record(
        name=f"{requirement}/{policy}/x",
        requirement_ids=(requirement,),
        policy=policy,
        task="t",
        expect="proved",
        verdict="proved",
        passed=True,
        paths=1,
        rlimit=1,
        seconds=0.0,
        explore_rlimit=0,
        explore_seconds=0.0,
        task_obligations=1,
        detail="",
        witness=None,
    )


def test_prove_rows_follow_the_spec_and_keep_whole_ids(monkeypatch: pytest.MonkeyPatch) -> None:
    ids = ["ROUNDING-FAVOURS-PROTOCOL", "CONSERVE-COLLATERAL", "NUM-UINT256"]
    fake = [_record(r, p) for r in ids for p in ("gen3", "gen1")]
    monkeypatch.setattr("zle.prove.run_all", lambda obligations, **kw: fake)
    result = zle("prove", "--only", "NUM-UINT256")
    assert result.exit_code == 0
    order = requirement_order()
    rows = [line for line in result.output.splitlines() if any(r in line for r in ids)]
    seen = [next(r for r in ids if r in row) for row in rows if "slowest" not in row]
    assert seen == sorted(seen, key=order.__getitem__) and len(seen) == 6
    assert all(len(line) <= PIPE_WIDTH for line in result.output.splitlines())


def _surrogate(value: Any, key: str = "") -> Any:
    """The account ``lp`` renamed to a lone surrogate, as a value and as a map key."""
    if isinstance(value, str):
        return "\ud800" if value == "lp" else value
    if isinstance(value, list):
        return [_surrogate(v) for v in value]
    if isinstance(value, dict):
        rename = key == "lp_shares"
        return {
            ("\ud800" if rename and k == "lp" else k): _surrogate(v, k) for k, v in value.items()
        }
    return value


def test_an_id_with_a_lone_surrogate_is_printed_escaped(tmp_path: Path) -> None:
    case = crash_path("gen3")
    plain = tmp_path / "plain.jsonl"
    record_model(plain, case.config, case.pre, case.actions)
    records = [_surrogate(json.loads(line)) for line in plain.read_text().splitlines()]
    records[1]["accepted"]["changes"]["lp_shares"]["\ud800"] = "1"  # diverges at step 1
    trace = tmp_path / "surrogate.jsonl"
    trace.write_text("".join(json.dumps(r) + "\n" for r in records))  # \ud800 escaped
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    result = subprocess.run(
        [sys.executable, "-m", "zle", "replay", str(trace)], capture_output=True, env=env
    )
    assert result.returncode in (1, 2), result.stderr
    assert b"Traceback" not in result.stderr and b"UnicodeEncodeError" not in result.stderr


def test_progress_is_drawn_only_on_a_terminal_without_no_progress(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from rich.console import Console

    from zle import progress

    assert not progress.shown()  # stderr is captured here: not a terminal

    class Terminal(Console):
        @property
        def is_terminal(self) -> bool:
            return True

    monkeypatch.setattr(progress, "Console", Terminal)
    assert progress.shown() and not progress.shown(no_progress=True)
    with progress.progress("testing", 2, "steps", no_progress=True) as bar:
        bar.advance()  # the bar that does nothing

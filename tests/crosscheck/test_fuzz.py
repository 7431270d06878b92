"""Differential fuzzing: silent against the model itself, and it finds, shrinks and writes
the toy implementation's rounding divergence as a trace that replay pins down."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from crosscheck.adapter import ModelImplementation
from crosscheck.fuzz import fuzz
from tests.crosscheck.toy_divergent import make as make_toy
from zle.main import cli


@pytest.mark.covers("DIFFERENTIAL-FUZZ")
def test_the_model_agrees_with_itself(tmp_path: Path) -> None:
    for policy in ("gen1", "gen2", "gen3"):
        report = fuzz(ModelImplementation(), policy, steps=300, seed=2, out=tmp_path / "d.jsonl")
        assert report.divergence is None and report.steps >= 150
    assert not (tmp_path / "d.jsonl").exists()


@pytest.mark.covers("DIFFERENTIAL-FUZZ", "TRACE-REPLAY")
def test_fuzz_finds_shrinks_and_writes_the_toy_divergence(tmp_path: Path) -> None:
    out = tmp_path / "divergence.jsonl"
    runner = CliRunner()
    result = runner.invoke(
        cli,
        [
            "fuzz",
            "--impl",
            "tests.crosscheck.toy_divergent:make",
            "--policy",
            "gen3",
            "--steps",
            "4000",
            "--seed",
            "1",
            "--out",
            str(out),
            "--json",
        ],
    )
    assert result.exit_code == 1, result.output
    run = json.loads(result.output)["runs"][-1]
    divergence = run["divergence"]
    assert "Take" in divergence["actions"][-1] or "EndAuction" in divergence["actions"][-1]
    assert divergence["diffs"][0]["path"].endswith(".paid")
    assert divergence["steps"] <= 4, divergence["actions"]
    replayed = runner.invoke(cli, ["replay", str(out), "--json"])
    assert replayed.exit_code == 1
    pinned = json.loads(replayed.output)["divergence"]
    assert pinned["step"] == divergence["steps"]
    assert pinned["diffs"][0]["path"] == divergence["diffs"][0]["path"]
    _ = make_toy


@pytest.mark.covers("DIFFERENTIAL-FUZZ")
def test_a_bad_impl_argument_exits_2() -> None:
    result = CliRunner().invoke(cli, ["fuzz", "--impl", "no_such_module:make"])
    assert result.exit_code == 2 and "cannot import" in result.output
    # how MODULE is looked up, so that the user can fix it (issue 13)
    assert "current directory" in result.output and "PYTHONPATH" in result.output

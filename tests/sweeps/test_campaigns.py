"""Campaigns on a real LocalCluster: fuzz shards and state-machine shards, each with its
own seed; every failure comes back shrunk and is written as a trace replay pins down."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

import model.rules.auctions
from model.numbers import fixed_point
from zle.campaign import shard_seed
from zle.machines import machine_shard
from zle.main import cli


def test_fuzz_shards_find_and_write_each_divergence(tmp_path: Path) -> None:
    out = tmp_path / "divergence.jsonl"
    result = CliRunner().invoke(
        cli,
        [
            "fuzz",
            "--impl",
            "tests.crosscheck.toy_divergent:make",
            "--policy",
            "gen3",
            "--steps",
            "1500",
            "--shards",
            "2",
            "--workers",
            "2",
            "--out",
            str(out),
            "--json",
            "-",
        ],
    )
    assert result.exit_code == 1, result.output
    runs = json.loads(result.output)["runs"]
    assert [r["shard"] for r in runs] == [0, 1] and runs[0]["seed"] != runs[1]["seed"]
    diverged = [r for r in runs if "divergence" in r]
    assert diverged, runs
    for run in diverged:
        assert Path(run["trace"]).name == f"divergence-gen3-shard{run['shard']}.jsonl"
        replayed = CliRunner().invoke(cli, ["replay", run["trace"], "--json"])
        assert replayed.exit_code == 1
        pinned = json.loads(replayed.output)["divergence"]
        assert pinned["step"] == run["divergence"]["steps"]


def test_campaign_options_need_shards() -> None:
    result = CliRunner().invoke(
        cli, ["fuzz", "--impl", "tests.crosscheck.toy_divergent:make", "--workers", "2"]
    )
    assert result.exit_code == 2 and "--shards" in result.output


def test_machine_shards_run_with_distinct_seeds(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        cli,
        [
            "machines",
            "--profile",
            "dev",
            "--policy",
            "gen2",
            "--shards",
            "2",
            "--workers",
            "1",
            "--out",
            str(tmp_path),
            "--json",
            "-",
        ],
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    shards = report["shards"]
    assert [s["seed"] for s in shards] == [shard_seed("machines", 0, "gen2", i) for i in (0, 1)]
    assert all(s["failure"] is None and s["runs"] >= 15 and s["steps"] > 0 for s in shards)


def test_a_failing_shard_is_shrunk_and_written_as_a_trace(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # the seeded mutant of tests/stateful/test_seeded_mutants.py: buyers pay rounded down
    monkeypatch.setattr(model.rules.auctions, "rmul_up", fixed_point.rmul_down)
    found = machine_shard("gen3", "ci", 300, seed=12345)
    assert found["failure"] is not None and "ROUNDING-FAVOURS-PROTOCOL" in found["failure"]
    trace = tmp_path / "shard.jsonl"
    trace.write_text(found["trace"])
    monkeypatch.undo()
    # the unmutated model disagrees with the recorded run at the step the machine caught
    replayed = CliRunner().invoke(cli, ["replay", str(trace), "--check-every", "1", "--json"])
    assert replayed.exit_code == 1, replayed.output
    steps = int(found["trace_note"].split()[0])
    assert json.loads(replayed.output)["divergence"]["step"] == steps

"""A one-line fault seeded in the contract is found by each tool, at its step and field:
``zle vectors check``, ``zle replay`` of a trace recorded from the contract, ``zle fuzz``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.evm.faults import SEEDED_FAULT
from zle.main import cli

pytestmark = pytest.mark.xdist_group("evm")


def test_the_fault_is_one_line() -> None:
    assert SEEDED_FAULT.line.count("\n") == SEEDED_FAULT.faulty.count("\n") == 1
    assert SEEDED_FAULT.line != SEEDED_FAULT.faulty


@pytest.mark.covers("CONFORMANCE-VECTORS", "EXPOSURE-ACCOUNTING")
def test_the_vectors_find_it(faulty_mapping: Path, vectors_dir: Path) -> None:
    result = CliRunner().invoke(
        cli, ["vectors", "check", str(vectors_dir), "--impl", f"evm:{faulty_mapping}", "--json"]
    )
    assert result.exit_code == 1, result.output
    cases = json.loads(result.output)["cases"]
    failed = {c["case"]: c for c in cases if not c["passed"] and "skipped" not in c}
    kick = failed["gen2/operations/kick/kick"]
    assert [d["path"] for d in kick["diffs"]] == ["exposure"]
    assert {name.rsplit("/", 1)[0] for name in failed} == {
        "gen2/operations/kick",
        "gen2/sequences",
    }
    crash = failed["gen2/sequences/crash_path"]
    assert [d["path"] for d in crash["diffs"]] == ["step 48: exposure"]


@pytest.mark.covers("TRACE-REPLAY")
def test_replay_of_a_trace_recorded_from_it_finds_it(
    faulty_mapping: Path, vectors_dir: Path, tmp_path: Path
) -> None:
    source = vectors_dir / "gen2" / "sequences" / "crash_path" / "trace.jsonl"
    out = tmp_path / "faulty.jsonl"
    runner = CliRunner()
    recorded = runner.invoke(
        cli, ["record", str(source), "--impl", f"evm:{faulty_mapping}", "--out", str(out)]
    )
    assert recorded.exit_code == 0, recorded.output
    replayed = runner.invoke(cli, ["replay", str(out), "--json"])
    assert replayed.exit_code == 1, replayed.output
    divergence = json.loads(replayed.output)["divergence"]
    assert divergence["step"] == 48 and "Kick" in divergence["action"]
    assert [d["path"] for d in divergence["diffs"]] == ["exposure"]


@pytest.mark.covers("DIFFERENTIAL-FUZZ")
def test_the_fuzzer_finds_it(faulty_mapping: Path, tmp_path: Path) -> None:
    out = tmp_path / "divergence.jsonl"
    runner = CliRunner()
    impl = f"evm:{faulty_mapping}"
    arguments = ["--steps", "500", "--seed", "1", "--out", str(out), "--json"]
    result = runner.invoke(cli, ["fuzz", "--impl", impl, *arguments])
    assert result.exit_code == 1, result.output
    divergence = json.loads(result.output)["runs"][0]["divergence"]
    assert "Kick" in divergence["actions"][-1]
    assert [d["path"] for d in divergence["diffs"]] == ["exposure"]
    replayed = runner.invoke(cli, ["replay", str(out), "--json"])
    pinned = json.loads(replayed.output)["divergence"]
    assert replayed.exit_code == 1 and pinned["step"] == divergence["steps"]
    assert [d["path"] for d in pinned["diffs"]] == ["exposure"]

"""Runs: deterministic given the seed, invariant-preserving, same book for every policy."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from model.invariants import violated_invariants
from simulation.files import load_scenario
from simulation.runner import PolicyRun, run_policy
from zle.main import cli


@pytest.mark.covers("SIM-MARKET-MODEL", "SIM-COMPARISON")
@pytest.mark.parametrize("policy", ["gen1", "gen2", "gen3"])
def test_same_seed_same_result(small_scenario: Path, policy: str) -> None:
    scenario = load_scenario(small_scenario)
    first = run_policy(scenario, policy)
    second = run_policy(load_scenario(small_scenario), policy)
    assert first.metrics == second.metrics
    assert first.series == second.series
    assert first.metrics.liquidations > 0


@pytest.mark.covers("SIM-COMPARISON")
def test_every_policy_starts_from_the_same_book_and_keeps_the_invariants(
    small_scenario: Path,
) -> None:
    scenario = load_scenario(small_scenario)
    books = set()
    for policy in ("gen1", "gen2", "gen3"):
        run = PolicyRun(scenario, policy)
        books.add(run.book)
        opening = [(p.collateral, p.debt) for p in run.state.positions.values()]
        for t in range(0, scenario.path.end + 1, scenario.tick):
            run.tick(t)
        assert violated_invariants(run.state) == ()
        assert len(opening) == scenario.population.count
    assert len(books) == 1


@pytest.mark.covers("SIM-COMPARISON")
def test_simulate_prints_a_table_and_writes_json_and_plot(
    small_scenario: Path, tmp_path: Path
) -> None:
    out_json = tmp_path / "run.json"
    out_png = tmp_path / "run.png"
    result = CliRunner().invoke(
        cli,
        ["simulate", str(small_scenario), "--json", str(out_json), "--plot", str(out_png)],
    )
    assert result.exit_code == 0, result.output
    assert "bad debt created" in result.output and "gen3" in result.output
    report = json.loads(out_json.read_text())
    assert set(report["policies"]) == {"gen1", "gen2", "gen3"}
    assert out_png.stat().st_size > 10_000


@pytest.mark.covers("PARAM-FILES")
def test_simulate_reports_a_bad_file_and_fails(small_scenario: Path) -> None:
    small_scenario.write_text(small_scenario.read_text().replace("tick = 60", "tick = -1"))
    result = CliRunner().invoke(cli, ["simulate", str(small_scenario), "--policy", "gen1"])
    assert result.exit_code != 0
    assert "tick: = -1" in result.output

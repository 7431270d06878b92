"""Scenario files with several markets (SIM-MANY-MARKETS): the shipped ones load as
their modules build them, ``zle simulate`` prints a table per market and the totals and
draws a panel per market, and a malformed file is refused by file, line and field with
exit status 2 and nothing written."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from simulation.many_markets import LUNA_FLOOR, MAY2022_ADVERSARIES, may2022
from simulation.system_files import load_system
from zle.main import cli

pytestmark = pytest.mark.xdist_group("many-markets")

SYSTEMS = Path(__file__).parents[2] / "scenarios" / "systems"
SMALL = """
name = "two small markets"
policies = ["gen1", "gen3"]

[[market]]
id = "ETH"
venue = "ethereum"
scenario = "luna2022-1h"
population = 4
points = { hours = [0, 3, 6], prices = [2000, 1400, 1400] }

[[market]]
id = "ALT"
venue = "alt"
scenario = "luna2022-1h"
population = 4
points = { hours = [0, 6], prices = [80, 20] }
min_answer = 30
adversary = "floor-borrower"
"""


@pytest.mark.covers("SIM-MANY-MARKETS")
def test_the_shipped_may_2022_file_is_the_module_reconstruction() -> None:
    system = load_system(SYSTEMS / "may2022.toml")
    built = may2022()
    for market in ("ETH", "LUNA"):
        assert system.markets[market][0].path == built[market][0].path
        assert system.markets[market][0].oracle == built[market][0].oracle
        assert system.markets[market][1] == built[market][1]
    assert system.markets["LUNA"][0].oracle.floor == LUNA_FLOOR
    assert system.adversaries == MAY2022_ADVERSARIES


@pytest.mark.covers("SIM-MANY-MARKETS")
@pytest.mark.parametrize("name", sorted(p.name for p in SYSTEMS.glob("*.toml")))
def test_every_shipped_system_file_loads(name: str) -> None:
    system = load_system(SYSTEMS / name)
    assert len(system.markets) >= 2
    assert len({scenario.path.end for scenario, _ in system.markets.values()}) == 1


@pytest.mark.covers("SIM-MANY-MARKETS")
def test_simulate_prints_each_market_and_the_totals_and_plots_a_panel_each(
    tmp_path: Path,
) -> None:
    spec = tmp_path / "two.toml"
    spec.write_text(SMALL)
    out_json, out_png = tmp_path / "two.json", tmp_path / "two.png"
    result = CliRunner().invoke(
        cli, ["simulate", str(spec), "--json", str(out_json), "--plot", str(out_png)]
    )
    assert result.exit_code == 0, result.output
    assert "per market" in result.output and "totals per topology and policy" in result.output
    assert "ALT lenders lose" in result.output
    report = json.loads(out_json.read_text())
    runs = {(r["topology"], r["policy"]) for r in report["runs"]}
    assert runs == {(t, p) for t in ("ISOLATED", "SHARED") for p in ("gen1", "gen3")}
    alt = next(r for r in report["runs"] if r["topology"] == "ISOLATED")["markets"]["ALT"]
    assert alt["underwater"] > 0  # the floor let the borrower in
    assert out_png.stat().st_size > 10_000


@pytest.mark.covers("SIM-MANY-MARKETS", "PARAM-FILES")
@pytest.mark.parametrize(
    ("old", "new", "reported"),
    [
        ('id = "ALT"', 'id = "ETH"', ':13: market[1].id: = "ETH": each market needs its own'),
        (
            "population = 4\npoints = { hours = [0, 6]",
            "population = 0\npoints = { hours = [0, 6]",
            ":16: market[1].population: = 0",
        ),
        ('adversary = "floor-borrower"', 'adversary = "whale"', ":19: market[1].adversary:"),
        (
            'scenario = "luna2022-1h"\npopulation = 4\npoints = { hours = [0, 6]',
            'scenario = "nowhere.toml"\npopulation = 4\npoints = { hours = [0, 6]',
            ':15: market[1].scenario: = "nowhere.toml": no such file',
        ),
        ("prices = [80, 20]", "prices = [80]", ":17: market[1].points: needs hours and prices"),
        ('policies = ["gen1", "gen3"]', 'policies = ["gen4"]', ":3: policies: must be"),
        ('name = "two', 'nmae = "two', ":2: nmae: unknown key"),
    ],
)
def test_a_malformed_system_file_is_refused_by_line_and_field(
    tmp_path: Path, old: str, new: str, reported: str
) -> None:
    spec = tmp_path / "bad.toml"
    assert old in SMALL
    spec.write_text(SMALL.replace(old, new, 1))
    out_png = tmp_path / "bad.png"
    result = CliRunner().invoke(cli, ["simulate", str(spec), "--plot", str(out_png)])
    assert result.exit_code == 2, result.output
    assert f"{spec}{reported}" in result.output
    assert not out_png.exists()


@pytest.mark.covers("SIM-MANY-MARKETS")
def test_a_bad_correlation_matrix_is_refused_naming_the_entry(tmp_path: Path) -> None:
    text = (SYSTEMS / "correlated.toml").read_text()
    spec = tmp_path / "corr.toml"
    spec.write_text(text.replace("[0.8, 1.0, 0.6]", "[0.7, 1.0, 0.6]"))
    result = CliRunner().invoke(cli, ["simulate", str(spec)])
    assert result.exit_code == 2
    assert "correlation[1][0] = 0.7 but correlation[0][1] = 0.8" in result.output
    assert ":17: correlated.correlation:" in result.output


@pytest.mark.covers("SIM-MANY-MARKETS")
def test_a_single_market_file_is_not_taken_for_several_markets(small_scenario: Path) -> None:
    from simulation.file_text import parse_toml
    from simulation.system_files import is_system_file

    assert not is_system_file(parse_toml(small_scenario)[0])
    assert is_system_file(parse_toml(SYSTEMS / "may2022.toml")[0])

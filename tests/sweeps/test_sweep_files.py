"""A sweep file that cannot be used: every problem at once, at the sweep's own lines,
exit status 2, nothing run and nothing written."""

from __future__ import annotations

from contextlib import ExitStack
from pathlib import Path

import pytest
from click.testing import CliRunner

from simulation.file_text import ConfigFileError
from simulation.sweeps.draws import Draw
from simulation.sweeps.spec import load_sweep
from tests.sweeps.conftest import SMALL_SWEEP
from zle.main import cli


def problems_of(path: Path) -> list[str]:
    with ExitStack() as stack, pytest.raises(ConfigFileError) as caught:
        load_sweep(path, stack)
    return [str(p) for p in caught.value.problems]


def line_of(text: str, fragment: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if fragment in line)


def test_a_grid_value_the_engine_refuses_is_reported_at_the_grid_line(tmp_path: Path) -> None:
    text = SMALL_SWEEP.replace("[1.25, 1.3]", '[1.25, "90%"]')
    path = tmp_path / "s.toml"
    path.write_text(text)
    problems = problems_of(path)
    line = line_of(text, "liquidation_ratio")
    assert any(
        p.startswith(f"{path}:{line}: grid.params.gen3.liquidation_ratio:") and "90%" in p
        for p in problems
    ), problems


def test_every_problem_of_the_sweep_itself_at_once(tmp_path: Path) -> None:
    text = (
        SMALL_SWEEP.replace("seeds = 4", 'seeds = 0\npolicies = ["gen4"]\ncolour = 1')
        .replace('scenarios = ["blackthursday2020-10min"]', 'scenarios = ["no-such-scenario"]')
        .replace("funding.pol = { uniform", "market.fee = { uniform")
    )
    text += '\n[override.path]\nsource = "gbm"\n'
    path = tmp_path / "s.toml"
    path.write_text(text)
    problems = "\n".join(problems_of(path))
    for expected in (
        f"{path}:{line_of(text, 'colour')}: colour: unknown key",
        f"{path}:{line_of(text, 'scenarios')}: scenarios: [0] = 'no-such-scenario'",
        f"{path}:{line_of(text, 'policies')}: policies: must be a list of distinct policies",
        f"{path}:{line_of(text, 'seeds')}: seeds: = 0",
        f"{path}:{line_of(text, 'market.fee')}: draw.market.fee: only params.* and funding.*",
        "override.path.source: not a field a sweep may set here",
    ):
        assert expected in problems, problems


def test_the_command_exits_2_and_writes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "s.toml"
    path.write_text(SMALL_SWEEP.replace("block = 6", "block = 0"))
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["sweep", str(path), "--out", str(out)])
    assert result.exit_code == 2
    assert f"{path}:{line_of(path.read_text(), 'block')}: path.block: = 0" in result.output
    assert "Traceback" not in result.output and not out.exists()


def test_a_folder_that_is_not_a_sweeps_is_refused(small_sweep: Path, tmp_path: Path) -> None:
    out = tmp_path / "mine"
    out.mkdir()
    (out / "notes.txt").write_text("mine")
    result = CliRunner().invoke(cli, ["sweep", str(small_sweep), "--out", str(out)])
    assert result.exit_code == 2 and "not a sweep's" in result.output
    missing = CliRunner().invoke(cli, ["sweep", "no-such-sweep"])
    assert missing.exit_code == 2 and "blackthursday-bootstrap" in missing.output


def test_draws_depend_on_the_seed_alone() -> None:
    insurance = Draw("funding.insurance", "uniform", (10_000, 20_000))
    assert [insurance.value(s) for s in range(5)] == [insurance.value(s) for s in range(5)]
    assert len({insurance.value(s) for s in range(50)}) > 40
    assert all(10_000 <= insurance.value(s) <= 20_000 for s in range(200))
    assert all(isinstance(insurance.value(s), int) for s in range(5))
    step = Draw("params.oracle.max_step", "loguniform", ("1%", "4%"))
    assert all(0.01 <= step.value(s) <= 0.04 for s in range(200))
    curve = Draw("params.gen2.curve", "choice", ({"kind": "linear", "tau": 3600}, {"kind": "x"}))
    assert {curve.value(s)["kind"] for s in range(40)} == {"linear", "x"}


def test_an_unusable_scheduler_exits_2_and_writes_nothing(
    small_sweep: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    result = CliRunner().invoke(
        cli, ["sweep", str(small_sweep), "--out", str(out), "--scheduler", "nonsense://host:1"]
    )
    assert result.exit_code == 2 and "cannot reach the Dask scheduler" in result.output
    assert not out.exists()

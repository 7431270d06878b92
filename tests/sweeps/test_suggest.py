"""``zle params suggest --sweep``: proofs certify, the sweep ranks, the lightest safe tail wins."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from tests.sweeps.conftest import SMALL_SWEEP
from zle.main import cli


def test_the_suggestion_is_certified_and_has_the_lightest_certified_tail(
    tmp_path: Path,
) -> None:
    text = SMALL_SWEEP.replace("seeds = 4", 'seeds = 3\npolicies = ["gen3"]')
    text = text.replace(
        "params.gen3.liquidation_ratio = [1.25, 1.3]",
        'params.gen3.liquidation_ratio = [1.25, 1.4]\nparams.oracle.max_step = ["2%", "4%"]',
    )
    path = tmp_path / "s.toml"
    path.write_text(text)
    out = tmp_path / "out"
    result = CliRunner().invoke(
        cli,
        [
            "params",
            "suggest",
            "--sweep",
            str(path),
            "--out",
            str(out),
            "--workers",
            "1",
            "--json",
            "-",
        ],
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    sets = report["sets"]
    assert [s["certified"] for s in sets] == [True, False, True, False]
    assert all(s["inequality_a"] and s["inequality_b"] is s["certified"] for s in sets)
    assert [s["kick_backed"] for s in sets if s["certified"]] == ["proved", "proved"]
    certified = [s for s in sets if s["certified"]]
    best = min(certified, key=lambda s: s["gen3"]["total_loss"]["es99"])
    assert report["suggested"]["parameters"] == best["parameters"]
    assert all(s["gen3"]["runs"] == 3 for s in sets)
    assert (out / "runs.parquet").is_file()


def test_suggest_arguments_that_do_not_go_together_exit_2(tmp_path: Path) -> None:
    runner = CliRunner()
    both = runner.invoke(cli, ["params", "suggest", "--sweep", "x.toml", "--max-step", "2"])
    assert both.exit_code == 2 and "--sweep ranks" in both.output
    neither = runner.invoke(cli, ["params", "suggest"])
    assert neither.exit_code == 2 and "--max-step" in neither.output
    stray = runner.invoke(cli, ["params", "suggest", "--max-step", "2", "--workers", "2"])
    assert stray.exit_code == 2 and "--workers only go with --sweep" in stray.output
    path = tmp_path / "s.toml"
    path.write_text(SMALL_SWEEP.replace("seeds = 4", 'seeds = 2\npolicies = ["gen1"]'))
    no_gen3 = runner.invoke(cli, ["params", "suggest", "--sweep", str(path)])
    assert no_gen3.exit_code == 2 and "runs no gen3" in no_gen3.output

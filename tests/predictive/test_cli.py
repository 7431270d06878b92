"""``zle predict`` refuses what it cannot use before any training starts."""

from __future__ import annotations

from click.testing import CliRunner

from zle.main import cli


def test_an_unknown_scenario_is_bad_input() -> None:
    result = CliRunner().invoke(cli, ["predict", "atlantis2030", "--no-progress"])
    assert result.exit_code == 2
    assert "no shipped scenario 'atlantis2030'" in result.output


def test_too_few_training_paths_is_bad_input() -> None:
    result = CliRunner().invoke(cli, ["predict", "--paths", "1", "--no-progress"])
    assert result.exit_code == 2

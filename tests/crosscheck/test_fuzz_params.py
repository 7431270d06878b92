"""``zle fuzz --params random|FILE``: valid parameter sets over every policy option and
range edge; the model agrees with itself under them, the toy implementation does not,
and the divergence names the parameters and records them in its trace."""

from __future__ import annotations

import json
import random
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner

from crosscheck.adapter import ModelImplementation
from crosscheck.fuzz import fuzz
from crosscheck.parameter_sets import draw_config
from crosscheck.strategies import RandomChooser
from crosscheck.trace import open_trace
from model.params.validation import validate
from zle.main import cli


@pytest.mark.covers("DIFFERENTIAL-FUZZ", "PARAM-RANGES", "PARAM-CROSS")
@pytest.mark.parametrize("policy", ["gen1", "gen2", "gen3"])
def test_every_drawn_set_is_valid_and_the_options_are_reached(policy: str) -> None:
    chooser = RandomChooser(random.Random(policy))
    seen: Counter[str] = Counter()
    for _ in range(300):
        config = draw_config(chooser, policy)
        assert validate(config) == ()
        seen[f"dust={config.dust}"] += 1
        curve = getattr(config.policy, "curve", None)
        if curve is not None:
            seen[type(curve).__name__] += 1
        if getattr(config.policy, "tip", 0) > 0:
            seen["flat tip"] += 1
    assert seen["dust=0"] and seen["dust=1"]
    if policy == "gen2":
        for option in ("LinearDecrease", "ExponentialDecrease", "StairstepExponentialDecrease"):
            assert seen[option], option
        assert seen["flat tip"]


@pytest.mark.covers("DIFFERENTIAL-FUZZ")
@pytest.mark.parametrize("policy", ["gen1", "gen2", "gen3"])
def test_the_model_agrees_with_itself_under_random_parameters(policy: str) -> None:
    report = fuzz(ModelImplementation(), policy, steps=300, seed=3, params="random")
    assert report.divergence is None and report.steps >= 150


@pytest.mark.covers("DIFFERENTIAL-FUZZ", "TRACE-REPLAY")
@pytest.mark.parametrize("policy", ["gen2", "gen3"])
def test_random_parameters_find_the_toy_and_the_trace_records_them(
    policy: str, tmp_path: Path
) -> None:
    out = tmp_path / "divergence.jsonl"
    runner = CliRunner()
    args = ["fuzz", "--impl", "tests.crosscheck.toy_divergent:make", "--policy", policy]
    result = runner.invoke(
        cli,
        [
            *args,
            "--params",
            "random",
            "--steps",
            "3000",
            "--seed",
            "1",
            "--out",
            str(out),
            "--json",
        ],
    )
    assert result.exit_code == 1, result.output
    divergence = json.loads(result.output)["runs"][-1]["divergence"]
    assert "parameters" in divergence and "config" in divergence
    reader, stream = open_trace(out)
    stream.close()
    from crosscheck import wire

    assert wire.encode_config(reader.header.config) == divergence["config"]
    replayed = runner.invoke(cli, ["replay", str(out), "--json"])
    assert replayed.exit_code == 1


@pytest.mark.covers("DIFFERENTIAL-FUZZ")
def test_params_from_a_file_and_a_bad_file(tmp_path: Path) -> None:
    good = tmp_path / "p.toml"
    good.write_text("[params]\ndust = 1\n\n[params.gen2]\ntip = 100\n")
    runner = CliRunner()
    args = ["fuzz", "--impl", "crosscheck.adapter:ModelImplementation", "--policy", "gen2"]
    result = runner.invoke(cli, [*args, "--params", str(good), "--steps", "100"])
    assert result.exit_code == 0, result.output
    bad = tmp_path / "bad.toml"
    bad.write_text("[params.gen2]\nmat = 0.5\n")
    result = runner.invoke(cli, [*args, "--params", str(bad), "--steps", "100"])
    assert result.exit_code == 2 and "cannot fuzz" in result.output

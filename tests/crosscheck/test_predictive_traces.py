"""Pre-liquidation and the steward on the wire: a trace with the three new actions, a
configuration with steward bounds and states with terms and a steward record is written,
validated against the schema and replayed without a divergence; the fuzzer draws the
new actions under such a configuration and the model agrees with itself; without a
steward the walks draw nothing new (the vectors found by exploration stay as they were).
"""

from __future__ import annotations

import json
import random
from collections import Counter
from pathlib import Path

import attrs
import pytest
from click.testing import CliRunner

from crosscheck.adapter import ModelImplementation
from crosscheck.fuzz import fuzz
from crosscheck.record import record_model
from crosscheck.strategies import RandomChooser, next_action
from crosscheck.vectors.catalogue import BASE, crash, run
from crosscheck.vectors.predictive import TERMS, update
from model import step
from model.actions import AdvanceTime, PreLiquidate, SetPreLiquidation
from model.numbers import RAY, WAD
from model.outcome import Accepted
from model.params.presets import PRESETS, STEWARD
from model.state import genesis
from zle.main import cli

CONFIG = attrs.evolve(PRESETS["gen3"], steward=STEWARD)


@pytest.mark.covers("TRACE-REPLAY", "ACT-PRE-LIQUIDATE", "ACT-UPDATE-PARAMS")
def test_a_trace_with_the_new_actions_replays(tmp_path: Path) -> None:
    start = genesis(CONFIG, spot=2_000 * RAY, depth=1_000 * WAD)
    actions = [
        *BASE,
        SetPreLiquidation("bob", 1, *TERMS),
        update("130"),
        *crash(1600),
        PreLiquidate("kpr", 1, 2_000 * WAD),
        PreLiquidate("kpr", 1, 10**30),
        AdvanceTime(3_600),
        update("130", "150"),
        SetPreLiquidation("bob", 1, 0, 0, 0, 0, 0),
    ]
    path = tmp_path / "predictive.jsonl"
    final = record_model(path, CONFIG, start, actions, checkpoint_every=5)
    assert final.steward is not None and not final.pre_liquidation
    lines = [json.loads(line) for line in path.read_text().splitlines()]
    assert "steward" in lines[0]["config"]
    accepted = [line for line in lines[1:] if "accepted" in line]
    assert len(accepted) >= len(actions) - 1
    result = CliRunner().invoke(cli, ["replay", str(path), "--json"])
    assert result.exit_code == 0, result.output


def test_without_a_steward_the_walks_draw_nothing_new() -> None:
    state = run(genesis(PRESETS["gen3"], spot=2_000 * RAY, depth=1_000 * WAD), BASE, "base")
    chooser = RandomChooser(random.Random(7))
    kinds = Counter(type(next_action(chooser, state, True)).__name__ for _ in range(2_000))
    assert not {"SetPreLiquidation", "PreLiquidate", "UpdateParams"} & set(kinds)


@pytest.mark.covers("DIFFERENTIAL-FUZZ")
def test_the_fuzzer_draws_the_new_actions_and_the_model_agrees_with_itself(
    tmp_path: Path,
) -> None:
    state = run(genesis(CONFIG, spot=2_000 * RAY, depth=1_000 * WAD), BASE, "base")
    state = run(state, [SetPreLiquidation("bob", 1, *TERMS), *crash(1600)], "in band")
    chooser = RandomChooser(random.Random(7))
    accepted: Counter[str] = Counter()
    for _ in range(3_000):
        action = next_action(chooser, state, chooser.integer(0, 2) == 0)
        outcome = step(state, action)
        if isinstance(outcome, Accepted):
            accepted[type(action).__name__] += 1
    assert {"SetPreLiquidation", "PreLiquidate", "UpdateParams"} <= set(accepted)
    report = fuzz(ModelImplementation(), "gen3", steps=300, seed=4, params=CONFIG)
    assert report.divergence is None and report.steps >= 150

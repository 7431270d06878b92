"""Issue 17's hook leaves reactive runs alone: every shipped scenario, every gen 3 figure."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from simulation.files import load_scenario
from simulation.runner import PolicyRun, run_policy
from tests.predictive.reactive_golden import SCENARIOS, figures

GOLDEN = json.loads((Path(__file__).parent / "reactive_gen3.json").read_text())


@pytest.mark.parametrize("name", sorted(GOLDEN))
def test_reactive_gen3_is_what_it_was_before_the_hook(name: str) -> None:
    assert figures(name) == GOLDEN[name]


def test_every_shipped_scenario_has_its_recorded_figures() -> None:
    assert sorted(GOLDEN) == sorted(p.stem for p in SCENARIOS.glob("*.toml"))


class Idle:
    """A controller that acts on nothing."""

    def __init__(self) -> None:
        self.ticks = 0

    def act(self, run: PolicyRun, t: int) -> None:
        self.ticks += 1


def test_a_controller_that_does_nothing_changes_nothing() -> None:
    scenario = load_scenario(SCENARIOS / "adversarial-spike.toml")
    idle = Idle()
    watched = run_policy(scenario, "gen3", controller=idle).metrics
    assert idle.ticks == scenario.path.end // scenario.tick + 1
    assert watched.as_dict() == run_policy(scenario, "gen3").metrics.as_dict()

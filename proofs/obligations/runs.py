"""Short runs of actions from a symbolic state: the worlds of the theorem obligations.

A theorem speaks about a few steps (reports, a kick, a take, a settlement) from a state
whose numbers are free; :func:`run_actions` runs the engine through them and keeps what
each step returned, for claims about the whole run.
"""

from __future__ import annotations

from typing import Any

import attrs

from model import Accepted, step
from model.numbers import RAY, WAD
from model.params.presets import PRESETS, percent
from model.params.records import Config, Gen3ZeroLossParams
from model.state import State
from proofs.world import Ranges, Shape

RANGES = Ranges()
ONE_POSITION = Shape(owners=("ann",), auctions=(), lps=("lp",))
DEEP_POSITION = attrs.evolve(ONE_POSITION, fixed=(("market.depth", Ranges().amount),))
"""For the lemmas under ASM-MIN-DEPTH: a market whose depth is the range's bound, so the
depth budget (``depth * depth_fraction``) is a constant, not a product the solver must
reason about; how much depth the world needs is then a bound on the collateral alone."""
SLIDE_POSITION = attrs.evolve(
    ONE_POSITION,
    fixed=(
        ("oracle.spot", 2_000 * RAY),
        ("oracle.reference", 2_000 * RAY),
        ("pos0.collateral", 10 * WAD),
    ),
)
"""For the necessity witnesses: the slide starts from a concrete price and collateral
(any one serves a counterexample; the solver picks the debt and the rest), which keeps
six oracle reports and a kick linear for the solver."""
GEN3 = PRESETS["gen3"]


def gen3_params(config: Config) -> Gen3ZeroLossParams:
    assert isinstance(config.policy, Gen3ZeroLossParams)
    return config.policy


def with_max_step(config: Config, value: str) -> Config:
    return attrs.evolve(config, oracle=attrs.evolve(config.oracle, max_step=percent(value)))


@attrs.frozen
class Run:
    """A short run of actions from ``pre``: what each step returned."""

    pre: State
    actions: tuple[object, ...]
    outcomes: tuple[Any, ...]

    @property
    def final(self) -> State:
        return self.outcomes[-1].state if self.outcomes else self.pre

    def events(self) -> list[object]:
        return [e for o in self.outcomes if isinstance(o, Accepted) for e in o.events]


def run_actions(pre: State, actions: list[object]) -> Run:
    state, outcomes = pre, []
    for action in actions:
        outcome = step(state, action)
        outcomes.append(outcome)
        state = outcome.state
    return Run(pre, tuple(actions), tuple(outcomes))

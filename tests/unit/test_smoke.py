"""A first end-to-end path through every policy, checking every invariant at every step."""

from __future__ import annotations

import pytest

from model import Accepted, genesis, step
from model.actions import (
    AdvanceTime,
    Borrow,
    DepositCollateral,
    FundInsurance,
    FundPol,
    Kick,
    Liquidate,
    OpenPosition,
    ReportOracle,
    Settle,
    SupplyLiquidity,
    Take,
)
from model.invariants import violated_invariants, violated_step_properties
from model.numbers import RAY, WAD
from model.params.presets import PRESETS


@pytest.mark.covers("ENGINE-STEP")
@pytest.mark.parametrize("policy", ["gen1", "gen2", "gen3"])
def test_crash_path_keeps_every_invariant(policy: str) -> None:
    state = genesis(PRESETS[policy], spot=2000 * RAY, depth=1000 * WAD)
    actions: list[object] = [
        SupplyLiquidity("lp", 1_000_000 * WAD),
        FundInsurance("dao", 10_000 * WAD),
        FundPol("dao", 100_000 * WAD),
        OpenPosition("bob"),
        DepositCollateral("bob", 0, 10 * WAD),
        Borrow("bob", 0, 12_000 * WAD),
    ]
    for _ in range(20):
        actions += [AdvanceTime(600), ReportOracle(1400 * RAY)]
    actions += [
        Liquidate("liq", 0, 6_000 * WAD),
        Kick("kpr", 0),
        AdvanceTime(300),
        Take("bidder", 0, 100 * WAD, 10**40),
        Settle(0),
    ]
    accepted = 0
    for action in actions:
        outcome = step(state, action)
        assert violated_invariants(outcome.state) == ()
        assert violated_step_properties(state, action, outcome) == ()
        accepted += isinstance(outcome, Accepted)
        state = outcome.state
    assert accepted >= len(actions) - 4

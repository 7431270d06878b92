"""Regressions: each test pins a bug that was found and fixed, with how it was found."""

from __future__ import annotations

import attrs
import pytest

from model import Accepted, Refused, genesis, step
from model.actions import (
    AdvanceTime,
    Borrow,
    DepositCollateral,
    Kick,
    OpenPosition,
    ReportOracle,
    SupplyLiquidity,
    WithdrawLiquidity,
)
from model.errors import RefusalCode
from model.numbers import RAY, WAD
from model.params.presets import PRESETS
from model.policies.gen3_zero_loss import below_liquidation_ratio, debt_to_target, params
from model.state import Pool


@pytest.mark.covers("ACT-WITHDRAW-LIQUIDITY")
@pytest.mark.parametrize("policy", ["gen1", "gen2", "gen3"])
def test_no_withdrawal_of_orphaned_claims_without_shares(policy: str) -> None:
    """Found in review: with total_shares = 0 but lp_claims > 0 (claims left behind by
    rounding or penalty income after every LP exited), the burn rounded to 0 shares and
    an account holding none could withdraw the pool's cash."""
    state = genesis(PRESETS[policy], spot=2_000 * RAY)
    orphaned = Pool(cash=5 * WAD, lp_claims=5 * WAD, total_shares=0)
    state = attrs.evolve(state, pool=orphaned)
    outcome = step(state, WithdrawLiquidity("stranger", 1 * WAD))
    assert isinstance(outcome, Refused)
    assert outcome.refusal.code is RefusalCode.INSUFFICIENT_SHARES


@pytest.mark.covers("GEN3-SLICE")
def test_gen3_kicks_at_least_dust_when_the_target_slice_is_smaller() -> None:
    """Found by the Black Thursday simulation (7,155 refused kicks): a position just below
    the liquidation ratio needs a slice smaller than dust to restore the target; the kick
    was refused as DUSTY_AUCTION and the position stayed below the ratio, unkickable."""
    config = attrs.evolve(
        PRESETS["gen3"],
        policy=attrs.evolve(PRESETS["gen3"].policy, target_ratio=12_505 * RAY // 10_000),
    )
    state = genesis(config, spot=2_000 * RAY, depth=10**6 * WAD)
    for action in (
        SupplyLiquidity("lp", 10**7 * WAD),
        OpenPosition("b"),
        DepositCollateral("b", 0, 100 * WAD),
        Borrow("b", 0, 120_000 * WAD),  # ratio 1.667 at 2,000
        AdvanceTime(600),
        ReportOracle(1_999 * RAY),
    ):
        state = step(state, action).state
    # walk the reference down to 1,499.9: the position is just below L = 1.25
    while not below_liquidation_ratio(state, state.positions[0]):
        state = step(state, AdvanceTime(600)).state
        price = max(state.oracle.reference * 995 // 1_000, 1_499_900 * RAY // 1_000)
        state = step(state, ReportOracle(price)).state
    position = state.positions[0]
    assert debt_to_target(params(state), position, state.oracle.reference) < state.config.dust
    outcome = step(state, Kick("keeper", 0))
    assert isinstance(outcome, Accepted), outcome
    assert outcome.state.auctions[0].debt == state.config.dust


@pytest.mark.covers("GEN3-SLICE", "GEN3-BREAKERS")
def test_gen3_a_cut_below_dust_waits_for_depth_and_says_so() -> None:
    """Found by the Black Thursday simulation: when the depth budget left less room than a
    dust-sized slice, the kick was refused as DUSTY_AUCTION, hiding that depth was the
    binding limit. It is DEPTH_EXHAUSTED, and a new period lets the kick through."""
    state = genesis(PRESETS["gen3"], spot=2_000 * RAY, depth=3 * WAD)  # 1.5 per period (50 %)
    for action in (
        SupplyLiquidity("lp", 10**7 * WAD),
        OpenPosition("small"),
        DepositCollateral("small", 0, 11 * WAD // 10),
        Borrow("small", 0, 1_300 * WAD),
        OpenPosition("big"),
        DepositCollateral("big", 1, 100 * WAD),
        Borrow("big", 1, 120_000 * WAD),
    ):
        state = step(state, action).state
    while not below_liquidation_ratio(state, state.positions[0]):
        state = step(state, AdvanceTime(600)).state
        state = step(state, ReportOracle(1_450 * RAY)).state
    small = step(state, Kick("keeper", 0))  # the whole small position: about 1.05 of the 1.5
    assert isinstance(small, Accepted)
    state = small.state
    big = step(state, Kick("keeper", 1))  # room left: about 0.45, worth less than dust
    assert isinstance(big, Refused)
    assert big.refusal.code is RefusalCode.DEPTH_EXHAUSTED
    state = step(state, AdvanceTime(600)).state
    assert isinstance(step(state, Kick("keeper", 1)), Accepted)


@pytest.mark.covers("ENGINE-STEP", "NUM-UINT256")
@pytest.mark.parametrize("amount", ["1", 1.5, None, b"1"])
def test_a_non_integer_amount_is_a_refusal_not_an_exception(amount: object) -> None:
    """Found by the spec-first unit tests: a mistyped amount raised TypeError (or, for a
    float, was silently used) inside step; no exception may escape step."""
    state = genesis(PRESETS["gen3"], spot=2_000 * RAY)
    outcome = step(state, SupplyLiquidity("lp", amount))  # type: ignore[arg-type]
    assert isinstance(outcome, Refused)
    assert outcome.refusal.code is RefusalCode.AMOUNT_OUT_OF_RANGE
    assert outcome.refusal.detail == "action.amount"


@pytest.mark.covers("ENGINE-STEP")
def test_an_object_that_is_no_action_is_unsupported() -> None:
    """Found by the spec-first unit tests: step(state, object()) raised NotAttrsClassError."""
    state = genesis(PRESETS["gen1"], spot=2_000 * RAY)
    outcome = step(state, object())
    assert isinstance(outcome, Refused) and outcome.state is state
    assert outcome.refusal.code is RefusalCode.UNSUPPORTED_ACTION

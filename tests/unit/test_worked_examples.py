"""The worked examples of spec/examples.md, number for number."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import pytest

from model import Accepted, Refused, State, genesis, step
from model.actions import (
    AdvanceTime,
    Borrow,
    DepositCollateral,
    FundInsurance,
    FundPol,
    Kick,
    OpenPosition,
    ReportOracle,
    Settle,
    SupplyLiquidity,
    Take,
    WithdrawLiquidity,
)
from model.errors import RefusalCode
from model.events import (
    Buffer,
    CollateralReturned,
    IncentivePaid,
    Kicked,
    PenaltyCollected,
    ShortfallCovered,
    Taken,
)
from model.invariants import violated_invariants, violated_step_properties
from model.numbers import RAY, WAD
from model.params.presets import PRESETS
from model.policies.gen3_zero_loss import Zone, price, warning_ratio, zone

GEN3 = PRESETS["gen3"]


def run(state: State, actions: Sequence[object]) -> tuple[State, list[Accepted | Refused]]:
    outcomes = []
    for action in actions:
        outcome = step(state, action)
        assert violated_invariants(outcome.state) == ()
        assert violated_step_properties(state, action, outcome) == ()
        outcomes.append(outcome)
        state = outcome.state
    return state, outcomes


def accepted(state: State, action: object) -> tuple[State, Accepted]:
    outcome = step(state, action)
    assert isinstance(outcome, Accepted), outcome
    assert violated_step_properties(state, action, outcome) == ()
    return outcome.state, outcome


def start(insurance: int, pol: int) -> State:
    state = genesis(GEN3, spot=2_000 * RAY, depth=100 * WAD)
    state, _ = run(
        state,
        [
            SupplyLiquidity("lp", 1_000_000 * WAD),
            FundInsurance("dao", insurance * WAD),
            FundPol("dao", pol * WAD),
        ],
    )
    return state


def open_position(state: State, owner: str, collateral: int, debt: int) -> State:
    position = state.next_position
    state, outcomes = run(
        state,
        [
            OpenPosition(owner),
            DepositCollateral(owner, position, collateral * WAD),
            Borrow(owner, position, debt * WAD),
        ],
    )
    assert all(isinstance(o, Accepted) for o in outcomes)
    return state


def gap_to_1450(state: State) -> tuple[State, list[tuple[Any, ...]]]:
    rows = []
    for report in range(1, 17):
        state, _ = run(state, [AdvanceTime(600), ReportOracle(1_450 * RAY)])
        zones = tuple(zone(state, p) for p in state.positions.values())
        rows.append(
            (
                report,
                state.oracle.reference,
                state.oracle.volatility,
                warning_ratio(GEN3.policy, state.oracle.volatility),  # type: ignore[arg-type]
                *zones,
            )
        )
    return state, rows


def approx(value: int, scale: int, digits: int) -> float:
    """``value / scale`` rounded half-up to ``digits`` places, as the spec's tables show it."""
    quantum = Decimal(1).scaleb(-digits)
    return float((Decimal(value) / Decimal(scale)).quantize(quantum, rounding=ROUND_HALF_UP))


@pytest.mark.covers("EX-ZONES")
def test_example_1_zones() -> None:
    state = start(insurance=500, pol=100)
    state = open_position(state, "alice", 10, 12_000)
    state = open_position(state, "bob", 10, 13_500)
    assert zone(state, state.positions[0]) is Zone.SAFE
    assert zone(state, state.positions[1]) is Zone.SAFE
    state, rows = gap_to_1450(state)
    table = {
        row[0]: (
            approx(row[1], RAY, 4),
            approx(row[2] * 100, RAY, 3),
            approx(row[3], RAY, 4),
            row[4],
            row[5],
        )
        for row in rows
    }
    S, G, U, X = Zone.SAFE, Zone.GUARDED, Zone.UNWINDING, Zone.INSOLVENT
    assert table[1] == (1960.0, 2.75, 1.405, S, S)
    assert table[2] == (1920.8, 2.475, 1.3995, S, S)
    assert table[3] == (1882.384, 2.228, 1.3946, S, G)
    assert table[8] == (1701.526, 1.315, 1.3763, S, G)
    assert table[9] == (1667.4955, 1.184, 1.3737, S, U)
    assert table[10] == (1634.1456, 1.065, 1.3713, G, U)
    assert table[12] == (1569.4334, 0.863, 1.3673, G, X)
    assert table[15] == (1477.1382, 0.629, 1.3626, U, X)
    assert table[16] == (1450.0, 0.566, 1.3613, U, X)
    assert state.oracle.reference == 1_450 * RAY


@pytest.mark.covers("EX-ZONES")
def test_example_1_guarded_refuses_borrowing_and_breaker_refuses_early_kick() -> None:
    state = start(insurance=500, pol=100)
    state = open_position(state, "alice", 10, 12_000)
    state = open_position(state, "bob", 10, 13_500)
    state, _ = run(state, [AdvanceTime(600), ReportOracle(1_450 * RAY)])
    kick = step(state, Kick("keeper", 1))
    assert isinstance(kick, Refused) and kick.refusal.code is RefusalCode.DEVIATION_BREAKER
    state, _ = run(state, [AdvanceTime(600), ReportOracle(1_450 * RAY)] * 2)
    assert zone(state, state.positions[1]) is Zone.GUARDED
    borrow = step(state, Borrow("bob", 1, 1 * WAD))
    assert isinstance(borrow, Refused) and borrow.refusal.code is RefusalCode.UNDERCOLLATERALIZED


@pytest.mark.covers("EX-PARTIAL-TAKE")
def test_example_2_partial_unwind_partial_take_leftover_returned() -> None:
    state = start(insurance=500, pol=100)
    state = open_position(state, "alice", 10, 12_000)
    state = open_position(state, "bob", 10, 13_500)
    state, _ = gap_to_1450(state)
    assert state.time == 9_600

    state, kick = accepted(state, Kick("keeper", 0))
    kicked = next(e for e in kick.events if isinstance(e, Kicked))
    assert kicked.debt == 10_235_294117647058823530
    assert kicked.tab == 10_747_058823529411764707
    assert kicked.lot == 8_235294117647058824
    assert kicked.floor == 1_305 * RAY
    assert kicked.top == 1_522_500 * RAY // 1_000
    incentive = next(e for e in kick.events if isinstance(e, IncentivePaid))
    assert incentive.amount == 10_747058823529411764
    alice = state.positions[0]
    assert alice.collateral == 1_764705882352941176
    assert alice.debt == 1_764_705882352941176470
    assert state.auctions[0].backed
    assert state.market.kicked_in_period == kicked.lot

    state, _ = accepted(state, AdvanceTime(600))
    assert price(state, state.auctions[0]) == 1_413_750 * RAY // 1_000
    state, carol = accepted(state, Take("carol", 0, 4 * WAD, 1_414 * RAY))
    taken = next(e for e in carol.events if isinstance(e, Taken))
    assert (taken.collateral, taken.paid) == (4 * WAD, 5_655 * WAD)

    state, _ = accepted(state, AdvanceTime(600))
    state, dave = accepted(state, Take("dave", 0, 10 * WAD, 1_305 * RAY))
    taken = next(e for e in dave.events if isinstance(e, Taken))
    assert taken.paid == 5_092_058823529411764707
    assert taken.collateral == 3_901960784313725490
    penalty = next(e for e in dave.events if isinstance(e, PenaltyCollected))
    assert (penalty.to_insurance, penalty.to_lps) == (
        255_882352941176470588,
        255_882352941176470589,
    )

    state, settle = accepted(state, Settle(0))
    returned = next(e for e in settle.events if isinstance(e, CollateralReturned))
    assert returned.amount == 333333333333333334
    assert state.positions[0].collateral == 2_098039215686274510
    assert not any(isinstance(e, ShortfallCovered) for e in settle.events)
    assert violated_invariants(state) == ()


@pytest.mark.covers("EX-WATERFALL")
def test_example_3_shortfall_down_the_waterfall() -> None:
    state = start(insurance=200, pol=100)
    state = open_position(state, "bob", 10, 13_500)
    state, _ = gap_to_1450(state)
    state, kick = accepted(state, Kick("keeper", 0))
    kicked = next(e for e in kick.events if isinstance(e, Kicked))
    assert (kicked.lot, kicked.debt, kicked.tab) == (10 * WAD, 13_500 * WAD, 14_175 * WAD)
    assert not state.auctions[0].backed and state.unbacked == 1
    assert state.buffers.insurance == 185_825 * WAD // 1_000

    frozen = step(state, WithdrawLiquidity("lp", 1 * WAD))
    assert isinstance(frozen, Refused)
    assert frozen.refusal.code is RefusalCode.WITHDRAWALS_FROZEN

    state, _ = accepted(state, AdvanceTime(1_800))
    state, dave = accepted(state, Take("dave", 0, 10 * WAD, 1_305 * RAY))
    assert next(e for e in dave.events if isinstance(e, Taken)).paid == 13_050 * WAD
    assert state.auctions[0].lot == 0 and state.auctions[0].debt == 450 * WAD

    state, settle = accepted(state, Settle(0))
    covered = [(e.source, e.amount) for e in settle.events if isinstance(e, ShortfallCovered)]
    assert covered == [
        (Buffer.INSURANCE, 185_825 * WAD // 1_000),
        (Buffer.POL, 100 * WAD),
        (Buffer.LPS, 164_175 * WAD // 1_000),
    ]
    assert state.ledger.bad_debt == 164_175 * WAD // 1_000
    assert state.pool.lp_claims == 1_000_000 * WAD - 164_175 * WAD // 1_000
    assert isinstance(step(state, WithdrawLiquidity("lp", 1 * WAD)), Accepted)

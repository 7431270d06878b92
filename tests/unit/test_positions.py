"""Positions (spec/actions.md): open, deposit, withdraw collateral, borrow, repay.

Each guard is tested check by check in the spec's order, with pairs of failing checks to
show which one wins, and each policy's ``leverage_refusal`` at its exact boundary.
"""

from __future__ import annotations

import pytest

from model.actions import (
    AdvanceTime,
    Borrow,
    DepositCollateral,
    OpenPosition,
    Repay,
    WithdrawCollateral,
)
from model.errors import RefusalCode
from model.events import Borrowed, CollateralDeposited, CollateralWithdrawn, PositionOpened, Repaid
from model.numbers import RAY
from model.params.presets import GEN1_AAVE_V3, GEN2_MAKER_ETH_A, GEN3_ZERO_LOSS
from model.policies.gen3_zero_loss import warning_ratio
from model.state import Position
from tests.builders import Book, book, borrower, ray, wad

POLICIES = ["gen1", "gen2", "gen3"]

#: the collateral ratio each policy requires after a borrow or a withdrawal (at zero volatility)
REQUIRED_RATIO = {
    "gen1": GEN1_AAVE_V3.borrow_ratio,
    "gen2": RAY,  # against the Spotter's spot, which has mat in it
    "gen3": warning_ratio(GEN3_ZERO_LOSS, 0),
}


def decision_price(b: Book) -> int:
    """Gen 1 decides on spot; gen 2 on the Spotter's ``spot / mat`` (rounded down, as
    dss); gen 3 on the reference price."""
    policy = b.state.config.policy
    if policy is GEN3_ZERO_LOSS:
        return b.state.oracle.reference
    if policy is GEN2_MAKER_ETH_A:
        return b.state.oracle.spot * RAY // GEN2_MAKER_ETH_A.mat
    return b.state.oracle.spot


# --- OpenPosition ---------------------------------------------------------------------


@pytest.mark.covers("ACT-OPEN-POSITION")
@pytest.mark.parametrize("policy", POLICIES)
def test_open_position_numbers_positions_from_zero(policy: str) -> None:
    b = book(policy, liquidity=0)
    assert b.do(OpenPosition("alice")) == (PositionOpened(position=0, owner="alice"),)
    assert b.do(OpenPosition("alice")) == (PositionOpened(position=1, owner="alice"),)
    assert b.do(OpenPosition("")) == (PositionOpened(position=2, owner=""),)
    assert b.state.next_position == 3
    assert b.position(1) == Position(owner="alice", collateral=0, debt=0)


# --- DepositCollateral ----------------------------------------------------------------


@pytest.mark.covers("ACT-DEPOSIT-COLLATERAL")
@pytest.mark.parametrize("policy", POLICIES)
def test_anyone_may_deposit_into_a_position(policy: str) -> None:
    b = book(policy, liquidity=0)
    b.do(OpenPosition("alice"))
    events = b.do(DepositCollateral("bob", 0, wad(3)))
    assert events == (CollateralDeposited(position=0, amount=wad(3)),)
    assert b.position(0).collateral == wad(3)
    assert b.state.ledger.collateral_in == wad(3)


@pytest.mark.covers("ACT-DEPOSIT-COLLATERAL")
@pytest.mark.parametrize("policy", POLICIES)
def test_deposit_guard(policy: str) -> None:
    b = book(policy, liquidity=0)
    assert b.refusal_code(DepositCollateral("a", 0, 1)) is RefusalCode.UNKNOWN_POSITION
    assert b.refusal_code(DepositCollateral("a", 0, 0)) is RefusalCode.UNKNOWN_POSITION
    assert b.refusal_code(DepositCollateral("a", -1, 1)) is RefusalCode.UNKNOWN_POSITION
    b.do(OpenPosition("alice"))
    assert b.refusal_code(DepositCollateral("a", 0, 0)) is RefusalCode.ZERO_AMOUNT
    assert b.refusal_code(DepositCollateral("a", 1, 1)) is RefusalCode.UNKNOWN_POSITION


# --- WithdrawCollateral ---------------------------------------------------------------


@pytest.mark.covers("ACT-WITHDRAW-COLLATERAL")
@pytest.mark.parametrize("policy", POLICIES)
def test_the_owner_withdraws_collateral(policy: str) -> None:
    b = book(policy)
    borrower(b, "alice", 10, 0)
    events = b.do(WithdrawCollateral("alice", 0, wad(4)))
    assert events == (CollateralWithdrawn(position=0, amount=wad(4)),)
    assert b.position(0).collateral == wad(6)
    assert b.state.ledger.collateral_out == wad(4)
    b.do(WithdrawCollateral("alice", 0, wad(6)))  # all of it: no debt, no ratio to keep
    assert b.position(0).collateral == 0


@pytest.mark.covers("ACT-WITHDRAW-COLLATERAL")
@pytest.mark.parametrize("policy", POLICIES)
def test_withdraw_collateral_guard_order(policy: str) -> None:
    b = book(policy)
    assert b.refusal_code(WithdrawCollateral("bob", 0, 0)) is RefusalCode.UNKNOWN_POSITION
    borrower(b, "alice", 10, 10_000)
    assert b.refusal_code(WithdrawCollateral("bob", 0, 0)) is RefusalCode.NOT_OWNER
    assert b.refusal_code(WithdrawCollateral("bob", 0, wad(11))) is RefusalCode.NOT_OWNER
    assert b.refusal_code(WithdrawCollateral("alice", 0, 0)) is RefusalCode.ZERO_AMOUNT
    assert b.refusal_code(WithdrawCollateral("alice", 0, wad(11))) is (
        RefusalCode.INSUFFICIENT_COLLATERAL
    )
    # all the collateral while in debt: the leverage check refuses it
    assert b.refusal_code(WithdrawCollateral("alice", 0, wad(10))) is (
        RefusalCode.UNDERCOLLATERALIZED
    )


@pytest.mark.covers("ACT-WITHDRAW-COLLATERAL", "GEN3-VOLATILITY-BUFFER", "GEN3-ZONES")
@pytest.mark.parametrize("policy", POLICIES)
def test_withdraw_collateral_down_to_the_required_ratio_exactly(policy: str) -> None:
    b = book(policy)
    borrower(b, "alice", 20, 10_000)
    debt, price = b.position(0).debt, decision_price(b)
    least = -(-debt * REQUIRED_RATIO[policy] // price)  # C * price >= D * ratio
    excess = b.position(0).collateral - least
    assert b.refusal_code(WithdrawCollateral("alice", 0, excess + 1)) is (
        RefusalCode.UNDERCOLLATERALIZED
    )
    b.do(WithdrawCollateral("alice", 0, excess))
    assert b.position(0).collateral * price >= debt * REQUIRED_RATIO[policy]


# --- Borrow ---------------------------------------------------------------------------


@pytest.mark.covers("ACT-BORROW")
@pytest.mark.parametrize("policy", POLICIES)
def test_borrow_draws_cash(policy: str) -> None:
    b = book(policy, liquidity=100_000)
    borrower(b, "alice", 10, 0)
    events = b.do(Borrow("alice", 0, wad(5_000)))
    assert events == (Borrowed(position=0, amount=wad(5_000)),)
    assert b.position(0).debt == wad(5_000)
    assert b.state.pool.cash == wad(95_000)
    assert b.state.pool.lp_claims == wad(100_000)
    assert b.state.ledger.quote_out == wad(5_000)


@pytest.mark.covers("ACT-BORROW", "GEN3-VOLATILITY-BUFFER", "GEN3-ZONES")
@pytest.mark.parametrize("policy", POLICIES)
def test_borrow_up_to_the_required_ratio_exactly(policy: str) -> None:
    b = book(policy, liquidity=100_000)
    borrower(b, "alice", 10, 0)
    most = b.position(0).collateral * decision_price(b) // REQUIRED_RATIO[policy]
    assert b.refusal_code(Borrow("alice", 0, most + 1)) is RefusalCode.UNDERCOLLATERALIZED
    b.do(Borrow("alice", 0, most))
    assert b.refusal_code(Borrow("alice", 0, 1)) is RefusalCode.UNDERCOLLATERALIZED


@pytest.mark.covers("ACT-BORROW")
def test_reference_set_borrow_limits() -> None:
    """10 collateral at 2,000: Aave's LTV of 80 % lends 16,000; gen 3 lends 20,000 / 1.35."""
    for policy, most in (("gen1", wad(16_000)), ("gen3", ray(20_000) * 10**18 // ray("1.35"))):
        b = book(policy, liquidity=100_000)
        borrower(b, "alice", 10, 0)
        b.do(Borrow("alice", 0, most))
        assert b.refusal_code(Borrow("alice", 0, 1)) is RefusalCode.UNDERCOLLATERALIZED


@pytest.mark.covers("ACT-BORROW")
@pytest.mark.parametrize("policy", POLICIES)
def test_borrow_guard_order(policy: str) -> None:
    b = book(policy, liquidity=2_000)
    assert b.refusal_code(Borrow("bob", 0, 0)) is RefusalCode.UNKNOWN_POSITION
    borrower(b, "alice", 0, 0)
    assert b.refusal_code(Borrow("bob", 0, 0)) is RefusalCode.NOT_OWNER
    assert b.refusal_code(Borrow("alice", 0, 0)) is RefusalCode.ZERO_AMOUNT
    # more than the pool's cash (and undercollateralized): liquidity first
    assert b.refusal_code(Borrow("alice", 0, wad(2_001))) is RefusalCode.INSUFFICIENT_LIQUIDITY
    # below dust (and undercollateralized): dust first
    assert b.refusal_code(Borrow("alice", 0, wad(999))) is RefusalCode.DUST
    assert b.refusal_code(Borrow("alice", 0, wad(1_000))) is RefusalCode.UNDERCOLLATERALIZED


@pytest.mark.covers("ACT-BORROW", "DEBT-DUST")
@pytest.mark.parametrize("policy", POLICIES)
def test_dust_applies_to_the_debt_after_the_borrow(policy: str) -> None:
    b = book(policy, liquidity=100_000)
    borrower(b, "alice", 10, 0)
    assert b.refusal_code(Borrow("alice", 0, wad(1_000) - 1)) is RefusalCode.DUST
    b.do(Borrow("alice", 0, wad(1_000)))
    b.do(Borrow("alice", 0, 1))  # a small top-up of a debt already above dust is fine
    assert b.position(0).debt == wad(1_000) + 1


@pytest.mark.covers("ACT-BORROW", "ACT-WITHDRAW-COLLATERAL", "GEN3-BREAKERS")
def test_gen3_stale_oracle_refuses_borrowing_and_withdrawing() -> None:
    b = book("gen3", liquidity=100_000)
    borrower(b, "alice", 10, 1_000)
    b.do(AdvanceTime(GEN3_ZERO_LOSS.stale_after))  # exactly stale_after: still fresh
    b.do(Borrow("alice", 0, 1), WithdrawCollateral("alice", 0, 1))
    b.do(AdvanceTime(1))
    assert b.refusal_code(Borrow("alice", 0, 1)) is RefusalCode.ORACLE_STALE
    assert b.refusal_code(WithdrawCollateral("alice", 0, 1)) is RefusalCode.ORACLE_STALE
    # stale comes before the ratio check
    assert b.refusal_code(Borrow("alice", 0, wad(90_000))) is RefusalCode.ORACLE_STALE
    # the guard's earlier checks still come first
    assert b.refusal_code(Borrow("alice", 0, wad(10**6))) is RefusalCode.INSUFFICIENT_LIQUIDITY
    # with no debt left there is nothing to keep safe: withdrawal needs no fresh oracle
    b.do(Repay("alice", 0, wad(1_000) + 1), WithdrawCollateral("alice", 0, wad(1)))
    # but a first borrow creates debt (D' > 0): it needs a fresh oracle
    assert b.refusal_code(Borrow("alice", 0, wad(1_000))) is RefusalCode.ORACLE_STALE


@pytest.mark.covers("ACT-BORROW", "ACT-WITHDRAW-COLLATERAL")
@pytest.mark.parametrize("policy", ["gen1", "gen2"])
def test_gen1_and_gen2_do_not_look_at_oracle_age(policy: str) -> None:
    b = book(policy, liquidity=100_000)
    borrower(b, "alice", 10, 1_000)
    b.do(AdvanceTime(10**9), Borrow("alice", 0, 1), WithdrawCollateral("alice", 0, 1))


@pytest.mark.covers("ACT-BORROW", "GEN1-LIQUIDATION")
@pytest.mark.parametrize("policy", ["gen1", "gen2"])
def test_gen1_and_gen2_decide_on_spot_not_the_reference(policy: str) -> None:
    b = book(policy, liquidity=100_000)
    borrower(b, "alice", 10, 0)
    b.set_oracle(reference=ray(100))  # a lagging reference does not matter here
    b.set_oracle(spot=ray(2_000))
    most = wad(10) * decision_price(b) // REQUIRED_RATIO[policy]
    b.do(Borrow("alice", 0, most))


@pytest.mark.covers("ACT-BORROW", "GEN3-ZONES")
def test_gen3_decides_on_the_reference_not_spot() -> None:
    b = book("gen3", liquidity=100_000)
    borrower(b, "alice", 10, 0)
    b.set_oracle(spot=ray(100_000))  # spot far above: does not raise the limit
    most = wad(10) * ray(2_000) // REQUIRED_RATIO["gen3"]
    assert b.refusal_code(Borrow("alice", 0, most + 1)) is RefusalCode.UNDERCOLLATERALIZED


# --- Repay ----------------------------------------------------------------------------


@pytest.mark.covers("ACT-REPAY")
@pytest.mark.parametrize("policy", POLICIES)
def test_anyone_may_repay(policy: str) -> None:
    b = book(policy, liquidity=100_000)
    borrower(b, "alice", 10, 5_000)
    events = b.do(Repay("bob", 0, wad(2_000)))
    assert events == (Repaid(position=0, amount=wad(2_000)),)
    assert b.position(0).debt == wad(3_000)
    assert b.state.pool.cash == wad(97_000)
    assert b.state.ledger.quote_in == wad(102_000)
    b.do(Repay("alice", 0, wad(3_000)))
    assert b.position(0).debt == 0


@pytest.mark.covers("ACT-REPAY", "DEBT-DUST")
@pytest.mark.parametrize("policy", POLICIES)
def test_repay_guard_order(policy: str) -> None:
    b = book(policy, liquidity=100_000)
    assert b.refusal_code(Repay("bob", 0, 0)) is RefusalCode.UNKNOWN_POSITION
    borrower(b, "alice", 10, 5_000)
    assert b.refusal_code(Repay("bob", 0, 0)) is RefusalCode.ZERO_AMOUNT
    assert b.refusal_code(Repay("bob", 0, wad(5_000) + 1)) is RefusalCode.REPAY_EXCEEDS_DEBT
    assert b.refusal_code(Repay("bob", 0, wad(4_000) + 1)) is RefusalCode.DUST
    b.do(Repay("bob", 0, wad(4_000)))  # leaves exactly dust
    assert b.position(0).debt == wad(1_000)

"""The lending pool and the buffers (spec/actions.md): supply, withdraw, fund.

Shares are minted rounded down and burned rounded up, so rounding never moves value
from the pool to an LP (numbers.md, ROUNDING-FAVOURS-PROTOCOL).
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from immutables import Map

from model.actions import (
    Borrow,
    FundInsurance,
    FundPol,
    Kick,
    SupplyLiquidity,
    Take,
    WithdrawLiquidity,
)
from model.errors import RefusalCode
from model.events import InsuranceFunded, LiquiditySupplied, LiquidityWithdrawn, PolFunded
from model.state import Ledger, Pool
from tests.builders import Book, book, borrower, wad

POLICIES = ["gen1", "gen2", "gen3"]


def priced_pool(b: Book, claims: int, shares: dict[str, int]) -> None:
    """An empty book whose LPs hold ``shares`` of ``claims`` quote, all of it in cash.

    Claims above the shares are what penalty income to LPs produces; ``quote_in`` is set
    so that the conservation laws hold.
    """
    b.evolve(
        pool=Pool(cash=claims, lp_claims=claims, total_shares=sum(shares.values())),
        lp_shares=Map(shares),
        ledger=Ledger(collateral_in=0, collateral_out=0, quote_in=claims, quote_out=0, bad_debt=0),
    )


# --- SupplyLiquidity ------------------------------------------------------------------


@pytest.mark.covers("ACT-SUPPLY-LIQUIDITY")
@pytest.mark.parametrize("policy", POLICIES)
def test_first_supply_mints_one_share_per_unit(policy: str) -> None:
    b = book(policy, liquidity=0)
    events = b.do(SupplyLiquidity("lp", wad(1_000)))
    assert events == (LiquiditySupplied(lp="lp", amount=wad(1_000), shares=wad(1_000)),)
    assert b.state.pool == Pool(cash=wad(1_000), lp_claims=wad(1_000), total_shares=wad(1_000))
    assert dict(b.state.lp_shares) == {"lp": wad(1_000)}
    assert b.state.ledger.quote_in == wad(1_000)


@pytest.mark.covers("ACT-SUPPLY-LIQUIDITY", "NUM-ROUNDING", "ROUNDING-FAVOURS-PROTOCOL")
@pytest.mark.parametrize("policy", POLICIES)
def test_later_supplies_mint_pro_rata_rounded_down(policy: str) -> None:
    b = book(policy, liquidity=0)
    priced_pool(b, claims=3, shares={"lp": 2})
    events = b.do(SupplyLiquidity("lp2", 2))  # 2 * 2 / 3 = 1.33 shares
    assert events == (LiquiditySupplied(lp="lp2", amount=2, shares=1),)
    assert b.state.pool == Pool(cash=5, lp_claims=5, total_shares=3)
    assert dict(b.state.lp_shares) == {"lp": 2, "lp2": 1}
    b.do(SupplyLiquidity("lp", 5))  # 5 * 3 / 5 = 3 exactly
    assert b.state.lp_shares["lp"] == 5


@pytest.mark.covers("ACT-SUPPLY-LIQUIDITY")
@pytest.mark.parametrize("policy", POLICIES)
def test_supply_guard(policy: str) -> None:
    b = book(policy, liquidity=0)
    assert b.refusal_code(SupplyLiquidity("lp", 0)) is RefusalCode.ZERO_AMOUNT
    priced_pool(b, claims=3, shares={"lp": 2})
    assert b.refusal_code(SupplyLiquidity("lp2", 1)) is RefusalCode.ZERO_SHARES  # 2/3 share
    priced_pool(b, claims=0, shares={"lp": 2})
    assert b.refusal_code(SupplyLiquidity("lp2", wad(1))) is RefusalCode.POOL_INSOLVENT
    # which check wins: ZERO_AMOUNT over POOL_INSOLVENT (and over a zero share count)
    assert b.refusal_code(SupplyLiquidity("lp2", 0)) is RefusalCode.ZERO_AMOUNT


@pytest.mark.covers("ACT-SUPPLY-LIQUIDITY")
def test_supply_into_a_pool_that_earned_penalties_mints_fewer_shares() -> None:
    """A realistic priced pool: gen 3 penalty income raised the claims above the shares."""
    b = book("gen3", liquidity=100_000, insurance=1_000)
    borrower(b, "alice", 10, 14_000)
    b.set_prices(1_700)
    b.do(Kick("keeper", 0))
    b.do(Take("bidder", 0, wad(1_000), 10**40))
    pool = b.state.pool
    assert pool.lp_claims > pool.total_shares
    events = b.do(SupplyLiquidity("late", pool.lp_claims))
    assert isinstance(events[0], LiquiditySupplied)
    assert events[0].shares == pool.total_shares  # claims * shares / claims
    events = b.do(SupplyLiquidity("late", wad(1)))
    assert isinstance(events[0], LiquiditySupplied)
    assert events[0].shares < wad(1)


# --- WithdrawLiquidity ----------------------------------------------------------------


@pytest.mark.covers("ACT-WITHDRAW-LIQUIDITY")
@pytest.mark.parametrize("policy", POLICIES)
def test_withdraw_burns_shares_and_pays_cash(policy: str) -> None:
    b = book(policy, liquidity=1_000)
    events = b.do(WithdrawLiquidity("lp", wad(400)))
    assert events == (LiquidityWithdrawn(lp="lp", amount=wad(400), shares=wad(400)),)
    assert b.state.pool == Pool(cash=wad(600), lp_claims=wad(600), total_shares=wad(600))
    assert b.state.ledger.quote_out == wad(400)
    b.do(WithdrawLiquidity("lp", wad(600)))
    assert "lp" not in b.state.lp_shares  # the entry is removed at 0
    assert b.state.pool == Pool(cash=0, lp_claims=0, total_shares=0)


@pytest.mark.covers("ACT-WITHDRAW-LIQUIDITY", "NUM-ROUNDING", "ROUNDING-FAVOURS-PROTOCOL")
@pytest.mark.parametrize("policy", POLICIES)
def test_withdraw_burns_shares_rounded_up(policy: str) -> None:
    b = book(policy, liquidity=0)
    priced_pool(b, claims=3, shares={"lp": 2})
    events = b.do(WithdrawLiquidity("lp", 1))  # 1 * 2 / 3 = 0.67 share: burns 1
    assert events == (LiquidityWithdrawn(lp="lp", amount=1, shares=1),)
    assert b.state.pool == Pool(cash=2, lp_claims=2, total_shares=1)


@pytest.mark.covers("ACT-WITHDRAW-LIQUIDITY", "NUM-ROUNDING")
@pytest.mark.parametrize("policy", POLICIES)
def test_claims_left_without_shares_belong_to_no_one_until_the_next_supply(policy: str) -> None:
    b = book(policy, liquidity=0)
    priced_pool(b, claims=10, shares={"lp": 3})
    events = b.do(WithdrawLiquidity("lp", 7))  # burns ceil(7 * 3 / 10) = 3: every share
    assert events == (LiquidityWithdrawn(lp="lp", amount=7, shares=3),)
    assert b.state.pool == Pool(cash=3, lp_claims=3, total_shares=0)
    assert b.refusal_code(WithdrawLiquidity("lp", 1)) is RefusalCode.INSUFFICIENT_SHARES
    assert b.refusal_code(WithdrawLiquidity("anyone", 3)) is RefusalCode.INSUFFICIENT_SHARES
    b.do(SupplyLiquidity("next", 1))  # into a pool without shares: one share per unit
    assert b.state.pool == Pool(cash=4, lp_claims=4, total_shares=1)
    b.do(WithdrawLiquidity("next", 4))


@pytest.mark.covers("ACT-WITHDRAW-LIQUIDITY", "ROUNDING-FAVOURS-PROTOCOL")
@given(
    claims=st.integers(1, 10**30),
    extra=st.integers(0, 10**30),
    amount=st.integers(1, 10**30),
)
@settings(max_examples=150, deadline=None)
def test_no_round_trip_gains(claims: int, extra: int, amount: int) -> None:
    """Supplying then withdrawing everything one's shares allow never returns more."""
    shares = max(1, claims - extra % claims)
    b = book("gen1", liquidity=0)
    priced_pool(b, claims=claims, shares={"lp": shares})
    minted = b.step(SupplyLiquidity("x", amount))
    if not minted.accepted:
        return
    held = b.state.lp_shares["x"]
    pool = b.state.pool
    value = held * pool.lp_claims // pool.total_shares  # the most the shares can claim
    assert value <= amount
    if value > 0:
        b.do(WithdrawLiquidity("x", value))


@pytest.mark.covers("ACT-WITHDRAW-LIQUIDITY")
@pytest.mark.parametrize("policy", POLICIES)
def test_withdraw_guard(policy: str) -> None:
    b = book(policy, liquidity=0)
    priced_pool(b, claims=3, shares={"a": 1, "b": 1})
    assert b.refusal_code(WithdrawLiquidity("a", 0)) is RefusalCode.ZERO_AMOUNT
    assert b.refusal_code(WithdrawLiquidity("a", 4)) is RefusalCode.INSUFFICIENT_SHARES
    assert b.refusal_code(WithdrawLiquidity("a", 2)) is RefusalCode.INSUFFICIENT_SHARES  # burns 2
    assert b.refusal_code(WithdrawLiquidity("nobody", 1)) is RefusalCode.INSUFFICIENT_SHARES


@pytest.mark.covers("ACT-WITHDRAW-LIQUIDITY")
@pytest.mark.parametrize("policy", POLICIES)
def test_withdraw_needs_cash_and_shares_win_over_cash(policy: str) -> None:
    b = book(policy, liquidity=10_000)
    borrower(b, "alice", 100, 8_000)
    assert b.refusal_code(WithdrawLiquidity("lp", wad(3_000))) is RefusalCode.INSUFFICIENT_LIQUIDITY
    b.do(WithdrawLiquidity("lp", wad(2_000)))
    # more than the claims and more than the cash: the claims check comes first
    assert b.refusal_code(WithdrawLiquidity("lp", wad(9_000))) is RefusalCode.INSUFFICIENT_SHARES
    # more than one's shares and more than the cash: the shares check comes first
    b.do(SupplyLiquidity("lp2", wad(10)))
    assert b.refusal_code(WithdrawLiquidity("lp2", wad(11))) is RefusalCode.INSUFFICIENT_SHARES


def unbacked_gen3_book() -> Book:
    """A gen 3 book with one live unbacked auction: an INSOLVENT position kicked whole."""
    b = book("gen3", liquidity=100_000, insurance=1_000)
    borrower(b, "alice", 10, 14_000)
    b.set_prices(1_500)  # 10 * 1,350 at the floor < 14,700: INSOLVENT
    b.do(Kick("keeper", 0))
    assert b.state.unbacked == 1
    return b


@pytest.mark.covers("ACT-WITHDRAW-LIQUIDITY", "LP-WITHDRAWAL-FREEZE")
def test_gen3_withdrawals_freeze_while_an_unbacked_auction_is_live() -> None:
    b = unbacked_gen3_book()
    refusal = b.refused(WithdrawLiquidity("lp", wad(1)))
    assert refusal.code is RefusalCode.WITHDRAWALS_FROZEN
    # order: ZERO_AMOUNT first; the freeze before the claims and share checks
    assert b.refusal_code(WithdrawLiquidity("lp", 0)) is RefusalCode.ZERO_AMOUNT
    assert b.refusal_code(WithdrawLiquidity("lp", wad(10**9))) is RefusalCode.WITHDRAWALS_FROZEN
    assert b.refusal_code(WithdrawLiquidity("nobody", 1)) is RefusalCode.WITHDRAWALS_FROZEN
    # supply is never frozen
    b.do(SupplyLiquidity("lp2", wad(1)))


@pytest.mark.covers("ACT-WITHDRAW-LIQUIDITY", "LP-WITHDRAWAL-FREEZE")
@pytest.mark.parametrize("policy", ["gen1", "gen2"])
def test_gen1_and_gen2_never_freeze_withdrawals(policy: str) -> None:
    b = book(policy, liquidity=100_000, insurance=1_000)
    borrower(b, "alice", 10, 12_000)
    b.set_prices(1_000)
    if policy == "gen2":
        b.do(Kick("keeper", 0))
    b.do(WithdrawLiquidity("lp", wad(1)))


# --- FundInsurance, FundPol -----------------------------------------------------------


@pytest.mark.covers("ACT-FUND-INSURANCE")
@pytest.mark.parametrize("policy", POLICIES)
def test_fund_insurance(policy: str) -> None:
    b = book(policy, liquidity=0)
    assert b.refusal_code(FundInsurance("dao", 0)) is RefusalCode.ZERO_AMOUNT
    events = b.do(FundInsurance("dao", wad(7)))
    assert events == (InsuranceFunded(funder="dao", amount=wad(7)),)
    assert b.state.buffers.insurance == wad(7)
    assert b.state.ledger.quote_in == wad(7)
    assert b.state.pool.cash == 0 and b.state.buffers.pol_quote == 0


@pytest.mark.covers("ACT-FUND-POL")
@pytest.mark.parametrize("policy", POLICIES)
def test_fund_pol(policy: str) -> None:
    b = book(policy, liquidity=0)
    assert b.refusal_code(FundPol("dao", 0)) is RefusalCode.ZERO_AMOUNT
    events = b.do(FundPol("dao", wad(9)))
    assert events == (PolFunded(funder="dao", amount=wad(9)),)
    assert b.state.buffers.pol_quote == wad(9)
    assert b.state.ledger.quote_in == wad(9)
    assert b.state.pool.cash == 0 and b.state.buffers.insurance == 0


@pytest.mark.covers("ACT-BORROW", "ACT-FUND-INSURANCE", "ACT-FUND-POL")
def test_buffers_are_not_lendable_cash() -> None:
    b = book("gen3", liquidity=0, insurance=1_000_000, pol=1_000_000)
    borrower(b, "alice", 10, 0)
    assert b.refusal_code(Borrow("alice", 0, wad(1_000))) is RefusalCode.INSUFFICIENT_LIQUIDITY

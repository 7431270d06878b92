"""Generation 3 auctions after the kick (spec/policies/gen3.md): Take, Redo, EndAuction,
Settle, with the incentive cap, the POL backstop, the loss waterfall and the LP freeze.

Two standard auctions of alice's 10 collateral / 14,000 debt:

- *backed*: kicked at a reference of 1,700 (UNWINDING): debt 11,647.06, tab 12,229.41,
  lot 7.993, top 1,785, floor 1,530;
- *unbacked*: kicked at 1,500 (INSOLVENT): the whole position, tab 14,700, top 1,575,
  floor 1,350; the lot at the floor raises 13,500 < 14,000.
"""

from __future__ import annotations

import attrs
import pytest

from model.actions import (
    AdvanceTime,
    EndAuction,
    FundPol,
    Kick,
    Redo,
    ReportOracle,
    Settle,
    Take,
    WithdrawLiquidity,
)
from model.errors import RefusalCode
from model.events import (
    AuctionReset,
    AuctionSettled,
    Buffer,
    CollateralReturned,
    IncentivePaid,
    PenaltyCollected,
    PolPurchased,
    ShortfallCovered,
    Taken,
)
from model.numbers import RAY, rdiv_down, rmul_down, rmul_up
from model.params.presets import GEN3_ZERO_LOSS as P
from model.params.records import Config
from model.policies.gen3_zero_loss import price
from tests.builders import Book, book, borrower, config, ray, wad

NO_LIMIT = 10**40
CHOST = rmul_up(wad(1_000), RAY + P.penalty)


def auction_at(
    reference: int,
    *,
    insurance: int = 1_000,
    pol: int = 0,
    policy: Config | str = "gen3",
) -> Book:
    b = book(policy, liquidity=100_000, insurance=insurance, pol=pol)
    borrower(b, "alice", 10, 14_000)
    b.set_prices(reference)
    b.do(Kick("keeper", 0))
    return b


def backed(**kw: object) -> Book:
    return auction_at(1_700, **kw)  # type: ignore[arg-type]


def unbacked(**kw: object) -> Book:
    return auction_at(1_500, **kw)  # type: ignore[arg-type]


def tab(b: Book, auction: int = 0) -> int:
    return b.auction(auction).debt + b.auction(auction).fee


# --- Take -----------------------------------------------------------------------------


@pytest.mark.covers("ACT-TAKE", "CURVE-GEN3", "AUCTION-FLOOR")
def test_take_at_the_current_price_on_the_floored_line() -> None:
    b = backed()
    a = b.auction(0)
    assert (a.top, a.floor) == (ray(1_785), ray(1_530))
    assert price(b.state, a) == ray(1_785)
    b.do(AdvanceTime(P.decay_duration // 2))
    assert price(b.state, a) == ray("1657.5")
    assert b.refusal_code(Take("bob", 0, wad(4), ray("1657.5") - 1)) is RefusalCode.TOO_EXPENSIVE
    events = b.do(Take("bob", 0, wad(4), ray("1657.5")))
    assert events == (
        Taken(auction=0, bidder="bob", collateral=wad(4), paid=wad(6_630), price=ray("1657.5")),
    )
    b.do(AdvanceTime(P.decay_duration // 2))
    assert price(b.state, b.auction(0)) == ray(1_530)
    b.do(AdvanceTime(10**6))  # long after the decay: still the floor, still on sale
    assert price(b.state, b.auction(0)) == ray(1_530)
    b.do(Take("bob", 0, wad(1), ray(1_530)))


@pytest.mark.covers("ACT-TAKE", "NUM-ROUNDING")
def test_penalty_is_split_with_insurance_share_rounded_down() -> None:
    b = backed()
    a = b.auction(0)
    assert a.fee % 2 == 0
    b.do(Take("bob", 0, wad(1), NO_LIMIT))
    insurance, claims, cash = b.state.buffers.insurance, b.state.pool.lp_claims, b.state.pool.cash
    debt_left = b.auction(0).debt
    events = b.do(Take("bob", 0, NO_LIMIT, NO_LIMIT))
    taken, collected = events
    assert isinstance(taken, Taken) and isinstance(collected, PenaltyCollected)
    fee_paid = taken.paid - debt_left
    assert fee_paid == a.fee
    assert collected.to_insurance == rmul_down(fee_paid, P.penalty_to_insurance)
    assert collected.to_lps == fee_paid - collected.to_insurance
    assert b.state.buffers.insurance == insurance + collected.to_insurance
    assert b.state.pool.lp_claims == claims + collected.to_lps
    assert b.state.pool.cash == cash + debt_left + collected.to_lps


@pytest.mark.covers("ACT-TAKE", "NUM-ROUNDING")
def test_an_odd_penalty_gives_the_odd_wei_to_lps() -> None:
    b = book("gen3", liquidity=100_000, insurance=1_000)
    borrower(b, "alice", 10, "14000.000000000000000001")
    b.set_prices(1_500)
    b.do(Kick("keeper", 0))
    fee = b.auction(0).fee
    assert fee % 2 == 1
    events = b.do(Take("bob", 0, NO_LIMIT, NO_LIMIT))
    assert events[1] == PenaltyCollected(auction=0, to_insurance=fee // 2, to_lps=fee - fee // 2)


@pytest.mark.covers("ACT-TAKE")
def test_partial_takes_leave_at_least_chost() -> None:
    b = backed()
    top = ray(1_785)
    near_all = (tab(b) - CHOST // 2) * RAY // top  # would leave about half a chost
    taken = b.do(Take("bob", 0, near_all, top))[0]
    assert isinstance(taken, Taken)
    assert tab(b) == CHOST
    assert b.refusal_code(Take("bob", 0, wad("0.1"), top)) is RefusalCode.NO_PARTIAL_PURCHASE
    b.do(Take("bob", 0, NO_LIMIT, top))


@pytest.mark.covers("ACT-TAKE")
def test_take_guard_order() -> None:
    b = backed()
    assert b.refusal_code(Take("bob", 1, 0, 0)) is RefusalCode.UNKNOWN_AUCTION
    assert b.refusal_code(Take("bob", 0, 0, 0)) is RefusalCode.ZERO_AMOUNT
    assert b.refusal_code(Take("bob", 0, 1, 0)) is RefusalCode.TOO_EXPENSIVE
    b.do(Take("bob", 0, NO_LIMIT, NO_LIMIT))
    assert b.refusal_code(Take("bob", 0, 0, 0)) is RefusalCode.AUCTION_FINISHED


# --- EndAuction: the POL backstop -----------------------------------------------------


@pytest.mark.covers("ACT-END-AUCTION", "GEN3-POL-BACKSTOP")
def test_pol_buys_the_rest_at_the_floor_once_the_auction_has_run_its_course() -> None:
    b = backed(pol=100_000)
    assert b.refusal_code(EndAuction(0)) is RefusalCode.AUCTION_NOT_EXPIRED
    b.do(AdvanceTime(P.auction_duration - 1))
    assert b.refusal_code(EndAuction(0)) is RefusalCode.AUCTION_NOT_EXPIRED
    b.do(AdvanceTime(1))
    a = b.auction(0)
    pol = b.state.buffers.pol_quote
    events = b.do(EndAuction(0))
    bought = rdiv_down(a.debt + a.fee, a.floor)
    assert events == (
        PolPurchased(auction=0, collateral=bought, paid=a.debt + a.fee, price=a.floor),
        PenaltyCollected(
            auction=0,
            to_insurance=rmul_down(a.fee, P.penalty_to_insurance),
            to_lps=a.fee - rmul_down(a.fee, P.penalty_to_insurance),
        ),
    )
    assert b.state.buffers.pol_quote == pol - (a.debt + a.fee)
    assert b.state.buffers.pol_collateral == bought
    assert b.state.ledger.quote_in == wad(100_000 + 1_000 + 100_000)  # internal: no new quote
    assert b.state.ledger.collateral_out == 0
    events = b.do(Settle(0))
    assert events[0] == CollateralReturned(auction=0, position=0, amount=a.lot - bought)


@pytest.mark.covers("ACT-END-AUCTION", "GEN3-POL-BACKSTOP")
def test_pol_short_of_the_lot_buys_what_it_can_and_the_rest_stays_on_sale() -> None:
    b = unbacked(pol=5_000)
    b.do(AdvanceTime(P.auction_duration))
    events = b.do(EndAuction(0))
    amount = rdiv_down(wad(5_000), ray(1_350))
    paid = rmul_up(amount, ray(1_350))
    assert events == (PolPurchased(auction=0, collateral=amount, paid=paid, price=ray(1_350)),)
    assert paid <= wad(5_000)
    assert b.auction(0).lot == wad(10) - amount
    b.do(Take("bob", 0, NO_LIMIT, ray(1_350)))  # the rest sells at the floor


@pytest.mark.covers("ACT-END-AUCTION", "GEN3-POL-BACKSTOP")
def test_end_auction_guard_order() -> None:
    b = unbacked(pol=0)
    assert b.refusal_code(EndAuction(1)) is RefusalCode.UNKNOWN_AUCTION
    # not expired and no reserves: expiry is checked first
    assert b.refusal_code(EndAuction(0)) is RefusalCode.AUCTION_NOT_EXPIRED
    b.do(AdvanceTime(P.auction_duration))
    assert b.refusal_code(EndAuction(0)) is RefusalCode.POL_NO_RESERVES
    b.do(FundPol("dao", ray(1_350) // RAY - 1))  # less than 1 wei of collateral at the floor
    assert b.refusal_code(EndAuction(0)) is RefusalCode.POL_NO_RESERVES
    b.do(FundPol("dao", 1))
    b.do(EndAuction(0))
    b.do(Take("bob", 0, NO_LIMIT, NO_LIMIT))
    assert b.refusal_code(EndAuction(0)) is RefusalCode.AUCTION_FINISHED


@pytest.mark.covers("ACT-END-AUCTION", "GEN3-POL-BACKSTOP")
def test_pol_buys_at_the_stage_floor_while_the_floor_is_at_or_below_the_mark() -> None:
    b = backed(pol=100_000)
    b.do(AdvanceTime(P.auction_duration))
    b.set_prices(1_530)  # the reference fell to the floor itself: still a fair price
    events = b.do(EndAuction(0))
    assert isinstance(events[0], PolPurchased) and events[0].price == ray(1_530)
    bought = events[0]
    # the purchase is cut to the tab: POL pays less than one unit of collateral more than
    # it receives (the unit stays in the lot and goes back to the borrower)
    assert bought.paid * RAY < (bought.collateral + 1) * ray(1_530)


@pytest.mark.covers("ACT-END-AUCTION", "GEN3-POL-FAIR-PRICE", "LOSS-MARK")
@pytest.mark.parametrize(("spot", "reference"), [(1_000, 1_000), (1_529, 1_700), (1_700, 1_529)])
def test_pol_never_buys_above_the_mark(spot: int, reference: int) -> None:
    """The issue-10 reproduction in one step: the stage's floor (1,530) is above the lower
    of spot and the reference; POL would pay more than the collateral is worth, so it
    refuses, and the auction stays on sale at its floor."""
    b = backed(pol=100_000)
    b.do(AdvanceTime(P.auction_duration))
    b.set_oracle(spot=ray(spot), reference=ray(reference))
    refusal = b.refused(EndAuction(0))
    assert refusal.code is RefusalCode.POL_WOULD_OVERPAY
    b.set_oracle(spot=ray(1_530), reference=ray(1_530))
    assert isinstance(b.do(EndAuction(0))[0], PolPurchased)


@pytest.mark.covers("ACT-REDO", "RESET-GUARDED", "GEN3-POL-FAIR-PRICE")
def test_a_floor_above_the_mark_lets_the_auction_reset_although_pol_has_the_reserves() -> None:
    b = backed(pol=100_000)
    expired_and_moved(b, 1_000)  # 41 % below the anchor 1,700: beyond the band
    events = b.do(Redo("keeper", 0))
    assert isinstance(events[0], AuctionReset) and events[0].floor == ray(900)
    assert not b.auction(0).backed  # 7.99 at 900 = 7,194 < 11,647: what it sells short is
    # a visible shortfall that goes down the waterfall, insurance first


# --- Redo: guarded resets -------------------------------------------------------------


def expired_and_moved(b: Book, reference: int | str) -> None:
    b.do(AdvanceTime(P.auction_duration))
    b.set_prices(reference)


@pytest.mark.covers("ACT-REDO", "RESET-GUARDED")
def test_a_reset_restarts_the_stage_from_the_current_reference() -> None:
    b = unbacked()
    expired_and_moved(b, 1_700)  # 13.3 % above the anchor 1,500
    assert b.state.unbacked == 1
    events = b.do(Redo("keeper2", 0))
    top, floor = rmul_up(ray(1_700), P.start_premium), rmul_down(ray(1_700), P.floor_ratio)
    assert events[0] == AuctionReset(auction=0, keeper="keeper2", top=top, floor=floor)
    a = b.auction(0)
    assert (a.top, a.floor, a.tic, a.anchor, a.resets) == (
        top,
        floor,
        P.auction_duration,
        ray(1_700),
        1,
    )
    assert a.backed  # 10 at 1,530 = 15,300 >= 14,000
    assert b.state.unbacked == 0
    assert price(b.state, a) == top


@pytest.mark.covers("ACT-REDO", "RESET-GUARDED", "UNBACKED-ACCOUNTING")
def test_a_reset_in_a_falling_market_can_make_an_auction_unbacked() -> None:
    b = backed()  # lot 7.993, debt 11,647: backed down to a floor of 1,457.2
    expired_and_moved(b, 1_500)  # 11.8 % below the anchor: floor 1,350
    b.do(Redo("keeper", 0))
    assert not b.auction(0).backed
    assert b.state.unbacked == 1


@pytest.mark.covers("ACT-REDO", "RESET-GUARDED")
def test_reset_needs_expiry() -> None:
    b = unbacked()
    b.do(AdvanceTime(P.auction_duration - 1))
    b.set_prices(1_700)
    assert b.refusal_code(Redo("keeper", 0)) is RefusalCode.AUCTION_NOT_EXPIRED
    b.do(AdvanceTime(1))
    b.do(Redo("keeper", 0))


@pytest.mark.covers("ACT-REDO", "RESET-GUARDED")
def test_reset_needs_the_reference_beyond_the_band() -> None:
    b = unbacked()
    band_edge = ray(1_500) + ray(1_500) * P.reset_band // RAY  # exactly 10 % above
    b.do(AdvanceTime(P.auction_duration))
    b.set_oracle(spot=band_edge, reference=band_edge)
    refusal = b.refused(Redo("keeper", 0))
    assert refusal.code is RefusalCode.AUCTION_CANNOT_RESET
    b.set_oracle(spot=ray(1_500) - ray(1_500) * P.reset_band // RAY)  # exactly 10 % below
    b.set_oracle(reference=ray(1_500) - ray(1_500) * P.reset_band // RAY)
    assert b.refusal_code(Redo("keeper", 0)) is RefusalCode.AUCTION_CANNOT_RESET
    b.set_oracle(spot=band_edge + 1, reference=band_edge + 1)
    b.do(Redo("keeper", 0))


@pytest.mark.covers("ACT-REDO", "RESET-GUARDED", "GEN3-POL-BACKSTOP")
def test_no_reset_while_pol_could_buy_the_rest_at_the_floor() -> None:
    lot_at_floor = rmul_up(wad(10), ray(1_350))
    b = unbacked(pol=0)
    b.do(FundPol("dao", lot_at_floor))
    expired_and_moved(b, 1_700)
    refusal = b.refused(Redo("keeper", 0))
    assert refusal.code is RefusalCode.AUCTION_CANNOT_RESET
    b.do(EndAuction(0))  # the way out
    b2 = unbacked(pol=0)
    b2.do(FundPol("dao", lot_at_floor - 1))
    expired_and_moved(b2, 1_700)
    b2.do(Redo("keeper", 0))


@pytest.mark.covers("ACT-REDO", "GEN3-BREAKERS")
def test_redo_guard_order() -> None:
    b = unbacked(pol=100_000)
    assert b.refusal_code(Redo("keeper", 1)) is RefusalCode.UNKNOWN_AUCTION
    # not expired, POL could buy, inside the band: expiry first
    assert b.refusal_code(Redo("keeper", 0)) is RefusalCode.AUCTION_NOT_EXPIRED
    b.do(AdvanceTime(P.stale_after + 1))  # expired now, and stale
    assert b.refusal_code(Redo("keeper", 0)) is RefusalCode.ORACLE_STALE
    b.set_oracle(last_update=b.state.time)
    # POL could buy and inside the band: CANNOT_RESET (POL)
    refusal = b.refused(Redo("keeper", 0))
    assert (
        refusal.code is RefusalCode.AUCTION_CANNOT_RESET
        and refusal.detail == "state.buffers.pol_quote"
    )
    # a reference so low that the floor is 0: expired, POL short, beyond the band
    b2 = unbacked(pol=0)
    b2.do(AdvanceTime(P.auction_duration))
    b2.set_oracle(spot=1, reference=1)
    assert b2.refusal_code(Redo("keeper", 0)) is RefusalCode.INVALID_PRICE
    # finished comes before everything else
    b3 = unbacked()
    b3.do(Take("bob", 0, NO_LIMIT, NO_LIMIT))
    b3.do(AdvanceTime(10**6))
    assert b3.refusal_code(Redo("keeper", 0)) is RefusalCode.AUCTION_FINISHED


@pytest.mark.covers("ACT-REDO", "GEN3-BREAKERS")
def test_stale_before_expiry() -> None:
    b = unbacked()
    b.do(AdvanceTime(P.stale_after + 1))
    # a stage just started (not expired) under a stale oracle: stale is named first
    b.evolve(auctions=b.state.auctions.set(0, attrs.evolve(b.auction(0), tic=b.state.time)))
    assert b.refusal_code(Redo("keeper", 0)) is RefusalCode.ORACLE_STALE


# --- INCENTIVE-CAP --------------------------------------------------------------------


@pytest.mark.covers("INCENTIVE-CAP", "ACT-REDO", "BOUNDED-EXTRACTION")
def test_incentives_over_the_kick_and_all_resets_stay_within_the_cap() -> None:
    cfg = config("gen3", keeper_tip=wad(40), incentive_cap=wad(100))
    b = unbacked(policy=cfg, insurance=10_000)
    kick_paid = wad(40) + rmul_down(wad(14_700), P.keeper_chip)  # 54.7
    assert b.auction(0).incentives_paid == kick_paid
    expired_and_moved(b, 1_700)
    events = b.do(Redo("keeper", 0))
    assert events[1] == IncentivePaid(
        auction=0, keeper="keeper", amount=wad(100) - kick_paid, unpaid=0
    )
    assert b.auction(0).incentives_paid == wad(100)
    for reference in (1_500, 1_700, 1_500, 1_700):
        expired_and_moved(b, reference)
        events = b.do(Redo("keeper", 0))
        assert not any(isinstance(e, IncentivePaid) and e.amount > 0 for e in events)
    assert b.auction(0).resets == 5
    assert b.auction(0).incentives_paid == wad(100)


# --- Settle and the loss waterfall ----------------------------------------------------


def sold_out_at_the_floor(insurance: int, pol: int) -> Book:
    b = unbacked(insurance=insurance, pol=pol)
    b.do(AdvanceTime(P.decay_duration))
    b.do(Take("bob", 0, NO_LIMIT, ray(1_350)))  # 10 at 1,350 = 13,500: 500 short
    assert b.auction(0).lot == 0 and b.auction(0).debt == wad(500)
    return b


@pytest.mark.covers("ACT-SETTLE", "LOSS-WATERFALL")
def test_a_shortfall_goes_to_insurance_then_pol_then_lps() -> None:
    b = sold_out_at_the_floor(insurance=200, pol=100)
    insurance = b.state.buffers.insurance  # 200 - 14.7 kick incentive
    assert insurance == wad(200) - rmul_down(wad(14_700), P.keeper_chip)
    events = b.do(Settle(0))
    lps = wad(500) - insurance - wad(100)
    assert events == (
        ShortfallCovered(position=0, source=Buffer.INSURANCE, amount=insurance),
        ShortfallCovered(position=0, source=Buffer.POL, amount=wad(100)),
        ShortfallCovered(position=0, source=Buffer.LPS, amount=lps),
        AuctionSettled(auction=0, returned=0, shortfall=wad(500), fee_forgone=wad(700)),
    )
    assert b.state.buffers.insurance == 0 and b.state.buffers.pol_quote == 0
    assert b.state.ledger.bad_debt == lps
    assert b.state.pool.lp_claims == wad(100_000) - lps
    assert b.state.unbacked == 0 and b.state.exposure == 0


@pytest.mark.covers("ACT-SETTLE", "LOSS-WATERFALL")
def test_a_shortfall_the_insurance_fund_covers_stops_there() -> None:
    b = sold_out_at_the_floor(insurance=1_000, pol=100)
    events = b.do(Settle(0))
    assert events[0] == ShortfallCovered(position=0, source=Buffer.INSURANCE, amount=wad(500))
    assert [type(e) for e in events] == [ShortfallCovered, AuctionSettled]
    assert b.state.buffers.pol_quote == wad(100)
    assert b.state.ledger.bad_debt == 0


@pytest.mark.covers("ACT-SETTLE", "LOSS-WATERFALL")
def test_pol_covers_what_insurance_cannot() -> None:
    b = sold_out_at_the_floor(insurance=100, pol=1_000)
    events = b.do(Settle(0))
    covered = [e for e in events if isinstance(e, ShortfallCovered)]
    assert [e.source for e in covered] == [Buffer.INSURANCE, Buffer.POL]
    assert sum(e.amount for e in covered) == wad(500)
    assert b.state.ledger.bad_debt == 0


@pytest.mark.covers("LP-WITHDRAWAL-FREEZE", "ACT-SETTLE", "ACT-WITHDRAW-LIQUIDITY")
def test_withdrawals_reopen_once_the_unbacked_auction_is_settled() -> None:
    b = sold_out_at_the_floor(insurance=0, pol=0)
    assert b.refusal_code(WithdrawLiquidity("lp", 1)) is RefusalCode.WITHDRAWALS_FROZEN
    b.do(Settle(0))
    b.do(WithdrawLiquidity("lp", 1))


@pytest.mark.covers("LP-WITHDRAWAL-FREEZE", "ACT-REDO")
def test_withdrawals_reopen_once_a_reset_backs_the_auction() -> None:
    b = unbacked()
    assert b.refusal_code(WithdrawLiquidity("lp", 1)) is RefusalCode.WITHDRAWALS_FROZEN
    expired_and_moved(b, 1_700)
    b.do(Redo("keeper", 0), ReportOracle(ray(1_700)))
    b.do(WithdrawLiquidity("lp", 1))


@pytest.mark.covers("ACT-SETTLE")
def test_settle_guard() -> None:
    b = unbacked()
    assert b.refusal_code(Settle(1)) is RefusalCode.UNKNOWN_AUCTION
    assert b.refusal_code(Settle(0)) is RefusalCode.AUCTION_NOT_FINISHED

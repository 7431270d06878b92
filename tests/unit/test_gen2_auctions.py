"""Generation 2: MakerDAO Liquidations 2.0 (spec/policies/gen2.md).

Reference set ETH-A: mat 1.45, chop 1.13, buf 1.3, stair-step 0.99 every 90 s, cusp 0.4,
tail 8,400 s, chip 0.1 %, tip 0, hole 22 M; dust 1,000, so chost = 1,130. Alice: 10
collateral, 13,000 debt; at spot 1,800 she is unsafe (18,000 < 13,000 * 1.45 = 18,850).
"""

from __future__ import annotations

import pytest

from model.actions import (
    AdvanceTime,
    Borrow,
    DepositCollateral,
    Kick,
    Redo,
    ReportOracle,
    Settle,
    Take,
)
from model.curves import LinearDecrease, StairstepExponentialDecrease
from model.errors import RefusalCode
from model.events import (
    AuctionReset,
    AuctionSettled,
    Buffer,
    CollateralReturned,
    IncentivePaid,
    Kicked,
    PenaltyCollected,
    ShortfallCovered,
    Taken,
)
from model.numbers import RAY, WAD, rmul_down, wmul_down, wmul_up
from model.params.presets import GEN2_MAKER_ETH_A as P
from model.state import Auction, Position
from tests.builders import Book, book, borrower, config, ray, wad

CHOST = wmul_up(wad(1_000), P.chop)
TOP = rmul_down(ray(1_800), P.buf)  # 2,340
TAB = wmul_up(wad(13_000), P.chop)  # 14,690
KICK_INCENTIVE = wmul_down(TAB, P.chip)  # 14.69
NO_LIMIT = 10**40


def alice_unsafe(policy: object = "gen2", insurance: int = 1_000) -> Book:
    b = book(policy, liquidity=100_000, insurance=insurance)  # type: ignore[arg-type]
    borrower(b, "alice", 10, 13_000)
    b.set_prices(1_800)
    return b


def kicked(policy: object = "gen2", insurance: int = 1_000) -> Book:
    b = alice_unsafe(policy, insurance)
    b.do(Kick("keeper", 0))
    return b


# --- Kick: Dog.bark and Clipper.kick --------------------------------------------------


@pytest.mark.covers("ACT-KICK", "GEN2-BARK")
def test_kick_auctions_the_whole_vault() -> None:
    b = alice_unsafe()
    b.evolve(time=500)
    events = b.do(Kick("keeper", 0))
    assert wad(1_130) == CHOST and ray(2_340) == TOP and wad(14_690) == TAB
    assert events == (
        Kicked(
            auction=0,
            position=0,
            keeper="keeper",
            lot=wad(10),
            debt=wad(13_000),
            tab=TAB,
            top=TOP,
            floor=0,
        ),
        IncentivePaid(auction=0, keeper="keeper", amount=KICK_INCENTIVE, unpaid=0),
    )
    assert b.auction(0) == Auction(
        position=0,
        lot=wad(10),
        debt=wad(13_000),
        fee=TAB - wad(13_000),
        top=TOP,
        floor=0,
        tic=500,
        anchor=ray(1_800),
        incentives_paid=KICK_INCENTIVE,
        resets=0,
        backed=True,
    )
    assert b.position(0) == Position("alice", 0, 0)
    assert b.state.exposure == TAB
    assert b.state.next_auction == 1
    assert b.state.buffers.insurance == wad(1_000) - KICK_INCENTIVE
    assert b.state.ledger.quote_out == wad(13_000) + KICK_INCENTIVE


@pytest.mark.covers("ACT-KICK", "GEN2-BARK", "NUM-ROUNDING")
def test_tab_rounds_up_and_top_rounds_down_as_dss() -> None:
    b = book("gen2", liquidity=100_000)
    borrower(b, "alice", 10, "13000.000000000000000001")
    b.set_oracle(spot=ray(1_800) + 1, reference=ray(1_800) + 1)
    events = b.do(Kick("keeper", 0))
    k = events[0]
    assert isinstance(k, Kicked)
    assert k.tab == -(-(wad(13_000) + 1) * P.chop // WAD)
    assert k.tab * WAD > (wad(13_000) + 1) * P.chop - WAD  # not rounded down
    assert k.top == (ray(1_800) + 1) * P.buf // RAY  # dss Clipper: top = rmul(price, buf)


@pytest.mark.covers("ACT-KICK", "GEN2-BARK")
def test_kick_pays_the_keeper_only_what_insurance_holds() -> None:
    b = kicked(insurance=10)
    assert b.events[-1] == IncentivePaid(
        auction=0, keeper="keeper", amount=wad(10), unpaid=KICK_INCENTIVE - wad(10)
    )
    assert b.state.buffers.insurance == 0
    assert b.auction(0).incentives_paid == wad(10)
    assert b.state.pool.cash == wad(100_000 - 13_000)  # LP cash never pays keepers


@pytest.mark.covers("ACT-KICK", "GEN2-BARK")
def test_no_incentive_event_when_tip_and_chip_are_zero() -> None:
    b = kicked(config("gen2", chip=0))
    assert not any(isinstance(e, IncentivePaid) for e in b.events)
    assert b.auction(0).incentives_paid == 0


@pytest.mark.covers("ACT-KICK", "GEN2-BARK")
def test_kick_guard_order() -> None:
    b = book("gen2", liquidity=100_000)
    assert b.refusal_code(Kick("keeper", 0)) is RefusalCode.UNKNOWN_POSITION
    borrower(b, "alice", 10, 0)
    assert b.refusal_code(Kick("keeper", 0)) is RefusalCode.NOTHING_TO_LIQUIDATE
    b = book(config("gen2", hole=TAB), liquidity=100_000)
    for owner in ("alice", "bob"):
        borrower(b, owner, 10, 13_000)
    borrower(b, "carol", 20, 13_000)
    b.set_prices(1_800)  # alice and bob unsafe, carol safe
    b.do(Kick("keeper", 0))  # fills the hole exactly
    assert b.state.exposure == TAB
    assert b.refusal_code(Kick("keeper", 1)) is RefusalCode.EXPOSURE_CAP_REACHED
    # safe, and the hole full: NOT_LIQUIDATABLE comes first
    assert b.refusal_code(Kick("keeper", 2)) is RefusalCode.NOT_LIQUIDATABLE


@pytest.mark.covers("ACT-KICK", "GEN2-BARK")
def test_unsafe_test_is_exact() -> None:
    b = alice_unsafe()
    c, d = b.position(0).collateral, b.position(0).debt
    lowest_safe = -(-d * P.mat // c)
    b.set_oracle(spot=lowest_safe, reference=lowest_safe)
    assert b.refusal_code(Kick("keeper", 0)) is RefusalCode.NOT_LIQUIDATABLE
    b.set_oracle(spot=lowest_safe - 1, reference=lowest_safe - 1)
    b.do(Kick("keeper", 0))


@pytest.mark.covers("GEN2-BARK", "ACT-KICK", "NUM-ROUNDING")
def test_a_small_hole_liquidates_part_of_the_vault() -> None:
    hole = wad(10_000)
    b = kicked(config("gen2", hole=hole))
    debt = hole * WAD // P.chop  # the debt that fits the room, rounded down
    lot = wad(10) * debt // wad(13_000)  # rounded down, as dss
    assert b.auction(0).debt == debt
    assert b.auction(0).lot == lot
    assert b.auction(0).debt + b.auction(0).fee == wmul_up(debt, P.chop) <= hole
    assert b.position(0) == Position("alice", wad(10) - lot, wad(13_000) - debt)


@pytest.mark.covers("GEN2-BARK", "EXPOSURE-CAP")
def test_when_the_rest_would_be_dust_the_whole_vault_goes_past_hole_by_under_chost() -> None:
    hole = wad(14_000)  # fits 12,389 of debt: the 611 left would be dust
    b = kicked(config("gen2", hole=hole))
    assert b.auction(0).debt == wad(13_000)
    overshoot = b.state.exposure - hole
    assert 0 < overshoot < CHOST
    assert b.position(0) == Position("alice", 0, 0)


@pytest.mark.covers("GEN2-BARK", "ACT-KICK")
def test_a_partial_kick_below_dust_is_a_dusty_auction() -> None:
    b = alice_unsafe(config("gen2", hole=wad(1_000)))  # fits 885 of debt: below dust
    assert b.refusal_code(Kick("keeper", 0)) is RefusalCode.DUSTY_AUCTION


@pytest.mark.covers("GEN2-BARK", "ACT-KICK")
def test_a_kick_whose_lot_rounds_to_zero_is_a_null_auction() -> None:
    b = book(config("gen2", hole=wad(1_700)), liquidity=100_000)
    borrower(b, "whale", 0, 0)
    b.set_prices(10**25)  # 1 wei of collateral is worth far more than the debt, at first
    b.do(DepositCollateral("whale", 0, 1), Borrow("whale", 0, wad(3_000)))
    b.set_prices(1)
    # 1,504 of the 3,000 fit the hole; floor(1 wei * 1,504 / 3,000) = 0
    assert b.refusal_code(Kick("keeper", 0)) is RefusalCode.NULL_AUCTION


@pytest.mark.covers("ACT-KICK")
def test_a_zero_start_price_is_an_invalid_price() -> None:
    """Unreachable with a valid config (buf > 0, spot > 0); the guard is still there."""
    b = alice_unsafe()
    b.evolve(config=config("gen2", buf=0))
    assert b.refusal_code(Kick("keeper", 0)) is RefusalCode.INVALID_PRICE


# --- Take -----------------------------------------------------------------------------


@pytest.mark.covers("ACT-TAKE")
def test_a_take_pays_the_debt_first() -> None:
    b = kicked()
    events = b.do(Take("bidder", 0, wad(2), TOP))
    assert events == (
        Taken(auction=0, bidder="bidder", collateral=wad(2), paid=wad(4_680), price=TOP),
    )
    assert b.auction(0).lot == wad(8)
    assert b.auction(0).debt == wad(13_000 - 4_680)
    assert b.auction(0).fee == TAB - wad(13_000)
    assert b.state.exposure == TAB - wad(4_680)
    assert b.state.pool.cash == wad(100_000 - 13_000 + 4_680)
    assert b.state.ledger.quote_in == wad(100_000 + 1_000 + 4_680)
    assert b.state.ledger.collateral_out == wad(2)


@pytest.mark.covers("ACT-TAKE", "ACT-SETTLE", "BORROWER-SURPLUS")
def test_a_take_that_raises_the_tab_pays_the_penalty_to_insurance_and_leaves_collateral() -> None:
    b = kicked()
    b.do(Take("bidder", 0, wad(2), TOP))
    insurance = b.state.buffers.insurance
    events = b.do(Take("bidder", 0, wad(10), TOP))
    rest = TAB - wad(4_680)
    bought = rest * RAY // TOP
    fee = TAB - wad(13_000)
    assert events == (
        Taken(auction=0, bidder="bidder", collateral=bought, paid=rest, price=TOP),
        PenaltyCollected(auction=0, to_insurance=fee, to_lps=0),
    )
    assert b.state.buffers.insurance == insurance + fee  # gen 2: the whole penalty
    assert b.state.pool.lp_claims == wad(100_000)
    left = wad(8) - bought
    assert b.auction(0).lot == left and b.auction(0).debt + b.auction(0).fee == 0
    assert b.state.exposure == 0
    # finished: no more takes or resets, and Settle returns the rest to alice
    assert b.refusal_code(Take("bidder", 0, 1, NO_LIMIT)) is RefusalCode.AUCTION_FINISHED
    assert b.refusal_code(Redo("keeper", 0)) is RefusalCode.AUCTION_FINISHED
    events = b.do(Settle(0))
    assert events == (
        CollateralReturned(auction=0, position=0, amount=left),
        AuctionSettled(auction=0, returned=left, shortfall=0, fee_forgone=0),
    )
    assert b.position(0).collateral == left
    assert 0 not in b.state.auctions


@pytest.mark.covers("ACT-TAKE")
def test_a_partial_take_leaves_at_least_chost_then_only_all_or_nothing() -> None:
    b = kicked()
    events = b.do(Take("bidder", 0, wad("5.9"), TOP))  # 13,806 would leave 884 < chost
    taken = events[0]
    assert isinstance(taken, Taken)
    assert taken.paid == TAB - CHOST
    assert taken.collateral == (TAB - CHOST) * RAY // TOP
    assert b.auction(0).debt + b.auction(0).fee == CHOST
    assert b.refusal_code(Take("bidder", 0, wad("0.1"), TOP)) is RefusalCode.NO_PARTIAL_PURCHASE
    b.do(Take("bidder", 0, wad(10), TOP))  # the rest of the tab at once
    assert b.auction(0).debt + b.auction(0).fee == 0


@pytest.mark.covers("ACT-TAKE", "GEN2-STATUS", "CURVE-STAIRSTEP")
def test_take_follows_the_curve_and_needs_a_reset_below_cusp() -> None:
    b = kicked()
    b.do(AdvanceTime(90))
    price = TOP * 99 // 100
    assert b.refusal_code(Take("bidder", 0, wad(1), price - 1)) is RefusalCode.TOO_EXPENSIVE
    taken = b.do(Take("bidder", 0, wad(1), price))[0]
    assert isinstance(taken, Taken) and taken.price == price
    b.do(AdvanceTime(91 * 90 - 90 + 89))  # dur 8,279: step 91, price/top still >= cusp
    b.do(Take("bidder", 0, wad(1), NO_LIMIT))
    b.do(AdvanceTime(1))  # dur 8,280: step 92, price/top < cusp
    refusal = b.refused(Take("bidder", 0, wad(1), NO_LIMIT))
    assert refusal.code is RefusalCode.AUCTION_NEEDS_RESET


@pytest.mark.covers("GEN2-STATUS", "ACT-TAKE", "ACT-REDO")
def test_an_auction_older_than_tail_needs_a_reset() -> None:
    flat = config("gen2", curve=StairstepExponentialDecrease(step=90, cut=RAY))
    b = kicked(flat)
    b.do(AdvanceTime(P.tail))  # dur = tail: not yet
    assert b.refusal_code(Redo("keeper", 0)) is RefusalCode.AUCTION_CANNOT_RESET
    b.do(Take("bidder", 0, wad(1), TOP))
    b.do(AdvanceTime(1))
    assert b.refusal_code(Take("bidder", 0, wad(1), TOP)) is RefusalCode.AUCTION_NEEDS_RESET
    b.do(Redo("keeper", 0))


@pytest.mark.covers("GEN2-STATUS")
def test_cusp_compares_price_over_top_rounded_down() -> None:
    # linear curve over 100 s with cusp 0.4: price/top = (100 - dur)/100; at dur 60 it is
    # exactly 0.4 (not below), at dur 61 it is 0.39 (below)
    b = kicked(config("gen2", curve=LinearDecrease(tau=100)))
    b.do(AdvanceTime(60))
    b.do(Take("bidder", 0, wad(1), NO_LIMIT))
    b.do(AdvanceTime(1))
    assert b.refusal_code(Take("bidder", 0, wad(1), NO_LIMIT)) is RefusalCode.AUCTION_NEEDS_RESET


@pytest.mark.covers("ACT-TAKE")
def test_take_guard_order() -> None:
    b = kicked()
    assert b.refusal_code(Take("bidder", 1, 0, 0)) is RefusalCode.UNKNOWN_AUCTION
    assert b.refusal_code(Take("bidder", 0, 0, 0)) is RefusalCode.TOO_EXPENSIVE
    b.do(AdvanceTime(8_280))
    # needs a reset and too expensive: the reset comes first
    assert b.refusal_code(Take("bidder", 0, wad(1), 0)) is RefusalCode.AUCTION_NEEDS_RESET
    # finished comes first
    b2 = kicked()
    b2.do(Take("bidder", 0, wad(10), TOP))
    assert b2.refusal_code(Take("bidder", 0, 0, 0)) is RefusalCode.AUCTION_FINISHED


# --- Redo -----------------------------------------------------------------------------


@pytest.mark.covers("ACT-REDO", "GEN2-REDO-INCENTIVE", "RESET-GUARDED")
def test_redo_restarts_from_the_current_spot_and_pays_again() -> None:
    b = kicked()
    assert b.refusal_code(Redo("keeper", 0)) is RefusalCode.AUCTION_CANNOT_RESET
    b.do(AdvanceTime(8_280), ReportOracle(ray(1_500)))
    insurance = b.state.buffers.insurance
    events = b.do(Redo("keeper2", 0))
    top = rmul_down(ray(1_500), P.buf)
    assert events == (
        AuctionReset(auction=0, keeper="keeper2", top=top, floor=0),
        IncentivePaid(auction=0, keeper="keeper2", amount=KICK_INCENTIVE, unpaid=0),
    )
    a = b.auction(0)
    assert (a.top, a.tic, a.anchor, a.resets) == (top, b.state.time, ray(1_500), 1)
    assert a.incentives_paid == 2 * KICK_INCENTIVE
    assert b.state.buffers.insurance == insurance - KICK_INCENTIVE
    b.do(Take("bidder", 0, wad(1), top))  # the new stage is on sale at once


@pytest.mark.covers("GEN2-REDO-INCENTIVE", "ACT-REDO")
def test_incentives_are_unbounded_over_resets() -> None:
    b = kicked(insurance=10_000)
    for _ in range(30):
        b.do(AdvanceTime(8_280), Redo("keeper", 0))
    assert b.auction(0).resets == 30
    assert b.auction(0).incentives_paid == 31 * KICK_INCENTIVE


@pytest.mark.covers("GEN2-REDO-INCENTIVE", "ACT-REDO")
def test_no_redo_incentive_for_a_dusty_tab() -> None:
    b = kicked()
    b.do(Take("bidder", 0, wad("5.9"), TOP))  # leaves exactly chost of tab
    b.do(AdvanceTime(8_280), ReportOracle(ray(1_800)))
    b.evolve(config=config("gen2", dust="1000.000000000000000001"))  # chost now > tab
    events = b.do(Redo("keeper", 0))
    assert [type(e) for e in events] == [AuctionReset]


@pytest.mark.covers("GEN2-REDO-INCENTIVE", "ACT-REDO")
def test_no_redo_incentive_for_a_dusty_lot() -> None:
    b = kicked()
    # the lot's value at spot falls below chost: 10 * 112 = 1,120 < 1,130
    b.do(AdvanceTime(8_280))
    b.set_prices(112)
    events = b.do(Redo("keeper", 0))
    assert [type(e) for e in events] == [AuctionReset]
    b.do(AdvanceTime(8_280))
    b.set_prices(113)  # 1,130: no longer dusty
    events = b.do(Redo("keeper", 0))
    assert [type(e) for e in events] == [AuctionReset, IncentivePaid]


@pytest.mark.covers("ACT-REDO")
def test_redo_guard_order() -> None:
    b = kicked()
    assert b.refusal_code(Redo("keeper", 1)) is RefusalCode.UNKNOWN_AUCTION
    assert b.refusal_code(Redo("keeper", 0)) is RefusalCode.AUCTION_CANNOT_RESET
    b.do(AdvanceTime(8_280))
    b.evolve(config=config("gen2", buf=0))  # unreachable with a valid config
    assert b.refusal_code(Redo("keeper", 0)) is RefusalCode.INVALID_PRICE


# --- Settle ---------------------------------------------------------------------------


@pytest.mark.covers("ACT-SETTLE", "LOSS-WATERFALL")
def test_a_lot_sold_short_leaves_a_shortfall_for_insurance_then_lps() -> None:
    b = kicked()
    b.do(AdvanceTime(91 * 90))
    price = P.curve.price(TOP, 91 * 90)
    assert b.refusal_code(Settle(0)) is RefusalCode.AUCTION_NOT_FINISHED
    b.do(Take("bidder", 0, wad(100), price))
    paid = -(-wad(10) * price // RAY)
    shortfall = wad(13_000) - paid
    insurance = b.state.buffers.insurance
    events = b.do(Settle(0))
    assert events == (
        ShortfallCovered(position=0, source=Buffer.INSURANCE, amount=insurance),
        ShortfallCovered(position=0, source=Buffer.LPS, amount=shortfall - insurance),
        AuctionSettled(auction=0, returned=0, shortfall=shortfall, fee_forgone=TAB - wad(13_000)),
    )
    assert b.state.buffers.insurance == 0
    assert b.state.ledger.bad_debt == shortfall - insurance
    assert b.state.pool.lp_claims == wad(100_000) - (shortfall - insurance)
    assert b.state.exposure == 0 and 0 not in b.state.auctions


@pytest.mark.covers("ACT-SETTLE")
def test_settle_guard() -> None:
    b = kicked()
    assert b.refusal_code(Settle(1)) is RefusalCode.UNKNOWN_AUCTION
    assert b.refusal_code(Settle(0)) is RefusalCode.AUCTION_NOT_FINISHED
    b.do(Take("bidder", 0, wad(10), TOP))
    b.do(Settle(0))
    assert b.refusal_code(Settle(0)) is RefusalCode.UNKNOWN_AUCTION


@pytest.mark.covers("ACT-TAKE", "CURVE-STAIRSTEP", "NUM-UINT256")
def test_a_curve_fault_refuses_the_take_and_never_escapes_step() -> None:
    """``step = 0`` is an invalid config; the engine must still refuse, not raise."""
    b = kicked(config("gen2", curve=StairstepExponentialDecrease(step=0, cut=P.curve.cut)))
    b.check = False  # the predicates price the auction too, and would fault the same way
    b.do(AdvanceTime(1))
    assert b.refusal_code(Take("bidder", 0, wad(1), NO_LIMIT)) is RefusalCode.DIVISION_BY_ZERO
    assert b.refusal_code(Redo("keeper", 0)) is RefusalCode.DIVISION_BY_ZERO

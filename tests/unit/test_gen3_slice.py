"""Sizing a gen 3 kick (spec/policies/gen3.md, GEN3-SLICE) and the gen 3 Kick (ACT-KICK).

``spec_plan_kick`` below is an independent reading of the eight steps of GEN3-SLICE;
the model's kicks are compared with it on chosen cases and on random ones.
"""

from __future__ import annotations

import attrs
import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st

from model.actions import AdvanceTime, Kick, ReportDepth
from model.errors import RefusalCode
from model.events import IncentivePaid, Kicked
from model.numbers import RAY
from model.params.presets import GEN3_ZERO_LOSS as P
from model.params.presets import percent
from model.params.records import Config, Gen3ZeroLossParams
from model.state import Market, Position
from tests.builders import Book, book, borrower, config, ray, single_position, wad

DUST = wad(1_000)


def ceil_div(x: int, d: int) -> int:
    return -(-x // d)


@attrs.frozen
class Slice:
    debt: int
    lot: int
    tab: int
    top: int
    floor: int
    backed: bool
    period_start: int
    kicked_in_period: int


class Overflow(Exception):
    """A named operation's result left uint256 (spec/numbers.md, NUM-UINT256)."""


def u(x: int) -> int:
    """The result of one of the spec's named operations, range-checked."""
    if x > 2**256 - 1:
        raise Overflow
    return x


def spec_plan_kick(
    p: Gen3ZeroLossParams,
    dust: int,
    c: int,
    d: int,
    ref: int,
    exposure: int,
    market: Market,
    time: int,
) -> RefusalCode | Slice:
    """GEN3-SLICE, step by step, for a position below L.

    Each named operation of the spec (``rmul_down``, ``mul_div_up`` ...) is wrapped in
    ``u``: its result must fit uint256, else the action is refused with OVERFLOW.
    """
    try:
        return _plan(p, dust, c, d, ref, exposure, market, time)
    except Overflow:
        return RefusalCode.OVERFLOW


def _plan(
    p: Gen3ZeroLossParams,
    dust: int,
    c: int,
    d: int,
    ref: int,
    exposure: int,
    market: Market,
    time: int,
) -> RefusalCode | Slice:
    floor = u(ref * p.floor_ratio // RAY)
    if floor == 0:
        return RefusalCode.INVALID_PRICE
    if c == 0:
        return RefusalCode.NULL_AUCTION
    tab_of = lambda debt: u(ceil_div(debt * (RAY + p.penalty), RAY))  # noqa: E731
    solvent = u(c * floor // RAY) >= tab_of(d)
    if solvent:
        owed, value = u(ceil_div(d * p.target_ratio, RAY)), u(c * ref // RAY)
        backstop = u(ceil_div((RAY + p.penalty) * RAY, p.floor_ratio))
        wanted = (
            0
            if value >= owed
            else min(d, u(ceil_div((owed - value) * RAY, p.target_ratio - backstop)))
        )
        wanted = max(wanted, min(dust, d))
        if d - wanted < dust:
            wanted = d
    else:
        wanted = d
    if exposure >= p.exposure_cap:
        return RefusalCode.EXPOSURE_CAP_REACHED
    by_exposure = u((p.exposure_cap - exposure) * RAY // (RAY + p.penalty))
    start, kicked = market.period_start, market.kicked_in_period
    if time >= start + p.unwind_period:
        start, kicked = time, 0
    cap = u(market.depth * p.depth_fraction // RAY)
    if kicked >= cap:
        return RefusalCode.DEPTH_EXHAUSTED
    room = cap - kicked
    by_depth = u(u(room * floor // RAY) * RAY // (RAY + p.penalty)) if solvent else u(room * d // c)
    debt = min(wanted, by_exposure, by_depth)
    if debt < wanted:
        if d - debt < dust:
            debt = d - dust
        if debt < dust:
            if by_depth <= by_exposure:
                return RefusalCode.DEPTH_EXHAUSTED
            return RefusalCode.EXPOSURE_CAP_REACHED
    tab = tab_of(debt)
    if solvent:
        lot = min(c, u(ceil_div(tab * RAY, floor)))
    elif debt == d:
        lot = c
    else:
        lot = u(ceil_div(c * debt, d))
        if lot >= c:
            return RefusalCode.DUSTY_AUCTION
    return Slice(
        debt=debt,
        lot=lot,
        tab=tab,
        top=u(ceil_div(ref * p.start_premium, RAY)),
        floor=floor,
        backed=u(lot * floor // RAY) >= debt,
        period_start=start,
        kicked_in_period=kicked + lot,
    )


def expected_slice(b: Book) -> RefusalCode | Slice:
    s = b.state
    position = b.position(0)
    return spec_plan_kick(
        s.config.policy,  # type: ignore[arg-type]
        s.config.dust,
        position.collateral,
        position.debt,
        s.oracle.reference,
        s.exposure,
        s.market,
        s.time,
    )


def kick_matches_spec(b: Book) -> RefusalCode | Slice:
    """Kick position 0 and check the outcome against the spec; the expected slice."""
    expected = expected_slice(b)
    before = b.state
    position = b.position(0)
    outcome = b.step(Kick("keeper", 0))
    if isinstance(expected, RefusalCode):
        assert not outcome.accepted
        assert outcome.refusal.code is expected  # type: ignore[union-attr]
        return expected
    assert outcome.accepted, outcome
    auction_id = before.next_auction
    kicked = outcome.events[0]  # type: ignore[union-attr]
    assert kicked == Kicked(
        auction=auction_id,
        position=0,
        keeper="keeper",
        lot=expected.lot,
        debt=expected.debt,
        tab=expected.tab,
        top=expected.top,
        floor=expected.floor,
    )
    auction = b.state.auctions[auction_id]
    assert (auction.backed, auction.fee) == (expected.backed, expected.tab - expected.debt)
    assert (auction.tic, auction.anchor, auction.resets) == (
        before.time,
        before.oracle.reference,
        0,
    )
    assert b.state.market == Market(
        depth=before.market.depth,
        period_start=expected.period_start,
        kicked_in_period=expected.kicked_in_period,
    )
    assert b.position(0) == Position(
        position.owner, position.collateral - expected.lot, position.debt - expected.debt
    )
    assert b.state.exposure == before.exposure + expected.tab
    assert b.state.unbacked == before.unbacked + (0 if expected.backed else 1)
    # "by construction": the tab fits the exposure room and the lot the depth room
    p = before.config.policy
    assert isinstance(p, Gen3ZeroLossParams)
    assert b.state.exposure <= p.exposure_cap
    assert b.state.market.kicked_in_period <= before.market.depth * p.depth_fraction // RAY
    return expected


DEPTH_20 = config("gen3", depth_fraction=percent("20"))
"""The depth tests' numbers are worked out for 20 % of depth per unwind period."""


def alice_at(reference: int | str, *, policy: Config | str = "gen3", depth: int = 1_000) -> Book:
    b = book(policy, liquidity=100_000, insurance=1_000, depth=depth)
    borrower(b, "alice", 10, 14_000)
    b.set_prices(reference)
    return b


# --- solvent positions: the slice that restores the target ratio ----------------------


@pytest.mark.covers("GEN3-SLICE", "ACT-KICK")
def test_unwinding_position_gives_up_the_slice_that_restores_the_target_ratio() -> None:
    b = alice_at(1_700)  # CR 1.214: UNWINDING
    s = kick_matches_spec(b)
    assert isinstance(s, Slice)
    assert s.backed
    assert s.debt == wad("11647.058823529411764706")  # (20,300 - 17,000) / (1.45 - 1.1667)
    assert s.lot * s.floor >= s.tab * RAY  # the lot at the floor raises the whole tab
    left = b.position(0)
    # restores T at the reference, up to rounding (a few units in the last place)
    assert abs(left.collateral * ray(1_700) - left.debt * P.target_ratio) <= 4 * ray(1_700)


@pytest.mark.covers("GEN3-SLICE", "NUM-ROUNDING")
@given(
    collateral=st.integers(wad(1), wad(10**6)),
    ratio_bp=st.integers(11_700, 12_499),  # between B = 1.1667 and L = 1.25
    debt=st.integers(wad(20_000), wad(10**8)),
)
@settings(max_examples=120, deadline=None)
def test_debt_to_target_restores_the_target_ratio_up_to_rounding(
    collateral: int, ratio_bp: int, debt: int
) -> None:
    ref = debt * ratio_bp * RAY // (10_000 * collateral)
    b = single_position(config("gen3", exposure_cap=2**200), collateral, debt, ref)
    b.evolve(market=Market(depth=2**200, period_start=0, kicked_in_period=0))
    s = kick_matches_spec(b)
    if not isinstance(s, Slice):
        event(s.name)
        return
    left = b.position(0)
    if left.debt == 0:
        event("whole position")
        return
    event("partial")
    value, owed = left.collateral * ref, left.debt * P.target_ratio
    # the slice errs large: the rest is at or above T, less a few rounding units
    assert value >= owed - 4 * (ref + P.target_ratio)
    assert value * 10**12 <= owed * (10**12 + 1)  # and not far above


@pytest.mark.covers("GEN3-SLICE", "DEBT-DUST")
def test_when_the_rest_would_be_dust_the_whole_position_goes() -> None:
    b = alice_at(1_650)  # wants 13,411.76 of 14,000: the 588 left would be dust
    s = kick_matches_spec(b)
    assert isinstance(s, Slice) and s.debt == wad(14_000)
    assert b.position(0).debt == 0
    assert b.position(0).collateral > 0  # the lot sized at the floor leaves some collateral


# --- insolvent positions: the backstop ------------------------------------------------


@pytest.mark.covers("GEN3-SLICE", "ACT-KICK")
def test_insolvent_position_goes_whole_and_unbacked() -> None:
    b = alice_at(1_500)  # 10 at the floor 1,350 = 13,500 < tab 14,700
    s = kick_matches_spec(b)
    assert isinstance(s, Slice)
    assert (s.debt, s.lot, s.backed) == (wad(14_000), wad(10), False)
    assert b.state.unbacked == 1


@pytest.mark.covers("GEN3-SLICE", "NUM-ROUNDING")
def test_insolvent_position_cut_by_depth_goes_pro_rata() -> None:
    b = alice_at(1_500, policy=DEPTH_20, depth=20)  # 4 collateral per period
    s = kick_matches_spec(b)
    assert isinstance(s, Slice)
    assert s.debt == wad(4) * wad(14_000) // wad(10)  # 5,600
    assert s.lot == wad(4)  # ceil(10 * 5,600 / 14,000)
    assert b.position(0) == Position("alice", wad(6), wad(8_400))


@pytest.mark.covers("GEN3-SLICE")
def test_a_pro_rata_cut_may_not_take_all_the_collateral() -> None:
    # one wei of collateral: any pro-rata cut rounds its lot up to the whole of it
    b = single_position(config("gen3", exposure_cap=wad(1_600)), 1, wad(2_000), ray(1))
    b.evolve(market=Market(depth=wad(10**6), period_start=0, kicked_in_period=0))
    assert kick_matches_spec(b) is RefusalCode.DUSTY_AUCTION


# --- depth and exposure rooms ---------------------------------------------------------


@pytest.mark.covers("GEN3-SLICE", "ACT-KICK")
def test_depth_cut_and_the_unwind_period() -> None:
    b = alice_at(1_700, policy=DEPTH_20, depth=10)  # 20 % of 10 = 2 collateral per 600 s
    s = kick_matches_spec(b)
    assert isinstance(s, Slice) and s.lot == wad(2)
    assert b.state.market.kicked_in_period == wad(2)
    assert kick_matches_spec(b) is RefusalCode.DEPTH_EXHAUSTED
    b.do(AdvanceTime(599))
    assert kick_matches_spec(b) is RefusalCode.DEPTH_EXHAUSTED
    b.do(AdvanceTime(1))  # the period rolls over
    s = kick_matches_spec(b)
    assert isinstance(s, Slice)
    assert b.state.market.period_start == 600
    assert b.state.market.kicked_in_period == s.lot


@pytest.mark.covers("GEN3-SLICE", "EXPOSURE-CAP")
def test_exposure_cut_keeps_the_tab_within_the_cap() -> None:
    cap = wad(5_000)
    b = alice_at(1_700, policy=config("gen3", exposure_cap=cap))
    s = kick_matches_spec(b)
    assert isinstance(s, Slice)
    assert s.debt == cap * RAY // (RAY + P.penalty)
    assert b.state.exposure == s.tab <= cap
    assert kick_matches_spec(b) is RefusalCode.EXPOSURE_CAP_REACHED


@pytest.mark.covers("GEN3-SLICE", "EXPOSURE-CAP")
def test_exposure_at_the_cap_refuses_before_depth() -> None:
    b = book(config("gen3", exposure_cap=wad(14_700)), liquidity=100_000, insurance=1_000)
    borrower(b, "alice", 10, 14_000)
    borrower(b, "bob", 10, 14_000)
    b.set_prices(1_500)
    b.do(Kick("keeper", 0))  # tab 14,700: the cap exactly
    assert b.state.exposure == wad(14_700)
    b.do(ReportDepth(0))
    assert b.refusal_code(Kick("keeper", 1)) is RefusalCode.EXPOSURE_CAP_REACHED


@pytest.mark.covers("GEN3-SLICE", "DEBT-DUST")
def test_a_cut_that_would_leave_dust_leaves_exactly_dust() -> None:
    # insolvent, wants all 14,000; the exposure room fits 13,500: the rest (500) would be
    # dust, so the cut takes 13,000 and leaves 1,000
    cap = ceil_div(wad(13_500) * (RAY + P.penalty), RAY)
    b = alice_at(1_500, policy=config("gen3", exposure_cap=cap))
    s = kick_matches_spec(b)
    assert isinstance(s, Slice) and s.debt == wad(13_000)
    assert b.position(0).debt == DUST


@pytest.mark.covers("GEN3-SLICE")
def test_a_cut_below_dust_waits_for_room() -> None:
    b = alice_at(1_700, policy=config("gen3", exposure_cap=wad(500)))  # fits 476 of debt
    assert kick_matches_spec(b) is RefusalCode.EXPOSURE_CAP_REACHED
    b = alice_at(1_700, policy=DEPTH_20, depth=3)  # 0.6 collateral per period: 874 of debt
    assert kick_matches_spec(b) is RefusalCode.DEPTH_EXHAUSTED


@pytest.mark.covers("GEN3-SLICE", "DEBT-DUST")
def test_a_slice_is_never_smaller_than_dust() -> None:
    # a target just above L, a position just below it: restoring T takes about 120 of
    # debt, less than dust, so the slice is dust-sized
    cfg = config("gen3", target_ratio=P.liquidation_ratio + RAY // 10_000)
    c, d = wad(100), wad(100_000)
    ref = d * P.liquidation_ratio // c - 1
    b = single_position(cfg, c, d, ref)
    b.evolve(market=Market(depth=wad(10**6), period_start=0, kicked_in_period=0))
    s = kick_matches_spec(b)
    assert isinstance(s, Slice)
    assert s.debt == DUST


@pytest.mark.covers("GEN3-SLICE")
def test_a_room_that_fits_nothing_names_the_tighter_limit() -> None:
    b = alice_at(1_700, policy=config("gen3", exposure_cap=1))
    assert kick_matches_spec(b) is RefusalCode.EXPOSURE_CAP_REACHED
    # depth 5 wei: 1 wei of collateral per period, worth 0 quote at a price below 1
    b = single_position("gen3", wad(30_000), wad(12_500), ray("0.5"))  # CR 1.2: UNWINDING
    b.evolve(market=Market(depth=5, period_start=0, kicked_in_period=0))
    assert kick_matches_spec(b) is RefusalCode.DEPTH_EXHAUSTED
    b.evolve(market=Market(depth=0, period_start=0, kicked_in_period=0))
    assert kick_matches_spec(b) is RefusalCode.DEPTH_EXHAUSTED


@pytest.mark.covers("GEN3-SLICE", "ACT-KICK")
def test_a_floor_of_zero_is_an_invalid_price_before_a_null_auction() -> None:
    b = single_position("gen3", 0, wad(2_000), 1)  # reference 1e-27: floor 0; no collateral
    assert kick_matches_spec(b) is RefusalCode.INVALID_PRICE
    b.set_oracle(spot=ray(1_000), reference=ray(1_000))
    assert kick_matches_spec(b) is RefusalCode.NULL_AUCTION


@pytest.mark.covers("GEN3-SLICE", "NUM-UINT256")
def test_a_depth_bound_beyond_uint256_is_an_overflow() -> None:
    """``by_depth = mul_div_down(room, D, C)`` is a named operation whose result is
    range-checked, even though only ``min(wanted, by_exposure, by_depth)`` is used."""
    b = single_position("gen3", 1, wad(1_000), ray(1))  # INSOLVENT: 1 wei of collateral
    b.evolve(market=Market(depth=2**200, period_start=0, kicked_in_period=0))
    assert kick_matches_spec(b) is RefusalCode.OVERFLOW


# --- the kick's incentive -------------------------------------------------------------


@pytest.mark.covers("ACT-KICK", "INCENTIVE-CAP")
def test_kick_incentive_is_tip_plus_chip_capped() -> None:
    b = alice_at(1_700, policy=config("gen3", keeper_tip=wad(40), incentive_cap=wad(45)))
    events = b.do(Kick("keeper", 0))
    assert events[1] == IncentivePaid(auction=0, keeper="keeper", amount=wad(45), unpaid=0)
    assert b.auction(0).incentives_paid == wad(45)
    b = alice_at(1_700, policy=config("gen3", keeper_tip=wad(40)))
    events = b.do(Kick("keeper", 0))
    tab = b.auction(0).debt + b.auction(0).fee
    assert events[1] == IncentivePaid(
        auction=0, keeper="keeper", amount=wad(40) + tab * P.keeper_chip // RAY, unpaid=0
    )


@pytest.mark.covers("ACT-KICK")
def test_no_incentive_event_when_nothing_is_owed() -> None:
    b = alice_at(1_700, policy=config("gen3", keeper_chip=0))
    events = b.do(Kick("keeper", 0))
    assert [type(e) for e in events] == [Kicked]
    assert b.auction(0).incentives_paid == 0


# --- random kicks against the spec ----------------------------------------------------


@pytest.mark.covers("GEN3-SLICE", "ACT-KICK", "EXPOSURE-CAP")
@given(
    collateral=st.integers(1, wad(10**5)),
    debt=st.integers(DUST, wad(10**8)),
    below_l=st.integers(1, 999),
    depth=st.one_of(st.integers(0, wad(100)), st.integers(0, wad(10**6)), st.just(wad(10**9))),
    kicked=st.integers(0, wad(50)),
    cap=st.one_of(st.integers(1, wad(10**5)), st.just(P.exposure_cap)),
    elapsed=st.integers(0, 1_200),
)
@settings(max_examples=200, deadline=None)
def test_kicks_match_the_spec(
    collateral: int, debt: int, below_l: int, depth: int, kicked: int, cap: int, elapsed: int
) -> None:
    ref = max(1, debt * P.liquidation_ratio * below_l // (collateral * 1_000))
    b = single_position(config("gen3", exposure_cap=cap), collateral, debt, ref)
    b.evolve(market=Market(depth=depth, period_start=0, kicked_in_period=kicked), time=elapsed)
    b.set_oracle(last_update=elapsed)
    outcome = kick_matches_spec(b)
    event(outcome.name if isinstance(outcome, RefusalCode) else "kicked")

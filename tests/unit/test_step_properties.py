"""The step properties of spec/invariants.md have teeth.

Each predicate of ``model/invariants/step_properties.py`` is evaluated on a real step,
where it holds, and on the same step with its outcome (or its starting state) altered
in exactly the way the property forbids, where it must fail.
"""

from __future__ import annotations

import attrs
import pytest

from model import Accepted, Refused, State, step
from model.actions import (
    AdvanceTime,
    EndAuction,
    Kick,
    Liquidate,
    Redo,
    ReportOracle,
    Settle,
    Take,
    WithdrawLiquidity,
)
from model.errors import Refusal, RefusalCode
from model.events import (
    Buffer,
    CollateralReturned,
    IncentivePaid,
    Liquidated,
    PolPurchased,
    ShortfallCovered,
    Taken,
)
from model.invariants.step_properties import (
    auction_floor,
    auction_monotone,
    borrower_surplus,
    bounded_extraction,
    incentive_cap,
    loss_waterfall,
    lp_withdrawal_freeze,
    no_healthy_liquidation,
    oracle_bounded_step,
    pol_fair_price,
    refusal_no_change,
    reset_guarded,
    rounding_favours_protocol,
    uncovered_never_grows,
)
from model.numbers import RAY
from model.params.presets import GEN3_ZERO_LOSS
from tests.builders import Book, book, borrower, ray, wad

NO_LIMIT = 10**40


def accepted(pre: State, action: object) -> Accepted:
    outcome = step(pre, action)
    assert isinstance(outcome, Accepted), outcome
    return outcome


def replace_event(outcome: Accepted, kind: type, **fields: object) -> Accepted:
    events = tuple(attrs.evolve(e, **fields) if isinstance(e, kind) else e for e in outcome.events)
    return Accepted(outcome.state, events)


def with_auction(state: State, auction_id: int, **fields: object) -> State:
    auction = attrs.evolve(state.auctions[auction_id], **fields)
    return attrs.evolve(state, auctions=state.auctions.set(auction_id, auction))


def with_position(state: State, position_id: int, **fields: object) -> State:
    position = attrs.evolve(state.positions[position_id], **fields)
    return attrs.evolve(state, positions=state.positions.set(position_id, position))


def gen3_auction(reference: int = 1_700, insurance: int = 1_000, pol: int = 0) -> Book:
    b = book("gen3", liquidity=100_000, insurance=insurance, pol=pol)
    borrower(b, "alice", 10, 14_000)
    b.set_prices(reference)
    b.do(Kick("keeper", 0))
    return b


def gen2_auction() -> Book:
    b = book("gen2", liquidity=100_000, insurance=1_000)
    borrower(b, "alice", 10, 13_000)
    b.set_prices(1_800)
    b.do(Kick("keeper", 0))
    return b


# --- REFUSAL-NO-CHANGE ----------------------------------------------------------------


@pytest.mark.covers("REFUSAL-NO-CHANGE")
def test_refusal_no_change_catches_a_refusal_that_changed_the_state() -> None:
    pre = book("gen3").state
    action = AdvanceTime(0)
    outcome = step(pre, action)
    assert isinstance(outcome, Refused)
    assert refusal_no_change(pre, action, outcome)
    changed = Refused(attrs.evolve(pre, time=pre.time + 1), outcome.refusal)
    assert not refusal_no_change(pre, action, changed)
    # accepted steps are not its concern
    assert refusal_no_change(pre, AdvanceTime(1), step(pre, AdvanceTime(1)))


# --- ORACLE-BOUNDED-STEP --------------------------------------------------------------


@pytest.mark.covers("ORACLE-BOUNDED-STEP")
@pytest.mark.parametrize("elapsed", [0, 60, 600, 86_400])
def test_oracle_bounded_step_catches_a_reference_that_jumped(elapsed: int) -> None:
    """The bound is per unit of time: a report ``elapsed`` seconds after the last may move
    the reference ``min(elapsed, step_period) / step_period`` of ``max_step``."""
    pre = attrs.evolve(book("gen3").state, time=elapsed)
    action = ReportOracle(ray(1_000))
    outcome = accepted(pre, action)
    assert oracle_bounded_step(pre, action, outcome)
    period = pre.config.oracle.step_period
    exact = pre.oracle.reference * pre.config.oracle.max_step * min(elapsed, period)
    allowance = exact // (RAY * period)
    for reference, holds in (
        (pre.oracle.reference - allowance, True),
        (pre.oracle.reference - allowance - 1, False),
        (pre.oracle.reference + allowance, True),
        (pre.oracle.reference + allowance + 1, False),
    ):
        moved = attrs.evolve(
            outcome.state, oracle=attrs.evolve(outcome.state.oracle, reference=reference)
        )
        assert oracle_bounded_step(pre, action, Accepted(moved, outcome.events)) is holds


# --- AUCTION-MONOTONE -----------------------------------------------------------------


@pytest.mark.covers("AUCTION-MONOTONE")
@pytest.mark.parametrize("auction", [gen2_auction, gen3_auction])
def test_auction_monotone_catches_a_price_that_rose_with_time(auction: object) -> None:
    pre = auction().state  # type: ignore[operator]
    action = AdvanceTime(900)
    outcome = accepted(pre, action)
    assert auction_monotone(pre, action, outcome)
    a = outcome.state.auctions[0]
    risen = with_auction(outcome.state, 0, top=a.top * 2, floor=a.floor)
    assert not auction_monotone(pre, action, Accepted(risen, outcome.events))
    # a new stage (another tic) may start higher: that is a reset, not a rise
    restarted = with_auction(risen, 0, tic=risen.time)
    assert auction_monotone(pre, action, Accepted(restarted, outcome.events))


# --- NO-HEALTHY-LIQUIDATION -----------------------------------------------------------


@pytest.mark.covers("NO-HEALTHY-LIQUIDATION")
@pytest.mark.parametrize(
    ("policy", "debt", "unhealthy"), [("gen2", 13_000, 1_800), ("gen3", 14_000, 1_700)]
)
def test_no_healthy_liquidation_catches_a_kick_of_a_healthy_position(
    policy: str, debt: int, unhealthy: int
) -> None:
    b = book(policy, liquidity=100_000, insurance=1_000)
    borrower(b, "alice", 10, debt)
    b.set_prices(unhealthy)
    pre, action = b.state, Kick("keeper", 0)
    outcome = accepted(pre, action)
    assert no_healthy_liquidation(pre, action, outcome)
    healthy = attrs.evolve(
        pre,
        oracle=attrs.evolve(pre.oracle, spot=ray(2_000), reference=ray(2_000)),
    )
    assert not no_healthy_liquidation(healthy, action, outcome)
    # it also catches a kick that added debt to the position
    grown = with_position(outcome.state, 0, debt=pre.positions[0].debt + 1)
    assert not no_healthy_liquidation(pre, action, Accepted(grown, outcome.events))


@pytest.mark.covers("NO-HEALTHY-LIQUIDATION", "GEN1-LIQUIDATION")
def test_no_healthy_liquidation_catches_gen1_beyond_the_close_factor_or_healthy() -> None:
    b = book("gen1", liquidity=100_000)
    borrower(b, "alice", 10, 16_000)
    b.set_prices(1_900)
    pre, action = b.state, Liquidate("liquidator", 0, wad(8_000))
    outcome = accepted(pre, action)
    assert no_healthy_liquidation(pre, action, outcome)
    greedy = replace_event(outcome, Liquidated, repaid=wad(8_000) + 1)
    assert not no_healthy_liquidation(pre, action, greedy)
    healthy = attrs.evolve(pre, oracle=attrs.evolve(pre.oracle, spot=ray(2_000)))
    assert not no_healthy_liquidation(healthy, action, outcome)


# --- AUCTION-FLOOR, ROUNDING-FAVOURS-PROTOCOL, BOUNDED-EXTRACTION ---------------------


def gen3_take() -> tuple[State, Take, Accepted]:
    b = gen3_auction()
    b.do(AdvanceTime(600))
    pre = b.state
    action = Take("bob", 0, wad(2), NO_LIMIT)
    return pre, action, accepted(pre, action)


@pytest.mark.covers("AUCTION-FLOOR")
def test_auction_floor_catches_a_sale_below_the_floor() -> None:
    pre, action, outcome = gen3_take()
    floor = pre.auctions[0].floor
    assert auction_floor(pre, action, outcome)
    assert not auction_floor(pre, action, replace_event(outcome, Taken, price=floor - 1))
    cheap = replace_event(outcome, Taken, paid=wad(2) * floor // RAY - 1)
    assert not auction_floor(pre, action, cheap)


@pytest.mark.covers("AUCTION-FLOOR", "GEN3-POL-BACKSTOP")
def test_auction_floor_catches_a_pol_purchase_below_the_floor() -> None:
    b = gen3_auction(pol=100_000)
    b.do(AdvanceTime(GEN3_ZERO_LOSS.auction_duration))
    pre, action = b.state, EndAuction(0)
    outcome = accepted(pre, action)
    assert auction_floor(pre, action, outcome)
    floor = pre.auctions[0].floor
    assert not auction_floor(pre, action, replace_event(outcome, PolPurchased, price=floor - 1))


@pytest.mark.covers("GEN3-POL-FAIR-PRICE")
def test_pol_fair_price_catches_a_purchase_above_the_mark_or_overpaid() -> None:
    b = gen3_auction(pol=100_000)
    b.do(AdvanceTime(GEN3_ZERO_LOSS.auction_duration))
    pre, action = b.state, EndAuction(0)
    outcome = accepted(pre, action)
    assert pol_fair_price(pre, action, outcome)
    mark = min(pre.oracle.spot, pre.oracle.reference)
    assert not pol_fair_price(pre, action, replace_event(outcome, PolPurchased, price=mark + 1))
    bought = outcome.events[0]
    assert isinstance(bought, PolPurchased)
    # beyond the purchase kernel's rounding (less than one unit of collateral at the price)
    overpaid = (bought.collateral + 1) * bought.price // RAY + 1
    assert not pol_fair_price(pre, action, replace_event(outcome, PolPurchased, paid=overpaid))
    low = attrs.evolve(pre, oracle=attrs.evolve(pre.oracle, spot=bought.price - 1))
    assert not pol_fair_price(low, action, outcome)  # spot below the price: above the mark


@pytest.mark.covers("UNCOVERED-NEVER-GROWS")
def test_uncovered_never_grows_catches_a_sale_that_pays_too_little_of_the_debt() -> None:
    pre, action, outcome = gen3_take()
    assert uncovered_never_grows(pre, action, outcome)
    before = pre.auctions[0]
    after = outcome.state.auctions[0]
    # the same purchase paying off one unit less of the debt: less raised than the lot
    # that left was worth at the floor. (A fresh stage, another floor, is not compared.)
    short = attrs.evolve(after, debt=after.debt + after.floor * wad(2) // RAY)
    broken = Accepted(
        attrs.evolve(outcome.state, auctions=outcome.state.auctions.set(0, short)),
        outcome.events,
    )
    assert not uncovered_never_grows(pre, action, broken)
    restaged = attrs.evolve(short, tic=before.tic + 1)
    fresh = Accepted(
        attrs.evolve(outcome.state, auctions=outcome.state.auctions.set(0, restaged)),
        outcome.events,
    )
    assert uncovered_never_grows(pre, action, fresh)


@pytest.mark.covers("ROUNDING-FAVOURS-PROTOCOL")
def test_rounding_favours_protocol_catches_a_buyer_paying_less_than_the_value() -> None:
    pre, action, outcome = gen3_take()
    assert rounding_favours_protocol(pre, action, outcome)
    taken = outcome.events[0]
    assert isinstance(taken, Taken)
    assert not rounding_favours_protocol(
        pre, action, replace_event(outcome, Taken, collateral=taken.collateral + 1)
    )
    assert not rounding_favours_protocol(
        pre, action, replace_event(outcome, Taken, paid=taken.paid - 1)
    )


@pytest.mark.covers("ROUNDING-FAVOURS-PROTOCOL", "GEN1-LIQUIDATION")
def test_rounding_favours_protocol_catches_a_liquidator_seizing_too_much() -> None:
    b = book("gen1", liquidity=100_000)
    borrower(b, "alice", 10, 16_000)
    b.set_prices(1_900)
    pre, action = b.state, Liquidate("liquidator", 0, wad(8_000))
    outcome = accepted(pre, action)
    assert rounding_favours_protocol(pre, action, outcome)
    liquidated = outcome.events[0]
    assert isinstance(liquidated, Liquidated)
    greedy = replace_event(outcome, Liquidated, seized=liquidated.seized + 1)
    assert not rounding_favours_protocol(pre, action, greedy)


@pytest.mark.covers("BOUNDED-EXTRACTION")
def test_bounded_extraction_catches_a_cheap_purchase_and_uncapped_incentives() -> None:
    pre, action, outcome = gen3_take()
    floor = pre.auctions[0].floor
    assert bounded_extraction(pre, action, outcome)
    cheap = replace_event(outcome, Taken, paid=wad(2) * floor // RAY - 1)
    assert not bounded_extraction(pre, action, cheap)
    cap = GEN3_ZERO_LOSS.incentive_cap
    overpaid = with_auction(outcome.state, 0, incentives_paid=cap + 1)
    assert not bounded_extraction(pre, action, Accepted(overpaid, outcome.events))


# --- BORROWER-SURPLUS -----------------------------------------------------------------


@pytest.mark.covers("BORROWER-SURPLUS")
def test_borrower_surplus_catches_leftover_collateral_kept_back() -> None:
    b = gen3_auction()
    b.do(Take("bob", 0, NO_LIMIT, NO_LIMIT))  # raises the tab; some collateral is left
    pre, action = b.state, Settle(0)
    outcome = accepted(pre, action)
    assert borrower_surplus(pre, action, outcome)
    left = pre.auctions[0].lot
    kept = Accepted(
        with_position(outcome.state, 0, collateral=pre.positions[0].collateral + left - 1),
        tuple(
            attrs.evolve(e, amount=left - 1) if isinstance(e, CollateralReturned) else e
            for e in outcome.events
        ),
    )
    assert not borrower_surplus(pre, action, kept)


@pytest.mark.covers("BORROWER-SURPLUS")
def test_borrower_surplus_catches_collateral_returned_from_a_short_auction() -> None:
    b = gen3_auction(reference=1_500)
    b.do(AdvanceTime(1_800), Take("bob", 0, NO_LIMIT, NO_LIMIT))  # sold out short
    pre, action = b.state, Settle(0)
    outcome = accepted(pre, action)
    assert borrower_surplus(pre, action, outcome)
    gift = Accepted(
        with_position(outcome.state, 0, collateral=1),
        (CollateralReturned(auction=0, position=0, amount=1), *outcome.events),
    )
    assert not borrower_surplus(pre, action, gift)


# --- LOSS-WATERFALL -------------------------------------------------------------------


def gen3_shortfall_settle(insurance: int, pol: int) -> tuple[State, Settle, Accepted]:
    b = gen3_auction(reference=1_500, insurance=insurance, pol=pol)
    b.do(AdvanceTime(1_800), Take("bob", 0, NO_LIMIT, NO_LIMIT))  # 500 short
    pre, action = b.state, Settle(0)
    return pre, action, accepted(pre, action)


@pytest.mark.covers("LOSS-WATERFALL")
def test_loss_waterfall_catches_rungs_out_of_order() -> None:
    pre, action, outcome = gen3_shortfall_settle(insurance=200, pol=100)
    assert loss_waterfall(pre, action, outcome)
    covered = [e for e in outcome.events if isinstance(e, ShortfallCovered)]
    assert [e.source for e in covered] == [Buffer.INSURANCE, Buffer.POL, Buffer.LPS]
    others = [e for e in outcome.events if not isinstance(e, ShortfallCovered)]
    reordered = Accepted(outcome.state, (*reversed(covered), *others))
    assert not loss_waterfall(pre, action, reordered)


@pytest.mark.covers("LOSS-WATERFALL")
def test_loss_waterfall_catches_lps_paying_while_a_buffer_has_funds() -> None:
    pre, action, outcome = gen3_shortfall_settle(insurance=200, pol=100)
    post = outcome.state
    for buffers in (
        attrs.evolve(post.buffers, insurance=1),
        attrs.evolve(post.buffers, pol_quote=1),
    ):
        assert not loss_waterfall(
            pre, action, Accepted(attrs.evolve(post, buffers=buffers), outcome.events)
        )


@pytest.mark.covers("LOSS-WATERFALL")
def test_loss_waterfall_gen1_has_only_lps() -> None:
    b = book("gen1", liquidity=100_000)
    borrower(b, "alice", 10, 16_000)
    b.set_prices(1_500)
    pre, action = b.state, Liquidate("liquidator", 0, wad(16_000))
    outcome = accepted(pre, action)
    assert any(isinstance(e, ShortfallCovered) for e in outcome.events)
    assert loss_waterfall(pre, action, outcome)


# --- RESET-GUARDED --------------------------------------------------------------------


@pytest.mark.covers("RESET-GUARDED")
def test_reset_guarded_catches_a_gen2_reset_without_tail_or_cusp() -> None:
    b = gen2_auction()
    b.do(AdvanceTime(8_280))
    pre, action = b.state, Redo("keeper", 0)
    outcome = accepted(pre, action)
    assert reset_guarded(pre, action, outcome)
    fresh = with_auction(pre, 0, tic=pre.time - 100)  # the stage was young: no reset due
    assert not reset_guarded(fresh, action, outcome)
    wrong_top = with_auction(outcome.state, 0, top=outcome.state.auctions[0].top + 1)
    assert not reset_guarded(pre, action, Accepted(wrong_top, outcome.events))
    wrong_tic = with_auction(outcome.state, 0, tic=pre.time - 1)
    assert not reset_guarded(pre, action, Accepted(wrong_tic, outcome.events))
    no_count = with_auction(outcome.state, 0, resets=0)
    assert not reset_guarded(pre, action, Accepted(no_count, outcome.events))


@pytest.mark.covers("RESET-GUARDED")
def test_reset_guarded_catches_a_gen3_reset_inside_the_band_or_from_a_stale_price() -> None:
    b = gen3_auction(reference=1_500)
    b.do(AdvanceTime(GEN3_ZERO_LOSS.auction_duration))
    b.set_prices(1_700)
    pre, action = b.state, Redo("keeper", 0)
    outcome = accepted(pre, action)
    assert reset_guarded(pre, action, outcome)
    inside = with_auction(pre, 0, anchor=ray(1_650))  # 3 % from the anchor: no reset due
    assert not reset_guarded(inside, action, outcome)
    young = with_auction(pre, 0, tic=pre.time - 1)  # not expired
    assert not reset_guarded(young, action, outcome)
    old_floor = with_auction(outcome.state, 0, floor=pre.auctions[0].floor)
    assert not reset_guarded(pre, action, Accepted(old_floor, outcome.events))


# --- INCENTIVE-CAP --------------------------------------------------------------------


@pytest.mark.covers("INCENTIVE-CAP")
def test_incentive_cap_catches_a_kick_or_reset_paying_past_the_cap() -> None:
    b = book("gen3", liquidity=100_000, insurance=10_000)
    borrower(b, "alice", 10, 14_000)
    b.set_prices(1_500)
    pre, action = b.state, Kick("keeper", 0)
    outcome = accepted(pre, action)
    assert incentive_cap(pre, action, outcome)
    cap = GEN3_ZERO_LOSS.incentive_cap
    assert not incentive_cap(pre, action, replace_event(outcome, IncentivePaid, amount=cap + 1))
    b.do(action, AdvanceTime(GEN3_ZERO_LOSS.auction_duration))
    b.set_prices(1_700)
    pre, action = b.state, Redo("keeper", 0)
    reset = accepted(pre, action)
    assert incentive_cap(pre, action, reset)
    near_cap = with_auction(pre, 0, incentives_paid=cap)
    assert not incentive_cap(near_cap, action, reset)


# --- LP-WITHDRAWAL-FREEZE -------------------------------------------------------------


@pytest.mark.covers("LP-WITHDRAWAL-FREEZE")
def test_lp_withdrawal_freeze_catches_a_withdrawal_while_unbacked() -> None:
    b = book("gen3", liquidity=100_000)
    pre, action = b.state, WithdrawLiquidity("lp", wad(1))
    outcome = accepted(pre, action)
    assert lp_withdrawal_freeze(pre, action, outcome)
    frozen = gen3_auction(reference=1_500).state
    assert frozen.unbacked == 1
    assert not lp_withdrawal_freeze(frozen, action, outcome)
    refusal = Refused(frozen, Refusal(RefusalCode.WITHDRAWALS_FROZEN, ""))
    assert lp_withdrawal_freeze(frozen, action, refusal)

"""Generation 3: zero-loss liquidation.

Requirement: ZERO-LOSS.

Decisions use the smoothed reference price. A position moves through zones:

- SAFE: ``collateral * reference >= debt * warning_ratio``; anything goes.
- GUARDED: below the warning ratio but not below ``liquidation_ratio``: no new
  borrowing, no collateral withdrawal. The warning ratio is the liquidation ratio
  plus a fixed margin plus a buffer that grows with volatility.
- UNWINDING: below ``liquidation_ratio`` but the whole position still covers its tab
  at the auction floor: keepers may kick the slice that restores ``target_ratio``.
- INSOLVENT: even the whole position does not cover its tab at the floor: it is
  unwound pro rata, as the backstop.

A kick sells no more than a ``depth_fraction`` of reported market depth per
``unwind_period``, and no more tab than fits under ``exposure_cap``. Each slice is
auctioned from ``reference * start_premium`` down to ``reference * floor_ratio`` and
never below; the lot is sized so that selling all of it at the floor raises the tab.
Once the auction has run ``auction_duration``, protocol-owned liquidity buys what is
left at the floor, but never above the mark (the lower of spot and the reference): POL
never pays more for collateral than it is worth (GEN3-POL-FAIR-PRICE). A reset is allowed
only after that, only if POL cannot buy the rest (short of reserves, or the floor is
above the mark), and only once the reference has moved more than ``reset_band`` from the
stage's anchor; it restarts from the current reference.
Keeper incentives per liquidation are capped at ``incentive_cap`` over the kick and
all resets. A shortfall is covered by the insurance fund, then POL, then LPs; LPs may
not withdraw while an auction that could leave one (an unbacked auction) is live.

Why volatility widens the warning band instead of moving the liquidation threshold:
the volatility estimate is driven by spot reports, which a manipulator can spike; a
spike may then freeze borrowing, but can never make a healthy position liquidatable.
"""

from __future__ import annotations

import enum
from typing import cast

import attrs

from model.actions import EndAuction, Kick, PolSell, Redo, Settle, Take, UpdateParams
from model.curves.zero_loss import floored_linear_price
from model.errors import Refusal, RefusalCode, expect, refuse
from model.events import AuctionReset, Buffer, Event, Kicked, PolPurchased, PolSold, Taken
from model.loss import mark_price
from model.numbers.fixed_point import (
    RAY,
    Ray,
    Wad,
    add,
    distance,
    maximum,
    minimum,
    mul_div_down,
    mul_div_up,
    rdiv_down,
    rdiv_up,
    rmul_down,
    rmul_up,
    sub,
)
from model.params.derived import gen3_backstop_ratio, gen3_chost, gen3_tab
from model.params.records import Gen3ZeroLossParams
from model.policies.policy import Policy
from model.rules import preliquidation, steward
from model.rules.auctions import collect, live_auction, purchase, settle_rule
from model.rules.rule import Rule, Transition
from model.rules.steward import in_force
from model.rules.waterfall import pay_incentive
from model.state import Auction, Market, Position, State

WATERFALL = (Buffer.INSURANCE, Buffer.POL, Buffer.LPS)


class Zone(enum.Enum):
    SAFE = "SAFE"
    GUARDED = "GUARDED"
    UNWINDING = "UNWINDING"
    INSOLVENT = "INSOLVENT"


def params(state: State) -> Gen3ZeroLossParams:
    return cast(Gen3ZeroLossParams, state.config.policy)


# --- thresholds and zones -------------------------------------------------------------


def warning_ratio(p: Gen3ZeroLossParams, volatility: Ray) -> Ray:
    """``liquidation_ratio + warning_margin + min(volatility_slope * volatility, volatility_cap)``.

    Requirement: GEN3-VOLATILITY-BUFFER.

    The volatility term rounds up (a wider band is the cautious side).

    pre: 0 <= volatility <= RAY
    pre: 0 <= p.liquidation_ratio < 2**128 and 0 <= p.warning_margin < 2**128
    pre: 0 <= p.volatility_slope < 2**128 and 0 <= p.volatility_cap < 2**128
    post: __return__ >= p.liquidation_ratio + p.warning_margin
    post: __return__ <= p.liquidation_ratio + p.warning_margin + p.volatility_cap
    post: (__return__ - warning_ratio(p, 0)) * RAY >= min(volatility * p.volatility_slope, p.volatility_cap * RAY)
    """  # noqa: E501
    buffer = minimum(
        rmul_up(volatility, p.volatility_slope, "formula.warning_buffer"), p.volatility_cap
    )
    return add(
        add(p.liquidation_ratio, p.warning_margin, "formula.warning_ratio"),
        buffer,
        "formula.warning_ratio",
    )


def floor_price(p: Gen3ZeroLossParams, reference: Ray) -> Ray:
    """The auction floor for a stage started at ``reference``, rounded down.

    The same number both sizes the lot and bounds the sale price, so that selling the
    whole lot at or above it raises at least the tab.

    pre: 0 <= reference < 2**160 and 0 <= p.floor_ratio <= RAY
    post: __return__ * RAY <= reference * p.floor_ratio < (__return__ + 1) * RAY
    post: __return__ <= reference
    """
    return rmul_down(reference, p.floor_ratio, "formula.floor")


def covers_tab_at_floor(p: Gen3ZeroLossParams, collateral: Wad, debt: Wad, floor: Ray) -> bool:
    """Whether all of ``collateral`` sold at ``floor`` raises the tab of all of ``debt``.

    Conservative: "covers" holds the exact values to it; "does not" is within one unit.

    pre: 0 <= collateral < 2**128 and 0 <= debt < 2**128 and 0 <= floor < 2**128
    pre: 0 <= p.penalty <= RAY
    post: not __return__ or collateral * floor >= debt * (RAY + p.penalty)
    post: __return__ or collateral * floor < debt * (RAY + p.penalty) + RAY
    """
    return rmul_down(collateral, floor, "formula.value_at_floor") >= gen3_tab(p, debt)


def below_liquidation_ratio(state: State, position: Position) -> bool:
    """``collateral * reference < debt * liquidation_ratio``, exactly (no rounding), with the
    liquidation ratio in force (the steward's, as phased in: STEWARD-PHASE-IN)."""
    return (
        position.collateral * state.oracle.reference
        < position.debt * in_force(state).liquidation_ratio
    )


def zone(state: State, position: Position) -> Zone:
    """The zone of ``position`` at the current reference price and volatility."""
    p = in_force(state)
    if position.debt == 0:
        return Zone.SAFE
    value = position.collateral * state.oracle.reference
    if value >= position.debt * warning_ratio(p, state.oracle.volatility):
        return Zone.SAFE
    if value >= position.debt * p.liquidation_ratio:
        return Zone.GUARDED
    floor = floor_price(p, state.oracle.reference)
    if covers_tab_at_floor(p, position.collateral, position.debt, floor):
        return Zone.UNWINDING
    return Zone.INSOLVENT


# --- circuit breakers -----------------------------------------------------------------


def pol_can_buy(state: State, auction: Auction) -> bool:
    """Whether POL can buy all of ``auction``'s lot at its floor without overpaying."""
    return (
        auction.floor <= mark_price(state)
        and rmul_up(auction.lot, auction.floor, "formula.lot_at_floor") <= state.buffers.pol_quote
    )


def oracle_stale(state: State) -> bool:
    return state.time - state.oracle.last_update > params(state).stale_after


def deviation_tripped(state: State) -> bool:
    """``|spot - reference| > max_deviation * reference``, exactly."""
    oracle = state.oracle
    return (
        distance(oracle.spot, oracle.reference) * RAY
        > params(state).max_deviation * oracle.reference
    )


def _breaker_refusal(state: State) -> Refusal | None:
    if oracle_stale(state):
        return refuse(RefusalCode.ORACLE_STALE, "params.stale_after")
    if deviation_tripped(state):
        return refuse(RefusalCode.DEVIATION_BREAKER, "params.max_deviation")
    return None


# --- sizing a kick --------------------------------------------------------------------


@attrs.frozen
class Slice:
    """What a kick takes out of a position, and the stage it starts."""

    debt: Wad
    lot: Wad
    tab: Wad
    top: Ray
    floor: Ray
    backed: bool
    market: Market
    """The market record after this kick has used its share of depth."""


def debt_to_target(p: Gen3ZeroLossParams, position: Position, reference: Ray) -> Wad:
    """Debt whose liquidation restores ``target_ratio``, with the lot sized at the floor.

    Removing debt ``d`` removes collateral worth ``d * (1 + penalty) / floor_ratio`` at the
    reference, so ``d = (T * debt - value) / (T - (1 + penalty) / floor_ratio)``. The
    numerator rounds up and the subtracted ratio rounds up, so ``d`` errs large.
    """
    owed = rmul_up(position.debt, p.target_ratio, "formula.target")
    value = rmul_down(position.collateral, reference, "formula.value")
    if value >= owed:
        return 0
    per_unit = p.target_ratio - gen3_backstop_ratio(p)
    return minimum(position.debt, mul_div_up(owed - value, RAY, per_unit, "formula.debt_to_target"))


def _period(state: State) -> Market:
    """The market record with the unwind period rolled over if it has elapsed."""
    market = state.market
    if state.time >= market.period_start + params(state).unwind_period:
        return Market(depth=market.depth, period_start=state.time, kicked_in_period=0)
    return market


def depth_room(state: State) -> Wad:
    """Collateral that may still be put up for sale this unwind period (kicks, POL sales)."""
    market = _period(state)
    cap = rmul_down(market.depth, params(state).depth_fraction, "formula.depth")
    return cap - market.kicked_in_period if cap > market.kicked_in_period else 0


def plan_kick(state: State, position: Position) -> Refusal | Slice:
    """The slice a kick of ``position`` takes now, or why there is none.

    Requirement: KICK-BACKED.

    Solvent positions (whole position covers its tab at the floor) give up the slice
    that restores the target ratio, with a lot worth the tab at the floor. Insolvent
    positions are unwound pro rata. Both are cut to the exposure room and the depth
    room; a cut that would leave dust leaves exactly ``dust`` instead.
    """
    p = in_force(state)
    dust = state.config.dust
    reference = state.oracle.reference
    floor = floor_price(p, reference)
    if floor == 0:
        return refuse(RefusalCode.INVALID_PRICE, "auction.floor")
    if position.collateral == 0:
        return refuse(RefusalCode.NULL_AUCTION, "position.collateral")
    solvent = covers_tab_at_floor(p, position.collateral, position.debt, floor)
    wanted = position.debt
    if solvent:
        # At least a dust-sized slice: a smaller one would be refused as dusty, leaving a
        # position below the liquidation ratio that no keeper can kick.
        wanted = maximum(debt_to_target(p, position, reference), minimum(dust, position.debt))
        if position.debt - wanted < dust:
            wanted = position.debt

    if state.exposure >= p.exposure_cap:
        return refuse(RefusalCode.EXPOSURE_CAP_REACHED, "params.exposure_cap")
    by_exposure = mul_div_down(
        p.exposure_cap - state.exposure, RAY, RAY + p.penalty, "formula.room"
    )
    market = _period(state)
    depth_cap = rmul_down(market.depth, p.depth_fraction, "formula.depth")
    if market.kicked_in_period >= depth_cap:
        return refuse(RefusalCode.DEPTH_EXHAUSTED, "params.depth_fraction")
    lot_room = depth_cap - market.kicked_in_period
    if solvent:
        by_depth = mul_div_down(
            rmul_down(lot_room, floor, "formula.room"), RAY, RAY + p.penalty, "formula.room"
        )
    else:
        by_depth = mul_div_down(lot_room, position.debt, position.collateral, "formula.room")

    debt = minimum(wanted, by_exposure, by_depth)
    if debt < wanted:
        # A cap binds. The cut never leaves dust behind, and a cut below a dust-sized slice
        # waits for room (next period, or exposure freed by takes) rather than going ahead.
        if position.debt - debt < dust:
            debt = position.debt - dust
        if debt < dust or debt == 0:  # with dust 0, a cap at zero is still no slice
            if by_depth <= by_exposure:
                return refuse(RefusalCode.DEPTH_EXHAUSTED, "params.depth_fraction")
            return refuse(RefusalCode.EXPOSURE_CAP_REACHED, "params.exposure_cap")

    tab = gen3_tab(p, debt)
    if solvent:
        lot = minimum(position.collateral, rdiv_up(tab, floor, "formula.lot"))
    elif debt == position.debt:
        lot = position.collateral
    else:
        lot = mul_div_up(position.collateral, debt, position.debt, "formula.lot")
        if lot >= position.collateral:
            return refuse(RefusalCode.DUSTY_AUCTION, "params.dust")
    return Slice(
        debt=debt,
        lot=lot,
        tab=tab,
        top=rmul_up(reference, p.start_premium, "formula.top"),
        floor=floor,
        backed=rmul_down(lot, floor, "formula.lot_at_floor") >= debt,
        market=attrs.evolve(market, kicked_in_period=market.kicked_in_period + lot),
    )


# --- hooks into the common rules ------------------------------------------------------


def _leverage_refusal(state: State, collateral: Wad, debt: Wad) -> Refusal | None:
    """ACT-BORROW and ACT-WITHDRAW-COLLATERAL, gen 3 (GEN3-ZONES, GEN3-BREAKERS).

    Borrowing and withdrawing need a fresh oracle and must leave the position SAFE."""
    if debt == 0:
        return None
    if oracle_stale(state):
        return refuse(RefusalCode.ORACLE_STALE, "params.stale_after")
    ratio = warning_ratio(in_force(state), state.oracle.volatility)
    if collateral * state.oracle.reference < debt * ratio:
        return refuse(RefusalCode.UNDERCOLLATERALIZED, "formula.warning_ratio")
    return None


def _lp_withdrawal_refusal(state: State) -> Refusal | None:
    """LP-WITHDRAWAL-FREEZE (ACT-WITHDRAW-LIQUIDITY, gen 3).

    LPs may not exit ahead of a write-off: frozen while an unbacked auction is live."""
    if state.unbacked > 0:
        return refuse(RefusalCode.WITHDRAWALS_FROZEN, "state.unbacked")
    return None


# --- kick -----------------------------------------------------------------------------


def _incentive(p: Gen3ZeroLossParams, tab: Wad, paid_so_far: Wad) -> Wad:
    """``min(tip + chip * tab, incentive_cap - paid_so_far)``: never above the cap in total.

    pre: 0 <= tab < 2**128 and 0 <= paid_so_far < 2**128
    pre: 0 <= p.keeper_tip < 2**128 and 0 <= p.keeper_chip <= RAY and 0 <= p.incentive_cap < 2**128
    post: 0 <= __return__
    post: paid_so_far + __return__ <= max(p.incentive_cap, paid_so_far)
    post: __return__ * RAY <= p.keeper_tip * RAY + tab * p.keeper_chip
    """
    room = p.incentive_cap - paid_so_far if paid_so_far < p.incentive_cap else 0
    return minimum(p.keeper_tip + rmul_down(tab, p.keeper_chip, "formula.chip"), room)


def _kick_guard(state: State, action: Kick) -> Refusal | None:
    """ACT-KICK guard, gen 3 (GEN3-BREAKERS, GEN3-ZONES, GEN3-SLICE): debt, a fresh and calm
    oracle, below L, a slice that fits."""
    position = state.positions.get(action.position)
    if position is None:
        return refuse(RefusalCode.UNKNOWN_POSITION, "action.position")
    if position.debt == 0:
        return refuse(RefusalCode.NOTHING_TO_LIQUIDATE, "position.debt")
    breaker = _breaker_refusal(state)
    if breaker is not None:
        return breaker
    if not below_liquidation_ratio(state, position):
        return refuse(RefusalCode.NOT_LIQUIDATABLE, "params.liquidation_ratio")
    planned = plan_kick(state, position)
    return planned if isinstance(planned, Refusal) else None


def _kick_effect(state: State, action: Kick) -> Transition:
    """ACT-KICK effect, gen 3 (GEN3-SLICE, INCENTIVE-CAP): the slice, the stage from the current
    reference, the incentive."""
    p = params(state)
    position = state.positions[action.position]
    cut = expect(plan_kick(state, position))
    auction_id = state.next_auction
    position = Position(
        owner=position.owner,
        collateral=sub(position.collateral, cut.lot, "position.collateral"),
        debt=sub(position.debt, cut.debt, "position.debt"),
    )
    events: list[Event] = [
        Kicked(
            auction=auction_id,
            position=action.position,
            keeper=action.keeper,
            lot=cut.lot,
            debt=cut.debt,
            tab=cut.tab,
            top=cut.top,
            floor=cut.floor,
        )
    ]
    paid = 0
    owed = _incentive(p, cut.tab, 0)
    if owed > 0:
        state, paid, event = pay_incentive(state, auction_id, action.keeper, owed)
        events.append(event)
    auction = Auction(
        position=action.position,
        lot=cut.lot,
        debt=cut.debt,
        fee=cut.tab - cut.debt,
        top=cut.top,
        floor=cut.floor,
        tic=state.time,
        anchor=state.oracle.reference,
        incentives_paid=paid,
        resets=0,
        backed=cut.backed,
    )
    state = attrs.evolve(
        state,
        positions=state.positions.set(action.position, position),
        auctions=state.auctions.set(auction_id, auction),
        next_auction=auction_id + 1,
        market=cut.market,
        exposure=add(state.exposure, cut.tab, "state.exposure"),
        unbacked=state.unbacked if cut.backed else state.unbacked + 1,
    )
    return state, tuple(events)


# --- take -----------------------------------------------------------------------------


def price(state: State, auction: Auction) -> Ray:
    """The auction's price now: from ``top`` down to ``floor`` over ``decay_duration``."""
    return floored_linear_price(
        auction.top, auction.floor, state.time - auction.tic, params(state).decay_duration
    )


def _take_plan(state: State, action: Take) -> Refusal | tuple[Auction, Ray, Wad, Wad]:
    auction = live_auction(state, action.auction)
    if isinstance(auction, Refusal):
        return auction
    if action.amount == 0:
        return refuse(RefusalCode.ZERO_AMOUNT, "action.amount")
    now_price = price(state, auction)
    if action.max_price < now_price:
        return refuse(RefusalCode.TOO_EXPENSIVE, "action.max_price")
    chost = gen3_chost(params(state), state.config.dust)
    bought = purchase(auction.lot, auction.tab, now_price, action.amount, chost)
    if isinstance(bought, Refusal):
        return bought
    return auction, now_price, bought[0], bought[1]


def _take_guard(state: State, action: Take) -> Refusal | None:
    """ACT-TAKE guard, gen 3 (CURVE-GEN3, AUCTION-FLOOR): a live auction, a positive amount, the
    price on the floored line."""
    planned = _take_plan(state, action)
    return planned if isinstance(planned, Refusal) else None


def _take_effect(state: State, action: Take) -> Transition:
    """ACT-TAKE effect, gen 3: the purchase kernel, proceeds to the debt then the penalty split."""
    auction, now_price, collateral, paid = expect(_take_plan(state, action))
    share = params(state).penalty_to_insurance
    state, collected = collect(state, action.auction, auction, collateral, paid, share)
    ledger = attrs.evolve(
        state.ledger,
        quote_in=add(state.ledger.quote_in, paid, "state.ledger.quote_in"),
        collateral_out=add(state.ledger.collateral_out, collateral, "state.ledger.collateral_out"),
    )
    taken = Taken(
        auction=action.auction,
        bidder=action.bidder,
        collateral=collateral,
        paid=paid,
        price=now_price,
    )
    return attrs.evolve(state, ledger=ledger), (taken, *collected)


# --- reset ----------------------------------------------------------------------------


def reset_refusal(state: State, auction: Auction) -> Refusal | None:
    """Why a reset is not allowed now, or ``None`` when it is (RESET-GUARDED).

    A stage may be reset only once it has run ``auction_duration`` (so POL's backstop
    had its chance), POL cannot buy the remaining lot at the floor (short of reserves,
    or the floor is above the mark, where POL would overpay; else ``EndAuction`` is the
    way out), and the reference has moved more than ``reset_band`` from the stage's
    anchor. Without the first two, a reset could lower the floor of a backed auction and
    turn it into a shortfall that POL would have prevented.
    """
    p = params(state)
    if state.time < auction.tic + p.auction_duration:
        return refuse(RefusalCode.AUCTION_NOT_EXPIRED, "params.auction_duration")
    if pol_can_buy(state, auction):
        return refuse(RefusalCode.AUCTION_CANNOT_RESET, "state.buffers.pol_quote")
    reference = state.oracle.reference
    if distance(reference, auction.anchor) * RAY <= p.reset_band * auction.anchor:
        return refuse(RefusalCode.AUCTION_CANNOT_RESET, "params.reset_band")
    return None


def reset_allowed(state: State, auction: Auction) -> bool:
    """Whether ``Redo`` may reset ``auction`` now (the oracle's freshness aside)."""
    return reset_refusal(state, auction) is None


def _redo_guard(state: State, action: Redo) -> Refusal | None:
    """ACT-REDO guard, gen 3 (RESET-GUARDED, GEN3-BREAKERS): expired, POL unable to buy, the
    reference beyond the band."""
    auction = live_auction(state, action.auction)
    if isinstance(auction, Refusal):
        return auction
    if oracle_stale(state):
        return refuse(RefusalCode.ORACLE_STALE, "params.stale_after")
    refusal = reset_refusal(state, auction)
    if refusal is not None:
        return refusal
    if floor_price(params(state), state.oracle.reference) == 0:
        return refuse(RefusalCode.INVALID_PRICE, "auction.floor")
    return None


def _redo_effect(state: State, action: Redo) -> Transition:
    """ACT-REDO effect, gen 3 (RESET-GUARDED, INCENTIVE-CAP): the stage from the current
    reference, the capped incentive."""
    p = params(state)
    auction = state.auctions[action.auction]
    reference = state.oracle.reference
    top = rmul_up(reference, p.start_premium, "formula.top")
    floor = floor_price(p, reference)
    backed = rmul_down(auction.lot, floor, "formula.lot_at_floor") >= auction.debt
    events: list[Event] = [
        AuctionReset(auction=action.auction, keeper=action.keeper, top=top, floor=floor)
    ]
    paid = 0
    owed = _incentive(p, auction.tab, auction.incentives_paid)
    if owed > 0:
        state, paid, event = pay_incentive(state, action.auction, action.keeper, owed)
        events.append(event)
    unbacked = state.unbacked + (0 if backed else 1) - (0 if auction.backed else 1)
    auction = attrs.evolve(
        auction,
        top=top,
        floor=floor,
        tic=state.time,
        anchor=reference,
        incentives_paid=add(auction.incentives_paid, paid, "auction.incentives_paid"),
        resets=auction.resets + 1,
        backed=backed,
    )
    state = attrs.evolve(
        state, auctions=state.auctions.set(action.auction, auction), unbacked=unbacked
    )
    return state, tuple(events)


# --- end of auction: POL buys at the floor --------------------------------------------


def _end_plan(state: State, action: EndAuction) -> Refusal | tuple[Auction, Wad, Wad]:
    auction = live_auction(state, action.auction)
    if isinstance(auction, Refusal):
        return auction
    if state.time < auction.tic + params(state).auction_duration:
        return refuse(RefusalCode.AUCTION_NOT_EXPIRED, "params.auction_duration")
    if auction.floor > mark_price(state):
        return refuse(RefusalCode.POL_WOULD_OVERPAY, "auction.floor")
    # POL never needs more than the lot: cap first, so huge reserves cannot overflow
    if state.buffers.pol_quote * RAY >= auction.lot * auction.floor:
        affordable = auction.lot
    else:
        affordable = rdiv_down(state.buffers.pol_quote, auction.floor, "formula.pol_purchase")
    if affordable == 0:
        return refuse(RefusalCode.POL_NO_RESERVES, "state.buffers.pol_quote")
    bought = purchase(auction.lot, auction.tab, auction.floor, affordable, 0)
    if isinstance(bought, Refusal):
        return bought
    return auction, bought[0], bought[1]


def _end_guard(state: State, action: EndAuction) -> Refusal | None:
    """ACT-END-AUCTION guard (GEN3-POL-BACKSTOP, GEN3-POL-FAIR-PRICE): expired, the floor at or
    below the mark, reserves."""
    planned = _end_plan(state, action)
    return planned if isinstance(planned, Refusal) else None


def _end_effect(state: State, action: EndAuction) -> Transition:
    """ACT-END-AUCTION effect (GEN3-POL-BACKSTOP): POL buys what it can at the floor."""
    auction, collateral, paid = expect(_end_plan(state, action))
    share = params(state).penalty_to_insurance
    buffers = state.buffers
    state = attrs.evolve(
        state,
        buffers=attrs.evolve(
            buffers,
            pol_quote=sub(buffers.pol_quote, paid, "state.buffers.pol_quote"),
            pol_collateral=add(buffers.pol_collateral, collateral, "state.buffers.pol_collateral"),
        ),
    )
    state, collected = collect(state, action.auction, auction, collateral, paid, share)
    bought = PolPurchased(
        auction=action.auction, collateral=collateral, paid=paid, price=auction.floor
    )
    return state, (bought, *collected)


# --- POL passes on what it bought ----------------------------------------------------


def _sell_plan(state: State, action: PolSell) -> Refusal | Market:
    """The market record after the sale, or why POL may not sell this now."""
    if action.amount == 0:
        return refuse(RefusalCode.ZERO_AMOUNT, "action.amount")
    if oracle_stale(state):
        return refuse(RefusalCode.ORACLE_STALE, "params.stale_after")
    if action.amount > state.buffers.pol_collateral:
        return refuse(RefusalCode.INSUFFICIENT_COLLATERAL, "state.buffers.pol_collateral")
    floor = floor_price(params(state), state.oracle.reference)
    if action.proceeds < rmul_up(action.amount, floor, "formula.sale_at_floor"):
        return refuse(RefusalCode.BELOW_FLOOR, "action.proceeds")
    if action.amount > depth_room(state):
        return refuse(RefusalCode.DEPTH_EXHAUSTED, "params.depth_fraction")
    market = _period(state)
    return attrs.evolve(market, kicked_in_period=market.kicked_in_period + action.amount)


def _sell_guard(state: State, action: PolSell) -> Refusal | None:
    """ACT-POL-SELL guard: POL's collateral, a fresh oracle, no cheaper than the floor, within
    the depth budget."""
    planned = _sell_plan(state, action)
    return planned if isinstance(planned, Refusal) else None


def _sell_effect(state: State, action: PolSell) -> Transition:
    """POL's collateral leaves the system and its proceeds join POL's reserves.

    The sale draws on the same depth budget as kicks (GEN3-SLICE): POL passes its
    inventory on no faster than the market absorbs liquidations, and never below the
    floor of the current reference (the price no auction sells below either).
    """
    market = expect(_sell_plan(state, action))
    buffers = state.buffers
    ledger = state.ledger
    state = attrs.evolve(
        state,
        market=market,
        buffers=attrs.evolve(
            buffers,
            pol_collateral=buffers.pol_collateral - action.amount,
            pol_quote=add(buffers.pol_quote, action.proceeds, "state.buffers.pol_quote"),
        ),
        ledger=attrs.evolve(
            ledger,
            collateral_out=add(ledger.collateral_out, action.amount, "state.ledger.collateral_out"),
            quote_in=add(ledger.quote_in, action.proceeds, "state.ledger.quote_in"),
        ),
    )
    return state, (PolSold(collateral=action.amount, proceeds=action.proceeds),)


def _trigger_ratio(state: State) -> Ray:
    return params(state).liquidation_ratio


def backstop_due(state: State, auction: Auction) -> bool:
    """Whether the auction's stage has run ``auction_duration``, so POL may buy."""
    return state.time >= auction.tic + params(state).auction_duration


POLICY = Policy(
    name="gen3",
    params_type=Gen3ZeroLossParams,
    waterfall=WATERFALL,
    leverage_refusal=_leverage_refusal,
    lp_withdrawal_refusal=_lp_withdrawal_refusal,
    rules={
        Kick: Rule(guard=_kick_guard, effect=_kick_effect),
        Take: Rule(guard=_take_guard, effect=_take_effect),
        Redo: Rule(guard=_redo_guard, effect=_redo_effect),
        EndAuction: Rule(guard=_end_guard, effect=_end_effect),
        Settle: settle_rule(WATERFALL),
        PolSell: Rule(guard=_sell_guard, effect=_sell_effect),
        **preliquidation.rules(_breaker_refusal),
        UpdateParams: steward.UPDATE_PARAMS,
    },
    below_trigger=below_liquidation_ratio,
    trigger_ratio=_trigger_ratio,
    auction_price=price,
    reset_due=reset_allowed,
    backstop_due=backstop_due,
    zero_loss=True,
)

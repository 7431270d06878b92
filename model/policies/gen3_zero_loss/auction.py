"""A gen 3 auction's life: takes on the floored curve, and resets."""

from __future__ import annotations

import attrs

from model.actions import Redo, Take
from model.curves.zero_loss import floored_linear_price
from model.errors import Refusal, RefusalCode, expect, refuse
from model.events import AuctionReset, Event, Taken
from model.numbers.fixed_point import (
    RAY,
    Ray,
    Wad,
    add,
    distance,
    rmul_down,
    rmul_up,
)
from model.params.derived import gen3_chost
from model.policies.gen3_zero_loss.breakers import oracle_stale, pol_can_buy
from model.policies.gen3_zero_loss.kick import _incentive
from model.policies.gen3_zero_loss.zones import floor_price, params
from model.rules.auctions import collect, live_auction, purchase
from model.rules.rule import Transition
from model.rules.waterfall import pay_incentive
from model.state import Auction, State

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

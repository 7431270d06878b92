"""POL's backstop: it buys an expired stage at the floor (never above the mark) and sells
what it bought, no cheaper than the floor of the reference, within the depth budget.
"""

from __future__ import annotations

import attrs

from model.actions import EndAuction, PolSell
from model.errors import Refusal, RefusalCode, expect, refuse
from model.events import PolPurchased, PolSold
from model.loss import mark_price
from model.numbers.fixed_point import (
    RAY,
    Ray,
    Wad,
    add,
    rdiv_down,
    rmul_up,
    sub,
)
from model.policies.gen3_zero_loss.breakers import oracle_stale
from model.policies.gen3_zero_loss.sizing import _period, depth_room
from model.policies.gen3_zero_loss.zones import floor_price, params
from model.rules.auctions import collect, live_auction, purchase
from model.rules.rule import Transition
from model.state import Auction, Market, State

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

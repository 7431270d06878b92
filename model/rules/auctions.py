"""What gen 2 and gen 3 auctions share: sizing a purchase, collecting proceeds, settling.

The purchase kernel follows dss ``Clipper.take``: a bidder asks for up to ``amount``
collateral; the purchase is cut to what raises the tab, and a partial purchase must
leave at least ``chost`` of tab (or take all of it), so no auction is left too small
to be worth bidding on. Amounts are WAD (Maker uses RAD for the tab); the rounding
is directed so the buyer never pays less than ``collateral * price``:
``collateral * price <= paid * RAY`` on every purchase.
"""

from __future__ import annotations

import attrs

from model.actions import Settle
from model.errors import Refusal, RefusalCode, refuse
from model.events import AuctionSettled, Buffer, CollateralReturned, Event, PenaltyCollected
from model.numbers.fixed_point import (
    RAY,
    Ray,
    Wad,
    add,
    minimum,
    rdiv_down,
    rmul_down,
    rmul_up,
    sub,
)
from model.rules.rule import Rule, Transition
from model.rules.waterfall import cover_shortfall
from model.state import Auction, State


def purchase(lot: Wad, tab: Wad, price: Ray, amount: Wad, chost: Wad) -> Refusal | tuple[Wad, Wad]:
    """``(collateral, paid)`` for a purchase of up to ``amount`` at ``price``, or why not.

    - the buyer pays ``ceil(collateral * price)``;
    - if the exact value ``collateral * price`` exceeds the tab, the buyer pays exactly
      the tab and receives ``floor(tab / price)`` collateral;
    - if it is below the tab (exactly, as dss compares in RAD: a value within one base
      unit of the tab is still a partial purchase) and the purchase would leave less
      than ``chost`` of tab, it is cut to leave exactly ``chost``; when the tab is
      already ``<= chost``, only a purchase that takes the whole lot is possible
      (NO_PARTIAL_PURCHASE).

    The buyer never receives more than it pays for, overpays by less than one base unit
    of quote or of collateral, and never leaves a partial tab below ``chost``:

    pre: 0 <= lot < 2**128 and 0 <= tab < 2**128 and 0 <= amount < 2**128
    pre: 0 <= price < 2**128 and 0 <= chost < 2**128
    post: isinstance(__return__, Refusal) or __return__[0] <= min(lot, amount)
    post: isinstance(__return__, Refusal) or __return__[1] <= tab
    post: isinstance(__return__, Refusal) or __return__[0] * price <= __return__[1] * 10**27
    post: isinstance(__return__, Refusal) or __return__[1] * 10**27 - __return__[0] * price < max(price, 10**27)
    post: isinstance(__return__, Refusal) or __return__[1] == tab or __return__[0] == lot or tab - __return__[1] >= chost
    post: not isinstance(__return__, Refusal) or price == 0 or (tab <= chost and amount < lot)
    """  # noqa: E501
    if price == 0:
        return refuse(RefusalCode.INVALID_PRICE, "formula.auction_price")
    collateral = minimum(lot, amount)
    paid = rmul_up(collateral, price, "formula.purchase")
    if paid > tab:
        paid = tab
        collateral = rdiv_down(paid, price, "formula.purchase")
    elif collateral * price < tab * RAY and collateral < lot and tab - paid < chost:
        if tab <= chost:
            return refuse(RefusalCode.NO_PARTIAL_PURCHASE, "formula.chost")
        paid = tab - chost
        collateral = rdiv_down(paid, price, "formula.purchase")
    return collateral, paid


def collect(
    state: State,
    auction_id: int,
    auction: Auction,
    collateral: Wad,
    paid: Wad,
    penalty_to_insurance: Ray,
) -> Transition:
    """Apply a purchase to the auction and route its proceeds.

    Proceeds pay the auction's debt first (into pool cash), then its fee: the
    ``penalty_to_insurance`` share to the insurance fund, the rest to LPs as income.
    Who paid, and where the collateral went, is the caller's to record.
    """
    to_pool = minimum(paid, auction.debt)
    fee_paid = paid - to_pool
    to_insurance = rmul_down(fee_paid, penalty_to_insurance, "formula.penalty_share")
    to_lps = fee_paid - to_insurance
    pool = state.pool
    pool = attrs.evolve(
        pool,
        cash=add(pool.cash, to_pool + to_lps, "state.pool.cash"),
        lp_claims=add(pool.lp_claims, to_lps, "state.pool.lp_claims"),
    )
    buffers = attrs.evolve(
        state.buffers,
        insurance=add(state.buffers.insurance, to_insurance, "state.buffers.insurance"),
    )
    auction = attrs.evolve(
        auction,
        lot=sub(auction.lot, collateral, "auction.lot"),
        debt=auction.debt - to_pool,
        fee=sub(auction.fee, fee_paid, "auction.fee"),
    )
    state = attrs.evolve(
        state,
        pool=pool,
        buffers=buffers,
        auctions=state.auctions.set(auction_id, auction),
        exposure=sub(state.exposure, paid, "state.exposure"),
    )
    events: tuple[Event, ...] = ()
    if fee_paid > 0:
        events = (PenaltyCollected(auction=auction_id, to_insurance=to_insurance, to_lps=to_lps),)
    return state, events


def live_auction(state: State, auction_id: int) -> Refusal | Auction:
    """The auction, if it exists and is not finished; otherwise why not."""
    auction = state.auctions.get(auction_id)
    if auction is None:
        return refuse(RefusalCode.UNKNOWN_AUCTION, "action.auction")
    if auction.lot == 0 or auction.debt + auction.fee == 0:
        return refuse(RefusalCode.AUCTION_FINISHED, "auction.lot,auction.debt")
    return auction


def _settle_guard(state: State, action: Settle) -> Refusal | None:
    """ACT-SETTLE guard: a known auction that is finished (its lot or its tab is gone)."""
    auction = state.auctions.get(action.auction)
    if auction is None:
        return refuse(RefusalCode.UNKNOWN_AUCTION, "action.auction")
    if auction.lot > 0 and auction.debt + auction.fee > 0:
        return refuse(RefusalCode.AUCTION_NOT_FINISHED, "auction.lot,auction.debt")
    return None


def settle_rule(waterfall: tuple[Buffer, ...]) -> Rule[Settle]:
    """Settle for a policy whose shortfalls go down ``waterfall``.

    A finished auction either raised its tab (leftover collateral goes back to the
    position: BORROWER-SURPLUS) or sold its whole lot short (the unpaid debt goes down
    the waterfall; the unpaid penalty is forgone). Either way it is removed and stops
    counting towards exposure.
    """

    def effect(state: State, action: Settle) -> Transition:
        auction = state.auctions[action.auction]
        events: list[Event] = []
        returned = auction.lot
        if returned > 0:
            position = state.positions[auction.position]
            position = attrs.evolve(
                position, collateral=add(position.collateral, returned, "position.collateral")
            )
            state = attrs.evolve(state, positions=state.positions.set(auction.position, position))
            events.append(
                CollateralReturned(
                    auction=action.auction, position=auction.position, amount=returned
                )
            )
        shortfall = auction.debt
        state = attrs.evolve(
            state,
            auctions=state.auctions.delete(action.auction),
            exposure=sub(state.exposure, auction.debt + auction.fee, "state.exposure"),
            unbacked=state.unbacked if auction.backed else state.unbacked - 1,
        )
        if shortfall > 0:
            state, covered = cover_shortfall(state, auction.position, shortfall, waterfall)
            events.extend(covered)
        events.append(
            AuctionSettled(
                auction=action.auction,
                returned=returned,
                shortfall=shortfall,
                fee_forgone=auction.fee,
            )
        )
        return state, tuple(events)

    return Rule(guard=_settle_guard, effect=effect)

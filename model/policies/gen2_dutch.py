"""Generation 2: MakerDAO Liquidations 2.0 (Dog.bark, Clipper.take/redo, abaci curves).

The whole position (or what fits under ``hole``) is auctioned from ``top = spot * buf``
down the configured curve. An auction whose age exceeds ``tail`` or whose price fell
below ``cusp * top`` needs a ``redo``, which restarts it from the current spot and pays
the keeper ``tip + chip * tab`` again (unless the auction is dusty). The price may fall
towards zero; a lot that sells short leaves a shortfall, covered by the protocol
surplus (here: the insurance fund) and then by LPs.

Where dss rounds, the model rounds the same way: the Spotter's ``spot = price / mat``
(down) decides who is unsafe, the Clipper's ``top = rmul(price, buf)`` (down, the
product itself a uint256) starts the curve. Deliberate differences from dss, all in
``spec/policies/gen2.md``: one collateral type; amounts in WAD with the tab rounded up
instead of RAD; keeper incentives are paid from the surplus as far as it goes instead
of minting unbacked debt (``vat.suck``); leftover collateral returns to the position.
"""

from __future__ import annotations

from typing import cast

import attrs

from model.actions import Kick, Redo, Settle, Take
from model.errors import Refusal, RefusalCode, expect, refuse
from model.events import AuctionReset, Buffer, Event, Kicked, Taken
from model.numbers.fixed_point import (
    RAY,
    WAD,
    Ray,
    Wad,
    add,
    minimum,
    mul_div_down,
    rdiv_down,
    rmul_dss,
    sub,
    wmul_down,
    wmul_up,
)
from model.params.derived import gen2_chost
from model.params.records import Gen2DutchParams
from model.policies.policy import Policy
from model.rules.auctions import collect, live_auction, purchase, settle_rule
from model.rules.rule import Rule, Transition
from model.rules.waterfall import pay_incentive
from model.state import Auction, Position, State

WATERFALL = (Buffer.INSURANCE, Buffer.LPS)


def params(state: State) -> Gen2DutchParams:
    return cast(Gen2DutchParams, state.config.policy)


def spotter_spot(state: State) -> Ray:
    """dss Spotter ``poke``: the liquidation price ``spot / mat``, rounded down (``par = 1``).

    The Vat compares collateral at this price with the debt, so the rounding decides
    the boundary vaults exactly as dss does.
    """
    return rdiv_down(state.oracle.spot, params(state).mat, "formula.spotter_spot")


def unsafe(state: State, position: Position) -> bool:
    """dss Dog ``bark``: ``spot > 0 && ink * spot < art * rate`` with the Spotter's spot,
    here ``spotter_spot > 0 and collateral * spotter_spot < debt * RAY``."""
    spot = spotter_spot(state)
    return spot > 0 and position.collateral * spot < position.debt * RAY


def start_price(state: State) -> Ray:
    """dss Clipper ``top = rmul(feedPrice, buf)``: rounded down, and the product
    ``spot * buf`` must itself be a uint256 (OVERFLOW otherwise), so that the curve can
    price the auction at every age (``top * RAY <= 2**256 - 1``)."""
    return rmul_dss(state.oracle.spot, params(state).buf, "formula.top")


def status(state: State, auction: Auction) -> tuple[bool, Ray]:
    """dss Clipper.status: ``(needs_reset, price)`` at the current time.

    Requirement: GEN2-WAY-OUT."""
    p = params(state)
    dur = state.time - auction.tic
    price = p.curve.price(auction.top, dur)
    done = dur > p.tail or rdiv_down(price, auction.top, "formula.cusp") < p.cusp
    return done, price


def _bark_size(state: State, position: Position) -> Refusal | tuple[Wad, Wad, Wad]:
    """dss Dog.bark sizing: ``(debt, lot, tab)`` that fit in the room under ``hole``."""
    p = params(state)
    dust = state.config.dust
    room = p.hole - state.exposure
    debt = minimum(position.debt, mul_div_down(room, WAD, p.chop, "formula.room"))
    if debt < position.debt:
        if position.debt - debt < dust:
            debt = position.debt
        elif debt < dust:
            return refuse(RefusalCode.DUSTY_AUCTION, "params.dust")
    lot = mul_div_down(position.collateral, debt, position.debt, "formula.lot")
    if lot == 0:
        return refuse(RefusalCode.NULL_AUCTION, "auction.lot")
    return debt, lot, wmul_up(debt, p.chop, "formula.tab")


def _kick_guard(state: State, action: Kick) -> Refusal | None:
    """ACT-KICK guard, gen 2 (GEN2-BARK): unsafe at the Spotter's spot, room under hole, no
    dusty remainder."""
    position = state.positions.get(action.position)
    if position is None:
        return refuse(RefusalCode.UNKNOWN_POSITION, "action.position")
    if position.debt == 0:
        return refuse(RefusalCode.NOTHING_TO_LIQUIDATE, "position.debt")
    if not unsafe(state, position):
        return refuse(RefusalCode.NOT_LIQUIDATABLE, "params.mat")
    if state.exposure >= params(state).hole:
        return refuse(RefusalCode.EXPOSURE_CAP_REACHED, "params.hole")
    size = _bark_size(state, position)
    if isinstance(size, Refusal):
        return size
    if start_price(state) == 0:
        return refuse(RefusalCode.INVALID_PRICE, "auction.top")
    return None


def _incentive(p: Gen2DutchParams, tab: Wad) -> Wad:
    return p.tip + wmul_down(tab, p.chip, "formula.chip")


def _kick_effect(state: State, action: Kick) -> Transition:
    """ACT-KICK effect, gen 2 (GEN2-BARK): the auction at top = rmul_dss(spot, buf), the
    keeper's tip and chip."""
    p = params(state)
    position = state.positions[action.position]
    debt, lot, tab = expect(_bark_size(state, position))
    auction_id = state.next_auction
    top = start_price(state)
    position = Position(
        owner=position.owner,
        collateral=sub(position.collateral, lot, "position.collateral"),
        debt=sub(position.debt, debt, "position.debt"),
    )
    events: list[Event] = [
        Kicked(
            auction=auction_id,
            position=action.position,
            keeper=action.keeper,
            lot=lot,
            debt=debt,
            tab=tab,
            top=top,
            floor=0,
        )
    ]
    paid = 0
    if p.tip > 0 or p.chip > 0:
        state, paid, event = pay_incentive(state, auction_id, action.keeper, _incentive(p, tab))
        events.append(event)
    auction = Auction(
        position=action.position,
        lot=lot,
        debt=debt,
        fee=tab - debt,
        top=top,
        floor=0,
        tic=state.time,
        anchor=state.oracle.spot,
        incentives_paid=paid,
        resets=0,
        backed=True,
    )
    state = attrs.evolve(
        state,
        positions=state.positions.set(action.position, position),
        auctions=state.auctions.set(auction_id, auction),
        next_auction=auction_id + 1,
        exposure=add(state.exposure, tab, "state.exposure"),
    )
    return state, tuple(events)


def _take_plan(state: State, action: Take) -> Refusal | tuple[Auction, Ray, Wad, Wad]:
    auction = live_auction(state, action.auction)
    if isinstance(auction, Refusal):
        return auction
    done, price = status(state, auction)
    if done:
        return refuse(RefusalCode.AUCTION_NEEDS_RESET, "params.tail,params.cusp")
    if action.max_price < price:
        return refuse(RefusalCode.TOO_EXPENSIVE, "action.max_price")
    bought = purchase(
        auction.lot, auction.tab, price, action.amount, gen2_chost(params(state), state.config.dust)
    )
    if isinstance(bought, Refusal):
        return bought
    return auction, price, bought[0], bought[1]


def _take_guard(state: State, action: Take) -> Refusal | None:
    """ACT-TAKE guard, gen 2 (GEN2-STATUS): a live auction that needs no reset, at or below
    max_price."""
    plan = _take_plan(state, action)
    return plan if isinstance(plan, Refusal) else None


def _take_effect(state: State, action: Take) -> Transition:
    """ACT-TAKE effect, gen 2: the purchase kernel, proceeds to the debt then the penalty (all
    to the surplus)."""
    auction, price, collateral, paid = expect(_take_plan(state, action))
    state, collected = collect(state, action.auction, auction, collateral, paid, RAY)
    ledger = attrs.evolve(
        state.ledger,
        quote_in=add(state.ledger.quote_in, paid, "state.ledger.quote_in"),
        collateral_out=add(state.ledger.collateral_out, collateral, "state.ledger.collateral_out"),
    )
    taken = Taken(
        auction=action.auction, bidder=action.bidder, collateral=collateral, paid=paid, price=price
    )
    return attrs.evolve(state, ledger=ledger), (taken, *collected)


def _dusty(p: Gen2DutchParams, dust: Wad, tab: Wad, lot: Wad, spot: Ray) -> bool:
    """dss Clipper ``redo``: no incentive unless ``tab >= chost and lot * price >= chost``.

    dss compares in RAD, where ``chost = dust * chop / WAD`` has no rounding; here both
    sides are scaled by ``WAD`` (and ``RAY`` for the lot's value) so that the comparison
    is exact too: ``tab * WAD >= dust * chop`` and ``lot * spot * WAD >= dust * chop * RAY``.
    """
    chost = dust * p.chop
    return tab * WAD < chost or lot * spot * WAD < chost * RAY


def _redo_guard(state: State, action: Redo) -> Refusal | None:
    """ACT-REDO guard, gen 2 (GEN2-STATUS, RESET-GUARDED): only a stage past tail or below cusp."""
    auction = live_auction(state, action.auction)
    if isinstance(auction, Refusal):
        return auction
    done, _ = status(state, auction)
    if not done:
        return refuse(RefusalCode.AUCTION_CANNOT_RESET, "params.tail,params.cusp")
    if start_price(state) == 0:
        return refuse(RefusalCode.INVALID_PRICE, "auction.top")
    return None


def _redo_effect(state: State, action: Redo) -> Transition:
    """ACT-REDO effect, gen 2 (GEN2-REDO-INCENTIVE): a new stage at the current spot, the
    incentive unless dusty."""
    p = params(state)
    auction = state.auctions[action.auction]
    spot = state.oracle.spot
    top = start_price(state)
    events: list[Event] = [
        AuctionReset(auction=action.auction, keeper=action.keeper, top=top, floor=0)
    ]
    paid = 0
    tab = auction.tab
    if (p.tip > 0 or p.chip > 0) and not _dusty(p, state.config.dust, tab, auction.lot, spot):
        state, paid, event = pay_incentive(state, action.auction, action.keeper, _incentive(p, tab))
        events.append(event)
    auction = attrs.evolve(
        auction,
        top=top,
        tic=state.time,
        anchor=spot,
        incentives_paid=add(auction.incentives_paid, paid, "auction.incentives_paid"),
        resets=auction.resets + 1,
    )
    return attrs.evolve(state, auctions=state.auctions.set(action.auction, auction)), tuple(events)


def _leverage_refusal(state: State, collateral: Wad, debt: Wad) -> Refusal | None:
    """ACT-BORROW and ACT-WITHDRAW-COLLATERAL, gen 2 (GEN2-DSS).

    dss Vat.frob ``Vat/not-safe``: a position that draws debt or frees collateral must
    stay safe at the Spotter's spot, ``debt * RAY <= collateral * spotter_spot``."""
    if debt > 0 and collateral * spotter_spot(state) < debt * RAY:
        return refuse(RefusalCode.UNDERCOLLATERALIZED, "params.mat")
    return None


def _lp_withdrawal_refusal(state: State) -> Refusal | None:
    """ACT-WITHDRAW-LIQUIDITY, gen 2: never frozen."""
    return None


def _trigger_ratio(state: State) -> Ray:
    return params(state).mat


def _price(state: State, auction: Auction) -> Ray:
    return status(state, auction)[1]


def _reset_due(state: State, auction: Auction) -> bool:
    return status(state, auction)[0]


POLICY = Policy(
    name="gen2",
    params_type=Gen2DutchParams,
    waterfall=WATERFALL,
    leverage_refusal=_leverage_refusal,
    lp_withdrawal_refusal=_lp_withdrawal_refusal,
    rules={
        Kick: Rule(guard=_kick_guard, effect=_kick_effect),
        Take: Rule(guard=_take_guard, effect=_take_effect),
        Redo: Rule(guard=_redo_guard, effect=_redo_effect),
        Settle: settle_rule(WATERFALL),
    },
    below_trigger=unsafe,
    trigger_ratio=_trigger_ratio,
    auction_price=_price,
    reset_due=_reset_due,
    takes_wait_for_reset=True,
)

"""Gen 3's kick, take, redo, end of auction and POL's sales, and settlement, restated from
the spec's guards.
"""

from __future__ import annotations

from typing import Any

from model.actions import (
    EndAuction,
    Kick,
    PolSell,
    Redo,
    Settle,
    Take,
)
from model.numbers.fixed_point import (
    RAY,
    maximum,
    minimum,
    mul_div_down,
    mul_div_up,
    rdiv_down,
    rmul_down,
    rmul_up,
)
from model.params.derived import gen3_backstop_ratio, gen3_chost, gen3_tab
from model.state import Auction, Position, State
from proofs.obligations.iff.quantities import (
    Code,
    Expected,
    _deviation,
    _expired,
    _gen3,
    _gen3_price,
    _live,
    _purchase_ok,
    _purchase_refusal,
    _stale,
)

# --- gen 3 (GEN3-BREAKERS, GEN3-ZONES, GEN3-SLICE, GEN3-POL-BACKSTOP) ---------------------


def _gen3_below_l(pre: State, position: Position) -> object:
    """Below the liquidation ratio (UNWINDING or INSOLVENT): ``C * ref < D * L``."""
    return position.collateral * pre.oracle.reference < position.debt * _gen3(pre).liquidation_ratio


def _gen3_floor(pre: State) -> Any:
    return rmul_down(pre.oracle.reference, _gen3(pre).floor_ratio)


def _gen3_solvent(pre: State, position: Position) -> object:
    """GEN3-SLICE 2 (not INSOLVENT): ``rmul_down(C, floor) >= tab(D)``."""
    return rmul_down(position.collateral, _gen3_floor(pre)) >= gen3_tab(_gen3(pre), position.debt)


def _gen3_wanted(pre: State, position: Position, solvent: object) -> Any:
    """GEN3-SLICE 3: the debt that restores the target (at least dust, never leaving dust),
    or the whole debt of an insolvent position."""
    p = _gen3(pre)
    c, d, dust = position.collateral, position.debt, pre.config.dust
    if not solvent:
        return d
    owed = rmul_up(d, p.target_ratio)
    value = rmul_down(c, pre.oracle.reference)
    per_unit = p.target_ratio - gen3_backstop_ratio(p)
    wanted = 0 if value >= owed else minimum(d, mul_div_up(owed - value, RAY, per_unit))
    wanted = maximum(wanted, minimum(dust, d))
    return d if d - wanted < dust else wanted


def _gen3_by_exposure(pre: State) -> Any:
    """GEN3-SLICE 4: the debt whose tab fits under ``exposure_cap``."""
    p = _gen3(pre)
    return mul_div_down(p.exposure_cap - pre.exposure, RAY, RAY + p.penalty)


def _gen3_depth_room(pre: State) -> tuple[Any, Any]:
    """GEN3-SLICE 5: ``(cap, kicked_in_period)`` with the period rolled over if it elapsed."""
    p = _gen3(pre)
    rolled = pre.time >= pre.market.period_start + p.unwind_period
    kicked = 0 if rolled else pre.market.kicked_in_period
    return rmul_down(pre.market.depth, p.depth_fraction), kicked


def _gen3_by_depth(pre: State, position: Position, solvent: object, room: Any) -> Any:
    """GEN3-SLICE 5: the debt whose lot fits in the depth ``room``."""
    p = _gen3(pre)
    if solvent:
        return mul_div_down(rmul_down(room, _gen3_floor(pre)), RAY, RAY + p.penalty)
    return mul_div_down(room, position.debt, position.collateral)


def _gen3_kick_refusal(pre: State, action: Kick) -> Expected:
    position = pre.positions.get(action.position)
    if position is None:
        return Code.UNKNOWN_POSITION
    c, d, dust = position.collateral, position.debt, pre.config.dust
    if d == 0:
        return Code.NOTHING_TO_LIQUIDATE
    if _stale(pre):
        return Code.ORACLE_STALE
    if _deviation(pre):
        return Code.DEVIATION_BREAKER
    if not _gen3_below_l(pre, position):
        return Code.NOT_LIQUIDATABLE
    # GEN3-SLICE, in its order
    if _gen3_floor(pre) == 0:
        return Code.INVALID_PRICE
    if c == 0:
        return Code.NULL_AUCTION
    solvent = _gen3_solvent(pre, position)
    wanted = _gen3_wanted(pre, position, solvent)
    if pre.exposure >= _gen3(pre).exposure_cap:
        return Code.EXPOSURE_CAP_REACHED
    by_exposure = _gen3_by_exposure(pre)
    cap, kicked = _gen3_depth_room(pre)
    if kicked >= cap:
        return Code.DEPTH_EXHAUSTED
    by_depth = _gen3_by_depth(pre, position, solvent, cap - kicked)
    debt = minimum(wanted, by_exposure, by_depth)
    if debt < wanted:
        if d - debt < dust:
            debt = d - dust
        if debt < dust or debt == 0:
            return Code.DEPTH_EXHAUSTED if by_depth <= by_exposure else Code.EXPOSURE_CAP_REACHED
    if not solvent and debt != d and mul_div_up(c, debt, d) >= c:
        return Code.DUSTY_AUCTION
    return None


def _gen3_kick_accepts(pre: State, action: Kick) -> object:
    position = pre.positions.get(action.position)
    if position is None:
        return False
    c, d, dust = position.collateral, position.debt, pre.config.dust
    if not (d > 0 and not _stale(pre) and not _deviation(pre) and _gen3_below_l(pre, position)):
        return False
    if not (_gen3_floor(pre) > 0 and c > 0 and pre.exposure < _gen3(pre).exposure_cap):
        return False
    cap, kicked = _gen3_depth_room(pre)
    if kicked >= cap:
        return False
    solvent = _gen3_solvent(pre, position)
    wanted = _gen3_wanted(pre, position, solvent)
    by_exposure = _gen3_by_exposure(pre)
    by_depth = _gen3_by_depth(pre, position, solvent, cap - kicked)
    room = minimum(by_exposure, by_depth)
    debt = wanted
    if room < wanted:
        # a cut never leaves dust behind, and is itself at least dust
        debt = room if d - room >= dust else d - dust
        if debt < dust or debt == 0:
            return False
    # an insolvent partial slice is pro rata and must leave collateral behind:
    # ceil(C * debt / D) < C
    return solvent or debt == d or c * debt <= (c - 1) * d


def _gen3_take_refusal(pre: State, action: Take) -> Expected:
    auction = pre.auctions.get(action.auction)
    if auction is None:
        return Code.UNKNOWN_AUCTION
    if not _live(auction):
        return Code.AUCTION_FINISHED
    if action.amount == 0:
        return Code.ZERO_AMOUNT
    price = _gen3_price(pre, auction)
    if action.max_price < price:
        return Code.TOO_EXPENSIVE
    chost = gen3_chost(_gen3(pre), pre.config.dust)
    return _purchase_refusal(auction.lot, auction.tab, price, action.amount, chost)


def _gen3_take_accepts(pre: State, action: Take) -> object:
    auction = pre.auctions.get(action.auction)
    if auction is None or not _live(auction) or action.amount == 0:
        return False
    price = _gen3_price(pre, auction)
    chost = gen3_chost(_gen3(pre), pre.config.dust)
    return action.max_price >= price and _purchase_ok(
        auction.lot, auction.tab, price, action.amount, chost
    )


def _outside_band(pre: State, auction: Auction) -> object:
    """The reference moved beyond ``reset_band`` from the anchor:
    ``|ref - anchor| * RAY > reset_band * anchor``."""
    ref, anchor = pre.oracle.reference, auction.anchor
    gap = ref - anchor if ref >= anchor else anchor - ref
    return gap * RAY > _gen3(pre).reset_band * anchor


def _mark(pre: State) -> Any:
    """LOSS-MARK: ``min(spot, ref)``."""
    spot, ref = pre.oracle.spot, pre.oracle.reference
    return spot if spot <= ref else ref


def _pol_can_buy(pre: State, auction: Auction) -> object:
    """ACT-REDO: POL can buy the rest: ``floor <= mark``, ``rmul_up(lot, floor) <= pol_quote``."""
    return auction.floor <= _mark(pre) and rmul_up(auction.lot, auction.floor) <= (
        pre.buffers.pol_quote
    )


def _gen3_redo_refusal(pre: State, action: Redo) -> Expected:
    auction = pre.auctions.get(action.auction)
    if auction is None:
        return Code.UNKNOWN_AUCTION
    if not _live(auction):
        return Code.AUCTION_FINISHED
    if _stale(pre):
        return Code.ORACLE_STALE
    if not _expired(pre, auction):
        return Code.AUCTION_NOT_EXPIRED
    if _pol_can_buy(pre, auction):
        return Code.AUCTION_CANNOT_RESET
    if not _outside_band(pre, auction):
        return Code.AUCTION_CANNOT_RESET
    if _gen3_floor(pre) == 0:
        return Code.INVALID_PRICE
    return None


def _gen3_redo_accepts(pre: State, action: Redo) -> object:
    auction = pre.auctions.get(action.auction)
    if auction is None or not _live(auction):
        return False
    return (
        not _stale(pre)
        and _expired(pre, auction)
        and not _pol_can_buy(pre, auction)
        and _outside_band(pre, auction)
        and _gen3_floor(pre) > 0
    )


def _end_auction_refusal(pre: State, action: EndAuction) -> Expected:
    auction = pre.auctions.get(action.auction)
    if auction is None:
        return Code.UNKNOWN_AUCTION
    if not _live(auction):
        return Code.AUCTION_FINISHED
    if not _expired(pre, auction):
        return Code.AUCTION_NOT_EXPIRED
    if auction.floor > _mark(pre):
        return Code.POL_WOULD_OVERPAY
    # capped at the lot before dividing (huge reserves, tiny floor: no overflow)
    if pre.buffers.pol_quote * RAY >= auction.lot * auction.floor:
        affordable = auction.lot
    else:
        affordable = rdiv_down(pre.buffers.pol_quote, auction.floor)
    if affordable == 0:
        return Code.POL_NO_RESERVES
    return _purchase_refusal(auction.lot, auction.tab, auction.floor, affordable, 0)


def _end_auction_accepts(pre: State, action: EndAuction) -> object:
    auction = pre.auctions.get(action.auction)
    if auction is None or not _live(auction) or not _expired(pre, auction):
        return False
    # POL pays no more than the mark, and can afford at least one unit at the floor:
    # pol_quote * RAY / floor >= 1 (a zero floor divides by zero: DIVISION_BY_ZERO, see
    # the module docstring)
    return (
        auction.floor <= _mark(pre)
        and auction.floor > 0
        and pre.buffers.pol_quote * RAY >= auction.floor
    )


# --- PolSell (gen 3) ----------------------------------------------------------------------


def _pol_sale_room(pre: State) -> Any:
    """GEN3-SLICE 5: the depth budget left this period, the period rolled over."""
    p = _gen3(pre)
    market = pre.market
    rolled = pre.time >= market.period_start + p.unwind_period
    kicked = 0 if rolled else market.kicked_in_period
    cap = rmul_down(market.depth, p.depth_fraction)
    return cap - kicked if cap > kicked else 0


def _pol_sell_refusal(pre: State, action: PolSell) -> Expected:
    if action.amount == 0:
        return Code.ZERO_AMOUNT
    if _stale(pre):
        return Code.ORACLE_STALE
    if action.amount > pre.buffers.pol_collateral:
        return Code.INSUFFICIENT_COLLATERAL
    if action.proceeds < rmul_up(action.amount, _gen3_floor(pre)):
        return Code.BELOW_FLOOR
    if action.amount > _pol_sale_room(pre):
        return Code.DEPTH_EXHAUSTED
    return None


def _pol_sell_accepts(pre: State, action: PolSell) -> object:
    return (
        action.amount > 0
        and not _stale(pre)
        and action.amount <= pre.buffers.pol_collateral
        and action.proceeds >= rmul_up(action.amount, _gen3_floor(pre))
        and action.amount <= _pol_sale_room(pre)
    )


# --- Settle (gen 2 and gen 3) -------------------------------------------------------------


def _settle_refusal(pre: State, action: Settle) -> Expected:
    auction = pre.auctions.get(action.auction)
    if auction is None:
        return Code.UNKNOWN_AUCTION
    if auction.lot > 0 and auction.debt + auction.fee > 0:
        return Code.AUCTION_NOT_FINISHED
    return None


def _settle_accepts(pre: State, action: Settle) -> object:
    auction = pre.auctions.get(action.auction)
    return auction is not None and (auction.lot == 0 or auction.debt + auction.fee == 0)

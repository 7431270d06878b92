"""Gen 1's liquidation and gen 2's kick, take and redo, restated from the spec's guards."""

from __future__ import annotations

from typing import Any

from model.actions import (
    Kick,
    Liquidate,
    Redo,
    Take,
)
from model.numbers.fixed_point import (
    RAY,
    UINT256_MAX,
    WAD,
    minimum,
    mul_div_down,
    mul_div_up,
    rmul_up,
)
from model.params.derived import gen2_chost
from model.policies import gen2_dutch
from model.state import Position, State
from proofs.obligations.iff.quantities import (
    Code,
    Expected,
    _gen1,
    _gen2,
    _live,
    _purchase_ok,
    _purchase_refusal,
)

# --- gen 1 liquidation (GEN1-LIQUIDATION) ------------------------------------------------


def _gen1_max_repay(pre: State, position: Position) -> Any:
    p = _gen1(pre)
    c, d = position.collateral, position.debt
    share = rmul_up(d, p.close_factor)
    if c * pre.oracle.spot < d * p.full_close_ratio or d - share < pre.config.dust:
        return d
    return share


def _gen1_seizure(pre: State, position: Position, repay: Any) -> tuple[Any, Any]:
    """``(repaid, seized)``."""
    p = _gen1(pre)
    spot = pre.oracle.spot
    seized = mul_div_down(repay, RAY + p.bonus, spot)
    if seized <= position.collateral:
        return repay, seized
    return minimum(repay, mul_div_up(position.collateral, spot, RAY + p.bonus)), position.collateral


def _gen1_liquidatable(pre: State, position: Position) -> object:
    return position.collateral * pre.oracle.spot < position.debt * _gen1(pre).liquidation_ratio


def _liquidate_refusal(pre: State, action: Liquidate) -> Expected:
    position = pre.positions.get(action.position)
    if position is None:
        return Code.UNKNOWN_POSITION
    if action.repay == 0:
        return Code.ZERO_AMOUNT
    if position.debt == 0:
        return Code.NOTHING_TO_LIQUIDATE
    if not _gen1_liquidatable(pre, position):
        return Code.NOT_LIQUIDATABLE
    if action.repay > _gen1_max_repay(pre, position):
        return Code.CLOSE_FACTOR_EXCEEDED
    repaid, seized = _gen1_seizure(pre, position, action.repay)
    if 0 < position.debt - repaid < pre.config.dust and seized < position.collateral:
        return Code.DUST
    return None


def _liquidate_accepts(pre: State, action: Liquidate) -> object:
    position = pre.positions.get(action.position)
    if position is None or action.repay == 0 or position.debt == 0:
        return False
    if not _gen1_liquidatable(pre, position) or action.repay > _gen1_max_repay(pre, position):
        return False
    repaid, seized = _gen1_seizure(pre, position, action.repay)
    left = position.debt - repaid
    # the liquidation leaves no dust, unless it takes all the collateral (then the rest
    # of the debt is written off at once)
    return left == 0 or left >= pre.config.dust or seized == position.collateral


# --- gen 2 (GEN2-BARK, GEN2-STATUS) -------------------------------------------------------


def _gen2_top_fits(pre: State) -> object:
    """dss ``rmul(price, buf)``: the product itself is a uint256."""
    return pre.oracle.spot * _gen2(pre).buf <= UINT256_MAX


def _gen2_top_positive(pre: State) -> object:
    """``top = floor(spot * buf / RAY) > 0``, i.e. ``spot * buf >= RAY`` (dss zero-top-price)."""
    return pre.oracle.spot * _gen2(pre).buf >= RAY


def _gen2_top_refusal(pre: State) -> Expected:
    if not _gen2_top_fits(pre):
        return Code.OVERFLOW
    if not _gen2_top_positive(pre):
        return Code.INVALID_PRICE
    return None


def _gen2_unsafe(pre: State, position: Position) -> object:
    """dss: the Vat at the Spotter's ``spot / mat`` (rounded down), which must be > 0."""
    spotter = mul_div_down(pre.oracle.spot, RAY, _gen2(pre).mat)
    return spotter > 0 and position.collateral * spotter < position.debt * RAY


def _gen2_bark_debt(pre: State, position: Position) -> Any:
    """The debt GEN2-BARK sizes, before its dust rules: ``min(D, room * WAD / chop)``."""
    p = _gen2(pre)
    return minimum(position.debt, mul_div_down(p.hole - pre.exposure, WAD, p.chop))


def _gen2_kick_refusal(pre: State, action: Kick) -> Expected:
    position = pre.positions.get(action.position)
    if position is None:
        return Code.UNKNOWN_POSITION
    c, d, dust = position.collateral, position.debt, pre.config.dust
    if d == 0:
        return Code.NOTHING_TO_LIQUIDATE
    if not _gen2_unsafe(pre, position):
        return Code.NOT_LIQUIDATABLE
    if pre.exposure >= _gen2(pre).hole:
        return Code.EXPOSURE_CAP_REACHED
    debt = _gen2_bark_debt(pre, position)
    if debt < d:
        if d - debt < dust:
            debt = d
        elif debt < dust:
            return Code.DUSTY_AUCTION
    if mul_div_down(c, debt, d) == 0:
        return Code.NULL_AUCTION
    return _gen2_top_refusal(pre)


def _gen2_kick_accepts(pre: State, action: Kick) -> object:
    position = pre.positions.get(action.position)
    if position is None:
        return False
    c, d, dust = position.collateral, position.debt, pre.config.dust
    if not (d > 0 and _gen2_unsafe(pre, position) and pre.exposure < _gen2(pre).hole):
        return False
    fits = _gen2_bark_debt(pre, position)
    # the whole vault when it fits or the rest would be dust; else a cut, of at least dust
    debt = d if fits == d or d - fits < dust else fits
    return (
        (debt == d or debt >= dust)
        and c * debt >= d
        and _gen2_top_fits(pre)
        and _gen2_top_positive(pre)
    )


def _gen2_take_refusal(pre: State, action: Take) -> Expected:
    auction = pre.auctions.get(action.auction)
    if auction is None:
        return Code.UNKNOWN_AUCTION
    if not _live(auction):
        return Code.AUCTION_FINISHED
    needs_reset, price = gen2_dutch.status(pre, auction)
    if needs_reset:
        return Code.AUCTION_NEEDS_RESET
    if action.max_price < price:
        return Code.TOO_EXPENSIVE
    chost = gen2_chost(_gen2(pre), pre.config.dust)
    return _purchase_refusal(auction.lot, auction.tab, price, action.amount, chost)


def _gen2_take_accepts(pre: State, action: Take) -> object:
    auction = pre.auctions.get(action.auction)
    if auction is None or not _live(auction):
        return False
    needs_reset, price = gen2_dutch.status(pre, auction)
    chost = gen2_chost(_gen2(pre), pre.config.dust)
    return (
        not needs_reset
        and action.max_price >= price
        and _purchase_ok(auction.lot, auction.tab, price, action.amount, chost)
    )


def _gen2_redo_refusal(pre: State, action: Redo) -> Expected:
    auction = pre.auctions.get(action.auction)
    if auction is None:
        return Code.UNKNOWN_AUCTION
    if not _live(auction):
        return Code.AUCTION_FINISHED
    if not gen2_dutch.status(pre, auction)[0]:
        return Code.AUCTION_CANNOT_RESET
    return _gen2_top_refusal(pre)


def _gen2_redo_accepts(pre: State, action: Redo) -> object:
    auction = pre.auctions.get(action.auction)
    if auction is None or not _live(auction):
        return False
    return gen2_dutch.status(pre, auction)[0] and _gen2_top_fits(pre) and _gen2_top_positive(pre)

"""Succeeds-iff obligations: the spec's guard, restated, against the code's, path by path.

In the style of the ``iff`` blocks of MakerDAO's k-dss: for every action kind under every
policy that supports it, the exact condition under which ``step`` accepts it, written
here from the guard text of ``spec/actions.md`` and ``spec/policies/`` (never by calling
the model's guard functions), and claimed on every path of the shared step task:

- ``<ID>/<policy>/<Kind>/iff``: ``accepted(step(pre, action)) == accepts(pre, action)``;
- ``<ID>/<policy>/<Kind>/refusal``: when refused, the refusal code is the code of the
  *first* failing check of the spec's ordered guard list (ENGINE-STEP), and when accepted,
  no check fails.

Why these catch what the safety invariants miss: an invariant is preserved *vacuously*
by a step that is refused. A guard that is too strict (a typo turning ``<`` into ``<=``,
a check in the wrong place, an overflow in a bound that the spec does not have, a
policy hook wired to the wrong parameter) refuses actions the spec allows, and every
inductive invariant still proves: nothing bad ever happens because nothing happens. Only
a claim that the action *succeeds* exactly when the spec says it should pins the guard
from both sides: liveness of each action as well as its safety. The refusal-code claims
add the ordering of the checks, which is what traces, vectors and other implementations
compare.

Both predicates run on concrete and symbolic states alike (comparisons, ``+ - *`` and
the fixed-point helpers of ``model.numbers`` where the spec names one). Arithmetic faults
(ENGINE-STEP 4): a helper that faults while a spec quantity is computed refuses the
action with that fault, so the predicates read a fault as the refusal it is; this is
how a zero gen 2 ``top`` (``status`` divides by it) and a zero gen 3 ``floor``
(``EndAuction`` divides by it) come out as ``DIVISION_BY_ZERO``: the state invariants
admit such auctions although no kick or reset creates one. A fault in an *effect* is
stated only where the solver showed it reachable under the invariants and ASM-RANGES
(SupplyLiquidity's share count); everywhere else the claims say there is none. Gen 2
prices come from ``gen2_dutch.status`` over the task's ``CurveSummary``, as in the other
step obligations.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

import attrs

from model.actions import (
    AdvanceTime,
    Borrow,
    DepositCollateral,
    EndAuction,
    FundInsurance,
    FundPol,
    Kick,
    Liquidate,
    PolSell,
    Redo,
    Repay,
    ReportDepth,
    ReportOracle,
    Settle,
    SupplyLiquidity,
    Take,
    WithdrawCollateral,
    WithdrawLiquidity,
)
from model.errors import EngineFault, RefusalCode
from model.invariants.predictive import liquidation_ratio_in_force
from model.numbers.fixed_point import (
    RAY,
    UINT256_MAX,
    WAD,
    maximum,
    minimum,
    mul_div_down,
    mul_div_up,
    rdiv_down,
    rmul_down,
    rmul_up,
)
from model.outcome import Accepted
from model.params.derived import gen2_chost, gen3_backstop_ratio, gen3_chost, gen3_tab
from model.params.records import Gen1SpotParams, Gen2DutchParams, Gen3ZeroLossParams
from model.policies import gen2_dutch
from model.state import Auction, Position, State
from proofs.obligation import Obligation
from proofs.obligations import steps
from proofs.obligations.steps import StepSubject

Code = RefusalCode
Expected = Code | None
"""What the spec's guard says: the code of the first failing check, or ``None`` (accept)."""
Accepts = Callable[[State, Any], object]
Refusal = Callable[[State, Any], Expected]

# --- shared spec quantities -------------------------------------------------------------


def _gen1(pre: State) -> Gen1SpotParams:
    return cast(Gen1SpotParams, pre.config.policy)


def _gen2(pre: State) -> Gen2DutchParams:
    return cast(Gen2DutchParams, pre.config.policy)


def _gen3(pre: State) -> Gen3ZeroLossParams:
    """Gen 3's parameters in force: the steward's ``L`` (as phased in), ``T`` and margin
    once it has acted (``spec/steward.md``), restated through the invariants' own
    definition of ``L`` in force; the configuration's before."""
    configured = cast(Gen3ZeroLossParams, pre.config.policy)
    record = pre.steward
    if record is None:
        return configured
    return attrs.evolve(
        configured,
        liquidation_ratio=liquidation_ratio_in_force(pre),
        target_ratio=record.target_ratio,
        warning_margin=record.warning_margin,
    )


UINT_FIELDS: dict[type[Any], tuple[str, ...]] = {
    SupplyLiquidity: ("amount",),
    WithdrawLiquidity: ("amount",),
    FundInsurance: ("amount",),
    FundPol: ("amount",),
    DepositCollateral: ("amount",),
    WithdrawCollateral: ("amount",),
    Borrow: ("amount",),
    Repay: ("amount",),
    ReportOracle: ("spot",),
    AdvanceTime: ("seconds",),
    ReportDepth: ("depth",),
    Liquidate: ("repay",),
    Take: ("amount", "max_price"),
    PolSell: ("amount", "proceeds"),
}
"""The fields marked *uint* in ``spec/actions.md`` and the policy files, in their order."""


def _out_of_range(action: object) -> bool:
    """ENGINE-STEP 1: some *uint* field is outside ``[0, 2^256)``."""
    for name in UINT_FIELDS.get(type(action), ()):
        value = getattr(action, name)
        if value < 0 or value > UINT256_MAX:
            return True
    return False


def _stale(pre: State) -> object:
    """GEN3-BREAKERS: ``time - last_update > stale_after``."""
    return pre.time - pre.oracle.last_update > _gen3(pre).stale_after


def _deviation(pre: State) -> object:
    """GEN3-BREAKERS: ``|spot - ref| * RAY > max_deviation * ref``."""
    spot, ref = pre.oracle.spot, pre.oracle.reference
    gap = spot - ref if spot >= ref else ref - spot
    return gap * RAY > _gen3(pre).max_deviation * ref


def _warning_ratio(pre: State) -> Any:
    """GEN3-VOLATILITY-BUFFER: ``L + warning_margin + min(rmul_up(vol, slope), cap)``."""
    p = _gen3(pre)
    buffer = minimum(rmul_up(pre.oracle.volatility, p.volatility_slope), p.volatility_cap)
    return p.liquidation_ratio + p.warning_margin + buffer


def _leverage_refusal(pre: State, collateral: Any, debt: Any) -> Expected:
    """``P.leverage_refusal(C', D')`` of ``spec/actions.md``: none when ``D' = 0``."""
    if debt == 0:
        return None
    policy = pre.config.policy
    if isinstance(policy, Gen1SpotParams):
        ratio = policy.borrow_ratio
        return Code.UNDERCOLLATERALIZED if collateral * pre.oracle.spot < debt * ratio else None
    if isinstance(policy, Gen2DutchParams):
        return (
            Code.UNDERCOLLATERALIZED
            if collateral * mul_div_down(pre.oracle.spot, RAY, policy.mat) < debt * RAY
            else None
        )
    if _stale(pre):
        return Code.ORACLE_STALE
    if collateral * pre.oracle.reference < debt * _warning_ratio(pre):
        return Code.UNDERCOLLATERALIZED
    return None


def _leverage_ok(pre: State, collateral: Any, debt: Any) -> object:
    """The same hook as an acceptance condition (gen 3: the position stays SAFE)."""
    policy = pre.config.policy
    if isinstance(policy, Gen1SpotParams):
        return debt == 0 or collateral * pre.oracle.spot >= debt * policy.borrow_ratio
    if isinstance(policy, Gen2DutchParams):
        # dss Vat.frob: safe at the Spotter's spot, spot / mat rounded down
        return (
            debt == 0 or collateral * mul_div_down(pre.oracle.spot, RAY, policy.mat) >= debt * RAY
        )
    return debt == 0 or (
        not _stale(pre) and collateral * pre.oracle.reference >= debt * _warning_ratio(pre)
    )


def _live(auction: Auction) -> object:
    """Not finished (``state.md``): ``lot > 0`` and ``tab > 0``."""
    return auction.lot > 0 and auction.debt + auction.fee > 0


def _purchase_refusal(lot: Any, tab: Any, price: Any, amount: Any, chost: Any) -> Expected:
    """The purchase kernel of ``spec/actions.md``, as written there."""
    if price == 0:
        return Code.INVALID_PRICE
    collateral = minimum(lot, amount)
    paid = rmul_up(collateral, price)
    if paid > tab:
        return None
    partial = collateral * price < tab * RAY and collateral < lot  # exact, as dss in RAD
    if partial and tab - paid < chost and tab <= chost:
        return Code.NO_PARTIAL_PURCHASE
    return None


def _purchase_ok(lot: Any, tab: Any, price: Any, amount: Any, chost: Any) -> object:
    """The kernel's acceptance in closed form: a partial purchase (``amount < lot``) worth
    less than the tab is refused exactly when the tab is already at most ``chost`` and
    the purchase would leave less than ``chost`` (any payment of at least 1 does; a
    purchase of nothing does unless ``tab == chost``)."""
    short = amount < lot and amount * price < tab * RAY
    return price > 0 and not (short and tab <= chost and tab - rmul_up(amount, price) < chost)


def _gen3_price(pre: State, auction: Auction) -> Any:
    """CURVE-GEN3 (``curves.md``): ``floor`` once ``dur >= decay``, else
    ``floor + mul_div_up(top - floor, decay - dur, decay)``."""
    decay = _gen3(pre).decay_duration
    dur = pre.time - auction.tic
    if dur >= decay:
        return auction.floor
    return auction.floor + mul_div_up(auction.top - auction.floor, decay - dur, decay)


def _expired(pre: State, auction: Auction) -> object:
    return pre.time >= auction.tic + _gen3(pre).auction_duration


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


# --- the common actions -------------------------------------------------------------------


def _supply_refusal(pre: State, action: SupplyLiquidity) -> Expected:
    pool = pre.pool
    if action.amount == 0:
        return Code.ZERO_AMOUNT
    if pool.total_shares > 0 and pool.lp_claims == 0:
        return Code.POOL_INSOLVENT
    if pool.total_shares == 0:
        shares = action.amount
    else:
        shares = mul_div_down(action.amount, pool.total_shares, pool.lp_claims)
    if shares == 0:
        return Code.ZERO_SHARES
    if pool.total_shares + shares > UINT256_MAX:
        return Code.OVERFLOW  # the effect's ``total_shares += shares`` (ENGINE-STEP 4)
    return None


def _supply_accepts(pre: State, action: SupplyLiquidity) -> object:
    pool = pre.pool
    if action.amount == 0:
        return False
    if pool.total_shares == 0:
        return True
    if pool.lp_claims == 0:
        return False
    shares = mul_div_down(action.amount, pool.total_shares, pool.lp_claims)
    # ENGINE-STEP 4: the new share count must be a uint256. Reachable under the invariants
    # and ASM-RANGES once lp_claims is tiny against total_shares (after a write-off):
    # e.g. lp_claims = 1, total_shares = 2^128, amount = 2^128 - 1 is refused OVERFLOW.
    return shares > 0 and pool.total_shares + shares <= UINT256_MAX


def _lp_frozen(pre: State) -> object:
    """``P.lp_withdrawal_refusal``: gen 3 only, ``unbacked > 0`` (LP-WITHDRAWAL-FREEZE)."""
    return isinstance(pre.config.policy, Gen3ZeroLossParams) and pre.unbacked > 0


def _withdraw_liquidity_refusal(pre: State, action: WithdrawLiquidity) -> Expected:
    pool = pre.pool
    if action.amount == 0:
        return Code.ZERO_AMOUNT
    if _lp_frozen(pre):
        return Code.WITHDRAWALS_FROZEN
    if pool.total_shares == 0 or action.amount > pool.lp_claims:
        return Code.INSUFFICIENT_SHARES
    burn = mul_div_up(action.amount, pool.total_shares, pool.lp_claims)
    if burn > pre.lp_shares.get(action.lp, 0):
        return Code.INSUFFICIENT_SHARES
    if action.amount > pool.cash:
        return Code.INSUFFICIENT_LIQUIDITY
    return None


def _withdraw_liquidity_accepts(pre: State, action: WithdrawLiquidity) -> object:
    pool = pre.pool
    held = pre.lp_shares.get(action.lp, 0)
    return (
        0 < action.amount <= pool.lp_claims
        and not _lp_frozen(pre)
        and pool.total_shares > 0
        # ceil(amount * total_shares / lp_claims) <= held, without dividing
        and action.amount * pool.total_shares <= held * pool.lp_claims
        and action.amount <= pool.cash
    )


def _fund_refusal(pre: State, action: FundInsurance | FundPol) -> Expected:
    return Code.ZERO_AMOUNT if action.amount == 0 else None


def _fund_accepts(pre: State, action: FundInsurance | FundPol) -> object:
    return action.amount > 0


def _no_guard_refusal(pre: State, action: object) -> Expected:
    return None


def _no_guard_accepts(pre: State, action: object) -> object:
    return True


def _deposit_refusal(pre: State, action: DepositCollateral) -> Expected:
    if action.position not in pre.positions:
        return Code.UNKNOWN_POSITION
    return Code.ZERO_AMOUNT if action.amount == 0 else None


def _deposit_accepts(pre: State, action: DepositCollateral) -> object:
    return action.position in pre.positions and action.amount > 0


def _owned(pre: State, position_id: int, owner: str) -> Position | Code:
    position = pre.positions.get(position_id)
    if position is None:
        return Code.UNKNOWN_POSITION
    if position.owner != owner:
        return Code.NOT_OWNER
    return position


def _withdraw_collateral_refusal(pre: State, action: WithdrawCollateral) -> Expected:
    position = _owned(pre, action.position, action.owner)
    if isinstance(position, Code):
        return position
    if action.amount == 0:
        return Code.ZERO_AMOUNT
    if action.amount > position.collateral:
        return Code.INSUFFICIENT_COLLATERAL
    return _leverage_refusal(pre, position.collateral - action.amount, position.debt)


def _withdraw_collateral_accepts(pre: State, action: WithdrawCollateral) -> object:
    position = _owned(pre, action.position, action.owner)
    if isinstance(position, Code):
        return False
    c, d = position.collateral, position.debt
    return 0 < action.amount <= c and _leverage_ok(pre, c - action.amount, d)


def _borrow_refusal(pre: State, action: Borrow) -> Expected:
    position = _owned(pre, action.position, action.owner)
    if isinstance(position, Code):
        return position
    if action.amount == 0:
        return Code.ZERO_AMOUNT
    if action.amount > pre.pool.cash:
        return Code.INSUFFICIENT_LIQUIDITY
    if position.debt + action.amount < pre.config.dust:
        return Code.DUST
    return _leverage_refusal(pre, position.collateral, position.debt + action.amount)


def _borrow_accepts(pre: State, action: Borrow) -> object:
    position = _owned(pre, action.position, action.owner)
    if isinstance(position, Code):
        return False
    after = position.debt + action.amount
    return (
        0 < action.amount <= pre.pool.cash
        and after >= pre.config.dust
        and _leverage_ok(pre, position.collateral, after)
    )


def _repay_refusal(pre: State, action: Repay) -> Expected:
    position = pre.positions.get(action.position)
    if position is None:
        return Code.UNKNOWN_POSITION
    if action.amount == 0:
        return Code.ZERO_AMOUNT
    if action.amount > position.debt:
        return Code.REPAY_EXCEEDS_DEBT
    if 0 < position.debt - action.amount < pre.config.dust:
        return Code.DUST
    return None


def _repay_accepts(pre: State, action: Repay) -> object:
    position = pre.positions.get(action.position)
    if position is None:
        return False
    left = position.debt - action.amount
    return 0 < action.amount <= position.debt and not (0 < left < pre.config.dust)


def _report_oracle_refusal(pre: State, action: ReportOracle) -> Expected:
    return Code.INVALID_PRICE if action.spot == 0 else None


def _report_oracle_accepts(pre: State, action: ReportOracle) -> object:
    return action.spot > 0


def _advance_time_refusal(pre: State, action: AdvanceTime) -> Expected:
    return Code.ZERO_AMOUNT if action.seconds == 0 else None


def _advance_time_accepts(pre: State, action: AdvanceTime) -> object:
    return action.seconds > 0


# --- the table ------------------------------------------------------------------------------


@attrs.frozen
class ActionSpec:
    """One action's guard as the spec states it, in two forms."""

    requirement_ids: tuple[str, ...]
    """The action's ID first; then the policy requirements its guard encodes."""
    accepts: Accepts
    """When the action succeeds (the ``iff`` condition)."""
    refusal: Refusal
    """The ordered guard list: the code of the first failing check, or ``None``."""


_GEN3_LEVERAGE = ("GEN3-ZONES", "GEN3-VOLATILITY-BUFFER", "GEN3-BREAKERS")


def _common(policy: str) -> dict[str, ActionSpec]:
    gen3 = policy == "gen3"
    leverage = _GEN3_LEVERAGE if gen3 else ()
    return {
        "SupplyLiquidity": ActionSpec(("ACT-SUPPLY-LIQUIDITY",), _supply_accepts, _supply_refusal),
        "WithdrawLiquidity": ActionSpec(
            ("ACT-WITHDRAW-LIQUIDITY", *(("LP-WITHDRAWAL-FREEZE",) if gen3 else ())),
            _withdraw_liquidity_accepts,
            _withdraw_liquidity_refusal,
        ),
        "FundInsurance": ActionSpec(("ACT-FUND-INSURANCE",), _fund_accepts, _fund_refusal),
        "FundPol": ActionSpec(("ACT-FUND-POL",), _fund_accepts, _fund_refusal),
        "OpenPosition": ActionSpec(("ACT-OPEN-POSITION",), _no_guard_accepts, _no_guard_refusal),
        "DepositCollateral": ActionSpec(
            ("ACT-DEPOSIT-COLLATERAL",), _deposit_accepts, _deposit_refusal
        ),
        "WithdrawCollateral": ActionSpec(
            ("ACT-WITHDRAW-COLLATERAL", *leverage),
            _withdraw_collateral_accepts,
            _withdraw_collateral_refusal,
        ),
        "Borrow": ActionSpec(("ACT-BORROW", *leverage), _borrow_accepts, _borrow_refusal),
        "Repay": ActionSpec(("ACT-REPAY",), _repay_accepts, _repay_refusal),
        "ReportOracle": ActionSpec(
            ("ACT-REPORT-ORACLE",), _report_oracle_accepts, _report_oracle_refusal
        ),
        "AdvanceTime": ActionSpec(
            ("ACT-ADVANCE-TIME",), _advance_time_accepts, _advance_time_refusal
        ),
        "ReportDepth": ActionSpec(("ACT-REPORT-DEPTH",), _no_guard_accepts, _no_guard_refusal),
    }


SETTLE = ActionSpec(("ACT-SETTLE",), _settle_accepts, _settle_refusal)

SPECS: dict[str, dict[str, ActionSpec]] = {
    "gen1": {
        **_common("gen1"),
        "Liquidate": ActionSpec(
            ("ACT-LIQUIDATE", "GEN1-LIQUIDATION"), _liquidate_accepts, _liquidate_refusal
        ),
    },
    "gen2": {
        **_common("gen2"),
        "Kick": ActionSpec(("ACT-KICK", "GEN2-BARK"), _gen2_kick_accepts, _gen2_kick_refusal),
        "Take": ActionSpec(("ACT-TAKE", "GEN2-STATUS"), _gen2_take_accepts, _gen2_take_refusal),
        "Redo": ActionSpec(("ACT-REDO", "GEN2-STATUS"), _gen2_redo_accepts, _gen2_redo_refusal),
        "Settle": SETTLE,
    },
    "gen3": {
        **_common("gen3"),
        "Kick": ActionSpec(
            ("ACT-KICK", "GEN3-BREAKERS", "GEN3-ZONES", "GEN3-SLICE"),
            _gen3_kick_accepts,
            _gen3_kick_refusal,
        ),
        "Take": ActionSpec(("ACT-TAKE",), _gen3_take_accepts, _gen3_take_refusal),
        "Redo": ActionSpec(("ACT-REDO", "GEN3-BREAKERS"), _gen3_redo_accepts, _gen3_redo_refusal),
        "EndAuction": ActionSpec(
            ("ACT-END-AUCTION", "GEN3-POL-BACKSTOP", "GEN3-POL-FAIR-PRICE"),
            _end_auction_accepts,
            _end_auction_refusal,
        ),
        "Settle": SETTLE,
        "PolSell": ActionSpec(("ACT-POL-SELL",), _pol_sell_accepts, _pol_sell_refusal),
    },
}
"""Every (policy, kind) of ``steps.TASKS``."""


# --- claims -------------------------------------------------------------------------------


def spec_accepts(accepts: Accepts, pre: State, action: object) -> bool:
    """``accepts``, with a fault in a spec quantity read as the refusal it is."""
    try:
        return bool(accepts(pre, action))
    except EngineFault:
        return False


def spec_refusal(refusal: Refusal, pre: State, action: object) -> Expected:
    """The code of the first failing check of ENGINE-STEP: an amount out of range, then
    the guard's own list; a fault in a spec quantity refuses with the fault's code."""
    if _out_of_range(action):
        return Code.AMOUNT_OUT_OF_RANGE
    try:
        return refusal(pre, action)
    except EngineFault as fault:
        return fault.refusal.code


def _iff_claim(spec: ActionSpec) -> Callable[[StepSubject], object]:
    def claim(subject: StepSubject) -> bool:
        accepted = isinstance(subject.outcome, Accepted)
        return accepted == spec_accepts(spec.accepts, subject.pre, subject.action)

    return claim


def _refusal_claim(spec: ActionSpec) -> Callable[[StepSubject], object]:
    def claim(subject: StepSubject) -> bool:
        outcome = subject.outcome
        got = None if isinstance(outcome, Accepted) else outcome.refusal.code
        return got == spec_refusal(spec.refusal, subject.pre, subject.action)

    return claim


def obligations() -> list[Obligation]:
    """For every (policy, kind) of ``steps.TASKS``: its ``iff`` and its ``refusal``."""
    found: list[Obligation] = []
    for (policy, kind), task in steps.TASKS.items():
        spec = SPECS[policy][kind]
        primary = spec.requirement_ids[0]
        found.append(
            Obligation(
                name=f"{primary}/{policy}/{kind}/iff",
                requirement_ids=spec.requirement_ids,
                policy=policy,
                task=task,
                claim=_iff_claim(spec),
                assume=steps.invariants_hold,
                summary=f"{kind} is accepted exactly when the spec's guard passes",
            )
        )
        found.append(
            Obligation(
                name=f"{primary}/{policy}/{kind}/refusal",
                requirement_ids=(*spec.requirement_ids, "ENGINE-STEP"),
                policy=policy,
                task=task,
                claim=_refusal_claim(spec),
                assume=steps.invariants_hold,
                summary=f"a refused {kind} names the first failing check of the spec's guard",
            )
        )
    return found

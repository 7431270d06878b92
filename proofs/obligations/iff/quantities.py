"""The spec quantities several guards share: parameters, breakers, leverage, purchases,
the gen 3 price and expiry, and the action fields that must be uint256.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

import attrs

from model.actions import (
    AdvanceTime,
    Borrow,
    DepositCollateral,
    FundInsurance,
    FundPol,
    Liquidate,
    PolSell,
    Repay,
    ReportDepth,
    ReportOracle,
    SupplyLiquidity,
    Take,
    WithdrawCollateral,
    WithdrawLiquidity,
)
from model.errors import RefusalCode
from model.invariants.predictive import liquidation_ratio_in_force
from model.numbers.fixed_point import (
    RAY,
    UINT256_MAX,
    minimum,
    mul_div_down,
    mul_div_up,
    rmul_up,
)
from model.params.records import Gen1SpotParams, Gen2DutchParams, Gen3ZeroLossParams
from model.state import Auction, State

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

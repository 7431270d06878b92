"""Gen 3's thresholds and zones: the warning ratio, the floor, and which zone a position is in."""

from __future__ import annotations

import enum
from typing import cast

from model.events import Buffer
from model.numbers.fixed_point import (
    RAY,  # noqa: F401 (the PEP 316 contracts below use it)
    Ray,
    Wad,
    add,
    minimum,
    rmul_down,
    rmul_up,
)
from model.params.derived import gen3_tab
from model.params.records import Gen3ZeroLossParams
from model.rules.steward import in_force
from model.state import Position, State

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

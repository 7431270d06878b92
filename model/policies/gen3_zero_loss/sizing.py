"""Sizing a gen 3 kick (GEN3-SLICE): the debt that restores the target ratio, within the
depth and exposure rooms, and the lot that covers the tab at the floor.
"""

from __future__ import annotations

import attrs

from model.errors import Refusal, RefusalCode, refuse
from model.numbers.fixed_point import (
    RAY,
    Ray,
    Wad,
    maximum,
    minimum,
    mul_div_down,
    mul_div_up,
    rdiv_up,
    rmul_down,
    rmul_up,
)
from model.params.derived import gen3_backstop_ratio, gen3_tab
from model.params.records import Gen3ZeroLossParams
from model.policies.gen3_zero_loss.zones import covers_tab_at_floor, floor_price, params
from model.rules.steward import in_force
from model.state import Market, Position, State

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

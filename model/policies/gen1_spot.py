"""Generation 1: the spot sell-off (Aave / Compound v2 style).

A liquidator repays up to a close factor of an unhealthy position's debt and seizes
collateral worth the repayment plus a fixed bonus, at the spot price. No auction, no
smoothing, no buffer: once the collateral is gone, the remaining debt is written off
against LPs at once (Aave v3.3 deficit, Morpho Blue bad-debt realisation).
"""

from __future__ import annotations

from typing import cast

import attrs

from model.actions import Liquidate
from model.errors import Refusal, RefusalCode, refuse
from model.events import Buffer, Event, Liquidated
from model.numbers.fixed_point import (
    RAY,
    Ray,
    Wad,
    add,
    minimum,
    mul_div_down,
    mul_div_up,
    rmul_up,
    sub,
)
from model.params.records import Gen1SpotParams
from model.policies.policy import Policy
from model.rules.rule import Rule, Transition
from model.rules.waterfall import cover_shortfall
from model.state import Position, State

WATERFALL = (Buffer.LPS,)


def params(state: State) -> Gen1SpotParams:
    return cast(Gen1SpotParams, state.config.policy)


def liquidatable(state: State, position: Position) -> bool:
    """``collateral * spot < debt * liquidation_ratio``, exactly (no rounding)."""
    return position.collateral * state.oracle.spot < position.debt * params(state).liquidation_ratio


def max_repay(state: State, position: Position) -> Wad:
    """Most debt one liquidation may repay: the close factor's share, rounded up, or all of it
    when the position is below ``full_close_ratio`` or the remainder would be dust."""
    p = params(state)
    if position.collateral * state.oracle.spot < position.debt * p.full_close_ratio:
        return position.debt
    share = rmul_up(position.debt, p.close_factor, "formula.close_factor")
    if position.debt - share < state.config.dust:
        return position.debt
    return share


def seizure(state: State, position: Position, repay: Wad) -> tuple[Wad, Wad]:
    """``(repaid, seized)``: collateral ``repay * (1 + bonus) / spot``, rounded down.

    If that exceeds the collateral, the liquidator takes all of it and repays only
    ``ceil(collateral * spot / (1 + bonus))``.
    """
    p = params(state)
    spot = state.oracle.spot
    seized = mul_div_down(repay, RAY + p.bonus, spot, "formula.seized")
    if seized <= position.collateral:
        return repay, seized
    repaid = minimum(repay, mul_div_up(position.collateral, spot, RAY + p.bonus, "formula.repaid"))
    return repaid, position.collateral


def _leverage_refusal(state: State, collateral: Wad, debt: Wad) -> Refusal | None:
    """ACT-BORROW and ACT-WITHDRAW-COLLATERAL, gen 1: the borrow ratio at spot."""
    if debt > 0 and collateral * state.oracle.spot < debt * params(state).borrow_ratio:
        return refuse(RefusalCode.UNDERCOLLATERALIZED, "params.borrow_ratio")
    return None


def _lp_withdrawal_refusal(state: State) -> Refusal | None:
    """ACT-WITHDRAW-LIQUIDITY, gen 1: never frozen."""
    return None


def _liquidate_guard(state: State, action: Liquidate) -> Refusal | None:
    """ACT-LIQUIDATE guard (GEN1-LIQUIDATION): below the liquidation ratio at spot, within the
    close factor."""
    position = state.positions.get(action.position)
    if position is None:
        return refuse(RefusalCode.UNKNOWN_POSITION, "action.position")
    if action.repay == 0:
        return refuse(RefusalCode.ZERO_AMOUNT, "action.repay")
    if position.debt == 0:
        return refuse(RefusalCode.NOTHING_TO_LIQUIDATE, "position.debt")
    if not liquidatable(state, position):
        return refuse(RefusalCode.NOT_LIQUIDATABLE, "params.liquidation_ratio")
    if action.repay > max_repay(state, position):
        return refuse(RefusalCode.CLOSE_FACTOR_EXCEEDED, "params.close_factor")
    repaid, seized = seizure(state, position, action.repay)
    debt_left = position.debt - repaid
    if 0 < debt_left < state.config.dust and seized < position.collateral:
        return refuse(RefusalCode.DUST, "params.dust")
    return None


def _liquidate_effect(state: State, action: Liquidate) -> Transition:
    """ACT-LIQUIDATE effect (GEN1-LIQUIDATION): repay, seize collateral with the bonus at spot,
    write off what is left uncovered (LOSS-WATERFALL: LPs at once)."""
    position = state.positions[action.position]
    repaid, seized = seizure(state, position, action.repay)
    position = Position(
        owner=position.owner,
        collateral=sub(position.collateral, seized, "position.collateral"),
        debt=sub(position.debt, repaid, "position.debt"),
    )
    ledger = state.ledger
    ledger = attrs.evolve(
        ledger,
        quote_in=add(ledger.quote_in, repaid, "state.ledger.quote_in"),
        collateral_out=add(ledger.collateral_out, seized, "state.ledger.collateral_out"),
    )
    pool = attrs.evolve(state.pool, cash=add(state.pool.cash, repaid, "state.pool.cash"))
    events: list[Event] = [
        Liquidated(
            position=action.position, liquidator=action.liquidator, repaid=repaid, seized=seized
        )
    ]
    bad_debt = position.debt if position.collateral == 0 else 0
    if bad_debt > 0:
        position = attrs.evolve(position, debt=0)
    state = attrs.evolve(
        state,
        positions=state.positions.set(action.position, position),
        pool=pool,
        ledger=ledger,
    )
    if bad_debt > 0:
        state, covered = cover_shortfall(state, action.position, bad_debt, WATERFALL)
        events.extend(covered)
    return state, tuple(events)


def _trigger_ratio(state: State) -> Ray:
    return params(state).liquidation_ratio


POLICY = Policy(
    name="gen1",
    params_type=Gen1SpotParams,
    waterfall=WATERFALL,
    leverage_refusal=_leverage_refusal,
    lp_withdrawal_refusal=_lp_withdrawal_refusal,
    rules={Liquidate: Rule(guard=_liquidate_guard, effect=_liquidate_effect)},
    below_trigger=liquidatable,
    trigger_ratio=_trigger_ratio,
)

"""Pre-liquidation: a borrower-consented partial liquidation before the liquidation ratio.

A position's owner may opt in to terms (``SetPreLiquidation``): a pre-liquidation ratio
``ratio`` above ``L``, and a close factor and an incentive factor that each move linearly
with the position's loan-to-value ``D / (C * ref)``, from their ``*_start`` value at
``ratio`` to their ``*_end`` value at ``L``, as in Morpho's PreLiquidation. Inside the
band ``L <= C * ref / D < ratio`` any keeper may then repay up to the close factor of the
debt (``PreLiquidate``) and receive collateral worth the repaid amount times the
incentive factor at the reference price. Below ``L`` the position is the ordinary
liquidation's (``Kick``); above ``ratio`` nobody may touch it.

Because the incentive factor is at most ``L`` and the band lies at or above ``L``, a
pre-liquidation never lowers the position's collateral ratio (PRELIQ-RATIO-NEVER-WORSE),
and the collateral that leaves is at most the close factor's share of it
(PRELIQ-CLOSE-FACTOR). Both factors round down: the borrower's side.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import attrs

from model.actions import PreLiquidate, SetPreLiquidation
from model.errors import Refusal, RefusalCode, expect, refuse
from model.events import PreLiquidated, PreLiquidationSet
from model.numbers.fixed_point import RAY, Ray, Wad, add, mul_div_down, rmul_down, sub
from model.rules.rule import AnyRule, Rule, Transition
from model.rules.steward import liquidation_ratio_now
from model.state import Position, PreLiquidationTerms, State

BreakerRefusal = Callable[[State], Refusal | None]
"""The policy's circuit breakers (gen 3: a stale oracle, a tripped deviation breaker)."""

TERMS = ("ratio", "close_factor_start", "close_factor_end", "incentive_start", "incentive_end")


# --- opting in and out ----------------------------------------------------------------


def _terms_of(action: SetPreLiquidation) -> PreLiquidationTerms:
    return PreLiquidationTerms(
        ratio=action.ratio,
        close_factor_start=action.close_factor_start,
        close_factor_end=action.close_factor_end,
        incentive_start=action.incentive_start,
        incentive_end=action.incentive_end,
    )


def _set_guard(state: State, action: SetPreLiquidation) -> Refusal | None:
    """ACT-SET-PRE-LIQUIDATION guard: the owner only; all terms 0 withdraws a consent that
    exists; otherwise ``ratio > L``, ``close_factor_start <= close_factor_end <= RAY`` and
    ``RAY <= incentive_start <= incentive_end <= L`` (PRELIQ-TERMS)."""
    position = state.positions.get(action.position)
    if position is None:
        return refuse(RefusalCode.UNKNOWN_POSITION, "action.position")
    if position.owner != action.owner:
        return refuse(RefusalCode.NOT_OWNER, "position.owner")
    if action.ratio == 0:
        for name in TERMS[1:]:
            if getattr(action, name) != 0:
                return refuse(RefusalCode.INVALID_TERMS, f"action.{name}")
        if action.position not in state.pre_liquidation:
            return refuse(RefusalCode.NOT_CONSENTED, "state.pre_liquidation")
        return None
    ratio = liquidation_ratio_now(state)
    if action.ratio <= ratio:
        return refuse(RefusalCode.INVALID_TERMS, "action.ratio")
    if action.close_factor_end > RAY:
        return refuse(RefusalCode.INVALID_TERMS, "action.close_factor_end")
    if action.close_factor_start > action.close_factor_end:
        return refuse(RefusalCode.INVALID_TERMS, "action.close_factor_start")
    if action.incentive_start < RAY:
        return refuse(RefusalCode.INVALID_TERMS, "action.incentive_start")
    if action.incentive_end < action.incentive_start or action.incentive_end > ratio:
        return refuse(RefusalCode.INVALID_TERMS, "action.incentive_end")
    return None


def _set_effect(state: State, action: SetPreLiquidation) -> Transition:
    """ACT-SET-PRE-LIQUIDATION effect: the terms recorded for the position, or removed."""
    terms = _terms_of(action)
    if action.ratio == 0:
        entries = state.pre_liquidation.delete(action.position)
    else:
        entries = state.pre_liquidation.set(action.position, terms)
    event = PreLiquidationSet(
        position=action.position,
        ratio=terms.ratio,
        close_factor_start=terms.close_factor_start,
        close_factor_end=terms.close_factor_end,
        incentive_start=terms.incentive_start,
        incentive_end=terms.incentive_end,
    )
    return attrs.evolve(state, pre_liquidation=entries), (event,)


# --- pre-liquidating --------------------------------------------------------------------


@attrs.frozen
class Plan:
    """What a pre-liquidation does: the factors at the position's ratio, what moves."""

    close_factor: Ray
    incentive: Ray
    repaid: Wad
    seized: Wad


def band_position(
    terms: PreLiquidationTerms, liquidation_ratio: Ray, position: Position, reference: Ray
) -> Ray:
    """PRELIQ-TERMS: where the position's loan-to-value lies in the band, in RAY: 0 at
    ``ratio``, RAY at ``L``. ``L (ratio D - C ref) / (C ref (ratio - L))`` rounded down;
    the caller has checked ``L <= C ref / D < ratio``."""
    value = position.collateral * reference
    return mul_div_down(
        liquidation_ratio * (terms.ratio * position.debt - value),
        RAY,
        value * (terms.ratio - liquidation_ratio),
        "formula.band_position",
    )


def interpolate(start: Ray, end: Ray, where: Ray) -> Ray:
    """``start + (end - start) * where / RAY``, rounded down; ``start <= end``."""
    return start + rmul_down(end - start, where, "formula.interpolation")


def plan(state: State, action: PreLiquidate, breakers: BreakerRefusal) -> Refusal | Plan:
    """ACT-PRE-LIQUIDATE, PRELIQ-CONSENT guard and plan, in the order of the spec."""
    position = state.positions.get(action.position)
    if position is None:
        return refuse(RefusalCode.UNKNOWN_POSITION, "action.position")
    if action.amount == 0:
        return refuse(RefusalCode.ZERO_AMOUNT, "action.amount")
    terms = state.pre_liquidation.get(action.position)
    if terms is None:
        return refuse(RefusalCode.NOT_CONSENTED, "state.pre_liquidation")
    if position.debt == 0:
        return refuse(RefusalCode.NOTHING_TO_LIQUIDATE, "position.debt")
    breaker = breakers(state)
    if breaker is not None:
        return breaker
    ratio = liquidation_ratio_now(state)
    if terms.incentive_end > ratio:
        return refuse(RefusalCode.INVALID_TERMS, "state.pre_liquidation.incentive_end")
    value = position.collateral * state.oracle.reference
    if value >= position.debt * terms.ratio:
        return refuse(RefusalCode.NOT_LIQUIDATABLE, "state.pre_liquidation.ratio")
    if value < position.debt * ratio:
        return refuse(RefusalCode.POSITION_LIQUIDATABLE, "params.liquidation_ratio")
    where = band_position(terms, ratio, position, state.oracle.reference)
    close_factor = interpolate(terms.close_factor_start, terms.close_factor_end, where)
    if action.amount > rmul_down(position.debt, close_factor, "formula.close_factor"):
        return refuse(RefusalCode.CLOSE_FACTOR_EXCEEDED, "action.amount")
    left = position.debt - action.amount
    if 0 < left < state.config.dust:
        return refuse(RefusalCode.DUST, "position.debt")
    incentive = interpolate(terms.incentive_start, terms.incentive_end, where)
    seized = mul_div_down(action.amount, incentive, state.oracle.reference, "formula.seized")
    return Plan(close_factor=close_factor, incentive=incentive, repaid=action.amount, seized=seized)


PlanOf = Callable[[State, PreLiquidate], Refusal | Plan]


def _pre_liquidate_effect(state: State, action: PreLiquidate, plan_of: PlanOf) -> Transition:
    """ACT-PRE-LIQUIDATE effect: the keeper's quote repays the debt into the pool; the
    collateral it receives leaves the system."""
    planned: Plan = expect(plan_of(state, action))
    position = state.positions[action.position]
    position = Position(
        owner=position.owner,
        collateral=sub(position.collateral, planned.seized, "position.collateral"),
        debt=sub(position.debt, planned.repaid, "position.debt"),
    )
    ledger = attrs.evolve(
        state.ledger,
        quote_in=add(state.ledger.quote_in, planned.repaid, "state.ledger.quote_in"),
        collateral_out=add(
            state.ledger.collateral_out, planned.seized, "state.ledger.collateral_out"
        ),
    )
    pool = attrs.evolve(state.pool, cash=add(state.pool.cash, planned.repaid, "state.pool.cash"))
    state = attrs.evolve(
        state,
        positions=state.positions.set(action.position, position),
        pool=pool,
        ledger=ledger,
    )
    event = PreLiquidated(
        position=action.position,
        keeper=action.keeper,
        repaid=planned.repaid,
        seized=planned.seized,
        close_factor=planned.close_factor,
        incentive=planned.incentive,
    )
    return state, (event,)


def rules(breakers: BreakerRefusal) -> Mapping[type[Any], AnyRule]:
    """The two pre-liquidation actions under a policy whose circuit breakers are
    ``breakers`` (gen 3 passes its own, so that a pre-liquidation is paused exactly when
    a kick is)."""

    def plan_of(state: State, action: PreLiquidate) -> Refusal | Plan:
        return plan(state, action, breakers)

    def guard(state: State, action: PreLiquidate) -> Refusal | None:
        planned = plan_of(state, action)
        return planned if isinstance(planned, Refusal) else None

    def effect(state: State, action: PreLiquidate) -> Transition:
        return _pre_liquidate_effect(state, action, plan_of)

    return {
        SetPreLiquidation: Rule(guard=_set_guard, effect=_set_effect),
        PreLiquidate: Rule(guard=guard, effect=effect),
    }

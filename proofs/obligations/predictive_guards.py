"""The guards of ``SetPreLiquidation``, ``PreLiquidate`` and ``UpdateParams`` restated from
``spec/preliquidation.md`` and ``spec/steward.md``, independently of ``model/rules``: what
the succeeds-iff and refusal-order obligations of ``predictive.py`` compare the engine
with, and what the stateful machines check every step against."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import attrs

from model.actions import PreLiquidate, SetPreLiquidation, UpdateParams
from model.errors import EngineFault, RefusalCode
from model.invariants.predictive import liquidation_ratio_in_force
from model.numbers.fixed_point import RAY, UINT256_MAX, mul_div_down, rmul_down
from model.params.derived import gen3_backstop_ratio
from model.params.records import Gen3ZeroLossParams
from model.state import State
from proofs.obligations.iff.quantities import _deviation, _stale

TERMS = ("ratio", "close_factor_start", "close_factor_end", "incentive_start", "incentive_end")
Code = RefusalCode
Expected = Code | None


def _p(pre: State) -> Gen3ZeroLossParams:
    assert isinstance(pre.config.policy, Gen3ZeroLossParams)
    return pre.config.policy


def _out_of_range(action: object, names: tuple[str, ...]) -> bool:
    return any(not 0 <= getattr(action, n) <= UINT256_MAX for n in names)


def set_refusal(pre: State, a: SetPreLiquidation) -> Expected:
    """ACT-SET-PRE-LIQUIDATION's ordered guard (``spec/preliquidation.md``)."""
    if _out_of_range(a, TERMS):
        return Code.AMOUNT_OUT_OF_RANGE
    position = pre.positions.get(a.position)
    if position is None:
        return Code.UNKNOWN_POSITION
    if position.owner != a.owner:
        return Code.NOT_OWNER
    if a.ratio == 0:
        if any(getattr(a, n) != 0 for n in TERMS[1:]):
            return Code.INVALID_TERMS
        return None if a.position in pre.pre_liquidation else Code.NOT_CONSENTED
    ratio = liquidation_ratio_in_force(pre)
    well_formed = (
        a.ratio > ratio
        and a.close_factor_start <= a.close_factor_end <= RAY
        and RAY <= a.incentive_start <= a.incentive_end <= ratio
    )
    return None if well_formed else Code.INVALID_TERMS


def set_accepts(pre: State, a: SetPreLiquidation) -> object:
    position = pre.positions.get(a.position)
    if position is None or position.owner != a.owner:
        return False
    if a.ratio == 0:
        zero = all(getattr(a, n) == 0 for n in TERMS[1:])
        return zero and a.position in pre.pre_liquidation
    ratio = liquidation_ratio_in_force(pre)
    return (
        a.ratio > ratio
        and a.close_factor_start <= a.close_factor_end <= RAY
        and RAY <= a.incentive_start <= a.incentive_end <= ratio
    )


def band(pre: State, position_id: int) -> tuple[Any, Any]:
    """The spec's close factor and incentive at the position's loan-to-value."""
    position = pre.positions[position_id]
    terms = pre.pre_liquidation[position_id]
    ratio = liquidation_ratio_in_force(pre)
    value = position.collateral * pre.oracle.reference
    where = mul_div_down(
        ratio * (terms.ratio * position.debt - value), RAY, value * (terms.ratio - ratio)
    )
    close_factor = terms.close_factor_start + rmul_down(
        terms.close_factor_end - terms.close_factor_start, where
    )
    incentive = terms.incentive_start + rmul_down(
        terms.incentive_end - terms.incentive_start, where
    )
    return close_factor, incentive


def pre_liquidate_refusal(pre: State, a: PreLiquidate) -> Expected:
    """ACT-PRE-LIQUIDATE's ordered guard (``spec/preliquidation.md``)."""
    if _out_of_range(a, ("amount",)):
        return Code.AMOUNT_OUT_OF_RANGE
    position = pre.positions.get(a.position)
    if position is None:
        return Code.UNKNOWN_POSITION
    if a.amount == 0:
        return Code.ZERO_AMOUNT
    terms = pre.pre_liquidation.get(a.position)
    if terms is None:
        return Code.NOT_CONSENTED
    if position.debt == 0:
        return Code.NOTHING_TO_LIQUIDATE
    if _stale(pre):
        return Code.ORACLE_STALE
    if _deviation(pre):
        return Code.DEVIATION_BREAKER
    ratio = liquidation_ratio_in_force(pre)
    if terms.incentive_end > ratio:
        return Code.INVALID_TERMS
    value = position.collateral * pre.oracle.reference
    if value >= position.debt * terms.ratio:
        return Code.NOT_LIQUIDATABLE
    if value < position.debt * ratio:
        return Code.POSITION_LIQUIDATABLE
    close_factor, _ = band(pre, a.position)
    if a.amount * RAY > position.debt * close_factor:
        return Code.CLOSE_FACTOR_EXCEEDED
    left = position.debt - a.amount
    if 0 < left < pre.config.dust:
        return Code.DUST
    return None


def pre_liquidate_accepts(pre: State, a: PreLiquidate) -> object:
    position = pre.positions.get(a.position)
    terms = pre.pre_liquidation.get(a.position)
    if position is None or terms is None:
        return False
    ratio = liquidation_ratio_in_force(pre)
    value = position.collateral * pre.oracle.reference
    if not (
        a.amount > 0
        and position.debt > 0
        and not _stale(pre)
        and not _deviation(pre)
        and terms.incentive_end <= ratio
        and position.debt * ratio <= value < position.debt * terms.ratio
    ):
        return False
    close_factor, _ = band(pre, a.position)
    left = position.debt - a.amount
    return a.amount * RAY <= position.debt * close_factor and (left == 0 or left >= pre.config.dust)


def _set_values(pre: State) -> tuple[Any, Any, Any, Any]:
    """``(L, T, margin)`` as set, and ``L`` in force."""
    s = pre.steward
    if s is None:
        p = _p(pre)
        values = (p.liquidation_ratio, p.target_ratio, p.warning_margin)
    else:
        values = (s.liquidation_ratio, s.target_ratio, s.warning_margin)
    return (*values, liquidation_ratio_in_force(pre))


def _locks(pre: State) -> tuple[Any, Any, Any]:
    s = pre.steward
    if s is None:
        return (0, 0, 0)
    return (
        s.liquidation_ratio_locked_until,
        s.target_ratio_locked_until,
        s.warning_margin_locked_until,
    )


NEW = ("liquidation_ratio", "target_ratio", "warning_margin")


def update_refusal(pre: State, a: UpdateParams) -> Expected:
    """ACT-UPDATE-PARAMS's ordered guard (``spec/steward.md``)."""
    if _out_of_range(a, NEW):
        return Code.AMOUNT_OUT_OF_RANGE
    bounds = pre.config.steward
    if bounds is None or a.steward != bounds.steward:
        return Code.NOT_STEWARD
    old = _set_values(pre)
    for name, before, lock in zip(NEW, old, _locks(pre), strict=False):
        new = getattr(a, name)
        if new == before:
            continue
        moved = new - before if new >= before else before - new
        if moved > bounds.max_change:
            return Code.UPDATE_TOO_LARGE
        if pre.time < lock:
            return Code.UPDATE_TOO_SOON
    if a.liquidation_ratio <= gen3_backstop_ratio(_p(pre)):
        return Code.INVALID_PARAMS
    if a.target_ratio <= a.liquidation_ratio:
        return Code.INVALID_PARAMS
    lhs = a.liquidation_ratio * (RAY - pre.config.oracle.max_step) * _p(pre).floor_ratio
    if lhs < (RAY + RAY // 10**9) * RAY * RAY:
        return Code.UNSAFE_PARAMS
    return None


def update_accepts(pre: State, a: UpdateParams) -> object:
    bounds = pre.config.steward
    if bounds is None or a.steward != bounds.steward:
        return False
    old = _set_values(pre)
    ok: object = True
    for name, before, lock in zip(NEW, old, _locks(pre), strict=False):
        new = getattr(a, name)
        moved = new - before if new >= before else before - new
        ok = ok and (new == before or (moved <= bounds.max_change and pre.time >= lock))
    lhs = a.liquidation_ratio * (RAY - pre.config.oracle.max_step) * _p(pre).floor_ratio
    return (
        ok
        and a.liquidation_ratio > gen3_backstop_ratio(_p(pre))
        and a.target_ratio > a.liquidation_ratio
        and lhs >= (RAY + RAY // 10**9) * RAY * RAY
    )


@attrs.frozen
class GuardSpec:
    requirement_ids: tuple[str, ...]
    accepts: Callable[[State, Any], object]
    refusal: Callable[[State, Any], Expected]


SET = GuardSpec(("ACT-SET-PRE-LIQUIDATION", "PRELIQ-TERMS"), set_accepts, set_refusal)
PRE = GuardSpec(
    ("ACT-PRE-LIQUIDATE", "PRELIQ-CONSENT", "GEN3-BREAKERS"),
    pre_liquidate_accepts,
    pre_liquidate_refusal,
)
UPDATE = GuardSpec(("ACT-UPDATE-PARAMS", "STEWARD-BOUNDED"), update_accepts, update_refusal)
SPECS: dict[str, GuardSpec] = {
    "SetPreLiquidation": SET,
    "PreLiquidate": PRE,
    "UpdateParams": UPDATE,
}
"""By action kind, for the stateful machines' succeeds-iff check too."""


def spec_refusal(spec: GuardSpec, pre: State, action: object) -> Expected:
    try:
        return spec.refusal(pre, action)
    except EngineFault as fault:
        return fault.refusal.code


def spec_accepts(spec: GuardSpec, pre: State, action: object) -> bool:
    try:
        return bool(spec.accepts(pre, action))
    except EngineFault:
        return False

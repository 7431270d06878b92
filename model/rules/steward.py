"""The risk steward: bounded automatic updates of gen 3's risk parameters.

A steward role (an account named in the configuration's ``StewardBounds``) may change
``liquidation_ratio`` (``L``), ``target_ratio`` (``T``) and ``warning_margin`` without
governance, as Aave's Risk Stewards may: each by at most ``max_change`` per update, each
at most once per ``min_delay``. Whatever it proposes, the engine refuses a result that
breaks a cross-parameter constraint (PARAM-CROSS) or the zero-loss safety inequality
(ASM-SAFETY-INEQUALITY (a)), so that the steward, and whatever model drives it, is
untrusted: the guards are what is proven (``spec/steward.md``).

A higher ``L`` phases in: at the instant of the update the ratio in force is what it was,
and it rises linearly to the new value over ``phase_in`` seconds (STEWARD-PHASE-IN), so
no position that was healthy becomes liquidatable by the update alone. A lower ``L``, a
new ``T`` and a new margin take effect at once: none of them makes a position
liquidatable.
"""

from __future__ import annotations

from typing import cast

import attrs

from model.actions import UpdateParams
from model.errors import Refusal, RefusalCode, refuse
from model.events import ParamsUpdated
from model.numbers.fixed_point import RAY, Ray, add, distance, mul_div_down
from model.params.derived import gen3_backstop_ratio
from model.params.records import Gen3ZeroLossParams, StewardBounds
from model.rules.rule import Rule, Transition
from model.state import State, Steward

ETA = 10**18
"""The margin ``η = 1e-9`` of ASM-SAFETY-INEQUALITY (a), in RAY (``RAY / 10**9``)."""

PARAMETERS = ("liquidation_ratio", "target_ratio", "warning_margin")
"""What the steward may set, in the order its guard checks them."""


def configured(state: State) -> Gen3ZeroLossParams:
    return cast(Gen3ZeroLossParams, state.config.policy)


def liquidation_ratio_now(state: State) -> Ray:
    """STEWARD-PHASE-IN: ``L`` in force now. During a phase-in,
    ``phase_from + (L - phase_from) * (time - phase_start) / (phase_end - phase_start)``,
    rounded down (the borrower's side: a lower ratio makes fewer positions liquidatable);
    the configured ``L`` while the steward never acted."""
    steward = state.steward
    if steward is None:
        return configured(state).liquidation_ratio
    if state.time >= steward.phase_end:
        return steward.liquidation_ratio
    return steward.phase_from + mul_div_down(
        steward.liquidation_ratio - steward.phase_from,
        state.time - steward.phase_start,
        steward.phase_end - steward.phase_start,
        "formula.phase_in",
    )


def in_force(state: State) -> Gen3ZeroLossParams:
    """Gen 3's parameters with the steward's ``L`` (as phased in now), ``T`` and margin."""
    steward = state.steward
    if steward is None:
        return configured(state)
    return attrs.evolve(
        configured(state),
        liquidation_ratio=liquidation_ratio_now(state),
        target_ratio=steward.target_ratio,
        warning_margin=steward.warning_margin,
    )


def safety_inequality_holds(state: State, liquidation_ratio: Ray) -> bool:
    """ASM-SAFETY-INEQUALITY (a) for ``liquidation_ratio``: ``L (1 - s) f >= 1 + η``,
    exactly, on the RAY integers."""
    p = configured(state)
    lhs = liquidation_ratio * (RAY - state.config.oracle.max_step) * p.floor_ratio
    return lhs >= (RAY + ETA) * RAY * RAY


def _current(state: State) -> tuple[Ray, Ray, Ray]:
    """The steward's parameters as set (``L`` once phased in), or the configuration's."""
    steward = state.steward
    if steward is None:
        p = configured(state)
        return p.liquidation_ratio, p.target_ratio, p.warning_margin
    return steward.liquidation_ratio, steward.target_ratio, steward.warning_margin


def _locked_until(state: State, name: str) -> int:
    steward = state.steward
    if steward is None:
        return 0
    if name == "liquidation_ratio":
        return steward.liquidation_ratio_locked_until
    if name == "target_ratio":
        return steward.target_ratio_locked_until
    return steward.warning_margin_locked_until


def _update_guard(state: State, action: UpdateParams) -> Refusal | None:
    """ACT-UPDATE-PARAMS, STEWARD-BOUNDED guard: only the steward; each changed parameter
    within ``max_change`` of its value and unlocked; the result valid (PARAM-CROSS) and
    safe (ASM-SAFETY-INEQUALITY (a))."""
    bounds = state.config.steward
    if bounds is None:
        return refuse(RefusalCode.NOT_STEWARD, "params.steward")
    if action.steward != bounds.steward:
        return refuse(RefusalCode.NOT_STEWARD, "action.steward")
    wanted = (action.liquidation_ratio, action.target_ratio, action.warning_margin)
    for name, new, old in zip(PARAMETERS, wanted, _current(state), strict=True):
        if new == old:
            continue
        if distance(new, old) > bounds.max_change:
            return refuse(RefusalCode.UPDATE_TOO_LARGE, f"action.{name}")
        if state.time < _locked_until(state, name):
            return refuse(RefusalCode.UPDATE_TOO_SOON, f"state.steward.{name}_locked_until")
    if action.liquidation_ratio <= gen3_backstop_ratio(configured(state)):
        return refuse(RefusalCode.INVALID_PARAMS, "action.liquidation_ratio")
    if action.target_ratio <= action.liquidation_ratio:
        return refuse(RefusalCode.INVALID_PARAMS, "action.target_ratio")
    if not safety_inequality_holds(state, action.liquidation_ratio):
        return refuse(RefusalCode.UNSAFE_PARAMS, "action.liquidation_ratio")
    return None


def _lock(state: State, bounds: StewardBounds, name: str, changed: bool) -> int:
    if not changed:
        return _locked_until(state, name)
    return add(state.time, bounds.min_delay, "formula.locked_until")


def _update_effect(state: State, action: UpdateParams) -> Transition:
    """ACT-UPDATE-PARAMS, STEWARD-PHASE-IN effect: the new values in force, a higher ``L``
    phased in from the ratio in force now over ``phase_in``; changed parameters locked for
    ``min_delay``."""
    bounds = cast(StewardBounds, state.config.steward)
    old = _current(state)
    now = liquidation_ratio_now(state)
    new_l = action.liquidation_ratio
    steward = state.steward
    if new_l == old[0] and steward is not None:
        phase = (steward.phase_from, steward.phase_start, steward.phase_end)
    elif new_l > now:
        phase = (now, state.time, add(state.time, bounds.phase_in, "formula.phase_end"))
    else:
        phase = (new_l, state.time, state.time)
    changed = (new_l != old[0], action.target_ratio != old[1], action.warning_margin != old[2])
    record = Steward(
        liquidation_ratio=new_l,
        target_ratio=action.target_ratio,
        warning_margin=action.warning_margin,
        phase_from=phase[0],
        phase_start=phase[1],
        phase_end=phase[2],
        liquidation_ratio_locked_until=_lock(state, bounds, PARAMETERS[0], changed[0]),
        target_ratio_locked_until=_lock(state, bounds, PARAMETERS[1], changed[1]),
        warning_margin_locked_until=_lock(state, bounds, PARAMETERS[2], changed[2]),
    )
    event = ParamsUpdated(
        steward=action.steward,
        liquidation_ratio=new_l,
        target_ratio=action.target_ratio,
        warning_margin=action.warning_margin,
        phase_end=phase[2],
    )
    return attrs.evolve(state, steward=record), (event,)


UPDATE_PARAMS = Rule(guard=_update_guard, effect=_update_effect)

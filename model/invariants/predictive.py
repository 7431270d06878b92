"""Invariants and step properties of pre-liquidation and the risk steward.

The single definition of each requirement of ``spec/preliquidation.md`` and
``spec/steward.md``. As in the rest of ``model/invariants``, thresholds are written out
here (the liquidation ratio in force, restated from the spec) rather than taken from
the rules' own helpers, so that a fault in a helper is a violation, not a tautology.
"""

from __future__ import annotations

from model.actions import PreLiquidate, UpdateParams
from model.events import PreLiquidated
from model.numbers.fixed_point import RAY, mul_div_down
from model.outcome import Accepted, Outcome
from model.params.derived import gen3_backstop_ratio
from model.params.records import Gen3ZeroLossParams
from model.rules.steward import ETA
from model.state import State


def liquidation_ratio_in_force(state: State) -> int:
    """``L`` in force (``spec/steward.md``, STEWARD-PHASE-IN), restated: the configured
    one before the steward's first update; during a phase-in ``phase_from + (L -
    phase_from) * (time - phase_start) / (phase_end - phase_start)`` rounded down; else the
    steward's ``L``. (A phase that is empty gives the steward's ``L``, so that the
    predicate judges every state without a fault: PREDICATES-TOTAL.)"""
    steward = state.steward
    policy = state.config.policy
    if steward is None:
        return policy.liquidation_ratio if isinstance(policy, Gen3ZeroLossParams) else 0
    if state.time >= steward.phase_end or steward.phase_end <= steward.phase_start:
        return steward.liquidation_ratio
    rise = steward.liquidation_ratio - steward.phase_from
    elapsed = state.time - steward.phase_start
    return steward.phase_from + mul_div_down(rise, elapsed, steward.phase_end - steward.phase_start)


# --- state invariants -------------------------------------------------------------------


def pre_liquidation_terms(state: State) -> bool:
    """PRELIQ-TERMS: every consent belongs to a position and its terms are well formed:
    ``ratio > 0``, ``close_factor_start <= close_factor_end <= RAY`` and
    ``RAY <= incentive_start <= incentive_end``; only gen 3 has any."""
    if not isinstance(state.config.policy, Gen3ZeroLossParams):
        return len(state.pre_liquidation) == 0
    return all(
        position in state.positions
        and terms.ratio > 0
        and terms.close_factor_start <= terms.close_factor_end <= RAY
        and RAY <= terms.incentive_start <= terms.incentive_end
        for position, terms in state.pre_liquidation.items()
    )


def steward_safe(state: State) -> bool:
    """STEWARD-SAFE: the steward's parameters are valid and safe at every instant of their
    phase-in: both ends of it above the backstop ratio (PARAM-CROSS), ``T`` above ``L``,
    ASM-SAFETY-INEQUALITY (a) at the lower end (``phase_from <= L``), a phase that started
    no later than now and lasts at most ``phase_in``; only a configured gen 3 steward has
    a record."""
    steward = state.steward
    if steward is None:
        return True
    policy = state.config.policy
    bounds = state.config.steward
    if not isinstance(policy, Gen3ZeroLossParams) or bounds is None:
        return False
    low = steward.phase_from
    safe = low * (RAY - state.config.oracle.max_step) * policy.floor_ratio
    return (
        gen3_backstop_ratio(policy) < low <= steward.liquidation_ratio < steward.target_ratio
        and safe >= (RAY + ETA) * RAY * RAY
        and steward.phase_start <= steward.phase_end
        and steward.phase_start <= state.time
        and steward.phase_end - steward.phase_start <= bounds.phase_in
    )


# --- step properties --------------------------------------------------------------------


def _pre_liquidated(outcome: Outcome) -> list[PreLiquidated]:
    if not isinstance(outcome, Accepted):
        return []
    return [e for e in outcome.events if isinstance(e, PreLiquidated)]


def pre_liquidation_consent(pre: State, action: object, outcome: Outcome) -> bool:
    """PRELIQ-CONSENT: only a position whose owner consented is pre-liquidated, and only
    inside its band: ``L * D <= C * ref < ratio * D``, ``L`` the ratio in force."""
    done = _pre_liquidated(outcome)
    if not done:
        return True
    if not isinstance(action, PreLiquidate):
        return False
    terms = pre.pre_liquidation.get(action.position)
    position = pre.positions.get(action.position)
    if terms is None or position is None:
        return False
    value = position.collateral * pre.oracle.reference
    ratio = liquidation_ratio_in_force(pre)
    return position.debt * ratio <= value < position.debt * terms.ratio


def pre_liquidation_ratio(pre: State, action: object, outcome: Outcome) -> bool:
    """PRELIQ-RATIO-NEVER-WORSE: a pre-liquidation never lowers the position's collateral
    ratio, at any price: ``C' * D >= C * D'``."""
    if not _pre_liquidated(outcome) or not isinstance(action, PreLiquidate):
        return True
    before = pre.positions[action.position]
    after = outcome.state.positions[action.position]
    return after.collateral * before.debt >= before.collateral * after.debt


def pre_liquidation_keeper_gain(pre: State, action: object, outcome: Outcome) -> bool:
    """PRELIQ-KEEPER-GAIN: the keeper receives at most the repaid amount times the
    incentive factor at the reference (``seized * ref <= repaid * incentive``), with the
    incentive within the terms (``incentive_start <= incentive <= incentive_end``)."""
    for event in _pre_liquidated(outcome):
        terms = pre.pre_liquidation.get(event.position)
        if terms is None:
            return False
        if event.seized * pre.oracle.reference > event.repaid * event.incentive:
            return False
        if not terms.incentive_start <= event.incentive <= terms.incentive_end:
            return False
    return True


def pre_liquidation_close_factor(pre: State, action: object, outcome: Outcome) -> bool:
    """PRELIQ-CLOSE-FACTOR: neither debt nor collateral leaves beyond the close factor at
    the position's ratio: ``repaid * RAY <= D * close_factor``, ``seized * RAY <= C *
    close_factor``, with ``close_factor_start <= close_factor <= close_factor_end``."""
    for event in _pre_liquidated(outcome):
        terms = pre.pre_liquidation.get(event.position)
        position = pre.positions.get(event.position)
        if terms is None or position is None:
            return False
        share = event.close_factor
        if not terms.close_factor_start <= share <= terms.close_factor_end:
            return False
        if event.repaid * RAY > position.debt * share:
            return False
        if event.seized * RAY > position.collateral * share:
            return False
    return True


def _set_and_locks(state: State) -> tuple[tuple[int, int], ...]:
    """``(value as set, locked until)`` of each steward parameter, in guard order."""
    steward = state.steward
    policy = state.config.policy
    if steward is None:
        if not isinstance(policy, Gen3ZeroLossParams):
            return ()
        return (
            (policy.liquidation_ratio, 0),
            (policy.target_ratio, 0),
            (policy.warning_margin, 0),
        )
    return (
        (steward.liquidation_ratio, steward.liquidation_ratio_locked_until),
        (steward.target_ratio, steward.target_ratio_locked_until),
        (steward.warning_margin, steward.warning_margin_locked_until),
    )


def steward_bounded(pre: State, action: object, outcome: Outcome) -> bool:
    """STEWARD-BOUNDED: only the steward's ``UpdateParams`` changes the steward's record,
    and it moves each parameter by at most ``max_change``, only once its lock expired;
    a parameter it changed is locked for ``min_delay``."""
    if not isinstance(outcome, Accepted):
        return True
    post = outcome.state
    if not isinstance(action, UpdateParams):
        return post.steward is pre.steward
    bounds = pre.config.steward
    if bounds is None or action.steward != bounds.steward or post.steward is None:
        return False
    after = _set_and_locks(post)
    for (old, locked), (new, lock) in zip(_set_and_locks(pre), after, strict=True):
        if new == old:
            continue
        moved = new - old if new >= old else old - new
        if moved > bounds.max_change or pre.time < locked:
            return False
        if lock != pre.time + bounds.min_delay:
            return False
    return True


def steward_phase_in(pre: State, action: object, outcome: Outcome) -> bool:
    """STEWARD-PHASE-IN: an update makes no position liquidatable by itself (``L`` in force
    right after is at most what it was), and ``L`` in force rises with time no faster than
    its phase-in: over ``seconds``, at most ``(L - phase_from) * seconds / (phase_end -
    phase_start)``, rounded up, with ``phase_end - phase_start <= phase_in``."""
    if not isinstance(outcome, Accepted):
        return True
    post = outcome.state
    before = liquidation_ratio_in_force(pre)
    after = liquidation_ratio_in_force(post)
    if isinstance(action, UpdateParams) or after <= before:
        return after <= before
    steward = post.steward
    if steward is None or steward is not pre.steward:
        return False
    span = steward.phase_end - steward.phase_start
    rise = steward.liquidation_ratio - steward.phase_from
    elapsed = post.time - pre.time
    return span > 0 and (after - before) * span <= rise * elapsed + span

"""The outside world: oracle reports, the passage of time, and market depth reports."""

from __future__ import annotations

import attrs

from model.actions import AdvanceTime, ReportDepth, ReportOracle
from model.errors import Refusal, RefusalCode, refuse
from model.events import DepthReported, OracleUpdated, TimeAdvanced
from model.numbers.fixed_point import add
from model.oracle import next_reference, next_volatility, step_allowance
from model.rules.rule import Rule, Transition
from model.state import Oracle, State


def _report_guard(state: State, action: ReportOracle) -> Refusal | None:
    """ACT-REPORT-ORACLE guard: a positive spot."""
    if action.spot == 0:
        return refuse(RefusalCode.INVALID_PRICE, "action.spot")
    return None


def _report_effect(state: State, action: ReportOracle) -> Transition:
    """ACT-REPORT-ORACLE effect: the reference within its allowance for the elapsed time
    (ORACLE-REFERENCE), the volatility update (ORACLE-VOLATILITY), spot and last_update."""
    params = state.config.oracle
    before = state.oracle
    allowance = step_allowance(
        before.reference, params.max_step, state.time - before.last_update, params.step_period
    )
    oracle = Oracle(
        spot=action.spot,
        reference=next_reference(before.reference, action.spot, allowance),
        volatility=next_volatility(
            before.volatility, before.spot, action.spot, params.volatility_alpha
        ),
        last_update=state.time,
    )
    event = OracleUpdated(
        spot=oracle.spot, reference=oracle.reference, volatility=oracle.volatility
    )
    return attrs.evolve(state, oracle=oracle), (event,)


def _advance_guard(state: State, action: AdvanceTime) -> Refusal | None:
    """ACT-ADVANCE-TIME guard: a positive number of seconds."""
    if action.seconds == 0:
        return refuse(RefusalCode.ZERO_AMOUNT, "action.seconds")
    return None


def _advance_effect(state: State, action: AdvanceTime) -> Transition:
    """ACT-ADVANCE-TIME effect: the clock moves on (a sum beyond uint256 is OVERFLOW)."""
    time = add(state.time, action.seconds, "state.time")
    return attrs.evolve(state, time=time), (TimeAdvanced(time=time),)


def _depth_guard(state: State, action: ReportDepth) -> Refusal | None:
    """ACT-REPORT-DEPTH guard: none (the market's depth as reported)."""
    return None


def _depth_effect(state: State, action: ReportDepth) -> Transition:
    """ACT-REPORT-DEPTH effect: the market's depth is the reported one."""
    market = attrs.evolve(state.market, depth=action.depth)
    return attrs.evolve(state, market=market), (DepthReported(depth=action.depth),)


REPORT_ORACLE = Rule(guard=_report_guard, effect=_report_effect)
ADVANCE_TIME = Rule(guard=_advance_guard, effect=_advance_effect)
REPORT_DEPTH = Rule(guard=_depth_guard, effect=_depth_effect)

"""The engine's one entry point: ``step(state, action) -> outcome``.

``step`` checks that the action's amounts are uint256, finds the guarded command for
the action's kind (the common rules, or the policy's liquidation rules), runs its
guard and, only if the guard passes, its effect. A refused action returns the very
state it was given. No exception escapes: arithmetic faults raised inside an effect
become refusals here, and only here.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from model.actions import (
    ACTION_KINDS,
    UINT_FIELDS,
    Action,
    AdvanceTime,
    Borrow,
    DepositCollateral,
    FundInsurance,
    FundPol,
    OpenPosition,
    Repay,
    ReportDepth,
    ReportOracle,
    SupplyLiquidity,
    WithdrawCollateral,
    WithdrawLiquidity,
)
from model.errors import EngineFault, Refusal, RefusalCode, refuse
from model.numbers.fixed_point import UINT256_MAX
from model.outcome import Accepted, Outcome, Refused
from model.policies import policy_of
from model.rules import lending, market, positions
from model.rules.rule import AnyRule
from model.state import State

COMMON_RULES: Mapping[type[Any], AnyRule] = {
    SupplyLiquidity: lending.SUPPLY,
    WithdrawLiquidity: lending.WITHDRAW,
    FundInsurance: lending.FUND_INSURANCE,
    FundPol: lending.FUND_POL,
    OpenPosition: positions.OPEN,
    DepositCollateral: positions.DEPOSIT,
    WithdrawCollateral: positions.WITHDRAW_COLLATERAL,
    Borrow: positions.BORROW,
    Repay: positions.REPAY,
    ReportOracle: market.REPORT_ORACLE,
    AdvanceTime: market.ADVANCE_TIME,
    ReportDepth: market.REPORT_DEPTH,
}


def rule_for(state: State, kind: type[Any]) -> AnyRule | None:
    """The guarded command for ``kind`` under ``state``'s policy, if it supports it."""
    rule = COMMON_RULES.get(kind)
    if rule is None:
        rule = policy_of(state.config).rules.get(kind)
    return rule


_NOT_INTEGERS = (float, complex, str, bytes, bytearray, type(None))


def range_refusal(action: Action) -> Refusal | None:
    """AMOUNT_OUT_OF_RANGE, naming the first amount field that is not an integer in
    [0, 2**256). (Non-integers are named by type, not tested with ``isinstance(x, int)``,
    so that symbolic integers pass.)"""
    for name in UINT_FIELDS[type(action)]:
        value = getattr(action, name)
        if isinstance(value, _NOT_INTEGERS) or value < 0 or value > UINT256_MAX:
            return refuse(RefusalCode.AMOUNT_OUT_OF_RANGE, name)
    return None


def step(state: State, action: object) -> Outcome:
    """Apply ``action`` to ``state``: the new state and its events, or why not."""
    if not isinstance(action, ACTION_KINDS):
        return Refused(state, refuse(RefusalCode.UNSUPPORTED_ACTION, type(action).__name__))
    refusal = range_refusal(action)
    if refusal is not None:
        return Refused(state, refusal)
    rule = rule_for(state, type(action))
    if rule is None:
        return Refused(state, refuse(RefusalCode.UNSUPPORTED_ACTION, type(action).__name__))
    try:
        refusal = rule.guard(state, action)
        if refusal is not None:
            return Refused(state, refusal)
        new_state, events = rule.effect(state, action)
    except EngineFault as fault:
        return Refused(state, fault.refusal)
    return Accepted(new_state, events)

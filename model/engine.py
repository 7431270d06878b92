"""The engine's one entry point: ``step(state, action) -> outcome``.

Requirements: ENGINE-STEP, ENGINE-PURITY.

``step`` checks that the action's fields have their types (amounts uint256, accounts
``str``, ids ``int``), finds the guarded command for
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
    FIELD_KINDS,
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
from model.numbers.fixed_point import UINT256_MAX, is_integer
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


def range_refusal(action: Action) -> Refusal | None:
    """The first field, in order, that does not hold what it must (ENGINE-STEP step 1):
    an amount that is not an integer in [0, 2**256) is AMOUNT_OUT_OF_RANGE (``bool``,
    ``float``, ``Decimal``, ``Fraction`` are not integers); an account that is not a
    ``str`` or an id that is not an ``int`` is INVALID_FIELD. The detail names the field."""
    for name, kind in FIELD_KINDS[type(action)]:
        value = getattr(action, name)
        if kind == "uint":
            if not is_integer(value) or value < 0 or value > UINT256_MAX:
                return refuse(RefusalCode.AMOUNT_OUT_OF_RANGE, f"action.{name}")
        elif type(value) is not (str if kind == "account" else int):
            return refuse(RefusalCode.INVALID_FIELD, f"action.{name}")
    return None


def step(state: State, action: object) -> Outcome:
    """Apply ``action`` to ``state``: the new state and its events, or why not.

    Requirement: ENGINE-STEP."""
    if not isinstance(action, ACTION_KINDS):
        return Refused(state, refuse(RefusalCode.UNSUPPORTED_ACTION, "action.kind"))
    refusal = range_refusal(action)
    if refusal is not None:
        return Refused(state, refusal)
    rule = rule_for(state, type(action))
    if rule is None:
        return Refused(state, refuse(RefusalCode.UNSUPPORTED_ACTION, "params.policy"))
    try:
        refusal = rule.guard(state, action)
        if refusal is not None:
            return Refused(state, refusal)
        new_state, events = rule.effect(state, action)
    except EngineFault as fault:
        return Refused(state, fault.refusal)
    return Accepted(new_state, events)

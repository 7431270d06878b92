"""Succeeds-iff obligations: the spec's guard, restated, against the code's, path by path.

In the style of the ``iff`` blocks of MakerDAO's k-dss: for every action kind under every
policy that supports it, the exact condition under which ``step`` accepts it, written
here from the guard text of ``spec/actions.md`` and ``spec/policies/`` (never by calling
the model's guard functions), and claimed on every path of the shared step task:

- ``<ID>/<policy>/<Kind>/iff``: ``accepted(step(pre, action)) == accepts(pre, action)``;
- ``<ID>/<policy>/<Kind>/refusal``: when refused, the refusal code is the code of the
  *first* failing check of the spec's ordered guard list (ENGINE-STEP), and when accepted,
  no check fails.

Why these catch what the safety invariants miss: an invariant is preserved *vacuously*
by a step that is refused. A guard that is too strict (a typo turning ``<`` into ``<=``,
a check in the wrong place, an overflow in a bound that the spec does not have, a
policy hook wired to the wrong parameter) refuses actions the spec allows, and every
inductive invariant still proves: nothing bad ever happens because nothing happens. Only
a claim that the action *succeeds* exactly when the spec says it should pins the guard
from both sides: liveness of each action as well as its safety. The refusal-code claims
add the ordering of the checks, which is what traces, vectors and other implementations
compare.

Both predicates run on concrete and symbolic states alike (comparisons, ``+ - *`` and
the fixed-point helpers of ``model.numbers`` where the spec names one). Arithmetic faults
(ENGINE-STEP 4): a helper that faults while a spec quantity is computed refuses the
action with that fault, so the predicates read a fault as the refusal it is; this is
how a zero gen 2 ``top`` (``status`` divides by it) and a zero gen 3 ``floor``
(``EndAuction`` divides by it) come out as ``DIVISION_BY_ZERO``: the state invariants
admit such auctions although no kick or reset creates one. A fault in an *effect* is
stated only where the solver showed it reachable under the invariants and ASM-RANGES
(SupplyLiquidity's share count); everywhere else the claims say there is none. Gen 2
prices come from ``gen2_dutch.status`` over the task's ``CurveSummary``, as in the other
step obligations.
"""

from __future__ import annotations

from collections.abc import Callable

import attrs

from model.errors import EngineFault
from model.outcome import Accepted
from model.state import State
from proofs.obligation import Obligation
from proofs.obligations import steps
from proofs.obligations.iff.gen3 import (
    _end_auction_accepts,
    _end_auction_refusal,
    _gen3_kick_accepts,
    _gen3_kick_refusal,
    _gen3_redo_accepts,
    _gen3_redo_refusal,
    _gen3_take_accepts,
    _gen3_take_refusal,
    _pol_sell_accepts,
    _pol_sell_refusal,
    _settle_accepts,
    _settle_refusal,
)
from proofs.obligations.iff.lending import (
    _advance_time_accepts,
    _advance_time_refusal,
    _borrow_accepts,
    _borrow_refusal,
    _deposit_accepts,
    _deposit_refusal,
    _fund_accepts,
    _fund_refusal,
    _no_guard_accepts,
    _no_guard_refusal,
    _repay_accepts,
    _repay_refusal,
    _report_oracle_accepts,
    _report_oracle_refusal,
    _supply_accepts,
    _supply_refusal,
    _withdraw_collateral_accepts,
    _withdraw_collateral_refusal,
    _withdraw_liquidity_accepts,
    _withdraw_liquidity_refusal,
)
from proofs.obligations.iff.liquidation import (
    _gen2_kick_accepts,
    _gen2_kick_refusal,
    _gen2_redo_accepts,
    _gen2_redo_refusal,
    _gen2_take_accepts,
    _gen2_take_refusal,
    _liquidate_accepts,
    _liquidate_refusal,
)
from proofs.obligations.iff.quantities import Accepts, Code, Expected, Refusal, _out_of_range
from proofs.obligations.steps import StepSubject

# --- the table ------------------------------------------------------------------------------


@attrs.frozen
class ActionSpec:
    """One action's guard as the spec states it, in two forms."""

    requirement_ids: tuple[str, ...]
    """The action's ID first; then the policy requirements its guard encodes."""
    accepts: Accepts
    """When the action succeeds (the ``iff`` condition)."""
    refusal: Refusal
    """The ordered guard list: the code of the first failing check, or ``None``."""


_GEN3_LEVERAGE = ("GEN3-ZONES", "GEN3-VOLATILITY-BUFFER", "GEN3-BREAKERS")


def _common(policy: str) -> dict[str, ActionSpec]:
    gen3 = policy == "gen3"
    leverage = _GEN3_LEVERAGE if gen3 else ()
    return {
        "SupplyLiquidity": ActionSpec(("ACT-SUPPLY-LIQUIDITY",), _supply_accepts, _supply_refusal),
        "WithdrawLiquidity": ActionSpec(
            ("ACT-WITHDRAW-LIQUIDITY", *(("LP-WITHDRAWAL-FREEZE",) if gen3 else ())),
            _withdraw_liquidity_accepts,
            _withdraw_liquidity_refusal,
        ),
        "FundInsurance": ActionSpec(("ACT-FUND-INSURANCE",), _fund_accepts, _fund_refusal),
        "FundPol": ActionSpec(("ACT-FUND-POL",), _fund_accepts, _fund_refusal),
        "OpenPosition": ActionSpec(("ACT-OPEN-POSITION",), _no_guard_accepts, _no_guard_refusal),
        "DepositCollateral": ActionSpec(
            ("ACT-DEPOSIT-COLLATERAL",), _deposit_accepts, _deposit_refusal
        ),
        "WithdrawCollateral": ActionSpec(
            ("ACT-WITHDRAW-COLLATERAL", *leverage),
            _withdraw_collateral_accepts,
            _withdraw_collateral_refusal,
        ),
        "Borrow": ActionSpec(("ACT-BORROW", *leverage), _borrow_accepts, _borrow_refusal),
        "Repay": ActionSpec(("ACT-REPAY",), _repay_accepts, _repay_refusal),
        "ReportOracle": ActionSpec(
            ("ACT-REPORT-ORACLE",), _report_oracle_accepts, _report_oracle_refusal
        ),
        "AdvanceTime": ActionSpec(
            ("ACT-ADVANCE-TIME",), _advance_time_accepts, _advance_time_refusal
        ),
        "ReportDepth": ActionSpec(("ACT-REPORT-DEPTH",), _no_guard_accepts, _no_guard_refusal),
    }


SETTLE = ActionSpec(("ACT-SETTLE",), _settle_accepts, _settle_refusal)

SPECS: dict[str, dict[str, ActionSpec]] = {
    "gen1": {
        **_common("gen1"),
        "Liquidate": ActionSpec(
            ("ACT-LIQUIDATE", "GEN1-LIQUIDATION"), _liquidate_accepts, _liquidate_refusal
        ),
    },
    "gen2": {
        **_common("gen2"),
        "Kick": ActionSpec(("ACT-KICK", "GEN2-BARK"), _gen2_kick_accepts, _gen2_kick_refusal),
        "Take": ActionSpec(("ACT-TAKE", "GEN2-STATUS"), _gen2_take_accepts, _gen2_take_refusal),
        "Redo": ActionSpec(("ACT-REDO", "GEN2-STATUS"), _gen2_redo_accepts, _gen2_redo_refusal),
        "Settle": SETTLE,
    },
    "gen3": {
        **_common("gen3"),
        "Kick": ActionSpec(
            ("ACT-KICK", "GEN3-BREAKERS", "GEN3-ZONES", "GEN3-SLICE"),
            _gen3_kick_accepts,
            _gen3_kick_refusal,
        ),
        "Take": ActionSpec(("ACT-TAKE",), _gen3_take_accepts, _gen3_take_refusal),
        "Redo": ActionSpec(("ACT-REDO", "GEN3-BREAKERS"), _gen3_redo_accepts, _gen3_redo_refusal),
        "EndAuction": ActionSpec(
            ("ACT-END-AUCTION", "GEN3-POL-BACKSTOP", "GEN3-POL-FAIR-PRICE"),
            _end_auction_accepts,
            _end_auction_refusal,
        ),
        "Settle": SETTLE,
        "PolSell": ActionSpec(("ACT-POL-SELL",), _pol_sell_accepts, _pol_sell_refusal),
    },
}
"""Every (policy, kind) of ``steps.TASKS``."""


# --- claims -------------------------------------------------------------------------------


def spec_accepts(accepts: Accepts, pre: State, action: object) -> bool:
    """``accepts``, with a fault in a spec quantity read as the refusal it is."""
    try:
        return bool(accepts(pre, action))
    except EngineFault:
        return False


def spec_refusal(refusal: Refusal, pre: State, action: object) -> Expected:
    """The code of the first failing check of ENGINE-STEP: an amount out of range, then
    the guard's own list; a fault in a spec quantity refuses with the fault's code."""
    if _out_of_range(action):
        return Code.AMOUNT_OUT_OF_RANGE
    try:
        return refusal(pre, action)
    except EngineFault as fault:
        return fault.refusal.code


def _iff_claim(spec: ActionSpec) -> Callable[[StepSubject], object]:
    def claim(subject: StepSubject) -> bool:
        accepted = isinstance(subject.outcome, Accepted)
        return accepted == spec_accepts(spec.accepts, subject.pre, subject.action)

    return claim


def _refusal_claim(spec: ActionSpec) -> Callable[[StepSubject], object]:
    def claim(subject: StepSubject) -> bool:
        outcome = subject.outcome
        got = None if isinstance(outcome, Accepted) else outcome.refusal.code
        return got == spec_refusal(spec.refusal, subject.pre, subject.action)

    return claim


def obligations() -> list[Obligation]:
    """For every (policy, kind) of ``steps.TASKS``: its ``iff`` and its ``refusal``."""
    found: list[Obligation] = []
    for (policy, kind), task in steps.TASKS.items():
        spec = SPECS[policy][kind]
        primary = spec.requirement_ids[0]
        found.append(
            Obligation(
                name=f"{primary}/{policy}/{kind}/iff",
                requirement_ids=spec.requirement_ids,
                policy=policy,
                task=task,
                claim=_iff_claim(spec),
                assume=steps.invariants_hold,
                summary=f"{kind} is accepted exactly when the spec's guard passes",
            )
        )
        found.append(
            Obligation(
                name=f"{primary}/{policy}/{kind}/refusal",
                requirement_ids=(*spec.requirement_ids, "ENGINE-STEP"),
                policy=policy,
                task=task,
                claim=_refusal_claim(spec),
                assume=steps.invariants_hold,
                summary=f"a refused {kind} names the first failing check of the spec's guard",
            )
        )
    return found

"""One task per (policy, action): the real ``step`` on a symbolic state and action.

Every number of the pre-state and the action is free (within ASM-RANGES); ids and
names are fixed (position 0, auction 0, LP ``lp``), which the other entries of the
state (position 1, auction 1, LP ``lp2``) stand beside so that sums over the maps are
exercised. Each task serves:

- the **inductive invariants**: all state invariants before, and the step accepted,
  imply each state invariant after;
- the **step properties** of ``spec/invariants.md`` on every path, under the invariants;
- the **succeeds-iff** obligations of ``proofs.obligations.iff``.

Gen 2's abaci curves loop over the bits of the elapsed time, which no path explorer
can enumerate for every ``dur``; gen 2 tasks therefore price auctions with
:class:`CurveSummary`, any price in ``[0, top]`` (what the curve lemmas of
``proofs.obligations.curves`` prove every abaci curve gives), chosen freely.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import attrs

from model import Accepted, step
from model.actions import (
    AdvanceTime,
    Borrow,
    DepositCollateral,
    EndAuction,
    FundInsurance,
    FundPol,
    Kick,
    Liquidate,
    OpenPosition,
    PolSell,
    Redo,
    Repay,
    ReportDepth,
    ReportOracle,
    Settle,
    SupplyLiquidity,
    Take,
    WithdrawCollateral,
    WithdrawLiquidity,
)
from model.engine import COMMON_RULES
from model.invariants.state_invariants import STATE_INVARIANTS
from model.invariants.step_properties import STEP_PROPERTIES
from model.outcome import Outcome
from model.params.presets import PRESETS
from model.params.records import Config, Gen2DutchParams
from model.policies import BY_NAME
from model.state import State
from proofs.obligation import Obligation, Task
from proofs.symbolic import Explorer
from proofs.world import Ranges, Shape, Source, build_state

RANGES = Ranges()
POLICIES = ("gen1", "gen2", "gen3")
SHAPES = {"gen1": Shape(auctions=()), "gen2": Shape(), "gen3": Shape()}


@attrs.frozen
class StepSubject:
    pre: State
    action: object
    outcome: Outcome


@attrs.frozen
class CurveSummary:
    """A gen 2 curve abstracted to its proven range: any price in ``[0, top]``.

    The same ``(top, dur)`` always gets the same price within a run (it is a function),
    chosen by the solver; on a witness, the price the solver chose.
    """

    source: Source

    def price(self, top: Any, dur: Any) -> Any:
        price = self.source.integer("curve.price", 0, RANGES.price)
        if isinstance(self.source, Explorer):
            self.source.assume(price <= top)
        return price


def config_for(policy: str, source: Source) -> Config:
    config = PRESETS[policy]
    if isinstance(config.policy, Gen2DutchParams):
        summary = CurveSummary(source)  # any object with the curves' ``price(top, dur)``
        return attrs.evolve(config, policy=attrs.evolve(config.policy, curve=summary))  # type: ignore[arg-type]
    return config


def _amount(source: Source, name: str) -> Any:
    return source.integer(f"act.{name}", 0, RANGES.amount)


ACTIONS: dict[str, Callable[[Source], object]] = {
    "SupplyLiquidity": lambda s: SupplyLiquidity("lp", _amount(s, "amount")),
    "WithdrawLiquidity": lambda s: WithdrawLiquidity("lp", _amount(s, "amount")),
    "FundInsurance": lambda s: FundInsurance("treasury", _amount(s, "amount")),
    "FundPol": lambda s: FundPol("treasury", _amount(s, "amount")),
    "OpenPosition": lambda s: OpenPosition("cat"),
    "DepositCollateral": lambda s: DepositCollateral("anyone", 0, _amount(s, "amount")),
    "WithdrawCollateral": lambda s: WithdrawCollateral("ann", 0, _amount(s, "amount")),
    "Borrow": lambda s: Borrow("ann", 0, _amount(s, "amount")),
    "Repay": lambda s: Repay("anyone", 0, _amount(s, "amount")),
    "ReportOracle": lambda s: ReportOracle(s.integer("act.spot", 0, RANGES.price)),
    "AdvanceTime": lambda s: AdvanceTime(s.integer("act.seconds", 0, RANGES.time)),
    "ReportDepth": lambda s: ReportDepth(_amount(s, "depth")),
    "Liquidate": lambda s: Liquidate("liquidator", 0, _amount(s, "repay")),
    "Kick": lambda s: Kick("keeper", 0),
    "Take": lambda s: Take(
        "bidder", 0, _amount(s, "amount"), s.integer("act.max_price", 0, RANGES.price)
    ),
    "Redo": lambda s: Redo("keeper", 0),
    "EndAuction": lambda s: EndAuction(0),
    "Settle": lambda s: Settle(0),
    "PolSell": lambda s: PolSell("desk", _amount(s, "amount"), _amount(s, "proceeds")),
}

PREDICTIVE = frozenset({"SetPreLiquidation", "PreLiquidate", "UpdateParams"})
"""Kinds whose worlds need a consent or a steward record: ``predictive.py`` proves them."""
SUPPORTED: dict[str, tuple[str, ...]] = {
    policy: tuple(
        kind.__name__
        for kind in (*COMMON_RULES, *BY_NAME[policy].rules)
        if kind.__name__ not in PREDICTIVE
    )
    for policy in POLICIES
}
"""The kinds each policy's step obligations cover: the engine's own rule tables, but for
the predictive ones."""


def _build(policy: str, kind: str) -> Callable[[Source], StepSubject]:
    def build(source: Source) -> StepSubject:
        pre = build_state(source, config_for(policy, source), SHAPES[policy], RANGES)
        action = ACTIONS[kind](source)
        return StepSubject(pre, action, step(pre, action))

    return build


TASKS: dict[tuple[str, str], Task] = {
    (policy, kind): Task(key=f"step/{policy}/{kind}", build=_build(policy, kind))
    for policy in POLICIES
    for kind in SUPPORTED[policy]
}


def invariants_hold(subject: StepSubject) -> object:
    """Every state invariant of ``spec/invariants.md`` holds before the step."""
    return all(holds(subject.pre) for holds in STATE_INVARIANTS.values())


def accepted(subject: StepSubject) -> bool:
    return isinstance(subject.outcome, Accepted)


def _invariant_claim(invariant: Callable[[State], object]) -> Callable[[StepSubject], object]:
    return lambda subject: invariant(subject.outcome.state)


def _property_claim(
    prop: Callable[[State, object, Outcome], object],
) -> Callable[[StepSubject], object]:
    return lambda subject: prop(subject.pre, subject.action, subject.outcome)


def inductive_invariants() -> list[Obligation]:
    """``I(s) and accepted(s, a) implies I_k(step(s, a))`` for each invariant ``I_k``."""
    return [
        Obligation(
            name=f"{invariant_id}/{policy}/{kind}",
            requirement_ids=(invariant_id,),
            policy=policy,
            task=task,
            claim=_invariant_claim(STATE_INVARIANTS[invariant_id]),
            assume=invariants_hold,
            relevant=accepted,
            summary=f"{kind} keeps {invariant_id}",
        )
        for (policy, kind), task in TASKS.items()
        for invariant_id in STATE_INVARIANTS
    ]


STEP_PROPERTY_SCOPE: dict[str, dict[str, tuple[str, ...]]] = {
    "REFUSAL-NO-CHANGE": {policy: SUPPORTED[policy] for policy in POLICIES},
    "ORACLE-BOUNDED-STEP": {policy: ("ReportOracle",) for policy in POLICIES},
    "AUCTION-MONOTONE": {"gen3": ("AdvanceTime",)},
    "NO-HEALTHY-LIQUIDATION": {"gen1": ("Liquidate",), "gen2": ("Kick",), "gen3": ("Kick",)},
    "AUCTION-FLOOR": {"gen3": ("Take", "EndAuction")},
    "GEN3-POL-FAIR-PRICE": {"gen3": ("EndAuction",)},
    "UNCOVERED-NEVER-GROWS": {"gen3": ("Take", "EndAuction")},
    "ROUNDING-FAVOURS-PROTOCOL": {
        "gen1": ("Liquidate", "SupplyLiquidity", "WithdrawLiquidity"),
        "gen2": ("Take", "SupplyLiquidity", "WithdrawLiquidity"),
        "gen3": ("Take", "EndAuction", "SupplyLiquidity", "WithdrawLiquidity"),
    },
    "BOUNDED-EXTRACTION": {"gen3": ("Take", "Kick", "Redo")},
    "BORROWER-SURPLUS": {"gen2": ("Settle",), "gen3": ("Settle",)},
    "LOSS-WATERFALL": {"gen1": ("Liquidate",), "gen2": ("Settle",), "gen3": ("Settle",)},
    "RESET-GUARDED": {"gen2": ("Redo",), "gen3": ("Redo",)},
    "INCENTIVE-CAP": {"gen3": ("Kick", "Redo")},
    "LP-WITHDRAWAL-FREEZE": {"gen3": ("WithdrawLiquidity",)},
}
"""Which (policy, action) each step property speaks about; elsewhere it holds trivially.
Gen 2's AUCTION-MONOTONE is proved on the curves themselves (``curves.py``)."""


def step_properties() -> list[Obligation]:
    """Each step property on every path of the actions it speaks about."""
    return [
        Obligation(
            name=f"{prop_id}/{policy}/{kind}",
            requirement_ids=(prop_id,),
            policy=policy,
            task=TASKS[(policy, kind)],
            claim=_property_claim(STEP_PROPERTIES[prop_id]),
            assume=invariants_hold,
            summary=f"every {kind} step satisfies {prop_id}",
        )
        for prop_id, scope in STEP_PROPERTY_SCOPE.items()
        for policy, kinds in scope.items()
        for kind in kinds
    ]

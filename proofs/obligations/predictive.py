"""Pre-liquidation and the risk steward, proved on the real ``step``.

The step tasks of ``steps.py`` run on states with no pre-liquidation terms and no steward
record. The tasks here add them, every number symbolic: terms for position 0 and a
steward record (``liquidation_ratio``, ``target_ratio``, the margin, the phase-in and the
locks), under the gen 3 preset with the reference steward bounds. On them:

- the **inductive invariants**: every state invariant (PRELIQ-TERMS and STEWARD-SAFE
  among them) before, the step accepted, each after; for ``SetPreLiquidation``,
  ``PreLiquidate`` and ``UpdateParams`` (first update and later ones), and for the
  actions that read the parameters in force: ``Borrow``, ``WithdrawCollateral`` and (the
  phase-in moves with time) ``AdvanceTime``;
- the **step properties** the spec states for each of these tasks and for ``Kick``
  (NO-HEALTHY-LIQUIDATION against ``L`` in force, the PRELIQ-* and STEWARD-* properties);
- **succeeds-iff** and the **refusal order** of the three new actions, restated here from
  ``spec/preliquidation.md`` and ``spec/steward.md``;
- the **effect** of a pre-liquidation: the close factor and incentive it reports are the
  spec's interpolation, and the collateral it moves is the repaid amount at that
  incentive, rounded down;
- **necessity witnesses** (expected to fail, with a replayed run): without the phase-in
  an update makes a position liquidatable; without PRELIQ-TERMS (decreasing incentives)
  a pre-liquidation lowers the ratio; and the bounds are reached: a keeper takes the
  whole close factor, and gains the whole incentive up to one unit of rounding.

Every other action neither reads nor writes ``state.steward`` or
``state.pre_liquidation`` (``tests/unit/test_predictive_frame.py``), so their existing
obligations hold on states with any terms and any steward record.
"""

from __future__ import annotations

from collections.abc import Callable

import attrs

from model import Accepted, step
from model.errors import EngineFault
from model.events import PreLiquidated
from model.invariants.predictive import liquidation_ratio_in_force
from model.invariants.state_invariants import STATE_INVARIANTS
from model.invariants.step_properties import STEP_PROPERTIES
from model.numbers.fixed_point import RAY, rmul_down
from model.outcome import Outcome
from model.params.presets import percent
from model.state import State
from proofs.obligation import Expect, Obligation, Task
from proofs.obligations.predictive_guards import SPECS, band, spec_accepts, spec_refusal
from proofs.obligations.predictive_world import (
    ACTIONS,
    DEEP,
    FIXED_PRICE,
    NO_PHASE_IN,
    REFERENCE_TERMS,
    TASKS,
    predictive_state,
)
from proofs.obligations.steps import StepSubject, accepted, invariants_hold
from proofs.world import Source

StateCheck = Callable[[State], bool]
StepCheck = Callable[[State, object, Outcome], bool]


def _keeps(holds: StateCheck) -> Callable[[StepSubject], object]:
    return lambda subject: holds(subject.outcome.state)


def _satisfies(prop: StepCheck, total: bool = False) -> Callable[[StepSubject], object]:
    """The step property on the subject; with ``total``, that it gives a verdict at all."""
    if total:
        return lambda s: _total(lambda: prop(s.pre, s.action, s.outcome))
    return lambda s: prop(s.pre, s.action, s.outcome)


def _judges(holds: StateCheck) -> Callable[[State], object]:
    return lambda state: _total(lambda: holds(state))


# --- obligations --------------------------------------------------------------------------


def _all_but(excluded: str) -> Callable[[StepSubject], object]:
    invariants = [holds for name, holds in STATE_INVARIANTS.items() if name != excluded]
    return lambda subject: all(holds(subject.pre) for holds in invariants)


def _inductive(kind: str, task: Task) -> list[Obligation]:
    return [
        Obligation(
            name=f"{invariant_id}/gen3/{kind}/predictive",
            requirement_ids=(invariant_id,),
            policy="gen3",
            task=task,
            claim=_keeps(holds),
            assume=invariants_hold,
            relevant=accepted,
            summary=f"{kind} keeps {invariant_id}, with terms and a steward record",
            deep=kind in DEEP,
        )
        for invariant_id, holds in STATE_INVARIANTS.items()
    ]


PROPERTIES: dict[str, tuple[str, ...]] = {
    "SetPreLiquidation": ("REFUSAL-NO-CHANGE", "STEWARD-BOUNDED"),
    "SetPreLiquidation/new": ("REFUSAL-NO-CHANGE",),
    "SetPreLiquidation/stranger": ("REFUSAL-NO-CHANGE",),
    "PreLiquidate": (
        "REFUSAL-NO-CHANGE",
        "PRELIQ-CONSENT",
        "PRELIQ-RATIO-NEVER-WORSE",
        "PRELIQ-KEEPER-GAIN",
        "PRELIQ-CLOSE-FACTOR",
        "STEWARD-BOUNDED",
        "ROUNDING-FAVOURS-PROTOCOL",
    ),
    "PreLiquidate/any": (
        "REFUSAL-NO-CHANGE",
        "PRELIQ-CONSENT",
        "PRELIQ-RATIO-NEVER-WORSE",
        "PRELIQ-KEEPER-GAIN",
        "PRELIQ-CLOSE-FACTOR",
        "STEWARD-BOUNDED",
        "ROUNDING-FAVOURS-PROTOCOL",
    ),
    "PreLiquidate/none": ("REFUSAL-NO-CHANGE", "PRELIQ-CONSENT"),
    "UpdateParams": ("REFUSAL-NO-CHANGE", "STEWARD-BOUNDED", "STEWARD-PHASE-IN"),
    "UpdateParams/first": ("REFUSAL-NO-CHANGE", "STEWARD-BOUNDED", "STEWARD-PHASE-IN"),
    "UpdateParams/thin-penalty": ("REFUSAL-NO-CHANGE",),
    "Kick": ("NO-HEALTHY-LIQUIDATION", "STEWARD-BOUNDED", "PRELIQ-CONSENT"),
    "Borrow": ("STEWARD-BOUNDED",),
    "WithdrawCollateral": ("STEWARD-BOUNDED",),
    "AdvanceTime": ("STEWARD-PHASE-IN", "STEWARD-BOUNDED"),
}


def _properties(kind: str, task: Task) -> list[Obligation]:
    found = []
    for prop_id in PROPERTIES[kind]:
        prop = STEP_PROPERTIES[prop_id]
        found.append(
            Obligation(
                name=f"{prop_id}/gen3/{kind}/predictive",
                requirement_ids=(prop_id,),
                policy="gen3",
                task=task,
                claim=_satisfies(prop),
                assume=invariants_hold,
                summary=f"every {kind} step satisfies {prop_id}, with terms and a steward",
                deep=kind in DEEP,
            )
        )
        found.append(
            Obligation(
                name=f"PREDICATES-TOTAL/gen3/{prop_id}/{kind}/predictive",
                requirement_ids=("PREDICATES-TOTAL", prop_id),
                policy="gen3",
                task=task,
                claim=_satisfies(prop, total=True),
                summary=f"{prop_id} gives a verdict on every {kind} step",
                deep=kind in DEEP,
            )
        )
    return found


def _total(judge: Callable[[], object]) -> bool:
    try:
        judge()
    except EngineFault:
        return False
    return True


def _guards(kind: str, task: Task) -> list[Obligation]:
    spec = SPECS[kind.split("/")[0]]
    primary = spec.requirement_ids[0]

    def iff(subject: StepSubject) -> bool:
        return isinstance(subject.outcome, Accepted) == spec_accepts(
            spec, subject.pre, subject.action
        )

    def order(subject: StepSubject) -> bool:
        outcome = subject.outcome
        got = None if isinstance(outcome, Accepted) else outcome.refusal.code
        return got == spec_refusal(spec, subject.pre, subject.action)

    return [
        Obligation(
            name=f"{primary}/gen3/{kind}/iff",
            requirement_ids=spec.requirement_ids,
            policy="gen3",
            task=task,
            claim=iff,
            assume=invariants_hold,
            summary=f"{kind} is accepted exactly when the spec's guard passes",
            deep=kind in DEEP,
        ),
        Obligation(
            name=f"{primary}/gen3/{kind}/refusal",
            requirement_ids=(*spec.requirement_ids, "ENGINE-STEP"),
            policy="gen3",
            task=task,
            claim=order,
            assume=invariants_hold,
            summary=f"a refused {kind} names the first failing check of the spec's guard",
            deep=kind in DEEP,
        ),
    ]


def _pre_liquidated(outcome: Outcome) -> PreLiquidated | None:
    if not isinstance(outcome, Accepted):
        return None
    found = [e for e in outcome.events if isinstance(e, PreLiquidated)]
    return found[0] if found else None


def pre_liquidation_effect(subject: StepSubject) -> object:
    """ACT-PRE-LIQUIDATE's effect as the spec states it: the reported factors are the
    interpolation, ``seized = floor(repaid * incentive / ref)``, and the position, the pool
    and the ledger move by exactly that."""
    event = _pre_liquidated(subject.outcome)
    if event is None:
        return True
    pre, post = subject.pre, subject.outcome.state
    close_factor, incentive = band(pre, event.position)
    ref = pre.oracle.reference
    before, after = pre.positions[event.position], post.positions[event.position]
    return (
        event.close_factor == close_factor
        and event.incentive == incentive
        and event.seized * ref <= event.repaid * incentive < (event.seized + 1) * ref
        and after.debt == before.debt - event.repaid
        and after.collateral == before.collateral - event.seized
        and post.pool.cash == pre.pool.cash + event.repaid
        and post.ledger.quote_in == pre.ledger.quote_in + event.repaid
        and post.ledger.collateral_out == pre.ledger.collateral_out + event.seized
    )


def _effects() -> list[Obligation]:
    return [
        Obligation(
            name=f"ACT-PRE-LIQUIDATE/gen3/{kind}/effect",
            requirement_ids=("ACT-PRE-LIQUIDATE", "PRELIQ-KEEPER-GAIN", "PRELIQ-CLOSE-FACTOR"),
            policy="gen3",
            task=TASKS[kind],
            claim=pre_liquidation_effect,
            assume=invariants_hold,
            relevant=accepted,
            summary="the factors are the interpolation; the collateral moved is repaid x incentive",
            deep=kind in DEEP,
        )
        for kind in ("PreLiquidate", "PreLiquidate/any")
    ]


DECREASING_TERMS = attrs.evolve(REFERENCE_TERMS, incentive_start=percent("160"))
"""Terms PRELIQ-TERMS rules out: the incentive falls towards ``L`` from 1.60, above the
band's top (1.45), so near the top a keeper takes more collateral value than the debt
it repays is backed by."""


def _build_decreasing() -> Callable[[Source], StepSubject]:
    def build(source: Source) -> StepSubject:
        pre = predictive_state(source, steward=False, terms=DECREASING_TERMS, shape=FIXED_PRICE)
        action = ACTIONS["PreLiquidate"](source)
        return StepSubject(pre, action, step(pre, action))

    return build


def _whole_close_factor_not_taken(subject: StepSubject) -> object:
    """Refuted by a witness: a keeper repays exactly ``rmul_down(D, close_factor)``."""
    event = _pre_liquidated(subject.outcome)
    if event is None:
        return True
    debt = subject.pre.positions[event.position].debt
    return event.repaid < rmul_down(debt, event.close_factor)


def _whole_incentive_not_gained(subject: StepSubject) -> object:
    """Refuted by a witness: the keeper receives the repaid amount times the incentive at
    the reference to within one unit of collateral, at an incentive of at least 2 %."""
    event = _pre_liquidated(subject.outcome)
    if event is None:
        return True
    ref = subject.pre.oracle.reference
    return (
        event.incentive < RAY + RAY // 50
        or event.seized == 0
        or event.seized * ref + ref <= event.repaid * event.incentive
    )


def _liquidatable_after_update(subject: StepSubject) -> object:
    """STEWARD-PHASE-IN's first half: ``L`` in force does not rise at the update."""
    return liquidation_ratio_in_force(subject.outcome.state) <= liquidation_ratio_in_force(
        subject.pre
    )


def _witnesses() -> list[Obligation]:
    no_phase = Task(key="predictive/gen3/UpdateParams/no-phase-in", build=_build_no_phase())
    return [
        Obligation(
            name="STEWARD-PHASE-IN/gen3/no-phase-in",
            requirement_ids=("STEWARD-PHASE-IN",),
            policy="gen3",
            task=no_phase,
            claim=_liquidatable_after_update,
            assume=invariants_hold,
            relevant=accepted,
            expect=Expect.FAILS,
            summary="without a phase-in, an update raises L in force at once",
        ),
        Obligation(
            name="PRELIQ-RATIO-NEVER-WORSE/gen3/terms-dropped",
            requirement_ids=("PRELIQ-RATIO-NEVER-WORSE", "PRELIQ-TERMS"),
            policy="gen3",
            task=Task(key="predictive/gen3/PreLiquidate/decreasing", build=_build_decreasing()),
            claim=lambda s: STEP_PROPERTIES["PRELIQ-RATIO-NEVER-WORSE"](s.pre, s.action, s.outcome),
            assume=_all_but("PRELIQ-TERMS"),
            relevant=accepted,
            expect=Expect.FAILS,
            summary="with decreasing incentives (PRELIQ-TERMS dropped) the ratio falls",
        ),
        Obligation(
            name="PRELIQ-CLOSE-FACTOR/gen3/reached",
            requirement_ids=("PRELIQ-CLOSE-FACTOR",),
            policy="gen3",
            task=TASKS["PreLiquidate"],
            claim=_whole_close_factor_not_taken,
            assume=invariants_hold,
            relevant=accepted,
            expect=Expect.FAILS,
            summary="a keeper may repay the whole close factor: the bound is reached",
        ),
        Obligation(
            name="PRELIQ-KEEPER-GAIN/gen3/reached",
            requirement_ids=("PRELIQ-KEEPER-GAIN",),
            policy="gen3",
            task=TASKS["PreLiquidate"],
            claim=_whole_incentive_not_gained,
            assume=invariants_hold,
            relevant=accepted,
            expect=Expect.FAILS,
            summary="a keeper gains the whole incentive, to one unit: the bound is reached",
        ),
    ]


def _build_no_phase() -> Callable[[Source], StepSubject]:
    def build(source: Source) -> StepSubject:
        pre = predictive_state(source, config=NO_PHASE_IN, terms_for=(), steward=False)
        action = ACTIONS["UpdateParams"](source)
        return StepSubject(pre, action, step(pre, action))

    return build


def _state_totality() -> list[Obligation]:
    task = Task(
        key="predictive/gen3/state",
        build=lambda source: predictive_state(source, terms_for=(0, 1), steward=True),
    )
    return [
        Obligation(
            name=f"PREDICATES-TOTAL/gen3/{invariant_id}/predictive",
            requirement_ids=("PREDICATES-TOTAL", invariant_id),
            policy="gen3",
            task=task,
            claim=_judges(holds),
            summary=f"{invariant_id} gives a verdict on every state with terms and a steward",
        )
        for invariant_id, holds in STATE_INVARIANTS.items()
    ]


NEVER_ACCEPTED = frozenset({"PreLiquidate/none", "SetPreLiquidation/stranger"})
"""Position 1 has no terms, and bob does not own position 0: only their guards are claimed
(an inductive claim would be vacuous)."""


PROPERTIES_ONLY = frozenset({"Kick"})
"""The kick under a steward record: its step properties (NO-HEALTHY-LIQUIDATION against
``L`` in force) only, for cost; the invariants under a kick are proved in ``steps.py``."""


def obligations() -> list[Obligation]:
    found: list[Obligation] = []
    for kind, task in TASKS.items():
        if kind not in NEVER_ACCEPTED and kind not in PROPERTIES_ONLY:
            found += _inductive(kind, task)
        found += _properties(kind, task)
        if kind.split("/")[0] in SPECS:
            found += _guards(kind, task)
    return [*found, *_effects(), *_witnesses(), *_state_totality()]

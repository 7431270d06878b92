"""The checkers never fail to judge, and a gen 2 auction never gets stuck.

PREDICATES-TOTAL: every state invariant, on every state within ASM-RANGES, and every
step property, on every path of the actions it speaks about, returns a verdict; an
arithmetic fault (``EngineFault``) while judging is a counterexample. (The stateful
machines once stopped on AUCTION-MONOTONE itself raising OVERFLOW on a gen 2 stage
whose curve could not price it.) Elsewhere a step property returns at its first type
test, before any arithmetic.

GEN2-WAY-OUT: in every gen 2 state satisfying the invariants, each live auction can be
taken whole at any price limit, or reset, or, once finished, settled: the obligation
picks the one action that applies (settle when finished, redo when it needs a reset,
else a take of the whole lot) and claims the engine accepts it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import attrs

from model import Accepted, step
from model.actions import Redo, Settle, Take
from model.errors import EngineFault
from model.invariants.state_invariants import STATE_INVARIANTS
from model.invariants.step_properties import STEP_PROPERTIES
from model.numbers.fixed_point import UINT256_MAX
from model.outcome import Outcome
from model.policies import gen2_dutch
from model.state import State
from proofs.obligation import Obligation, Task
from proofs.obligations.steps import (
    POLICIES,
    RANGES,
    SHAPES,
    STEP_PROPERTY_SCOPE,
    TASKS,
    StepSubject,
    config_for,
    invariants_hold,
)
from proofs.world import Source, build_state


def _evaluates(judge: Callable[[], object]) -> bool:
    """Whether ``judge()`` returns a verdict (either one) rather than faulting."""
    try:
        judge()
    except EngineFault:
        return False
    return True


def _state_task(policy: str) -> Task:
    return Task(
        key=f"total/{policy}/state",
        build=lambda source: build_state(
            source, config_for(policy, source), SHAPES[policy], RANGES
        ),
    )


def _invariant_total(invariant: Callable[[State], object]) -> Callable[[State], object]:
    return lambda state: _evaluates(lambda: invariant(state))


def _property_total(
    prop: Callable[[State, object, Outcome], object],
) -> Callable[[StepSubject], object]:
    return lambda s: _evaluates(lambda: prop(s.pre, s.action, s.outcome))


SCOPE: dict[str, dict[str, tuple[str, ...]]] = STEP_PROPERTY_SCOPE
"""Where each step property computes anything. Gen 2's AUCTION-MONOTONE prices stages
with the real curves, which loop over the bits of the elapsed time: it prices only
well-formed stages (``0 < top``, ``top * RAY <= 2**256 - 1``), and the curve lemmas
(``proofs.obligations.curves``) prove every dss curve prices every such stage without a
fault."""


def predicates_total() -> list[Obligation]:
    found = []
    for policy in POLICIES:
        task = _state_task(policy)
        for invariant_id, invariant in STATE_INVARIANTS.items():
            found.append(
                Obligation(
                    name=f"PREDICATES-TOTAL/{policy}/{invariant_id}",
                    requirement_ids=("PREDICATES-TOTAL", invariant_id),
                    policy=policy,
                    task=task,
                    claim=_invariant_total(invariant),
                    summary=f"{invariant_id} gives a verdict on every state",
                )
            )
    for prop_id, scope in SCOPE.items():
        for policy, kinds in scope.items():
            for kind in kinds:
                found.append(
                    Obligation(
                        name=f"PREDICATES-TOTAL/{policy}/{prop_id}/{kind}",
                        requirement_ids=("PREDICATES-TOTAL", prop_id),
                        policy=policy,
                        task=TASKS[(policy, kind)],
                        claim=_property_total(STEP_PROPERTIES[prop_id]),
                        summary=f"{prop_id} gives a verdict on every {kind} step",
                    )
                )
    return found


@attrs.frozen
class WayOut:
    pre: State
    action: object
    outcome: Outcome


def _way_out(source: Source) -> WayOut:
    """The action that gets auction 0 moving, and what the engine makes of it."""
    pre = build_state(source, config_for("gen2", source), SHAPES["gen2"], RANGES)
    auction = pre.auctions[0]
    action: Any
    if auction.lot == 0 or auction.debt + auction.fee == 0:
        action = Settle(0)
    elif auction.top == 0 or gen2_dutch.status(pre, auction)[0]:  # top 0: not well-formed
        action = Redo("keeper", 0)
    else:
        action = Take("bidder", 0, auction.lot, UINT256_MAX)
    return WayOut(pre, action, step(pre, action))


def _way_out_assumed(subject: WayOut) -> object:
    return invariants_hold(StepSubject(subject.pre, subject.action, subject.outcome))


def gen2_way_out() -> list[Obligation]:
    return [
        Obligation(
            name="GEN2-WAY-OUT/gen2",
            requirement_ids=("GEN2-WAY-OUT", "AUCTION-WELL-FORMED"),
            policy="gen2",
            task=Task(key="way-out/gen2", build=_way_out),
            claim=lambda subject: isinstance(subject.outcome, Accepted),
            assume=_way_out_assumed,
            summary="a live auction is taken whole, reset, or settled once finished",
        )
    ]


def obligations() -> list[Obligation]:
    return [*predicates_total(), *gen2_way_out()]

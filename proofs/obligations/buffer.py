"""BUFFER-SIZING: the worst shortfall of a gap, computed exactly by the solver.

The scenario family (``spec/theorems.md``): one position with debt ``DEBT``, healthy
at spot before the gap (any collateral that keeps it so), the market gaps down by
``gap`` percent at one report, and one liquidation follows, of any size the policy
allows. The worst bad debt over that family is found with ``z3.Optimize`` on each path
of the real engine, and the result is certified by two obligations: the shortfall never
exceeds it (a proof), and it is reached (the claim "at most one unit less" is refuted
with a concrete witness). That number is the insurance fund that keeps LP loss at zero.
Gen 3 needs none under the zero-loss assumptions (ZERO-LOSS).
"""

from __future__ import annotations

import functools
from typing import Any

import z3

from model.actions import Liquidate, ReportOracle
from model.invariants.state_invariants import STATE_INVARIANTS
from model.numbers import RAY, WAD
from model.params.presets import PRESETS
from model.policies.gen1_spot import liquidatable
from model.state import State
from proofs.obligation import Expect, Obligation, Task
from proofs.obligations.theorems import Run, run_actions
from proofs.symbolic import Explorer, term_of
from proofs.world import Ranges, Shape, Source, build_state

DEBT = 1_000_000 * WAD
SPOT = 2_000 * RAY
GAPS = (30, 50)
SHAPE = Shape(
    owners=("ann",),
    auctions=(),
    lps=("lp",),
    fixed=(("oracle.spot", SPOT), ("oracle.reference", SPOT), ("pos0.debt", DEBT)),
)


def _gap_task(gap: int) -> Task:
    config = PRESETS["gen1"]

    def build(source: Source) -> Run:
        pre = build_state(source, config, SHAPE, Ranges())
        repay = source.integer("act.repay", 0, Ranges().amount)
        return run_actions(
            pre, [ReportOracle(SPOT * (100 - gap) // 100), Liquidate("liquidator", 0, repay)]
        )

    return Task(key=f"buffer/gen1/gap-{gap}", build=build)


def healthy_before(run: Run) -> object:
    s: State = run.pre
    return all(holds(s) for holds in STATE_INVARIANTS.values()) and not liquidatable(
        s, s.positions[0]
    )


def shortfall(run: Run) -> Any:
    return run.final.ledger.bad_debt - run.pre.ledger.bad_debt


@functools.cache
def worst_shortfall(gap: int) -> int:
    """The largest ``shortfall`` over the family, by ``z3.Optimize`` on every path."""
    explorer = Explorer()
    task = _gap_task(gap)
    hypothesis: list[Any] = []

    def run() -> Any:
        found = task.build(explorer)
        if not hypothesis:
            hypothesis.append(explorer.formula(lambda: healthy_before(found), in_context=False))
        return shortfall(found)

    best = 0
    for path in explorer.explore(run).paths:
        if path.error is not None:
            raise path.error
        optimizer = z3.Optimize()
        optimizer.set("rlimit", explorer.claim_rlimit)
        for bounds in explorer.bounds.values():
            optimizer.add(*bounds)
        optimizer.add(*path.condition, *hypothesis)
        objective = optimizer.maximize(term_of(path.result))
        answer = optimizer.check()
        if answer == z3.unknown:
            raise RuntimeError(f"buffer sizing: Z3 gave up ({optimizer.reason_unknown()})")
        if answer == z3.sat:
            best = max(best, objective.value().as_long())
    return best


def _at_most(gap: int, slack: int) -> Any:
    return lambda run: shortfall(run) <= worst_shortfall(gap) - slack


def obligations() -> list[Obligation]:
    found = []
    for gap in GAPS:
        task = _gap_task(gap)
        found += [
            Obligation(
                name=f"BUFFER-SIZING/gen1/gap-{gap}/bound",
                requirement_ids=("BUFFER-SIZING",),
                policy="gen1",
                task=task,
                claim=_at_most(gap, 0),
                assume=healthy_before,
                summary=f"a {gap} % gap: bad debt <= the solver's maximum",
            ),
            Obligation(
                name=f"BUFFER-SIZING/gen1/gap-{gap}/reached",
                requirement_ids=("BUFFER-SIZING",),
                policy="gen1",
                task=task,
                claim=_at_most(gap, 1),
                assume=healthy_before,
                expect=Expect.FAILS,
                summary=f"a {gap} % gap: the maximum is reached (exact, not a bound)",
            ),
        ]
    return found

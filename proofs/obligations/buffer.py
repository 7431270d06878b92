"""BUFFER-SIZING: the worst shortfall of a gap, computed exactly by the solver.

The scenario family (``spec/theorems.md``): one position with debt ``DEBT``, healthy
at spot before the gap (any collateral that keeps it so), the market gaps down by
``gap`` percent at one report, and one liquidation follows, of any size the policy
allows. The worst bad debt over that family is found with ``z3.Optimize`` on each path
of the real engine, and the result is certified by two obligations: the shortfall never
exceeds it (a proof), and it is reached (the claim "at most one unit less" is refuted
with a concrete witness). That number is the insurance fund that keeps LP loss at zero.
Gen 3 needs none under the zero-loss assumptions (ZERO-LOSS).

The same maximisation serves any configuration (``zle params check``):
:func:`worst_shortfall` takes a gen 1 configuration, and :func:`worst_kick_shortfall`
sizes the buffer of a gen 3 configuration that breaks ASM-SAFETY-INEQUALITY: a position
of debt ``DEBT`` at or above ``L`` at one report, one report later (any move up to
``max_step``) it is kicked, and the solver maximises what the kicked auction's lot, sold
at its floor, fails to raise. :func:`maximise` is the generic helper behind both.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import attrs
import z3

from model import Accepted
from model.actions import AdvanceTime, Kick, Liquidate, ReportOracle
from model.invariants.state_invariants import STATE_INVARIANTS
from model.numbers import RAY, WAD
from model.params.presets import PRESETS
from model.params.records import Config
from model.policies.gen1_spot import liquidatable
from model.state import State
from proofs.obligation import Expect, Obligation, Task
from proofs.obligations import theorems
from proofs.obligations.runs import ONE_POSITION, Run, run_actions
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


def _gap_task(gap: int, config: Config | None = None) -> Task:
    config = PRESETS["gen1"] if config is None else config
    label = "gen1" if config == PRESETS["gen1"] else "gen1-custom"

    def build(source: Source) -> Run:
        pre = build_state(source, config, SHAPE, Ranges())
        repay = source.integer("act.repay", 0, Ranges().amount)
        return run_actions(
            pre, [ReportOracle(SPOT * (100 - gap) // 100), Liquidate("liquidator", 0, repay)]
        )

    return Task(key=f"buffer/{label}/gap-{gap}", build=build)


def healthy_before(run: Run) -> object:
    s: State = run.pre
    return all(holds(s) for holds in STATE_INVARIANTS.values()) and not liquidatable(
        s, s.positions[0]
    )


def shortfall(run: Run) -> Any:
    return run.final.ledger.bad_debt - run.pre.ledger.bad_debt


@attrs.frozen
class Maximum:
    """The largest value of an objective over a task's paths, and an input reaching it."""

    value: int
    witness: dict[str, int] | None
    """Values of every variable of the task (``None`` when no path is feasible)."""


def _in_fresh_context(optimizer: z3.Optimize) -> tuple[z3.Optimize, z3.Context]:
    """The same problem, read from its SMT-LIB text into a context of its own.

    How long Z3's optimiser takes on these nonlinear paths depends on the history of the
    context it runs in (the order terms were first made): in a process that had run
    other proofs it took 0.02 s, in a fresh one it gave up after 60 M resource units
    (measured on the 15 % step of ``scenarios/params/gen3-unsafe.toml``). A context of
    its own, fed the problem's text, makes the answer independent of what ran before.
    """
    context = z3.Context()
    fresh = z3.Optimize(ctx=context)
    fresh.from_string(optimizer.sexpr())
    return fresh, context


def maximise(
    task: Task, objective: Callable[[Any], Any], hypothesis: Callable[[Any], object]
) -> Maximum:
    """The largest ``objective(subject)`` over every input of ``task`` that satisfies
    ``hypothesis``, by ``z3.Optimize`` on each path of the engine (exact, not a bound)."""
    explorer = Explorer(max_paths=task.max_paths)
    assumed: list[Any] = []

    def run() -> Any:
        found = task.build(explorer)
        if not assumed:
            assumed.append(explorer.formula(lambda: hypothesis(found), in_context=False))
        return objective(found)

    best = Maximum(0, None)
    for path in explorer.explore(run).paths:
        if path.error is not None:
            raise path.error
        optimizer = z3.Optimize()
        optimizer.set("rlimit", explorer.claim_rlimit)
        for bounds in explorer.bounds.values():
            optimizer.add(*bounds)
        optimizer.add(*path.condition, *assumed)
        optimizer.maximize(term_of(path.result))
        fresh, context = _in_fresh_context(optimizer)
        answer = fresh.check()
        if answer == z3.unknown:
            raise RuntimeError(f"buffer sizing: Z3 gave up ({fresh.reason_unknown()})")
        if answer == z3.sat:
            model = fresh.model()
            value = model.eval(term_of(path.result).translate(context)).as_long()
            if best.witness is None or value > best.value:
                witness = {
                    name: model.eval(var.term.translate(context), model_completion=True).as_long()
                    for name, var in explorer.variables.items()
                }
                best = Maximum(value, witness)
    return best


@functools.cache
def worst_shortfall(gap: int, config: Config | None = None) -> int:
    """The largest ``shortfall`` over the family, by ``z3.Optimize`` on every path
    (``config``: a gen 1 configuration; the preset by default)."""
    return max(0, maximise(_gap_task(gap, config), shortfall, healthy_before).value)


# --- gen 3 without the safety inequality ------------------------------------------------

KICK_SHAPE = attrs.evolve(ONE_POSITION, fixed=SHAPE.fixed)


def kick_task(config: Config) -> Task:
    """KICK-BACKED's run (``theorems.kick_after_reports`` with one report) for a position
    of debt ``DEBT`` at spot ``SPOT``, the report being the steepest fall the oracle
    passes (``max_step``; the floor and the lot only shrink with the price, so no smaller
    move does worse): the solver picks the collateral and the rest of the state."""

    def build(source: Source) -> Run:
        pre = build_state(source, config, KICK_SHAPE, Ranges())
        actions: list[object] = [
            AdvanceTime(config.oracle.step_period),  # a whole period: a full step allowed
            ReportOracle(SPOT * (RAY - config.oracle.max_step) // RAY),
            Kick("keeper", 0),
        ]
        if isinstance(source, Explorer):
            source.assume_that(lambda: theorems._world(Run(pre, tuple(actions), ())))
        return run_actions(pre, actions)

    return Task(key=f"buffer/{theorems.config_name(config)}/kick", build=build)


def kick_shortfall(run: Run) -> Any:
    """What the kicked auction's lot, sold at its floor, fails to raise, times RAY
    (``debt * RAY - lot * floor``); 0 when no kick was due or none happened."""
    if not theorems._below_after_reports(run):
        return 0
    outcome = run.outcomes[-1]
    if not isinstance(outcome, Accepted):
        return 0
    auction = outcome.state.auctions[0]
    return auction.debt * RAY - auction.lot * auction.floor


@functools.cache
def worst_kick_shortfall(config: Config) -> Maximum:
    """The largest ``kick_shortfall`` (times RAY, in WAD base units of quote) of a gen 3
    configuration for a position of debt ``DEBT``, with an input that reaches it. Zero
    when ASM-SAFETY-INEQUALITY holds (KICK-BACKED)."""
    return maximise(kick_task(config), kick_shortfall, theorems._world)


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

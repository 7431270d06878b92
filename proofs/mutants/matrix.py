"""Run the catalogue: every mutant against its obligations, and the kill matrix.

Each mutant runs in its own child process (``proofs.mutants.apply.run``); ``jobs`` of them
at a time. The unmutated model runs the union of their obligations too (the *baseline*,
one child per task): an obligation that fails there kills nothing, and is reported apart,
so a broken proof is never mistaken for a killed mutant.

The matrix has a row per mutant and a column per requirement ID of the obligations run;
a cell says whether that requirement's obligations killed the mutant with a
counterexample, killed it otherwise (error, unknown, vacuous, not refuted, or the whole
mutant died at import / crashed / timed out), or let it survive.
"""

from __future__ import annotations

import enum
import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor, as_completed
from typing import TYPE_CHECKING, Any

import attrs

from proofs.mutants.apply import MutantRun, names_for, run, universe
from proofs.mutants.catalogue import Mutant

if TYPE_CHECKING:
    from proofs.obligation import Obligation

SCOPES = ("killers", "tasks", "all")


class Cell(enum.Enum):
    COUNTEREXAMPLE = "counterexample"
    OTHER = "other"
    SURVIVED = "survived"
    BASELINE = "baseline"
    """Only obligations that fail on the unmodified model too: they say nothing."""
    NOT_RUN = "not run"


@attrs.frozen
class Outcome:
    """One mutant's result under the baseline."""

    mutant: Mutant
    run: MutantRun
    names: tuple[str, ...]
    kill: str
    """``counterexample``, another failing verdict, ``import`` / ``crash`` / ``timeout``,
    or ``survived``."""
    killed_by: tuple[str, ...]

    @property
    def killed(self) -> bool:
        return self.kill != "survived"

    @property
    def ok(self) -> bool:
        """As the catalogue says: killed, or an equivalent mutant that survived."""
        if self.mutant.equivalent:
            return self.kill != "counterexample"
        return self.killed


@attrs.frozen
class Report:
    scope: str
    outcomes: tuple[Outcome, ...]
    baseline: Mapping[str, bool]
    """Obligation name -> passed on the unmutated model (empty: no baseline was run)."""
    requirements: Mapping[str, tuple[str, ...]]
    """Obligation name -> its requirement IDs."""
    seconds: float

    @property
    def baseline_failing(self) -> list[str]:
        return sorted(name for name, passed in self.baseline.items() if not passed)

    @property
    def counted(self) -> list[Outcome]:
        """The mutants the kill rate is over: all but the equivalent ones."""
        return [o for o in self.outcomes if not o.mutant.equivalent]

    @property
    def kill_rate(self) -> float:
        counted = self.counted
        return sum(o.killed for o in counted) / len(counted) if counted else 1.0

    @property
    def counterexample_rate(self) -> float:
        counted = self.counted
        return sum(o.kill == "counterexample" for o in counted) / len(counted) if counted else 1.0

    @property
    def survivors(self) -> list[Outcome]:
        return [o for o in self.counted if not o.killed]

    @property
    def ok(self) -> bool:
        return all(o.ok for o in self.outcomes)

    def columns(self) -> list[str]:
        """The requirement IDs of every obligation run, in first-seen order."""
        seen: dict[str, None] = {}
        for outcome in self.outcomes:
            for name in outcome.names:
                for requirement in self.requirements.get(name, ()):
                    seen.setdefault(requirement, None)
        return list(seen)

    def cell(self, outcome: Outcome, requirement: str) -> Cell:
        names = {n for n in outcome.names if requirement in self.requirements.get(n, ())}
        if not names:
            return Cell.NOT_RUN
        if outcome.run.status != "ran":
            return Cell.OTHER
        results = [r for r in outcome.run.results if r.name in names]
        failing = [r for r in results if not r.passed]
        counting = [r for r in failing if self.baseline.get(r.name, True)]
        if any(r.verdict == "counterexample" for r in counting):
            return Cell.COUNTEREXAMPLE
        if counting:
            return Cell.OTHER
        if failing:
            return Cell.BASELINE
        return Cell.SURVIVED

    def to_json(self) -> dict[str, Any]:
        return {
            "scope": self.scope,
            "wall_seconds": round(self.seconds, 2),
            "kill_rate": round(self.kill_rate, 4),
            "counterexample_rate": round(self.counterexample_rate, 4),
            "baseline_failing": self.baseline_failing,
            "mutants": [
                {
                    "id": o.mutant.id,
                    "description": o.mutant.description,
                    "file": o.mutant.file,
                    "requirement_ids": list(o.mutant.requirement_ids),
                    "killers": list(o.mutant.killers),
                    "equivalent": o.mutant.equivalent,
                    "gap": o.mutant.gap,
                    "kill": o.kill,
                    "killed_by": list(o.killed_by),
                    "ok": o.ok,
                    "seconds": round(o.run.seconds, 2),
                    "obligations": len(o.names),
                    "cells": {r: self.cell(o, r).value for r in self.columns()},
                    "run": o.run.to_json(),
                }
                for o in self.outcomes
            ],
        }


def _cost(names: Sequence[str], obligations: Mapping[str, Obligation]) -> int:
    """A rough cost, to start the long runs first: the gen 3 kick task dwarfs the rest."""
    weights = {"step/gen3/Kick": 100, "step/gen3/Take": 10}
    tasks = {obligations[n].task.key for n in names}
    return sum(weights.get(t, 1) for t in tasks)


def outcome_of(
    mutant: Mutant, mutant_run: MutantRun, names: Sequence[str], baseline: Mapping[str, bool]
) -> Outcome:
    killed_by = tuple(r.name for r in mutant_run.failing(baseline))
    return Outcome(mutant, mutant_run, tuple(names), mutant_run.kill(baseline), killed_by)


def run_matrix(
    mutants: Sequence[Mutant],
    scope: str = "killers",
    jobs: int = 1,
    timeout: float | None = None,
    with_baseline: bool = True,
    on_done: Callable[[str], None] = lambda label: None,
) -> Report:
    """Run every mutant of ``mutants`` against its obligations under ``scope``, ``jobs``
    child processes at a time, and (``with_baseline``) the unmutated model against the
    union of them, one child per task."""
    if scope not in SCOPES:
        raise ValueError(f"scope must be one of {SCOPES}, not {scope!r}")
    started = time.perf_counter()
    obligations = universe()
    plans = {m.id: names_for(m, scope, obligations) for m in mutants}
    wanted: dict[str, None] = {}
    for names in plans.values():
        wanted.update(dict.fromkeys(names))
    by_task: dict[str, list[str]] = {}
    for name in wanted:
        by_task.setdefault(obligations[name].task.key, []).append(name)
    units: list[tuple[int, str, Mutant | None, list[str]]] = [
        (_cost(plans[m.id], obligations), m.id, m, plans[m.id]) for m in mutants
    ]
    if with_baseline:
        units.extend(
            (_cost(names, obligations), f"baseline:{key}", None, names)
            for key, names in by_task.items()
        )
    units.sort(key=lambda unit: -unit[0])
    runs: dict[str, MutantRun] = {}
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        futures: dict[Future[MutantRun], str] = {
            pool.submit(run, mutant, names, 1, timeout): label for _, label, mutant, names in units
        }
        for future in as_completed(futures):
            label = futures[future]
            runs[label] = future.result()
            on_done(label)
    baseline: dict[str, bool] = {}
    for label, found in runs.items():
        if label.startswith("baseline:"):
            if found.status != "ran":
                raise RuntimeError(f"the unmutated model did not run ({label}): {found.detail}")
            baseline.update((r.name, r.passed) for r in found.results)
    outcomes = tuple(outcome_of(m, runs[m.id], plans[m.id], baseline) for m in mutants)
    requirements = {name: obligations[name].requirement_ids for name in wanted}
    return Report(scope, outcomes, baseline, requirements, time.perf_counter() - started)


def units_of(mutants: Sequence[Mutant], scope: str, with_baseline: bool = True) -> int:
    """How many child processes :func:`run_matrix` starts (for a progress bar)."""
    obligations = universe()
    tasks: set[str] = set()
    for m in mutants:
        tasks.update(obligations[n].task.key for n in names_for(m, scope, obligations))
    return len(mutants) + (len(tasks) if with_baseline else 0)

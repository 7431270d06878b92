"""Stateful-suite throughput: engine steps per second inside the state machines, and how
many steps each Hypothesis profile executes.

Runs each policy's machine under a profile (as ``make test`` or ``make deep`` would) and
reports, per policy: runs, engine steps, accepted steps, wall and CPU time, steps per
second of each (the machine may be shared), and how the time splits between
``engine.step``, the invariant and step-property checks, and the rest (Hypothesis
drawing and shrinking, the actors, measuring).

    python -m benchmarks.stateful_throughput                 # the ci profile
    python -m benchmarks.stateful_throughput --profile deep  # long: the nightly figure
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Callable
from typing import Any, TypeVar

import model.engine
import model.invariants

F = TypeVar("F", bound=Callable[..., Any])


class Stopwatch:
    """Seconds spent in the functions it wraps."""

    def __init__(self) -> None:
        self.seconds = 0.0

    def wrap(self, function: F) -> F:
        def timed(*args: Any) -> Any:
            started = time.perf_counter()
            try:
                return function(*args)
            finally:
                self.seconds += time.perf_counter() - started

        return timed  # type: ignore[return-value]


def measure(profile: str, policies: list[str]) -> list[dict[str, Any]]:
    from tests.stateful.budget import BUDGETS
    from tests.stateful.harness import run_machine

    budget = BUDGETS[profile]
    rows = []
    for policy in policies:
        in_step, in_checks = Stopwatch(), Stopwatch()
        originals = (
            model.engine.step,
            model.invariants.violated_invariants,
            model.invariants.violated_step_properties,
        )
        model.engine.step = in_step.wrap(originals[0])
        model.invariants.violated_invariants = in_checks.wrap(originals[1])
        model.invariants.violated_step_properties = in_checks.wrap(originals[2])
        cpu_started = time.process_time()
        try:
            run = run_machine(policy, profile)
        finally:
            cpu_seconds = time.process_time() - cpu_started
            (
                model.engine.step,
                model.invariants.violated_invariants,
                model.invariants.violated_step_properties,
            ) = originals
        seen = run.observed
        rows.append(
            {
                "profile": profile,
                "policy": policy,
                "budget": f"{budget.examples} examples x <= {budget.steps} rules",
                "passed": run.failure is None,
                "runs": seen.runs,
                "engine_steps": seen.steps,
                "accepted": seen.accepted,
                "seconds": round(run.seconds, 2),
                "cpu_seconds": round(cpu_seconds, 2),
                "steps_per_second": round(run.steps_per_second),
                "steps_per_cpu_second": round(seen.steps / cpu_seconds),
                "share_in_step": round(in_step.seconds / run.seconds, 3),
                "share_in_checks": round(in_checks.seconds / run.seconds, 3),
            }
        )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--profile", default="ci", choices=["dev", "ci", "deep"])
    parser.add_argument("--policies", nargs="+", default=["gen1", "gen2", "gen3"])
    parser.add_argument("--json", action="store_true", help="print one JSON object per row")
    args = parser.parse_args()
    rows = measure(args.profile, args.policies)
    for row in rows:
        if args.json:
            print(json.dumps(row))
            continue
        print(
            f"{row['profile']:>4} {row['policy']}: {row['runs']:,} runs, "
            f"{row['engine_steps']:,} engine steps ({row['accepted']:,} accepted) in "
            f"{row['seconds']} s = {row['steps_per_second']:,} steps/s "
            f"({row['cpu_seconds']} CPU s = {row['steps_per_cpu_second']:,}/CPU s); time in step "
            f"{row['share_in_step']:.0%}, in checks {row['share_in_checks']:.0%} "
            f"[{row['budget']}]{'' if row['passed'] else '  FAILED'}"
        )
    total_steps = sum(row["engine_steps"] for row in rows)
    total_seconds = sum(row["seconds"] for row in rows)
    total_cpu = sum(row["cpu_seconds"] for row in rows)
    print(
        f"total: {total_steps:,} engine steps in {total_seconds:.1f} s, {total_cpu:.1f} CPU s "
        f"({total_steps / total_seconds:,.0f} steps/s, {total_steps / total_cpu:,.0f}/CPU s)"
    )


if __name__ == "__main__":
    main()

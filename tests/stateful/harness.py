"""Run the state machines as a plain function: ``run_machines(profile) -> Report``.

For the test suite (``test_machines.py``), for the throughput benchmark, and for
mutation testing: apply a mutant by monkeypatching a model function in-process, call
``run_machines("ci")``, and read ``report.failed`` (the mutant is killed) and each
run's ``failure`` (Hypothesis's shrunk counterexample, as text). Nothing here raises on
a failing machine.

    python -m tests.stateful.harness --profile ci [--policy gen3]
"""

from __future__ import annotations

import argparse
import time
import traceback
from fractions import Fraction

import attrs
from hypothesis.reporting import with_reporter
from hypothesis.stateful import run_state_machine_as_test

from tests.stateful import machine
from tests.stateful.budget import BUDGETS, machine_settings
from tests.stateful.machines import MACHINES, POLICIES
from tests.stateful.worst_cases import TARGETED, Bound, Observations, bounds


@attrs.frozen
class MachineRun:
    policy: str
    profile: str
    seconds: float
    observed: Observations = attrs.field(repr=False)
    bounds: dict[str, Bound] = attrs.field(repr=False)
    failure: str | None = None
    """Hypothesis's report of the shrunk failing run, or None if every run passed."""

    @property
    def steps_per_second(self) -> float:
        return self.observed.steps / self.seconds if self.seconds else 0.0

    def beyond_bounds(self) -> list[str]:
        """Each measured worst value above its proven bound, described."""
        found = []
        for name, bound in self.bounds.items():
            worst = self.observed.worst[name]
            if worst.value is not None and worst.value > bound.value:
                found.append(
                    f"{name}: {float(worst.value):.6g} > {float(bound.value):.6g} "
                    f"({bound.requirement}), by {worst.found_by}"
                )
        return found


@attrs.frozen
class Report:
    profile: str
    runs: tuple[MachineRun, ...]

    @property
    def failed(self) -> bool:
        """Whether any machine failed or any worst case exceeded its bound."""
        return any(run.failure is not None or run.beyond_bounds() for run in self.runs)

    def table(self) -> str:
        return "\n\n".join(describe(run) for run in self.runs)


def run_machine(policy: str, profile: str | None = None, *, find_only: bool = False) -> MachineRun:
    """Run ``policy``'s machine under ``profile`` (default: the loaded Hypothesis profile);
    with ``find_only``, stop at the first failure without shrinking it."""
    settings = machine_settings(profile, find_only=find_only)
    name = profile or "loaded"
    machine.OBSERVED.pop(policy, None)
    reports: list[object] = []
    failure = None
    start = time.perf_counter()
    try:
        with with_reporter(reports.append):
            run_state_machine_as_test(MACHINES[policy], settings=settings)
    except Exception as exc:
        notes = getattr(exc, "__notes__", [])
        failure = "\n".join(
            [*map(str, reports), *notes, "".join(traceback.format_exception_only(exc)).strip()]
        )
    seconds = time.perf_counter() - start
    observed = machine.observed(policy)
    state = MACHINES[policy]().state
    return MachineRun(policy, name, seconds, observed, bounds(policy, state), failure)


def run_machines(
    profile: str | None = None,
    policies: tuple[str, ...] = POLICIES,
    *,
    find_only: bool = False,
) -> Report:
    """Run every policy's machine; never raises for a failing machine."""
    runs = tuple(run_machine(policy, profile, find_only=find_only) for policy in policies)
    return Report(profile or "loaded", runs)


def _number(value: Fraction | None) -> str:
    return "-" if value is None else f"{float(value):.6g}"


def describe(run: MachineRun) -> str:
    seen = run.observed
    lines = [
        f"{run.policy}: {'FAILED' if run.failure else 'passed'}; {seen.runs:,} runs, "
        f"{seen.steps:,} engine steps ({seen.accepted:,} accepted) in {run.seconds:.1f} s: "
        f"{run.steps_per_second:,.0f} steps/s"
    ]
    for name, worst in seen.worst.items():
        bound = run.bounds.get(name)
        limit = "no stated bound"
        if bound is not None:
            limit = f"bound {_number(bound.value)} ({bound.requirement})"
            if worst.value is not None and bound.value > 0:
                limit += f", {float(worst.value / bound.value):.1%} of it"
        lines.append(f"  {name}: {_number(worst.value)}; {limit}")
        if worst.found_by and name in TARGETED:
            lines.append(f"    by {worst.found_by[:150]}")
    if run.failure:
        lines.append(run.failure)
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--profile", default="ci", choices=sorted(BUDGETS))
    parser.add_argument("--policy", choices=POLICIES, action="append")
    args = parser.parse_args()
    report = run_machines(args.profile, tuple(args.policy or POLICIES))
    print(report.table())
    raise SystemExit(1 if report.failed else 0)


if __name__ == "__main__":
    main()

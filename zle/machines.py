"""``zle machines``: the stateful machines' campaign, sharded over a Dask cluster.

The Hypothesis state machines of ``tests/stateful`` (every actor and adversary against
every invariant, step property, guard list and effect) run as shards: each policy's
budget of runs under ``--profile`` is split over ``--shards`` tasks, each with its own
seed (random search, never derandomised: shards must not repeat each other). A shard
that fails shrinks its failure, records the engine steps of the shrunk run and sends
them back; the client writes them as a trace (``zle replay --check-every 1`` replays it
and names the broken invariant or step property) beside the Hypothesis report.

The machines are part of the repository's tests, not of the installed package: run
this from a checkout (the workers of a remote cluster need the checkout too).
"""

from __future__ import annotations

import math
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from zle.campaign import Shard, run_shards, shard_seed
from zle.exits import FINDING, BadInput
from zle.fuzz_campaign import quiet_hypothesis
from zle.output import OutputDir, emit_json, json_option, report_console, wants_report, write_text
from zle.progress import default_jobs, no_progress_option, progress

POLICIES = ("gen1", "gen2", "gen3")


class _Recorder:
    """Wraps ``model.engine.step``: the start and actions of the latest chain of steps
    (a chain breaks where a step does not start from the previous step's state: a new
    run of the machine). After a failure the latest chain is the shrunk failing run."""

    def __init__(self, step: Callable[..., Any]) -> None:
        self.step = step
        self.start: Any = None
        self.actions: list[object] = []
        self.end: Any = None

    def __call__(self, state: Any, action: object) -> Any:
        if self.end is None or state is not self.end:
            self.start, self.actions = state, []
        self.actions.append(action)
        self.end = None
        outcome = self.step(state, action)
        self.end = outcome.state
        return outcome


def _trace_text(recorder: _Recorder) -> tuple[str, str]:
    """The recorded run as a trace, and what it holds; a last action that raised inside
    ``step`` is left out of the trace and named."""
    from crosscheck.record import record_model

    actions = list(recorder.actions)
    note = f"{len(actions)} steps"
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "trace.jsonl"
        try:
            record_model(path, recorder.start.config, recorder.start, actions, "zle machines")
        except Exception as error:
            note = f"{len(actions) - 1} steps; the last action, {actions[-1]!r}, raised {error!r}"
            record_model(path, recorder.start.config, recorder.start, actions[:-1], "zle machines")
        return path.read_text(encoding="utf-8"), note


def checkout_on_path() -> None:
    """Put the checkout holding ``model`` on ``sys.path`` (its ``tests`` are not installed:
    the ``zle`` script alone does not see them)."""
    import model

    root = str(Path(str(model.__file__)).resolve().parent.parent)
    if (Path(root) / "tests" / "stateful").is_dir() and root not in sys.path:
        sys.path.append(root)


def machine_shard(policy: str, profile: str, examples: int, seed: int) -> dict[str, Any]:
    """One shard, on a worker: ``examples`` runs of ``policy``'s machine from ``seed``."""
    quiet_hypothesis()
    checkout_on_path()
    try:
        from hypothesis import Phase, settings
        from hypothesis import seed as hypothesis_seed
        from hypothesis.reporting import with_reporter
        from hypothesis.stateful import run_state_machine_as_test

        import model.engine
        from tests.stateful import machine
        from tests.stateful.budget import machine_settings
        from tests.stateful.harness import MachineRun
        from tests.stateful.machines import MACHINES
        from tests.stateful.worst_cases import bounds
    except ImportError as error:
        return {"missing": f"{error}: run zle machines from a checkout of the repository"}
    base = MACHINES[policy]
    shard = hypothesis_seed(seed)(type(f"{base.__name__}Shard", (base,), {}))
    chosen = settings(
        machine_settings(profile),
        max_examples=examples,
        derandomize=False,
        database=None,
        phases=[Phase.explicit, Phase.reuse, Phase.generate, Phase.target, Phase.shrink],
    )
    machine.OBSERVED.pop(policy, None)
    recorder = _Recorder(model.engine.step)
    reports: list[object] = []
    failure = None
    started = time.perf_counter()
    model.engine.step = recorder
    try:
        with with_reporter(reports.append):
            run_state_machine_as_test(shard, settings=chosen)
    except Exception as error:
        notes = getattr(error, "__notes__", [])
        failure = "\n".join([*map(str, reports), *notes, f"{type(error).__name__}: {error}"])
    finally:
        model.engine.step = recorder.step
    seconds = time.perf_counter() - started
    observed = machine.observed(policy)
    run = MachineRun(policy, profile, seconds, observed, bounds(policy, base().state), failure)
    result: dict[str, Any] = {
        "runs": observed.runs,
        "steps": observed.steps,
        "seconds": seconds,
        "failure": failure,
        "beyond_bounds": run.beyond_bounds(),
    }
    if failure is not None and recorder.start is not None:
        result["trace"], result["trace_note"] = _trace_text(recorder)
    return result


def _print(console: Any, policies: list[str], shards: list[dict[str, Any]]) -> None:
    for policy in policies:
        mine = [s for s in shards if s["policy"] == policy]
        runs = sum(s.get("runs", 0) for s in mine)
        steps = sum(s.get("steps", 0) for s in mine)
        failed = [s for s in mine if s.get("failure") or s.get("beyond_bounds") or "lost" in s]
        console.print(
            f"{policy}: {len(mine)} shards, {runs:,} runs, {steps:,} engine steps; "
            f"{'FAILED in ' + str(len(failed)) + ' shard(s)' if failed else 'passed'}",
            markup=False,
        )
        for s in failed:
            what = s.get("lost") or (s.get("failure") or "").strip().splitlines()[-1]
            console.print(f"  shard {s['shard']} (seed {s['seed']}): {what[:300]}", markup=False)
            for beyond in s.get("beyond_bounds", []):
                console.print(f"    beyond its bound: {beyond}", markup=False)
            if "trace" in s:
                console.print(
                    f"    {s['trace_note']}: zle replay {s['trace']} --check-every 1; "
                    f"Hypothesis's report: {s['report']}",
                    markup=False,
                )


@click.command("machines")
@click.option(
    "--profile",
    type=click.Choice(["dev", "ci", "deep"]),
    default="deep",
    show_default=True,
    help="Whose budget of runs to split over the shards (tests/stateful/budget.py).",
)
@click.option("--policy", type=click.Choice([*POLICIES, "all"]), default="all", show_default=True)
@click.option(
    "--shards",
    type=click.IntRange(1, 100_000),
    default=None,
    help="Shards per policy (default: 4 per worker).",
)
@click.option("--seed", type=click.IntRange(min=0), default=0, show_default=True)
@click.option("--workers", type=click.IntRange(1, 512), default=None, help="LocalCluster workers.")
@click.option("--scheduler", metavar="ADDRESS", help="The scheduler of an existing Dask cluster.")
@click.option(
    "--out",
    type=OutputDir(),
    default="out/machines",
    show_default=True,
    help="Folder for each failing shard's trace and Hypothesis report.",
)
@json_option("every shard's counts and failure")
@no_progress_option
def machines_command(
    profile: str,
    policy: str,
    shards: int | None,
    seed: int,
    workers: int | None,
    scheduler: str | None,
    out: Path,
    json_target: Path | str | None,
    no_progress: bool,
) -> None:
    """The state machines' campaign: each policy's --profile budget split over shards
    with distinct seeds, run as tasks on Dask; failures shrunk and written as traces.

    Exit status 0: every shard passed; 1: a shard failed (an invariant, a step property,
    a guard, an effect, a worst case beyond its proven bound) or was lost; 2: the
    machines cannot be loaded (not a checkout) or --scheduler cannot be reached.
    """
    from simulation.sweeps.cluster import ClusterError

    checkout_on_path()
    try:
        from tests.stateful.budget import BUDGETS
    except ImportError:
        raise BadInput(
            "the state machines are the repository's tests/stateful: run zle machines from "
            "a checkout"
        ) from None
    policies = list(POLICIES) if policy == "all" else [policy]
    jobs = workers or default_jobs()
    count = shards or 4 * jobs
    examples = max(1, math.ceil(BUDGETS[profile].examples / count))
    plan: list[Shard] = [(p, i) for p in policies for i in range(count)]
    seeds = {s: shard_seed("machines", seed, s[0], s[1]) for s in plan}
    with progress("machines", len(plan), "shards", no_progress=no_progress) as bar:
        try:
            results = run_shards(
                machine_shard,
                plan,
                lambda s: (s[0], profile, examples, seeds[s]),
                workers=jobs,
                scheduler=scheduler,
                started=lambda n, dashboard: bar.update(note=f"{n} workers"),
                advance=bar.advance,
            )
        except ClusterError as error:
            raise BadInput(f"--scheduler: {error}") from None
    missing = [r["missing"] for r in results.values() if "missing" in r]
    if missing:
        raise BadInput(f"the workers cannot load the machines: {missing[0]}")
    entries = [_entry(shard, seeds[shard], results[shard], out) for shard in plan]
    console = report_console()
    shown = wants_report(json_target)
    if shown:
        _print(console, policies, entries)
    emit_json(
        json_target,
        {"profile": profile, "examples_per_shard": examples, "shards": entries},
        console if shown else None,
    )
    if any(e.get("failure") or e.get("beyond_bounds") or "lost" in e for e in entries):
        raise SystemExit(FINDING)


def _entry(shard: Shard, seed: int, result: dict[str, Any], out: Path) -> dict[str, Any]:
    """A shard's report; its trace and Hypothesis report written under ``out``."""
    policy, index = shard
    entry: dict[str, Any] = {"policy": policy, "shard": index, "seed": seed}
    entry.update({k: v for k, v in result.items() if k != "trace"})
    if result.get("trace"):
        out.mkdir(parents=True, exist_ok=True)
        trace = out / f"machines-{policy}-shard{index}.jsonl"
        report = trace.with_suffix(".txt")
        write_text(trace, result["trace"])
        write_text(report, f"seed {seed}\n{result['failure']}\n")
        entry["trace"], entry["report"] = str(trace), str(report)
    return entry

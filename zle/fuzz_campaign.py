"""``zle fuzz --shards K``: differential fuzzing sharded over a Dask cluster.

Each policy's budget of ``--steps`` actions runs once per shard, under the shard's own
seed (``zle.campaign.shard_seed``), as one task; a worker loads the implementation
itself (``--impl`` must be importable there: on a LocalCluster it is, from the current
directory). Every divergence a shard finds is shrunk there and comes back as its trace,
written beside ``--out`` as ``<out>-<policy>-shard<i>.jsonl`` for ``zle replay``.
"""

from __future__ import annotations

import json
import tempfile
import warnings
from pathlib import Path
from typing import Any

import click

from model.params.records import Config
from zle.campaign import Shard, run_shards, shard_file, shard_seed
from zle.exits import FINDING, BadInput
from zle.output import emit_json, report_console, wants_report, write_text
from zle.progress import progress


def fuzz_shard(
    impl: str, policy: str, steps: int, seed: int, params: str | Config
) -> dict[str, Any]:
    """One shard, on a worker: its counts, and its shrunk divergence with the trace."""
    from crosscheck.adapter import AdapterError, load_implementation
    from crosscheck.fuzz import divergence_json, fuzz

    quiet_hypothesis()
    try:
        implementation = load_implementation(impl)
        with tempfile.TemporaryDirectory() as folder:
            out = Path(folder) / "divergence.jsonl"
            found = fuzz(
                implementation,
                policy,
                steps=steps,
                seed=seed,
                out=out,
                params=params,  # type: ignore[arg-type]
            )
            result: dict[str, Any] = {"examples": found.examples, "steps": found.steps}
            if found.divergence is not None:
                result["divergence"] = divergence_json(found.divergence)
                result["trace"] = out.read_text(encoding="utf-8")
    except AdapterError as error:
        return {"adapter_error": str(error)}
    return result


def quiet_hypothesis() -> None:
    """On a Dask worker, Hypothesis sees the worker's own threads use ``random`` while it
    draws and warns that a strategy did: not so, and not the user's concern."""
    from hypothesis.errors import HypothesisDeprecationWarning

    warnings.filterwarnings("ignore", category=HypothesisDeprecationWarning)


def fuzz_campaign(
    impl: str,
    policies: list[str],
    chosen: dict[str, Any],
    *,
    steps: int,
    seed: int,
    shards: int,
    workers: int,
    scheduler: str | None,
    out: Path,
    json_target: Path | str | None,
    no_progress: bool,
) -> None:
    """Run every shard, write each divergence's trace, report; exit 1 if any diverged."""
    from simulation.sweeps.cluster import ClusterError

    console = report_console()
    report = wants_report(json_target)
    plan: list[Shard] = [(policy, i) for policy in policies for i in range(shards)]
    seeds = {s: shard_seed("fuzz", seed, s[0], s[1]) for s in plan}
    with progress("fuzzing shards", len(plan), "shards", no_progress=no_progress) as bar:
        try:
            results = run_shards(
                fuzz_shard,
                plan,
                lambda s: (impl, s[0], steps, seeds[s], chosen[s[0]]),
                workers=workers,
                scheduler=scheduler,
                started=lambda count, dashboard: bar.update(note=f"{count} workers"),
                advance=bar.advance,
            )
        except ClusterError as error:
            raise BadInput(f"--scheduler: {error}") from None
    broken = [r["adapter_error"] for r in results.values() if "adapter_error" in r]
    if broken:
        raise BadInput(f"cannot fuzz on the workers: {broken[0]}")
    runs: list[dict[str, Any]] = []
    for shard in plan:
        policy, index = shard
        found = results[shard]
        entry: dict[str, Any] = {"policy": policy, "shard": index, "seed": seeds[shard]}
        entry.update({k: v for k, v in found.items() if k != "trace"})
        if "trace" in found:
            trace = shard_file(out, policy, index)
            write_text(trace, found["trace"])
            entry["trace"] = str(trace)
        runs.append(entry)
    if report:
        _print(console, policies, runs)
    emit_json(json_target, {"runs": runs}, console if report else None)
    if any("divergence" in r or "lost" in r for r in runs):
        raise SystemExit(FINDING)


def _print(console: Any, policies: list[str], runs: list[dict[str, Any]]) -> None:
    for policy in policies:
        mine = [r for r in runs if r["policy"] == policy]
        steps = sum(r.get("steps", 0) for r in mine)
        diverged = [r for r in mine if "divergence" in r]
        console.print(
            f"{policy}: {len(mine)} shards, {steps:,} steps, "
            f"{len(diverged)} divergence(s)"
            + "".join(f"; shard {r['shard']} lost: {r['lost']}" for r in mine if "lost" in r),
            markup=False,
        )
        for r in diverged:
            d = r["divergence"]
            first = d["diffs"][0] if d["diffs"] else {}
            console.print(
                f"  shard {r['shard']} (seed {r['seed']}): shrunk to {d['steps']} action(s), "
                f"{first.get('path', 'outcome')}: model {json.dumps(first.get('expected'))}, "
                f"implementation {json.dumps(first.get('recorded'))}; zle replay {r['trace']}",
                markup=False,
            )


def campaign_options_problem(shards: int, workers: int | None, scheduler: str | None) -> str | None:
    if shards == 1 and (workers is not None or scheduler is not None):
        return "--workers and --scheduler run shards: give --shards K (K > 1)"
    return None


def shards_option(command: Any) -> Any:
    """``--shards``, ``--workers``, ``--scheduler``: a campaign on a Dask cluster."""
    for option in reversed(
        [
            click.option(
                "--shards",
                type=click.IntRange(1, 100_000),
                default=1,
                show_default=True,
                help="Run K shards per policy, each with its own seed and the whole --steps "
                "budget, as tasks on Dask (an embedded LocalCluster, or --scheduler).",
            ),
            click.option(
                "--workers",
                type=click.IntRange(1, 512),
                default=None,
                help="With --shards: worker processes of the LocalCluster (default: one per core).",
            ),
            click.option(
                "--scheduler",
                metavar="ADDRESS",
                help="With --shards: the scheduler of an existing Dask cluster.",
            ),
        ]
    ):
        command = option(command)
    return command

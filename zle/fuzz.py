"""``zle fuzz --impl MODULE:FACTORY``: differential fuzzing against the model."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from crosscheck.adapter import AdapterError, load_implementation
from crosscheck.replay import render_value
from zle.exits import FINDING, BadInput
from zle.fuzz_campaign import campaign_options_problem, fuzz_campaign, shards_option
from zle.output import OutputFile, emit_json, json_option, report_console, wants_report
from zle.progress import default_jobs, no_progress_option, progress


@click.command("fuzz")
@click.option("--impl", "impl", required=True, help="MODULE:FACTORY of the implementation.")
@click.option(
    "--steps",
    type=click.IntRange(min=1, max=10_000_000),
    default=2_000,
    show_default=True,
    help="Budget of actions per policy (sequences of up to 30 actions).",
)
@click.option("--seed", type=click.IntRange(min=0), default=0, show_default=True, help="Seed.")
@click.option(
    "--policy", type=click.Choice(["gen1", "gen2", "gen3", "all"]), default="all", show_default=True
)
@click.option(
    "--out",
    type=OutputFile(),
    default="divergence.jsonl",
    show_default=True,
    help="Where to write the shrunk divergent sequence, as a replayable trace.",
)
@click.option(
    "--params",
    "params",
    default="preset",
    show_default=True,
    metavar="preset|random|FILE",
    help="Parameters: each policy's preset; 'random', a valid set drawn per sequence "
    "(every policy option, the edges of every range; shrinks towards the preset); or a "
    "parameter FILE (as for `zle params check`).",
)
@shards_option
@json_option('{"runs"}: each policy fuzzed, and the divergence if one was found')
@no_progress_option
def fuzz_command(
    impl: str,
    steps: int,
    seed: int,
    policy: str,
    out: Path,
    params: str,
    shards: int,
    workers: int | None,
    scheduler: str | None,
    json_target: Path | str | None,
    no_progress: bool,
) -> None:
    """Drive the model and the implementation side by side with generated action
    sequences; shrink the first divergence and write it as a trace. With --shards K,
    K seeds per policy run as tasks on Dask, and every shard's divergence is written.

    Exit status 0: no divergence found; 1: a divergence (trace written); 2: --impl failed.
    """
    problem = campaign_options_problem(shards, workers, scheduler)
    if problem is not None:
        raise BadInput(problem)
    from crosscheck.fuzz import divergence_json, fuzz

    console = report_console()
    report = wants_report(json_target)
    try:
        implementation = load_implementation(impl)
    except AdapterError as error:
        raise BadInput(f"cannot fuzz: {error}", error.problems) from None
    implemented = tuple(getattr(implementation, "policies", ("gen1", "gen2", "gen3")))
    if policy != "all" and policy not in implemented:
        raise BadInput(f"cannot fuzz {policy}: {impl} implements {', '.join(implemented)} only")
    policies = [p for p in ("gen1", "gen2", "gen3") if p in implemented and policy in ("all", p)]
    chosen: dict[str, Any] = {}
    for name in policies:
        if params in ("preset", "random"):
            chosen[name] = params
            continue
        from simulation.files import ConfigFileError, load_config

        try:
            chosen[name] = load_config(params, name)
        except (ConfigFileError, OSError, ValueError) as error:
            raise BadInput(f"cannot fuzz: --params {params}: {error}") from None
    if shards > 1:
        fuzz_campaign(
            impl,
            policies,
            chosen,
            steps=steps,
            seed=seed,
            shards=shards,
            workers=workers or default_jobs(),
            scheduler=scheduler,
            out=out,
            json_target=json_target,
            no_progress=no_progress,
        )
        return
    summary: list[dict[str, Any]] = []
    for name in policies:
        try:
            with progress(f"fuzzing {name}", steps, "actions", no_progress=no_progress) as bar:
                found = fuzz(
                    implementation,
                    name,
                    steps=steps,
                    seed=seed,
                    out=out,
                    params=chosen[name],
                    on_step=lambda done: bar.update(completed=min(done, steps)),
                )
        except AdapterError as error:
            raise BadInput(f"cannot fuzz: {error}") from None
        entry: dict[str, Any] = {"policy": name, "examples": found.examples, "steps": found.steps}
        summary.append(entry)
        if found.divergence is None:
            if report:
                console.print(
                    f"{name}: no divergence in {found.steps:,} steps ({found.examples:,} sequences)"
                )
            continue
        entry["divergence"] = divergence_json(found.divergence)
        entry["trace"] = str(found.trace)
        if report:
            d = found.divergence
            console.print(
                f"[red]{name}: divergence[/red] after {found.steps:,} steps; "
                f"shrunk to {len(d.actions)} action(s), written to {found.trace}"
            )
            console.print(
                f"  divergent action (step {len(d.actions)}): "
                f"{json.dumps(divergence_json(d)['actions'][-1])}",
                markup=False,
            )
            for diff in d.diffs:
                console.print(
                    f"  {diff.path}: model {render_value(diff.expected)}, "
                    f"implementation {render_value(diff.recorded)}",
                    markup=False,
                )
            changed = d.parameters
            console.print(
                "  parameters: "
                + (
                    ", ".join(f"{k} = {v}" for k, v in changed.items())
                    if changed
                    else f"the {name} preset"
                ),
                markup=False,
            )
            console.print(f"  replay it: zle replay {found.trace}")
        emit_json(json_target, {"runs": summary}, console if report else None)
        raise SystemExit(FINDING)
    emit_json(json_target, {"runs": summary}, console if report else None)

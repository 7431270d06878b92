"""``zle fuzz --impl MODULE:FACTORY``: differential fuzzing against the model."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click
from rich.console import Console

from crosscheck.adapter import AdapterError, load_implementation
from crosscheck.replay import render_value

EXIT_AGREE, EXIT_DIVERGES, EXIT_ERROR = 0, 1, 2


@click.command("fuzz")
@click.option("--impl", "impl", required=True, help="MODULE:FACTORY of the implementation.")
@click.option(
    "--steps",
    type=click.IntRange(min=1),
    default=2_000,
    show_default=True,
    help="Budget of actions per policy (sequences of up to 30 actions).",
)
@click.option("--seed", type=int, default=0, show_default=True, help="Hypothesis seed.")
@click.option(
    "--policy", type=click.Choice(["gen1", "gen2", "gen3", "all"]), default="all", show_default=True
)
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("divergence.jsonl"),
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
@click.option("--json", "as_json", is_flag=True, help="Print the result as one JSON object.")
def fuzz_command(
    impl: str, steps: int, seed: int, policy: str, out: Path, params: str, as_json: bool
) -> None:
    """Drive the model and the implementation side by side with generated action
    sequences; shrink the first divergence and write it as a trace.

    Exit status 0: no divergence found; 1: a divergence (trace written); 2: --impl failed.
    """
    from crosscheck.fuzz import divergence_json, fuzz

    console = Console(soft_wrap=True)
    try:
        implementation = load_implementation(impl)
    except AdapterError as error:
        click.echo(f"cannot fuzz: {error}", err=True)
        sys.exit(EXIT_ERROR)
    policies = ["gen1", "gen2", "gen3"] if policy == "all" else [policy]
    chosen: dict[str, Any] = {}
    for name in policies:
        if params in ("preset", "random"):
            chosen[name] = params
            continue
        from simulation.files import ConfigFileError, load_config

        try:
            chosen[name] = load_config(params, name)
        except (ConfigFileError, OSError, ValueError) as error:
            click.echo(f"cannot fuzz: --params {params}: {error}", err=True)
            sys.exit(EXIT_ERROR)
    summary: list[dict[str, object]] = []
    for name in policies:
        try:
            report = fuzz(
                implementation, name, steps=steps, seed=seed, out=out, params=chosen[name]
            )
        except AdapterError as error:
            click.echo(f"cannot fuzz: {error}", err=True)
            sys.exit(EXIT_ERROR)
        entry: dict[str, object] = {
            "policy": name,
            "examples": report.examples,
            "steps": report.steps,
        }
        if report.divergence is None:
            summary.append(entry)
            if not as_json:
                console.print(
                    f"{name}: no divergence in {report.steps:,} steps "
                    f"({report.examples:,} sequences)"
                )
            continue
        entry["divergence"] = divergence_json(report.divergence)
        entry["trace"] = str(report.trace)
        summary.append(entry)
        if as_json:
            click.echo(json.dumps({"runs": summary}))
        else:
            d = report.divergence
            console.print(
                f"[red]{name}: divergence[/red] after {report.steps:,} steps; "
                f"shrunk to {len(d.actions)} action(s), written to {report.trace}"
            )
            console.print(
                f"  divergent action (step {len(d.actions)}): "
                f"{json.dumps(divergence_json(d)['actions'][-1])}"
            )
            for diff in d.diffs:
                console.print(
                    f"  {diff.path}: model {render_value(diff.expected)}, "
                    f"implementation {render_value(diff.recorded)}"
                )
            changed = d.parameters
            console.print(
                "  parameters: "
                + (
                    ", ".join(f"{k} = {v}" for k, v in changed.items())
                    if changed
                    else f"the {name} preset"
                )
            )
            console.print(f"  replay it: zle replay {report.trace}")
        sys.exit(EXIT_DIVERGES)
    if as_json:
        click.echo(json.dumps({"runs": summary}))
    sys.exit(EXIT_AGREE)

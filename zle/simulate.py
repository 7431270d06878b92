"""``zle simulate``: run a scenario through the liquidation policies and compare them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.table import Table

import simulation
from simulation.files import ConfigFileError, load_scenario
from simulation.metrics import ROWS, RunResult, cell, hours
from simulation.runner import SimulationError, run_policy, tick_count
from simulation.scenario import POLICY_NAMES, Scenario

SCENARIO_DIR = Path(simulation.__file__).resolve().parent.parent / "scenarios"
DEFAULT_SCENARIO = "blackthursday2020-1h"


def resolve(name: str) -> Path:
    """A scenario file: ``name`` as a path, else ``scenarios/<name>.toml`` of the project."""
    given = Path(name)
    if given.is_file():
        return given
    shipped = SCENARIO_DIR / f"{name.removesuffix('.toml')}.toml"
    if shipped.is_file():
        return shipped
    names = ", ".join(sorted(p.stem for p in SCENARIO_DIR.glob("*.toml")))
    raise click.BadParameter(f"no file {name!r} and no shipped scenario of that name ({names})")


def comparison_table(scenario: Scenario, results: list[RunResult]) -> Table:
    table = Table(title=scenario.name, title_justify="left")
    table.add_column("quote units unless stated", justify="left")
    for result in results:
        table.add_column(result.policy, justify="right")
    for key, label in ROWS:
        table.add_row(label, *(cell(r.metrics, key) for r in results))
    return table


def envelope_table(results: list[RunResult]) -> Table | None:
    """Gen 3's assumption monitor: per named assumption of the zero-loss theorem, whether
    the run kept it, when it first broke and by how much; then the LOSS-BOUND check."""
    gen3 = next((r for r in results if r.metrics.envelope), None)
    if gen3 is None:
        return None
    envelope = gen3.metrics.envelope
    table = Table(
        title="gen3: the zero-loss theorem's assumptions along the run", title_justify="left"
    )
    for name, justify in (
        ("assumption", "left"),
        ("held", "left"),
        ("first broken", "right"),
        ("times", "right"),
        ("worst", "right"),
        ("measured as", "left"),
    ):
        table.add_column(name, justify=justify)  # type: ignore[arg-type]
    for assumption, found in envelope["assumptions"].items():
        first = found["first_time"]
        table.add_row(
            assumption,
            "yes" if found["held"] else "no",
            "-" if first is None else hours(first),
            str(found["count"]),
            "-" if found["held"] else f"{found['worst']:,.4g}",
            found["unit"],
        )
    bound, realised = envelope["loss_bound"], envelope["realised_shortfall"]
    verdict = "within" if not envelope["bound_exceeded"] else "EXCEEDED"
    table.caption = (
        f"LOSS-BOUND: shortfalls settled {realised:,.0f} against the bound {bound:,.0f} "
        f"from how far the reference fell before each kick and reset ({verdict}); "
        f"largest fall {envelope['worst_reference_fall']:.1%}"
    )
    table.caption_justify = "left"
    return table


def report(scenario: Scenario, path: Path, results: list[RunResult]) -> dict[str, Any]:
    return {
        "scenario": {
            "file": str(path),
            "name": scenario.name,
            "description": scenario.description.strip(),
            "seed": scenario.seed,
            "tick": scenario.tick,
        },
        "policies": {
            r.policy: {
                "metrics": r.metrics.as_dict(),
                "seconds": r.seconds,
                "series": r.series.as_dict(),
            }
            for r in results
        },
    }


def run_all(
    scenario: Scenario, policies: list[str], console: Console, show_progress: bool
) -> list[RunResult]:
    if not show_progress:
        return [run_policy(scenario, p) for p in policies]
    from rich.progress import BarColumn, Progress, TaskID, TextColumn, TimeElapsedColumn

    results = []
    columns = (TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn())
    with Progress(*columns, console=console, transient=True) as progress:
        for policy in policies:
            task = progress.add_task(f"{policy}", total=tick_count(scenario))

            def advance(ticks: int, task: TaskID = task) -> None:
                progress.advance(task, ticks)

            results.append(run_policy(scenario, policy, advance))
    return results


@click.command()
@click.argument("scenario", default=DEFAULT_SCENARIO)
@click.option(
    "--policy",
    type=click.Choice([*POLICY_NAMES, "all"]),
    default="all",
    show_default=True,
    help="Which liquidation policy to run; all runs the same path through each.",
)
@click.option("--plot", "plot_file", type=click.Path(path_type=Path), help="Write a PNG figure.")
@click.option("--json", "json_file", type=click.Path(path_type=Path), help="Write results as JSON.")
def simulate(scenario: str, policy: str, plot_file: Path | None, json_file: Path | None) -> None:
    """Run SCENARIO (a TOML file, or the name of one in scenarios/) through the policies.

    Prints one table with a column per policy. Format of scenario files and the meaning
    of every row: scenarios/README.md.
    """
    console = Console(width=120)
    path = resolve(scenario)
    try:
        loaded = load_scenario(path)
    except ConfigFileError as error:
        raise click.ClickException(f"{path} is not a usable scenario:\n{error}") from error
    policies = list(POLICY_NAMES) if policy == "all" else [policy]
    try:
        results = run_all(loaded, policies, Console(stderr=True), Console(stderr=True).is_terminal)
    except SimulationError as error:
        raise click.ClickException(str(error)) from error
    console.print(comparison_table(loaded, results))
    monitor = envelope_table(results)
    if monitor is not None:
        console.print(monitor)
    console.print(loaded.description.strip(), style="dim")
    timing = ", ".join(f"{r.policy} {r.seconds:.1f} s" for r in results)
    console.print(f"seed {loaded.seed}, tick {loaded.tick} s; run time {timing}", style="dim")
    if json_file is not None:
        json_file.write_text(json.dumps(report(loaded, path, results), indent=1))
        console.print(f"wrote {json_file}")
    if plot_file is not None:
        from simulation.plot import plot_comparison

        plot_comparison(loaded.name, results, plot_file)
        console.print(f"wrote {plot_file}")

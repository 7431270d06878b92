"""``zle simulate``: run a scenario through the liquidation policies and compare them."""

from __future__ import annotations

from contextlib import ExitStack
from importlib.resources import as_file
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.table import Table

from simulation.file_text import parse_toml
from simulation.files import ConfigFileError, load_scenario
from simulation.metrics import ROWS, RunResult, cell, hours
from simulation.runner import SimulationError, run_policy, tick_count
from simulation.scenario import POLICY_NAMES, Scenario
from simulation.shipped import scenario_names, shipped_scenario, shipped_system, system_names
from simulation.system_files import is_system_file
from zle.exits import BadInput
from zle.output import (
    OutputFile,
    emit_json,
    json_option,
    report_console,
    wants_report,
    write_into_place,
)
from zle.progress import no_progress_option, progress
from zle.simulate_system import simulate_system

DEFAULT_SCENARIO = "blackthursday2020-1h"
PLOT_SUFFIXES = (".png", ".svg", ".pdf")


def resolve(name: str, stack: ExitStack) -> Path:
    """A scenario file: ``name`` as a path, else the shipped scenario of that name."""
    given = Path(name)
    if given.is_file():
        return given
    shipped = shipped_scenario(name) or shipped_system(name)
    if shipped is not None:
        return stack.enter_context(as_file(shipped))
    if given.exists():
        raise BadInput(f"{name} is a directory, not a scenario file")
    names = ", ".join([*scenario_names(), *system_names()])
    raise BadInput(f"no file {name!r} and no shipped scenario of that name ({names})")


def declares_markets(path: Path) -> bool:
    """Whether ``path`` is a file with several markets (a TOML error is left to the
    single-market loader, which reports it)."""
    try:
        doc, _ = parse_toml(path)
    except ConfigFileError:
        return False
    return is_system_file(doc)


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


def run_all(scenario: Scenario, policies: list[str], no_progress: bool) -> list[RunResult]:
    results = []
    for policy in policies:
        with progress(policy, tick_count(scenario), "ticks", no_progress=no_progress) as bar:
            results.append(run_policy(scenario, policy, bar.advance))
    return results


def _plot_file(ctx: click.Context, param: click.Parameter, value: Path | None) -> Path | None:
    """Checked before the run: a plot needs matplotlib (the ``plot`` extra)."""
    if value is not None:
        try:
            import matplotlib  # noqa: F401
        except ImportError:
            raise click.BadParameter(
                "plotting needs matplotlib: pip install 'zero-loss-engine[plot]'"
            ) from None
    return value


def write_plot(name: str, results: list[RunResult], target: Path) -> None:
    """The figure, written beside ``target`` and renamed into place when complete."""
    from simulation.plot import plot_comparison

    write_into_place(target, lambda path: plot_comparison(name, results, path))


@click.command()
@click.argument("scenario", default=DEFAULT_SCENARIO)
@click.option(
    "--policy",
    type=click.Choice([*POLICY_NAMES, "all"]),
    default="all",
    show_default=True,
    help="Which liquidation policy to run; all runs the same path through each.",
)
@click.option(
    "--plot",
    "plot_file",
    type=OutputFile(suffixes=PLOT_SUFFIXES),
    callback=_plot_file,
    help="Write the comparison figure to FILE (.png, .svg or .pdf; needs matplotlib).",
)
@json_option("the results (metrics and series of every policy)")
@no_progress_option
def simulate(
    scenario: str,
    policy: str,
    plot_file: Path | None,
    json_target: Path | str | None,
    no_progress: bool,
) -> None:
    """Run SCENARIO (a TOML file, or the name of one shipped in scenarios/) through the
    policies.

    Prints one table with a column per policy. Format of scenario files and the meaning
    of every row: scenarios/README.md. A file with several markets ([[market]] tables,
    shipped: may2022, depeg-usdt, depeg-spiral, correlated) runs every topology and
    policy it names: a table per market, the totals, and a panel per market with --plot.

    Exit status 0: the scenario ran; 2: it cannot be used (every problem of the file is
    listed), or an output path is unusable (checked before the run).
    """
    console: Console = report_console()
    with ExitStack() as stack:
        path = resolve(scenario, stack)
        if declares_markets(path):
            simulate_system(scenario, path, policy, plot_file, json_target)
            return
        try:
            loaded = load_scenario(path)
        except ConfigFileError as error:
            raise BadInput(
                f"{scenario} is not a usable scenario: {len(error.problems)} problem(s)",
                error.problems,
            ) from None
    policies = list(POLICY_NAMES) if policy == "all" else [policy]
    try:
        results = run_all(loaded, policies, no_progress)
    except SimulationError as error:
        raise BadInput(f"{scenario} cannot be run: {error}") from None
    shown = wants_report(json_target)
    if shown:
        console.print(comparison_table(loaded, results))
        monitor = envelope_table(results)
        if monitor is not None:
            console.print(monitor)
        console.print(loaded.description.strip(), style="dim", markup=False)
        timing = ", ".join(f"{r.policy} {r.seconds:.1f} s" for r in results)
        console.print(f"seed {loaded.seed}, tick {loaded.tick} s; run time {timing}", style="dim")
    emit_json(json_target, report(loaded, path, results), console if shown else None)
    if plot_file is not None:
        write_plot(loaded.name, results, plot_file)
        if shown:
            console.print(f"wrote {plot_file}")

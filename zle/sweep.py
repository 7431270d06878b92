"""``zle sweep FILE``: a Monte Carlo sweep on Dask, its table of runs and its tail figures."""

from __future__ import annotations

from contextlib import ExitStack
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.table import Table

from simulation.file_text import ConfigFileError
from simulation.sweeps.cluster import ClusterError
from simulation.sweeps.execute import TABLES, FolderError, SweepRun, folder_problem, run_sweep
from simulation.sweeps.spec import Sweep, load_sweep, resolve_sweep, shipped_sweep_names
from zle.exits import FINDING, BadInput
from zle.output import OutputDir, emit_json, json_option, report_console, wants_report
from zle.progress import default_jobs, no_progress_option, progress


def load(name: str, stack: ExitStack) -> Sweep:
    """The sweep ``name`` (a file, or a shipped sweep), or bad input naming every problem."""
    path = resolve_sweep(name, stack)
    if path is None:
        if Path(name).exists():
            raise BadInput(f"{name} is a directory, not a sweep file")
        known = ", ".join(shipped_sweep_names()) or "none"
        raise BadInput(f"no file {name!r} and no shipped sweep of that name ({known})")
    try:
        return load_sweep(path, stack)
    except ConfigFileError as error:
        raise BadInput(
            f"{name} is not a usable sweep: {len(error.problems)} problem(s); nothing run",
            error.problems,
        ) from None


def _money(value: float | None) -> str:
    return "-" if value is None else f"{value:,.0f}"


def _share(value: float | None) -> str:
    return "-" if value is None else f"{value:.1%}"


def summary_table(sweep: Sweep, run: SweepRun) -> Table:
    """Per parameter set and policy: the total economic loss's tail, the LP loss's, and
    how often LPs lose anything (``simulation.sweeps.summary`` defines each figure)."""
    table = Table(title=f"{sweep.name}: {run.rows and len(run.rows):,} runs", title_justify="left")
    several = len(sweep.variants) > 1
    if several:
        table.add_column("parameter set")
    table.add_column("policy")
    table.add_column("runs", justify="right")
    for figure in ("mean", "median", "p95", "p99", "max", "ES99"):
        table.add_column(f"total {figure}", justify="right")
    for figure in ("mean", "p99", "max", "ES99"):
        table.add_column(f"LP {figure}", justify="right")
    table.add_column("P(LP loss)", justify="right")
    table.add_column("outside envelope", justify="right")
    labels = {v.index: v.label() for v in sweep.variants}
    for entry in run.summary:
        total, lp = entry["total_loss"], entry["lp_loss"]
        runs = f"{entry['runs']:,}" + (f" ({entry['failed']} failed)" if entry["failed"] else "")
        cells = [entry["policy"], runs]
        cells += [_money(total[f]) for f in ("mean", "median", "p95", "p99", "max", "es99")]
        cells += [_money(lp[f]) for f in ("mean", "p99", "max", "es99")]
        cells += [_share(entry["p_lp_loss"]), _share(entry["p_outside_envelope"])]
        table.add_row(*([labels[entry["variant"]]] if several else []), *cells)
    table.caption = (
        "quote units; total = total economic loss (LOSS-TOTAL) at each path's final price; "
        "p95/p99 nearest rank; ES99 = mean of the worst 1 %"
    )
    table.caption_justify = "left"
    return table


def out_dir(sweep_name: str, out: Path | None) -> Path:
    target = out if out is not None else Path("out") / "sweeps" / Path(sweep_name).stem
    problem = folder_problem(target)
    if problem is not None:
        raise BadInput(f"--out {problem}")
    return target


def _plots_wanted(ctx: click.Context, param: click.Parameter, value: bool) -> bool:
    if value:
        try:
            import matplotlib  # noqa: F401
        except ImportError:
            raise click.BadParameter(
                "plotting needs matplotlib: pip install 'zero-loss-engine[plot]'"
            ) from None
    return value


def report_json(sweep: Sweep, run: SweepRun, plots: list[Path]) -> dict[str, Any]:
    return {
        "sweep": {"name": sweep.name, "file": str(sweep.file), "runs": sweep.runs},
        "table": str(run.table),
        "ran": run.ran,
        "reused": run.reused,
        "failed": run.failed,
        "seconds": run.seconds,
        "workers": run.workers,
        "dashboard": run.dashboard,
        "summary": run.summary,
        "plots": [str(p) for p in plots],
    }


@click.command("sweep")
@click.argument("file")
@click.option(
    "--out",
    type=OutputDir(),
    help="Folder of the results (default out/sweeps/NAME): the journal of finished runs, "
    "the table, the summary and the figures. Rerunning into it skips what is done.",
)
@click.option(
    "--format",
    "form",
    type=click.Choice(sorted(TABLES)),
    default="parquet",
    show_default=True,
    help="The table of runs: Parquet (runs.parquet) or CSV (runs.csv).",
)
@click.option(
    "--workers",
    type=click.IntRange(1, 512),
    default=None,
    help="Worker processes of the embedded LocalCluster (default: one per core).",
)
@click.option(
    "--scheduler",
    metavar="ADDRESS",
    help="Run on the existing Dask cluster whose scheduler is at ADDRESS "
    "(tcp://host:8786) instead of an embedded LocalCluster.",
)
@click.option("--retry-failed", is_flag=True, help="Run again the runs that failed before.")
@click.option(
    "--plot",
    "plot",
    is_flag=True,
    callback=_plots_wanted,
    help="Also write the figures (loss distributions per policy; tail loss over the "
    "parameter grid) into the folder; needs matplotlib.",
)
@json_option("the summary (every figure per parameter set and policy)")
@no_progress_option
def sweep_command(
    file: str,
    out: Path | None,
    form: str,
    workers: int | None,
    scheduler: str | None,
    retry_failed: bool,
    plot: bool,
    json_target: Path | str | None,
    no_progress: bool,
) -> None:
    """Run the sweep FILE (a TOML file, or the name of one in scenarios/sweeps/): every
    scenario x parameter set x seed x policy as a task on Dask.

    Writes one row per run (every part of the loss, extraction, liquidations, whether
    gen 3 stayed inside the proven envelope) and the tail per parameter set and policy.

    Exit status 0: every run finished; 1: some runs failed (each is a row with its
    inputs and traceback; --retry-failed runs them again); 2: FILE, --out or
    --scheduler cannot be used (nothing run).
    """
    console: Console = report_console()
    shown = wants_report(json_target)
    with ExitStack() as stack:
        sweep = load(file, stack)
    target = out_dir(file, out)
    jobs = workers or default_jobs()
    with progress("sweep", sweep.runs, "runs", no_progress=no_progress) as bar:

        def started(to_run: int, count: int, dashboard: str | None) -> None:
            reused = sweep.runs - to_run
            note = f"{count} workers" + (f", dashboard {dashboard}" if dashboard else "")
            bar.update(completed=reused, note=note)
            if dashboard:
                click.echo(f"Dask dashboard: {dashboard}", err=True)

        try:
            run = run_sweep(
                sweep,
                target,
                form=form,
                workers=jobs,
                scheduler=scheduler,
                retry_failed=retry_failed,
                started=started,
                advance=bar.advance,
            )
        except ClusterError as error:
            raise BadInput(f"--scheduler: {error}") from None
        except FolderError as error:
            raise BadInput(f"--out {error}") from None
    plots: list[Path] = []
    if plot:
        from simulation.sweeps.plot import write_plots

        plots = write_plots(sweep, run, target)
    if shown:
        console.print(summary_table(sweep, run))
        console.print(
            f"{run.ran:,} runs on {run.workers} workers in {run.seconds:.1f} s, "
            f"{run.reused:,} reused from {target}; wrote {run.table}"
            + "".join(f", {p}" for p in plots),
            style="dim",
        )
        if run.failed:
            console.print(
                f"[red]{run.failed} run(s) failed[/red]: their inputs and tracebacks are "
                f"rows of {run.table} (status = failed)"
            )
    emit_json(json_target, report_json(sweep, run, plots), console if shown else None)
    if run.failed:
        raise SystemExit(FINDING)

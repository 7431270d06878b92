"""``zle replay TRACE``: does an implementation's trace agree with the model?

Exit status: 0 the trace conforms, 1 it diverges (the first divergence is shown),
2 the file is malformed (line number and reason; never a traceback).
"""

from __future__ import annotations

import json
import sys
import time
from typing import cast

import click
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from crosscheck.replay import DEFAULT_CHECK_EVERY, ModelFailure, ReplayReport, render_value, replay
from crosscheck.trace import MalformedTrace, TraceReader, Validation, open_trace

EXIT_CONFORMS, EXIT_DIVERGES, EXIT_MALFORMED = 0, 1, 2


def _progress_replay(
    reader: TraceReader, size: int | None, check_every: int, show: bool
) -> ReplayReport:
    if not show or size is None:
        return replay(reader.header, reader, check_every)
    columns = (
        TextColumn("replaying"),
        BarColumn(),
        TextColumn("{task.fields[steps]:,} steps"),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task("replay", total=size, steps=0)

        def advance(steps: int) -> None:
            bar.update(task, completed=reader.bytes_read, steps=steps)

        return replay(reader.header, reader, check_every, progress=advance)


def _render(report: ReplayReport, console: Console, path: str, seconds: float) -> None:
    if report.divergence is None:
        console.print(
            f"[green]conforms[/green]: {path}: {report.steps:,} steps and "
            f"{report.checkpoints:,} checkpoints agree with the model ({seconds:,.1f} s)"
        )
    else:
        d = report.divergence
        what = "checkpoint" if d.action is None else f"step {d.step}"
        console.print(f"[red]diverges[/red] at {what} (line {d.line}) of {path}")
        if d.action is not None:
            console.print(f"action: {json.dumps(d.action)}")
        table = Table("field", "expected (model)", "recorded (implementation)")
        for diff in d.diffs:
            table.add_row(diff.path, render_value(diff.expected), render_value(diff.recorded))
        console.print(table)
    if report.check_every == 0:
        console.print("invariants: not checked (--check-every 0)")
    elif report.violations:
        console.print("[yellow]invariant violations found by the model along the way:[/yellow]")
        for v in report.violations:
            where = "the initial state" if v.step == 0 else f"step {v.step}"
            console.print(f"  {v.requirement} from {where}")
    else:
        console.print(
            f"invariants: none violated (step properties every step, state invariants "
            f"every {report.check_every:,} steps and at the end)"
        )


@click.command("replay")
@click.argument("trace", type=click.Path(dir_okay=False, allow_dash=True))
@click.option("--json", "as_json", is_flag=True, help="Print the report as one JSON object.")
@click.option(
    "--check-every",
    type=click.IntRange(min=0),
    default=DEFAULT_CHECK_EVERY,
    show_default=True,
    help="Check the state invariants every K steps (and at the end); 0 checks no invariant.",
)
@click.option(
    "--validate",
    type=click.Choice(["all", "sample", "schema"]),
    default="all",
    show_default=True,
    help="all: every record validated (a step that agrees with the model by agreeing "
    "with the model's own valid encoding and by a strict decoder, any other through the "
    "JSON Schema); schema: every step through the JSON Schema validator too (slower); "
    "sample: the same as all.",
)
@click.option(
    "--jobs",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    help="Replay on this many cores, one segment each, split at the trace's checkpoints "
    "(the same report as one replay; a trace without checkpoints runs on one).",
)
@click.option("--no-progress", is_flag=True, help="No progress bar.")
def replay_command(
    trace: str, as_json: bool, check_every: int, validate: str, jobs: int, no_progress: bool
) -> None:
    """Replay TRACE through the model and report the first divergence.

    Exit status 0: the trace conforms; 1: it diverges; 2: it is malformed.
    """
    console = Console(soft_wrap=True)
    started = time.perf_counter()
    stream = None
    try:
        reader, stream = open_trace(trace, cast(Validation, validate))
        size = None
        if trace != "-":
            import os

            size = os.fstat(stream.fileno()).st_size
        show = not no_progress and not as_json and Console(stderr=True).is_terminal
        segments = None
        if jobs > 1 and trace != "-":
            from pathlib import Path

            from crosscheck.parallel import plan, replay_parallel

            segments = plan(Path(trace), jobs)
        if segments is not None:
            report = replay_parallel(Path(trace), segments, check_every, cast(Validation, validate))
        else:
            report = _progress_replay(reader, size, check_every, show)
    except (MalformedTrace, ModelFailure) as error:
        if as_json:
            click.echo(json.dumps({"malformed": str(error)}))
        else:
            click.echo(f"malformed trace: {error}", err=True)
        sys.exit(EXIT_MALFORMED)
    finally:
        if stream is not None and trace != "-":
            stream.close()
    seconds = time.perf_counter() - started
    if as_json:
        click.echo(json.dumps({**report.to_json(), "seconds": round(seconds, 3)}))
    else:
        _render(report, console, trace, seconds)
    sys.exit(EXIT_CONFORMS if report.conforms else EXIT_DIVERGES)

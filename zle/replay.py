"""``zle replay TRACE``: does an implementation's trace agree with the model?

Exit status: 0 the trace conforms, 1 it diverges (the first divergence is shown),
2 the file is malformed (line number and reason; never a traceback).
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import cast

import click
from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from crosscheck.replay import DEFAULT_CHECK_EVERY, ModelFailure, ReplayReport, render_value, replay
from crosscheck.trace import MalformedTrace, TraceReader, Validation, open_trace
from zle.exits import FINDING, OK, BadInput
from zle.output import emit_json, json_option, report_console, wants_report
from zle.progress import no_progress_option, progress


def _progress_replay(
    reader: TraceReader, size: int | None, check_every: int, no_progress: bool
) -> ReplayReport:
    with progress("replaying", size, no_progress=no_progress or size is None) as bar:

        def advance(steps: int) -> None:
            bar.update(completed=reader.bytes_read, note=f"{steps:,} steps")

        return replay(reader.header, reader, check_every, progress=advance)


def _render(report: ReplayReport, console: Console, path: str, seconds: float) -> None:
    if report.divergence is None:
        console.print(
            f"[green]conforms[/green]: {escape(path)}: {report.steps:,} steps and "
            f"{report.checkpoints:,} checkpoints agree with the model ({seconds:,.1f} s)"
        )
    else:
        d = report.divergence
        what = "checkpoint" if d.action is None else f"step {d.step}"
        console.print(f"[red]diverges[/red] at {what} (line {d.line}) of {escape(path)}")
        if d.action is not None:
            console.print(f"action: {json.dumps(d.action)}", markup=False)
        table = Table("field", "expected (model)", "recorded (implementation)")
        for diff in d.diffs:
            table.add_row(
                Text(diff.path),
                Text(render_value(diff.expected)),
                Text(render_value(diff.recorded)),
            )
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
@json_option("the report")
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
@no_progress_option
def replay_command(
    trace: str,
    json_target: Path | str | None,
    check_every: int,
    validate: str,
    jobs: int,
    no_progress: bool,
) -> None:
    """Replay TRACE through the model and report the first divergence.

    TRACE is a version 2 trace (one market) or a version 3 trace (a system of markets,
    replayed through the system's step and checked against its invariants, on one core).

    Exit status 0: the trace conforms; 1: it diverges; 2: it is malformed.
    """
    console = report_console()
    started = time.perf_counter()
    stream = None
    try:
        reader, stream = open_trace(trace, cast(Validation, validate))
        size = None if trace == "-" else os.fstat(stream.fileno()).st_size
        segments = None
        if jobs > 1 and trace != "-" and not reader.system:
            from crosscheck.parallel import plan, replay_parallel

            segments = plan(Path(trace), jobs)
        if segments is not None:
            report = replay_parallel(Path(trace), segments, check_every, cast(Validation, validate))
        else:
            report = _progress_replay(reader, size, check_every, no_progress)
    except (MalformedTrace, ModelFailure) as error:
        raise BadInput(f"malformed trace: {error}") from None
    finally:
        if stream is not None and trace != "-":
            stream.close()
    seconds = time.perf_counter() - started
    if wants_report(json_target):
        _render(report, console, trace, seconds)
    document = {**report.to_json(), "seconds": round(seconds, 3)}
    emit_json(json_target, document, console if wants_report(json_target) else None)
    raise SystemExit(OK if report.conforms else FINDING)

"""``zle record TRACE --impl IMPL``: an implementation's own trace of TRACE's actions.

The way to a trace recorded from a contract without writing a recorder: any trace
gives the start (its header's configuration and state) and the actions (its steps);
the implementation runs them and its outcomes, events and state changes are written
as a trace of its own, which ``zle replay`` then compares with the model.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import click
from rich.markup import escape

from crosscheck import system_adapter
from crosscheck.adapter import AdapterError, UnsupportedCase, load_implementation
from crosscheck.record import record_implementation
from crosscheck.trace import Header, MalformedTrace, StepRecord, open_trace
from crosscheck.wire import JsonObject
from zle.exits import FINDING, BadInput
from zle.output import OutputFile, emit_json, json_option, report_console, wants_report
from zle.progress import no_progress_option, progress


@click.command("record")
@click.argument("trace", type=click.Path(dir_okay=False, allow_dash=True))
@click.option(
    "--impl", "impl", required=True, help="MODULE:FACTORY or evm:MAPPING of the implementation."
)
@click.option(
    "--out",
    type=OutputFile(),
    default="recorded.jsonl",
    show_default=True,
    help="Where to write the implementation's trace.",
)
@json_option('{"trace", "steps", "source"}: what was written')
@no_progress_option
def record_command(
    trace: str, impl: str, out: Path, json_target: Path | str | None, no_progress: bool
) -> None:
    """Run the actions of TRACE through the implementation, from TRACE's start state
    and configuration, and write what it did as its own trace, OUT: `zle replay OUT`
    shows where it departs from the model.

    TRACE is any trace (a vector sequence, a fuzz divergence, one the model wrote): only
    its header and its actions are used. A system trace (version 3) needs an
    implementation of systems (`systems = True`), and gives a system trace.

    Exit status 0: written; 1: the implementation failed on a step (nothing written);
    2: TRACE is malformed, or --impl cannot be loaded or does not implement its policy.
    """
    stream = None
    try:
        reader, stream = open_trace(trace)
        header = reader.header
        actions: list[JsonObject] = [r.raw["action"] for r in reader if isinstance(r, StepRecord)]
    except MalformedTrace as error:
        raise BadInput(f"malformed trace: {error}") from None
    finally:
        if stream is not None and trace != "-":
            stream.close()
    try:
        implementation = load_implementation(impl)
    except AdapterError as error:
        raise BadInput(f"cannot record: {error}", error.problems) from None
    step = [0]

    def counted() -> Iterator[JsonObject]:
        for action in actions:
            step[0] += 1
            yield action

    console = report_console()
    try:
        producer = f"zle record --impl {impl} (the actions of {Path(trace).name})"
        with progress("recording", no_progress=no_progress):
            if isinstance(header, Header):
                record_implementation(
                    out,
                    implementation,
                    header.raw["config"],
                    header.raw["state"],
                    counted(),
                    producer=producer,
                )
            else:
                system_adapter.record_implementation(
                    out, implementation, header.raw, counted(), producer=producer
                )
    except UnsupportedCase as error:
        raise BadInput(f"cannot record {trace}: {error}") from None
    except (Exception, SystemExit) as error:  # the implementation's failure is a finding
        where = f"step {step[0]}" if step[0] else "reset"
        message = (
            f"the implementation failed at {where} of {trace}: {type(error).__name__}: {error}"
        )
        if wants_report(json_target):
            console.print(f"[red]not recorded[/red]: {escape(message)}")
        emit_json(json_target, {"error": message, "step": step[0]}, None)
        raise SystemExit(FINDING) from None
    if wants_report(json_target):
        console.print(
            f"recorded {len(actions):,} steps of {trace} from {impl} to {out}; "
            f"replay it: zle replay {out}",
            markup=False,
        )
    document = {"trace": str(out), "steps": len(actions), "source": trace}
    emit_json(json_target, document, console if wants_report(json_target) else None)

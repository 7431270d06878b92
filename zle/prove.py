"""``zle prove``: discharge the proof obligations and print the report.

Exit status 0 when every obligation passed (proved, or a canary refuted), 1 otherwise,
2 for bad arguments. Z3 ``unknown`` is a failure, as is a vacuous proof. Each
counterexample is printed as a concrete pre-state and action, and written as a
replayable trace (``--out``). Rows follow the order of ``spec/requirements.md``.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.table import Table

from crosscheck.spec_files import requirement_order
from proofs.obligation import Obligation
from proofs.registry import BY_NAME, select
from proofs.report import Record, Row, run_all, summarise
from proofs.world import ModelSource
from zle.exits import FINDING, BadInput
from zle.output import OutputDir, emit_json, json_option, report_console, wants_report
from zle.progress import default_jobs, no_progress_option, progress


def counterexample_lines(obligation: Obligation, witness: dict[str, int]) -> list[str]:
    """A readable account of a counterexample: the concrete inputs and what happened."""
    subject = obligation.task.build(ModelSource(witness))
    lines: list[str] = []
    pre = getattr(subject, "pre", None)
    if pre is not None:
        lines.append(f"time {pre.time}; oracle {pre.oracle}")
        lines.append(f"pool {pre.pool}; buffers {pre.buffers}")
        lines.extend(f"position {k}: {v}" for k, v in pre.positions.items())
        lines.extend(f"auction {k}: {v}" for k, v in pre.auctions.items())
        lines.append(f"exposure {pre.exposure}, unbacked {pre.unbacked}")
    for name in ("action", "actions", "outcome"):
        value = getattr(subject, name, None)
        if value is not None:
            lines.append(f"{name}: {value}")
    return lines


def write_trace(obligation: Obligation, witness: dict[str, int], directory: Path) -> Path | None:
    """The counterexample as a trace of the model (header + its actions), if its
    configuration has a wire form (gen 2's abstracted curve has none)."""
    from crosscheck.record import record_model

    subject = obligation.task.build(ModelSource(witness))
    pre = getattr(subject, "pre", None)
    actions = getattr(subject, "actions", None)
    if actions is None and getattr(subject, "action", None) is not None:
        actions = [subject.action]
    if pre is None or actions is None:
        return None
    path = directory / (obligation.name.replace("/", "__") + ".jsonl")
    try:
        record_model(path, pre.config, pre, actions, producer="zle prove counterexample")
    except Exception:  # a configuration the trace format cannot carry
        return None
    return path


def in_spec_order(rows: Iterable[Row]) -> list[Row]:
    """Rows in the order their IDs are listed in ``spec/requirements.md`` (IDs it does
    not list last, by name), then by policy."""
    order = requirement_order()
    return sorted(
        rows, key=lambda r: (order.get(r.requirement, len(order)), r.requirement, r.policy)
    )


def render(records: list[Record], console: Console, seconds: float, detail: bool) -> None:
    table = Table(title="proof obligations", title_justify="left")
    for column in ("ID", "policy", "obligations", "result", "rlimit", "time (s)"):
        right = column in ("rlimit", "time (s)")
        table.add_column(column, justify="right" if right else "left", overflow="fold")
    for row in in_spec_order(summarise(records)):
        style = "red" if row.failed else "green"
        table.add_row(
            row.requirement,
            row.policy,
            str(row.obligations),
            f"[{style}]{row.verdicts}[/{style}]",
            f"{row.rlimit:,}",
            f"{row.seconds:.2f}",
        )
    console.print(table)
    if detail:
        full = Table("obligation", "result", "paths", "rlimit", "time (s)", title="all obligations")
        for r in records:
            used, took = f"{r.total_rlimit:,}", f"{r.total_seconds:.2f}"
            full.add_row(r.name, r.verdict, str(r.paths), used, took)
        console.print(full)
    failed = [r for r in records if not r.passed]
    slowest = sorted(records, key=lambda r: r.total_seconds, reverse=True)[:5]
    console.print(
        f"{len(records) - len(failed)}/{len(records)} obligations passed in {seconds:.1f} s wall; "
        f"slowest: " + ", ".join(f"{r.name} {r.total_seconds:.2f} s" for r in slowest)
    )
    for r in failed:
        console.print(f"[red]{r.verdict}[/red] {r.name}: {r.detail}")


def listing(obligations: list[Obligation]) -> list[dict[str, Any]]:
    """Each requirement ID (spec order) with its policies and obligation names."""
    order = requirement_order()
    by_id: dict[str, list[Obligation]] = {}
    for o in obligations:
        for requirement in o.requirement_ids:
            by_id.setdefault(requirement, []).append(o)
    ids = sorted(by_id, key=lambda r: (order.get(r, len(order)), r))
    return [
        {
            "id": requirement,
            "policies": sorted({o.policy for o in by_id[requirement]}),
            "obligations": [o.name for o in by_id[requirement]],
        }
        for requirement in ids
    ]


def print_listing(entries: list[dict[str, Any]], console: Console, detail: bool) -> None:
    table = Table("ID", "policies", "obligations", title="requirement IDs with proof obligations")
    for entry in entries:
        names = entry["obligations"]
        shown = "\n".join(names) if detail else str(len(names))
        table.add_row(entry["id"], " ".join(entry["policies"]), shown)
    console.print(table)
    total = sum(len(e["obligations"]) for e in entries)
    console.print(f"{len(entries)} requirement IDs, {total} obligation entries")


def _check_only(only: tuple[str, ...]) -> None:
    blank = [key for key in only if not key.strip()]
    if blank:
        raise click.BadParameter(
            "an empty ID or name matches nothing; omit --only to prove everything",
            param_hint="--only",
        )


@click.command("prove")
@click.option("--only", multiple=True, help="Requirement ID, obligation name or name prefix.")
@json_option("every obligation's result")
@click.option(
    "--jobs", type=click.IntRange(min=1), default=None, help="Worker processes (default: CPUs)."
)
@click.option("--detail", is_flag=True, help="Print every obligation, not only the summary.")
@click.option(
    "--out",
    type=OutputDir(),
    default="out/counterexamples",
    show_default=True,
    help="Where counterexample traces are written.",
)
@click.option(
    "--deep",
    is_flag=True,
    help="Also the deeper tier: the slowest proofs (the dss curves' long horizons); "
    "make test and CI run it.",
)
@click.option("--list", "list_only", is_flag=True, help="List the requirement IDs and exit.")
@no_progress_option
def prove_command(
    only: tuple[str, ...],
    json_target: Path | str | None,
    jobs: int | None,
    detail: bool,
    out: Path,
    deep: bool,
    list_only: bool,
    no_progress: bool,
) -> None:
    """Discharge the proof obligations of proofs/ and print the report.

    Exit status 0: every obligation passed; 1: one failed; 2: bad arguments.
    """
    _check_only(only)
    console = report_console()
    report = wants_report(json_target)
    obligations = select(only, deep=deep or list_only)
    if not obligations:
        raise BadInput(f"no obligation matches {' '.join(only)} (zle prove --list shows them)")
    if list_only:
        entries = listing(obligations)
        if report:
            print_listing(entries, console, detail)
        emit_json(json_target, {"requirements": entries}, console if report else None)
        return
    started = time.perf_counter()
    with progress("proving", len(obligations), "obligations", no_progress=no_progress) as bar:
        records = run_all(
            obligations,
            jobs=jobs or default_jobs(),
            on_task_done=lambda done: bar.advance(len(done)),
        )
    seconds = time.perf_counter() - started
    if report:
        render(records, console, seconds, detail)
        skipped = len(select(only, deep=True)) - len(obligations)
        if skipped:
            console.print(f"{skipped} deeper-tier obligations not run (zle prove --deep runs them)")
    for r in records:
        if r.verdict == "counterexample" and r.witness is not None:
            obligation = BY_NAME[r.name]
            trace = write_trace(obligation, r.witness, out)
            if not report:
                continue
            console.print(f"[red]counterexample[/red] to {r.name}:")
            for line in counterexample_lines(obligation, r.witness):
                console.print(f"  {line}", markup=False)
            if trace is not None:
                console.print(f"  replayable trace: {trace} (zle replay {trace})")
    document: dict[str, Any] = {
        "wall_seconds": round(seconds, 2),
        "obligations": [r.to_json() for r in records],
    }
    emit_json(json_target, document, console if report else None)
    if any(not r.passed for r in records):
        raise SystemExit(FINDING)

"""``zle prove``: discharge the proof obligations and print the report.

Exit status 0 when every obligation passed (proved, or a canary refuted), 1 otherwise.
Z3 ``unknown`` is a failure, as is a vacuous proof. Each counterexample is printed as a
concrete pre-state and action, and written as a replayable trace (``--out``).
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.table import Table

from proofs.obligation import Obligation
from proofs.registry import BY_NAME, select
from proofs.report import Record, run_all, summarise
from proofs.world import ModelSource
from zle.progress import counting_progress, default_jobs


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


def render(records: list[Record], console: Console, seconds: float, detail: bool) -> None:
    table = Table(title="proof obligations", title_justify="left")
    for column in ("ID", "policy", "obligations", "result", "rlimit", "time (s)"):
        table.add_column(column, justify="right" if column in ("rlimit", "time (s)") else "left")
    for row in summarise(records):
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


@click.command("prove")
@click.option("--only", multiple=True, help="Requirement ID, obligation name or name prefix.")
@click.option("--json", "json_path", type=click.Path(dir_okay=False), help="Write every result.")
@click.option("--jobs", type=int, default=None, help="Worker processes (default: CPUs).")
@click.option("--detail", is_flag=True, help="Print every obligation, not only the summary.")
@click.option(
    "--out",
    type=click.Path(file_okay=False),
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
def prove_command(
    only: tuple[str, ...],
    json_path: str | None,
    jobs: int | None,
    detail: bool,
    out: str,
    deep: bool,
) -> None:
    """Discharge the proof obligations of proofs/ and print the report."""
    console = Console()
    obligations = select(only, deep=deep)
    if not obligations:
        raise click.UsageError(f"no obligation matches {' '.join(only)}")
    started = time.perf_counter()
    with counting_progress("proving", "obligations") as bar:
        progress = bar.add_task("prove", total=len(obligations))
        records = run_all(
            obligations,
            jobs=jobs or default_jobs(),
            on_task_done=lambda done: bar.advance(progress, len(done)),
        )
    seconds = time.perf_counter() - started
    render(records, console, seconds, detail)
    skipped = len(select(only, deep=True)) - len(obligations)
    if skipped:
        console.print(f"{skipped} deeper-tier obligations not run (zle prove --deep runs them)")
    for r in records:
        if r.verdict == "counterexample" and r.witness is not None:
            obligation = BY_NAME[r.name]
            console.print(f"[red]counterexample[/red] to {r.name}:")
            for line in counterexample_lines(obligation, r.witness):
                console.print(f"  {line}")
            trace = write_trace(obligation, r.witness, Path(out))
            if trace is not None:
                console.print(f"  replayable trace: {trace} (zle replay {trace})")
    if json_path:
        report: dict[str, Any] = {
            "wall_seconds": round(seconds, 2),
            "obligations": [r.to_json() for r in records],
        }
        from crosscheck.trace import write_json

        write_json(json_path, report)
        console.print(f"wrote {json_path}")
    if any(not r.passed for r in records):
        raise SystemExit(1)

"""``zle mutants``: run the proof obligations against each mutant of the catalogue.

Prints one line per mutant (how it died, and by which obligations), the matrix of mutant
x requirement ID, and the kill rate. Exit status 1 when a mutant that is not documented as
equivalent survives (or an "equivalent" one is killed by a counterexample), 2 when the
catalogue itself is broken (a snippet that no longer occurs exactly once) or an argument is.
"""

from __future__ import annotations

from pathlib import Path

import click
from rich.console import Console
from rich.table import Table

from proofs.mutants.catalogue import ROOT, check
from proofs.mutants.generated import CATALOGUE, CATALOGUE_BY_ID, GENERATED, GENERATED_KINDS
from proofs.mutants.matrix import SCOPES, Cell, Outcome, Report, run_matrix, units_of
from proofs.mutants.sites import scan
from zle.exits import FINDING, BadInput
from zle.output import PIPE_WIDTH, emit_json, json_option, report_console, wants_report
from zle.progress import default_jobs, no_progress_option, progress

CELL_TEXT = {
    Cell.COUNTEREXAMPLE: "[bold red]X[/bold red]",
    Cell.OTHER: "[yellow]o[/yellow]",
    Cell.SURVIVED: "[green].[/green]",
    Cell.BASELINE: "[dim]b[/dim]",
    Cell.NOT_RUN: "",
}
LEGEND = (
    "X killed by a counterexample; o killed otherwise (error, unknown, vacuous, not refuted, "
    "import, crash, timeout); . ran and survived; b failed on the unmutated model too "
    "(no kill); blank: not run"
)


def _kill_text(outcome: Outcome) -> str:
    kill = outcome.kill
    if kill == "counterexample":
        return "[red]counterexample[/red]"
    if kill == "survived":
        style = "dim" if outcome.mutant.equivalent else "bold magenta"
        label = "survived (equivalent)" if outcome.mutant.equivalent else "SURVIVED"
        return f"[{style}]{label}[/{style}]"
    return f"[yellow]{kill}[/yellow]"


def _killed_by(outcome: Outcome) -> str:
    if outcome.run.status != "ran":
        return outcome.run.detail.splitlines()[-1][:80] if outcome.run.detail else ""
    shown = list(outcome.killed_by[:1])
    more = len(outcome.killed_by) - len(shown)
    return ", ".join(shown) + (f" +{more}" if more > 0 else "")


def scan_summary() -> str:
    """The catalogue's size, and its generated part checked against a fresh scan."""
    sites = scan(ROOT, GENERATED_KINDS)
    covered = {m.id for m in GENERATED} == {s.id for s in sites}
    verdict = "every site has its mutant" if covered else "MISMATCH: rebuild the catalogue"
    counts = ", ".join(
        f"{sum(1 for s in sites if s.kind == kind)} {kind}" for kind in GENERATED_KINDS
    )
    return (
        f"catalogue: {len(CATALOGUE)} mutants, {len(CATALOGUE) - len(GENERATED)} written by "
        f"hand and {len(GENERATED)} generated; the scan of model/ finds {counts} sites: "
        f"{verdict}"
    )


def by_requirement(report: Report) -> Table:
    """Per requirement ID: the mutants that fault what it states, and how many died."""
    rows: dict[str, list[Outcome]] = {}
    for o in report.outcomes:
        for requirement in o.mutant.requirement_ids:
            rows.setdefault(requirement, []).append(o)
    table = Table("requirement", "mutants", "killed", "survived", title="kills by requirement ID")
    for requirement in sorted(rows):
        outcomes = [o for o in rows[requirement] if not o.mutant.equivalent]
        survived = [o.mutant.id for o in outcomes if not o.killed]
        table.add_row(
            requirement,
            str(len(outcomes)),
            str(len(outcomes) - len(survived)),
            ", ".join(survived[:3]) + (" ..." if len(survived) > 3 else ""),
        )
    return table


def render(report: Report, console: Console) -> None:
    summary = Table(title=f"mutants (scope: {report.scope})", title_justify="left")
    summary.add_column("mutant", no_wrap=True)
    summary.add_column("file", no_wrap=True)
    summary.add_column("result", no_wrap=True)
    summary.add_column("killed by")
    summary.add_column("run", justify="right")
    summary.add_column("time (s)", justify="right")
    for o in report.outcomes:
        summary.add_row(
            o.mutant.id,
            o.mutant.file.removeprefix("model/"),
            _kill_text(o),
            _killed_by(o),
            str(len(o.names)),
            f"{o.run.seconds:.1f}",
        )
    console.print(summary)

    columns = report.columns()
    matrix = Table(title="kill matrix: mutant x requirement ID", title_justify="left")
    matrix.add_column("mutant", no_wrap=True)
    for requirement in columns:
        matrix.add_column("\n".join(requirement.split("-")), justify="center", no_wrap=True)
    for o in report.outcomes:
        matrix.add_row(o.mutant.id, *(CELL_TEXT[report.cell(o, r)] for r in columns))
    width = 48 + sum(max(len(part) for part in r.split("-")) + 3 for r in columns)
    wide = Console(
        width=max(console.width, width, 0 if console.is_terminal else PIPE_WIDTH),
        force_terminal=console.is_terminal,
        no_color=not console.is_terminal,
    )
    wide.print(matrix)
    console.print(LEGEND)
    console.print(by_requirement(report))

    counted = report.counted
    killed = sum(o.killed for o in counted)
    by_counterexample = sum(o.kill == "counterexample" for o in counted)
    console.print(
        f"kill rate {killed}/{len(counted)} = {report.kill_rate:.0%} "
        f"({by_counterexample} by counterexample, {killed - by_counterexample} otherwise; "
        f"{len(report.outcomes) - len(counted)} equivalent mutants not counted) "
        f"in {report.seconds:.1f} s wall"
    )
    for name in report.baseline_failing:
        console.print(f"[dim]fails on the unmutated model too (counts as no kill): {name}[/dim]")
    for o in report.outcomes:
        if o.mutant.equivalent and o.kill == "counterexample":
            console.print(
                f"[red]{o.mutant.id} is documented as equivalent but was killed by "
                f"{', '.join(o.killed_by[:3])}[/red]"
            )
    for o in report.survivors:
        reason = o.mutant.gap or "no reason recorded: add an obligation or a killer"
        console.print(f"[bold magenta]survivor[/bold magenta] {o.mutant.id}: {reason}")


@click.command("mutants")
@click.option("--only", multiple=True, help="Mutant id (repeatable); default: every mutant.")
@click.option(
    "--scope",
    type=click.Choice(SCOPES),
    default="killers",
    show_default=True,
    help="killers: each mutant's declared killers; tasks: every obligation of their tasks; "
    "all: every obligation.",
)
@click.option(
    "--jobs",
    type=click.IntRange(min=1),
    default=None,
    help="Mutants run at once (default: CPUs).",
)
@json_option("every result")
@click.option(
    "--timeout",
    type=click.FloatRange(min=0, min_open=True, max=86_400),
    default=3600.0,
    show_default=True,
    help="Seconds per mutant.",
)
@click.option(
    "--no-baseline",
    is_flag=True,
    help="Do not run the unmutated model (an obligation failing there then counts as a kill).",
)
@click.option("--list", "list_only", is_flag=True, help="List the catalogue and exit.")
@no_progress_option
def mutants_command(
    only: tuple[str, ...],
    scope: str,
    jobs: int | None,
    json_target: Path | str | None,
    timeout: float,
    no_baseline: bool,
    list_only: bool,
    no_progress: bool,
) -> None:
    """Run the proof obligations against the mutants of proofs/mutants/ (the hand-written
    catalogue, and a mutant at every site of model/: a rounding flip at every
    directed-rounding call, the strictness of every comparison, every min/max argument).

    Exit status 0: every counted mutant killed; 1: one survived; 2: bad arguments or a
    broken catalogue.
    """
    console = report_console()
    report_wanted = wants_report(json_target)
    problems = check(CATALOGUE)
    if problems:
        raise BadInput("the mutant catalogue is broken", [f"catalogue: {p}" for p in problems])
    unknown = [i for i in only if i not in CATALOGUE_BY_ID]
    if unknown:
        raise BadInput(f"unknown mutant ids: {' '.join(unknown)} (zle mutants --list)")
    mutants = [CATALOGUE_BY_ID[i] for i in only] if only else list(CATALOGUE)
    if report_wanted and not only:
        console.print(scan_summary())
    if list_only:
        if report_wanted:
            table = Table("mutant", "file", "fault", "killers", title="mutant catalogue")
            for m in mutants:
                verdict = ", ".join(m.killers) or ("equivalent" if m.equivalent else "gap")
                table.add_row(m.id, m.file.removeprefix("model/"), m.description, verdict)
            console.print(table)
        catalogue = [
            {
                "id": m.id,
                "file": m.file,
                "description": m.description,
                "killers": list(m.killers),
                "equivalent": m.equivalent,
            }
            for m in mutants
        ]
        emit_json(json_target, {"mutants": catalogue}, console if report_wanted else None)
        return
    runs = units_of(mutants, scope, not no_baseline)
    with progress("mutants", runs, "runs", no_progress=no_progress) as bar:
        report = run_matrix(
            mutants,
            scope=scope,
            jobs=jobs or default_jobs(),
            timeout=timeout,
            with_baseline=not no_baseline,
            on_done=lambda label: bar.advance(),
        )
    if report_wanted:
        render(report, console)
    emit_json(json_target, report.to_json(), console if report_wanted else None)
    if not report.ok:
        raise SystemExit(FINDING)

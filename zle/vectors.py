"""``zle vectors generate DIR`` and ``zle vectors check DIR --impl MODULE:FACTORY``."""

from __future__ import annotations

from pathlib import Path

import click

from crosscheck.adapter import AdapterError, load_implementation
from crosscheck.replay import render_value
from crosscheck.trace import MalformedTrace
from zle.exits import FINDING, OK, BadInput
from zle.output import OutputDir, emit_json, json_option, report_console, wants_report
from zle.progress import no_progress_option, progress


@click.group("vectors")
def vectors_command() -> None:
    """Conformance vectors: generate them, or check an implementation against them."""


@vectors_command.command("generate")
@click.argument("directory", type=OutputDir())
@click.option(
    "--force",
    is_flag=True,
    help="Write into DIR although it is not a vector directory: replaces its manifest.json, "
    "gen1/ gen2/ gen3/ isolated/ shared/, and nothing else.",
)
@json_option("the counts")
@no_progress_option
def generate_command(
    directory: Path, force: bool, json_target: Path | str | None, no_progress: bool
) -> None:
    """Write every conformance vector under DIRECTORY.

    DIRECTORY may be new, empty, or vectors written earlier (replaced); any other
    directory is refused (exit 2) unless --force. The vectors appear only once complete.
    Layout: <policy>/operations/<action>/<case>/, <policy>/sequences/<case>/,
    gen2/curves/<function>/<case>/, and the system traces (format 3) of each topology,
    <isolated|shared>/sequences/<case>/; see spec/trace-format.md.

    Exit status 0: written; 2: DIRECTORY refused, or a vector could not be built.
    """
    from crosscheck.vectors import TargetRefused, generate_all
    from crosscheck.vectors.catalogue import VectorBuildError

    try:
        with progress("generating vectors", no_progress=no_progress):
            counts = generate_all(directory, force=force)
    except TargetRefused as error:
        raise BadInput(f"not writing vectors: {error}") from None
    except (MalformedTrace, VectorBuildError) as error:
        raise BadInput(f"cannot generate: {error}") from None
    total = sum(v for k, v in counts.items() if "/" in k)
    if wants_report(json_target):
        click.echo(f"wrote {total:,} vectors to {directory}:")
        for key, value in sorted(counts.items()):
            click.echo(f"  {key:24s} {value:5,}")
    emit_json(
        json_target,
        {"directory": str(directory), "vectors": total, "counts": dict(sorted(counts.items()))},
    )


@vectors_command.command("check")
@click.argument("directory", type=click.Path(path_type=Path))
@click.option("--impl", "impl", required=True, help="MODULE:FACTORY of the implementation.")
@json_option('{"summary", "cases"}: the counts, and one object per case, passed or not')
@no_progress_option
def check_command(
    directory: Path, impl: str, json_target: Path | str | None, no_progress: bool
) -> None:
    """Run the implementation over every vector in DIRECTORY; report failures per case.

    The directory is read and checked against its manifest first: broken vectors
    (a case missing or added, a file missing, extra or malformed) are reported, all at
    once, and nothing runs.

    Exit status 0: every case passes; 1: some fail; 2: bad vectors, or --impl unusable.
    """
    from crosscheck.vectors import BadVectors, load_vectors
    from crosscheck.vectors.checking import run_case

    try:
        cases = load_vectors(directory)
    except BadVectors as error:
        raise BadInput(
            f"bad vectors: {len(error.problems)} problem(s) in {directory}; nothing checked",
            error.problems,
        ) from None
    try:
        implementation = load_implementation(impl)
    except AdapterError as error:
        raise BadInput(f"cannot check: {error}", error.problems) from None
    console = report_console()
    report = wants_report(json_target)
    cases_json: list[dict[str, object]] = []
    passed = failed = skipped = 0
    why_skipped: dict[str, int] = {}
    with progress("checking", len(cases), "cases", no_progress=no_progress) as bar:
        for case in cases:
            result = run_case(case, implementation)
            bar.advance()
            if result.skipped:
                skipped += 1
                why_skipped[result.skipped] = why_skipped.get(result.skipped, 0) + 1
            elif result.passed:
                passed += 1
            else:
                failed += 1
            cases_json.append(result.to_json())
            if result.passed:
                continue
            if not report or result.skipped:
                continue
            console.print(f"[red]FAIL[/red] {result.case}")
            if result.error:
                console.print(f"  {result.error}", markup=False)
            for diff in result.diffs:
                console.print(
                    f"  {diff.path}: expected {render_value(diff.expected)}, "
                    f"got {render_value(diff.recorded)}",
                    markup=False,
                )
    summary = {"passed": passed, "failed": failed, "skipped": skipped}
    if report:
        note = f", {skipped} skipped" if skipped else ""
        console.print(f"{passed} passed, {failed} failed{note}")
        for why, count in why_skipped.items():
            console.print(f"  skipped {count}: {why}", markup=False)
    emit_json(json_target, {"summary": summary, "cases": cases_json}, console if report else None)
    raise SystemExit(OK if failed == 0 else FINDING)

"""``zle vectors generate DIR`` and ``zle vectors check DIR --impl MODULE:FACTORY``."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from rich.console import Console

from crosscheck.adapter import AdapterError, load_implementation
from crosscheck.replay import render_value
from crosscheck.trace import MalformedTrace

EXIT_OK, EXIT_FAILED, EXIT_MALFORMED = 0, 1, 2


@click.group("vectors")
def vectors_command() -> None:
    """Conformance vectors: generate them, or check an implementation against them."""


@vectors_command.command("generate")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
def generate_command(directory: Path) -> None:
    """Write every conformance vector under DIRECTORY (replacing earlier vectors there).

    Layout: <policy>/operations/<action>/<case>/, <policy>/sequences/<case>/ and
    gen2/curves/<function>/<case>/; see spec/trace-format.md.
    """
    from crosscheck.vectors import generate_all
    from crosscheck.vectors.constructed import VectorBuildError

    occupied = directory.exists() and any(directory.iterdir())
    if occupied and not (directory / "manifest.json").exists():
        click.echo(
            f"{directory} exists and is not a vector directory (no manifest.json); "
            "not replacing it",
            err=True,
        )
        sys.exit(EXIT_MALFORMED)
    try:
        counts = generate_all(directory)
    except (MalformedTrace, VectorBuildError) as error:
        click.echo(f"cannot generate: {error}", err=True)
        sys.exit(EXIT_MALFORMED)
    total = sum(v for k, v in counts.items() if "/" in k)
    click.echo(f"wrote {total:,} vectors to {directory}:")
    for key, value in sorted(counts.items()):
        click.echo(f"  {key:24s} {value:5,}")


@vectors_command.command("check")
@click.argument("directory", type=click.Path(file_okay=False, exists=True, path_type=Path))
@click.option("--impl", "impl", required=True, help="MODULE:FACTORY of the implementation.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per case, then a summary.")
def check_command(directory: Path, impl: str, as_json: bool) -> None:
    """Run the implementation over every vector in DIRECTORY; report failures per case.

    Exit status 0: every case passes; 1: some fail; 2: malformed vectors or --impl.
    """
    from crosscheck.vectors import check_vectors

    console = Console(soft_wrap=True)
    passed = failed = skipped = 0
    try:
        implementation = load_implementation(impl)
        for result in check_vectors(directory, implementation):
            if result.skipped:
                skipped += 1
            elif result.passed:
                passed += 1
            else:
                failed += 1
            if as_json:
                click.echo(json.dumps(result.to_json()))
                continue
            if result.passed or result.skipped:
                continue
            console.print(f"[red]FAIL[/red] {result.case}")
            if result.error:
                console.print(f"  {result.error}")
            for diff in result.diffs:
                console.print(
                    f"  {diff.path}: expected {render_value(diff.expected)}, "
                    f"got {render_value(diff.recorded)}"
                )
    except (MalformedTrace, AdapterError) as error:
        click.echo(f"cannot check: {error}", err=True)
        sys.exit(EXIT_MALFORMED)
    summary = {"passed": passed, "failed": failed, "skipped": skipped}
    if as_json:
        click.echo(json.dumps({"summary": summary}))
    else:
        note = f", {skipped} skipped (curves need a curve() method)" if skipped else ""
        console.print(f"{passed} passed, {failed} failed{note}")
    sys.exit(EXIT_OK if failed == 0 else EXIT_FAILED)

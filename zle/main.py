"""The ``zle`` command."""

from __future__ import annotations

import click
from rich.console import Console

from zle.simulate import simulate


@click.group()
def cli() -> None:
    """Zero-loss liquidation engine: reference model, proofs and tools."""


@cli.command()
def demo() -> None:
    """Run the built-in crash through gen 1, gen 2 and gen 3 and compare them."""
    from zle.demo import comparison_rows, render

    console = Console(width=140)
    render(list(comparison_rows()), console.print)


cli.add_command(simulate)

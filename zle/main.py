"""The ``zle`` command."""

from __future__ import annotations

import click

from zle.simulate import simulate


@click.group()
def cli() -> None:
    """Zero-loss liquidation engine: reference model, proofs and tools."""


cli.add_command(simulate)

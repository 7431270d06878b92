"""The ``zle`` command."""

from __future__ import annotations

import click

from zle.fuzz import fuzz_command
from zle.mutants import mutants_command
from zle.params import params_group
from zle.prove import prove_command
from zle.replay import replay_command
from zle.simulate import simulate
from zle.vectors import vectors_command


@click.group()
def cli() -> None:
    """Zero-loss liquidation engine: reference model, proofs and tools."""


cli.add_command(prove_command)
cli.add_command(mutants_command)
cli.add_command(simulate)
cli.add_command(replay_command)
cli.add_command(vectors_command)
cli.add_command(fuzz_command)
cli.add_command(params_group)

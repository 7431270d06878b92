"""The ``zle`` command: every subcommand, ``--version``, ``-h``; also ``python -m zle``."""

from __future__ import annotations

import sys
from typing import Any

import click

from zle.fuzz import fuzz_command
from zle.machines import machines_command
from zle.mutants import mutants_command
from zle.params import params_group
from zle.predict import predict_command
from zle.prove import prove_command
from zle.record import record_command
from zle.replay import replay_command
from zle.simulate import simulate
from zle.sweep import sweep_command
from zle.vectors import vectors_command

DISTRIBUTION = "zero-loss-engine"


class ZleGroup(click.Group):
    """Reports never die on a character the terminal cannot encode (an id with a lone
    surrogate, read from a trace): it is printed escaped instead."""

    def main(self, *args: Any, **kwargs: Any) -> Any:
        for stream in (sys.stdout, sys.stderr):
            reconfigure = getattr(stream, "reconfigure", None)
            if reconfigure is not None:
                reconfigure(errors="backslashreplace")
        return super().main(*args, **kwargs)


@click.group(cls=ZleGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name=DISTRIBUTION, prog_name="zle")
def cli() -> None:
    """Zero-loss liquidation engine: reference model, proofs and tools.

    Exit status of every command: 0 ok; 1 a finding (a failed proof, a divergence, a
    failing case, unsafe parameters, a surviving mutant); 2 bad input (a malformed
    file, argument or output path: nothing run, nothing written).
    """


cli.add_command(prove_command)
cli.add_command(mutants_command)
cli.add_command(simulate)
cli.add_command(sweep_command)
cli.add_command(replay_command)
cli.add_command(record_command)
cli.add_command(vectors_command)
cli.add_command(fuzz_command)
cli.add_command(machines_command)
cli.add_command(params_group)
cli.add_command(predict_command)

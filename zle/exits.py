"""The exit statuses every ``zle`` command follows, and the error that means "bad input".

=====  ==========================================================================
0      ok: proved, conforms, every case passed, safe, written
1      a finding: a failed obligation, a divergence, a failing case, unsafe, a
       surviving mutant
2      bad input: a malformed file, argument or output path; nothing was run or
       nothing was written (``FILE:LINE: field: what is wrong``, never a traceback)
=====  ==========================================================================
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from typing import IO, Any

import click

OK, FINDING, BAD_INPUT = 0, 1, 2

JSON_TARGET = "zle.json_target"
"""Key of ``click.Context.meta`` holding the command's ``--json`` target, if any."""


class BadInput(click.ClickException):
    """Input ``zle`` cannot use: exit status 2, one line per problem on stderr.

    With ``--json -`` the same is also printed on stdout as ``{"error", "problems"}``, so
    a program reading the JSON learns why there is no report. No output file is written.
    """

    exit_code = BAD_INPUT

    def __init__(self, message: str, problems: Sequence[object] = ()) -> None:
        super().__init__(message)
        self.problems = tuple(str(p) for p in problems)
        context = click.get_current_context(silent=True)
        self.json_to_stdout = context is not None and context.meta.get(JSON_TARGET) == "-"

    def show(self, file: IO[Any] | None = None) -> None:
        err = file if file is not None else sys.stderr
        click.echo(self.format_message(), file=err)
        for problem in self.problems:
            click.echo(problem, file=err)
        if self.json_to_stdout:
            error = {"error": self.format_message(), "problems": list(self.problems)}
            click.echo(json.dumps(error))

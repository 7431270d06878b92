"""Where ``zle`` writes: the report console, ``--json [FILE|-]``, and output paths.

Output paths are checked when the command line is parsed, before any work: a file's
directory must exist and the file must not be a directory; a directory to write may
be new, but nothing on its way may be a file. Files are written to a temporary name
beside the target and renamed into place, so a failed run leaves no partial file.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click
from rich.console import Console

from crosscheck.trace import AtomicWriter
from zle.exits import JSON_TARGET, BadInput

F = TypeVar("F", bound=Callable[..., Any])

PIPE_WIDTH = 400
"""Columns of a report that is not going to a terminal: wide enough that no table cell
(a requirement ID, an obligation name) is cut; lines are not padded to it."""


def report_console() -> Console:
    """The console reports are printed on (stdout): the terminal's width in a terminal;
    when piped or redirected, a fixed width no ID is cut at, and no colour codes."""
    console = Console()
    if console.is_terminal:
        return console
    return Console(width=PIPE_WIDTH, no_color=True, soft_wrap=True)


def output_file_problem(path: Path) -> str | None:
    """Why ``path`` cannot be written as a file, or None."""
    if path.is_dir():
        return f"{path} is a directory; give a file name"
    parent = path.parent
    for ancestor in [parent, *parent.parents]:
        if ancestor.exists():
            if not ancestor.is_dir():
                return f"{path}: {ancestor} is a file, not a directory"
            if ancestor != parent:
                return f"{path}: no directory {parent}"
            if not os.access(parent, os.W_OK | os.X_OK):
                return f"{path}: cannot write in {parent}"
            return None
    return f"{path}: no directory {parent}"


def output_dir_problem(path: Path) -> str | None:
    """Why ``path`` cannot be (created and) written as a directory, or None."""
    for ancestor in [path, *path.parents]:
        if ancestor.exists():
            if not ancestor.is_dir():
                what = "is a file" if ancestor == path else f"is under {ancestor}, a file"
                return f"{path} {what}, not a directory"
            return None
    return None


class OutputFile(click.ParamType):  # type: ignore[type-arg]  # generic from click 8.2 on
    """A file to write (``-`` for stdout when ``dash``), checked before the command runs."""

    name = "file"

    def __init__(self, dash: bool = False, suffixes: tuple[str, ...] = ()) -> None:
        self.dash = dash
        self.suffixes = suffixes

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, Path):
            return value
        text = str(value)
        if self.dash and text == "-":
            return "-"
        if not text:
            self.fail("an empty file name", param, ctx)
        path = Path(text)
        if self.suffixes and path.suffix.lower() not in self.suffixes:
            self.fail(f"{text}: the file name must end in {' or '.join(self.suffixes)}", param, ctx)
        problem = output_file_problem(path)
        if problem is not None:
            self.fail(problem, param, ctx)
        return path


class OutputDir(click.ParamType):  # type: ignore[type-arg]
    """A directory to write into (created if missing), checked before the command runs."""

    name = "directory"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, Path):
            return value
        if not str(value):
            self.fail("an empty directory name", param, ctx)
        path = Path(str(value))
        problem = output_dir_problem(path)
        if problem is not None:
            self.fail(problem, param, ctx)
        return path


def _remember_json(ctx: click.Context, param: click.Parameter, value: Any) -> Any:
    if value is not None:
        ctx.meta[JSON_TARGET] = value
    return value


def json_option(what: str) -> Callable[[F], F]:
    """``--json [FILE|-]``: write ``what`` as one JSON document to FILE, or to stdout
    (``-``, or the option given last without a value) instead of the report."""
    return click.option(
        "--json",
        "json_target",
        metavar="[FILE|-]",
        is_flag=False,
        flag_value="-",
        default=None,
        type=OutputFile(dash=True),
        callback=_remember_json,
        help=f"Write {what} as JSON to FILE, or to stdout with - (or no value): stdout "
        "then carries only the JSON.",
    )


def wants_report(json_target: Path | str | None) -> bool:
    """Whether the human report goes to stdout (not when the JSON does)."""
    return json_target != "-"


def write_text(path: Path, text: str) -> None:
    """``text`` to ``path`` atomically; an OS error is bad input (exit 2), not a traceback."""
    try:
        with AtomicWriter(path) as out:
            out.write(text)
    except OSError as error:
        raise BadInput(f"{path}: cannot write: {error.strerror or error}") from None


def write_into_place(target: Path, write: Callable[[Path], None]) -> None:
    """``write(path)`` to a temporary file beside ``target``, renamed onto ``target`` only
    once complete: a failed or interrupted write leaves nothing half-written."""
    fd, temporary = tempfile.mkstemp(
        prefix=f".{target.name}.", suffix=target.suffix, dir=target.parent
    )
    os.close(fd)
    try:
        write(Path(temporary))
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)  # mkstemp creates 0600; a figure is for sharing
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def emit_json(json_target: Path | str | None, obj: Any, console: Console | None = None) -> None:
    """The command's JSON document, to stdout or to its file (then ``wrote FILE``)."""
    if json_target is None:
        return
    text = json.dumps(obj, indent=1) + "\n"  # ASCII: ids with lone surrogates survive
    if json_target == "-":
        click.echo(text, nl=False)
        return
    write_text(Path(json_target), text)
    if console is not None:
        console.print(f"wrote {json_target}")

"""The one progress display of every long-running command, and how many processes to use.

A bar on stderr that disappears when the work is done (stdout keeps the report). It is
off when stderr is not a terminal (a log, a pipe, CI) and with ``--no-progress``; then
:func:`progress` hands out a bar that does nothing, so callers never test for it.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

import click
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    SpinnerColumn,
    TaskID,
    TaskProgressColumn,
    TextColumn,
    TimeElapsedColumn,
)

F = TypeVar("F", bound=Callable[..., Any])


def default_jobs() -> int:
    """The CPUs this process may use, at most 8."""
    return max(1, min(len(os.sched_getaffinity(0)), 8))


def no_progress_option(command: F) -> F:
    """``--no-progress``: no progress bar even on a terminal."""
    return click.option("--no-progress", is_flag=True, help="No progress bar on stderr.")(command)


class Bar:
    """One task of a progress display; does nothing when the display is off."""

    def __init__(self, progress: Progress | None = None, task: TaskID | None = None) -> None:
        self._progress = progress
        self._task = task

    def advance(self, amount: float = 1) -> None:
        if self._progress is not None and self._task is not None:
            self._progress.advance(self._task, amount)

    def update(self, completed: float | None = None, note: str | None = None) -> None:
        """Set how much is done (in the total's unit) and the text after the bar."""
        if self._progress is not None and self._task is not None:
            fields: dict[str, Any] = {} if note is None else {"note": note}
            self._progress.update(self._task, completed=completed, **fields)


def shown(no_progress: bool = False) -> bool:
    """Whether a progress bar would be drawn: stderr is a terminal and not ``--no-progress``."""
    return not no_progress and Console(stderr=True).is_terminal


@contextmanager
def progress(
    verb: str, total: float | None = None, unit: str = "", *, no_progress: bool = False
) -> Iterator[Bar]:
    """``<verb> [bar] done/total <unit> <note> elapsed`` on stderr while the block runs.

    ``total`` None is work of unknown size: a spinner and the note instead of a bar;
    without a ``unit`` the bar shows a percentage instead of counts (bytes of a file).
    """
    if not shown(no_progress):
        yield Bar()
        return
    columns: list[ProgressColumn] = [TextColumn(verb)]
    if total is None:
        columns.append(SpinnerColumn())
    elif unit:
        columns += [BarColumn(), MofNCompleteColumn(), TextColumn(unit)]
    else:
        columns += [BarColumn(), TaskProgressColumn()]
    columns += [TextColumn("{task.fields[note]}"), TimeElapsedColumn()]
    display = Progress(*columns, console=Console(stderr=True), transient=True)
    with display:
        yield Bar(display, display.add_task(verb, total=total, note=""))

"""What the long-running commands share: how many processes to use, and a counting
progress bar on stderr that disappears when the work is done (stdout keeps the report)."""

from __future__ import annotations

import os

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn


def default_jobs() -> int:
    """The CPUs this process may use, at most 8."""
    return max(1, min(len(os.sched_getaffinity(0)), 8))


def counting_progress(verb: str, unit: str) -> Progress:
    """``<verb> [bar] done/total <unit> elapsed``, on stderr, transient."""
    columns = (
        TextColumn(verb),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn(unit),
        TimeElapsedColumn(),
    )
    return Progress(*columns, console=Console(stderr=True), transient=True)

"""Time series the simulation reads: a value per time, held until the next one.

Gas prices and pool reserves are sampled in buckets (10 minutes in the shipped data);
between samples the last value holds, before the first sample the first value holds,
and after the last sample the last value holds. Times are seconds since the start of
the scenario's price path.

CSV files are read strictly (:func:`read_columns`): times in ISO 8601 with a zone
(``Z`` or ``+hh:mm``; a time without one would be read in the machine's local time),
strictly increasing (a duplicate or an out-of-order row is an error), values finite and
within ±1e12; every bad row is reported, with its line.
"""

from __future__ import annotations

import bisect
import csv
import io
import math
import re
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

import attrs

from simulation.file_text import ConfigFileError, Problem, read_text


@attrs.frozen
class StepSeries:
    """Piecewise-constant series: ``value_at(t)`` is the value of the last sample at or
    before ``t`` (the first sample's value before it)."""

    times: tuple[int, ...]
    values: tuple[float, ...]

    def __attrs_post_init__(self) -> None:
        if not self.times or len(self.times) != len(self.values):
            raise ValueError("a series needs as many values as times, and at least one")
        if any(b <= a for a, b in zip(self.times, self.times[1:], strict=False)):
            raise ValueError("series times must strictly increase")

    def value_at(self, t: int) -> float:
        i = bisect.bisect_right(self.times, t) - 1
        return self.values[max(i, 0)]

    @staticmethod
    def constant(value: float) -> StepSeries:
        return StepSeries((0,), (value,))


_ISO_TIME = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]{1,6})?)?"
    r"(Z|[+-][0-9]{2}:[0-9]{2})"
)
MAX_VALUE = 1e12
MAX_LISTED = 20
"""Bad rows listed one by one; the rest are counted."""


def parse_utc(text: str) -> int:
    """Seconds since the epoch of an ISO-8601 time with a zone (``2020-03-12T00:10:00Z``).

    Raises ``ValueError`` for a time without a zone: it would be read in the local time
    of whoever runs the scenario."""
    body = text.strip()
    if not _ISO_TIME.fullmatch(body):
        raise ValueError(
            f"{body[:40]!r} is not an ISO 8601 time with a zone, such as 2020-03-12T00:10:00Z"
        )
    return int(datetime.fromisoformat(body.replace("Z", "+00:00")).timestamp())


class SeriesError(ValueError):
    """A CSV file that cannot be used; ``problems`` lists each bad row (file, line, column)."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


def _value(cell: str, positive: bool) -> float | str:
    try:
        value = float(cell)
    except ValueError:
        return f"{cell.strip()[:40]!r} is not a number"
    if not math.isfinite(value) or abs(value) > MAX_VALUE:
        return f"{cell.strip()[:40]} is not a finite number within ±1e12"
    if positive and not value > 0:
        return f"{cell.strip()[:40]} must be > 0"
    return value


def read_columns(
    path: Path, columns: Sequence[str], time_column: str | None = None, positive: bool = False
) -> tuple[list[int], list[list[float]]]:
    """Epoch seconds of the time column (default: the first), and the named numeric
    columns (``positive``: each > 0), of a CSV file.

    Raises :class:`SeriesError` listing every bad row (a time without a zone, out of
    order or repeated, a missing cell, a value that is not a finite number) or the
    missing columns.
    """
    name = str(path)
    try:
        text = read_text(path)
    except ConfigFileError as error:
        raise SeriesError(list(error.problems)) from None
    try:
        rows = csv.reader(io.StringIO(text, newline=""))
        return _read_rows(name, rows, columns, time_column, positive)
    except csv.Error as error:
        raise SeriesError([Problem(name, None, "csv", str(error))]) from None


def _read_rows(
    name: str, reader: Any, columns: Sequence[str], time_column: str | None, positive: bool
) -> tuple[list[int], list[list[float]]]:
    header = next(reader, None)
    if header is None:
        raise SeriesError([Problem(name, 1, "header", "empty file: no header row")])
    when = 0 if time_column is None else -1
    if time_column is not None and time_column in header:
        when = header.index(time_column)
    missing = [c for c in columns if c not in header]
    if when < 0:
        missing.append(str(time_column))
    if missing:
        listed = ", ".join(header)[:200]
        raise SeriesError(
            [Problem(name, 1, "header", f"no column {', '.join(missing)} (has {listed})")]
        )
    index = [header.index(c) for c in columns]
    time_name = header[when]
    times: list[int] = []
    values: list[list[float]] = [[] for _ in columns]
    problems: list[Problem] = []
    previous: tuple[int, int] | None = None
    for row in reader:
        line = reader.line_num
        if not row:
            continue
        if len(row) < len(header):
            problems.append(
                Problem(name, line, "row", f"{len(row)} cells where the header has {len(header)}")
            )
            continue
        try:
            moment = parse_utc(row[when])
        except ValueError as error:
            problems.append(Problem(name, line, time_name, str(error)))
            continue
        if previous is not None and moment <= previous[0]:
            what = "repeats" if moment == previous[0] else "is before"
            problems.append(
                Problem(
                    name,
                    line,
                    time_name,
                    f"{row[when].strip()} {what} the time of line {previous[1]}: rows must "
                    "be in strictly increasing time",
                )
            )
            continue
        cells = [_value(row[i], positive) for i in index]
        bad = [(c, v) for c, v in zip(columns, cells, strict=True) if isinstance(v, str)]
        for column, why in bad:
            problems.append(Problem(name, line, column, str(why)))
        if bad:
            continue
        previous = (moment, line)
        times.append(moment)
        for out, cell in zip(values, cells, strict=True):
            assert isinstance(cell, float)
            out.append(cell)
    if problems:
        shown = problems[:MAX_LISTED]
        if len(problems) > MAX_LISTED:
            more = len(problems) - MAX_LISTED
            shown.append(Problem(name, None, "rows", f"and {more} more bad rows"))
        raise SeriesError(shown)
    if not times:
        raise SeriesError([Problem(name, None, "rows", "no data rows")])
    return times, values


def load_series(path: Path, column: str, origin: int, positive: bool = False) -> StepSeries:
    """One column of a CSV whose first column is a UTC time, as seconds since ``origin``."""
    times, (values,) = read_columns(path, [column], positive=positive)
    return StepSeries(tuple(t - origin for t in times), tuple(values))

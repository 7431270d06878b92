"""Time series the simulation reads: a value per time, held until the next one.

Gas prices and pool reserves are sampled in buckets (10 minutes in the shipped data);
between samples the last value holds, before the first sample the first value holds,
and after the last sample the last value holds. Times are seconds since the start of
the scenario's price path.
"""

from __future__ import annotations

import bisect
import csv
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

import attrs


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


def parse_utc(text: str) -> int:
    """Seconds since the epoch of an ISO-8601 UTC time such as ``2020-03-12T00:10:00Z``."""
    return int(datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp())


def read_columns(
    path: Path, columns: Sequence[str], time_column: str | None = None
) -> tuple[list[int], list[list[float]]]:
    """Epoch seconds of the time column (default: the first), and the named numeric
    columns, of a CSV file.

    Raises ``ValueError`` naming the file and line of the first bad row or missing column.
    """
    with path.open(newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader, None)
        if header is None:
            raise ValueError(f"{path}: empty file")
        when = 0 if time_column is None else -1
        if time_column is not None and time_column in header:
            when = header.index(time_column)
        missing = [c for c in columns if c not in header]
        if when < 0:
            missing.append(str(time_column))
        if missing:
            raise ValueError(f"{path}: no column {', '.join(missing)} (has {', '.join(header)})")
        index = [header.index(c) for c in columns]
        times: list[int] = []
        values: list[list[float]] = [[] for _ in columns]
        for line, row in enumerate(reader, start=2):
            if not row:
                continue
            try:
                times.append(parse_utc(row[when]))
                for out, i in zip(values, index, strict=True):
                    out.append(float(row[i]))
            except (ValueError, IndexError) as error:
                raise ValueError(f"{path}:{line}: {error}") from error
    if not times:
        raise ValueError(f"{path}: no rows")
    return times, values


def load_series(path: Path, column: str, origin: int) -> StepSeries:
    """One column of a CSV whose first column is a UTC time, as seconds since ``origin``."""
    times, (values,) = read_columns(path, [column])
    return StepSeries(tuple(t - origin for t in times), tuple(values))

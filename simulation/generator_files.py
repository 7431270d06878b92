"""The ``[path]`` tables of the generated sources: ``gbm``, ``regime`` and ``bootstrap``.

Each is read into a :mod:`simulation.generators` model (a recipe that draws a path per
seed), with every problem collected in the file's :class:`Reader` as ``path.<key>``.
A scenario file draws its one path from its ``seed``; a sweep draws one per seed.

``regime``: ``start_price``, ``duration``, ``dt`` and one ``[[path.regime]]`` table per
regime (``name``, ``drift``, ``volatility``, ``jump_intensity``, ``jump_mean``,
``jump_stdev``, ``mean_duration`` in seconds); the path starts in the first.
``bootstrap``: ``file`` (a ``timestamp_utc,price`` CSV at a regular spacing, whose
spacing becomes ``dt``), ``block`` (returns per block, default 6), optional
``start_price`` (default the series' first price) and ``duration`` (default the
series' span).
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from typing import Any

from simulation.file_values import MAX_SECONDS, Reader
from simulation.generators import Bootstrap, GbmJumps, PathModel, Regime, RegimeSwitching
from simulation.generators import log_returns as returns_of
from simulation.series import SeriesError, read_columns

MAX_POINTS = 1_000_000
"""Most points of a generated path (its duration over its ``dt``)."""
MIN_PRICE, MAX_PRICE = 1e-9, 1e12

GBM_KEYS = {"start_price", "duration", "dt", "drift", "volatility"} | {
    "jump_intensity",
    "jump_mean",
    "jump_stdev",
}
KEYS: dict[str, set[str]] = {
    "gbm": GBM_KEYS,
    "regime": {"start_price", "duration", "dt", "regime"},
    "bootstrap": {"file", "block", "start_price", "duration"},
}
"""The keys of each generated source (besides ``source``)."""
REGIME_KEYS = {"name", "drift", "volatility", "jump_intensity", "jump_mean"} | {
    "jump_stdev",
    "mean_duration",
}
P = "path."


def _price(reader: Reader, t: Mapping[str, Any], key: str, prefix: str = P) -> float:
    rule = "a price > 0, within [1e-9, 1e12]"
    return reader.number(t, key, prefix, lambda v: MIN_PRICE <= v <= MAX_PRICE, rule)


def _bounded(
    reader: Reader,
    t: Mapping[str, Any],
    key: str,
    low: float,
    high: float,
    what: str,
    prefix: str = P,
    default: float | None = None,
) -> float:
    rule = f"{what}, in [{low:g}, {high:g}]"
    return reader.number(t, key, prefix, lambda v: low <= v <= high, rule, default)


def _timing(reader: Reader, t: Mapping[str, Any]) -> tuple[int, int]:
    """``duration`` and ``dt``, with ``dt <= duration`` and at most MAX_POINTS points."""
    before = len(reader.problems)
    duration = reader.seconds(t, "duration", P)
    dt = reader.seconds(t, "dt", P)
    if len(reader.problems) == before and dt > duration:
        reader.problem("path.dt", f"= {dt}: must be <= duration ({duration})")
    elif len(reader.problems) == before and duration // dt > MAX_POINTS:
        reader.problem("path.dt", f"= {dt}: more than {MAX_POINTS:,} points in duration")
    return duration, dt


def read_path_model(reader: Reader, t: Mapping[str, Any], source: str) -> PathModel | None:
    """The model of a generated ``source`` read from the ``[path]`` table ``t``, or None
    (its problems added to ``reader``)."""
    reader.unknown(t, P, KEYS[source] | {"source"})
    before = len(reader.problems)
    if source == "bootstrap":
        return _bootstrap(reader, t)
    start = _price(reader, t, "start_price")
    duration, dt = _timing(reader, t)
    if source == "gbm":
        drift = _bounded(reader, t, "drift", -10, 10, "annualised drift")
        vol = _bounded(reader, t, "volatility", 0, 10, "annualised volatility")
        lam = _bounded(reader, t, "jump_intensity", 0, 100, "jumps per day")
        mean = _bounded(reader, t, "jump_mean", -10, 10, "mean log jump")
        stdev = _bounded(reader, t, "jump_stdev", 0, 10, "standard deviation of a log jump")
        if len(reader.problems) > before:
            return None
        return GbmJumps(start, duration, dt, drift, vol, lam, mean, stdev)
    regimes = _regimes(reader, t)
    if len(reader.problems) > before or not regimes:
        return None
    return RegimeSwitching(start, duration, dt, regimes)


def _regimes(reader: Reader, t: Mapping[str, Any]) -> tuple[Regime, ...]:
    rows = t.get("regime", [])
    if not isinstance(rows, list) or not rows:
        reader.problem("path.regime", "needs at least one [[path.regime]] table")
        return ()
    found = []
    for i, row in enumerate(rows):
        p = f"path.regime[{i}]."
        if not isinstance(row, dict):
            reader.problem(p.rstrip("."), "must be a table")
            continue
        reader.unknown(row, p, REGIME_KEYS)
        found.append(
            Regime(
                name=reader.text(row, "name", p, f"regime{i}"),
                drift=_bounded(reader, row, "drift", -100, 100, "annualised drift", p),
                volatility=_bounded(reader, row, "volatility", 0, 50, "annualised volatility", p),
                jump_intensity=_bounded(
                    reader, row, "jump_intensity", 0, 1000, "jumps per day", p, 0.0
                ),
                jump_mean=_bounded(reader, row, "jump_mean", -10, 10, "mean log jump", p, 0.0),
                jump_stdev=_bounded(
                    reader, row, "jump_stdev", 0, 10, "standard deviation of a log jump", p, 0.0
                ),
                mean_duration=reader.seconds(row, "mean_duration", p),
            )
        )
    return tuple(found)


def _bootstrap(reader: Reader, t: Mapping[str, Any]) -> Bootstrap | None:
    before = len(reader.problems)
    file = reader.file(t, "file", P)
    block = reader.integer(
        t, "block", P, lambda v: v >= 1, "an integer >= 1 (returns per block)", 6, 100_000
    )
    if file is None or len(reader.problems) > before:
        return None
    try:
        times, (prices,) = read_columns(file, ["price"], positive=True)
    except SeriesError as error:
        reader.add(error.problems)
        return None
    steps = {b - a for a, b in itertools.pairwise(times)}
    if len(steps) != 1:
        shown = ", ".join(str(s) for s in sorted(steps)[:4]) or "none"
        reader.problem(
            "path.file",
            f"{file.name}: rows must be evenly spaced in time to bootstrap their returns "
            f"(spacings found: {shown} s)",
        )
        return None
    dt = steps.pop()
    returns = returns_of(prices)
    if block > len(returns):
        reader.problem("path.block", f"= {block}: the series has only {len(returns)} returns")
        return None
    start = prices[0] if "start_price" not in t else _price(reader, t, "start_price")
    span = min(times[-1] - times[0], MAX_SECONDS)
    duration = span
    if "duration" in t:
        duration = reader.seconds(t, "duration", P)
        if duration < dt and len(reader.problems) == before:
            reader.problem("path.duration", f"= {duration}: shorter than one return ({dt} s)")
    if len(reader.problems) > before:
        return None
    if duration // dt > MAX_POINTS:
        reader.problem("path.duration", f"= {duration}: more than {MAX_POINTS:,} points")
        return None
    return Bootstrap(start, duration, dt, returns, block, file.name)

"""Scenario files with several markets: each market a single-market scenario (its market,
actors, population, funding and policy parameters) with its own path, venue and, if any,
adversary; the topologies and policies to run them under. Format in
``scenarios/README.md`` ("Several markets"); shipped under ``scenarios/systems/``.

A market's path is its scenario's, unless the market gives ``points`` (published prices
at given hours, geometric in between) or ``asset`` (drawn, with every other ``asset``
market, from the file's ``[correlated]`` table: ``simulation.correlated``). Every problem
is reported by file, line and field, all at once, like a single-market file's.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import attrs

from model.system import Topology
from simulation.correlated import Asset, CorrelationError, Jumps, correlated_paths
from simulation.file_text import ConfigFileError, parse_toml
from simulation.file_values import MAX_SECONDS, Reader
from simulation.files import load_scenario
from simulation.floor_exploit import FloorBorrower
from simulation.paths import PricePath
from simulation.runner import Controller
from simulation.scenario import POLICY_NAMES, Scenario
from simulation.shipped import shipped_scenario

ADVERSARIES: dict[str, Callable[[], Controller]] = {"floor-borrower": FloorBorrower}
"""Adversaries a market may name (``adversary = "..."``)."""
MARKET_KEYS = {
    "id",
    "venue",
    "scenario",
    "population",
    "points",
    "asset",
    "min_answer",
    "adversary",
}
TOP_LEVEL = {"name", "description", "topologies", "policies", "market", "correlated"}


@attrs.frozen
class SystemScenario:
    """Markets (id -> (scenario, venue)), their adversaries, and what to run them under."""

    name: str
    description: str
    markets: Mapping[str, tuple[Scenario, str]]
    adversaries: Mapping[str, Callable[[], Controller]]
    topologies: tuple[Topology, ...]
    policies: tuple[str, ...]


def is_system_file(doc: Mapping[str, Any]) -> bool:
    """A parsed TOML document declares several markets (``[[market]]`` tables; a
    single-market scenario's ``[market]`` is one table, not a list)."""
    return isinstance(doc.get("market"), list)


def load_system(path: Path | str) -> SystemScenario:
    """A multi-market scenario file; :class:`ConfigFileError` listing every problem."""
    path = Path(path)
    doc, text = parse_toml(path)
    return build_system(path, doc, text)


def _names(
    reader: Reader, doc: Mapping[str, Any], key: str, allowed: tuple[str, ...]
) -> tuple[str, ...]:
    value = doc.get(key, list(allowed))
    if not isinstance(value, list) or not value or any(v not in allowed for v in value):
        reader.problem(key, f"must be a non-empty list of {', '.join(allowed)}")
        return ()
    return tuple(value)


def _base(reader: Reader, path: Path, t: Mapping[str, Any], p: str) -> Scenario | None:
    """The market's single-market scenario: a file beside this one, or a shipped name."""
    name = t.get("scenario")
    if not isinstance(name, str) or not name:
        reader.problem(f"{p}scenario", "missing; a scenario file or a shipped scenario name")
        return None
    beside = path.parent / name
    found = beside if beside.is_file() else shipped_scenario(name)
    if found is None:
        reader.problem(f"{p}scenario", f'= "{name}": no such file or shipped scenario')
        return None
    try:
        return load_scenario(str(found))
    except ConfigFileError as error:
        reader.problem(f"{p}scenario", f'= "{name}": {error.problems[0]}')
        return None


def _points(reader: Reader, t: Mapping[str, Any], p: str, origin: int) -> PricePath | None:
    points = reader.table(t, "points", p)
    hours, prices = points.get("hours"), points.get("prices")
    field = f"{p}points"
    numbers = (int, float)
    if (
        not isinstance(hours, list)
        or not isinstance(prices, list)
        or len(hours) != len(prices)
        or len(hours) < 2
        or any(isinstance(v, bool) or not isinstance(v, numbers) for v in [*hours, *prices])
    ):
        reader.problem(field, "needs hours and prices: lists of numbers of the same length >= 2")
        return None
    times = tuple(round(h * 3_600) for h in hours)
    try:
        if times[-1] > MAX_SECONDS:
            raise ValueError(f"ends after {MAX_SECONDS // 3_600} hours")
        return PricePath(times, tuple(float(v) for v in prices), origin)
    except ValueError as error:
        reader.problem(field, str(error))
        return None


def _jumps(reader: Reader, t: Mapping[str, Any], key: str, p: str) -> Jumps:
    j = reader.table(t, key, p)
    q = f"{p}{key}."
    reader.unknown(j, q, {"intensity", "mean", "stdev"})
    return Jumps(
        intensity=reader.number(j, "intensity", q, lambda v: v >= 0, "jumps per day, >= 0", 0.0),
        mean=reader.number(j, "mean", q, lambda v: -5 <= v <= 5, "a log size in [-5, 5]", 0.0),
        stdev=reader.number(j, "stdev", q, lambda v: 0 <= v <= 5, "in [0, 5]", 0.0),
    )


def _asset(reader: Reader, t: Mapping[str, Any], p: str, start: float) -> Asset:
    a = reader.table(t, "asset", p)
    q = f"{p}asset."
    reader.unknown(a, q, {"start_price", "volatility", "drift", "beta", "jumps"})
    return Asset(
        start_price=reader.number(a, "start_price", q, lambda v: v > 0, "must be > 0", start),
        volatility=reader.number(a, "volatility", q, lambda v: 0 < v <= 20, "in (0, 20]"),
        drift=reader.number(a, "drift", q, lambda v: abs(v) <= 20, "in [-20, 20]", 0.0),
        beta=reader.number(a, "beta", q, lambda v: abs(v) <= 10, "in [-10, 10]", 1.0),
        jumps=_jumps(reader, a, "jumps", q),
    )


def _correlated(
    reader: Reader, doc: Mapping[str, Any], assets: dict[str, Asset]
) -> dict[str, PricePath]:
    """The paths of the markets that declared an ``asset``, drawn together."""
    if not assets:
        if "correlated" in doc:
            reader.problem("correlated", "no market declares an asset to draw")
        return {}
    t = reader.table(doc, "correlated")
    p = "correlated."
    if "correlated" not in doc:
        reader.problem("correlated", "missing; markets with an asset are drawn from it")
        return {}
    reader.unknown(t, p, {"seed", "hours", "step", "correlation", "common_jumps"})
    seed = reader.integer(t, "seed", p, lambda v: v >= 0, ">= 0", 0, 2**64 - 1)
    hours = reader.integer(t, "hours", p, lambda v: 0 < v * 3_600 <= MAX_SECONDS, "(0, 8784]")
    step = reader.integer(t, "step", p, lambda v: 0 < v <= 86_400, "seconds in (0, 86400]", 3_600)
    common = _jumps(reader, t, "common_jumps", p)
    matrix = t.get("correlation")
    if not isinstance(matrix, list) or any(
        not isinstance(row, list)
        or any(isinstance(v, bool) or not isinstance(v, int | float) for v in row)
        for row in matrix
    ):
        reader.problem(f"{p}correlation", "must be a list of rows of numbers")
        return {}
    if reader.problems or step > hours * 3_600:
        if step > hours * 3_600:
            reader.problem(f"{p}step", f"= {step}: longer than the path")
        return {}
    try:
        drawn = correlated_paths(
            seed=seed,
            assets=list(assets.values()),
            correlation=[[float(v) for v in row] for row in matrix],
            duration=hours * 3_600,
            dt=step,
            common=common,
        )
    except CorrelationError as error:
        reader.problem(f"{p}correlation", f"{error} (rows in the order of the asset markets)")
        return {}
    return dict(zip(assets, drawn, strict=True))


def build_system(path: Path, doc: Mapping[str, Any], text: str) -> SystemScenario:
    reader = Reader(path, text)
    reader.unknown(doc, "", TOP_LEVEL)
    name = reader.text(doc, "name", "", path.stem)
    description = reader.text(doc, "description", "", "")
    topologies = _names(reader, doc, "topologies", tuple(t.value for t in Topology))
    policies = _names(reader, doc, "policies", POLICY_NAMES)
    tables = doc.get("market")
    if not isinstance(tables, list) or not tables or len(tables) > 16:
        reader.problem("market", "must be 1 to 16 [[market]] tables")
        raise ConfigFileError(reader.problems)
    markets: dict[str, tuple[Scenario, str]] = {}
    adversaries: dict[str, Callable[[], Controller]] = {}
    assets: dict[str, Asset] = {}
    for i, t in enumerate(tables):
        p = f"market[{i}]."
        if not isinstance(t, dict):
            reader.problem(f"market[{i}]", "must be a table")
            continue
        reader.unknown(t, p, MARKET_KEYS)
        market = reader.text(t, "id", p, "")
        if not market or market in markets:
            reader.problem(f"{p}id", f'= "{market}": each market needs its own id')
            continue
        venue = reader.text(t, "venue", p, "main")
        base = _base(reader, path, t, p)
        if base is None:
            continue
        if "population" in t:
            count = reader.integer(t, "population", p, lambda v: 0 < v <= 10_000, "in [1, 10000]")
            base = attrs.evolve(base, population=attrs.evolve(base.population, count=count))
        if "points" in t and "asset" in t:
            reader.problem(f"{p}asset", "a market has points or an asset, not both")
        elif "points" in t:
            drawn = _points(reader, t, p, base.path.origin)
            if drawn is not None:
                base = attrs.evolve(base, path=drawn)
        elif "asset" in t:
            assets[market] = _asset(reader, t, p, base.path.prices[0])
        if "min_answer" in t:
            floor = reader.number(t, "min_answer", p, lambda v: v >= 0, "a price, >= 0")
            base = attrs.evolve(base, oracle=attrs.evolve(base.oracle, floor=floor))
        if "adversary" in t:
            kind = t["adversary"]
            if kind not in ADVERSARIES:
                reader.problem(f"{p}adversary", f"must be one of {', '.join(ADVERSARIES)}")
            else:
                adversaries[market] = ADVERSARIES[kind]
        markets[market] = (base, venue)
    for market, drawn_path in _correlated(reader, doc, assets).items():
        scenario, venue = markets[market]
        markets[market] = (attrs.evolve(scenario, path=drawn_path), venue)
    if reader.problems:
        raise ConfigFileError(reader.problems)
    return SystemScenario(
        name=name,
        description=description,
        markets=markets,
        adversaries=adversaries,
        topologies=tuple(Topology(t) for t in topologies),
        policies=policies,
    )

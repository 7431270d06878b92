"""Scenario and parameter files (TOML): loading them, and saying exactly what is wrong.

:func:`load_scenario` reads a whole scenario; :func:`load_config`
(``simulation.param_files``) reads only its ``[params]`` tables, for one policy, and is
what a parameter checker needs. Both collect every problem before failing, and raise
:class:`ConfigFileError` listing each one with the file, the line where it could be
found, the field as a dotted path (``params.gen3.floor_ratio``), and the valid range,
sorted by line. The pieces: ``file_text`` (strict UTF-8 text, TOML), ``file_values``
(numbers in file units, strict and bounded), ``param_files`` (engine parameters),
``series`` (CSV time series); ``scenarios/README.md`` documents every table.

Bounds that keep a run finite: durations of at most a year (``MAX_SECONDS``), at most
:data:`MAX_TICKS` ticks, at most :data:`MAX_POINTS` points of a generated path.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from model.numbers import WAD
from simulation import paths
from simulation.actors import ActorProfile, GasSettings
from simulation.file_text import ConfigFileError, Problem, key_lines, parse_toml
from simulation.file_values import (
    MAX_SECONDS,
    Reader,
    parse_decimal,
    read_percent,
    to_fixed,
)
from simulation.generator_files import KEYS as GENERATED
from simulation.generator_files import MAX_POINTS, read_path_model
from simulation.market import ConstantProduct, DepthModel, LinearDepth
from simulation.oracle_feed import OracleSettings
from simulation.param_files import TOP_LEVEL, load_config, read_params
from simulation.population import PopulationSettings
from simulation.scenario import POLICY_NAMES, Funding, MarketSettings, Scenario
from simulation.series import SeriesError, StepSeries, load_series, read_columns

MAX_TICKS = 1_000_000
"""Most ticks a scenario may run (its duration over its tick): about 200 s per policy on
this project's machine. A year of one-minute ticks is 525,600."""

__all__ = [
    "ConfigFileError",
    "Problem",
    "build_scenario",
    "key_lines",
    "load_config",
    "load_scenario",
    "parse_decimal",
    "read_percent",
    "to_fixed",
]

POSITIVE = "must be > 0"
NON_NEGATIVE = "must be >= 0"
FRACTION = "must be in (0, 1)"


def _checked_path(reader: Reader, path: paths.PricePath, field: str) -> paths.PricePath | None:
    """A built path, if it is one a run can step through: at most a year, prices finite
    and within [1e-9, 1e12]."""
    if path.end > MAX_SECONDS:
        days = path.end / 86_400
        reader.problem(field, f"the path lasts {days:,.0f} days; at most 366 (a year)")
        return None
    bad = next((x for x in path.prices if not MIN_PRICE <= x <= MAX_PRICE), None)
    if bad is not None:
        reader.problem(field, f"the path reaches the price {bad:.6g}, outside [1e-9, 1e12]")
        return None
    return path


MIN_PRICE, MAX_PRICE = 1e-9, 1e12


def _path(reader: Reader, doc: Mapping[str, Any], seed: int) -> paths.PricePath | None:
    t = reader.table(doc, "path")
    p = "path."
    source = reader.text(t, "source", p)
    sources = {
        "csv": {"file", "ohlc_file"},
        "gap": {"start_price", "gap", "at", "duration"},
        "bleed": {"start_price", "decline", "duration", "dt", "hold"},
        "spike": {"start_price", "spike", "at", "length", "duration"},
        **GENERATED,
    }
    if source not in sources:
        if source:
            valid = ", ".join(sources)
            reader.problem("path.source", f"= {source[:40]!r}: must be one of {valid}")
        return None
    if source in GENERATED:
        model = read_path_model(reader, t, source)
        if model is None:
            return None
        try:
            built = model.path(seed)
        except (OverflowError, ValueError):
            reader.problem("path", "the generated path leaves the range of prices [1e-9, 1e12]")
            return None
        return _checked_path(reader, built, "path")
    reader.unknown(t, p, sources[source] | {"source"})

    def pos(key: str) -> float:
        rule = "a price > 0, within [1e-9, 1e12]"
        return reader.number(t, key, p, lambda v: MIN_PRICE <= v <= MAX_PRICE, rule)

    def secs(key: str) -> int:
        return reader.seconds(t, key, p)

    before = len(reader.problems)
    if source == "csv":
        price_file = reader.file(t, "file", p)
        ohlc = reader.file(t, "ohlc_file", p) if "ohlc_file" in t else None
        if price_file is None:
            return None
        try:
            built = paths.from_csv(price_file, ohlc)
        except SeriesError as error:
            reader.add(error.problems)
            return None
        except ValueError as error:
            reader.problem("path.file", str(error))
            return None
        return _checked_path(reader, built, "path.file")
    start = pos("start_price")
    duration = secs("duration")
    if source == "bleed":
        dt = secs("dt")
        if len(reader.problems) == before and dt > duration:
            reader.problem("path.dt", f"= {dt}: must be <= duration ({duration})")
        elif len(reader.problems) == before and duration // dt > MAX_POINTS:
            reader.problem("path.dt", f"= {dt}: more than {MAX_POINTS:,} points in duration")
        decline = reader.number(t, "decline", p, lambda v: 0 < v < 1, FRACTION)
        if len(reader.problems) > before:
            return None
        hold = reader.integer(
            t, "hold", p, lambda v: v >= 0, "an integer >= 0 (seconds)", 0, MAX_SECONDS
        )
        built = paths.slow_bleed(
            start_price=start, decline=decline, duration=duration, dt=dt, hold=hold
        )
        return _checked_path(reader, built, "path")
    at = secs("at")
    if len(reader.problems) == before and at >= duration:
        reader.problem("path.at", f"= {at}: must be < duration ({duration})")
    if source == "gap":
        gap = reader.number(t, "gap", p, lambda v: 0 < v < 1, FRACTION)
        if len(reader.problems) > before:
            return None
        built = paths.single_gap(start_price=start, gap=gap, at=at, duration=duration)
        return _checked_path(reader, built, "path")
    spike = reader.number(t, "spike", p, lambda v: v > -1 and v != 0, "must be > -1 and != 0")
    length = secs("length")
    if len(reader.problems) == before and at + length + 1 >= duration:
        reader.problem("path.length", f"= {length}: at + length must end before duration")
    if len(reader.problems) > before:
        return None
    built = paths.spike_and_revert(
        start_price=start, spike=spike, at=at, length=length, duration=duration
    )
    return _checked_path(reader, built, "path")


def _oracle(reader: Reader, doc: Mapping[str, Any], tick: int) -> OracleSettings:
    t = reader.table(doc, "oracle")
    reader.unknown(t, "oracle.", {"interval", "delay", "min_answer"})
    rule = f"must be a positive multiple of tick ({tick} s)"
    interval = reader.integer(
        t, "interval", "oracle.", lambda v: v > 0 and v % tick == 0, rule, largest=MAX_SECONDS
    )
    delay = reader.integer(t, "delay", "oracle.", lambda v: v >= 0, "seconds, >= 0", 0, MAX_SECONDS)
    floor = reader.number(t, "min_answer", "oracle.", lambda v: v >= 0, "a price, >= 0", 0.0)
    return OracleSettings(interval=max(interval, tick), delay=delay, floor=floor)


def _series(
    reader: Reader, t: Mapping[str, Any], prefix: str, key: str, column: str, origin: int
) -> StepSeries | None:
    path = reader.file(t, key, prefix)
    if path is None:
        return None
    try:
        return load_series(path, column, origin)
    except SeriesError as error:
        reader.add(error.problems)
        return None


def _market(reader: Reader, doc: Mapping[str, Any], path: paths.PricePath | None) -> MarketSettings:
    t = reader.table(doc, "market")
    p = "market."
    model = reader.text(t, "model", p)
    common = {"model", "half_life", "depth_impact"}
    half_life = reader.integer(
        t, "half_life", p, lambda v: v >= 0, "seconds, >= 0", largest=MAX_SECONDS
    )
    depth_impact = reader.number(t, "depth_impact", p, lambda v: 0 < v < 1, FRACTION, 0.02)
    depth: DepthModel = LinearDepth(StepSeries.constant(1.0), 0.02)
    if model == "constant_product":
        reader.unknown(t, p, common | {"fee", "collateral_reserve", "reserves_file"})
        fee = reader.number(t, "fee", p, lambda v: 0 <= v < 1, "must be in [0, 1)", 0.003)
        if "reserves_file" in t:
            liquidity = _reserves(reader, t, path)
        else:
            reserve = reader.number(t, "collateral_reserve", p, lambda v: v > 0, POSITIVE)
            start = path.prices[0] if path is not None else 1.0
            liquidity = StepSeries.constant(reserve * start**0.5)
        if liquidity is not None:
            depth = ConstantProduct(liquidity, fee)
    elif model == "linear":
        reader.unknown(t, p, common | {"depth", "impact"})
        units = reader.number(t, "depth", p, lambda v: v > 0, "collateral units, > 0")
        impact = reader.number(t, "impact", p, lambda v: 0 < v < 1, FRACTION)
        depth = LinearDepth(StepSeries.constant(units or 1.0), impact or 0.02)
    elif model:
        reader.problem("market.model", f"= {model!r}: must be constant_product or linear")
    return MarketSettings(depth=depth, half_life=half_life, depth_impact=depth_impact)


def _reserves(
    reader: Reader, t: Mapping[str, Any], path: paths.PricePath | None
) -> StepSeries | None:
    """Pool liquidity ``sqrt(quote * collateral)`` from a reserves CSV."""
    file = reader.file(t, "reserves_file", "market.")
    if file is None or path is None:
        return None
    try:
        columns = ["dai_reserve", "weth_reserve"]
        times, (quote, collateral) = read_columns(file, columns, positive=True)
    except SeriesError as error:
        reader.add(error.problems)
        return None
    roots = tuple((q * c) ** 0.5 for q, c in zip(quote, collateral, strict=True))
    return StepSeries(tuple(s - path.origin for s in times), roots)


def _gas(reader: Reader, doc: Mapping[str, Any], origin: int) -> GasSettings:
    t = reader.table(doc, "gas")
    p = "gas."
    actions = ("kick", "take", "liquidate", "redo")
    reader.unknown(t, p, {"file", "column", "gwei", *actions})
    gwei: StepSeries | None = StepSeries.constant(0.0)
    if "file" in t:
        column = reader.text(t, "column", p, "p60_gwei")
        gwei = _series(reader, t, p, "file", column, origin)
    elif "gwei" in t:
        gwei = StepSeries.constant(reader.number(t, "gwei", p, lambda v: v >= 0, NON_NEGATIVE))
    units = {
        a: reader.integer(t, a, p, lambda v: v >= 0, "gas units, an integer >= 0", d)
        for a, d in zip(actions, (450_000, 350_000, 550_000, 150_000), strict=True)
    }
    return GasSettings(gwei=gwei or StepSeries.constant(0.0), **units)


def _profiles(
    reader: Reader, doc: Mapping[str, Any], name: str, bidders: bool
) -> tuple[ActorProfile, ...]:
    t = reader.table(doc, name)
    rows = t.get("profile", [])
    if bidders and rows == [] and "profile" in t:
        return ()  # ``profile = []``: a market where nobody bids (POL is the only buyer)
    if not isinstance(rows, list) or not rows:
        reader.problem(f"{name}.profile", "needs at least one [[" + name + ".profile]] table")
        return ()
    profiles = []
    for i, row in enumerate(rows):
        p = f"{name}.profile[{i}]."
        if not isinstance(row, dict):
            reader.problem(p.rstrip("."), "must be a table")
            continue
        allowed = {"name", "latency", "max_gas_gwei"} | ({"margin"} if bidders else set())
        reader.unknown(row, p, allowed)
        profiles.append(
            ActorProfile(
                name=reader.text(row, "name", p, f"{name}{i}"),
                latency=reader.integer(
                    row, "latency", p, lambda v: v >= 0, "seconds, >= 0", 0, MAX_SECONDS
                ),
                max_gas_gwei=reader.number(row, "max_gas_gwei", p, lambda v: v >= 0, NON_NEGATIVE),
                margin=reader.number(row, "margin", p, lambda v: 0 <= v < 1, "in [0, 1)", 0.0)
                if bidders
                else 0.0,
            )
        )
    return tuple(profiles)


def _population(reader: Reader, doc: Mapping[str, Any], dust: int) -> PopulationSettings:
    t = reader.table(doc, "population")
    p = "population."
    keys = ("count", "total_collateral", "min_ratio", "median_ratio", "ratio_sigma")
    reader.unknown(t, p, {*keys, "size_sigma", "min_debt"})
    count = reader.integer(t, "count", p, lambda v: 0 < v <= 100_000, "an integer in [1, 100000]")
    total = reader.number(t, "total_collateral", p, lambda v: v > 0, POSITIVE)
    low = reader.number(t, "min_ratio", p, lambda v: v > 1, "must be > 1")
    median = reader.number(
        t, "median_ratio", p, lambda v: v > low, f"must exceed min_ratio ({low})"
    )
    sigma = reader.number(t, "ratio_sigma", p, lambda v: v >= 0, NON_NEGATIVE)
    size_sigma = reader.number(t, "size_sigma", p, lambda v: v >= 0, NON_NEGATIVE, 1.0)
    dust_units = dust / WAD
    min_debt = reader.number(
        t,
        "min_debt",
        p,
        lambda v: v >= dust_units,
        f"must be >= params.dust ({dust_units})",
        max(dust_units, 2 * dust_units),
    )
    if size_sigma > 10 or sigma > 10:
        reader.problem(f"{p}size_sigma" if size_sigma > 10 else f"{p}ratio_sigma", "must be <= 10")
    return PopulationSettings(count, total, low, median, sigma, size_sigma, min_debt)


def _funding(reader: Reader, doc: Mapping[str, Any]) -> Funding:
    t = reader.table(doc, "funding")
    p = "funding."
    reader.unknown(t, p, {"insurance", "pol", "lp_headroom"})
    return Funding(
        insurance=reader.number(t, "insurance", p, lambda v: v >= 0, NON_NEGATIVE, 0.0),
        pol=reader.number(t, "pol", p, lambda v: v >= 0, NON_NEGATIVE, 0.0),
        lp_headroom=reader.number(t, "lp_headroom", p, lambda v: v >= 0, NON_NEGATIVE, 0.25),
    )


def load_scenario(path: Path | str) -> Scenario:
    """A whole scenario file. Raises :class:`ConfigFileError` listing every problem."""
    path = Path(path)
    doc, text = parse_toml(path)
    return build_scenario(path, doc, text)


def build_scenario(path: Path, doc: Mapping[str, Any], text: str) -> Scenario:
    """The scenario of a parsed document ``doc`` of the file ``path`` (whose ``text``
    places each key's line): a sweep builds its variants of a scenario this way.
    Raises :class:`ConfigFileError` listing every problem."""
    reader = Reader(path, text)
    reader.unknown(doc, "", TOP_LEVEL)
    name = reader.text(doc, "name", "", path.stem)
    description = reader.text(doc, "description", "", "")
    seed = reader.integer(doc, "seed", "", lambda v: v >= 0, "an integer >= 0", 0, 2**64 - 1)
    tick = reader.integer(doc, "tick", "", lambda v: v > 0, "seconds, > 0", 60, MAX_SECONDS)
    price_path = _path(reader, doc, seed)
    oracle = _oracle(reader, doc, tick or 60)
    market = _market(reader, doc, price_path)
    gas = _gas(reader, doc, price_path.origin if price_path else 0)
    keepers_table = reader.table(doc, "keepers")
    reader.unknown(keepers_table, "keepers.", {"profile", "require_profit"})
    require_profit = keepers_table.get("require_profit", False)
    if not isinstance(require_profit, bool):
        reader.problem("keepers.require_profit", "must be true or false")
        require_profit = False
    keepers = _profiles(reader, doc, "keepers", bidders=False)
    bidders_table = reader.table(doc, "bidders")
    reader.unknown(bidders_table, "bidders.", {"profile"})
    bidders = _profiles(reader, doc, "bidders", bidders=True)
    configs = read_params(reader, doc, POLICY_NAMES)
    population = _population(reader, doc, max(c.dust for c in configs.values()))
    funding = _funding(reader, doc)
    if price_path is not None and tick and price_path.end // tick + 1 > MAX_TICKS:
        ticks = price_path.end // tick + 1
        reader.problem(
            "tick", f"= {tick}: the path would take {ticks:,} ticks; at most {MAX_TICKS:,}"
        )
    if reader.problems or price_path is None:
        if not reader.problems:
            reader.problem("path", "missing [path] table")
        raise ConfigFileError(reader.problems)
    return Scenario(
        name=name,
        description=description,
        seed=seed,
        tick=tick,
        path=price_path,
        oracle=oracle,
        market=market,
        gas=gas,
        keepers=keepers,
        keepers_require_profit=require_profit,
        bidders=bidders,
        population=population,
        funding=funding,
        configs=configs,
    )

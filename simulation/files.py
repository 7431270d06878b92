"""Scenario and parameter files (TOML): loading them, and saying exactly what is wrong.

:func:`load_scenario` reads a whole scenario; :func:`load_config` reads only its
``[params]`` tables, for one policy, and is what a parameter checker needs. Both
collect every problem before failing, and raise :class:`ConfigFileError` listing each
one with the file, the line where it could be found, the field as a dotted path
(``params.gen3.floor_ratio``), and the valid range. Engine parameters are checked by
``model.params.validate``, the model's own rules, after conversion.

Units in files are human ones: prices and ratios are decimals (``1.45``, or the
string ``"145%"``), amounts are whole units of quote or collateral, times are integer
seconds. The loader converts ratios to RAY and amounts to WAD from the type of each
parameter field (``Ray``, ``Wad``, ``Seconds``), so a field added to a parameter record
is understood without a change here. ``scenarios/README.md`` documents every table.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable, Mapping
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import attrs

from model.curves import Curve, ExponentialDecrease, LinearDecrease, StairstepExponentialDecrease
from model.numbers import RAY, WAD
from model.params import Config, OracleParams, PolicyParams, validate
from model.params.presets import DUST, ORACLE, PRESETS
from simulation import paths
from simulation.actors import ActorProfile, GasSettings
from simulation.market import ConstantProduct, DepthModel, LinearDepth
from simulation.oracle_feed import OracleSettings
from simulation.population import PopulationSettings
from simulation.scenario import POLICY_NAMES, Funding, MarketSettings, Scenario
from simulation.series import StepSeries, load_series, read_columns

UNITS: Mapping[str, int] = {"Ray": RAY, "Wad": WAD, "Seconds": 1}


@attrs.frozen
class Problem:
    """One thing wrong with a file."""

    file: str
    line: int | None
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line is not None else self.file
        return f"{where}: {self.field}: {self.message}"


class ConfigFileError(Exception):
    """A scenario or parameter file that cannot be used; ``problems`` lists every reason."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = tuple(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


_HEADER = re.compile(r"^\s*(\[\[?)\s*([A-Za-z0-9_.\-\" ]+?)\s*\]\]?")
_KEY = re.compile(r"^\s*([A-Za-z0-9_\-]+)\s*=")


def key_lines(text: str) -> dict[str, int]:
    """Line number of each key and table header, by dotted path (arrays of tables are
    indexed: ``keepers.profile[1].latency``). A light scan, not a TOML parser: it is
    only used to point at lines in error messages."""
    lines: dict[str, int] = {}
    section = ""
    counts: dict[str, int] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        header = _HEADER.match(line)
        if header:
            name = header.group(2).replace('"', "").replace(" ", "")
            if header.group(1) == "[[":
                index = counts.get(name, 0)
                counts[name] = index + 1
                name = f"{name}[{index}]"
            section = name
            lines.setdefault(section, number)
            continue
        key = _KEY.match(line)
        if key:
            lines.setdefault(f"{section}.{key.group(1)}" if section else key.group(1), number)
    return lines


class _Reader:
    """Collects problems while values are read out of a parsed TOML document."""

    def __init__(self, path: Path, text: str) -> None:
        self.path = path
        self.lines = key_lines(text)
        self.problems: list[Problem] = []

    def line_of(self, field: str) -> int | None:
        probe = field
        while probe:
            if probe in self.lines:
                return self.lines[probe]
            probe = probe.rpartition(".")[0]
        return None

    def problem(self, field: str, message: str) -> None:
        self.problems.append(Problem(str(self.path), self.line_of(field), field, message))

    def table(self, doc: Mapping[str, Any], name: str, prefix: str = "") -> dict[str, Any]:
        field = f"{prefix}{name}"
        value = doc.get(name, {})
        if not isinstance(value, dict):
            self.problem(field, "must be a table")
            return {}
        return value

    def unknown(self, table: Mapping[str, Any], prefix: str, allowed: set[str]) -> None:
        for key in table:
            if key not in allowed:
                valid = ", ".join(sorted(allowed))
                self.problem(f"{prefix}{key}", f"unknown key (valid keys: {valid})")

    def number(
        self,
        table: Mapping[str, Any],
        key: str,
        prefix: str,
        check: Callable[[float], bool],
        rule: str,
        default: float | None = None,
    ) -> float:
        field = f"{prefix}{key}"
        if key not in table:
            if default is None:
                self.problem(field, f"missing; {rule}")
                return 0.0
            return default
        value = table[key]
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.problem(field, f"must be a number; {rule}")
            return 0.0
        if not check(float(value)):
            self.problem(field, f"= {value}: {rule}")
            return 0.0
        return float(value)

    def integer(
        self,
        table: Mapping[str, Any],
        key: str,
        prefix: str,
        check: Callable[[int], bool],
        rule: str,
        default: int | None = None,
    ) -> int:
        field = f"{prefix}{key}"
        if key not in table:
            if default is None:
                self.problem(field, f"missing; {rule}")
                return 0
            return default
        value = table[key]
        if isinstance(value, bool) or not isinstance(value, int):
            self.problem(field, f"must be an integer; {rule}")
            return 0
        if not check(value):
            self.problem(field, f"= {value}: {rule}")
            return 0
        return value

    def text(
        self, table: Mapping[str, Any], key: str, prefix: str, default: str | None = None
    ) -> str:
        field = f"{prefix}{key}"
        value = table.get(key, default)
        if not isinstance(value, str):
            self.problem(
                field, "missing; must be a string" if value is None else "must be a string"
            )
            return ""
        return value

    def file(self, table: Mapping[str, Any], key: str, prefix: str) -> Path | None:
        name = self.text(table, key, prefix)
        if not name:
            return None
        resolved = (self.path.parent / name).resolve()
        if not resolved.is_file():
            self.problem(f"{prefix}{key}", f"no such file: {resolved}")
            return None
        return resolved


def _parse(path: Path) -> tuple[dict[str, Any], str]:
    try:
        text = path.read_text()
    except OSError as error:
        raise ConfigFileError([Problem(str(path), None, "file", str(error))]) from error
    try:
        return tomllib.loads(text), text
    except tomllib.TOMLDecodeError as error:
        found = re.search(r"line (\d+)", str(error))
        line = int(found.group(1)) if found else None
        raise ConfigFileError([Problem(str(path), line, "toml", str(error))]) from error


# --- engine parameters ------------------------------------------------------------------


def to_fixed(value: object, unit: str) -> int | str:
    """A file value as a fixed-point integer of ``unit`` (Ray, Wad, Seconds), or why not.

    Ratios may be written ``1.45`` or ``"145%"``; amounts in whole units; seconds as
    integers. Rounds half-even to the unit's last digit.
    """
    scale = UNITS[unit]
    if isinstance(value, bool):
        return "must be a number"
    if unit == "Seconds":
        if not isinstance(value, int):
            return "must be an integer number of seconds"
        return value
    try:
        if isinstance(value, str):
            body = value.strip()
            percent = body.endswith("%")
            number = Decimal(body.rstrip("%").strip())
            if percent:
                number /= 100
        elif isinstance(value, int | float):
            number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
        else:
            return 'must be a number, or a string such as "145%"'
    except InvalidOperation:
        return f"cannot read {value!r} as a number"
    if not number.is_finite():
        return "must be finite"
    return int((number * scale).to_integral_value(rounding=ROUND_HALF_EVEN))


def from_fixed(value: int, unit: str) -> str:
    """A fixed-point integer back in file units, for messages."""
    if unit == "Seconds":
        return str(value)
    text = f"{Decimal(value) / UNITS[unit]:f}"
    if "." in text:  # trailing zeros of the fraction only: 2000 stays 2000
        text = text.rstrip("0").rstrip(".")
    return text


def _fields_of(record: type[Any]) -> dict[str, str]:
    return {f.name: str(f.type) for f in attrs.fields(record)}


def _override(
    reader: _Reader, base: Any, table: Mapping[str, Any], prefix: str, skip: set[str]
) -> Any:
    """``base`` (an attrs record) with the fields ``table`` sets, converted to fixed point."""
    fields = _fields_of(type(base))
    reader.unknown(table, prefix, set(fields) | skip)
    changes: dict[str, Any] = {}
    for key, value in table.items():
        if key in skip or key not in fields:
            continue
        unit = fields[key]
        if unit not in UNITS:
            continue
        converted = to_fixed(value, unit)
        if isinstance(converted, str):
            reader.problem(f"{prefix}{key}", converted)
        elif converted < 0:
            reader.problem(f"{prefix}{key}", f"= {value}: must be >= 0")
        else:
            changes[key] = converted
    return attrs.evolve(base, **changes)


CURVES: Mapping[str, type[Any]] = {
    "linear": LinearDecrease,
    "stairstep": StairstepExponentialDecrease,
    "exponential": ExponentialDecrease,
}


def _curve(reader: _Reader, base: Curve, value: object, prefix: str) -> Curve:
    field = f"{prefix}curve"
    if not isinstance(value, dict):
        reader.problem(
            field, 'must be a table such as { kind = "stairstep", step = 90, cut = 0.99 }'
        )
        return base
    kind = str(value.get("kind"))
    if kind not in CURVES:
        reader.problem(f"{field}.kind", f"= {kind!r}: must be one of {', '.join(CURVES)}")
        return base
    record = CURVES[kind]
    fields = _fields_of(record)
    missing = [name for name in fields if name not in value]
    for name in missing:
        reader.problem(f"{field}.{name}", f"missing: a {kind} curve needs {', '.join(fields)}")
    if missing:
        return base
    seed = record(**{name: 0 for name in fields})
    return _override(reader, seed, value, f"{field}.", {"kind"})  # type: ignore[no-any-return]


def _policy(reader: _Reader, name: str, table: Mapping[str, Any]) -> PolicyParams:
    prefix = f"params.{name}."
    base = PRESETS[name].policy
    policy = _override(reader, base, table, prefix, {"curve"})
    if "curve" in table:
        if not hasattr(base, "curve"):
            reader.problem(f"{prefix}curve", "only gen2 has a price curve")
        else:
            policy = attrs.evolve(policy, curve=_curve(reader, base.curve, table["curve"], prefix))
    return policy  # type: ignore[no-any-return]


def _config(reader: _Reader, params: Mapping[str, Any], name: str) -> Config:
    oracle_table = reader.table(params, "oracle", "params.")
    oracle: OracleParams = _override(reader, ORACLE, oracle_table, "params.oracle.", set())
    dust = DUST
    if "dust" in params:
        converted = to_fixed(params["dust"], "Wad")
        if isinstance(converted, str):
            reader.problem("params.dust", converted)
        else:
            dust = converted
    policy = _policy(reader, name, reader.table(params, name, "params."))
    return Config(oracle=oracle, dust=dust, policy=policy)


def _engine_units(name: str) -> dict[str, str]:
    """Units of each ParamError field path, for messages in file units."""
    units = {f"oracle.{k}": v for k, v in _fields_of(OracleParams).items()}
    units["dust"] = "Wad"
    units.update({f"policy.{k}": v for k, v in _fields_of(type(PRESETS[name].policy)).items()})
    for record in CURVES.values():
        units.update({f"policy.curve.{k}": v for k, v in _fields_of(record).items()})
    return units


def _validated(reader: _Reader, config: Config, name: str) -> None:
    units = _engine_units(name)
    for error in validate(config):
        field = error.field.replace("policy.", f"{name}.", 1)
        unit = units.get(error.field, "Seconds")
        shown = from_fixed(error.value, unit)
        note = {"Ray": " (RAY = 1 in files: ratios are decimals)", "Wad": " (WAD = 1 unit)"}
        reader.problem(f"params.{field}", f"= {shown}: {error.rule}{note.get(unit, '')}")


def _params(reader: _Reader, doc: Mapping[str, Any], names: tuple[str, ...]) -> dict[str, Config]:
    params = reader.table(doc, "params")
    reader.unknown(params, "params.", {"dust", "oracle", *POLICY_NAMES})
    configs = {}
    for name in names:
        before = len(reader.problems)
        config = _config(reader, params, name)
        if len(reader.problems) == before:
            _validated(reader, config, name)
        configs[name] = config
    return configs


def load_config(path: Path | str, policy: str = "gen3") -> Config:
    """The engine configuration of ``policy`` from a scenario or parameter file.

    Reads only the ``[params]`` tables: ``dust``, ``[params.oracle]`` and
    ``[params.<policy>]``; every field not set keeps its preset value
    (``model.params.presets``). Raises :class:`ConfigFileError` listing every problem,
    including every rule of ``model.params.validate`` the result breaks.
    """
    path = Path(path)
    if policy not in POLICY_NAMES:
        raise ValueError(f"policy must be one of {', '.join(POLICY_NAMES)}")
    doc, text = _parse(path)
    reader = _Reader(path, text)
    config = _params(reader, doc, (policy,))[policy]
    if reader.problems:
        raise ConfigFileError(reader.problems)
    return config


# --- the rest of a scenario -------------------------------------------------------------

POSITIVE = "must be > 0"
NON_NEGATIVE = "must be >= 0"
FRACTION = "must be in (0, 1)"


def _path(reader: _Reader, doc: Mapping[str, Any], seed: int) -> paths.PricePath | None:
    t = reader.table(doc, "path")
    p = "path."
    source = reader.text(t, "source", p)
    sources = {
        "csv": {"file", "ohlc_file"},
        "gbm": {"start_price", "duration", "dt", "drift", "volatility"}
        | {"jump_intensity", "jump_mean", "jump_stdev"},
        "gap": {"start_price", "gap", "at", "duration"},
        "bleed": {"start_price", "decline", "duration", "dt", "hold"},
        "spike": {"start_price", "spike", "at", "length", "duration"},
    }
    if source not in sources:
        if source:
            reader.problem("path.source", f"= {source!r}: must be one of {', '.join(sources)}")
        return None
    reader.unknown(t, p, sources[source] | {"source"})

    def pos(key: str) -> float:
        return reader.number(t, key, p, lambda v: v > 0, POSITIVE)

    def secs(key: str) -> int:
        return reader.integer(t, key, p, lambda v: v > 0, "must be an integer > 0 (seconds)")

    before = len(reader.problems)
    if source == "csv":
        price_file = reader.file(t, "file", p)
        ohlc = reader.file(t, "ohlc_file", p) if "ohlc_file" in t else None
        if price_file is None:
            return None
        try:
            return paths.from_csv(price_file, ohlc)
        except ValueError as error:
            reader.problem("path.file", str(error))
            return None
    start = pos("start_price")
    duration = secs("duration")
    if source == "gbm":
        dt = secs("dt")
        drift = reader.number(t, "drift", p, lambda v: True, "annualised drift, any number")
        vol = reader.number(t, "volatility", p, lambda v: v >= 0, NON_NEGATIVE)
        lam = reader.number(t, "jump_intensity", p, lambda v: v >= 0, "jumps per day, >= 0")
        mean = reader.number(t, "jump_mean", p, lambda v: True, "mean log jump, any number")
        stdev = reader.number(t, "jump_stdev", p, lambda v: v >= 0, NON_NEGATIVE)
        if len(reader.problems) > before:
            return None
        return paths.gbm_with_jumps(
            seed=seed,
            start_price=start,
            duration=duration,
            dt=dt,
            drift=drift,
            volatility=vol,
            jump_intensity=lam,
            jump_mean=mean,
            jump_stdev=stdev,
        )
    if source == "bleed":
        decline = reader.number(t, "decline", p, lambda v: 0 < v < 1, FRACTION)
        dt = secs("dt")
        if len(reader.problems) > before:
            return None
        if dt > duration:
            reader.problem("path.dt", f"= {dt}: must be <= duration ({duration})")
            return None
        hold = reader.integer(t, "hold", p, lambda v: v >= 0, "an integer >= 0 (seconds)", 0)
        return paths.slow_bleed(
            start_price=start, decline=decline, duration=duration, dt=dt, hold=hold
        )
    at = secs("at")
    if len(reader.problems) == before and at >= duration:
        reader.problem("path.at", f"= {at}: must be < duration ({duration})")
    if source == "gap":
        gap = reader.number(t, "gap", p, lambda v: 0 < v < 1, FRACTION)
        if len(reader.problems) > before:
            return None
        return paths.single_gap(start_price=start, gap=gap, at=at, duration=duration)
    spike = reader.number(t, "spike", p, lambda v: v > -1 and v != 0, "must be > -1 and != 0")
    length = secs("length")
    if len(reader.problems) == before and at + length + 1 >= duration:
        reader.problem("path.length", f"= {length}: at + length must end before duration")
    if len(reader.problems) > before:
        return None
    return paths.spike_and_revert(
        start_price=start, spike=spike, at=at, length=length, duration=duration
    )


def _oracle(reader: _Reader, doc: Mapping[str, Any], tick: int) -> OracleSettings:
    t = reader.table(doc, "oracle")
    reader.unknown(t, "oracle.", {"interval", "delay"})
    rule = f"must be a positive multiple of tick ({tick} s)"
    interval = reader.integer(t, "interval", "oracle.", lambda v: v > 0 and v % tick == 0, rule)
    delay = reader.integer(t, "delay", "oracle.", lambda v: v >= 0, "must be >= 0 (seconds)", 0)
    return OracleSettings(interval=max(interval, tick), delay=delay)


def _series(
    reader: _Reader, t: Mapping[str, Any], prefix: str, key: str, column: str, origin: int
) -> StepSeries | None:
    path = reader.file(t, key, prefix)
    if path is None:
        return None
    try:
        return load_series(path, column, origin)
    except ValueError as error:
        reader.problem(f"{prefix}{key}", str(error))
        return None


def _market(
    reader: _Reader, doc: Mapping[str, Any], path: paths.PricePath | None
) -> MarketSettings:
    t = reader.table(doc, "market")
    p = "market."
    model = reader.text(t, "model", p)
    common = {"model", "half_life", "depth_impact"}
    half_life = reader.integer(t, "half_life", p, lambda v: v >= 0, "must be >= 0 (seconds)")
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
    reader: _Reader, t: Mapping[str, Any], path: paths.PricePath | None
) -> StepSeries | None:
    """Pool liquidity ``sqrt(quote * collateral)`` from a reserves CSV."""
    file = reader.file(t, "reserves_file", "market.")
    if file is None or path is None:
        return None
    try:
        times, (quote, collateral) = read_columns(file, ["dai_reserve", "weth_reserve"])
    except ValueError as error:
        reader.problem("market.reserves_file", str(error))
        return None
    roots = tuple((q * c) ** 0.5 for q, c in zip(quote, collateral, strict=True))
    return StepSeries(tuple(s - path.origin for s in times), roots)


def _gas(reader: _Reader, doc: Mapping[str, Any], origin: int) -> GasSettings:
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
    reader: _Reader, doc: Mapping[str, Any], name: str, bidders: bool
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
                latency=reader.integer(row, "latency", p, lambda v: v >= 0, "seconds, >= 0", 0),
                max_gas_gwei=reader.number(row, "max_gas_gwei", p, lambda v: v >= 0, NON_NEGATIVE),
                margin=reader.number(row, "margin", p, lambda v: 0 <= v < 1, "in [0, 1)", 0.0)
                if bidders
                else 0.0,
            )
        )
    return tuple(profiles)


def _population(reader: _Reader, doc: Mapping[str, Any], dust: int) -> PopulationSettings:
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
    return PopulationSettings(count, total, low, median, sigma, size_sigma, min_debt)


def _funding(reader: _Reader, doc: Mapping[str, Any]) -> Funding:
    t = reader.table(doc, "funding")
    p = "funding."
    reader.unknown(t, p, {"insurance", "pol", "lp_headroom"})
    return Funding(
        insurance=reader.number(t, "insurance", p, lambda v: v >= 0, NON_NEGATIVE, 0.0),
        pol=reader.number(t, "pol", p, lambda v: v >= 0, NON_NEGATIVE, 0.0),
        lp_headroom=reader.number(t, "lp_headroom", p, lambda v: v >= 0, NON_NEGATIVE, 0.25),
    )


TOP_LEVEL = {"name", "description", "seed", "tick", "path", "oracle", "market", "gas"}
TOP_LEVEL |= {"keepers", "bidders", "population", "funding", "params"}


def load_scenario(path: Path | str) -> Scenario:
    """A whole scenario file. Raises :class:`ConfigFileError` listing every problem."""
    path = Path(path)
    doc, text = _parse(path)
    reader = _Reader(path, text)
    reader.unknown(doc, "", TOP_LEVEL)
    name = reader.text(doc, "name", "", path.stem)
    description = reader.text(doc, "description", "", "")
    seed = reader.integer(doc, "seed", "", lambda v: v >= 0, "an integer >= 0", 0)
    tick = reader.integer(doc, "tick", "", lambda v: v > 0, "seconds, an integer > 0", 60)
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
    configs = _params(reader, doc, POLICY_NAMES)
    population = _population(reader, doc, max(c.dust for c in configs.values()))
    funding = _funding(reader, doc)
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

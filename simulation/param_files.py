"""The ``[params]`` tables of a scenario or parameter file: the engine configuration.

Requirement: PARAM-FILES.

``[params]`` holds ``dust``, ``[params.oracle]`` and one table per policy
(``[params.gen3]`` ...). Each field is converted from file units by the type of its
record field (``Ray``, ``Wad``, ``Seconds``), so a field added to a parameter record is
understood without a change here; every field not set keeps its preset value
(``model.params.presets``). The model's own rules (``model.params.validate``) are then
checked and reported in the file's units, together with every conversion problem: a
file's problems come all at once.

A parameter file for ``zle params`` must say which parameters it means: a ``[params]``
table with the checked policy's own table (an empty ``[params.gen3]`` asks for the
presets). :data:`MIN_DUST` bounds ``dust`` from below for the same reason the
scenario loader bounds durations: below it the safety proof needs minutes.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import attrs

from model.curves import Curve, ExponentialDecrease, LinearDecrease, StairstepExponentialDecrease
from model.numbers import WAD, Unit, field_units, plain
from model.params import Config, OracleParams, PolicyParams, validate
from model.params.presets import DUST, ORACLE, PRESETS
from simulation.file_text import ConfigFileError, parse_toml
from simulation.file_values import Reader, in_file_units, shown, to_fixed
from simulation.scenario import POLICY_NAMES

MIN_DUST = WAD
"""``dust`` of at least one whole unit of quote. Below it the engine admits positions of
a few base units and KICK-BACKED, which ``zle params check`` proves, gets slow: with the
gen 3 presets, 2.6 s for ``dust`` = 1,000 units and 2.4 s for 1 unit, but 146 s for one
base unit and 102 s for 0 (``prove_kick_backed`` timed on this project's 2-core machine,
shared). One unit of quote is far below any real dust."""

TOP_LEVEL = {"name", "description", "seed", "tick", "path", "oracle", "market", "gas"}
TOP_LEVEL |= {"keepers", "bidders", "population", "funding", "params"}
"""Every table and key a scenario file may have; a parameter file uses ``params`` only."""


def _fields_of(record: type[Any]) -> dict[str, Unit]:
    """The unit of each of ``record``'s numbers, as the record declares it."""
    return field_units(record)


def _override(
    reader: Reader, base: Any, table: Mapping[str, Any], prefix: str, skip: set[str]
) -> Any:
    """``base`` (an attrs record) with the fields ``table`` sets, converted to fixed point."""
    fields = _fields_of(type(base))
    reader.unknown(table, prefix, {f.name for f in attrs.fields(type(base))} | skip)
    changes: dict[str, Any] = {}
    for key, value in table.items():
        if key in skip or key not in fields:  # not a number (the curve has its table)
            continue
        unit = fields[key]
        reader.written[f"{prefix}{key}"] = value
        converted = to_fixed(value, unit)
        if isinstance(converted, str):
            reader.problem(f"{prefix}{key}", converted)
        else:
            changes[key] = converted
    return attrs.evolve(base, **changes)


CURVES: Mapping[str, type[Any]] = {
    "linear": LinearDecrease,
    "stairstep": StairstepExponentialDecrease,
    "exponential": ExponentialDecrease,
}


def _curve(reader: Reader, base: Curve, value: object, prefix: str) -> Curve:
    field = f"{prefix}curve"
    if not isinstance(value, dict):
        reader.problem(
            field, 'must be a table such as { kind = "stairstep", step = 90, cut = 0.99 }'
        )
        return base
    kind = value.get("kind")
    if not isinstance(kind, str) or kind not in CURVES:
        reader.problem(f"{field}.kind", f"= {shown(kind)}: must be one of {', '.join(CURVES)}")
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


def _policy(reader: Reader, name: str, table: Mapping[str, Any]) -> PolicyParams:
    prefix = f"params.{name}."
    base = PRESETS[name].policy
    policy = _override(reader, base, table, prefix, {"curve"})
    if "curve" in table:
        if not hasattr(base, "curve"):
            reader.problem(f"{prefix}curve", "only gen2 has a price curve")
        else:
            policy = attrs.evolve(policy, curve=_curve(reader, base.curve, table["curve"], prefix))
    return policy  # type: ignore[no-any-return]


def _config(reader: Reader, params: Mapping[str, Any], name: str) -> Config:
    oracle_table = reader.table(params, "oracle", "params.")
    oracle: OracleParams = _override(reader, ORACLE, oracle_table, "params.oracle.", set())
    dust = DUST
    if "dust" in params:
        reader.written["params.dust"] = params["dust"]
        converted = to_fixed(params["dust"], Unit.WAD)
        if isinstance(converted, str):
            reader.problem("params.dust", converted)
        elif converted < MIN_DUST:
            reader.problem(
                "params.dust",
                f"= {shown(params['dust'])}: must be at least 1 (one unit of quote; see "
                "scenarios/README.md)",
            )
        else:
            dust = converted
    policy = _policy(reader, name, reader.table(params, name, "params."))
    return Config(oracle=oracle, dust=dust, policy=policy)


def _engine_units(name: str) -> dict[str, Unit]:
    """Units of each ParamError field path, for messages in file units."""
    units = {f"oracle.{k}": v for k, v in _fields_of(OracleParams).items()}
    units["dust"] = Unit.WAD
    units.update({f"policy.{k}": v for k, v in _fields_of(type(PRESETS[name].policy)).items()})
    for record in CURVES.values():
        units.update({f"policy.curve.{k}": v for k, v in _fields_of(record).items()})
    return units


def _validated(reader: Reader, config: Config, name: str, failed: set[str]) -> None:
    """Every rule of ``model.params.validate`` the file breaks, in the file's units;
    not those of fields already reported (their preset value stood in)."""
    units = _engine_units(name)
    for error in validate(config):
        field = "params." + error.field.replace("policy.", f"{name}.", 1)
        if field in failed:
            continue
        unit = units.get(error.field, Unit.SECONDS)
        written = reader.written.get(field)
        percent = isinstance(written, str) and written.strip().endswith("%")
        if field in reader.written:
            value = shown(written)
        else:
            value = f"{plain(error.value, unit)} (the preset; the file does not set it)"
        reader.problem(field, f"= {value}: {in_file_units(error.rule, unit, percent)}")


def read_params(
    reader: Reader, doc: Mapping[str, Any], names: tuple[str, ...]
) -> dict[str, Config]:
    """The configuration of each policy in ``names``; problems go to ``reader``."""
    params = reader.table(doc, "params")
    reader.unknown(params, "params.", {"dust", "oracle", *POLICY_NAMES})
    configs = {}
    for name in names:
        before = {p.field for p in reader.problems}
        config = _config(reader, params, name)
        failed = {p.field for p in reader.problems} - before
        _validated(reader, config, name, failed)
        configs[name] = config
    return configs


def load_config(path: Path | str, policy: str = "gen3") -> Config:
    """The engine configuration of ``policy`` from a parameter (or scenario) file.

    The file must have a ``[params]`` table with a ``[params.<policy>]`` table; any other
    top-level key must be one a scenario file has. Raises :class:`ConfigFileError` listing
    every problem, including every rule of ``model.params.validate`` the result breaks.
    """
    path = Path(path)
    if policy not in POLICY_NAMES:
        raise ValueError(f"policy must be one of {', '.join(POLICY_NAMES)}")
    doc, text = parse_toml(path)
    reader = Reader(path, text)
    reader.unknown(doc, "", TOP_LEVEL)
    if "params" not in doc:
        reader.problem("params", f"no [params] table: nothing to check (add [params.{policy}])")
    elif isinstance(doc["params"], dict) and policy not in doc["params"]:
        present = [n for n in POLICY_NAMES if n in doc["params"]]
        found = f" (it has {', '.join(present)})" if present else ""
        reader.problem(
            "params",
            f"no [params.{policy}] table: the file sets no {policy} parameters{found}; an "
            f"empty [params.{policy}] table checks the presets",
        )
    config = read_params(reader, doc, (policy,))[policy]
    if reader.problems:
        raise ConfigFileError(reader.problems)
    return config

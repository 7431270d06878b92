"""A sweep: scenarios x parameter sets x seeds x policies, read from a TOML file.

::

    name = "Black Thursday, bootstrapped"
    scenarios = ["blackthursday2020-10min"]   # shipped names, or files beside this one
    policies = ["gen1", "gen2", "gen3"]       # default: all three
    seeds = 1000                              # 0..999; or [3, 7]; or { first = 0, count = 1000 }

    [override]                                # set in every scenario
    tick = 600
    population = { count = 50, total_collateral = 10_000 }

    [path]                                    # replaces each scenario's path, drawn per seed
    source = "bootstrap"
    file = "../data/blackthursday2020_ETHUSD-coinapi_10min.csv"

    [grid]                                    # every combination is a parameter set
    params.gen3.liquidation_ratio = [1.2, 1.25, 1.3]

    [draw]                                    # drawn per seed, recorded in each row
    funding.insurance = { uniform = [100_000, 300_000] }

Every value is written in a scenario file's units and is read by the scenario loader
(``simulation.files.build_scenario``), so every combination is checked before anything
runs: a problem a grid value causes is reported at the grid's line in the sweep file.
A ``[draw]`` is ``{ uniform = [low, high] }`` (integers if both are), ``{ loguniform =
[low, high] }`` or ``{ choice = [a, b, ...] }`` over ``params.*`` and ``funding.*``
fields; both ends (every choice) are checked. Seed ``s`` draws the book from ``s`` and
the path from ``draws.path_seed(s)``, so that the two are independent.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping, Sequence
from contextlib import ExitStack
from decimal import Decimal
from importlib.resources import as_file
from pathlib import Path
from typing import Any

import attrs

from simulation.file_text import ConfigFileError, Problem, parse_toml
from simulation.file_values import Reader, as_decimal
from simulation.param_files import TOP_LEVEL
from simulation.scenario import POLICY_NAMES
from simulation.shipped import scenario_names, shipped_scenario
from simulation.sweeps.draws import DRAW_KINDS, Draw
from simulation.sweeps.overrides import copy_document, flatten, line_of, sweep_lines
from simulation.sweeps.variants import Builder, Variant

SWEEP_KEYS = {"name", "description", "scenarios", "policies", "seeds"}
SWEEP_KEYS |= {"override", "path", "grid", "draw"}
SETTABLE = TOP_LEVEL - {"name", "description", "seed", "path"}
"""Scenario tables an ``[override]`` may set (the path has its own table)."""
DRAWABLE = ("params", "funding")
FILE_KEYS = ("file", "ohlc_file", "reserves_file")
MAX_VARIANTS = 10_000
MAX_RUNS = 10_000_000
"""Most runs of one sweep (variants x seeds x policies): ten times the 1 M the README
prices, and few enough that its journal stays a few GiB."""


@attrs.frozen
class Sweep:
    file: Path
    name: str
    description: str
    variants: tuple[Variant, ...]
    seeds: Sequence[int]
    policies: tuple[str, ...]
    draws: tuple[Draw, ...]
    grid_keys: tuple[str, ...]

    @property
    def runs(self) -> int:
        return len(self.variants) * len(self.seeds) * len(self.policies)


class _SweepReader(Reader):
    def __init__(self, path: Path, text: str) -> None:
        super().__init__(path, text)
        self.lines.update(sweep_lines(text))

    def line_of(self, field: str) -> int | None:
        return line_of(self.lines, field)


def load_sweep(path: Path, stack: ExitStack) -> Sweep:
    """The sweep of file ``path``, every variant built and checked. Shipped scenarios are
    opened in ``stack``. Raises :class:`ConfigFileError` listing every problem."""
    doc, text = parse_toml(path)
    reader = _SweepReader(path, text)
    reader.unknown(doc, "", SWEEP_KEYS)
    name = reader.text(doc, "name", "", path.stem)
    description = reader.text(doc, "description", "", "")
    scenarios = _scenarios(reader, doc, path, stack)
    policies = _policies(reader, doc)
    seeds = _seeds(reader, doc)
    override = _settable(reader, reader.table(doc, "override"), "override", SETTABLE)
    path_table = _path_table(reader, doc, path)
    grid = _grid(reader, doc)
    draws = _draws(reader, doc)
    combos = math.prod(len(v) for v in grid.values()) * max(1, len(scenarios))
    if combos > MAX_VARIANTS:
        reader.problem("grid", f"{combos:,} parameter sets; at most {MAX_VARIANTS:,}")
    elif combos * len(seeds) * len(policies) > MAX_RUNS:
        runs = combos * len(seeds) * len(policies)
        reader.problem("seeds", f"{runs:,} runs in all; at most {MAX_RUNS:,}")
    if reader.problems:
        raise ConfigFileError(reader.problems)
    builder = Builder(reader, override, path_table, draws)
    variants: list[Variant] = []
    for label, file in scenarios:
        base = builder.base(file)
        if base is None:
            continue
        for values in itertools.product(*grid.values()):
            chosen = tuple(zip(grid, values, strict=True))
            built = builder.variant(len(variants), label, file, base, chosen)
            if built is not None:
                variants.append(built)
    if reader.problems:
        raise ConfigFileError(_unique(reader.problems))
    return Sweep(
        file=path,
        name=name,
        description=description,
        variants=tuple(variants),
        seeds=seeds,
        policies=policies,
        draws=draws,
        grid_keys=tuple(grid),
    )


def _unique(problems: list[Problem]) -> list[Problem]:
    return list(dict.fromkeys(problems))


def _scenarios(
    reader: Reader, doc: Mapping[str, Any], path: Path, stack: ExitStack
) -> list[tuple[str, Path]]:
    names = doc.get("scenarios")
    if not isinstance(names, list) or not names or not all(isinstance(n, str) for n in names):
        reader.problem("scenarios", "must be a non-empty list of scenario names or files")
        return []
    found = []
    for i, name in enumerate(names):
        local = path.parent / name
        if local.is_file():
            found.append((Path(name).stem, local))
            continue
        shipped = shipped_scenario(name)
        if shipped is None:
            known = ", ".join(scenario_names())
            reader.problem(
                "scenarios",
                f"[{i}] = {name!r}: no file {local} and no shipped scenario of that name ({known})",
            )
            continue
        found.append((name.removesuffix(".toml"), stack.enter_context(as_file(shipped))))
    return found


def _policies(reader: Reader, doc: Mapping[str, Any]) -> tuple[str, ...]:
    names = doc.get("policies", list(POLICY_NAMES))
    valid = isinstance(names, list) and names and all(n in POLICY_NAMES for n in names)
    if not valid or len(set(names)) != len(names):
        reader.problem(
            "policies", f"must be a list of distinct policies among {', '.join(POLICY_NAMES)}"
        )
        return POLICY_NAMES
    return tuple(names)


def _seeds(reader: Reader, doc: Mapping[str, Any]) -> Sequence[int]:
    """``seeds = N`` (0, 1, ..., N - 1), a list of seeds, or ``{ first, count }``."""
    value = doc.get("seeds", 1)
    rule = "an integer count, a list of distinct seeds, or { first = S, count = N }"
    largest = 2**63 - 1
    if isinstance(value, dict):
        reader.unknown(value, "seeds.", {"first", "count"})
        first = reader.integer(value, "first", "seeds.", lambda v: v >= 0, ">= 0", 0, largest)
        count = reader.integer(value, "count", "seeds.", lambda v: v > 0, "> 0", None, MAX_RUNS)
        return range(first, first + count)
    if isinstance(value, list):
        ints = all(isinstance(v, int) and not isinstance(v, bool) for v in value)
        if not value or not ints or len(set(value)) != len(value):
            reader.problem("seeds", f"must be {rule}")
            return range(1)
        if any(not 0 <= v <= largest for v in value):
            reader.problem("seeds", f"every seed must be in [0, {largest}]")
            return range(1)
        return tuple(value)
    count = reader.integer(doc, "seeds", "", lambda v: v > 0, rule, 1, MAX_RUNS)
    return range(max(count, 1))


def _settable(
    reader: Reader, table: Mapping[str, Any], where: str, allowed: set[str] | tuple[str, ...]
) -> dict[str, Any]:
    fields = flatten(table)
    for key in fields:
        if key.split(".")[0] not in allowed:
            reader.problem(
                f"{where}.{key}",
                f"not a field a sweep may set here (tables: {', '.join(sorted(allowed))})",
            )
    return {k: v for k, v in fields.items() if k.split(".")[0] in allowed}


def _path_table(reader: Reader, doc: Mapping[str, Any], path: Path) -> dict[str, Any] | None:
    """The sweep's ``[path]``, its file names resolved beside the sweep file."""
    if "path" not in doc:
        return None
    table = reader.table(doc, "path")
    result = copy_document(table)
    for key in FILE_KEYS:
        if isinstance(result.get(key), str):
            result[key] = str((path.parent / result[key]).resolve())
    return result


def _grid(reader: Reader, doc: Mapping[str, Any]) -> dict[str, list[Any]]:
    fields = _settable(reader, reader.table(doc, "grid"), "grid", SETTABLE | {"path"})
    grid = {}
    for key, values in fields.items():
        if not isinstance(values, list) or not values:
            reader.problem(f"grid.{key}", "must be a non-empty list of the values to try")
            continue
        if len(values) > MAX_VARIANTS:
            reader.problem(f"grid.{key}", f"{len(values):,} values; at most {MAX_VARIANTS:,}")
            continue
        grid[key] = values
    return grid


def _draw_leaves(table: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    found: dict[str, Any] = {}
    for key, value in table.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict) and not set(value) & set(DRAW_KINDS):
            found.update(_draw_leaves(value, f"{name}."))
        else:
            found[name] = value
    return found


def _draws(reader: Reader, doc: Mapping[str, Any]) -> tuple[Draw, ...]:
    draws = []
    rule = "must be { uniform = [low, high] }, { loguniform = [low, high] } or { choice = [...] }"
    for key, spec in _draw_leaves(reader.table(doc, "draw")).items():
        field = f"draw.{key}"
        if key.split(".")[0] not in DRAWABLE:
            reader.problem(field, f"only params.* and funding.* fields may be drawn; {rule}")
            continue
        if not isinstance(spec, dict) or len(spec) != 1 or next(iter(spec)) not in DRAW_KINDS:
            reader.problem(field, rule)
            continue
        kind, values = next(iter(spec.items()))
        if not isinstance(values, list) or not values:
            reader.problem(field, rule)
            continue
        if kind == "choice":
            draws.append(Draw(key, kind, tuple(values)))
            continue
        numbers = [as_decimal(v) for v in values]
        bad = next((n for n in numbers if isinstance(n, str)), None)
        if len(values) != 2 or bad is not None:
            reader.problem(field, f"{kind}: {bad or 'needs exactly [low, high]'}")
            continue
        low, high = numbers
        assert isinstance(low, Decimal) and isinstance(high, Decimal)
        if not low < high or (kind == "loguniform" and not low > 0):
            positive = " and low > 0" if kind == "loguniform" else ""
            reader.problem(field, f"{kind}: needs low < high{positive}")
            continue
        draws.append(Draw(key, kind, tuple(values)))
    return tuple(draws)


def shipped_sweep_names() -> list[str]:
    """Names of the sweeps shipped in ``scenarios/sweeps`` (file names without ``.toml``)."""
    from simulation.shipped import scenarios_dir

    folder = scenarios_dir().joinpath("sweeps")
    if not folder.is_dir():
        return []
    names = (e.name for e in folder.iterdir())
    return sorted(n.removesuffix(".toml") for n in names if n.endswith(".toml"))


def resolve_sweep(name: str, stack: ExitStack) -> Path | None:
    """A sweep file: ``name`` as a path, else the shipped sweep of that name, else None."""
    from simulation.shipped import scenarios_dir

    given = Path(name)
    if given.is_file():
        return given
    stem = name.removesuffix(".toml")
    if stem not in shipped_sweep_names():
        return None
    return stack.enter_context(as_file(scenarios_dir().joinpath("sweeps", f"{stem}.toml")))

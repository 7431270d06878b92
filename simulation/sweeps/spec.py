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
the path from :func:`path_seed` (``s``), so that the two are independent.
"""

from __future__ import annotations

import hashlib
import itertools
import math
import random
from collections.abc import Mapping, Sequence
from contextlib import ExitStack
from decimal import Decimal
from importlib.resources import as_file
from pathlib import Path
from typing import Any

import attrs

from simulation.file_text import ConfigFileError, Problem, parse_toml
from simulation.file_values import Reader, as_decimal
from simulation.files import build_scenario
from simulation.generator_files import KEYS as GENERATED
from simulation.generator_files import read_path_model
from simulation.generators import PathModel
from simulation.param_files import TOP_LEVEL
from simulation.scenario import POLICY_NAMES, Scenario
from simulation.shipped import scenario_names, shipped_scenario
from simulation.sweeps.overrides import copy_document, flatten, line_of, set_field, sweep_lines

SWEEP_KEYS = {"name", "description", "scenarios", "policies", "seeds"}
SWEEP_KEYS |= {"override", "path", "grid", "draw"}
SETTABLE = TOP_LEVEL - {"name", "description", "seed", "path"}
"""Scenario tables an ``[override]`` may set (the path has its own table)."""
DRAWABLE = ("params", "funding")
DRAW_KINDS = ("uniform", "loguniform", "choice")
FILE_KEYS = ("file", "ohlc_file", "reserves_file")
MAX_VARIANTS = 10_000
MAX_RUNS = 10_000_000
"""Most runs of one sweep (variants x seeds x policies): ten times the 1 M the README
prices, and few enough that its journal stays a few GiB."""


def path_seed(seed: int) -> int:
    """The seed a run's path is drawn from: independent of the book's (``seed``)."""
    digest = hashlib.sha256(f"zle-sweep-path:{seed}".encode()).digest()
    return int.from_bytes(digest[:8], "big")


@attrs.frozen
class Draw:
    """A field drawn at random for each seed: uniform, log-uniform, or one of choices."""

    key: str
    kind: str
    values: tuple[Any, ...]

    def value(self, seed: int) -> Any:
        """The value of seed ``seed`` (the same whatever else the sweep holds)."""
        rng = random.Random(f"zle-sweep-draw:{seed}:{self.key}")
        if self.kind == "choice":
            return self.values[rng.randrange(len(self.values))]
        low, high = self.values
        if self.kind == "uniform" and all(isinstance(v, int) for v in self.values):
            return rng.randint(low, high)
        lo, hi = float(_number(low)), float(_number(high))
        if self.kind == "loguniform":
            return math.exp(math.log(lo) + (math.log(hi) - math.log(lo)) * rng.random())
        return lo + (hi - lo) * rng.random()


def _number(value: Any) -> Decimal:
    number = as_decimal(value)
    if isinstance(number, str):
        raise ValueError(number)
    return number


@attrs.frozen
class Variant:
    """One scenario under one parameter set: what a worker needs to run any seed of it."""

    index: int
    scenario_label: str
    values: tuple[tuple[str, Any], ...]
    """The parameter set: each grid key and its value, as written."""
    scenario: Scenario = attrs.field(repr=False)
    model: PathModel | None = attrs.field(repr=False)
    """Draws the path of each seed; None: every seed runs the scenario's own path."""
    params: Mapping[str, Any] = attrs.field(repr=False)
    """The scenario's ``[params]`` table with the overrides (where draws are written)."""
    source: str = attrs.field(repr=False)
    """The scenario file (named in the messages of a drawn value that is refused)."""
    identity: str = attrs.field(repr=False)
    """A hash of everything a run of it depends on: part of each task's key."""

    def label(self) -> str:
        shown = ", ".join(f"{k.rpartition('.')[2]}={v}" for k, v in self.values)
        return f"{self.scenario_label}{' ' + shown if shown else ''}"


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


def identity_of(scenario: Scenario, model: PathModel | None) -> str:
    recipe = repr(attrs.asdict(model)) if attrs.has(type(model)) else ""  # type: ignore[arg-type]
    return hashlib.sha256(f"{scenario!r}|{recipe}".encode()).hexdigest()


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
    builder = _Builder(reader, override, path_table, draws)
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
    """``seeds = N`` (0..N-1), a list of seeds, or ``{ first, count }``."""
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


class _Builder:
    """Builds each variant of each scenario, and says which sweep key a problem is due to."""

    def __init__(
        self,
        reader: Reader,
        override: dict[str, Any],
        path_table: dict[str, Any] | None,
        draws: tuple[Draw, ...],
    ) -> None:
        self.reader = reader
        self.override = override
        self.path_table = path_table
        self.draws = draws

    def base(self, file: Path) -> tuple[dict[str, Any], str] | None:
        try:
            doc, text = parse_toml(file)
        except ConfigFileError as error:
            self.reader.add(list(error.problems))
            return None
        doc = copy_document(doc)
        if self.path_table is not None:
            doc["path"] = copy_document(self.path_table)
        for key, value in self.override.items():
            set_field(doc, key, value)
        return doc, text

    def variant(
        self,
        index: int,
        label: str,
        file: Path,
        base: tuple[dict[str, Any], str],
        values: tuple[tuple[str, Any], ...],
    ) -> Variant | None:
        doc = copy_document(base[0])
        for key, value in values:
            set_field(doc, key, value)
        scenario = self._build(file, doc, base[1], values, "grid")
        if scenario is None:
            return None
        for draw in self.draws:
            ends = draw.values if draw.kind == "choice" else draw.values[:2]
            for end in ends:
                probe = copy_document(doc)
                set_field(probe, draw.key, end)
                self._build(file, probe, base[1], (*values, (draw.key, end)), "draw")
        model = None
        path = doc.get("path", {})
        source = path.get("source") if isinstance(path, dict) else None
        if isinstance(source, str) and source in GENERATED:
            model = read_path_model(Reader(file, base[1]), path, source)
        return Variant(
            index=index,
            scenario_label=label,
            values=values,
            scenario=scenario,
            model=model,
            params=copy_document(doc.get("params", {})),
            source=str(file),
            identity=identity_of(scenario, model),
        )

    def _build(
        self,
        file: Path,
        doc: dict[str, Any],
        text: str,
        values: tuple[tuple[str, Any], ...],
        table: str,
    ) -> Scenario | None:
        try:
            return build_scenario(file, doc, text)
        except ConfigFileError as error:
            for problem in error.problems:
                self.reader.add([self._attributed(problem, file, values, table)])
            return None

    def _attributed(
        self, problem: Problem, file: Path, values: tuple[tuple[str, Any], ...], table: str
    ) -> Problem:
        """A scenario's problem, at the sweep's line when a sweep key caused it."""
        field = problem.field
        caused = [k for k, _ in values if _touches(k, field)]
        if caused:
            key = caused[-1]
            value = dict(values)[key]
            drawn = table == "draw" and key in {d.key for d in self.draws}
            where = f"draw.{key}" if drawn else f"grid.{key}"
            return Problem(
                str(self.reader.path),
                self.reader.line_of(where),
                where,
                f"{problem.message} (with {key} = {value!r}, scenario {file.name})",
            )
        if any(_touches(k, field) for k in self.override):
            key = next(k for k in self.override if _touches(k, field))
            where = f"override.{key}"
            return Problem(
                str(self.reader.path),
                self.reader.line_of(where),
                where,
                f"{problem.message} (scenario {file.name})",
            )
        if self.path_table is not None and field.split(".")[0] == "path":
            return Problem(
                str(self.reader.path),
                self.reader.line_of(field),
                field,
                f"{problem.message} (scenario {file.name})",
            )
        return problem


def _touches(key: str, field: str) -> bool:
    """Whether setting ``key`` can be the cause of a problem reported on ``field``."""
    return field == key or field.startswith(f"{key}.") or key.startswith(f"{field}.")


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

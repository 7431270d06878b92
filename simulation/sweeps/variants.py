"""A sweep's variants: each scenario under each parameter set, built and checked.

A variant is built as a scenario file is (``simulation.files.build_scenario``) from the
scenario's parsed document with the sweep's values written in, so every value is read
and checked exactly as in a scenario file. A problem a sweep value causes is reported
at that value's line in the sweep file (:class:`Builder`), with the scenario named.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import attrs

from simulation.file_text import ConfigFileError, Problem, parse_toml
from simulation.file_values import Reader
from simulation.files import build_scenario
from simulation.generator_files import KEYS as GENERATED
from simulation.generator_files import read_path_model
from simulation.generators import PathModel
from simulation.scenario import Scenario
from simulation.sweeps.draws import Draw
from simulation.sweeps.overrides import copy_document, set_field


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


def identity_of(scenario: Scenario, model: PathModel | None) -> str:
    recipe = repr(attrs.asdict(model)) if attrs.has(type(model)) else ""  # type: ignore[arg-type]
    return hashlib.sha256(f"{scenario!r}|{recipe}".encode()).hexdigest()


class Builder:
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

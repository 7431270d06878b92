"""Values read out of a parsed scenario or parameter file, in the file's own units.

Numbers in files are human ones: ratios are decimals (``1.45``) or percent strings
(``"145%"``), amounts are whole units, times integer seconds. They are read strictly:
ASCII digits only (no ``"٢"``, no ``"1_0"`` inside a string), finite, and bounded, so
that no value can make a later step slow or overflow (:data:`MAX_MAGNITUDE`,
:data:`MAX_SECONDS`). Messages quote the value as written and state ranges in the
unit it was written in: a percent field's rule in percent, a ratio's as a decimal,
never in RAY.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from decimal import ROUND_HALF_EVEN, Decimal
from pathlib import Path
from typing import Any

from model.numbers import RAY, UINT256_MAX, Unit, plain
from simulation.file_text import Problem, key_lines

MAX_MAGNITUDE = 10**12
"""Largest magnitude of a scenario number (a price, an amount, a count): beyond it the
simulation's floats and the engine's fixed point stop meaning anything."""
MAX_SECONDS = 366 * 24 * 3600
"""Longest duration a scenario may name (a year): a simulation steps through every tick."""
MAX_TEXT = 80
"""Longest number written as a string, and longest value quoted back in a message."""

_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")


def shown(value: object) -> str:
    """A value as the file wrote it, cut to :data:`MAX_TEXT` characters."""
    text = f'"{value}"' if isinstance(value, str) else str(value).lower()
    return text if len(text) <= MAX_TEXT else text[: MAX_TEXT - 3] + "..."


def parse_decimal(text: str) -> Decimal | str:
    """``text`` (``"1.45"``, ``"145%"``, ``"2e-3"``) as an exact decimal, or why not."""
    body = text.strip()
    if len(body) > MAX_TEXT:
        return f"too long to be a number ({len(body)} characters)"
    percent = body.endswith("%")
    if percent:
        body = body[:-1].rstrip()
    if not _NUMBER.fullmatch(body):
        return (
            f"cannot read {shown(text)} as a number (ASCII digits, one point, an "
            'optional exponent; ratios may be written "145%")'
        )
    number = Decimal(body)
    if number and number.adjusted() > 90:
        return f"{shown(text)} is too large"
    if number and number.adjusted() < -90:
        return Decimal(0)
    return number / 100 if percent else number


def as_decimal(value: object) -> Decimal | str:
    """A TOML value (integer, float or string) as a finite decimal, or why not."""
    if isinstance(value, bool):
        return "must be a number, not true or false"
    if isinstance(value, str):
        return parse_decimal(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            return f"= {shown(value)}: must be a finite number"
        return parse_decimal(repr(value))
    if isinstance(value, int):
        if abs(value) > 10**90:
            return f"= {shown(value)}: too large"
        return Decimal(value)
    return 'must be a number, or a string such as "145%"'


def to_fixed(value: object, unit: Unit) -> int | str:
    """A file value as a fixed-point integer of ``unit`` (a ratio, an amount, seconds), or why not.

    Ratios may be written ``1.45`` or ``"145%"``; amounts in whole units; seconds as
    integers. Rounds half-even to the unit's last digit. The result is a uint256.
    """
    scale = unit.scale
    if unit is Unit.SECONDS and (isinstance(value, bool) or not isinstance(value, int)):
        return "must be an integer number of seconds"
    number = as_decimal(value)
    if isinstance(number, str):
        return number
    if number < 0:
        return f"= {shown(value)}: must be >= 0"
    largest = Decimal(UINT256_MAX) / scale
    if number > largest:
        return f"= {shown(value)}: too large (at most {largest:.6e})"
    return int((number * scale).to_integral_value(rounding=ROUND_HALF_EVEN))


def read_percent(text: str) -> int | str:
    """A percentage given on the command line (``"2"``, ``"2.5"``, ``"2%"``) in RAY."""
    number = parse_decimal(text.strip().removesuffix("%"))
    if isinstance(number, str):
        return number
    if number < 0 or number > 100:
        return "must be between 0 and 100"
    return int((number / 100 * RAY).to_integral_value(rounding=ROUND_HALF_EVEN))


def _percent_text(decimal_text: str) -> str:
    text = f"{Decimal(decimal_text) * 100:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return f"{text} %"


_BIG_INTEGER = re.compile(r"(?<![\w.*])\d{10,}(?![\w.*])")


def in_file_units(rule: str, unit: Unit, percent: bool) -> str:
    """A rule of ``model.params.validate`` (stated in RAY and base units) in the units of
    a file: ``RAY`` and ``WAD`` are 1, fixed-point integers are decimals, and a field
    the file wrote in percent gets its bounds in percent."""
    scale_unit = unit if unit in (Unit.RAY, Unit.WAD) else Unit.WAD
    text = _BIG_INTEGER.sub(lambda m: plain(int(m.group()), scale_unit), rule)
    text = re.sub(r"(?<![\w-])(?:RAY|WAD)(?![\w-])", "1", text)
    if percent and unit is Unit.RAY:
        bare_number = r"(?<![\w.*-])(\d+(?:\.\d+)?)(?![\w.%*-])"
        text = re.sub(bare_number, lambda m: _percent_text(m[1]), text)
    return text


class Reader:
    """Collects problems while values are read out of a parsed TOML document."""

    def __init__(self, path: Path, text: str) -> None:
        self.path = path
        self.lines = key_lines(text)
        self.problems: list[Problem] = []
        self.written: dict[str, object] = {}
        """Each engine parameter the file sets, by dotted field, as written."""

    def line_of(self, field: str) -> int | None:
        probe = field
        while probe:
            if probe in self.lines:
                return self.lines[probe]
            probe = probe.rpartition(".")[0]
        return None

    def problem(self, field: str, message: str) -> None:
        self.problems.append(Problem(str(self.path), self.line_of(field), field, message))

    def add(self, problems: list[Problem]) -> None:
        self.problems.extend(problems)

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
        """A finite number of at most :data:`MAX_MAGNITUDE` that passes ``check``."""
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
        if not math.isfinite(value) or abs(value) > MAX_MAGNITUDE:
            self.problem(field, f"= {shown(value)}: must be a finite number within ±1e12")
            return 0.0
        if not check(float(value)):
            self.problem(field, f"= {shown(value)}: {rule}")
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
        largest: int = MAX_MAGNITUDE,
    ) -> int:
        """An integer of at most ``largest`` that passes ``check``."""
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
        if abs(value) > largest:
            self.problem(field, f"= {shown(value)}: must be at most {largest:,}")
            return 0
        if not check(value):
            self.problem(field, f"= {shown(value)}: {rule}")
            return 0
        return value

    def seconds(self, table: Mapping[str, Any], key: str, prefix: str) -> int:
        """A duration: an integer number of seconds in (0, :data:`MAX_SECONDS`]."""
        return self.integer(
            table,
            key,
            prefix,
            lambda v: v > 0,
            f"an integer number of seconds in (0, {MAX_SECONDS:,}] (a year)",
            largest=MAX_SECONDS,
        )

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

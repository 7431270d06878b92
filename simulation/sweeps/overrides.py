"""Dotted keys: how a sweep names a field of a scenario and changes it.

A sweep's ``[override]``, ``[grid]`` and ``[draw]`` tables name scenario fields by their
dotted path (``params.gen3.liquidation_ratio``, ``population.count``), written either
as nested tables or as dotted keys; :func:`flatten` reads both into one
``{dotted key: value}`` map. :func:`set_field` writes a value into a copy of a parsed
scenario document, which is then built as any scenario file is, so a value in a sweep
is read, converted and checked exactly as the same value in a scenario file.
:func:`sweep_lines` finds the line of each dotted key in the sweep's text, for
messages.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

VALUE_TABLES = ("curve",)
"""Keys whose value is itself a table (a gen 2 curve): a leaf, not a level of nesting."""


def flatten(table: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    """``{dotted key: value}`` of a nested table; a value that is not a table is a leaf."""
    found: dict[str, Any] = {}
    for key, value in table.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict) and key not in VALUE_TABLES:
            found.update(flatten(value, f"{name}."))
        else:
            found[name] = value
    return found


def set_field(doc: dict[str, Any], key: str, value: Any) -> None:
    """Write ``value`` at ``key`` into ``doc`` (in place), creating tables on the way;
    a level that is not a table is replaced by one."""
    *tables, last = key.split(".")
    here = doc
    for name in tables:
        below = here.get(name)
        if not isinstance(below, dict):
            below = {}
            here[name] = below
        here = below
    here[last] = value


def copy_document(doc: Mapping[str, Any]) -> dict[str, Any]:
    """A copy of a parsed TOML document whose tables and arrays may be changed freely."""

    def copy(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: copy(v) for k, v in value.items()}
        if isinstance(value, list):
            return [copy(v) for v in value]
        return value

    result: dict[str, Any] = copy(dict(doc))
    return result


_HEADER = re.compile(r"^\s*(\[\[?)\s*([^\]]+?)\s*\]\]?\s*(?:#.*)?$")
_PART = r"(?:[A-Za-z0-9_\-]+|\"[^\"]*\"|'[^']*')"
_KEY = re.compile(rf"^\s*({_PART}(?:\s*\.\s*{_PART})*)\s*=")


def _plain(key: str) -> str:
    parts = re.findall(r"\"([^\"]*)\"|'([^']*)'|([A-Za-z0-9_\-]+)", key)
    return ".".join(next(p for p in part if p) for part in parts)


def sweep_lines(text: str) -> dict[str, int]:
    """The line of each key and table header of ``text`` by its full dotted path, whether
    written as nested tables, dotted keys or quoted dotted keys (arrays of tables are
    indexed: ``path.regime[1].volatility``)."""
    lines: dict[str, int] = {}
    section = ""
    counts: dict[str, int] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        header = _HEADER.match(line)
        if header:
            name = _plain(header.group(2))
            if header.group(1) == "[[":
                index = counts.get(name, 0)
                counts[name] = index + 1
                name = f"{name}[{index}]"
            section = name
            lines.setdefault(section, number)
            continue
        key = _KEY.match(line)
        if key:
            full = f"{section}.{_plain(key.group(1))}" if section else _plain(key.group(1))
            lines.setdefault(full, number)
    return lines


def line_of(lines: Mapping[str, int], key: str) -> int | None:
    """The line of ``key``, else of the nearest table above it."""
    probe = key
    while probe:
        if probe in lines:
            return lines[probe]
        probe = probe.rpartition(".")[0]
    return None

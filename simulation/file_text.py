"""A user's file as text, strictly: what is wrong with it, by file, line and field.

Scenario and parameter files (TOML) and the series they name (CSV) are read here:
at most :data:`MAX_FILE_BYTES`, UTF-8 only (a UTF-8 byte-order mark is allowed; UTF-16
and other encodings are named, not guessed), no NUL bytes. Every problem is a
:class:`Problem`; a file that cannot be used raises :class:`ConfigFileError` with every
problem found, sorted by file and line.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import attrs

MAX_FILE_BYTES = 16 * 2**20
"""Largest scenario, parameter or series file read (16 MiB; the shipped ones are < 70 kB)."""


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


def in_order(problems: Iterable[Problem]) -> list[Problem]:
    """Sorted by file (the first file named first), then line (unknown lines last)."""
    listed = list(problems)
    files: dict[str, int] = {}
    for p in listed:
        files.setdefault(p.file, len(files))
    return sorted(
        listed, key=lambda p: (files[p.file], p.line is None, p.line or 0, p.field, p.message)
    )


class ConfigFileError(Exception):
    """A scenario or parameter file that cannot be used; ``problems`` lists every reason,
    sorted by file and line."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = tuple(in_order(problems))
        super().__init__("\n".join(str(p) for p in self.problems))


def _line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def read_text(path: Path, what: str = "file") -> str:
    """The text of ``path``: UTF-8, at most :data:`MAX_FILE_BYTES`; else
    :class:`ConfigFileError` saying exactly why (``what`` names the field in it)."""

    def fail(message: str, line: int | None = None) -> ConfigFileError:
        return ConfigFileError([Problem(str(path), line, what, message)])

    if path.is_dir():
        raise fail("is a directory, not a file")
    try:
        with open(path, "rb") as stream:
            data = stream.read(MAX_FILE_BYTES + 1)
    except OSError as error:
        raise fail(f"cannot read: {error.strerror or error}") from None
    if len(data) > MAX_FILE_BYTES:
        raise fail(f"larger than {MAX_FILE_BYTES // 2**20} MiB: not a file this tool reads")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise fail("is UTF-16 text; save it as UTF-8")
    data = data.removeprefix(b"\xef\xbb\xbf")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        byte = data[error.start]
        raise fail(
            f"is not UTF-8 text: byte 0x{byte:02x} cannot start or continue a character; "
            "save the file as UTF-8",
            _line_of(data, error.start),
        ) from None
    nul = text.find("\0")
    if nul >= 0:
        raise fail(
            "holds a NUL character: not a text file (UTF-16 without a byte-order mark?)",
            text.count("\n", 0, nul) + 1,
        )
    return text


def parse_toml(path: Path) -> tuple[dict[str, Any], str]:
    """The parsed document and its text; TOML errors name their line."""
    text = read_text(path)
    try:
        return tomllib.loads(text), text
    except tomllib.TOMLDecodeError as error:
        found = re.search(r"line (\d+)", str(error))
        line = int(found.group(1)) if found else None
        raise ConfigFileError([Problem(str(path), line, "toml", str(error))]) from None
    except RecursionError:
        raise ConfigFileError(
            [Problem(str(path), None, "toml", "nested too deeply to be a scenario file")]
        ) from None
    except ValueError as error:  # an integer of more digits than Python converts
        raise ConfigFileError([Problem(str(path), None, "toml", str(error))]) from None


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
            parts = section.split(".")
            for end in range(1, len(parts) + 1):  # [param.gen3] also places "param"
                lines.setdefault(".".join(parts[:end]), number)
            continue
        key = _KEY.match(line)
        if key:
            lines.setdefault(f"{section}.{key.group(1)}" if section else key.group(1), number)
    return lines

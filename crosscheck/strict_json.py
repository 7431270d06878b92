"""Reading one JSON line strictly: fast when the line is canonical, exact when it is not.

A trace line must be one JSON value with unique keys, finite numbers, integers of
sane size, valid Unicode strings and bounded nesting; anything else is a
:class:`BadJson` naming what is wrong (the caller adds the file and line).

The fast path decodes with ``msgspec`` (a C decoder, about four times faster than the
standard library here, and it refuses ``NaN``/``Infinity``, lone surrogates and deep
nesting by itself), then re-encodes the value and compares the bytes with the line:
equal bytes prove the line canonical, so it has no duplicate key (a duplicate would be
dropped from the re-encoding) and nothing the decoder could have read loosely. Every
trace the project writes is canonical (compact separators, UTF-8), so this is the
common case. Any other line takes the slow path: the standard library's decoder with
hooks that refuse duplicate keys and non-finite numbers, and a check of every string.
"""

from __future__ import annotations

import json
from typing import Any

import msgspec

_decode = msgspec.json.decode
_encode = msgspec.json.encode

MAX_DEPTH = 64
"""Deepest nesting accepted; the trace format needs 6."""


class BadJson(Exception):
    """What is wrong with a line, in one sentence (no file or line: the caller's)."""


class _Duplicate(Exception):
    def __init__(self, key: str) -> None:
        self.key = key


class _NonFinite(Exception):
    def __init__(self, name: str) -> None:
        self.name = name


def _pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    obj: dict[str, Any] = {}
    for key, value in pairs:
        if key in obj:
            raise _Duplicate(key)
        obj[key] = value
    return obj


def _constant(name: str) -> Any:
    raise _NonFinite(name)


def _path(parts: list[str]) -> str:
    return "/".join(parts) or "(the record itself)"


def _check_strings(value: Any, parts: list[str], depth: int = 0) -> None:
    """Every string (keys included) is valid Unicode; nesting is at most MAX_DEPTH."""
    if depth > MAX_DEPTH:
        raise BadJson(f"nested more than {MAX_DEPTH} deep at {_path(parts)}")
    if isinstance(value, str):
        _unicode(value, parts)
    elif isinstance(value, dict):
        for key, item in value.items():
            _unicode(key, parts)
            _check_strings(item, [*parts, key], depth + 1)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _check_strings(item, [*parts, str(index)], depth + 1)


def _unicode(text: str, parts: list[str]) -> None:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        shown = text.encode("utf-8", "backslashreplace").decode("ascii", "backslashreplace")
        raise BadJson(
            f"at {_path(parts)}: {shown!r} is not valid Unicode (a lone surrogate escape)"
        ) from None


def strict_loads(text: bytes) -> Any:
    """The JSON value of one line, or :class:`BadJson`."""
    try:
        value = _decode(text)
    except (msgspec.DecodeError, msgspec.ValidationError, RecursionError):
        return _slow(text)
    if _encode(value) != text.rstrip(b"\r\n"):
        return _slow(text)
    return value


def _slow(text: bytes) -> Any:
    try:
        value = json.loads(text, object_pairs_hook=_pairs, parse_constant=_constant)
    except _Duplicate as duplicate:
        raise BadJson(
            f"duplicate key {duplicate.key!r} in one object (keys must be unique)"
        ) from None
    except _NonFinite as constant:
        raise BadJson(f"{constant.name} is not a JSON number (numbers must be finite)") from None
    except json.JSONDecodeError as error:
        hint = ""
        if not text.endswith(b"\n") or error.pos >= len(text.rstrip()):
            hint = " (the line ends early: is the file truncated?)"
        raise BadJson(f"not valid JSON: {error.msg} at column {error.colno}{hint}") from None
    except UnicodeDecodeError as error:
        raise BadJson(f"not UTF-8: {error.reason}") from None
    except RecursionError:
        raise BadJson(f"nested more than {MAX_DEPTH} deep") from None
    except ValueError as error:  # the standard library's limit on integer digits
        raise BadJson(f"a number too large to read ({error})") from None
    _check_strings(value, [])
    return value

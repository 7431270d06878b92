"""The JSON Schema of traces and vectors, and the validators that enforce it.

``spec/trace.schema.json`` is the normative schema. It is *derived* from the model's
record classes by :func:`build_schema`, so it cannot drift from them: a test fails when
the file and the model disagree (``python -m crosscheck.schema > spec/trace.schema.json``
regenerates it).

Validation uses two well-kept libraries: records are checked by validators compiled
with ``fastjsonschema`` (fast enough for a million-line trace), and a record that fails
is re-examined with ``jsonschema`` to say precisely where and why.
"""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable
from importlib.resources.abc import Traversable
from typing import Any

import fastjsonschema
import jsonschema

from crosscheck import wire
from crosscheck.spec_files import spec_file
from crosscheck.wire import Json, JsonObject
from model.errors import RefusalCode
from model.events import Buffer
from model.numbers.fixed_point import UINT256_MAX
from model.params.records import Config, OracleParams, StewardBounds

FORMAT_VERSION = 2
"""Version of the trace format; a header carries it as ``{"zle_trace": 2, ...}``.

Version 2 added ``config.oracle.step_period``: the reference price's allowance grows
with the time since the last report (ORACLE-REFERENCE), so a version 1 trace, written
under the per-report clamp, cannot conform and is refused with that reason."""

SCHEMA_PATH = spec_file("trace.schema.json")
"""``spec/trace.schema.json``, as package data (``crosscheck.spec_files``)."""


def uint256_pattern() -> str:
    """A regular expression matching exactly the decimal forms of 0 .. 2**256 - 1.

    No sign, no leading zeros, no exponent. Numbers of fewer than 78 digits always fit;
    78-digit numbers are compared with ``2**256 - 1`` digit by digit.
    """
    top = str(UINT256_MAX)
    alternatives = ["0", f"[1-9][0-9]{{0,{len(top) - 2}}}"]
    for i, digit in enumerate(top):
        low = 1 if i == 0 else 0
        high = int(digit) - 1
        if high < low:
            continue
        digits = str(low) if high == low else f"[{low}-{high}]"
        rest = len(top) - i - 1
        alternatives.append(top[:i] + digits + (f"[0-9]{{{rest}}}" if rest else ""))
    alternatives.append(top)
    return "^(" + "|".join(alternatives) + ")$"


ID_PATTERN = "^(0|[1-9][0-9]{0,77})$"
"""Keys of the position and auction maps: ids in decimal."""

INTEGER_PATTERN = "^-?(0|[1-9][0-9]{0,79})$"
"""Action arguments: any integer of at most 80 digits (out-of-range ones are refused)."""


UINT256_FORMAT = "uint256"
"""The JSON Schema ``format`` that bounds a decimal string by ``2**256 - 1``.

The pattern alone admits up to 78 digits; the format rejects the 78-digit values above
``2**256 - 1``. Both validators here enforce formats; a validator that ignores unknown
formats checks the pattern only. ``definitions/uint256`` states the exact bound as one
regular expression too, for tools that prefer it.
"""

UINT256_DIGITS = "^(0|[1-9][0-9]{0,77})$"


def is_uint256(instance: object) -> bool:
    """The ``uint256`` format: a decimal string of at most ``2**256 - 1`` (the pattern
    has already checked it is digits; a format only applies to strings)."""
    if not isinstance(instance, str) or len(instance) < 78:
        return True
    return instance.isdigit() and int(instance) <= UINT256_MAX


def _uint() -> JsonObject:
    return {"type": "string", "pattern": UINT256_DIGITS, "format": UINT256_FORMAT}


def _integer() -> JsonObject:
    return {"type": "string", "pattern": INTEGER_PATTERN}


def _ref(name: str) -> JsonObject:
    return {"$ref": f"#/definitions/{name}"}


def _object(properties: dict[str, Json], required: bool = True, **extra: Json) -> JsonObject:
    obj: JsonObject = {"type": "object", "properties": properties, "additionalProperties": False}
    if required:
        obj["required"] = list(properties)
    obj.update(extra)
    return obj


def _tagged(variants: dict[str, Json], description: str) -> JsonObject:
    return {
        "description": description,
        "type": "object",
        "minProperties": 1,
        "maxProperties": 1,
        "properties": variants,
        "additionalProperties": False,
    }


def _field_schema(kind: str, integer: str) -> JsonObject:
    if kind == "int":
        return _uint() if integer == "uint256" else _integer()
    if kind == "str":
        return {"type": "string"}
    if kind == "bool":
        return {"type": "boolean"}
    if kind == "Buffer":
        return {"enum": [b.value for b in Buffer]}
    if kind == "Curve":
        return _ref("curve")
    raise TypeError(f"no schema for field kind {kind!r}")


def _record_schema(cls: type[Any], integer: str = "uint256", required: bool = True) -> JsonObject:
    doc = (cls.__doc__ or "").strip().split("\n")[0]
    properties = {name: _field_schema(kind, integer) for name, kind in wire.shape(cls)}
    schema = _object(properties, required=required)
    if doc and required:
        schema = {"description": doc, **schema}
    return schema


def _state_schema() -> JsonObject:
    properties: JsonObject = {}
    for name in wire.STATE_FIELDS:
        if name in wire.SCALARS:
            properties[name] = _uint()
        elif name in wire.RECORDS:
            properties[name] = _record_schema(wire.RECORDS[name])
        elif name in wire.OPTIONAL_RECORDS:
            properties[name] = _record_schema(wire.OPTIONAL_RECORDS[name])
        else:
            entry = wire.MAPS[name]
            key = "^.*$" if name == "lp_shares" else ID_PATTERN
            properties[name] = {
                "type": "object",
                "patternProperties": {key: _uint() if entry is None else _record_schema(entry)},
                "additionalProperties": False,
            }
    schema = _object(properties)
    schema["required"] = [name for name in properties if name not in wire.OPTIONAL]
    return {
        "description": (
            "The whole observable state: every field of the model's State but config "
            "(pre_liquidation and steward only when they hold something)."
        ),
        **schema,
    }


def _changes_schema() -> JsonObject:
    properties: JsonObject = {}
    for name in wire.STATE_FIELDS:
        if name in wire.SCALARS:
            properties[name] = _uint()
        elif name in wire.RECORDS:
            properties[name] = _record_schema(wire.RECORDS[name], required=False)
        elif name in wire.OPTIONAL_RECORDS:
            record = _record_schema(wire.OPTIONAL_RECORDS[name], required=False)
            properties[name] = {**record, "type": ["object", "null"]}
        else:
            entry = wire.MAPS[name]
            key = "^.*$" if name == "lp_shares" else ID_PATTERN
            if entry is None:
                value = {**_uint(), "type": ["string", "null"]}
            else:
                value = _record_schema(entry, required=False)
                value["type"] = ["object", "null"]
            properties[name] = {
                "type": "object",
                "patternProperties": {key: value},
                "additionalProperties": False,
            }
    return {
        "description": (
            "The fields a step changed, as a JSON merge patch (RFC 7396) of the observable "
            "state: null removes a map entry (or the steward's record)."
        ),
        **_object(properties, required=False),
    }


def build_schema() -> JsonObject:
    """The schema of trace lines and vector files, derived from the model."""
    config_properties = {name: _field_schema(kind, "uint256") for name, kind in [("dust", "int")]}
    definitions: JsonObject = {
        "uint256": {
            "description": "An unsigned 256-bit integer in decimal: no sign, no leading zero.",
            "type": "string",
            "pattern": uint256_pattern(),
        },
        "integer": {
            "description": (
                "An action argument: any integer in decimal, at most 80 digits. Values "
                "outside uint256 are well-formed and the engine refuses them "
                "(AMOUNT_OUT_OF_RANGE)."
            ),
            "type": "string",
            "pattern": INTEGER_PATTERN,
        },
        "curve": _tagged(
            {name: _record_schema(cls) for name, cls in wire.CURVES.items()},
            "A MakerDAO abacus price curve (gen 2).",
        ),
        "policy": _tagged(
            {name: _record_schema(cls) for name, cls in wire.POLICIES.items()},
            "The liquidation policy and its parameters.",
        ),
        "config": {
            "description": (Config.__doc__ or "").strip().split("\n")[0],
            **_object(
                {
                    "oracle": _record_schema(OracleParams),
                    **config_properties,
                    "policy": _ref("policy"),
                    "steward": _record_schema(StewardBounds),
                }
            ),
            "required": ["oracle", "dust", "policy"],
        },
        "state": _state_schema(),
        "changes": _changes_schema(),
        "action": _tagged(
            {name: _record_schema(cls, integer="integer") for name, cls in wire.ACTIONS.items()},
            "An action: its kind, and its arguments.",
        ),
        "event": _tagged(
            {name: _record_schema(cls) for name, cls in wire.EVENTS.items()},
            "An event an accepted action emitted.",
        ),
        "events": {"type": "array", "items": _ref("event")},
        "refusal": {
            "description": "Why the action was refused; detail is informative, never compared.",
            "type": "object",
            "properties": {
                "error": {"enum": [code.value for code in RefusalCode]},
                "detail": {"type": "string"},
            },
            "required": ["error"],
            "additionalProperties": False,
        },
        "header": {
            "description": "First line of a trace: format version, configuration, initial state.",
            "type": "object",
            "properties": {
                "zle_trace": {"const": FORMAT_VERSION},
                "config": _ref("config"),
                "state": _ref("state"),
                "producer": {"type": "string"},
                "description": {"type": "string"},
            },
            "required": ["zle_trace", "config", "state"],
            "additionalProperties": False,
        },
        "step": {
            "description": "One action and its observable result: accepted or refused.",
            "type": "object",
            "properties": {
                "step": {"type": "integer", "minimum": 1},
                "action": _ref("action"),
                "accepted": _object({"events": _ref("events"), "changes": _ref("changes")}),
                "refused": _ref("refusal"),
            },
            "required": ["step", "action"],
            "minProperties": 3,
            "maxProperties": 3,
            "additionalProperties": False,
        },
        "checkpoint": {
            "description": "The whole observable state after the given number of steps.",
            **_object({"checkpoint": {"type": "integer", "minimum": 0}, "state": _ref("state")}),
        },
        "record": {
            "description": "A line after the header: a step or a checkpoint.",
            "if": {"required": ["checkpoint"]},
            "then": _ref("checkpoint"),
            "else": _ref("step"),
        },
        "vector_meta": {
            "description": "meta.json of a conformance vector.",
            "type": "object",
            "properties": {
                "description": {"type": "string"},
                "source": {"type": "string"},
                "outcome": {"type": "string"},
            },
            "required": ["description", "source", "outcome"],
            "additionalProperties": False,
        },
        "curve_case": {
            "description": "A MakerDAO curve vector: inputs, and the price or the failure.",
            "type": "object",
            "properties": {
                "function": {
                    "enum": [
                        "linear_decrease",
                        "stairstep_exponential_decrease",
                        "exponential_decrease",
                        "rpow",
                    ]
                },
                "inputs": {"type": "object", "additionalProperties": _uint()},
                "output": _uint(),
                "error": {"enum": ["OVERFLOW", "DIVISION_BY_ZERO"]},
            },
            "required": ["function", "inputs"],
            "minProperties": 3,
            "maxProperties": 3,
            "additionalProperties": False,
        },
    }
    return {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "$id": "https://zero-loss-engine.invalid/spec/trace.schema.json",
        "title": f"zle trace format, version {FORMAT_VERSION}",
        "description": (
            "One JSON object per line: a header, then steps and checkpoints. Also the "
            "files of conformance vectors. See spec/trace-format.md."
        ),
        "if": {"required": ["zle_trace"]},
        "then": _ref("header"),
        "else": _ref("record"),
        "definitions": definitions,
    }


def render_schema() -> str:
    return json.dumps(build_schema(), indent=2) + "\n"


class PublishedSchema:
    """A schema file of ``spec/`` as published, read once: a fast validator per definition
    (fastjsonschema) for every record, and a full one (jsonschema) only to say why a record
    failed. Version 2 traces use :data:`PUBLISHED`; version 3 ``crosscheck.system_schema``'s.
    """

    def __init__(self, path: Traversable, explain: Callable[[Json, str], str | None]) -> None:
        self.path = path
        self.explain = explain
        """Why an instance is not a valid definition, in one sentence (the file's own)."""

    @functools.cached_property
    def published(self) -> JsonObject:
        loaded: JsonObject = json.loads(self.path.read_text(encoding="utf-8"))
        return loaded

    def rooted(self, definition: str) -> JsonObject:
        """A schema whose root is ``definition``, with every definition of the file."""
        return {
            "$schema": self.published["$schema"],
            "definitions": self.published["definitions"],
            "allOf": [_ref(definition)],
        }

    @functools.cache  # noqa: B019 (two instances, each for the life of the process)
    def compiled(self, definition: str) -> Any:
        """A fast validator for one definition: raises on an invalid instance."""
        return fastjsonschema.compile(self.rooted(definition), formats={UINT256_FORMAT: is_uint256})

    @functools.cache  # noqa: B019
    def explainer(self, definition: str) -> jsonschema.Draft7Validator:
        return jsonschema.Draft7Validator(self.rooted(definition), format_checker=_FORMATS)

    def best_error(self, instance: Json, definition: str) -> Any:
        """The error jsonschema ranks first, or None for a valid instance."""
        return jsonschema.exceptions.best_match(self.explainer(definition).iter_errors(instance))

    def check(self, instance: Json, definition: str) -> str | None:
        """``None`` if ``instance`` is a valid ``definition``, else why not (one sentence)."""
        try:
            self.compiled(definition)(instance)
        except fastjsonschema.JsonSchemaException:
            return self.explain(instance, definition) or "does not match the schema"
        return None


_FORMATS = jsonschema.FormatChecker(formats=())
_FORMATS.checks(UINT256_FORMAT)(is_uint256)


def where(path: Any) -> str:
    """A JSON path as the error messages write it."""
    parts = [str(p) for p in path]
    return "/".join(parts) if parts else "(the record itself)"


def uint256_message(best: Any) -> str | None:
    """The message for a value that is not a uint256 in decimal, if that is the error."""
    if best.schema.get("format") == UINT256_FORMAT and best.validator in ("pattern", "format"):
        return f"{best.instance!r} is not a uint256 in decimal (0 .. 2**256 - 1, no sign)"
    return None


def explain(instance: Json, definition: str) -> str | None:
    """Why ``instance`` is not a valid ``definition``, in one sentence; None if it is."""
    best = PUBLISHED.best_error(instance, definition)
    if best is None:
        return None
    message = best.message
    path = [str(p) for p in best.absolute_path]
    parent = path[-1:] or [""]
    if definition in ("action", "event"):
        parent = [definition]
    elif (len(path) >= 2 and path[-2] == "events") or (definition == "events" and len(path) == 1):
        parent = ["event"]
    if best.validator == "additionalProperties" and parent[0] in ("action", "event"):
        message = f"unknown {parent[0]} kind: {message}"
    elif best.validator in ("minProperties", "maxProperties") and parent[0] == "action":
        message = f"an action is one object with a single key, its kind: {message}"
    elif uint256_message(best) is not None:
        message = str(uint256_message(best))
    elif best.validator == "pattern" and best.schema.get("pattern") == INTEGER_PATTERN:
        message = f"{best.instance!r} is not an integer in decimal"
    return f"at {where(best.absolute_path)}: {message}"


PUBLISHED = PublishedSchema(SCHEMA_PATH, explain)
"""``spec/trace.schema.json``, as published."""


def compiled(definition: str) -> Any:
    """A fast validator for one definition: raises on an invalid instance."""
    return PUBLISHED.compiled(definition)


def check(instance: Json, definition: str) -> str | None:
    """``None`` if ``instance`` is a valid ``definition``, else why not (one sentence)."""
    return PUBLISHED.check(instance, definition)


def main() -> None:
    sys.stdout.write(render_schema())


if __name__ == "__main__":
    main()

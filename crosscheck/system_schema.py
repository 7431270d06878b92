"""The JSON Schema of system traces (trace format version 3), and its validators.

``spec/system-trace.schema.json`` is normative for version 3 as ``spec/trace.schema.json``
is for version 2, and derived the same way: :func:`build_schema` builds it from the
model's system record classes (``model/system/``) and from the version 2 definitions,
which it includes unchanged (a market's configuration, state, action, event and changes
are their version 2 forms), so neither can drift from the model: a test compares the
file with this function (``python -m crosscheck.system_schema >
spec/system-trace.schema.json`` regenerates it).
"""

from __future__ import annotations

import json
import sys
from typing import Any

import attrs

from crosscheck import schema, system_wire
from crosscheck.schema import ID_PATTERN
from crosscheck.spec_files import spec_file
from crosscheck.system_wire import SHAPES, SYSTEM_ACTIONS, SYSTEM_EVENTS
from crosscheck.wire import Json, JsonObject
from model.system.actions import OnMarket
from model.system.events import OnMarketEvent
from model.system.state import Message, SystemLedger, Topology

SCHEMA_PATH = spec_file("system-trace.schema.json")
"""``spec/system-trace.schema.json``, as package data."""

SHARED_DEFINITIONS = (
    "uint256",
    "integer",
    "curve",
    "policy",
    "config",
    "state",
    "changes",
    "action",
    "event",
    "events",
    "refusal",
)
"""The version 2 definitions a system trace uses for its markets, copied unchanged."""


def _uint(nullable: bool = False) -> JsonObject:
    uint: JsonObject = {"type": "string", "pattern": schema.UINT256_DIGITS, "format": "uint256"}
    return {**uint, "type": ["string", "null"]} if nullable else uint


def _ref(name: str) -> JsonObject:
    return {"$ref": f"#/definitions/{name}"}


def _object(properties: dict[str, Json], required: bool = True) -> JsonObject:
    obj: JsonObject = {"type": "object", "properties": properties, "additionalProperties": False}
    if required:
        obj["required"] = list(properties)
    return obj


def _map(value: Json, key: str = "^.*$") -> JsonObject:
    return {"type": "object", "patternProperties": {key: value}, "additionalProperties": False}


def _flat(cls: type[Any], integer: JsonObject, required: bool = True) -> JsonObject:
    """A flat system record: integers as ``integer`` says, ids and names strings,
    ``MarketShutDown.stale`` a boolean."""
    properties: JsonObject = {}
    for name, is_int in SHAPES[cls]:
        if is_int:
            properties[name] = integer
        elif name == "stale":
            properties[name] = {"type": "boolean"}
        else:
            properties[name] = {"type": "string"}
    doc = (cls.__doc__ or "").strip().split("\n")[0]
    body = _object(properties, required)
    return {"description": doc, **body} if doc and required else body


def _tagged(variants: dict[str, Json], description: str) -> JsonObject:
    return {
        "description": description,
        "type": "object",
        "minProperties": 1,
        "maxProperties": 1,
        "properties": variants,
        "additionalProperties": False,
    }


def _names(nullable: bool = False) -> JsonObject:
    """A set of ids or venues: a sorted array of distinct strings (whole in a patch)."""
    names: JsonObject = {"type": "array", "items": {"type": "string"}, "uniqueItems": True}
    return {**names, "type": ["array", "null"]} if nullable else names


def _state(changes: bool) -> JsonObject:
    """The observable system state, or (``changes``) a merge patch of it."""
    required = not changes
    amounts = _map(_uint(nullable=changes))
    market = _ref("changes") if changes else _ref("state")
    ledger_fields = {f.name: _uint() for f in attrs.fields(SystemLedger)}
    message = _flat(Message, _uint(), required)
    properties: JsonObject = {
        "markets": _map(market),
        "venue_of": _map({"type": "string"}),
        "shared": _object(
            {"cash": _uint(), "total_shares": _uint(), "lp_shares": amounts}, required
        ),
        "backstop": _object({"fund": _uint(), "caps": amounts, "drawn": amounts}, required),
        "ledger": _object(ledger_fields, required),
        "shut_down": _names(),
        "halted": _names(),
        "clock": _uint(),
        "treasury": amounts,
        "messages": _map(
            {**message, "type": ["object", "null"]} if changes else message, ID_PATTERN
        ),
        "next_message": _uint(),
    }
    obj = _object(properties, required)
    if required:
        obj["required"] = [name for name in properties if name != "backstop"]
        obj["properties"]["markets"]["minProperties"] = 1
    return obj


def build_schema() -> JsonObject:
    """The schema of system trace lines, derived from the model."""
    shared = schema.build_schema()["definitions"]
    config_fields = {
        name: {"enum": [t.value for t in Topology]} if name == "topology" else _uint()
        for name in system_wire.CONFIG_FIELDS
    }
    config = _object({**config_fields, "markets": {**_map(_ref("config")), "minProperties": 1}})
    actions: JsonObject = {
        name: (
            _object({"market": {"type": "string"}, "action": _ref("action")})
            if cls is OnMarket
            else _flat(cls, _ref("integer"))
        )
        for name, cls in SYSTEM_ACTIONS.items()
    }
    events: JsonObject = {
        name: (
            _object({"market": {"type": "string"}, "event": _ref("event")})
            if cls is OnMarketEvent
            else _flat(cls, _uint())
        )
        for name, cls in SYSTEM_EVENTS.items()
    }
    definitions: JsonObject = {name: shared[name] for name in SHARED_DEFINITIONS}
    definitions.update(
        {
            "system_config": {
                "description": "The system's configuration, and each market's by id.",
                **config,
            },
            "system_state": {
                "description": (
                    "The whole observable system state: every field of the model's System "
                    "but config (backstop only when there is one); markets in version 2 form."
                ),
                **_state(changes=False),
            },
            "system_changes": {
                "description": "The fields a step changed, as a JSON merge patch (RFC 7396).",
                **_state(changes=True),
            },
            "system_action": _tagged(actions, "A system action: its kind, and its arguments."),
            "system_event": _tagged(events, "An event an accepted system action emitted."),
            "system_events": {"type": "array", "items": _ref("system_event")},
            "system_header": {
                "description": "First line of a system trace: version 3, configuration, state.",
                "type": "object",
                "properties": {
                    "zle_trace": {"const": system_wire.FORMAT_VERSION},
                    "config": _ref("system_config"),
                    "state": _ref("system_state"),
                    "producer": {"type": "string"},
                    "description": {"type": "string"},
                },
                "required": ["zle_trace", "config", "state"],
                "additionalProperties": False,
            },
            "system_step": {
                "description": "One system action and its observable result.",
                "type": "object",
                "properties": {
                    "step": {"type": "integer", "minimum": 1},
                    "action": _ref("system_action"),
                    "accepted": _object(
                        {"events": _ref("system_events"), "changes": _ref("system_changes")}
                    ),
                    "refused": _ref("refusal"),
                },
                "required": ["step", "action"],
                "minProperties": 3,
                "maxProperties": 3,
                "additionalProperties": False,
            },
            "system_checkpoint": {
                "description": "The whole observable system state after that many steps.",
                **_object(
                    {"checkpoint": {"type": "integer", "minimum": 0}, "state": _ref("system_state")}
                ),
            },
        }
    )
    return {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "$id": "https://zero-loss-engine.invalid/spec/system-trace.schema.json",
        "title": f"zle system trace format, version {system_wire.FORMAT_VERSION}",
        "description": (
            "One JSON object per line: a header, then steps and checkpoints, of a system of "
            "markets. See spec/trace-format.md, section 7."
        ),
        "if": {"required": ["zle_trace"]},
        "then": _ref("system_header"),
        "else": {
            "if": {"required": ["checkpoint"]},
            "then": _ref("system_checkpoint"),
            "else": _ref("system_step"),
        },
        "definitions": definitions,
    }


def render_schema() -> str:
    return json.dumps(build_schema(), indent=2) + "\n"


def explain(instance: Json, definition: str) -> str | None:
    """Why ``instance`` is not a valid ``definition``, in one sentence; None if it is."""
    best = PUBLISHED.best_error(instance, definition)
    if best is None:
        return None
    message = schema.uint256_message(best) or best.message
    return f"at {schema.where(best.absolute_path)}: {message}"


PUBLISHED = schema.PublishedSchema(SCHEMA_PATH, explain)
"""``spec/system-trace.schema.json``, as published."""


def check(instance: Json, definition: str) -> str | None:
    """``None`` if ``instance`` is a valid ``definition``, else why not (one sentence)."""
    return PUBLISHED.check(instance, definition)


def main() -> None:
    sys.stdout.write(render_schema())


if __name__ == "__main__":
    main()

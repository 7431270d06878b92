"""Reading system traces (version 3): the header, and what the schema cannot check.

Requirement: TRACE-SYSTEM-FORMAT.

``crosscheck.trace.TraceReader`` reads both versions: the header's ``zle_trace`` chooses
the schema (``spec/trace.schema.json`` or ``spec/system-trace.schema.json``) and the
action decoder (``crosscheck.wire`` or ``crosscheck.system_wire``). This module decodes
a version 3 header strictly: schema, each market's parameters, and every reference
between the system's parts (a market named in the state but not the configuration, a
venue no market lives on, a message id not below ``next_message`` ...), each reported
with the field that holds it.
"""

from __future__ import annotations

import attrs

from crosscheck import system_schema, system_wire
from crosscheck.trace import MalformedTrace, check_state_structure
from crosscheck.wire import Json, JsonObject, decode_config
from model.params.validation import validate
from model.system.state import System


@attrs.frozen
class SystemHeader:
    """A version 3 header: the system it starts from."""

    system: System
    raw: JsonObject = attrs.field(repr=False)


def check_system_structure(state: JsonObject, markets: JsonObject) -> str | None:
    """What makes a schema-valid system state unusable under a configuration whose
    ``markets`` are given: a reference to a market, venue or message that does not
    exist, or a market's own dangling reference (``trace.check_state_structure``)."""
    for market in state["markets"]:
        if market not in markets:
            return f"markets/{market}: unknown market (config/markets does not configure it)"
    for market in markets:
        if market not in state["markets"]:
            return f"markets: market {market} is configured but has no state"
    for market in state["venue_of"]:
        if market not in markets:
            return f"venue_of/{market}: unknown market"
    for market in markets:
        if market not in state["venue_of"]:
            return f"venue_of: market {market} sits on no venue"
    venues = set(state["venue_of"].values())
    backstop = state.get("backstop")
    if backstop is not None:
        for market in backstop["caps"]:
            if market not in markets:
                return f"backstop/caps/{market}: unknown market"
        for market in backstop["drawn"]:
            if market not in backstop["caps"]:
                return f"backstop/drawn/{market}: a market without a cap"
    for field, known, what in (
        ("shut_down", markets, "market"),
        ("halted", venues, "venue"),
        ("treasury", venues, "venue"),
    ):
        for name in state[field]:
            if name not in known:
                return f"{field}/{name}: unknown {what}"
    next_message = int(state["next_message"])
    for key, message in state["messages"].items():
        if int(key) >= next_message:
            return f"messages/{key}: id is not below next_message ({next_message})"
        for end in ("source", "destination"):
            if message[end] not in venues:
                return f"messages/{key}/{end}: unknown venue {message[end]}"
    for market, body in state["markets"].items():
        problem = check_state_structure(body)
        if problem is not None:
            return f"markets/{market}/{problem}"
    return None


def decode_system_header(obj: Json, line: int, source: str) -> SystemHeader:
    """A version 3 header, validated: schema, every market's parameters, references."""
    problem = system_schema.check(obj, "system_header")
    if problem is not None:
        raise MalformedTrace(f"header {problem}", line, source)
    markets = obj["config"]["markets"]
    for market, config in markets.items():
        errors = validate(decode_config(config))
        if errors:
            listed = "; ".join(str(e) for e in errors)
            raise MalformedTrace(
                f"header at config/markets/{market}: invalid parameters: {listed}", line, source
            )
    problem = check_system_structure(obj["state"], markets)
    if problem is not None:
        raise MalformedTrace(f"header at state/{problem}", line, source)
    return SystemHeader(system_wire.decode_system(obj["config"], obj["state"]), raw=obj)


def header_record(system: System, producer: str = "", description: str = "") -> JsonObject:
    """The header line of a system trace starting from ``system``."""
    obj: JsonObject = {
        "zle_trace": system_wire.FORMAT_VERSION,
        "config": system_wire.encode_config(system),
        "state": system_wire.encode_state(system),
    }
    if producer:
        obj["producer"] = producer
    if description:
        obj["description"] = description
    return obj

"""The wire form of a system of markets (trace format version 3, ``spec/trace-format.md``).

A system's configuration, observable state, actions and events, in the encoding of the
single-market wire form (``crosscheck.wire``): every engine integer a decimal string,
every action and event an object with one key, its kind. A market's own configuration,
state, actions and events are exactly their version 2 forms, under the market's id, so
a system trace of one market holds the version 2 trace of that market.

Decoding assumes the input passed the schema and ``system_trace.check_system_structure``:
it converts, it does not check; the one exception is :func:`decode_action_strict`,
which is the schema's ``definitions/system_action`` checked while decoding.
"""

from __future__ import annotations

import typing
from collections.abc import Mapping
from typing import Any

import attrs
from immutables import Map

from crosscheck import wire
from crosscheck.wire import Json, JsonObject
from model.system import events as system_events
from model.system.actions import SYSTEM_ACTION_KINDS, OnMarket
from model.system.events import OnMarketEvent
from model.system.state import (
    Backstop,
    Message,
    SharedPool,
    System,
    SystemConfig,
    SystemLedger,
    Topology,
)

FORMAT_VERSION = 3
"""A system trace's header carries ``{"zle_trace": 3, ...}``."""

SYSTEM_ACTIONS: dict[str, type[Any]] = {kind.__name__: kind for kind in SYSTEM_ACTION_KINDS}
"""System action kinds by wire name (the class name); ``OnMarket`` wraps an engine action."""

SYSTEM_EVENTS: dict[str, type[Any]] = {
    name: value
    for name, value in vars(system_events).items()
    if isinstance(value, type) and attrs.has(value) and value.__module__ == system_events.__name__
}
"""System event kinds by wire name; ``OnMarketEvent`` wraps an engine event."""

CONFIG_FIELDS: tuple[str, ...] = tuple(f.name for f in attrs.fields(SystemConfig))
"""``topology``, ``hole``, ``shutdown_ratio``, ``shutdown_stale_after``, ``latency``."""

STATE_FIELDS: tuple[str, ...] = (
    "markets",
    "venue_of",
    "shared",
    "backstop",
    "ledger",
    "shut_down",
    "halted",
    "clock",
    "treasury",
    "messages",
    "next_message",
)
"""The observable system state: every field of ``System`` but ``config`` (each market's
``config`` goes to the configuration's ``markets``); ``backstop`` only when there is one."""

MAPS: frozenset[str] = frozenset(
    {"markets", "venue_of", "lp_shares", "caps", "drawn", "treasury", "messages"}
)
"""Fields whose keys are ids or names (a diff's path shows them as ``[key]``)."""


def _plain_fields(cls: type[Any]) -> tuple[tuple[str, bool], ...]:
    """``(name, is_int)`` of a flat system record's fields (ids and names are ``str``)."""
    hints = typing.get_type_hints(cls, include_extras=True)
    out = []
    for f in attrs.fields(cls):
        hint = hints[f.name]
        if typing.get_origin(hint) is typing.Annotated:
            hint = typing.get_args(hint)[0]
        out.append((f.name, hint is int))
    return tuple(out)


SHAPES: dict[type[Any], tuple[tuple[str, bool], ...]] = {
    cls: _plain_fields(cls)
    for cls in (*SYSTEM_ACTIONS.values(), *SYSTEM_EVENTS.values(), Message)
    if cls not in (OnMarket, OnMarketEvent)
}
"""Each flat system record's fields; the two wrappers are encoded by hand."""


def _encode_flat(record: Any) -> JsonObject:
    return {
        n: str(getattr(record, n)) if i else getattr(record, n) for n, i in SHAPES[type(record)]
    }


def _decode_flat(cls: type[Any], body: Mapping[str, Json]) -> Any:
    return cls(**{n: int(body[n]) if i else body[n] for n, i in SHAPES[cls]})


# --- configuration and state --------------------------------------------------------------


def encode_config(system: System) -> JsonObject:
    """The system's configuration, and each market's (version 2) configuration by id."""
    config = system.config
    obj: JsonObject = {
        "topology": config.topology.value,
        **{name: str(getattr(config, name)) for name in CONFIG_FIELDS if name != "topology"},
    }
    obj["markets"] = {
        m: wire.encode_config(system.markets[m].config) for m in sorted(system.markets)
    }
    return obj


def _amounts(entries: Mapping[str, int]) -> JsonObject:
    return {key: str(entries[key]) for key in sorted(entries)}


def encode_state(system: System) -> JsonObject:
    """The whole observable system state (``STATE_FIELDS``), map keys in ascending order."""
    obj: JsonObject = {
        "markets": {m: wire.encode_state(system.markets[m]) for m in sorted(system.markets)},
        "venue_of": {m: system.venue_of[m] for m in sorted(system.venue_of)},
        "shared": {
            "cash": str(system.shared.cash),
            "total_shares": str(system.shared.total_shares),
            "lp_shares": _amounts(system.shared.lp_shares),
        },
    }
    if system.backstop is not None:
        obj["backstop"] = {
            "fund": str(system.backstop.fund),
            "caps": _amounts(system.backstop.caps),
            "drawn": _amounts(system.backstop.drawn),
        }
    ledger = system.ledger
    obj["ledger"] = {f.name: str(getattr(ledger, f.name)) for f in attrs.fields(SystemLedger)}
    obj["shut_down"] = sorted(system.shut_down)
    obj["halted"] = sorted(system.halted)
    obj["clock"] = str(system.clock)
    obj["treasury"] = _amounts(system.treasury)
    obj["messages"] = {str(i): _encode_flat(system.messages[i]) for i in sorted(system.messages)}
    obj["next_message"] = str(system.next_message)
    return obj


def _ints(entries: Mapping[str, Json]) -> Map[str, int]:
    return Map({key: int(value) for key, value in entries.items()})


def decode_system(config: Mapping[str, Json], state: Mapping[str, Json]) -> System:
    """The system whose configuration and observable state are ``config`` and ``state``."""
    system_config = SystemConfig(
        topology=Topology(config["topology"]),
        **{name: int(config[name]) for name in CONFIG_FIELDS if name != "topology"},
    )
    markets = Map(
        {
            m: wire.decode_state(body, wire.decode_config(config["markets"][m]))
            for m, body in state["markets"].items()
        }
    )
    shared = state["shared"]
    raw_backstop = state.get("backstop")
    backstop = (
        None
        if raw_backstop is None
        else Backstop(
            fund=int(raw_backstop["fund"]),
            caps=_ints(raw_backstop["caps"]),
            drawn=_ints(raw_backstop["drawn"]),
        )
    )
    return System(
        config=system_config,
        markets=markets,
        venue_of=Map(state["venue_of"]),
        shared=SharedPool(
            cash=int(shared["cash"]),
            total_shares=int(shared["total_shares"]),
            lp_shares=_ints(shared["lp_shares"]),
        ),
        backstop=backstop,
        ledger=SystemLedger(**{k: int(v) for k, v in state["ledger"].items()}),
        shut_down=frozenset(state["shut_down"]),
        halted=frozenset(state["halted"]),
        clock=int(state["clock"]),
        treasury=_ints(state["treasury"]),
        messages=Map(
            {int(i): _decode_flat(Message, body) for i, body in state["messages"].items()}
        ),
        next_message=int(state["next_message"]),
    )


# --- actions and events -------------------------------------------------------------------


def encode_action(action: object) -> JsonObject:
    """``{"OnMarket": {"market": id, "action": <version 2 action>}}`` or a flat record."""
    if isinstance(action, OnMarket):
        inner = wire.encode_action(action.action)  # type: ignore[arg-type]
        return {"OnMarket": {"market": action.market, "action": inner}}
    return {type(action).__name__: _encode_flat(action)}


def decode_action_strict(obj: Json) -> object | None:
    """The system action whose wire form is ``obj``, or None unless it is exactly one (as
    ``definitions/system_action`` states it): one known kind, every field present and no
    other, a JSON string each, integers in decimal of at most 80 digits (``message``
    too), and an ``OnMarket``'s ``action`` a version 2 action."""
    if type(obj) is not dict or len(obj) != 1:
        return None
    ((kind, body),) = obj.items()
    cls = SYSTEM_ACTIONS.get(kind)
    if cls is None or type(body) is not dict:
        return None
    if cls is OnMarket:
        if len(body) != 2 or type(body.get("market")) is not str:
            return None
        inner = wire.decode_action_strict(body.get("action"))
        return None if inner is None else OnMarket(body["market"], inner)
    values = wire.strict_fields(body, SHAPES[cls])
    if values is None:
        return None
    built: object = cls(**values)
    return built


def encode_event(event: object) -> JsonObject:
    """``{"OnMarketEvent": {"market": id, "event": <version 2 event>}}`` or a flat record."""
    if isinstance(event, OnMarketEvent):
        return {"OnMarketEvent": {"market": event.market, "event": wire.encode_event(event.event)}}
    return {type(event).__name__: _encode_flat(event)}


def encode_events(events: tuple[object, ...]) -> list[JsonObject]:
    return [encode_event(e) for e in events]


# --- merge patches ------------------------------------------------------------------------


_ABSENT = object()
"""A member missing from one side of a diff."""


def merge_diff(before: Json, after: Json) -> JsonObject:
    """The JSON merge patch (RFC 7396) that turns object ``before`` into ``after``: changed
    members only, recursively; ``null`` for a member removed; arrays and scalars whole."""
    patch: JsonObject = {}
    for key, new in after.items():
        old = before.get(key, _ABSENT)
        if old == new:
            continue
        if isinstance(old, dict) and isinstance(new, dict):
            patch[key] = merge_diff(old, new)
        else:
            patch[key] = new
    for key in before:
        if key not in after:
            patch[key] = None
    return patch


def merge_apply(target: Json, patch: Json) -> Json:
    """RFC 7396: ``target`` with ``patch`` merged in, as a new value."""
    if not isinstance(patch, dict):
        return patch
    result: JsonObject = dict(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = merge_apply(result.get(key), value)
    return result

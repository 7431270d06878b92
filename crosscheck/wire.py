"""The wire form of the model's values: plain JSON, every engine integer a decimal string.

Traces, conformance vectors and the adapter interface all speak this form
(``spec/trace-format.md``). It is *externally tagged*: an action, an event, a policy or
a curve is an object with a single key, its kind, whose value holds the fields
(``{"Borrow": {"owner": "ann", "position": "0", "amount": "5"}}``). Field names and kind
names are the model's own, so the spec, the model and a trace use one vocabulary.

Encoding is total on model values. Decoding assumes its input already passed the JSON
Schema (``crosscheck.schema``): it converts, it does not check.
"""

from __future__ import annotations

import enum
import re
import typing
from collections.abc import Callable, Mapping
from operator import attrgetter
from typing import Any

import attrs
from immutables import Map

from model import events as events_module
from model.actions import ACTION_KINDS, Action
from model.curves import Curve, ExponentialDecrease, LinearDecrease, StairstepExponentialDecrease
from model.errors import Refusal, RefusalCode
from model.events import Buffer, Event
from model.params.records import (
    Config,
    Gen1SpotParams,
    Gen2DutchParams,
    Gen3ZeroLossParams,
    OracleParams,
    PolicyParams,
    StewardBounds,
)
from model.state import (
    Auction,
    Buffers,
    Ledger,
    Market,
    Oracle,
    Pool,
    Position,
    PreLiquidationTerms,
    State,
    Steward,
)

Json = Any
"""A JSON value as ``json.loads`` returns it."""
JsonObject = dict[str, Any]


def _kind(hint: Any) -> str:
    """``int`` (any unit, or an id), ``str``, ``bool``, or the name of an enum or record type."""
    if typing.get_origin(hint) is typing.Annotated:
        hint = typing.get_args(hint)[0]
    if hint == Curve:
        return "Curve"
    return "int" if hint is int else str(getattr(hint, "__name__", hint))


def _fields(cls: type[Any]) -> tuple[tuple[str, str], ...]:
    """Each field's wire kind, from its resolved type (``Wad``, ``Ray`` ... are ints)."""
    hints = typing.get_type_hints(cls, include_extras=True)
    return tuple((f.name, _kind(hints[f.name])) for f in attrs.fields(cls))


ACTIONS: dict[str, type[Any]] = {kind.__name__: kind for kind in ACTION_KINDS}
"""Action kinds by wire name (the class name)."""

EVENTS: dict[str, type[Any]] = {
    name: value
    for name, value in vars(events_module).items()
    if isinstance(value, type) and attrs.has(value) and value.__module__ == events_module.__name__
}
"""Event kinds by wire name (the class name)."""

POLICIES: dict[str, type[Any]] = {
    "gen1": Gen1SpotParams,
    "gen2": Gen2DutchParams,
    "gen3": Gen3ZeroLossParams,
}
CURVES: dict[str, type[Any]] = {
    kind.__name__: kind
    for kind in (LinearDecrease, StairstepExponentialDecrease, ExponentialDecrease)
}
RECORDS: dict[str, type[Any]] = {
    "oracle": Oracle,
    "market": Market,
    "pool": Pool,
    "buffers": Buffers,
    "ledger": Ledger,
}
"""The state's single records, by state field name."""
SCALARS: tuple[str, ...] = ("time", "next_position", "next_auction", "exposure", "unbacked")
"""The state's integer fields."""
MAPS: dict[str, type[Any] | None] = {
    "positions": Position,
    "auctions": Auction,
    "lp_shares": None,
    "pre_liquidation": PreLiquidationTerms,
}
"""The state's maps, with their entry record (``None``: the entry is an integer)."""
OPTIONAL_RECORDS: dict[str, type[Any]] = {"steward": Steward}
"""The state's records that may be absent (``None`` in the model)."""
OPTIONAL: frozenset[str] = frozenset({"pre_liquidation", "steward"})
"""State fields written only when they hold something (an entry, a record): a state
without them has the wire form it had before they existed."""

_SHAPES: dict[type[Any], tuple[tuple[str, str], ...]] = {
    cls: _fields(cls)
    for cls in (
        *ACTIONS.values(),
        *EVENTS.values(),
        *POLICIES.values(),
        *CURVES.values(),
        *RECORDS.values(),
        Position,
        Auction,
        OracleParams,
        PreLiquidationTerms,
        Steward,
        StewardBounds,
    )
}


def shape(cls: type[Any]) -> tuple[tuple[str, str], ...]:
    """``(name, kind)`` of each field of a model record, in declaration order."""
    return _SHAPES[cls]


# --- generic records ------------------------------------------------------------------


def _encode_value(value: Any, kind: str) -> Json:
    if kind == "int":
        return str(value)
    if kind == "str" or kind == "bool":
        return value
    if isinstance(value, enum.Enum):
        return value.value
    raise TypeError(f"no wire form for field kind {kind!r}")


def encode_record(record: Any) -> JsonObject:
    """A flat model record (no nested records) as a JSON object of its fields."""
    return {name: _encode_value(getattr(record, name), kind) for name, kind in shape(type(record))}


def decode_record(cls: type[Any], obj: Mapping[str, Json]) -> Any:
    """The record of type ``cls`` whose wire form is ``obj``."""
    values: dict[str, Any] = {}
    for name, kind in shape(cls):
        raw = obj[name]
        if kind == "int":
            values[name] = int(raw)
        elif kind == "Buffer":
            values[name] = Buffer(raw)
        else:
            values[name] = raw
    return cls(**values)


def _tagged(obj: Mapping[str, Json]) -> tuple[str, Json]:
    ((kind, body),) = obj.items()
    return kind, body


# --- actions and events ---------------------------------------------------------------


def _action_encoder(cls: type[Any]) -> Callable[[Any], JsonObject]:
    fields = shape(cls)
    name = cls.__name__
    ints = tuple(n for n, k in fields if k == "int")
    strs = tuple(n for n, k in fields if k != "int")

    def encode(action: Any) -> JsonObject:
        body = {n: getattr(action, n) for n in strs}
        for n in ints:
            body[n] = str(getattr(action, n))
        return {name: body}

    return encode


_ACTION_ENCODERS = {cls: _action_encoder(cls) for cls in ACTIONS.values()}
_EVENT_ENCODERS: dict[type[Any], Callable[[Any], JsonObject]] = {}


def _event_encoder(cls: type[Any]) -> Callable[[Any], JsonObject]:
    fields = shape(cls)
    name = cls.__name__
    plain = all(k in ("int", "str", "bool") for _, k in fields)
    ints = tuple(k == "int" for _, k in fields)
    names = tuple(n for n, _ in fields)
    getter = attrgetter(*names) if len(names) > 1 else (lambda e: (getattr(e, names[0]),))

    def encode(event: Any) -> JsonObject:
        return {name: {n: _encode_value(getattr(event, n), k) for n, k in fields}}

    def encode_plain(event: Any) -> JsonObject:
        values = getter(event)
        return {name: {n: str(v) if i else v for n, i, v in zip(names, ints, values, strict=True)}}

    return encode_plain if plain else encode


_EVENT_ENCODERS = {cls: _event_encoder(cls) for cls in EVENTS.values()}


def encode_action(action: Action) -> JsonObject:
    """``{"Kind": {field: value, ...}}``."""
    return _ACTION_ENCODERS[type(action)](action)


def decode_action(obj: Mapping[str, Json]) -> Action:
    kind, body = _tagged(obj)
    action: Action = decode_record(ACTIONS[kind], body)
    return action


ACTION_INTEGER = re.compile(r"-?(?:0|[1-9][0-9]{0,79})")
"""An action argument in decimal, as ``definitions/integer`` of the schema."""
_ACTION_FIELDS = {
    name: (cls, tuple((n, k == "int") for n, k in shape(cls))) for name, cls in ACTIONS.items()
}


def decode_action_strict(obj: Json) -> Action | None:
    """The action whose wire form is ``obj``, or None unless ``obj`` is exactly one: one
    known kind, every field present and no other, every field a JSON string, every
    integer field a decimal integer of at most 80 digits. (No schema needed: this is the
    schema's ``definitions/action``, checked while decoding.)"""
    if type(obj) is not dict or len(obj) != 1:
        return None
    ((kind, body),) = obj.items()
    found = _ACTION_FIELDS.get(kind)
    if found is None or type(body) is not dict:
        return None
    cls, fields = found
    values = strict_fields(body, fields)
    if values is None:
        return None
    action: Action = cls(**values)
    return action


def strict_fields(
    body: dict[str, Any], fields: tuple[tuple[str, bool], ...]
) -> dict[str, Any] | None:
    """An action's fields from its wire body, or None unless the body holds exactly
    ``fields`` (``(name, is_integer)``), each a JSON string, each integer in decimal of at
    most 80 digits. Versions 2 and 3 decode their actions' fields with it."""
    if len(body) != len(fields):
        return None
    values: dict[str, Any] = {}
    for name, is_int in fields:
        raw = body.get(name)
        if type(raw) is not str:
            return None
        if is_int:
            if ACTION_INTEGER.fullmatch(raw) is None:
                return None
            values[name] = int(raw)
        else:
            values[name] = raw
    return values


def encode_event(event: Event) -> JsonObject:
    return _EVENT_ENCODERS[type(event)](event)


def encode_events(events: tuple[Event, ...]) -> list[JsonObject]:
    return [_EVENT_ENCODERS[type(e)](e) for e in events]


def decode_event(obj: Mapping[str, Json]) -> Event:
    kind, body = _tagged(obj)
    event: Event = decode_record(EVENTS[kind], body)
    return event


def encode_refusal(refusal: Refusal) -> JsonObject:
    """``{"error": CODE, "detail": ...}``; the detail is informative, never compared."""
    return {"error": refusal.code.value, "detail": refusal.detail}


def decode_refusal(obj: Mapping[str, Json]) -> Refusal:
    return Refusal(RefusalCode(obj["error"]), obj.get("detail", ""))


# --- configuration --------------------------------------------------------------------


def encode_curve(curve: Curve) -> JsonObject:
    return {type(curve).__name__: encode_record(curve)}


def decode_curve(obj: Mapping[str, Json]) -> Curve:
    kind, body = _tagged(obj)
    curve: Curve = decode_record(CURVES[kind], body)
    return curve


def policy_name(policy: PolicyParams) -> str:
    """``gen1``, ``gen2`` or ``gen3``."""
    return next(name for name, cls in POLICIES.items() if isinstance(policy, cls))


def encode_policy(policy: PolicyParams) -> JsonObject:
    body: JsonObject = {}
    for name, kind in shape(type(policy)):
        value = getattr(policy, name)
        body[name] = encode_curve(value) if kind == "Curve" else _encode_value(value, kind)
    return {policy_name(policy): body}


def decode_policy(obj: Mapping[str, Json]) -> PolicyParams:
    kind, body = _tagged(obj)
    cls = POLICIES[kind]
    values: dict[str, Any] = {}
    for name, field in shape(cls):
        values[name] = decode_curve(body[name]) if field == "Curve" else int(body[name])
    policy: PolicyParams = cls(**values)
    return policy


def encode_config(config: Config) -> JsonObject:
    """The configuration; ``steward`` only when it has one."""
    obj: JsonObject = {
        "oracle": encode_record(config.oracle),
        "dust": str(config.dust),
        "policy": encode_policy(config.policy),
    }
    if config.steward is not None:
        obj["steward"] = encode_record(config.steward)
    return obj


def decode_config(obj: Mapping[str, Json]) -> Config:
    steward = obj.get("steward")
    return Config(
        oracle=decode_record(OracleParams, obj["oracle"]),
        dust=int(obj["dust"]),
        policy=decode_policy(obj["policy"]),
        steward=None if steward is None else decode_record(StewardBounds, steward),
    )


# --- state ----------------------------------------------------------------------------


def encode_entry(map_name: str, value: Any) -> Json:
    """One entry of a state map: a record as an object, an integer as a string."""
    return str(value) if MAPS[map_name] is None else encode_record(value)


def encode_state(state: State) -> JsonObject:
    """The whole observable state: every field of ``State`` except ``config``; the
    ``OPTIONAL`` fields only when they hold something.

    Map keys are strings (position and auction ids in decimal), in ascending order.
    """
    obj: JsonObject = {}
    for name in SCALARS:
        obj[name] = str(getattr(state, name))
    for name in RECORDS:
        obj[name] = encode_record(getattr(state, name))
    for name in MAPS:
        entries: Map[Any, Any] = getattr(state, name)
        if name in OPTIONAL and len(entries) == 0:
            continue
        obj[name] = {str(k): encode_entry(name, entries[k]) for k in sorted(entries.keys())}
    for name in OPTIONAL_RECORDS:
        record = getattr(state, name)
        if record is not None:
            obj[name] = encode_record(record)
    return {key: obj[key] for key in STATE_FIELDS if key in obj}


STATE_FIELDS: tuple[str, ...] = tuple(f.name for f in attrs.fields(State) if f.name != "config")
"""The observable state's fields, in the model's declaration order."""


def _decode_entry(map_name: str, value: Json) -> Any:
    entry = MAPS[map_name]
    return int(value) if entry is None else decode_record(entry, value)


def decode_state(obj: Mapping[str, Json], config: Config) -> State:
    values: dict[str, Any] = {"config": config}
    for name in SCALARS:
        values[name] = int(obj[name])
    for name, cls in RECORDS.items():
        values[name] = decode_record(cls, obj[name])
    for name in MAPS:
        key: Callable[[str], Any] = str if name == "lp_shares" else int
        entries = obj.get(name, {})
        values[name] = Map({key(k): _decode_entry(name, v) for k, v in entries.items()})
    for name, cls in OPTIONAL_RECORDS.items():
        record = obj.get(name)
        values[name] = None if record is None else decode_record(cls, record)
    return State(**values)


def observable(snapshot: Mapping[str, Json]) -> JsonObject:
    """A wire-form state with its absent ``OPTIONAL`` fields written out (an empty map,
    ``None``), so that two snapshots compare field by field whichever way each was
    written."""
    full: JsonObject = dict(snapshot)
    for name in OPTIONAL:
        full.setdefault(name, None if name in OPTIONAL_RECORDS else {})
    return full

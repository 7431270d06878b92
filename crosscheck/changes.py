"""What a step changed: the observable state's fields that differ after it, and their values.

A step record carries its changes as a JSON merge patch (RFC 7396) of the observable
state (``crosscheck.wire.encode_state``): only the fields whose value changed, new map
entries in full, ``null`` for a removed entry. Comparing the implementation's patch with
the model's at every step compares the two whole states at every step, by induction
from the header's initial state, while costing only what the step touched.

The model's patch is computed from the pre- and post-state. The persistent maps share
every entry a step did not replace, so only the entries a step *names* can differ: the
ids in its action's and events' ``position``, ``auction`` and ``lp`` fields. A size
check falls back to a full comparison if a step ever changed an entry it did not name.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from operator import attrgetter
from typing import Any

import attrs

from crosscheck import wire
from crosscheck.wire import Json, JsonObject
from model.events import Event
from model.state import State

_KEY_FIELDS = {
    "positions": "position",
    "auctions": "auction",
    "lp_shares": "lp",
    "pre_liquidation": "position",
}


class _Absent:
    """The value of a field that does not exist on one side of a comparison."""

    def __repr__(self) -> str:
        return "(absent)"


ABSENT: Any = _Absent()


@attrs.frozen
class FieldDiff:
    """One field on which the model (``expected``) and the implementation differ."""

    path: str
    expected: Json
    recorded: Json

    def to_json(self) -> JsonObject:
        obj: JsonObject = {"path": self.path}
        if self.expected is not ABSENT:
            obj["expected"] = self.expected
        if self.recorded is not ABSENT:
            obj["recorded"] = self.recorded
        return obj


def touched_keys(map_name: str, action: object, events: Iterable[Event]) -> set[Any]:
    """Keys of ``map_name`` a step may have changed: those its action and events name."""
    field = _KEY_FIELDS[map_name]
    keys = set()
    for item in (action, *events):
        value = getattr(item, field, None)
        if value is not None:
            keys.add(value)
    return keys


_RECORD_FIELDS: dict[type[Any], tuple[Any, tuple[tuple[str, bool], ...]]] = {}


def _record_fields(cls: type[Any]) -> tuple[Any, tuple[tuple[str, bool], ...]]:
    """An ``attrgetter`` of every field of ``cls`` (one C call reads them all), and each
    field's name and whether it is an integer."""
    found = _RECORD_FIELDS.get(cls)
    if found is None:
        shape = wire.shape(cls)
        found = (attrgetter(*(n for n, _ in shape)), tuple((n, k == "int") for n, k in shape))
        _RECORD_FIELDS[cls] = found
    return found


def _record_changes(before: Any, after: Any) -> JsonObject:
    getter, fields = _record_fields(type(after))
    old, new = getter(before), getter(after)
    if old == new:
        return {}
    changed: JsonObject = {}
    for (name, is_int), a, b in zip(fields, old, new, strict=True):
        if a != b:
            changed[name] = str(b) if is_int else b
    return changed


def _entry_changes(map_name: str, before: Any, after: Any) -> Json:
    if after is None:
        return None
    if before is None or wire.MAPS[map_name] is None:
        return wire.encode_entry(map_name, after)
    return _record_changes(before, after)


def state_changes(
    pre: State, post: State, action: object = None, events: Iterable[Event] = ()
) -> JsonObject:
    """The merge patch from ``pre`` to ``post``.

    With ``action`` (and the step's ``events``), only the map entries they name are
    compared; without, every entry is.
    """
    events = tuple(events)
    patch: JsonObject = {}
    for name, part, before, after in zip(
        wire.STATE_FIELDS, _STATE_PARTS, _STATE_GETTER(pre), _STATE_GETTER(post), strict=True
    ):
        if before is after:
            continue
        if part == "scalar":
            if before != after:
                patch[name] = str(after)
        elif part == "optional":
            if before == after:
                continue
            if after is None:
                patch[name] = None
            elif before is None:
                patch[name] = wire.encode_record(after)
            else:
                patch[name] = _record_changes(before, after)
        elif part == "record":
            changed = _record_changes(before, after)
            if changed:
                patch[name] = changed
        else:
            keys: Iterable[Any]
            if action is None:
                keys = set(before.keys()) | set(after.keys())
            else:
                keys = touched_keys(name, action, events)
            entries: JsonObject = {}
            added = 0
            for key in keys:
                old = before.get(key)
                new = after.get(key)
                if old is new or old == new:
                    continue
                added += (old is None) - (new is None)
                entries[str(key)] = _entry_changes(name, old, new)
            if action is not None and len(after) != len(before) + added:
                return state_changes(pre, post)
            if len(entries) > 1:
                patch[name] = {k: entries[k] for k in sorted(entries, key=_map_order(name))}
            elif entries:
                patch[name] = entries
    return patch


_STATE_GETTER = attrgetter(*wire.STATE_FIELDS)
_STATE_PARTS = tuple(
    "scalar"
    if n in wire.SCALARS
    else "record"
    if n in wire.RECORDS
    else "optional"
    if n in wire.OPTIONAL_RECORDS
    else "map"
    for n in wire.STATE_FIELDS
)


def _map_order(map_name: str) -> Any:
    if map_name == "lp_shares":
        return lambda key: (0, key)
    return lambda key: (int(key), "")


def snapshot_changes(pre: Mapping[str, Json], post: Mapping[str, Json]) -> JsonObject:
    """The merge patch between two wire-form snapshots (for adapters that can only observe)."""
    pre, post = wire.observable(pre), wire.observable(post)
    patch: JsonObject = {}
    for name in wire.STATE_FIELDS:
        before, after = pre[name], post[name]
        if before == after:
            continue
        if name in wire.SCALARS:
            patch[name] = after
        elif name in wire.OPTIONAL_RECORDS:
            if after is None or before is None:
                patch[name] = after
            else:
                patch[name] = {k: v for k, v in after.items() if before.get(k) != v}
        elif name in wire.RECORDS:
            patch[name] = {k: v for k, v in after.items() if before.get(k) != v}
        else:
            entries: JsonObject = {}
            for key in sorted(set(before) | set(after), key=_map_order(name)):
                old, new = before.get(key), after.get(key)
                if old == new:
                    continue
                if new is None or old is None or not isinstance(new, dict):
                    entries[key] = new
                else:
                    entries[key] = {k: v for k, v in new.items() if old.get(k) != v}
            patch[name] = entries
    return patch


def apply_changes(snapshot: Mapping[str, Json], patch: Mapping[str, Json]) -> JsonObject:
    """``snapshot`` with ``patch`` merged in (RFC 7396), as a new object."""
    result: JsonObject = dict(snapshot)
    for name, change in patch.items():
        if name in wire.SCALARS:
            result[name] = change
        elif name in wire.RECORDS:
            result[name] = {**snapshot[name], **change}
        elif name in wire.OPTIONAL_RECORDS:
            old = snapshot.get(name)
            if change is None:
                result.pop(name, None)
            elif isinstance(old, dict) and isinstance(change, dict):
                result[name] = {**old, **change}
            else:
                result[name] = change
        else:
            entries = dict(snapshot.get(name, {}))
            for key, value in change.items():
                if value is None:
                    entries.pop(key, None)
                elif isinstance(value, dict) and isinstance(entries.get(key), dict):
                    entries[key] = {**entries[key], **value}
                else:
                    entries[key] = value
            if entries or name not in wire.OPTIONAL:
                result[name] = entries
            else:
                result.pop(name, None)
    return result


# --- comparing with what an implementation recorded -----------------------------------


def _display(map_name: str, key: str) -> str:
    return f'{map_name}["{key}"]' if map_name == "lp_shares" else f"{map_name}[{key}]"


def _compare_objects(path: str, expected: Json, recorded: Json) -> Iterator[FieldDiff]:
    if isinstance(expected, dict) and isinstance(recorded, dict):
        for name in [*expected, *(k for k in recorded if k not in expected)]:
            left = expected.get(name, ABSENT)
            right = recorded.get(name, ABSENT)
            if left != right:
                yield FieldDiff(f"{path}.{name}", left, right)
    elif expected != recorded:
        yield FieldDiff(path, expected, recorded)


def compare_changes(
    pre: State, post: State, expected: Mapping[str, Json], recorded: Mapping[str, Json]
) -> list[FieldDiff]:
    """Fields where the recorded patch, applied to ``pre``, disagrees with ``post``.

    ``expected`` is the model's patch from ``pre`` to ``post``. A recorded field whose
    value did not change is no divergence (an implementation may report a write of the
    same value); a changed field the implementation did not record is one.
    """
    diffs: list[FieldDiff] = []
    for name in wire.STATE_FIELDS:
        if name not in expected and name not in recorded:
            continue
        if name in wire.SCALARS:
            model_value = expected.get(name, str(getattr(post, name)))
            recorded_value = recorded.get(name, str(getattr(pre, name)))
            if model_value != recorded_value:
                diffs.append(FieldDiff(name, model_value, recorded_value))
        elif name in wire.OPTIONAL_RECORDS:
            diffs.extend(_optional_record_diffs(name, pre, post, recorded))
        elif name in wire.RECORDS:
            after = wire.encode_record(getattr(post, name))
            before = wire.encode_record(getattr(pre, name))
            merged = {**before, **recorded.get(name, {})}
            for field, value in after.items():
                if merged.get(field) != value:
                    diffs.append(FieldDiff(f"{name}.{field}", value, merged.get(field, ABSENT)))
            for field in merged:
                if field not in after:
                    diffs.append(FieldDiff(f"{name}.{field}", ABSENT, merged[field]))
        else:
            before_map, after_map = getattr(pre, name), getattr(post, name)
            key_of = str if name == "lp_shares" else int
            keys = list(expected.get(name, {}))
            keys += [k for k in recorded.get(name, {}) if k not in expected.get(name, {})]
            for key in keys:
                native = key_of(key)
                model_entry = after_map.get(native)
                model_json = ABSENT if model_entry is None else wire.encode_entry(name, model_entry)
                old = before_map.get(native)
                old_json = ABSENT if old is None else wire.encode_entry(name, old)
                if key in recorded.get(name, {}):
                    change = recorded[name][key]
                    if change is None:
                        recorded_json = ABSENT
                    elif isinstance(change, dict) and isinstance(old_json, dict):
                        recorded_json = {**old_json, **change}
                    else:
                        recorded_json = change
                else:
                    recorded_json = old_json
                if model_json is ABSENT or recorded_json is ABSENT:
                    if model_json is not recorded_json:
                        diffs.append(FieldDiff(_display(name, key), model_json, recorded_json))
                    continue
                diffs.extend(_compare_objects(_display(name, key), model_json, recorded_json))
    return diffs


def _optional_json(record: Any) -> Json:
    return ABSENT if record is None else wire.encode_record(record)


def _optional_record_diffs(
    name: str, pre: State, post: State, recorded: Mapping[str, Json]
) -> list[FieldDiff]:
    """A record that may be absent (the steward's): the recorded patch applied to the
    pre-state's, against the model's post-state."""
    after = _optional_json(getattr(post, name))
    merged = _optional_json(getattr(pre, name))
    if name in recorded:
        change = recorded[name]
        if change is None:
            merged = ABSENT
        elif isinstance(change, dict) and isinstance(merged, dict):
            merged = {**merged, **change}
        else:
            merged = change
    if isinstance(after, dict) and isinstance(merged, dict):
        return list(_compare_objects(name, after, merged))
    return [] if after == merged else [FieldDiff(name, after, merged)]


def compare_events(expected: list[JsonObject], recorded: list[JsonObject]) -> list[FieldDiff]:
    """Event by event, field by field; a missing or extra event is one difference."""
    diffs: list[FieldDiff] = []
    for index in range(max(len(expected), len(recorded))):
        left = expected[index] if index < len(expected) else ABSENT
        right = recorded[index] if index < len(recorded) else ABSENT
        if left == right:
            continue
        path = f"events[{index}]"
        if left is ABSENT or right is ABSENT or next(iter(left)) != next(iter(right)):
            diffs.append(FieldDiff(path, left, right))
            continue
        (kind, body), (_, recorded_body) = next(iter(left.items())), next(iter(right.items()))
        diffs.extend(_compare_objects(f"{path}.{kind}", body, recorded_body))
    return diffs


def compare_snapshots(
    expected: Mapping[str, Json], recorded: Mapping[str, Json]
) -> list[FieldDiff]:
    """Whole observable states, field by field (checkpoints and conformance vectors)."""
    diffs: list[FieldDiff] = []
    expected = wire.observable(expected)
    recorded = wire.observable(recorded)
    for name in wire.STATE_FIELDS:
        left, right = expected[name], recorded.get(name, ABSENT)
        if left == right:
            continue
        if name in wire.SCALARS or not isinstance(right, dict) or not isinstance(left, dict):
            diffs.append(FieldDiff(name, left, right))
        elif name in wire.RECORDS or name in wire.OPTIONAL_RECORDS:
            diffs.extend(_compare_objects(name, left, right))
        else:
            for key in [*left, *(k for k in right if k not in left)]:
                diffs.extend(
                    _compare_objects(
                        _display(name, key), left.get(key, ABSENT), right.get(key, ABSENT)
                    )
                )
    return diffs

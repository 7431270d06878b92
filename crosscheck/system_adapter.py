"""The adapter interface for a system of markets (trace format version 3).

The same three methods as ``crosscheck.adapter.Implementation``, in the version 3 wire
form (``crosscheck.system_wire``): ``reset(config, state)`` with a system's
configuration and state, ``apply(action)`` with a system action, ``observe()`` the
whole observable system state. An implementation that runs systems says so with a
``systems = True`` attribute; one without it is skipped on system vectors and refused by
``zle record`` on a system trace. ``crosscheck.adapter.ModelImplementation`` runs both.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from crosscheck import system_schema, system_wire
from crosscheck.adapter import AdapterError, Implementation, UnsupportedCase
from crosscheck.changes import FieldDiff
from crosscheck.system_replay import SystemReplayer
from crosscheck.system_trace import SystemHeader
from crosscheck.trace import Record, StepRecord, TraceWriter
from crosscheck.wire import JsonObject
from model.system import System, SystemAccepted, system_step


class SystemModel:
    """The model's ``system_step`` behind the adapter interface."""

    systems = True

    def __init__(self) -> None:
        self._system: System | None = None

    def reset(self, config: JsonObject, state: JsonObject) -> None:
        self._system = system_wire.decode_system(config, state)

    def apply(self, action: JsonObject) -> JsonObject:
        assert self._system is not None, "reset() first"
        decoded = system_wire.decode_action_strict(action)
        assert decoded is not None, f"not a system action: {action}"
        outcome = system_step(self._system, decoded)
        self._system = outcome.system
        if isinstance(outcome, SystemAccepted):
            return {"accepted": {"events": system_wire.encode_events(outcome.events)}}
        refusal = outcome.refusal
        return {"refused": {"error": refusal.code.value, "detail": refusal.detail}}

    def observe(self) -> JsonObject:
        assert self._system is not None, "reset() first"
        return system_wire.encode_state(self._system)


def require_systems(implementation: Implementation) -> None:
    """Raise :class:`UnsupportedCase` unless the implementation runs systems."""
    if not getattr(implementation, "systems", False):
        raise UnsupportedCase(
            "a system trace (format 3): the implementation runs one market "
            "(it has no `systems = True` attribute)"
        )


def checked_result(result: object) -> JsonObject:
    """An ``apply`` result on a system, validated against the version 3 wire form."""
    if isinstance(result, dict) and len(result) == 1 and "accepted" in result:
        body = result["accepted"]
        if isinstance(body, dict) and set(body) == {"events"}:
            problem = system_schema.check(body["events"], "system_events")
            if problem is None:
                return result
            raise AdapterError(f"apply() returned malformed events: {problem}")
    elif isinstance(result, dict) and len(result) == 1 and "refused" in result:
        problem = system_schema.check(result["refused"], "refusal")
        if problem is None:
            return result
        raise AdapterError(f"apply() returned a malformed refusal: {problem}")
    raise AdapterError(
        'apply() must return {"accepted": {"events": [...]}} or {"refused": {"error": ...}}, '
        f"not {result!r:.200}"
    )


def checked_state(state: object) -> JsonObject:
    """An ``observe`` result on a system, validated against the version 3 wire form."""
    problem = system_schema.check(state, "system_state")
    if problem is not None:
        raise AdapterError(f"observe() returned a malformed system state: {problem}")
    assert isinstance(state, dict)
    return state


def implementation_step(
    implementation: Implementation, action: JsonObject, pre: JsonObject
) -> tuple[JsonObject, JsonObject]:
    """Apply ``action``; the step's trace result (with its changes) and the new snapshot."""
    result = checked_result(implementation.apply(action))
    post = checked_state(implementation.observe())
    if "accepted" in result:
        events = result["accepted"]["events"]
        changes = system_wire.merge_diff(pre, post)
        result = {"accepted": {"events": events, "changes": changes}}
    return result, post


def check_sequence(
    header: SystemHeader, records: Iterable[Record], implementation: Implementation
) -> tuple[FieldDiff, ...]:
    """A system vector against the implementation: every step as a replay compares it."""
    require_systems(implementation)
    implementation.reset(header.raw["config"], header.raw["state"])
    snapshot = checked_state(implementation.observe())
    replayer = SystemReplayer(header, check_every=0)
    for record in records:
        if not isinstance(record, StepRecord):
            continue
        action = record.raw["action"]
        result, snapshot = implementation_step(implementation, action, snapshot)
        raw = {"step": record.number, "action": action, **result}
        mine = StepRecord(
            line=record.line, number=record.number, action=record.action, raw=raw, validated=True
        )
        divergence = replayer.step(mine)
        if divergence is not None:
            return tuple(
                FieldDiff(f"step {divergence.step}: {d.path}", d.expected, d.recorded)
                for d in divergence.diffs
            )
    return ()


def record_implementation(
    path: str | Path,
    implementation: Implementation,
    header: JsonObject,
    actions: Iterable[JsonObject],
    producer: str,
) -> None:
    """Write ``implementation``'s system trace of ``actions`` from ``header``'s start."""
    require_systems(implementation)
    implementation.reset(header["config"], header["state"])
    snapshot = checked_state(implementation.observe())
    with TraceWriter(path) as out:
        out.record(
            {
                "zle_trace": system_wire.FORMAT_VERSION,
                "config": header["config"],
                "state": snapshot,
                "producer": producer,
            }
        )
        for action in actions:
            result, snapshot = implementation_step(implementation, action, snapshot)
            out.step(action, result)

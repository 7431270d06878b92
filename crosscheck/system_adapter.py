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

from crosscheck import record, system_schema, system_wire
from crosscheck.adapter import Implementation, UnsupportedCase, WireForm
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


SYSTEM = WireForm(
    system_schema.PUBLISHED, "system_events", "system_state", "system state", system_wire.merge_diff
)
"""Version 3: a system of markets."""


def record_implementation(
    path: str | Path,
    implementation: Implementation,
    header: JsonObject,
    actions: Iterable[JsonObject],
    producer: str,
) -> None:
    """Write ``implementation``'s system trace of ``actions`` from ``header``'s start."""
    require_systems(implementation)
    record.record_implementation(
        path,
        implementation,
        header["config"],
        header["state"],
        actions,
        producer,
        SYSTEM,
        system_wire.FORMAT_VERSION,
    )

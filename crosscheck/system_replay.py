"""Replaying a system trace (version 3) through ``model.system.system_step``.

Requirement: TRACE-SYSTEM-REPLAY.

The same comparison as a version 2 replay (``crosscheck.replay``), step by step and in
the same order: accepted or refused; the error name; the events, field by field; the
changed fields. A step's changes are compared as a merge patch of the whole observable
system state: the recorded patch, applied to the state before the step, must give the
model's state after it (so a write of an unchanged value is not a divergence, as in
version 2). Along the way it checks the system's invariants (``model.system.invariants``,
every market's engine invariants among them): the system step properties at every
step, the system invariants every ``check_every`` steps and at the end.

Invariants found broken are traced back to the first step that broke them.
A system trace is replayed on one core and re-encodes the whole system at every step:
it is for vectors and test runs of many markets, not for million-step traces.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from crosscheck import system_schema, system_wire
from crosscheck.changes import ABSENT, FieldDiff, compare_events
from crosscheck.replay import (
    Divergence,
    InvariantChecks,
    ModelFailure,
    ReplayReport,
    _describe,
)
from crosscheck.system_trace import SystemHeader
from crosscheck.trace import Checkpoint, MalformedTrace, StepRecord
from crosscheck.wire import Json, JsonObject
from model.system.invariants import violated_system_invariants, violated_system_step_properties
from model.system.outcome import SystemAccepted, SystemOutcome
from model.system.state import System
from model.system.step import system_step


def outcome_json(outcome: SystemOutcome, pre: JsonObject) -> JsonObject:
    """The model's result of a step, as a system trace records it; ``pre`` is the
    observable state before it."""
    if isinstance(outcome, SystemAccepted):
        post = system_wire.encode_state(outcome.system)
        return {
            "accepted": {
                "events": system_wire.encode_events(outcome.events),
                "changes": system_wire.merge_diff(pre, post),
            }
        }
    refusal = outcome.refusal
    return {"refused": {"error": refusal.code.value, "detail": refusal.detail}}


def _step(name: Any, key: str, under: str) -> str:
    if under in system_wire.MAPS:
        return f"{name}[{key}]" if key.isdigit() else f'{name}["{key}"]'
    return f"{name}.{key}" if name else key


def compare_states(
    expected: Json, recorded: Json, path: str = "", under: str = ""
) -> Iterator[FieldDiff]:
    """Two observable system states, field by field, down to the leaves:
    ``markets["ETH"].pool.cash``, ``messages[0].amount``, ``shut_down``."""
    if not (isinstance(expected, dict) and isinstance(recorded, dict)):
        if expected != recorded:
            yield FieldDiff(path or "(the state)", expected, recorded)
        return
    for key in [*expected, *(k for k in recorded if k not in expected)]:
        left, right = expected.get(key, ABSENT), recorded.get(key, ABSENT)
        if left == right:
            continue
        where = _step(path, key, under)
        if isinstance(left, dict) and isinstance(right, dict):
            yield from compare_states(left, right, where, key)
        else:
            yield FieldDiff(where, left, right)


def compare_step(pre: JsonObject, outcome: SystemOutcome, recorded: JsonObject) -> list[FieldDiff]:
    """Every difference between the model's result of a step and ``recorded``."""
    model = outcome_json(outcome, pre)
    if "accepted" in model:
        if "accepted" not in recorded:
            return [FieldDiff("outcome", "accepted", _describe(recorded))]
        body = model["accepted"]
        got = recorded["accepted"]
        diffs = (
            [] if body["events"] == got["events"] else compare_events(body["events"], got["events"])
        )
        if body["changes"] != got["changes"]:
            post = system_wire.merge_apply(pre, body["changes"])
            diffs += compare_states(post, system_wire.merge_apply(pre, got["changes"]))
        return diffs
    code = model["refused"]["error"]
    if "refused" not in recorded:
        return [FieldDiff("outcome", f"refused: {code}", "accepted")]
    if recorded["refused"]["error"] != code:
        return [FieldDiff("error", code, recorded["refused"]["error"])]
    return []


def _next_system(system: System, action: object) -> System:
    return system_step(system, action).system


class SystemReplayer:
    """Replays a system trace's records against ``system_step``, one at a time."""

    def __init__(self, header: SystemHeader, check_every: int) -> None:
        self.system: System = header.system
        self.snapshot = system_wire.encode_state(self.system)
        self.steps = 0
        self.checkpoints = 0
        self.check_every = check_every
        self.checks = InvariantChecks(
            self.system, 0, check_every, _next_system, violated_system_invariants
        )

    def checkpoint(self, record: Checkpoint) -> Divergence | None:
        self.checkpoints += 1
        diffs = tuple(compare_states(self.snapshot, record.state))
        return Divergence(record.after, record.line, None, diffs) if diffs else None

    def step(self, record: StepRecord) -> Divergence | None:
        pre = self.system
        try:
            outcome = system_step(pre, record.action)
        except Exception as error:  # the model's faults are refusals; this is not one
            raise ModelFailure(
                f"the model failed on step {record.number} ({type(error).__name__}: {error}); "
                "is the trace's initial state one the system can reach?"
            ) from error
        self.steps += 1
        if self.check_every > 0:
            broken = violated_system_step_properties(pre, record.action, outcome)
            self.checks.stepped(self.steps, record.action, broken)
        try:
            diffs = compare_step(self.snapshot, outcome, record.raw)
        except (KeyError, TypeError, AttributeError, ValueError, StopIteration):
            why = system_schema.check(record.raw, "system_step") or "does not match the schema"
            raise MalformedTrace(f"step {why}", record.line) from None
        problem = system_schema.check(record.raw, "system_step")
        if problem is not None:
            raise MalformedTrace(f"step {problem}", record.line)
        self.system = outcome.system
        if isinstance(outcome, SystemAccepted):
            self.snapshot = system_wire.encode_state(outcome.system)
        if self.check_every > 0 and self.steps % self.check_every == 0:
            self.checks.check(self.system, self.steps)
        if diffs:
            return Divergence(record.number, record.line, record.raw["action"], tuple(diffs))
        return None

    def finish(self, divergence: Divergence | None) -> ReplayReport:
        return self.checks.report(self.system, self.steps, self.checkpoints, divergence)

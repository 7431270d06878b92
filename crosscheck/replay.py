"""Replay: run a trace's actions through the model and find the first divergence.

Requirement: TRACE-REPLAY.

The model starts from the header's state and takes each recorded action. At every step
the implementation's recorded result is compared with the model's: accepted or
refused; the error name; the events, field by field; the changed state fields, field
by field (``crosscheck.changes``). A checkpoint compares the whole state. The first
step that differs is the divergence; replay stops there.

Along the way replay checks the model's invariants (``model.invariants``, the one
definition): the step properties at every step, the state invariants every
``check_every`` steps and at the end. A state invariant found broken is traced back to
the first step that broke it by re-running the steps since the last check.
``check_every=0`` checks nothing (pure conformance, fastest).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, Generic, TypeVar

import attrs

from crosscheck import schema, wire
from crosscheck.changes import (
    ABSENT,
    FieldDiff,
    compare_changes,
    compare_events,
    compare_snapshots,
    state_changes,
)
from crosscheck.trace import Checkpoint, Header, MalformedTrace, Record, StepRecord
from crosscheck.wire import JsonObject
from model.engine import step as model_step
from model.invariants import violated_invariants, violated_step_properties
from model.outcome import Accepted, Outcome
from model.state import State

if TYPE_CHECKING:
    from crosscheck.system_replay import SystemReplayer
    from crosscheck.system_trace import SystemHeader

DEFAULT_CHECK_EVERY = 1000


@attrs.frozen
class Divergence:
    """The first step at which the implementation and the model disagree."""

    step: int
    """1 for the first action; for a checkpoint, the number of steps before it."""
    line: int
    action: JsonObject | None
    """The action (wire form); None for a checkpoint."""
    diffs: tuple[FieldDiff, ...]

    def to_json(self) -> JsonObject:
        return {
            "step": self.step,
            "line": self.line,
            "action": self.action,
            "diffs": [d.to_json() for d in self.diffs],
        }


@attrs.frozen
class Violation:
    """An invariant or step property the model broke; ``step`` 0 is the initial state."""

    step: int
    requirement: str

    def to_json(self) -> JsonObject:
        return {"step": self.step, "requirement": self.requirement}


@attrs.frozen
class ReplayReport:
    steps: int
    """Steps replayed (up to and including a divergent one)."""
    checkpoints: int
    divergence: Divergence | None
    violations: tuple[Violation, ...]
    check_every: int

    @property
    def conforms(self) -> bool:
        return self.divergence is None

    def to_json(self) -> JsonObject:
        return {
            "conforms": self.conforms,
            "steps": self.steps,
            "checkpoints": self.checkpoints,
            "divergence": None if self.divergence is None else self.divergence.to_json(),
            "violations": [v.to_json() for v in self.violations],
            "check_every": self.check_every,
        }


class ModelFailure(Exception):
    """The model raised on a step: the trace's state is one the model cannot be in."""


def outcome_json(outcome: Outcome, pre: State, action: object) -> JsonObject:
    """The model's result of a step, as a trace records it."""
    if isinstance(outcome, Accepted):
        return {
            "accepted": {
                "events": wire.encode_events(outcome.events),
                "changes": state_changes(pre, outcome.state, action, outcome.events),
            }
        }
    return {"refused": wire.encode_refusal(outcome.refusal)}


def _describe(result: JsonObject) -> str:
    if "accepted" in result:
        return "accepted"
    return f"refused: {result['refused']['error']}"


def compare_step(
    pre: State, outcome: Outcome, action: object, recorded: JsonObject
) -> list[FieldDiff]:
    """Every difference between the model's result of a step and ``recorded``."""
    if isinstance(outcome, Accepted):
        if "accepted" not in recorded:
            model = outcome_json(outcome, pre, action)
            return [
                FieldDiff("outcome", "accepted", _describe(recorded)),
                *compare_events(model["accepted"]["events"], []),
            ]
        events = wire.encode_events(outcome.events)
        body = recorded["accepted"]
        diffs = [] if events == body["events"] else compare_events(events, body["events"])
        changes = state_changes(pre, outcome.state, action, outcome.events)
        if changes != body["changes"]:
            diffs += compare_changes(pre, outcome.state, changes, body["changes"])
        return diffs
    code = outcome.refusal.code.value
    if "refused" not in recorded:
        return [FieldDiff("outcome", f"refused: {code}", "accepted")]
    if recorded["refused"]["error"] != code:
        return [FieldDiff("error", code, recorded["refused"]["error"])]
    return []


def _agreeing_body_valid(raw: JsonObject) -> bool:
    """What the schema asks of a step's result beyond what agreeing with the model shows:
    ``accepted`` holds exactly ``events`` and ``changes`` (both equal to the model's, so
    valid); ``refused`` holds ``error`` (equal to the model's code) and at most a string
    ``detail``."""
    if "accepted" in raw:
        body = raw["accepted"]
        return type(body) is dict and len(body) == 2
    refused = raw["refused"]
    if type(refused) is not dict:
        return False
    detail = refused.get("detail", "")
    return type(detail) is str and len(refused) == (2 if "detail" in refused else 1)


S = TypeVar("S")
"""A replayed state: a market's or a system's."""


class InvariantChecks(Generic[S]):
    """The invariant side of a replay, versions 2 and 3 alike: the step properties at every
    step, the state invariants every ``check_every`` steps and at the end (0: none), each
    broken requirement reported once, at the step that first broke it (a broken state
    invariant is traced back by replaying the steps since the last check)."""

    def __init__(
        self,
        start: S,
        steps: int,
        check_every: int,
        advance: Callable[[S, object], S],
        violated: Callable[[S], Iterable[str]],
    ) -> None:
        self.check_every = check_every
        self.violations: list[Violation] = []
        self._seen: set[str] = set()
        self._advance = advance
        self._violated = violated
        self._window_start = start
        self._window: list[object] = []
        if check_every > 0:
            self._report(steps, violated(start))

    def _report(self, step: int, requirements: Iterable[str]) -> None:
        for requirement in requirements:
            if requirement not in self._seen:
                self._seen.add(requirement)
                self.violations.append(Violation(step, requirement))

    def stepped(self, step: int, action: object, broken_properties: Iterable[str]) -> None:
        """Step ``step`` was ``action`` and broke ``broken_properties`` (call only when
        ``check_every > 0``)."""
        self._report(step, broken_properties)
        self._window.append(action)

    def check(self, now: S, steps: int) -> None:
        """The state invariants of ``now``, after step ``steps``."""
        left = set(self._violated(now)) - self._seen
        first = steps - len(self._window)
        state = self._window_start
        for offset, action in enumerate(self._window, start=1):
            if not left:
                break
            state = self._advance(state, action)
            found = left.intersection(self._violated(state))
            for requirement in sorted(found):
                self._report(first + offset, [requirement])
            left -= found
        self._window_start = now
        self._window = []

    def report(
        self, now: S, steps: int, checkpoints: int, divergence: Divergence | None
    ) -> ReplayReport:
        """The replay's report, after a last check of the steps since the previous one."""
        if self.check_every > 0 and self._window:
            self.check(now, steps)
        return ReplayReport(
            steps=steps,
            checkpoints=checkpoints,
            divergence=divergence,
            violations=tuple(self.violations),
            check_every=self.check_every,
        )


def _next_state(state: State, action: object) -> State:
    return model_step(state, action).state


class Replayer:
    """Replays records against the model, one at a time."""

    def __init__(
        self,
        header: Header,
        check_every: int = DEFAULT_CHECK_EVERY,
        start: tuple[State, int] | None = None,
    ) -> None:
        """``start``: begin from this state after this many steps (a checkpoint's) instead
        of the header's state (a segment of a parallel replay)."""
        self.state, self.steps = start if start is not None else (header.state, 0)
        self.checkpoints = 0
        self.check_every = check_every
        self.checks = InvariantChecks(
            self.state, self.steps, check_every, _next_state, violated_invariants
        )

    def checkpoint(self, record: Checkpoint) -> Divergence | None:
        self.checkpoints += 1
        diffs = compare_snapshots(wire.encode_state(self.state), record.state)
        if diffs:
            return Divergence(record.after, record.line, None, tuple(diffs))
        return None

    def step(self, record: StepRecord) -> Divergence | None:
        pre = self.state
        action = record.action
        try:
            outcome = model_step(pre, action)
        except Exception as error:  # the model's own faults are refusals; this is not one
            raise ModelFailure(
                f"the model failed on step {record.number} ({type(error).__name__}: {error}); "
                "is the trace's initial state one the engine can reach?"
            ) from error
        self.steps += 1
        if self.check_every > 0:
            self.checks.stepped(self.steps, action, violated_step_properties(pre, action, outcome))
        try:
            diffs = compare_step(pre, outcome, action, record.raw)
        except (KeyError, TypeError, AttributeError, ValueError, StopIteration):
            if record.validated:
                raise
            why = schema.check(record.raw, "step") or "does not match the schema"
            raise MalformedTrace(f"step {why}", record.line) from None
        self.state = outcome.state
        if not diffs and not record.validated and not _agreeing_body_valid(record.raw):
            why = schema.check(record.raw, "step") or "does not match the schema"
            raise MalformedTrace(f"step {why}", record.line)
        if self.check_every > 0 and self.steps % self.check_every == 0:
            self.checks.check(self.state, self.steps)
        if diffs:
            if not record.validated:
                problem = schema.check(record.raw, "step")
                if problem is not None:
                    raise MalformedTrace(f"step {problem}", record.line)
            return Divergence(record.number, record.line, record.raw["action"], tuple(diffs))
        return None

    def finish(self, divergence: Divergence | None) -> ReplayReport:
        return self.checks.report(self.state, self.steps, self.checkpoints, divergence)


def replay(
    header: Header | SystemHeader,
    records: Iterable[Record],
    check_every: int = DEFAULT_CHECK_EVERY,
    progress: Callable[[int], Any] | None = None,
) -> ReplayReport:
    """Replay ``records`` from ``header``'s state; stops at the first divergence. A
    system header (version 3) is replayed by ``crosscheck.system_replay``.

    ``progress`` is called with the number of steps done, every 4,096 steps.
    Raises :class:`MalformedTrace` and :class:`ModelFailure`.
    """
    if not isinstance(header, Header):
        from crosscheck.system_replay import SystemReplayer

        return run(SystemReplayer(header, check_every), records, progress)
    return run(Replayer(header, check_every), records, progress)


def run(
    replayer: Replayer | SystemReplayer,
    records: Iterable[Record],
    progress: Callable[[int], Any] | None = None,
) -> ReplayReport:
    """Feed ``records`` to ``replayer`` until the first divergence; its report."""
    divergence: Divergence | None = None
    for record in records:
        if isinstance(record, Checkpoint):
            divergence = replayer.checkpoint(record)
        else:
            divergence = replayer.step(record)
        if divergence is not None:
            break
        if progress is not None and replayer.steps & 4095 == 0:
            progress(replayer.steps)
    return replayer.finish(divergence)


def render_value(value: Any) -> str:
    """A diff's value for people: strings bare, objects as compact JSON, absence named."""
    if value is ABSENT:
        return "(absent)"
    if isinstance(value, str):
        return value
    import json

    return json.dumps(value, separators=(", ", ": "))

"""Recording traces: the model's own (the reference a trace is compared with), or an
implementation's, through the adapter interface."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from crosscheck import schema, system_wire, wire
from crosscheck.adapter import (
    ONE_MARKET,
    Implementation,
    WireForm,
    checked_state,
    implementation_step,
)
from crosscheck.replay import outcome_json
from crosscheck.system_replay import outcome_json as system_outcome_json
from crosscheck.system_trace import header_record
from crosscheck.trace import TraceWriter
from crosscheck.wire import JsonObject
from model.engine import step as model_step
from model.params.records import Config
from model.state import State
from model.system import System, SystemAccepted, system_step


def record_model(
    path: str | Path,
    config: Config,
    state: State,
    actions: Iterable[object],
    producer: str = "zle reference model",
    checkpoint_every: int = 0,
) -> State:
    """Write the model's trace of ``actions`` from ``state``; return the final state."""
    with TraceWriter(path) as out:
        out.header(config, state, producer=producer)
        for action in actions:
            outcome = model_step(state, action)
            out.step(wire.encode_action(action), outcome_json(outcome, state, action))  # type: ignore[arg-type]
            state = outcome.state
            if checkpoint_every and out.steps % checkpoint_every == 0:
                out.checkpoint(wire.encode_state(state))
    return state


def record_implementation(
    path: str | Path,
    implementation: Implementation,
    config: JsonObject,
    state: JsonObject,
    actions: Iterable[JsonObject],
    producer: str,
    form: WireForm = ONE_MARKET,
    version: int = schema.FORMAT_VERSION,
) -> None:
    """Write ``implementation``'s trace of ``actions`` from ``state`` under ``config``, in
    wire form ``form`` (format ``version``)."""
    implementation.reset(config, state)
    snapshot = checked_state(implementation.observe(), form)
    with TraceWriter(path) as out:
        out.record(
            {"zle_trace": version, "config": config, "state": snapshot, "producer": producer}
        )
        for action in actions:
            result, snapshot = implementation_step(implementation, action, snapshot, form)
            out.step(action, result)


def record_system_model(
    path: str | Path,
    system: System,
    actions: Iterable[object],
    producer: str = "zle reference model",
    description: str = "",
    checkpoint_every: int = 0,
) -> System:
    """Write the model's system trace (version 3) of ``actions`` from ``system``; return
    the final system. ``checkpoint_every``: a checkpoint after every that many steps."""
    snapshot = system_wire.encode_state(system)
    with TraceWriter(path) as out:
        out.record(header_record(system, producer, description))
        for action in actions:
            outcome = system_step(system, action)
            out.step(system_wire.encode_action(action), system_outcome_json(outcome, snapshot))
            if isinstance(outcome, SystemAccepted):
                system = outcome.system
                snapshot = system_wire.encode_state(system)
            if checkpoint_every and out.steps % checkpoint_every == 0:
                out.checkpoint(snapshot)
    return system

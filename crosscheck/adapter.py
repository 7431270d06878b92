"""The adapter interface: how ``zle vectors check`` and ``zle fuzz`` drive an implementation.

An implementation under test (Solidity through a test node, Rust through bindings,
another Python engine) is wrapped in a small object with three methods that speak the
trace format's wire form (``crosscheck.wire``, ``spec/trace-format.md``):

- ``reset(config, state)``: put the implementation in exactly this state, under
  this configuration;
- ``apply(action)``: apply one action; return ``{"accepted": {"events": [...]}}`` or
  ``{"refused": {"error": "CODE"}}``;
- ``observe()``: the whole observable state now.

Optionally, ``curve(function, inputs)`` evaluates one MakerDAO abacus function (see
:class:`CurveImplementation`); without it the curve vectors are skipped.

The command line loads it as ``MODULE:FACTORY``: a callable with no arguments that
returns such an object, or as ``evm:MAPPING``: a contract on an in-process EVM, as a
mapping file describes it (``crosscheck.evm``). :class:`ModelImplementation` is the
reference adapter around the model itself, and the template to copy.

An implementation of only some policies (a contract of gen 2) may say so: its ``reset``
raises :class:`UnsupportedCase` for a configuration of another, and the vectors count
that case as skipped; an optional ``policies`` attribute lets ``zle fuzz`` fuzz only those.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Protocol, runtime_checkable

import attrs

from crosscheck import schema, wire
from crosscheck.changes import snapshot_changes
from crosscheck.wire import JsonObject
from model.engine import step as model_step
from model.outcome import Accepted, Outcome
from model.params.records import Config
from model.state import State


@runtime_checkable
class Implementation(Protocol):
    """An implementation under test, seen through the trace format."""

    def reset(self, config: JsonObject, state: JsonObject) -> None:
        """Start over from ``state`` (wire form) under ``config`` (wire form)."""

    def apply(self, action: JsonObject) -> JsonObject:
        """Apply ``action``; ``{"accepted": {"events": [...]}}`` or ``{"refused": {...}}``."""

    def observe(self) -> JsonObject:
        """The whole observable state (wire form), as after the last ``apply``."""


@runtime_checkable
class CurveImplementation(Protocol):
    """An implementation of the dss abaci, for the curve vectors."""

    def curve(self, function: str, inputs: dict[str, str]) -> JsonObject:
        """``{"output": "<uint256>"}`` or ``{"error": "OVERFLOW" | "DIVISION_BY_ZERO"}``.

        ``function`` is ``linear_decrease``, ``stairstep_exponential_decrease``,
        ``exponential_decrease`` or ``rpow``; ``inputs`` maps argument names
        (``top``, ``dur``, ``tau``, ``step``, ``cut``, ``x``, ``n``, ``base``) to decimals.
        """


Step = Callable[[State, object], Outcome]


class ModelImplementation:
    """The model behind the adapter interface. ``step`` may be replaced (tests do).

    It runs systems of markets too (``systems = True``): a configuration with a
    ``topology`` is a system's (version 3), run by ``crosscheck.system_adapter``."""

    systems = True

    def __init__(self, step: Step = model_step) -> None:
        self._step = step
        self._config: Config | None = None
        self._state: State | None = None
        self._system: Implementation | None = None

    def reset(self, config: JsonObject, state: JsonObject) -> None:
        self._system = None
        if "topology" in config:
            from crosscheck.system_adapter import SystemModel

            self._system = SystemModel()
            self._system.reset(config, state)
            return
        self._config = wire.decode_config(config)
        self._state = wire.decode_state(state, self._config)

    def apply(self, action: JsonObject) -> JsonObject:
        if self._system is not None:
            return self._system.apply(action)
        assert self._state is not None, "reset() first"
        outcome = self._step(self._state, wire.decode_action(action))
        self._state = outcome.state
        if isinstance(outcome, Accepted):
            return {"accepted": {"events": wire.encode_events(outcome.events)}}
        return {"refused": wire.encode_refusal(outcome.refusal)}

    def observe(self) -> JsonObject:
        if self._system is not None:
            return self._system.observe()
        assert self._state is not None, "reset() first"
        return wire.encode_state(self._state)

    def curve(self, function: str, inputs: dict[str, str]) -> JsonObject:
        from crosscheck.vectors.curves import CurveCase

        case = CurveCase(function, "", {k: int(v) for k, v in inputs.items()}).to_json()
        return {k: v for k, v in case.items() if k in ("output", "error")}


def model() -> ModelImplementation:
    """Factory for ``--impl crosscheck.adapter:model`` (the model checked against itself)."""
    return ModelImplementation()


class AdapterError(Exception):
    """The implementation could not be loaded, or answered outside the wire format.

    ``problems``: one line each (``FILE:LINE: field: what is wrong``), when the message
    sums up several, e.g. every problem of an EVM mapping file."""

    def __init__(self, message: str, problems: Sequence[object] = ()) -> None:
        super().__init__(message)
        self.problems = tuple(str(p) for p in problems)


class UnsupportedCase(Exception):
    """Raised by ``reset`` (or ``curve``): the implementation does not implement this
    configuration (or function); the case is skipped, not failed."""


def _why(error: BaseException) -> str:
    if isinstance(error, SystemExit):
        return f"it called sys.exit({error.code!r})"
    return f"{type(error).__name__}: {error}"


def load_implementation(spec: str) -> Implementation:
    """``MODULE:FACTORY`` -> the implementation the factory returns; ``evm:MAPPING`` ->
    the contract that mapping file describes, on an in-process EVM.

    The current directory is importable, as with ``python -m``.
    """
    module_name, _, factory_name = spec.partition(":")
    if module_name == "evm" and factory_name:
        from crosscheck.evm import load

        loaded = load(factory_name)
        assert isinstance(loaded, Implementation)
        return loaded
    if not module_name or not factory_name:
        raise AdapterError(f"--impl {spec!r}: expected MODULE:FACTORY, e.g. my_engine:make")
    if str(Path.cwd()) not in sys.path:
        sys.path.insert(0, str(Path.cwd()))
    try:
        module = importlib.import_module(module_name)
    except (Exception, SystemExit) as error:  # an import that calls sys.exit() too
        searched = ", ".join(p or "." for p in sys.path[:4])
        raise AdapterError(
            f"--impl {spec!r}: cannot import {module_name}: {_why(error)}. MODULE is a Python "
            "module path (dots, not slashes, no .py), looked up as `import MODULE` does: "
            f"in the current directory {Path.cwd()} first, then on sys.path ({searched}, "
            "...); run from the directory that holds it, or add its parent to PYTHONPATH"
        ) from error
    factory = getattr(module, factory_name, None)
    if not callable(factory):
        raise AdapterError(f"--impl {spec!r}: {module_name} has no callable {factory_name}")
    try:
        implementation = factory()
    except (Exception, SystemExit) as error:
        raise AdapterError(f"--impl {spec!r}: the factory failed: {_why(error)}") from error
    if not isinstance(implementation, Implementation):
        raise AdapterError(
            f"--impl {spec!r}: the factory's result has no reset/apply/observe methods"
        )
    return implementation


@attrs.frozen
class WireForm:
    """The wire form an implementation answers in: version 2 (one market) or version 3 (a
    system of markets, ``crosscheck.system_adapter.SYSTEM``). Its answers are checked
    against ``published``; an accepted step's changes are ``changes(pre, post)`` of two
    observed snapshots."""

    published: schema.PublishedSchema
    events: str
    """The definition an accepted step's events must match."""
    state: str
    """The definition of the observable state."""
    state_name: str
    """What an error calls the observed state."""
    changes: Callable[[JsonObject, JsonObject], JsonObject]


ONE_MARKET = WireForm(schema.PUBLISHED, "events", "state", "state", snapshot_changes)
"""Version 2: one market."""


def checked_result(result: object, form: WireForm = ONE_MARKET) -> JsonObject:
    """An ``apply`` result, validated against the wire format."""
    if isinstance(result, dict) and "accepted" in result and len(result) == 1:
        body = result["accepted"]
        if isinstance(body, dict) and set(body) == {"events"}:
            problem = form.published.check(body["events"], form.events)
            if problem is None:
                return result
            raise AdapterError(f"apply() returned malformed events: {problem}")
    elif isinstance(result, dict) and "refused" in result and len(result) == 1:
        problem = form.published.check(result["refused"], "refusal")
        if problem is None:
            return result
        raise AdapterError(f"apply() returned a malformed refusal: {problem}")
    raise AdapterError(
        'apply() must return {"accepted": {"events": [...]}} or {"refused": {"error": ...}}, '
        f"not {result!r:.200}"
    )


def checked_state(state: object, form: WireForm = ONE_MARKET) -> JsonObject:
    """An ``observe`` result, validated against the wire format."""
    problem = form.published.check(state, form.state)
    if problem is not None:
        raise AdapterError(f"observe() returned a malformed {form.state_name}: {problem}")
    assert isinstance(state, dict)
    return state


def implementation_step(
    implementation: Implementation, action: JsonObject, pre: JsonObject, form: WireForm = ONE_MARKET
) -> tuple[JsonObject, JsonObject]:
    """Apply ``action``; the step's trace result (with its changes) and the new snapshot."""
    result = checked_result(implementation.apply(action), form)
    post = checked_state(implementation.observe(), form)
    if "accepted" in result:
        events = result["accepted"]["events"]
        result = {"accepted": {"events": events, "changes": form.changes(pre, post)}}
    return result, post

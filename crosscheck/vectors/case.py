"""A conformance vector: one pre-state, one action, and the model's outcome.

Vectors come from *sources*. A source is anything with a ``name`` and a ``cases()``
method: the hand-built catalogue (``constructed``), a seeded exploration of the model
that keeps the first case of every outcome it meets (``explored``), the spec's worked
examples (``examples``). A path-enumerating symbolic explorer plugs in the same way:
for each feasible path of an action, ask the solver for a model of the path condition,
turn it into a concrete pre-state and action, and yield a :class:`VectorCase` with
``source="symbolic"``; one vector per path.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, Protocol

import attrs

from crosscheck import wire
from model.engine import step as model_step
from model.outcome import Accepted, Outcome
from model.params.records import Config
from model.state import State

if TYPE_CHECKING:
    from crosscheck.vectors.systems import SystemSequenceCase


def handler_name(action: object) -> str:
    """``SupplyLiquidity`` -> ``supply_liquidity``: the vector directory of an action kind."""
    return re.sub(r"(?<!^)(?=[A-Z])", "_", type(action).__name__).lower()


def outcome_label(outcome: Outcome) -> str:
    """``accepted`` or ``refused: CODE``."""
    if isinstance(outcome, Accepted):
        return "accepted"
    return f"refused: {outcome.refusal.code.value}"


def outcome_signature(outcome: Outcome) -> str:
    """What distinguishes one branch of an action from another, as far as an observer can
    tell: the refusal code, or the kinds of the events (shortfalls with their rung)."""
    if not isinstance(outcome, Accepted):
        return outcome.refusal.code.value.lower()
    parts = []
    for event in outcome.events:
        name = handler_name(event)
        source = getattr(event, "source", None)
        parts.append(f"{name}_{source.value.lower()}" if source is not None else name)
    return "accepted_" + ("_".join(parts) if parts else "silently")


@attrs.frozen
class VectorCase:
    """One operation vector. The outcome is the model's, computed when it is written."""

    policy: str
    name: str
    config: Config = attrs.field(repr=False)
    pre: State = attrs.field(repr=False)
    action: object
    description: str
    source: str

    @property
    def handler(self) -> str:
        return handler_name(self.action)

    def outcome(self) -> Outcome:
        return model_step(self.pre, self.action)


@attrs.frozen
class SequenceCase:
    """A multi-step vector (a worked example): written as a trace."""

    policy: str
    name: str
    config: Config = attrs.field(repr=False)
    pre: State = attrs.field(repr=False)
    actions: tuple[object, ...] = attrs.field(repr=False)
    description: str
    source: str


class VectorSource(Protocol):
    """Anything that yields vectors."""

    @property
    def name(self) -> str: ...

    def cases(self) -> Iterable[VectorCase | SequenceCase | SystemSequenceCase]: ...


@attrs.frozen
class ListSource:
    """A source over cases already built."""

    name: str
    items: tuple[VectorCase | SequenceCase | SystemSequenceCase, ...] = attrs.field(repr=False)

    def cases(self) -> tuple[VectorCase | SequenceCase | SystemSequenceCase, ...]:
        return self.items


def policy_of(config: Config) -> str:
    return wire.policy_name(config.policy)

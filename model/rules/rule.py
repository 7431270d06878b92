"""A guarded command: a guard that may refuse, and an effect that runs only if it does not."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Generic, TypeVar

import attrs

from model.errors import Refusal
from model.events import Event
from model.state import State

A = TypeVar("A")

Transition = tuple[State, tuple[Event, ...]]


@attrs.frozen
class Rule(Generic[A]):
    """``guard(state, action)`` says whether ``action`` may happen (``None``) or why not.

    ``effect(state, action)`` is called only after the guard passed, and returns the new
    state and the events. An effect may still raise ``EngineFault`` for arithmetic that
    leaves uint256; ``step`` turns that into a refusal.
    """

    guard: Callable[[State, A], Refusal | None]
    effect: Callable[[State, A], Transition]


AnyRule = Rule[Any]

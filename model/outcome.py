"""The result of a step: the new state with its events, or a refusal and the old state."""

from __future__ import annotations

import attrs

from model.errors import Refusal
from model.events import Event
from model.state import State


@attrs.frozen
class Accepted:
    state: State = attrs.field(repr=False)
    events: tuple[Event, ...]

    @property
    def accepted(self) -> bool:
        return True


@attrs.frozen
class Refused:
    """``state`` is the very object passed to ``step``: a refusal changes nothing."""

    state: State = attrs.field(repr=False)
    refusal: Refusal

    @property
    def accepted(self) -> bool:
        return False


Outcome = Accepted | Refused

"""The result of a system step: the new system with its events, or a refusal and the old one."""

from __future__ import annotations

import attrs

from model.errors import Refusal
from model.system.events import SystemEvent
from model.system.state import System


@attrs.frozen
class SystemAccepted:
    system: System = attrs.field(repr=False)
    events: tuple[SystemEvent, ...]

    @property
    def accepted(self) -> bool:
        return True


@attrs.frozen
class SystemRefused:
    """``system`` is the very object passed to ``system_step``: a refusal changes nothing."""

    system: System = attrs.field(repr=False)
    refusal: Refusal

    @property
    def accepted(self) -> bool:
        return False


SystemOutcome = SystemAccepted | SystemRefused

SystemTransition = tuple[System, tuple[SystemEvent, ...]]
"""What an accepted system rule produces."""

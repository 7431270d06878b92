"""The zero-loss liquidation engine: a pure, typed state machine.

``step(state, action) -> outcome`` is the whole interface; ``genesis(config, spot)``
builds an empty state. Everything here is pure: no I/O, no clock, no randomness, no
global state. ``spec/`` is the normative description; this package executes it.
"""

from model.engine import step
from model.outcome import Accepted, Outcome, Refused
from model.state import State, genesis

__all__ = ["Accepted", "Outcome", "Refused", "State", "genesis", "step"]

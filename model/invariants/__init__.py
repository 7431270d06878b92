"""Invariants and step properties: the one executable definition of each requirement."""

from model.invariants.state_invariants import STATE_INVARIANTS, violated_invariants
from model.invariants.step_properties import STEP_PROPERTIES, violated_step_properties

__all__ = [
    "STATE_INVARIANTS",
    "STEP_PROPERTIES",
    "violated_invariants",
    "violated_step_properties",
]

"""The risk steward's record: the parameters it set, and the phase-in of a higher ``L``
(``spec/steward.md``)."""

from __future__ import annotations

import attrs

from model.numbers.fixed_point import Ray, Seconds


@attrs.frozen
class Steward:
    """Gen 3 parameters the steward role sets within its bounds, in force instead of the
    configuration's (STEWARD-SAFE, STEWARD-PHASE-IN).

    A rise of ``liquidation_ratio`` phases in: the ratio in force moves linearly from
    ``phase_from`` at ``phase_start`` to ``liquidation_ratio`` at ``phase_end`` (rounded
    down), so that an update alone makes no position liquidatable. Outside a phase-in
    ``phase_from = liquidation_ratio`` and ``phase_start = phase_end``.
    """

    liquidation_ratio: Ray
    """``L`` once phased in."""
    target_ratio: Ray
    warning_margin: Ray
    phase_from: Ray
    """``L`` in force when the current phase-in began."""
    phase_start: Seconds
    phase_end: Seconds
    liquidation_ratio_locked_until: Seconds
    """The steward may change ``liquidation_ratio`` again from this time on."""
    target_ratio_locked_until: Seconds
    warning_margin_locked_until: Seconds

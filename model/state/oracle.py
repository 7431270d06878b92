"""The oracle as the engine sees it: last spot, smoothed reference, volatility."""

from __future__ import annotations

import attrs

from model.numbers.fixed_point import Ray, Seconds


@attrs.frozen
class Oracle:
    """Prices in RAY (quote per unit of collateral)."""

    spot: Ray
    """The last reported market price. Gen 1 and gen 2 decide on it."""
    reference: Ray
    """The smoothed price: moves at most ``max_step`` per report. Gen 3 decides on it."""
    volatility: Ray
    """Realised volatility: average absolute relative move of spot from report to report."""
    last_update: Seconds
    """Time of the last report."""

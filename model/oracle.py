"""The smoothed reference price and the volatility estimate.

The reference follows spot but moves at most ``max_step`` (a fraction of itself) per
report, so one manipulated or spiking report cannot trigger or cheapen a liquidation
(ORACLE-BOUNDED-STEP). The step allowance rounds down, so the bound holds exactly.

Volatility is an exponentially weighted average of each report's relative move of spot
away from the previous reference, each move capped at 100 %, so it stays within
[0, RAY]. It widens gen 3's warning band; it never moves the liquidation threshold.
"""

from __future__ import annotations

from model.numbers.fixed_point import RAY, Ray, add, distance, mul_div_up, rdiv_up, rmul_down


def next_reference(reference: Ray, spot: Ray, max_step: Ray) -> Ray:
    """``spot`` clamped to ``[reference - allowance, reference + allowance]``.

    ``allowance = floor(reference * max_step)``.
    """
    allowance = rmul_down(reference, max_step, "reference step")
    low = reference - allowance
    high = add(reference, allowance, "reference")
    return min(max(spot, low), high)


def next_volatility(volatility: Ray, reference: Ray, spot: Ray, alpha: Ray) -> Ray:
    """``min(RAY, (1 - alpha) * volatility + alpha * min(1, |spot - reference| / reference))``.

    Each term rounds up (a wider warning band is the cautious side).
    """
    gap = distance(spot, reference)
    move = RAY if gap >= reference else rdiv_up(gap, reference, "volatility")
    kept = mul_div_up(volatility, RAY - alpha, RAY, "volatility")
    added = mul_div_up(move, alpha, RAY, "volatility")
    return min(kept + added, RAY)

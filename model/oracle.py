"""The smoothed reference price and the volatility estimate.

The reference follows spot but moves at most ``max_step`` (a fraction of itself) per
report, so one manipulated or spiking report cannot trigger or cheapen a liquidation
(ORACLE-BOUNDED-STEP). The step allowance rounds down, so the bound holds exactly.

Volatility is realised volatility: an exponentially weighted average of each report's
relative move of spot from the previous report's spot, each move capped at 100 %, so
it stays within [0, RAY]. It widens gen 3's warning band; it never moves the
liquidation threshold. (The gap between spot and the lagging reference is a different
quantity, watched by gen 3's deviation breaker.)
"""

from __future__ import annotations

from model.numbers.fixed_point import RAY, Ray, distance, mul_div_up, rdiv_up, rmul_down


def next_reference(reference: Ray, spot: Ray, max_step: Ray) -> Ray:
    """``spot`` clamped to ``[reference - allowance, reference + allowance]``.

    ``allowance = floor(reference * max_step)``.
    """
    allowance = rmul_down(reference, max_step, "reference step")
    low = reference - allowance
    # ``high`` is only a bound: it may exceed uint256 near the top of the range, while the
    # result, at most ``max(spot, low)``, never does.
    high = reference + allowance
    return min(max(spot, low), high)


def next_volatility(volatility: Ray, previous_spot: Ray, spot: Ray, alpha: Ray) -> Ray:
    """``min(RAY, (1 - alpha) * volatility + alpha * min(1, |spot - previous| / previous))``.

    Each term rounds up (a wider warning band is the cautious side).
    """
    gap = distance(spot, previous_spot)
    move = RAY if gap >= previous_spot else rdiv_up(gap, previous_spot, "volatility")
    kept = mul_div_up(volatility, RAY - alpha, RAY, "volatility")
    added = mul_div_up(move, alpha, RAY, "volatility")
    return min(kept + added, RAY)

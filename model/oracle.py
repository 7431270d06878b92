"""The smoothed reference price and the volatility estimate.

The reference follows spot but moves at most ``max_step`` (a fraction of itself) per
``step_period`` seconds of elapsed time, and at most ``max_step`` per report: one
manipulated or spiking report cannot trigger or cheapen a liquidation, and neither can a
burst of reports in quick succession, since the allowance grows with the time since
the last report (ORACLE-REFERENCE, ORACLE-BOUNDED-STEP). Bounding the move per unit of
time, not per report, is what lets the zero-loss theorem bound how far the reference
can fall during one auction, however often reports come. The allowance rounds down, so
the bound holds exactly.

Volatility is realised volatility: an exponentially weighted average of each report's
relative move of spot from the previous report's spot, each move capped at 100 %, so
it stays within [0, RAY]. It widens gen 3's warning band; it never moves the
liquidation threshold. (The gap between spot and the lagging reference is a different
quantity, watched by gen 3's deviation breaker.)
"""

from __future__ import annotations

from model.numbers.fixed_point import (
    RAY,
    Ray,
    Seconds,
    distance,
    maximum,
    minimum,
    mul_div_down,
    mul_div_up,
    rdiv_up,
    rmul_down,
)


def step_allowance(reference: Ray, max_step: Ray, elapsed: Seconds, step_period: Seconds) -> Ray:
    """How far the reference may move on a report ``elapsed`` seconds after the last one.

    Requirements: ORACLE-BOUNDED-STEP, ORACLE-BOUNDED-RATE.

    ``floor(floor(reference * max_step) * min(elapsed, step_period) / step_period)``: a full
    ``max_step`` once a whole period has passed, proportionally less before, nothing for a
    second report in the same second (ORACLE-REFERENCE). Both roundings go down, so the
    reference never moves further than the exact fraction allows.

    pre: 0 <= reference < 2**128 and 0 <= max_step <= 10**27
    pre: 0 <= elapsed < 2**64 and 0 < step_period < 2**64
    post: __return__ * 10**27 * step_period <= reference * max_step * min(elapsed, step_period)
    post: __return__ <= reference
    """
    window = minimum(elapsed, step_period)
    per_period = rmul_down(reference, max_step, "formula.reference_step")
    return mul_div_down(per_period, window, step_period, "formula.reference_step")


def next_reference(reference: Ray, spot: Ray, allowance: Ray) -> Ray:
    """``spot`` clamped to ``[reference - allowance, reference + allowance]``.

    Requirement: ORACLE-REFERENCE."""
    low = reference - allowance
    # ``high`` is only a bound: it may exceed uint256 near the top of the range, while the
    # result, at most ``max(spot, low)``, never does.
    high = reference + allowance
    return minimum(maximum(spot, low), high)


def next_volatility(volatility: Ray, previous_spot: Ray, spot: Ray, alpha: Ray) -> Ray:
    """``min(RAY, (1 - alpha) * volatility + alpha * min(1, |spot - previous| / previous))``.

    Requirement: ORACLE-VOLATILITY.

    Each term rounds up (a wider warning band is the cautious side).
    """
    gap = distance(spot, previous_spot)
    move = RAY if gap >= previous_spot else rdiv_up(gap, previous_spot, "formula.volatility")
    kept = mul_div_up(volatility, RAY - alpha, RAY, "formula.volatility")
    added = mul_div_up(move, alpha, RAY, "formula.volatility")
    return minimum(kept + added, RAY)

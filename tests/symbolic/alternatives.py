"""Alternative formulations of model kernels, for ``crosshair diffbehavior``.

``diffbehavior`` ignores contracts, so each function first maps inputs outside the
domain the model is specified on (non-negative operands, a positive divisor) to one
answer (``-1``); inside it, it computes the kernel. ``model_mul_div_up`` is the model's
own function; the others are what an implementer might write in a port: one
equivalent, one off by one.
"""

from __future__ import annotations

from model.numbers import fixed_point
from model.numbers.fixed_point import UINT256_MAX, overflow

OUTSIDE = -1


def _outside(x: int, y: int, d: int) -> bool:
    return x < 0 or y < 0 or d <= 0


def model_mul_div_up(x: int, y: int, d: int) -> int:
    """The model's ``mul_div_up``: ``(x * y + d - 1) // d``."""
    if _outside(x, y, d):
        return OUTSIDE
    return fixed_point.mul_div_up(x, y, d)


def negated_floor_mul_div_up(x: int, y: int, d: int) -> int:
    """Ceiling as a negated floor, ``-((-x * y) // d)``: equivalent on the domain."""
    if _outside(x, y, d):
        return OUTSIDE
    q = -((-x * y) // d)
    if q > UINT256_MAX:
        raise overflow()
    return q


def off_by_one_mul_div_up(x: int, y: int, d: int) -> int:
    """``(x * y + d) // d``: a plausible port that is wrong whenever ``d`` divides ``x * y``."""
    if _outside(x, y, d):
        return OUTSIDE
    q = (x * y + d) // d
    if q > UINT256_MAX:
        raise overflow()
    return q

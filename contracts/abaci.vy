# pragma version ~=0.4.3
"""
@title The MakerDAO abaci price curves (spec/curves.md: CURVE-RPOW, -LINEAR, -STAIRSTEP,
       -EXPONENTIAL)
@notice Written from the spec's definitions: the same integer operations in the same
        order as dss abaci.sol, the same rounding and the same failures, which revert
        "Math/overflow" or "Math/division-by-zero" instead of a bare revert.
"""

import fixed_point

TWO_128: constant(uint256) = 2**128


@internal
@pure
def rpow(x: uint256, n: uint256, base: uint256) -> uint256:
    """x**n in fixed point base, half-up at every multiply (CURVE-RPOW).

    rpow(x, 0) = base; rpow(0, n > 0) = 0. A squared operand >= 2**128 fails, checked on
    every squaring, even one whose bit of n is 0.
    """
    if n == 0:
        return base
    if x == 0:
        return 0
    half: uint256 = base // 2
    z: uint256 = base
    if n % 2 == 1:
        z = x
    square: uint256 = x
    rest: uint256 = n // 2
    for _: uint256 in range(256):
        if rest == 0:
            break
        assert square < TWO_128, "Math/overflow"
        square = fixed_point.div(fixed_point.add(unsafe_mul(square, square), half), base)
        if rest % 2 == 1:
            z = fixed_point.div(fixed_point.add(fixed_point.mul(z, square), half), base)
        rest = rest // 2
    return z


@internal
@pure
def linear_decrease(top: uint256, dur: uint256, tau: uint256) -> uint256:
    """top * ((tau - dur) / tau), both roundings down; 0 from tau on (CURVE-LINEAR)."""
    if dur >= tau:
        return 0
    ratio: uint256 = fixed_point.mul(tau - dur, fixed_point.RAY) // tau
    return fixed_point.rmul_dss(top, ratio)


@internal
@pure
def stairstep_exponential_decrease(
    top: uint256, dur: uint256, step: uint256, cut: uint256
) -> uint256:
    """top times cut once every step seconds (CURVE-STAIRSTEP); step = 0 fails."""
    steps: uint256 = fixed_point.div(dur, step)
    return fixed_point.rmul_dss(top, self.rpow(cut, steps, fixed_point.RAY))


@internal
@pure
def exponential_decrease(top: uint256, dur: uint256, cut: uint256) -> uint256:
    """top times cut every second (CURVE-EXPONENTIAL)."""
    return fixed_point.rmul_dss(top, self.rpow(cut, dur, fixed_point.RAY))

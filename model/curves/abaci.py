"""MakerDAO-compatible auction price curves, bit-exact with dss ``abaci.sol``.

These reproduce Liquidations 2.0's three ``Abacus`` contracts as plain functions:
the same integer operations in the same order, the same rounding (``rmul`` and the
linear ratio round down; ``rpow`` rounds half-up at every multiply) and the same
failures. Where the Solidity would revert on overflow, these raise an
``EngineFault`` with code ``OVERFLOW`` (``DIVISION_BY_ZERO`` for ``step == 0``);
they never wrap. A Solidity port of ``abaci.sol`` can be checked against them with
the conformance vectors (``spec/curves.md``).

``top`` and the results are prices in RAY; ``dur``, ``tau`` and ``step`` are seconds;
``cut`` is a per-step (or per-second) factor in RAY, at most RAY.
"""

from __future__ import annotations

from model.numbers.fixed_point import (
    RAY,
    Ray,
    Seconds,
    add,
    is_odd,
    mul,
    mul_div_down,
    overflow,
    rmul_dss,
)

_TWO_128 = 2**128


def rpow(x: int, n: int, base: int = RAY) -> int:
    """dss ``rpow`` (PR #78): ``x**n`` in fixed point ``base``, half-up at every multiply.

    Requirement: CURVE-RPOW.

    ``rpow(x, 0) == base``; ``rpow(0, n) == 0`` for ``n > 0``. Fails with OVERFLOW where
    the assembly reverts: when a squared operand is ``>= 2**128`` (checked on every
    squaring, even one whose bit is 0) or when ``z * x`` leaves uint256.
    The loop runs at most 256 times (``n < 2**256``): its bound is concrete.

    For a cut (``x <= base``) the result never exceeds ``base``; ``base`` is a fixed point.
    (The exponent is bounded below only to keep the symbolic search within reach.)

    pre: 0 < base <= RAY and 0 <= x <= base
    pre: 0 <= n < 8
    post: 0 <= __return__ <= base
    post: n != 0 or __return__ == base
    post: n != 1 or __return__ == x
    post: n == 0 or x != 0 or __return__ == 0
    post: x != base or __return__ == base
    """
    if n == 0:
        return base
    if x == 0:
        return 0
    half = mul_div_down(base, 1, 2)
    z = x if is_odd(n) else base
    n = mul_div_down(n, 1, 2)
    for _ in range(256):
        if n == 0:
            break
        if x >= _TWO_128:
            raise overflow("formula.rpow")
        x = mul_div_down(add(x * x, half, "formula.rpow"), 1, base)
        if is_odd(n):
            z = mul_div_down(add(mul(z, x, "formula.rpow"), half, "formula.rpow"), 1, base)
        n = mul_div_down(n, 1, 2)
    return z


def linear_decrease(top: Ray, dur: Seconds, tau: Seconds) -> Ray:
    """dss ``LinearDecrease.price``: ``rmul(top, mul(tau - dur, RAY) / tau)``; 0 from ``tau`` on.

    Requirement: CURVE-LINEAR.

    Rounds twice, both times down: first the ratio ``(tau - dur) / tau``, then the product.

    pre: 0 <= top and top * RAY < 2**256
    pre: 0 <= dur and 0 <= tau and tau * RAY < 2**256
    post: 0 <= __return__ <= top
    post: dur < tau or __return__ == 0
    post: dur != 0 or tau == 0 or __return__ == top
    post: dur >= tau or __return__ * tau <= top * (tau - dur)
    post: dur == 0 or __return__ <= linear_decrease(top, dur - 1, tau)
    """
    if dur >= tau:
        return 0
    return rmul_dss(
        top, mul_div_down(mul(tau - dur, RAY, "formula.linear_decrease"), 1, tau), "formula.rmul"
    )


def stairstep_exponential_decrease(top: Ray, dur: Seconds, step: Seconds, cut: Ray) -> Ray:
    """dss ``StairstepExponentialDecrease.price``: ``rmul(top, rpow(cut, dur / step, RAY))``.

    Requirement: CURVE-STAIRSTEP.

    The price drops by the factor ``cut`` once every ``step`` seconds.
    ``step == 0`` fails with DIVISION_BY_ZERO, as the Solidity division reverts.

    pre: 0 <= top and top * RAY < 2**256 and 0 <= cut <= RAY
    pre: 0 < step and 0 <= dur < step * 8
    post: 0 <= __return__ <= top
    post: dur >= step or __return__ == top
    """
    return rmul_dss(top, rpow(cut, mul_div_down(dur, 1, step, "formula.step"), RAY), "formula.rmul")


def exponential_decrease(top: Ray, dur: Seconds, cut: Ray) -> Ray:
    """dss ``ExponentialDecrease.price``: ``rmul(top, rpow(cut, dur, RAY))``; ``cut`` per second.

    Requirement: CURVE-EXPONENTIAL.

    pre: 0 <= top and top * RAY < 2**256 and 0 <= cut <= RAY
    pre: 0 <= dur < 8
    post: 0 <= __return__ <= top
    post: dur != 0 or __return__ == top
    """
    return rmul_dss(top, rpow(cut, dur, RAY), "formula.rmul")

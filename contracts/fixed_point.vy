# pragma version ~=0.4.3
"""
@title Fixed-point integers with directed rounding (spec/numbers.md)
@notice The only place the contracts divide. As in the model (model/numbers/fixed_point.py),
        every operation names its rounding direction, intermediate products are exact
        (512 bits), and a result outside uint256 reverts with a reason the mapping file
        turns into the model's refusal: "Math/overflow" (OVERFLOW), "Math/underflow"
        (UNDERFLOW), "Math/division-by-zero" (DIVISION_BY_ZERO). Nothing wraps.
"""

WAD: constant(uint256) = 10**18
RAY: constant(uint256) = 10**27
MAX: constant(uint256) = max_value(uint256)


@internal
@pure
def add(x: uint256, y: uint256) -> uint256:
    """x + y (NUM-UINT256: a sum outside uint256 refuses OVERFLOW)."""
    assert y <= MAX - x, "Math/overflow"
    return unsafe_add(x, y)


@internal
@pure
def sub(x: uint256, y: uint256) -> uint256:
    """x - y (below zero refuses UNDERFLOW)."""
    assert y <= x, "Math/underflow"
    return unsafe_sub(x, y)


@internal
@pure
def mul512(x: uint256, y: uint256) -> (uint256, uint256):
    """The exact product as (hi, lo): x * y = hi * 2**256 + lo.

    lo is the product modulo 2**256, and the product modulo 2**256 - 1 is hi + lo (as
    2**256 = 1 there); their difference gives hi.
    """
    lo: uint256 = unsafe_mul(x, y)
    folded: uint256 = uint256_mulmod(x, y, MAX)
    hi: uint256 = unsafe_sub(unsafe_sub(folded, lo), convert(folded < lo, uint256))
    return hi, lo


@internal
@pure
def mul(x: uint256, y: uint256) -> uint256:
    """x * y, where the product itself must be a uint256 (Solidity's checked mul)."""
    hi: uint256 = 0
    lo: uint256 = 0
    hi, lo = self.mul512(x, y)
    assert hi == 0, "Math/overflow"
    return lo


@internal
@pure
def div(x: uint256, d: uint256) -> uint256:
    """x / d, rounded down."""
    assert d != 0, "Math/division-by-zero"
    return unsafe_div(x, d)


@internal
@pure
def product_below(x1: uint256, y1: uint256, x2: uint256, y2: uint256) -> bool:
    """Whether x1 * y1 < x2 * y2, on the exact products (ratios compared without dividing)."""
    hi1: uint256 = 0
    lo1: uint256 = 0
    hi2: uint256 = 0
    lo2: uint256 = 0
    hi1, lo1 = self.mul512(x1, y1)
    hi2, lo2 = self.mul512(x2, y2)
    return hi1 < hi2 or (hi1 == hi2 and lo1 < lo2)


@internal
@pure
def mul_div_down(x: uint256, y: uint256, d: uint256) -> uint256:
    """floor(x * y / d) with the exact 512-bit product.

    The product (hi, lo) is made a multiple of d by subtracting the remainder; the exact
    quotient then fits in 256 bits, so it equals (hi, lo) / d modulo 2**256: the
    power-of-two part of d is shifted out, and the odd rest is inverted modulo 2**256
    by Newton's iteration (each step doubles the correct low bits: 4, 8, ..., 256).
    """
    assert d != 0, "Math/division-by-zero"
    hi: uint256 = 0
    lo: uint256 = 0
    hi, lo = self.mul512(x, y)
    if hi == 0:
        return unsafe_div(lo, d)
    assert hi < d, "Math/overflow"
    remainder: uint256 = uint256_mulmod(x, y, d)
    hi = unsafe_sub(hi, convert(remainder > lo, uint256))
    lo = unsafe_sub(lo, remainder)
    twos: uint256 = d & unsafe_sub(0, d)
    odd: uint256 = unsafe_div(d, twos)
    lo = unsafe_div(lo, twos)
    lo = lo | unsafe_mul(hi, unsafe_add(unsafe_div(unsafe_sub(0, twos), twos), 1))
    inverse: uint256 = unsafe_mul(3, odd) ^ 2
    for _: uint256 in range(6):
        inverse = unsafe_mul(inverse, unsafe_sub(2, unsafe_mul(odd, inverse)))
    return unsafe_mul(lo, inverse)


@internal
@pure
def mul_div_up(x: uint256, y: uint256, d: uint256) -> uint256:
    """ceil(x * y / d) with the exact product."""
    q: uint256 = self.mul_div_down(x, y, d)
    if uint256_mulmod(x, y, d) != 0:
        assert q != MAX, "Math/overflow"
        q = unsafe_add(q, 1)
    return q


@internal
@pure
def wmul_down(x: uint256, y: uint256) -> uint256:
    return self.mul_div_down(x, y, WAD)


@internal
@pure
def wmul_up(x: uint256, y: uint256) -> uint256:
    return self.mul_div_up(x, y, WAD)


@internal
@pure
def rmul_down(x: uint256, y: uint256) -> uint256:
    return self.mul_div_down(x, y, RAY)


@internal
@pure
def rmul_up(x: uint256, y: uint256) -> uint256:
    return self.mul_div_up(x, y, RAY)


@internal
@pure
def rdiv_down(x: uint256, y: uint256) -> uint256:
    return self.mul_div_down(x, RAY, y)


@internal
@pure
def rdiv_up(x: uint256, y: uint256) -> uint256:
    return self.mul_div_up(x, RAY, y)


@internal
@pure
def rmul_dss(x: uint256, y: uint256) -> uint256:
    """dss rmul: x * y / RAY rounded down, where x * y itself must be a uint256."""
    return unsafe_div(self.mul(x, y), RAY)

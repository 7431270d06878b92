"""Fixed-point numbers (spec/numbers.md): uint256 bounds and directed rounding.

Each kernel of ``model/numbers/fixed_point.py`` against its definition in the spec's
table: the exact rational result, the named direction, and a typed ``EngineFault``
(never a wrapped value) when the result leaves ``[0, 2**256)`` or the divisor is zero.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from model.errors import EngineFault, RefusalCode
from model.numbers import (
    RAY,
    UINT256_MAX,
    WAD,
    add,
    distance,
    in_uint256,
    is_odd,
    mul,
    mul_div_down,
    mul_div_up,
    rdiv_down,
    rdiv_up,
    rmul_down,
    rmul_up,
    sub,
    wmul_down,
    wmul_up,
)

UINT = st.integers(min_value=0, max_value=UINT256_MAX)
SMALL = st.integers(min_value=0, max_value=2**128)
POSITIVE = st.integers(min_value=1, max_value=UINT256_MAX)
EXAMPLES = settings(max_examples=200, deadline=None)


def fault_code(thunk: Callable[[], object]) -> RefusalCode:
    with pytest.raises(EngineFault) as caught:
        thunk()
    return caught.value.refusal.code


# --- bounds ---------------------------------------------------------------------------


@pytest.mark.covers("NUM-UINT256")
def test_uint256_range_is_closed_at_zero_and_at_two_to_the_256_minus_one() -> None:
    assert UINT256_MAX == 2**256 - 1
    assert in_uint256(0) and in_uint256(UINT256_MAX)
    assert not in_uint256(-1) and not in_uint256(2**256)


@pytest.mark.covers("NUM-UINT256")
def test_add_is_exact_in_range_and_overflows_as_a_typed_fault() -> None:
    assert add(UINT256_MAX - 1, 1) == UINT256_MAX
    assert fault_code(lambda: add(UINT256_MAX, 1)) is RefusalCode.OVERFLOW


@pytest.mark.covers("NUM-UINT256")
def test_sub_underflows_as_a_typed_fault_never_a_wrap() -> None:
    assert sub(5, 5) == 0
    assert fault_code(lambda: sub(0, 1)) is RefusalCode.UNDERFLOW


@pytest.mark.covers("NUM-UINT256")
def test_mul_overflows_when_the_product_reaches_two_to_the_256() -> None:
    assert mul(2**128, 2**128 - 1) == 2**256 - 2**128
    assert fault_code(lambda: mul(2**128, 2**128)) is RefusalCode.OVERFLOW


@pytest.mark.covers("NUM-UINT256")
@given(x=UINT, y=UINT)
@EXAMPLES
def test_add_sub_mul_either_are_exact_or_fault(x: int, y: int) -> None:
    for operation, exact, code in (
        (add, x + y, RefusalCode.OVERFLOW),
        (mul, x * y, RefusalCode.OVERFLOW),
        (sub, x - y, RefusalCode.UNDERFLOW),
    ):
        if 0 <= exact <= UINT256_MAX:
            assert operation(x, y) == exact
        else:
            assert fault_code(lambda op=operation: op(x, y)) is code  # type: ignore[misc]


@pytest.mark.covers("NUM-UINT256")
def test_intermediate_products_are_exact_only_results_are_range_checked() -> None:
    # 2**255 * 4 leaves uint256, but the result 2**254 does not (a 512-bit mulDiv).
    assert mul_div_down(2**255, 4, 8) == 2**254
    assert mul_div_up(2**255, 4, 8) == 2**254
    assert rmul_down(UINT256_MAX, RAY) == UINT256_MAX
    assert rdiv_up(UINT256_MAX, RAY) == UINT256_MAX
    assert wmul_up(UINT256_MAX, WAD) == UINT256_MAX


@pytest.mark.covers("NUM-UINT256")
@pytest.mark.parametrize(
    "kernel",
    [mul_div_down, mul_div_up],
)
def test_mul_div_result_above_uint256_is_an_overflow(kernel: Callable[..., int]) -> None:
    assert fault_code(lambda: kernel(UINT256_MAX, 2, 1)) is RefusalCode.OVERFLOW
    assert kernel(UINT256_MAX, 2, 2) == UINT256_MAX


@pytest.mark.covers("NUM-UINT256")
@pytest.mark.parametrize(
    "kernel",
    [
        lambda: mul_div_down(1, 1, 0),
        lambda: mul_div_up(1, 1, 0),
        lambda: mul_div_down(0, 0, 0),
        lambda: rdiv_down(1, 0),
        lambda: rdiv_up(0, 0),
    ],
)
def test_division_by_zero_is_a_typed_fault(kernel: Callable[[], int]) -> None:
    assert fault_code(kernel) is RefusalCode.DIVISION_BY_ZERO


@pytest.mark.covers("NUM-UINT256")
@pytest.mark.parametrize(
    "kernel",
    [rmul_down, rmul_up, wmul_down, wmul_up],
)
def test_scaled_products_overflow_only_when_the_quotient_does(
    kernel: Callable[[int, int], int],
) -> None:
    assert fault_code(lambda: kernel(UINT256_MAX, UINT256_MAX)) is RefusalCode.OVERFLOW


@pytest.mark.covers("NUM-UINT256")
def test_rdiv_overflows_when_the_quotient_leaves_uint256() -> None:
    assert fault_code(lambda: rdiv_down(UINT256_MAX, 1)) is RefusalCode.OVERFLOW
    assert fault_code(lambda: rdiv_up(UINT256_MAX, RAY - 1)) is RefusalCode.OVERFLOW


# --- rounding -------------------------------------------------------------------------


@pytest.mark.covers("NUM-ROUNDING")
@given(x=UINT, y=UINT, d=POSITIVE)
@EXAMPLES
def test_mul_div_down_is_the_floor(x: int, y: int, d: int) -> None:
    if x * y // d > UINT256_MAX:
        assert fault_code(lambda: mul_div_down(x, y, d)) is RefusalCode.OVERFLOW
        return
    q = mul_div_down(x, y, d)
    assert q * d <= x * y < (q + 1) * d


@pytest.mark.covers("NUM-ROUNDING")
@given(x=UINT, y=UINT, d=POSITIVE)
@EXAMPLES
def test_mul_div_up_is_the_ceiling(x: int, y: int, d: int) -> None:
    if -(-x * y // d) > UINT256_MAX:
        assert fault_code(lambda: mul_div_up(x, y, d)) is RefusalCode.OVERFLOW
        return
    q = mul_div_up(x, y, d)
    assert (q - 1) * d < x * y <= q * d


@pytest.mark.covers("NUM-ROUNDING")
@given(x=SMALL, y=SMALL, d=st.integers(min_value=1, max_value=2**128))
@EXAMPLES
def test_up_and_down_differ_by_one_exactly_when_the_division_is_inexact(
    x: int, y: int, d: int
) -> None:
    down, up = mul_div_down(x, y, d), mul_div_up(x, y, d)
    assert up - down == (0 if x * y % d == 0 else 1)


@pytest.mark.covers("NUM-ROUNDING")
@given(x=SMALL, y=SMALL)
@EXAMPLES
def test_named_scales_divide_by_their_unit(x: int, y: int) -> None:
    assert rmul_down(x, y) == x * y // RAY
    assert rmul_up(x, y) == -(-x * y // RAY)
    assert wmul_down(x, y) == x * y // WAD
    assert wmul_up(x, y) == -(-x * y // WAD)
    if y > 0:
        assert rdiv_down(x, y) == x * RAY // y
        assert rdiv_up(x, y) == -(-x * RAY // y)


@pytest.mark.covers("NUM-ROUNDING")
def test_directions_on_a_value_that_is_not_exact() -> None:
    # 1 wei of collateral at a price of 1.5 wei per RAY: the exact value is 1.5e-27.
    assert rmul_down(1, RAY + RAY // 2) == 1
    assert rmul_up(1, RAY + RAY // 2) == 2
    assert wmul_down(3, WAD // 2) == 1
    assert wmul_up(3, WAD // 2) == 2
    assert rdiv_down(1, 3 * RAY) == 0
    assert rdiv_up(1, 3 * RAY) == 1
    # exact results are the same either way
    assert rmul_down(2 * WAD, 3 * RAY) == rmul_up(2 * WAD, 3 * RAY) == 6 * WAD


@pytest.mark.covers("NUM-ROUNDING")
def test_helpers_parity_and_distance() -> None:
    assert is_odd(1) and is_odd(UINT256_MAX) and not is_odd(0) and not is_odd(2**255)
    assert distance(3, 10) == distance(10, 3) == 7
    assert distance(UINT256_MAX, 0) == UINT256_MAX

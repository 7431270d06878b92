"""The gen 3 floored linear curve (spec/curves.md, CURVE-GEN3).

``floored_linear_price(top, floor, dur, decay)`` is ``floor`` once ``dur >= decay`` and
otherwise ``floor + ceil((top - floor) * (decay - dur) / decay)``: on or above the exact
line by less than one unit, never below the floor, never rising with time.
"""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from model.curves import floored_linear_price
from model.numbers import RAY, UINT256_MAX

PRICES = st.one_of(st.integers(0, 10**6 * RAY), st.integers(0, UINT256_MAX))
DECAY = st.one_of(st.integers(1, 10_000), st.integers(1, 2**64))
DUR = st.one_of(st.integers(0, 20_000), st.integers(0, 2**70))
MANY = settings(max_examples=200, deadline=None)


def exact_line(top: int, floor: int, dur: int, decay: int) -> Fraction:
    if dur >= decay:
        return Fraction(floor)
    return floor + Fraction((top - floor) * (decay - dur), decay)


@pytest.mark.covers("CURVE-GEN3")
@given(a=PRICES, b=PRICES, dur=DUR, decay=DECAY)
@MANY
def test_price_is_the_line_rounded_up(a: int, b: int, dur: int, decay: int) -> None:
    top, floor = max(a, b), min(a, b)
    price = floored_linear_price(top, floor, dur, decay)
    line = exact_line(top, floor, dur, decay)
    assert line <= price < line + 1


@pytest.mark.covers("CURVE-GEN3", "AUCTION-FLOOR")
@given(a=PRICES, b=PRICES, dur=DUR, decay=DECAY)
@MANY
def test_price_stays_between_floor_and_top(a: int, b: int, dur: int, decay: int) -> None:
    top, floor = max(a, b), min(a, b)
    assert floor <= floored_linear_price(top, floor, dur, decay) <= top


@pytest.mark.covers("CURVE-GEN3")
def test_endpoints() -> None:
    top, floor = 2_100 * RAY, 1_800 * RAY
    assert floored_linear_price(top, floor, 0, 1_800) == top
    assert floored_linear_price(top, floor, 900, 1_800) == 1_950 * RAY
    assert floored_linear_price(top, floor, 1_800, 1_800) == floor
    assert floored_linear_price(top, floor, 10**9, 1_800) == floor
    assert floored_linear_price(floor, floor, 7, 1_800) == floor


@pytest.mark.covers("CURVE-GEN3")
def test_rounds_up_not_down() -> None:
    # (top - floor) * (decay - dur) / decay = 1 * 2 / 3: the line is floor + 2/3
    assert floored_linear_price(11, 10, 1, 3) == 11
    assert floored_linear_price(11, 10, 2, 3) == 11
    assert floored_linear_price(11, 10, 3, 3) == 10


@pytest.mark.covers("CURVE-GEN3", "AUCTION-MONOTONE")
@given(a=PRICES, b=PRICES, earlier=DUR, later=DUR, decay=DECAY)
@MANY
def test_price_never_rises_with_time(a: int, b: int, earlier: int, later: int, decay: int) -> None:
    assume(earlier <= later)
    top, floor = max(a, b), min(a, b)
    assert floored_linear_price(top, floor, later, decay) <= floored_linear_price(
        top, floor, earlier, decay
    )

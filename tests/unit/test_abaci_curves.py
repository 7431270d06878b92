"""MakerDAO-compatible auction curves (spec/curves.md) against an emulation of the EVM.

No Solidity compiler or EVM runs here, so the reference below is an independent
emulation of what dss ``abaci.sol`` executes, written from the spec's definition and
the EVM's rules: every ``mul``/``add`` wraps modulo 2**256 and the code's own checks
(``require(y == 0 || z / y == x)``, ``if shr(128, x) { revert }``, ``if lt(xxRound, xx)
{ revert }``, the ``div(zx, x) != z`` test) turn a wrap into a revert; a Solidity ``/``
by zero reverts. The model must return the same value wherever the emulation returns,
and an ``OVERFLOW`` fault wherever it reverts (``DIVISION_BY_ZERO`` for ``step = 0``).
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

from model.curves import (
    ExponentialDecrease,
    LinearDecrease,
    StairstepExponentialDecrease,
    exponential_decrease,
    linear_decrease,
    rpow,
    stairstep_exponential_decrease,
)
from model.errors import EngineFault, RefusalCode
from model.numbers import RAY, UINT256_MAX, WAD
from model.params.presets import GEN2_MAKER_ETH_A

# --- an emulation of the EVM and of dss abaci.sol -------------------------------------

WORD = 2**256


class Revert(Exception):
    """The EVM reverted."""


def evm_mul(a: int, b: int) -> int:
    return (a * b) % WORD


def evm_add(a: int, b: int) -> int:
    return (a + b) % WORD


def evm_div(a: int, b: int) -> int:
    """Assembly ``div``: division by zero yields 0 (it does not revert)."""
    return 0 if b == 0 else a // b


def sol_div(a: int, b: int) -> int:
    """Solidity ``/``: division by zero reverts."""
    if b == 0:
        raise Revert("division by zero")
    return a // b


def sol_mul(x: int, y: int) -> int:
    """dss ``mul``: ``require(y == 0 || (z = x * y) / y == x)``."""
    z = evm_mul(x, y)
    if y != 0 and z // y != x:
        raise Revert("mul")
    return z


def sol_rmul(x: int, y: int) -> int:
    """dss ``rmul``: ``z = x * y; require(y == 0 || z / y == x); z = z / RAY``."""
    z = evm_mul(x, y)
    if y != 0 and z // y != x:
        raise Revert("rmul")
    return z // RAY


def evm_rpow(x: int, n: int, b: int) -> int:
    """The assembly ``rpow`` of dss PR #78, one EVM instruction per line."""
    if n == 0:
        return b
    if x == 0:
        return 0
    z = b if n % 2 == 0 else x
    half = evm_div(b, 2)
    n = evm_div(n, 2)
    while n != 0:
        xx = evm_mul(x, x)
        if x >> 128:
            raise Revert("x >= 2**128")
        xx_round = evm_add(xx, half)
        if xx_round < xx:
            raise Revert("xx + half")
        x = evm_div(xx_round, b)
        if n % 2:
            zx = evm_mul(z, x)
            if x != 0 and evm_div(zx, x) != z:
                raise Revert("z * x")
            zx_round = evm_add(zx, half)
            if zx_round < zx:
                raise Revert("zx + half")
            z = evm_div(zx_round, b)
        n = evm_div(n, 2)
    return z


def evm_linear(top: int, dur: int, tau: int) -> int:
    if dur >= tau:
        return 0
    return sol_rmul(top, sol_div(sol_mul(tau - dur, RAY), tau))


def evm_stairstep(top: int, dur: int, step: int, cut: int) -> int:
    return sol_rmul(top, evm_rpow(cut, sol_div(dur, step), RAY))


def evm_exponential(top: int, dur: int, cut: int) -> int:
    return sol_rmul(top, evm_rpow(cut, dur, RAY))


def same_as_evm(
    model: Callable[[], int], emulation: Callable[[], int], revert_code: RefusalCode
) -> None:
    """The model returns what the EVM returns, or faults with ``revert_code`` where it reverts."""
    try:
        expected = emulation()
    except Revert:
        with pytest.raises(EngineFault) as caught:
            model()
        assert caught.value.refusal.code is revert_code
        return
    assert model() == expected


# --- strategies -----------------------------------------------------------------------

UINT = st.integers(min_value=0, max_value=UINT256_MAX)
PRICE = st.one_of(
    st.integers(min_value=0, max_value=10**6 * RAY),
    st.integers(min_value=0, max_value=UINT256_MAX // RAY + 10),
    UINT,
)
DUR = st.one_of(st.integers(min_value=0, max_value=100_000), st.integers(0, 2**64), UINT)
CUT = st.one_of(
    st.integers(min_value=1, max_value=RAY),
    st.integers(min_value=RAY - 10**12, max_value=RAY),
    st.sampled_from([RAY, RAY * 99 // 100, RAY // 2, 1]),
)
MANY = settings(max_examples=200, deadline=None)


# --- rpow -----------------------------------------------------------------------------


@pytest.mark.covers("CURVE-RPOW")
@given(
    x=st.one_of(UINT, st.integers(0, 2**129), st.integers(0, 2 * RAY)),
    n=st.one_of(st.integers(0, 1_000), UINT),
    b=st.one_of(st.sampled_from([RAY, WAD, 1, 2, 10]), st.integers(1, 2**128)),
)
@MANY
@example(x=2**128, n=2, b=RAY)
@example(x=2**128 - 1, n=2, b=1)
@example(x=2**100, n=3, b=1)
@example(x=2**200, n=1, b=RAY)
@example(x=RAY * 99 // 100, n=UINT256_MAX, b=RAY)
def test_rpow_matches_the_assembly(x: int, n: int, b: int) -> None:
    same_as_evm(lambda: rpow(x, n, b), lambda: evm_rpow(x, n, b), RefusalCode.OVERFLOW)


@pytest.mark.covers("CURVE-RPOW")
@given(x=UINT, b=st.integers(1, UINT256_MAX))
@settings(max_examples=100, deadline=None)
def test_rpow_of_exponent_zero_is_the_base(x: int, b: int) -> None:
    assert rpow(x, 0, b) == b


@pytest.mark.covers("CURVE-RPOW")
@given(n=st.integers(1, UINT256_MAX))
@settings(max_examples=100, deadline=None)
def test_rpow_of_zero_is_zero(n: int) -> None:
    assert rpow(0, n, RAY) == 0


@pytest.mark.covers("CURVE-RPOW")
def test_rpow_rounds_half_up_at_every_multiply() -> None:
    # base 10, one decimal: 1.5**2 = 2.25 -> 2.3 and 0.5**2 = 0.25 -> 0.3 (half-up, not down)
    assert rpow(15, 2, 10) == 23
    assert rpow(5, 2, 10) == 3
    assert rpow(RAY // 2, 2, RAY) == RAY // 4
    # 0.5**3: z = 0.5, x = 0.25 -> 0.3, then z = 0.5 * 0.3 = 0.15 -> 0.2 (exact: 0.125)
    assert rpow(5, 3, 10) == 2


@pytest.mark.covers("CURVE-RPOW")
def test_rpow_fails_with_overflow_where_the_assembly_reverts() -> None:
    with pytest.raises(EngineFault) as caught:
        rpow(2**128, 2, RAY)
    assert caught.value.refusal.code is RefusalCode.OVERFLOW
    # n = 1 never squares: even a huge x is returned as is
    assert rpow(2**200, 1, RAY) == 2**200
    # z * x leaves uint256 (base 1: no scaling down)
    with pytest.raises(EngineFault):
        rpow(2**100, 3, 1)


# --- the three curves -----------------------------------------------------------------


@pytest.mark.covers("CURVE-LINEAR")
@given(top=PRICE, dur=DUR, tau=st.one_of(st.integers(1, 100_000), st.integers(1, UINT256_MAX)))
@MANY
@example(top=UINT256_MAX, dur=0, tau=1)
@example(top=UINT256_MAX // RAY, dur=0, tau=3)
@example(top=UINT256_MAX // RAY + 1, dur=0, tau=3)
@example(top=RAY, dur=0, tau=UINT256_MAX)
def test_linear_decrease_matches_dss(top: int, dur: int, tau: int) -> None:
    same_as_evm(
        lambda: linear_decrease(top, dur, tau),
        lambda: evm_linear(top, dur, tau),
        RefusalCode.OVERFLOW,
    )


@pytest.mark.covers("CURVE-STAIRSTEP")
@given(top=PRICE, dur=DUR, step=st.integers(1, 10_000), cut=CUT)
@MANY
@example(top=UINT256_MAX, dur=0, step=90, cut=RAY)
@example(top=2000 * RAY, dur=UINT256_MAX, step=1, cut=RAY * 99 // 100)
def test_stairstep_exponential_decrease_matches_dss(
    top: int, dur: int, step: int, cut: int
) -> None:
    same_as_evm(
        lambda: stairstep_exponential_decrease(top, dur, step, cut),
        lambda: evm_stairstep(top, dur, step, cut),
        RefusalCode.OVERFLOW,
    )


@pytest.mark.covers("CURVE-EXPONENTIAL")
@given(top=PRICE, dur=DUR, cut=CUT)
@MANY
@example(top=UINT256_MAX, dur=1, cut=RAY)
def test_exponential_decrease_matches_dss(top: int, dur: int, cut: int) -> None:
    same_as_evm(
        lambda: exponential_decrease(top, dur, cut),
        lambda: evm_exponential(top, dur, cut),
        RefusalCode.OVERFLOW,
    )


@pytest.mark.covers("CURVE-RPOW", "CURVE-STAIRSTEP", "CURVE-EXPONENTIAL")
@given(x=st.integers(RAY + 1, 10 * RAY), n=st.integers(0, 500))
@settings(max_examples=200, deadline=None)
def test_rpow_above_ray_overflows_like_the_assembly(x: int, n: int) -> None:
    """A factor above RAY grows until the assembly reverts; the model must fail alike."""
    same_as_evm(lambda: rpow(x, n, RAY), lambda: evm_rpow(x, n, RAY), RefusalCode.OVERFLOW)


# --- the edge cases the conformance vectors pin ---------------------------------------

TOP = 2_600 * RAY


@pytest.mark.covers("CURVE-LINEAR", "CURVE-STAIRSTEP", "CURVE-EXPONENTIAL")
def test_at_dur_zero_every_curve_starts_at_top() -> None:
    assert linear_decrease(TOP, 0, 3_600) == TOP
    assert stairstep_exponential_decrease(TOP, 0, 90, RAY * 99 // 100) == TOP
    assert exponential_decrease(TOP, 0, RAY * 999 // 1000) == TOP


@pytest.mark.covers("CURVE-LINEAR")
def test_linear_reaches_zero_at_tau_and_stays_there() -> None:
    assert linear_decrease(TOP, 3_599, 3_600) == TOP * (RAY // 3_600) // RAY
    assert linear_decrease(TOP, 3_600, 3_600) == 0
    assert linear_decrease(TOP, 10**30, 3_600) == 0
    assert linear_decrease(UINT256_MAX, 3_600, 3_600) == 0  # no rmul once dur >= tau


@pytest.mark.covers("CURVE-LINEAR")
def test_linear_rounds_twice_both_down() -> None:
    # tau = 3, dur = 1: the ratio is floor(2 * RAY / 3) = 666...666, then rmul rounds down
    ratio = 2 * RAY // 3
    assert linear_decrease(3, 1, 3) == 3 * ratio // RAY == 1
    # one rounding of the exact product 3 * 2/3 = 2 would give 2: dss gives 1
    assert linear_decrease(3 * RAY, 1, 3) == 3 * RAY * ratio // RAY


@pytest.mark.covers("CURVE-STAIRSTEP", "CURVE-EXPONENTIAL")
@given(dur=DUR, top=st.integers(0, 10**9 * RAY))
@settings(max_examples=100, deadline=None)
def test_cut_ray_keeps_the_price_at_top(dur: int, top: int) -> None:
    assert stairstep_exponential_decrease(top, dur, 90, RAY) == top
    assert exponential_decrease(top, dur, RAY) == top


@pytest.mark.covers("CURVE-LINEAR", "CURVE-STAIRSTEP", "CURVE-EXPONENTIAL")
@given(dur=DUR)
@settings(max_examples=100, deadline=None)
def test_top_zero_prices_zero(dur: int) -> None:
    assert linear_decrease(0, dur, 3_600) == 0
    assert stairstep_exponential_decrease(0, dur, 90, RAY * 99 // 100) == 0
    assert exponential_decrease(0, dur, RAY * 99 // 100) == 0


@pytest.mark.covers("CURVE-LINEAR", "CURVE-STAIRSTEP", "CURVE-EXPONENTIAL", "NUM-UINT256")
@pytest.mark.parametrize(
    "price",
    [
        lambda top: linear_decrease(top, 0, 3_600),
        lambda top: stairstep_exponential_decrease(top, 0, 90, RAY * 99 // 100),
        lambda top: exponential_decrease(top, 0, RAY * 99 // 100),
    ],
)
def test_huge_top_overflows_in_rmul_as_a_typed_fault(price: Callable[[int], int]) -> None:
    fits = UINT256_MAX // RAY  # top * RAY still fits
    assert price(fits) == fits
    with pytest.raises(EngineFault) as caught:
        price(fits + 1)
    assert caught.value.refusal.code is RefusalCode.OVERFLOW


@pytest.mark.covers("CURVE-STAIRSTEP")
def test_stairstep_with_step_zero_is_a_division_by_zero() -> None:
    with pytest.raises(EngineFault) as caught:
        stairstep_exponential_decrease(TOP, 10, 0, RAY * 99 // 100)
    assert caught.value.refusal.code is RefusalCode.DIVISION_BY_ZERO


@pytest.mark.covers("CURVE-STAIRSTEP")
def test_stairstep_drops_once_per_step() -> None:
    cut = RAY * 99 // 100
    assert stairstep_exponential_decrease(TOP, 89, 90, cut) == TOP
    assert stairstep_exponential_decrease(TOP, 90, 90, cut) == TOP * 99 // 100
    assert stairstep_exponential_decrease(TOP, 179, 90, cut) == TOP * 99 // 100


# --- MakerDAO ETH-A worked example (research notes, MECHANISMS.md section 1.3) --------


def eth_a_price_per_osm(seconds: int) -> float:
    """Price over the OSM price, ``seconds`` into an ETH-A auction (top = OSM * buf)."""
    osm = 2_000 * RAY
    curve = GEN2_MAKER_ETH_A.curve
    top = osm * GEN2_MAKER_ETH_A.buf // RAY
    return curve.price(top, seconds) / osm


@pytest.mark.covers("CURVE-STAIRSTEP", "CURVE-RPOW")
@pytest.mark.parametrize(
    ("seconds", "ratio"), [(0, 1.300), (90, 1.287), (900, 1.176), (3_600, 0.870)]
)
def test_eth_a_auction_prices(seconds: int, ratio: float) -> None:
    assert eth_a_price_per_osm(seconds) == pytest.approx(ratio, abs=5e-4)


@pytest.mark.covers("CURVE-STAIRSTEP")
def test_eth_a_auction_crosses_the_osm_price_after_27_steps_and_cusp_at_step_92() -> None:
    assert eth_a_price_per_osm(26 * 90) > 1 > eth_a_price_per_osm(27 * 90)
    cusp = GEN2_MAKER_ETH_A.cusp / RAY
    buf = GEN2_MAKER_ETH_A.buf / RAY
    assert eth_a_price_per_osm(91 * 90) / buf >= cusp > eth_a_price_per_osm(92 * 90) / buf
    assert 92 * 90 == 8_280 < GEN2_MAKER_ETH_A.tail
    assert eth_a_price_per_osm(92 * 90) == pytest.approx(0.516, abs=5e-4)


# --- AUCTION-MONOTONE on the abaci curves ---------------------------------------------

CURVES = st.one_of(
    st.builds(LinearDecrease, tau=st.integers(1, 100_000)),
    st.builds(StairstepExponentialDecrease, step=st.integers(1, 1_000), cut=CUT),
    st.builds(ExponentialDecrease, cut=CUT),
)


@pytest.mark.covers("AUCTION-MONOTONE", "CURVE-LINEAR", "CURVE-STAIRSTEP", "CURVE-EXPONENTIAL")
@given(
    curve=CURVES,
    top=st.integers(0, 10**12 * RAY),
    earlier=st.integers(0, 200_000),
    later=st.integers(0, 200_000),
)
@MANY
def test_no_abaci_curve_rises_with_time(
    curve: LinearDecrease | StairstepExponentialDecrease | ExponentialDecrease,
    top: int,
    earlier: int,
    later: int,
) -> None:
    assume(earlier <= later)
    assert curve.price(top, later) <= curve.price(top, earlier) <= top

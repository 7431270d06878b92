"""The reference price and the volatility estimate (spec/oracle.md), and ReportOracle."""

from __future__ import annotations

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from model import Accepted, genesis, step
from model.actions import ReportOracle
from model.errors import RefusalCode
from model.events import OracleUpdated
from model.numbers import RAY, UINT256_MAX
from model.oracle import next_reference, next_volatility
from model.params.presets import PRESETS, percent
from tests.builders import book, config, ray

PRICE = st.one_of(st.integers(1, 10**9 * RAY), st.integers(1, UINT256_MAX))
FRACTION_OPEN = st.integers(1, RAY - 1)
FRACTION_CLOSED = st.integers(0, RAY)
MANY = settings(max_examples=200, deadline=None)


def spec_reference(reference: int, spot: int, max_step: int) -> int:
    allowance = reference * max_step // RAY
    return min(max(spot, reference - allowance), reference + allowance)


def spec_volatility(volatility: int, previous: int, spot: int, alpha: int) -> int:
    gap = abs(spot - previous)
    move = RAY if gap >= previous else -(-gap * RAY // previous)
    kept = -(-volatility * (RAY - alpha) // RAY)
    added = -(-move * alpha // RAY)
    return min(RAY, kept + added)


# --- ORACLE-REFERENCE -----------------------------------------------------------------


@pytest.mark.covers("ORACLE-REFERENCE", "ORACLE-BOUNDED-STEP")
@given(reference=st.integers(1, 10**9 * RAY), spot=PRICE, max_step=FRACTION_OPEN)
@MANY
def test_reference_is_spot_clamped_to_the_step_band(
    reference: int, spot: int, max_step: int
) -> None:
    after = next_reference(reference, spot, max_step)
    assert after == spec_reference(reference, spot, max_step)
    assert after > 0
    assert abs(after - reference) * RAY <= max_step * reference


@pytest.mark.covers("ORACLE-REFERENCE")
def test_reference_follows_a_gap_two_percent_at_a_time() -> None:
    two = percent("2")
    assert next_reference(ray(2_000), ray(1_450), two) == ray(1_960)
    assert next_reference(ray(1_960), ray(1_450), two) == ray("1920.8")
    assert next_reference(ray(2_000), ray(3_000), two) == ray(2_040)
    assert next_reference(ray(2_000), ray(2_010), two) == ray(2_010)  # inside the band


@pytest.mark.covers("ORACLE-REFERENCE", "NUM-ROUNDING")
def test_step_allowance_rounds_down() -> None:
    # reference 3 wei with a 50 % step: the exact allowance 1.5 rounds down to 1
    assert next_reference(3, 100, RAY // 2) == 4
    assert next_reference(3, 1, RAY // 2) == 2
    # a reference so small that the allowance is zero cannot move at all
    assert next_reference(1, 10**30, percent("2")) == 1


@pytest.mark.covers("ORACLE-REFERENCE", "NUM-UINT256")
def test_a_reference_near_the_top_of_uint256_can_still_come_down() -> None:
    state = genesis(PRESETS["gen3"], spot=UINT256_MAX)
    outcome = step(state, ReportOracle(RAY))
    assert isinstance(outcome, Accepted)
    allowance = UINT256_MAX * percent("2") // RAY
    assert outcome.state.oracle.reference == UINT256_MAX - allowance


# --- ORACLE-VOLATILITY ----------------------------------------------------------------


@pytest.mark.covers("ORACLE-VOLATILITY")
@given(volatility=FRACTION_CLOSED, previous=PRICE, spot=PRICE, alpha=FRACTION_CLOSED)
@MANY
@example(volatility=RAY, previous=1, spot=UINT256_MAX, alpha=RAY // 2)
def test_volatility_is_the_capped_ewma_of_spot_moves(
    volatility: int, previous: int, spot: int, alpha: int
) -> None:
    after = next_volatility(volatility, previous, spot, alpha)
    assert after == spec_volatility(volatility, previous, spot, alpha)
    assert 0 <= after <= RAY


@pytest.mark.covers("ORACLE-VOLATILITY")
def test_volatility_of_the_spec_gap_and_its_decay() -> None:
    alpha = percent("10")
    first = next_volatility(0, ray(2_000), ray(1_450), alpha)
    assert first == percent("2.75")
    assert next_volatility(first, ray(1_450), ray(1_450), alpha) == percent("2.475")


@pytest.mark.covers("ORACLE-VOLATILITY")
def test_each_move_is_capped_at_one_hundred_percent() -> None:
    assert next_volatility(0, ray(100), ray(1_000), RAY) == RAY
    assert next_volatility(0, ray(100), ray(200), RAY) == RAY  # exactly 100 %
    assert next_volatility(RAY, ray(100), ray(10_000), percent("10")) == RAY


@pytest.mark.covers("ORACLE-VOLATILITY", "NUM-ROUNDING")
def test_volatility_terms_round_up() -> None:
    # move = 1/3 wei of RAY relative: ceil(1 * RAY / (3 * RAY)) = 1; alpha = RAY/2:
    # added = ceil(1 * (RAY/2) / RAY) = 1 (exact 0.5)
    assert next_volatility(0, 3 * RAY, 3 * RAY + 1, RAY // 2) == 1
    # kept = ceil(1 * (RAY - RAY/2) / RAY) = 1 (exact 0.5)
    assert next_volatility(1, ray(5), ray(5), RAY // 2) == 1


# --- ReportOracle (ACT-REPORT-ORACLE) -------------------------------------------------


@pytest.mark.covers("ACT-REPORT-ORACLE", "ORACLE-REFERENCE", "ORACLE-VOLATILITY")
@pytest.mark.parametrize("policy", ["gen1", "gen2", "gen3"])
def test_report_updates_spot_reference_volatility_and_time(policy: str) -> None:
    b = book(policy, liquidity=0)
    b.evolve(time=1_234)
    events = b.do(ReportOracle(ray(1_450)))
    oracle = b.state.oracle
    assert oracle.spot == ray(1_450)
    assert oracle.reference == ray(1_960)
    assert oracle.volatility == percent("2.75")
    assert oracle.last_update == 1_234
    assert events == (
        OracleUpdated(spot=ray(1_450), reference=ray(1_960), volatility=percent("2.75")),
    )


@pytest.mark.covers("ACT-REPORT-ORACLE", "ORACLE-VOLATILITY")
def test_volatility_is_measured_from_the_previous_spot_not_the_reference() -> None:
    b = book("gen3", liquidity=0)
    b.do(ReportOracle(ray(1_000)))  # reference 1,960: spot 1,000
    b.do(ReportOracle(ray(1_000)))  # no move of spot, although the reference lags far behind
    assert b.state.oracle.volatility == next_volatility(
        percent("5"), ray(1_000), ray(1_000), percent("10")
    )


@pytest.mark.covers("ACT-REPORT-ORACLE")
@pytest.mark.parametrize("policy", ["gen1", "gen2", "gen3"])
def test_a_zero_spot_is_an_invalid_price(policy: str) -> None:
    refusal = book(policy, liquidity=0).refused(ReportOracle(0))
    assert refusal.code is RefusalCode.INVALID_PRICE


@pytest.mark.covers("ORACLE-BOUNDED-STEP", "ACT-REPORT-ORACLE")
@given(
    spots=st.lists(PRICE, min_size=1, max_size=12),
    max_step=st.sampled_from([1, percent("2"), percent("50"), RAY - 1]),
)
@settings(max_examples=60, deadline=None)
def test_reports_never_move_the_reference_more_than_max_step(
    spots: list[int], max_step: int
) -> None:
    state = genesis(config("gen3", max_step=max_step), spot=ray(2_000))
    for spot in spots:
        outcome = step(state, ReportOracle(spot))
        assert isinstance(outcome, Accepted)
        before, after = state.oracle.reference, outcome.state.oracle.reference
        assert abs(after - before) * RAY <= max_step * before
        assert after > 0
        state = outcome.state

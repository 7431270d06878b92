"""The reference price and the volatility estimate (spec/oracle.md), and ReportOracle."""

from __future__ import annotations

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from model import Accepted, genesis, step
from model.actions import AdvanceTime, ReportOracle
from model.errors import RefusalCode
from model.events import OracleUpdated
from model.numbers import RAY, UINT256_MAX
from model.oracle import next_reference, next_volatility, step_allowance
from model.params.presets import PRESETS, percent
from tests.builders import book, config, ray

PRICE = st.one_of(st.integers(1, 10**9 * RAY), st.integers(1, UINT256_MAX))
FRACTION_OPEN = st.integers(1, RAY - 1)
FRACTION_CLOSED = st.integers(0, RAY)
MANY = settings(max_examples=200, deadline=None)


def spec_allowance(reference: int, max_step: int, elapsed: int, period: int) -> int:
    """spec/oracle.md, ORACLE-REFERENCE, in plain integers."""
    return (reference * max_step // RAY) * min(elapsed, period) // period


def spec_reference(reference: int, spot: int, allowance: int) -> int:
    return min(max(spot, reference - allowance), reference + allowance)


def spec_volatility(volatility: int, previous: int, spot: int, alpha: int) -> int:
    gap = abs(spot - previous)
    move = RAY if gap >= previous else -(-gap * RAY // previous)
    kept = -(-volatility * (RAY - alpha) // RAY)
    added = -(-move * alpha // RAY)
    return min(RAY, kept + added)


# --- ORACLE-REFERENCE -----------------------------------------------------------------


@pytest.mark.covers("ORACLE-REFERENCE", "ORACLE-BOUNDED-STEP")
@given(
    reference=st.integers(1, 10**9 * RAY),
    spot=PRICE,
    max_step=FRACTION_OPEN,
    elapsed=st.integers(0, 10**6),
    period=st.integers(1, 10**5),
)
@MANY
@example(reference=10**9 * RAY, spot=1, max_step=RAY - 1, elapsed=1, period=1)
def test_reference_is_spot_clamped_to_the_allowance_for_the_elapsed_time(
    reference: int, spot: int, max_step: int, elapsed: int, period: int
) -> None:
    allowance = step_allowance(reference, max_step, elapsed, period)
    assert allowance == spec_allowance(reference, max_step, elapsed, period)
    after = next_reference(reference, spot, allowance)
    assert after == spec_reference(reference, spot, allowance)
    assert after > 0
    assert abs(after - reference) * RAY * period <= max_step * reference * min(elapsed, period)


@pytest.mark.covers("ORACLE-REFERENCE")
def test_reference_follows_a_gap_two_percent_per_period_at_a_time() -> None:
    two = percent("2")

    def after(reference: int, spot: int, elapsed: int = 600) -> int:
        return next_reference(reference, spot, step_allowance(reference, two, elapsed, 600))

    assert after(ray(2_000), ray(1_450)) == ray(1_960)
    assert after(ray(1_960), ray(1_450)) == ray("1920.8")
    assert after(ray(2_000), ray(3_000)) == ray(2_040)
    assert after(ray(2_000), ray(2_010)) == ray(2_010)  # inside the band
    # a report one minute after the last moves the reference a tenth as far
    assert after(ray(2_000), ray(1_450), elapsed=60) == ray(1_996)
    # a report after a long silence still moves it at most one period's step
    assert after(ray(2_000), ray(1_450), elapsed=86_400) == ray(1_960)
    # a second report in the same second cannot move it at all
    assert after(ray(2_000), ray(1_450), elapsed=0) == ray(2_000)


@pytest.mark.covers("ORACLE-REFERENCE", "NUM-ROUNDING")
def test_step_allowance_rounds_down_twice() -> None:
    # reference 3 wei with a 50 % step: the exact allowance 1.5 rounds down to 1
    assert step_allowance(3, RAY // 2, 10, 10) == 1
    assert next_reference(3, 100, 1) == 4
    assert next_reference(3, 1, 1) == 2
    # then the share of the period rounds down: 1 * 2 / 3 is 0
    assert step_allowance(3, RAY // 2, 2, 3) == 0
    # a reference so small that the allowance is zero cannot move at all
    assert step_allowance(1, percent("2"), 600, 600) == 0


@pytest.mark.covers("ORACLE-REFERENCE", "ORACLE-BOUNDED-STEP")
def test_many_reports_in_one_period_move_the_reference_no_further_than_one() -> None:
    """The attack the per-report clamp allowed: sixty reports a minute apart, each of
    them a crash. Per unit of time, the reference falls at most ``max_step`` per period,
    compounded: here 0.2 % a report, 11.3 % in the hour, where a per-report clamp of 2 %
    would have let it fall 70 %."""
    state = genesis(PRESETS["gen3"], spot=ray(2_000))
    for _ in range(60):
        state = step(state, AdvanceTime(60)).state
        outcome = step(state, ReportOracle(ray(1)))
        assert isinstance(outcome, Accepted)
        state = outcome.state
    expected = ray(2_000)
    for _ in range(60):
        expected -= spec_allowance(expected, percent("2"), 60, 600)
    assert state.oracle.reference == expected
    assert expected * 1000 // ray(2_000) == 886  # 0.998 ** 60 = 0.8867


@pytest.mark.covers("ORACLE-REFERENCE", "NUM-UINT256")
def test_a_reference_near_the_top_of_uint256_can_still_come_down() -> None:
    state = genesis(PRESETS["gen3"], spot=UINT256_MAX)
    state = step(state, AdvanceTime(600)).state
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

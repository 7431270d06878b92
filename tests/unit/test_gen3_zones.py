"""Generation 3 zones, volatility buffer and circuit breakers (spec/policies/gen3.md).

Reference set: L 1.25, T 1.45, margin 10 %, slope 2, cap 25 %, penalty 5 %, floor 0.9,
stale after 3,600 s, max deviation 25 %. Alice: 10 collateral, 14,000 debt, so at zero
volatility she is SAFE from a reference of 1,890, GUARDED from 1,750, UNWINDING from
1,633.33 (10 · 0.9 · ref >= 14,700) and INSOLVENT below.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from model.actions import (
    AdvanceTime,
    Borrow,
    DepositCollateral,
    EndAuction,
    FundPol,
    Kick,
    Repay,
    ReportOracle,
    Settle,
    Take,
    WithdrawCollateral,
)
from model.errors import RefusalCode
from model.numbers import RAY, rmul_down, rmul_up
from model.params.presets import GEN3_ZERO_LOSS as P
from model.params.presets import percent
from model.policies.gen3_zero_loss import Zone, warning_ratio, zone
from model.state import Position
from tests.builders import Book, book, borrower, config, ray, wad

C, D = wad(10), wad(14_000)


def alice(insurance: int = 1_000, pol: int = 0, policy: object = "gen3") -> Book:
    b = book(policy, liquidity=100_000, insurance=insurance, pol=pol)  # type: ignore[arg-type]
    borrower(b, "alice", 10, 14_000)
    return b


def zone_at(b: Book, reference: int, volatility: int = 0) -> Zone:
    b.set_oracle(spot=reference, reference=reference, volatility=volatility)
    return zone(b.state, b.position(0))


def lowest_reference(holds: object) -> int:
    """The least reference (raw RAY) for which ``holds(reference)`` is true (monotone)."""
    low, high = 1, 10**40
    while low < high:
        mid = (low + high) // 2
        if holds(mid):  # type: ignore[operator]
            high = mid
        else:
            low = mid + 1
    return low


# --- GEN3-VOLATILITY-BUFFER -----------------------------------------------------------


@pytest.mark.covers("GEN3-VOLATILITY-BUFFER")
@pytest.mark.parametrize(
    ("volatility", "ratio"),
    [
        (0, "1.35"),
        (percent("2.75"), "1.405"),
        (percent("10"), "1.55"),
        (percent("12.5"), "1.6"),  # the buffer reaches its cap 25 %
        (percent("50"), "1.6"),
        (RAY, "1.6"),
    ],
)
def test_warning_ratio_is_l_plus_margin_plus_capped_volatility_term(
    volatility: int, ratio: str
) -> None:
    assert warning_ratio(P, volatility) == ray(ratio)


@pytest.mark.covers("GEN3-VOLATILITY-BUFFER", "NUM-ROUNDING")
def test_volatility_term_rounds_up() -> None:
    p = config("gen3", volatility_slope=RAY // 3).policy
    assert warning_ratio(p, 1) == P.liquidation_ratio + P.warning_margin + 1  # type: ignore[arg-type]
    assert warning_ratio(p, 3) == P.liquidation_ratio + P.warning_margin + 1  # type: ignore[arg-type]
    assert rmul_up(4, RAY // 3) == 2


@pytest.mark.covers("GEN3-VOLATILITY-BUFFER", "ACT-BORROW")
def test_volatility_shrinks_what_may_be_borrowed() -> None:
    b = alice()
    b.do(Repay("alice", 0, wad(13_000)))  # 1,000 of debt left
    calm = wad(10) * ray(2_000) // warning_ratio(P, 0)
    b.set_oracle(volatility=percent("10"))
    volatile = wad(10) * ray(2_000) // warning_ratio(P, percent("10"))
    assert volatile < calm
    assert b.refusal_code(Borrow("alice", 0, volatile - wad(1_000) + 1)) is (
        RefusalCode.UNDERCOLLATERALIZED
    )
    b.do(Borrow("alice", 0, volatile - wad(1_000)))


@pytest.mark.covers("GEN3-VOLATILITY-BUFFER", "NO-HEALTHY-LIQUIDATION", "GEN3-ZONES")
def test_volatility_never_makes_a_position_liquidatable() -> None:
    b = alice()
    at_l = lowest_reference(lambda r: C * r >= D * P.liquidation_ratio)
    assert zone_at(b, at_l, volatility=RAY) is Zone.GUARDED
    assert b.refusal_code(Kick("keeper", 0)) is RefusalCode.NOT_LIQUIDATABLE


# --- GEN3-ZONES -----------------------------------------------------------------------


@pytest.mark.covers("GEN3-ZONES")
def test_zone_boundaries_are_exact() -> None:
    b = alice()
    safe = lowest_reference(lambda r: C * r >= D * warning_ratio(P, 0))
    guarded = lowest_reference(lambda r: C * r >= D * P.liquidation_ratio)
    unwinding = lowest_reference(
        lambda r: rmul_down(C, rmul_down(r, P.floor_ratio)) >= rmul_up(D, RAY + P.penalty)
    )
    assert (safe, guarded) == (ray(1_890), ray(1_750))
    assert ray("1633.33") < unwinding < ray("1633.34")
    assert zone_at(b, safe) is Zone.SAFE
    assert zone_at(b, safe - 1) is Zone.GUARDED
    assert zone_at(b, guarded) is Zone.GUARDED
    assert zone_at(b, guarded - 1) is Zone.UNWINDING
    assert zone_at(b, unwinding) is Zone.UNWINDING
    assert zone_at(b, unwinding - 1) is Zone.INSOLVENT
    assert zone_at(b, 1) is Zone.INSOLVENT


@pytest.mark.covers("GEN3-ZONES")
def test_a_position_without_debt_is_safe_at_any_price() -> None:
    b = book("gen3")
    borrower(b, "alice", 0, 0)
    assert zone_at(b, 1, volatility=RAY) is Zone.SAFE
    borrower(b, "bob", 1, 0)
    b.set_oracle(reference=1)
    assert zone(b.state, b.position(1)) is Zone.SAFE


@pytest.mark.covers("GEN3-ZONES")
def test_zones_are_decided_on_the_reference_not_spot() -> None:
    b = alice()
    b.set_oracle(spot=ray(1), reference=ray(2_000))
    assert zone(b.state, b.position(0)) is Zone.SAFE
    b.set_oracle(spot=ray(10**6), reference=ray(1_500))
    assert zone(b.state, b.position(0)) is Zone.INSOLVENT


@pytest.mark.covers("GEN3-ZONES", "ACT-BORROW", "ACT-WITHDRAW-COLLATERAL", "ACT-KICK")
def test_what_each_zone_allows() -> None:
    # GUARDED: no borrowing, no withdrawal, no kick; repaying and depositing are fine
    b = alice()
    zone_at(b, ray(1_800))
    assert b.refusal_code(Borrow("alice", 0, 1)) is RefusalCode.UNDERCOLLATERALIZED
    assert b.refusal_code(WithdrawCollateral("alice", 0, 1)) is RefusalCode.UNDERCOLLATERALIZED
    assert b.refusal_code(Kick("keeper", 0)) is RefusalCode.NOT_LIQUIDATABLE
    b.do(Repay("alice", 0, wad(1)))
    # UNWINDING: a kick of a slice, the position keeps the rest
    b = alice()
    zone_at(b, ray(1_700))
    b.do(Kick("keeper", 0))
    assert 0 < b.position(0).debt < D
    # INSOLVENT: the whole position goes
    b = alice()
    zone_at(b, ray(1_500))
    b.do(Kick("keeper", 0))
    assert b.position(0) == Position("alice", 0, 0)


@pytest.mark.covers("GEN3-ZONES", "GEN3-VOLATILITY-BUFFER")
@given(volatility=st.integers(0, RAY), reference=st.integers(ray(1_000), ray(3_000)))
@settings(max_examples=150, deadline=None)
def test_zone_matches_the_table(volatility: int, reference: int) -> None:
    b = alice()
    got = zone_at(b, reference, volatility)
    floor = rmul_down(reference, P.floor_ratio)
    if C * reference >= D * warning_ratio(P, volatility):
        assert got is Zone.SAFE
    elif C * reference >= D * P.liquidation_ratio:
        assert got is Zone.GUARDED
    elif rmul_down(C, floor) >= rmul_up(D, RAY + P.penalty):
        assert got is Zone.UNWINDING
    else:
        assert got is Zone.INSOLVENT


# --- GEN3-BREAKERS --------------------------------------------------------------------


@pytest.mark.covers("GEN3-BREAKERS", "ACT-KICK")
def test_a_stale_oracle_refuses_kicks() -> None:
    b = alice()
    zone_at(b, ray(1_700))
    b.do(AdvanceTime(P.stale_after))
    assert zone(b.state, b.position(0)) is Zone.UNWINDING
    b.do(AdvanceTime(1))
    assert b.refusal_code(Kick("keeper", 0)) is RefusalCode.ORACLE_STALE
    b.do(ReportOracle(ray(1_700)))
    b.do(Kick("keeper", 0))


@pytest.mark.covers("GEN3-BREAKERS", "ACT-KICK")
def test_the_deviation_breaker_refuses_kicks_at_more_than_max_deviation() -> None:
    b = alice()
    zone_at(b, ray(1_700))
    limit = ray(1_700) + ray(1_700) * P.max_deviation // RAY  # exactly 25 % above
    b.set_oracle(spot=limit + 1)
    assert b.refusal_code(Kick("keeper", 0)) is RefusalCode.DEVIATION_BREAKER
    b.set_oracle(spot=ray(1_700) - ray(1_700) * P.max_deviation // RAY - 1)
    assert b.refusal_code(Kick("keeper", 0)) is RefusalCode.DEVIATION_BREAKER
    b.set_oracle(spot=limit)  # exactly 25 %: not tripped
    b.do(Kick("keeper", 0))


@pytest.mark.covers("GEN3-BREAKERS")
def test_a_gap_trips_the_breaker_until_the_reference_catches_up() -> None:
    b = alice()
    b.do(AdvanceTime(600), ReportOracle(ray(1_400)))  # reference 1,960: 28.6 % apart
    assert b.refusal_code(Kick("keeper", 0)) is RefusalCode.DEVIATION_BREAKER
    reports = 1
    while b.state.oracle.reference > ray(1_750):
        b.do(AdvanceTime(600), ReportOracle(ray(1_400)))
        reports += 1
    b.do(Kick("keeper", 0))  # below L now, and within 25 % of spot
    assert reports > 1


@pytest.mark.covers("GEN3-BREAKERS", "ACT-KICK")
def test_kick_guard_order() -> None:
    b = book("gen3", liquidity=100_000)
    assert b.refusal_code(Kick("keeper", 0)) is RefusalCode.UNKNOWN_POSITION
    borrower(b, "alice", 10, 0)
    b.do(AdvanceTime(10**6))  # stale, but there is nothing to liquidate
    assert b.refusal_code(Kick("keeper", 0)) is RefusalCode.NOTHING_TO_LIQUIDATE
    b = alice()
    zone_at(b, ray(2_000))
    b.set_oracle(spot=ray(10_000))  # deviation, and not liquidatable: deviation first
    assert b.refusal_code(Kick("keeper", 0)) is RefusalCode.DEVIATION_BREAKER
    b.do(AdvanceTime(P.stale_after + 1))  # stale and deviation: stale first
    assert b.refusal_code(Kick("keeper", 0)) is RefusalCode.ORACLE_STALE


@pytest.mark.covers("GEN3-BREAKERS", "ACT-TAKE", "ACT-END-AUCTION", "ACT-SETTLE")
def test_takes_pol_purchases_and_settlements_are_never_paused() -> None:
    b = alice(pol=0)
    zone_at(b, ray(1_700))
    b.do(Kick("keeper", 0))
    b.set_oracle(spot=ray(10_000))  # deviation tripped (spot far above: POL still buys at the mark)
    b.do(AdvanceTime(P.auction_duration))  # and stale
    floor = b.auction(0).floor
    b.do(Take("bidder", 0, wad(1), floor))
    b.do(FundPol("dao", wad(100_000)), EndAuction(0))
    b.do(Settle(0))
    assert b.state.auctions.get(0) is None


@pytest.mark.covers("GEN3-BREAKERS")
def test_a_stale_oracle_does_not_refuse_repayment_or_deposits() -> None:
    b = alice()
    b.do(AdvanceTime(10**6))
    b.do(Repay("alice", 0, wad(1)), DepositCollateral("alice", 0, wad(1)))

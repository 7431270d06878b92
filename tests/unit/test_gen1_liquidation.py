"""Generation 1: the spot sell-off (spec/policies/gen1.md, GEN1-LIQUIDATION, ACT-LIQUIDATE).

Reference set: Aave v3, L = 1/0.825 = 1.2121, bonus 5 %, close factor 50 %, whole debt
below 0.95 · L = 1.1515; borrow ratio 1.25. Alice: 10 collateral, 16,000 debt (CR 1.25 at
2,000).
"""

from __future__ import annotations

import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st

from model.actions import Liquidate
from model.errors import RefusalCode
from model.events import Buffer, Liquidated, ShortfallCovered
from model.numbers import RAY
from model.params.presets import GEN1_AAVE_V3 as P
from model.policies import gen1_spot
from tests.builders import Book, book, borrower, ray, wad

DUST = wad(1_000)


def alice_at(price: int | str, collateral: int | str = 10, debt: int | str = 16_000) -> Book:
    b = book("gen1", liquidity=100_000)
    borrower(b, "alice", collateral, debt)
    b.set_prices(price)
    return b


# --- an independent reading of the spec ----------------------------------------------


def spec_max_repay(c: int, d: int, spot: int) -> int:
    if c * spot < d * P.full_close_ratio:
        return d
    share = -(-d * P.close_factor // RAY)
    return d if d - share < DUST else share


def spec_liquidate(c: int, d: int, spot: int, repay: int) -> RefusalCode | tuple[int, int]:
    """``(repaid, seized)`` as spec/policies/gen1.md defines them, or the refusal."""
    if repay == 0:
        return RefusalCode.ZERO_AMOUNT
    if d == 0:
        return RefusalCode.NOTHING_TO_LIQUIDATE
    if not c * spot < d * P.liquidation_ratio:
        return RefusalCode.NOT_LIQUIDATABLE
    if repay > spec_max_repay(c, d, spot):
        return RefusalCode.CLOSE_FACTOR_EXCEEDED
    seized = repay * (RAY + P.bonus) // spot
    repaid = repay
    if seized > c:
        seized = c
        repaid = min(repay, -(-c * spot // (RAY + P.bonus)))
    if 0 < d - repaid < DUST and seized < c:
        return RefusalCode.DUST
    return repaid, seized


# --- the liquidatable test and the close factor ---------------------------------------


@pytest.mark.covers("GEN1-LIQUIDATION", "ACT-LIQUIDATE")
def test_a_position_at_or_above_the_liquidation_ratio_is_not_liquidatable() -> None:
    b = alice_at(2_000)
    assert b.refusal_code(Liquidate("liq", 0, wad(1))) is RefusalCode.NOT_LIQUIDATABLE


@pytest.mark.covers("GEN1-LIQUIDATION", "ACT-LIQUIDATE")
def test_liquidatable_test_is_exact_at_the_boundary() -> None:
    b = alice_at(2_000)
    d, c = b.position(0).debt, b.position(0).collateral
    lowest_safe = -(-d * P.liquidation_ratio // c)  # least spot with C * spot >= D * L
    b.set_oracle(spot=lowest_safe, reference=lowest_safe)
    assert b.refusal_code(Liquidate("liq", 0, wad(1))) is RefusalCode.NOT_LIQUIDATABLE
    b.set_oracle(spot=lowest_safe - 1, reference=lowest_safe - 1)
    b.do(Liquidate("liq", 0, wad(1)))


@pytest.mark.covers("GEN1-LIQUIDATION", "ACT-LIQUIDATE")
def test_close_factor_limits_one_liquidation_to_half_the_debt() -> None:
    b = alice_at(1_900)  # CR 1.1875: liquidatable, above the full-close ratio 1.1515
    assert b.refusal_code(Liquidate("liq", 0, wad(8_000) + 1)) is RefusalCode.CLOSE_FACTOR_EXCEEDED
    events = b.do(Liquidate("liq", 0, wad(8_000)))
    seized = wad(8_000) * (RAY + P.bonus) // ray(1_900)
    assert events == (Liquidated(position=0, liquidator="liq", repaid=wad(8_000), seized=seized),)
    assert b.position(0).debt == wad(8_000)
    assert b.position(0).collateral == wad(10) - seized
    assert b.state.pool.cash == wad(100_000 - 16_000 + 8_000)
    assert b.state.ledger.quote_in == wad(108_000)
    assert b.state.ledger.collateral_out == seized


@pytest.mark.covers("GEN1-LIQUIDATION", "NUM-ROUNDING")
def test_close_factor_share_rounds_up() -> None:
    b = alice_at(1_750, collateral=11, debt="16000.000000000000000001")  # CR 1.203
    d = b.position(0).debt
    assert d % 2 == 1
    assert b.refusal_code(Liquidate("liq", 0, d // 2 + 2)) is RefusalCode.CLOSE_FACTOR_EXCEEDED
    b.do(Liquidate("liq", 0, d // 2 + 1))  # ceil(D / 2)


@pytest.mark.covers("GEN1-LIQUIDATION")
def test_below_the_full_close_ratio_the_whole_debt_may_be_repaid() -> None:
    b = alice_at(1_700)  # CR 1.0625 < 1.1515
    b.do(Liquidate("liq", 0, wad(16_000)))
    seized = wad(16_000) * (RAY + P.bonus) // ray(1_700)
    assert b.position(0) == b.position(0).__class__("alice", wad(10) - seized, 0)


@pytest.mark.covers("GEN1-LIQUIDATION", "DEBT-DUST")
def test_the_whole_debt_may_be_repaid_when_half_would_leave_dust() -> None:
    b = book("gen1", liquidity=100_000)
    borrower(b, "alice", 10, 1_500)
    b.set_prices(180)  # CR 1.2 < L, above the full-close ratio 1.1515
    # half is 750; 1,500 - 750 < dust, so the whole 1,500 is allowed
    b.do(Liquidate("liq", 0, wad(1_500)))
    assert b.position(0).debt == 0


@pytest.mark.covers("GEN1-LIQUIDATION", "ACT-LIQUIDATE", "DEBT-DUST")
def test_a_liquidation_may_not_leave_dust_while_collateral_remains() -> None:
    b = alice_at(1_700)
    assert b.refusal_code(Liquidate("liq", 0, wad(15_500))) is RefusalCode.DUST
    b.do(Liquidate("liq", 0, wad(15_000)))  # leaves exactly dust
    assert b.position(0).debt == DUST


# --- seizure, and the write-off when collateral runs out ------------------------------


@pytest.mark.covers("GEN1-LIQUIDATION", "ACT-LIQUIDATE", "LOSS-WATERFALL", "NUM-ROUNDING")
def test_when_collateral_runs_out_the_rest_of_the_debt_is_written_off_lps() -> None:
    b = alice_at(1_500)  # CR 0.9375 < 1 + bonus: the bonus cannot be paid in full
    events = b.do(Liquidate("liq", 0, wad(16_000)))
    repaid = -(-wad(10) * ray(1_500) // (RAY + P.bonus))  # rounded up: owed
    written_off = wad(16_000) - repaid
    assert events == (
        Liquidated(position=0, liquidator="liq", repaid=repaid, seized=wad(10)),
        ShortfallCovered(position=0, source=Buffer.LPS, amount=written_off),
    )
    assert b.position(0).collateral == 0 and b.position(0).debt == 0
    assert b.state.pool.lp_claims == wad(100_000) - written_off
    assert b.state.ledger.bad_debt == written_off
    assert b.state.pool.cash == wad(100_000 - 16_000) + repaid


@pytest.mark.covers("GEN1-LIQUIDATION", "ACT-LIQUIDATE")
def test_a_capped_seizure_repays_no_more_than_asked() -> None:
    b = alice_at(1_500)
    # a repay of 15,000 would seize 10.5 > 10: seized = 10, repaid = min(15,000, 14,285.7)
    events = b.do(Liquidate("liq", 0, wad(15_000)))
    liquidated = events[0]
    assert isinstance(liquidated, Liquidated)
    assert liquidated.seized == wad(10)
    assert liquidated.repaid == -(-wad(10) * ray(1_500) // (RAY + P.bonus))
    b2 = alice_at(1_500)
    # a repay just big enough to take all collateral: repaid stays the request
    repay = -(-wad(10) * ray(1_500) // (RAY + P.bonus)) - 1
    seized_raw = repay * (RAY + P.bonus) // ray(1_500)
    if seized_raw > wad(10):
        events = b2.do(Liquidate("liq", 0, repay))
        assert isinstance(events[0], Liquidated) and events[0].repaid == repay


@pytest.mark.covers("GEN1-LIQUIDATION", "ACT-LIQUIDATE")
def test_liquidate_guard_order() -> None:
    b = book("gen1", liquidity=100_000)
    assert b.refusal_code(Liquidate("liq", 0, 0)) is RefusalCode.UNKNOWN_POSITION
    borrower(b, "alice", 10, 0)
    assert b.refusal_code(Liquidate("liq", 0, 0)) is RefusalCode.ZERO_AMOUNT
    assert b.refusal_code(Liquidate("liq", 0, 1)) is RefusalCode.NOTHING_TO_LIQUIDATE
    b = alice_at(2_000)
    assert b.refusal_code(Liquidate("liq", 0, wad(10**6))) is RefusalCode.NOT_LIQUIDATABLE
    b.set_prices(1_900)
    # over the close factor, and would leave dust: the close factor is checked first
    assert b.refusal_code(Liquidate("liq", 0, wad(15_500))) is RefusalCode.CLOSE_FACTOR_EXCEEDED


@pytest.mark.covers("GEN1-LIQUIDATION", "ACT-LIQUIDATE", "ROUNDING-FAVOURS-PROTOCOL")
@given(
    collateral=st.integers(1, 10**22),
    debt=st.integers(10**21, 10**24),
    spot=st.integers(RAY // 1_000, 10**4 * RAY),
    repay=st.integers(0, 10**24),
)
@settings(max_examples=200, deadline=None)
def test_liquidate_matches_the_spec(collateral: int, debt: int, spot: int, repay: int) -> None:
    """Any position and price: the model refuses or seizes exactly as the spec says."""
    b = book("gen1", liquidity=0)
    b.check = True
    borrower(b, "alice", 0, 0)
    b.evolve(
        positions=b.state.positions.set(0, b.position(0).__class__("alice", collateral, debt)),
        pool=b.state.pool.__class__(cash=0, lp_claims=debt, total_shares=debt),
        lp_shares=b.state.lp_shares.set("lp", debt),
        ledger=b.state.ledger.__class__(collateral, 0, 0, 0, 0),
    )
    b.set_oracle(spot=spot, reference=spot)
    expected = spec_liquidate(collateral, debt, spot, repay)
    event(expected.name if isinstance(expected, RefusalCode) else "accepted")
    outcome = b.step(Liquidate("liq", 0, repay))
    if isinstance(expected, RefusalCode):
        assert not outcome.accepted
        assert outcome.refusal.code is expected  # type: ignore[union-attr]
        return
    repaid, seized = expected
    assert outcome.accepted
    liquidated = outcome.events[0]  # type: ignore[union-attr]
    assert liquidated == Liquidated(position=0, liquidator="liq", repaid=repaid, seized=seized)
    assert seized * spot <= repaid * (RAY + P.bonus)
    assert repaid <= gen1_spot.max_repay(b.state, b.position(0)) or b.position(0).debt == 0
    left = b.position(0)
    assert left.collateral == collateral - seized
    if left.collateral == 0:
        assert left.debt == 0
        assert b.state.ledger.bad_debt == debt - repaid
    else:
        assert left.debt == debt - repaid

"""The rounding table of spec/numbers.md, row by row, at each call site.

Each row is checked through the action that performs it, on numbers chosen so that the
exact result is not an integer: the engine's value must be the floor or the ceiling of
the exact rational, as the table says. Rows checked elsewhere: LP shares
(test_lending_pool), the reference step and the volatility terms (test_oracle), the gen 3
warning buffer (test_gen3_zones), the penalty share (test_gen3_auctions), gen 1
(test_gen1_liquidation), the gen 2 tab, top, room and lot (test_gen2_auctions), the
MakerDAO curves (test_abaci_curves) and the gen 3 curve (test_gen3_curve).
"""

from __future__ import annotations

from fractions import Fraction

import pytest

from model.actions import AdvanceTime, Kick, Take
from model.events import IncentivePaid, Kicked, Taken
from model.numbers import RAY, WAD
from model.params.derived import gen2_chost
from model.params.presets import GEN2_MAKER_ETH_A as G2
from model.params.presets import GEN3_ZERO_LOSS as P
from model.state import Market
from tests.builders import Book, book, borrower, config, ray, single_position, wad


def rounded_up(value: int, exact: Fraction) -> bool:
    """``value`` is the ceiling of a non-integer ``exact``."""
    return exact.denominator != 1 and value == -(-exact.numerator // exact.denominator)


def rounded_down(value: int, exact: Fraction) -> bool:
    return exact.denominator != 1 and value == exact.numerator // exact.denominator


ODD_REF = ray(1_700) + 123_456_789  # a reference whose products with ratios are inexact


def gen3_kick(collateral: int, debt: int, reference: int, **policy: int) -> tuple[Book, Kicked]:
    b = single_position(config("gen3", **policy), collateral, debt, reference)
    b.evolve(market=Market(depth=wad(10**6), period_start=0, kicked_in_period=0))
    events = b.do(Kick("keeper", 0))
    kicked = events[0]
    assert isinstance(kicked, Kicked)
    return b, kicked


@pytest.mark.covers("NUM-ROUNDING", "ROUNDING-FAVOURS-PROTOCOL", "GEN3-SLICE")
def test_gen3_floor_down_start_up_tab_up_lot_up() -> None:
    collateral, debt = wad(10) + 7, wad(14_000) + 3
    _, k = gen3_kick(collateral, debt, ODD_REF)
    assert rounded_down(k.floor, Fraction(ODD_REF * P.floor_ratio, RAY))
    assert rounded_up(k.top, Fraction(ODD_REF * P.start_premium, RAY))
    assert rounded_up(k.tab, Fraction(k.debt * (RAY + P.penalty), RAY))
    assert k.lot < collateral  # solvent: the lot is sized at the floor
    assert rounded_up(k.lot, Fraction(k.tab * RAY, k.floor))


@pytest.mark.covers("NUM-ROUNDING", "GEN3-SLICE")
def test_gen3_debt_to_target_rounds_up_from_rounded_parts() -> None:
    collateral, debt = wad(10) + 7, wad(14_000) + 3
    _, k = gen3_kick(collateral, debt, ODD_REF)
    owed = -(-debt * P.target_ratio // RAY)  # T * debt, up
    value = collateral * ODD_REF // RAY  # value, down
    backstop = -(-(RAY + P.penalty) * RAY // P.floor_ratio)  # B, up
    assert rounded_up(k.debt, Fraction((owed - value) * RAY, P.target_ratio - backstop))


@pytest.mark.covers("NUM-ROUNDING", "GEN3-SLICE")
def test_gen3_pro_rata_lot_rounds_up() -> None:
    # INSOLVENT, cut to 5,000 of debt by the exposure cap
    collateral, debt = wad(10) + 7, wad(14_000) + 3
    cap = -(-wad(5_000) * (RAY + P.penalty) // RAY)
    _, k = gen3_kick(collateral, debt, ray(1_500), exposure_cap=cap)
    assert k.debt < debt
    assert rounded_up(k.lot, Fraction(collateral * k.debt, debt))


@pytest.mark.covers("NUM-ROUNDING", "ROUNDING-FAVOURS-PROTOCOL")
def test_gen3_keeper_chip_rounds_down() -> None:
    b, k = gen3_kick(wad(10) + 7, wad(14_000) + 3, ODD_REF)
    incentive = b.events[-1]
    assert isinstance(incentive, IncentivePaid)
    owed = incentive.amount + incentive.unpaid  # no insurance here: all of it unpaid
    assert incentive.amount == 0
    assert rounded_down(owed, Fraction(k.tab * P.keeper_chip, RAY))


@pytest.mark.covers("NUM-ROUNDING", "ROUNDING-FAVOURS-PROTOCOL", "ACT-TAKE", "CURVE-GEN3")
def test_curve_price_up_paid_up_capped_collateral_down() -> None:
    b, k = gen3_kick(wad(10) + 7, wad(14_000) + 3, ODD_REF)
    b.do(AdvanceTime(7))  # 7 s into a 1,800 s decay: an inexact point of the line
    taken = b.do(Take("bob", 0, wad(1) + 1, 10**40))[0]
    assert isinstance(taken, Taken)
    line = k.floor + Fraction((k.top - k.floor) * (P.decay_duration - 7), P.decay_duration)
    assert rounded_up(taken.price, line)
    assert rounded_up(taken.paid, Fraction((wad(1) + 1) * taken.price, RAY))
    # now more than the rest of the tab: the buyer pays the tab and gets tab / price, down
    rest = b.auction(0).debt + b.auction(0).fee
    taken = b.do(Take("bob", 0, 10**30, 10**40))[0]
    assert isinstance(taken, Taken)
    assert taken.paid == rest
    assert rounded_down(taken.collateral, Fraction(rest * RAY, taken.price))


@pytest.mark.covers("NUM-ROUNDING", "ROUNDING-FAVOURS-PROTOCOL", "GEN2-BARK")
def test_gen2_keeper_chip_rounds_down_and_chost_rounds_up() -> None:
    b = book(config("gen2", dust="1000.000000000000000001"), liquidity=100_000, insurance=1_000)
    borrower(b, "alice", 10, "13000.000000000000000003")
    b.set_prices(1_800)
    events = b.do(Kick("keeper", 0))
    k, incentive = events
    assert isinstance(k, Kicked) and isinstance(incentive, IncentivePaid)
    assert rounded_down(incentive.amount, Fraction(k.tab * G2.chip, WAD))
    chost = gen2_chost(G2, wad("1000.000000000000000001"))
    assert rounded_up(chost, Fraction(wad("1000.000000000000000001") * G2.chop, WAD))
    # a partial take leaves exactly that chost
    b.do(Take("bob", 0, wad("5.9"), 10**40))
    assert b.auction(0).debt + b.auction(0).fee == chost

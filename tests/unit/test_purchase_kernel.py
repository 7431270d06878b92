"""The purchase kernel shared by gen 2 and gen 3 takes and POL purchases (spec/actions.md).

A purchase never buys more than raises the tab, a partial purchase leaves at least
``chost`` of tab, and in every case ``collateral * price <= paid * RAY``.
"""

from __future__ import annotations

import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st

from model.errors import Refusal, RefusalCode
from model.numbers import RAY, WAD
from model.rules.auctions import purchase


def spec_purchase(
    lot: int, tab: int, price: int, amount: int, chost: int
) -> RefusalCode | tuple[int, int]:
    """The pseudo-code of spec/actions.md, line by line."""
    if price == 0:
        return RefusalCode.INVALID_PRICE
    collateral = min(lot, amount)
    paid = -(-collateral * price // RAY)
    if paid > tab:
        paid = tab
        collateral = paid * RAY // price
    elif paid < tab and collateral < lot and tab - paid < chost:
        if tab <= chost:
            return RefusalCode.NO_PARTIAL_PURCHASE
        paid = tab - chost
        collateral = paid * RAY // price
    return collateral, paid


AMOUNT = st.one_of(st.integers(0, 10**24), st.integers(0, 10**40))
PRICE = st.one_of(st.integers(0, 10**31), st.integers(1, 10**40))


@pytest.mark.covers("ACT-TAKE", "ROUNDING-FAVOURS-PROTOCOL", "NUM-ROUNDING")
@given(lot=AMOUNT, tab=AMOUNT, price=PRICE, amount=AMOUNT, chost=st.integers(0, 10**22))
@settings(max_examples=300, deadline=None)
def test_purchase_matches_the_spec(lot: int, tab: int, price: int, amount: int, chost: int) -> None:
    expected = spec_purchase(lot, tab, price, amount, chost)
    got = purchase(lot, tab, price, amount, chost)
    if isinstance(expected, RefusalCode):
        event(expected.name)
        assert isinstance(got, Refusal) and got.code is expected
        return
    assert got == expected
    collateral, paid = expected
    event("whole lot" if collateral == lot else "tab raised" if paid == tab else "partial")
    assert collateral * price <= paid * RAY
    assert collateral <= min(lot, amount)
    assert paid <= tab
    if paid < tab and collateral < lot:
        assert tab - paid >= chost


@pytest.mark.covers("ACT-TAKE", "NUM-ROUNDING")
def test_the_buyer_pays_the_value_rounded_up() -> None:
    # 1 wei of collateral at 1.5 wei per unit: pays 2
    assert purchase(lot=10, tab=10**6, price=RAY + RAY // 2, amount=1, chost=0) == (1, 2)


@pytest.mark.covers("ACT-TAKE", "NUM-ROUNDING")
def test_a_purchase_that_would_exceed_the_tab_pays_the_tab_and_gets_less() -> None:
    # tab 100 at price 3: exactly 33.33 collateral would raise it; the buyer gets 33 (down)
    assert purchase(lot=1_000, tab=100, price=3 * RAY, amount=1_000, chost=0) == (33, 100)


@pytest.mark.covers("ACT-TAKE")
def test_a_partial_purchase_is_cut_to_leave_chost() -> None:
    lot, tab, price, chost = 10 * WAD, 14_690 * WAD, 2_340 * RAY, 1_130 * WAD
    collateral, paid = purchase(lot, tab, price, 59 * WAD // 10, chost)  # type: ignore[misc]
    assert paid == tab - chost
    assert collateral == paid * RAY // price


@pytest.mark.covers("ACT-TAKE")
def test_once_the_tab_is_at_most_chost_only_all_or_nothing() -> None:
    chost = 1_130 * WAD
    refused = purchase(10 * WAD, chost, 100 * RAY, WAD, chost)
    assert isinstance(refused, Refusal) and refused.code is RefusalCode.NO_PARTIAL_PURCHASE
    # the whole lot, or enough to raise the whole tab, is still allowed
    assert purchase(WAD // 10, chost, 2_340 * RAY, WAD, chost) == (WAD // 10, 234 * WAD)
    assert purchase(10 * WAD, chost, 2_340 * RAY, 10 * WAD, chost) == (
        chost * RAY // (2_340 * RAY),
        chost,
    )


@pytest.mark.covers("ACT-TAKE")
def test_a_zero_price_is_refused() -> None:
    refused = purchase(10, 10, 0, 10, 0)
    assert isinstance(refused, Refusal) and refused.code is RefusalCode.INVALID_PRICE

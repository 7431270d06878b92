"""The partial buyer: cuts an auction's tab down to exactly ``chost``, then buys
collateral worth a fraction of a base unit less than that tab (gen 2, gen 3).

The purchase kernel (``spec/actions.md``) compares the exact value ``collateral *
price`` with the tab, as dss does in RAD: a purchase worth less than the tab by less
than one base unit is still partial, although the price it pays, rounded up, is the
whole tab; with the tab already at ``chost`` a partial purchase is impossible
(NO_PARTIAL_PURCHASE). A random amount meets that window about once in ``price / RAY``
tries, so this actor searches the next seconds of the stage for a price at which the
largest collateral below the tab's value lands within it, waits until then and buys.
The guard lists after the step say whether it must be refused.
"""

from __future__ import annotations

import attrs
from hypothesis import strategies as st
from hypothesis.stateful import precondition, rule

from model.actions import AdvanceTime, Take
from model.numbers import RAY
from model.params import derived
from model.params.records import Gen2DutchParams, Gen3ZeroLossParams
from model.policies import policy_of
from model.state import Auction, State
from tests.stateful.machine import EngineMachine

BUYER = "partial"
HORIZON = 400
"""Seconds of a stage searched for a price that lands a purchase in the window."""


def chost(state: State) -> int | None:
    """The least tab a partial purchase may leave, or None for gen 1."""
    policy = state.config.policy
    if isinstance(policy, Gen2DutchParams):
        return derived.gen2_chost(policy, state.config.dust)
    if isinstance(policy, Gen3ZeroLossParams):
        return derived.gen3_chost(policy, state.config.dust)
    return None


def _plan(state: State, auction: Auction, least: int, when: int) -> tuple[int, int, int] | None:
    """At ``when``: ``(price, cut, edge)``, the amount that cuts the tab to ``least``
    (0 if it is there already) and the amount worth a fraction of a unit less than
    ``least`` that is still less than the lot left, if there is one at that price."""
    current = policy_of(state.config).auction_price
    assert current is not None
    price = current(attrs.evolve(state, time=when), auction)
    if price == 0:
        return None
    cut, lot = 0, auction.lot
    if auction.tab > least:
        cut = (auction.tab - least) * RAY // price + 1
        lot -= cut - 1  # the kernel cuts the purchase to leave exactly ``least``
    edge = least * RAY // price
    if 0 < least * RAY - edge * price < RAY and 0 < edge < lot and cut < auction.lot:
        return price, cut, edge
    return None


class PartialBuyer(EngineMachine):
    @precondition(lambda self: chost(self.state) is not None and self.has_live_auction())
    @rule(data=st.data())
    def partial_buyer_buys_within_a_unit_of_chost(self, data: st.DataObject) -> None:
        auction_id = self.live_auction(data)
        auction = self.state.auctions[auction_id]
        least = chost(self.state)
        assert least is not None
        for when in range(self.state.time, self.state.time + HORIZON):
            planned = _plan(self.state, auction, least, when)
            if planned is not None:
                break
        else:
            return
        price, cut, edge = planned
        if when > self.state.time:
            self.apply(AdvanceTime(when - self.state.time))
        if cut:
            self.apply(Take(BUYER, auction_id, cut, price))
        self.apply(Take(BUYER, auction_id, edge, price))

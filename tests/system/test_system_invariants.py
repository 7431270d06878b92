"""Each system invariant holds along the runs of ``test_system.py`` (``SystemBook`` checks
them at every step) and here catches the corruption it is about: none is vacuous."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import attrs
import pytest
from immutables import Map

from model.actions import Borrow, SupplyLiquidity
from model.state import Position
from model.system import OnMarket, ShutdownMarket, System, SystemAccepted, Topology
from model.system.invariants import (
    SYSTEM_INVARIANTS,
    halted_venue_still,
    shutdown_irreversible,
    shutdown_no_new_debt,
    violated_system_invariants,
)
from model.system.state import Message
from tests.builders import wad
from tests.system.builders import two_markets

CAPS = Map({"LUNA": wad(1_000), "ETH": wad(1_000)})


def _market(system: System, market: str, **fields: Any) -> System:
    state = attrs.evolve(system.markets[market], **fields)
    return attrs.evolve(system, markets=system.markets.set(market, state))


def _backstop(system: System, **fields: Any) -> System:
    assert system.backstop is not None
    return attrs.evolve(system, backstop=attrs.evolve(system.backstop, **fields))


CORRUPTIONS: dict[str, Callable[[System], System]] = {
    "SYS-MARKET-INVARIANTS": lambda s: _market(
        s, "ETH", pool=attrs.evolve(s.markets["ETH"].pool, cash=1)
    ),
    "SYS-HOLE": lambda s: attrs.evolve(s, config=attrs.evolve(s.config, hole=-1)),
    "BACKSTOP-CAP": lambda s: _backstop(s, drawn=Map({"LUNA": 1, "ETH": 0})),
    "SYS-CONSERVE-QUOTE": lambda s: attrs.evolve(
        s, shared=attrs.evolve(s.shared, cash=s.shared.cash + 1)
    ),
    "SYS-SHARED-OWNERSHIP": lambda s: _market(
        s, "ETH", lp_shares=s.markets["ETH"].lp_shares.set("lp", 0)
    ),
    "SYS-VENUE-HALT": lambda s: attrs.evolve(s, venue_of=s.venue_of.delete("ETH")),
    "MSG-AT-MOST-ONCE": lambda s: attrs.evolve(
        s, messages=Map({0: Message("terra", "ethereum", 0, 0)})
    ),
}


@pytest.mark.covers(
    "SYS-MARKET-INVARIANTS",
    "SYS-HOLE",
    "BACKSTOP-CAP",
    "SYS-CONSERVE-QUOTE",
    "SYS-SHARED-OWNERSHIP",
    "SYS-VENUE-HALT",
    "MSG-AT-MOST-ONCE",
)
@pytest.mark.parametrize("invariant", sorted(SYSTEM_INVARIANTS))
def test_each_invariant_holds_and_catches_its_corruption(invariant: str) -> None:
    system = two_markets(Topology.SHARED, caps=CAPS).system
    assert violated_system_invariants(system) == ()
    assert invariant in violated_system_invariants(CORRUPTIONS[invariant](system))


@pytest.mark.covers("SYS-STATE", "SYS-TOPOLOGY")
def test_both_topologies_start_consistent() -> None:
    for topology in Topology:
        system = two_markets(topology).system
        assert violated_system_invariants(system) == ()
        assert set(system.markets) == set(system.venue_of) == {"LUNA", "ETH"}


@pytest.mark.covers("SHUTDOWN-IRREVERSIBLE", "SHUTDOWN-NO-NEW-DEBT", "SYS-VENUE-HALT")
def test_the_step_properties_catch_what_they_are_about() -> None:
    pre = attrs.evolve(two_markets().system, shut_down=frozenset({"ETH"}))
    reopened = SystemAccepted(attrs.evolve(pre, shut_down=frozenset()), ())
    assert not shutdown_irreversible(pre, ShutdownMarket("x", "ETH"), reopened)
    eth = pre.markets["ETH"]
    more_debt = _market(pre, "ETH", positions=eth.positions.set(0, Position("bob", 0, wad(10**6))))
    assert not shutdown_no_new_debt(
        pre, OnMarket("ETH", Borrow("bob", 0, 1)), SystemAccepted(more_debt, ())
    )
    halted = attrs.evolve(pre, halted=frozenset({"ethereum"}))
    moved = _market(halted, "ETH", time=eth.time + 1)
    assert not halted_venue_still(
        halted, OnMarket("ETH", SupplyLiquidity("x", 1)), SystemAccepted(moved, ())
    )

"""Asynchronous settlement between venues (``spec/markets.md``, MSG-*): value leaves at
once, is in flight, arrives once, after the latency, never on a halted venue."""

from __future__ import annotations

import attrs
import pytest

from model.actions import Repay
from model.errors import RefusalCode as Code
from model.system.actions import DeliverMessage, FundVenue, HaltVenue, SendMessage, Tick
from model.system.state import in_flight
from tests.builders import wad
from tests.system.builders import SystemBook, two_markets

LATENCY = 1_200


def bridged() -> SystemBook:
    """Two venues (terra, ethereum), a 20-minute latency, 1,000 in terra's treasury."""
    b = two_markets()
    config = attrs.evolve(b.system.config, latency=LATENCY)
    b.system = attrs.evolve(b.system, config=config)
    b.do(FundVenue("dao", "terra", wad(1_000)))
    return b


@pytest.mark.covers("ACT-FUND-VENUE", "ACT-SEND-MESSAGE", "ACT-DELIVER-MESSAGE", "ACT-TICK")
@pytest.mark.covers("MSG-CONSERVE", "MSG-LATENCY", "MSG-AT-MOST-ONCE")
def test_a_message_is_in_flight_then_delivered_once_after_the_latency() -> None:
    b = bridged()
    b.do(SendMessage("terra", "ethereum", wad(400)))
    assert b.system.treasury["terra"] == wad(600) and in_flight(b.system) == wad(400)
    b.do(Tick(LATENCY - 1))
    assert b.refused(DeliverMessage("relayer", 0)).code is Code.MESSAGE_TOO_EARLY
    b.do(Tick(1), DeliverMessage("relayer", 0))
    assert b.system.treasury["ethereum"] == wad(400) and in_flight(b.system) == 0
    assert b.refused(DeliverMessage("relayer", 0)).code is Code.UNKNOWN_MESSAGE
    assert b.refused(SendMessage("terra", "ethereum", wad(601))).code is Code.INSUFFICIENT_LIQUIDITY
    assert b.refused(SendMessage("terra", "solana", 1)).code is Code.UNKNOWN_VENUE
    assert b.refused(Tick(0)).code is Code.ZERO_AMOUNT


@pytest.mark.covers("MSG-HALT", "MSG-CONSERVE")
def test_a_halted_destination_keeps_the_message_in_flight_and_blocks_nothing_else() -> None:
    b = bridged()
    b.do(SendMessage("terra", "ethereum", wad(100)), SendMessage("terra", "ethereum", wad(50)))
    b.do(HaltVenue("ethereum"), Tick(LATENCY))
    assert b.refused(DeliverMessage("relayer", 0)).code is Code.VENUE_HALTED
    assert in_flight(b.system) == wad(150)  # counted, never lost
    b.do(SendMessage("terra", "terra", wad(10)), Tick(LATENCY), DeliverMessage("relayer", 2))
    b.on("LUNA", Repay("alice", 0, wad(1)))  # terra's markets run on
    assert b.system.treasury["terra"] == wad(1_000 - 150)


@pytest.mark.covers("MSG-HALT")
def test_a_halted_source_sends_nothing() -> None:
    b = bridged()
    b.do(HaltVenue("terra"))
    assert b.refused(SendMessage("terra", "ethereum", 1)).code is Code.VENUE_HALTED
    assert b.refused(FundVenue("dao", "terra", 1)).code is Code.VENUE_HALTED
    assert b.refused(DeliverMessage("relayer", "0")).code is Code.INVALID_FIELD  # type: ignore[arg-type]

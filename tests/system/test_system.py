"""Many markets (``spec/markets.md``): routing, topologies, hole, shutdown, backstop, venues.

Every step here runs through ``SystemBook``, which checks every system invariant, every
market's invariants and the system step properties after it.
"""

from __future__ import annotations

import attrs
import pytest
from immutables import Map

from model import Accepted, genesis, step
from model.actions import (
    AdvanceTime,
    Borrow,
    DepositCollateral,
    Kick,
    OpenPosition,
    Repay,
    ReportOracle,
    SupplyLiquidity,
    WithdrawCollateral,
    WithdrawLiquidity,
)
from model.errors import RefusalCode as Code
from model.params.presets import PRESETS
from model.system import (
    Allocate,
    DrawBackstop,
    FundBackstop,
    HaltVenue,
    OnMarket,
    Recall,
    ShutdownMarket,
    SupplyShared,
    SystemAccepted,
    Topology,
    WithdrawShared,
    compose,
    shared_value,
    system_step,
    total_exposure,
)
from model.system.events import OnMarketEvent
from tests.builders import ray, wad
from tests.system.builders import SystemBook, luna_crashes, system_config, two_markets

# --- the one-market special case --------------------------------------------------------


@pytest.mark.covers("SYS-ON-MARKET", "SYS-STEP")
def test_one_market_system_steps_exactly_as_the_engine() -> None:
    state = genesis(PRESETS["gen3"], spot=ray(2_000))
    system = compose(system_config(Topology.ISOLATED), Map({"ETH": state}))
    for action in (SupplyLiquidity("lp", wad(10)), WithdrawLiquidity("lp", wad(1)), Kick("k", 0)):
        alone = step(state, action)
        outcome = system_step(system, OnMarket("ETH", action))
        assert outcome.accepted == alone.accepted
        if isinstance(alone, Accepted):
            assert isinstance(outcome, SystemAccepted)
            assert outcome.system.markets["ETH"] == alone.state
            assert outcome.events == tuple(OnMarketEvent("ETH", e) for e in alone.events)
            state, system = alone.state, outcome.system
        else:
            assert outcome.refusal == alone.refusal  # type: ignore[union-attr]


@pytest.mark.covers("SYS-STEP")
def test_fields_are_checked_before_any_guard() -> None:
    b = two_markets()
    assert b.refused(OnMarket(1, Repay("x", 0, 1))).code is Code.INVALID_FIELD  # type: ignore[arg-type]
    assert b.refused(FundBackstop("x", -1)).code is Code.AMOUNT_OUT_OF_RANGE
    assert b.refused(Repay("x", 0, 1)).code is Code.UNSUPPORTED_ACTION
    assert b.refused(OnMarket("BTC", Repay("x", 0, 1))).code is Code.UNKNOWN_MARKET


# --- isolation ----------------------------------------------------------------------------


@pytest.mark.covers("CONTAGION-ISOLATED", "SYS-TOPOLOGY")
def test_isolated_a_shortfall_in_luna_leaves_eth_untouched() -> None:
    b = two_markets()
    eth = b.market("ETH")
    assert luna_crashes(b) > 0
    assert b.market("ETH") is eth
    assert b.market("LUNA").pool.lp_claims < wad(100_000)


@pytest.mark.covers("CONTAGION-SHARED-BOUND", "SYS-TOPOLOGY", "SYS-SHARED-OWNERSHIP")
def test_shared_a_shortfall_in_luna_reaches_every_lp_by_exactly_lunas_write_off() -> None:
    b = two_markets(Topology.SHARED)
    value = shared_value(b.system)
    eth = b.market("ETH")
    written_off = luna_crashes(b)
    assert written_off > 0
    assert value - shared_value(b.system) == written_off
    assert b.market("ETH") is eth  # ETH's own records are untouched; its lenders are not


@pytest.mark.covers("SYS-TOPOLOGY", "ACT-SUPPLY-SHARED", "ACT-WITHDRAW-SHARED")
def test_shared_lps_hold_system_shares_not_market_shares() -> None:
    b = two_markets(Topology.SHARED)
    assert b.refused(OnMarket("ETH", SupplyLiquidity("lp", 1))).code is Code.LIQUIDITY_IS_SHARED
    assert b.refused(WithdrawShared("lp", 1)).code is Code.INSUFFICIENT_LIQUIDITY  # all lent
    b.do(Recall("ETH", wad(1_000)), WithdrawShared("lp", wad(1_000)))
    assert b.system.shared.cash == 0
    isolated = two_markets()
    assert isolated.refused(SupplyShared("lp", 1)).code is Code.LIQUIDITY_IS_ISOLATED


@pytest.mark.covers("ACT-ALLOCATE", "ACT-RECALL")
def test_allocation_and_recall_move_cash_but_not_value() -> None:
    b = two_markets(Topology.SHARED)
    b.do(Recall("LUNA", wad(10_000)))
    value = shared_value(b.system)
    assert b.refused(Allocate("ETH", wad(10_001))).code is Code.INSUFFICIENT_LIQUIDITY
    b.do(Allocate("ETH", wad(10_000)))
    assert shared_value(b.system) == value
    assert b.market("ETH").pool.cash == wad(50_000)


# --- the global hole ------------------------------------------------------------------------


def kickable(hole: int) -> SystemBook:
    """ETH's bob at 20 x 600 against 10,000: below the liquidation ratio."""
    b = two_markets(hole=hole)
    eth = b.market("ETH")
    oracle = attrs.evolve(eth.oracle, spot=ray(600), reference=ray(600))
    b.system = attrs.evolve(
        b.system, markets=b.system.markets.set("ETH", attrs.evolve(eth, oracle=oracle))
    )
    return b


@pytest.mark.covers("SYS-HOLE")
def test_a_kick_beyond_the_global_hole_is_refused_and_within_it_accepted() -> None:
    alone = step(kickable(wad(10**9)).market("ETH"), Kick("keeper", 0))
    assert isinstance(alone, Accepted)
    tab = alone.state.exposure
    refusal = kickable(tab - 1).refused(OnMarket("ETH", Kick("keeper", 0)))
    assert (refusal.code, refusal.detail) == (Code.EXPOSURE_CAP_REACHED, "system.hole")
    b = kickable(tab)
    b.on("ETH", Kick("keeper", 0))
    assert total_exposure(b.system) == tab


# --- shutdown -----------------------------------------------------------------------------


@pytest.mark.covers("SHUTDOWN-TEST", "SHUTDOWN-IRREVERSIBLE", "SHUTDOWN-NO-NEW-DEBT")
def test_a_stale_market_shuts_down_for_good_and_winds_down() -> None:
    b = two_markets()
    assert b.refused(ShutdownMarket("anyone", "ETH")).code is Code.SHUTDOWN_NOT_WARRANTED
    b.on("ETH", AdvanceTime(86_401))
    b.do(ShutdownMarket("anyone", "ETH"))
    assert b.refused(ShutdownMarket("anyone", "ETH")).code is Code.MARKET_SHUT_DOWN
    for new_debt in (Borrow("bob", 0, wad(1)), OpenPosition("cat")):
        refusal = b.refused(OnMarket("ETH", new_debt))
        assert (refusal.code, refusal.detail) == (Code.MARKET_SHUT_DOWN, "market.ETH.shut_down")
    b.on("ETH", Repay("bob", 0, wad(5_000)), DepositCollateral("bob", 0, wad(1)))
    b.on("ETH", ReportOracle(ray(2_000)), WithdrawCollateral("bob", 0, wad(1)))
    assert "ETH" in b.system.shut_down
    b.on("LUNA", DepositCollateral("alice", 0, wad(1)), Borrow("alice", 0, wad(10)))


@pytest.mark.covers("SHUTDOWN-TEST")
def test_a_market_whose_collateral_no_longer_covers_its_debt_may_shut_down() -> None:
    b = two_markets()
    b.on("LUNA", ReportOracle(ray(1_500)))  # 10 x 1,500 < 16,000 x 1
    events = b.do(ShutdownMarket("anyone", "LUNA"))
    assert events[0].stale is False  # type: ignore[union-attr]


# --- backstop -------------------------------------------------------------------------------


@pytest.mark.covers("ACT-FUND-BACKSTOP", "ACT-DRAW-BACKSTOP", "BACKSTOP-CAP", "BACKSTOP-RESERVED")
def test_the_backstop_pays_a_markets_write_off_up_to_its_cap() -> None:
    caps = Map({"LUNA": wad(1_000), "ETH": wad(1_000)})
    b = two_markets(Topology.SHARED, caps=caps)
    b.do(FundBackstop("dao", wad(2_000)))
    assert b.refused(DrawBackstop("k", "LUNA", 1)).code is Code.NOTHING_TO_COVER
    written_off = luna_crashes(b)
    value = shared_value(b.system)
    refusal = b.refused(DrawBackstop("k", "LUNA", wad(1_000) + 1))
    assert (refusal.code, refusal.detail) == (Code.BACKSTOP_CAP_REACHED, "market.LUNA.backstop_cap")
    b.do(DrawBackstop("k", "LUNA", wad(1_000)))
    assert shared_value(b.system) - value == wad(1_000)
    assert value + wad(1_000) - shared_value(b.system) == 0 < written_off - wad(1_000)
    assert b.refused(DrawBackstop("k", "LUNA", 1)).code is Code.BACKSTOP_CAP_REACHED
    assert b.system.backstop is not None and b.system.backstop.fund == wad(1_000)  # ETH's


@pytest.mark.covers("ACT-FUND-BACKSTOP")
def test_no_backstop_no_draws() -> None:
    b = two_markets()
    assert b.refused(FundBackstop("dao", 1)).code is Code.NO_BACKSTOP
    assert b.refused(DrawBackstop("k", "LUNA", 1)).code is Code.NO_BACKSTOP


# --- venues and liveness ---------------------------------------------------------------------


@pytest.mark.covers("SYS-VENUE-HALT", "CONTAGION-LIVENESS")
def test_a_halted_venue_freezes_its_markets_and_nothing_else() -> None:
    b = two_markets()
    b.do(HaltVenue("terra"))
    refusal = b.refused(OnMarket("LUNA", Repay("alice", 0, wad(1))))
    assert (refusal.code, refusal.detail) == (Code.VENUE_HALTED, "market.LUNA.venue")
    assert b.refused(HaltVenue("terra")).code is Code.VENUE_HALTED
    assert b.refused(HaltVenue("solana")).code is Code.UNKNOWN_VENUE
    b.on("ETH", Borrow("bob", 0, wad(1)), Repay("bob", 0, wad(1)))


@pytest.mark.covers("CONTAGION-LIVENESS")
def test_a_stale_shut_down_market_refuses_nothing_on_the_other() -> None:
    b = two_markets()
    b.on("LUNA", AdvanceTime(10**6))
    b.do(ShutdownMarket("anyone", "LUNA"))
    eth = b.market("ETH")
    for action in (Borrow("bob", 0, wad(100)), OpenPosition("cat"), AdvanceTime(60)):
        alone = step(eth, action)
        outcome = b.step(OnMarket("ETH", action))
        assert isinstance(alone, Accepted) and isinstance(outcome, SystemAccepted)
        assert outcome.system.markets["ETH"] == alone.state
        eth = alone.state

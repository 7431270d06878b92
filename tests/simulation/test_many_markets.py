"""Many markets in one simulation (SIM-MANY-MARKETS): a one-market system runs as the
single-market runner does, and the topology changes who bears a market's loss, never what
happens inside a market."""

from __future__ import annotations

import pytest
from immutables import Map

from model.system import Topology, compose
from model.system.invariants import violated_system_invariants
from simulation.many_markets import (
    NO_HOLE,
    Hub,
    MarketLoss,
    MarketRun,
    SystemLoss,
    may2022,
    render,
    run_system,
)
from simulation.runner import PolicyRun

pytestmark = pytest.mark.xdist_group("many-markets")


def short() -> dict:  # type: ignore[type-arg]
    return may2022(hours=12, population=8)


def _hub(topology: Topology) -> Hub:
    from model.system import SystemConfig

    config = SystemConfig(topology, NO_HOLE, shutdown_ratio=0, shutdown_stale_after=2**64)
    return Hub(compose(config, Map()))


@pytest.mark.covers("SIM-MANY-MARKETS", "SYS-ON-MARKET")
@pytest.mark.parametrize("policy", ["gen2", "gen3"])
def test_a_one_market_system_runs_as_the_single_market_runner(policy: str) -> None:
    """The whole week, so keepers kick: every kick and reset goes through the system too
    (a kick that bypassed it was lost at the next routed step, and re-kicked every tick)."""
    scenario, venue = may2022(population=10)["ETH"]
    alone = PolicyRun(scenario, policy)
    routed = MarketRun(scenario, policy, _hub(Topology.ISOLATED), "ETH", venue)
    for t in range(0, scenario.path.end + 1, scenario.tick):
        alone.tick(t)
        routed.tick(t)
        assert routed.hub.system.markets["ETH"] is routed.state
    assert routed.state == alone.state
    assert routed.metrics.liquidations == alone.metrics.liquidations > 0


@pytest.mark.covers("SIM-MANY-MARKETS", "CONTAGION-ISOLATED", "SYS-TOPOLOGY")
def test_the_topology_changes_who_bears_the_loss_not_what_happens_in_a_market() -> None:
    isolated = run_system(short(), Topology.ISOLATED, "gen3")
    shared = run_system(short(), Topology.SHARED, "gen3")
    assert [m.written_off for m in isolated.markets] == [m.written_off for m in shared.markets]
    assert [m.supplied for m in isolated.markets] == [m.supplied for m in shared.markets]


@pytest.mark.covers("SIM-MANY-MARKETS", "CONTAGION-SHARED-BOUND")
def test_lenders_to_eth_bear_lunas_write_off_only_when_liquidity_is_shared() -> None:
    markets = (MarketLoss("ETH", 1_000.0, 0.0), MarketLoss("LUNA", 1_000.0, 100.0))
    assert SystemLoss(Topology.ISOLATED, "gen1", markets).lenders_loss("ETH") == 0.0
    assert SystemLoss(Topology.SHARED, "gen1", markets).lenders_loss("ETH") == 0.05
    table = render([SystemLoss(t, "gen1", markets) for t in Topology])
    assert "| SHARED | gen1 | 100 | 0 | 0 | 0 | 100 | 5.0000% |" in table


@pytest.mark.covers("SIM-MANY-MARKETS", "SYS-SHARED-OWNERSHIP")
def test_a_shared_run_keeps_every_system_invariant() -> None:
    hub = _hub(Topology.SHARED)
    runs = {m: MarketRun(s, "gen1", hub, m, v) for m, (s, v) in short().items()}
    for t in range(0, 12 * 3_600 + 1, 600):
        for run in runs.values():
            run.tick(t)
    assert violated_system_invariants(hub.system) == ()
    assert set(hub.system.venue_of.values()) == {"ethereum", "terra"}


@pytest.mark.covers("SIM-MANY-MARKETS")
@pytest.mark.parametrize("topology", list(Topology))
def test_a_small_may_2022_run_gives_the_pinned_numbers(topology: Topology) -> None:
    """Pinned before the many-market run was made faster: any change to these numbers is a
    change of result, not of speed (gen 1, ten positions a market, the whole week)."""
    loss = run_system(may2022(population=10, steady=True), topology, "gen1")
    got = [(m.market, round(m.supplied, 6), round(m.written_off, 6)) for m in loss.markets]
    assert got == [("ETH", 99_159_131.1, 0.0), ("LUNA", 2_945_839.4125, 867_619.140653)]

"""A system of markets driven through ``system_step``, checked at every step.

Like ``tests.builders.Book``: after every step every system invariant, every market's
invariants and every system step property must hold; ``do`` insists on acceptance and
``refused`` on a refusal that leaves the system untouched.
"""

from __future__ import annotations

import attrs
from immutables import Map

from model.actions import (
    Borrow,
    DepositCollateral,
    Liquidate,
    OpenPosition,
    ReportOracle,
    SupplyLiquidity,
)
from model.errors import Refusal
from model.params.presets import PRESETS
from model.state import State, genesis
from model.system import (
    Allocate,
    OnMarket,
    SupplyShared,
    System,
    SystemAccepted,
    SystemConfig,
    SystemOutcome,
    SystemRefused,
    Topology,
    compose,
    system_step,
)
from model.system.events import SystemEvent
from model.system.invariants import violated_system_invariants, violated_system_step_properties
from tests.builders import ray, wad

HOLE = wad(100_000_000)


def system_config(topology: Topology, hole: int = HOLE) -> SystemConfig:
    return SystemConfig(
        topology=topology,
        hole=hole,
        shutdown_ratio=ray(1),
        shutdown_stale_after=86_400,
    )


@attrs.define
class SystemBook:
    system: System

    def step(self, action: object) -> SystemOutcome:
        before = self.system
        outcome = system_step(before, action)
        broken = violated_system_invariants(outcome.system) + violated_system_step_properties(
            before, action, outcome
        )
        assert broken == (), f"{action} broke {broken}"
        if isinstance(outcome, SystemAccepted):
            self.system = outcome.system
        return outcome

    def do(self, *actions: object) -> tuple[SystemEvent, ...]:
        events: tuple[SystemEvent, ...] = ()
        for action in actions:
            outcome = self.step(action)
            assert isinstance(outcome, SystemAccepted), f"{action} refused: {outcome}"
            events = outcome.events
        return events

    def on(self, market: str, *actions: object) -> tuple[SystemEvent, ...]:
        return self.do(*(OnMarket(market, a) for a in actions))

    def refused(self, action: object) -> Refusal:
        before = self.system
        outcome = self.step(action)
        assert isinstance(outcome, SystemRefused), f"{action} accepted"
        assert outcome.system is before
        return outcome.refusal

    def market(self, market: str) -> State:
        return self.system.markets[market]


def two_markets(
    topology: Topology = Topology.ISOLATED, hole: int = HOLE, caps: Map[str, int] | None = None
) -> SystemBook:
    """Two funded markets, each on its own venue: LUNA (gen 1; 100,000 of LP cash; alice's
    10 collateral against 16,000 at 2,000) and ETH (gen 3; 50,000; bob's 20 against
    10,000). ISOLATED: ``lp`` funds LUNA and ``lp2`` funds ETH; SHARED: ``lp`` supplies
    150,000 to the shared pool, which allocates it."""
    markets = Map(
        {
            "LUNA": genesis(PRESETS["gen1"], spot=ray(2_000), depth=wad(1_000)),
            "ETH": genesis(PRESETS["gen3"], spot=ray(2_000), depth=wad(1_000)),
        }
    )
    venues = Map({"LUNA": "terra", "ETH": "ethereum"})
    b = SystemBook(compose(system_config(topology, hole), markets, venues, caps))
    if topology is Topology.SHARED:
        b.do(SupplyShared("lp", wad(150_000)), Allocate("LUNA", wad(100_000)))
        b.do(Allocate("ETH", wad(50_000)))
    else:
        b.on("LUNA", SupplyLiquidity("lp", wad(100_000)))
        b.on("ETH", SupplyLiquidity("lp2", wad(50_000)))
    for market, owner, collateral, debt in (
        ("LUNA", "alice", 10, 16_000),
        ("ETH", "bob", 20, 10_000),
    ):
        b.on(market, OpenPosition(owner), DepositCollateral(owner, 0, wad(collateral)))
        b.on(market, Borrow(owner, 0, wad(debt)))
    return b


def luna_crashes(b: SystemBook) -> int:
    """LUNA's spot falls to 1,500 and a liquidator repays alice's whole 16,000: her 10
    collateral buys back less, the rest is written off; LUNA's new bad debt."""
    before = b.market("LUNA").ledger.bad_debt
    b.on("LUNA", ReportOracle(ray(1_500)), Liquidate("liq", 0, wad(16_000)))
    return b.market("LUNA").ledger.bad_debt - before

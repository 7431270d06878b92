"""Many markets under one simulation: each market's actors run as in a single-market run,
and every step goes through ``model.system.system_step`` (``spec/markets.md``).

Each market is a ``PolicyRun`` of its own scenario (its path, market, book and actors)
whose engine steps are routed as ``OnMarket(market, action)`` through one shared system;
the markets advance tick by tick together. Under SHARED, an LP's supply to a market is
the shared pool's: ``SupplyShared`` then ``Allocate``. Nothing else of the single-market
runner changes, so a one-market system gives the single-market run.

The May 2022 reconstruction (``may2022``), from section 3 of the shared crash-facts notes:
ETH on the shipped LUNA-week Binance path (7 May 00:00 to 13 May 00:00 UTC), and LUNA on a
path through four published points only, geometric in between:

- 7 to 9 May: held at $80 (LUNA was "above $80"; the notes give nothing finer, and the
  fall came mostly on 9 to 12 May, so all of it is put there);
- 9 May 00:00 to 12 May 00:00: $80 to $0.69 ("from >$80 to $0.69 in five days");
- 12 May: $0.69 to $0.01 (the market "~$0.01" while Chainlink's LUNA/USD sat at its
  ``minAnswer``);
- LUNA's oracle reports never go below $0.107 (that ``minAnswer``; ``OracleSettings.floor``):
  once the market is below it, LUNA positions look solvent at the feed while their
  collateral is worth a tenth of that (the Venus and Blizz losses).

The hours inside 9 to 12 May are not a replay: the real path was not geometric, and its
timing within those days is not in the notes. ``steady=True`` gives the earlier, steadier
reconstruction (80 to 0.69 over the first five days, then a day flat, no floor).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import attrs
from immutables import Map

from model import Accepted, Refused, State
from model.actions import SupplyLiquidity
from model.outcome import Outcome
from model.system import (
    Allocate,
    OnMarket,
    SupplyShared,
    System,
    SystemAccepted,
    SystemConfig,
    Topology,
    compose,
    system_step,
)
from model.system.events import OnMarketEvent
from simulation.files import load_scenario
from simulation.floor_exploit import FloorBorrower
from simulation.metrics import Series
from simulation.paths import PricePath, slow_bleed
from simulation.runner import Controller, PolicyRun, SimulationError, units
from simulation.scenario import Scenario
from simulation.shipped import shipped_scenario

NO_HOLE = 2**255
"""The reconstruction sets no global cap: the markets interact only through the topology."""


@attrs.define
class Hub:
    """The one system every market's run steps through."""

    system: System

    def add(self, market: str, state: State, venue: str) -> None:
        self.system = attrs.evolve(
            self.system,
            markets=self.system.markets.set(market, state),
            venue_of=self.system.venue_of.set(market, venue),
        )

    def trial(self, market: str, action: object) -> tuple[Outcome, System]:
        """``action`` on ``market``, as the engine's outcome for that market, and the system
        it would leave (the same system when refused); nothing is applied yet."""
        system = self.system
        before = system.markets[market]
        if system.config.topology is Topology.SHARED and isinstance(action, SupplyLiquidity):
            for system_action in (
                SupplyShared(action.lp, action.amount),
                Allocate(market, action.amount),
            ):
                outcome = system_step(system, system_action)
                if not isinstance(outcome, SystemAccepted):
                    return Refused(before, outcome.refusal), self.system
                system = outcome.system
            return Accepted(system.markets[market], ()), system
        routed = system_step(system, OnMarket(market, action))
        if not isinstance(routed, SystemAccepted):
            return Refused(before, routed.refusal), system
        events = tuple(e.event for e in routed.events if isinstance(e, OnMarketEvent))
        return Accepted(routed.system.markets[market], events), routed.system

    def apply(self, market: str, action: object) -> Outcome:
        """``action`` on ``market``, applied if accepted; the engine's outcome for it."""
        outcome, self.system = self.trial(market, action)
        return outcome


class MarketRun(PolicyRun):
    """A single-market run whose every engine step goes through ``hub``: the run's state is
    always its market's state in the hub's system."""

    def __init__(
        self,
        scenario: Scenario,
        policy: str,
        hub: Hub,
        market: str,
        venue: str,
        controller: Controller | None = None,
    ) -> None:
        self.hub = hub
        self.market_id = market
        self.venue = venue
        self._pending: System | None = None
        super().__init__(scenario, policy, controller)
        self.supplied = units(self.state.pool.lp_claims)
        """What its LPs (or the shared pool) lent it at the start."""

    def _must(self, state: State, action: object, what: str) -> State:
        if self.market_id not in self.hub.system.markets:
            self.hub.add(self.market_id, state, self.venue)
        outcome = self.hub.apply(self.market_id, action)
        if not isinstance(outcome, Accepted):
            raise SimulationError(
                f"{self.market_id} {self.policy}: {what} refused: "
                f"{outcome.refusal.code.value} ({outcome.refusal.detail})"
            )
        return outcome.state

    def _trial(self, action: object) -> Outcome:
        outcome, self._pending = self.hub.trial(self.market_id, action)
        return outcome

    def _accept(self, outcome: Accepted) -> None:
        assert self._pending is not None and self._pending.markets[self.market_id] is outcome.state
        self.hub.system = self._pending
        self._pending = None
        self.state = outcome.state


@attrs.frozen
class MarketLoss:
    """What one market's liquidations left, and who bore it."""

    market: str
    supplied: float
    """Quote its LPs (ISOLATED) or the shared pool (SHARED) lent it."""
    written_off: float
    """Debt written off its LP claims (its ``ledger.bad_debt``)."""
    underwater: float = 0.0
    """Debt still open at the end that its collateral, at the path's last price, does not
    cover: a loss not yet written off (``model.loss.open_shortfall``)."""
    series: Series | None = attrs.field(default=None, eq=False, repr=False)
    """The run's sampled series (prices, oracle, losses), for a plot."""


@attrs.frozen
class SystemLoss:
    topology: Topology
    policy: str
    markets: tuple[MarketLoss, ...]

    @property
    def written_off(self) -> float:
        return sum(m.written_off for m in self.markets)

    @property
    def supplied(self) -> float:
        return sum(m.supplied for m in self.markets)

    @property
    def underwater(self) -> float:
        return sum(m.underwater for m in self.markets)

    def lenders_loss(self, market: str) -> float:
        """The share of their supply that the lenders to ``market`` lost, written off or
        left underwater: their own market's under ISOLATED, every market's under SHARED
        (they hold the shared pool, which lent to all)."""
        if self.topology is Topology.SHARED:
            lost = self.written_off + self.underwater
            return lost / self.supplied if self.supplied else 0.0
        found = next(m for m in self.markets if m.market == market)
        lost = found.written_off + found.underwater
        return lost / found.supplied if found.supplied else 0.0


def run_system(
    scenarios: Mapping[str, tuple[Scenario, str]],
    topology: Topology,
    policy: str,
    adversaries: Mapping[str, Callable[[], Controller]] | None = None,
) -> SystemLoss:
    """Run each market's scenario (market id -> (scenario, venue)) under ``policy`` in one
    system of ``topology``, tick by tick together; the loss per market. ``adversaries``
    gives a market a controller (a fresh one per run) that acts every tick.

    Requirement: SIM-MANY-MARKETS."""
    config = SystemConfig(
        topology=topology, hole=NO_HOLE, shutdown_ratio=0, shutdown_stale_after=2**64
    )
    hub = Hub(compose(config, Map()))
    made = adversaries or {}
    runs = {
        m: MarketRun(s, policy, hub, m, venue, made[m]() if m in made else None)
        for m, (s, venue) in scenarios.items()
    }
    ticks = {m: range(0, s.path.end + 1, s.tick) for m, (s, _) in scenarios.items()}
    longest = max(len(t) for t in ticks.values())
    for i in range(longest):
        for market, run in runs.items():
            if i < len(ticks[market]):
                run.tick(ticks[market][i])
    losses = []
    for market, run in runs.items():
        state = hub.system.markets[market]
        result = run.finish(0.0)
        losses.append(
            MarketLoss(
                market,
                run.supplied,
                units(state.ledger.bad_debt),
                result.metrics.underwater_at_end,
                result.series,
            )
        )
    return SystemLoss(topology, policy, tuple(losses))


def until(path: PricePath, end: int) -> PricePath:
    """``path`` cut at ``end`` seconds (its price there the last point)."""
    if end >= path.end:
        return path
    kept = [(t, p) for t, p in zip(path.times, path.prices, strict=True) if t < end]
    times = (*(t for t, _ in kept), end)
    prices = (*(p for _, p in kept), path.price_at(end))
    return PricePath(times, prices, path.origin)


LUNA_FLOOR = 0.107
"""Chainlink LUNA/USD's ``minAnswer`` in May 2022, as the crash notes cite it."""


def luna_may2022(origin: int = 0) -> PricePath:
    """LUNA, 7 May 00:00 to 13 May 00:00 UTC, through the published points (module doc)."""
    day = 86_400
    return PricePath((0, 2 * day, 5 * day, 6 * day), (80.0, 80.0, 0.69, 0.01), origin)


MAY2022_ADVERSARIES: Mapping[str, Callable[[], Controller]] = {"LUNA": FloorBorrower}
"""Who borrowed against LUNA at its floored feed (``simulation.floor_exploit``)."""


def may2022(
    hours: int | None = None, population: int | None = None, steady: bool = False
) -> dict[str, tuple[Scenario, str]]:
    """ETH (the shipped LUNA-week path) on ethereum, LUNA (:func:`luna_may2022`, its oracle
    floored at :data:`LUNA_FLOOR`; with ``steady``, 80 -> 0.69 over five days then a day
    flat, no floor) on terra; ``hours`` and ``population`` shorten both (for tests)."""
    found = shipped_scenario("luna2022-1h")
    if found is None:
        raise SimulationError("the shipped scenario luna2022-1h is missing")
    eth = load_scenario(str(found))
    if steady:
        luna_path = slow_bleed(
            start_price=80.0, decline=1.0 - 0.69 / 80.0, duration=5 * 86_400, dt=3_600, hold=86_400
        )
        luna = attrs.evolve(eth, name="LUNA May 2022 (steady)", path=luna_path)
    else:
        luna = attrs.evolve(
            eth,
            name="LUNA May 2022 (reconstructed)",
            path=luna_may2022(eth.path.origin),
            oracle=attrs.evolve(eth.oracle, floor=LUNA_FLOOR),
        )
    if population is not None:
        eth = attrs.evolve(eth, population=attrs.evolve(eth.population, count=population))
        luna = attrs.evolve(luna, population=attrs.evolve(luna.population, count=population))
    if hours is not None:
        eth = attrs.evolve(eth, path=until(eth.path, hours * 3_600))
        luna = attrs.evolve(luna, path=until(luna.path, hours * 3_600))
    return {"ETH": (eth, "ethereum"), "LUNA": (luna, "terra")}


def table(
    scenarios: Mapping[str, tuple[Scenario, str]],
    policies: tuple[str, ...] = ("gen1", "gen2", "gen3"),
    adversaries: Mapping[str, Callable[[], Controller]] | None = None,
) -> list[SystemLoss]:
    """Every topology under every policy."""
    return [run_system(scenarios, t, p, adversaries) for t in Topology for p in policies]


def render(rows: list[SystemLoss]) -> str:
    """A Markdown table: per market and in total, what was written off and what was left
    underwater at the end, and what the ETH lenders lost as a share of what they lent."""
    lines = [
        "| topology | policy | LUNA written off | LUNA underwater | ETH written off | "
        "ETH underwater | total written off | ETH lenders lose |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for row in rows:
        by = {m.market: m for m in row.markets}
        lines.append(
            f"| {row.topology.value} | {row.policy} | {by['LUNA'].written_off:,.0f} | "
            f"{by['LUNA'].underwater:,.0f} | {by['ETH'].written_off:,.0f} | "
            f"{by['ETH'].underwater:,.0f} | {row.written_off:,.0f} | "
            f"{row.lenders_loss('ETH'):.4%} |"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    import sys

    population = int(sys.argv[1]) if len(sys.argv) > 1 else None
    print(render(table(may2022(population=population), adversaries=MAY2022_ADVERSARIES)))

"""Drive one policy through one scenario: the loop that turns a price path into actions.

Requirements: SIM-SCENARIOS, SIM-COMPARISON.

Every ``tick`` seconds, in this order:

1. the engine's clock advances (``AdvanceTime``) and the market's arbitrage closes part
   of the displacement left by earlier sales;
2. if a report is due, the oracle feed sends the (possibly delayed) market price
   (``ReportOracle``) and the market's current depth (``ReportDepth``);
3. gen 1: for each position below the trigger, the best bidder whose transaction lands
   liquidates as much as it profitably can and resells the seized collateral;
   gen 2 / gen 3: keepers kick positions below the trigger, reset auctions that need
   it, bidders take what they can resell at a profit, POL buys expired gen 3 auctions
   at the floor, and finished auctions are settled.

An optional *controller* (:class:`Controller`, issue 17's ``predictive`` package) acts
between 2 and 3: it may submit actions (steward proposals, pre-liquidations, consents)
through :meth:`PolicyRun.submit`. Without one a run is what it always was.

Every action goes through ``model.step``; a refusal changes nothing and is not an
error (a keeper's transaction that the engine rejects simply fails). The set-up is the
exception: the same book must open under every policy, or the run stops with
:class:`SimulationError`.
"""

from __future__ import annotations

import time as wallclock
from collections.abc import Callable
from typing import Protocol

from model import Accepted, State, genesis, step
from model.actions import (
    AdvanceTime,
    Borrow,
    DepositCollateral,
    EndAuction,
    FundInsurance,
    FundPol,
    Kick,
    Liquidate,
    OpenPosition,
    PolSell,
    Redo,
    ReportDepth,
    ReportOracle,
    Settle,
    SupplyLiquidity,
    Take,
)
from model.errors import RefusalCode
from model.events import (
    AuctionReset,
    Buffer,
    CollateralReturned,
    Event,
    IncentivePaid,
    Kicked,
    Liquidated,
    PenaltyCollected,
    PolPurchased,
    PolSold,
    ShortfallCovered,
    Taken,
)
from model.loss import RealisedLoss, economic_loss, record
from model.numbers import RAY, WAD
from model.outcome import Outcome
from model.params import Gen1SpotParams
from model.policies import gen1_spot, gen3_zero_loss, policy_of
from model.state import Auction, Position
from simulation.actors import ActorProfile, Watch, landing
from simulation.market import Market
from simulation.metrics import Metrics, RunResult, Series, hours
from simulation.monitor import AssumptionMonitor
from simulation.oracle_feed import OracleFeed
from simulation.population import Borrower, draw_book
from simulation.scenario import Scenario

MAX_SAMPLES = 3_000
SYSTEM_CAPS = (RefusalCode.DEPTH_EXHAUSTED, RefusalCode.EXPOSURE_CAP_REACHED)


class SimulationError(Exception):
    """The scenario cannot be run as given (e.g. its book does not open under a policy)."""


def to_ray(price: float) -> int:
    """A price as RAY, to 9 decimal places."""
    return round(price * 1e9) * 10**18


def to_wad(amount: float) -> int:
    """An amount as WAD, rounded down to 6 decimal places (never more than there is)."""
    return int(amount * 1e6) * 10**12


def units(amount: int) -> float:
    return amount / WAD


def price_of(ray: int) -> float:
    return ray / RAY


class Controller(Protocol):
    """Automation that acts once a tick, after the oracle's report and before the keepers:
    every action it takes goes through :meth:`PolicyRun.submit`, hence ``model.step``."""

    def act(self, run: PolicyRun, t: int) -> None: ...


class PolicyRun:
    """One policy's run: the engine state, the market and feed it sees, and the tallies."""

    def __init__(
        self, scenario: Scenario, policy: str, controller: Controller | None = None
    ) -> None:
        self.scenario = scenario
        self.controller = controller
        self.policy = policy
        self.config = scenario.configs[policy]
        self.rules = policy_of(self.config)
        self.market = Market(scenario.path, scenario.market.depth, scenario.market.half_life)
        self.feed = OracleFeed(scenario.oracle)
        self.watch = Watch()
        self.metrics = Metrics(policy=policy)
        self.series = Series()
        self.book = draw_book(scenario.population, scenario.path.prices[0], scenario.seed)
        self.liquidated: set[int] = set()
        self.first_liquidation: int | None = None
        self.last_busy: int | None = None
        self.min_displacement = 1.0
        self._last_kick_refusal: RefusalCode | None = None
        self.sample_every = max(1, (scenario.path.end // scenario.tick + 1) // MAX_SAMPLES)
        self.state = self._setup()
        self.realised = RealisedLoss()
        self.monitor = AssumptionMonitor(self.state) if self.rules.zero_loss else None

    # --- set-up ---------------------------------------------------------------------

    def _must(self, state: State, action: object, what: str) -> State:
        outcome = step(state, action)
        if not isinstance(outcome, Accepted):
            raise SimulationError(
                f"{self.policy}: {what} refused: {outcome.refusal.code.value} "
                f"({outcome.refusal.detail})"
            )
        return outcome.state

    def _setup(self) -> State:
        s = self.scenario
        depth = to_wad(self.market.depth(s.market.depth_impact))
        state = genesis(self.config, spot=to_ray(s.path.prices[0]), time=0, depth=depth)
        total_debt = sum(b.debt for b in self.book)
        supply = to_wad(total_debt * (1.0 + s.funding.lp_headroom)) + WAD
        state = self._must(state, SupplyLiquidity("lps", supply), "LP supply")
        if s.funding.insurance > 0:
            state = self._must(state, FundInsurance("dao", to_wad(s.funding.insurance)), "fund")
        if s.funding.pol > 0:
            state = self._must(state, FundPol("dao", to_wad(s.funding.pol)), "POL funding")
        for i, borrower in enumerate(self.book):
            owner = f"borrower{i}"
            state = self._must(state, OpenPosition(owner), f"position {i} open")
            state = self._must(
                state, DepositCollateral(owner, i, to_wad(borrower.collateral)), f"position {i}"
            )
            state = self._must(
                state,
                Borrow(owner, i, to_wad(borrower.debt)),
                f"position {i} borrowing {borrower.debt:,.2f} against "
                f"{borrower.collateral:,.4f} (ratio {borrower.ratio(s.path.prices[0]):.3f})",
            )
        self.metrics.insurance_start = units(state.buffers.insurance)
        return state

    # --- applying actions -----------------------------------------------------------

    def _trial(self, action: object) -> Outcome:
        """The engine's outcome of ``action`` on the run's state, not applied yet (a
        many-market run routes it through its system instead)."""
        return step(self.state, action)

    def _accept(self, outcome: Accepted) -> None:
        """Make the outcome of the last :meth:`_trial` the run's state."""
        self.state = outcome.state

    def _apply(self, action: object, t: int) -> tuple[Event, ...] | None:
        outcome = self._trial(action)
        self._observe(action, outcome, t)
        if not isinstance(outcome, Accepted):
            return None
        self._accept(outcome)
        self._absorb(outcome.events, t)
        return outcome.events

    def submit(self, action: object, t: int) -> Outcome:
        """A controller's action: through ``model.step`` like every other, applied only if
        accepted; the outcome (a refusal included) is the caller's to log."""
        outcome = self._trial(action)
        self._observe(action, outcome, t)
        if isinstance(outcome, Accepted):
            self._accept(outcome)
            self._absorb(outcome.events, t)
        return outcome

    def _observe(self, action: object, outcome: Outcome, t: int) -> None:
        """Every step the run takes, before it is applied: the loss ledger and the monitor."""
        pre = self.state
        self.realised = record(self.realised, pre, outcome)
        if self.monitor is not None:
            self.monitor.observe(pre, action, outcome, t)

    def _absorb(self, events: tuple[Event, ...], t: int) -> None:
        m = self.metrics
        for event in events:
            if isinstance(event, Liquidated | Kicked):
                m.liquidations += 1
                self.liquidated.add(event.position)
                if self.first_liquidation is None:
                    self.first_liquidation = t
            elif isinstance(event, AuctionReset):
                m.resets += 1
            elif isinstance(event, IncentivePaid):
                m.keeper_incentives += units(event.amount)
            elif isinstance(event, PolPurchased):
                m.pol_cost += units(event.paid)
                value = units(event.collateral) * self.market.price
                m.pol_premium_market += max(0.0, units(event.paid) - value)
                self.series.sales.append((t, units(event.collateral)))
                self.series.auction_prices.append((t, price_of(event.price), price_of(event.price)))
            elif isinstance(event, ShortfallCovered):
                amount = units(event.amount)
                m.shortfall += amount
                if event.source is Buffer.INSURANCE:
                    m.insurance_shortfall += amount
                elif event.source is Buffer.POL:
                    m.pol_shortfall += amount
                else:
                    m.lp_loss += amount
            elif isinstance(event, PolSold):
                m.pol_proceeds += units(event.proceeds)
            elif isinstance(event, PenaltyCollected):
                m.penalty_to_insurance += units(event.to_insurance)
                m.penalty_to_lps += units(event.to_lps)
            elif isinstance(event, CollateralReturned):
                m.collateral_returned += units(event.amount)

    def _resell(self, collateral: int, paid: int, gas: float, t: int) -> None:
        """A buyer sells what it just bought into the market, at once."""
        sale = self.market.sell(units(collateral))
        m = self.metrics
        m.collateral_sold += sale.quantity
        m.bidder_discount += sale.quantity * sale.price_before - units(paid)
        m.bidder_profit += sale.proceeds - units(paid) - gas
        m.max_sale_impact = max(m.max_sale_impact, sale.impact)
        self.min_displacement = min(self.min_displacement, self.market.displacement)
        self.series.sales.append((t, sale.quantity))

    # --- the tick -------------------------------------------------------------------

    def tick(self, t: int) -> None:
        s = self.scenario
        if t > self.state.time:
            self._apply(AdvanceTime(t - self.state.time), t)
        self.market.advance(t)
        self.feed.observe(t, self.market.price)
        if self.feed.due(t):
            self._apply(ReportOracle(to_ray(self.feed.report(t))), t)
            self._apply(ReportDepth(to_wad(self.market.depth(s.market.depth_impact))), t)
        if self.controller is not None:
            self.controller.act(self, t)
        gwei = s.gas.gwei.value_at(t)
        if Liquidate in self.rules.rules:
            busy = self._gen1_liquidations(t, gwei)
        else:
            busy = self._kicks(t, gwei)
            busy = self._auctions(t, gwei) or busy
        if PolSell in self.rules.rules:
            self._pol_sells(t)
        if busy:
            self.last_busy = t
        if (t // s.tick) % self.sample_every == 0 or t + s.tick > s.path.end:
            self._sample(t)

    def _sample(self, t: int) -> None:
        series = self.series
        series.times.append(t)
        series.path_price.append(self.market.path_price)
        series.market_price.append(self.market.price)
        series.oracle_spot.append(price_of(self.state.oracle.spot))
        series.reference.append(price_of(self.state.oracle.reference))
        series.shortfall.append(self.metrics.shortfall)
        series.lp_loss.append(self.metrics.lp_loss)
        loss = economic_loss(self.realised, self.state, to_ray(self.market.path_price))
        series.total_loss.append(units(loss.total))
        series.pol_loss.append(units(loss.pol_cover + loss.pol_market))

    # --- gen 1 ----------------------------------------------------------------------

    def _gen1_liquidations(self, t: int, gwei: float) -> bool:
        busy = False
        p = self.config.policy
        assert isinstance(p, Gen1SpotParams)
        for pid, position in list(self.state.positions.items()):
            key = ("liquidate", pid)
            if position.debt == 0 or not gen1_spot.liquidatable(self.state, position):
                self.watch.forget(key)
                continue
            busy = True
            bidders = landing(self.scenario.bidders, gwei, self.watch.waited(key, t))
            if bidders:
                self._liquidate(pid, position, bidders[0], t, p)
        return busy

    def _liquidate(
        self, pid: int, position: Position, bidder: ActorProfile, t: int, p: Gen1SpotParams
    ) -> None:
        """Repay the largest amount whose seized collateral resells at the bidder's margin."""
        spot = price_of(self.state.oracle.spot)
        bonus = 1.0 + p.bonus / RAY
        largest = gen1_spot.max_repay(self.state, position)
        resale_floor = spot * (1.0 + bidder.margin) / bonus
        sellable = self.market.max_sale_at_average(resale_floor)
        repay = min(largest, to_wad(sellable * spot / bonus))
        dust = self.config.dust
        if repay < largest and position.debt - repay < dust:
            repay = position.debt - dust
        if repay <= 0:
            return
        repaid, seized = gen1_spot.seizure(self.state, position, repay)
        gas = self.scenario.gas.cost(t, self.scenario.gas.liquidate, self.market.price)
        gain = self.market.quote(units(seized)) - units(repaid) - gas
        if gain <= bidder.margin * units(repaid):
            return
        events = self._apply(Liquidate(bidder.name, pid, repay), t)
        for event in events or ():
            if isinstance(event, Liquidated):
                self._resell(event.seized, event.repaid, gas, t)

    # --- gen 2 and gen 3 ------------------------------------------------------------

    def _below_trigger(self, position: Position) -> bool:
        return self.rules.below_trigger(self.state, position)

    def _keeper_action(
        self, action: Kick | Redo, t: int, gwei: float, key: tuple[str, int]
    ) -> bool:
        """A keeper whose transaction lands sends ``action``; with ``require_profit``, only
        if the incentive it would be paid covers its gas."""
        self._last_kick_refusal = None
        keepers = landing(self.scenario.keepers, gwei, self.watch.waited(key, t))
        if not keepers:
            return False
        action = type(action)(keepers[0].name, *_target(action))
        outcome = self._trial(action)
        if not isinstance(outcome, Accepted):
            self._observe(action, outcome, t)
            if isinstance(action, Kick):
                self._last_kick_refusal = outcome.refusal.code
                code = outcome.refusal.code.value
                refused = self.metrics.refused_kicks
                refused[code] = refused.get(code, 0) + 1
            return False
        units_used = self.scenario.gas.kick if isinstance(action, Kick) else self.scenario.gas.redo
        gas = self.scenario.gas.cost(t, units_used, self.market.price)
        reward = sum(units(e.amount) for e in outcome.events if isinstance(e, IncentivePaid))
        if self.scenario.keepers_require_profit and reward < gas:
            return False
        self._observe(action, outcome, t)
        self._accept(outcome)
        self._absorb(outcome.events, t)
        self.metrics.keeper_gas += gas
        return True

    def _kicks(self, t: int, gwei: float) -> bool:
        """Keepers kick every position below the trigger, until a system-wide cap (depth,
        exposure) refuses one: the rest would be refused for the same reason this tick."""
        busy = False
        capped = False
        for pid, position in list(self.state.positions.items()):
            key = ("kick", pid)
            if position.debt == 0 or not self._below_trigger(position):
                self.watch.forget(key)
                continue
            busy = True
            if not capped:
                self._keeper_action(Kick("keeper", pid), t, gwei, key)
                capped = self._last_kick_refusal in SYSTEM_CAPS
        return busy

    def _auction_price(self, auction: Auction) -> tuple[bool, int]:
        """``(reset due, price now)`` under the policy."""
        price = self.rules.auction_price
        assert price is not None, "kicks and takes only run under a policy with auctions"
        return self.rules.reset_due(self.state, auction), price(self.state, auction)

    def _auctions(self, t: int, gwei: float) -> bool:
        for aid in list(self.state.auctions.keys()):
            auction = self.state.auctions[aid]
            if not auction.finished:
                needs_reset, _ = self._auction_price(auction)
                if needs_reset and self._keeper_action(Redo("keeper", aid), t, gwei, ("redo", aid)):
                    self.watch.forget(("redo", aid))
                self._bid(aid, t, gwei)
                auction = self.state.auctions[aid]
                if (
                    EndAuction in self.rules.rules
                    and not auction.finished
                    and self.rules.backstop_due(self.state, auction)
                ):
                    self._apply(EndAuction(aid), t)
                auction = self.state.auctions[aid]
            if auction.finished:
                self._apply(Settle(aid), t)
                self.watch.forget(("auction", aid))
        return len(self.state.auctions) > 0

    def _bid(self, aid: int, t: int, gwei: float) -> None:
        """The best bidder whose transaction lands buys what it can resell at its margin."""
        auction = self.state.auctions[aid]
        needs_reset, price = self._auction_price(auction)
        if self.rules.takes_wait_for_reset and needs_reset:
            return
        bidders = landing(self.scenario.bidders, gwei, self.watch.waited(("auction", aid), t))
        if not bidders or price == 0:
            return
        bidder = bidders[0]
        unit_price = price_of(price)
        wanted = min(units(auction.lot), units(auction.tab) / unit_price * 1.000001)
        amount = min(wanted, self.market.max_sale_at_average(unit_price * (1.0 + bidder.margin)))
        if amount <= 0:
            return
        gas = self.scenario.gas.cost(t, self.scenario.gas.take, self.market.price)
        cost = amount * unit_price
        if self.market.quote(amount) - cost - gas <= bidder.margin * cost:
            return
        bid = to_wad(amount)
        if units(auction.lot - bid) * unit_price <= gas:
            bid = auction.lot  # never leave a crumb of lot that nobody would pay gas for
        events = self._apply(Take(bidder.name, aid, max(bid, 1), price), t)
        for event in events or ():
            if isinstance(event, Taken):
                self._resell(event.collateral, event.paid, gas, t)
                floor = price_of(auction.floor)
                self.series.auction_prices.append((t, price_of(event.price), floor))

    def _pol_sells(self, t: int) -> None:
        """POL's desk passes on what POL bought: as much as the depth budget leaves after
        this tick's kicks, sold into the market at once, if the engine accepts the price
        (never below the floor of the current reference)."""
        held = self.state.buffers.pol_collateral
        if held == 0:
            return
        amount = min(held, gen3_zero_loss.depth_room(self.state))
        if amount == 0:
            return
        proceeds = self.market.quote(units(amount))
        gas = self.scenario.gas.cost(t, self.scenario.gas.take, self.market.price)
        action = PolSell("pol-desk", amount, to_wad(max(0.0, proceeds - gas)))
        if self._apply(action, t) is not None:
            sale = self.market.sell(units(amount))
            self.metrics.collateral_sold += sale.quantity
            self.metrics.max_sale_impact = max(self.metrics.max_sale_impact, sale.impact)
            self.min_displacement = min(self.min_displacement, self.market.displacement)
            self.series.sales.append((t, sale.quantity))

    # --- the end --------------------------------------------------------------------

    def finish(self, seconds: float) -> RunResult:
        m = self.metrics
        state = self.state
        final = self.scenario.path.prices[-1]
        m.insurance_end = units(state.buffers.insurance)
        m.pol_collateral = units(state.buffers.pol_collateral)
        m.pol_value = m.pol_collateral * final
        m.pol_mark_to_market = m.pol_proceeds + m.pol_value - m.pol_cost
        loss = economic_loss(self.realised, state, to_ray(final))
        m.underwater_at_end = units(loss.open_shortfall)
        m.pol_market_loss = units(loss.pol_market)
        m.pol_premium_mark = units(loss.pol_premium)
        m.total_loss = units(loss.total)
        m.liquidation_loss = units(loss.liquidation)
        if self.monitor is not None:
            envelope = self.monitor.report()
            m.envelope = envelope.as_dict()
            first = envelope.first_breach()
            m.inside_envelope = "yes" if envelope.inside else "no"
            if first is not None:
                m.first_breach = f"{first.assumption} at {hours(first.first_time)}"
                self.series.first_breach = first.first_time
        m.max_displacement = 1.0 - self.min_displacement
        m.positions_liquidated = len(self.liquidated)
        m.below_trigger_at_end = sum(
            1 for p in state.positions.values() if p.debt > 0 and self._below_trigger(p)
        )
        m.liquidated_would_recover = sum(  # of the book's positions (a controller may open more)
            1
            for pid in self.liquidated
            if pid < len(self.book) and not self._trigger_at(self.book[pid], final)
        )
        if self.first_liquidation is not None:
            if self.last_busy is not None and self.last_busy + self.scenario.tick > (
                self.scenario.path.end
            ):
                m.time_to_recover = None
            else:
                last = self.last_busy if self.last_busy is not None else self.first_liquidation
                m.time_to_recover = last + self.scenario.tick - self.first_liquidation
        else:
            m.time_to_recover = 0
        return RunResult(self.policy, m, self.series, seconds)

    def _trigger_at(self, borrower: Borrower, price: float) -> bool:
        """Whether the untouched position would be below the policy's trigger at ``price``."""
        ratio = self.rules.trigger_ratio(self.state)
        return borrower.collateral * price < borrower.debt * ratio / RAY


def _target(action: Kick | Redo) -> tuple[int]:
    return (action.position,) if isinstance(action, Kick) else (action.auction,)


def run_policy(
    scenario: Scenario,
    policy: str,
    progress: Callable[[int], None] | None = None,
    controller: Controller | None = None,
) -> RunResult:
    """Run ``scenario`` under ``policy``; ``progress(ticks)`` is called as ticks complete;
    ``controller``, if given, acts every tick."""
    started = wallclock.perf_counter()
    run = PolicyRun(scenario, policy, controller)
    done = 0
    for t in range(0, scenario.path.end + 1, scenario.tick):
        run.tick(t)
        done += 1
        if progress is not None and done % 50 == 0:
            progress(50)
    if progress is not None and done % 50:
        progress(done % 50)
    return run.finish(wallclock.perf_counter() - started)


def tick_count(scenario: Scenario) -> int:
    return scenario.path.end // scenario.tick + 1

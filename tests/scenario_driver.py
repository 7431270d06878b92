"""A small, fully controlled driver for theorem scenarios (not the simulation layer).

Each report: time advances, the oracle reports, then the actors the scenario enables act
in a fixed order: keepers kick every position they can (until refused), end expired
auctions, reset what may be reset; bidders buy every auction priced at or below the
market; finished auctions are settled. Every step is checked against every invariant
and step property.
"""

from __future__ import annotations

from collections.abc import Sequence

import attrs

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
    Redo,
    ReportDepth,
    ReportOracle,
    Settle,
    SupplyLiquidity,
    Take,
)
from model.events import Event, ShortfallCovered
from model.invariants import violated_invariants, violated_step_properties
from model.loss import EconomicLoss, RealisedLoss, economic_loss, record
from model.numbers import RAY, WAD
from model.params.records import Config, Gen1SpotParams
from model.policies import gen1_spot, policy_of
from model.state import Auction


@attrs.define
class Actors:
    """Who acts after each report."""

    keepers: bool = True
    keepers_from_report: int = 0
    bidders: bool = True
    bidders_from_report: int = 0
    end_auctions: bool = True
    resets: bool = True


@attrs.define
class Run:
    state: State
    events: list[Event] = attrs.Factory(list)
    realised: RealisedLoss = attrs.Factory(RealisedLoss)

    def apply(self, action: object) -> bool:
        before = self.state
        outcome = step(before, action)
        broken = violated_invariants(outcome.state) + violated_step_properties(
            before, action, outcome
        )
        assert broken == (), f"{type(action).__name__} broke {broken}"
        self.realised = record(self.realised, before, outcome)
        if isinstance(outcome, Accepted):
            self.events.extend(outcome.events)
            self.state = outcome.state
            return True
        return False

    @property
    def shortfalls(self) -> list[ShortfallCovered]:
        return [e for e in self.events if isinstance(e, ShortfallCovered)]

    def loss(self) -> EconomicLoss:
        """LOSS-TOTAL of the run so far, at the mark of its current state."""
        return economic_loss(self.realised, self.state)


def book(
    config: Config,
    positions: Sequence[tuple[int, int]],
    *,
    spot: int = 2_000,
    depth: int = 1_000_000,
    insurance: int = 0,
    pol: int = 0,
) -> Run:
    """A run with one LP, the buffers funded, and ``(collateral, debt)`` positions (whole units)."""
    run = Run(genesis(config, spot=spot * RAY, depth=depth * WAD))
    setup: list[object] = [SupplyLiquidity("lp", 100_000_000 * WAD)]
    if insurance:
        setup.append(FundInsurance("dao", insurance * WAD))
    if pol:
        setup.append(FundPol("dao", pol * WAD))
    for i, (collateral, debt) in enumerate(positions):
        setup += [
            OpenPosition(f"b{i}"),
            DepositCollateral(f"b{i}", i, collateral * WAD),
            Borrow(f"b{i}", i, debt * WAD),
        ]
    for action in setup:
        assert run.apply(action), f"set-up refused {action}"
    return run


def _keep_kicking(run: Run) -> None:
    policy = run.state.config.policy
    for position_id in list(run.state.positions.keys()):
        for _ in range(20):
            position = run.state.positions[position_id]
            if position.debt == 0:
                break
            if isinstance(policy, Gen1SpotParams):
                if not gen1_spot.liquidatable(run.state, position):
                    break
                repay = gen1_spot.max_repay(run.state, position)
                if not run.apply(Liquidate("liquidator", position_id, repay)):
                    break
            elif not run.apply(Kick("keeper", position_id)):
                break


def act(run: Run, market: int, actors: Actors, report: int) -> None:
    """Everyone the scenario enables acts once, in a fixed order."""
    if actors.keepers and report >= actors.keepers_from_report:
        _keep_kicking(run)
    for auction_id in list(run.state.auctions.keys()):
        if actors.resets:
            run.apply(Redo("keeper", auction_id))
        auction = run.state.auctions[auction_id]
        bidding = actors.bidders and report >= actors.bidders_from_report
        if bidding and _price(run.state, auction) <= market * RAY:
            run.apply(Take("bidder", auction_id, 10**40, market * RAY))
        if actors.end_auctions:
            run.apply(EndAuction(auction_id))
        run.apply(Settle(auction_id))


def drive(
    run: Run,
    path: Sequence[int],
    actors: Actors,
    *,
    interval: int = 600,
    substeps: int = 6,
) -> Run:
    """Report each price of ``path`` (whole units) every ``interval`` seconds; actors act
    after each report and ``substeps`` times in between (the market staying at the
    last reported price)."""
    run.apply(ReportDepth(run.state.market.depth))
    for report, market in enumerate(path):
        for _ in range(substeps):
            run.apply(AdvanceTime(interval // substeps))
            act(run, market, actors, report)
        run.apply(ReportOracle(market * RAY))
        act(run, market, actors, report)
    return run


def _price(state: State, auction: Auction) -> int:
    """The live auction's price now, as the policy's Take pays it."""
    price = policy_of(state.config).auction_price
    assert price is not None
    return price(state, auction)

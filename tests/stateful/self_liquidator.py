"""The self-liquidator: borrows to the very edge of what its collateral allows, then
liquidates its own position to collect the keeper's incentive (gen 2, gen 3) or the
liquidator's bonus (gen 1), and buys its own collateral back.

It also checks the edge itself: one base unit more than the largest loan the policy's
threshold allows must be refused. What it should not achieve: a liquidation of a
position that is not below the threshold (NO-HEALTHY-LIQUIDATION), more incentives
than the cap (INCENTIVE-CAP), a purchase below the floor (AUCTION-FLOOR).
"""

from __future__ import annotations

from hypothesis import strategies as st
from hypothesis.stateful import MultipleResults, multiple, rule

from model.actions import Borrow, DepositCollateral, OpenPosition, ReportOracle, Take
from model.numbers import WAD
from model.outcome import Refused
from tests.stateful import views
from tests.stateful.machine import EngineFailure, EngineMachine

SELF_LIQUIDATOR = "sly"


class SelfLiquidator(EngineMachine):
    @rule(target=EngineMachine.positions, collateral=st.integers(1, 100))
    def self_liquidator_borrows_to_the_edge(self, collateral: int) -> int:
        position = self.state.next_position
        self.apply(OpenPosition(SELF_LIQUIDATOR))
        self.apply(DepositCollateral(SELF_LIQUIDATOR, position, collateral * WAD))
        edge = views.debt_limit(self.state, collateral * WAD)
        beyond = self.apply(Borrow(SELF_LIQUIDATOR, position, edge + 1))
        if not isinstance(beyond, Refused):
            raise EngineFailure(f"a loan one base unit beyond the edge ({edge}) was accepted")
        self.apply(Borrow(SELF_LIQUIDATOR, position, edge))
        return position

    @rule(
        target=EngineMachine.auctions,
        position=EngineMachine.positions,
        nudge=st.sampled_from([0, 50, 200, 400]),
        buy_back=st.booleans(),
    )
    def self_liquidator_liquidates_its_own_position(
        self, position: int, nudge: int, buy_back: bool
    ) -> MultipleResults[int]:
        """Report spot ``nudge`` basis points lower, kick (or liquidate) its own position
        as the keeper, and with ``buy_back`` buy the whole lot at once."""
        if nudge:
            self.apply(ReportOracle(max(1, self.state.oracle.spot * (10_000 - nudge) // 10_000)))
        owner = self.owner(position)
        started = self.liquidate(owner, position)
        if buy_back:
            for auction in started.values:
                self.apply(Take(owner, auction, 10**30, views.price(self.state, auction)))
        return multiple(*started.values)

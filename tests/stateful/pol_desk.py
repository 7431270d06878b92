"""POL's desk at its edges: buys a stage whose floor is exactly the mark, and sells what
POL holds at exactly the floor of the reference and exactly the depth budget left.

The honest desk (``honest.py``) sells random shares at prices around the floor; a
stage rarely expires with its floor still at or below the mark, so POL rarely holds
collateral at all, and a random amount rarely meets the depth budget. This actor
makes those states: it waits out a live stage, reports spot exactly at its floor
(the mark is then the floor: POL must buy), funds POL for the whole lot, and sells
one unit beyond the budget (refused), exactly the budget at exactly the least
proceeds (accepted), then one unit more (refused: the sale used the budget). The
checks after each step (the guard lists, the restated effects, the invariants) say
what each answer must be.
"""

from __future__ import annotations

from hypothesis import strategies as st
from hypothesis.stateful import precondition, rule

from model.actions import AdvanceTime, EndAuction, FundPol, PolSell, ReportDepth, ReportOracle
from model.numbers import RAY
from model.params.records import Gen3ZeroLossParams
from model.policies import gen3_zero_loss
from tests.stateful import views
from tests.stateful.machine import EngineMachine

DESK = "desk"


def _gen3(machine: EngineMachine) -> Gen3ZeroLossParams:
    policy = machine.state.config.policy
    assert isinstance(policy, Gen3ZeroLossParams)
    return policy


class PolDesk(EngineMachine):
    @precondition(lambda self: views.has_pol_backstop(self.state) and self.has_live_auction())
    @rule(data=st.data(), spot_bp=st.sampled_from([10_000, 9_999, 10_001]))
    def pol_buys_a_stage_at_the_mark(self, data: st.DataObject, spot_bp: int) -> None:
        """Wait out a live stage, report spot at its floor (``spot_bp`` basis points of
        it: at, just below, just above), fund POL for the whole lot, end the stage."""
        auction_id = self.live_auction(data)
        auction = self.state.auctions[auction_id]
        moment = auction.tic + _gen3(self).auction_duration
        if self.state.time < moment:
            self.apply(AdvanceTime(moment - self.state.time))
        spot = auction.floor if spot_bp == 10_000 else auction.floor * spot_bp // 10_000
        self.apply(ReportOracle(max(1, spot)))
        value = -(-auction.lot * auction.floor // RAY)
        if value > self.state.buffers.pol_quote:
            self.apply(FundPol("treasury", value - self.state.buffers.pol_quote))
        self.apply(EndAuction(auction_id))

    @precondition(
        lambda self: views.has_pol_backstop(self.state) and self.state.buffers.pol_collateral > 1
    )
    @rule(share=st.sampled_from([50, 100, 1]), over=st.sampled_from([1, 0]))
    def pol_desk_sells_the_depth_budget(self, share: int, over: int) -> None:
        """A fresh unwind period whose budget is ``share`` % of what POL holds: sell one
        unit more than the budget, then exactly the budget at exactly the least proceeds
        (``over`` base units more), then one more unit."""
        held = self.state.buffers.pol_collateral
        p = _gen3(self)
        self.apply(AdvanceTime(p.unwind_period))
        self.apply(ReportOracle(self.state.oracle.spot))  # fresh, so only the budget decides
        budget = max(1, held * share // 100)
        self.apply(ReportDepth(-(-budget * RAY // p.depth_fraction)))
        room = gen3_zero_loss.depth_room(self.state)
        floor = views.floor_of_reference(self.state)
        for amount in (room + 1, room, 1):
            least = -(-amount * floor // RAY)
            self.apply(PolSell(DESK, amount, least + over))

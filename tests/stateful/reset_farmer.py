"""The reset farmer: resets every auction it can, as often as it can, to collect the
keeper's incentive each time; it waits out the stage and pushes the price beyond the
reset band first.

What it should not achieve: a reset whose condition did not hold (RESET-GUARDED), or
more incentives per liquidation than the cap, however many resets (INCENTIVE-CAP,
gen 3). Gen 2 has no cap: what the farmer collects there is reported.
"""

from __future__ import annotations

from hypothesis import strategies as st
from hypothesis.stateful import precondition, rule

from model.actions import AdvanceTime, Redo, ReportOracle
from model.params.records import Gen2DutchParams, Gen3ZeroLossParams
from tests.stateful.machine import EngineMachine

FARMER = "farmer"


class ResetFarmer(EngineMachine):
    @precondition(lambda self: len(self.state.auctions) > 0)
    @rule()
    def reset_farmer_resets_every_auction(self) -> None:
        for auction in list(self.state.auctions):
            self.apply(Redo(FARMER, auction))

    @precondition(lambda self: len(self.state.auctions) > 0)
    @rule(
        data=st.data(),
        direction=st.sampled_from([-1, 1]),
        reports=st.integers(1, 8),
        rounds=st.integers(1, 4),
    )
    def reset_farmer_waits_moves_the_price_and_resets(
        self, data: st.DataObject, direction: int, reports: int, rounds: int
    ) -> None:
        """Pick a live auction; ``rounds`` times: wait out the stage, move spot 3 % per
        report ``reports`` times in ``direction``, reset it."""
        auction = data.draw(st.sampled_from(sorted(self.state.auctions)), label="auction")
        policy = self.state.config.policy
        if isinstance(policy, Gen3ZeroLossParams):
            wait = policy.auction_duration
        elif isinstance(policy, Gen2DutchParams):
            wait = policy.tail + 1
        else:
            return
        for _ in range(rounds):
            self.apply(AdvanceTime(wait))
            for _ in range(reports):
                spot = self.state.oracle.spot
                self.apply(ReportOracle(max(1, spot * (100 + 3 * direction) // 100)))
            self.apply(Redo(FARMER, auction))

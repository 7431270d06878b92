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

from model.actions import AdvanceTime, FundInsurance, Redo, ReportOracle
from model.numbers import RAY
from model.params.records import Gen2DutchParams, Gen3ZeroLossParams
from tests.stateful.machine import EngineMachine

FARMER = "farmer"


class ResetFarmer(EngineMachine):
    @precondition(lambda self: len(self.state.auctions) > 0)
    @rule()
    def reset_farmer_resets_every_auction(self) -> None:
        for auction in list(self.state.auctions):
            self.apply(Redo(FARMER, auction))

    @precondition(lambda self: self.has_live_auction())
    @rule(data=st.data(), direction=st.sampled_from([-1, 1]), rounds=st.integers(1, 12))
    def reset_farmer_waits_moves_the_price_and_resets(
        self, data: st.DataObject, direction: int, rounds: int
    ) -> None:
        """Pick an auction (gen 3: one POL cannot buy out, if any); ``rounds`` times: wait
        out the stage, move spot 3 % per report in ``direction``, one report per
        ``step_period`` (the reference follows at most ``max_step`` per period of time,
        not per report) until the reference has left the reset band (at most a dozen
        reports), reset it."""
        selling = {i: a for i, a in self.state.auctions.items() if not a.finished}
        pol = self.state.buffers.pol_quote
        beyond_pol = [i for i, a in selling.items() if a.lot * a.floor > pol * RAY]
        # the largest tab first: its resets pay the most (keeper_chip is per unit of tab)
        candidates = sorted(beyond_pol or selling, key=lambda i: (-selling[i].tab, i))
        auction = data.draw(st.sampled_from(candidates), label="auction")
        policy = self.state.config.policy
        if isinstance(policy, Gen3ZeroLossParams):
            wait, band = policy.auction_duration, policy.reset_band
        elif isinstance(policy, Gen2DutchParams):
            wait, band = policy.tail + 1, 0
        else:
            return
        if isinstance(policy, Gen3ZeroLossParams) and self.state.buffers.insurance < (
            policy.incentive_cap
        ):
            # incentives are paid from insurance, as far as it goes: a dry fund would hide
            # whether the cap holds however many resets are paid for
            self.apply(FundInsurance("treasury", policy.incentive_cap))
        for _ in range(rounds):
            live = self.state.auctions.get(auction)
            if live is None:
                return
            self.apply(AdvanceTime(wait))
            for _ in range(12):
                reference = self.state.oracle.reference
                if abs(reference - live.anchor) * RAY > band * live.anchor:
                    break
                spot = self.state.oracle.spot
                self.apply(AdvanceTime(self.state.config.oracle.step_period))
                self.apply(ReportOracle(max(1, spot * (100 + 3 * direction) // 100)))
            self.apply(Redo(FARMER, auction))

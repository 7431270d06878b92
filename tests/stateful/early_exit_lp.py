"""The early-exit LP: sees a liquidation that will leave a shortfall and tries to
withdraw just before the bad debt is written off its fellow LPs.

Gen 3 freezes LP withdrawals while an unbacked auction (one that may sell short) is
live (LP-WITHDRAWAL-FREEZE); gen 1 and gen 2 have no such freeze, and what the LP
withdraws ahead of a write-off of the same position is reported.
"""

from __future__ import annotations

from hypothesis import strategies as st
from hypothesis.stateful import precondition, rule

from model.actions import Settle, WithdrawLiquidity
from tests.stateful import views
from tests.stateful.machine import EARLY_LP, EngineMachine


class EarlyExitLP(EngineMachine):
    def run_for_the_exit(self, share: int) -> None:
        claim = min(views.lp_claim(self.state, EARLY_LP), self.state.pool.cash)
        self.apply(WithdrawLiquidity(EARLY_LP, max(1, claim * share // 100)))

    @precondition(lambda self: len(self.state.auctions) > 0)
    @rule(data=st.data(), share=st.sampled_from([100, 50]))
    def early_lp_exits_before_settlement(self, data: st.DataObject, share: int) -> None:
        """Pick an auction (a finished one if there is one), withdraw, then settle it."""
        finished = sorted(i for i, a in self.state.auctions.items() if a.finished)
        auction = data.draw(st.sampled_from(finished or sorted(self.state.auctions)))
        self.run_for_the_exit(share)
        self.apply(Settle(auction))

    @rule(position=EngineMachine.positions, share=st.sampled_from([100, 50]))
    def early_lp_exits_before_liquidation(self, position: int, share: int) -> None:
        self.run_for_the_exit(share)
        self.liquidate("keeper", position)

    @precondition(lambda self: self.state.unbacked > 0)
    @rule()
    def early_lp_exits_while_an_auction_is_unbacked(self) -> None:
        self.run_for_the_exit(100)

"""The dust griefer: debts, repayments, withdrawals and takes one base unit either side
of the limits (``dust``, a take's ``chost``, the collateral the threshold requires).

What it should not achieve: a debt below dust (DEBT-DUST), an auction left with a tab
below ``chost`` that nobody can buy (the purchase kernel's rule), a position below the
threshold by withdrawing (the leverage check). It also checks the withdrawal edge: one
base unit beyond the collateral the threshold frees must be refused.
"""

from __future__ import annotations

from hypothesis import strategies as st
from hypothesis.stateful import precondition, rule

from model.actions import Borrow, DepositCollateral, OpenPosition, Repay, Take, WithdrawCollateral
from model.numbers import RAY, WAD
from model.outcome import Refused
from model.params import derived
from model.params.records import Gen2DutchParams, Gen3ZeroLossParams
from model.state import State
from tests.stateful import views
from tests.stateful.machine import EngineFailure, EngineMachine

GRIEFER = "griefer"
OFFSET = st.sampled_from([-1, 0, 1])


def chost(state: State) -> int:
    """The smallest tab a partial take may leave (0 where there are no auctions)."""
    policy = state.config.policy
    if isinstance(policy, Gen3ZeroLossParams):
        return derived.gen3_chost(policy, state.config.dust)
    if isinstance(policy, Gen2DutchParams):
        return derived.gen2_chost(policy, state.config.dust)
    return 0


class DustGriefer(EngineMachine):
    @rule(target=EngineMachine.positions, offset=OFFSET, collateral=st.integers(1, 5))
    def griefer_borrows_around_dust(self, offset: int, collateral: int) -> int:
        position = self.state.next_position
        self.apply(OpenPosition(GRIEFER))
        self.apply(DepositCollateral(GRIEFER, position, collateral * WAD))
        self.apply(Borrow(GRIEFER, position, self.state.config.dust + offset))
        return position

    @rule(position=EngineMachine.positions, offset=OFFSET)
    def griefer_repays_down_to_dust(self, position: int, offset: int) -> None:
        debt = self.state.positions[position].debt
        self.apply(Repay(GRIEFER, position, max(1, debt - self.state.config.dust - offset)))

    @rule(position=EngineMachine.positions)
    def griefer_withdraws_to_the_edge(self, position: int) -> None:
        """Withdraw one base unit more than the threshold frees (must be refused), then
        exactly what it frees."""
        found = self.state.positions[position]
        if found.debt == 0 or found.collateral == 0:
            return
        low, high = 0, found.collateral  # least collateral the threshold accepts for the debt
        while low < high:
            middle = (low + high) // 2
            if views.debt_limit(self.state, middle) >= found.debt:
                high = middle
            else:
                low = middle + 1
        needed = low
        if views.debt_limit(self.state, needed) < found.debt or needed >= found.collateral:
            return
        free = found.collateral - needed
        beyond = self.apply(WithdrawCollateral(found.owner, position, free + 1))
        if not isinstance(beyond, Refused):
            raise EngineFailure(f"withdrawing one base unit beyond the edge ({free}) was accepted")
        self.apply(WithdrawCollateral(found.owner, position, free))

    @precondition(lambda self: self.has_live_auction())
    @rule(data=st.data(), offset=OFFSET)
    def griefer_takes_around_chost(self, data: st.DataObject, offset: int) -> None:
        """A take sized to leave the tab one base unit either side of ``chost``."""
        auction = self.live_auction(data)
        found = self.state.auctions.get(auction)
        price = views.price(self.state, auction)
        if found is None or price == 0:
            return
        paid = found.tab - chost(self.state) + offset
        amount = max(1, -(-paid * RAY // price))
        self.apply(Take(GRIEFER, auction, amount, price))

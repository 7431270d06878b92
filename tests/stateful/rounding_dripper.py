"""The rounding dripper: many tiny actions, hoping the roundings add up in its favour.
One-base-unit takes, LP supplies and withdrawals of a few base units, collateral in and
out one base unit at a time, one-base-unit repayments.

What it should not achieve: receive more than it pays for on any purchase
(ROUNDING-FAVOURS-PROTOCOL), or see the exact value of its LP claim rise by more than
it put in over a burst of supplies and withdrawals (shares are minted rounding down and
burned rounding up, so rounding never moves value from the pool to an LP). Both are
measured per burst; the test compares the worst with zero.
"""

from __future__ import annotations

from fractions import Fraction

from hypothesis import strategies as st
from hypothesis.stateful import precondition, rule

from model.actions import (
    DepositCollateral,
    Repay,
    SupplyLiquidity,
    Take,
    WithdrawCollateral,
    WithdrawLiquidity,
)
from model.events import Taken
from model.numbers import RAY
from model.outcome import Accepted
from model.state import State
from tests.stateful import views
from tests.stateful.machine import EngineFailure, EngineMachine
from tests.stateful.worst_cases import DRIPPER

DRIPPER_NAME = "dripper"
TIMES = st.integers(1, 10)


def exact_claim(state: State, lp: str) -> Fraction:
    """The exact (unrounded) value of ``lp``'s shares."""
    shares = state.lp_shares.get(lp, 0)
    if shares == 0:
        return Fraction(0)
    return Fraction(shares * state.pool.lp_claims, state.pool.total_shares)


class RoundingDripper(EngineMachine):
    @precondition(lambda self: self.has_live_auction())
    @rule(data=st.data(), times=TIMES)
    def dripper_takes_one_base_unit_at_a_time(self, data: st.DataObject, times: int) -> None:
        auction = self.live_auction(data)
        gain = 0
        for _ in range(times):
            outcome = self.apply(Take(DRIPPER_NAME, auction, 1, views.price(self.state, auction)))
            if isinstance(outcome, Accepted):
                for event in outcome.events:
                    if isinstance(event, Taken):
                        gain += event.collateral * event.price - event.paid * RAY
        self.seen.worst[DRIPPER].offer(Fraction(gain, RAY), "one-base-unit takes")

    @rule(times=TIMES, amount=st.integers(1, 1_000), cash_out=st.booleans())
    def dripper_supplies_and_withdraws_dust(self, times: int, amount: int, cash_out: bool) -> None:
        """``times`` supplies of ``amount`` base units, each followed by a withdrawal of as
        much (or, with ``cash_out``, all of them followed by one withdrawal of its whole
        claim). Each step may not raise the exact value of its claim by more than it put in."""
        for _ in range(times):
            self.drip(SupplyLiquidity(DRIPPER_NAME, amount), amount)
            if not cash_out:
                out = min(amount, views.lp_claim(self.state, DRIPPER_NAME))
                self.drip(WithdrawLiquidity(DRIPPER_NAME, max(out, 1)), -max(out, 1))
        if cash_out:
            out = views.lp_claim(self.state, DRIPPER_NAME)
            self.drip(WithdrawLiquidity(DRIPPER_NAME, max(out, 1)), -max(out, 1))

    def drip(self, action: SupplyLiquidity | WithdrawLiquidity, put_in: int) -> None:
        """Apply one LP action of the dripper's and measure what rounding gave it: the
        rise of the exact value of its claim beyond the quote it put in (at most 0: shares
        are minted rounding down and burned rounding up, ``spec/numbers.md``)."""
        before = exact_claim(self.state, DRIPPER_NAME)
        if not self.accepted(action):
            return
        gain = exact_claim(self.state, DRIPPER_NAME) - before - put_in
        self.seen.worst[DRIPPER].offer(gain, action)
        if gain > 0:
            raise EngineFailure(f"{action!r}: rounding raised the LP's claim by {gain} base units")

    @rule(position=EngineMachine.positions, times=TIMES)
    def dripper_moves_collateral_one_base_unit_at_a_time(self, position: int, times: int) -> None:
        owner = self.owner(position)
        for _ in range(times):
            self.apply(DepositCollateral(DRIPPER_NAME, position, 1))
            self.apply(WithdrawCollateral(owner, position, 1))

    @rule(position=EngineMachine.positions, times=TIMES)
    def dripper_repays_one_base_unit_at_a_time(self, position: int, times: int) -> None:
        for _ in range(times):
            self.apply(Repay(DRIPPER_NAME, position, 1))

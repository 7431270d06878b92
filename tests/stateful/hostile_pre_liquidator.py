"""The hostile pre-liquidator: a keeper who squeezes consenting borrowers for everything
the terms allow, and a little more.

Owners opt in to terms (well-formed ones, and ones with the incentive above ``L``, the
close factors reversed, the ratio at or below ``L``), and strangers try to opt them in.
The keeper nudges the price into a position's band and repays exactly the close factor
(the most allowed), one unit more, the whole debt, or one unit; it churns, repaying the
most allowed again and again; and it tries positions without consent and outside their
band.

What it should not achieve: a pre-liquidation of a position that did not consent or
outside its band (PRELIQ-CONSENT), a lower collateral ratio (PRELIQ-RATIO-NEVER-WORSE),
more than the terms' incentive (PRELIQ-KEEPER-GAIN), more than the close factor
(PRELIQ-CLOSE-FACTOR), or any invariant broken (the machine checks every step).
"""

from __future__ import annotations

from hypothesis import strategies as st
from hypothesis.stateful import precondition, rule

from model.actions import (
    AdvanceTime,
    Borrow,
    DepositCollateral,
    OpenPosition,
    PreLiquidate,
    ReportOracle,
    SetPreLiquidation,
)
from model.numbers import RAY, WAD
from model.numbers.fixed_point import rmul_down
from model.rules import preliquidation, steward
from model.state import State
from tests.stateful import views
from tests.stateful.machine import EngineMachine

KEEPER = "squeezer"
CONSENTER = "dee"
PERCENT = RAY // 100


def most_allowed(state: State, position_id: int) -> int:
    """The close factor's share of the debt at the position's ratio now, or 1 when the
    position is not inside a band (the keeper then only probes)."""
    position = state.positions.get(position_id)
    terms = state.pre_liquidation.get(position_id)
    if position is None or terms is None or position.debt == 0:
        return 1
    ratio = steward.liquidation_ratio_now(state)
    value = position.collateral * state.oracle.reference
    if not position.debt * ratio <= value < position.debt * terms.ratio or terms.ratio <= ratio:
        return 1
    where = preliquidation.band_position(terms, ratio, position, state.oracle.reference)
    share = preliquidation.interpolate(terms.close_factor_start, terms.close_factor_end, where)
    return max(1, rmul_down(position.debt, share))


class HostilePreLiquidator(EngineMachine):
    @rule(
        position=EngineMachine.positions,
        ratio=st.sampled_from([130, 145, 160, 200, 125, 0]),
        close_factor=st.sampled_from([(10, 50), (0, 100), (50, 10), (100, 100), (0, 0)]),
        incentive=st.sampled_from([(101, 104), (100, 100), (104, 101), (110, 124), (120, 150)]),
        stranger=st.sampled_from([False, False, False, True]),
        squeeze=st.sampled_from(["", "", "most", "beyond"]),
    )
    def owner_consents(
        self,
        position: int,
        ratio: int,
        close_factor: tuple[int, int],
        incentive: tuple[int, int],
        stranger: bool,
        squeeze: str,
    ) -> None:
        """The owner (or, with ``stranger``, someone else) sets terms in percent; a ratio
        of 0 with every term 0 withdraws the consent. With ``squeeze``, the keeper walks
        the price into the new band at once and repays that much."""
        if position not in self.state.positions:
            return
        owner = "mallory" if stranger else self.owner(position)
        terms = (ratio, *close_factor, *incentive) if ratio else (0, 0, 0, 0, 0)
        consent = SetPreLiquidation(owner, position, *(t * PERCENT for t in terms))
        if self.accepted(consent) and squeeze and ratio:
            self.walk_into_band(position)
            self.squeeze(position, 0, squeeze)

    @rule(
        target=EngineMachine.positions,
        collateral=st.integers(1, 100),
        ratio=st.sampled_from([150, 200, 300]),
        how=st.sampled_from(["most", "beyond", "whole", "one", "churn"]),
    )
    def borrower_consents_at_the_edge(self, collateral: int, ratio: int, how: str) -> int:
        """A borrower borrows to the edge and consents to well-formed terms whose band it is
        in at once; the keeper squeezes it (or churns it) straight away."""
        position = self.state.next_position
        self.apply(OpenPosition(CONSENTER))
        self.apply(DepositCollateral(CONSENTER, position, collateral * WAD))
        edge = views.debt_limit(self.state, collateral * WAD)
        self.apply(Borrow(CONSENTER, position, max(edge, self.state.config.dust)))
        terms = (ratio, 10, 50, 101, 104)
        self.apply(SetPreLiquidation(CONSENTER, position, *(t * PERCENT for t in terms)))
        if how == "churn":
            self.churn(position, 12)
        else:
            self.squeeze(position, 0, how)
        return position

    def consenting(self, data: st.DataObject) -> int:
        """One of the positions whose owner consented (call under ``has_consents``)."""
        return data.draw(st.sampled_from(sorted(self.state.pre_liquidation)), label="position")

    def has_consents(self) -> bool:
        return len(self.state.pre_liquidation) > 0

    @rule(
        position=EngineMachine.positions,
        nudge=st.sampled_from([0, 100, 300, 800]),
        how=st.sampled_from(["most", "beyond", "whole", "one"]),
    )
    def pre_liquidator_tries_anyone(self, position: int, nudge: int, how: str) -> None:
        """Any position, consenting or not: a squeeze (see below)."""
        self.squeeze(position, nudge, how)

    @precondition(has_consents)
    @rule(
        data=st.data(),
        walk=st.booleans(),
        how=st.sampled_from(["most", "most", "beyond", "whole", "one"]),
    )
    def pre_liquidator_squeezes(self, data: st.DataObject, walk: bool, how: str) -> None:
        """A consenting position, with ``walk`` walked down into its band first: a squeeze."""
        position = self.consenting(data)
        if walk:
            self.walk_into_band(position)
        self.squeeze(position, 0, how)

    def walk_into_band(self, position_id: int) -> None:
        """Report spot 2 % below the reference every 10 minutes (at most 20 times, and no
        breaker trips) until the reference puts the position below its terms' ratio."""
        for _ in range(20):
            position = self.state.positions[position_id]
            terms = self.state.pre_liquidation.get(position_id)
            value = position.collateral * self.state.oracle.reference
            if terms is None or value < position.debt * terms.ratio:
                return
            self.apply(AdvanceTime(600))
            self.apply(ReportOracle(max(1, self.state.oracle.reference * 98 // 100)))

    def squeeze(self, position: int, nudge: int, how: str) -> None:
        """Report spot ``nudge`` basis points lower, then repay ``how`` much."""
        if nudge:
            spot = self.state.oracle.spot
            self.apply(ReportOracle(max(1, spot * (10_000 - nudge) // 10_000)))
        most = most_allowed(self.state, position)
        debt = self.state.positions[position].debt if position in self.state.positions else 1
        amount = {"most": most, "beyond": most + 1, "whole": max(1, debt), "one": 1}[how]
        self.apply(PreLiquidate(KEEPER, position, amount))

    @precondition(has_consents)
    @rule(data=st.data(), rounds=st.integers(2, 12))
    def pre_liquidator_churns(self, data: st.DataObject, rounds: int) -> None:
        """Repay the most allowed from a consenting position, again and again, while it is
        accepted."""
        self.churn(self.consenting(data), rounds)

    def churn(self, position: int, rounds: int) -> None:
        for _ in range(rounds):
            most = most_allowed(self.state, position)
            if not self.accepted(PreLiquidate(KEEPER, position, most)):
                return

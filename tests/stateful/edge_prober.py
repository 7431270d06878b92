"""The edge prober: acts exactly on the boundaries the spec draws, where an off-by-one or
a dropped check is the only difference between the model and a faulty one.

Random amounts and times rarely land on an exact edge; this actor computes them from
the state: it borrows exactly the pool's cash, repays all but one base unit, repays one
base unit beyond the close factor (gen 1), trades and resets at exactly ``tail`` seconds
and between ``cusp`` and ``tail`` (gen 2), resets a dusty auction (gen 2), resets inside
the reset band and with POL holding exactly the lot's value at the floor (gen 3), and
sizes a vault one part in two of dust over the room under ``hole`` (gen 2), and kicks
and resets gen 3 stages whose lot at the floor falls short of the debt by less than one
base unit (where rounding the value up would call them backed). The checks
after each step (the guard lists, the restated effects, the invariants) say what the
answer must be.
"""

from __future__ import annotations

from collections.abc import Callable

from hypothesis import strategies as st
from hypothesis.stateful import MultipleResults, multiple, precondition, rule

from model.actions import (
    AdvanceTime,
    Borrow,
    DepositCollateral,
    FundPol,
    Kick,
    Liquidate,
    OpenPosition,
    Redo,
    Repay,
    ReportDepth,
    ReportOracle,
    SupplyLiquidity,
    Take,
)
from model.numbers import RAY, WAD
from model.params import derived
from model.params.records import Gen1SpotParams, Gen2DutchParams, Gen3ZeroLossParams
from model.policies import gen1_spot, gen3_zero_loss
from model.state import Auction
from tests.stateful import views
from tests.stateful.effect_checks import Overflow, curve_price
from tests.stateful.machine import EngineMachine

PROBER = "prober"


def _is(policy: type) -> Callable[[EngineMachine], bool]:
    return lambda self: isinstance(self.state.config.policy, policy)


class EdgeProber(EngineMachine):
    # --- lending edges ----------------------------------------------------------------

    @precondition(lambda self: self.state.pool.cash >= self.state.config.dust)
    @rule(target=EngineMachine.positions)
    def prober_borrows_exactly_the_pools_cash(self) -> int:
        """Collateral enough for the whole pool, then a loan of exactly its cash."""
        cash = self.state.pool.cash
        collateral = WAD
        for _ in range(200):
            if views.debt_limit(self.state, collateral) > cash:
                break
            collateral *= 2
        position = self.state.next_position
        self.apply(OpenPosition(PROBER))
        self.apply(DepositCollateral(PROBER, position, collateral))
        self.apply(Borrow(PROBER, position, self.state.pool.cash))
        return position

    @rule(position=EngineMachine.positions, left=st.sampled_from([1, 2]))
    def prober_repays_all_but_a_unit(self, position: int, left: int) -> None:
        found = self.state.positions.get(position)
        if found is not None and found.debt > left:
            self.apply(Repay(found.owner, position, found.debt - left))

    @precondition(_is(Gen1SpotParams))
    @rule(beyond=st.sampled_from([1, 0]), collateral=st.integers(5, 200))
    def prober_liquidates_beyond_the_close_factor(self, beyond: int, collateral: int) -> None:
        """Gen 1: a loan at the edge, spot moved so that the position is liquidatable but
        above ``full_close_ratio`` (the close factor binds), then a repayment one base
        unit beyond the close factor (or the whole debt, ``beyond = 0``)."""
        policy = self.state.config.policy
        assert isinstance(policy, Gen1SpotParams)
        debt = views.debt_limit(self.state, collateral * WAD)
        if debt > self.state.pool.cash or debt < 3 * self.state.config.dust:
            return
        position_id = self.state.next_position
        self.apply(OpenPosition(PROBER))
        self.apply(DepositCollateral(PROBER, position_id, collateral * WAD))
        self.apply(Borrow(PROBER, position_id, debt))
        between = (policy.liquidation_ratio + policy.full_close_ratio) // 2
        self.apply(ReportOracle(max(1, debt * between // (collateral * WAD))))
        position = self.state.positions[position_id]
        cap = gen1_spot.max_repay(self.state, position)
        repay = cap + 1 if beyond else position.debt
        self.apply(Liquidate(PROBER, position_id, repay))

    # --- gen 2: status edges ------------------------------------------------------------

    def _gen2(self) -> Gen2DutchParams:
        policy = self.state.config.policy
        assert isinstance(policy, Gen2DutchParams)
        return policy

    def _trade_and_reset(self, auction: int) -> None:
        """A one-unit take at the current price, then a reset, both judged by the checks."""
        self.apply(Take(PROBER, auction, 1, 2**200))
        self.apply(Redo(PROBER, auction))

    def _kick_a_fresh_vault(self) -> int | None:
        """A vault of 10 tokens at 90 % of its limit, spot lowered 20 %, kicked; the
        auction's id (None if any step was refused)."""
        debt = views.debt_limit(self.state, 10 * WAD) * 9 // 10
        if debt > self.state.pool.cash or debt < self.state.config.dust:
            return None
        position = self.state.next_position
        self.apply(OpenPosition(PROBER))
        self.apply(DepositCollateral(PROBER, position, 10 * WAD))
        self.apply(Borrow(PROBER, position, debt))
        self.apply(ReportOracle(max(1, self.state.oracle.spot * 8 // 10)))
        auction = self.state.next_auction
        self.apply(Kick(PROBER, position))
        return auction if self.state.next_auction > auction else None

    @precondition(_is(Gen2DutchParams))
    @rule(target=EngineMachine.auctions, data=st.data(), after=st.sampled_from([0, 1]))
    def prober_acts_at_the_exact_tail(
        self, data: st.DataObject, after: int
    ) -> MultipleResults[int]:
        """At ``tail`` seconds (and one more) into a stage, a one-unit take and a reset:
        the stage needs a reset only after ``tail`` (unless its price fell below cusp)."""
        kicked = None if self.has_live_auction() else self._kick_a_fresh_vault()
        if kicked is None and not self.has_live_auction():
            return multiple()
        auction_id = kicked if kicked is not None else self.live_auction(data)
        auction = self.state.auctions[auction_id]
        moment = auction.tic + self._gen2().tail + after
        if self.state.time < moment:
            self.apply(AdvanceTime(moment - self.state.time))
        self._trade_and_reset(auction_id)
        return multiple(kicked) if kicked is not None else multiple()

    @precondition(lambda self: _is(Gen2DutchParams)(self) and self.has_live_auction())
    @rule(data=st.data())
    def prober_acts_between_cusp_and_tail(self, data: st.DataObject) -> None:
        """The first second the price is below ``cusp * top``, if that is before ``tail``."""
        auction_id = self.live_auction(data)
        auction = self.state.auctions[auction_id]
        p = self._gen2()
        low, high = 0, p.tail
        try:
            if curve_price(p.curve, auction.top, high) * RAY >= p.cusp * auction.top:
                return
            while low < high:
                middle = (low + high) // 2
                if curve_price(p.curve, auction.top, middle) * RAY < p.cusp * auction.top:
                    high = middle
                else:
                    low = middle + 1
        except Overflow:
            return
        moment = auction.tic + low
        if self.state.time < moment:
            self.apply(AdvanceTime(moment - self.state.time))
        self._trade_and_reset(auction_id)

    @precondition(lambda self: _is(Gen2DutchParams)(self) and self.has_live_auction())
    @rule(data=st.data())
    def prober_resets_a_dusty_auction(self, data: st.DataObject) -> None:
        """Crash spot until the lot is worth less than ``chost``, wait past ``tail``, reset:
        no incentive is due on a dusty auction."""
        auction_id = self.live_auction(data)
        auction = self.state.auctions[auction_id]
        chost = derived.gen2_chost(self._gen2(), self.state.config.dust)
        spot = max(1, chost * RAY // max(auction.lot, 1) - 1)
        self.apply(ReportOracle(spot))
        moment = auction.tic + self._gen2().tail + 1
        if self.state.time < moment:
            self.apply(AdvanceTime(moment - self.state.time))
        self.apply(Redo(PROBER, auction_id))

    @precondition(_is(Gen2DutchParams))
    @rule(target=EngineMachine.auctions)
    def prober_sizes_a_vault_just_over_the_room(self) -> MultipleResults[int]:
        """A vault whose debt exceeds the room under ``hole`` by half of ``dust``, then
        kicked: the bark must take it whole rather than leave dust in it."""
        p = self._gen2()
        room = p.hole - self.state.exposure
        dust = self.state.config.dust
        debt = room * WAD // p.chop + dust // 2
        if room <= 0 or debt < dust:
            return multiple()
        if debt > self.state.pool.cash:  # a whale LP lends what the vault needs
            self.apply(SupplyLiquidity(PROBER, debt - self.state.pool.cash + dust))
        spot = self.state.oracle.spot
        collateral = debt * p.mat // spot + WAD
        position = self.state.next_position
        self.apply(OpenPosition(PROBER))
        self.apply(DepositCollateral(PROBER, position, collateral))
        self.apply(Borrow(PROBER, position, debt))
        self.apply(ReportOracle(spot * 9 // 10))
        auction = self.state.next_auction
        self.apply(Kick(PROBER, position))
        return multiple(auction) if self.state.next_auction > auction else multiple()

    # --- gen 3: reset edges -------------------------------------------------------------

    def _gen3(self) -> Gen3ZeroLossParams:
        policy = self.state.config.policy
        assert isinstance(policy, Gen3ZeroLossParams)
        return policy

    @precondition(lambda self: views.has_pol_backstop(self.state) and self.has_live_auction())
    @rule(data=st.data())
    def prober_resets_inside_the_band(self, data: st.DataObject) -> None:
        """Wait out the stage and reset with the reference still inside the reset band."""
        auction_id = self.live_auction(data)
        auction = self.state.auctions[auction_id]
        moment = auction.tic + self._gen3().auction_duration
        if self.state.time < moment:
            self.apply(AdvanceTime(moment - self.state.time))
        self.apply(ReportOracle(self.state.oracle.spot))
        self.apply(Redo(PROBER, auction_id))

    @precondition(lambda self: views.has_pol_backstop(self.state) and self.has_live_auction())
    @rule(data=st.data(), direction=st.sampled_from([-1, 1]))
    def prober_resets_with_pol_at_the_lots_value(self, data: st.DataObject, direction: int) -> None:
        """Leave the band, top POL up to exactly the lot's value at the floor, reset: POL
        covers the lot, so the reset must be refused."""
        pol = self.state.buffers.pol_quote
        live = sorted(i for i, a in self.state.auctions.items() if not a.finished)
        # POL can only be topped up: the auctions whose lot at the floor it does not cover
        short = [i for i in live if self._lot_at_floor(self.state.auctions[i]) >= pol]
        auction_id = data.draw(st.sampled_from(short or live), label="auction")
        auction = self.state.auctions[auction_id]
        p = self._gen3()
        moment = auction.tic + p.auction_duration
        if self.state.time < moment:
            self.apply(AdvanceTime(moment - self.state.time))
        for _ in range(12):
            if (
                abs(self.state.oracle.reference - auction.anchor) * RAY
                > p.reset_band * auction.anchor
            ):
                break
            spot = self.state.oracle.spot
            self.apply(AdvanceTime(self.state.config.oracle.step_period))
            self.apply(ReportOracle(max(1, spot * (100 + 3 * direction) // 100)))
        value = self._lot_at_floor(auction)
        if value > self.state.buffers.pol_quote:
            self.apply(FundPol("treasury", value - self.state.buffers.pol_quote))
        self.apply(Redo(PROBER, auction_id))

    @staticmethod
    def _lot_at_floor(auction: Auction) -> int:
        """The lot's value at the stage's floor, rounded up (what POL needs to buy it)."""
        return -(-auction.lot * auction.floor // RAY)

    # --- gen 3: backing by less than one base unit ----------------------------------------

    def _walk_reference(self, target: int) -> bool:
        """Report ``target`` until the reference reaches it: one report per
        ``step_period``, since the reference follows by at most ``max_step`` per period
        of time (reports in the same second would not move it at all)."""
        for _ in range(80):
            if self.state.oracle.reference == target:
                return True
            self.apply(AdvanceTime(self.state.config.oracle.step_period))
            self.apply(ReportOracle(target))
        return self.state.oracle.reference == target

    def _reference_for(self, lot: int, debt: int) -> int | None:
        """A reference whose floor values ``lot`` at strictly between ``debt - 1`` and
        ``debt`` base units (backed when rounded up, not when rounded down)."""
        p = self._gen3()
        guess = (debt * RAY - RAY // 2) // lot * RAY // p.floor_ratio
        for reference in range(guess - 8, guess + 9):
            value = lot * gen3_zero_loss.floor_price(p, reference)
            if (debt - 1) * RAY < value < debt * RAY:
                return reference
        return None

    def _borrow_to_the_edge(self, collateral: int) -> int | None:
        """A new position of ``collateral`` tokens borrowing 98 % of its limit; its id."""
        debt = views.debt_limit(self.state, collateral * WAD) * 98 // 100
        if debt > self.state.pool.cash or debt < self.state.config.dust:
            return None
        position = self.state.next_position
        self.apply(OpenPosition(PROBER))
        self.apply(DepositCollateral(PROBER, position, collateral * WAD))
        self.apply(Borrow(PROBER, position, debt))
        self.apply(ReportDepth(10**9 * WAD))  # the whole position fits in one slice
        return position if self.state.positions[position].debt == debt else None

    @precondition(lambda self: views.has_pol_backstop(self.state))
    @rule(target=EngineMachine.auctions, collateral=st.integers(1, 400))
    def prober_kicks_a_stage_short_by_a_fraction(self, collateral: int) -> MultipleResults[int]:
        """Walk the reference to where the whole lot at the floor is worth a fraction of a
        unit less than the debt, and kick: the stage is not backed."""
        position = self._borrow_to_the_edge(collateral)
        if position is None:
            return multiple()
        found = self.state.positions[position]
        reference = self._reference_for(found.collateral, found.debt)
        if reference is None or not self._walk_reference(reference):
            return multiple()
        auction = self.state.next_auction
        self.apply(Kick(PROBER, position))
        return multiple(auction) if self.state.next_auction > auction else multiple()

    @precondition(lambda self: views.has_pol_backstop(self.state))
    @rule(target=EngineMachine.auctions, collateral=st.integers(1, 400))
    def prober_resets_a_stage_to_short_by_a_fraction(self, collateral: int) -> MultipleResults[int]:
        """Kick an unbacked stage (floor value 85 % of the debt), wait it out, raise the
        reference to where the lot at the new floor is a fraction of a unit short of the
        debt, and reset: the new stage is not backed either."""
        position = self._borrow_to_the_edge(collateral)
        if position is None:
            return multiple()
        found = self.state.positions[position]
        p = self._gen3()
        kick_floor = found.debt * 85 * RAY // (100 * found.collateral)
        if not self._walk_reference(kick_floor * RAY // p.floor_ratio):
            return multiple()
        auction_id = self.state.next_auction
        self.apply(Kick(PROBER, position))
        auction = self.state.auctions.get(auction_id)
        if auction is None:
            return multiple()
        self.apply(AdvanceTime(p.auction_duration))
        reference = self._reference_for(auction.lot, auction.debt)
        if reference is not None and self._walk_reference(reference):
            self.apply(Redo(PROBER, auction_id))
        return multiple(auction_id)

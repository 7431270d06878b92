"""Honest actors: LPs, the treasury, borrowers, the oracle, the clock, the market,
keepers, bidders, POL and whoever settles. Each rule is one actor doing one thing it
normally does; amounts are drawn around what the state allows, so runs reach the
interesting states (liquidations, partial takes, POL purchases, settlements) often.
"""

from __future__ import annotations

from hypothesis import strategies as st
from hypothesis.stateful import MultipleResults, consumes, multiple, precondition, rule

from crosscheck.strategies import DrawChooser, next_action
from model.actions import (
    AdvanceTime,
    Borrow,
    DepositCollateral,
    EndAuction,
    FundInsurance,
    FundPol,
    OpenPosition,
    PolSell,
    Redo,
    Repay,
    ReportDepth,
    ReportOracle,
    Settle,
    SupplyLiquidity,
    Take,
    WithdrawCollateral,
    WithdrawLiquidity,
)
from model.numbers import RAY, WAD
from model.outcome import Refused
from tests.stateful import views
from tests.stateful.machine import EARLY_LP, LPS, OWNERS, EngineMachine

TOKENS = st.one_of(
    st.integers(1, 200_000).map(lambda n: n * WAD),
    st.integers(1, 10**24),
)
COLLATERAL = st.one_of(st.integers(1, 100).map(lambda n: n * WAD), st.integers(1, 10**20))
SHARE = st.integers(1, 100)
"""A percentage of what the actor could use."""
PRICE_BP = st.sampled_from([10_000, 9_999, 10_500, 9_900, 11_000])
"""POL's desk's price, in basis points of the floor of the reference: from 1 % below it
(refused: BELOW_FLOOR) to 10 % above."""
WAIT = st.one_of(st.sampled_from([1_800, 0, 900]), st.integers(1, 2_400))
"""How long a bidder watches an auction before buying: the gen 3 price reaches its floor
after 1,800 s."""
SECONDS = st.one_of(
    st.sampled_from([1, 12, 60, 600, 1_800, 3_600, 3_601, 8_401]),
    st.integers(1, 20_000),
)


class HonestActors(EngineMachine):
    # --- LPs and the treasury ---------------------------------------------------------

    @rule(lp=st.sampled_from(LPS), amount=TOKENS)
    def lp_supplies(self, lp: str, amount: int) -> None:
        self.apply(SupplyLiquidity(lp, amount))

    @rule(lp=st.sampled_from((*LPS, EARLY_LP)), share=SHARE)
    def lp_withdraws(self, lp: str, share: int) -> None:
        claim = views.lp_claim(self.state, lp)
        self.apply(WithdrawLiquidity(lp, max(1, claim * share // 100)))

    @rule(amount=TOKENS)
    def treasury_funds_insurance(self, amount: int) -> None:
        self.apply(FundInsurance("treasury", amount))

    @rule(amount=TOKENS)
    def treasury_funds_pol(self, amount: int) -> None:
        self.apply(FundPol("treasury", amount))

    # --- borrowers --------------------------------------------------------------------

    @rule(
        target=EngineMachine.positions,
        owner=st.sampled_from(OWNERS),
        collateral=st.integers(1, 100),
        leverage=st.one_of(st.sampled_from([100, 99, 90]), st.integers(0, 100)),
    )
    def borrower_takes_a_loan(self, owner: str, collateral: int, leverage: int) -> int:
        """Open a position, deposit ``collateral`` tokens, borrow ``leverage`` % of the room."""
        position = self.state.next_position
        self.apply(OpenPosition(owner))
        self.apply(DepositCollateral(owner, position, collateral * WAD))
        if leverage:
            room = views.debt_limit(self.state, collateral * WAD)
            self.apply(Borrow(owner, position, max(room * leverage // 100, self.state.config.dust)))
        return position

    @rule(target=EngineMachine.positions, owner=st.sampled_from(OWNERS))
    def borrower_opens_a_position(self, owner: str) -> int:
        position = self.state.next_position
        self.apply(OpenPosition(owner))
        return position

    @rule(position=EngineMachine.positions, amount=COLLATERAL)
    def borrower_deposits(self, position: int, amount: int) -> None:
        self.apply(DepositCollateral(self.owner(position), position, amount))

    @rule(position=EngineMachine.positions, share=SHARE)
    def borrower_borrows(self, position: int, share: int) -> None:
        found = self.state.positions[position]
        room = views.debt_limit(self.state, found.collateral) - found.debt
        amount = max(room * share // 100, self.state.config.dust - found.debt, 1)
        self.apply(Borrow(found.owner, position, amount))

    @rule(position=EngineMachine.positions, how=st.sampled_from(["all", "down to dust", "part"]))
    def borrower_repays(self, position: int, how: str) -> None:
        debt = self.state.positions[position].debt
        amount = {"all": debt, "down to dust": debt - self.state.config.dust, "part": debt // 3}
        self.apply(Repay(self.owner(position), position, max(amount[how], 1)))

    @rule(position=EngineMachine.positions, share=SHARE)
    def borrower_withdraws_collateral(self, position: int, share: int) -> None:
        found = self.state.positions[position]
        amount = max(1, found.collateral * share // 100)
        self.apply(WithdrawCollateral(found.owner, position, amount))

    # --- oracle, clock, market --------------------------------------------------------

    @rule(move=st.integers(-300, 300))
    def oracle_reports(self, move: int) -> None:
        """Spot moves by ``move`` basis points."""
        self.apply(ReportOracle(max(1, self.state.oracle.spot * (10_000 + move) // 10_000)))

    @rule(move=st.integers(-200, 200), reports=st.integers(2, 12), every=st.sampled_from([60, 600]))
    def oracle_follows_a_trend(self, move: int, reports: int, every: int) -> None:
        """A market that trends: ``reports`` reports ``every`` seconds, each moving spot by
        ``move`` basis points (within the reference's step, so spot and reference agree)."""
        for _ in range(reports):
            self.apply(AdvanceTime(every))
            self.apply(ReportOracle(max(1, self.state.oracle.spot * (10_000 + move) // 10_000)))

    @rule(
        step=st.sampled_from([200, 150, 100]),
        reports=st.integers(3, 15),
        every=st.sampled_from([60, 600]),
    )
    def market_declines(self, step: int, reports: int, every: int) -> None:
        """A bear market within the assumptions of the zero-loss theorem: spot falls
        ``step`` basis points per report, no faster than the reference may follow."""
        for _ in range(reports):
            self.apply(AdvanceTime(every))
            self.apply(ReportOracle(max(1, self.state.oracle.spot * (10_000 - step) // 10_000)))

    @rule(
        target=EngineMachine.auctions,
        step=st.sampled_from([200, 150, 100]),
        reports=st.integers(3, 15),
    )
    def market_declines_while_keepers_watch(self, step: int, reports: int) -> MultipleResults[int]:
        """The same bear market with live keepers: after every report, every position
        below its threshold is liquidated (the theorem's ASM-KEEPER-LIVENESS)."""
        kicked: list[int] = []
        for _ in range(reports):
            self.apply(AdvanceTime(600))
            self.apply(ReportOracle(max(1, self.state.oracle.spot * (10_000 - step) // 10_000)))
            kicked.extend(self.kick_every_unsafe_position())
        return multiple(*kicked)

    @rule(seconds=SECONDS)
    def time_passes(self, seconds: int) -> None:
        self.apply(AdvanceTime(seconds))

    @rule(depth=st.sampled_from([1_000, 0, 5, 100_000]).map(lambda n: n * WAD))
    def market_reports_depth(self, depth: int) -> None:
        self.apply(ReportDepth(depth))

    # --- keepers, bidders, POL, settlement ---------------------------------------------

    @rule(target=EngineMachine.auctions, position=EngineMachine.positions, share=SHARE)
    def keeper_liquidates(self, position: int, share: int) -> MultipleResults[int]:
        return self.liquidate("keeper", position, share)

    @precondition(
        lambda self: any(views.unsafe(self.state, p) for p in self.state.positions.values())
    )
    @rule(target=EngineMachine.auctions)
    def keeper_liquidates_every_unsafe_position(self) -> MultipleResults[int]:
        """A diligent keeper: the first few positions below their threshold, once each."""
        return multiple(*self.kick_every_unsafe_position())

    def kick_every_unsafe_position(self) -> list[int]:
        """Liquidate the first five positions below their threshold; the new auctions."""
        kicked: list[int] = []
        unsafe = [i for i, p in self.state.positions.items() if views.unsafe(self.state, p)]
        for position_id in sorted(unsafe)[:5]:
            kicked.extend(self.liquidate("keeper", position_id).values)
        return kicked

    @rule(auction=EngineMachine.auctions)
    def keeper_resets(self, auction: int) -> None:
        self.apply(Redo("keeper", auction))

    @precondition(lambda self: self.has_live_auction())
    @rule(
        data=st.data(),
        share=st.sampled_from([100, 50, 10, 1]),
        full=st.booleans(),
        wait=WAIT,
    )
    def bidder_takes(self, data: st.DataObject, share: int, full: bool, wait: int) -> None:
        """Watch a live auction for ``wait`` seconds while the price falls, then buy
        ``share`` % of its lot (or more than all of it) at the current price."""
        auction = self.live_auction(data)
        if wait:
            self.apply(AdvanceTime(wait))
        found = self.state.auctions.get(auction)
        lot = found.lot if found is not None else WAD
        amount = 10**30 if full else max(1, lot * share // 100)
        self.apply(Take("bidder", auction, amount, views.price(self.state, auction)))

    @precondition(lambda self: views.has_pol_backstop(self.state))
    @rule(auction=EngineMachine.auctions)
    def pol_ends_auction(self, auction: int) -> None:
        self.apply(EndAuction(auction))

    @precondition(lambda self: views.has_pol_backstop(self.state) and self.has_live_auction())
    @rule(data=st.data())
    def pol_waits_out_an_auction_and_ends_it(self, data: st.DataObject) -> None:
        """No bidder comes: once the auction has run its duration, POL buys at the floor."""
        auction = self.live_auction(data)
        end = self.state.auctions[auction].tic + views.auction_duration(self.state)
        if self.state.time < end:
            self.apply(AdvanceTime(end - self.state.time))
        self.apply(EndAuction(auction))
        if self.state.buffers.pol_collateral > 0 and data.draw(st.booleans(), label="desk"):
            share = data.draw(SHARE, label="share")
            self.pol_desk_sells(share, data.draw(PRICE_BP, label="price_bp"))

    @precondition(lambda self: views.has_pol_backstop(self.state) and len(self.state.auctions) > 0)
    @rule()
    def pol_ends_every_expired_auction(self) -> None:
        for auction_id, auction in list(self.state.auctions.items()):
            if views.expired(self.state, auction):
                self.apply(EndAuction(auction_id))

    @precondition(
        lambda self: views.has_pol_backstop(self.state) and self.state.buffers.pol_collateral > 0
    )
    @rule(share=SHARE, price_bp=PRICE_BP)
    def pol_desk_sells(self, share: int, price_bp: int) -> None:
        """POL's desk passes on part of what POL bought, at a price around the floor of the
        reference (below it by up to 1 %, which the engine must refuse, or above)."""
        held = self.state.buffers.pol_collateral
        amount = max(1, held * share // 100)
        floor = views.floor_of_reference(self.state)
        proceeds = amount * floor * price_bp // (10_000 * RAY)
        self.apply(PolSell("desk", amount, proceeds))

    @precondition(lambda self: any(a.finished for a in self.state.auctions.values()))
    @rule()
    def settler_settles_every_finished_auction(self) -> None:
        for auction_id, auction in list(self.state.auctions.items()):
            if auction.finished:
                self.apply(Settle(auction_id))

    @rule(target=EngineMachine.auctions, auction=consumes(EngineMachine.auctions))
    def anyone_settles(self, auction: int) -> MultipleResults[int]:
        """Settle; a finished auction leaves the bundle, a live one stays in it."""
        if isinstance(self.apply(Settle(auction)), Refused):
            return multiple(auction)
        return multiple()

    # --- anyone ------------------------------------------------------------------------

    @rule(data=st.data())
    def stranger_sends_an_edge_case(self, data: st.DataObject) -> None:
        """Unknown ids, wrong owners, zero, one wei, ``2**256 - 1``, negative amounts:
        ``crosscheck.strategies``' adversarial generator, drawn in view of the state."""
        self.apply(next_action(DrawChooser(data), self.state, adversarial=True))

"""The sandwicher: moves the oracle, acts, and moves it back. Around a kick (the
``crosscheck.strategies.sandwich``: spot halved, kick, spot restored) and around a
reset followed by a purchase (spot crashed, reset from the crashed price, buy it all,
spot restored).

What it should not achieve under gen 3: a kick of a healthy position (the reference
moves at most ``max_step``, and the deviation breaker stops kicks), a reset from a
manipulated price (RESET-GUARDED), or a purchase below the floor (AUCTION-FLOOR,
BOUNDED-EXTRACTION). Under gen 2, which resets from spot, what it extracts is reported.
"""

from __future__ import annotations

from hypothesis import strategies as st
from hypothesis.stateful import MultipleResults, multiple, precondition, rule

from crosscheck.strategies import DrawChooser, sandwich
from model.actions import Redo, ReportOracle, Take
from tests.stateful import views
from tests.stateful.machine import EngineMachine

SANDWICHER = "mallory"


class Sandwicher(EngineMachine):
    @rule(target=EngineMachine.auctions, data=st.data())
    def sandwicher_kicks_between_two_reports(self, data: st.DataObject) -> MultipleResults[int]:
        first = self.state.next_auction
        for action in sandwich(DrawChooser(data), self.state):
            self.apply(action)
        return multiple(*range(first, self.state.next_auction))

    @precondition(lambda self: self.has_live_auction())
    @rule(data=st.data(), crash=st.sampled_from([2, 5, 20]), reports=st.integers(1, 3))
    def sandwicher_resets_low_and_buys(self, data: st.DataObject, crash: int, reports: int) -> None:
        auction = self.live_auction(data)
        spot = self.state.oracle.spot
        for _ in range(reports):
            self.apply(ReportOracle(max(1, spot // crash)))
        self.apply(Redo(SANDWICHER, auction))
        self.apply(Take(SANDWICHER, auction, 10**30, views.price(self.state, auction)))
        for _ in range(reports):
            self.apply(ReportOracle(spot))

"""The frame of pre-liquidation and the steward: every action other than the three new
ones, ``Kick``, ``Borrow``, ``WithdrawCollateral`` and ``AdvanceTime`` neither reads nor
writes ``state.steward`` or ``state.pre_liquidation``.

That is what lets ``proofs/obligations/predictive.py`` prove the new actions and the
readers of the parameters in force on states with terms and a steward record, while the
other actions' obligations keep running on states without them. Each action below runs
on a gen 3 state with terms and a steward record whose every value differs from the
configuration, and on the same state without them: the outcomes agree, apart from
those two fields, which the action leaves as they were.
"""

from __future__ import annotations

import attrs
import pytest

from model import genesis, step
from model.actions import (
    DepositCollateral,
    EndAuction,
    FundInsurance,
    FundPol,
    Kick,
    OpenPosition,
    PolSell,
    Redo,
    Repay,
    ReportDepth,
    ReportOracle,
    SetPreLiquidation,
    Settle,
    SupplyLiquidity,
    Take,
    UpdateParams,
    WithdrawLiquidity,
)
from model.outcome import Accepted
from model.params.presets import PRESETS, STEWARD
from model.state import State
from tests.builders import Book, borrower, ray, wad, walk_to

pytestmark = pytest.mark.covers("STEWARD-BOUNDED", "PRELIQ-CONSENT")

CONFIG = attrs.evolve(PRESETS["gen3"], steward=STEWARD)


def with_record() -> Book:
    """Two positions, one of them opted in and one under auction; the steward has moved
    L, T and the margin."""
    b = Book(genesis(CONFIG, spot=ray(2_000), depth=wad(1_000)))
    b.do(SupplyLiquidity("lp", wad(1_000_000)), FundInsurance("dao", wad(1_000)))
    b.do(FundPol("dao", wad(10_000)))
    borrower(b, "alice", 10, 10_000)
    borrower(b, "bob", 10, 13_000)
    terms = (ray("1.45"), ray("0.1"), ray("0.5"), ray("1.01"), ray("1.04"))
    b.do(SetPreLiquidation("alice", 0, *terms))
    b.do(UpdateParams("risk-steward", ray("1.27"), ray("1.47"), ray("0.12")))
    walk_to(b, 1_600)
    b.do(ReportDepth(wad(1_000)), Kick("keeper", 1))
    return b


OTHERS = [
    SupplyLiquidity("lp2", wad(5_000)),
    WithdrawLiquidity("lp", wad(1_000)),
    FundInsurance("dao", wad(10)),
    FundPol("dao", wad(10)),
    OpenPosition("carol"),
    DepositCollateral("alice", 0, wad(1)),
    Repay("alice", 0, wad(1_000)),
    ReportOracle(ray(1_950)),
    ReportDepth(wad(900)),
    Take("bidder", 0, wad(1), ray(3_000)),
    Redo("keeper", 0),
    EndAuction(0),
    Settle(0),
    PolSell("desk", wad(1), wad(1_000)),
]


def _without(state: State) -> State:
    return attrs.evolve(state, steward=None, pre_liquidation=type(state.pre_liquidation)())


@pytest.mark.parametrize("action", OTHERS, ids=lambda a: type(a).__name__)
def test_other_actions_neither_read_nor_write_the_predictive_records(action: object) -> None:
    state = with_record().state
    assert state.steward is not None and state.pre_liquidation
    with_ = step(state, action)
    without = step(_without(state), action)
    assert type(with_) is type(without)
    assert with_.state.steward is state.steward
    assert with_.state.pre_liquidation is state.pre_liquidation
    assert _without(with_.state) == without.state
    if isinstance(with_, Accepted) and isinstance(without, Accepted):
        assert with_.events == without.events

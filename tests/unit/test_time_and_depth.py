"""The outside world's other two inputs (spec/actions.md): AdvanceTime and ReportDepth."""

from __future__ import annotations

import pytest

from model.actions import AdvanceTime, ReportDepth
from model.errors import RefusalCode
from model.events import DepthReported, TimeAdvanced
from tests.builders import book, wad

POLICIES = ["gen1", "gen2", "gen3"]


@pytest.mark.covers("ACT-ADVANCE-TIME")
@pytest.mark.parametrize("policy", POLICIES)
def test_advance_time_moves_the_clock_and_nothing_else(policy: str) -> None:
    b = book(policy)
    before = b.state
    assert b.do(AdvanceTime(600)) == (TimeAdvanced(time=600),)
    assert b.do(AdvanceTime(1)) == (TimeAdvanced(time=601),)
    assert b.state.time == 601
    assert b.state.oracle == before.oracle  # last_update does not move
    assert b.state.market == before.market
    assert b.state.pool == before.pool


@pytest.mark.covers("ACT-ADVANCE-TIME")
@pytest.mark.parametrize("policy", POLICIES)
def test_advancing_by_zero_seconds_is_refused(policy: str) -> None:
    refusal = book(policy).refused(AdvanceTime(0))
    assert (refusal.code, refusal.detail) == (RefusalCode.ZERO_AMOUNT, "action.seconds")


@pytest.mark.covers("ACT-REPORT-DEPTH")
@pytest.mark.parametrize("policy", POLICIES)
def test_report_depth_sets_the_depth_only(policy: str) -> None:
    b = book(policy, depth=100)
    market = b.state.market
    assert b.do(ReportDepth(wad(42))) == (DepthReported(depth=wad(42)),)
    assert b.state.market.depth == wad(42)
    assert b.state.market.period_start == market.period_start
    assert b.state.market.kicked_in_period == market.kicked_in_period
    # no guard: zero depth is a valid report (a market that absorbs nothing)
    b.do(ReportDepth(0))
    assert b.state.market.depth == 0

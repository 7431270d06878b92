"""The same gap under gen 1 and gen 2: bad debt (ZERO-LOSS's contrast, ``spec/theorems.md``).

A position safe under its policy's own trigger, a 30 % gap, and the policy's liquidation
as designed: both write off bad debt, with a concrete run (Expect.FAILS). Gen 3 keeps the
same gap's loss on its buffers (``theorems.py``).
"""

from __future__ import annotations

from collections.abc import Callable

from model.actions import AdvanceTime, Kick, Liquidate, ReportOracle, Settle, Take
from model.invariants.state_invariants import STATE_INVARIANTS
from model.numbers import RAY
from model.params.presets import PRESETS
from model.policies import gen2_dutch
from model.policies.gen1_spot import liquidatable
from model.state import Position, State
from proofs.obligation import Expect, Obligation, Task
from proofs.obligations.runs import RANGES, SLIDE_POSITION, Run, run_actions
from proofs.symbolic import Explorer
from proofs.world import Shape, Source, build_state

# --- one gap under gen 1 ----------------------------------------------------------------


def gen1_gap_task(gap_percent: int) -> Task:
    """A gen 1 position, healthy at spot; the market gaps down by ``gap_percent``; a
    liquidator repays what the close factor allows."""
    config = PRESETS["gen1"]

    def build(source: Source) -> Run:
        pre = build_state(source, config, Shape(owners=("ann",), auctions=(), lps=("lp",)))
        spot = pre.oracle.spot * (100 - gap_percent) // 100
        repay = source.integer("act.repay", 0, RANGES.amount)
        return run_actions(pre, [ReportOracle(spot), Liquidate("liquidator", 0, repay)])

    return Task(key=f"theorem/gen1-gap-{gap_percent}", build=build)


def _safe_before(at_risk: Callable[[State, Position], bool]) -> Callable[[Run], object]:
    """The gap theorems' start: every invariant holds, and position 0 has debt, is not
    ``at_risk`` (the policy's own trigger) and is priced at no less than 0.001."""

    def holds_before(run: Run) -> object:
        s = run.pre
        return (
            all(holds(s) for holds in STATE_INVARIANTS.values())
            and s.positions[0].debt > 0
            and not at_risk(s, s.positions[0])
            and s.oracle.spot >= RAY // 1000
        )

    return holds_before


_gen1_healthy_before = _safe_before(liquidatable)


def no_bad_debt(run: Run) -> object:
    return run.final.ledger.bad_debt == run.pre.ledger.bad_debt


# --- the same gap under gen 2 -------------------------------------------------------------

GEN2_BIDDER_WAIT = 2_880
"""Seconds between the kick and the first bid: 32 steps of the presets' stair-step curve
(0.99 every 90 s), so the bidder pays ``buf * 0.99**32 = 94.2 %`` of the reported price,
a 5.8 % margin below the market (``spec/policies/gen2.md``)."""


def gen2_gap_task(gap_percent: int) -> Task:
    """A gen 2 vault, safe at spot; the market gaps down by ``gap_percent``; a keeper barks;
    the first bidder waits for a 5.8 % discount and buys the whole lot; the auction is
    settled. The dss curve runs as it is (the elapsed time is concrete); the vault starts
    from a concrete price and collateral (a counterexample needs only one; the solver
    picks the debt and the rest), and the safe start is assumed while exploring."""
    config = PRESETS["gen2"]

    def build(source: Source) -> Run:
        pre = build_state(source, config, SLIDE_POSITION, RANGES)
        if isinstance(source, Explorer):
            source.assume_that(lambda: _gen2_safe_before(Run(pre, (), ())))
        spot = pre.oracle.spot * (100 - gap_percent) // 100
        auction = pre.next_auction
        return run_actions(
            pre,
            [
                ReportOracle(spot),
                Kick("keeper", 0),
                AdvanceTime(GEN2_BIDDER_WAIT),
                Take("bidder", auction, RANGES.amount, RANGES.price),
                Settle(auction),
            ],
        )

    return Task(key=f"theorem/gen2-gap-{gap_percent}", build=build)


_gen2_safe_before = _safe_before(gen2_dutch.unsafe)


def obligations() -> list[Obligation]:
    return [
        Obligation(
            name="ZERO-LOSS/gen1/gap-30",
            requirement_ids=("ZERO-LOSS", "GEN1-LIQUIDATION", "LOSS-WATERFALL"),
            policy="gen1",
            task=gen1_gap_task(30),
            claim=no_bad_debt,
            assume=_gen1_healthy_before,
            expect=Expect.FAILS,
            summary="a healthy gen 1 position, a 30 % gap, one liquidation: bad debt",
        ),
        Obligation(
            name="ZERO-LOSS/gen2/gap-30",
            requirement_ids=("ZERO-LOSS", "GEN2-BARK", "LOSS-WATERFALL"),
            policy="gen2",
            task=gen2_gap_task(30),
            claim=no_bad_debt,
            assume=_gen2_safe_before,
            expect=Expect.FAILS,
            summary="a safe gen 2 vault, a 30 % gap, a bid at 5.8 % below market: bad debt",
        ),
    ]

"""Zero loss for the whole balance sheet (ZERO-LOSS-TOTAL's lemmas).

``spec/theorems.md`` extends ZERO-LOSS to ZERO-LOSS-TOTAL with four more lemmas, each an
obligation here over the real engine, and bounds the loss outside the assumptions
(LOSS-BOUND):

- ORACLE-BOUNDED-RATE: the reference's fall compounds no faster than ``max_step`` per
  ``step_period`` of report weight, inductively over reports (ghosts ``ref0``, ``W``);
- ZERO-LOSS-TOTAL/gen3/pol-buys-at-expiry: with ASM-SAFETY-INEQUALITY (b), an expired,
  backed stage whose reference fell at most ``s (A + P) / P`` since its anchor, and
  whose lot POL can pay for, is bought whole by ``EndAuction`` (its floor is at or below
  the mark); without (b), POL may not buy (a necessity witness);
- ZERO-LOSS-TOTAL/gen3/nothing-open: positions at or above ``L (1 - s)`` and backed
  auctions with their floor at or below the reference, spot at the reference: nothing
  is open at the mark; with spot below the reference, something is (a witness);
- GEN3-POL-FAIR-PRICE is a step property (``steps.py``): every POL purchase, in every
  state, at or below the mark.

LOSS-BOUND, how the loss grows outside the envelope, is in ``loss_bound.py``.
"""

from __future__ import annotations

from typing import Any

import attrs

from model import Accepted, step
from model.actions import EndAuction, ReportOracle
from model.invariants.state_invariants import STATE_INVARIANTS
from model.loss import mark_price, open_shortfall
from model.numbers import RAY, rmul_up
from model.params.presets import GEN3_ZERO_LOSS, PRESETS
from model.params.records import Config, Gen3ZeroLossParams
from model.state import State
from proofs.obligation import Expect, Obligation, Task
from proofs.obligations.steps import StepSubject
from proofs.world import Ranges, Shape, Source, build_state

RANGES = Ranges()
GEN3 = PRESETS["gen3"]
ONE_POSITION = Shape(owners=("ann",), auctions=(), lps=("lp",))
ONE_AUCTION = Shape(owners=("ann",), auctions=(0,), lps=("lp",))
AT_2000 = attrs.evolve(ONE_AUCTION, fixed=(("auc0.anchor", 2_000 * RAY),))
"""For a user's parameter file: a stage started at 2,000, so that a counterexample reads
as prices one recognises (any anchor serves: the bound is relative)."""
LONG_AUCTIONS = attrs.evolve(
    GEN3,
    policy=attrs.evolve(GEN3_ZERO_LOSS, auction_duration=3_600),
)
"""ASM-SAFETY-INEQUALITY (b) broken: ``0.9 + 0.02 * (3,600 + 600) / 600 = 1.04 > 1``."""


def gen3(config: Config) -> Gen3ZeroLossParams:
    assert isinstance(config.policy, Gen3ZeroLossParams)
    return config.policy


def invariants(state: State) -> object:
    return all(holds(state) for holds in STATE_INVARIANTS.values())


def accepted(subject: Any) -> bool:
    return isinstance(subject.outcome, Accepted)


# --- ORACLE-BOUNDED-RATE ----------------------------------------------------------------


@attrs.frozen
class Ghosted:
    """A step with ghost numbers the claim speaks about (what the state does not carry)."""

    pre: State
    action: object
    outcome: Any
    ghost: dict[str, Any]


def _report_task() -> Task:
    def build(source: Source) -> Ghosted:
        pre = build_state(source, GEN3, ONE_POSITION, RANGES)
        ghost = {
            "ref0": source.integer("ghost.ref0", 1, RANGES.price),
            "weight": source.integer("ghost.weight", 0, RANGES.time),
        }
        action = ReportOracle(source.integer("act.spot", 1, RANGES.price))
        return Ghosted(pre, action, step(pre, action), ghost)

    return Task(key="total/report", build=build)


def _fell_at_most(reference: Any, ref0: Any, weight: Any, config: Config) -> object:
    """``reference * P * RAY >= ref0 * (P * RAY - s * W)``: the compounded fall bound."""
    period, s = config.oracle.step_period, config.oracle.max_step
    return reference * period * RAY >= ref0 * (period * RAY - s * weight)


def _rate_before(subject: Ghosted) -> object:
    pre, g = subject.pre, subject.ghost
    return (
        invariants(pre)
        and g["weight"] * pre.config.oracle.max_step <= pre.config.oracle.step_period * RAY
        and _fell_at_most(pre.oracle.reference, g["ref0"], g["weight"], pre.config)
    )


def _rate_after(subject: Ghosted) -> object:
    pre, g = subject.pre, subject.ghost
    if not isinstance(subject.outcome, Accepted):
        return True
    period = pre.config.oracle.step_period
    elapsed = pre.time - pre.oracle.last_update
    weight = g["weight"] + (elapsed if elapsed <= period else period)
    return _fell_at_most(subject.outcome.state.oracle.reference, g["ref0"], weight, pre.config)


# --- POL at expiry ----------------------------------------------------------------------


def _end_task(config: Config, label: str, shape: Shape = ONE_AUCTION) -> Task:
    def build(source: Source) -> StepSubject:
        pre = build_state(source, config, shape, RANGES)
        action = EndAuction(0)
        return StepSubject(pre, action, step(pre, action))

    return Task(key=f"total/end/{label}", build=build)


def _stage_fall_within(pre: State, allowance_seconds: int) -> object:
    """The reference fell at most ``s * seconds / P`` since the stage's anchor (what
    ORACLE-BOUNDED-RATE gives over the stage under ASM-BOUNDED-MOVE and liveness)."""
    auction = pre.auctions[0]
    return _fell_at_most(pre.oracle.reference, auction.anchor, allowance_seconds, pre.config)


def _expired_backed_covered(subject: StepSubject) -> object:
    """Invariants; auction 0 live, backed, expired, POL's reserves cover it at its floor
    (ASM-POL-RESERVES), spot at the reference (ASM-BOUNDED-MOVE), and the reference within
    its compounded fall bound over ``A + P`` seconds since the anchor."""
    pre = subject.pre
    p = gen3(pre.config)
    auction = pre.auctions[0]
    return (
        invariants(pre)
        and auction.lot > 0
        and auction.debt + auction.fee > 0
        and auction.backed
        and pre.time >= auction.tic + p.auction_duration
        and rmul_up(auction.lot, auction.floor) <= pre.buffers.pol_quote
        and pre.oracle.spot == pre.oracle.reference
        and _stage_fall_within(pre, p.auction_duration + pre.config.oracle.step_period)
    )


def _bought_whole(subject: StepSubject) -> object:
    """``EndAuction`` is accepted and raises the auction's whole debt."""
    outcome = subject.outcome
    return isinstance(outcome, Accepted) and outcome.state.auctions[0].debt == 0


def pol_buys_at_expiry(config: Config, label: str, expect: Expect = Expect.HOLDS) -> Obligation:
    """ZERO-LOSS-TOTAL's lemma (7) with ``config``: what ``zle params check`` discharges
    for a user's file (ASM-SAFETY-INEQUALITY (b) on the real engine)."""
    return Obligation(
        name=f"ZERO-LOSS-TOTAL/gen3/pol-buys-at-expiry/{label}",
        requirement_ids=("ZERO-LOSS-TOTAL", "ASM-SAFETY-INEQUALITY", "GEN3-POL-FAIR-PRICE"),
        policy="gen3",
        task=_end_task(config, label, AT_2000),
        claim=_bought_whole,
        assume=_expired_backed_covered,
        expect=expect,
        summary="(b): the floor is at or below the mark at expiry; POL buys the whole debt",
        assumption_ids=("ASM-SAFETY-INEQUALITY", "ASM-BOUNDED-MOVE", "ASM-POL-RESERVES"),
    )


# --- nothing open -----------------------------------------------------------------------


@attrs.frozen
class Valued:
    state: State
    open: Any


def _open_task() -> Task:
    def build(source: Source) -> Valued:
        state = build_state(source, GEN3, Shape(), RANGES)
        return Valued(state, open_shortfall(state, mark_price(state)))

    return Task(key="total/open", build=build)


def _inside_the_envelope(valued: Valued, spot_at_reference: bool = True) -> object:
    """Invariants; every position at or above ``L (1 - s)`` at the reference (kicked
    within its step, ASM-KEEPER-LIVENESS; rests at or above ``L``); every auction backed,
    its floor at or below the reference; spot at the reference (ASM-BOUNDED-MOVE)."""
    state = valued.state
    p = gen3(state.config)
    s = state.config.oracle.max_step
    ref = state.oracle.reference
    ok: object = invariants(state)
    for position in state.positions.values():
        ok = ok and position.collateral * ref * RAY >= position.debt * p.liquidation_ratio * (
            RAY - s
        )
    for auction in state.auctions.values():
        ok = ok and auction.backed and auction.floor <= ref
    if spot_at_reference:
        ok = ok and state.oracle.spot == ref
    return ok


def _nothing_open(valued: Valued) -> object:
    return valued.open == 0


# --- the obligations --------------------------------------------------------------------


def obligations() -> list[Obligation]:
    report = _report_task()
    end = _end_task(GEN3, "presets")
    end_long = _end_task(LONG_AUCTIONS, "auction-3600")
    opened = _open_task()
    found = [
        Obligation(
            name="ORACLE-BOUNDED-RATE/all/ReportOracle",
            requirement_ids=("ORACLE-BOUNDED-RATE", "ZERO-LOSS-TOTAL"),
            policy="all",
            task=report,
            claim=_rate_after,
            assume=_rate_before,
            summary="a report keeps the reference within its compounded fall bound",
        ),
        Obligation(
            name="ZERO-LOSS-TOTAL/gen3/pol-buys-at-expiry",
            requirement_ids=("ZERO-LOSS-TOTAL", "ASM-SAFETY-INEQUALITY", "GEN3-POL-FAIR-PRICE"),
            policy="gen3",
            task=end,
            claim=_bought_whole,
            assume=_expired_backed_covered,
            summary="(b): the floor is at or below the mark at expiry; POL buys the whole debt",
            assumption_ids=("ASM-SAFETY-INEQUALITY", "ASM-BOUNDED-MOVE", "ASM-POL-RESERVES"),
        ),
        Obligation(
            name="ASM-SAFETY-INEQUALITY/gen3/pol-dropped",
            requirement_ids=("ASM-SAFETY-INEQUALITY", "ZERO-LOSS-TOTAL"),
            policy="gen3",
            task=end_long,
            claim=_bought_whole,
            assume=_expired_backed_covered,
            expect=Expect.FAILS,
            summary="auction_duration 3,600 s breaks (b): the reference passes the floor",
        ),
        Obligation(
            name="ZERO-LOSS-TOTAL/gen3/nothing-open",
            requirement_ids=("ZERO-LOSS-TOTAL", "LOSS-TOTAL", "LOSS-MARK"),
            policy="gen3",
            task=opened,
            claim=_nothing_open,
            assume=_inside_the_envelope,
            summary="inside the envelope no debt is uncovered at the mark",
            assumption_ids=("ASM-SAFETY-INEQUALITY", "ASM-BOUNDED-MOVE", "ASM-KEEPER-LIVENESS"),
        ),
        Obligation(
            name="ASM-BOUNDED-MOVE/gen3/total-dropped",
            requirement_ids=("ASM-BOUNDED-MOVE", "ZERO-LOSS-TOTAL", "LOSS-MARK"),
            policy="gen3",
            task=opened,
            claim=_nothing_open,
            assume=lambda valued: _inside_the_envelope(valued, spot_at_reference=False),
            expect=Expect.FAILS,
            summary="spot below the lagging reference: debt uncovered at the mark",
        ),
    ]
    return found

"""Zero loss for the whole balance sheet, and how the loss grows outside the envelope.

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

LOSS-BOUND, each for several falls ``m`` of the reference, with a witness that the
bound is reached (no loose bound passes as a proof):

- kick: ``u <= debt * (1 - L (1 - m) f) + C`` (scaled by ``RAY**3``) for a position that
  was at ``L`` before the reference fell ``m``, in two parts: the engine's (an auction's
  uncovered debt is its share of the position's at the floor, on the shared kick task)
  and the arithmetic of the fall (with the engine's floor price);
- reset: ``u <= debt * m + lot`` (scaled by ``RAY``) after a reset at a fall ``m``;
- POL short: the debt left by an ``EndAuction`` POL could not pay in full is at most
  what POL was short, plus one unit at the floor.

``u = debt * RAY - lot * floor`` is an auction's uncovered debt (times ``RAY``); with
UNCOVERED-NEVER-GROWS (``steps.py``) it bounds the shortfall its settlement can leave.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import attrs

from model import Accepted, step
from model.actions import EndAuction, ReportOracle
from model.invariants.state_invariants import STATE_INVARIANTS
from model.loss import mark_price, open_shortfall
from model.numbers import RAY, rmul_up
from model.params.presets import GEN3_ZERO_LOSS, PRESETS
from model.params.records import Config, Gen3ZeroLossParams
from model.policies.gen3_zero_loss import floor_price
from model.state import State
from proofs.obligation import Expect, Obligation, Task
from proofs.obligations import steps
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


# --- LOSS-BOUND -------------------------------------------------------------------------


def _kick_share(subject: StepSubject) -> object:
    """LOSS-BOUND-KICK, the engine's part: the new auction's uncovered debt is at most its
    share of what the whole position left uncovered at the floor,
    ``(debt * RAY - lot * floor) * D <= debt * max(0, D * RAY - C * floor)``, ``C`` and
    ``D`` the position's before the kick (exact: a solvent slice is backed, an insolvent
    one is the whole position or a pro-rata cut with its lot rounded up)."""
    outcome = subject.outcome
    if not isinstance(outcome, Accepted):
        return True
    position = subject.pre.positions[0]
    auction = outcome.state.auctions[subject.pre.next_auction]
    whole = position.debt * RAY - position.collateral * auction.floor
    return _uncovered(auction) * position.debt <= auction.debt * (whole if whole > 0 else 0)


@attrs.frozen
class FallCase:
    """A position, the reference it was at ``L`` at, and the floor after the fall."""

    collateral: Any
    debt: Any
    ref0: Any
    reference: Any
    floor: Any


def _fall_task() -> Task:
    """The arithmetic part of LOSS-BOUND-KICK, with the engine's floor (``floor_price``)."""

    def build(source: Source) -> FallCase:
        collateral = source.integer("pos.collateral", 0, RANGES.amount)
        debt = source.integer("pos.debt", 0, RANGES.amount)
        ref0 = source.integer("ghost.ref0", 1, RANGES.price)
        reference = source.integer("oracle.reference", 1, RANGES.price)
        floor = floor_price(gen3(GEN3), reference)
        return FallCase(collateral, debt, ref0, reference, floor)

    return Task(key="total/fall", build=build)


def _at_l_then_fell(fall: int) -> Callable[[FallCase], object]:
    """The position was at or above ``L`` at ``ref0``; the reference is now at least
    ``ref0 * (1 - fall)`` (``fall`` in RAY)."""

    def world(case: FallCase) -> object:
        return case.collateral * case.ref0 >= case.debt * gen3(GEN3).liquidation_ratio and (
            case.reference * RAY >= case.ref0 * (RAY - fall)
        )

    return world


def _uncovered(auction: Any) -> Any:
    """``debt * RAY - lot * floor``: what the lot at the floor leaves of the debt (x RAY)."""
    return auction.debt * RAY - auction.lot * auction.floor


def _fall_bound(fall: int, share: tuple[int, int] = (1, 1)) -> Callable[[FallCase], object]:
    """``(D * RAY - C * floor) * RAY**2 <= D * max(0, RAY**3 - L (RAY - m) f) + C * RAY**2``;
    with ``share = (a, b)`` the loss term scaled by ``a / b`` (a witness that the bound is
    reached must break the claim with a smaller share). With :func:`_kick_share`: an
    auction kicked after a fall ``m`` has ``u * RAY**2 <= debt * max(0, RAY**3 - L (RAY -
    m) f) + C * RAY**2``."""

    def claim(case: FallCase) -> object:
        p = gen3(GEN3)
        kept = p.liquidation_ratio * (RAY - fall) * p.floor_ratio
        per_debt = RAY**3 - kept if kept < RAY**3 else 0
        whole = case.debt * RAY - case.collateral * case.floor
        return (
            whole * RAY**2 * share[1]
            <= case.debt * per_debt * share[0] + case.collateral * RAY**2 * share[1]
        )

    return claim


def _reset_world(fall: int) -> Callable[[StepSubject], object]:
    """Invariants; auction 0 backed; the reference at least ``anchor * (1 - fall)``."""

    def world(subject: StepSubject) -> object:
        pre = subject.pre
        auction = pre.auctions[0]
        return (
            steps.invariants_hold(subject)
            and auction.backed
            and pre.oracle.reference * RAY >= auction.anchor * (RAY - fall)
        )

    return world


def _reset_bound(fall: int, share: tuple[int, int] = (1, 1)) -> Callable[[StepSubject], object]:
    """LOSS-BOUND-RESET: after the reset, ``u <= debt * m + lot`` (both x RAY)."""

    def claim(subject: StepSubject) -> object:
        if not isinstance(subject.outcome, Accepted):
            return True
        before = subject.pre.auctions[0]
        after = subject.outcome.state.auctions[0]
        return _uncovered(after) * share[1] <= before.debt * fall * share[0] + before.lot * share[1]

    return claim


def _pol_short_world(subject: StepSubject) -> object:
    """Invariants; auction 0 backed, expired, its floor at or below the mark; POL short."""
    pre = subject.pre
    auction = pre.auctions[0]
    return (
        steps.invariants_hold(subject)
        and auction.backed
        and auction.floor <= mark_price(pre)
        and rmul_up(auction.lot, auction.floor) > pre.buffers.pol_quote
    )


def _pol_short_bound(subject: StepSubject) -> object:
    """LOSS-BOUND-POL-SHORT: debt left ``<= x + floor / RAY + 1``, ``x`` what POL was short."""
    if not isinstance(subject.outcome, Accepted):
        return True
    pre = subject.pre
    auction = pre.auctions[0]
    short = rmul_up(auction.lot, auction.floor) - pre.buffers.pol_quote
    left = subject.outcome.state.auctions[0].debt
    return left * RAY <= short * RAY + auction.floor + RAY


# --- the obligations --------------------------------------------------------------------

KICK_FALLS = {
    "2": RAY * 2 // 100,
    "5": RAY // 20,
    "10": RAY // 10,
    "20": RAY // 5,
    "40": RAY * 2 // 5,
}
RESET_FALLS = {"5": RAY // 20, "20": RAY // 5, "50": RAY // 2}


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
    fall_task = _fall_task()
    found.append(
        Obligation(
            name="LOSS-BOUND/gen3/kick-share",
            requirement_ids=("LOSS-BOUND", "LOSS-BOUND-KICK"),
            policy="gen3",
            task=steps.TASKS[("gen3", "Kick")],
            claim=_kick_share,
            assume=steps.invariants_hold,
            summary="a kick's auction leaves uncovered at most its share of the position's",
        )
    )
    for label, fall in KICK_FALLS.items():
        found.append(
            Obligation(
                name=f"LOSS-BOUND/gen3/kick-fall-{label}",
                requirement_ids=("LOSS-BOUND", "LOSS-BOUND-KICK"),
                policy="gen3",
                task=fall_task,
                claim=_fall_bound(fall),
                assume=_at_l_then_fell(fall),
                summary=f"after a {label} % fall: D - C floor <= D (1 - L (1 - m) f) + rounding",
            )
        )
    found.append(
        Obligation(
            name="LOSS-BOUND/gen3/kick-fall-40/reached",
            requirement_ids=("LOSS-BOUND", "LOSS-BOUND-KICK"),
            policy="gen3",
            task=fall_task,
            claim=_fall_bound(KICK_FALLS["40"], share=(9, 10)),
            assume=_at_l_then_fell(KICK_FALLS["40"]),
            expect=Expect.FAILS,
            summary="the kick bound is reached: 90 % of it is exceeded",
        )
    )
    redo = steps.TASKS[("gen3", "Redo")]
    for label, fall in RESET_FALLS.items():
        found.append(
            Obligation(
                name=f"LOSS-BOUND/gen3/reset-fall-{label}",
                requirement_ids=("LOSS-BOUND", "LOSS-BOUND-RESET"),
                policy="gen3",
                task=redo,
                claim=_reset_bound(fall),
                assume=_reset_world(fall),
                summary=f"a reset after a {label} % fall leaves u <= debt * m + lot",
            )
        )
    found += [
        Obligation(
            name="LOSS-BOUND/gen3/reset-fall-50/reached",
            requirement_ids=("LOSS-BOUND", "LOSS-BOUND-RESET"),
            policy="gen3",
            task=redo,
            claim=_reset_bound(RESET_FALLS["50"], share=(9, 10)),
            assume=_reset_world(RESET_FALLS["50"]),
            expect=Expect.FAILS,
            summary="the reset bound is reached: 90 % of it is exceeded",
        ),
        Obligation(
            name="LOSS-BOUND/gen3/pol-short",
            requirement_ids=("LOSS-BOUND", "LOSS-BOUND-POL-SHORT", "ASM-POL-RESERVES"),
            policy="gen3",
            task=steps.TASKS[("gen3", "EndAuction")],
            claim=_pol_short_bound,
            assume=_pol_short_world,
            summary="POL short by x leaves at most x (and one unit at the floor) of debt",
        ),
    ]
    return found

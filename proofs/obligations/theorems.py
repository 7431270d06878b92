"""The zero-loss theorem, its lemmas, and the necessity of each named assumption.

``spec/theorems.md`` proves ZERO-LOSS from five lemmas; each is an obligation here,
over the real engine:

1. the kick is accepted: under ASM-BOUNDED-MOVE and ASM-MIN-DEPTH, a position that was at or
   above ``L`` at the last report and is below it after the next is kicked: the kick is
   accepted (keepers, ASM-KEEPER-LIVENESS, are the ones who send it);
2. KICK-BACKED: with ASM-SAFETY-INEQUALITY too, that kick's auction is backed, and the
   part of the position left behind is back at or above ``L``;
3. AUCTION-BACKED and AUCTION-FLOOR are inductive (``steps.py``: every action);
4. under ASM-POL-RESERVES an expired auction is bought at its floor for its whole debt,
   and no reset can happen;
5. settling a backed auction covers no shortfall.

Each assumption is then dropped in turn, and the same claim must come back refuted with
a concrete run (Expect.FAILS): an unbacked kick when the inequality fails or a report is
missed, a kick refused by the deviation breaker after a gap, a kick cut short by depth,
a reset when POL is short. ``gaps.py`` runs one gap through gen 1 and gen 2: bad debt.

The gen 3 worlds here are small (one position, nothing under auction, no other LP):
the lemmas speak about one liquidation, and the step tasks already cover what other
records do. Gen 3 parameters are the reference ones (``model/params/presets.py``),
which satisfy ASM-SAFETY-INEQUALITY with ``max_step = 2 %``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from model import Accepted
from model.actions import AdvanceTime, Kick, ReportOracle
from model.events import Kicked, ShortfallCovered
from model.invariants.state_invariants import STATE_INVARIANTS
from model.numbers import RAY, rmul_up
from model.params.records import Config
from model.policies.gen3_zero_loss import below_liquidation_ratio
from proofs.obligation import Expect, Obligation, Task
from proofs.obligations import gaps, steps
from proofs.obligations.runs import (
    DEEP_POSITION,
    GEN3,
    RANGES,
    SLIDE_POSITION,
    Run,
    gen3_params,
    run_actions,
    with_max_step,
)
from proofs.symbolic import Explorer
from proofs.world import Source, build_state

# --- the kick after a report -----------------------------------------------------------


def _spot(source: Source, name: str) -> Any:
    return source.integer(name, 1, RANGES.price)


World = Callable[["Run"], object]
"""A predicate on a run's inputs (its pre-state and actions, not its outcomes)."""


def kick_after_reports(
    config: Config,
    reports: int,
    world: World,
    label: str,
    slide: bool = False,
    gap: int | None = None,
) -> Task:
    """A position healthy at the last report; ``reports`` more reports; then a kick.

    The reports are free spots; or, from a concrete price, which is all a necessity
    witness needs: the steepest fall the oracle passes through (``slide``: ``max_step``
    at every report), or a fall of ``gap`` percent at every report.
    The world is assumed while exploring (not only when checking), so paths outside it
    are cut at once: the kick is the engine's most branching step.
    """

    shape = SLIDE_POSITION if slide or gap is not None else DEEP_POSITION
    period = config.oracle.step_period

    def build(source: Source) -> Run:
        pre = build_state(source, config, shape, RANGES)
        actions: list[object] = []
        spot = pre.oracle.spot
        for i in range(reports):
            actions.append(AdvanceTime(period))  # one step_period: a full max_step allowed
            if gap is not None:
                spot = spot * (100 - gap) // 100
            elif slide:
                spot = spot * (RAY - config.oracle.max_step) // RAY
            else:
                spot = _spot(source, f"act.spot{i}")
            actions.append(ReportOracle(spot))
        actions.append(Kick("keeper", 0))
        if isinstance(source, Explorer):
            source.assume_that(lambda: world(Run(pre, tuple(actions), ())))
        return run_actions(pre, actions)

    return Task(key=f"theorem/kick/{config_name(config)}/{reports}-reports/{label}", build=build)


def config_name(config: Config) -> str:
    step_percent = config.oracle.max_step * 100 // RAY
    return f"gen3-step{step_percent}"


def _healthy_at_last_report(run: Run) -> object:
    """The world of the lemma, on the state before the reports.

    The position was at or above ``L`` at the last report (ASM-KEEPER-LIVENESS: it was
    not below it then, or it would have been kicked already); spot equalled the
    reference (ASM-BOUNDED-MOVE); the oracle is fresh and the market deep, with nothing
    kicked this period and no exposure (ASM-MIN-DEPTH); the state's invariants hold.
    """
    s = run.pre
    p = gen3_params(s.config)
    position = s.positions[0]
    return (
        all(holds(s) for holds in STATE_INVARIANTS.values())
        and position.collateral * s.oracle.reference >= position.debt * p.liquidation_ratio
        and s.oracle.spot == s.oracle.reference
        and s.oracle.last_update == s.time
        and s.market.kicked_in_period == 0
        and s.market.period_start == s.time
        and s.exposure == 0
        and s.market.depth * p.depth_fraction >= position.collateral * RAY
        and (position.debt * (RAY + p.penalty)) <= p.exposure_cap * RAY
    )


def _bounded_moves(run: Run) -> object:
    """ASM-BOUNDED-MOVE: each report moves spot at most ``max_step`` from the last."""
    previous = run.pre.oracle.spot
    bound = run.pre.config.oracle.max_step
    ok: object = True
    for action in run.actions:
        if isinstance(action, ReportOracle):
            spot = action.spot
            move = spot - previous if spot >= previous else previous - spot
            ok = ok and move * RAY <= bound * previous
            previous = spot
    return ok


def _world(run: Run) -> object:
    return _healthy_at_last_report(run) and _bounded_moves(run)


def _world_any_move(run: Run) -> object:
    return _healthy_at_last_report(run)


def _world_any_depth(run: Run) -> object:
    s = run.pre
    p = gen3_params(s.config)
    position = s.positions[0]
    return (
        all(holds(s) for holds in STATE_INVARIANTS.values())
        and position.collateral * s.oracle.reference >= position.debt * p.liquidation_ratio
        and s.oracle.spot == s.oracle.reference
        and s.oracle.last_update == s.time
        and s.exposure == 0
        and _bounded_moves(run)
    )


def _below_after_reports(run: Run) -> bool:
    """Relevant runs: the reports took the position below ``L`` (else no kick is due)."""
    before_kick = run.outcomes[-2].state if len(run.outcomes) > 1 else run.pre
    return all(isinstance(o, Accepted) for o in run.outcomes[:-1]) and bool(
        below_liquidation_ratio(before_kick, before_kick.positions[0])
    )


def kick_accepted(run: Run) -> object:
    return isinstance(run.outcomes[-1], Accepted)


def kick_backed(run: Run) -> object:
    """The kick, if accepted, started a backed auction: its lot at the floor covers its
    debt; and what it left of the position is at or above ``L`` (or nothing)."""
    outcome = run.outcomes[-1]
    if not isinstance(outcome, Accepted):
        return True
    final = outcome.state
    kicked = [e for e in outcome.events if isinstance(e, Kicked)]
    auction = final.auctions[kicked[0].auction]
    return auction.backed and auction.lot * auction.floor >= auction.debt * RAY


def rest_at_or_above_l(run: Run) -> object:
    outcome = run.outcomes[-1]
    if not isinstance(outcome, Accepted):
        return True
    rest = outcome.state.positions[0]
    p = gen3_params(run.pre.config)
    return rest.debt == 0 or rest.collateral * outcome.state.oracle.reference >= (
        rest.debt * p.liquidation_ratio
    )


# --- the auction's end, resets and settlement (one step each, on the step tasks) ------


def pol_covers_lot(subject: steps.StepSubject) -> object:
    """ASM-POL-RESERVES: POL's reserves cover auction 0's lot at its floor; and the floor is
    at or below the mark, which ZERO-LOSS-TOTAL/gen3/floor-at-or-below-mark derives from
    ASM-SAFETY-INEQUALITY (b) and ASM-BOUNDED-MOVE."""
    pre = subject.pre
    auction = pre.auctions[0]
    mark = pre.oracle.spot if pre.oracle.spot <= pre.oracle.reference else pre.oracle.reference
    return rmul_up(auction.lot, auction.floor) <= pre.buffers.pol_quote and auction.floor <= mark


def _invariants_and_pol(subject: steps.StepSubject) -> object:
    return steps.invariants_hold(subject) and pol_covers_lot(subject)


def _invariants_and_backed(subject: steps.StepSubject) -> object:
    return steps.invariants_hold(subject) and subject.pre.auctions[0].backed


def _invariants_pol_and_backed(subject: steps.StepSubject) -> object:
    return _invariants_and_pol(subject) and subject.pre.auctions[0].backed


def end_raises_the_debt(subject: steps.StepSubject) -> object:
    """POL's purchase at the floor raises all of a backed auction's debt."""
    if not isinstance(subject.outcome, Accepted):
        return True
    return subject.outcome.state.auctions[0].debt == 0


def never_reset(subject: steps.StepSubject) -> object:
    return not isinstance(subject.outcome, Accepted)


def no_shortfall(subject: steps.StepSubject) -> object:
    if not isinstance(subject.outcome, Accepted):
        return True
    return not any(isinstance(e, ShortfallCovered) for e in subject.outcome.events)


# --- the obligations --------------------------------------------------------------------

LATE_REPORTS = 6
"""With the reference parameters, ``L (1 - s)**k f < 1`` from ``k = 6``: a keeper that
waits six reports of a steepest slide kicks a position that no longer covers its debt
at the floor (``spec/examples.md``, example 3)."""

ALL_ASSUMPTIONS = (
    "ASM-SAFETY-INEQUALITY",
    "ASM-KEEPER-LIVENESS",
    "ASM-MIN-DEPTH",
    "ASM-BOUNDED-MOVE",
    "ASM-POL-RESERVES",
)


def obligations() -> list[Obligation]:
    kick = kick_after_reports(GEN3, 1, _world, "all-assumptions")
    wide_step = kick_after_reports(with_max_step(GEN3, "15"), 1, _world, "slide", slide=True)
    late = kick_after_reports(GEN3, LATE_REPORTS, _world, "slide", slide=True)
    gap = kick_after_reports(GEN3, 1, _world_any_move, "gap-30", gap=30)
    any_depth = kick_after_reports(GEN3, 1, _world_any_depth, "slide-any-depth", slide=True)
    below = _below_after_reports
    found = [
        Obligation(
            name="ZERO-LOSS/gen3/kick-accepted",
            requirement_ids=("ZERO-LOSS", "ASM-BOUNDED-MOVE", "ASM-MIN-DEPTH", "GEN3-BREAKERS"),
            policy="gen3",
            task=kick,
            claim=kick_accepted,
            assume=_world,
            relevant=below,
            summary="a position that crosses L at a report is kicked before the next",
            assumption_ids=("ASM-BOUNDED-MOVE", "ASM-MIN-DEPTH", "ASM-KEEPER-LIVENESS"),
        ),
        Obligation(
            name="KICK-BACKED/gen3/one-report",
            requirement_ids=("KICK-BACKED", "ZERO-LOSS", "ASM-SAFETY-INEQUALITY"),
            policy="gen3",
            task=kick,
            claim=kick_backed,
            assume=_world,
            relevant=below,
            summary="kicked one report after crossing L: the auction is backed",
            assumption_ids=ALL_ASSUMPTIONS[:4],
        ),
        Obligation(
            name="ZERO-LOSS/gen3/rest-at-or-above-L",
            requirement_ids=("ZERO-LOSS", "GEN3-SLICE"),
            policy="gen3",
            task=kick,
            claim=rest_at_or_above_l,
            assume=_world,
            relevant=below,
            summary="the part of the position a kick leaves is at or above L",
            assumption_ids=ALL_ASSUMPTIONS[:4],
        ),
        Obligation(
            name="ZERO-LOSS/gen3/end-raises-debt",
            requirement_ids=("ZERO-LOSS", "ASM-POL-RESERVES", "GEN3-POL-BACKSTOP"),
            policy="gen3",
            task=steps.TASKS[("gen3", "EndAuction")],
            claim=end_raises_the_debt,
            assume=_invariants_pol_and_backed,
            summary="POL buys a backed auction's whole debt at the floor",
            assumption_ids=("ASM-POL-RESERVES",),
        ),
        Obligation(
            name="ZERO-LOSS/gen3/no-reset",
            requirement_ids=("ZERO-LOSS", "ASM-POL-RESERVES", "RESET-GUARDED"),
            policy="gen3",
            task=steps.TASKS[("gen3", "Redo")],
            claim=never_reset,
            assume=_invariants_and_pol,
            summary="while POL can buy the lot at a floor at or below the mark, no reset happens",
            assumption_ids=("ASM-POL-RESERVES", "ASM-SAFETY-INEQUALITY", "ASM-BOUNDED-MOVE"),
        ),
        Obligation(
            name="ZERO-LOSS/gen3/settle-backed",
            requirement_ids=("ZERO-LOSS", "LOSS-WATERFALL"),
            policy="gen3",
            task=steps.TASKS[("gen3", "Settle")],
            claim=no_shortfall,
            assume=_invariants_and_backed,
            summary="settling a backed auction covers no shortfall",
        ),
        # --- each assumption is necessary ---
        Obligation(
            name="ASM-SAFETY-INEQUALITY/gen3/dropped",
            requirement_ids=("ASM-SAFETY-INEQUALITY", "ZERO-LOSS"),
            policy="gen3",
            task=wide_step,
            claim=kick_backed,
            assume=_world,
            relevant=below,
            expect=Expect.FAILS,
            summary="max_step 15 % (L (1 - s) f < 1): an unbacked kick",
        ),
        Obligation(
            name="ASM-KEEPER-LIVENESS/gen3/dropped",
            requirement_ids=("ASM-KEEPER-LIVENESS", "ZERO-LOSS"),
            policy="gen3",
            task=late,
            claim=kick_backed,
            assume=_world,
            relevant=below,
            expect=Expect.FAILS,
            summary=f"keepers wait {LATE_REPORTS} reports of a max_step slide: an unbacked kick",
        ),
        Obligation(
            name="ASM-BOUNDED-MOVE/gen3/dropped",
            requirement_ids=("ASM-BOUNDED-MOVE", "ZERO-LOSS", "GEN3-BREAKERS"),
            policy="gen3",
            task=gap,
            claim=kick_accepted,
            assume=_world_any_move,
            relevant=below,
            expect=Expect.FAILS,
            summary="a gap beyond the deviation band: the kick is refused while L is crossed",
        ),
        Obligation(
            name="ASM-MIN-DEPTH/gen3/dropped",
            requirement_ids=("ASM-MIN-DEPTH", "ZERO-LOSS"),
            policy="gen3",
            task=any_depth,
            claim=rest_at_or_above_l,
            assume=_world_any_depth,
            relevant=below,
            expect=Expect.FAILS,
            summary="a shallow market cuts the slice: the rest stays below L",
        ),
        Obligation(
            name="ASM-POL-RESERVES/gen3/dropped",
            requirement_ids=("ASM-POL-RESERVES", "ZERO-LOSS"),
            policy="gen3",
            task=steps.TASKS[("gen3", "Redo")],
            claim=never_reset,
            assume=steps.invariants_hold,
            expect=Expect.FAILS,
            summary="POL short of the lot: a reset lowers the floor",
        ),
    ]
    return found + gaps.obligations()

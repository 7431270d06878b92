"""How the loss grows outside the envelope (LOSS-BOUND in ``spec/theorems.md``).

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

from model import Accepted
from model.loss import mark_price
from model.numbers import RAY, rmul_up
from model.policies.gen3_zero_loss import floor_price
from proofs.obligation import Expect, Obligation, Task
from proofs.obligations import steps
from proofs.obligations.steps import StepSubject
from proofs.obligations.total_loss import GEN3, RANGES, gen3
from proofs.world import Source

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


KICK_FALLS = {
    "2": RAY * 2 // 100,
    "5": RAY // 20,
    "10": RAY // 10,
    "20": RAY // 5,
    "40": RAY * 2 // 5,
}
RESET_FALLS = {"5": RAY // 20, "20": RAY // 5, "50": RAY // 2}


def obligations() -> list[Obligation]:
    found: list[Obligation] = []
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

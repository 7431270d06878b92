"""The worst cases the machines find, and the bounds the spec proves for them.

Every engine step of every machine is measured (:func:`measure`): what a buyer gained
over the reference value of what it bought, the shortfall a liquidation left, what a
liquidation paid keepers, what a rounding dripper gained, what LPs withdrew ahead of a
write-off. Each machine keeps its run's worst values (to ``target()`` them at teardown,
so Hypothesis searches towards them) and adds them to the worst over all runs of its
policy, which the tests compare with the bounds of :func:`bounds`.

Gains are exact fractions; a measured value is kept with the action that produced it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from fractions import Fraction

import attrs

from model.actions import Kick, Redo, SupplyLiquidity, WithdrawLiquidity
from model.events import Buffer, Liquidated, ShortfallCovered, Taken
from model.numbers import RAY, WAD
from model.outcome import Accepted, Outcome, Refused
from model.params.records import Gen1SpotParams, Gen2DutchParams, Gen3ZeroLossParams
from model.state import State


@attrs.define
class Worst:
    """The largest value seen of one quantity, and the action that produced it."""

    value: Fraction | None = None
    found_by: str = ""

    def offer(self, value: Fraction | int, action: object) -> None:
        if self.value is None or value > self.value:
            self.value = Fraction(value)
            self.found_by = repr(action)

    def absorb(self, other: Worst) -> None:
        if other.value is not None:
            self.offer(other.value, other.found_by)
            if self.value == other.value:
                self.found_by = other.found_by


EXTRACTION = "bidder extraction over reference value / bound"
SHORTFALL = "shortfall of one liquidation (tokens)"
LP_LOSS = "LP write-off in one step (tokens)"
INCENTIVES = "keeper incentives of one liquidation (tokens)"
RESETS = "resets of one auction"
DRIPPER = "rounding dripper's gain over a burst (quote base units)"
ESCAPED = "net withdrawn by LPs ahead of a write-off of the same position (tokens)"
ESCAPED_UNBACKED = "withdrawn by LPs while an unbacked auction was live (tokens)"

TARGETED = (EXTRACTION, SHORTFALL, INCENTIVES)
"""The quantities each run ``target()``s, pushing the search towards its worst case."""


@attrs.define
class Observations:
    """Worst values and counts over one run (a machine's) or over many (a policy's)."""

    worst: dict[str, Worst] = attrs.Factory(
        lambda: {
            name: Worst()
            for name in (
                EXTRACTION,
                SHORTFALL,
                LP_LOSS,
                INCENTIVES,
                RESETS,
                DRIPPER,
                ESCAPED,
                ESCAPED_UNBACKED,
            )
        }
    )
    steps: int = 0
    accepted: int = 0
    runs: int = 0
    outcomes: Counter[str] = attrs.Factory(Counter)
    """``Kick`` (accepted) or ``Kick: NOT_LIQUIDATABLE`` (refused), per action kind."""
    events: Counter[str] = attrs.Factory(Counter)
    withdrawn_ahead: dict[int, int] = attrs.Factory(dict)
    """Per position: LP withdrawals minus supplies while it was liquidating or underwater."""

    def absorb(self, other: Observations) -> None:
        for name, worst in other.worst.items():
            self.worst[name].absorb(worst)
        self.steps += other.steps
        self.accepted += other.accepted
        self.runs += other.runs
        self.outcomes.update(other.outcomes)
        self.events.update(other.events)

    def targets(self) -> Iterator[tuple[str, float]]:
        """``(label, score)`` for each targeted quantity this run measured."""
        for name in TARGETED:
            value = self.worst[name].value
            if value is not None:
                yield name, float(value)


def measure(pre: State, action: object, outcome: Outcome, seen: Observations) -> None:
    """Add one step to ``seen``."""
    seen.steps += 1
    kind = type(action).__name__
    if isinstance(outcome, Refused):
        seen.outcomes[f"{kind}: {outcome.refusal.code.value}"] += 1
        return
    seen.accepted += 1
    seen.outcomes[kind] += 1
    seen.events.update(type(event).__name__ for event in outcome.events)
    _extraction(pre, action, outcome, seen)
    _shortfall(action, outcome, seen)
    _incentives(pre, action, outcome, seen)
    _withdrawals(pre, action, seen)


def _extraction(pre: State, action: object, outcome: Accepted, seen: Observations) -> None:
    """gen 3: gain over the reference value as a share of the floor discount,
    ``(c * ref - paid * RAY) / (c * (ref - floor))``, at most 1 (BOUNDED-EXTRACTION);
    gen 2: the same gain as a share of the reference value (no bound: no floor);
    gen 1: the liquidator's gain at spot as a share of its bonus, at most 1."""
    policy = pre.config.policy
    reference = pre.oracle.reference
    for event in outcome.events:
        if isinstance(event, Taken):
            gain = event.collateral * reference - event.paid * RAY
            if isinstance(policy, Gen3ZeroLossParams):
                bound = event.collateral * (reference - pre.auctions[event.auction].floor)
            else:
                bound = event.collateral * reference
            if bound > 0:
                seen.worst[EXTRACTION].offer(Fraction(gain, bound), action)
        elif isinstance(event, Liquidated) and isinstance(policy, Gen1SpotParams):
            gain = event.seized * pre.oracle.spot - event.repaid * RAY
            bound = event.repaid * policy.bonus
            if bound > 0:
                seen.worst[EXTRACTION].offer(Fraction(gain, bound), action)


def _shortfall(action: object, outcome: Accepted, seen: Observations) -> None:
    covered = [e for e in outcome.events if isinstance(e, ShortfallCovered)]
    if not covered:
        return
    seen.worst[SHORTFALL].offer(Fraction(sum(e.amount for e in covered), WAD), action)
    lps = [e for e in covered if e.source is Buffer.LPS]
    if lps:
        seen.worst[LP_LOSS].offer(Fraction(sum(e.amount for e in lps), WAD), action)
    for event in lps:
        escaped = max(0, seen.withdrawn_ahead.pop(event.position, 0))
        seen.worst[ESCAPED].offer(Fraction(escaped, WAD), action)


def _incentives(pre: State, action: object, outcome: Accepted, seen: Observations) -> None:
    if isinstance(action, Kick):
        touched = outcome.state.auctions.get(pre.next_auction)
    elif isinstance(action, Redo):
        touched = outcome.state.auctions.get(action.auction)
    else:
        return
    if touched is not None:
        seen.worst[INCENTIVES].offer(Fraction(touched.incentives_paid, WAD), action)
        seen.worst[RESETS].offer(touched.resets, action)


def _withdrawals(pre: State, action: object, seen: Observations) -> None:
    """LP flows against every position that may soon write LPs off: one being liquidated
    (gen 2, gen 3) or underwater at spot. What LPs take out net of what they put in
    while it is at risk is what they escape if it is then written off."""
    if isinstance(action, WithdrawLiquidity):
        flow = action.amount
        if pre.unbacked > 0:
            seen.worst[ESCAPED_UNBACKED].offer(Fraction(action.amount, WAD), action)
    elif isinstance(action, SupplyLiquidity):
        flow = -action.amount
    else:
        return
    at_risk = {auction.position for auction in pre.auctions.values()}
    at_risk.update(
        position_id
        for position_id, position in pre.positions.items()
        if position.collateral * pre.oracle.spot < position.debt * RAY
    )
    for position_id in at_risk:
        seen.withdrawn_ahead[position_id] = seen.withdrawn_ahead.get(position_id, 0) + flow


@attrs.frozen
class Bound:
    value: Fraction
    requirement: str


def bounds(policy: str, state: State) -> dict[str, Bound]:
    """What the spec proves for ``policy`` (``state`` supplies its parameters); a quantity
    with no entry has no stated bound and is only reported."""
    params = state.config.policy
    found: dict[str, Bound] = {DRIPPER: Bound(Fraction(0), "ROUNDING-FAVOURS-PROTOCOL")}
    if isinstance(params, Gen3ZeroLossParams):
        found[EXTRACTION] = Bound(Fraction(1), "BOUNDED-EXTRACTION")
        found[INCENTIVES] = Bound(Fraction(params.incentive_cap, WAD), "INCENTIVE-CAP")
        found[ESCAPED_UNBACKED] = Bound(Fraction(0), "LP-WITHDRAWAL-FREEZE")
    elif isinstance(params, Gen1SpotParams):
        found[EXTRACTION] = Bound(Fraction(1), "ROUNDING-FAVOURS-PROTOCOL")
    else:
        assert isinstance(params, Gen2DutchParams), policy
    return found

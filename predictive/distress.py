"""What the early-warning model predicts: distress within a horizon, defined once here.

**Distress within H** at time ``t``: between ``t`` (before that tick's keepers act) and
``t + H`` the engine kicks at least one position, or an auction settles with a shortfall
(whoever covers it: LPs, insurance or POL). A kick is what pre-liquidation and an earlier
``L`` are meant to make smaller and rarer; a shortfall is the loss itself. A time whose
horizon runs past the end of the path is not labelled (its future is not known).
"""

from __future__ import annotations

import bisect

import attrs

HORIZON = 6 * 3_600
"""Seconds: long enough for the steward's one-hour phase-in to finish before it ends."""


@attrs.frozen
class Tally:
    """The engine's counts at one tick, before its keepers act."""

    time: int
    kicks: int
    shortfall: float


def distress_within(
    tallies: list[Tally], final: Tally, horizon: int = HORIZON
) -> list[bool | None]:
    """Per tally: whether distress follows within ``horizon``; ``None`` past the path's end.
    ``final`` is the counts after the last tick."""
    times = [x.time for x in tallies]
    out: list[bool | None] = []
    for tally in tallies:
        end = tally.time + horizon
        if end > final.time:
            out.append(None)
            continue
        i = bisect.bisect_left(times, end)
        later = tallies[i] if i < len(tallies) else final
        out.append(later.kicks > tally.kicks or later.shortfall > tally.shortfall + 1e-9)
    return out

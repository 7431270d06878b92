"""What the early-warning model sees: features of one tick, from the engine and the feed.

Only what a deployed controller could read: the oracle's reported spot price and its
report times, the reported market depth, the positions' collateral and debt, the
configured liquidation ratio, and the count of kicks the engine has made. Nothing from
the price path itself, the market's true price or the future. Windows are in seconds and
volatility is per square root of an hour, so that the same model reads a feed that
reports every minute or every hour.
"""

from __future__ import annotations

import itertools
import math
from collections import deque

import attrs

from model.numbers import RAY, WAD
from model.params import Gen3ZeroLossParams
from model.state import State

FEATURES = (
    "volatility",
    "drawdown",
    "move_1h",
    "depth_trend",
    "debt_near_liquidation",
    "liquidation_flow",
)
"""The order of a feature vector."""

VOLATILITY_WINDOW = 6 * 3_600
DRAWDOWN_WINDOW = 24 * 3_600
HOUR = 3_600
NEAR_LIQUIDATION = 0.10
"""A position is near ``L`` when its ratio at the reported spot is below ``L * 1.10``."""


@attrs.frozen
class Observation:
    """What the engine and the feed show at one tick, before the keepers act."""

    time: int
    spot: float
    """The last reported spot price (quote per collateral)."""
    report_time: int
    depth: float
    """The last reported market depth (collateral)."""
    debt_near_liquidation: float
    """Share of the open debt in positions within ``NEAR_LIQUIDATION`` of ``L``."""
    kicks: int
    """Kicks made so far (the engine's ``Kicked`` events)."""


def observe(state: State, kicks: int) -> Observation:
    """The observation of ``state``; ``L`` is the configured one, not the steward's, so
    that the controller's own updates do not feed back into what it reads."""
    p = state.config.policy
    assert isinstance(p, Gen3ZeroLossParams), "predictive de-risking is gen 3's"
    spot = state.oracle.spot
    threshold = p.liquidation_ratio * (1 + NEAR_LIQUIDATION)
    near = total = 0
    for position in state.positions.values():
        if position.debt == 0:
            continue
        total += position.debt
        if position.collateral * spot < position.debt * threshold:
            near += position.debt
    return Observation(
        time=state.time,
        spot=spot / RAY,
        report_time=state.oracle.last_update,
        depth=state.market.depth / WAD,
        debt_near_liquidation=near / total if total else 0.0,
        kicks=kicks,
    )


class FeatureTracker:
    """Fed one observation a tick; :meth:`features` gives the vector of the last one."""

    def __init__(self, positions: int) -> None:
        self.positions = max(1, positions)
        self.reports: deque[tuple[int, float]] = deque()
        """(report time, spot) of every distinct report within the drawdown window."""
        self.depths: deque[tuple[int, float]] = deque()
        self.kicks: deque[tuple[int, int]] = deque()
        self.last: Observation | None = None

    def add(self, seen: Observation) -> None:
        t = seen.time
        if not self.reports or self.reports[-1][0] != seen.report_time:
            self.reports.append((seen.report_time, seen.spot))
        _trim(self.reports, t - DRAWDOWN_WINDOW)
        self.depths.append((t, seen.depth))
        _trim(self.depths, t - HOUR)
        self.kicks.append((t, seen.kicks))
        _trim(self.kicks, t - HOUR)
        self.last = seen

    def features(self) -> tuple[float, ...]:
        seen = self.last
        assert seen is not None, "features of no observation"
        return (
            self._volatility(seen.time),
            1.0 - seen.spot / max(s for _, s in self.reports),
            self._move(seen),
            _log_ratio(seen.depth, self.depths[0][1]),
            seen.debt_near_liquidation,
            (seen.kicks - self.kicks[0][1]) / self.positions,
        )

    def _volatility(self, t: int) -> float:
        """Realised volatility of the reported spot over the window, per sqrt(hour)."""
        recent = [(time, s) for time, s in self.reports if time >= t - VOLATILITY_WINDOW]
        if len(recent) < 2:
            return 0.0
        variance = sum(math.log(b[1] / a[1]) ** 2 for a, b in itertools.pairwise(recent))
        span = max(recent[-1][0] - recent[0][0], HOUR)
        return math.sqrt(variance * HOUR / span)

    def _move(self, seen: Observation) -> float:
        """Log change of the reported spot over the last hour."""
        before = [s for time, s in self.reports if time <= seen.time - HOUR]
        base = before[-1] if before else self.reports[0][1]
        return _log_ratio(seen.spot, base)


def _trim(window: deque[tuple[int, float]] | deque[tuple[int, int]], start: int) -> None:
    """Drop entries while the next one is still at or before ``start``: the first left is
    the value in force at ``start``."""
    while len(window) > 1 and window[1][0] <= start:
        window.popleft()


def _log_ratio(now: float, then: float) -> float:
    return math.log(now / then) if now > 0 and then > 0 else 0.0

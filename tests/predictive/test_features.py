"""The early-warning features, on a hand-made feed and a hand-made book."""

from __future__ import annotations

import itertools
import math

import pytest

from predictive.features import FEATURES, FeatureTracker, Observation, observe
from tests.builders import book, borrower


def seen(t: int, spot: float, depth: float = 100.0, kicks: int = 0) -> Observation:
    """A report at ``t`` (every observation is one)."""
    return Observation(t, spot, t, depth, 0.25, kicks)


def test_features_of_a_hand_made_feed() -> None:
    """Reports every 30 min: 100, 110, 99, 121 (the running max), 110; depth halves in the
    last hour; 3 kicks in the last hour among 10 positions."""
    tracker = FeatureTracker(positions=10)
    prices = [100.0, 110.0, 99.0, 121.0, 110.0]
    depths = [100.0, 100.0, 100.0, 80.0, 50.0]
    kicks = [0, 0, 1, 2, 4]
    for i, (spot, depth, k) in enumerate(zip(prices, depths, kicks, strict=True)):
        tracker.add(seen(i * 1_800, spot, depth, k))
    x = dict(zip(FEATURES, tracker.features(), strict=True))
    squares = sum(math.log(b / a) ** 2 for a, b in itertools.pairwise(prices))
    assert x["volatility"] == pytest.approx(math.sqrt(squares / 2))  # 2 hours of reports
    assert x["drawdown"] == pytest.approx(1 - 110 / 121)
    assert x["move_1h"] == pytest.approx(math.log(110 / 99))
    assert x["depth_trend"] == pytest.approx(math.log(50 / 100))
    assert x["liquidation_flow"] == pytest.approx((4 - 1) / 10)
    assert x["debt_near_liquidation"] == 0.25


def test_a_quiet_feed_has_no_volatility_and_no_drawdown() -> None:
    tracker = FeatureTracker(positions=1)
    for i in range(12):
        tracker.add(seen(i * 600, 2_000.0))
    x = dict(zip(FEATURES, tracker.features(), strict=True))
    assert x["volatility"] == x["drawdown"] == x["move_1h"] == x["depth_trend"] == 0.0


def test_the_drawdown_forgets_a_peak_older_than_its_window() -> None:
    tracker = FeatureTracker(positions=1)
    tracker.add(seen(0, 200.0))
    for i in range(1, 30):
        tracker.add(seen(i * 3_600, 100.0))
    assert dict(zip(FEATURES, tracker.features(), strict=True))["drawdown"] == 0.0


def test_debt_near_liquidation_reads_the_book_at_the_reported_spot() -> None:
    """Gen 3's L is 1.25: near means a ratio below 1.375. At 1,700, a position borrowed at
    1.5 (ratio 1.275) is near, one at 2.5 (2.125) is not."""
    b = book("gen3")
    borrower(b, "alice", 2, "2666")
    borrower(b, "bob", 2, "1600")
    b.set_prices(1_700)
    got = observe(b.state, kicks=7)
    assert got.debt_near_liquidation == pytest.approx(2666 / 4266)
    assert (got.spot, got.kicks, got.depth) == (1_700.0, 7, 1_000.0)

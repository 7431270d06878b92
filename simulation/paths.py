"""Price paths: the exogenous market price of the collateral, in quote per unit, over time.

A path is a list of (seconds since start, price) points; between two points the price
moves geometrically (linear in log price). This is the price the market would show
without any liquidation; the market model (``simulation.market``) adds the impact of
liquidation sales on top.

Sources:

- :func:`from_csv`: a historical ``timestamp_utc,price`` file (bar closes stamped at bar
  end), optionally refined with its ``_ohlc`` companion so that each bar's low is
  visited at mid-bar (the order of high and low inside a bar is unknown; a crash test
  wants the low, so the high is dropped);
- :func:`gbm_with_jumps`: geometric Brownian motion with Poisson jumps (Merton), seeded;
- :func:`single_gap`, :func:`slow_bleed`, :func:`spike_and_revert`: adversarial shapes.
"""

from __future__ import annotations

import bisect
import math
import random
from pathlib import Path

import attrs

from simulation.series import read_columns


@attrs.frozen
class PricePath:
    """``times`` strictly increase from 0; ``prices`` are > 0; ``origin`` is the epoch
    second of time 0 (0 for synthetic paths)."""

    times: tuple[int, ...]
    prices: tuple[float, ...]
    origin: int = 0

    def __attrs_post_init__(self) -> None:
        if len(self.times) < 2 or len(self.times) != len(self.prices):
            raise ValueError("a path needs at least two points, one price per time")
        if self.times[0] != 0:
            raise ValueError("a path starts at time 0")
        if any(b <= a for a, b in zip(self.times, self.times[1:], strict=False)):
            raise ValueError("path times must strictly increase")
        if any(not p > 0 for p in self.prices):
            raise ValueError("path prices must be > 0")

    @property
    def end(self) -> int:
        return self.times[-1]

    def price_at(self, t: int) -> float:
        """The price at ``t``, geometric between points, held flat outside the path."""
        if t <= 0:
            return self.prices[0]
        if t >= self.end:
            return self.prices[-1]
        i = bisect.bisect_right(self.times, t) - 1
        t0, t1 = self.times[i], self.times[i + 1]
        p0, p1 = self.prices[i], self.prices[i + 1]
        if t == t0:
            return p0
        w = (t - t0) / (t1 - t0)
        return p0 * math.exp(w * math.log(p1 / p0))


def from_csv(price_file: Path, ohlc_file: Path | None = None) -> PricePath:
    """A historical path. With ``ohlc_file``, each bar's low is inserted at mid-bar."""
    times, (prices,) = read_columns(price_file, ["price"])
    points = dict(zip(times, prices, strict=True))
    if ohlc_file is not None:
        starts, (lows,) = read_columns(ohlc_file, ["low"])
        ends, _ = read_columns(ohlc_file, ["low"], time_column="bar_end_utc")
        for start, end, low in zip(starts, ends, lows, strict=True):
            mid = start + (end - start) // 2
            if start in points and end in points and mid not in points:
                points[mid] = low
    origin = min(points)
    ordered = sorted(points.items())
    return PricePath(
        times=tuple(t - origin for t, _ in ordered),
        prices=tuple(p for _, p in ordered),
        origin=origin,
    )


YEAR = 365 * 24 * 3600
DAY = 24 * 3600


def gbm_with_jumps(
    *,
    seed: int,
    start_price: float,
    duration: int,
    dt: int,
    drift: float,
    volatility: float,
    jump_intensity: float,
    jump_mean: float,
    jump_stdev: float,
) -> PricePath:
    """Merton jump-diffusion sampled every ``dt`` seconds.

    ``drift`` and ``volatility`` are annualised; ``jump_intensity`` is the expected
    number of jumps per day; each jump multiplies the price by ``exp(N(jump_mean,
    jump_stdev))``. The drift is not compensated for jumps: ``drift`` is the
    diffusion's own drift.
    """
    rng = random.Random(seed)
    step_years = dt / YEAR
    jump_probability = 1.0 - math.exp(-jump_intensity * dt / DAY)
    times = [0]
    prices = [start_price]
    log_price = math.log(start_price)
    for t in range(dt, duration + 1, dt):
        shock = rng.gauss(0.0, 1.0)
        log_price += (drift - volatility**2 / 2) * step_years
        log_price += volatility * math.sqrt(step_years) * shock
        if rng.random() < jump_probability:
            log_price += rng.gauss(jump_mean, jump_stdev)
        times.append(t)
        prices.append(math.exp(log_price))
    return PricePath(tuple(times), tuple(prices))


def single_gap(*, start_price: float, gap: float, at: int, duration: int) -> PricePath:
    """Flat, then one instantaneous drop of ``gap`` (0.3 = -30 %) at ``at``, then flat."""
    low = start_price * (1.0 - gap)
    return PricePath((0, at - 1, at, duration), (start_price, start_price, low, low))


def slow_bleed(
    *, start_price: float, decline: float, duration: int, dt: int, hold: int = 0
) -> PricePath:
    """A steady geometric decline of ``decline`` (0.5 = -50 %) over ``duration``, then
    ``hold`` seconds flat at the final price (so that liquidations can finish)."""
    steps = duration // dt
    rate = math.log(1.0 - decline) / steps
    times = [i * dt for i in range(steps + 1)]
    prices = [start_price * math.exp(rate * i) for i in range(steps + 1)]
    if hold > 0:
        times.append(times[-1] + hold)
        prices.append(prices[-1])
    return PricePath(tuple(times), tuple(prices))


def spike_and_revert(
    *, start_price: float, spike: float, at: int, length: int, duration: int
) -> PricePath:
    """Flat, then a move of ``spike`` (-0.3 = down 30 %) held for ``length`` seconds, then
    back to the start price: what a manipulator of a thin venue can make an oracle see."""
    moved = start_price * (1.0 + spike)
    return PricePath(
        (0, at - 1, at, at + length, at + length + 1, duration),
        (start_price, start_price, moved, moved, start_price, start_price),
    )

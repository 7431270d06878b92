"""Price-path models for Monte Carlo: a recipe that draws a new path from each seed.

A Monte Carlo sweep runs the same scenario on many paths; a model here is the recipe,
kept apart from the path it draws so that a worker can draw path ``seed`` itself
(:meth:`PathModel.path`). Same model, same seed, same path, on any machine: every draw
comes from ``random.Random(seed)``.

- :class:`GbmJumps`: geometric Brownian motion with Poisson jumps (Merton), the
  ``gbm`` source of a scenario file (``simulation.paths.gbm_with_jumps``);
- :class:`RegimeSwitching`: the same, with drift, volatility and jumps that switch
  between regimes (calm, crash, ...) held for exponentially distributed times: markets
  crash in clusters, which one GBM cannot produce;
- :class:`Bootstrap`: blocks of a historical series' log returns, resampled with
  replacement: paths with the real crash's returns, fat tails and short-range
  dependence, in other orders.
"""

from __future__ import annotations

import itertools
import math
import random
from typing import Protocol

import attrs

from simulation.paths import DAY, YEAR, PricePath, gbm_with_jumps


class PathModel(Protocol):
    """A path recipe: the path of seed ``seed``."""

    @property
    def start_price(self) -> float: ...

    def path(self, seed: int) -> PricePath: ...


@attrs.frozen
class GbmJumps:
    """Merton jump-diffusion sampled every ``dt`` seconds (``paths.gbm_with_jumps``)."""

    start_price: float
    duration: int
    dt: int
    drift: float
    volatility: float
    jump_intensity: float
    jump_mean: float
    jump_stdev: float

    def path(self, seed: int) -> PricePath:
        return gbm_with_jumps(seed=seed, **attrs.asdict(self))


@attrs.frozen
class Regime:
    """One regime: annualised ``drift`` and ``volatility``, ``jump_intensity`` jumps per
    day of log size N(``jump_mean``, ``jump_stdev``); it lasts ``mean_duration``
    seconds on average (exponentially distributed)."""

    name: str
    drift: float
    volatility: float
    jump_intensity: float
    jump_mean: float
    jump_stdev: float
    mean_duration: int


@attrs.frozen
class RegimeSwitching:
    """A path that starts in the first regime and, each ``dt``, leaves the current one
    with probability ``1 - exp(-dt / mean_duration)`` for one of the others, drawn
    uniformly. Within a regime the log price moves as in :class:`GbmJumps`."""

    start_price: float
    duration: int
    dt: int
    regimes: tuple[Regime, ...]

    def path(self, seed: int) -> PricePath:
        rng = random.Random(seed)
        years = self.dt / YEAR
        current = 0
        times = [0]
        prices = [self.start_price]
        log_price = math.log(self.start_price)
        for t in range(self.dt, self.duration + 1, self.dt):
            regime = self.regimes[current]
            log_price += (regime.drift - regime.volatility**2 / 2) * years
            log_price += regime.volatility * math.sqrt(years) * rng.gauss(0.0, 1.0)
            jump = 1.0 - math.exp(-regime.jump_intensity * self.dt / DAY)
            if rng.random() < jump:
                log_price += rng.gauss(regime.jump_mean, regime.jump_stdev)
            times.append(t)
            prices.append(math.exp(log_price))
            leave = 1.0 - math.exp(-self.dt / regime.mean_duration)
            if len(self.regimes) > 1 and rng.random() < leave:
                others = [i for i in range(len(self.regimes)) if i != current]
                current = rng.choice(others)
        return PricePath(tuple(times), tuple(prices))


@attrs.frozen
class Bootstrap:
    """A block bootstrap of ``returns`` (log returns, one per ``dt`` seconds): blocks of
    ``block`` consecutive returns, each starting at a uniformly drawn index and wrapping
    around the end (so that every return is drawn equally often), until ``duration``."""

    start_price: float
    duration: int
    dt: int
    returns: tuple[float, ...] = attrs.field(repr=False)
    block: int
    source: str = ""
    """Where the returns came from (a file name), for the record."""

    def path(self, seed: int) -> PricePath:
        rng = random.Random(seed)
        steps = self.duration // self.dt
        drawn: list[float] = []
        count = len(self.returns)
        while len(drawn) < steps:
            first = rng.randrange(count)
            drawn.extend(self.returns[(first + i) % count] for i in range(self.block))
        times = [0]
        prices = [self.start_price]
        log_price = math.log(self.start_price)
        for i, r in enumerate(drawn[:steps], start=1):
            log_price += r
            times.append(i * self.dt)
            prices.append(math.exp(log_price))
        return PricePath(tuple(times), tuple(prices))


def log_returns(prices: list[float]) -> tuple[float, ...]:
    """``log(p[i+1] / p[i])`` of consecutive prices."""
    return tuple(math.log(b / a) for a, b in itertools.pairwise(prices))

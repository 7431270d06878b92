"""The market collateral is sold into: a price path, a depth model, and price impact.

Requirement: SIM-MARKET-MODEL.

The market price is the exogenous path price times a *displacement* factor (1 when no
liquidation has sold anything). Every sale of collateral (a gen 1 liquidator dumping
what it seized, a bidder reselling what it bought at auction) executes against the
depth model, lowers the displacement, and so lowers the price everyone sees next,
the oracle included: that is how a fire sale feeds a cascade. Arbitrage closes the
gap between market and path with a half-life (``resilience``); in log terms the
displacement decays as ``log d(t + s) = log d(t) * 2 ** (-s / half_life)``.

Two depth models, both quoting a sale of ``q`` collateral at market price ``P``:

- :class:`ConstantProduct`: a Uniswap v2 style pool ``x * y = L**2`` with fee ``f``,
  whose reserves sit at the market price (``x = L / sqrt(P)``, ``y = L * sqrt(P)``).
  Selling ``q`` returns ``y - L**2 / (x + q (1 - f))`` and moves the price by
  ``(x / (x + q (1 - f)))**2``. ``L`` may follow a series (historical reserves).
- :class:`LinearDepth`: the marginal price falls linearly, by ``impact`` per
  ``depth`` collateral sold; a sale of ``q`` fetches ``P q (1 - s q / 2)`` with
  ``s = impact / depth``, and cannot push the price below ``min_fraction * P``.

Quantities here are floats in whole units (collateral, quote); the engine's WAD and
RAY integers are converted at the boundary by the runner.
"""

from __future__ import annotations

import math

import attrs

from simulation.paths import PricePath
from simulation.series import StepSeries


@attrs.frozen
class ConstantProduct:
    """``liquidity`` is ``L = sqrt(x * y)`` (in sqrt(collateral * quote)), per time."""

    liquidity: StepSeries
    fee: float

    def reserves(self, t: int, price: float) -> tuple[float, float]:
        root_k = self.liquidity.value_at(t)
        return root_k / math.sqrt(price), root_k * math.sqrt(price)

    def proceeds(self, t: int, price: float, q: float) -> tuple[float, float]:
        """``(quote received, price factor after)`` for selling ``q``."""
        x, y = self.reserves(t, price)
        x_after = x + q * (1.0 - self.fee)
        return y - x * y / x_after, (x / x_after) ** 2

    def max_sale_at_average(self, t: int, price: float, average: float) -> float:
        """Largest ``q`` whose average execution price is at least ``average``."""
        x, y = self.reserves(t, price)
        net = 1.0 - self.fee
        if average <= 0:
            return math.inf
        return max(0.0, (y * net / average - x) / net)

    def depth(self, t: int, price: float, impact: float) -> float:
        """Collateral whose sale lowers the price by ``impact`` (0.02 = 2 %)."""
        x, _ = self.reserves(t, price)
        return x * (1.0 / math.sqrt(1.0 - impact) - 1.0) / (1.0 - self.fee)


@attrs.frozen
class LinearDepth:
    """Selling ``depth`` collateral lowers the price by ``impact``, linearly."""

    depth_units: StepSeries
    impact: float
    min_fraction: float = 0.01

    def _slope(self, t: int) -> float:
        return self.impact / self.depth_units.value_at(t)

    def proceeds(self, t: int, price: float, q: float) -> tuple[float, float]:
        s = self._slope(t)
        q_max = (1.0 - self.min_fraction) / s
        sold = min(q, q_max)
        quote = price * sold * (1.0 - s * sold / 2.0)
        factor = 1.0 - s * sold
        if q > sold:
            quote += (q - sold) * price * self.min_fraction
        return quote, factor

    def max_sale_at_average(self, t: int, price: float, average: float) -> float:
        s = self._slope(t)
        if average >= price:
            return 0.0
        return min(2.0 * (1.0 - average / price) / s, (1.0 - self.min_fraction) / s)

    def depth(self, t: int, price: float, impact: float) -> float:
        return impact / self._slope(t)


DepthModel = ConstantProduct | LinearDepth


@attrs.frozen
class Sale:
    """One sale into the market: what it fetched and how far it moved the price."""

    quantity: float
    proceeds: float
    price_before: float
    price_after: float

    @property
    def impact(self) -> float:
        """Relative price drop caused by this sale alone."""
        return 1.0 - self.price_after / self.price_before


class Market:
    """Mutable market state for one run: the time and the displacement from the path."""

    def __init__(self, path: PricePath, depth: DepthModel, half_life: int) -> None:
        self.path = path
        self.model = depth
        self.half_life = half_life
        self.time = 0
        self.displacement = 1.0

    def advance(self, t: int) -> None:
        """Move to time ``t``; arbitrage closes part of the displacement meanwhile."""
        if t > self.time and self.displacement < 1.0:
            keep = 0.5 ** ((t - self.time) / self.half_life) if self.half_life > 0 else 0.0
            self.displacement = math.exp(math.log(self.displacement) * keep)
        self.time = max(self.time, t)

    @property
    def path_price(self) -> float:
        return self.path.price_at(self.time)

    @property
    def price(self) -> float:
        return self.path_price * self.displacement

    def quote(self, q: float) -> float:
        """What selling ``q`` would fetch now, without selling it."""
        if q <= 0:
            return 0.0
        return self.model.proceeds(self.time, self.price, q)[0]

    def max_sale_at_average(self, average: float) -> float:
        """Largest sale whose average execution price is at least ``average``."""
        return self.model.max_sale_at_average(self.time, self.price, average)

    def depth(self, impact: float) -> float:
        """Collateral that a sale can move now before the price falls by ``impact``."""
        return self.model.depth(self.time, self.price, impact)

    def sell(self, q: float) -> Sale:
        """Sell ``q`` collateral now: proceeds, and the displacement it leaves."""
        before = self.price
        if q <= 0:
            return Sale(0.0, 0.0, before, before)
        proceeds, factor = self.model.proceeds(self.time, before, q)
        self.displacement *= factor
        return Sale(q, proceeds, before, self.price)

"""Correlated price paths for several assets: a correlation matrix, and jumps that hit all
assets at once or one at a time.

Each asset follows a geometric Brownian motion whose shocks are correlated through the
Cholesky factor ``L`` of the correlation matrix (``z = L e``, ``e`` independent standard
normals), as in ``paths.gbm_with_jumps``: annualised drift and volatility, jumps per day
of log size ``N(mean, stdev)``. Two kinds of jump: a *common* jump (a market-wide event)
moves every asset by the same log size at the same step, scaled per asset by its
``beta``; an *idiosyncratic* jump hits one asset alone. Pure functions: the same
arguments and seed give the same paths on any machine (``random.Random(seed)``).

A correlation matrix is refused, naming the entry, unless it is square, symmetric, has a
unit diagonal, entries in [-1, 1], and is positive definite (Cholesky finds a positive
pivot at every row).
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence

import attrs

from simulation.paths import DAY, YEAR, PricePath

TOLERANCE = 1e-9
"""How far from symmetric or from a unit diagonal a matrix of floats may be."""


class CorrelationError(ValueError):
    """The correlation matrix cannot be used; the message names the entry."""


@attrs.frozen
class Jumps:
    """``intensity`` jumps per day, each of log size ``N(mean, stdev)``."""

    intensity: float = 0.0
    mean: float = 0.0
    stdev: float = 0.0


@attrs.frozen
class Asset:
    """One asset: its first price, annualised drift and volatility, its own jumps, and
    ``beta``, how much of a common jump it takes (1: all of it; 0: none)."""

    start_price: float
    volatility: float
    drift: float = 0.0
    jumps: Jumps = Jumps()
    beta: float = 1.0


def cholesky(matrix: Sequence[Sequence[float]]) -> tuple[tuple[float, ...], ...]:
    """The lower-triangular ``L`` with ``L L^T = matrix``, after checking ``matrix`` is a
    correlation matrix; :class:`CorrelationError` naming the first bad entry otherwise."""
    n = len(matrix)
    if n == 0:
        raise CorrelationError("correlation: empty; one row per asset")
    for i, row in enumerate(matrix):
        if len(row) != n:
            raise CorrelationError(f"correlation[{i}]: {len(row)} entries; must be {n}")
        for j, value in enumerate(row):
            if not math.isfinite(value) or abs(value) > 1.0 + TOLERANCE:
                raise CorrelationError(f"correlation[{i}][{j}] = {value}: must be in [-1, 1]")
    for i in range(n):
        if abs(matrix[i][i] - 1.0) > TOLERANCE:
            raise CorrelationError(f"correlation[{i}][{i}] = {matrix[i][i]}: must be 1")
        for j in range(i):
            if abs(matrix[i][j] - matrix[j][i]) > TOLERANCE:
                raise CorrelationError(
                    f"correlation[{i}][{j}] = {matrix[i][j]} but correlation[{j}][{i}] = "
                    f"{matrix[j][i]}: must be symmetric"
                )
    lower = [[0.0] * n for _ in range(n)]
    for i in range(n):
        for j in range(i + 1):
            partial = sum(lower[i][k] * lower[j][k] for k in range(j))
            if i == j:
                pivot = matrix[i][i] - partial
                if pivot <= TOLERANCE:
                    raise CorrelationError(
                        f"correlation[{i}][{i}]: the matrix is not positive definite "
                        f"(row {i} is implied by rows before it: pivot {pivot:.3g})"
                    )
                lower[i][j] = math.sqrt(pivot)
            else:
                lower[i][j] = (matrix[i][j] - partial) / lower[j][j]
    return tuple(tuple(row) for row in lower)


def correlated_paths(
    *,
    seed: int,
    assets: Sequence[Asset],
    correlation: Sequence[Sequence[float]],
    duration: int,
    dt: int,
    common: Jumps = Jumps(),
) -> tuple[PricePath, ...]:
    """One path per asset, sampled every ``dt`` seconds over ``duration``."""
    if len(correlation) != len(assets):
        raise CorrelationError(
            f"correlation: {len(correlation)} rows for {len(assets)} assets; one row per asset"
        )
    lower = cholesky(correlation)
    rng = random.Random(seed)
    years = dt / YEAR

    def chance(jumps: Jumps) -> float:
        return 1.0 - math.exp(-jumps.intensity * dt / DAY)

    logs = [math.log(a.start_price) for a in assets]
    prices: list[list[float]] = [[a.start_price] for a in assets]
    times = [0]
    for t in range(dt, duration + 1, dt):
        independent = [rng.gauss(0.0, 1.0) for _ in assets]
        common_jump = rng.gauss(common.mean, common.stdev) if rng.random() < chance(common) else 0.0
        for i, asset in enumerate(assets):
            shock = sum(lower[i][k] * independent[k] for k in range(i + 1))
            move = (asset.drift - asset.volatility**2 / 2) * years
            move += asset.volatility * math.sqrt(years) * shock + asset.beta * common_jump
            if rng.random() < chance(asset.jumps):
                move += rng.gauss(asset.jumps.mean, asset.jumps.stdev)
            logs[i] += move
            prices[i].append(math.exp(logs[i]))
        times.append(t)
    return tuple(PricePath(tuple(times), tuple(p)) for p in prices)


def log_return_correlation(a: PricePath, b: PricePath) -> float:
    """The sample correlation of two paths' step log-returns (same times)."""
    ra = [math.log(y / x) for x, y in zip(a.prices, a.prices[1:], strict=False)]
    rb = [math.log(y / x) for x, y in zip(b.prices, b.prices[1:], strict=False)]
    ma, mb = sum(ra) / len(ra), sum(rb) / len(rb)
    cov = sum((x - ma) * (y - mb) for x, y in zip(ra, rb, strict=True))
    va = sum((x - ma) ** 2 for x in ra)
    vb = sum((y - mb) ** 2 for y in rb)
    return cov / math.sqrt(va * vb)

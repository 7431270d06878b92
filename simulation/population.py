"""The borrowers: a book of positions drawn once from a seed, identical for every policy.

Each borrower holds collateral worth ``ratio`` times its debt at the path's first
price. Ratios are ``min_ratio + (median_ratio - min_ratio) * exp(sigma * Z)`` with
``Z`` standard normal: never below ``min_ratio``, half of them below
``median_ratio``, with a long tail of very safe positions, which is the shape of
lending books in practice. Collateral sizes are log-normal (``size_sigma``), scaled so
that the book holds ``total_collateral``; a position whose debt would fall below
``min_debt`` is raised to it (the engine refuses debts below dust).

Borrowers are passive during a run: nobody tops up or repays. This is the worst case
for liquidations and the same for every policy.
"""

from __future__ import annotations

import math
import random

import attrs


@attrs.frozen
class PopulationSettings:
    count: int
    total_collateral: float
    """Collateral units over all positions."""
    min_ratio: float
    median_ratio: float
    ratio_sigma: float
    size_sigma: float
    min_debt: float
    """Quote units; at least the engine's dust."""


@attrs.frozen
class Borrower:
    collateral: float
    debt: float

    def ratio(self, price: float) -> float:
        return self.collateral * price / self.debt


def draw_book(settings: PopulationSettings, price: float, seed: int) -> tuple[Borrower, ...]:
    """The book, deterministic in ``seed``. Amounts are rounded to 6 and 2 decimals."""
    rng = random.Random(seed)
    spread = settings.median_ratio - settings.min_ratio
    ratios = [
        settings.min_ratio + spread * math.exp(settings.ratio_sigma * rng.gauss(0.0, 1.0))
        for _ in range(settings.count)
    ]
    weights = [math.exp(settings.size_sigma * rng.gauss(0.0, 1.0)) for _ in range(settings.count)]
    scale = settings.total_collateral / sum(weights)
    book = []
    for ratio, weight in zip(ratios, weights, strict=True):
        collateral = weight * scale
        debt = collateral * price / ratio
        if debt < settings.min_debt:
            debt = settings.min_debt
            collateral = debt * ratio / price
        book.append(Borrower(round(collateral, 6), round(debt, 2)))
    return tuple(book)

"""The early-warning model as it is used: a logistic regression on standardised features.

Training (:mod:`predictive.training`) fits it with scikit-learn and keeps only the
numbers: a mean and a scale per feature, a coefficient per feature and an intercept.
Scoring is this file's few lines of arithmetic, so that a controller runs without
scikit-learn and two trainings can be compared number for number.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import attrs

from predictive.distress import HORIZON
from predictive.features import FEATURES


@attrs.frozen
class EarlyWarning:
    """P(distress within ``horizon``) = sigmoid(intercept + sum coef_i (x_i - mean_i) / scale_i)."""

    mean: tuple[float, ...]
    scale: tuple[float, ...]
    coefficients: tuple[float, ...]
    intercept: float
    horizon: int = HORIZON
    features: tuple[str, ...] = FEATURES

    def probability(self, x: Sequence[float]) -> float:
        z = self.intercept + sum(
            c * (v - m) / s
            for c, v, m, s in zip(self.coefficients, x, self.mean, self.scale, strict=True)
        )
        if z >= 0:
            return 1.0 / (1.0 + math.exp(-z))
        e = math.exp(z)
        return e / (1.0 + e)

    def describe(self) -> list[tuple[str, float]]:
        """(feature, coefficient on the standardised feature), largest weight first."""
        pairs = zip(self.features, self.coefficients, strict=True)
        return sorted(pairs, key=lambda pair: -abs(pair[1]))

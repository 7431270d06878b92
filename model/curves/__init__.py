"""Auction price curves: the MakerDAO-compatible three and the gen 3 floored curve.

A gen 2 policy is configured with one of the :class:`LinearDecrease`,
:class:`StairstepExponentialDecrease` or :class:`ExponentialDecrease` values; each is a
frozen parameter record whose ``price(top, dur)`` calls the plain function of
``model.curves.abaci``.
"""

from __future__ import annotations

import attrs

from model.curves.abaci import (
    exponential_decrease,
    linear_decrease,
    rpow,
    stairstep_exponential_decrease,
)
from model.curves.zero_loss import floored_linear_price
from model.numbers.fixed_point import Ray, Seconds


@attrs.frozen
class LinearDecrease:
    """dss LinearDecrease: reaches 0 after ``tau`` seconds."""

    tau: Seconds

    def price(self, top: Ray, dur: Seconds) -> Ray:
        return linear_decrease(top, dur, self.tau)


@attrs.frozen
class StairstepExponentialDecrease:
    """dss StairstepExponentialDecrease: times ``cut`` every ``step`` seconds."""

    step: Seconds
    cut: Ray

    def price(self, top: Ray, dur: Seconds) -> Ray:
        return stairstep_exponential_decrease(top, dur, self.step, self.cut)


@attrs.frozen
class ExponentialDecrease:
    """dss ExponentialDecrease: times ``cut`` every second."""

    cut: Ray

    def price(self, top: Ray, dur: Seconds) -> Ray:
        return exponential_decrease(top, dur, self.cut)


Curve = LinearDecrease | StairstepExponentialDecrease | ExponentialDecrease

__all__ = [
    "Curve",
    "ExponentialDecrease",
    "LinearDecrease",
    "StairstepExponentialDecrease",
    "exponential_decrease",
    "floored_linear_price",
    "linear_decrease",
    "rpow",
    "stairstep_exponential_decrease",
]

"""Seeded false contracts: each claims something the model does not do.

``tests/symbolic/test_crosshair.py`` runs ``crosshair check`` on this module and
requires a counterexample for every function here, so a CrossHair gate that has
stopped finding counterexamples (a broken set-up, a contract parser that no longer
sees the conditions, a timeout too short) fails instead of passing silently. Each calls
the model's own function; only the claim is wrong.
"""

from __future__ import annotations

from model.curves.zero_loss import floored_linear_price
from model.numbers.fixed_point import RAY, mul_div_down
from model.rules.auctions import purchase

SEEDED = ("rounds_up", "floor_is_reached_early", "buyer_pays_exact_value")
"""The functions below; each must be refuted."""


def rounds_up(x: int, y: int, d: int) -> int:
    """False: ``mul_div_down`` rounds towards zero, not up.

    pre: 0 <= x < 2**128 and 0 <= y < 2**128 and 0 < d < 2**128
    post: __return__ * d >= x * y
    """
    return mul_div_down(x, y, d)


def floor_is_reached_early(top: int, floor: int, dur: int, decay: int) -> int:
    """False: the gen 3 price reaches the floor only at ``decay``, not one second before.

    pre: 0 <= floor <= top < 2**128 and 0 <= dur and 0 < decay
    post: dur + 1 < decay or __return__ == floor
    """
    return floored_linear_price(top, floor, dur, decay)


def buyer_pays_exact_value(lot: int, tab: int, price: int, amount: int) -> int:
    """False: the buyer pays the value rounded up, not exactly ``collateral * price``.

    pre: 0 < lot < 2**64 and 0 < tab < 2**96 and 0 < price < 2**96 and 0 < amount < 2**64
    post: __return__ >= 0
    """
    bought = purchase(lot, tab, price, amount, 0)
    if isinstance(bought, tuple):
        collateral, paid = bought
        return 0 if paid * RAY == collateral * price else -1
    return 0

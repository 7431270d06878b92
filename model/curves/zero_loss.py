"""The gen 3 auction curve: linear from the start price down to a floor, then flat.

Unlike the MakerDAO curves it never reaches zero: the price at elapsed time ``dur`` is
``floor + ceil((top - floor) * (decay - dur) / decay)`` while ``dur < decay`` and
exactly ``floor`` afterwards. Rounding up keeps every price at or above the exact
line, so a bidder never pays less than the curve (AUCTION-FLOOR, AUCTION-MONOTONE).
"""

from __future__ import annotations

from model.numbers.fixed_point import Ray, Seconds, mul_div_up


def floored_linear_price(top: Ray, floor: Ray, dur: Seconds, decay: Seconds) -> Ray:
    """Price after ``dur`` seconds of a stage that started at ``top`` and decays to ``floor``.

    Requires ``top >= floor`` and ``decay > 0`` (both guaranteed by parameter validation
    and by how stages are started). Returns ``top`` at ``dur == 0`` and ``floor`` from
    ``dur >= decay`` on.

    pre: 0 <= floor <= top < 2**256
    pre: 0 <= dur and 0 < decay
    post: floor <= __return__ <= top
    post: dur != 0 or __return__ == top
    post: dur < decay or __return__ == floor
    post: dur >= decay or __return__ * decay >= floor * decay + (top - floor) * (decay - dur)
    post: dur == 0 or __return__ <= floored_linear_price(top, floor, dur - 1, decay)
    """
    if dur >= decay:
        return floor
    return floor + mul_div_up(top - floor, decay - dur, decay, "formula.auction_price")

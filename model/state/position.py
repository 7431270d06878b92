"""A borrower's position: collateral locked against debt drawn from the pool."""

from __future__ import annotations

import attrs

from model.numbers.fixed_point import Wad


@attrs.frozen
class Position:
    """Positions are never deleted; an emptied position keeps its id and owner.

    The zone (safe, guarded, unwinding, insolvent) is not stored: it depends on the
    current reference price and volatility, so it is derived when needed
    (``model.policies.gen3_zero_loss.zone``).
    """

    owner: str
    collateral: Wad
    debt: Wad

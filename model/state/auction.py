"""A running liquidation auction (gen 2 and gen 3)."""

from __future__ import annotations

import attrs

from model.numbers.fixed_point import Ray, Seconds, Wad
from model.numbers.units import Count


@attrs.frozen
class Auction:
    """Collateral ``lot`` for sale to raise ``tab = debt + fee``.

    Proceeds pay ``debt`` (owed to the lending pool) first, then ``fee`` (the penalty,
    owed to the buffers and LPs). An auction is *finished* once its lot or its tab is
    zero; ``Settle`` then returns leftover collateral or sends the unpaid debt down the
    loss waterfall, and removes it.
    """

    position: int
    """The position it liquidates; leftover collateral goes back there."""
    lot: Wad
    debt: Wad
    fee: Wad
    top: Ray
    """Price at the start of the current stage."""
    floor: Ray
    """Lowest price of the current stage (gen 3); 0 for gen 2, which has none."""
    tic: Seconds
    """Start time of the current stage."""
    anchor: Ray
    """The decision price when the stage started (gen 3: reference; gen 2: spot)."""
    incentives_paid: Wad
    """Keeper incentives paid for this liquidation so far, over kick and resets."""
    resets: Count
    backed: bool
    """Gen 3: whether, at the start of the stage, the lot at the floor covered the debt."""

    @property
    def tab(self) -> Wad:
        return self.debt + self.fee

    @property
    def finished(self) -> bool:
        return self.lot == 0 or self.debt + self.fee == 0

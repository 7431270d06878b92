"""What the engine knows about the market: its depth, and how much of it gen 3 has used."""

from __future__ import annotations

import attrs

from model.numbers.fixed_point import Seconds, Wad


@attrs.frozen
class Market:
    depth: Wad
    """Collateral the market absorbs per unwind period at acceptable impact (reported)."""
    period_start: Seconds
    """Start of the current unwind period."""
    kicked_in_period: Wad
    """Collateral put up for auction by gen 3 kicks in the current period."""

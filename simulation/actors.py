"""Keepers and bidders: who acts, when their transactions land, and what it costs them.

*Keepers* start auctions (``Kick``), reset them (``Redo``) and close them
(``EndAuction``, ``Settle``). *Bidders* buy collateral: gen 1 liquidators (repay debt,
seize collateral at the oracle spot plus the bonus) and gen 2 / gen 3 takers. A bidder
resells what it buys at once into the market, with price impact, as a flash-liquidation
bot does; it buys only when that resale covers what it paid, its profit margin and its
gas.

Each actor class is a list of profiles. A profile's transactions land only while the
network gas price is at most its ``max_gas_gwei`` (on Black Thursday keeper scripts
priced for normal gas did not get in); it reacts ``latency`` seconds after an
opportunity appears; bidders want ``margin`` (0.02 = 2 %) over their cost. Gas is
paid in the collateral asset (ETH in every shipped scenario) at the market price.
"""

from __future__ import annotations

from collections.abc import Sequence

import attrs

from simulation.series import StepSeries


@attrs.frozen
class ActorProfile:
    name: str
    latency: int
    """Seconds between an opportunity appearing and this actor acting on it."""
    max_gas_gwei: float
    """Highest network gas price at which this actor's transactions are included."""
    margin: float = 0.0
    """Bidders: profit required over cost, as a fraction of what they pay."""


@attrs.frozen
class GasSettings:
    gwei: StepSeries
    """Network gas price over time (the shipped data: the 60th percentile per 10 min)."""
    kick: int
    take: int
    liquidate: int
    redo: int

    def cost(self, t: int, units: int, collateral_price: float) -> float:
        """Quote cost of ``units`` gas at ``t``, paid in collateral at ``collateral_price``."""
        return self.gwei.value_at(t) * 1e-9 * units * collateral_price


def landing(profiles: Sequence[ActorProfile], gwei: float, waited: int) -> list[ActorProfile]:
    """Profiles whose transactions land now and that have had time to react, cheapest
    margin first (competition: the least demanding bidder gets there first)."""
    live = [p for p in profiles if gwei <= p.max_gas_gwei and waited >= p.latency]
    return sorted(live, key=lambda p: (p.margin, p.latency, p.name))


class Watch:
    """When each opportunity was first seen, so that latency can be applied to it."""

    def __init__(self) -> None:
        self._since: dict[tuple[str, int], int] = {}

    def waited(self, key: tuple[str, int], t: int) -> int:
        """Seconds since ``key`` was first seen (0 the first time)."""
        return t - self._since.setdefault(key, t)

    def forget(self, key: tuple[str, int]) -> None:
        self._since.pop(key, None)
